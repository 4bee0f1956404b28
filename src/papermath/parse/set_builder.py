# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Rule ``set-builder-aggregation`` (the parse side): a set written by a condition,
``\{h_j, j \in \mathcal{N}(i)\}``, ``\{h_j, \forall j \in \mathcal{N}(i)\}`` (DGL's SAGEConv
and GINConv docstrings), ``\{h_u \mid u \in \mathcal{N}(v)\}``.

What people write::

    h_{\mathcal{N}(i)}^{(l+1)} = \mathrm{aggregate}\left(\{h_{j}^{l}, \forall j \in \mathcal{N}(i) \}\right)

The grammar reads ``\{ a, j \in S \}`` as a set by a condition (``ast.SetBuilder``: the
members, then the index, then the set it runs over). Inside set braces, a ``\forall`` after
the comma says "each" (the set holds the value of each j): it is dropped; a ``\mid`` (or a
bar ``|`` followed by the condition ``u \in ...`` and no other bar) between the value and the
condition separates them, as the comma does. Elsewhere ``\forall`` stays
"a quantifier is not read" and ``\mid`` a conditional probability.

How the set is read (an aggregator around it: mean, sum, max, or one the source leaves
unnamed) is read/rules_set_builder.py's. A ``\forall`` in set braces where no condition can
follow it (``\{\forall j\}``) is refused at the ``\forall``, with the hint naming the forms
read.

Example (reads; see read/rules_set_builder.py)::

    h'_i = \mathrm{mean}(\{h_j, \forall j \in \mathcal{N}(i)\}), h_i \in \mathbb{R}^{d}
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

RULE = "set-builder-aggregation"
# an open set brace \{ (or \left\{) before the command, not closed since
_OPEN_SET = re.compile(r"\\\{(?:(?!\\\}).)*$", re.S)

HINT = (
    "write the set of the neighbours' values in set braces as the one argument of an "
    "aggregator, \\mathrm{mean}(\\{h_j, j \\in \\mathcal{N}(i)\\}) (also sum, max, or "
    "\\mathrm{aggregate} where the source leaves it unnamed), or the aggregation with the set "
    "under its operator: \\sum_{j \\in \\mathcal{N}(i)} h_j, \\mathrm{mean}_{j \\in "
    "\\mathcal{N}(i)} h_j, \\max_{j \\in \\mathcal{N}(i)} h_j"
)


# tokens after which a condition may start (``\{h_j, \forall j``) or a value ends (``h_u \mid``)
_AFTER_COMMA = frozenset({"_COMMA"})
_ENDS_VALUE = frozenset(
    {"LETTER", "GREEK", "NUMBER", "_RPAR", "_RBRACK", "_RBRACE", "PRIME", "NORM_CLOSE"}
)


def condition_token(command: str, prev: str) -> str | None:
    """In set braces: ``""`` (drop it) for ``\\forall`` after a comma, ``"_COMMA"`` for
    ``\\mid`` after a value; None (not read here) for anything else."""
    name = command.strip().lstrip("\\")
    if name == "forall" and prev in _AFTER_COMMA:
        return ""
    if name == "mid" and prev in _ENDS_VALUE:
        return "_COMMA"
    return None


def bar_before_condition(text: str, end: int) -> bool:
    """A bar ``|`` in set braces whose rest, up to the closing ``\\}``, is a condition
    ``u \\in ...`` with no other bar (``\\{h_u | u \\in \\mathcal{N}(v)\\}``)."""
    close = text.find("\\}", end)
    rest = text[end : close if close >= 0 else len(text)]
    return close >= 0 and "|" not in rest and re.match(r"\s*[A-Za-z]\s*\\in\b", rest) is not None


def refusal(name: str, span: Span, text: str) -> ParseError | None:
    """The refusal for ``\\forall`` inside an open set brace ``\\{ ... \\}``, else None."""
    if name != "forall" or _OPEN_SET.search(text[: span.start]) is None:
        return None
    return ParseError(
        "a set written by a condition ({h_j, \\forall j \\in \\mathcal{N}(i)}: the values of "
        "the nodes that satisfy it) is read with the quantifier after a comma, before the "
        "condition; not here",
        span=span,
        hint=HINT,
    )
