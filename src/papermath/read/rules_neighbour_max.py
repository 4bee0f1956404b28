# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``neighbour-max``: ``\max_{j \in \mathcal{N}(i)} body``, for each node i the
largest value of body over its neighbours j, entry by entry (EdgeConv, Wang et al. 2019, as
DGL's docstring writes it; GraphSAGE's max-pooling aggregator; PyTorch Geometric's
``aggr="max"``).

What people write::

    h_i^{(l+1)} = \max_{j \in \mathcal{N}(i)} (\Theta \cdot (h_j^{(l)} - h_i^{(l)}) + \Phi \cdot h_i^{(l)})

How papermath reads it: as a sum over the neighbours is read (the body is one value per edge
j -> i, where h_j is the edge's source's value and h_i its target's), with the sum replaced by
the largest value, taken entry by entry over the edges into i (a segment max along the edge
list: the primitive ``edge_max``). A max is a vector's entries' max only where the subscript
is an entry index (``\max_i a_i``, read/rules_reductions.py); with a neighbourhood under it,
it is this rule.

A node no edge enters has no largest value: it gets 0, as DGL's and PyTorch Geometric's max
aggregations give; the reading says so. The gradient goes to the edge that holds the largest
value (edges tied for it share it equally, as torch's ``scatter_reduce(..., "amax")`` does).
Refused: a max along the edges of one type (``\mathcal{N}_r(i)``), along outgoing edges, or
over ``\mathcal{N}(i) \cup \{i\}`` (not generated yet).

Examples (each reads; h a vector per node, \Theta and \Phi matrices)::

    h'_i = \max_{j \in \mathcal{N}(i)} (\Theta \cdot (h_j - h_i) + \Phi \cdot h_i), h_i \in \mathbb{R}^{d}, h'_i \in \mathbb{R}^{d}
    h'_i = \max_{j \in \mathcal{N}(i)} W h_j, h_i \in \mathbb{R}^{d}, h'_i \in \mathbb{R}^{e}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .syntax import neighbourhood_of

if TYPE_CHECKING:
    from .reader import IndexInfo, Reader


def neighbour_max(r: Reader, node: ast.BigOp, info: IndexInfo, body: ast.Node) -> t.Term | None:
    """``\\max_{j \\in \\mathcal{N}(i)} body`` as a NeighbourMax; None where the index is not a
    neighbour index (or the operator is not max)."""
    if node.op != "max" or info.kind != "node" or info.of is None:
        return None
    sub = node.sub
    hood = neighbourhood_of(sub.right) if isinstance(sub, ast.ScriptIn) else None
    u, v = info.letter, info.of
    written = " ".join(r.source.snippet(sub.span).split()) if sub is not None else u
    if hood is None or hood.relation is not None or hood.direction != "in":
        raise r.error(
            f"\\max over {written}: a max over the neighbours is read along the edges into a "
            "node only, not along the edges of one type, outgoing edges or a set built from "
            "the neighbourhood",
            node.span,
            hint=f"\\max_{{{u} \\in \\mathcal{{N}}({v})}} h_{u} takes the largest value over the "
            f"neighbours {u} of each node {v}",
        )
    assert isinstance(sub, ast.ScriptIn)
    read_body = r.term(body)
    if not any(isinstance(x, t.Sym) and u in (x.node, x.edge) for x in t.walk(read_body)):
        raise r.error(
            f"nothing in this max depends on the neighbour {u}",
            node.span,
            hint=f"index what the max runs over by the neighbour, as in "
            f"\\max_{{{u} \\in \\mathcal{{N}}({v})}} h_{u}",
        )
    r.note(
        node.span,
        f"max over the neighbours of {v}",
        f"for each node {v}, the largest value of "
        f"'{' '.join(r.source.snippet(body.span).split())}' over its neighbours {u} in "
        f"{' '.join(r.source.snippet(sub.right.span).split())} only, entry by entry, along the "
        f"edges into {v} (source {u}, target {v}); a node no edge enters gets 0 (as DGL's and "
        "PyTorch Geometric's max aggregations); vectorized, a segment max along an edge list",
    )
    return t.NeighbourMax(node.span, u, v, read_body)
