"""Notation rule ``code-label-pick`` (reading): ``x[class]`` written as code, where the prose
says ``class`` is the class index (parse/code_labels.py), is the entry of the vector x at the
label ``class``: one integer, target data; the pick of read/rules_label_pick.py (shapes, code's
``gather``, its gradient a scatter to the picked entry)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.code_labels import LabelKey
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader, SymParts

RULE = "code-label-pick"


def label_subscript(reader: Reader, parts: SymParts, item: ast.Node, quiet: bool) -> bool:
    """``x[class]``: ``item`` the :class:`LabelKey` ``class``; ``parts`` (x) takes it as the
    label that picks its entry. True where it did."""
    if not isinstance(item, LabelKey) or parts.picked is not None:
        return False
    label = reader.symbol(item, quiet=True)
    if label is None:
        return False
    parts.picked = label
    if not quiet:
        written = reader.source.snippet(item.span)
        reader.out.labels.setdefault(label.key, item.span)
        reader.out.first_span.setdefault(label.key, item.span)
        reader.note(
            Span(parts.span.start, item.span.end + 1),  # x[class]: with its closing bracket
            f"the entry of {parts.key} at the label {written}",
            f"{parts.key}[{written}]: the prose says {written} is the class index, so it is a "
            f"label (an integer, target data) and {parts.key}[{written}] is the entry of the "
            f"vector {parts.key} at it (rule {RULE}); generated code takes labels from 0, as "
            "NumPy and torch index (a source in Lua counts classes from 1)",
        )
    return True
