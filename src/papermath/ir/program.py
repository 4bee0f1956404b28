"""IR data structures.

A :class:`Value` is one per-example quantity: its shape is the shape in the paper's notation
(a vector ``(n,)``, a matrix ``(n, m)``), never including the batch. ``batched`` says whether
it varies across the samples of a batch (data and everything computed from data) or not
(parameters and constants). Backends add the batch axis where the layout puts it.

An :class:`Op` is one primitive applied to values; ``align`` (for elementwise ops) maps each
result axis to an axis of each operand, or None where the operand is broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InternalError
from ..shapes.sizes import Shape, Size
from ..source import Span
from .prims import EDGES_IN, UNBATCHING, Prim, degree_p, neighbour_sum_p, to_edges_p

__all__ = [
    "GRAPH_KEYS",
    "UNBATCHING",
    "Input",
    "Op",
    "Param",
    "Program",
    "State",
    "Value",
    "edge_list_name",
]

# The primitives are objects (ir/prims.py: ``add_p``, ...); their rules live in one registry
# per concern (ir/rules.py), registered in papermath/ops/<family>.py.

# Inputs that describe graphs rather than carry values: the graph id of each node, and the
# edge list (2 x E: source and target node of each edge). Integers, never differentiated.
GRAPH_KEYS = ("batch", "edges", "edge_types")


def edge_list_name(relation: int | None, direction: str) -> str:
    """The generated code's name of an edge list: ``edges`` (every edge, source -> target),
    ``edges_2`` (the edges of type 2), ``edges_out`` / ``edges_2_out`` (reversed)."""
    base = "edges" if relation is None else f"edges_{relation}"
    return base + ("_out" if direction == "out" else "")


@dataclass(frozen=True, eq=False)
class Value:
    name: str  # a hint for the emitted variable name
    shape: Shape  # typed sizes, one per axis (printed with Size.text only where people read)
    batched: bool
    span: Span | None = None

    def __post_init__(self) -> None:
        if not all(isinstance(s, Size) for s in self.shape):  # text: papermath's own slip
            raise InternalError(f"a value {self.name!r} of shape {self.shape!r}: sizes are Size")

    def __repr__(self) -> str:
        shown = ", ".join(s.text() for s in self.shape)
        return f"%{self.name}:({shown}){'[batch]' if self.batched else ''}"


@dataclass(frozen=True, eq=False)
class Op:
    prim: Prim
    inputs: tuple[Value, ...]
    out: Value
    span: Span
    equation: int  # index of the source equation
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.prim, Prim):  # a name: papermath's own slip, said at once
            raise InternalError(f"an op of {self.prim!r}: a primitive is a Prim (ir/prims.py)")

    def __repr__(self) -> str:
        args = ", ".join(map(repr, self.inputs))
        extra = f" {self.attrs}" if self.attrs else ""
        return f"{self.out!r} = {self.prim}({args}){extra}"


@dataclass(frozen=True)
class Param:
    key: str
    shape: Shape
    value: Value
    fan_in: Size | None = None  # for default initialisation bounds
    # one per step (W^{(l)}: a parameter per layer): stored stacked, (steps, *shape); inside
    # the loop, step t reads the t-th, like a per-step input
    per_step: bool = False
    per_head: str | None = None  # W_i^Q: one per head, stored stacked (heads, *shape)


@dataclass(frozen=True)
class Input:
    key: str
    shape: Shape
    value: Value
    # "step", "node", "graph" (one per graph, in a program over nodes), "edge" (one per edge of
    # the graph's edge list, e_{j,i}) or None
    per: str | None


@dataclass(frozen=True)
class State:
    key: str
    shape: Shape
    # the value at step t-1 (the initial state at the first step); for a state carried
    # backwards, the value at step t+1 (after the last step: the given final state, or zeros)
    prev: Value
    # H^{0} = X: the initial state is this value, computed before the loop (a static op's
    # result), not an argument of the generated code (read/rules_initial_tie.py)
    init: Value | None = None
    # h_t from h_{t+1} (read/rules_reverse.py): computed by Program.back_ops, in a loop over
    # the steps from the last down
    backward: bool = False


@dataclass
class Program:
    """Everything a backend needs to emit a forward pass."""

    equations: list[str]  # the LaTeX of each equation (one line)
    params: list[Param]
    inputs: list[Input]
    states: list[State]
    static_ops: list[Op]  # computed once, before any loop
    step_ops: list[Op]  # computed at every step (all ops when there is no recurrence)
    outputs: dict[str, Value]  # every defined symbol
    step_index: str | None = None
    per_node: bool = False  # node-indexed inputs: the batch axis is the node axis
    graph_outputs: frozenset[str] = frozenset()  # outputs reduced over nodes
    explicit_batch: bool = False  # the notation carries the samples itself (x is D x N)
    sizes: dict[str, int] = field(default_factory=dict)
    # computed for every step at once, before the loop (hoisted out of the recurrence);
    # inside the loop, step t reads value[t]
    pre_ops: list[Op] = field(default_factory=list)
    step_count: str | None = None  # the size numbering the steps (per-step parameters need it)
    # inputs whose entries are never negative (a graph's adjacency, whose degrees are raised to
    # -1/2): random data for checks draws them so
    nonnegative: frozenset[str] = frozenset()
    # inputs per step that are one per graph, not per node (s_{i-1} beside the positions h_j
    # of a sequence: ir/positions.py): read as (T, graphs, ...)
    graph_step_inputs: frozenset[str] = frozenset()
    # a bidirectional recurrence (states carried backwards, read/rules_reverse.py): after the
    # loop of step_ops (forwards), back_ops run in a second loop over the steps from the last
    # down, carrying the backward states (h_{t+1} -> h_t); post_ops, what reads a backward
    # state and no backward state reads, run in a third loop from the first step (carrying
    # the forward states among them: L_t = L_{t-1} + ...). Each loop reads the symbols an
    # earlier loop computed at the same step.
    back_ops: list[Op] = field(default_factory=list)
    post_ops: list[Op] = field(default_factory=list)

    @property
    def bidirectional(self) -> bool:
        """Whether some state is carried backwards (a second loop, from the last step down)."""
        return any(s.backward for s in self.states)

    @property
    def uses_edges(self) -> bool:
        """Whether the program sums over neighbours, and so reads ``inputs["edges"]``."""
        return any(
            op.prim in (neighbour_sum_p, to_edges_p, *EDGES_IN, degree_p) for op in self.ops()
        )

    @property
    def edge_lists(self) -> list[tuple[int | None, str]]:
        """The edge lists sums over neighbours read besides ``edges`` itself: (type, "in") for
        the edges of one type, (type or None, "out") for edges reversed; in first use order."""
        out: list[tuple[int | None, str]] = []
        for op in self.ops():
            if op.prim in (neighbour_sum_p, degree_p):
                key = (op.attrs.get("relation"), op.attrs.get("direction", "in"))
                if key != (None, "in") and key not in out:
                    out.append(key)
        return out

    @property
    def uses_edge_types(self) -> bool:
        """Whether some sum over neighbours runs along the edges of one type only, and so
        reads ``inputs["edge_types"]``."""
        return any(rel is not None for rel, _ in self.edge_lists)

    def ops(self) -> list[Op]:
        return self.static_ops + self.pre_ops + self.step_ops + self.back_ops + self.post_ops

    def __repr__(self) -> str:
        lines = [f"program over {self.step_index or 'no steps'}:"]
        lines += [
            f"  param {p.key}: {_shown(p.shape)}{' per step' if p.per_step else ''}"
            for p in self.params
        ]
        lines += [f"  input {i.key}: {_shown(i.shape)} per {i.per}" for i in self.inputs]
        lines += [
            f"  state {s.key}: {_shown(s.shape)}{' backwards' if s.backward else ''}"
            for s in self.states
        ]
        lines += [f"  {op!r}" for op in self.static_ops]
        lines += [f"  step: {op!r}" for op in self.step_ops]
        lines += [f"  step backwards: {op!r}" for op in self.back_ops]
        lines += [f"  step after both: {op!r}" for op in self.post_ops]
        return "\n".join(lines)


def _shown(shape: Shape) -> str:
    return "(" + ", ".join(s.text() for s in shape) + ")"
