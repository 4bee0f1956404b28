r"""Notation rule ``functions.edge-score-function``: a function the source names but never
defines, computing one number per edge from the two nodes' vectors: an attention mechanism.

What people write (GAT, Velickovic et al. 2018: "a shared attentional mechanism a computes
attention coefficients e_{ij} = a(W h_i, W h_j)"; Stanford CS224W's notes)::

    e_{vu} = a(W_k h_u^{k-1}, W_k h_v^{k-1})
    \alpha_{vu} = \frac{\exp(e_{vu})}{\sum_{k \in N(v)} \exp(e_{vk})}

How papermath reads it: a function defined nowhere is a learnable function, by default an
affine map of the concatenation of its arguments (``functions.i-a-b``). Where the equation
defines a value per edge (``e_{vu}``, v a node and u its neighbour) and the source already
says that value is one number (the words "attention coefficients e_{vu}", a declaration), the
map's output is that one number: ``a(x, y) = w^\top [x \| y] + b``, GAT's ``a^\top [W h_i \|
W h_j]`` with a bias. Only then: a function whose output is not yet known to be one number, or
that defines anything but a value per edge (a loss ``\ell(y, \hat y)`` is a number too, but no
affine map), keeps the vector reading, and a clash with a number is refused as before (define
the function with an equation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..read import terms as t
    from .infer import Inference


def scalar_score(inf: Inference, f: t.Learned) -> bool:
    """Whether ``f`` is the whole right side of an equation defining a value per edge that is
    already one number: its output is that number."""
    if inf.rank(f) != 0:
        return False
    return any(eq.rhs is f and eq.lhs.edge is not None for eq in inf.read.equations)
