r"""Notation rule ``cases-label`` (the recognition; the reading is read/rules_label_cases.py): a
value defined by cases on the value of one label, each row under ``label = number`` (PyTorch's
HingeEmbeddingLoss, its labels 1 and -1)::

    l_n = \begin{cases} x_n, & \text{if}\; y_n = 1,\\
                        \max \{0, \Delta - x_n\}, & \text{if}\; y_n = -1, \end{cases}

Every row's condition is one symbol (the same in every row: ``y_n``, ``y``, ``y_{i}``) equal
to a number, the numbers all different; the last row may say ``\text{otherwise}`` instead.
Here (normalisation, before parsing) such a block is rewritten in place, every character kept
where it is, as parse/cases.py rewrites the other definitions by cases: the row values and the
first row's label stay, the rest becomes ``\text{@lab}(`` before the first value, commas
between the pieces and ``)`` at the block's last character, so the parser reads a call
``\text{@lab}(A_1, y_n, A_2, ...)`` the reader knows. Any other condition (a comparison, a
flag of the code, words, two different symbols) is not this rule's: the block is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..source import Span
from . import ast
from .cases import _BLOCK, _OTHERWISE, _TEXT, _rows, _split, stripped

MARK = "@lab"
_HEAD = "\\text{" + MARK + "}("
_SPACING = r"(?:\s|\\[;,:!]|\\quad|\\qquad|\\ |\\hspace\s*\{[^{}]*\})*"
_IF = r"(?:" + _TEXT + r"\s*(?:if|for|when)\s*\}|\bif\b)?"
# y_n = 1, y = -1, y_{i} = 0 (a letter, optionally \text{..} or \mathrm{..}, with a subscript)
_SYMBOL = (
    r"(?:[A-Za-z]|\\(?:text|mathrm|mathbf)\s*\{\s*[A-Za-z]\s*\})(?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?"
)
_CONDITION = re.compile(
    r"^" + _SPACING + _IF + _SPACING + r"(?P<sym>" + _SYMBOL + r")" + _SPACING + r"=" + _SPACING
    + r"(?P<value>-?\s*\d+(?:\.\d+)?)" + _SPACING + r"[,.;]?" + _SPACING + r"$"
)  # fmt: skip


@dataclass(frozen=True)
class LabelCases:
    """A block read as a selection by a label's value: where its pieces lie in the text."""

    start: int
    end: int
    label: tuple[int, int]  # the first row's label (y_n), where it is written
    values: tuple[tuple[int, int], ...]  # each row's value, in the text's order
    numbers: tuple[float | None, ...]  # each row's label value; None: "otherwise" (last)


def _plain(written: str) -> str:
    return "".join(written.split())


def find(text: str) -> list[LabelCases]:
    """The ``\\begin{cases}`` blocks of ``text`` that select by a label's value."""
    out = []
    for m in _BLOCK.finditer(text):
        rows = _rows(m.group("body"), m.start("body"))
        split = [_split(text, a, b) for a, b in rows]
        if len(split) < 2 or any(x is None for x in split):
            continue
        values: list[tuple[int, int]] = []
        numbers: list[float | None] = []
        label: tuple[int, int] | None = None
        symbol = None
        for k, x in enumerate(split):
            assert x is not None
            (a, b), condition = x
            cond = _CONDITION.match(condition)
            last = k == len(split) - 1
            if cond is None:
                if last and k >= 2 and _OTHERWISE.match(condition):
                    numbers.append(None)
                    values.append(stripped(text, a, b))
                    continue
                break
            if symbol is None:
                symbol = _plain(cond.group("sym"))
                at = b + 1 + cond.start("sym")  # after the row's &
                label = (at, at + len(cond.group("sym")))
            elif _plain(cond.group("sym")) != symbol:
                break
            numbers.append(float(_plain(cond.group("value"))))
            values.append(stripped(text, a, b))
        else:
            given = [n for n in numbers if n is not None]
            if label is None or len(set(given)) != len(given) or any(a == b for a, b in values):
                continue
            out.append(LabelCases(m.start(), m.end(), label, tuple(values), tuple(numbers)))
    return out


def pieces(block: LabelCases) -> list[tuple[int, int]]:
    """The call's arguments in the text's order: the first value, the label, the others."""
    return [block.values[0], block.label, *block.values[1:]]


def rewrite(text: str, out: list[str]) -> None:
    r"""Each block becomes ``\text{@lab}(A_1, y, A_2, ...)`` with its pieces where they were."""
    for block in find(text):
        parts = pieces(block)
        first = parts[0][0]
        gaps = [(parts[i][1], parts[i + 1][0]) for i in range(len(parts) - 1)]
        if first - block.start < len(_HEAD) or any(b - a < 1 for a, b in gaps):
            continue  # no room for the call's head or a comma
        if block.end - parts[-1][1] < 1:
            continue
        keep = [False] * (block.end - block.start)
        for a, b in parts:
            for i in range(a, b):
                keep[i - block.start] = True
        for i in range(block.start, block.end):
            if not keep[i - block.start] and out[i] != "\n":
                out[i] = " "
        for i, c in enumerate(_HEAD):
            out[first - len(_HEAD) + i] = c
        for a, _ in gaps:
            out[a] = ","
        out[block.end - 1] = ")"


def at(text: str, start: int) -> LabelCases | None:
    """The block whose rewritten call starts at ``start`` (for the reader)."""
    for block in find(text):
        if block.values[0][0] - len(_HEAD) == start:
            return block
    return None


# ---- the same selection written as code: `output if y_true == 1, else 1 - output` --------
CODE_MARK = "@labc"  # the call's head: (A, the label, its value, B)


def code_select(parser: Any, value: ast.Node) -> ast.Node | None:
    """After ``A`` at the keyword ``if`` (parse/code.py's parser): ``A if y == 1 else B``
    (Keras writes ``A if y_true == 1, else B``), the label a name and its value a number, as
    the call ``\\text{@labc}(A, y, 1, B)`` the reader reads as cases on the label (B where the
    label has another value); None (nothing taken) for any other condition."""
    saved = parser.i
    keyword = parser.take()  # if
    label = parser.postfix()
    if not (parser.at("==") and isinstance(label, ast.Sub | ast.Letter)):
        parser.i = saved
        return None
    parser.take()
    number = parser.unary()
    plain = number.body if isinstance(number, ast.Neg) else number
    if not isinstance(plain, ast.Number):
        parser.i = saved
        return None
    if parser.at(","):
        parser.take()
    if not (parser.tok.kind == "name" and parser.tok.text == "else"):
        parser.i = saved
        return None
    parser.take()
    other = parser.expr()
    head = ast.Text(Span(keyword.start, keyword.end), "text", CODE_MARK)
    return ast.Call(Span(value.span.start, other.span.end), head, (value, label, number, other))
