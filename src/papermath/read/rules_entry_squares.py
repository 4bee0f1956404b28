r"""Notation rule ``entry-squares``: ``\sum_k\sum_l W_{k,l}^2``: the sum of the squares of
every entry of a matrix, its squared Frobenius norm.

What people write (Stanford CS231n, "Linear classification": the L2 regularization penalty;
weight decay in many papers)::

    R(W) = \sum_k\sum_l W_{k,l}^2
    R = \sum_{k,l} W_{kl}^2

How papermath reads it: two sums without bounds, over the two indices of the entries
``W_{k,l}`` (in either form, ``\sum_k\sum_l`` or ``\sum_{k,l}``), of a square that uses k and
l only in those entries, run over every entry of the matrix: read as ``\|W\|_F^2``, the
squared Frobenius norm of the expression with the entries written as whole matrices
(``\sum_{i,j} (A_{ij} - B_{ij})^2`` is ``\|A - B\|_F^2``); the readings say so. Sums with
bounds (which may cover part of the matrix), a letter used outside the entries, or a body
that is not a square stay as they were (two-index entries are read by other rules or
refused).

Examples::

    R = \sum_k\sum_l W_{k,l}^2, W \in \mathbb{R}^{K \times D}
    R = \sum_{i,j} (A_{ij} - B_{ij})^2, A \in \mathbb{R}^{n \times m}, B \in \mathbb{R}^{n \times m}
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..parse import ast
from ..source import Span
from .rules_entries import two_indices

if TYPE_CHECKING:
    from .reader import Reader


def _letters(node: Any) -> set[str]:
    if isinstance(node, tuple):
        return {n for x in node for n in _letters(x)}
    if not isinstance(node, ast.Node):
        return set()
    found = {node.name} if isinstance(node, ast.Letter) else set()
    for f in dataclasses.fields(node):
        found |= _letters(getattr(node, f.name))
    return found


def _entries_out(node: Any, pair: tuple[str, str], count: list[int]) -> Any:
    """``node`` with each entry ``X_{k,l}`` written as its matrix X (counted)."""
    if isinstance(node, tuple):
        return tuple(_entries_out(x, pair, count) for x in node)
    if not isinstance(node, ast.Node):
        return node
    if isinstance(node, ast.Sub) and two_indices(node.script) == pair:
        count[0] += 1
        return node.base
    changes = {
        f.name: _entries_out(getattr(node, f.name), pair, count) for f in dataclasses.fields(node)
    }
    return dataclasses.replace(node, **changes)


def _indices(node: ast.BigOp) -> tuple[tuple[str, str], ast.Node] | None:
    """(k, l) and the body of ``\\sum_k\\sum_l body`` or ``\\sum_{k,l} body`` (no bounds)."""
    if node.op != "sum" or node.sup is not None or node.sub is None:
        return None
    pair = two_indices(node.sub)
    if pair is not None:
        return pair, node.body
    inner = node.body
    if (
        isinstance(node.sub, ast.Letter)
        and isinstance(inner, ast.BigOp)
        and inner.op == "sum"
        and inner.sup is None
        and isinstance(inner.sub, ast.Letter)
    ):
        return (node.sub.name, inner.sub.name), inner.body
    return None


def _norm(node: ast.BigOp) -> ast.Node | None:
    found = _indices(node)
    if found is None:
        return None
    (k, m), body = found
    if k == m or not (isinstance(body, ast.Sup) and isinstance(body.script, ast.Number)):
        return None
    if body.script.text != "2":
        return None
    count = [0]
    base = _entries_out(body.base, (k, m), count)
    if count[0] == 0 or {k, m} & _letters(base):
        return None
    if isinstance(base, ast.Paren):
        base = base.body
    span = node.span
    norm = ast.Norm(span, base)
    return ast.Sup(span, ast.Sub(span, norm, ast.Letter(span, "F")), ast.Number(span, "2"))


def _walk(node: Any, found: list[ast.BigOp]) -> Any:
    if isinstance(node, tuple):
        return tuple(_walk(x, found) for x in node)
    if not isinstance(node, ast.Node):
        return node
    if isinstance(node, ast.BigOp) and (norm := _norm(node)) is not None:
        found.append(node)
        return norm
    changes = {f.name: _walk(getattr(node, f.name), found) for f in dataclasses.fields(node)}
    return dataclasses.replace(node, **changes)


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each sum of squared entries read as a squared Frobenius norm."""
    out: list[ast.Statement] = []
    for s in statements:
        found: list[ast.BigOp] = []
        new = _walk(s, found)
        if not found:
            out.append(s)
            continue
        ast.keep_attached(new, s)
        for big in found:
            reader.note(
                Span(big.span.start, big.span.end),
                "squared Frobenius norm (every entry)",
                "a sum without bounds over both indices of the entries, of their square: it "
                "runs over every entry of the matrix, so it is the squared Frobenius norm "
                "\\|.\\|_F^2 of the expression with the entries written as whole matrices",
            )
        out.append(new)
    return out
