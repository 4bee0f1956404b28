r"""Notation rule ``sum-scope-over-terms``: a sum written without parentheses, followed by terms
that use its index (cs224w's node classification loss, ``L = \sum_{v\in V} y_v
\log(\sigma(z_v^T\theta)) + (1-y_v)\log(1-\sigma(z_v^T\theta))``; the PyTorch tutorial's CRF
score, ``\sum_i \log \psi_\text{EMIT}(y_i \rightarrow x_i) + \log \psi_\text{TRANS}(y_{i-1}
\rightarrow y_i)``).

Strictly, a sum's body stops at the first ``+``, and the second term's ``y_v`` would then have
no v: nothing else binds it (the left side is not indexed by v, no other sum runs over v). A
careful reader reads the sum over every term, the way the source means it: it is the only
reading in which each term has a value.

How papermath reads it: in a chain ``\sum_v A + B - C`` (``+`` and ``-`` only), the sum's body is
``A + B - C`` when EVERY later term writes, with the sum's letter v in its subscript, a symbol
that the sum's own body writes with v in its subscript (``y_v`` in both), no sum inside a later
term runs over v, and the equation's left side does not carry v. The readings say so. Anything
else is read as before: a later term that does not use v (``\sum_i a_i + b``) stays outside the
sum, and a later term with a free index is refused as before (``is a value per node v, but L is
not indexed by v``). A sum after a minus sign (``-\sum_v A + B_v``) is not extended: whether the
sign covers B is not said.

Example that reads: ``y = \sum_{i=1}^{n} a_i + b_i`` (the sum over i of a_i + b_i).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader


def _index(big: ast.BigOp) -> str | None:
    """The letter a sum runs over: ``\\sum_i``, ``\\sum_{i=1}^n``, ``\\sum_{v \\in V}``."""
    sub = big.sub
    if isinstance(sub, ast.ScriptIn | ast.ScriptEq):
        sub = sub.left
    if isinstance(sub, ast.Letter):
        return sub.name
    return None


def _chain(node: ast.Node) -> list[tuple[str, Span | None, ast.Node]] | None:
    """``a + b - c`` as [("+", None, a), ("+", span, b), ("-", span, c)]; None if not a chain."""
    if not (isinstance(node, ast.BinOp) and node.op in ("+", "-")):
        return None
    items: list[tuple[str, Span | None, ast.Node]] = []
    cur: ast.Node = node
    while isinstance(cur, ast.BinOp) and cur.op in ("+", "-"):
        items.append((cur.op, cur.op_span, cur.right))
        cur = cur.left
    items.append(("+", None, cur))
    return items[::-1]


def _subscripted(reader: Reader, node: ast.Node, letter: str) -> set[str]:
    """The bases (as written) of the symbols under ``node`` whose subscript holds ``letter``."""
    found = set()
    for x in ast.walk(node):
        if isinstance(x, ast.Sub) and any(
            isinstance(y, ast.Letter) and y.name == letter for y in ast.walk(x.script)
        ):
            found.add(reader.source.snippet(x.base.span))
    return found


def _binds(node: ast.Node, letter: str) -> bool:
    return any(isinstance(x, ast.BigOp) and _index(x) == letter for x in ast.walk(node))


def _extended(reader: Reader, node: ast.Node, lhs_letters: set[str]) -> ast.Node | None:
    items = _chain(node)
    if items is None or len(items) < 2:
        return None
    big = items[0][2]
    if not (isinstance(big, ast.BigOp) and big.op == "sum"):
        return None
    letter = _index(big)
    if letter is None or letter in lhs_letters:
        return None
    inside = _subscripted(reader, big.body, letter)
    if not inside:
        return None
    for _, _, term in items[1:]:
        if _binds(term, letter) or not (_subscripted(reader, term, letter) & inside):
            return None
    body = big.body
    for op, op_span, term in items[1:]:
        assert op_span is not None
        body = ast.BinOp(Span(big.body.span.start, term.span.end), op, body, term, op_span)
    return ast.BigOp(node.span, big.op, big.sub, big.sup, body)


def _lhs_letters(node: ast.Node) -> set[str]:
    return {
        y.name
        for x in ast.walk(node)
        if isinstance(x, ast.Sub)
        for y in ast.walk(x.script)
        if isinstance(y, ast.Letter)
    }


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each sum's scope run over the later terms that use its index."""
    out: list[ast.Statement] = []
    for s in statements:
        if not isinstance(s, ast.Definition):
            out.append(s)
            continue
        lhs_letters = _lhs_letters(s.lhs)
        found: list[ast.BigOp] = []

        def visit(
            node: ast.Node, found: list[ast.BigOp] = found, lhs_letters: set[str] = lhs_letters
        ) -> ast.Node:
            new = _extended(reader, node, lhs_letters)
            if new is not None:
                assert isinstance(new, ast.BigOp)
                found.append(new)
                return ast.map_children(new, visit)
            return ast.map_children(node, visit)

        rhs = visit(s.rhs)
        claims = tuple(visit(c) for c in s.claims)
        for big in found:
            reader.note(
                big.span,
                "a sum over every term that uses its index",
                f"the sum over {_index(big)} is written without parentheses, and the terms after "
                f"it use {_index(big)} as its body does, with nothing else binding it: the sum "
                "runs over them all",
            )
        if found:
            s = replace(s, rhs=rhs, claims=claims)
        out.append(s)
    return out
