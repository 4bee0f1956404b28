r"""Notation rule ``order-condition``: the condition ``k \ge n`` in the superscript of a
recursion's left side, where the source defines the orders before n on their own lines.

What people write (Spektral's ChebConv)::

    \T^{(0)} = \X \\
    \T^{(1)} = \tilde \L \X \\
    \T^{(k \ge 2)} = 2 \cdot \tilde \L \T^{(k - 1)} - \T^{(k - 2)},

``(k \ge 2)`` says the equation holds for the orders from 2 on: the orders 0 and 1 are the
first values, defined above it. How papermath reads it: where the same symbol is defined at
every order 0..n-1 (``T^{(0)} = ...``, ``T^{(1)} = ...``), the condition is blanked before the
parser (every position kept), and the recursion is read at ``T^{(k)}``; read/rules_recursion.py
then checks that the recursion it reads starts at n and says so in the readings, and refuses
the condition anywhere it does not read one (parse/script_conditions.py's refusal stands
everywhere else: a condition with no first values below it, or another relation).
"""

from __future__ import annotations

import dataclasses
import re

from .normalize import Normalized

# `\T^{(k \ge 2)} =` or `\mathbf{T}^{(k \geq 2)} =`: a left side (an = follows)
_CONDITION = re.compile(
    r"(?P<base>\\[A-Za-z]+(?:\s*\{[^{}]*\})?|[A-Za-z])\s*\^\s*\{\s*\(\s*(?P<k>[A-Za-z])"
    r"(?P<cond>\s*\\geq?\s*(?P<n>\d+))\s*\)\s*\}(?=\s*&?=)"
)


def _defined_at(text: str, base: str, order: int) -> bool:
    """Whether ``text`` defines ``base`` at the numbered order (``\\T^{(0)} =``)."""
    pattern = re.escape(base) + r"\s*\^\s*\{\s*\(\s*" + str(order) + r"\s*\)\s*\}\s*&?="
    return re.search(pattern, text) is not None


def blanked(norm: Normalized) -> Normalized:
    """``norm`` with each ``k \\ge n`` blanked in the superscript of a left side whose symbol
    the text defines at every order 0..n-1 (positions kept); the rest as it was."""
    spans: list[tuple[int, int]] = []
    for m in _CONDITION.finditer(norm.text):
        n = int(m.group("n"))
        if n < 1 or not all(_defined_at(norm.text, m.group("base"), i) for i in range(n)):
            continue
        spans.append(m.span("cond"))
    if not spans:
        return norm

    def blank(text: str) -> str:
        for a, b in spans:
            if text[a:b].strip():
                text = text[:a] + " " * (b - a) + text[b:]
        return text

    regions = tuple(dataclasses.replace(r, text=blank(r.text)) for r in norm.regions)
    return dataclasses.replace(norm, text=blank(norm.text), regions=regions)


def condition_of(written: str) -> tuple[str, int] | None:
    """``\\T^{(k \\ge 2)}`` as written -> ("k", 2); None where no condition is written."""
    m = re.search(r"\(\s*([A-Za-z])\s*\\geq?\s*(\d+)\s*\)", written)
    return (m.group(1), int(m.group(2))) if m else None
