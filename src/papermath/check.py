"""``papermath check``: the generated backward pass against independent oracles.

For a random scalar loss L = sum_k <G_k, output_k> (random G), the generated NumPy
``backward`` gives dL/d(every parameter, input and initial state). It is compared with

- float64 central finite differences of the generated ``forward`` (step 1e-6), and
- torch autograd through the generated ``nn.Module``, where torch is installed.

The error of a symbol is max |ours - theirs| / max(max |ours|, max |theirs|, 1e-8): the
worst entry, relative to the size of the gradient.

Where the only gap for code is an activation the source does not name (``\\sigma_y``),
``papermath check`` runs this once with each stand-in (sigmoid, tanh, relu) and says so
(standin.py); likewise mean, sum and max for an aggregator over the neighbours it does not
name (``\\mathrm{AGGREGATE}_k``); :func:`check` itself refuses such a system as ``code`` does.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .backends.data import random_inputs, within_budget
from .backends.kernel_cache import never_build
from .ir.program import GRAPH_KEYS
from .ir.zero_pad import widen
from .ops.structure import label_inputs
from .read import terms as t

if TYPE_CHECKING:
    from .system import System

TOLERANCE = 1e-6
FD_STEP = 1e-6
MAX_ENTRIES = 48  # finite differences per symbol: all entries up to this, else a sample


@dataclass(frozen=True)
class SymbolCheck:
    key: str
    what: str  # parameter, input, initial state
    fd_error: float
    torch_error: float | None
    entries: int  # entries compared by finite differences

    @property
    def ok(self) -> bool:
        worst = max(self.fd_error, self.torch_error or 0.0)
        return worst <= TOLERANCE


def rel_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-8) -> float:
    """max |a - b| over the larger of max |a|, max |b| and ``floor``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = max(float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)), floor)
    return float(np.abs(a - b).max(initial=0.0)) / scale


def default_dims(system: System, dims: dict[str, int] | None) -> dict[str, int]:
    """Numbers for every size: the given ones, then small distinct ones for the rest."""
    out = {**system.dims, **(dims or {})}
    names: list[str] = []
    from .shapes.sizes import Size

    for shape in list(system.typed_shapes.values()) + [
        f for pair in system.typed_functions.values() for f in [(pair[0],), (pair[1],)]
    ]:
        for s in shape:
            for whole in s.names:
                for n in Size.factors(whole):  # h·d_v: a number for h and one for d_v
                    if n not in out and n not in system.solved and n not in names:
                        names.append(n)
    if system.step_count is not None and system.step_count not in out:
        names.append(system.step_count)  # the number of steps, for parameters per step
    read = system._read  # m of batch norm's 1/m: the batch's own count, at run time
    for info in read.indices.values() if read else ():  # W of v_w, w = 1..W: a table's rows
        if info.kind == "table" and info.size and info.size not in {*out, *names}:
            names.append(info.size)  # (read/rules_table_rows.py)
    batch = {i.size for i in read.indices.values() if i.kind == "batch"} if read else set()
    batch |= read.batch_counts if read else set()
    for eq in system.equations:  # a size used only as a number (N of \frac{1}{N} \sum_i)
        for x in t.walk(eq.rhs):
            if isinstance(x, t.SizeValue) and x.name not in {*out, *batch, *names}:
                names.append(x.name)
    for k, n in enumerate(names):
        out[n] = 2 + k % 3
    widen(system, out, names)  # x_i \| 0: the state wider than x_i (ir/zero_pad.py)
    return out


