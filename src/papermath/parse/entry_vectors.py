r"""Notation rule ``entry-pattern-vector``: a vector written by its entries, the middle ones left
out with dots, ``\begin{bmatrix} w_1 \\ w_2 \\ \vdots \\ w_n \end{bmatrix}`` (a column) or
``\begin{bmatrix} x_1 & x_2 & \cdots & x_n \end{bmatrix}`` (a row; also with the entries
spaced, ``x_1 \, x_2 \cdots x_n``, as Udacity's notebooks type it).

What people write (Udacity's deep-learning notebooks: "the dot/inner product of two
vectors")::

    h = \begin{bmatrix} x_1 \, x_2 \cdots  x_n \end{bmatrix}
        \cdot
        \begin{bmatrix} w_1 \\ w_2 \\ \vdots \\ w_n \end{bmatrix}

How papermath reads it: the entries follow one pattern by their index, forced by the entries
written: the first with the number 1 (the next ones 2, 3, ... in order), one run of dots, the
last with a letter n: the vector w of n entries, w_1 to w_n. The matrix is rewritten in place
to the vector's name (``w``; a row to ``x^\top``), every position kept, and w is declared
``w \in \mathbb{R}^{n}`` on the entries written (the reading quotes them). Where ``w_1`` is
written elsewhere it is the same vector's first entry.

Not read so (left to the refusals as before, parse/matrix_dots.py and ``layout.NOT_READ``):
entries of two indices (``w_{11} & w_{12} \\ \vdots``: a matrix written in part), entries
that are not one letter with one index (``\xi_1^{2}``, ``f(x_1)``), numbers out of order or
a first entry other than 1, a last index that is no single letter (``x_{n-1}``, ``x_{2n}``),
dots anywhere but between the numbered entries and the last, and a family of vectors the text
defines (``h_i = ...``: ``[h_1 \\ \vdots \\ h_h]`` is the family stacked,
parse/vdots_stack.py).

Examples that read: ``h = \begin{bmatrix} x_1 & x_2 & \cdots & x_n \end{bmatrix}
\begin{bmatrix} w_1 \\ w_2 \\ \vdots \\ w_n \end{bmatrix}`` (x and w of n entries, h a number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ParseError
from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

RULE = "entry-pattern-vector"

__all__ = ["RULE", "Vector", "declarations", "find", "refusal", "rewrite"]

_MATRIX = re.compile(
    r"\\begin\s*\{(?P<env>[bpvBV]?matrix)\}(?P<body>(?:(?!\\begin|\\end).)*?)\\end\s*\{(?P=env)\}",
    re.S,
)
_ENTRY = re.compile(
    r"(?P<base>\\(?:alpha|beta|gamma|delta|epsilon|eta|theta|lambda|mu|nu|xi|pi|rho|sigma|tau"
    r"|phi|chi|psi|omega)(?![A-Za-z])|[A-Za-z])\s*_\s*(?:\{\s*(?P<i1>\d+|[A-Za-z])\s*\}|"
    r"(?P<i2>\d|[A-Za-z]))"
)
_DOTS = re.compile(r"\\(?:vdots|cdots|ldots|dots|dotsc)(?![A-Za-z])")
_SPACE = re.compile(r"(?:\s|\\[,;:! ]|\\quad|\\qquad|~)*")


@dataclass(frozen=True)
class Vector:
    """A vector written by its entries: ``base`` of ``size`` entries, a row or a column; the
    matrix at ``start:end``, the first and the last entry written at ``first`` and ``last``."""

    base: str
    size: str
    row: bool
    start: int
    end: int
    first: tuple[int, int]
    last: tuple[int, int]

    @property
    def written(self) -> str:
        """What the matrix is rewritten to: ``w``, a row ``x^\\top``."""
        return self.base + ("^\\top" if self.row else "")


def _items(body: str, offset: int) -> list[tuple[str, re.Match[str] | None, int]] | None:
    """The items of a row or a column as (kind, entry match, position): kind "entry" or
    "dots"; None where anything else is written between them."""
    out: list[tuple[str, re.Match[str] | None, int]] = []
    i = 0
    n = len(body)
    while True:
        sp = _SPACE.match(body, i)
        i = sp.end() if sp else i
        if i >= n:
            return out
        if body.startswith("&", i) or body.startswith("\\\\", i):
            i += 1 if body[i] == "&" else 2
            continue
        d = _DOTS.match(body, i)
        if d is not None:
            out.append(("dots", None, offset + i))
            i = d.end()
            continue
        e = _ENTRY.match(body, i)
        if e is None:
            return None
        after = body[e.end() : e.end() + 1]
        if after in ("^", "_", "(", "'"):
            return None  # x_1^2, f_1(x): not a plain entry
        out.append(("entry", e, offset + i))
        i = e.end()


def _vector(text: str, m: re.Match[str]) -> Vector | None:
    body = m.group("body")
    offset = m.start("body")
    rows = [r for r in re.split(r"\\\\", body) if r.strip()]
    if not rows:
        return None
    row = len(rows) == 1
    if not row and any("&" in r for r in rows):
        return None  # columns beside each other: a matrix written in part
    items = _items(body, offset)
    if items is None or len(items) < 3:
        return None
    if not row and len(rows) != len(items):
        return None  # a column: one item a row
    kinds = [k for k, _, _ in items]
    if kinds.count("dots") != 1 or kinds[-2] != "dots" or kinds[-1] != "entry":
        return None
    entries = [e for k, e, _ in items if e is not None]
    bases = {e.group("base") for e in entries}
    if len(bases) != 1:
        return None
    (base,) = bases
    numbers = [e.group("i1") or e.group("i2") for e in entries]
    if [str(k) for k in range(1, len(numbers))] != numbers[:-1]:
        return None  # written 1, 2, ... in order
    size = numbers[-1]
    if not size.isalpha() or len(size) != 1:
        return None
    dots = text[items[-2][2] : items[-2][2] + 6]
    if not row and not dots.startswith("\\vdots"):
        return None
    if row and dots.startswith("\\vdots"):
        return None
    family = rf"(?<![\\A-Za-z]){re.escape(base)}\s*_\s*\{{?\s*[A-Za-z]\s*\}}?\s*&?\s*(?::=|=)"
    if re.search(family, text):
        return None  # h_i = ...: a family of vectors (parse/vdots_stack.py)
    first, last = entries[0], entries[-1]
    return Vector(
        base,
        size,
        row,
        m.start(),
        m.end(),
        (offset + first.start(), offset + first.end()),
        (offset + last.start(), offset + last.end()),
    )


def find(text: str) -> list[Vector]:
    """Every vector written by its entries in ``text`` (see the module)."""
    found = []
    for m in _MATRIX.finditer(text):
        if "\n\n" in m.group(0):
            continue
        v = _vector(text, m)
        if v is not None and len(v.written) <= v.end - v.start:
            found.append(v)
    return found


def rewrite(text: str, out: list[str]) -> None:
    """Each vector written by its entries rewritten to its name (same length)."""
    for v in find(text):
        if any(out[k] != text[k] for k in range(v.start, v.end)):
            continue  # another rewrite took part of it
        out[v.start : v.end] = list(v.written.ljust(v.end - v.start))


def declarations(source: str, norm: str) -> list[ast.Statement]:
    """``w \\in \\mathbb{R}^{n}`` for each vector :func:`rewrite` rewrote (``norm``, the
    normalised text, holds its name where the matrix was), on the entries written."""
    out: list[ast.Statement] = []
    seen: dict[str, str] = {}
    for v in find(source):
        if norm[v.start : v.end].rstrip() != v.written:
            continue
        if seen.get(v.base, v.size) != v.size:
            continue  # two sizes for one letter: the shapes refuse it, not this rule
        seen[v.base] = v.size
        decl = declaration_on_words(v.base, v.size, WordSpans(v.first, v.last))
        if decl is None:
            continue
        shown = " ".join(source[v.start : v.end].split())
        out.append(
            ProseDeclaration(
                decl.span,
                decl.targets,
                decl.space,
                said=(
                    f"{shown}: the {'row' if v.row else 'column'} of the entries "
                    f"{source[v.first[0] : v.first[1]]} to {source[v.last[0] : v.last[1]]}, "
                    f"one pattern by index: the vector {v.base} of {v.size} entries "
                    "(entry-pattern-vector)"
                ),
            )
        )
    return out


_PAIR = re.compile(
    r"(?P<base>[A-Za-z])\s*_\s*\{\s*(?P<i>\d|[A-Za-z])\s*,?\s*(?P<j>\d|[A-Za-z])\s*\}"
)


def refusal(name: str, span: Span, text: str) -> ParseError | None:
    r"""The refusal of ``\vdots`` (``\ddots``) at ``span`` in a matrix with no name whose entries
    are one letter with two indices, ``[w_{11} & w_{12} \\ \vdots & \vdots \\ w_{n1} & w_{n2}]``
    (Udacity's hidden layer): a matrix written in part, its size said by the indices of the
    first and the last row; None for anything else (the general refusal stands)."""
    if name not in ("vdots", "ddots"):
        return None
    begin = text.rfind("\\begin", 0, span.start)
    if begin < 0 or "\\end" in text[begin : span.start]:
        return None
    m = _MATRIX.match(text, begin)
    if m is None or not m.start() < span.start < m.end():
        return None
    body = m.group("body")
    rows = [r for r in re.split(r"\\\\", body) if r.strip()]
    cells = [[c.strip() for c in r.split("&")] for r in rows]
    entries = [_PAIR.fullmatch(c) for r in cells for c in r if not _DOTS.fullmatch(c)]
    if not entries or any(e is None for e in entries):
        return None
    bases = {e.group("base") for e in entries if e is not None}
    if len(bases) != 1:
        return None
    (base,) = bases
    last = [_PAIR.fullmatch(c) for c in cells[-1]]
    rows_said = last[0].group("i") if last and last[0] is not None else "m"
    cols_said = last[-1].group("j") if last and last[-1] is not None else "n"
    big = base.upper() if base.islower() else base
    return ParseError(
        f"a matrix written by its entries {base}_{{ij}}, with rows left out (\\{name}): "
        f"papermath reads a vector written so (entry-pattern-vector: {base}_1 to {base}_n), "
        "not a matrix with no name: which value it is, and that it is the one a later equation "
        "names, the dots do not say",
        span=span,
        hint=f"name it and declare its size, {big} \\in \\mathbb{{R}}^{{{rows_said} \\times "
        f"{cols_said}}} (the rows and columns its entries number), and write {big} where the "
        "matrix stands",
    )
