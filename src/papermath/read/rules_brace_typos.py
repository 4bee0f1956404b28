r"""Notation rule ``calligraphic-call``: ``\mathcal{N(i)}``, the node's argument written inside the
font's braces (a typo of PyTorch Geometric's SAGEConv docstring), read as ``\mathcal{N}(i)``,
the neighbours of i.

What people write::

    \mathrm{mean}_{j \in \mathcal{N(i)}} \mathbf{x}_j
    \sum_{j \in \mathcal{N(i)}} h_j

How papermath reads it: a calligraphic N applied to one letter is the neighbourhood of that
node whichever side of the brace the parenthesis is on (the font changes the letter N only; a
parenthesis and a node letter in a calligraphic font have no meaning of their own), and the
reading says so. Only for the neighbourhood ``N`` with one letter as its argument; any other
letter or argument inside a font's braces is read as before.

Examples (each reads; the sum runs over the neighbours j of i)::

    h'_i = \sum_{j \in \mathcal{N(i)}} W h_j, h_j \in \mathbb{R}^{d}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader


def rebuild(node: object, fn: Callable[[ast.Node], ast.Node]) -> object:
    """``node`` with ``fn`` applied to every node under it, children first; what does not
    change is the same object."""
    if isinstance(node, tuple):
        items = tuple(rebuild(x, fn) for x in node)
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    if not isinstance(node, ast.Node):
        return node
    changed: dict[str, Any] = {}
    for f in fields(node):
        old = getattr(node, f.name)
        new = rebuild(old, fn)
        if new is not old:
            changed[f.name] = new
    if changed:
        node = replace(node, **changed)
    return fn(node)


def rewrite_statements(
    statements: list[ast.Statement], fn: Callable[[ast.Node], ast.Node], top_down: bool = False
) -> list[ast.Statement]:
    """Each definition with ``fn`` applied to every node of its right side (children first), or
    with ``top_down`` to the right side itself (``fn`` then walks it); what the parse stages
    attached to a statement (as attributes besides its fields) is kept."""
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition):
            rhs = fn(s.rhs) if top_down else rebuild(s.rhs, fn)
            assert isinstance(rhs, ast.Node)
            if rhs is not s.rhs:
                new = replace(s, rhs=rhs)
                names = {f.name for f in fields(s)}
                for k, v in vars(s).items():
                    if k not in names:
                        object.__setattr__(new, k, v)
                s = new
        out.append(s)
    return out


def calligraphic_calls(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``\\mathcal{N(i)}`` -> ``\\mathcal{N}(i)`` in every right side, noted."""

    def fix(node: ast.Node) -> ast.Node:
        match node:
            case ast.Font(
                font=("mathcal" | "mathscr") as font,
                body=ast.Call(func=ast.Letter(name="N") as n, args=(ast.Letter() as v,)) as call,
            ):
                written = reader.source.snippet(node.span)
                reader.note(
                    node.span,
                    "neighbourhood (brace typo)",
                    f"{written} is \\{font}{{N}}({v.name}), the neighbours of {v.name}: the "
                    f"parenthesis written inside the font's braces (only the letter N is "
                    "calligraphic; a node letter in that font means nothing else)",
                )
                return ast.Call(call.span, ast.Font(n.span, font, n), call.args)
        return node

    return rewrite_statements(statements, fix)
