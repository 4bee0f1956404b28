r"""Notation rules for a vector's size and its squared norm spelled out in a where-clause, as
Equinox's RMSNorm docstring writes them:

    where $\Vert x \Vert^2_2 = \sum_{i=1}^n x_i^2$, $n = \dim(x)$, and ...

Rule ``dim-size``: ``n = \dim(x)`` says x has n entries: read as the declaration
``x \in \mathbb{R}^{n}`` (the readings say so), not as an equation that computes n. Any other
use of ``\dim`` (a value computed from it, ``\dim`` of an expression) is refused at ``\dim``.

Rule ``norm-spelled-out``: ``\|x\|_2^2 = \sum_{i=1}^{n} x_i^2`` (also ``\Vert x \Vert^2_2``,
and ``\|x\|_2 = \sqrt{\sum_i x_i^2}``) says what the notation means, the sum of the squares of
x's entries: not a definition of a new value, so it is not read as one; where its sum has the
range ``i = 1`` to n, it says x has n entries (``x \in \mathbb{R}^{n}``). Any other equation
with a norm on its left side stays refused ("the left side of a definition must be one
symbol").

Examples that read (each a whole source)::

    y = \frac{x}{\sqrt{\frac{1}{n} \|x\|_2^2}}
    where $n = \dim(x)$

    y = \frac{x}{\sqrt{\frac{1}{n} \|x\|_2^2}}
    where $\|x\|_2^2 = \sum_{i=1}^n x_i^2$
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader


@dataclasses.dataclass(frozen=True)
class SaidDeclaration(ast.Declaration):
    """A declaration the source makes with ``\\dim`` or a spelled-out norm; ``said`` is its
    reading (the reader notes it in place of the note on a declaration typed as text)."""

    said: str = ""


def _reals(span: Span, size: ast.Node) -> ast.Node:
    return ast.Sup(span, ast.Font(span, "mathbb", ast.Letter(span, "R")), size)


def _dim_of(node: ast.Node) -> ast.Node | None:
    """The x of ``\\dim(x)``, ``\\dim x``; None for anything else."""
    match node:
        case ast.ApplyPrefix(func=ast.FunctionName(name="dim"), arg=ast.Paren(body=arg)):
            return arg
        case ast.ApplyPrefix(func=ast.FunctionName(name="dim"), arg=arg):
            return arg
        case ast.Call(func=ast.FunctionName(name="dim"), args=(arg,)):
            return arg
    return None


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``n = \\dim(x)`` and ``\\|x\\|_2^2 = \\sum_{i=1}^{n} x_i^2`` as declarations of x's size
    (see the module); every other ``\\dim`` refused."""
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition) and (decl := _size_said(reader, s)) is not None:
            out.append(decl)
            continue
        if isinstance(s, ast.Definition) and (said := _norm_said(reader, s)) is not None:
            out.extend(said)
            continue
        out.append(s)
    for n in iter_nodes(out):
        if isinstance(n, ast.FunctionName) and n.name == "dim":
            raise reader.error(
                "\\dim(x), the dimension of x (its number of entries), is read only as a size "
                "given a name (n = \\dim(x)), not as a value",
                n.span,
                hint="name the size, n = \\dim(x), or declare x \\in \\mathbb{R}^{n} and use n",
            )
    return out


def _size_said(reader: Reader, s: ast.Definition) -> ast.Declaration | None:
    arg = _dim_of(s.rhs)
    if arg is None or not isinstance(s.lhs, ast.Letter) or s.claims:
        return None
    parts = reader.symbol(arg, quiet=True)
    if parts is None or parts.post or parts.step or parts.node or parts.element:
        return None
    n = s.lhs.name
    x = " ".join(reader.source.snippet(arg.span).split())
    said = (
        f"{n} = \\dim({x}): {x} has {n} entries, read as {x} \\in \\mathbb{{R}}^{{{n}}} (a "
        f"declaration, not an equation that computes {n})"
    )
    return SaidDeclaration(s.span, (arg,), _reals(s.span, s.lhs), said)


def _squared_l2(lhs: ast.Node) -> tuple[ast.Node, bool] | None:
    """(x, squared) of ``\\|x\\|_2^2``, ``\\|x\\|^2_2``, ``\\|x\\|^2``, ``\\|x\\|_2``,
    ``\\|x\\|``; None for anything else."""
    power = False
    label: ast.Node | None
    match lhs:
        case ast.Sup(
            base=ast.Sub(base=ast.Norm(body=x), script=label), script=ast.Number(text="2")
        ):
            power = True
        case ast.Sub(
            base=ast.Sup(base=ast.Norm(body=x), script=ast.Number(text="2")), script=label
        ):
            power = True
        case ast.Sup(base=ast.Norm(body=x), script=ast.Number(text="2")):
            label, power = None, True
        case ast.Sub(base=ast.Norm(body=x), script=label):
            pass
        case ast.Norm(body=x):
            label = None
        case _:
            return None
    if label is not None and not (isinstance(label, ast.Number) and label.text == "2"):
        return None
    return x, power


def _norm_said(reader: Reader, s: ast.Definition) -> list[ast.Statement] | None:
    found = _squared_l2(s.lhs)
    if found is None or s.claims:
        return None
    x, squared = found
    body = s.rhs
    if not squared:  # \|x\|_2 = \sqrt{\sum_i x_i^2}
        if not isinstance(body, ast.Sqrt):
            return None
        body = body.body
    if not (isinstance(body, ast.BigOp) and body.op == "sum"):
        return None
    index = _index(body.sub)
    term = body.body
    if index is None or not (
        isinstance(term, ast.Sup)
        and isinstance(term.script, ast.Number)
        and term.script.text == "2"
        and isinstance(term.base, ast.Sub)
        and isinstance(term.base.script, ast.Letter)
        and term.base.script.name == index
    ):
        return None
    xs = reader.symbol(x, quiet=True)
    entry = reader.symbol(term.base.base, quiet=True)
    if xs is None or entry is None or xs.key != entry.key or xs.post or xs.element:
        return None
    tex = " ".join(reader.source.snippet(s.span).split())
    size = body.sup if isinstance(body.sup, ast.Letter) and _starts_at_one(body.sub) else None
    said = f"; the sum's range says {xs.key} has {size.name} entries" if size else ""
    reading = (
        f"{tex}: what the notation means, the sum of the squares of {xs.key}'s entries (the "
        f"L2 norm), not a new value{said}"
    )
    if size is None:
        reader.note(s.span, "norm spelled out", reading)
        return []
    return [SaidDeclaration(s.span, (x,), _reals(s.span, size), reading)]


def _index(sub: ast.Node | None) -> str | None:
    """The index letter of a sum's subscript ``i=1`` or ``i``."""
    match sub:
        case ast.Letter(name=name):
            return name
        case ast.ScriptEq(left=ast.Letter(name=name)):
            return name
    return None


def _starts_at_one(sub: ast.Node | None) -> bool:
    match sub:
        case ast.ScriptEq(right=ast.Number(text="1")):
            return True
    return False
