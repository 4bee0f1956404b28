r"""Notation rule ``bar-concat-matrices``: ``[X \| A X]``, ``\big[\textrm{AGGREGATE}(\X) \|
\X\big]``: a double bar between two matrices joins them side by side, along the feature (last)
axis.

What people write: graph libraries write concatenation with a double bar (parse/bars.py), and
on their node matrices (one row per node, one column per feature) it joins the features:
Spektral's GraphSageConv ``\X' = \big[ \textrm{AGGREGATE}(\X) \| \X \big] \W + \b`` (the prose:
"[AGGREGATE(X) || X] concatenates along features", W then 2F x F'), MixHop's ``[X \| \hat A
X \| \hat A^2 X]``. Stacking the rows (2N x F) would join the nodes of two graphs: another
model, and ``W`` would not fit.

How papermath reads it: two or more matrices joined by ``\|`` (or ``\Vert``) keep their rows
(the same number, the nodes) and add their columns: N x F and N x G give N x (F + G); vectors
joined by the bar are as before (one vector, the sizes added). Brackets with semicolons
(``[A; B]``, a column of blocks) still stack the rows. Code joins the last axis
(``np.concatenate(..., axis=-1)``); the reading says so.

Examples that read: ``Y = [X \| A X] W`` with ``X \in \mathbb{R}^{N \times F}``, ``A \in
\mathbb{R}^{N \times N}``, ``Y \in \mathbb{R}^{N \times G}`` (W is 2F x G).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read import terms as t
from .engine import Clash
from .sizes import Shape, Size

if TYPE_CHECKING:
    from .infer import Inference

RULE = "bar-concat-matrices"


def join(inf: Inference, c: t.Concat, shapes: list[Shape], axis: int) -> bool:
    """Bind ``c``, matrices joined along ``axis``, to their shared size on the other axis and
    the sum of theirs on ``axis``: side by side by ``\\|`` (axis 1, this rule), or stacked
    (axis 0, ``[A; B]``: shapes/infer.py ``rule_concat``)."""
    keep = 1 - axis
    if axis == 1:
        need = "matrices joined side by side by \\| need the same number of rows"
        said = " (matrices side by side, along their columns)"
    else:
        need, said = "stacked matrices need the same number of columns", ""
    for item in c.items[1:]:
        try:
            inf.engine.unify_size(shapes[0][keep], (inf.shape(item) or ())[keep], c.span)
        except Clash:
            raise inf.clash(
                Clash(shapes[0], inf.shape(item), ""), c.span, list(c.items), need, ""
            ) from None
    total = Size.const(0)
    for s in shapes:
        total = total + s[axis]
    shape = (shapes[0][0], total) if axis == 1 else (total, shapes[0][1])
    inf.bind(c, shape, c, f"the concatenation {inf.snip(c)}{said}", "")
    return True
