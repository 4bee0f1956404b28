"""Sink an input's projection back into the step where the step is fused (backends/steps.py).

The speed passes (passes/fast.py) hoist ``W_x x_t + b`` out of the loop, for every step at
once; a fused step computes it in the step instead, where it is read. Like every pass, it
returns a new Program, and the type check runs after it (backends/source.py).
"""

from __future__ import annotations

from dataclasses import replace

from ..ir.prims import affine_p, matmul_p
from ..ir.program import Op, Program, Value


def projects_input(op: Op, inputs: set[Value], statics: set[Value]) -> bool:
    """``W x_t (+ b)``: a product of a per-step input with a weight and a bias from outside
    the loop (what sink_projections keeps in a fused step)."""
    return (
        op.prim in (affine_p, matmul_p)
        and op.inputs[0] in statics
        and op.inputs[1] in inputs
        and (op.prim is matmul_p or (op.inputs[2] in statics and not op.inputs[2].batched))
    )


def sink_projections(p: Program) -> Program:
    """The speed passes' hoist undone where the step is fused: an input's projection
    (``W_x x + b``, computed for every step before the loop) read only in the step goes back
    into the step, a product of the step's input. The (T, N, 4H) projection is then never
    written to memory and read back: each step's slice is computed where it is read, in
    cache (as the bias of the state's product it shares its buffer: kernels.chains). Its
    input's gradient is still one product after the loop (write_fused_backward)."""
    if p.step_index is None:
        return p
    per_step = {i.value for i in p.inputs if i.per == "step"}
    static = {prm.value for prm in p.params} | {op.out for op in p.static_ops}
    uses: dict[Value, list[Op]] = {}
    for op in p.ops():
        for v in op.inputs:
            uses.setdefault(v, []).append(op)
    outputs = set(p.outputs.values())
    moved = []
    for op in p.pre_ops:
        if op.out in outputs or not projects_input(op, per_step, static):
            continue
        used = uses.get(op.out, [])
        if used and all(u in p.step_ops for u in used):
            moved.append(op)
    if not moved:
        return p
    pre = [op for op in p.pre_ops if op not in moved]
    return replace(p, pre_ops=pre, step_ops=moved + p.step_ops)
