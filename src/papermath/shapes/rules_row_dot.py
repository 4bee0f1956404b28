r"""Notation rule ``row-times-transposed-row``: in a product that starts with a row times a
matrix (``x W``, a lowercase vector before a capital letter: the source writes its vectors as
rows), a vector written transposed after it is a column, and the product is the dot product of
two rows: a number (the bilinear form of row vectors; Lil'Log's relative position score
``\mathbf{x}_i\mathbf{W}^q {\mathbf{W}^k}^\top\mathbf{x}_j^\top``, Shaw et al. 2018).

What people write::

    e = x W y^\top, x \in \mathbb{R}^{n}, y \in \mathbb{R}^{m}
    e = x W V^\top y^\top

How papermath reads it: ``x W`` is a row times a matrix (shapes/infer.py's ``vecmat``, by the
lowercase letter before the capital); the transpose of a row is a column, so ``(x W) y^\top``
is the dot product of the row ``x W`` and the row ``y``: a number, and the two rows have one
size (``e = x W y^\top`` reads e a number, W n x m). Read only where the left side IS such a
row (a product already read as a row times a matrix) and the right side is a lowercase letter
written transposed, open or a vector; a column times a transposed vector (``f c^\top``, with
no matrix before it) stays the outer product. Before this rule the row ``x W`` times the
``1 x m`` row ``y^\top`` was read by making the row's size 1 (W n x 1): a size the source
never gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference

READING = "dot"


def row_times_transposed(inf: Inference, p: t.Product) -> bool:
    """Read ``(x W) y^T`` as the dot product of the row ``x W`` and the row ``y`` (True);
    False where the rule does not apply."""
    if p.written != "juxt" or not isinstance(p.right, t.Transpose):
        return False
    if not isinstance(p.left, t.Product) or inf.decided.get(id(p.left)) != "vecmat":
        return False
    row, body = inf.shape(p.left), p.right.body
    if row is None or len(row) != 1 or not isinstance(body, t.Sym):
        return False
    if not body.key[:1].islower() or inf.rank(body) not in (None, 1):
        return False  # an open capital (W^T) may be a matrix: not this rule
    if inf.rank(body) is None:
        inf.bind(body, (inf.engine.fresh_size(),), p, "", "")
    inf.unify(
        p.left,
        body,
        p,
        f"the dot product of the rows {inf.snip(p.left)} and {inf.snip(body)}",
        "two rows multiplied as x y^T have one size; check the declarations of both",
    )
    inf.bind(p, (), p, "", "")
    inf.decided[id(p)] = READING
    inf.reasons[id(p)] = (
        f"{inf.snip(p.left)} is a row (a row times a matrix) and {inf.snip(p.right)} a row "
        "transposed, a column: their dot product, a number"
    )
    return True
