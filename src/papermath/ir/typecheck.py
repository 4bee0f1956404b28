"""The type check: every op's result shape follows from its inputs by its primitive's rule.

Run after lowering and after every pass (Autodidax's ``typecheck_jaxpr``), the torch
backend's ``sink_projections`` (passes/sink.py) included. The rules are the registry's
(``ir.rules.shape_rules``, registered in ``papermath/ops/<family>.py``). A failure is an
internal error in papermath, never the user's: it raises
:class:`~papermath.errors.InternalError` with the op (not ``assert``: the check stands under
``python -O`` too), whatever the rule tripped on.
"""

from __future__ import annotations

import papermath.ops.families  # noqa: F401  (fills the registries of ir.rules)

from ..shapes.sizes import shape_text
from .program import UNBATCHING, Program
from .rules import rule, shape_failed, shape_rules


def typecheck(program: Program) -> None:
    defined = {p.value for p in program.params} | {i.value for i in program.inputs}
    defined |= {s.prev for s in program.states}
    for op in program.ops():
        for v in op.inputs:
            if v not in defined:
                raise shape_failed(f"{op!r} uses {v!r} before it is defined")
        unknown = set(op.attrs) - set(op.prim.attrs)
        if unknown:  # an attribute its primitive does not declare (ir/prims.py)
            raise shape_failed(f"{op!r}: {op.prim.name} has no attribute {sorted(unknown)}")
        shape_of = rule(shape_rules, "shape", op.prim)
        try:
            got = shape_of(op, [v.shape for v in op.inputs])
        except (IndexError, KeyError, ValueError, TypeError) as exc:  # an op built wrong
            raise shape_failed(f"{op!r}: {type(exc).__name__}: {exc}") from None
        if got != op.out.shape:
            raise shape_failed(
                f"{op!r}: rule gives {shape_text(got)}, op says {shape_text(op.out.shape)}"
            )
        batched = any(v.batched for v in op.inputs) and op.prim not in UNBATCHING
        if op.out.batched != batched:
            raise shape_failed(f"{op!r}: batch flag")
        defined.add(op.out)
    for state in program.states:
        out = program.outputs[state.key]
        if out.shape != state.shape:
            raise shape_failed(f"state {state.key} changes shape")
