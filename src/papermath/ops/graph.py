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

from dataclasses import replace
from typing import TYPE_CHECKING

from ..ir.prims import (
    degree_p,
    edge_max_p,
    edge_sum_p,
    mul_p,
    neighbour_sum_p,
    nodesum_p,
    to_edges_p,
    to_nodes_p,
    transpose_p,
)
from ..ir.program import Op, edge_list_name
from ..ir.rules import (
    emit_rules,
    forward_tree_rules,
    shape_rules,
    shape_same,
    shape_scalar,
    vjp_rules,
    vjp_tree_rules,
)
from ..ir.tree import (
    DEGREE,
    NEIGHBOURS,
    ONES,
    Node,
    NotPrinted,
    _fresh,
    binds,
    div,
    indicator,
    letters,
    mul,
    neighbours_of,
    num,
    rebind,
    rename,
)

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op
    from ..passes.reverse import Reverse


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


# ---- printed gradients: graph --------------------------------------------------------------------
def tree_nodesum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """``\\sum_{v \\in V} x_v``: a value per graph, the sum over its nodes."""
    if r.node_letter is None:
        raise NotPrinted("gradient equations through a sum over nodes without a node letter")
    # bound by the source's own letter of the sum (\\sum_{k} e_{k,i} beside e_{j,i})
    w = r.sum_letter or r.node_letter
    if w != r.node_letter and w in letters(xs[0]):
        w = _fresh(letters(xs[0]) | {r.node_letter})
    body = rename(xs[0], r.node_letter, w)
    return Node(nodesum_p, (body,), body.shape, {"letter": w, "set": r.node_set})


def tree_vjp_nodesum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Each node v receives the gradient of its graph's sum (a value per graph read at a node
    is its graph's): a row of ones over the graphs (the seed of a loss per graph) is 1 at
    every node."""
    return [_at_a_node(g)]


def _at_a_node(g: Node) -> Node:
    """``g``, a value per graph, read at one node: its ones over the graphs are 1 (a number
    keeps the shape of the value it stands for: one per node)."""
    out = _ones_are_one(g)
    if not out.args and out.shape != g.shape:  # a number (0.25, \frac{1}{N})
        return replace(out, shape=g.shape)
    return out


def _ones_are_one(g: Node) -> Node:
    if g.prim is transpose_p and g.args[0].is_(ONES):
        return num(1)
    if not g.args:
        return g
    args = tuple(_ones_are_one(a) for a in g.args)
    if g.prim is mul_p:  # 0.25 \cdot 1: the constructor drops the one
        return mul(*args)
    return replace(g, args=args)


forward_tree_rules[nodesum_p] = tree_nodesum
vjp_tree_rules[nodesum_p] = tree_vjp_nodesum


def _plain_neighbours(r: Reverse, op: Op) -> str:
    if r.node_letter is None:
        raise NotPrinted("gradient equations through a sum over neighbours without a node letter")
    if op.attrs.get("relation") is not None or op.attrs.get("direction", "in") != "in":
        raise NotPrinted(
            "gradient equations through a sum over typed or outgoing edges are not printed yet",
            hint="papermath check FILE checks the generated backward through it",
        )
    return r.node_letter


def tree_neighbour_sum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    v = _plain_neighbours(r, op)
    u = (
        r.neighbour_letter
        if r.neighbour_letter not in letters(xs[0])
        else _fresh(letters(xs[0]) | {v})
    )
    body = rename(xs[0], v, u)
    return Node(NEIGHBOURS, (body,), body.shape, {"letter": u, "member": None, "of": v})


def tree_vjp_neighbour_sum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """What node v sends each neighbour u, summed at u over the nodes w that have u as a
    neighbour (the edges reversed)."""
    v = _plain_neighbours(r, op)
    w = _fresh(letters(g) | {v})
    body = rename(g, v, w)
    return [Node(NEIGHBOURS, (body,), body.shape, {"letter": w, "member": v, "of": None})]


def _edges(r: Reverse, op: Op) -> tuple[str, str]:
    if r.node_letter is None or r.edge_letter is None:
        raise NotPrinted("gradient equations over edges without the letters of their nodes")
    if op.prim is edge_sum_p and op.attrs.get("relation") is not None:
        raise NotPrinted("gradient equations through a sum over typed edges are not printed yet")
    return r.node_letter, r.edge_letter


def tree_to_edges(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """A node's value on each edge (j -> i): at the edge's target, written at i; at its
    source, at j."""
    i, j = _edges(r, op)
    x = xs[0]
    if j in letters(x):  # a sum in it binds j: it binds another letter
        x = rebind(x, j, _fresh(letters(x) | {i, j}))
    return x if int(op.attrs["side"]) == 1 else rename(x, i, j)


def tree_vjp_to_edges(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Node i collects what its edges send: as a target, over its neighbours j; as a source,
    over the nodes w whose neighbourhood holds it."""
    i, j = _edges(r, op)
    if int(op.attrs["side"]) == 1:
        return [neighbours_of(g, i, j)]
    w = _fresh(letters(g) | {i, j})
    body = rename(rename(g, i, w), j, i)
    return [Node(NEIGHBOURS, (body,), body.shape, {"letter": w, "member": i, "of": None})]


