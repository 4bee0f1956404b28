r"""Rule ``residual-update-in-place``: a block's output written over its input with a residual
connection, as Transformer tutorials write an encoder's sublayers:

    \text{FFN}(x) = \max(0, xW_1+b_1)W_2 + b_2
    x = \text{LayerNorm}(x + \text{FFN}(x))

(UvA's deep learning tutorial 6; also ``x = x + \mathrm{Attention}(x)``.) As equations, x
would depend on itself. Read as a program's lines, the sublayer is applied in order: the new
x (the block's output) is computed from the input x and replaces it; the x of the right side is
the input.

How papermath reads it: the left side is the new value, named with a breve (``\breve{x}``,
key ``x_breve``, as parse/in_place.py names an updated value), with the input's shape (a value
replaced in place keeps its shape: read/rules_in_place_ties.py); the x on the right is the
input. The reading says so.

Only where: the equation is the only one that defines the symbol and the only one that reads
it (a function's definition whose argument has the same name, ``\text{FFN}(x) = ...``, reads
its own argument, not this value), the symbol carries no step or index (``h_t``: a recurrence,
read by its own rules), and the right side is a residual connection: the symbol itself is a
term of a sum at the top (``x + F(x)``), or of a sum that is the one argument of a function
(``\text{LayerNorm}(x + F(x))``). Any other value defined from itself (``h = \tanh(W h + b)``,
``\theta = \theta - \eta g``) stays refused ("depends on itself"): which value is meant there
is not said by a residual's form. No symbol of the source may already be written with
``\breve``.

Example that reads (x of d entries, the output x_breve of d)::

    x = \mathrm{LayerNorm}(x + \max(0, x W_1 + b_1) W_2 + b_2)
    x \in \mathbb{R}^{d}
"""

from __future__ import annotations

import re

from . import ast
from .in_place import UpdatedInput, _breved, _reads
from .projections import _text

RULE = "residual-update-in-place"


def _terms(node: ast.Node) -> list[ast.Node]:
    """The terms of a sum as written: ``x + F(x) + b`` -> [x, F(x), b]."""
    if isinstance(node, ast.BinOp) and node.op == "+":
        return _terms(node.left) + _terms(node.right)
    if isinstance(node, ast.Paren) and not isinstance(node.body, ast.ScriptList):
        return _terms(node.body)
    return [node]


def _residual(text: str, rhs: ast.Node, name: str) -> bool:
    """Is ``rhs`` ``x + F`` (or ``f(x + F)``, one argument) with x written ``name``?"""
    if isinstance(rhs, ast.Call) and len(rhs.args) == 1:
        rhs = rhs.args[0]
    terms = _terms(rhs)
    if len(terms) < 2:
        return False
    bare = [s for s in terms if isinstance(s, ast.Letter | ast.Font) and _text(text, s) == name]
    return len(bare) == 1


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with a residual update in place read so (module docstring); otherwise
    the statements as they were."""
    if re.search(r"\\breve\b", text):
        return statements
    for j, st in enumerate(statements):
        if type(st) is not ast.Definition:
            continue
        if not isinstance(st.lhs, ast.Letter | ast.Font):
            continue  # h_t, W_{ij}: a step or an index (other rules)
        name = _text(text, st.lhs)
        if not _reads(st.rhs, text, name) or not _residual(text, st.rhs, name):
            continue
        if not only_line_with(text, statements, j, name):
            continue  # defined twice, or read elsewhere: which value is meant is not said
        shown = " ".join(text[st.lhs.span.start : st.lhs.span.end].split())
        return replaced(
            statements,
            j,
            said=(
                f"{shown} is written on both sides, and its right side adds {shown} to what "
                f"is computed from it (a residual connection): read as a program's line, the "
                f"block's output replaces its input: the new value (named with a breve on "
                f"its letter, as wide as {shown}: a value replaced in place keeps its shape) "
                f"is computed from the input {shown}, which no other equation reads (rule "
                f"{RULE})"
            ),
            reading="update in place of an input (a residual block's output)",
        )
    return statements


def only_line_with(text: str, statements: list[ast.Statement], j: int, name: str) -> bool:
    """Whether ``name`` (written on both sides of statement ``j``) is neither defined nor read
    by any other equation (a function's argument written ``name`` is another value): only
    then is statement ``j`` read as a value replaced in place."""
    return not any(
        isinstance(s, ast.Definition)
        and (
            _text(text, s.lhs) == name
            or (not _argument(text, s, name) and _reads(s.rhs, text, name))
        )
        for k, s in enumerate(statements)
        if k != j
    )


def replaced(
    statements: list[ast.Statement], j: int, said: str, reading: str
) -> list[ast.Statement]:
    """The statements with definition ``j`` read as a value replaced in place: its left side
    renamed with a breve (the new value), ``said`` and ``reading`` what the readings say."""
    st = statements[j]
    assert isinstance(st, ast.Definition)
    out = list(statements)
    out[j] = UpdatedInput(
        st.span,
        _breved(st.lhs),
        st.rhs,
        st.decl,
        st.claims,
        st.update,
        said=said,
        reading=reading,
    )
    return out


def _argument(text: str, s: ast.Definition, name: str) -> bool:
    """Is ``s`` a function's definition with an argument written ``name`` (FFN(x) = ...)?"""
    lhs = s.lhs
    return isinstance(lhs, ast.Call) and any(_text(text, a) == name for a in lhs.args)
