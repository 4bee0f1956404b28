"""The recurrence as one generated autograd.Function (backends/steps.py) against autograd
through the plain generated loop (the oracle), float64: every output, the gradient of every
parameter and initial state, for every recurrent catalog entry and papers' cells."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import papermath
from papermath import catalog
from papermath.backends.data import random_inputs
from papermath.backends.steps import unsupported
from papermath.check import default_dims

PEEPHOLE = r"""
i_t = \sigma(W_{xi} x_t + W_{hi} h_{t-1} + w_{ci} \odot c_{t-1} + b_i)
f_t = \sigma(W_{xf} x_t + W_{hf} h_{t-1} + w_{cf} \odot c_{t-1} + b_f)
c_t = f_t \odot c_{t-1} + i_t \odot \tanh(W_{xc} x_t + W_{hc} h_{t-1} + b_c)
o_t = \sigma(W_{xo} x_t + W_{ho} h_{t-1} + w_{co} \odot c_t + b_o)
h_t = o_t \odot \tanh(c_t)
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}
"""
ELMAN_RELU = r"""
h_t = \mathrm{ReLU}(W h_{t-1} + U x_t + b) / 2 - 0.1 h_{t-1}
y_t = \exp(V h_t) \odot (1 - \sigma(V h_t))
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}, y_t \in \mathbb{R}^{q}
"""
SOURCES = {name: catalog.latex(name) for name in catalog.names()}
SOURCES.update(peephole=PEEPHOLE, elman_relu=ELMAN_RELU)
RECURRENT = [k for k, v in SOURCES.items() if papermath.compile(v).recurrence is not None]


def pair(
    name: str, inputs_grad: bool = True
) -> tuple[torch.nn.Module, torch.nn.Module, dict[str, torch.Tensor], list[str]]:
    """Ours and the oracle with the same weights, inputs and initial states; the names of
    what is differentiated besides the parameters (the initial states, and with
    ``inputs_grad`` every input of floats: x's gradient, one product after the loop)."""
    system = papermath.compile(SOURCES[name])
    dims = default_dims(system, None)
    program = system.program(dims, fast=True)
    assert unsupported(program, "sample-first") is None, name
    ours = system.to_torch(dims, dtype=torch.float64)
    oracle = system.to_torch(dims, dtype=torch.float64, steps=False)
    oracle.load_state_dict(ours.state_dict())
    inputs, state = random_inputs(program, np.random.default_rng(1), "sample-first", T=7)
    tensors = {k: torch.tensor(v) for k, v in {**inputs, **state}.items()}
    wrt = [*state, *(k for k in inputs if inputs_grad and tensors[k].is_floating_point())]
    for k in wrt:
        tensors[k].requires_grad_(True)
    return ours, oracle, tensors, wrt


@pytest.mark.parametrize("name", RECURRENT)
def test_the_generated_backward_equals_autograd_through_the_loop(name: str) -> None:
    ours, oracle, x, states = pair(name)
    assert "_Steps" in type(ours).forward.__globals__  # the Function runs the loop
    assert "_Steps" not in type(oracle).forward.__globals__
    out_a, out_b = ours(**x), oracle(**x)
    assert out_a.keys() == out_b.keys()
    gen = torch.Generator().manual_seed(0)
    weights = {k: torch.randn(v.shape, generator=gen, dtype=v.dtype) for k, v in out_b.items()}
    for k in out_a:
        torch.testing.assert_close(out_a[k], out_b[k], atol=1e-12, rtol=0)
    loss_a = sum((out_a[k] * w).sum() for k, w in weights.items())
    loss_b = sum((out_b[k] * w).sum() for k, w in weights.items())
    wrt_a = [*ours.parameters(), *(x[k] for k in states)]
    wrt_b = [*oracle.parameters(), *(x[k] for k in states)]
    for g_a, g_b in zip(torch.autograd.grad(loss_a, wrt_a), torch.autograd.grad(loss_b, wrt_b),
                        strict=True):  # fmt: skip
        torch.testing.assert_close(g_a, g_b, atol=1e-10, rtol=0)


@pytest.mark.parametrize("name", ["lstm", "gru"])
def test_one_output_asked_the_others_unused(name: str) -> None:
    """nn.LSTM's use: only h returned and differentiated; the other outputs get no gradient,
    nor the inputs (x's gradient is not computed: ctx.needs_input_grad)."""
    ours, oracle, x, states = pair(name, inputs_grad=False)
    h_a = ours(returns=["h"], **x)["h"]
    h_b = oracle(returns=["h"], **x)["h"]
    g_a = torch.autograd.grad(h_a.square().sum(), [*ours.parameters(), *(x[k] for k in states)])
    g_b = torch.autograd.grad(h_b.square().sum(), [*oracle.parameters(), *(x[k] for k in states)])
    for a, b in zip(g_a, g_b, strict=True):
        torch.testing.assert_close(a, b, atol=1e-10, rtol=0)


def test_what_has_no_rule_keeps_autograd_through_the_loop() -> None:
    """Graphs (GG-NN's typed propagation) and the dim-first layout: the plain loop."""
    from conftest import ROOT

    ggnn = papermath.compile((ROOT / "examples" / "ggnn_babi" / "propagation.tex").read_text())
    program = ggnn.program({"D": 3, "K": 2, "T": 2}, fast=True)
    assert unsupported(program, "sample-first") is not None
    assert "_Steps" not in ggnn.torch_source({"D": 3, "K": 2, "T": 2})
    lstm = catalog.load("lstm")
    assert "_Steps" not in lstm.torch_source({"m": 3, "n": 2}, layout="dim-first")
    assert "_Steps" in lstm.torch_source({"m": 3, "n": 2})
