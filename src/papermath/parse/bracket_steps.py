r"""Rule ``bracket-steps``: a step written in square brackets right after a name, ``h[t]``,
``h[t-1]``, ``h[0]``, as signal processing writes ``x[n]`` and NYU's Deep Learning course notes
write an RNN (week 6)::

    h[t] = g(W_{h} \begin{bmatrix} x[t] \\ h[t-1] \end{bmatrix} + b_h)

The bracket is the value of h at step t, not a product of h with the bracket ``[t]``: the
parser sees a name beside a bracket (which would otherwise be read as a product, or refused
as a left side that is not one symbol, with a hint that does not fit).

How papermath reads it (:func:`rewrite`): as the subscript it means, ``h[t]`` as ``h_t``,
``h[t-1]`` as ``h_{t-1}``, ``h[0]`` as ``h_0``, then as any step. Only where the bracket
follows the name with no space and holds one step (a letter, a letter plus or minus a whole
number, or a whole number), and only where the source makes it certain that its brackets are
steps: a bracket on the left side of an equation (a left side is one name: ``h[t] = ...``), or
a letter with an offset (``h[t-1]``). Those name the step letters (t); a bracket after a name
is then read as a step where it holds a step letter (``x[t]``, ``h[t-1]``) or a whole number
(``h[0]``, the value at step 0). Any other bracket is left as it was (``W[x; h]``, a block;
``y = W[x]`` with no step written in brackets: a product).

Refused (:func:`check`, kept for what the rewrite leaves): nothing today; a step bracket the
rewrite could not attach to a name stays refused with the hint to write a subscript.

Examples (each reads)::

    h[t] = \tanh(W h[t-1] + U x[t])
    h[t] = \tanh(W_h h[t-1] + W_x x[t] + b), \hat{y}[t] = W_y h[t]
"""

from __future__ import annotations

import re
from dataclasses import replace

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


def _letters(text: str, statements: list[ast.Statement]) -> set[str]:
    """The step letters the source makes certain: in a step bracket on a left side
    (``h[t] = ...``), or with an offset (``h[t-1]``)."""
    out: set[str] = set()
    for s in statements:
        for _, (letter, offset) in _steps(text, s):
            if offset:
                out.add(letter)
        if isinstance(s, ast.Definition) and _on_left(text, s.lhs):
            assert isinstance(s.lhs, ast.Juxt)
            out.update(letter for _, (letter, _o) in _steps(text, s.lhs.right) if letter)
    return out


def _attach(left: ast.Node, bracket: ast.Bracket) -> ast.Node | None:
    """``left`` with the step of ``bracket`` as the subscript of its last factor (``W_y h``
    beside ``[t]``: ``W_y h_t``); None where the last factor is no name."""
    if isinstance(left, ast.Juxt):
        last = _attach(left.right, bracket)
        if last is None:
            return None
        return ast.Juxt(Span(left.span.start, bracket.span.end), left.left, last)
    if isinstance(left, ast.Letter | ast.Font | ast.Decorated | ast.Sub | ast.Sup):
        return ast.Sub(Span(left.span.start, bracket.span.end), left, bracket.items[0])
    return None


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``h[t]`` -> ``h_t`` (and ``h[t-1]``, ``h[0]``) where the source makes its step
    brackets certain (see the module's docstring); every other statement as it is."""
    letters = _letters(text, statements)
    if not letters:
        return statements

    def step(node: ast.Node) -> ast.Node:
        node = ast.map_children(node, step)
        if isinstance(node, ast.Matrix):  # rows of cells: map_children maps one tuple deep
            rows = tuple(tuple(step(c) for c in row) for row in node.rows)
            if any(
                a is not b
                for r, o in zip(rows, node.rows, strict=True)
                for a, b in zip(r, o, strict=True)
            ):
                node = ast.keep_attached(replace(node, rows=rows), node)
        if not (
            isinstance(node, ast.Juxt)
            and isinstance(node.right, ast.Bracket)
            and len(node.right.items) == 1
            and _attached(text, node.right)
        ):
            return node
        found = _step(node.right.items[0])
        if found is None or (found[0] and found[0] not in letters):
            return node
        return _attach(node.left, node.right) or node

    return [ast.keep_attached(ast.map_children(s, step), s) for s in statements]


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
