r"""Notation rule ``approximation-remark``: ``b = f(x) \approx g(x)``, an equation followed by
an approximation of its value, a side remark.

What people write (DGL's GCN2Conv docstring, in its prose)::

    It is defined by :math:`\beta_l = \log(\frac{\lambda}{l}+1)\approx\frac{\lambda}{l}`,

How papermath reads it: the equation ``b = f(x)`` says the value; ``\approx g(x)`` after it
remarks that it is close to g(x) (for large l here), which computes nothing. Where ``\approx``
comes after an ``=`` in the same formula (an inline ``$...$`` or ``:math:`...```, or one line
of display math) and nothing after it is another equation, the approximation is left out of
the reading (from ``\approx`` to the formula's end, or to a comma or semicolon outside
brackets), and the readings say so. An
approximation with no equation before it (``y \approx W x``) is no equation and stays refused
("an approximation is not an equation"), and so does ``a = b \approx c = d``.

Example that reads: ``b = \log(1 + x) \approx x``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span
from .blanking import blank as blank_span

if TYPE_CHECKING:
    from ..read.reader import Reader

RULE = "approximation-remark"
_APPROX = re.compile(r"\\approx(?![A-Za-z])")
_ENDS = ("`", "$", "\n")


def _bounds(text: str, at: int) -> tuple[int, int]:
    """The formula around ``at``: from after the last delimiter before it to the next after."""
    start = max(text.rfind(c, 0, at) for c in _ENDS) + 1
    start = max(start, text.rfind("\\\\", 0, at) + 2 if "\\\\" in text[:at] else 0)
    ends = [i for c in _ENDS if (i := text.find(c, at)) >= 0]
    row = text.find("\\\\", at)
    if row >= 0:
        ends.append(row)
    return start, min(ends) if ends else len(text)


def _top_level_equals(part: str) -> int:
    """How many ``=`` stand outside braces, parentheses and brackets in ``part``."""
    depth, count = 0, 0
    for ch in part:
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch == "=" and depth == 0:
            count += 1
    return count


def _clause_end(text: str, start: int, end: int) -> int:
    """Where the remark from ``start`` ends: the formula's end, or a comma or semicolon outside
    brackets before it (``b = f(x) \\approx g(x), x \\in \\mathbb{R}^n``: the declaration stays)."""
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch in ",;" and depth == 0:
            return i
    return end


def remarks(text: str) -> list[tuple[int, int]]:
    """The spans ``\\approx ...`` (to the formula's end) that follow an equation."""
    out = []
    for m in _APPROX.finditer(text):
        start, end = _bounds(text, m.start())
        end = _clause_end(text, m.end(), end)
        before, after = text[start : m.start()], text[m.end() : end]
        if _top_level_equals(before) != 1 or _top_level_equals(after) != 0:
            continue
        if "\\approx" in before or _APPROX.search(after):
            continue
        out.append((m.start(), end))
    return out


def blank(text: str, out: list[str]) -> None:
    """Blank every approximation remark (see the module)."""
    for start, end in remarks(text):
        blank_span(out, start, end)


def note(reader: Reader) -> None:
    """Say in the readings what was left out."""
    text = reader.source.text
    for start, end in remarks(text):
        written = " ".join(text[start:end].split())
        reader.note(
            Span(start, end),
            "approximation left out",
            f"{written} follows an equation: a remark that its value is close to that (it "
            "computes nothing); the equation before it says the value, and the approximation "
            "is left out of the reading",
        )
