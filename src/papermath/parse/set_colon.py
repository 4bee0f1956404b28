r"""Rule ``set-by-a-colon`` (a refusal): ``\{n' : \sum_{n=1}^{n'} h_t^n \geq 1 - \epsilon\}``, a
set written by a condition after a colon.

What people write (Lil'Log's adaptive computation time: the halting step is the least n'
whose cumulative halting probability passes a threshold)::

    N(t) &= \min(\min\{n': \sum_{n=1}^{n'} h_t^n \geq 1 -\epsilon\}, M) \\

How papermath reads it: not read. The set holds the values of n' for which a condition holds,
and the equation takes the least of them: a search, not a formula of values (papermath reads a
set of values over an index, ``\{h_j, j \in \mathcal{N}(i)\}``, as the argument of an
aggregator). Refused at the colon, with a hint to give what the search finds as data. Before
this rule the colon was "a character papermath cannot read", with a hint to read the docs.

Example (refused at the colon): ``N = \min\{n : \sum_{i=1}^{n} h_i \geq 1\}``.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from .set_builder import _OPEN_SET

RULE = "set-by-a-colon"

__all__ = ["RULE", "refusal"]


def refusal(ch: str, span: Span, text: str) -> ParseError | None:
    """The refusal of a colon inside an open set brace ``\\{ ... :`` (see the module)."""
    if ch != ":":
        return None
    start = max(0, span.start - 200)
    m = _OPEN_SET.search(text, start, span.start)
    if m is None or "\n" in text[m.start() : span.start]:
        return None
    extreme = re.search(r"\\(?:min|max|inf|sup)\s*+(?:\\left)?$", text[start : m.start()])
    why = (
        "taking the least or the greatest of them is a search, not a formula papermath computes"
        if extreme is not None
        else "papermath reads sets of values over an index, not sets by a condition"
    )
    return ParseError(
        "a set written by a condition after a colon (\\{n : ...\\}, the values for which the "
        f"condition holds) is not read: {why}",
        span=span,
        hint="give what the search finds as data (a line `% inputs: N`) and leave the line "
        "that defines it out; papermath reads a set of values over an index as an "
        "aggregator's argument, \\mathrm{mean}(\\{h_j, j \\in \\mathcal{N}(i)\\})",
    )
