r"""Notation rule ``juxtaposed-dot-by-shapes``: two vectors written side by side (``u v``, no
operator) where the shapes leave one number as the only fit: their dot product.

What people write (a capsule network's routing update, "the agreement" of the prediction
\hat{u}_{j|i} and the output v_j, in Chinese notes and blog posts on Sabour et al. 2017)::

    b'_{ij} = b_{ij} + \hat{u}_{j|i} v_j

By the conventions, juxtaposition of two vectors of one size is their elementwise product
(as Graves writes ``f_t c_{t-1}``). Here the left side is one number per pair (b', of b's
shape, read/rules_pairs.py routing-iteration), so the sum is a number and so is the product:
no elementwise product, matrix product or scaling fits. The dot product (``u^\top v``) is the
only product of two vectors that gives one number, and the shapes decide it, as they decide
any product written without an operator; the readings say so.

Only where no other reading of the juxtaposition fits, and one side is a vector and the other
a vector (or of a shape nothing fixed yet, which the dot product makes the same vector).
The same juxtaposition of a value per pair written again in the source (``a_{ij} =
\hat{u}_{j|i} v_j``, "the agreement", beside the update) is the same product: read as a dot
product too; where the other one was read elementwise first, neither is forced (refused: no
product fits).

Example (reads; b' a number)::

    b' = b + u v, b \in \mathbb{R}, u \in \mathbb{R}^{d}, v \in \mathbb{R}^{d}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read import terms as t
from .engine import Stuck

if TYPE_CHECKING:
    from .infer import Inference

RULE = "juxtaposed-dot-by-shapes"


def forced(inf: Inference, p: t.Product) -> bool:
    """Take the dot product of ``u v`` where no reading of the juxtaposition fits and the dot
    product does (module docstring); True where taken."""
    if p.written != "juxt":
        return False
    ranks = (inf.rank(p.left), inf.rank(p.right))
    if 1 not in ranks or any(r not in (None, 1) for r in ranks):
        return False
    if any(inf.decided.get(id(q)) not in (None, "dot") for q in _twins(inf, p)):
        return False  # the same product read otherwise elsewhere: refused, never both
    if not inf.fits(p, "dot", strict=True):
        return False
    inf.settle(
        p,
        "dot",
        (
            f"{inf.snip(p.left)} and {inf.snip(p.right)} are vectors written side by side where "
            "the shapes need one number: no elementwise product, matrix product or scaling fits, "
            f"and the dot product is the only product of two vectors that gives one (rule {RULE}, "
            "shapes/rules_juxt_dot.py)"
        ),
    )
    return True


def _twins(inf: Inference, p: t.Product) -> list[t.Product]:
    """The other juxtapositions written as ``p`` is (the same text, spaces aside)."""
    text = "".join(inf.snip(p).split())
    return [
        q
        for eq in inf.read.equations
        for q in t.walk(eq.rhs)
        if isinstance(q, t.Product)
        and q is not p
        and q.written == "juxt"
        and "".join(inf.snip(q).split()) == text
    ]


def twin(inf: Inference, p: t.Product) -> bool:
    """``a_{ij} = \\hat{u}_{j|i} v_j`` where the same juxtaposition elsewhere was read as a
    dot product (forced): the same product here (True where taken). Before the defaults,
    a juxtaposition of two vectors with an undecided twin waits (Stuck), so that the twin the
    shapes force decides both."""
    if p.written != "juxt" or id(p) in inf.decided:
        return False
    ranks = (inf.rank(p.left), inf.rank(p.right))
    if 1 not in ranks or any(r not in (None, 1) for r in ranks):
        return False
    if not any(isinstance(x, t.Sym) and x.node and x.edge for x in (p.left, p.right)):
        return False  # only a value per pair's agreement (\hat{u}_{j|i} v_j) waits for its twin
    twins = _twins(inf, p)
    if not twins:
        return False
    if any(inf.decided.get(id(q)) == "dot" for q in twins):
        if not inf.fits(p, "dot", strict=True):
            return False
        inf.settle(
            p,
            "dot",
            (
                f"the same product {inf.snip(p)} is written elsewhere in the source where only "
                f"one number fits (a dot product): one written product, one reading (rule {RULE}, "
                "shapes/rules_juxt_dot.py)"
            ),
        )
        return True
    if inf.mode != "default" and any(id(q) not in inf.decided for q in twins):
        raise Stuck
    return False
