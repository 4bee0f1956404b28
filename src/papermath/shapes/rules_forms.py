"""The shape of a value given in several forms (read/rules_flag_forms.py, rule
``forms-of-a-flag``): every form has the value's shape. Forms whose shapes the source fixes
apart (a different number of axes, or two sizes the source names differently) are no forms
of one value: refused, never solved to one shape."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read import terms as t
from .engine import Stuck

if TYPE_CHECKING:
    from .infer import Inference


def _named(size: object) -> str | None:
    """A size the source names (not one papermath made up, ``?3``), as text."""
    text = str(size)
    return None if "?" in text else text


def rule(inf: Inference, a: t.Apply) -> bool:
    shapes = [inf.shape(x) for x in a.args]
    if any(s is None for s in shapes) and inf.mode != "default":
        raise Stuck  # other rules may shape the forms first
    known = [(x, s) for x, s in zip(a.args, shapes, strict=True) if s is not None]
    for (x, s), (y, r) in itertools.pairwise(known):
        named = [
            (_named(inf.engine.resolve_size(p)), _named(inf.engine.resolve_size(q)))
            for p, q in zip(s, r, strict=False)
        ]
        if len(s) != len(r) or any(p and q and p != q for p, q in named):
            raise ShapeError(
                f"the forms {inf.snip(x)} and {inf.snip(y)} of one value have different shapes "
                f"({inf.shown(x)} and {inf.shown(y)})",
                inf.source,
                a.span,
                hint="read one form: write the one the model uses as the value's own equation",
            )
    for x in a.args:
        inf.unify(a, x, a, "the forms of one value", "each form has the value's shape")
    return True
