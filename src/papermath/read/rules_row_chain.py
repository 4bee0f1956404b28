r"""Notation rule ``product-left-to-right``: a product written as a run of factors is read left
to right, also where a factor followed by a parenthesis looks like a call, as Lil'Log writes
the relative position score (Shaw et al. 2018):

    a_{ij} = (\mathbf{x}_i + \mathbf{p}_i)\mathbf{W}^q
             ((\mathbf{x}_j + \mathbf{p}_j)\mathbf{W}^k)^\top

The parser reads ``\mathbf{W}^q ((...)\mathbf{W}^k)^\top`` as one factor (W^q applied to the
parenthesis, the transpose on the parenthesis: read/reader.py's ``postfix_on_value``), so
the run would be ``(x_i + p_i) [W^q ((x_j + p_j) W^k)^\top]``, grouped from the right. In
print the factors of a product are multiplied left to right: read as
``[(x_i + p_i) W^q] [((x_j + p_j) W^k)^\top]``. A matrix product is associative, so the
value is the same; the grouping matters for the shapes, where the source writes its vectors
as rows: ``(x_i + p_i) W^q`` is a row times a matrix, and the row times a row transposed is
their dot product, a number (shapes/rules_row_dot.py).

Only where the right factor is such a call read as a product (a symbol that is no function,
then a parenthesis with a superscript); every other product keeps its grouping.

Example that reads (a a number; x, p vectors of d, W^q and W^k d x d_k)::

    a = (x + p) W^q ((y + r) W^k)^\top
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader


def left_first(reader: Reader, node: ast.Juxt) -> t.Term | None:
    """``L W (...)^T`` as ``(L W) (...)^T`` (see the module); None where it does not apply."""
    right = node.right
    if not (isinstance(right, ast.Sup) and isinstance(right.base, ast.Call)):
        return None
    if len(right.base.args) != 1:
        return None
    read_right = reader.term(right)
    if not (isinstance(read_right, t.Product) and read_right.written == "juxt"):
        return None
    left = reader.term(node.left)
    first = t.Product(
        Span(node.span.start, read_right.left.span.end),
        "juxt",
        left,
        read_right.left,
        Span(node.left.span.end, right.span.start),
    )
    return t.Product(node.span, "juxt", first, read_right.right, read_right.op_span)
