r"""Notation rule ``doubts.math-never-closed``: math that opens and is never closed.

What people write (or copy): an excerpt of a page or a notebook cut after its last formula but
before the delimiter that closes it: ``$$`` (also ``\[``, ``$``) opens display math and the text
ends inside it (a UvA DL tutorial's markdown cell: ``$$`` then ``\alpha_i = \frac{...}{...},
\hspace{5mm} \text{out} = \sum_i \alpha_i \cdot \text{value}_i`` and nothing after).

How papermath reads it: refused at the delimiter that opens the math ("$$ is never closed"),
with the hint to add the closing one. The text after it is prose or mathematics only as the
closing delimiter says, and where the formula ends is the author's to say; an environment left
open under an RST ``.. math::`` block is :mod:`papermath.parse.cut_end`'s. Without this rule
the refusal came at the end of the text, past its last character ("the input ends in the middle
of an expression"), with no caret on anything written.

Example (refused at ``$$``): ``The weights are: $$ \alpha = W x``.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

__all__ = ["refusal"]

# the delimiters of math, in the order the grammar reads them: \[ \] \( \) $$ $ (not \$)
_DELIMITER = re.compile(r"\\\[|\\\]|\\\(|\\\)|(?<!\\)\$\$|(?<!\\)\$")
_CLOSES = {"$$": "$$", "$": "$", "\\[": "\\]", "\\(": "\\)"}
# the grammar's names of the closing delimiters it can expect where the text ends
_EXPECTED = {"_DDOLLAR", "_DOLLAR", "_DISPLAY_CLOSE", "_INLINE_CLOSE"}


def refusal(text: str, expected: set[str]) -> ParseError | None:
    """Where the text ends inside math the grammar expects closed: the refusal at its opening
    delimiter (see the module), else None."""
    if not expected & _EXPECTED:
        return None
    opened: re.Match[str] | None = None
    for m in _DELIMITER.finditer(text):
        if opened is None:
            if m.group() in _CLOSES:
                opened = m
        elif m.group() == _CLOSES[opened.group()]:
            opened = None
    if opened is None:
        return None
    shown, closing = opened.group(), _CLOSES[opened.group()]
    return ParseError(
        f"{shown} is never closed: the math it opens runs to the end of the text (an excerpt "
        f"cut before its closing {closing}?), and where the formula ends is not said",
        span=Span(opened.start(), opened.end()),
        hint=f"add the closing {closing} where the formula ends",
    )
