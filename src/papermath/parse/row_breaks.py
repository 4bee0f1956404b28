r"""Notation rule ``doubts.row-break-after-comma``: a row break ``\\`` where no row ends.

What people write: a display whose rows continue one expression (``& + ...``) but whose rows
end with a comma, as a list would (Chainer's TreeLSTM docstring)::

    c &= \tanh(a) \text{sigmoid}(i) \\
      & + c_{\text{1}} \text{sigmoid}(f_{\text{1}}), \\
      & + c_{\text{2}} \text{sigmoid}(f_{\text{2}}), \\

How papermath reads it: ``\\`` is LaTeX's row break (papermath reads it between the rows of an
environment and at the end of an equation); where the grammar cannot take it, it is refused
as the row break it is, never as an unknown command. After a comma whose next row continues
with an operator (``& +``), the comma is the construct: it separates two statements, so the
second row would begin with ``+`` and nothing before it, while the rows' ``& +`` say they are
one expression; papermath does not guess which the author meant, and the refusal is at the
comma. Elsewhere the refusal is at the ``\\``.

Since the rule ``continued-row`` (parse/continued_rows.py), the rows of such a display are
read as one expression (a row that begins with ``& +`` cannot be a statement, so the comma
separates nothing): the comma branch here is reached only where that rule does not apply.

Example (refused at the ``\\``): ``y = a + \\`` and nothing after it.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

__all__ = ["refusal"]

# the next row goes on with an operator: `& + c_2 ...`, `& - x`, `+ x`
_CONTINUES = re.compile(r"\s*(?:\[[^\]\n]*\])?\s*&?\s*(?:[+\-]|\\(?:cdot|times|odot)(?![A-Za-z]))")


def refusal(token: str, span: Span, text: str) -> ParseError | None:
    """The refusal of a ``\\\\`` token the grammar cannot take here (see the module), or None
    where ``token`` is not a row break."""
    if token != "\\\\":
        return None
    before = text[: span.start].rstrip()
    if before.endswith(",") and _CONTINUES.match(text, span.end):
        comma = len(before) - 1
        return ParseError(
            "a comma ends this row, and the next row goes on with `& +`: a comma separates "
            "two statements (a row of its own would begin with + and nothing before it), "
            "while `& +` continues one expression; papermath does not guess which is meant",
            span=Span(comma, comma + 1),
            hint="delete the comma at the end of the row if the rows are one expression, or "
            "give each row its own left side (c = ...)",
        )
    return ParseError(
        "a row break \\\\ where no row ends: papermath reads \\\\ between the rows of an "
        "environment (aligned, a matrix) and at the end of an equation",
        span=span,
        hint="end the equation before the \\\\, or write its rows inside "
        "\\begin{aligned} ... \\end{aligned}",
    )
