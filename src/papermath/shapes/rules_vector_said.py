r"""Rule ``prose-sizes`` (its products): the prose calls the first factor of a product written
with nothing between (``wx``) a vector, "w is the weights vector", "a weights vector w", and the
second factor is a vector too.

Two vectors written side by side are a dot product (``w^T x`` with the transpose left out, one
number: a perceptron's ``wx``) as often as an elementwise product (a vector), and the prose that
says w is a vector does not say which: refused by name, the hint the two spellings that decide.
A product the shapes read otherwise (w a matrix, a scalar) is not touched, nor one whose
operator is written (``\odot``, ``\cdot``).

Example (refused at wx)::

    f(x) = wx + b

    where w is the weights vector and x is the input vector of size N.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference

__all__ = ["refusal"]


def refusal(inf: Inference, p: t.Product, reading: str) -> ShapeError | None:
    """The refusal of ``wx`` read elementwise where the prose calls w a vector; else None."""
    if reading != "hadamard" or p.written != "juxt":
        return None
    key = p.left.key if isinstance(p.left, t.Sym) else ""  # w, not w^T
    said = inf.read.vector_words.get(key)
    if said is None or inf.rank(p.right) not in (None, 1):
        return None
    left, right = inf.snip(p.left), inf.snip(p.right)
    return ShapeError(
        f"cannot decide what {inf.snip(p)} is: the prose calls {left} a vector "
        f"(\u201c{said}\u201d) and {right} is a vector: side by side they could be the dot "
        f"product (one number, {left}^T {right}) or the elementwise product (a vector); "
        "the prose does not say which",
        inf.source,
        p.span,
        hint=f"write {left}^T {right} for the dot product or {left} \\odot {right} for the "
        "elementwise product",
    )
