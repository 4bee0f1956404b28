r"""Notation rule ``digit-names``: a function defined with arguments named with a digit, as a
plain-text formula writes them (a blog's PyTorch MarginRankingLoss)::

    \text{loss}(x1, x2, y) = \max(0, -y * (x1 - x2) + \text{margin})

How papermath reads it: the argument list of a definition holds names, and ``x1`` (a letter
and digits written together, no space) is no product there: it is the name x_1, as code
writes ``x1`` for x_1; every ``x1`` the source writes so elsewhere (the body) is that name
too. The readings say it. Written with a space (``x 1``), it stays refused
(read/rules_left_sides.py): x times 1 is no name a definition can bind.

Example (reads):

    \text{loss}(x1, x2) = \max(0, x1 - x2 + m)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader


def named(text: str, node: ast.Node) -> str | None:
    """``x1``: a letter and a number written together, else None."""
    match node:
        case ast.Juxt(left=ast.Letter(name=name) as letter, right=ast.Number(text=digits)):
            if letter.span.end == node.right.span.start and len(name) == 1 and digits.isdigit():
                return text[node.span.start : node.span.end]
    return None


def _rewrite(text: str, node: ast.Node, names: set[str], found: list[ast.Node]) -> ast.Node:
    written = named(text, node)
    if written is not None and written in names:
        assert isinstance(node, ast.Juxt)
        found.append(node)
        return ast.Sub(node.span, node.left, node.right)
    return ast.map_children(node, lambda v: _rewrite(text, v, names, found))


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each name with a digit that a definition's arguments bind read
    as that name (see the module)."""
    text = reader.source.text
    names = {
        written
        for s in statements
        if isinstance(s, ast.Definition) and isinstance(s.lhs, ast.Call)
        for arg in s.lhs.args
        if (written := named(text, arg)) is not None
    }
    if not names:
        return statements
    found: list[ast.Node] = []
    out = [_rewrite(text, s, names, found) if isinstance(s, ast.Definition) else s
           for s in statements]  # fmt: skip
    said: set[str] = set()
    for node in found:
        written = text[node.span.start : node.span.end]
        if written not in said:
            said.add(written)
            reader.note(
                node.span,
                f"one name, {written[0]}_{written[1:]}",
                f"{written} is an argument of a definition, which is a name: a letter and a "
                f"number written together there (as code writes {written}), not "
                f"{written[0]} times {written[1:]}; {written} elsewhere is that name too",
            )
    return out  # type: ignore[return-value]
