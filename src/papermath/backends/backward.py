"""Generated backward passes (NumPy): reverse mode over the IR, one VJP rule per primitive.

The backward function walks the forward ops in reverse; each primitive's VJP rule
(``ir.rules.vjp_rules``, registered in ``papermath/ops/<family>.py``) gives the contribution
of one op to the gradient of each of its inputs, *in the layout of the op's result*.
:meth:`Backward.reduce_to` then undoes broadcasting in one place (a sum over the batch axis
for parameters, over broadcast axes for scalars and biases) and adds the contribution to the
input's gradient. Recurrences are differentiated through time: the gradient of a state at
step t-1 is carried to the previous iteration.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..ir.prims import Prim, const_p
from ..ir.program import Input, Op, Program, Value
from ..ir.rules import VjpRule, rule, vjp_rules
from .emit import Emitter, edge_list_name


class Backward:
    """Writes a backward pass: each op's VJP rule adds to the gradients of its inputs.
    ``overrides``: rules that replace the registry's for some primitives (the torch step
    function's, in steps.py)."""

    overrides: Mapping[Prim, VjpRule] = {}

    def __init__(self, e: Emitter) -> None:
        self.e = e
        self.p: Program = e.p
        self.grad: dict[Value, str] = {}  # value -> name of its gradient
        self.live: set[Value] = set()  # gradients that hold a value in this iteration
        self.indent = 1
        self.consts = {op.out for op in self.p.ops() if op.prim is const_p}

    # ---- names and lines ---------------------------------------------------------------
    def gname(self, v: Value) -> str:
        if v not in self.grad:
            base = self.e.expr.get(v, v.name).lstrip("_")
            self.grad[v] = self.e.names.fresh(f"d_{base}")
        return self.grad[v]

    def line(self, text: str) -> None:
        self.e.line(text, self.indent)

    def sum_axes(self, expr: str, axes: list[int]) -> str:
        if not axes:
            return expr
        shown = axes[0] if len(axes) == 1 else tuple(axes)
        return f"({expr}).sum({self.e.d.axis_kw}={shown})"  # axis= (NumPy) or dim= (torch)

    def reduce_to(self, v: Value, expr: str, out: Value, align: tuple[int | None, ...]) -> None:
        """Add ``expr`` (laid out like ``out``) to the gradient of ``v``: the one place where
        broadcasting is undone."""
        axes = []
        if out.batched and not v.batched:
            axes.append(self.e.batch_axis)
        for i, a in enumerate(align):
            if a is None:
                axes.append(self.e.axis(out, i))
        self.add(v, self.sum_axes(expr, axes))

    def add(self, v: Value, expr: str) -> None:
        if v in self.consts:
            return  # a number has no gradient
        name = self.gname(v)
        if v in self.live:
            self.line(f"{name} = {name} + {expr}")
        else:
            self.line(f"{name} = {expr}")
            self.live.add(v)

    def same(self, v: Value) -> tuple[int | None, ...]:
        return tuple(range(len(v.shape)))

    # ---- one rule per primitive (papermath/ops/) ---------------------------------------
    def vjp(self, op: Op) -> None:
        if op.out not in self.live or op.prim is const_p:
            return
        vjp = self.overrides.get(op.prim) or rule(vjp_rules, "vjp", op.prim)
        vjp(self, op, self.grad[op.out])

    def aligned(self, op: Op) -> tuple[str, str]:
        """The two operands of a binary op, each indexed to broadcast against its result."""
        a, b = op.inputs
        al, bl = op.attrs["align"]
        return self.e.operand(a, al, op.out), self.e.operand(b, bl, op.out)

    def einsum_vjp(self, op: Op, g: str) -> None:
        """The gradient of any product written as an einsum: swap the roles of the indices."""
        a, b = op.inputs
        sa, sb, so = self.e.einsum_specs(op)
        x, y = self.e.expr[a], self.e.expr[b]
        self.add(a, _einsum_to(so, sb, sa, g, y))
        self.add(b, _einsum_to(sa, so, sb, x, g))

    def add_into(self, x: Value, index: str, g: str) -> None:
        """Add ``g`` to a part of x's gradient (``d_x[index] += g``), the rest zero."""
        name = self.gname(x)
        if x not in self.live:
            self.line(f"{name} = np.zeros_like({self.e.expr[x]})")
            self.live.add(x)
        self.line(f"{name}[{index}] += {g}")


