# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``degree-inverse``: ``D^{-1} A`` with D defined nowhere, the letters D and A
with the same decorations (``D^{-1} A``, ``\tilde{D}^{-1} \tilde{A}``): the inverse of A's degree
matrix times A, the mean over the neighbours (the random-walk normalisation).

What people write (Distill's "Understanding Convolutions on Graphs", the GCN update as a sparse
matrix product)::

    h^{(k)} = D^{-1} A \cdot h^{(k - 1)} {W^{(k)}}^T + h^{(k - 1)} {B^{(k)}}^T

How papermath reads it: GCN's convention, the one read/rules_graph.py reads in ``D^{-1/2} A
D^{-1/2}`` (a D that nothing defines, written with A's decorations beside A, is A's degree
matrix); here the letters must be D and A themselves (the degree and the adjacency matrix's
own letters: a lone inverse is a weaker sign than the symmetric product, so ``D^{-1} M`` stays
refused). D is diagonal with d_i = \sum_j A_ij, the row sums of A, on its diagonal, so D^{-1} A
is A with row i divided by d_i; A, whose degrees are taken, is a graph's adjacency (data, an
input), and D is square as A. The generated code builds D from A's row sums
(read/rules_degree_matrix.py's value, diag(d)) and inverts it (existing primitives). The
readings say so. Without this rule D^{-1} is refused (an inverse of a matrix whose two sizes
nothing equates), and a shape declared for D alone would leave D and A learned parameters by
the letter conventions.

Read only where every use of that D is ``D^{-1}`` just before that A, D has no definition
(a definition ``D_{ii} = \sum_j A_{ij}`` is read by read/rules_degree_matrix.py), no index,
step or label, and D's decorations are A's; anything else stays as it was (``D^{-1}`` refused
where D's sizes are not forced).

Examples (each reads; A n x n, the data)::

    y = D^{-1} A x, x \in \mathbb{R}^{n}
    H' = \tilde{D}^{-1} \tilde{A} H W, \tilde{A} = A + I, H \in \mathbb{R}^{n \times d}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t
from .rules_graph import degree_definition, mark_adjacency
from .syntax import is_symbolish, iter_nodes

if TYPE_CHECKING:
    from .reader import Reader, SymParts

RULE = "degree-inverse"


def _minus_one(script: ast.Node) -> bool:
    """``-1``, ``{-1}``."""
    while isinstance(script, ast.Brace | ast.ScriptList) and len(script.items) == 1:
        script = script.items[0]
    return (
        isinstance(script, ast.Neg)
        and isinstance(script.body, ast.Number)
        and script.body.text == "1"
    )


def _plain(parts: SymParts | None) -> bool:
    return parts is not None and not (
        parts.post or parts.step or parts.node or parts.element or parts.labels
    )


def _pair(reader: Reader, node: ast.Node) -> tuple[SymParts, SymParts] | None:
    """(D, A) of ``D^{-1} A`` as written (D plain under the power -1, A plain after it, A's
    decorations on D); else None."""
    if not isinstance(node, ast.Juxt):
        return None
    left, right = node.left, node.right
    if not (isinstance(left, ast.Sup) and _minus_one(left.script) and is_symbolish(left.base)):
        return None
    if not is_symbolish(right):
        return None
    d = reader.symbol(left.base, quiet=True)
    a = reader.symbol(right, quiet=True)
    if d is None or a is None or not (_plain(d) and _plain(a)):
        return None
    if d.base != "D" or a.base != "A" or d.decorations != a.decorations:
        return None
    return d, a


def row_normalised(reader: Reader, node: ast.Juxt) -> t.Term | None:
    """``D^{-1} A`` (D undefined, A's decorations) as the inverse of A's degree matrix times A;
    None for anything else."""
    got = _pair(reader, node)
    if got is None:
        return None
    d, a = got
    if d.key in reader.defined_keys or degree_definition(reader, d.key) is not None:
        return None
    if not _every_use(reader, d.key, a.key):
        return None
    assert isinstance(node.left, ast.Sup)
    reader.out.degrees[d.key] = a.key
    reader.out.first_span.setdefault(d.key, node.left.span)
    mark_adjacency(reader, a.key)
    written = " ".join(reader.source.snippet(node.span).split())
    reader.note(
        node.span,
        "inverse degree matrix",
        f"{d.key} is defined nowhere and written with the letter D and {a.key}'s decorations "
        f"beside {a.key}, the adjacency's letter (GCN's convention): the degree matrix of {a.key}, diagonal with d_i = "
        f"\\sum_j {a.key}_ij, square as {a.key}; {written} is {a.key} with row i divided by d_i "
        f"(the mean over the neighbours); {a.key}, whose degrees are taken, is a graph's "
        "adjacency (data)",
    )
    adjacency = reader.term(node.right)
    matrix = t.DegreeMatrix(node.left.base.span, adjacency, d.key)
    inverse = t.Power(node.left.span, matrix, -1.0)
    gap = Span(node.left.span.end, node.right.span.start)
    return t.Product(node.span, "juxt", inverse, reader.term(node.right), gap)


def _every_use(reader: Reader, d: str, a: str) -> bool:
    """Whether every use of D in the statements is ``D^{-1}`` right before A."""
    nodes = iter_nodes([s for s in reader.statements if not isinstance(s, ast.Declaration)])
    inverses: list[Span] = []  # where D is written as the D of D^{-1} A
    for n in nodes:
        got = _pair(reader, n)
        if got is not None and got[0].key == d and got[1].key == a:
            assert isinstance(n, ast.Juxt) and isinstance(n.left, ast.Sup)
            inverses.append(n.left.base.span)
    if not inverses:
        return False
    for n in nodes:
        if isinstance(n, ast.Sup | ast.Sub) or not is_symbolish(n):
            continue
        parts = reader.symbol(n, quiet=True)
        if (
            parts is not None
            and parts.key == d
            and not any(s.start <= n.span.start and n.span.end <= s.end for s in inverses)
        ):
            return False
    return True
