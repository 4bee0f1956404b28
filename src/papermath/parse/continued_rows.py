r"""Rule ``continued-row``: a row break ``\\`` whose next row goes on with ``& +``: one
expression broken over rows, the rows after the first beginning with the operator that joins
them.

What people write (Chainer's TreeLSTM docstring, a sum over a node's children, and every
long sum typeset in ``aligned``)::

    c &= \tanh(a) \text{sigmoid}(i) \\
      & + c_{\text{1}} \text{sigmoid}(f_{\text{1}}), \\
      & + c_{\text{2}} \text{sigmoid}(f_{\text{2}}), \\
      & + ..., \\
      & + c_{\text{N}} \text{sigmoid}(f_{\text{N}}), \\
    h &= \tanh(c) \text{sigmoid}(o).

How papermath reads it: ``\\`` ends a row; where the next row begins with ``+`` (``& +``,
``&\quad +``, ``+``) or with ``& -`` (the ``&`` aligning it under the expression, as a new
row's minus sign never is), that row cannot be a statement of its own (it has no left side,
and it begins with a binary operator with nothing before it): it continues the expression of
the row before, so the break is a space, as LaTeX typesets it. A comma that ends such a row,
outside every bracket (``\text{sigmoid}(f_{\text{1}}), \\``), is punctuation: read as a
separator of statements the next row would be ``+ c_2 ...`` with nothing before it, so the
comma separates nothing. The readings say which rows were joined. A comma before a row that
begins an equation of its own (``a &= b, \\ c &= d``) stays what it was.

Examples (each reads):

    \begin{aligned} y &= W x \\ & + b \end{aligned}

    \begin{aligned} c &= \tanh(a) \\ & + \tanh(b), \\ & + \tanh(d) \\ h &= \tanh(c) \end{aligned}
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from ..read.reader import Reader

RULE = "continued-row"

__all__ = ["RULE", "blank", "joined", "note"]

# a row's spacing before its operator: `&`, `\quad`, `\qquad`, `\;`, `{}` (no nesting)
_SPACING = re.compile(r"(?:\s|&|\\q?quad(?![A-Za-z])|\\[;:,!]|\{\})*+")
# the optional [2pt] of a row break
_BREAK_SPACE = re.compile(r"[ \t]*+\[[^\]\n]{0,20}\]")
# a row break `\\` (not after a third backslash), or an environment's \begin or \end
_BREAK_OR_ENV = re.compile(r"\\(begin|end)[ \t]*+\{[ \t]*+([A-Za-z]++\*?)[ \t]*+\}|(?<!\\)\\\\")
# environments whose rows are a table's, not an equation's
_TABLES = frozenset(
    {"matrix", "bmatrix", "pmatrix", "vmatrix", "Vmatrix", "Bmatrix", "smallmatrix", "cases"}
    | {"array", "dcases", "rcases", "tabular"}
)
# a row's end that is its operator (and TeX's empty group after it): `W x + {}`, `y &=`
_ENDS_WITH_OPERATOR = re.compile(r"(?:[+=-]|\\cdot|\\times|\\odot)[ \t]*+(\{\})?[ \t]*+\Z")
_OPENERS = "([{"
_CLOSERS = ")]}"


def _next_row_operator(text: str, after: int) -> int | None:
    """Where the operator of the row after the ``\\\\`` that ends at ``after`` stands, where
    that row begins with ``& +`` (see the module); else None."""
    m = _BREAK_SPACE.match(text, after)
    pos = m.end() if m is not None else after
    m = _SPACING.match(text, pos)
    assert m is not None  # the pattern matches the empty string
    lead, end = m.group(), m.end()
    if end >= len(text):
        return None
    if text[end] == "+":
        return end
    if text[end] == "-" and "&" in lead and text[end + 1 : end + 2] != "-":
        return end
    return None


def _comma_at_depth_zero(text: str, comma: int) -> bool:
    """Whether the comma at ``comma`` stands outside every bracket of its row."""
    lo = max(0, comma - 500)  # a row is read back at most this far
    start = max(text.rfind("\\\\", lo, comma), text.rfind("\n\n", lo, comma), lo)
    depth = 0
    for ch in text[start:comma]:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
    return depth == 0


def _breaks(text: str) -> Iterator[tuple[int, int]]:
    """Each row break ``\\\\`` (its start and end) outside a matrix, ``cases`` or ``array``:
    there a break separates the rows of a table (``& -1`` is a row whose first cell is empty)."""
    envs: list[str] = []
    for m in _BREAK_OR_ENV.finditer(text):
        if m.group(1) is not None:  # \begin{name} or \end{name}
            if m.group(1) == "begin":
                envs.append(m.group(2))
            elif envs and envs[-1] == m.group(2):
                envs.pop()
            continue
        if not (envs and envs[-1].rstrip("*") in _TABLES):
            yield m.start(), m.end()


def joined(text: str) -> list[tuple[int, int, int | None]]:
    """Each row break that the next row continues: (its start, the position of the next row's
    operator, the comma that ends its row or None)."""
    out: list[tuple[int, int, int | None]] = []
    for pos, end in _breaks(text):
        if (operator := _next_row_operator(text, end)) is not None:
            lo = max(0, pos - 200)
            before = text[lo:pos].rstrip()
            comma = lo + len(before) - 1 if before[-1:] == "," else None
            if comma is not None and not _comma_at_depth_zero(text, comma):
                comma = None
            out.append((pos, operator, comma))
    return out


def ended(text: str) -> list[tuple[int, int, int | None]]:
    """Each row break after a row that ends with its operator (``W x + {} \\\\``, ``y &=
    \\\\``): (its start, the end of the next row's leading ``&`` and spacing, the empty group
    ``{}`` after the operator or None)."""
    out: list[tuple[int, int, int | None]] = []
    for pos, end in _breaks(text):
        lo = max(0, pos - 40)
        m = _ENDS_WITH_OPERATOR.search(text, lo, pos)
        if m is None:
            continue
        lead = _SPACING.match(text, end)
        assert lead is not None  # the pattern matches the empty string
        if lead.end() >= len(text) or text.startswith("\\end", lead.end()):
            continue  # the last row: an operator with nothing after it stays refused
        out.append((pos, lead.end(), m.start(1) if m.group(1) else None))
    return out


def blank(text: str, out: list[str]) -> None:
    """Blank each continued row's ``\\\\``, the spacing before the next row's operator
    (``&``, ``\\quad``), and the comma that ends its row: spaces, newlines kept. The operator
    moves up to where the ``\\\\`` was, so that the row before ends with it and a newline
    after it continues the expression wherever the text is (an environment or bare lines).
    After a row that ends with its operator, the ``\\\\``, the next row's ``&`` and spacing,
    and an empty group ``{}`` after the operator (TeX's spacing for a binary operator at the
    end of a row) are blanked."""
    for start, end, comma in joined(text):
        if "".join(out[start : end + 1]) != text[start : end + 1]:
            continue  # an earlier stage blanked or rewrote it
        for i in range(start, end + 1):
            out[i] = "\n" if text[i] == "\n" else " "
        out[start] = text[end]
        if comma is not None and out[comma] == ",":
            out[comma] = " "
    for start, end, group in ended(text):
        if "".join(out[start:end]) != text[start:end]:
            continue
        for i in range(start, end):
            out[i] = "\n" if text[i] == "\n" else " "
        if group is not None and "".join(out[group : group + 2]) == "{}":
            out[group] = out[group + 1] = " "


def note(reader: Reader) -> None:
    """Say in the readings which rows were read as one expression."""
    text = reader.source.text
    for start, _lead, _group in ended(text):
        reader.note(
            Span(start, start + 2),
            "a row continued",
            "a row break after a row that ends with its operator (+, -, =, \\cdot, with TeX's "
            "empty group {} or not): the expression goes on in the next row; the break is "
            "layout, read as a space",
        )
    for start, _operator, comma in joined(text):
        said = "a comma and a row break" if comma is not None else "a row break"
        at = comma if comma is not None else start
        reader.note(
            Span(at, start + 2),
            "a row continued",
            f"{said} before a row that begins with its operator (`& +`): that row has no left "
            "side of its own, so it goes on with the expression of the row before; the break "
            + ("and the comma are" if comma is not None else "is")
            + " layout, read as a space",
        )


def sum_hint(text: str, span: Span) -> str | None:
    """The hint for dots that stand for terms of a sum written out (``a_1 + ... + a_N``, as the
    rows above are): papermath reads a sum written with ``\\sum``, not one elided with dots.
    None where the dots are not between two ``+``."""
    before = text[: span.start].rstrip()
    after = text[span.end :].lstrip(" \t\n,")
    after = after[2:].lstrip() if after.startswith("\\\\") else after
    after = _SPACING.sub("", after[:40], count=1)
    if not (before.endswith("+") and after.startswith("+")):
        return None
    return (
        "a sum written out with dots is read where its terms are one pattern, the subscripts the "
        "only difference (a_1 + a_2 + \\dots + a_N: read/rules_dotted_terms.py); these terms "
        "are not: write it with \\sum, as \\sum_{n=1}^{N} a_n, and say what N is"
    )
