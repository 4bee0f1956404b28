r"""Notation rule ``dot-added-to-a-vector``: a ``\cdot`` between two vectors of one size, read as
their dot product (a number), whose number a sum then adds to a vector.

What people write (an LSTM's cell state, a README's notes)::

    c_t = f_t \cdot c_{t-1} + i_t * g_t

Read as written by the conventions (``\cdot`` of two vectors of equal size is the dot
product, a scalar side of a sum broadcasts), the forget gate would be summed into one number
and that number added to every entry of ``i_t * g_t``: it compiles, and it is another model
(the source means the elementwise product, as ``*`` beside it). Where the text says nothing
else, the two readings give the same shapes, so the shapes cannot decide: papermath refuses
at the product and asks for ``\odot`` (elementwise) or ``a^\top b`` (the dot product).

A dot product added to a number (``w \cdot x + b``, b a scalar) is read as before.

Where the sum's shape is fixed as a vector before the product is read (a recurrence's state,
``c_t`` of the shape of ``c_{t-1}``), the dot product's number does not fit it and ``\cdot``
is no elementwise product by the conventions, so no reading fits: that is the same question,
refused the same way (:func:`dot_as_elementwise`), not "no product fits". Where the left side
is declared a vector and every vector term of its sum is such a ``\cdot`` (Highway Networks'
``y = H \cdot T + x \cdot (1 - T)``), the declarations leave only the elementwise product:
read so by shapes/rules_dot_elementwise.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference


def dot_added_to_vector(inf: Inference, a: t.Add) -> ShapeError | None:
    """The refusal for a sum of a ``\\cdot`` dot product and a vector, or None."""
    for side, other in ((a.left, a.right), (a.right, a.left)):
        if not isinstance(side, t.Product) or inf.decided.get(id(side)) != "dot":
            continue
        if side.written not in ("cdot", "."):
            continue
        rank = inf.rank(other)
        if rank is None or rank == 0:
            continue
        left, right = inf.snip(side.left), inf.snip(side.right)
        return ShapeError(
            f"{inf.snip(side)} between two vectors of one size, added to "
            f"{inf.snip(other)} {inf.shown(other)}: read as the dot product, one number "
            "added to every entry, or as the elementwise product (as LSTMs write "
            "f_t \\cdot c_{t-1})? the shapes fit both, and papermath does not guess",
            inf.source,
            side.span,
            hint=f"write {left} \\odot {right} for the elementwise product, or "
            f"{left}^\\top {right} for the dot product",
        )
    return None


def dot_as_elementwise(inf: Inference, p: t.Product) -> ShapeError | None:
    """The refusal for ``a \\cdot b`` of vectors of one size (or one of unknown shape) whose
    value must be a vector (no product of ``\\cdot`` fits it), or None."""
    if p.written not in ("cdot", "."):
        return None
    ranks = (inf.rank(p.left), inf.rank(p.right))
    if 1 not in ranks or any(r not in (None, 1) for r in ranks) or inf.rank(p) not in (None, 1):
        return None
    if ranks == (1, 1) and inf.shown(p.left) != inf.shown(p.right):
        return None  # vectors of two sizes: no elementwise product either ("no product fits")
    left, right = inf.snip(p.left), inf.snip(p.right)
    return ShapeError(
        f"{inf.snip(p)}: no reading of \\cdot fits here: between two vectors it is the dot "
        "product by the conventions, one number, which does not fit where its value is used; "
        "the source may mean the elementwise product (as LSTMs write f_t \\cdot c_{t-1}), "
        "and papermath does not guess",
        inf.source,
        p.span,
        hint=f"write {left} \\odot {right} for the elementwise product, or "
        f"{left}^\\top {right} for the dot product",
    )
