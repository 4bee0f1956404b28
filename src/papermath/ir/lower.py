"""Lowering: from a read and shaped :class:`~papermath.System` to a :class:`Program`.

Every product is lowered to the primitive its reading chose (matrix product, Hadamard,
scaling, dot); learnable functions become an affine map of the concatenation of their
arguments, with parameters ``KEY.weight`` and ``KEY.bias``; recurrences split the equations
into those computed once and those computed at every step, in dependency order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from ..errors import DeclarationError, ReadingError, ShapeError
from ..ops import ELEMENTWISE
from ..read import rules_gradient_call, rules_gradient_updates, rules_matrix, rules_norm_update
from ..read import terms as t
from ..read.functions import COL_MEAN, COL_VAR, FORMS, ROW_MEAN, ROW_VAR, UNNAMED, UNNORMED
from ..read.rules_named_loss import NAMED_LOSS
from ..read.rules_norm_axis import UNSAID, refuse_code
from ..shapes.sizes import Shape, Size, shape_text
from ..shapes.sizes import count as size_count
from ..source import Span
from . import prims, recursion
from . import standins as standin
from .initial import initial_values
from .positions import per_sample_step_inputs, positions_per_step
from .prims import (
    EDGES_IN,
    PRIMS,
    Prim,
    add_p,
    batchsum_p,
    concat_last_p,
    concat_p,
    const_p,
    count_p,
    degree_p,
    div_p,
    edge_max_p,
    edge_sum_p,
    fn_p,
    matmul_p,
    maximum_p,
    minimum_p,
    mul_p,
    neg_p,
    neighbour_sum_p,
    nodesum_p,
    norm_p,
    pow_p,
    slice_p,
    softmax_p,
    sub_p,
    sum_p,
    take_p,
    to_edges_p,
    to_nodes_p,
    transpose_p,
)
from .program import UNBATCHING, Input, Op, Param, Program, State, Value
from .size_latex import expression_latex, size_latex, size_name
from .zero_pad import padded

ONE = Size.const(1)

if TYPE_CHECKING:
    from ..system import System

# Functions folded when applied to a number (sqrt(d_k) with d_k given): every elementwise row.
FOLDABLE: dict[str, Callable[[float], float]] = {
    row.name: row.reference for row in ELEMENTWISE.values()
}


def lower(system: System, dims: dict[str, int] | None = None) -> Program:
    return Lowering(system, dims or {}).run()


class Lowering:
    def __init__(self, system: System, dims: dict[str, int]) -> None:
        self.system = system
        self.dims = dims
        self.env: dict[str, Value] = {}  # key -> value at the current step
        self.prev: dict[str, Value] = {}  # state key -> value at step t-1
        self.next: dict[str, Value] = {}  # state carried backwards -> value at step t+1
        self.ops: list[Op] = []
        self.constants: dict[Value, float] = {}  # values that are numbers, for folding
        self.constant_tex: dict[Value, str] = {}  # those computed from sizes: their LaTeX
        self.level: dict[Value, str] = {}  # in a program over nodes: "node" or "graph"
        read = self.system._read
        self.batch_sizes = {  # m in \sum_{i=1}^{m} x_i over the examples of a batch
            i.size for i in (read.indices.values() if read else []) if i.kind == "batch"
        } | (read.batch_counts if read else set())  # E[x^{(k)}]: the mean over the batch
        self.sizes: dict[str, int] = {}  # numbers for sizes (set by run)
        self.counter = 0
        self.eq_index = 0
        # inside an equation over edges (e_{ij}) or a sum over neighbours: the letters of the
        # edge's target node (i) and source node (j, the neighbour); values are per edge
        self.edge_ctx: tuple[str, str] | None = None
        self.head: int | None = None  # the head being computed, in a family's equation
        self.relation: int | None = None  # the edge type being summed, in a sum over types
        self.family: dict[str, list[Value]] = {}  # family key -> its value at each head
        self.taken: dict[tuple[str, int], Value] = {}  # (parameter, head) -> its slice
        self.orders: dict[str, int] = {}  # order index k -> the order being computed
        self.basis: int | None = None  # the member b of a basis being summed (rules_basis.py)
        # a recursion over orders, unrolled (ir/recursion.py): a symbol at an order -> its value
        self.series: Callable[[t.Sym], Value | None] | None = None
        self.blocked: dict[int, Value] = {}  # [q, k, v] = z U: id(z U) -> its value, once

    # ---- helpers -----------------------------------------------------------------------
    def shape(self, term: t.Term) -> Shape:
        return self.system.typed_shape_of(term)

    def emit(
        self,
        prim: Prim,
        inputs: tuple[Value, ...],
        shape: Shape,
        span: Span,
        name: str = "",
        **attrs: object,
    ) -> Value:
        levels = {self.level.get(v) for v in inputs}
        if "node" in levels and "graph" in levels:  # a graph's value meets its nodes' values
            inputs = tuple(
                self.emit(to_nodes_p, (v,), v.shape, span) if self.level.get(v) == "graph" else v
                for v in inputs
            )
        folded = self.fold(prim, inputs, attrs)
        if folded is not None and not np.isfinite(folded):
            folded = None  # never a constant inf or nan: computed at run time, where it is seen
        if folded is not None:  # numbers only (\sqrt{d_k}): one number, computed here
            tex = size_latex(
                prim, [self.constant_tex.get(v) for v in inputs], attrs, self.constants, inputs
            )
            prim, inputs, attrs = const_p, (), {"value": folded}
            if tex is not None:  # of sizes: printed as written (\frac{1}{\sqrt{d_k}})
                attrs["latex"] = tex
        batched = any(v.batched for v in inputs) and prim not in UNBATCHING
        self.counter += 1
        out = Value(name or f"v{self.counter}", shape, batched, span)
        self.ops.append(Op(prim, inputs, out, span, self.eq_index, dict(attrs)))
        if prim is const_p:
            self.constants[out] = float(attrs["value"])  # type: ignore[arg-type]
            if "latex" in attrs:
                self.constant_tex[out] = str(attrs["latex"])
        if prim is nodesum_p:
            self.level[out] = "graph"
        elif prim is to_edges_p or (prim not in EDGES_IN and "edge" in levels):
            self.level[out] = "edge"
        elif prim in EDGES_IN or prim is to_nodes_p or "node" in levels:
            self.level[out] = "node"
        elif "graph" in levels:
            self.level[out] = "graph"
        return out

    def fold(self, prim: Prim, inputs: tuple[Value, ...], attrs: dict[str, object]) -> float | None:
        """The value of an op on numbers alone, or None."""
        if not inputs or not all(v in self.constants for v in inputs):
            return None
        xs = [self.constants[v] for v in inputs]
        with np.errstate(all="ignore"):
            match prim, xs:
                case prims.add_p, [a, b]:
                    return a + b
                case prims.sub_p, [a, b]:
                    return a - b
                case prims.mul_p, [a, b]:
                    return a * b
                case prims.div_p, [a, b] if b != 0:
                    return a / b
                case prims.neg_p, [a]:
                    return -a
                case prims.pow_p, [a]:
                    got = float(np.power(a, float(attrs["exponent"])))  # type: ignore[arg-type]
                    return got if np.isfinite(got) else None
                case prims.fn_p, [a] if attrs["fn"] in FOLDABLE:
                    got = float(FOLDABLE[str(attrs["fn"])](a))
                    return got if np.isfinite(got) else None
        return None

    def matrix_exponentials(self) -> set[int]:
        """The ids of the exp terms read as the matrix exponential (read/rules_matrix.py)."""
        return rules_matrix.matrix_exponentials(self.system.equations, self.shape)

    # ---- the program -------------------------------------------------------------------
    def run(self) -> Program:
        s = self.system
        for key, (span, hint) in (s._read.shapes_only if s._read else {}).items():
            raise ReadingError(  # read for shapes only (rules_layer_widths, rules_entry_matrix)
                f"{key} is read for its shape only: code for it cannot be generated",
                s.source,
                span,
                hint=hint,
            )
        if (unrolled := recursion.program(self)) is not None:
            return unrolled  # \sum_k Z^{(k)} \Theta^{(k)}, Z^{(k)} from Z^{(k-1)}, Z^{(k-2)}
        eqs = s.equations
        defined = {eq.lhs.key: eq for eq in eqs}
        occurrences = [x for eq in eqs for x in t.walk(eq.rhs) if isinstance(x, t.Sym)]
        for x in occurrences:  # h_{t-2}: the step carries one previous value, not two
            if x.step and x.offset < -1 and x.key in defined:
                raise ReadingError(
                    f"{x.key} at step {x.step}{x.offset:+d}: a state read {-x.offset} steps back "
                    "is not generated (the generated step carries the previous value only)",
                    s.source,
                    x.span,
                    hint=f"carry the older value as a state of its own: g_{x.step} = "
                    f"{x.key}_{{{x.step}-1}}, and read g_{{{x.step}-1}} for "
                    f"{x.key}_{{{x.step}-2}} (g a letter of your choice)",
                )
        occurrences += [eq.lhs for eq in eqs]
        step_index = next((o.step for o in occurrences if o.step), None)
        for key in {o.key for o in occurrences if o.key not in defined}:
            offsets = {o.offset for o in occurrences if o.key == key}
            if len(offsets) > 1:
                first = next(o for o in occurrences if o.key == key)
                raise ReadingError(
                    f"the input {key} is read at several steps ({sorted(offsets)}): "
                    "not generated yet",
                    s.source,
                    first.span,
                    hint=f"define {key} by an equation, or give one input per step",
                )
        per_node = any(o.node for o in occurrences) or bool(s.node_sums)
        states = list(s.recurrence.states) if s.recurrence else []
        data_kinds = {"input", "target"}
        explicit = (
            step_index is None
            and not per_node
            and any(
                len(s.typed_shapes[k]) >= 2 for k, kind in s.kinds.items() if kind in data_kinds
            )
        )
        sizes = self.sizes = self.numeric_sizes()
        graph_steps: set[str] = set()
        if per_node and step_index is not None and positions_per_step(s.node_sums, states):
            graph_steps = per_sample_step_inputs(occurrences, set(s.kinds) - set(defined))
        elif per_node and step_index is not None and s.node_sums:
            if s.node_sums[0].over == "the positions" and states:  # \sum_j \alpha_{ij} h_j
                raise ReadingError(  # ir/positions.py generates it where no state is carried
                    "code for a sum over the positions of a sequence at every step, beside a "
                    "state carried from step to step, is not generated yet (shapes and explain "
                    "read it)",
                    s.source,
                    s.node_sums[0].span,
                    hint="papermath generates it where nothing is carried from step to step: "
                    "give the state as an input at every step (s_{i-1} read, never defined)",
                )
            raise ReadingError(
                "code for a sum over all nodes inside a recurrence over graphs is not "
                "generated yet",
                s.source,
                s.node_sums[0].span,
                hint="compute the graph-level value after the propagation steps",
            )

        params: list[Param] = []
        inputs: list[Input] = []
        for key, kind in s.kinds.items():
            if key not in s.typed_shapes or key in defined:
                continue
            shape = s.typed_shapes[key]
            if kind in data_kinds or kind == "state":
                per = None
                occ = [o for o in occurrences if o.key == key]
                if any(o.step for o in occ):
                    per = "step"
                elif per_node and any(o.edge for o in occ):
                    per = "edge"  # e_{j,i}: data on each edge (an edge weight, edge features)
                elif any(o.node for o in occ):
                    per = "node"
                elif per_node and step_index is None:
                    per = "graph"  # h_t beside per-position values: one per graph
                value = Value(
                    key, shape, not explicit, s._read.first_span.get(key) if s._read else None
                )
                inputs.append(Input(key, shape, value, per))
                self.env[key] = value
                if per_node:
                    self.level[value] = per if per in ("graph", "edge") else "node"
                    if key in graph_steps:  # s_{i-1} beside positions h_j: one per graph
                        self.level[value] = "graph"
            elif kind == "constant":  # a number the source gives: the same for every example
                value = Value(key, shape, False, s._read.first_span.get(key) if s._read else None)
                inputs.append(Input(key, shape, value, "once"))
                self.env[key] = value
            elif kind == "parameter":
                per_head = next((o.head for o in occurrences if o.key == key and o.head), None)
                count = self.head_count(per_head) if per_head else None
                stacked = shape
                if count:  # stored stacked: (heads, *shape), heads a name (h) or a number
                    stacked = (size_count(count),)  # h, 8, K + 1 (0..K: rules_orders)
                    stacked += shape
                per_basis = next((o.basis for o in occurrences if o.key == key and o.basis), None)
                if per_basis:  # V_b, a_{rb}: (B, *shape), after the family's (rules_basis.py)
                    basis = size_count(self.head_count(per_basis))
                    stacked = (*stacked[: len(stacked) - len(shape)], basis, *shape)
                    count = count or self.head_count(per_basis)
                value = Value(key, stacked, False)
                per_step = key in s.per_step_params
                fan_in = shape[-1] if len(shape) == 2 else None
                params.append(Param(key, stacked, value, fan_in, per_step, count))
                self.env[key] = value
        for key, (n_in, n_out) in s.typed_functions.items():
            w = Value(f"{key}.weight", (n_out, n_in), False)
            b = Value(f"{key}.bias", (n_out,), False)
            stepped = f"{key}.weight" in s.per_step_params  # MLP^{(k)}: weights per step
            params.append(Param(f"{key}.weight", (n_out, n_in), w, n_in, stepped))
            params.append(Param(f"{key}.bias", (n_out,), b, n_in, stepped))
            self.env[f"{key}.weight"], self.env[f"{key}.bias"] = w, b
        state_objs = []
        for key in states:
            if per_node and (edged := [o for o in occurrences if o.key == key and o.edge]):
                raise ReadingError(  # e_{ij}^{l+1} from e_{ij}^{l}: DGL's GatedGCNConv
                    f"{key} is a value per edge carried from step to step: code for a state "
                    "per edge is not generated yet (states are per node)",
                    s.source,
                    edged[0].span,
                    hint="papermath reads it for shapes, explain and diagrams; for code, "
                    f"compute {key} within the step from the nodes' states (no {key} of the "
                    "step before on the right side)",
                )
            prev = Value(f"{key}_prev", s.typed_shapes[key], True)
            self.prev[key] = prev
            if per_node and any(o.node for o in occurrences if o.key == key):
                self.level[prev] = "node"  # h_i at l-1: given to the edges as h_i, h_j are
            state_objs.append(State(key, s.typed_shapes[key], prev))
        backward = list(s.recurrence.backward) if s.recurrence else []
        for key in backward:  # h_t from h_{t+1} (read/rules_reverse.py): its value at t+1
            after = Value(f"{key}_next", s.typed_shapes[key], True)
            self.next[key] = after
            state_objs.append(State(key, s.typed_shapes[key], after, backward=True))
        if backward and (per_node or explicit or s.per_step_params):
            raise ReadingError(
                f"{backward[0]} is carried backwards in time: code for it is generated for "
                "sequences of examples, not yet over graphs, with the samples written in the "
                "notation, or with parameters per step",
                s.source,
                s._read.first_span.get(backward[0]) if s._read else eqs[0].span,
                hint="write the sequence's values with the step only (x_t, h_t), one example each",
            )

        if s.step_count is not None and s.step_count not in sizes:
            if s.per_step_params:
                why = (
                    f"{', '.join(s.per_step_params)} "
                    f"{'is' if len(s.per_step_params) == 1 else 'are'} one per step {step_index}"
                )
                where = s._read.first_span.get(s.per_step_params[0]) if s._read else None
            else:
                why = f"the recurrence over {step_index} reads no input per step"
                where = eqs[0].span
            raise DeclarationError(
                f"{why}: the number of steps {s.step_count} needs a number",
                s.source,
                where,
                hint=f"give it in dims ({s.step_count}=3, or --dims {s.step_count}=3)",
            )
        first_batched = next(
            (i for i in inputs if i.value.batched and i.per not in ("graph", "edge")), None
        )
        read_per_step = [i for i in inputs if i.per == "step" and i.value.batched]
        if (
            step_index is not None
            and s.step_count is None
            and (first_batched is None or first_batched.per != "step")
            and not (states and read_per_step)  # a state's first value from x first (h_0 = U x)
        ):
            raise ReadingError(
                f"a recurrence over {step_index} needs an input at every step (x_{step_index}) "
                "or a parameter per step, to know how many steps there are",
                s.source,
                eqs[0].span,
                hint=f"write the data the steps read with {step_index} (x_{step_index})",
            )
        order = self.order(eqs, defined)
        step_keys = self.step_dependent(order, step_index, states + backward)
        back_keys, post_keys = self.directions(order, states, backward)
        static_ops: list[Op] = []
        step_ops: list[Op] = []
        back_ops: list[Op] = []
        post_ops: list[Op] = []
        outputs: dict[str, Value] = {}
        for eq in order:
            self.ops = []
            self.eq_index = eqs.index(eq)
            self.edge_ctx = (eq.lhs.node, eq.lhs.edge) if eq.lhs.node and eq.lhs.edge else None
            if eq.lhs.head is not None:  # head_i = ...: computed once per head, unrolled
                heads = sizes.get(self.head_count(eq.lhs.head), 0)
                if heads < 1:
                    raise DeclarationError(
                        f"{eq.lhs.key}_{eq.lhs.head} is one of "
                        f"{self.head_count(eq.lhs.head)} heads: that number needs a value",
                        s.source,
                        eq.lhs.span,
                        hint=f"give it in dims ({self.head_count(eq.lhs.head)}=8)",
                    )
                members = []
                for k in range(heads):
                    self.head = k
                    member = self.term(eq.rhs)
                    if self.ops and self.ops[-1].out is member:
                        member = self.rename(member, f"{eq.lhs.key}_{k + 1}")
                    members.append(member)
                self.head = None
                self.family[eq.lhs.key] = members
                per_step = eq.lhs.key in step_keys or step_index is None
                if eq.lhs.key in back_keys | post_keys:
                    raise ReadingError(
                        "a family of heads beside a state carried backwards in time: not "
                        "generated yet",
                        s.source,
                        eq.lhs.span,
                    )
                (step_ops if per_step else static_ops).extend(self.ops)
                continue
            value = self.term(eq.rhs)
            if self.ops and self.ops[-1].out is value:
                value = self.rename(value, eq.lhs.key)
            else:  # `y = x`: the equation names an existing value
                value = self.emit(fn_p, (value,), value.shape, eq.span, eq.lhs.key, fn="identity")
            carried = eq.lhs.key in self.prev or eq.lhs.key in self.next
            if carried and (not value.batched or eq.lhs.key not in step_keys):
                raise ReadingError(
                    f"{eq.lhs.key} is carried from step to step, but this equation computes it "
                    "from parameters alone, or from what is the same at every step: it never "
                    "changes after the first step (not generated yet)",
                    s.source,
                    eq.span,
                    hint=f"if {eq.lhs.key} is a parameter, do not write it with a step; else "
                    "let it read an input or a state",
                )
            self.env[eq.lhs.key] = value
            outputs[eq.lhs.key] = value
            if eq.lhs.key in back_keys:  # in the loop from the last step down
                back_ops.extend(self.ops)
            elif eq.lhs.key in post_keys:  # after both loops, at every step
                post_ops.extend(self.ops)
            else:
                (step_ops if eq.lhs.key in step_keys or step_index is None else static_ops).extend(
                    self.ops
                )
        state_objs = initial_values(s, state_objs, outputs, step_keys)  # H^{0} = X
        if backward:
            self.check_loops(state_objs, params, inputs, static_ops, step_ops, back_ops, post_ops)
        graph_outputs = frozenset(eq.lhs.key for eq in eqs if per_node and eq.lhs.node is None)
        return Program(
            equations=[" ".join(s.source.snippet(eq.span).split()) for eq in eqs],
            params=params,
            inputs=inputs,
            states=state_objs,
            static_ops=static_ops,
            step_ops=step_ops,
            outputs=outputs,
            step_index=step_index,
            per_node=per_node,
            graph_outputs=graph_outputs,
            explicit_batch=explicit,
            sizes=sizes,
            step_count=s.step_count,
            nonnegative=frozenset(s._read.adjacency if s._read else ()),
            graph_step_inputs=frozenset(graph_steps),
            back_ops=back_ops,
            post_ops=post_ops,
        )

    def relation_sum(self, r: str, size: str, body: t.Term, shape: Shape, span: Span) -> Value:
        """``\\sum_r`` over the types of edges, unrolled: for each type k, the body with the
        parameters of type k (W_r[k]) and the edges of type k; the parts added."""
        count = self.sizes.get(size, 0)
        if count < 1:
            raise DeclarationError(
                f"{r} runs over the {size} types of edges: that number needs a value",
                self.system.source,
                span,
                hint=f"give it in dims ({size}=4)",
            )
        if self.head is not None or self.relation is not None:
            raise ReadingError(
                "a sum over edge types inside a family of heads or another sum over types is "
                "not generated yet",
                self.system.source,
                span,
            )

        def parts() -> Iterator[Value]:
            for k in range(count):
                self.head = self.relation = k  # W_r: type k's one of the stacked parameters
                yield self.term(body)

        try:
            return self.added(parts(), shape, span)
        finally:
            self.head = self.relation = None

    def basis_sum(self, b: str, size: str, body: t.Term, shape: Shape, span: Span) -> Value:
        """``\\sum_{b=1}^{B} a_{rb} V_b``, unrolled: for each member m of the basis, the body
        with member m's one of what carries b (V_b[m], a_{rb}[r][m]); the parts added."""
        count = self.sizes.get(size, 0)
        if count < 1:
            raise DeclarationError(
                f"{b} runs over the {size} members of a basis: that number needs a value",
                self.system.source,
                span,
                hint=f"give it in dims ({size}=2)",
            )
        if self.basis is not None:
            raise ReadingError(
                "a sum over a basis inside another is not generated yet", self.system.source, span
            )

        def parts() -> Iterator[Value]:
            for m in range(count):
                self.basis = m
                yield self.term(body)

        try:
            return self.added(parts(), shape, span)
        finally:
            self.basis = None

    def added(self, parts: Iterator[Value], shape: Shape, span: Span) -> Value:
        """The terms of an unrolled sum (over edge types, over orders) added in order."""
        total: Value | None = None
        for part in parts:
            total = (
                part
                if total is None
                else self.emit(
                    add_p, (total, part), shape, span, align=(tuple(range(len(shape))),) * 2
                )
            )
        assert total is not None
        return total

    def order_sum(
        self, k: str, start: int, count: str, body: t.Term, shape: Shape, span: Span
    ) -> Value:
        """``\\sum_{k=0}^{K} (\\hat A)^{k} X \\Theta_k`` unrolled: for each order, the body
        with the power of that order and the order's one of each stacked parameter (Theta_k);
        the terms added."""
        number = size_count(count).evaluate(self.sizes)
        if number is None or number < 1:
            raise DeclarationError(
                f"{k} runs over {count} orders: that number needs a value",
                self.system.source,
                span,
                hint="give the size in dims (K=2)",
            )
        if self.head is not None or self.relation is not None:
            raise ReadingError(
                "a sum over orders inside a family of heads or a sum over edge types is not "
                "generated yet",
                self.system.source,
                span,
            )

        def parts() -> Iterator[Value]:
            for m in range(number):
                self.head, self.orders[k] = m, start + m  # Theta_k: order m's one (stacked)
                yield self.term(body)

        try:
            return self.added(parts(), shape, span)
        finally:
            self.head = None
            self.orders.pop(k, None)

    def head_count(self, letter: str) -> str:
        """The number of heads a head index runs over (h in head_1, ..., head_h)."""
        read = self.system._read
        info = read.indices.get(letter) if read else None
        assert info is not None and info.size is not None
        return info.size

    def on_edges(self, sym: t.Sym, value: Value) -> Value:
        """A symbol's value where the equation is over edges: a value per edge as it is
        (its letters must be the edge's); a node's value given to each edge, from the edge's
        target (i) or source (j) as the symbol's node letter says."""
        if self.edge_ctx is None:
            if sym.edge is not None:
                raise ReadingError(
                    f"{sym.key}_{{{sym.node}{sym.edge}}} is a value per edge, used where "
                    "nothing runs over the edges",
                    self.system.source,
                    sym.span,
                    hint=f"sum it over the neighbours {sym.edge} of {sym.node}",
                )
            return value
        if sym.edge is not None:
            if (sym.node, sym.edge) != self.edge_ctx:
                target, source = self.edge_ctx
                raise ReadingError(
                    f"{sym.key}_{{{sym.node}{sym.edge}}} is read on the edges "
                    f"({target}, {source}) here: its letters must be {target}{source}",
                    self.system.source,
                    sym.span,
                )
            return value
        return self.gather(sym.node, value, sym.span)

    def gather(self, letter: str | None, value: Value, span: Span) -> Value:
        """A node's value on each edge of the current context, by the node's letter."""
        if self.edge_ctx is None or letter is None or self.level.get(value) != "node":
            return value
        target, source = self.edge_ctx
        if letter not in (target, source):
            raise ReadingError(
                f"the node {letter} is neither end of the edges ({target}, {source}) here",
                self.system.source,
                span,
            )
        return self.emit(to_edges_p, (value,), value.shape, span, side=0 if letter == source else 1)

    def rename(self, value: Value, name: str) -> Value:
        """Give the last op's result the symbol's own name."""
        last = self.ops[-1]
        assert last.out is value
        out = Value(name, value.shape, value.batched, value.span)
        self.ops[-1] = Op(last.prim, last.inputs, out, last.span, last.equation, last.attrs)
        if value in self.level:
            self.level[out] = self.level[value]
        if value in self.constants:
            self.constants[out] = self.constants[value]
        return out

    def numeric_sizes(self) -> dict[str, int]:
        s = self.system
        values = {**s.dims, **self.dims}
        for name, size in s.typed_solved.items():
            got = size.evaluate(values)
            if got is not None:
                values.setdefault(name, got)
        return values

    def order(self, eqs: list[t.Equation], defined: dict[str, t.Equation]) -> list[t.Equation]:
        """Equations in dependency order (values at step t-1 are not dependencies)."""
        deps = {
            eq.lhs.key: {
                x.key
                for x in t.walk(eq.rhs)
                if isinstance(x, t.Sym) and x.key in defined and x.offset == 0
            }
            for eq in eqs
        }
        done: list[str] = []
        visiting: set[str] = set()

        def visit(key: str) -> None:
            if key in done:
                return
            if key in visiting:
                eq = defined[key]
                raise ReadingError(
                    f"{key} depends on itself at the same step",
                    self.system.source,
                    eq.lhs.span,
                    hint="a value can use its own previous step (h_{t-1}), not itself",
                )
            visiting.add(key)
            for d in sorted(deps[key], key=lambda k: eqs.index(defined[k])):
                visit(d)
            visiting.discard(key)
            done.append(key)

        for eq in eqs:
            visit(eq.lhs.key)
        return [defined[k] for k in done]

    def check_loops(
        self,
        states: list[State],
        params: list[Param],
        inputs: list[Input],
        static_ops: list[Op],
        *loops: list[Op],
    ) -> None:
        """Each loop of a bidirectional recurrence reads what is computed before the loops,
        its own values, and the symbols an earlier loop computed at the same step (the values
        it records); anything else is not generated yet (said, never guessed)."""
        s = self.system
        for st in states:
            if st.backward and st.init is not None:
                raise ReadingError(
                    f"{st.key} is carried backwards in time and tied to a first value: not "
                    "generated yet",
                    s.source,
                    s._read.first_span.get(st.key) if s._read else None,
                )
        ready = {p.value for p in params} | {i.value for i in inputs} | {st.prev for st in states}
        ready |= {op.out for op in static_ops}
        named = set(self.env.values())
        earlier: set[Value] = set()
        for ops in loops:
            own = set(ready)
            for op in ops:
                for v in op.inputs:
                    if v not in own and not (v in earlier and v in named):
                        raise ReadingError(
                            "a value computed in one loop of a bidirectional recurrence and "
                            "read in another without a name of its own: not generated yet",
                            s.source,
                            op.span,
                            hint="name it with an equation of its own",
                        )
                own.add(op.out)
            earlier |= {op.out for op in ops}

    def directions(
        self, order: list[t.Equation], forward: list[str], backward: list[str]
    ) -> tuple[set[str], set[str]]:
        """In a recurrence with states carried backwards (h_t from h_{t+1}): the keys computed
        in the loop from the last step down (each backward state and what it reads at its
        step that reads a backward state), and those computed after both loops, in a third
        loop from the first step (what reads a backward state and no backward state reads: a
        forward state among them, L_t = L_{t-1} + ..., is carried in that loop). What reads no
        backward state stays in the forward loop (or before it), and a later loop reads its
        value at the same step."""
        if not backward:
            return set(), set()
        s = self.system
        reads_back: set[str] = set()  # depends on a backward state (at any step)
        grew = True
        while grew:  # L_{t-1} read before L's equation: to a fixed point
            before = len(reads_back)
            for eq in order:
                if any(
                    isinstance(x, t.Sym) and (x.key in backward or x.key in reads_back)
                    for x in t.walk(eq.rhs)
                ):
                    reads_back.add(eq.lhs.key)
            grew = len(reads_back) > before
        feeds: set[str] = set(backward)  # what a backward state reads at its step
        for eq in reversed(order):
            if eq.lhs.key in feeds:
                feeds |= {
                    x.key
                    for x in t.walk(eq.rhs)
                    if isinstance(x, t.Sym) and x.offset == 0 and x.key in reads_back
                }
        back = feeds & reads_back
        post = reads_back - back
        defined = {eq.lhs.key for eq in order}
        for eq in order:
            if eq.lhs.key in forward and eq.lhs.key in back:
                raise ReadingError(
                    f"{eq.lhs.key} is carried forwards in time, reads a state carried "
                    f"backwards ({', '.join(backward)}) and is read by it: one loop cannot run "
                    "both ways",
                    s.source,
                    eq.lhs.span,
                    hint="a forward state that a backward one reads must not read it; a forward "
                    "state that reads a backward one (L_t = L_{t-1} + ...) runs after both",
                )
            if eq.lhs.key not in reads_back:
                continue
            for x in t.walk(eq.rhs):
                if not isinstance(x, t.Sym) or x.offset == 0 or x.key not in defined:
                    continue
                if x.key in backward and x.offset == 1 and eq.lhs.key in back:
                    continue  # h_{t+1}: the backward loop's carried value
                if x.key in forward and x.offset == -1 and x.key in post and eq.lhs.key in post:
                    continue  # L_{t-1}: a forward state carried in the loop after both
                where = (
                    "the loop from the last step down"
                    if eq.lhs.key in back
                    else ("what is computed after both loops, at each step")
                )
                raise ReadingError(
                    f"{x.key} at step {x.step}{x.offset:+d} is read by {eq.lhs.key}, computed "
                    f"in {where} beside a state carried backwards in time: code for that is "
                    "not generated yet",
                    s.source,
                    x.span,
                    hint="a backward state reads its own value at t+1 and values at step t; "
                    "what reads both directions reads them at step t",
                )
        return back, post

    def step_dependent(
        self, order: list[t.Equation], step: str | None, states: list[str]
    ) -> set[str]:
        if step is None:
            return set()
        out: set[str] = set()
        for eq in order:
            for x in t.walk(eq.rhs):
                if isinstance(x, t.StepPower) or (  # \beta_1^t: a number per step
                    isinstance(x, t.Sym) and (x.step or x.key in states or x.key in out)
                ):
                    out.add(eq.lhs.key)
        return out

    # ---- terms -------------------------------------------------------------------------
    def term(self, term: t.Term) -> Value:
        shape = self.shape(term)
        span = term.span
        match term:
            case t.Sym(key=key, offset=offset):
                if self.series is not None and (at := self.series(term)) is not None:
                    return at  # Z^{(k-1)}, \Theta^{(k)} at the order computed (ir/recursion.py)
                if offset < 0 and key in self.prev:
                    return self.on_edges(term, self.prev[key])
                if offset > 0 and key in self.next:  # h_{t+1}: carried backwards
                    return self.next[key]
                # An input read only at t-1 (h_{t-1} with no equation for h) is given as
                # the sequence of the values each step reads: inputs["h"][t] is h_{t-1}.
                if key not in self.env and key in self.family and term.head is not None:
                    if self.head is None:  # W_r = \sum_b a_{rb} V_b used at type r
                        raise ReadingError(
                            f"{key} is one per member {term.head} of a family, used outside a "
                            f"sum over {term.head}",
                            self.system.source,
                            span,
                        )
                    return self.on_edges(term, self.family[key][self.head])
                if key not in self.env:
                    raise ReadingError(
                        f"{key} is used before it has a value", self.system.source, span
                    )
                value = self.env[key]
                if term.head is not None:  # W_i^Q: head i's one of the stacked parameters
                    if self.head is None:
                        raise ReadingError(
                            f"{key} is one per head {term.head}, used outside the equation of "
                            "the heads",
                            self.system.source,
                            span,
                        )
                    if (key, self.head) not in self.taken:
                        member = shape if term.basis is None else tuple(value.shape[1:])
                        self.taken[(key, self.head)] = self.emit(
                            take_p, (value,), member, span, index=self.head
                        )
                    value = self.taken[(key, self.head)]
                if term.basis is not None:  # V_b, a_{rb}: member b's (read/rules_basis.py)
                    if self.basis is None:
                        raise ReadingError(
                            f"{key} is one per member {term.basis} of a basis, used outside "
                            f"the sum over {term.basis}",
                            self.system.source,
                            span,
                            hint=f"use it inside \\sum_{{{term.basis}=1}}^{{B}} ...",
                        )
                    value = self.emit(take_p, (value,), shape, span, index=self.basis)
                return self.on_edges(term, value)
            case t.Const(value=value):
                return self.emit(const_p, (), (), span, value=value)
            case t.Apply(fn=fn, args=args):
                if fn == NAMED_LOSS:  # "the loss function is $l$": which loss, it does not say
                    raise ReadingError(
                        f"{self.system.source.snippet(span)} is a loss the source names but "
                        "does not define: code needs to know which",
                        self.system.source,
                        span,
                        hint="define it with an equation beside the others (l = \\frac{1}{2} "
                        "\\|o - y\\|^2, or a cross-entropy)",
                    )
                if fn == FORMS:  # u = one of its forms (read/rules_flag_forms.py)
                    raise ReadingError(
                        "the value here is one of several forms the source gives, an argument of "
                        "the code choosing which: code needs to know which",
                        self.system.source,
                        span,
                        hint="write the form the model uses as the value's own equation",
                    )
                if fn == UNNAMED and (stand := standin.current()) is not None:
                    # `check` only, one run per stand-in, said in its report (standin.py)
                    vals = tuple(self.term(a) for a in args)
                    return self.emit(fn_p, vals, shape, span, fn=stand)
                if fn == UNNAMED:  # \sigma_y: which function, the source does not say
                    read = self.system._read
                    unnamed = read.unnamed if read is not None else {}
                    written, fn_span = unnamed.get(id(term), ("this activation", span))
                    raise ReadingError(
                        f"{written} names an activation function, but not which one: code "
                        "needs to know",
                        self.system.source,
                        fn_span,
                        hint=f"say it in the source, e.g. `% {written}: softmax` (or sigmoid, "
                        "tanh, relu, identity)",
                    )
                if fn == rules_gradient_call.GRADIENT:  # \nabla f(w), f unwritten
                    read = self.system._read
                    written, fn_span = (read.unnamed if read else {}).get(id(term), ("f", span))
                    message, hint = (
                        rules_gradient_updates.refuse_code(written)  # dL/dw, L unwritten
                        if rules_gradient_updates.is_ours(written)
                        else rules_gradient_call.refuse_code(written)
                    )
                    raise ReadingError(message, self.system.source, fn_span, hint=hint)
                if fn == UNNORMED:  # h = \mathrm{norm}(h): which one (read/rules_norm_update)
                    read = self.system._read
                    head = self.system.source.snippet(span).split("(")[0].strip()
                    written, fn_span = (read.unnamed if read else {}).get(id(term), (head, span))
                    message, hint = rules_norm_update.refuse_code(written)
                    raise ReadingError(message, self.system.source, fn_span, hint=hint)
                if fn in (ROW_MEAN, ROW_VAR, COL_MEAN, COL_VAR):  # rules_axis_stats
                    per_row, variance = fn in (ROW_MEAN, ROW_VAR), fn in (ROW_VAR, COL_VAR)
                    return self.axis_statistic(per_row, variance, self.term(args[0]), shape, span)
                if fn == UNSAID:  # E[x] over an axis the source does not say (rules_norm_axis)
                    read = self.system._read
                    written, fn_span = (read.unnamed if read else {}).get(id(term), ("E", span))
                    if written == "E" and read:  # a term rebuilt (per node): found by its span
                        written = next((w for w, at in read.unnamed.values() if at == span), "E")
                    axes = tuple(a.text() for a in self.shape(args[0]))  # a batch: N x C
                    message, hint = refuse_code(written, fn_span, axes)
                    raise ReadingError(message, self.system.source, fn_span, hint=hint)
                vals = tuple(self.term(a) for a in args)
                if fn == "softmax" and self.edge_ctx is not None:
                    raise ReadingError(
                        "a softmax of a value per edge: over its entries, or over the edges "
                        "into each node (the neighbours)? papermath does not guess",
                        self.system.source,
                        span,
                        hint="write it out over the neighbours: \\frac{\\exp(e_{ij})}{\\sum_{k "
                        "\\in \\mathcal{N}(i)} \\exp(e_{ik})}",
                    )
                if fn == "softmax":
                    return self.emit(softmax_p, vals, shape, span)
                if id(term) in self.matrix_exponentials():  # read/rules_matrix.py
                    return self.emit(prims.expm_p, vals, shape, span)
                if fn in ("max", "min"):
                    prim = maximum_p if fn == "max" else minimum_p
                    return self.emit(prim, vals, shape, span, align=self.align(args, shape))
                if fn == "power":  # x^\gamma: a power by a value (read/rules_value_powers.py)
                    return self.emit(
                        prims.power_p, vals, shape, span, align=self.align(args, shape)
                    )
                return self.emit(fn_p, vals, shape, span, fn=fn)
            case t.Learned(key=key, args=args):
                vals = tuple(self.term(a) for a in args)
                n_in, n_out = self.system.typed_functions[key]
                x = vals[0]
                w, b = self.env[f"{key}.weight"], self.env[f"{key}.bias"]
                if len(vals) == 1 and len(x.shape) == 2:  # h(X): each row (rules_row_map)
                    wt = self.emit(transpose_p, (w,), (n_in, n_out), span)
                    y = self.emit(matmul_p, (x, wt), shape, span)
                    return self.emit(add_p, (y, b), shape, span, align=((0, 1), (None, 0)))
                if len(vals) > 1 or (x.shape == ()):
                    x = self.emit(concat_p, vals, (n_in,), span)
                if shape == ():  # a(...) one number (the words): the 1 x n_in row times x
                    y = self.emit(matmul_p, (w, x), (), span)
                    one = self.emit(sum_p, (b,), (), span)  # its one bias
                    return self.emit(add_p, (y, one), (), span, align=((), ()))
                y = self.emit(matmul_p, (w, x), (n_out,), span)
                return self.emit(add_p, (y, b), (n_out,), span, align=((0,), (0,)))
            case t.Concat(items=items, features=True) if len(shape) == 2:  # [X \| A X]
                vals = tuple(self.term(i) for i in items)  # side by side (rules_bar_concat)
                return self.emit(prims.concat_last_p, vals, shape, span, joined="bar")
            case t.Concat(items=items):
                return self.emit(concat_p, tuple(self.term(i) for i in items), shape, span)
            case t.Add(op=op, left=a, right=b):
                va, vb = self.term(a), self.term(b)
                aligns = list(self.align((a, b), shape))
                terms = [va, vb]
                for i, v in enumerate(terms):
                    if len(v.shape) == 2 == len(shape) and v.shape[0] == ONE != shape[0]:
                        # a declared 1 x h row added to each row (broadcast): its one row
                        terms[i] = self.emit(sum_p, (v,), v.shape[1:], span)
                        aligns[i] = (None, 0)
                return self.emit(
                    add_p if op == "+" else sub_p,
                    (terms[0], terms[1]),
                    shape,
                    span,
                    align=tuple(aligns),
                )
            case t.Neg(body=b):
                return self.emit(neg_p, (self.term(b),), shape, span)
            case t.Product(left=a, right=b):
                reading = self.system.product_reading(term)
                other = b.body if reading == "dot" and isinstance(b, t.Transpose) else b
                va, vb = self.term(a), self.term(other)  # (x W) y^T: y itself (rules_row_dot)
                if reading in ("hadamard", "scale_left", "scale_right"):
                    return self.emit(mul_p, (va, vb), shape, span, align=self.align((a, b), shape))
                row_times_column = (
                    reading == "matmul"
                    and len(va.shape) == 2
                    and len(vb.shape) == 1
                    and va.shape[0] == ONE
                )
                if row_times_column and shape != ():
                    shown = " x ".join(a.text() for a in shape)
                    raise ShapeError(
                        f"{' '.join(self.system.source.snippet(span).split())} is a row times a "
                        f"column, a number, but is also read as {shown}",
                        self.system.source,
                        span,
                        hint="declare a number as a scalar (R, or R^{1x1})",
                    )
                if reading == "matmul" and len(va.shape) == 1 and len(vb.shape) == 2:
                    # a column times a row (f c^T): the vector as an n x 1 matrix
                    row = self.emit(transpose_p, (va,), (ONE, va.shape[0]), span)
                    va = self.emit(transpose_p, (row,), (va.shape[0], ONE), span)
                return self.emit(PRIMS[reading], (va, vb), shape, span)
            case t.Div(left=a, right=b):
                va, vb = self.term(a), self.term(b)
                return self.emit(div_p, (va, vb), shape, span, align=self.align((a, b), shape))
            case t.Transpose(body=b):
                return self.emit(transpose_p, (self.term(b),), shape, span)
            case t.Power(body=b) if rules_matrix.is_inverse(term, self.shape):
                return self.emit(prims.inv_p, (self.term(b),), shape, span)  # ops/matrix.py
            case t.Power(body=b, exponent=e):
                return self.emit(pow_p, (self.term(b),), shape, span, exponent=e)
            case t.StepPower(body=b):  # \beta_1^t: ops/arithmetic.py's step_pow
                return self.emit(prims.step_pow_p, (self.term(b),), shape, span)
            case t.Eigenvalue(which=which):  # read/rules_eigenvalue.py: shapes only
                raise ReadingError(
                    f"the {'largest' if which == 'max' else 'smallest'} eigenvalue of a matrix "
                    "needs an eigendecomposition, which papermath does not generate",
                    self.system.source,
                    span,
                    hint=f"write it as a number given with the matrix, \\lambda_{{\\{which}}} "
                    "without its argument (as PyG's ChebConv takes lambda_max): code then takes "
                    "it as an input, and does not differentiate its dependence on the matrix",
                )
            case t.DegreeMatrix(adjacency=a):  # D = diag(d), d A's row sums (rules_degree_matrix)
                adj = self.term(a)
                rows = self.emit(transpose_p, (adj,), (shape[1], shape[0]), span)
                degree = self.emit(sum_p, (rows,), shape[:1], span)  # sum_j A_ij: column i of A^T
                eye = self.emit(prims.eye_p, (), shape, span)
                return self.emit(mul_p, (eye, degree), shape, span, align=((0, 1), (0, None)))
            case t.DegreeNorm(adjacency=a):
                # D^{-1/2} A D^{-1/2}, D = diag(d), d the row sums of A: A_ij / sqrt(d_i d_j)
                adj = self.term(a)
                n = shape[:1]
                rows = self.emit(transpose_p, (adj,), (shape[1], shape[0]), span)
                degree = self.emit(sum_p, (rows,), n, span)  # sum_j A_ij: column i of A^T
                scale = self.emit(pow_p, (degree,), n, span, exponent=-0.5)
                left = self.emit(mul_p, (adj, scale), shape, span, align=((0, 1), (0, None)))
                return self.emit(mul_p, (left, scale), shape, span, align=((0, 1), (None, 0)))
            case t.Norm(body=b, ord="1") if len(self.shape(b)) == 1:
                # \|x\|_1 of a vector: the sum of the absolute values of its entries (of a
                # matrix it may be the entries' sum or the largest column sum: not generated)
                inner = self.term(b)
                value = self.emit(fn_p, (inner,), inner.shape, span, fn="abs")
                return self.emit(sum_p, (value,), shape, span)
            case t.Norm(body=b, ord=order) if order not in ("2", "F"):
                # \|x\|_p, \|x\|_1: read (a scalar whatever the degree), but norm_p is the
                # 2-norm (Frobenius over a matrix): another degree would be the wrong norm
                matrix_one = order == "1" and len(self.shape(b)) == 2
                raise ReadingError(
                    f"the norm of degree {order} is read, but code is generated only for the "
                    "2-norm and a vector's 1-norm"
                    + (
                        " (of a matrix, \\|W\\|_1 is the sum of its entries' absolute values "
                        "or the largest column sum, and the notation does not say which)"
                        if matrix_one
                        else ""
                    ),
                    self.system.source,
                    span,
                    hint="write \\|...\\|_2 where the degree is 2 (PyTorch's p=2 default)",
                )
            case t.Norm(body=b):
                return self.emit(norm_p, (self.term(b),), shape, span)
            case t.NodeSum(body=b):
                return self.emit(nodesum_p, (self.term(b),), shape, span)
            case t.Elem(body=b):
                return self.term(b)  # a_i read elementwise: all the entries, a itself
            case t.Pick(body=b, label=lab):  # f_{y_i}: the entry at a label (rules_label_pick)
                return self.emit(PRIMS["gather"], (self.term(b), self.term(lab)), shape, span)
            case t.TableRow(member=m, label=lab):  # v_{w_I}: a table's row (rules_table_rows)
                return self.emit(PRIMS["gather"], (self.env[m.key], self.term(lab)), shape, span)
            case t.Table(member=m):  # every member at once: the table, stored stacked
                return self.env[m.key]
            case t.FnCall(key=key, body=b):
                result = self.term(b)  # the inlined body, named after the function
                if self.ops and self.ops[-1].out is result:
                    result = self.rename(result, key)
                return result
            case t.Block(body=b, index=i):  # [q, k, v] = z U (read/rules_blocks.py)
                if id(b) not in self.blocked:
                    self.blocked[id(b)] = self.term(b)
                whole, width = self.blocked[id(b)], shape[-1]
                axis = len(whole.shape) - 1
                start, stop = width * i, width * (i + 1)
                return self.emit(slice_p, (whole,), shape, span, axis=axis, start=start, stop=stop)
            case t.Repeat(body=b, count=written):  # [SA_1(z); \cdots; SA_k(z)]: equal heads
                heads = int(written) if written.isdigit() else self.sizes.get(written, 0)
                if heads < 1:
                    raise DeclarationError(
                        f"the {written} heads side by side: that number needs a value",
                        self.system.source,
                        span,
                        hint=f"give it in dims ({written}=8)",
                    )
                return self.emit(concat_last_p, (self.term(b),) * heads, shape, span)
            case t.HeadConcat(member=m):
                members = self.family.get(m.key)
                if not members:
                    raise ReadingError(
                        f"the heads of {m.key} are used before they are computed",
                        self.system.source,
                        span,
                    )
                return self.emit(concat_last_p, tuple(members), shape, span)
            case t.RelationSum(index=r, size=size, body=b):
                return self.relation_sum(r, size, b, shape, span)
            case t.BasisSum(index=b, size=size, body=body):  # read/rules_basis.py
                return self.basis_sum(b, size, body, shape, span)
            case t.NeighbourSum(of=v, body=t.Const(value=c), relation=r, direction=direction):
                # |N(v)|: the number of v's neighbours (times c), counted along the edge list
                values = [*self.env.values(), *self.prev.values()]  # a state per node too
                like = next((x for x in values if self.level.get(x) == "node"), None)
                if like is None:
                    raise ReadingError(
                        "the number of neighbours needs a value per node to count them for",
                        self.system.source,
                        span,
                    )
                relation = self.relation if r is not None else None
                count = self.emit(
                    degree_p, (like,), (), span, relation=relation, direction=direction
                )
                if c != 1.0:
                    scale = self.emit(const_p, (), (), span, value=c)
                    count = self.emit(mul_p, (count, scale), (), span, align=((), ()))
                return self.gather(v, count, span)
            case t.NeighbourSum(index=u, of=v, body=b, relation=r, direction=direction):
                per_edge = any(
                    (isinstance(x, t.Sym) and (x.edge is not None or x.node == v))
                    or (isinstance(x, t.NeighbourSum) and x.of == v)  # |N(i)| inside: at i
                    for x in t.walk(b)
                )
                outer = self.edge_ctx
                if per_edge and (r is not None or direction != "in"):
                    raise ReadingError(
                        "values per edge along typed or outgoing edges are not generated yet",
                        self.system.source,
                        span,
                        hint="the body may read the neighbour's values (W_r h_u)",
                    )
                if per_edge:  # the body is one value per edge (j -> i): then summed into i
                    self.edge_ctx = (v, u)
                    try:
                        summed = self.emit(edge_sum_p, (self.term(b),), shape, span)
                    finally:
                        self.edge_ctx = outer
                else:  # the body reads only the neighbour's values: one scatter-add
                    self.edge_ctx = None
                    relation = self.relation if r is not None else None
                    try:
                        summed = self.emit(
                            neighbour_sum_p,
                            (self.term(b),),
                            shape,
                            span,
                            relation=relation,
                            direction=direction,
                        )
                    finally:
                        self.edge_ctx = outer
                return self.gather(v, summed, span)
            case t.OrderSum(index=k, start=start, count=count, body=b):  # read/rules_orders.py
                return self.order_sum(k, start, count, b, shape, span)
            case t.OrderPower(body=b, index=k, shift=shift) if len(shape) == 0:  # \beta^k
                nth = self.orders[k] + shift  # a number's (\xi^{k-1}: shifted); rules_orders.py
                if nth == 0:
                    return self.emit(const_p, (), (), span, value=1.0)
                return self.emit(pow_p, (self.term(b),), shape, span, exponent=nth)
            case t.OrderPower(body=b, index=k, chebyshev=True):  # T_k(X): rules_orders.py
                base, nth = self.term(b), self.orders[k]
                both = (tuple(range(len(shape))),) * 2
                before, now = self.emit(prims.eye_p, (), shape, span), base  # T_0, T_1
                if nth == 0:
                    return before
                for _ in range(nth - 1):  # T_m = 2 X T_{m-1} - T_{m-2}
                    step = self.emit(matmul_p, (base, now), shape, span)
                    twice = self.emit(add_p, (step, step), shape, span, align=both)
                    before, now = now, self.emit(sub_p, (twice, before), shape, span, align=both)
                return now
            case t.OrderPower(body=b, index=k):  # (\hat A)^k at the order being computed
                base = self.term(b)
                power = self.emit(prims.eye_p, (), shape, span) if self.orders[k] == 0 else base
                for _ in range(self.orders[k] - 1):
                    power = self.emit(matmul_p, (power, base), shape, span)
                return power
            case t.NeighbourAggregate() if standin.aggregator() is not None:
                return standin.lower_aggregate(self, term, shape)  # `check` only (standin.py)
            case t.NeighbourAggregate(written=name):  # read/rules_set_builder.py
                raise ReadingError(
                    f"{name} aggregates the neighbours' values, but the source does not say "
                    "how (a sum, a mean, a max): code needs to know",
                    self.system.source,
                    span,
                    hint=f"say which in a comment, `% {name.split('_')[0]}: mean` (or sum, max), "
                    "or write it in its place: \\mathrm{mean}(\\{h_j, j \\in \\mathcal{N}(i)\\}), "
                    "\\sum_{j \\in \\mathcal{N}(i)} h_j, \\max_{j \\in \\mathcal{N}(i)} h_j",
                )
            case t.NodeAggregate(written=name, index=v, over=over):  # rules_range_aggregation
                raise ReadingError(
                    f"{name} aggregates the values of every node of {over}, but the source does "
                    "not say how (a sum, a mean, a max): code needs to know",
                    self.system.source,
                    span,
                    hint=f"say which in a comment, `% {name.split('_')[0]}: sum`, or write it in "
                    f"its place: \\sum_{{{v} \\in {over}}} h_{v}",
                )
            case t.NeighbourMax(index=u, of=v, body=b):  # read/rules_neighbour_max.py
                outer, self.edge_ctx = self.edge_ctx, (v, u)  # the body: a value per edge
                try:
                    largest = self.emit(edge_max_p, (self.term(b),), shape, span)
                finally:
                    self.edge_ctx = outer
                return self.gather(v, largest, span)
            case t.BatchSum(body=b):
                return self.emit(batchsum_p, (self.term(b),), shape, span)
            case t.IndexSum(body=b, op=op):
                return self.emit(PRIMS[op], (self.term(b),), shape, span)
            case t.Identity():
                return self.emit(prims.eye_p, (), shape, span)  # ops/matrix.py
            case t.Padded(body=b):  # x_i \| 0: read/rules_zero_pad.py
                return padded(self, self.term(b), shape, span)
            case t.Sinusoid(arg=a, base=base):  # PE_{(pos,2i)} (read/rules_sinusoid.py)
                return self.emit(prims.sinusoid_p, (self.term(a),), shape, span, base=base)
            case t.SizeValue(name=name) if name in self.batch_sizes:
                # m in batch norm's 1/m: the number of examples the batch has when it runs
                data = next((v for v in self.env.values() if v.batched), None)
                if data is None:
                    raise ReadingError(
                        f"{name} is the batch size, but nothing here is batched data",
                        self.system.source,
                        span,
                    )
                return self.emit(count_p, (data,), (), span)
            case t.SizeValue(name=name):
                if name not in self.sizes:
                    raise DeclarationError(
                        f"the size {name} is used as a number here: give it in dims",
                        self.system.source,
                        span,
                        hint=f"{name}=4 in dims, or --dims {name}=4",
                    )
                number = float(self.sizes[name])
                return self.emit(const_p, (), (), span, value=number, latex=size_name(name))
        raise AssertionError(f"no lowering for {type(term).__name__}")

    def axis_statistic(
        self, rows: bool, variance: bool, x: Value, shape: Shape, span: Span
    ) -> Value:
        """The mean (or the biased variance) of each row (``rows``; else of each column) of
        the matrix ``x``: a vector over its rows (columns), read/rules_axis_stats.py."""
        n_rows, n_cols = x.shape
        length = n_cols if rows else n_rows
        width = length.evaluate(self.sizes)
        if width is None:
            raise DeclarationError(
                f"the size {length.text()} is used as a number here: give it in dims",
                self.system.source,
                span,
                hint=f"{length.text()}=4 in dims",
            )
        # printed as the size the source leaves it (\\frac{...}{d_N}), not as the number the
        # code runs with (ir/size_latex.py)
        tex = expression_latex(length)
        n = self.emit(const_p, (), (), span, value=float(width), **({"latex": tex} if tex else {}))

        def mean(v: Value) -> Value:
            if rows:  # a column per row, summed: each row's total
                v = self.emit(transpose_p, (v,), (n_cols, n_rows), span)
            total = self.emit(sum_p, (v,), shape, span)
            return self.emit(div_p, (total, n), shape, span, align=((0,), (None,)))

        m = mean(x)
        if not variance:
            return m
        back = (0, None) if rows else (None, 0)  # each row's (column's) over its entries
        centred = self.emit(sub_p, (x, m), x.shape, span, align=((0, 1), back))
        return mean(self.emit(pow_p, (centred,), x.shape, span, exponent=2.0))

    def align(self, operands: tuple[t.Term, ...], result: Shape) -> tuple:  # type: ignore[type-arg]
        """For each operand, the operand axis under each result axis (None: broadcast)."""
        out: list[tuple[int | None, ...]] = []
        for op in operands:
            s = self.shape(op)
            if not s:
                out.append(tuple(None for _ in result))
            elif len(s) == len(result):
                out.append(tuple(range(len(result))))
            elif len(s) == 1 and len(result) == 2:
                column = s[0] == result[0]
                out.append((0, None) if column else (None, 0))
            else:
                raise DeclarationError(
                    f"cannot align a value of shape {shape_text(s)} with {shape_text(result)}",
                    self.system.source,
                    op.span,
                )
        return tuple(out)
