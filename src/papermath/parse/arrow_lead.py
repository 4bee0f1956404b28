r"""Rule ``arrow-leads-to-an-equation``: ``S \rightsquigarrow y = f(...)`` (or ``\leadsto``),
a squiggly arrow from what an equation reads to the equation, on one line, as NYU's Deep
Learning course notes write a GCN in matrix form (week 13)::

    \{\boldsymbol{x}_{i}\}^{t}_{i=1}\rightsquigarrow
        \boldsymbol{H}=f(\boldsymbol{UX}+ \boldsymbol{VXAD}^{-1})

The squiggly arrow says "leads to": the inputs on its left lead to the equation on its right.
The equation is complete without it; what the left side adds (here that the t inputs x_i are
what X holds) changes no value the equation computes.

How papermath reads it: as the equation after the arrow alone; the part from the start of the
line (or of the display) to the arrow is blanked in place and a reading says so, quoting it.
Only the squiggly arrows (``\rightsquigarrow``, ``\leadsto``: an informal "leads to", never a
map or an implication), with an equation after the arrow on its line whose left side has no
``=`` before it, and a left part with no ``=`` of its own (outside braces). Other arrows before
an equation (``\to``, ``\mapsto``, ``\Rightarrow``: a map, an implication whose condition
would be lost) stay refused by parse/arrow_prefix.py.

Example (reads: H = f(U X))::

    \{x_i\}_{i=1}^{t} \rightsquigarrow H = f(U X)
"""

from __future__ import annotations

import re

from ..source import Span
from .blanking import blank

__all__ = ["find", "readings", "rewrite"]

RULE = "arrow-leads-to-an-equation"

_ARROW = re.compile(r"\\(?:rightsquigarrow|leadsto)(?![A-Za-z])")
_OPEN = re.compile(r"\$\$|\\\[|\$|\\begin\s*\{[a-z*]+\}")


def _top_level_equals(text: str) -> bool:
    """An ``=`` outside every brace (``i=1`` in ``_{i=1}`` is a range, not an equation)."""
    depth = 0
    for c in text:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if c == "=" and depth == 0:
            return True
    return False


def find(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each part to leave out: from the line's (or display's) start to the
    end of the arrow."""
    out = []
    for m in _ARROW.finditer(text):
        end = text.find("\n", m.end())
        after = text[m.end() : end if end >= 0 else len(text)]
        eq = after.find("=")
        if eq < 0 or after[:eq].count("{") != after[:eq].count("}") or not after[:eq].strip():
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        opens = list(_OPEN.finditer(text, start, m.start()))
        if opens:
            start = opens[-1].end()
        before = text[start : m.start()]
        if not before.strip() or _top_level_equals(before) or "$" in before:
            continue
        if before.count("{") != before.count("}"):
            continue
        while start < m.start() and text[start].isspace():
            start += 1
        out.append((start, m.end()))
    return out


def rewrite(text: str, out: list[str]) -> None:
    """Blank each part before a squiggly arrow (the arrow too), every newline kept."""
    for a, b in find(text):
        blank(out, a, b)


def readings(text: str) -> list[tuple[Span, str, str]]:
    """(span, reading, why) for each part left out."""
    found = []
    for a, b in find(text):
        arrow = _ARROW.search(text, a, b)
        assert arrow is not None
        said = " ".join(text[a : arrow.start()].split())
        found.append(
            (
                Span(a, b),
                f"what the equation reads from, left out ({RULE})",
                f"{said} {arrow.group(0)}: the squiggly arrow says that {said} leads to the "
                "equation after it, which is complete without it (it changes no value the "
                "equation computes): the equation is read alone",
            )
        )
    return found
