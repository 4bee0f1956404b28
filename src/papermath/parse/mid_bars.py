r"""Notation rule ``mid-bars``: two ``\mid`` in a row, ``\mid\mid s_j \mid\mid``, are the double
bar of a norm, ``\|s_j\|``, as a Chinese blog on capsule networks writes the squash:
``v_j=\frac{\mid\mid s_j\mid \mid ^2}{1+\mid\mid s_j\mid\mid ^2}
\frac{s_j}{\mid\mid s_j\mid \mid }``.

How papermath reads it: each pair (spaces between the two allowed) is rewritten in place, before
parsing, as ``||`` followed by spaces (the text keeps its length, every caret its place), which
the grammar reads as a norm's bar, as it reads ``||s_j||``. One ``\mid`` alone stays the bar of a
conditional probability ``p(a \mid b)``, which is refused.

Examples that read: ``v = \mid\mid s \mid\mid^2 s``.
"""

from __future__ import annotations

import re

_PAIR = re.compile(r"\\mid(?![A-Za-z])\s*\\mid(?![A-Za-z])")


def rewrite(text: str, out: list[str]) -> None:
    """``\\mid\\mid`` -> ``||`` and spaces, in ``out`` (the text's characters), in place."""
    opened: dict[int, bool] = {}  # per line: whether a norm is open (the next pair closes it)
    for m in _PAIR.finditer(text):
        a, b = m.span()
        if "\n" in text[a:b]:
            continue
        line = text.count("\n", 0, a)
        closing = opened.get(line, False)
        opened[line] = not closing
        # the bars where the norm's span keeps whole commands: an opening pair's at its start,
        # a closing pair's at its end (a span never ends inside \mid)
        bars = " " * (b - a - 2) + "||" if closing else "||" + " " * (b - a - 2)
        out[a:b] = list(bars)
