r"""Notation rule ``sum-exclusion`` (the parse): a sum's subscript that skips one index,
``\sum_{j \neq y_i}``, ``\sum_{j=1, j \neq y_i}^{K}`` (CS231n's multiclass SVM loss; PyTorch's
MultiMarginLoss written out). read/rules_sum_exclusion.py reads it.

The grammar takes ``index \neq skipped`` (alone, or after the range's start ``index = first``
and a comma) in the subscript of ``\sum`` or ``\prod`` only, as a :class:`SumExclusion`; the
sum's other subscripts (``\sum_{i=1}^{n}``, ``\sum_{j \in N(i)}``) are as before, and ``\neq``
anywhere else stays refused where it stands (an inequality, a condition in a subscript).
Refused here, at the words: a range whose index is not the one skipped (``\sum_{i=1, j \neq
y}``), and a skipped value written with the sum's own index (``\sum_{i=1, i \neq y_i}``: the
index would skip itself, which means nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import ParseError
from ..source import Span
from . import ast

__all__ = ["SumExclusion", "bound_refusal", "exclusion", "letters", "under_sum"]


@dataclass(frozen=True)
class SumExclusion(ast.Node):
    """``j \\neq y_i`` (``start`` None) or ``j=1, j \\neq y_i`` (``start`` the ``j=1``) under a
    sum: the index ``index`` runs over its range except the value ``skipped``."""

    index: ast.Node
    start: ast.Node | None
    skipped: ast.Node
    neq_span: Span


# `\sum_{`, `\prod\limits_{`, `\sum^{n}_{`: the text before a subscript's brace under a big operator
_UNDER = re.compile(r"\\(?:sum|prod)(?:\\limits)?\s*(?:\^\s*(?:\{[^{}]*\}|\S)\s*)?_\s*$")


def under_sum(text: str, brace: int) -> bool:
    """Whether the brace at ``brace`` opens the subscript of a ``\\sum`` or ``\\prod``."""
    return _UNDER.search(text, max(0, brace - 60), brace) is not None


_GROUP = r"\{(?:[^{}]|\{[^{}]*\})*\}"
# `\sum_{j=1}^{\text{y}_j \neq`: inside the upper limit of a sum, after its subscript
_IN_BOUND = re.compile(
    rf"\\(?:sum|prod)(?:\\limits)?\s*_\s*(?:{_GROUP}|\S)\s*\^\s*\{{(?:[^{{}}]|\{{[^{{}}]*\}})*$"
)
_RELATIONS = frozenset({"neq", "ne", "leq", "le", "geq", "ge", "lt", "gt"})


def bound_refusal(name: str, span: Span, text: str) -> ParseError | None:
    """The refusal of a relation in a sum's upper limit (``\\sum_{j=1}^{y_j \\neq 0}``:
    run j until the condition fails), or None elsewhere."""
    if name not in _RELATIONS:
        return None
    start = max(text.rfind("\\sum", 0, span.start), text.rfind("\\prod", 0, span.start))
    if start < 0 or not _IN_BOUND.match(text, start, span.start):
        return None
    return ParseError(
        f"\\{name} in the upper limit of a sum: a condition where the last value of the "
        "index goes (run the index while it holds, up to the first value where it fails); "
        "papermath reads a sum's limit as a value, and does not guess where the run stops",
        span=span,
        hint="write the sum over the values it runs over, with their count as the limit "
        "(\\sum_{j=1}^{m}, m said in prose), or over a set the source names",
    )


def letters(node: Any) -> set[str]:
    """The letters written in ``node`` (its symbols' names and labels)."""
    if isinstance(node, tuple):
        return set().union(*(letters(x) for x in node)) if node else set()
    if isinstance(node, ast.Letter):
        return {node.name}
    if not isinstance(node, ast.Node):
        return set()
    out: set[str] = set()
    for name in node.__dataclass_fields__:
        if name != "span":
            out |= letters(getattr(node, name))
    return out


def exclusion(span: Span, items: list[Any], neq: Span) -> SumExclusion:
    """The node for the transformer: ``items`` the index, (the ScriptEq of its start,) the
    skipped value; refused where the two indices differ or the skipped value writes the index."""
    if len(items) == 2:
        index, skipped = items
        start = None
    else:
        start, again, skipped = items
        index = start.left
        if not (
            isinstance(again, ast.Letter)
            and isinstance(index, ast.Letter)
            and again.name == index.name
        ):
            raise ParseError(
                "the subscript of a sum gives the range of one index and skips a value of "
                "another: which index the sum runs over is not clear",
                span=again.span,
                hint="write the same index in both: \\sum_{j=1, j \\neq y_i}^{K}",
            )
    if not isinstance(index, ast.Letter):
        raise ParseError(
            "the index a sum skips a value of is one letter (\\sum_{j \\neq y_i})",
            span=index.span,
            hint="write the sum's index as one letter",
        )
    if index.name in letters(skipped):
        raise ParseError(
            f"the value the sum skips is written with the sum's own index {index.name}: "
            f"{index.name} would skip itself, which names no value (the source may mean "
            "another index)",
            span=skipped.span,
            hint="write the value skipped with the other index it depends on: "
            "\\sum_{j \\neq y_i} with i the example",
        )
    return SumExclusion(span, index, start, skipped, neq)
