# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Rule ``arrow-under-a-sum``: ``\sum_{v_j \to v}`` (also ``→``, ``\rightarrow``): a sum over
the edges into v, written with the arrow of the edge (NYU's Deep Learning course notes, the
residual gated GCN: "the summation is only over vertices v_j that have incoming edges to
vertex v").

What people write::

    \boldsymbol{h} = \boldsymbol{x} + \bigg(\boldsymbol{Ax} + \sum_{v_j→v}{\eta(\boldsymbol{e_{j}})\odot \boldsymbol{Bx_{j}}}\bigg)^{+}

The arrow is the edge from v_j to v; the sum runs over the neighbours j of v. papermath reads
a sum over the neighbours written with the set under it, ``\sum_{j \in \mathcal{N}(v)}``, and
an arrow between two indices of a subscript as an edge (``e_{j \to i}``, parse/arrows.py); a
sum whose subscript is an edge is neither, and the node v it sums into has no index of its own
here (``\boldsymbol{x}`` is v's value).

How papermath reads it: refused at the arrow, with a hint that writes the sum as papermath
reads it (before, the Unicode arrow's hint said to write ``\to``, which is refused in turn,
and ``\to`` said "an arrow is not an equation").

Example (refused, caret on the arrow)::

    h_i = \sum_{j \to i} W h_j
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

RULE = "arrow-under-a-sum"
ARROWS = frozenset({"\\to", "\\rightarrow", "\\longrightarrow", "→"})
# `\sum_{` (or `\sum\limits_{`) with the subscript still open before the arrow
_OPEN_SUM = re.compile(r"\\(?:sum|prod)(?:\\limits)?\s*_\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)$")
_AFTER = re.compile(r"\s*(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{?[A-Za-z]\}?)?\s*\}")


def refusal(arrow: str, span: Span, text: str) -> ParseError | None:
    """The refusal for an arrow inside a sum's subscript (``\\sum_{v_j \\to v}``), else None."""
    if arrow.strip() not in ARROWS:
        return None
    opened = _OPEN_SUM.search(text, 0, span.start)
    after = _AFTER.match(text, span.end)
    if opened is None or after is None:
        return None
    source = " ".join(opened.group(1).split()) or "u"
    target = " ".join(text[span.end : after.end() - 1].split())
    letter = re.search(r"_\{?([A-Za-z])", source)
    j = letter.group(1) if letter else source
    node = re.sub(r"[^A-Za-z]", "", target)[-1:] or "v"
    return ParseError(
        f"a sum over an edge, {source} \\to {target} (the sources of the edges into {target}): "
        "papermath reads a sum over the neighbours with the set under it, and an arrow as an "
        "edge between two indices of a subscript (e_{j \\to i}), not a sum over an arrow",
        span=span,
        hint=f"write the sum over the neighbours: \\sum_{{{j} \\in \\mathcal{{N}}({node})}}, with "
        f"{target}'s own values indexed by {node} (x_{node}) and the neighbour's by {j} (x_{j})",
    )
