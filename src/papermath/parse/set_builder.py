# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Rule ``set-builder-aggregation``: an aggregation of a set written by a condition,
``\mathrm{aggregate}(\{h_j, \forall j \in \mathcal{N}(i)\})`` (DGL's SAGEConv and GINConv
docstrings), is refused at the condition, with a hint that names the forms papermath reads.

What people write::

    h_{\mathcal{N}(i)}^{(l+1)} = \mathrm{aggregate}\left(\{h_{j}^{l}, \forall j \in \mathcal{N}(i) \}\right)

``\{h_j, \forall j \in \mathcal{N}(i)\}`` is the set of the neighbours' values, and
``\mathrm{aggregate}`` an aggregator the docstring leaves to an argument (sum, mean, max,
an LSTM): which one is the source's choice, and papermath does not guess it. A ``\forall``
is otherwise refused as "a quantifier" with the hint "write the equation for one element",
which is wrong here (the equation is for one node already; the quantifier builds a set).

How papermath reads it: it refuses, with the caret on ``\forall``, and the hint names the
aggregations it reads with the set under the operator: ``\sum_{j \in \mathcal{N}(i)} h_j``
and ``\mathrm{mean}_{j \in \mathcal{N}(i)} h_j`` (read/rules_neighbour_mean.py). (A set
written ``\{h_j, j \in \mathcal{N}(i)\}``, without the quantifier, is refused at its ``\in``
by parse/unexpected.py, with the same hint.)

Example (refused, caret on ``\forall``)::

    h'_i = \mathrm{aggregate}(\{h_j, \forall j \in \mathcal{N}(i)\})
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

RULE = "set-builder-aggregation"
# an open set brace \{ (or \left\{) before the command, not closed since
_OPEN_SET = re.compile(r"\\\{(?:(?!\\\}).)*$", re.S)

HINT = (
    "write the aggregation with the set under its operator: \\sum_{j \\in \\mathcal{N}(i)} h_j "
    "(a sum), \\mathrm{mean}_{j \\in \\mathcal{N}(i)} h_j (a mean) or \\max_{j \\in \\mathcal{N}(i)} "
    "h_j (a max, entry by entry); an aggregator the source "
    "leaves unnamed (\\mathrm{aggregate}) is its choice, which papermath does not guess"
)


def refusal(name: str, span: Span, text: str) -> ParseError | None:
    """The refusal for ``\\forall`` inside an open set brace ``\\{ ... \\}``, else None."""
    if name != "forall" or _OPEN_SET.search(text[: span.start]) is None:
        return None
    return ParseError(
        "a set written by a condition ({h_j, \\forall j \\in \\mathcal{N}(i)}: the values of "
        "the nodes that satisfy it) is not read",
        span=span,
        hint=HINT,
    )
