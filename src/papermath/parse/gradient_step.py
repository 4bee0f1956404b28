# ruff: noqa: E501  (the docstring's example is an exact input, one line)
r"""Rule ``gradient-step-in-place``: one step of gradient descent written over the parameter
itself, the whole computation of the source:

    w \leftarrow w - \eta (\alpha \frac{\partial R(w)}{\partial w} + \frac{\partial Loss}{\partial w})

(scikit-learn's user guide, "Stochastic Gradient Descent (SGD) updates parameters using the
gradient of the loss function with respect to a parameter"); also ``\theta := \theta - \alpha
\nabla_\theta J``, ``w = w - \eta \nabla L(w)``. As an equation w would depend on itself. Read
as a program's line, the step computes the new parameter from the one before, a derivative
with respect to it, and replaces it.

How papermath reads it: the left side is the new value, named with a breve (``\breve{w}``,
key ``w_breve``, as parse/in_place.py names an updated value), with the parameter's shape (a
value replaced in place keeps its shape: read/rules_in_place_ties.py); the w on the right is
the value before the step. The reading says so; the derivatives are read by
read/rules_gradient_updates.py.

Only where: the symbol carries no step (``w_t \leftarrow w_{t-1} - \dots`` is a recurrence,
read by its own rules); the right side is the symbol plus or minus a term; that term takes a
derivative with respect to the symbol as written (``\frac{\partial \cdot}{\partial w}``,
``\nabla_w``, ``\nabla L(w)``); and no other equation defines or reads the symbol (a function's
definition whose argument has the same name, ``R(w) = \dots``, reads its own argument): where
another line reads w, which value it reads (before or after the step) is not said, and the
update stays refused (read/rules_updates.py). No symbol of the source may already be written
with ``\breve``.
"""

from __future__ import annotations

import re

from . import ast
from .projections import _text
from .residual_update import only_line_with, replaced

RULE = "gradient-step-in-place"


def _partial_of(node: ast.Node) -> ast.Node | None:
    """X of ``\\partial X`` (the last factor after the last ``\\partial``); None otherwise."""
    if isinstance(node, ast.Juxt):
        if isinstance(node.left, ast.Letter) and node.left.name == "partial":
            return node.right
        if (
            isinstance(node.left, ast.Juxt)
            and isinstance(node.left.right, ast.Letter)
            and node.left.right.name == "partial"
        ):
            return node.right
    return None


def derivative_wrt(text: str, node: ast.Node, name: str) -> bool:
    """Does ``node`` take a derivative with respect to the symbol written ``name``?"""
    for n in ast.walk(node):
        match n:
            case ast.Frac(den=den) | ast.BinOp(op="/", right=den):
                x = _partial_of(den)
                if x is not None and _text(text, x) == name:
                    return True
            case ast.Juxt(left=ast.BinOp(op="/", right=ast.Letter(name="partial")), right=x):
                if _text(text, x) == name:  # \partial L/\partial w: (\partial L / \partial) w
                    return True
            case ast.Sub(base=ast.Letter(name="nabla"), script=script):
                if _text(text, script) == name:
                    return True
            case ast.Juxt(right=ast.Call(args=args)) if _ends_nabla(n.left):
                if any(_text(text, a) == name for a in args):
                    return True
    return False


def _ends_nabla(node: ast.Node) -> bool:
    while isinstance(node, ast.Juxt):
        node = node.right
    return isinstance(node, ast.Letter) and node.name == "nabla"


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with a gradient step in place read so (module docstring); otherwise
    the statements as they were."""
    if re.search(r"\\breve\b", text):
        return statements
    for j, st in enumerate(statements):
        if type(st) is not ast.Definition:
            continue
        if not isinstance(st.lhs, ast.Letter | ast.Font | ast.Sub):
            continue
        if isinstance(st.lhs, ast.Sub) and not isinstance(st.lhs.script, ast.Number):
            continue  # w_t, W_{ij}: a step or an index (other rules); W_1 is a name
        name = _text(text, st.lhs)
        rhs = st.rhs
        if not (isinstance(rhs, ast.BinOp) and rhs.op in "+-" and len(rhs.op) == 1):
            continue
        if _text(text, rhs.left) != name or not derivative_wrt(text, rhs.right, name):
            continue
        if not only_line_with(text, statements, j, name):
            continue  # defined twice, or read elsewhere: which value is meant is not said
        shown = " ".join(text[st.lhs.span.start : st.lhs.span.end].split())
        return replaced(
            statements,
            j,
            said=(
                f"{shown} is written on both sides, and its right side steps {shown} along a "
                f"derivative with respect to {shown} (a gradient step): read as a program's "
                f"line, the new value (named with a breve on its letter, {shown}'s shape: a "
                f"value replaced in place keeps its shape) is computed from the value before "
                f"the step, {shown}, which no other equation reads (rule {RULE})"
            ),
            reading="update in place of a parameter (one gradient step)",
        )
    return statements
