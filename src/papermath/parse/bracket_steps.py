r"""Rule ``bracket-steps``: a step written in square brackets right after a name, ``h[t]``,
``h[t-1]``, ``h[0]``, as signal processing writes ``x[n]`` and NYU's Deep Learning course notes
write an RNN (week 6)::

    h[t] = g(W_{h} \begin{bmatrix} x[t] \\ h[t-1] \end{bmatrix} + b_h)

The bracket is the value of h at step t, not a product of h with the bracket ``[t]``: the
parser sees a name beside a bracket (which would otherwise be read as a product, or refused
as a left side that is not one symbol, with a hint that does not fit).

How papermath reads it: refused at the bracket, by name, with the hint to write the step as a
subscript (``h_t``, ``h_{t-1}``, ``h_0``), which papermath reads. Only where the bracket
follows the name with no space and holds one step: a letter, a letter plus or minus a whole
number, or a whole number; and only where that is certain to be a step: a bracket on the left
side of an equation (a left side is one name), or a letter with an offset (``[t-1]``).

Example (refused, caret on the first bracket)::

    h[t] = \tanh(W h[t-1] + U x[t])
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

RULE = "bracket-steps"


def _step(node: ast.Node) -> tuple[str, bool] | None:
    """``t`` -> (t, False), ``t-1`` -> (t, True), ``0`` -> ('', False); else None."""
    if isinstance(node, ast.Letter) and len(node.name) == 1:
        return node.name, False
    if isinstance(node, ast.Number) and node.text.isdigit():
        return "", False
    if (
        isinstance(node, ast.BinOp)
        and node.op in ("+", "-")
        and isinstance(node.left, ast.Letter)
        and len(node.left.name) == 1
        and isinstance(node.right, ast.Number)
        and node.right.text.isdigit()
    ):
        return node.left.name, True
    return None


def _attached(text: str, bracket: ast.Bracket) -> bool:
    """``h[t]``: the bracket opens right after a name's last character (no space)."""
    start = bracket.span.start
    if start < 1 or text[start] != "[":
        return False
    before = text[start - 1]
    if re.search(r"\\[A-Za-z]+$", text[max(0, start - 30) : start]):
        return False  # \sigma[x - 1], \exp[t]: a function's argument in brackets
    return before.isalnum() or before in "}'"


def _steps(text: str, node: ast.Node) -> list[tuple[ast.Bracket, tuple[str, bool]]]:
    found = []
    for x in ast.walk(node):
        if not (isinstance(x, ast.Bracket) and len(x.items) == 1 and _attached(text, x)):
            continue
        if (step := _step(x.items[0])) is not None:
            found.append((x, step))
    return found


def _on_left(text: str, lhs: ast.Node) -> bool:
    """``h[t] = ...``: the left side is a name with a step bracket."""
    return (
        isinstance(lhs, ast.Juxt)
        and isinstance(lhs.right, ast.Bracket)
        and bool(_steps(text, lhs.right))
    )


def check(text: str, statements: list[ast.Statement]) -> None:
    """Refuse the first step written in brackets where it is certain to be a step."""
    uses: list[tuple[ast.Bracket, tuple[str, bool]]] = []
    certain = False
    for s in statements:
        uses.extend(_steps(text, s))
        if isinstance(s, ast.Definition) and _on_left(text, s.lhs):
            certain = True
    if not uses:
        return
    if not certain and not any(offset for _, (_, offset) in uses):
        return
    first = min((b for b, _ in uses), key=lambda b: b.span.start)
    name_end = first.span.start
    name_start = name_end
    while name_start > 0 and (text[name_start - 1].isalnum() or text[name_start - 1] in "_{}\\"):
        name_start -= 1
    written = " ".join(text[name_start : first.span.end].split())
    steps = ", ".join(
        dict.fromkeys(" ".join(text[b.span.start : b.span.end].split()) for b, _ in uses)
    )
    raise ParseError(
        f"{written}: a step written in brackets after a name ({steps}: the value at that step, "
        "as signal processing writes x[n]) is not read: papermath reads a step written as a "
        "subscript",
        span=Span(first.span.start, first.span.end),
        hint="write the step as a subscript: h_t, h_{t-1}, h_0 for h[t], h[t-1], h[0]",
    )
