r"""Notation rule ``sibling-weights``: weights written with one letter and different labels,
before one operator, are one kind of thing: where the shapes force one to be a matrix, the
others the shapes leave open are matrices too.

What people write (PyTorch's 2017 ``nn.RNN`` docstring, where ``*`` is the matrix product;
Haiku's ``VanillaRNN`` with lower-case weights)::

    h_t = \tanh(w_{ih} * x_t + b_{ih}  +  w_{hh} * h_{(t-1)} + b_{hh})

    % x_t \in \mathbb{R}^{d}, h_t \in \mathbb{R}^{H}

``w_{ih} * x_t`` takes a d-vector to an H-vector: only a matrix product does that, so
``w_{ih}`` is an H x d matrix. ``w_{hh} * h_{(t-1)}`` takes an H-vector to an H-vector, which
a scalar, an elementwise product and a matrix product all do; the letter's convention alone
(a lowercase letter is a vector) would read it elementwise, another model than the source's.

How papermath reads it: a lowercase weight ``w_{hh}`` (a letter with a label, defined by no
equation, declared by nothing) that stands on the left of a product with a vector, where the
same letter with another label (``w_{ih}``) stands on the left of the same operator (``*``
here, or juxtaposition) with a vector and the shapes (not a convention) made it a matrix:
``w_{hh}`` is a matrix, and the product a matrix product. The reading names the sibling and
its product. Where no sibling is forced, the letter's convention stands (and a declaration
overrides both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..letters import GREEK_LOWER
from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference

RULE = "sibling-weights"


def _left_of_vector(inf: Inference, key: str) -> list[t.Product]:
    """The products in which the symbol ``key`` stands alone on the left of a vector."""
    out = []
    for eq in inf.read.equations:
        for x in t.walk(eq.rhs):
            if (
                isinstance(x, t.Product)
                and isinstance(x.left, t.Sym)
                and x.left.key == key
                and inf.rank(x.right) == 1
            ):
                out.append(x)
    return out


def _by_convention(inf: Inference, key: str) -> bool:
    span = inf.read.first_span.get(key)
    return any(r.span == span and r.reading == "shape by convention" for r in inf.read.readings)


def matrix_like(inf: Inference, key: str) -> str | None:
    """Why the open weight ``key`` is a matrix (module docstring), or None."""
    letter, _, label = key.partition("_")
    if not label or letter in GREEK_LOWER or not letter.islower() or len(letter) != 1:
        return None
    if key in inf.defined:
        return None
    mine = _left_of_vector(inf, key)
    if not mine:
        return None
    ops = {p.written for p in mine}
    for other in sorted(inf.sym_var):
        o_letter, _, o_label = other.partition("_")
        if o_letter != letter or not o_label or other == key or other in inf.defined:
            continue
        if inf.engine.rank(inf.sym_var[other]) != 2:
            continue
        if _by_convention(inf, other):
            continue
        for p in _left_of_vector(inf, other):
            if p.written in ops and id(p) in inf.done:
                return (
                    f"a lowercase letter, but {other} (the same letter, another label) stands "
                    f"before the same operator in {inf.snip(p)}, where the shapes make it a "
                    f"matrix: weights of one letter are one kind of thing, so {key} is a matrix "
                    f"({RULE})"
                )
    return None
