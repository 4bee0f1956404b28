"""Generated backward passes against finite differences and torch autograd."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import papermath
from conftest import corpus_cases
from papermath import catalog
from papermath.backends.data import random_inputs
from papermath.check import check, default_dims
from papermath.ir.program import GRAPH_KEYS

ACTIVE = [
    (n, c)
    for n, c in corpus_cases(readable_only=True)
    if not c.get("stretch") and "error" not in c.get("expect", {})
]


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
@pytest.mark.parametrize("name", catalog.names())
def test_catalog_passes_check(name: str, layout: str) -> None:
    results = check(catalog.load(name), layout=layout)
    assert results and all(r.ok for r in results), [r for r in results if not r.ok]
    assert {r.what for r in results} >= {"parameter", "input"}


@pytest.mark.parametrize(("name", "case"), ACTIVE, ids=[n for n, _ in ACTIVE])
def test_corpus_passes_check(name: str, case: dict[str, Any]) -> None:
    system = papermath.compile(case["latex"], case.get("dims"))
    dims = {**case.get("dims", {}), **system.dims_from_values(case.get("values", {}))}
    results = check(system, dims)
    assert results and all(r.ok for r in results), [r for r in results if not r.ok]
    for r in results:  # the check can fail: both oracles really ran
        assert r.entries > 0 and r.torch_error is not None


def test_check_catches_a_wrong_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    """A backward with tanh' written as 1 - tanh (not 1 - tanh^2) must fail the check."""
    from papermath.backends.load import load_module

    system = catalog.load("lstm")
    original = papermath.System.numpy_source

    def broken(self: papermath.System, *args: Any, **kwargs: Any) -> str:
        source = original(self, *args, **kwargs)
        assert "(1.0 - C_tilde ** 2)" in source
        return source.replace("(1.0 - C_tilde ** 2)", "(1.0 - C_tilde)")

    monkeypatch.setattr(papermath.System, "numpy_source", broken)
    monkeypatch.setattr(
        papermath.System,
        "to_numpy",
        lambda self, dims=None, layout="sample-first": load_module(
            self.numpy_source(dims, layout), "broken"
        ),
    )
    results = check(system)
    bad = {r.key for r in results if not r.ok}
    assert {"W_C", "b_C"} <= bad, bad  # (through time, the error reaches the rest too)


@pytest.mark.parametrize("name", catalog.names())
def test_numpy_backward_equals_torch_autograd(name: str) -> None:
    """Absolute agreement 1e-10 in float64: BPTT over 6 steps from non-zero initial states,
    the readout over a batch of graphs of different sizes."""
    system = catalog.load(name)
    dims = default_dims(system, None)
    program = system.program(dims)
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(7)
    params = gen.init_params(rng)
    inputs, state = random_inputs(program, rng, T=6, N=3, graphs=(2, 6, 3, 1))
    assert all(np.abs(v).max() > 0 for v in state.values())
    out, cache = gen.forward(params, inputs, state)
    og = {k: rng.normal(size=v.shape) for k, v in out.items()}
    grads = gen.backward(params, cache, og)

    module = system.to_torch(dims, dtype=torch.float64)
    with torch.no_grad():
        for k, p in module.named_parameters():
            p.copy_(torch.as_tensor(params[k]))
    leaves = {
        k: torch.tensor(v, requires_grad=True)
        for k, v in {**inputs, **state}.items()
        if k not in GRAPH_KEYS
    }
    kwargs: dict[str, Any] = dict(leaves)
    kwargs.update({k: torch.as_tensor(inputs[k]) for k in GRAPH_KEYS if k in inputs})
    got = module(**kwargs)
    sum((got[k] * torch.as_tensor(g)).sum() for k, g in og.items()).backward()
    for k, p in module.named_parameters():
        np.testing.assert_allclose(grads[k], p.grad.numpy(), atol=1e-10, rtol=0, err_msg=k)
    for k, leaf in leaves.items():
        assert leaf.grad is not None
        np.testing.assert_allclose(grads[k], leaf.grad.numpy(), atol=1e-10, rtol=0, err_msg=k)


def test_values_computed_once_beside_a_recurrence_have_gradients() -> None:
    """Found by a long fuzz run: a value computed once, outside the loop over steps (i_t =
    \\sigma, with sigma a parameter), must reach the backward pass."""
    system = papermath.compile("f_t = \\sigma(W_f [h_{t-1}, x_t] + b_f)\ni_t = \\sigma")
    results = check(system)
    assert results and all(r.ok for r in results), [r for r in results if not r.ok]
    assert "sigma" in {r.key for r in results}
