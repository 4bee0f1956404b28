r"""Notation rule ``otimes-defined``: the source defines ``\otimes`` as the outer product, in its
own notation, ``a \otimes b = a b^\top``; then ``u \otimes v`` everywhere in it is ``u v^\top``.

What people write: labml's fast weights, "$\otimes$ is the outer product ($a \otimes b = a
b^\top$)", beside ``W^{(i)} = \sigma(W^{(i-1)} + a^{(i)} \otimes b^{(i)})``. Papers use
``\otimes`` for the outer, the Kronecker and the Hadamard product, so without a word from the
source papermath refuses it; a definition of the operator by its two operands is that word.

How papermath reads it: the definition (two distinct letters on the left, ``\otimes`` between
them; on the right the first letter times the transpose of the second, ``^\top``, ``^T`` or
``^\intercal``) is notation, not an equation of the model: it defines no value, and is left out.
Every other ``x \otimes y`` is read as ``x y^\top``, exactly as the source defines it (for two
vectors: the outer product, a matrix), and the readings cite the definition.

Only that definition is read; ``a \otimes b = a \odot b`` and prose alone ("$\otimes$ is the
outer product") stay refused (`% papermath: otimes is hadamard` says Hadamard).

Examples that read: ``a \otimes b = a b^\top`` beside ``W = u \otimes v``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

OUTER = "outer"  # the value of reader.out.directives["otimes"] once the source defines it


def _letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def _transposed(node: ast.Node) -> str | None:
    """``b^\\top``, ``b^T``, ``b^\\intercal``: the letter b, else None."""
    if not isinstance(node, ast.Sup):
        return None
    script = node.script
    while isinstance(script, ast.Brace) and len(script.items) == 1:
        script = script.items[0]
    if (isinstance(script, ast.Mark) and script.mark == "transpose") or (
        isinstance(script, ast.Letter) and script.name == "T"
    ):
        return _letter(node.base)
    return None


def is_definition(s: ast.Statement) -> bool:
    """``a \\otimes b = a b^\\top``: the source's definition of the operator."""
    if not isinstance(s, ast.Definition) or s.decl is not None or s.claims:
        return False
    lhs, rhs = s.lhs, s.rhs
    if not (isinstance(lhs, ast.BinOp) and lhs.op == "otimes" and isinstance(rhs, ast.Juxt)):
        return False
    a, b = _letter(lhs.left), _letter(lhs.right)
    return (
        a is not None
        and b is not None
        and a != b
        and (_letter(rhs.left), _transposed(rhs.right)) == (a, b)
    )


def definitions(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements without the definitions of ``\\otimes``; each found sets the reading."""
    out: list[ast.Statement] = []
    for s in statements:
        if is_definition(s):
            reader.out.directives["otimes"] = OUTER
            reader.note(
                s.span,
                "definition of \\otimes",
                "the source defines the operator by two letters: every x \\otimes y is x y^T "
                "(the outer product of two vectors); the line defines no value of the model",
            )
            continue
        out.append(s)
    return out


def outer(reader: Reader, node: ast.BinOp, a: t.Term, b: t.Term) -> t.Term:
    """``x \\otimes y`` read as the source defines it: ``x y^\\top``."""
    reader.note(
        node.op_span,
        "outer product",
        "\\otimes as the source defines it (a \\otimes b = a b^T): the left side times the "
        "transpose of the right",
    )
    return t.Product(
        node.span,
        "juxt",
        a,
        t.Transpose(node.right.span, b),
        Span(node.op_span.start, node.op_span.end),
    )
