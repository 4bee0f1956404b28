r"""Notation rule ``cases-brace-system``: ``\begin{cases}`` used as a big brace around a system
of equations, each row an equation aligned at its relation, as NYU's Deep Learning course
notes write an RNN (week 6)::

    \begin{aligned}
    \begin{cases}
    h[t]&= g(W_{h}\begin{bmatrix} x[t] \\ h[t-1] \end{bmatrix} +b_h)  \\
    h[0]&\dot=\ \boldsymbol{0},\ W_h\dot=\left[ W_{hx} W_{hh}\right] \\
    \hat{y}[t]&= g(W_yh[t]+b_y)
    \end{cases}
    \end{aligned}

A definition by cases is ``value & condition`` per row after ``lhs =``; here no left side
stands before the brace and every row is ``lhs &= rhs``: the ``&`` aligns the rows at their
relation, and the brace only groups them (LaTeX draws it, it computes nothing).

How papermath reads it: as the equations without the brace (``\begin{cases}`` and
``\end{cases}`` blanked in place, every other character kept where it is), one per row, as in
``\begin{aligned}``; a reading says so. Only where the block has at least two rows, every
row (split at ``\\`` outside braces and nested environments) has exactly one ``&`` outside
braces followed by a relation (``=``, ``:=``, ``\dot=``, ``\doteq``, ``\coloneqq``,
``\triangleq``, ``\equiv``, ``\leftarrow``, ``\gets``) with a left side before it, and the
brace opens the display (after ``$$``, ``\[``, ``$``, ``\begin{aligned}``-like
environments, or RST's ``.. math::``) and the display's end, a comma or a row break follows
it. A block with a second ``&`` in a row (a condition column), a row that is not an equation,
or a left side before the brace (``y = \begin{cases} ...``) is left to the other rules of
parse/cases.py (and refused where none reads it).

Notation rule ``dot-equals``: ``\dot=`` (also ``\dot{=}``, ``\doteq``: the sign ≐) between a
left side and a right side is a definition, read as ``:=``. In machine-learning writing ≐
says "is defined as" (Sutton & Barto's book, NYU's course notes: ``h[0] \dot= \boldsymbol{0}``,
"at the beginning, h[0] is set 0"); where a source means "is approximately equal to", the
value computed is the same, the right side's. Rewritten in place (``\dot=`` -> ``   :=``).

Examples (each reads)::

    $$\begin{cases} h_t &= \tanh(W h_{t-1} + U x_t) \\ y_t &= V h_t \end{cases}$$
    y \doteq W x
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source import Span

__all__ = ["readings", "rewrite"]

RULE = "cases-brace-system"
DOT_RULE = "dot-equals"

_BEGIN = re.compile(r"\\begin\s*\{cases\}")
_END = re.compile(r"\\end\s*\{cases\}")
_RELATION = re.compile(
    r"\s*(?:=(?!=)|:=|\\dot\s*(?:=|\{\s*=\s*\})|\\doteq(?![A-Za-z])"
    r"|\\(?:coloneqq|triangleq|equiv|leftarrow|gets)(?![A-Za-z]))"
)
# what may open the display the brace opens, and close it
_OPENER = re.compile(
    r"(?:\$\$|\$|\\\[|\\begin\s*\{(?:aligned|align\*?|equation\*?|gathered)\}"
    r"|\.\.\s+math::|:math:`)\s*$"
)
_CLOSER = re.compile(
    r"\s*(?:[.,;`]|\\\\|\$|\\\]|\\end\s*\{(?:aligned|align\*?|equation\*?|gathered)\}"
    r"|\n\s*\n|\Z)"
)
# ``\dot=``, ``\dot{=}``, ``\doteq``: a definition
_DOT_EQUALS = re.compile(r"\\dot\s*=|\\dot\s*\{\s*=\s*\}|\\doteq(?![A-Za-z])")


@dataclass(frozen=True)
class Brace:
    """A ``\\begin{cases}`` block read as a brace around equations: its two markers."""

    begin: tuple[int, int]
    end: tuple[int, int]
    rows: int


def _block_end(text: str, start: int) -> re.Match[str] | None:
    """The ``\\end{cases}`` that closes the block opened at ``start`` (nested blocks skipped)."""
    depth = 0
    i = start
    while True:
        b = _BEGIN.search(text, i)
        e = _END.search(text, i)
        if e is None:
            return None
        if b is not None and b.start() < e.start():
            depth += 1
            i = b.end()
            continue
        depth -= 1
        if depth == 0:
            return e
        i = e.end()


def _rows(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    r"""The rows between ``start`` and ``end``, split at ``\\`` outside braces and nested
    environments (a ``bmatrix``'s rows stay in its row); None where the braces do not match."""
    rows, brace, env, row, i = [], 0, 0, start, start
    while i < end:
        c = text[i]
        if c == "{":
            brace += 1
        elif c == "}":
            brace -= 1
            if brace < 0:
                return None
        elif c == "\\":
            if text.startswith("\\\\", i):
                if brace == 0 and env == 0:
                    rows.append((row, i))
                    row = i + 2
                i += 2
                continue
            if re.match(r"\\begin(?![A-Za-z])", text[i : i + 7]):
                env += 1
            elif re.match(r"\\end(?![A-Za-z])", text[i : i + 5]):
                env -= 1
            i += 2
            continue
        i += 1
    if brace != 0 or env != 0:
        return None
    rows.append((row, end))
    return [(a, b) for a, b in rows if text[a:b].strip()]


def _equation_row(text: str, a: int, b: int) -> bool:
    """``lhs &= rhs``: one ``&`` outside braces and environments, a relation after it, a left
    side before it."""
    brace, env, amps = 0, 0, []
    i = a
    while i < b:
        c = text[i]
        if c == "{":
            brace += 1
        elif c == "}":
            brace -= 1
        elif c == "\\":
            if re.match(r"\\begin(?![A-Za-z])", text[i : i + 7]):
                env += 1
            elif re.match(r"\\end(?![A-Za-z])", text[i : i + 5]):
                env -= 1
            i += 2
            continue
        elif c == "&" and brace == 0 and env == 0:
            amps.append(i)
        i += 1
    if len(amps) != 1:
        return False
    amp = amps[0]
    left = text[a:amp]
    return bool(left.strip()) and "=" not in left and bool(_RELATION.match(text, amp + 1, b))


def find(text: str) -> list[Brace]:
    """The ``\\begin{cases}`` blocks of ``text`` that brace a system of equations."""
    out = []
    for m in _BEGIN.finditer(text):
        if _OPENER.search(text, 0, m.start()) is None and text[: m.start()].strip():
            continue
        e = _block_end(text, m.start())
        if e is None or _CLOSER.match(text, e.end()) is None:
            continue
        rows = _rows(text, m.end(), e.start())
        if rows is None or len(rows) < 2:
            continue
        if all(_equation_row(text, a, b) for a, b in rows):
            out.append(Brace(m.span(), e.span(), len(rows)))
    return out


def rewrite(text: str, out: list[str]) -> None:
    """Blank the markers of each brace around equations; ``\\dot=`` becomes ``:=``."""
    for brace in find(text):
        for a, b in (brace.begin, brace.end):
            for i in range(a, b):
                out[i] = " "
    for m in _DOT_EQUALS.finditer(text):
        if out[m.start() : m.end()] != list(text[m.start() : m.end()]):
            continue  # another rule rewrote it
        for i in range(m.start(), m.end() - 2):
            out[i] = " "
        out[m.end() - 2], out[m.end() - 1] = ":", "="


def readings(text: str) -> list[tuple[Span, str, str]]:
    """(span, reading, why) for each brace read as a system and each ``\\dot=`` read as ``:=``."""
    found = []
    for brace in find(text):
        found.append(
            (
                Span(*brace.begin),
                f"a brace around {brace.rows} equations ({RULE})",
                "every row of the \\begin{cases} block is an equation aligned at its relation "
                "(`lhs &= ...`) and no left side stands before it: the brace groups the "
                "equations, each row is read as its own equation (as in \\begin{aligned})",
            )
        )
    for m in _DOT_EQUALS.finditer(text):
        found.append(
            (
                Span(m.start(), m.end()),
                f"a definition, read as := ({DOT_RULE})",
                f"{m.group(0)} (the sign ≐) says 'is defined as': the left side's value is the "
                "right side's",
            )
        )
    return found
