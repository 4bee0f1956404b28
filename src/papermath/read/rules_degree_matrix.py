# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``degree-matrix-value``: the diagonal degree matrix of a graph defined entry by
entry from its adjacency matrix, and used as a matrix of its own,

    we can construct the diagonal degree matrix $D$ of $G$ as: $$D_v = \sum_u A_{vu}.$$
    Then, the graph Laplacian $L$ is the square $n \times n$ matrix defined as: $$L = D - A.$$

(Distill's "Understanding Convolutions on Graphs", the graph Laplacian).

What it is: ``D_v`` writes one index on D, which the prose calls a diagonal matrix: it is the
entry (v, v) of D, the only entry of row v that is not 0, as ``D_{vv}`` or ``D_{ii} = \sum_j
A_{ij}`` write it (read/rules_graph.py's degree statement); ``\sum_u A_{vu}`` is the sum of row
v of A. Only where the prose says "diagonal" of that very symbol in the sentence that names it
(``diagonal degree matrix $D$``); elsewhere ``D_v`` stays the entry v of a vector.

How papermath reads it: D is the degree matrix of A, diagonal, d_v = \sum_u A_{vu} on its
diagonal; A is then a graph's adjacency (data, an input). Where D is used as a value (``L = D
- A``, ``D^{-1} A``), it is that matrix, n x n as A: the generated code builds it from A's row
sums (``diag(d)``: the identity times d, row by row; existing primitives, no new one). Inside
``D^{-1/2} A D^{-1/2}`` it stays read by read/rules_graph.py. The readings say so.

Examples (each reads; A N x N)::

    the diagonal degree matrix $D$ is $$D_v = \sum_u A_{vu},$$ $$L = D - A, A \in \mathbb{R}^{N \times N}$$
    D_{ii} = \sum_j A_{ij}, L = D - A, A \in \mathbb{R}^{N \times N}
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .rules_entries import two_indices
from .rules_graph import degree_statement, mark_adjacency
from .syntax import is_symbolish

if TYPE_CHECKING:
    from .reader import Reader

RULE = "degree-matrix-value"


def _said_diagonal(reader: Reader, base: ast.Node) -> str | None:
    """The words that call ``base`` a diagonal matrix (``the diagonal degree matrix $D$``: the
    word "diagonal", then the symbol in inline math, in one sentence); None otherwise."""
    written = re.escape(" ".join(reader.source.snippet(base.span).split()))
    m = re.search(
        r"\bdiagonal\b[^.$]{0,60}\$\s*" + written + r"\s*\$", reader.source.text, re.IGNORECASE
    )
    return None if m is None else " ".join(m.group(0).split())


def diagonal_entries(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``D_v = \\sum_u A_{vu}`` where the prose calls D diagonal: read as ``D_{vv} = \\sum_u
    A_{vu}``, the degree statement of read/rules_graph.py (noted)."""
    out: list[ast.Statement] = []
    for s in statements:
        if (
            isinstance(s, ast.Definition)
            and isinstance(s.lhs, ast.Sub)
            and isinstance(v := s.lhs.script, ast.Letter)
            and isinstance(s.rhs, ast.BigOp)
            and s.rhs.op == "sum"
            and isinstance(s.rhs.sub, ast.Letter)
            and isinstance(s.rhs.body, ast.Sub)
            and two_indices(s.rhs.body.script) == (v.name, s.rhs.sub.name)
            and (words := _said_diagonal(reader, s.lhs.base)) is not None
        ):
            lhs = replace(s.lhs, script=ast.Juxt(v.span, v, v))
            candidate = replace(s, lhs=lhs)
            found = degree_statement(reader, candidate)
            if found is not None:
                d, a = found
                reader.note(
                    s.lhs.span,
                    "the diagonal entry of a diagonal matrix",
                    f"the source says '{words}': {d}_{v.name}, one index on a diagonal matrix, "
                    f"is its entry ({v.name}, {v.name}), the row sum \\sum_{s.rhs.sub.name} "
                    f"{a}_{{{v.name}{s.rhs.sub.name}}}: {d} is the degree matrix of {a}",
                )
                s = ast.keep_attached(candidate, s)
        out.append(s)
    return out


def value(reader: Reader, node: ast.Node) -> t.Term | None:
    """D, defined as A's degrees (``D_{ii} = \\sum_j A_{ij}``), used as a value: the diagonal
    matrix of A's row sums; None for any other node."""
    if not is_symbolish(node):
        return None
    parts = reader.symbol(node, quiet=True)
    if parts is None or parts.step or parts.node or parts.element or parts.labels:
        return None
    if any(what not in ("transpose", "power") for what, _, _ in parts.post):
        return None  # D^{-1}, D^T: the matrix, then the power or transpose written on it
    for statement in reader.statements:
        found = degree_statement(reader, statement)
        if found is None or found[0] != parts.key:
            continue
        assert isinstance(statement, ast.Definition) and isinstance(statement.rhs, ast.BigOp)
        body = statement.rhs.body
        assert isinstance(body, ast.Sub)
        d, a = found
        reader.out.degrees[d] = a
        reader.out.first_span.setdefault(d, statement.lhs.span)
        mark_adjacency(reader, a)
        reader.note(
            node.span,
            "degree matrix",
            f"{d} is defined as the degrees of {a} ({reader.source.snippet(statement.span)}): "
            f"the diagonal matrix with d_i = \\sum_j {a}_ij, the row sums of {a}, on its "
            f"diagonal; {a}, whose degrees are taken, is a graph's adjacency (data)",
        )
        matrix = t.DegreeMatrix(parts.span, reader.term(body.base), d)
        return reader.post_ops(parts, matrix)
    return None
