r"""Notation rule ``doubts.node-subset`` (a refusal): a sum over a subset of a graph's nodes
that the source names by a function of the graph, ``\sum_{v \in \text{Lab}(G)}``.

What people write: a semi-supervised loss summed over the labelled nodes only (Distill's
"Understanding Convolutions on Graphs": ``\mathcal{L}_{G} = \frac{\sum\limits_{v \in
\text{Lab}(G)} \mathcal{L}(y_v, \hat{y_v})}{| \text{Lab}(G) |}``, "where, we only compute losses
over labelled nodes ``\text{Lab}(G)``"), ``\sum_{v \in \mathrm{Train}(\mathcal{G})}``.

What it is: a set of nodes the data gives (which nodes carry a label), not a node's
neighbours and not every node; papermath reads a sum over every node and over a node's
neighbours, not over a subset it is not given. Before this rule the refusal said it could not
read the set "as the neighbours of a node" and asked for a neighbourhood, which is not what
the source means. Refused at the set, saying what it is.

Example refused: ``L = \sum_{v \in \text{Lab}(G)} \ell_v``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..parse import ast
from .syntax import neighbourhood_of

if TYPE_CHECKING:
    from .reader import Reader

__all__ = ["refusal"]


def refusal(reader: Reader, sub: ast.ScriptIn) -> ReadingError | None:
    """The refusal of ``v \\in F(G)``, a set of the nodes of the graph G named by a function
    of it (see the module), or None."""
    right = sub.right
    if not isinstance(right, ast.Call) or len(right.args) != 1:
        return None
    arg = right.args[0]
    arg = arg.body if isinstance(arg, ast.Font) else arg
    if not (isinstance(arg, ast.Letter) and arg.name == "G") or neighbourhood_of(right):
        return None
    written = reader.source.snippet(right.span)
    return reader.error(
        f"{written}: a set of the nodes of the graph that the source names by a function of "
        "the graph (a subset the data gives, such as its labelled nodes), not a node's "
        "neighbours; a sum over it is not read",
        right.span,
        hint="papermath reads a sum over every node (\\sum_{v \\in V}) and over a node's "
        "neighbours (\\sum_{u \\in \\mathcal{N}(v)})",
    )