def tree_edge_sum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """For each node i, the sum of the values of the edges into it: over its neighbours j."""
    i, j = _edges(r, op)
    return neighbours_of(xs[0], i, j)


forward_tree_rules[to_edges_p] = tree_to_edges
vjp_tree_rules[to_edges_p] = tree_vjp_to_edges
forward_tree_rules[edge_sum_p] = tree_edge_sum


def tree_vjp_edge_sum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Each edge j -> i gets its target's gradient (a sum in it binding j binds another
    letter: j is the edge's own there)."""
    i, j = _edges(r, op)
    return [rebind(g, j, _fresh(letters(g) | {i, j})) if binds(g, j) else g]


vjp_tree_rules[edge_sum_p] = tree_vjp_edge_sum


def tree_edge_max(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """For each node i, the largest value (entry by entry) over the edges into it:
    ``\\max_{j \\in \\mathcal{N}(i)}``."""
    i, j = _edges(r, op)
    return replace(
        neighbours_of(xs[0], i, j), attrs={"letter": j, "member": None, "of": i, "max": True}
    )


def tree_vjp_edge_max(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Each edge j -> i gets its target's gradient where its value is the largest, shared
    equally by the edges tied for it (as the generated backward does):
    ``\\mathbb{1}[x_{ij} = y_i] / \\sum_{k \\in \\mathcal{N}(i)} \\mathbb{1}[x_{ik} = y_i]``
    times ``g_i``."""
    i, j = _edges(r, op)
    g = rebind(g, j, _fresh(letters(g) | {i, j})) if binds(g, j) else g
    y = r.forward(op.out)
    y = rebind(y, j, _fresh(letters(y) | letters(g) | {i, j})) if binds(y, j) else y
    x = r.forward(op.inputs[0])
    hit = indicator(x, "=", y)
    k = _fresh(letters(x) | letters(y) | letters(g) | {i, j})
    ties = neighbours_of(indicator(rename(x, j, k), "=", y), i, k)
    return [mul(div(hit, ties), g)]


forward_tree_rules[edge_max_p] = tree_edge_max
vjp_tree_rules[edge_max_p] = tree_vjp_edge_max
forward_tree_rules[neighbour_sum_p] = tree_neighbour_sum
vjp_tree_rules[neighbour_sum_p] = tree_vjp_neighbour_sum


def tree_vjp_to_nodes(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """A graph's value given to each of its nodes: its gradient is the sum over the graph's
    nodes (a fresh letter, as the node's own may be free around it)."""
    if r.node_letter is None:
        raise NotPrinted("gradient equations through a sum over nodes without a node letter")
    w = _fresh(letters(g) | {r.node_letter, r.neighbour_letter})
    body = rename(g, r.node_letter, w)
    return [Node(nodesum_p, (body,), body.shape, {"letter": w, "set": r.node_set})]


forward_tree_rules[to_nodes_p] = lambda r, op, xs: xs[0]  # read at a node: its graph's
vjp_tree_rules[to_nodes_p] = tree_vjp_to_nodes


def tree_degree(r: Reverse, op: Op, xs: list[Node]) -> Node:
    v = _plain_neighbours(r, op)
    return Node(DEGREE, (), r.shape2(op.out), {"of": v})


forward_tree_rules[degree_p] = tree_degree
vjp_tree_rules[degree_p] = lambda r, op, g: [None]  # a count: no gradient
