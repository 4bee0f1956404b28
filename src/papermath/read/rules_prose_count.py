r"""Notation rule ``prose-count``: a symbol the prose says is a number of things (a count, a
dimension, a size) is a size, a number in the formula, never a learned scalar.

What people write: "where $d$ is the number of features", ":math:`B` is the number of
bases", "$h$ is the number of hidden units", "where $B$ is the batch size", "$n$ denotes the
dimension of the input". How papermath reads it: the symbol is a size (as a size a
declaration names, ``x \in \mathbb{R}^{d}``): used as a value (``\frac{1}{\sqrt{d}}``,
``\frac{1}{N}``) it is that number, a constant, its value given in dims; the readings quote
the words. What it counts is not tied to a shape by these words alone (the number of
features of which value?): a declaration does that. Only a symbol written as one letter (a
label subscript allowed: ``d_k``, ``d_{model}``) that no equation defines, no directive
names, and that is no index.

Example (reads: d a size, y = W x / sqrt(d))::

    $$y = \frac{1}{\sqrt{d}} W x$$
    where $d$ is the number of features and $x \in \mathbb{R}^{m}$.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from .rules_prose_kinds import _quoted
from .syntax import is_symbolish, iter_nodes

if TYPE_CHECKING:
    from .reader import Reader

# "$d$ is the number of features", ":math:`B` is the number of bases", "``S`` is number of
# layers", "$B$ is the batch size", "$n$ denotes the dimension of the input"
_SAID = re.compile(
    r"(?:\$|:math:`|``|\\\()\s*(?P<sym>\\?[A-Za-z]+(?:_(?:\{[A-Za-z]+\}|[A-Za-z]))?)\s*"
    r"(?:\$|``|`|\\\))\s+(?:is|denotes|represents)\s+(?:the\s+)?(?:total\s+)?"
    r"(?P<words>(?:number|dimension(?:ality)?|size|width|length)\s+of"
    r"(?:\s+(?!and\b|or\b|where\b|which\b)[A-Za-z][\w-]*){1,4}"
    r"|batch\s+size)",
    re.IGNORECASE,
)


def counts(reader: Reader, statements: list[ast.Statement]) -> None:
    """Rule ``prose-count``: each symbol the prose calls a number of things is a size."""
    text = reader.source.text
    said = list(_SAID.finditer(text))
    if not said:
        return
    defined = {
        key
        for s in statements
        if isinstance(s, ast.Definition) and is_symbolish(s.lhs)
        if (parts := reader.symbol(s.lhs, quiet=True)) is not None
        for key in [parts.key]
    }
    written: dict[str, set[str]] = {}  # as written (squeezed) -> keys
    for node in iter_nodes(statements):
        if not isinstance(node, ast.Letter | ast.Sub) or not is_symbolish(node):
            continue
        parts = reader.symbol(node, quiet=True)
        if parts is None or parts.step or parts.node or parts.element:
            continue
        snippet = re.sub(r"[{}\s\\]", "", text[node.span.start : node.span.end])
        written.setdefault(snippet, set()).add(parts.key)
    for m in said:
        keys = written.get(re.sub(r"[{}\s\\]", "", m.group("sym")), set())
        if len(keys) != 1:
            continue
        (key,) = keys
        if (
            key in defined
            or key in reader.size_names
            or key in reader.known_values
            or key in reader.out.indices
            or key in reader.out.directives
        ):
            continue
        reader.size_names.add(key)
        words = " ".join(m.group(0).split())
        reader.note(
            Span(m.start("sym"), m.end("sym")),
            f"the size {key}, as the prose says",
            f"the prose says \u201c{_quoted(words, 80)}\u201d: {key} is a count, a size and a "
            "number in the formula (its value given in dims), not a learned scalar",
        )