def check(
    system: System,
    dims: dict[str, int] | None = None,
    layout: str = "sample-first",
    seed: int = 0,
    use_torch: bool = True,
) -> list[SymbolCheck]:
    dims = default_dims(system, dims)
    program = system.program(dims)
    within_budget(program, "checking these sizes", N=10 if program.per_node else 3)
    gen = system.to_numpy(dims, layout)
    rng = np.random.default_rng(seed)
    params = gen.init_params(rng)
    inputs, state = random_inputs(program, rng, layout)
    fixed = {*GRAPH_KEYS, *label_inputs(program)}  # edges, labels (f_{y_i}): no gradient
    with np.errstate(invalid="ignore"):
        outputs, cache = gen.forward(params, inputs, state)
    if not all(np.all(np.isfinite(v)) for v in outputs.values()):
        # the draw left the model's domain (Adam's \sqrt{\hat v_t} with v_0 < 0): draw again,
        # every value in (0.1, 0.9), where such a model is defined
        params, inputs, state = (
            {k: v if k in fixed else rng.uniform(0.1, 0.9, size=np.shape(v)) for k, v in d.items()}
            for d in (params, inputs, state)
        )
        outputs, cache = gen.forward(params, inputs, state)
    out_grads = {k: rng.normal(size=np.shape(v)) for k, v in outputs.items()}
    grads = gen.backward(params, cache, out_grads)

    def loss(p: dict[str, Any], x: dict[str, Any], s: dict[str, Any]) -> float:
        out, _ = gen.forward(p, x, s)
        return float(sum(np.sum(out_grads[k] * out[k]) for k in out))

    # a central difference carries rounding noise of about eps * (the loss's terms) / step:
    # a gradient below noise / TOLERANCE (zero, where terms cancel: x + b - x) is judged
    # against that floor, not against itself
    terms = sum(float(np.sum(np.abs(out_grads[k] * outputs[k]))) for k in outputs)
    noise = np.finfo(float).eps * max(terms, 1.0) / FD_STEP
    floor = max(1e-8, noise / TOLERANCE)

    torch_grads = None
    if use_torch and importlib.util.find_spec("torch") is not None:
        with never_build():  # the mathematics: a fused kernel built before, else torch ops
            torch_grads = _torch_grads(
                system, dims, layout, params, inputs, state, out_grads, fixed
            )

    results = []
    # a state carried backwards in time (h_t from h_{t+1}) is given after the last step
    backward = {s.key for s in program.states if s.backward}
    groups = [("parameter", params), ("input", inputs), ("initial state", state)]
    for what, table in groups:
        for key in table:
            if key in fixed:
                continue
            if what == "initial state" and key in backward:
                what_here = "state after the last step"
            else:
                what_here = what
            fd, ours = _finite_differences(loss, params, inputs, state, table, key, grads[key], rng)
            theirs = None if torch_grads is None else rel_error(grads[key], torch_grads[key])
            error = rel_error(ours, fd, floor)
            results.append(SymbolCheck(key, what_here, error, theirs, len(fd)))
    return results


def _finite_differences(
    loss: Any,
    params: dict[str, Any],
    inputs: dict[str, Any],
    state: dict[str, Any],
    table: dict[str, Any],
    key: str,
    grad: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    base = np.array(table[key], dtype=float)
    flat = base.reshape(-1)
    count = flat.size
    picks = (
        np.arange(count) if count <= MAX_ENTRIES else rng.choice(count, MAX_ENTRIES, replace=False)
    )
    fd = np.empty(len(picks))
    for n, idx in enumerate(picks):
        values = []
        for sign in (1.0, -1.0):
            bumped = flat.copy()
            bumped[idx] += sign * FD_STEP
            table[key] = bumped.reshape(base.shape)
            values.append(loss(params, inputs, state))
        fd[n] = (values[0] - values[1]) / (2 * FD_STEP)
    table[key] = base
    return fd, np.asarray(grad, dtype=float).reshape(-1)[picks]


def _torch_grads(
    system: System,
    dims: dict[str, int],
    layout: str,
    params: dict[str, Any],
    inputs: dict[str, Any],
    state: dict[str, Any],
    out_grads: dict[str, Any],
    fixed: Collection[str] = GRAPH_KEYS,
) -> dict[str, np.ndarray]:
    import torch

    module = system.to_torch(dims, dtype=torch.float64, layout=layout)
    with torch.no_grad():
        for k, p in module.named_parameters():
            p.copy_(torch.as_tensor(params[k]))
    leaves = {}
    kwargs: dict[str, Any] = {}
    for k, v in {**inputs, **state}.items():
        if k in fixed:
            kwargs[k] = torch.as_tensor(v)
            continue
        leaves[k] = torch.tensor(np.asarray(v, dtype=float), requires_grad=True)
        kwargs[k] = leaves[k]
    out = module(**kwargs)
    total = sum((out[k] * torch.as_tensor(g)).sum() for k, g in out_grads.items())
    params_t = dict(module.named_parameters())
    wrt = list(params_t.values()) + list(leaves.values())
    got = torch.autograd.grad(total, wrt, allow_unused=True)
    names = list(params_t) + list(leaves)
    shapes = {
        **{k: p.shape for k, p in params_t.items()},
        **{k: t.shape for k, t in leaves.items()},
    }
    return {
        n: (g.detach().numpy() if g is not None else np.zeros(tuple(shapes[n])))
        for n, g in zip(names, got, strict=True)
    }


def report(results: list[SymbolCheck]) -> str:
    rows = [("symbol", "kind", "finite differences", "torch autograd", "")]
    for r in results:
        rows.append(
            (
                r.key,
                r.what,
                f"{r.fd_error:.1e} ({r.entries} entries)",
                "-" if r.torch_error is None else f"{r.torch_error:.1e}",
                "ok" if r.ok else "FAIL",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    worst = max((max(r.fd_error, r.torch_error or 0.0) for r in results), default=0.0)
    verdict = "ok" if all(r.ok for r in results) else "FAILED"
    lines.append(f"\nworst relative error {worst:.1e} (tolerance {TOLERANCE:.0e}): {verdict}")
    return "\n".join(lines)
