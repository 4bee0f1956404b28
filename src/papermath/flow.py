r"""Gradient flow through time: how much of a gradient at the last step reaches step t.

For a recurrence, the gradient of a loss at the last step T reaches the state at step t
through the Jacobian :math:`\partial s_T / \partial s_t`, a product of one Jacobian per
step. Its largest singular value says how much a gradient can grow or shrink over T - t
steps: a plain RNN multiplies by :math:`W^\top` and :math:`\tanh'` (at most 1) at every
step, an LSTM's cell state by the forget gate :math:`f_t` alone (elementwise), which is why
an LSTM can carry a gradient over many steps when its forget gates stay near 1.

The numbers come from the generated NumPy module (forward, then its backward pass with
dL/ds_T one coordinate at a time), at random parameters drawn as PyTorch draws a layer's
and random inputs, for one example. The path from step t+1 to step t is the part of the
state's printed gradient equation (:mod:`papermath.report.gradients`) that holds dL/ds_{t+1}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .errors import PapermathError

if TYPE_CHECKING:
    from .system import System

# the derivatives that bound a step's factor, and their largest value (at 0)
DERIVATIVES = {
    "sigmoid": (r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))", 0.25),
    "tanh": (r"\tanh'(x) = 1 - \tanh^2(x)", 1.0),
    "relu": (r"\operatorname{relu}'(x) = \mathbb{1}[x > 0]", 1.0),
}


@dataclass
class StateFlow:
    key: str
    # largest singular value of d s_T / d s_{T-k}, for k = 0, 1, ..., steps - 1
    norms: list[float]
    # the summands of dL/ds_t that come from step t+1 (LaTeX, in the source's symbols)
    path: list[str] = field(default_factory=list)


@dataclass
class Flow:
    index: str  # the step letter
    steps: int
    states: list[StateFlow]
    derivatives: list[tuple[str, str, float]]  # (function, its derivative, its maximum)


def gradient_flow(
    system: System, dims: dict[str, int] | None = None, steps: int = 20, seed: int = 0
) -> Flow:
    """The gradient flow of ``system``'s recurrence over ``steps`` steps (see the module)."""
    from .backends.data import random_inputs
    from .check import default_dims
    from .ir.prims import step_pow_p

    rec = system.recurrence
    if rec is None:
        raise PapermathError(
            "these equations carry no state from step to step: there is no gradient flow "
            "through time to show",
            hint="a recurrence defines a state at step t from its value at t-1 (h_{t-1})",
        )
    if steps < 2:
        raise PapermathError("gradient flow needs at least 2 steps", hint="--steps 20")
    dims = default_dims(system, dims)
    program = system.program(dims)
    if program.step_count is not None:
        raise PapermathError(
            "a parameter per step fixes the number of steps: gradient flow is shown for "
            "recurrences whose parameters are shared over the steps",
        )
    if any(op.prim is step_pow_p for op in program.ops()):  # \beta_1^t (rules_step_number)
        raise PapermathError(
            "this recurrence uses the number of the step as a value (a power such as "
            "\\beta_1^t), so a step's Jacobian depends on t; gradient flow, which reruns the "
            "steps from a later start, is not shown for it",
            hint="papermath check FILE checks its gradients",
        )
    if program.bidirectional:  # h_t from h_{t+1} (read/rules_reverse.py)
        raise PapermathError(
            "this recurrence carries a state backwards in time (h_{t+1}), so a later step's "
            "values depend on the steps after it; gradient flow, which reruns the steps from a "
            "later start, is not shown for it",
            hint="papermath check FILE checks its gradients",
        )
    if tied := [st.key for st in program.states if st.init is not None]:  # H^{0} = X
        raise PapermathError(
            f"the first value of {tied[0]} is computed from the inputs (an initial condition "
            "to a value, read/rules_initial_tie.py), so the generated code cannot start the "
            "steps from a given state; gradient flow, which reruns the steps from a later "
            "start, is not shown for it",
            hint="papermath check FILE checks its gradients",
        )
    gen = system.to_numpy(dims, "sample-first")
    rng = np.random.default_rng(seed)
    params = gen.init_params(rng)
    inputs, state = random_inputs(program, rng, "sample-first", T=steps, N=1)
    _, cache = gen.forward(params, inputs, state)
    per_step = {i.key for i in program.inputs if i.per == "step"}
    keys = [s.key for s in program.states]
    out = []
    for key in keys:
        norms = []
        for k in range(steps):
            t = steps - 1 - k  # from s_t to s_{T-1}: k steps
            start = {s: np.asarray(cache["steps"][t][s]) for s in keys}
            if k == 0:
                size = int(np.size(start[key]))
                norms.append(float(np.linalg.norm(np.eye(size), 2)))
                continue
            suffix = {
                name: (value[t + 1 :] if name in per_step else value)
                for name, value in inputs.items()
            }
            outputs, sub = gen.forward(params, suffix, start)
            last = outputs[key]  # (k, 1, n): the state at every step of the suffix
            n = int(np.prod(last.shape[2:]))
            rows = []
            for i in range(n):
                g = np.zeros_like(last)
                g[-1].reshape(-1)[i] = 1.0
                grads = gen.backward(params, sub, {key: g})
                rows.append(np.asarray(grads[key]).reshape(-1))
            norms.append(float(np.linalg.norm(np.array(rows), 2)))
        out.append(StateFlow(key, norms, _path(system, key)))
    used = {op.attrs["fn"] for op in program.ops() if "fn" in op.attrs}
    derivatives = [(fn, text, peak) for fn, (text, peak) in DERIVATIVES.items() if fn in used]
    return Flow(rec.index, steps, out, derivatives)


def _path(system: System, key: str) -> list[str]:
    """The summands of the printed dL/d(key)_t that hold dL/d(key)_{t+1} or another
    state's gradient at t+1: the way back from step t+1."""
    from .report.gradients import derive

    params = [k for k, v in system.kinds.items() if v == "parameter"]
    if not params:
        return []
    try:
        d = derive(system, params[0])
    except PapermathError:
        return []
    for eq in d.equations:
        if eq.lhs.key == key and eq.lhs.step is not None:
            later = f"{system.recurrence.index}+1" if system.recurrence else "t+1"
            return [p.lstrip("+ ") for p in eq.parts if later in p]
    return []


def render(flow: Flow) -> str:
    t = flow.index
    lines = [
        f"gradient flow through time: {flow.steps} steps, random parameters (drawn as "
        "PyTorch draws a layer's), random inputs, one example",
    ]
    for s in flow.states:
        lines.append("")
        lines.append(f"state {s.key}: the largest singular value of d{s.key}_T/d{s.key}_(T-k)")
        peak = max(s.norms) or 1.0
        for k, value in enumerate(s.norms):
            bar = "#" * max(0, round(30 * value / peak))
            lines.append(f"  k = {k:2d}  {value:10.3g}  {bar}")
        if s.path:
            lines.append(f"  the way back from step {t}+1 (terms of dL/d{s.key}_{t}):")
            lines += [f"    {p}" for p in s.path]
    if flow.derivatives:
        lines.append("")
        lines.append("each step multiplies by derivatives no larger than:")
        for _fn, text, peak in flow.derivatives:
            lines.append(f"  {text}  (at most {peak:g}, at x = 0)")
    return "\n".join(lines) + "\n"
