r"""Notation rule ``computed-row-bias``: a bias that an equation computes as one row, from rows
the source declares, added to a matrix of n rows (d2l's MLP collapsed to one layer:
``\mathbf{b} = \mathbf{b}^{(1)} \mathbf{W}^{(2)} + \mathbf{b}^{(2)}`` with ``\mathbf{b}^{(1)}
\in \mathbb{R}^{1 \times h}``, then ``\mathbf{O} = \mathbf{X} \mathbf{W} + \mathbf{b}``).

What people write: the row-bias convention of a sample-first book (``X W + b``, b a 1 x q
row, broadcast to each of the n rows of X W), where the bias is not declared itself but
computed from declared rows.

How papermath reads it: as the declared row bias is read (shapes/infer.py ``add_row_bias``):
the row goes to every row of the matrix, as NumPy and PyTorch broadcast it; the matrix's rows
are never solved to 1. The computed value's 1 is the source's own (each row it is computed
from is declared with its 1): papermath never solves a size to 1, so a computed shape whose
first size is the number 1 has it from a declaration or a literal the source writes. The
readings say so. A computed value whose rows are still open is not such a row (the sum is
read, or refused, as before), and an expression counts only where it is computed from a row
declared with its 1 and transposes nothing (``x^\top W + B``, one example's row beside a
matrix of n rows, stays refused: a broadcast, or n = 1, the source says neither).

Example (reads; b is 1 x q, added to each of the n rows of X W)::

    X \in \mathbb{R}^{n \times d}, W \in \mathbb{R}^{d \times q}, c \in \mathbb{R}^{1 \times q}
    b = c + c
    O = X W + b
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read import terms as t
from .sizes import Shape, Size

if TYPE_CHECKING:
    from .infer import Inference

RULE = "computed-row-bias"


def computed_row(inf: Inference, side: t.Term) -> Shape | None:
    """The shape of ``side`` where it is a row the source computes (1 x h, the 1 the source's
    own): a symbol an equation defines (not declared), or an expression (``b^{(1)} W^{(2)}``,
    a declared row times a matrix); else None. A declared symbol is the declared row bias's
    own case (shapes/infer.py ``row_bias``)."""
    if isinstance(side, t.Sym) and (side.key not in inf.defined or side.key in inf.declared_shape):
        return None
    if not isinstance(side, t.Sym) and not _from_declared_rows(inf, side):
        return None  # x^T W: one example's row beside a matrix of n rows (n = 1?): not a bias
    shape = inf.shape(side)
    if shape is None or len(shape) != 2:
        return None
    if inf.engine.resolve_size(shape[0]) != Size.const(1):
        return None
    return shape


def _from_declared_rows(inf: Inference, side: t.Term) -> bool:
    """Whether an expression computes its row from a row the source declares with its 1
    (``b^{(1)} W^{(2)}``, b^{(1)} in R^{1 x h}), not from a transposed vector (``x^T W``)."""
    one = Size.const(1)
    nodes = list(t.walk(side))
    if any(isinstance(x, t.Transpose) for x in nodes):
        return False
    return any(
        isinstance(x, t.Sym)
        and len(got := inf.declared_shape.get(x.key, ())) == 2
        and got[0] == one
        for x in nodes
    )


def row_term(inf: Inference, a: t.Add) -> t.Term | None:
    """The side of the sum ``a`` that is a computed row (see the module) while the other side
    is a matrix of more than one row; else None."""
    for side, other in ((a.left, a.right), (a.right, a.left)):
        if computed_row(inf, side) is None:
            continue
        shape = inf.shape(other)
        if shape is None or len(shape) != 2:
            continue
        if inf.engine.resolve_size(shape[0]) == Size.const(1):
            continue
        return side
    return None


def said(inf: Inference, bias: t.Term) -> str:
    """How the reading names the row: declared, or computed from declared rows."""
    if isinstance(bias, t.Sym) and bias.key in inf.declared_shape:
        return "is declared"
    return f"is computed from declared rows (rule {RULE}) as"