def write_backward(e: Emitter) -> list[str]:
    """The body of ``backward(params, cache, output_grads) -> grads``."""
    p = e.p
    if p.bidirectional:
        return _both_ways(e)
    bw = Backward(e)
    e.lines = []
    line = bw.line
    line('steps, inputs, outputs = cache["steps"], cache["inputs"], cache["outputs"]')
    stacked = [prm for prm in p.params if prm.per_step]
    for param in p.params:
        whole = e.input_names[param.key] if param.per_step else e.expr[param.value]
        line(f'{whole} = params["{param.key}"]')
    for inp in p.inputs:
        line(f'{_base(e, inp)} = inputs["{inp.key}"]')
    for op in p.static_ops:  # values computed once, before the loop
        if op.prim is not const_p:
            line(f'{e.expr[op.out]} = cache["static"]["{e.expr[op.out]}"]')
    if p.per_node:
        line('batch = cache["batch"]')
        line("num_graphs = int(batch.max()) + 1 if len(batch) else 0")
    if p.uses_edges:
        line('edges = cache["edges"]')
    for relation, direction in p.edge_lists:
        name = edge_list_name(relation, direction)
        line(f'{name} = cache["{name}"]')
    outs = {}
    for key in p.outputs:
        og = e.names.fresh(f"og_{key}")
        outs[key] = og
        line(
            f"{og} = output_grads[{key!r}] if {key!r} in output_grads else "
            f"np.zeros_like(outputs[{key!r}])"
        )
    # gradients of what lives outside the loop accumulate over every step
    outside = [prm.value for prm in p.params if not prm.per_step]
    outside += [op.out for op in p.static_ops]
    outside += [i.value for i in p.inputs if i.per != "step"]
    for v in outside:
        like = e.expr[v]
        line(f"{bw.gname(v)} = np.zeros_like({like})")
        bw.live.add(v)
    static_out = {op.out for op in p.static_ops}
    seq = p.step_index is not None
    carries = {}
    step_inputs = [i for i in p.inputs if i.per == "step"]
    if seq:
        for s in p.states:
            carries[s.key] = e.names.fresh(f"carry_{s.key}")
            line(f'{carries[s.key]} = np.zeros_like(cache["initial"]["{s.key}"])')
        lists = {i.key: e.names.fresh(f"d_{i.key}_steps") for i in step_inputs}
        lists.update({prm.key: e.names.fresh(f"d_{prm.key}_steps") for prm in stacked})
        for name in lists.values():
            line(f"{name} = []")
        t = e.names.symbol(p.step_index or "t")
        line(f"for {t} in reversed(range(len(steps))):")
        bw.indent = 2
    step = e.names.fresh("cached")
    line(f"{step} = steps[{t}]" if seq else f"{step} = steps[0]")
    for op in p.step_ops:
        if op.prim is not const_p:
            line(f'{e.expr[op.out]} = {step}["{e.expr[op.out]}"]')
    for inp in step_inputs:
        line(f"{e.expr[inp.value]} = {_base(e, inp)}[{t}]")
    for prm in stacked:
        line(f"{e.expr[prm.value]} = {e.input_names[prm.key]}[{t}]")
    for s in p.states:
        prev = e.expr[s.prev]
        line(
            f'{prev} = steps[{t} - 1]["{e.expr[p.outputs[s.key]]}"] if {t} > 0 '
            f'else cache["initial"]["{s.key}"]'
        )
    live_outside = set(bw.live)
    for key, v in p.outputs.items():
        if v in static_out:
            continue
        index = f"[{t}]" if seq else ""
        carry = f" + {carries[key]}" if key in carries else ""
        line(f"{bw.gname(v)} = {outs[key]}{index}{carry}")
        bw.live.add(v)
    _reverse(bw, p.step_ops)
    if seq:
        for s in p.states:
            g = bw.gname(s.prev)
            value = g if s.prev in bw.live else f"np.zeros_like({e.expr[s.prev]})"
            line(f"{carries[s.key]} = {value}")
        for key, v in [(i.key, i.value) for i in step_inputs] + [
            (prm.key, prm.value) for prm in stacked
        ]:
            g = bw.gname(v)
            value = g if v in bw.live else f"np.zeros_like({e.expr[v]})"
            line(f"{lists[key]}.append({value})")
        bw.live = live_outside
        bw.indent = 1
    for key, v in p.outputs.items():
        if v in static_out:
            line(f"{bw.gname(v)} = {bw.gname(v)} + {outs[key]}")
    for s in p.states:  # H^{0} = X: the initial state's gradient flows into its value
        if s.init is not None and seq:
            line(f"{bw.gname(s.init)} = {bw.gname(s.init)} + {carries[s.key]}")
    _reverse(bw, p.static_ops)
    line("grads = {")
    for param in p.params:
        if param.per_step:
            line(f'    "{param.key}": np.stack({lists[param.key]}[::-1]),')
        else:
            line(f'    "{param.key}": {bw.gname(param.value)},')
    for inp in p.inputs:
        if inp.per == "step":
            line(f'    "{inp.key}": np.stack({lists[inp.key]}[::-1]),')
        elif inp.value in bw.live:
            line(f'    "{inp.key}": {bw.gname(inp.value)},')
    for s in p.states:
        if s.init is None:  # H^{0} = X: no argument (its gradient is X's)
            line(f'    "{s.key}": {carries[s.key]},  # the initial state')
    line("}")
    line("return grads")
    return e.lines


