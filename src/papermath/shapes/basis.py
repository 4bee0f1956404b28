"""The shape rule of a sum over a basis (read/rules_basis.py): ``\\sum_{b=1}^{B} a_{rb} V_b``
has a member's shape, and ``a_{rb}`` is one number per pair only where the text says so
(R-GCN's "coefficients a_{rb}"): its shape is never taken from a letter's default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read import terms as t
from .sizes import shape_text

if TYPE_CHECKING:
    from .infer import Inference


def rule_basis_sum(inf: Inference, p: t.BasisSum) -> bool:
    from .engine import Stuck

    for x in t.walk(p.body):
        if not (isinstance(x, t.Sym) and x.basis == p.index and x.head is not None):
            continue
        shape = inf.shape(x)
        if shape is None and inf.mode != "default":
            raise Stuck
        if shape != ():
            said = "undecided" if shape is None else shape_text(shape)
            raise ShapeError(
                f"{inf.snip(x)} scales the members of a basis, but what it is the text does "
                f"not say ({said}): a number per pair, or a matrix",
                inf.source,
                x.span,
                hint=f"say it: 'the coefficients {inf.snip(x)}' or {inf.snip(x)} \\in "
                "\\mathbb{R}",
            )
    inf.unify(p, p.body, p, "", "")
    return True
