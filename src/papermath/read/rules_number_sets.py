r"""Notation rule ``value-in-a-set-of-numbers``: ``y_v \in \{0, 1\}`` (cs224w's node
classification: "$$y_v \in \{0, 1\}$$ is the node class label"), ``y_i \in \{-1, 1\}``.

What it says: each y_v is one of the numbers listed, so it is one number (a scalar per v), not a
vector. How papermath reads it: a subscripted symbol (a value per index, never the index letter
itself: ``t \in \{1, 2\}`` names steps, see find_indices) declared in a set written out as two or
more plain numbers is declared a scalar, as ``y_v \in \mathbb{R}`` would; the readings say that
its values are the listed numbers (papermath does not check them). Where the words right after
the math call it a label ("$$y_v \in \{0, 1\}$$ is the node class label"), it is the target.
A set with dots (``\{1, \dots, K\}``), letters or anything but numbers is left to the rules
that read sets of indices.

Example that reads: ``L = \sum_{v \in V} y_v z_v^T \theta; y_v \in \{0, 1\}`` (y a scalar per
node).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader


# "$$y_v \in \{0, 1\}$$ is the node class label": the words right after the math
_LABEL = re.compile(
    r"\s*(?:is|are|denotes|represents)\s+(?:the|a)\s+(?:[\w-]+\s+){0,3}?labels?\b", re.IGNORECASE
)
_CLOSE = re.compile(r"\s*(?:\$\$|\$|`|\\\)|\\\])")


def _math_end(reader: Reader, end: int) -> int:
    """Where the text goes on after the math that ends at ``end`` (past its closing mark)."""
    m = _CLOSE.match(reader.source.text, end)
    return m.end() if m is not None else end


def _numbers(space: ast.Node) -> bool:
    if not isinstance(space, ast.SetLiteral) or len(space.items) < 2:
        return False
    return all(
        isinstance(x, ast.Number) or (isinstance(x, ast.Neg) and isinstance(x.body, ast.Number))
        for x in space.items
    )


def declaration(reader: Reader, s: ast.Declaration) -> bool:
    """Read ``y_v \\in \\{0, 1\\}``: True if ``s`` is one (every target a subscripted symbol)."""
    if not _numbers(s.space) or not all(isinstance(x, ast.Sub) for x in s.targets):
        return False
    span = s.space.span
    reals = ast.Font(span, "mathbb", ast.Letter(Span(span.start, span.start), "R"))
    values = " ".join(reader.source.snippet(s.space.span).split())
    after = _LABEL.match(reader.source.text, _math_end(reader, s.span.end))
    label = " ".join(after.group(0).split()) if after is not None else None
    for target in s.targets:
        parts = reader.target_symbol(target, "declared in a set of numbers", "y_v \\in \\{0, 1\\}")
        reader.declare(parts.key, reals, s.span)
        reader.out.first_span.setdefault(parts.key, target.span)
        if label is not None:
            reader.out.directives.setdefault(parts.key, "target")
            reader.out.role_notes.setdefault(
                parts.key,
                f"the prose calls {reader.source.snippet(target.span)} a label "
                f"(\u201c{label}\u201d): the target, data the loss compares with",
            )
        reader.note(
            s.span,
            "one number from a set",
            f"{reader.source.snippet(target.span)} takes one of the values {values}: "
            f"{parts.key} is a scalar (the values themselves are not checked)",
        )
    return True
