r"""Reverse mode over the IR, for people: the gradient of every named value of a
:class:`~papermath.ir.program.Program` as a tree of the IR's own primitives.

The generated backward (``backends/backward.py``) computes gradients; this pass says them.
It walks the forward ops in reverse, as the generated backward does, and each primitive's
rule (``vjp_tree_rules``, registered under the primitive's other rules in
``ops/<family>.py``) gives the tree of its operands' gradients in primitives (``matmul``,
``transpose``, ``mul``, ``sub``, the elementwise derivative of the function's row in
``ops/elementwise.py``; the trees and their constructors are :mod:`papermath.ir.tree`).
Broadcasting is undone in one place (``ir.tree.unbroadcast``): a row of ones for what a sum
over the rows gave every row, the ones over the samples (``\mathbf{1}``) for a value the same
for every sample.

The trees are *matrices as printed*: every value is two-dimensional, the samples as columns
(a vector of each example, n, is n x N for the batch; a parameter vector is a column n x 1).
A value the source names (an equation's left side, a parameter, an input, a state one step
back) is a leaf (``value``) in the source's symbols; a value it does not name is its forward
tree, inlined. The gradient of a named value is a leaf (``grad``); its equation is the sum
of what every use sends it (:func:`reverse`). Through time, what the step t sends to a state
at t-1 is the gradient of that state at its own step, written one step later (h_{t-1} ->
h_t, ``shift``); a state carried backwards (h_t from h_{t+1}, ``Program.back_ops``) gets
what the step t sends to h_{t+1} as the gradient of that state at its own step, written one
step earlier (h_{t+1} -> h_t: the term of step t-1).

Values per node (a graph's nodes as the columns) carry their node letter (``h_v``); a value per
edge carries both (``\alpha_{i,j}``). The graph primitives' rules say what a sum over the
nodes, over a node's neighbours, or a node's value on its edges sends back (``\sum_{w : v \in
\mathcal{N}(w)} g_w``: the edges reversed); node letters are renamed where a sum would
capture one (``rename``, ``rebind`` in ir/tree.py).

A family of heads (multi-head attention: ``take`` of a stacked W_i^Q, the heads side by side
``concat_last``) is printed for one head i (:class:`Heads`): the first head's computation,
its values written with i, the block of the concatenation's gradient head i meets written
with i, and what head i sends a value the heads share summed over the heads.

A program with a matrix per sample (labml's fast weights, W^{(i)} a state) is walked for
one sample (``written``: every value with its own shape, a vector a column), as the source
writes it; a parameter's gradient for a batch is the sum of that over the samples.

What is not printed yet is refused by name (``NotPrinted``): typed or outgoing edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import papermath.ops.families  # noqa: F401  (the IR's rules, the printed gradients' included)

from ..ir.prims import Prim, concat_p, const_p
from ..ir.program import Op, Program, Value
from ..ir.rules import ForwardRule, VjpTreeRule, forward_tree_rules, latex_rules, vjp_tree_rules
from ..ir.tree import (
    BLOCK,
    GRAD,
    ONE,
    VALUE,
    Node,
    NotPrinted,
    Shape2,
    add,
    head_sum,
    shift,
    stacked,
    transpose,
    unbroadcast,
)
from ..ops.reductions import tree_over_index, tree_vjp_over_index
from ..shapes.sizes import Size


# ---- the walker ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Named:
    """A value the source names: its key, the step it is at relative to the equations' step
    (0, -1 for a state one step back; None: no step), whether it varies across samples."""

    key: str
    offset: int | None
    batched: bool
    node: str | None = None  # a value per node: the node letter it is written with (h_v)
    # a value per edge (alpha_{ij}, from the neighbour j to the node i): node is i, edge j;
    # edge_first: written e_{j,i} (the neighbour's letter first)
    edge: str | None = None
    edge_first: bool = False
    head: str | None = None  # one per head of a family: the head letter (W_i^Q, head_i)


@dataclass(frozen=True)
class Heads:
    """A family of heads (multi-head attention), printed for one head i: the letter, the
    number of heads (a size), the values of head i's own computation (those of the first
    head of the unrolled program; the other heads' get nothing) and the ops computing them.
    What head i's ops send a value shared by the heads (Q, a parameter used by every head)
    is summed over the heads (``\\sum_{i=1}^{h}``)."""

    letter: str
    count: Size
    values: frozenset[Value]
    ops: frozenset[Op]


class Reverse:
    """The state of one reverse walk over a program: the forward tree of each value, the
    named values, the gradients of the values not named (lists of contributions)."""

    def __init__(self, program: Program, samples: Size, written: bool = False) -> None:
        self.p = program
        self.samples = samples
        # the source writes its samples in its matrices (X_t is n x d): every value is printed
        # with its own shape, the generated module's batch axis is its own
        self.written = written
        self.named: dict[Value, Named] = {}
        self.edge_values: set[Value] = set()  # the values per edge (a program over nodes)
        self.from_edges: set[Value] = set()  # values not per edge whose gradient is (a^T)
        self.producer: dict[Value, Op] = {op.out: op for op in program.ops()}
        loops = program.step_ops + program.back_ops + program.post_ops
        self.step_outs = {op.out for op in loops} if program.step_index else set()
        self.forward_cache: dict[Value, Node] = {}
        self.grads: dict[Value, list[Node]] = {}  # of the values not named
        self.received: dict[str, list[Contribution]] = {}  # by the named values, by key
        self.skip: set[Op] = set()  # ops a rule took in (the norm of \|u\|^2)
        # values per node: the node letter and the set of the nodes, as the source writes them
        # (\sum_{v \in V}); the nodes are the columns of a value per node, the graphs those of
        # a value per graph
        self.node_letter: str | None = None
        self.node_set = "V"
        self.neighbour_letter = "u"  # the source's letter of a neighbour (u in N(v))
        self.sum_letter: str | None = None  # the source's letter of a sum over the nodes
        self.edge_letter: str | None = None  # of a value per edge's neighbour (j in alpha_{ij})
        self.heads: Heads | None = None  # a family of heads: printed for one head i

    def uses(self, v: Value) -> int:
        return sum(v in op.inputs for op in self.p.ops())

    def send(self, v: Value, g: Node, op: Op) -> None:
        """Add ``g`` to the gradient of ``v``, from the use ``op`` (summed over the heads
        where head i's computation sends it to a value the heads share)."""
        h = self.heads
        if h is not None and op in h.ops and v not in h.values:
            if g.is_(BLOCK):
                raise NotPrinted("gradient equations through a block of a value the heads share")
            g = head_sum(g, h.letter, h.count)
        if v in self.named:
            if g.is_(BLOCK):
                raise NotPrinted(
                    f"gradient equations through a block of the rows of {self.named[v].key} "
                    "are not printed yet",
                    hint="papermath check FILE checks the generated backward through it",
                )
            info = self.named[v]
            on_edges = op.out in self.edge_values or op.out in self.from_edges
            self.received.setdefault(info.key, []).append(
                Contribution(g, info.offset, op.out in self.step_outs, on_edges, op.out)
            )
        elif v in self.producer and self.producer[v].prim is const_p:
            return  # a number has no gradient
        elif v in self.producer:
            self.grads.setdefault(v, []).append(g)
            if op.out in self.edge_values or op.out in self.from_edges:
                self.from_edges.add(v)  # a^T used on every edge: what it gets is per edge

    def shape2(self, v: Value) -> Shape2:
        """The printed shape of a value: samples as columns."""
        shape = v.shape  # typed sizes (ir/program.py)
        batched = v.batched and not self.written
        if batched and len(shape) == 2 and ONE in (shape[0], shape[1]):
            # a row (or a column) per sample, x_i^T: printed as its column, as a vector is
            return (shape[1] if shape[0] == ONE else shape[0], self.samples)
        if len(shape) > 2 or (len(shape) == 2 and batched):
            raise NotPrinted(
                f"gradient equations through a matrix per sample ({v.name}) are not printed yet",
                hint="papermath check FILE checks the generated backward through it",
            )
        if batched:
            return (shape[0] if shape else ONE, self.samples)
        if len(shape) == 2:
            return (shape[0], shape[1])
        return (shape[0] if shape else ONE, ONE)

    def per_sample(self, v: Value) -> bool:
        """Whether a value has the samples as its columns (not printed as written)."""
        return v.batched and not self.written

    def leaf(self, v: Value) -> Node:
        info = self.named[v]
        return Node(
            VALUE,
            (),
            self.shape2(v),
            self._at(info),
        )

    def _at(self, info: Named) -> dict[str, Any]:
        return {
            "key": info.key,
            "offset": info.offset,
            "batched": info.batched,
            "node": info.node,
            "edge": info.edge,
            "edge_first": info.edge_first,
            "head": info.head,
        }

    def grad_leaf(self, v: Value) -> Node:
        info = self.named[v]
        return Node(
            GRAD,
            (),
            self.shape2(v),
            self._at(info),
        )

    def forward(self, v: Value) -> Node:
        """The value as a tree: its symbol where the source names it, else how it is
        computed (the forward rule of its primitive, ``forward_rules``)."""
        if v in self.named:
            return self.leaf(v)
        if v in self.forward_cache:
            return self.forward_cache[v]
        op = self.producer.get(v)
        if op is None:
            raise NotPrinted(f"gradient equations through {v.name} are not printed yet")
        rule = forward_rule(op.prim)
        if rule is None:
            raise NotPrinted(
                f"gradient equations through the primitive {op.prim.name} are not printed yet",
                hint="papermath check FILE checks the generated backward through it",
            )
        out = rule(self, op, [self.forward(i) for i in op.inputs])
        self.forward_cache[v] = out
        return out

    def along_columns(self, op: Op, k: int) -> bool:
        """Whether operand ``k`` of an entrywise op is a vector laid along the result's
        second axis (a bias added to each row): it meets the others as its transpose.
        ``align`` gives, for each result axis, the operand's axis (None: broadcast)."""
        v = op.inputs[k]
        align = op.attrs.get("align")
        if align is None:
            return False
        axes = tuple(align[k])
        if all(a is None for a in axes):
            return False  # a number (or one per sample) for every entry
        if axes == tuple(range(len(axes))) or axes == (0, None):
            return False
        if axes == (None, 0) and len(v.shape) == 1:
            return True
        raise NotPrinted("gradient equations through a transposed broadcast are not printed yet")

    def operand(self, op: Op, k: int) -> Node:
        """Operand ``k`` of an entrywise op as it meets the others."""
        x = self.forward(op.inputs[k])
        return transpose(x) if self.along_columns(op, k) else x

    def to_operand(self, op: Op, k: int, g: Node) -> Node:
        """A contribution laid out like the result, as the gradient of operand ``k``."""
        shape = self.shape2(op.inputs[k])
        if self.along_columns(op, k):
            return transpose(unbroadcast(g, (shape[1], shape[0]), self.samples))
        return unbroadcast(g, shape, self.samples)


def over_index(prim: Prim) -> bool:
    """A reduction over an index whose printed gradient its own rule gives (latex_rules):
    \\prod_i, \\max_i, \\operatorname{logsumexp}_i; the sum has rules of its own."""
    return prim.tex is not None and prim in latex_rules


def forward_rule(prim: Prim) -> ForwardRule | None:
    """How an op of ``prim`` is written as a tree: its rule, or a reduction over an index's."""
    return forward_tree_rules.get(prim) or (tree_over_index if over_index(prim) else None)


def vjp_tree_rule(prim: Prim) -> VjpTreeRule | None:
    """The tree of an op's operands' gradients: its rule, or a reduction over an index's."""
    return vjp_tree_rules.get(prim) or (tree_vjp_over_index if over_index(prim) else None)


# ---- the pass --------------------------------------------------------------------------------
@dataclass
class Contribution:
    """What one use sends a named value: the tree, the offset of the value it reaches (-1: a
    state one step back), and whether it comes from the ops of every step."""

    node: Node
    offset: int | None
    per_step: bool
    per_edge: bool = False  # from a use on every edge: summed over a node's edges
    source: Value | None = None  # the value computed by the use that sent it


def reverse(
    program: Program,
    named: dict[Value, Named],
    seeds: dict[Value, Node],
    samples: Size,
    written: bool = False,
    node: tuple[str, str, str, str, str | None] | None = None,
    edge_values: set[Value] | None = None,
    heads: Heads | None = None,
) -> dict[str, list[Contribution]]:
    """What every named value receives, walking back from ``seeds`` (the gradient tree of
    each named value whose equation is differentiated); ``node``: the letters and the set
    of the nodes of a program over nodes (:func:`papermath.report.gradients` reads them)."""
    w = Reverse(program, samples, written)
    w.named = named
    w.edge_values = edge_values or set()
    w.heads = heads
    if node is not None:
        w.node_letter, w.node_set, w.neighbour_letter, w.sum_letter, w.edge_letter = node
    # the loops in reverse: what reads both directions, the backward states' loop, the forward
    for op in reversed(program.static_ops + program.step_ops + program.back_ops + program.post_ops):
        if op in w.skip or op.prim is const_p:
            continue
        if op.out in named:
            if op.out not in seeds:
                continue
            gs = [seeds[op.out]]
        else:
            gs = w.grads.get(op.out, [])
            if not gs:
                continue
        rule = vjp_tree_rule(op.prim)
        if rule is None:
            raise NotPrinted(
                f"gradient equations through the primitive {op.prim.name} are not printed yet",
                hint="papermath check FILE checks the generated backward through it",
            )
        # a concatenation's blocks are cut from each contribution (each reads alone);
        # every other rule sees the sum of them; blocks of rows are stacked back first
        if any(g.is_(BLOCK) for g in gs):
            blocks = [g for g in gs if g.is_(BLOCK)]
            gs = [g for g in gs if not g.is_(BLOCK)] + [stacked(blocks)]
        parts = gs if op.prim is concat_p else [_sum(gs)]
        for g in parts:
            for v, gv in zip(op.inputs, rule(w, op, g), strict=False):
                if gv is not None:
                    w.send(v, gv, op)
    return w.received


def _sum(gs: list[Node]) -> Node:
    out = gs[0]
    for g in gs[1:]:
        out = add(out, g)
    return out


__all__ = [
    "Contribution",
    "Heads",
    "Named",
    "Node",
    "NotPrinted",
    "forward_tree_rules",
    "reverse",
    "shift",
    "transpose",
    "vjp_tree_rules",
]
