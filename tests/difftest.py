"""Differential testing of every backend on random well-typed systems (issue 22).

:func:`random_system` writes LaTeX as a person would: declared inputs and states of several
sizes (vectors and scalars, per step or given once), gates and intermediates, matrix
products with fresh parameters, Hadamard products, concatenations, biases, scalings, every
elementwise function papermath reads, outputs per step and at the end, sums over a batch.
:func:`compare` compiles one and runs every path on the same random float64 values:

- the generated NumPy forward and backward (both layouts),
- the generated torch module with autograd through the plain loop (the oracle: torch's own
  autograd differentiates what the forward computes),
- the generated torch module as run by users: speed passes and the recurrence as one
  ``autograd.Function`` with its backward written out (torch ops; the fused C++ kernels
  where ``PAPERMATH_KERNELS`` allows them),
- central finite differences (``papermath.check``).

Every disagreement is a bug; so is every exception outside PapermathError. The suite runs a
bounded number (tests/test_differential.py); ``python scripts/difftest.py --systems 20000``
runs a campaign and prints its figures.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import papermath
from papermath.backends.data import random_inputs
from papermath.check import check
from papermath.ir.program import GRAPH_KEYS

FUNCTIONS = [
    "\\sigma(@)",
    "\\tanh(@)",
    "\\mathrm{ReLU}(@)",
    "\\operatorname{softplus}(@)",
    "\\mathrm{GELU}(@)",
    "\\mathrm{ELU}(@)",
    "\\sin(@)",
    "\\cos(@)",
    "\\operatorname{sign}(@) \\odot @",
]  # fmt: skip (@: the argument)
SIZES = ["n", "m", "k", "p"]
ATOL = 1e-8
FD_TOLERANCE = 1e-5  # central differences, step 1e-6, relative to the largest entry
EXACT_TOLERANCE = 1e-6  # the generated backward against torch autograd (check's own)


@dataclass
class Gen:
    rng: random.Random
    lines: list[str] = field(default_factory=list)
    decls: list[str] = field(default_factory=list)
    # available values by size ("" = a scalar): LaTeX of each
    avail: dict[str, list[str]] = field(default_factory=dict)
    params: int = 0
    recurrent: bool = False

    def fresh_matrix(self) -> str:
        self.params += 1
        return f"W_{{{self.params}}}"

    def fresh_bias(self) -> str:
        self.params += 1
        return f"b_{{{self.params}}}"

    def fresh_scalar(self) -> str:
        self.params += 1
        return f"\\gamma_{{{self.params}}}"

    def operand(self, size: str) -> str | None:
        got = self.avail.get(size, [])
        return self.rng.choice(got) if got else None

    def expr(self, size: str, depth: int) -> str:
        """A well-typed expression of ``size`` (a size name, or "" for a scalar)."""
        r = self.rng.random()
        if depth <= 0 or r < 0.2:
            leaf = self.operand(size)
            if leaf is not None:
                return leaf
            other = self.rng.choice([s for s in self.avail if s and self.avail[s]] or [""])
            if size and other:  # a projection from another size
                return f"{self.fresh_matrix()} {self.operand(other)}"
            if size:
                return self.fresh_bias()
            return self.fresh_scalar()
        choices = ["proj", "add", "fn", "hadamard", "bias", "scale", "concat", "sub"]
        what = self.rng.choice(choices)
        if what == "proj" and size:
            src = self.rng.choice([s for s in self.avail if s and self.avail[s]] or [size])
            inner = self.operand(src) or self.expr(src, depth - 1)
            return f"{self.fresh_matrix()} {inner}"
        if what == "concat" and size:
            parts = [s for s in self.avail if s and self.avail[s]]
            if len(parts) >= 1:
                a, b = self.rng.choice(parts), self.rng.choice(parts)
                return f"{self.fresh_matrix()} [{self.operand(a)}, {self.operand(b)}]"
        if what in ("add", "sub"):
            a, b = self.expr(size, depth - 1), self.expr(size, depth - 1)
            op = "+" if what == "add" or a == b else "-"  # never a - a: exactly 0, a kink
            return f"{a} {op} {b}"
        if what == "fn":
            f = self.rng.choice(FUNCTIONS)
            inner = self.expr(size, depth - 1)
            return f.replace("@", inner)
        if what == "hadamard" and size:
            a, b = self.paren(self.expr(size, depth - 1)), self.paren(self.expr(size, depth - 1))
            return f"{a} \\odot {b}"
        if what == "bias" and size:
            return f"{self.expr(size, depth - 1)} + {self.fresh_bias()}"
        if what == "scale":
            return f"{self.fresh_scalar()} {self.paren(self.expr(size, depth - 1))}"
        return self.expr(size, depth - 1)

    @staticmethod
    def paren(text: str) -> str:
        return f"({text})" if (" + " in text or " - " in text) else text


def random_system(seed: int) -> tuple[str, dict[str, int]]:
    """LaTeX of a random well-typed system and numbers for its sizes: a recurrence or a
    feed-forward system (7 in 10), a graph layer with sums over neighbours and nodes, or
    values per example with a sum over the batch."""
    rng = random.Random(seed)
    family = rng.random()
    if family < 0.15:
        return graph_system(rng)
    if family < 0.3:
        return batch_system(rng)
    g = Gen(rng)
    sizes = rng.sample(SIZES, rng.randint(1, 3))
    dims = {s: rng.randint(1, 4) for s in sizes}
    recurrent = rng.random() < 0.75
    g.recurrent = recurrent
    step = "_t" if recurrent else ""
    # inputs: one or two per step (or given once), a vector or a scalar
    for k in range(rng.randint(1, 2)):
        name = ["x", "u"][k]
        size = rng.choice([*sizes, ""]) if k else rng.choice(sizes)
        sub = step if (recurrent and (k == 0 or rng.random() < 0.7)) else ""
        g.decls.append(f"{name}{sub} \\in \\mathbb{{R}}" + (f"^{{{size}}}" if size else ""))
        g.avail.setdefault(size, []).append(f"{name}{sub}")
    states: list[tuple[str, str]] = []
    if recurrent:
        for name in rng.sample(["h", "c", "s"], rng.randint(1, 2)):
            size = rng.choice(sizes) if rng.random() < 0.85 else ""
            states.append((name, size))
            g.decls.append(f"{name}_t \\in \\mathbb{{R}}" + (f"^{{{size}}}" if size else ""))
            g.avail.setdefault(size, []).append(f"{name}_{{t-1}}")
    # gates and intermediates, then each state's update, then outputs
    for k in range(rng.randint(0, 2)):
        size = rng.choice(sizes)
        name = ["f", "g", "z"][k]
        g.lines.append(f"{name}{step} = \\sigma({g.expr(size, 2)})")
        g.avail.setdefault(size, []).append(f"{name}{step}")
    for name, size in states:  # bounded updates, as cells have: no value blows up
        rhs = f"\\tanh({g.expr(size, 3)})"
        if rng.random() < 0.3 and size:  # an LSTM-like carry: f * c_{t-1} + new
            gate = f"\\sigma({g.expr(size, 1)})"
            rhs = f"{gate} \\odot {name}_{{t-1}} + {rhs}"
        g.lines.append(f"{name}_t = {rhs}")
    if not states or rng.random() < 0.6:
        size = rng.choice([*sizes, ""])
        g.lines.append(f"y{step} = {g.expr(size, 2)}")
    if rng.random() < 0.2:
        size = rng.choice(sizes)
        out = f"o{step}"
        g.lines.append(f"{out} = {g.fresh_matrix()} {g.operand(size) or g.expr(size, 1)}")
        g.decls.append(f"{out} \\in \\mathbb{{R}}^{{{rng.choice(sizes)}}}")
    if recurrent and states and rng.random() < 0.25:  # an output at the end: the last state
        name, size = rng.choice(states)
        if size:
            g.lines.append(f"q = {g.fresh_matrix()} {name}_T")
            g.decls.append(f"q \\in \\mathbb{{R}}^{{{rng.choice(sizes)}}}")
    text = "\n".join(g.lines) + "\n" + ", ".join(g.decls)
    return text, dims


def graph_system(rng: random.Random) -> tuple[str, dict[str, int]]:
    """A graph layer: messages summed over each node's neighbours, a readout over the nodes."""
    g = Gen(rng)
    m, n = rng.sample(SIZES, 2)
    g.avail = {m: ["x_u"]}
    message = g.expr(m, 1)
    a = f"a_v = \\sum_{{u \\in \\mathcal{{N}}(v)}} {g.fresh_matrix()} {g.paren(message)}"
    g.avail = {m: ["x_v"], n: ["a_v"]}
    h = f"h_v = \\tanh({g.expr(n, 2)})"
    g.avail = {n: ["h_v"], m: ["x_v"]}
    body = g.expr(rng.choice([n, m]), 2)
    readout = f"r = \\sum_{{v \\in V}} {g.paren(body)}"
    decls = f"x_v \\in \\mathbb{{R}}^{{{m}}}, h_v \\in \\mathbb{{R}}^{{{n}}}"
    text = "\n".join([a, h, readout, decls])
    return text, {m: rng.randint(1, 4), n: rng.randint(1, 4)}


