"""Common subexpressions: the same primitive on the same values is computed once.

The LSTM's four gates each concatenate ``[h_{t-1}, x_t]``; after this pass the
concatenation happens once per step.
"""

from __future__ import annotations

from dataclasses import replace

from ..ir.program import Op, Program, Value


def _key(op: Op, subst: dict[Value, Value]) -> tuple[object, ...]:
    return (op.prim, tuple(id(subst.get(v, v)) for v in op.inputs), repr(sorted(op.attrs.items())))


def cse(program: Program) -> Program:
    subst: dict[Value, Value] = {}
    seen: dict[tuple[object, ...], Value] = {}
    named = set(program.outputs.values())

    def run(ops: list[Op]) -> list[Op]:
        out = []
        for op in ops:
            op = replace(op, inputs=tuple(subst.get(v, v) for v in op.inputs))
            key = _key(op, subst)
            if key in seen and op.out not in named:
                subst[op.out] = seen[key]
                continue
            seen.setdefault(key, op.out)
            out.append(op)
        return out

    # values computed once stay visible to the steps; step values never leak backwards
    static = run(program.static_ops)
    step = run(program.step_ops)
    # the loops of a bidirectional recurrence read what the others keep: renamed, not merged
    later = [
        [replace(op, inputs=tuple(subst.get(v, v) for v in op.inputs)) for op in ops]
        for ops in (program.back_ops, program.post_ops)
    ]
    return replace(program, static_ops=static, step_ops=step, back_ops=later[0], post_ops=later[1])
