r"""Notation rule ``index-range-after-symbol``: a symbol named in prose with the range of its
index in parentheses after it, ``$u_i(i \in [6 * 6 * 32])$： 表示PrimaryCaps的某个8D的Capsule``
(a Chinese CapsNet README: "u_i, i in [1152], is one 8-D capsule of PrimaryCaps").

How papermath reads it: inline math that is only ``x_i(i \in S)`` (also ``x_i (i = 1, \dots,
n)``) names the symbol and the values its index takes, in prose; it is blanked before
parsing (the text keeps its length), as ``($i = 1, \ldots, h$)`` is, and the index is read
where the equations use it. Inside an equation the same form is still refused.

Example: ``$u_i(i \in [n])$ is the input of capsule i`` beside ``$$v = W u_1$$``.
"""

from __future__ import annotations

import re

# $u_i(i \in [6 * 6 * 32])$, $x_j (j = 1, \dots, n)$: the whole inline math
_RANGE_AFTER = re.compile(
    r"(?<![$\\])\$\s*\\?[A-Za-z]+(?:\{[^{}$]*\})?\s*_\s*\{?\s*(?P<i>[a-z])\s*\}?\s*"
    r"\(\s*(?P=i)\s*(?:\\in|=)[^$()]*(?:\([^$()]*\)[^$()]*)*\)\s*\$(?!\$)"
)


def blank(text: str, out: list[str]) -> None:
    """Blank each ``$x_i(i \\in S)$``, in ``out`` (same length)."""
    for m in _RANGE_AFTER.finditer(text):
        for k in range(m.start(), m.end()):
            if out[k] != "\n":
                out[k] = " "
