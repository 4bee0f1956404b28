r"""Notation rule ``tuple-pairs``: ``a, b = x, y`` (a tuple of names on the left, a tuple of as
many values on the right, each separated by a comma at the top level) is one equation for
each pair, ``a = x`` and ``b = y``, as Python's and the papers' parallel assignment means.

What people write: labml's fast weights, ``a^{(i)}, b^{(i)} &= W_a x^{(i)}, W_b x^{(i)}``;
``(a, b) = (x, y)`` with both tuples in parentheses.

How papermath reads it: the line is parsed once for each pair, with the other names and
values blanked (every character stays where it is, so each equation's spans, and every caret,
point into the text as typed), and the readings say which pair each equation is.

Only this exact form is read: as many values as names (two or more), no value a row of dots
(``\dots``), the whole line one equation. A tuple on the left with one value on the right
(``(h_t, c_t) = \mathrm{LSTM}(x_t, ...)``: one call returning several values) stays refused by
:mod:`papermath.parse.tuples`, with its hint.

Examples that read: ``a, b = W_a x, W_b x``; ``(a, b) = (W_a x, W_b x)``.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable

from ..errors import ParseError
from ..source import Span
from . import ast
from .tuples import _top

_LEAD = re.compile(r"\s*(?:\$\$|\\\[|\$)?\s*")
_TAIL = re.compile(r"(?:\\\\|\$\$|\\\]|\$|[,.;\s])*$")
_DOTS = re.compile(r"^\s*\\(?:dots|ldots|cdots|vdots)\s*$")

Parsed = tuple[list[ast.Statement], list[tuple[int, int]]]


def _wrapped(part: str) -> bool:
    """``(a, b)``: the parenthesis that opens ``part`` closes at its end."""
    if len(part) < 2 or part[0] != "(" or part[-1] != ")":
        return False
    depth = 0
    for i, c in enumerate(part):
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0:
            return i == len(part) - 1
    return False


def _items(text: str, a: int, b: int) -> list[tuple[int, int]] | None:
    """The comma-separated items of ``text[a:b]`` (outer parentheses, if any, left out), as
    (start, end) positions in ``text``; None where one is empty or a row of dots."""
    part = text[a:b]
    lead = len(part) - len(part.lstrip())
    a, b = a + lead, a + len(part.rstrip())
    if _wrapped(text[a:b]) and _top(text[a + 1 : b - 1], ","):
        a, b = a + 1, b - 1
    cuts = [a - 1, *(a + i for i in _top(text[a:b], ",")), b]
    out = []
    for x, y in itertools.pairwise(cuts):
        piece = text[x + 1 : y]
        if not piece.strip() or _DOTS.match(piece):
            return None
        out.append((x + 1, y))
    return out


def pairs(text: str, start: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """The names and the values of ``a, b = x, y`` on the line that starts at ``start``, as
    positions in ``text``; None where the line is not that form."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end]
    lead = _LEAD.match(line)
    a = start + (lead.end() if lead else 0)
    eqs = [start + i for i in _top(line, "=") if start + i >= a]
    if len(eqs) != 1:
        return None  # a chain a, b = x, y = ...: not this form
    eq = eqs[0]
    lhs_end = eq - 1 if text[eq - 1] == "&" else eq
    tail = _TAIL.search(line)
    rhs_end = start + (tail.start() if tail else len(line))
    names = _items(text, a, lhs_end)
    values = _items(text, eq + 1, rhs_end)
    if names is None or values is None or len(names) < 2 or len(names) != len(values):
        return None
    return names, values


@dataclasses.dataclass(frozen=True)
class PairDefinition(ast.Definition):
    """One equation of ``a, b = x, y`` (the pair its left side names)."""


def readings(statements: list[ast.Statement]) -> list[tuple[Span, str, str]]:
    """The reading notes of the equations split from tuples: (span, reading, reason)."""
    return [
        (
            s.lhs.span,
            "one pair of a tuple",
            "a, b = x, y with as many values as names: one equation for each pair, in order",
        )
        for s in statements
        if isinstance(s, PairDefinition)
    ]


def _paired(
    text: str, found: list[ast.Statement], names: list[tuple[int, int]]
) -> list[ast.Statement]:
    """The definitions whose left side is one of ``names``, marked as pairs of the tuple."""
    starts = {a + len(text[a:b]) - len(text[a:b].lstrip()) for a, b in names}
    return [
        PairDefinition(**{f.name: getattr(s, f.name) for f in dataclasses.fields(s)})
        if type(s) is ast.Definition and s.lhs.span.start in starts
        else s
        for s in found
    ]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _commas_and_parens(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The commas between the items, and the parentheses around them where written."""
    out = [(b, b + 1) for (_, b) in items[:-1]]  # each item ends at the comma after it
    a, b = items[0][0], items[-1][1]
    if a > 0 and text[a - 1] == "(" and b < len(text) and text[b] == ")":
        out += [(a - 1, a), (b, b + 1)]
    return out


def after(exc: ParseError, text: str, parse: Callable[[str], Parsed]) -> Parsed:
    """``text`` parsed again where ``exc`` refused a line ``a, b = x, y`` of it: once per pair,
    the others blanked. Raises ``exc`` where the line is not that form, and any refusal of the
    equations once split."""
    if exc.span is None or not exc.message.startswith("a tuple on the left side"):
        raise exc
    got = _retry(text, text.rfind("\n", 0, exc.span.start) + 1, parse, 0)
    if got is None:
        raise exc
    return got


def _retry(text: str, start: int, parse: Callable[[str], Parsed], depth: int) -> Parsed | None:
    found = pairs(text, start)
    if found is None or depth > 8:
        return None
    names, values = found
    glue = _commas_and_parens(text, names) + _commas_and_parens(text, values)
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    statements: list[ast.Statement] = []
    comments: list[tuple[int, int]] = []
    for k in range(len(names)):
        others = [s for i, s in enumerate(names + values) if i % len(names) != k]
        got = _parse(_blank(text, others + glue), parse, depth)
        if got is None:
            return None
        found_k, comments_k = got
        if k == 0:  # the rest of the region, once
            statements.extend(found_k)
            comments.extend(comments_k)
        else:
            statements.extend(s for s in found_k if start <= s.span.start < line_end)
    return _paired(text, statements, names), comments


def _parse(text: str, parse: Callable[[str], Parsed], depth: int) -> Parsed | None:
    try:
        return parse(text)
    except ParseError as exc:  # another line of the same form, or a refusal of its own
        if exc.span is None or not exc.message.startswith("a tuple on the left side"):
            raise
        return _retry(text, text.rfind("\n", 0, exc.span.start) + 1, parse, depth + 1)
