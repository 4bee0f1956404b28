r"""Notation rule ``shape-as-code-tuple``: prose that gives a symbol's shape as a tuple of code,
in single backticks, as Equinox's docstrings do:

    where $\gamma_i$, $\beta_i$ have shape `(channels/groups,)`
    `groups`-many arrays $x_i$ each of shape `(channels/groups, ...)`

papermath does not read these words (a tuple of code with divisions and ``...``, said of
symbols in dollars), and read without them the equations would give the symbols other shapes
(a Greek letter a scalar). Refused at the tuple, with the declaration that says it in the
notation. Prose the rule ``prose-shapes`` reads (parse/prose_shapes.py) is not refused.

Example (refused)::

    $$y = x_i * \gamma_i$$

    where $\gamma_i$ has shape `(channels/groups,)`.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast, group_arrays

_SAID = re.compile(
    r"\$([^$]+)\$(?:\s*,\s*(?:and\s+)?\$[^$]+\$)*\s+(?:(?:has|have)\s+(?:the\s+)?|each\s+of\s+)"
    r"shape\s+`(\([^`]*\))`"
)


def refusal(text: str, statements: list[ast.Statement]) -> ParseError | None:
    """The refusal for the first such sentence the parse did not read, or None."""
    groups = group_arrays.words(text)  # "`groups`-many arrays $x_i$": parse/group_arrays.py
    read = group_arrays.read(groups, statements)
    for m in _SAID.finditer(text):
        if any(
            isinstance(s, ast.Declaration) and s.span.start <= m.start(2) < s.span.end
            for s in statements
        ):
            continue
        if read and groups is not None and groups.many.start() <= m.start(2) < groups.many.end():
            continue  # the group's own tuple: its ... not read, its first axis from gamma_i
        symbol = m.group(1).strip()
        items = [i.strip() for i in m.group(2).strip("()").split(",") if i.strip()]
        axes = [i for i in items if i not in ("...", "\\dots", "…")]
        letters = " \\times ".join("cmnpqr"[k % 6] for k in range(len(axes))) or "c"
        more = (
            "; the tuple's ... stands for further axes (positions): a mean over them and the "
            "first together (group normalization) is not read yet; declared without them, "
            f"E[{symbol}] is the mean over its entries"
            if len(axes) < len(items)
            else ""
        )
        return ParseError(
            f"the prose gives the shape of {symbol} as the code tuple {m.group(2)}, which "
            "papermath does not read, and without it the equations do not say that shape",
            span=Span(m.start(2), m.end(2)),
            hint=f"declare it beside the equations, a letter per axis: {symbol} \\in "
            f"\\mathbb{{R}}^{{{letters}}}{more}",
        )
    return None
