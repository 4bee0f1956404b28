r"""Notation rule ``entry-matrix``: a matrix written by its entries, with the ranges of its
indices under the closing bracket.

What people write (course notes; the elementwise derivative of a layer's activation)::

    \left[ a_{ij} \right]_{i \in 1..N, j \in 1..D}
    \left[ a_{ij} \right]_{\begin{matrix} i \in 1..N \\ j \in 1..D \end{matrix}}
    \left[ a_{ij} \right]_{\begin{matrix} i \in \{1, \dots, N\} \\ j \in 1, \dots, D \end{matrix}}

How papermath reads it: a matrix of shape N x D whose entry (i, j) is the body; the first
index runs over the rows, the second over the columns, each from 1 to its size (a range
that does not start at 1, or is not written ``1..N``, ``1, \dots, N`` or ``\{1, \dots, N\}``,
is refused where it stands). The body is read by the reader (read/rules_layer_widths.py):
only for its shape where the source does not say how to compute it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ParseError
from ..source import Span
from . import ast

RANGE_HINT = (
    "write each index's range as i \\in 1..N, i \\in 1, \\dots, N or i \\in \\{1, \\dots, N\\}"
)


@dataclass(frozen=True)
class IndexRange(ast.Node):
    """``i \\in 1..N``: the index i runs over 1 to N (``size``)."""

    index: ast.Node
    size: ast.Node


@dataclass(frozen=True)
class IndexRanges(ast.Node):
    """The ranges written under a bracket, rows first."""

    ranges: tuple[IndexRange, ...]


@dataclass(frozen=True)
class EntryMatrix(ast.Node):
    """``[body]_{i \\in 1..N, j \\in 1..D}``: the matrix whose entry (i, j) is ``body``."""

    body: ast.Node
    ranges: tuple[IndexRange, ...]


def _is_one(node: ast.Node) -> bool:
    return isinstance(node, ast.Number) and node.text == "1"


def index_range(span: Span, index: ast.Node, pieces: list[ast.Node]) -> IndexRange:
    """``i \\in 1..N`` (pieces [1, N] from the dots), ``i \\in \\{1, \\dots, N\\}``, or
    ``i \\in 1, \\dots, N``; anything else is refused at the range."""
    if len(pieces) == 1 and isinstance(pieces[0], ast.SetLiteral):
        pieces = list(pieces[0].items)
    if len(pieces) == 3 and isinstance(pieces[1], ast.Dots):
        pieces = [pieces[0], pieces[2]]
    if not isinstance(index, ast.Letter):
        raise ParseError(
            "an index range names one index letter (i \\in 1..N)", span=index.span, hint=RANGE_HINT
        )
    if len(pieces) != 2 or not _is_one(pieces[0]):
        where = pieces[0].span | pieces[-1].span if pieces else span
        raise ParseError(
            f"the range of the index {index.name} is not read: papermath reads a range from 1 "
            "to a size",
            span=where,
            hint=RANGE_HINT,
        )
    return IndexRange(span, index, pieces[1])


def entry_matrix(span: Span, base: ast.Node, ranges: IndexRanges) -> EntryMatrix:
    """The subscript of ranges on a bracket (or an \\overset over one)."""
    inner = base.body if isinstance(base, ast.Overset) else base
    if not isinstance(inner, ast.Bracket) or len(inner.items) != 1:
        raise ParseError(
            "index ranges under a symbol are not read: a matrix by its entries is written "
            "in brackets with the ranges under them",
            span=ranges.span,
            hint="write [a_{ij}]_{i \\in 1..N, j \\in 1..D}",
        )
    if len(ranges.ranges) != 2:
        raise ParseError(
            "a matrix by its entries has two index ranges (rows, then columns)",
            span=ranges.span,
            hint="write [a_{ij}]_{i \\in 1..N, j \\in 1..D}",
        )
    return EntryMatrix(span, base, ranges.ranges)
