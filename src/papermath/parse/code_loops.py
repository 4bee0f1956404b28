r"""Notation rule ``code-loop-cases``: a list built entry by entry in a loop written as code,
one of two values by a comparison, then reduced (Keras' Huber docstring)::

    ```python
    for x in error:
        if abs(x) <= delta:
            loss.append(0.5 * x^2)
        elif abs(x) > delta:
            loss.append(delta * abs(x) - 0.5 * delta^2)

    loss = mean(loss, axis=-1)
    ```

How papermath reads it: the loop runs over the entries x of the vector ``error`` and puts
one value per entry in the list ``loss``: the first value where the comparison holds, the
second where it does not; that is a definition by cases entry by entry (rule
``cases-comparison``, read/rules_cases.py), with ``x`` standing for the entries of
``error``. The line after the loop that computes the list's name from the list
(``loss = mean(loss, axis=-1)``) takes that vector where it names the list, so the whole
reads as::

    loss = mean(\begin{cases} 0.5\, error^2 & |error| \le \delta \\
                 \delta |error| - 0.5 \delta^2 & \text{otherwise} \end{cases}, axis=-1)

Read only in this shape: ``for X in E:`` over a name E; inside, ``if C:`` with one
``L.append(A)``, then ``elif C':`` (C' the opposite comparison of the same two values:
``<=`` and ``>``, ``<`` and ``>=``) or ``else:`` with one ``L.append(B)``; then, at the
loop's indentation, ``L = f(L, ...)``; the values and the comparison use the loop variable
only entry by entry (no reduction, no call other than an elementwise function). Anything
else is refused at its keyword, as before (``a loop (for ...) ... is not read``).

Example (reads):

    ```python
    for x in error:
        if abs(x) <= delta:
            loss.append(0.5 * x**2)
        else:
            loss.append(delta * abs(x))
    loss = mean(loss, axis=-1)
    ```
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import ParseError
from ..source import Span
from . import ast

if TYPE_CHECKING:
    from .code import CodeDefinition, _Parser

RULE = "code-loop-cases"

_FOR = re.compile(r"for\s+(?P<x>[A-Za-z_]\w*)\s+in\s+(?P<e>[A-Za-z_]\w*)\s*:\s*$")
_IF = re.compile(r"(?P<kw>if|elif)\s+(?P<cond>.+?)\s*:\s*$")
_ELSE = re.compile(r"else\s*:\s*$")
_APPEND = re.compile(r"(?P<list>[A-Za-z_]\w*)\s*\.\s*append\s*\((?P<value>.*)\)\s*$")
# the opposite of each comparison, on the same two values
_OPPOSITE = {"<=": ">", ">": "<=", "<": ">=", ">=": "<"}
_OPS = {"<=": "le", "<": "lt", ">=": "ge", ">": "gt"}
# calls a value may make on the loop variable: functions of one entry (NumPy's, elementwise)
ELEMENTWISE_CALLS = frozenset(
    {"abs", "square", "sqrt", "log", "exp", "tanh", "sigmoid", "relu", "maximum", "minimum"}
)


@dataclasses.dataclass(frozen=True)
class Loop:
    """A loop read as a selection: where it lies and what it selects."""

    start: int  # the `for`
    end: int  # the end of its last line
    op: str  # le, lt, ge, gt: the comparison of the first value
    variable: str  # x
    over: str  # error
    listed: str  # loss
    over_at: int  # where E is written in the `for` line

    def reading(self) -> tuple[str, str]:
        """What the readings say of the loop: (reading, why)."""
        return (
            "a list built in a loop, as a vector",
            f"for {self.variable} in {self.over}: each pass appends one of two values to "
            f"{self.listed} by a comparison, so {self.listed} is the vector with one entry per "
            f"entry of {self.over} ({self.variable} stands for that entry): a definition by "
            f"cases entry by entry, which the line after the loop uses where it names "
            f"{self.listed}; {self.over}, whose entries the loop reads, is given (an input)",
        )


def _indent(text: str, pos: int) -> int:
    return pos - (text.rfind("\n", 0, pos) + 1)


def find(
    text: str,
    lines: list[tuple[int, int, str]],
    k: int,
    reader: tuple[type[_Parser], Callable[[str, int], ast.Node], type[CodeDefinition]],
) -> tuple[Loop, CodeDefinition, int] | None:
    """The loop whose ``for`` is ``lines[k]`` (lines of code: start, end, where), read as
    one definition (the line after it, with the selection in place of the list), and how
    many lines it takes; None where it is not in the shape this rule reads. ``reader``: the
    line parser, the symbol maker and the definition type of parse/code.py (passed in, so
    that this module does not import the one that imports it)."""
    _Parser, symbol, CodeDefinition = reader

    a, b, where = lines[k]
    head = _FOR.match(text, a, b)
    if head is None or not where.endswith("block") or k + 5 >= len(lines):
        return None
    body = lines[k + 1 : k + 5]
    level = _indent(text, a)
    if any(_indent(text, s) <= level for s, _, _ in body):
        return None
    (s1, e1, _), (s2, e2, _), (s3, e3, _), (s4, e4, _) = body
    first, second = _IF.match(text, s1, e1), _APPEND.match(text, s2, e2)
    third = _IF.match(text, s3, e3) or _ELSE.match(text, s3, e3)
    fourth = _APPEND.match(text, s4, e4)
    if first is None or first.group("kw") != "if" or second is None or fourth is None:
        return None
    if third is None or (third.re is _IF and third.group("kw") != "elif"):
        return None
    if not (_indent(text, s2) > _indent(text, s1) == _indent(text, s3) < _indent(text, s4)):
        return None
    listed = second.group("list")
    if fourth.group("list") != listed:
        return None
    x, over = head.group("x"), head.group("e")
    try:
        cond = _comparison(_Parser(text, first.start("cond"), first.end("cond"), where))
        if cond is None:
            return None
        op, left, right = cond
        if third.re is _IF:  # elif: the opposite comparison of the same two values
            other = _comparison(_Parser(text, third.start("cond"), third.end("cond"), where))
            if other is None or other[0] != _OPPOSITE[op]:
                return None
            if _text(text, other[1]) != _text(text, left):
                return None
            if _text(text, other[2]) != _text(text, right):
                return None
        values = []
        for m in (second, fourth):
            p = _Parser(text, m.start("value"), m.end("value"), where)
            values.append(p.expr())
            if p.tok.kind != "end":
                return None
        after = lines[k + 5]
        if _indent(text, after[0]) != level:
            return None
        line = _Parser(text, after[0], after[1], where).statement()
    except ParseError:  # a piece that does not read: the loop is refused as before
        return None
    pieces = (values[0], left, right, values[1])
    if any(not _entrywise(n, listed) for n in pieces):
        return None
    loop = Loop(a, e4, _OPS[op], x, over, listed, head.start("e"))
    entry = symbol(over, head.start("e"))  # E as written in the `for` line: x is its entry
    substituted = tuple(_substitute(n, x, entry) for n in pieces)
    mark = ast.Text(Span(a, a + 3), "text", f"@{loop.op}1")  # read as rules_cases reads a block
    call = ast.Call(Span(a, e4), mark, substituted)
    new = _with_list(line, listed, call, CodeDefinition)
    if new is None:
        return None
    return loop, new, 6


def cases_tex(
    pieces: tuple[ast.Node, ...],
    shown: str,
    calls: dict[int, str],
    latex: Callable[[ast.Node, dict[int, str]], str],
) -> str:
    """LaTeX of the selection (A, L, R, B), a cases block, for the equations pane (``latex``:
    parse/code.py's, for one piece)."""
    a, left, right, b = (latex(n, calls) for n in pieces)
    return (
        f"\\begin{{cases}} {a} & {left} {shown} {right} \\\\ {b} & \\text{{otherwise}} "
        "\\end{cases}"
    )


def _comparison(p: _Parser) -> tuple[str, ast.Node, ast.Node] | None:
    left = p.sum()
    if not p.at(*_OPPOSITE):
        return None
    op = p.take().text
    right = p.sum()
    if p.tok.kind != "end":
        return None
    return op, left, right


def _text(text: str, node: ast.Node) -> str:
    return "".join(text[node.span.start : node.span.end].split())


def _entrywise(node: ast.Node, listed: str) -> bool:
    """Whether ``node`` computes one entry from entries: calls only of elementwise
    functions, no keyword, and never the list itself."""
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            head = n.func
            if not isinstance(head, ast.Text) or head.content not in ELEMENTWISE_CALLS:
                return False
            if any(isinstance(a, ast.ScriptEq) for a in n.args):
                return False
        if isinstance(n, ast.Text) and n.content == listed:
            return False
    return True


def _is_name(node: ast.Node, name: str) -> bool:
    return isinstance(node, (ast.Letter, ast.Text)) and (
        getattr(node, "name", None) == name or getattr(node, "content", None) == name
    )


def _substitute(node: ast.Node, name: str, by: ast.Node) -> ast.Node:
    """``node`` with every occurrence of the name ``name`` replaced by ``by``."""
    if _is_name(node, name) and not (isinstance(node, ast.Text) and node.command != "text"):
        return copy.deepcopy(by)  # one node per occurrence (terms are read per node)
    changes: dict[str, object] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, ast.Node):
            new = _substitute(value, name, by)
            if new is not value:
                changes[f.name] = new
        elif isinstance(value, tuple) and any(isinstance(v, ast.Node) for v in value):
            items = tuple(_substitute(v, name, by) if isinstance(v, ast.Node) else v for v in value)
            if any(i is not v for i, v in zip(items, value, strict=True)):
                changes[f.name] = items
    return dataclasses.replace(node, **changes) if changes else node  # type: ignore[arg-type]


def _with_list(
    line: ast.Node, listed: str, call: ast.Call, definition: type[CodeDefinition]
) -> CodeDefinition | None:
    """The line ``L = f(L, ...)`` with the selection as f's first value; None where the
    line is not of that shape (it defines L from L, once)."""
    if not isinstance(line, definition) or not _is_name(line.lhs, listed):
        return None
    rhs = line.rhs
    if not isinstance(rhs, ast.Call) or not rhs.args or not _is_name(rhs.args[0], listed):
        return None
    if sum(1 for n in ast.walk(rhs) if _is_name(n, listed)) != 1:
        return None
    rhs = dataclasses.replace(rhs, args=(call, *rhs.args[1:]))
    return dataclasses.replace(line, rhs=rhs, span=Span(call.span.start, line.span.end))
