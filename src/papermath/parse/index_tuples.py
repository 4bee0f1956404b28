r"""Notation rule ``multi-index-tuple``: an index written as the tuple of the indices it stands
for, refused with what it is.

What people write (labml's introduction to normalisation layers)::

    For instance, when it's 2D images
    $i = (i_N, i_C, i_H, i_W)$ is a 4-d vector for indexing

``i`` is a multi-index (one index per axis: the image in the batch, the channel, the row, the
column), so ``x_i`` is one entry of a 4-d tensor and the statistics ``\mu_i`` run over a set
of such indices. papermath reads an index over one axis (``x_i`` the entry i of a vector, the
node i, the step t); a multi-index, and the sums over sets of them it goes with, are not read.
The refusal (caret on the first comma) says that, instead of the generic "a tuple on the right
side" (an optimiser's state named as a whole, ``S_t \leftarrow (m_t, v_t)``).

It fires where the tuple's first item is the left side's own letter with a subscript
(``i = (i_N, ...``); any other tuple on the right side keeps the generic refusal.

Example (refused)::

    $i = (i_N, i_C, i_H, i_W)$
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

__all__ = ["refusal"]

_MULTI = re.compile(
    r"(?<![\\A-Za-z])(?P<i>[A-Za-z])\s*=\s*\(\s*(?P=i)\s*_\s*\{?\s*[A-Za-z0-9]+\s*\}?\s*$"
)


def refusal(before: str, comma: int) -> ParseError | None:
    """The refusal for the comma at ``comma`` after ``before`` (the line's math up to it), where
    the tuple is a multi-index (see the module), else None."""
    m = _MULTI.search(before)
    if m is None:
        return None
    i = m.group("i")
    written = " ".join(before[m.start() :].split())
    return ParseError(
        f"{written}, ...): an index written as the tuple of the indices it stands for (a "
        f"multi-index, one index per axis, so x_{i} is one entry of a tensor) is not read: "
        "papermath reads an index over one axis (an entry, a node, a step)",
        span=Span(comma - (len(before) - m.start()), comma + 1),
        hint="leave the multi-index in prose, outside the math, and write the formula over one "
        "axis: for the features of one example, x \\in \\mathbb{R}^{C} and "
        "\\mu = \\frac{1}{C} \\sum_{c=1}^{C} x_c",
    )
