r"""Notation rule ``zero-padded-first-value``: ``h_i^{(0)} = x_i \| \mathbf{0}`` beside a
recurrence in the state h: the state's first value is the input padded with zeros to the
state's width.

What people write: PyG's GatedGraphConv ``\mathbf{h}_i^{(0)} = \mathbf{x}_i \, \Vert \,
\mathbf{0}`` ("the number of input channels of x_i needs to be less or equal than
out_channels"), Spektral's GatedGraphConv ``\h^{(0)}_i = \x_i \| \mathbf{0}``, Li et al.'s
GG-NN ``h_v^{(1)} = [x_v^\top, \mathbf{0}]^\top``.

How papermath reads it: the first value is tied to a value of its own (read/rules_initial_tie.py:
``h_init``, one per node where the state is one per node), and that value is the input with a
block of zeros after it. The zero block has no width of its own: it is the state's width
minus the input's (a size difference; the state's width stays free, the input's too). The
generated code concatenates the input with ``zeros`` of that width (ir/zero_pad.py); where
the sizes given make the input wider than the state, the code is refused at the construct
(the block would be negative). Said in the readings.

Only a value followed by a zero block (``a \| \mathbf{0}``); a zero block first, or zeros
between values, stay refused (read/rules_initial.py).

Example that reads::

    h_i^{(0)} = x_i \| \mathbf{0}
    h_i^{(l+1)} = \tanh(\sum_{j \in \mathcal{N}(i)} W h_j^{(l)})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .syntax import is_zero

if TYPE_CHECKING:
    from .reader import Reader

RULE = "zero-padded-first-value"
_MARKS = "_zero_pads"  # the ids of the AST nodes read as padded values, on the reader


def padded_body(rhs: ast.Node) -> ast.Node | None:
    """The value ``rhs`` pads with zeros: ``a \\| \\mathbf{0}``, ``[a; \\mathbf{0}]``,
    ``[a^\\top, \\mathbf{0}]^\\top`` give ``a``; anything else None."""
    match rhs:
        case ast.BinOp(op="concat", left=left, right=right) if is_zero(right):
            body: ast.Node | None = left
        case ast.Bracket(items=(left, right), sep=";") if is_zero(right):
            body = left
        case ast.Bracket(items=(inner,)) | ast.Paren(body=inner):
            return padded_body(inner)  # [x_i \\| \\mathbf{0}]
        case ast.Sup(
            base=ast.Bracket(items=(ast.Sup(base=left, script=ast.Mark(mark="transpose")), right)),
            script=ast.Mark(mark="transpose"),
        ) if is_zero(right):
            body = left  # [x_v^\top, \mathbf{0}]^\top: a row, transposed (Li et al.)
        case _:
            body = None
    return None if body is None or is_zero(body) else body


def mark(reader: Reader, rhs: ast.Node) -> bool:
    """Whether the first value ``rhs`` pads a value with zeros (then marked, and said)."""
    body = padded_body(rhs)
    if body is None:
        return False
    marks: dict[int, ast.Node] = reader.__dict__.setdefault(_MARKS, {})
    marks[id(rhs)] = body
    written = " ".join(reader.source.snippet(body.span).split())
    reader.note(
        rhs.span,
        "padded with zeros",
        f"{written} followed by a block of zeros: the first value is {written} padded with "
        f"zeros to the state's width (the zero block is the state's width minus {written}'s; "
        f"the code refuses sizes that make {written} wider than the state)",
    )
    return True


def term(reader: Reader, node: ast.Node) -> t.Term | None:
    """The padded value of a marked first value, else None."""
    marks: dict[int, ast.Node] = reader.__dict__.get(_MARKS, {})
    body = marks.get(id(node))
    return None if body is None else t.Padded(node.span, reader.term(body))
