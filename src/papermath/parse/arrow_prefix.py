r"""Rule ``arrow-before-an-equation``: ``S \rightsquigarrow y = f(...)``, an arrow from what an
equation reads to the equation, on one line.

What people write (NYU's Deep Learning course notes, a GCN in matrix form)::

    \{\boldsymbol{x}_{i}\}^{t}_{i=1}\rightsquigarrow
        \boldsymbol{H}=f(\boldsymbol{UX}+ \boldsymbol{VXAD}^{-1})

The arrow says that the inputs on its left lead to the equation on its right; the equation is
complete without it. An arrow between values is otherwise refused with the hint "write the
value computed with =", which does not fit: the value is computed with = after the arrow.

How papermath reads it: the squiggly arrows (``\rightsquigarrow``, ``\leadsto``: "leads to") are
read by parse/arrow_lead.py, the equation alone. Any other arrow is still refused at the arrow
(what its left side means, a map's domain or an implication's condition, papermath does not
guess), with the hint to delete the part up to the arrow and keep the equation after it.

Example (refused, caret on the arrow):

    \{x_i\}_{i=1}^{t} \to H = f(U X)
"""

from __future__ import annotations

from ..errors import ParseError
from ..source import Span

RULE = "arrow-before-an-equation"
ARROWS = frozenset({"rightsquigarrow", "leadsto", "rightarrow", "to", "mapsto", "Rightarrow"})


def _top_level_equals(text: str) -> bool:
    """An ``=`` outside every brace (``i=1`` in ``_{i=1}`` is a range, not an equation)."""
    depth = 0
    for c in text:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if c == "=" and depth == 0:
            return True
    return False


def refusal(name: str, span: Span, text: str) -> ParseError | None:
    """The refusal for an arrow followed, on its line, by an equation whose left side follows
    the arrow (``S \\rightsquigarrow y = ...``)."""
    if name not in ARROWS:
        return None
    end = text.find("\n", span.end)
    after = text[span.end : end if end >= 0 else len(text)]
    eq = after.find("=")
    if eq < 0 or after[:eq].count("{") != after[:eq].count("}"):
        return None
    start = text.rfind("\n", 0, span.start) + 1
    before = text[start : span.start]
    if _top_level_equals(before) or not before.strip() or not after[:eq].strip():
        return None
    lhs = " ".join(after[:eq].split())
    return ParseError(
        f"an arrow before the equation {lhs} = ...: it says what the equation reads from (the "
        f"{' '.join(before.split())[:40]} on its left), which papermath does not read",
        span=span,
        hint=f"delete the part up to the arrow and keep the equation: {lhs} = ...",
    )
