"""Notation rule ``matrix-entries-summed``: an equation over the entries i of a vector that sums
a matrix's entries against a vector's over the other index, ``f_i = \\sigma(b_i + \\sum_j
U_{i,j} x_j)`` (Goodfellow et al.'s LSTM, eqs. 10.40-10.44), is the matrix-vector product:
``\\sum_j U_{i,j} x_j`` is entry i of ``U x``, and ``\\sum_j U_{j,i} x_j`` entry i of
``U^\\top x``. Read as that product (always the matrix product: the two indices say U is a
matrix), so every stage reads it as it reads ``U x``.

Only this exact form is read: the sum's body is one matrix entry times one vector entry, the
matrix written with the equation's entry index and the sum's index (in either order, as
``U_{i,j}`` or ``U_{ij}``), the vector with the sum's index. The vector may be entries of
several vectors side by side, all by the sum's index: ``\\sum_j W_{i,j} r_j^{(t-1)}
h_j^{(t-1)}`` (the book's GRU, eq. 10.45) is entry i of ``W (r \\odot h)``, as ``r_j h_j`` alone
is the entries of ``r \\odot h``. Anything else with two indices stays refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader


def two_indices(script: ast.Node) -> tuple[str, str] | None:
    """``{i,j}`` or ``{ij}``: the two index letters, else None."""
    match script:
        case ast.ScriptList(items=(ast.Letter(name=a), ast.Letter(name=b))):
            return a, b
        case ast.Juxt(left=ast.Letter(name=a), right=ast.Letter(name=b)):
            return a, b
        case ast.Brace(items=(inner,)):
            return two_indices(inner)
    return None


def without_indices(node: ast.Node) -> tuple[ast.Node, tuple[str, str]] | None:
    """``U_{i,j}^f`` -> (``U^f``, (i, j)): the matrix as a symbol, and its two indices."""
    match node:
        case ast.Sub(base=base, script=script) if (pair := two_indices(script)) is not None:
            return base, pair
        case ast.Sup(base=ast.Sub(base=base, script=script), script=up) if (
            pair := two_indices(script)
        ) is not None:
            return ast.Sup(Span(base.span.start, node.span.end), base, up), pair
        case ast.Sub(base=ast.Sup() as up, script=script) if (
            pair := two_indices(script)
        ) is not None:
            return up, pair
    return None


def _factors(node: ast.Node) -> list[ast.Node]:
    """``a b c`` (juxtaposed, left to right) -> [a, b, c]."""
    if isinstance(node, ast.Juxt):
        return _factors(node.left) + _factors(node.right)
    return [node]


def _entrywise(term: t.Term, index: str) -> t.Term | None:
    """``r_j h_j`` (entries by ``index``, side by side) -> the vector ``r \\odot h``; None for
    anything else."""
    if isinstance(term, t.Elem) and term.index == index:
        return term.body
    if isinstance(term, t.Product) and term.written == "juxt":
        left, right = _entrywise(term.left, index), _entrywise(term.right, index)
        if left is not None and right is not None:
            return t.Product(term.span, "odot", left, right, term.op_span)
    return None


def matrix_vector(reader: Reader, node: ast.BigOp, summed: str, body: ast.Node) -> t.Term | None:
    """``\\sum_j U_{i,j} x_j`` as entry i of ``U x`` (``U^\\top x`` for ``U_{j,i}``), or None
    where the body is not that form."""
    if not isinstance(body, ast.Juxt):
        return None
    factors = _factors(body)
    if len(factors) > 2:  # \sum_j W_{i,j} r_j h_j: W times the vector of entries r_j h_j
        first, rest = factors[0], factors[1:]
        right: ast.Node = rest[0]
        for f in rest[1:]:
            right = ast.Juxt(Span(rest[0].span.start, f.span.end), right, f)
        body = ast.Juxt(body.span, first, right)
    found = without_indices(body.left)
    if found is None:
        return None
    matrix, (a, b) = found
    if summed not in (a, b) or a == b:
        return None
    outer = b if a == summed else a
    if reader.index_kind(outer) != "element" or reader.index_kind(summed) != "element":
        return None
    parts = reader.symbol(matrix, quiet=True)
    if parts is None or parts.post or parts.element or parts.node or parts.edge:
        return None
    vector = reader.term(body.right)
    if not (isinstance(vector, t.Elem) and vector.index == summed):
        entries = _entrywise(vector, summed)  # r_j h_j: the entries of r \odot h
        if entries is None:
            return None
        vector = t.Elem(body.right.span, entries, summed)
        side_by_side = True
    else:
        side_by_side = False
    left: t.Term = reader.sym_term(parts)
    written = " ".join(reader.source.snippet(body.left.span).split())
    if a == summed:
        left = t.Transpose(body.left.span, left)
    product = t.Product(
        node.span, "entries", left, vector.body, Span(body.left.span.end, body.right.span.start)
    )
    shown = f"{parts.key}^T" if a == summed else parts.key
    reader.note(
        node.span,
        "matrix product (entries)",
        f"\\sum_{summed} {written} {' '.join(reader.source.snippet(body.right.span).split())} "
        f"sums over {summed} the entries of the matrix {parts.key} against the vector's: entry "
        f"{outer} of the matrix product {shown} times the vector"
        + (
            f" (the entries side by side, all by {summed}, are the entries of one vector: their "
            "elementwise product)"
            if side_by_side
            else ""
        ),
    )
    return t.Elem(node.span, product, outer)
