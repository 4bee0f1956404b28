r"""Dropout written as a definition by cases (parse/cases.py, read/rules_cases.py), as d2l
writes it: 0 with probability p, h / (1 - p) otherwise, read as a random mask times the value.
Oracles: NumPy and torch written by hand with the same mask, finite differences through
``papermath.check``. Any other ``\begin{cases}`` stays refused at the environment."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import papermath
from papermath.backends.data import random_inputs
from papermath.check import check
from papermath.errors import ParseError

# d2l sec. 5.6, eq. 5.6.1, verbatim, between two layers
D2L = "\n".join(
    [
        r"\mathbf{h} = \sigma(\mathbf{W}_1 \mathbf{x} + \mathbf{b}_1)",
        r"h' = \begin{cases} 0 & \textrm{ with probability } p \\ \frac{h}{1-p} & "
        r"\textrm{ otherwise} \end{cases}",
        r"\mathbf{o} = \mathbf{W}_2 \mathbf{h}' + \mathbf{b}_2",
        r"\mathbf{x} \in \mathbb{R}^{d}, \mathbf{h} \in \mathbb{R}^{n}, "
        r"\mathbf{o} \in \mathbb{R}^{q}, p \in \mathbb{R}",
    ]
)
DIMS = {"d": 3, "n": 5, "q": 2}


def test_the_cases_are_a_random_mask_of_the_values_shape() -> None:
    system = papermath.compile(D2L)
    assert system.shapes["h_prime"] == system.shapes["dropout_mask"] == ("n",)
    assert system.kinds["dropout_mask"] == "input"  # drawn, not learned
    assert system.shapes["W_2"] == ("q", "n") and system.shapes["p"] == ()
    assert any("dropout" in r.reading for r in system.readings)


def test_values_and_gradients_against_numpy_and_torch_by_hand() -> None:
    system = papermath.compile(D2L)
    gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(2)
    params = gen.init_params(rng)
    assert "p" not in params and system.kinds["p"] != "parameter"  # "with probability p": given
    inputs, _ = random_inputs(system.program(DIMS), rng, "sample-first")
    inputs["p"] = np.array(0.3)
    mask = (rng.uniform(size=np.shape(inputs["dropout_mask"])) > 0.3).astype(float)
    inputs["dropout_mask"] = mask
    outputs, cache = gen.forward(params, inputs, {})
    x = np.asarray(inputs["x"], float)
    h = 1 / (1 + np.exp(-(x @ params["W_1"].T + params["b_1"])))
    h_prime = np.where(mask == 1, h / (1 - 0.3), 0.0)
    np.testing.assert_allclose(outputs["h_prime"], h_prime, rtol=1e-12)
    np.testing.assert_allclose(outputs["o"], h_prime @ params["W_2"].T + params["b_2"], rtol=1e-12)

    out_grads = {k: rng.normal(size=np.shape(v)) for k, v in outputs.items()}
    ours = gen.backward(params, cache, out_grads)
    p = {k: torch.tensor(np.asarray(v, float), requires_grad=True) for k, v in params.items()}
    hh = torch.sigmoid(torch.tensor(x) @ p["W_1"].T + p["b_1"])
    hp = torch.tensor(mask) * hh / (1 - 0.3)
    o = hp @ p["W_2"].T + p["b_2"]
    loss = sum(
        (v * torch.tensor(out_grads[k])).sum() for k, v in {"h": hh, "h_prime": hp, "o": o}.items()
    )
    theirs = torch.autograd.grad(loss, [p[k] for k in params])
    for key, want in zip(params, theirs, strict=True):
        np.testing.assert_allclose(ours[key], want.numpy(), rtol=1e-9, atol=1e-12)


def test_check_passes() -> None:
    results = check(papermath.compile(D2L), DIMS)
    assert results and all(r.ok for r in results), results


def test_the_rows_in_the_other_order() -> None:
    source = D2L.replace(
        r"0 & \textrm{ with probability } p \\ \frac{h}{1-p} & \textrm{ otherwise}",
        r"\frac{h}{1-p} & \textrm{otherwise}, \\ 0 & \text{with probability } p",
    )
    assert source != D2L
    assert papermath.compile(source).shapes["h_prime"] == ("n",)


@pytest.mark.parametrize(
    "cases",
    [
        # (a comparison and "otherwise", ReLU by cases, reads: tests/test_cases_comparison.py)
        r"0 & \text{with probability } p \\ 2 h & \text{with probability } q",
        r"1 & \text{with probability } p \\ h & \textrm{otherwise}",  # not 0
        r"0 & \text{with probability } p \\ h & \textrm{otherwise} \\ 1 & \text{else}",
    ],
)
def test_other_cases_are_refused_at_the_environment(cases: str) -> None:
    source = r"y = \begin{cases} " + cases + r" \end{cases}" + "\n" + r"h \in \mathbb{R}^{n}"
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == r"\begin{cases}"
    assert "cases" in err.message and err.hint is not None and "dropout" in err.hint
