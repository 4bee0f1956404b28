r"""Notation rule ``whole-matrix-aggregation``: ``\textrm{AGGREGATE}(\X)``, an aggregator the
source leaves unnamed applied to the node feature matrix as a whole.

What people write (Spektral's GraphSageConv)::

    \X' = \big[ \textrm{AGGREGATE}(\X) \| \X \big] \W + \b

"where AGGREGATE is a function to aggregate a node's neighbourhood. The supported aggregation
methods are: sum, mean, max, min, and product."

How papermath reads it: the prose says what the function does (each node's neighbourhood
aggregated), and it is applied to X whole, the values of every node at once: X holds one row
per node (a matrix, nodes by features) and the value is that matrix's shape, each node's row
replaced by the aggregation of its neighbours' rows (a sum, a mean, a max of rows keeps their
width). Read so for shapes, kinds, explain and diagrams (a matrix of X's shape, X a matrix);
which aggregation and over which graph the formula does not say (the adjacency is not written),
so code is refused by what is written, with a hint giving the per-node form papermath
generates (``\mathrm{mean}(\{x_j, j \in \mathcal{N}(i)\})``). Only for the unnamed aggregator
words (``AGGREGATE``, ``aggregate``, ``AGG``) applied to a value written with no script (no node
index, no step: ``\mathrm{AGGREGATE}(x_i)`` stays refused); the
set form (``\mathrm{aggregate}(\{h_j, j \in \mathcal{N}(i)\})``) is read/rules_set_builder.py's.

Examples that read (shapes only): ``Y = [\mathrm{AGGREGATE}(X) \| X] W``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..parse import ast
from . import terms as t
from .functions import WHOLE_AGGREGATE
from .syntax import iter_nodes

if TYPE_CHECKING:
    from ..shapes.infer import Inference
    from .reader import Reader

RULE = "whole-matrix-aggregation"


@dataclass(frozen=True)
class WholeAggregate(ast.Call):
    """``\\textrm{AGGREGATE}(X)``, X carrying no node index (see the module)."""


def mark(reader: Reader, node: ast.Node, func: ast.Node, arg: ast.Node) -> ast.Node | None:
    """``node`` as a :class:`WholeAggregate` where its argument is written with no script (X,
    a product of matrices: no node index, no step; the indices are not known yet at this
    stage, so any subscript or superscript leaves it to the caller's refusal); None
    otherwise."""
    if not isinstance(node, ast.Call) or len(node.args) != 1:
        return None
    if any(isinstance(n, ast.Sub | ast.Sup) for n in iter_nodes([arg])):  # type: ignore[list-item]
        return None
    return WholeAggregate(node.span, func, node.args)


def term(reader: Reader, node: WholeAggregate) -> t.Term:
    """The term of ``\\textrm{AGGREGATE}(X)``: a matrix of X's shape, code refused."""
    (arg,) = node.args
    name = " ".join(reader.source.snippet(node.func.span).split())
    value = " ".join(reader.source.snippet(arg.span).split())
    written = " ".join(reader.source.snippet(node.span).split())
    reader.note(
        node.func.span,
        "aggregation over each node's neighbours, of the whole node matrix (aggregator unnamed)",
        f"{name} aggregates a node's neighbourhood (the source's words), and it is applied to "
        f"{value} whole, the values of every node at once: {value} holds one row per node, and "
        f"{written} is of its shape, each node's row replaced by the aggregation of its "
        "neighbours' rows (a sum, a mean, a max keep the width); which aggregation, over which "
        "graph, the formula does not say: read for shapes, code refused",
    )
    reader.out.shapes_only.setdefault(
        written,
        (
            node.span,
            "write the layer for one node, over the set of its neighbours' values, with the "
            "aggregation the model uses: x_i' = [\\mathrm{mean}(\\{x_j, j \\in \\mathcal{N}(i)\\}) "
            "\\| x_i] W + b (or \\sum_{j \\in \\mathcal{N}(i)} x_j, \\max_{j \\in \\mathcal{N}(i)} "
            "x_j)",
        ),
    )
    return t.Apply(node.span, WHOLE_AGGREGATE, (reader.term(arg),))


def rule(inf: Inference, a: t.Apply) -> bool:
    """Shapes: the argument a matrix (one row per node; fresh sizes where nothing gave it a
    shape), the value of its shape."""
    (x,) = a.args
    rank = inf.rank(x)
    if rank is None:
        e = inf.engine
        inf.bind(x, (e.fresh_size(), e.fresh_size()), a, "", "")
    elif rank != 2:
        raise ShapeError(
            f"{inf.snip(a)}: an aggregation over each node's neighbours of {inf.snip(x)} as a "
            f"whole needs one row per node (a matrix), but {inf.snip(x)} is {inf.shown(x)}",
            inf.source,
            a.span,
            hint="write it for one node over the set of its neighbours' values: "
            "\\mathrm{aggregate}(\\{x_j, j \\in \\mathcal{N}(i)\\})",
        )
    inf.unify(a, x, a, f"the aggregation {inf.snip(a)}", "an aggregation keeps the rows' width")
    return True