def _both_ways(e: Emitter) -> list[str]:
    """The backward of a bidirectional recurrence (``Program.back_ops``): the forward's three
    loops reversed. What reads both directions first (any order of the steps), then the
    states carried backwards over the steps from the first up (the gradient of the value at
    t+1 carried to step t+1), then the forward loop from the last step down. A loop sends the
    gradient of a symbol an earlier loop computed into that symbol's output gradient at the
    same step (``og[t]``, a copy of the caller's), where the earlier loop starts from it."""
    p = e.p
    bw = Backward(e)
    e.lines = []
    line = bw.line
    line('steps, inputs, outputs = cache["steps"], cache["inputs"], cache["outputs"]')
    for param in p.params:
        line(f'{e.expr[param.value]} = params["{param.key}"]')
    for inp in p.inputs:
        line(f'{_base(e, inp)} = inputs["{inp.key}"]')
    for op in p.static_ops:
        if op.prim is not const_p:
            line(f'{e.expr[op.out]} = cache["static"]["{e.expr[op.out]}"]')
    outs: dict[str, str] = {}
    for key in p.outputs:
        outs[key] = e.names.fresh(f"og_{key}")
        zeros = f"np.zeros_like(outputs[{key!r}])"
        given = f"{zeros} + output_grads[{key!r}]"  # a copy: later loops add into it
        line(f"{outs[key]} = {given} if {key!r} in output_grads else {zeros}")
    key_of = {v: key for key, v in p.outputs.items()}
    outside = [prm.value for prm in p.params] + [op.out for op in p.static_ops]
    outside += [i.value for i in p.inputs if i.per != "step"]
    for v in outside:
        line(f"{bw.gname(v)} = np.zeros_like({e.expr[v]})")
        bw.live.add(v)
    carries = {s.key: e.names.fresh(f"carry_{s.key}") for s in p.states}
    for s in p.states:
        line(f'{carries[s.key]} = np.zeros_like(cache["initial"]["{s.key}"])')
    step_inputs = [i for i in p.inputs if i.per == "step"]
    whole = {i.key: e.names.fresh(f"d_{i.key}_all") for i in step_inputs}
    for i in step_inputs:
        line(f"{whole[i.key]} = np.zeros_like({_base(e, i)})")
    t = e.names.symbol(p.step_index or "t")
    cached = e.names.fresh("cached")
    loop_of = {op.out: n for n, ops in enumerate((p.step_ops, p.back_ops)) for op in ops}
    loops = [
        (2, p.post_ops, "reversed(range(len(steps)))", "what reads both directions"),
        (1, p.back_ops, "range(len(steps))", "the states carried backwards, from step 0 up"),
        (0, p.step_ops, "reversed(range(len(steps)))", "the forward loop, from the last step down"),
    ]
    for n, ops, over, what in loops:
        if not ops:
            continue
        e.comment(f"gradients through {what}", 1)
        line(f"for {t} in {over}:")
        bw.indent = 2
        line(f"{cached} = steps[{t}]")
        for op in ops:
            if op.prim is not const_p:
                line(f'{e.expr[op.out]} = {cached}["{e.expr[op.out]}"]')
        reads = list(dict.fromkeys(v for op in ops for v in op.inputs))
        earlier = [v for v in reads if loop_of.get(v, n) < n]
        for v in earlier:
            line(f'{e.expr[v]} = {cached}["{e.expr[v]}"]')
        for inp in step_inputs:
            if inp.value in reads:
                line(f"{e.expr[inp.value]} = {_base(e, inp)}[{t}]")
        produced = {op.out for op in ops}
        carried = [s for s in p.states if p.outputs[s.key] in produced]
        for s in carried:
            out = e.expr[p.outputs[s.key]]
            first = f'cache["initial"]["{s.key}"]'
            near, inside = (
                (f"{t} + 1", f"{t} + 1 < len(steps)") if s.backward else (f"{t} - 1", f"{t} > 0")
            )
            line(f'{e.expr[s.prev]} = steps[{near}]["{out}"] if {inside} else {first}')
        live_outside = set(bw.live)
        for key, v in p.outputs.items():
            if v in produced:
                carry = f" + {carries[key]}" if key in carries else ""
                line(f"{bw.gname(v)} = {outs[key]}[{t}]{carry}")
                bw.live.add(v)
        _reverse(bw, ops)
        for s in carried:
            g = bw.gname(s.prev) if s.prev in bw.live else f"np.zeros_like({e.expr[s.prev]})"
            line(f"{carries[s.key]} = {g}")
        for v in earlier:  # to the loop that computed it, at this step
            if v in bw.live:
                line(f"{outs[key_of[v]]}[{t}] += {bw.gname(v)}")
        for inp in step_inputs:
            if inp.value in bw.live:
                line(f"{whole[inp.key]}[{t}] += {bw.gname(inp.value)}")
        bw.live = live_outside
        bw.indent = 1
    static_out = {op.out for op in p.static_ops}
    for key, v in p.outputs.items():
        if v in static_out:
            line(f"{bw.gname(v)} = {bw.gname(v)} + {outs[key]}")
    for s in p.states:  # H^{0} = X (forward states only: ir/lower.py)
        if s.init is not None:
            line(f"{bw.gname(s.init)} = {bw.gname(s.init)} + {carries[s.key]}")
    _reverse(bw, p.static_ops)
    line("grads = {")
    for param in p.params:
        line(f'    "{param.key}": {bw.gname(param.value)},')
    for inp in p.inputs:
        if inp.per == "step":
            line(f'    "{inp.key}": {whole[inp.key]},')
        elif inp.value in bw.live:
            line(f'    "{inp.key}": {bw.gname(inp.value)},')
    for s in p.states:
        if s.init is None:
            what = "the state after the last step" if s.backward else "the initial state"
            line(f'    "{s.key}": {carries[s.key]},  # {what}')
    line("}")
    line("return grads")
    return e.lines


def _einsum_to(s1: str, s2: str, out: str, x: str, y: str) -> str:
    """``np.einsum(s1,s2->out)``; an axis of ``out`` in neither operand is the size-1 axis a
    row times a column dropped (x^T A z is a scalar): summed out, then put back."""
    missing = [i for i, ch in enumerate(out) if ch not in s1 + s2]
    kept = "".join(ch for ch in out if ch in s1 + s2)
    expr = f'np.einsum("{s1},{s2}->{kept}", {x}, {y})'
    if missing:
        expr = f"np.expand_dims({expr}, {tuple(missing) if len(missing) > 1 else missing[0]})"
    return expr


def _base(e: Emitter, inp: Input) -> str:
    """The name of an input's whole array (all steps)."""
    return e.input_names.get(inp.key, inp.key)


def _reverse(bw: Backward, ops: list[Op]) -> None:
    current = None
    for op in reversed(ops):
        if op.equation != current:
            current = op.equation
            bw.e.comment("gradient of: " + bw.p.equations[op.equation], bw.indent)
        bw.vjp(op)