def batch_system(rng: random.Random) -> tuple[str, dict[str, int]]:
    """Values per example i and their mean over the batch (batch norm's shape of things)."""
    g = Gen(rng)
    k, n = rng.sample(SIZES, 2)
    g.avail = {k: ["x_i"]}
    z = f"z_i = {g.fresh_matrix()} {g.paren(g.expr(k, 1))}"
    mean = "\\mu = \\frac{1}{B} \\sum_{i=1}^{B} z_i"
    g.avail = {n: ["z_i", "\\mu"]}
    y = f"y_i = \\tanh({g.expr(n, 2)})"
    decls = f"x_i \\in \\mathbb{{R}}^{{{k}}}, z_i \\in \\mathbb{{R}}^{{{n}}}"
    return "\n".join([z, mean, y, decls]), {k: rng.randint(1, 4), n: rng.randint(1, 4)}


@dataclass
class Outcome:
    seed: int
    text: str
    status: str  # "agree", "refused", "disagree", "crash"
    detail: str = ""


def _t64(a: Any) -> Any:
    import torch

    return torch.as_tensor(np.asarray(a), dtype=torch.float64)


def _torch_outputs(module: Any, inputs: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    import torch

    kwargs = {k: (torch.as_tensor(v) if k in GRAPH_KEYS else _t64(v)) for k, v in inputs.items()}
    kwargs.update({k: _t64(v) for k, v in state.items()})
    return {k: v.detach().numpy() for k, v in module(**kwargs).items()}


def compare(seed: int, text: str | None = None, dims: dict[str, int] | None = None) -> Outcome:
    """Every path on one random system (see the module's docstring)."""
    import torch

    if text is None:
        text, dims = random_system(seed)
    try:
        system = papermath.compile(text)
    except papermath.PapermathError as exc:
        return Outcome(seed, text, "refused", exc.render())
    try:
        all_dims = {n: (dims or {}).get(n, 3) for n in system.size_names()}
        all_dims = {**all_dims, **system.dims}
        for layout in ("sample-first", "dim-first"):
            gen = system.to_numpy(all_dims, layout)
            params = gen.init_params(np.random.default_rng(seed))
            program = system.program(all_dims)
            inputs, state = random_inputs(program, np.random.default_rng(seed + 1), layout)
            want, _ = gen.forward(params, inputs, state)
            for fast, steps in ((False, False), (True, True)):
                module = system.to_torch(
                    all_dims, dtype=torch.float64, layout=layout, fast=fast, steps=steps
                )
                with torch.no_grad():
                    for key, p in module.named_parameters():
                        p.copy_(_t64(params[key]))
                got = _torch_outputs(module, inputs, state)
                for key in want:
                    same = np.allclose(got[key], want[key], atol=ATOL, rtol=1e-7, equal_nan=True)
                    if not same:
                        worst = float(np.max(np.abs(np.asarray(got[key]) - want[key])))
                        return Outcome(
                            seed, text, "disagree",
                            f"{layout} fast={fast} steps={steps}: forward {key} differs "
                            f"from NumPy by {worst:.3g}",
                        )  # fmt: skip
            for r in check(system, all_dims, layout, seed=seed):
                # two exact gradients agree to rounding; finite differences to their own error
                if r.fd_error > FD_TOLERANCE or (r.torch_error or 0.0) > EXACT_TOLERANCE:
                    return Outcome(
                        seed, text, "disagree",
                        f"{layout}: gradient of {r.key}: finite differences {r.fd_error:.3g}, "
                        f"torch autograd {r.torch_error}",
                    )  # fmt: skip
    except papermath.PapermathError as exc:
        return Outcome(seed, text, "refused", exc.render())
    except Exception as exc:  # every other exception is a bug
        return Outcome(seed, text, "crash", f"{type(exc).__name__}: {exc}")
    return Outcome(seed, text, "agree")


def mutate(
    text: str, choose: Callable[[list[str]], str], integer: Callable[[int, int], int]
) -> str:
    """1 to 4 random edits of ``text`` (delete, insert a token, swap two characters, cut),
    drawn with ``choose`` and ``integer`` (random's, or hypothesis's in tests/test_fuzz.py)."""
    from test_fuzz import TOKENS

    for _ in range(integer(1, 4)):
        op = choose(["delete", "insert", "swap", "cut"])
        i = integer(0, max(0, len(text) - 1))
        if op == "delete":
            text = text[:i] + text[integer(i, min(len(text), i + 8)) :]
        elif op == "insert":
            text = text[:i] + choose(TOKENS) + text[i:]
        elif op == "swap" and len(text) > 1:
            j = integer(0, len(text) - 1)
            chars = list(text)
            chars[i], chars[j] = chars[j], chars[i]
            text = "".join(chars)
        else:
            text = text[:i]
    return text


def mutated_text(seed: int) -> str:
    """A text of the corpus, the catalog or the papers' notation with random edits."""
    from test_fuzz import SEEDS

    rng = random.Random(seed)
    return mutate(rng.choice(SEEDS), rng.choice, rng.randint)
