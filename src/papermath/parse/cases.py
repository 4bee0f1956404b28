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
Notation rule ``cases-comparison``: a value defined by two cases, one under a comparison and
the other "otherwise" (a smooth L1 / Huber loss, PyTorch's docstrings):

    z = \begin{cases} 0.5 (x - y)^2, & \text{if } |x - y| < 1 \\
                       |x - y| - 0.5, & \text{otherwise} \end{cases}

is a selection, entry by entry: where the comparison holds, the first value, elsewhere the
second. The comparison is one of ``<``, ``>``, ``\le``, ``\ge`` (``\leq``, ``\geq``,
``\lt``, ``\gt``) between two values, compared entry by entry. Such a block is rewritten here
like dropout, every character kept where it is: ``\text{@lt1}(A, L, R, B)`` (the operator, and
1 where the compared row comes first, 2 where "otherwise" does), which the reader
(read/rules_cases.py) reads as ``m \odot A + (1 - m) \odot B`` with ``m`` the Heaviside step
of the comparison (1 where it holds, 0 elsewhere). A condition that is an equation (``y_n =
1``: a label's value, read by parse/label_cases.py), a flag (``\texttt{nesterov = False}``;
with a default the source gives, parse/flag_default.py), words, or more than two rows are not
read here: the block is left alone (and refused by the parser, parse/layout.py, where no
other rule reads it).
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


Row = tuple[tuple[int, int], str]  # a row of a cases block: its value's span, its condition


def two_rows(text: str, block: re.Match[str]) -> tuple[Row, Row] | None:
    """The two rows of a ``\\begin{cases}`` block (``_BLOCK``'s match), each split into its
    value and its condition; None for another number of rows or a row with no ``&``."""
    rows = _rows(block.group("body"), block.start("body"))
    if len(rows) != 2:
        return None
    first, second = (_split(text, a, b) for a, b in rows)
    return None if first is None or second is None else (first, second)


def stripped(text: str, a: int, b: int) -> tuple[int, int]:
    """(a, b) without the spaces around it and a trailing comma."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
        b -= 1
    return a, b


def find(text: str) -> list[Dropout]:
    """The ``\\begin{cases}`` blocks of ``text`` that read as dropout."""
    out = []
    for m in _BLOCK.finditer(text):
        if (rows := two_rows(text, m)) is None:
            continue
        (zero, zero_cond), (value, value_cond) = rows
        if not _ZERO.match(text[zero[0] : zero[1]]):
            (zero, zero_cond), (value, value_cond) = rows[1], rows[0]
        p = _PROBABILITY.match(zero_cond)
        if not _ZERO.match(text[zero[0] : zero[1]]) or p is None:
            continue
        if not _OTHERWISE.match(value_cond):
            continue
        a, b = stripped(text, *value)
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
    rewrite_piecewise(text, out)  # \begin{cases} A & if L < R \\ B & otherwise


def at(text: str, start: int) -> Dropout | None:
    """The dropout block whose rewritten call starts at ``start`` (for the reader)."""
    for d in find(text):
        if d.value[0] - len(_HEAD) == start:
            return d
    return None


# ---- cases-comparison -------------------------------------------------------------------
_IF = re.compile(r"\s*(?:" + _TEXT + r"\s*(?:if|for|when|where)\s*\}|\bif\b)?")
_SPACES = re.compile(r"(?:\s|\\[;,:!]|\\quad|\\qquad|\\ )*")
_COMPARE = re.compile(r"\\(?:leq?|geq?|lt|gt)(?![A-Za-z])|<|>")
_OPS = {
    "<": "lt",
    "\\lt": "lt",
    ">": "gt",
    "\\gt": "gt",
    "\\le": "le",
    "\\leq": "le",
    "\\ge": "ge",
    "\\geq": "ge",
}
_NOT_MATH = re.compile(r"\\(?:text|textrm|mathrm|mbox|texttt|textnormal|operatorname)\b|=|&")
PIECEWISE = re.compile(r"@(lt|gt|le|ge)([12])")


@dataclass(frozen=True)
class Piecewise:
    """A block read as a selection: where its pieces lie in the text."""

    start: int
    end: int
    op: str  # lt, gt, le, ge
    first: bool  # the compared row comes first
    pieces: tuple[tuple[int, int], ...]  # the four arguments' spans, in the text's order


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """(a, b) without spaces, spacing commands and a trailing comma or full stop."""
    while True:
        m = _SPACES.match(text, a, b)
        if m is None or m.end() == a:
            break
        a = m.end()
    while b > a:
        if text[b - 1].isspace() or text[b - 1] in ",.;":
            b -= 1
            continue
        m = re.search(r"(?:\\[;,:!]|\\quad|\\qquad|\\ )$", text[a:b])
        if m is None:
            break
        b = a + m.start()
    return a, b


def _condition(text: str, a: int, b: int) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    r"""``\text{if } L < R``: the operator and the spans of L and R; else None."""
    m = _IF.match(text, a, b)
    if m is not None:
        a = m.end()
    a, b = _trim(text, a, b)
    ops = list(_COMPARE.finditer(text, a, b))
    if len(ops) != 1 or _NOT_MATH.search(text, a, b):
        return None
    op = ops[0]
    left, right = _trim(text, a, op.start()), _trim(text, op.end(), b)
    if left[0] == left[1] or right[0] == right[1]:
        return None
    return _OPS[op.group(0)], left, right


def find_piecewise(text: str) -> list[Piecewise]:
    r"""The ``\begin{cases}`` blocks of ``text`` that read as a selection by a comparison."""
    out = []
    for m in _BLOCK.finditer(text):
        rows = _rows(m.group("body"), m.start("body"))
        if len(rows) != 2:
            continue
        split = [x for a, b in rows if (x := _split(text, a, b)) is not None]
        if len(split) != 2:
            continue
        otherwise = [bool(_OTHERWISE.match(cond)) for _, cond in split]
        if otherwise not in ([False, True], [True, False]):
            continue
        k = otherwise.index(False)
        cond_start = split[k][0][1] + 1  # after the row's &
        cond_end = rows[k][1]
        found = _condition(text, cond_start, cond_end)
        if found is None:
            continue
        op, left, right = found
        values = [_trim(text, *split[i][0]) for i in (0, 1)]
        if any(a == b or _NOT_MATH.search(text, a, b) for a, b in values):
            continue
        if k == 0:
            pieces = (values[0], left, right, values[1])
        else:
            pieces = (values[0], values[1], left, right)
        out.append(Piecewise(m.start(), m.end(), op, k == 0, pieces))
    return out


def rewrite_piecewise(text: str, out: list[str]) -> None:
    r"""Each block becomes ``\text{@lt1}(A, L, R, B)`` with its pieces where they were."""
    for p in find_piecewise(text):
        head = "\\text{@" + p.op + ("1" if p.first else "2") + "}("
        first = p.pieces[0][0]
        gaps = [(p.pieces[i][1], p.pieces[i + 1][0]) for i in range(3)]
        if first - p.start < len(head) or any(b - a < 1 for a, b in gaps):
            continue  # no room for the call's head or a comma
        if p.end - p.pieces[3][1] < 1:
            continue
        keep = [False] * (p.end - p.start)
        for a, b in p.pieces:
            for i in range(a, b):
                keep[i - p.start] = True
        for i in range(p.start, p.end):
            if not keep[i - p.start] and out[i] != "\n":
                out[i] = " "
        for i, c in enumerate(head):
            out[p.start + i] = c
        for a, _ in gaps:
            out[a] = ","
        out[p.end - 1] = ")"


def piecewise_at(text: str, start: int) -> Piecewise | None:
    """The block whose rewritten call starts at ``start`` (for the reader)."""
    for p in find_piecewise(text):
        if p.start == start:
            return p
    return None


# ---- what a block that is not read is (for the refusal's words) ---------------------------
_FLAG = re.compile(r"\\texttt\s*\{|\\text\s*\{[^{}]*\}\s*=\s*\\text\s*\{\s*'|=\s*(?:True|False)\b")
_EQUALS = re.compile(r"(?:\\dot\s*|:)?=(?!=)|\\(?:coloneqq|triangleq|equiv|leftarrow)\b")
_LABEL_VALUE = re.compile(r"=\s*-?\s*\d+(?:\.\d+)?\s*[,.;]?\s*$")


def refusal(text: str, start: int) -> tuple[str, str] | None:
    r"""The words of the refusal of the ``\begin{cases}`` at ``start`` where they can be more
    precise than "not read yet": a brace around a system of equations, a condition on a flag
    of the code, a condition on a label's value; else None."""
    m = _BLOCK.match(text, start)
    if m is None:
        return None
    rows = _rows(m.group("body"), m.start("body"))
    split = [_split(text, a, b) for a, b in rows]
    aligned = [x for x in split if x is not None]  # rows with no & continue a matrix's row
    if len(aligned) >= 2 and all(_EQUALS.match(x[1].lstrip()) for x in aligned):
        return (
            "\\begin{cases} braces a system of equations here (each row is an equation, "
            "`h &= ...`), not a definition by cases",
            "write the equations without the brace (one per line, or in \\begin{aligned})",
        )
    conditions = [x[1] for x in split if x is not None]
    if any(_FLAG.search(c) for c in conditions):
        flags = ", ".join(" ".join(c.rstrip(" ,.;\\").split()) for c in conditions[:3])
        return (
            f"a definition by cases on a flag of the code ({flags}), not on a value: the cases "
            "are two forms of the model",
            "write the form the model uses as its own equation (or each form under its own name)",
        )
    if len(conditions) >= 2 and all(_LABEL_VALUE.search(c.rstrip(" ,.;\\")) for c in conditions):
        said = ", ".join(" ".join(c.rstrip(" ,.;\\").split()) for c in conditions[:3])
        return (
            f"a definition by cases on a label's value ({said}) is not read yet",
            "write the cases as one formula the labels select, e.g. \\frac{1 + y_n}{2} A + "
            "\\frac{1 - y_n}{2} B for labels in {1, -1}",
        )
    return None
