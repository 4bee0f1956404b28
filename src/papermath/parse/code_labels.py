r"""Notation rule ``code-label-pick``: the entry of a vector at a class index, written as code
(``x[class]``), where the prose says the name in the brackets is the class index.

What people write (Lua Torch's nn documentation, a criterion's loss as Lua-like code)::

    This criterion expects a class index (1 to the number of class) as `target` when
    calling [`forward(input, target`)](#nn.CriterionForward) ...

    ```lua
    loss(x, class) = -x[class]
    ```

How papermath reads it: ``x[class]``, a name of two letters or more in the brackets, is the
entry of x at the label ``class`` (read/rules_label_pick.py's pick, as ``f_{y_i}`` is in
LaTeX: x a vector, the label one integer, target data) where the prose says that name is the
class index: either in words about the name itself ("`class` is the class index", "a class
index as `class`"), or about the argument the formula's left side takes at its place
(``loss(x, class)``: its second argument; "a class index ... as `target`" with
``forward(input, target)``: target is the second). Where nothing says so, ``x[class]`` stays
refused by name (parse/code_index.py: a label or a dictionary's value?).

A continuation line that starts with ``=`` (``               = -x[class] + log(...)``) under a
definition is the next side of a chain (parse/chains.py): the last side defines, the sides
before it are claims, checked.

Examples (each a whole source; read)::

    The criterion expects a class index as `target` in `forward(input, target)`.
    ```lua
    loss(x, class) = -x[class] + log(\sum_j exp(x[j]))
    ```
"""

from __future__ import annotations

import dataclasses
import re

from ..source import Span
from . import ast
from .code_nodes import CodeDefinition
from .variants import _CUE

__all__ = [
    "RULE",
    "LabelKey",
    "chained",
    "conditional_variant",
    "continuation",
    "pick",
    "says_class_index",
]

RULE = "code-label-pick"

# "a class index (1 to the number of class) as `target`", "the class index `class`"
_CLASS_INDEX = r"\b(?:a|the)\s+(?:class|label)\s+index\b"


@dataclasses.dataclass(frozen=True)
class LabelKey(ast.Text):
    """The name in ``x[class]`` that the prose calls a class index: the label that picks an
    entry (read/rules_label_pick.py ``code_label``)."""


@dataclasses.dataclass(frozen=True)
class LeftOutForm(CodeDefinition):
    """A definition written as code after which the source gives another form of it as a
    C-style conditional, left out (``said``: where and why)."""

    said: str = ""
    reading: str = "a later form left out"


def _formal_place(text: str, name: str) -> tuple[str, int, list[str]] | None:
    """(the called name, the place, the arguments) of ``name`` among the arguments of a left
    side written as a call, ``loss(x, class) =`` -> ("loss", 1, ["x", "class"]); None where no
    such left side holds it."""
    for m in re.finditer(r"\b([A-Za-z_]\w*)\(([^()\n]*)\)\s*=(?!=)", text):
        args = [a.strip() for a in m.group(2).split(",")]
        if name in args:
            return m.group(1), args.index(name), args
    return None


def says_class_index(text: str, name: str) -> bool:
    """Whether the prose of ``text`` says ``name`` is a class index (see the module).

    >>> t = "expects a class index as `target` in `forward(input, target)`\\nloss(x, class) = 1"
    >>> says_class_index(t, "class"), says_class_index(t, "weights")
    (True, False)
    """
    said = [
        m.group(1)
        for m in re.finditer(_CLASS_INDEX + r"[^.`\n]{0,60}?\bas\s+`([A-Za-z_]\w*)`", text)
    ]
    said += [m.group(1) for m in re.finditer(r"`([A-Za-z_]\w*)`\s+is\s+" + _CLASS_INDEX[2:], text)]
    said += [m.group(1) for m in re.finditer(_CLASS_INDEX + r"\s+`([A-Za-z_]\w*)`", text)]
    if name in said:
        return True
    place = _formal_place(text, name)
    if place is None or set(said) & set(place[2]):
        return False  # another argument of the formula is the one said: not this name
    # the class index given as `target`, target the argument at name's place of another call
    # (``forward(input, target)``)
    for m in re.finditer(r"\b([A-Za-z_]\w*)\(([^()\n]*)\)", text):
        args = [a.strip(" \t`") for a in m.group(2).split(",")]
        if m.group(1) != place[0] and any(w in args and args.index(w) == place[1] for w in said):
            return True
    return False


