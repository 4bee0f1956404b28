r"""Notation rule ``range-chain`` (a refusal): ``0 \leq y \leq N-1``, ``1 \le i \le n``, a value
between two bounds: the range a label or an index takes (a Jianshu post on PyTorch's
MultiMarginLoss: "其中，$0 \leq y \leq N -1$ 表示标签", y is the label).

How papermath reads it: not. It states which values a symbol takes, not an equation, and
papermath does not tie such a statement to a size (a label's range is the size of what it
picks from; an index's range the size of its axis), so it refuses at the first relation with
words that say so, instead of "an inequality is not an equation" and a hint to write ``=``.
The hint says what reads: the size declared (``x \in \mathbb{R}^{N}``) or the sum's limits.

Example (refused at the first ``\leq``): ``0 \leq y \leq N - 1``.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

RULE = "range-chain"

__all__ = ["RULE", "refusal"]

_REL = r"\\(?:leq|le|geq|ge)(?![A-Za-z])|<=?|>=?"
_SYMBOL = r"(?:\\[A-Za-z]+\s*\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z0-9]+\}?)?"
# `0 \leq y \leq N -1` around the first relation: a bound, the relation, a symbol, another
_AFTER = re.compile(rf"\s*(?P<symbol>{_SYMBOL})\s*(?:{_REL})\s*[^\s$=]")
_BEFORE = re.compile(r"(?:[0-9]+|[A-Za-z]|-\s*[0-9]+)\s*$")


def refusal(name: str, span: Span, text: str) -> ParseError | None:
    """The refusal of the first relation of ``a \\leq y \\leq b``; None elsewhere."""
    if name not in ("leq", "le", "geq", "ge"):
        return None
    m = _AFTER.match(text, span.end)
    if m is None or _BEFORE.search(text, max(0, span.start - 12), span.start) is None:
        return None
    symbol = m.group("symbol")
    return ParseError(
        f"a range of values between two bounds ({symbol} between them): it says which values "
        f"{symbol} takes (a label's classes, an index's positions), not an equation; papermath "
        "does not read a size from it",
        span=span,
        hint="declare the size it counts instead (x \\in \\mathbb{R}^{N} for the vector a "
        "label picks from, or the sum's limits \\sum_{i=1}^{N}), and say the range in prose",
    )
