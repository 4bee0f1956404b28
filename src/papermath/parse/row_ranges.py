r"""Rule ``range-after-equation``: ``\text{ for } n = 1, \dots, N`` after an equation, in the
display: the values the equation's index runs over, said in words.

What people write (Lil'Log's adaptive computation time, a row of ``aligned``)::

    s_t^n &= \mathcal{S}(s_{t}^{n-1}, x_t^n) \text{ for } n=1, \dots, N(t)\\

How papermath reads it: the words ``for n = 1, \dots, N`` (``\text{for}``, ``\text{ for }``,
``\quad \text{for}``, a comma before; or the set after a quantifier, ``, \forall k \in \{1,
.., K\}``, k a layer's or a step's letter in a superscript, ``h_v^{k}``: on a subscript's
letter, ``y_i = W x_i, \forall i \in \{1, \dots, n\}``, it stays refused at the quantifier,
parse/quantifiers.py) at the end of a row, where n is a letter the row uses
as an index (in a subscript or a superscript before the words) and the range is a first value,
a comma, dots, a comma and a last value, say which values the index takes: the equation holds
for each of them, as ``(i = 1, \ldots, h)`` in a sentence does (normalize.py ``_ranges``). The
words are left out and the index is read where the equations use it; the readings quote them.
A ``for`` followed by anything else (``\text{for } x > 0``, a condition) is not this rule's,
and neither is a letter the row does not use as an index.

Example (reads): ``h_t = \tanh(W x_t) \text{ for } t = 1, \dots, T``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from ..read.reader import Reader

RULE = "range-after-equation"

__all__ = ["RULE", "blank", "note", "ranges"]

# `, \quad \text{ for } n = 1, \dots, N(t)` up to the row's end (\\, \end, $$, a line's end)
_RANGE = re.compile(
    r"(?:,[ \t]*+)?(?:\\q?quad[ \t]*+)?\\(?:text|mathrm|textrm|mbox)[ \t]*+\{[ \t]*+for[ \t]*+\}"
    r"[ \t]*+([A-Za-z])[ \t]*+=[ \t]*+([0-9]++)[ \t]*+,[ \t]*+(?:\\[lc]?dots|\.\.\.)[ \t]*+,"
    r"[ \t]*+([A-Za-z0-9_{}()\\ +-]{1,30}?)[ \t.,]*+(?=\\\\|\\end\b|\$|\n|$)"
)
# `, \forall k \in \{1, .., K\}` (CS224W's notes): the same range as a set, after a comma
_SET_RANGE = re.compile(
    r",[ \t]*+\\forall[ \t]*+([A-Za-z])[ \t]*+\\in[ \t]*+\\\{[ \t]*+([0-9]++)[ \t]*+,[ \t]*+"
    r"(?:\\[lc]?dots|\.{2,3})[ \t]*+,[ \t]*+([A-Za-z0-9_{}()\\ +-]{1,30}?)[ \t]*+\\\}"
    r"[ \t.,]*+(?=\\\\|\\end\b|\$|\n|$)"
)
_ROW_START = re.compile(r"\\\\|\$\$|\\begin\s*\{[^}]*\}|\n[ \t]*\n")


def _used_as_index(row: str, letter: str, scripts: str = "_^") -> bool:
    """Whether ``row`` writes ``letter`` in a subscript or superscript (``s_t^n``, ``h^{n-1}``);
    ``scripts="^"``: in a superscript (a layer's or a step's letter)."""
    alone = rf"(?<![A-Za-z\\]){letter}(?![A-Za-z])"
    pattern = rf"[{re.escape(scripts)}][ \t]*+(?:{alone}|\{{[^{{}}]*{alone}[^{{}}]*\}})"
    return re.search(pattern, row) is not None


def ranges(text: str) -> list[tuple[Span, str]]:
    """Each range after an equation (see the module): its span and its words, cleaned."""
    out: list[tuple[Span, str]] = []
    found = [*_RANGE.finditer(text), *_SET_RANGE.finditer(text)]
    for m in sorted(found, key=lambda m: m.start()):
        lo = max(0, m.start() - 500)  # a row is read back at most this far
        starts = [r.end() for r in _ROW_START.finditer(text, lo, m.start())]
        row = text[starts[-1] if starts else lo : m.start()]
        scripts = "^" if m.re is _SET_RANGE else "_^"  # \forall i \in \{..\} on y_i: refused
        if "=" not in row or not _used_as_index(row, m.group(1), scripts):
            continue
        out.append((Span(m.start(), m.end()), f"{m.group(1)} = {m.group(2)}, ..., {m.group(3)}"))
    return out


def blank(text: str, out: list[str]) -> None:
    """Blank each range after an equation (its words are prose)."""
    for span, _ in ranges(text):
        if "".join(out[span.start : span.end]) == text[span.start : span.end]:
            for i in range(span.start, span.end):
                out[i] = " "


def note(reader: Reader) -> None:
    """Say in the readings which ranges were left out, and why."""
    for span, words in ranges(reader.source.text):
        reader.note(
            span,
            "the range of an index, said in words",
            f"'for {words}' after the equation says which values its index takes: the "
            "equation holds for each; the words are left out and the index is read where the "
            "equations use it",
        )
