r"""Notation rule ``weight-chosen-by-an-edge`` (a refusal's hint): ``W_{e_{ij}} h_j`` in a sum
over the neighbours j of i, a weight whose subscript is a value per edge.

What people write (DGL's GatedGraphConv docstring: one matrix per type of edge, the type of
the edge from j to i choosing it)::

    a_{i}^{t} = \sum_{j\in\mathcal{N}(i)} W_{e_{ij}} h_{j}^{t}

Why it is refused: the matrix is chosen by the edge (i, j), but the text does not say how: one
matrix per edge, or one per type of edge (how many types?), the edge's type an integer label
of the graph. papermath refuses at the subscript (as any subscript it cannot read) and the hint
says what it is and the form that reads: R-GCN's sum over the types of edges, one matrix per
type, ``\sum_{r \in \mathcal{R}} \sum_{j \in \mathcal{N}_r(i)} W_r h_j``.

Refused (the caret on ``e_{ij}``)::

    a_i = \sum_{j \in \mathcal{N}(i)} W_{e_{ij}} h_j
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader, SymParts

RULE = "weight-chosen-by-an-edge"


def _letters(node: ast.Node) -> list[str] | None:
    """``ij``, ``i,j``, ``j i``: the letters of a two-index script, else None."""
    match node:
        case ast.Letter(name=name):
            return [name]
        case ast.Juxt(left=left, right=right):
            a, b = _letters(left), _letters(right)
            return None if a is None or b is None else a + b
        case ast.ScriptList(items=items):
            out: list[str] = []
            for item in items:
                got = _letters(item)
                if got is None:
                    return None
                out += got
            return out
    return None


def hint(reader: Reader, parts: SymParts, item: ast.Node) -> str | None:
    """The hint for ``W_{e_{ij}}`` with i, j two node indices; None for any other subscript."""
    if not isinstance(item, ast.Sub):
        return None
    pair = _letters(item.script)
    if pair is None or len(pair) != 2 or pair[0] == pair[1]:
        return None
    infos = [reader.out.indices.get(letter) for letter in pair]
    if not all(info is not None and info.kind == "node" for info in infos):
        return None
    i, j = pair
    node, other = (j, i) if reader.out.indices[i].of == j else (i, j)  # j \in N(i)
    edge = " ".join(reader.source.snippet(item.span).split())
    w = parts.base
    r = "k" if "GRU" in reader.source.text else "r"  # a GRU cell's reset gate is r
    return (
        f"{w}_{{{edge}}} is a matrix chosen by the edge {edge} (between the nodes {i} and {j}): "
        f"one per edge, or one per type of edge (the edge's type an integer label of the "
        "graph, as DGL's GatedGraphConv's n_etypes), which the text does not say; one per "
        "type reads as R-GCN writes it: "
        f"\\sum_{{{r} \\in \\mathcal{{R}}}} \\sum_{{{other} \\in \\mathcal{{N}}_{r}({node})}} "
        f"{w}_{r} h_{other} ({w}_{r} one matrix per type {r}, \\mathcal{{N}}_{r}({node}) the "
        f"neighbours of {node} along the edges of type {r})"
    )
