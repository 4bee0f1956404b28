"""Graphs: a program over nodes (the batch axis is the node axis) sums over the nodes of each
graph, over each node's neighbours, over the edges into a node; values go from nodes to
edges and from graphs to their nodes. The generated code reads ``batch`` (each node's graph)
and ``edges`` (2 x E: source, target) and calls the helpers of ``backends/emit.py``
(``_segment_sum``, ``_neighbour_sum``, ``_edge_sum``).

Each primitive's shape rule, its code (NumPy and torch: ``em.d`` is the dialect) and its
vector-Jacobian product, in that order. Each gradient is the transpose of its gather or
scatter: a sum over neighbours goes back along the reversed edges, a scatter-add becomes a
gather, a gather a scatter-add.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..ir.prims import (
    degree_p,
    edge_max_p,
    edge_sum_p,
    neighbour_sum_p,
    nodesum_p,
    to_edges_p,
    to_nodes_p,
)
from ..ir.program import edge_list_name
from ..ir.rules import emit_rules, shape_rules, shape_same, shape_scalar, vjp_rules

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op


# ---- nodesum, to_nodes: between graphs and their nodes ---------------------------------
def emit_nodesum(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    em.bind(op, f"_segment_sum({em.expr[x]}, batch, num_graphs, {em.batch_axis})", indent)


def vjp_nodesum(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    bw.add(x, f"{g}[batch]" if bw.e.sf else f"{g}[..., batch]")


shape_rules[nodesum_p] = shape_same
emit_rules[nodesum_p] = emit_nodesum
vjp_rules[nodesum_p] = vjp_nodesum


def emit_to_nodes(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    em.bind(op, f"{em.expr[x]}[{'batch' if em.sf else '..., batch'}]", indent)


def vjp_to_nodes(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    # each graph collects the gradients of its nodes
    bw.add(x, f"_segment_sum({g}, batch, num_graphs, {bw.e.batch_axis})")


shape_rules[to_nodes_p] = shape_same
emit_rules[to_nodes_p] = emit_to_nodes
vjp_rules[to_nodes_p] = vjp_to_nodes


# ---- neighbour_sum ---------------------------------------------------------------------
def emit_neighbour_sum(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    edges = edge_list_name(op.attrs.get("relation"), op.attrs.get("direction", "in"))
    em.bind(op, f"_neighbour_sum({em.expr[x]}, {edges}, {em.batch_axis})", indent)


def vjp_neighbour_sum(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    # the gradient flows back along every edge: target -> source (the edges reversed)
    edges = edge_list_name(op.attrs.get("relation"), op.attrs.get("direction", "in"))
    bw.add(x, f"_neighbour_sum({g}, {edges}[::-1], {bw.e.batch_axis})")


shape_rules[neighbour_sum_p] = shape_same
emit_rules[neighbour_sum_p] = emit_neighbour_sum
vjp_rules[neighbour_sum_p] = vjp_neighbour_sum


# ---- to_edges, edge_sum: between nodes and edges ---------------------------------------
def emit_to_edges(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    side = int(op.attrs["side"])  # 0: the edge's source node, 1: its target
    index = f"edges[{side}]"
    em.bind(op, f"{em.expr[x]}[{index if em.sf else '..., ' + index}]", indent)


def vjp_to_edges(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    side = int(op.attrs["side"])  # each node collects the gradients of its edges
    bw.add(x, f"_edge_sum({g}, edges, len(batch), {bw.e.batch_axis}, side={side})")


shape_rules[to_edges_p] = shape_same
emit_rules[to_edges_p] = emit_to_edges
vjp_rules[to_edges_p] = vjp_to_edges


def emit_edge_sum(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    em.bind(op, f"_edge_sum({em.expr[x]}, edges, len(batch), {em.batch_axis})", indent)


def vjp_edge_sum(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs  # each edge gets the gradient of its target node
    bw.add(x, f"{g}[edges[1]]" if bw.e.sf else f"{g}[..., edges[1]]")


shape_rules[edge_sum_p] = shape_same
emit_rules[edge_sum_p] = emit_edge_sum
vjp_rules[edge_sum_p] = vjp_edge_sum


# ---- edge_max: the largest value over the edges into a node --------------------------
def emit_edge_max(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs  # 0 for a node no edge enters (as DGL's and PyG's max aggregations)
    em.bind(op, f"_edge_max({em.expr[x]}, edges, len(batch), {em.batch_axis})", indent)


def vjp_edge_max(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs  # each edge that holds its target's largest value gets the target's
    # gradient; edges tied for it share it equally (as torch's scatter_reduce amax does)
    y = bw.e.expr[op.out]
    bw.add(x, f"_edge_max_vjp({g}, {bw.e.expr[x]}, {y}, edges, {bw.e.batch_axis})")


shape_rules[edge_max_p] = shape_same
emit_rules[edge_max_p] = emit_edge_max
vjp_rules[edge_max_p] = vjp_edge_max


# ---- degree: |N(v)|, the number of a node's neighbours ----------------------------------
def emit_degree(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs  # a value per node: the count's length (the nodes) and type
    edges = edge_list_name(op.attrs.get("relation"), op.attrs.get("direction", "in"))
    em.bind(op, f"_degree({edges}, {em.expr[x]}, {em.batch_axis})", indent)


def vjp_degree(bw: Backward, op: Op, g: str) -> None:
    """A count of edges: it does not depend on the operand's values (no gradient)."""


shape_rules[degree_p] = shape_scalar  # one number per node
emit_rules[degree_p] = emit_degree
vjp_rules[degree_p] = vjp_degree
