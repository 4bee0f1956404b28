r"""Notation rule ``sum-index-shadows-a-step``: a sum over a node's neighbours that runs over the
letter the source uses for its steps elsewhere (cs224w's graph attention: ``\alpha_{vu} =
\frac{\exp(e_{vu})}{\sum_{k\in N(v)}\exp(e_{vk})}`` beside ``h_v^k``, ``W_k``, ``h_u^{k-1}``,
k the layer).

What it says: the letter a sum runs over is bound by the sum; inside the sum (its body) every
k is the neighbour the sum runs over, whatever k means outside it, as a bound variable of
mathematics is. So the denominator sums exp(e_{vk}) over the neighbours k of v, and the layer
k of the other equations is not touched.

How papermath reads it: in a sum ``\sum_{k \in \mathcal{N}(v)}`` (a range that is a node's
neighbourhood), where the letter k carries an offset somewhere in the source (``h^{k-1}``:
a step), the sum's k and every k of its body are renamed to a fresh letter the source does not
write (the readings say which); the equation's left side must not carry k (else the letter
would name two things in one equation, and it is read, or refused, as before). A sum over a
range of numbers (``\sum_{k=1}^{K}``) is not renamed.

Example that reads: ``a_{vu} = \frac{e_{vu}}{\sum_{k \in N(v)} e_{vk}}`` beside ``h^{k}_v =
\sum_{u \in N(v)} a_{vu} h^{k-1}_u``.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from ..parse import ast
from .syntax import neighbourhood_of, offsets_in

if TYPE_CHECKING:
    from .reader import Reader

_FRESH = "jmpqrsabcfg"  # tried in this order; one the source does not write


def _offset_letters(statements: list[ast.Statement]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(statements):
        if isinstance(node, ast.Sub | ast.Sup):
            script = node.script.body if isinstance(node.script, ast.Paren) else node.script
            found.update(letter for letter, _ in offsets_in(script))
    return found


def _renamed(node: Any, letter: str, fresh: str) -> Any:
    if isinstance(node, tuple):
        return tuple(_renamed(x, letter, fresh) for x in node)
    if not isinstance(node, ast.Node):
        return node
    if isinstance(node, ast.Letter) and node.name == letter:
        return ast.Letter(node.span, fresh)
    changes = {f.name: _renamed(getattr(node, f.name), letter, fresh) for f in fields(node)}
    if all(changes[k] is getattr(node, k) for k in changes):
        return node
    return replace(node, **changes)


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Each neighbour sum over a step letter: its letter renamed (see the module)."""
    steps = _offset_letters(statements)
    if not steps:
        return statements
    written = set(re.findall(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])", reader.source.text))
    taken = set(written)
    out: list[ast.Statement] = []
    for s in statements:
        if not isinstance(s, ast.Definition):
            out.append(s)
            continue
        on_left = {x.name for x in ast.walk(s.lhs) if isinstance(x, ast.Letter)}

        def visit(node: ast.Node, on_left: set[str] = on_left) -> ast.Node:
            if (
                isinstance(node, ast.BigOp)
                and isinstance(node.sub, ast.ScriptIn)
                and isinstance(node.sub.left, ast.Letter)
                and node.sub.left.name in steps
                and node.sub.left.name not in on_left
                and neighbourhood_of(node.sub.right) is not None
            ):
                letter = node.sub.left.name
                fresh = next((c for c in _FRESH if c not in taken), None)
                if fresh is not None:
                    taken.add(fresh)
                    reader.note(
                        node.sub.span,
                        f"summed index {letter}, apart from the step {letter}",
                        f"{letter} is the neighbour the sum runs over (bound by the sum), "
                        f"while {letter} is a step elsewhere (it carries an offset): inside the "
                        f"sum it is read as a letter of its own, written {fresh} in what "
                        "papermath reads",
                    )
                    sub = replace(node.sub, left=ast.Letter(node.sub.left.span, fresh))
                    node = replace(node, sub=sub, body=_renamed(node.body, letter, fresh))
            return ast.map_children(node, visit)

        out.append(replace(s, rhs=visit(s.rhs), claims=tuple(visit(c) for c in s.claims)))
    return out
