r"""Notation rule ``cases-parity``: a definition by two cases on the parity of an index, the even
entries one value and the others another (the UvA deep-learning notebooks' positional
encoding)::

    PE_{(pos,i)} = \begin{cases}
        \sin\left(\frac{pos}{10000^{i/d_{\text{model}}}}\right)
            & \text{if}\hspace{3mm} i \text{ mod } 2=0\\
        \cos\left(\frac{pos}{10000^{(i-1)/d_{\text{model}}}}\right) & \text{otherwise}\\
    \end{cases}

Here (normalisation, before parsing) such a block is rewritten in place, every character kept
where it is, as the other definitions by cases are (parse/cases.py): the two values stay, the
rest becomes ``\text{@par}(`` before the even row's value, a comma between the values and ``)``
at the block's last character, so the parser reads a call the reader knows. The reader reads it
only as the sinusoidal encoding (read/rules_sinusoid.py: the even entries a sine, the odd ones
the cosine of the same angle); any other value under these two conditions is refused there.

The conditions read: the first row's ``i \text{ mod } 2 = 0`` (also ``i \bmod 2 = 0``, ``i
\mod 2 = 0``, after an optional ``\text{if}`` and spacing), the second row's
``\text{otherwise}`` or ``i \text{ mod } 2 = 1``, one index letter in both. Anything else is
left alone (and refused by the parser as a definition by cases).
"""

from __future__ import annotations

import re

from .cases import _BLOCK, _OTHERWISE, _TEXT, stripped, two_rows

MARK = "@par"
_HEAD = "\\text{" + MARK + "}("
_SPACING = r"(?:\s|\\hspace\s*\{[^{}]*\}|\\quad|\\qquad|\\[;,:!]|\\ )*"
_MOD = r"(?:" + _TEXT + r"\s*mod\s*\}|\\bmod|\\mod|\\operatorname\s*\{\s*mod\s*\})"
_IF = r"(?:" + _TEXT + r"\s*if\s*\}|\bif\b)?"


def _parity(value: int) -> re.Pattern[str]:
    return re.compile(
        r"^" + _SPACING + _IF + _SPACING + r"(?P<i>[A-Za-z])" + _SPACING + _MOD + _SPACING
        + r"2" + _SPACING + r"=" + _SPACING + str(value) + _SPACING + r"[,.;]?" + _SPACING
        + r"$"
    )  # fmt: skip


_EVEN, _ODD = _parity(0), _parity(1)


def rewrite(text: str, out: list[str]) -> None:
    """Each parity block becomes ``\\text{@par}(A, B)`` with A and B where they were."""
    for m in _BLOCK.finditer(text):
        if (rows := two_rows(text, m)) is None:
            continue
        (even, even_cond), (odd, odd_cond) = rows
        first = _EVEN.match(even_cond)
        if first is None:
            continue
        second = _ODD.match(odd_cond)
        if not (_OTHERWISE.match(odd_cond) or (second and second.group("i") == first.group("i"))):
            continue
        a, b = stripped(text, *even)
        c, d = stripped(text, *odd)
        if a - m.start() < len(_HEAD) or c - b < 1 or m.end() - d < 1 or a == b or c == d:
            continue  # no room for the call around the values
        for i in range(m.start(), m.end()):
            if not (a <= i < b or c <= i < d) and out[i] != "\n":
                out[i] = " "
        for i, ch in enumerate(_HEAD):
            out[a - len(_HEAD) + i] = ch
        out[b] = ","
        out[m.end() - 1] = ")"
