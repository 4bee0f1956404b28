r"""Notation rule ``cases-dropout``: a definition by cases is read only where its meaning is
not in doubt. Today that is one form, dropout as d2l writes it (sec. 5.6, eq. 5.6.1):

    h' = \begin{cases} 0 & \textrm{ with probability } p \\
                       \frac{h}{1-p} & \textrm{ otherwise} \end{cases}

Two rows, one the number 0 "with probability p", the other any value V "otherwise" (in
either order): each entry is 0 with probability p and V's entry otherwise, which is ``m
\odot V`` with m a random mask of V's shape whose entries are 1 with probability 1 - p
(independently). The mask is a sampled input (as ``r \sim \mathrm{Bernoulli}(1 - p)``), not a
parameter; the reader (read/reader.py, ``cases_dropout``) says so.

Here (normalisation, before parsing) such a block is rewritten in place, every character
kept where it is: the value V stays, the rest becomes ``\text{@drop}(`` before it, ``)`` at
the block's last character and spaces between, so the parser reads a call the reader knows,
and carets still point at the source.
Any other ``\begin{cases}`` is left alone and refused by the parser (parse/layout.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARK = "@drop"  # short: the call must fit where \\begin{cases} was
_HEAD = "\\text{" + MARK + "}("

_BLOCK = re.compile(r"\\begin\s*\{cases\}(?P<body>.*?)\\end\s*\{cases\}", re.S)
_TEXT = r"\\(?:text|textrm|mathrm|mbox|textnormal)\s*\{"
# "with probability p" (p one symbol: a letter or Greek letter, optionally subscripted)
_PROBABILITY = re.compile(
    r"^\s*" + _TEXT + r"\s*(?:with\s+)?probability\s*\}\s*"
    r"(?P<p>(?:[A-Za-z]|\\[A-Za-z]+)(?:_(?:\{[A-Za-z0-9]+\}|[A-Za-z0-9]))?)\s*[,.;]?\s*$"
)
_OTHERWISE = re.compile(r"^\s*" + _TEXT + r"\s*otherwise\s*[,.]?\s*\}\s*[,.;]?\s*$")
_ZERO = re.compile(r"^\s*0\s*,?\s*$")


@dataclass(frozen=True)
class Dropout:
    """A block read as dropout: where its value V lies, and the probability as written."""

    start: int  # the block, in the text
    end: int
    value: tuple[int, int]  # V, without the spaces around it and a trailing comma
    probability: str  # p


def _rows(body: str, offset: int) -> list[tuple[int, int]]:
    """The rows of a block's body (split at ``\\\\`` outside braces): (start, end) in the text."""
    rows, depth, start, i = [], 0, 0, 0
    while i < len(body):
        c = body[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif body.startswith("\\\\", i) and depth == 0:
            rows.append((offset + start, offset + i))
            i += 2
            start = i
            continue
        elif c == "\\":
            i += 2
            continue
        i += 1
    rows.append((offset + start, offset + len(body)))
    return [(a, b) for a, b in rows if body[a - offset : b - offset].strip()]


def _split(text: str, start: int, end: int) -> tuple[tuple[int, int], str] | None:
    """A row ``value & condition``: the value's span and the condition's text."""
    depth = 0
    for i in range(start, end):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "&" and depth == 0 and text[i - 1] != "\\":
            return (start, i), text[i + 1 : end]
    return None


def find(text: str) -> list[Dropout]:
    """The ``\\begin{cases}`` blocks of ``text`` that read as dropout."""
    out = []
    for m in _BLOCK.finditer(text):
        rows = _rows(m.group("body"), m.start("body"))
        if len(rows) != 2:
            continue
        split = [_split(text, a, b) for a, b in rows]
        if split[0] is None or split[1] is None:
            continue
        (zero, zero_cond), (value, value_cond) = split[0], split[1]
        if not _ZERO.match(text[zero[0] : zero[1]]):
            (zero, zero_cond), (value, value_cond) = split[1], split[0]
        p = _PROBABILITY.match(zero_cond)
        if not _ZERO.match(text[zero[0] : zero[1]]) or p is None:
            continue
        if not _OTHERWISE.match(value_cond):
            continue
        a, b = value
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
            b -= 1
        if a == b:
            continue
        out.append(Dropout(m.start(), m.end(), (a, b), p.group("p")))
    return out


def rewrite(text: str, out: list[str]) -> None:
    """Each dropout block becomes ``\\text{@drop}(V)`` with V where it was."""
    for d in find(text):
        a, b = d.value
        if a - d.start < len(_HEAD) or d.end - b < 1:
            continue  # no room for the call around the value
        for i in range(d.start, d.end):
            if not (a <= i < b) and out[i] != "\n":
                out[i] = " "
        for i, c in enumerate(_HEAD):
            out[a - len(_HEAD) + i] = c
        out[d.end - 1] = ")"  # the call ends where the block does


def at(text: str, start: int) -> Dropout | None:
    """The dropout block whose rewritten call starts at ``start`` (for the reader)."""
    for d in find(text):
        if d.value[0] - len(_HEAD) == start:
            return d
    return None
