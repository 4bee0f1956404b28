r"""Notation rule ``running-average-name`` (the recognition; the reading is
read/rules_running_average.py): a running average named by its formula, ``E[g^2]_t``, written
at a step: ADADELTA (Zeiler 2012, eq. 8) and optax's ``adadelta`` docstring::

    E[g^2]_t = \rho \cdot E[g^2]_{t-1} + (1-\rho) \cdot g_t^2
    \Delta w_t = -\frac{\sqrt{E[\Delta w^2]_{t-1} + \epsilon}}{\sqrt{E[g^2]_t + \epsilon}} \cdot g_t

``E[x]`` alone is a mean over an axis (read/rules_stats.py); a bracket that carries a STEP
outside it (``E[g^2]_t``, ``E[g^2]_{t-1}``) is one value per step, the running average of what
the bracket holds, named by it. It is read so where the source says so: an equation defines
it (``E[g^2]_t = ...``, a left side), or the prose beside a mention calls it an average
("the running average of squared gradients"). The bracket must hold one symbol or its square
(``g^2``, ``\Delta w^2``).

Here (normalisation, before parsing) each such name is rewritten in place, every character
kept where it is: ``E[g^2]_t`` -> ``E_{g2,t}`` (the letters and digits of the bracket a label,
the step kept, spaces before the comma where the name was longer): one symbol, key ``E_g2``,
at step t. Where the label does
not fit in the text's room the name is left as written (and refused as before, at the bracket).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(
    r"(?<![A-Za-z\\])E\s*\[(?P<x>\s*(?P<sym>\\?[A-Za-z]+(?:\s+[A-Za-z])?)\s*(?:\^\s*(?:2|\{\s*2\s*\}))?"
    r"\s*)\]\s*_\s*(?P<step>[A-Za-z]|\{\s*[A-Za-z]\s*(?:[-+]\s*\d+\s*)?\})"
)
_AVERAGE = re.compile(
    r"(?i)\b(?:running|moving|decaying|exponential(?:ly)?(?:\s+weighted)?)\s+"
    r"(?:moving\s+)?average"
)


@dataclass(frozen=True)
class Named:
    """One running average written at a step: where, its label and what it averages."""

    start: int
    end: int
    label: str  # g2
    symbol: str  # the symbol inside, as written (g, \Delta w)
    step: str  # t, t-1


def _label(x: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", x.replace("\\", ""))


def _line(text: str, at: int) -> str:
    a = text.rfind("\n", 0, at) + 1
    b = text.find("\n", at)
    return text[a : len(text) if b < 0 else b]


def find(text: str) -> list[Named]:
    """The running averages of ``text`` the source defines or calls an average."""
    found = list(_NAME.finditer(text))
    said: set[str] = set()
    for m in found:
        label = _label(m.group("x"))
        prefix = text[text.rfind("\n", 0, m.start()) + 1 : m.start()].strip()
        after = text[m.end() :].lstrip()
        if after.startswith(("=", "&=", "\\leftarrow")) and prefix in ("", "&", "$", "$$"):
            said.add(label)  # a left side: the source defines it
        elif _AVERAGE.search(_line(text, m.start())):
            said.add(label)  # "the running average of squared gradients"
    out = []
    for m in found:
        label = _label(m.group("x"))
        if label not in said:
            continue
        step = re.sub(r"\s|[{}]", "", m.group("step"))
        out.append(Named(m.start(), m.end(), label, " ".join(m.group("sym").split()), step))
    return out


def rewrite(text: str, out: list[str]) -> None:
    """Each name becomes ``E_{LABEL,STEP}`` where it was, the rest of it blanked."""
    for n in find(text):
        room = n.end - n.start - len(f"E_{{{n.label},{n.step}}}")
        if room < 0 or any(c == "\n" for c in text[n.start : n.end]):
            continue  # no room: left as written (refused as before)
        new = f"E_{{{n.label}{' ' * room},{n.step}}}"  # the whole span one symbol
        for i in range(n.start, n.end):
            out[i] = " "
        for i, c in enumerate(new):
            out[n.start + i] = c