def pick(base: ast.Node, name: str, span: Span, at: Span) -> ast.Node:
    """``x[class]`` -> ``x_{class}`` with the subscript a :class:`LabelKey`."""
    return ast.Sub(span, base, LabelKey(at, "text", name))


def continuation(text: str, lines: list[tuple[int, int, str]], k: int) -> tuple[int, int] | None:
    """The span of line ``k`` of the code where it goes on with the chain of the line before
    it: it starts with ``=`` (no ``==``), in the same fence, nothing but a newline between."""
    if k <= 0 or k >= len(lines):
        return None
    start, end, where = lines[k]
    before_end = lines[k - 1][1]
    if where != lines[k - 1][2] or not where.endswith("block"):
        return None
    if text[before_end:start].count("\n") != 1 or "`" in text[before_end:start]:
        return None
    if not text.startswith("=", start) or text.startswith("==", start):
        return None
    return start, end


def chained(statement: ast.Statement, sides: list[ast.Node]) -> ast.Statement:
    """``loss(x, c) = A`` then ``= B`` on the next line: the chain ``loss = A = B`` read as
    parse/chains.py reads one, from its last side; the sides before it are claims, checked."""
    if not isinstance(statement, ast.Definition):
        return statement
    first = [statement.rhs, *sides[:-1]]
    return dataclasses.replace(
        statement,
        span=Span(statement.span.start, sides[-1].span.end),
        rhs=sides[-1],
        claims=(*statement.claims, *first),
    )


_CONDITIONAL = re.compile(
    r"(?P<lhs>[^=?:]+?)\s*=(?!=)(?P<cond>[^?:]+)\?(?P<then>[^?:]+):(?P<other>[^?:]+)"
)


def conditional_variant(
    text: str, lines: list[tuple[int, int, str]], k: int, statements: list[ast.Statement]
) -> tuple[int, ast.Statement] | None:
    """Line ``k`` of the code as a later form of a value defined before, written as a C-style
    conditional and announced as an alternative (Torch7's "or in the case of the
    `ignoreIndex` argument: loss(x, class) = class != ignoreIndex ? ... : 0"): (the index of
    the definition it follows, that definition with the form said left out); None otherwise
    (the line is parsed, and its ``?`` refused by name)."""
    start, end, where = lines[k]
    m = _CONDITIONAL.fullmatch(text, start, end)
    if m is None or k == 0 or not where.endswith("block"):
        return None
    name = "".join(m.group("lhs").split())
    at = None
    for n, s in enumerate(statements):
        left = text[s.lhs.span.start : s.lhs.span.end] if isinstance(s, ast.Definition) else ""
        if hasattr(s, "where") and "".join(left.split()) == name:
            at = n
    if at is None:
        return None
    before = statements[at]
    assert isinstance(before, ast.Definition)
    between = text[lines[k - 1][1] : start]
    cue = _CUE.search(between)
    if cue is None or statements[-1] is not before:
        return None
    words = " ".join(between[between.rfind("\n", 0, cue.start()) + 1 :].split()).strip("`: ")
    line = text.count("\n", 0, start) + 1
    condition = " ".join(m.group("cond").split())
    said = (
        f"the source gives another form of {name} on line {line} (after '{words}'), a C-style "
        f"conditional on {condition}: a form for another setting, left out (papermath reads "
        f"no `? :`); the form before it is read"
    )
    fields = {f.name: getattr(before, f.name) for f in dataclasses.fields(before)}
    fields["said"] = f"{fields['said']}; {said}" if fields.get("said") else said
    return at, LeftOutForm(**fields)
