# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``eigenvalue-of-a-matrix``: the largest (or smallest) eigenvalue of a matrix,
written as a function of it, where the prose says so,

    $\tilde{L}$ is the normalized Laplacian defined using the largest eigenvalue of $L$: $$\tilde{L} = \frac{2L}{\lambda_{\max}(L)} - I_n$$

(Distill's "Understanding Convolutions on Graphs", ChebNet's rescaled Laplacian).

What it is: one number computed from the whole square matrix by an eigendecomposition, not a
learnable function of it (which a letter applied to a value is otherwise read as). Without
the prose that names the eigenvalue, ``\lambda_{\max}(L)`` stays refused (parse/eigenvalues.py).

How papermath reads it: a number (a scalar), of a square matrix (its argument n x n), for
shapes, kinds, explain and the diagram; the readings quote the prose. ``code`` refuses at it:
papermath generates no eigendecomposition, and a value given in its place (``\lambda_{\max}``
without the argument, a number supplied with L, as PyG's ChebConv takes ``lambda_max``) is
another model only in that its dependence on L is not differentiated: the hint says so.

Example (reads; L n x n)::

    the largest eigenvalue of $L$: $$M = \frac{2L}{\lambda_{\max}(L)} - I_n, L \in \mathbb{R}^{n \times n}$$
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.eigenvalues import said_eigenvalue
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

RULE = "eigenvalue-of-a-matrix"
WHICH = {"max": "largest", "min": "smallest"}


def _which(script: ast.Node) -> str | None:
    """``\\max``, ``max``, ``\\text{max}`` -> "max"; else None."""
    while isinstance(script, ast.Brace | ast.ScriptList) and len(script.items) == 1:
        script = script.items[0]
    match script:
        case ast.FunctionName(name=name) | ast.Letter(name=name) | ast.Text(content=name):
            return name.strip() if name.strip() in WHICH else None
        case ast.Font(body=body):
            return _which(body)
    return None


def term(reader: Reader, node: ast.Node) -> t.Term | None:
    """``\\lambda_{\\max}(L)`` where the prose names the eigenvalue: t.Eigenvalue; else None."""
    if not (
        isinstance(node, ast.Call)
        and len(node.args) == 1
        and isinstance(node.func, ast.Sub)
        and isinstance(node.func.base, ast.Letter)
        and node.func.base.name == "lambda"
        and (which := _which(node.func.script)) is not None
    ):
        return None
    words = said_eigenvalue(reader.source.text, reader.source.snippet(node.args[0].span))
    if words is None:
        return None
    written = " ".join(reader.source.snippet(node.span).split())
    reader.note(
        node.span,
        f"the {WHICH[which]} eigenvalue of a matrix",
        f"the source says '{words}': {written} is one number computed from the square matrix "
        "by an eigendecomposition, not a learnable function of it; read for its shape (code "
        "asks for it as a number)",
    )
    return t.Eigenvalue(node.span, reader.term(node.args[0]), which)
