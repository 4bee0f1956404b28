"""Session 10, helper LISA7: a sum written out with dots between its first and last terms
(read/rules_dotted_terms.py), and the powers of a number with the order shifted,
``\\xi^{i-1}`` (read/rules_orders.py).

Oracles: the sums written by hand in NumPy (a loop over the terms, ``np.polyval`` for the
polynomial), torch autograd for the gradients, float64 finite differences (``check``).
"""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath.check import check

POLY = "A polynomial of the form:\nm = \\sum_{i=1}^{n} w_i \\xi^{i-1}\n\\xi \\in \\mathbb{R}"
DOTTED = "y = w_{1}x_{1} + \\cdots + w_{n}x_{n}, w \\in \\mathbb{R}^{n}, x \\in \\mathbb{R}^{n}"


def refused(latex: str) -> tuple[str, str, str]:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex)
    err = info.value
    assert err.source is not None and err.span is not None, err.render()
    return err.source.text[err.span.start : err.span.end], err.message, err.hint or ""


@pytest.mark.parametrize(
    "latex",
    [
        DOTTED,
        "y = w_1 x_1 + w_2 x_2 + \\dots + w_n x_n, w \\in \\mathbb{R}^{n}, x \\in \\mathbb{R}^{n}",
        "y = w_{1}x_{1}+\\ldots+w_{n}x_{n}, w \\in \\mathbb{R}^{n}, x \\in \\mathbb{R}^{n}",
    ],
)
def test_a_dotted_sum_is_the_sum_of_its_terms(latex: str) -> None:
    system = papermath.compile(latex)
    assert system.shapes["y"] == ()
    assert system.shapes["w"] == system.shapes["x"] and len(system.shapes["x"]) == 1
    assert any(r.reading.startswith("the sum over i = 1..n") for r in system.readings)
    rng = np.random.default_rng(0)
    gen = system.to_numpy({"n": 5})
    params = gen.init_params(rng)
    x = rng.normal(size=5)
    out, _ = gen.forward(params, {"x": x})
    want = sum(params["w"][i] * x[i] for i in range(5))  # the terms, one by one
    np.testing.assert_allclose(out["y"], want, rtol=1e-12)


def test_a_dotted_sum_from_zero_counts_its_terms_as_written() -> None:
    # x_0 + ... + x_N: N + 1 terms; refused as \sum_{i=0}^{N} is (which size? n or n + 1)
    text, message, _ = refused("s = x_0 + \\cdots + x_N, x \\in \\mathbb{R}^{N}")
    assert text == "\\cdots" and "N + 1 terms" in message, (text, message)


@pytest.mark.parametrize(
    ("latex", "at"),
    [
        ("s = a_1 + \\cdots + b_n, a \\in \\mathbb{R}^{n}, b \\in \\mathbb{R}^{n}", "\\cdots"),
        ("s = a_1 + a_3 + \\dots + a_n, a \\in \\mathbb{R}^{n}", "\\dots"),
        ("s = a_1 + \\cdots + a_{n-1}, a \\in \\mathbb{R}^{n}", "\\cdots"),
        ("s = a_2 + \\cdots + a_n, a \\in \\mathbb{R}^{n}", "\\cdots"),
        ("s = a_1 n + \\cdots + a_n n, a \\in \\mathbb{R}^{n}", "\\cdots"),
    ],
)
def test_dots_that_are_no_pattern_stay_refused(latex: str, at: str) -> None:
    text, message, _ = refused(latex)
    assert text == at and "as a value" in message, (text, message)


def test_the_shifted_power_of_a_number_is_the_polynomial() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(POLY)
    assert system.shapes["m"] == () and system.shapes["w"] == ()
    assert system.per_order_params == {"w": "n"}
    rng = np.random.default_rng(1)
    gen = system.to_numpy({"n": 4})
    params = gen.init_params(rng)
    assert params["w"].shape == (4,)
    assert system.kinds["xi"] == "parameter"  # nothing calls it an input here
    xi = params["xi"]
    out, cache = gen.forward(params, {})
    want = sum(params["w"][i] * xi**i for i in range(4))  # w_1 + w_2 xi + ... + w_4 xi^3
    np.testing.assert_allclose(out["m"], want, rtol=1e-12)
    np.testing.assert_allclose(out["m"], np.polyval(params["w"][::-1], xi), rtol=1e-12)

    grads = gen.backward(params, cache, {"m": np.float64(1.0)})
    wt = torch.tensor(params["w"], requires_grad=True)
    xt = torch.tensor(float(xi), dtype=torch.float64, requires_grad=True)
    sum(wt[i] * xt**i for i in range(4)).backward()
    assert wt.grad is not None and xt.grad is not None
    np.testing.assert_allclose(grads["w"], wt.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(grads["xi"], xt.grad.numpy(), rtol=1e-10)


def test_the_shifted_power_passes_check() -> None:
    results = check(papermath.compile(POLY), {"n": 4})
    assert results and all(r.ok for r in results), [(r.key, r.fd_error) for r in results]


def test_a_negative_first_power_stays_refused() -> None:
    text, message, _ = refused("s = \\sum_{k=0}^{K} \\beta^{k-1}")
    assert "orders or powers" in message, (text, message)


def test_weights_of_a_number_s_powers_stay_refused_without_a_word() -> None:
    # no "polynomial", no declaration: the i-th entry of w, or one w per order?
    text, message, _ = refused("m = \\sum_{i=1}^{n} w_i \\xi^{i-1}")
    assert text == "w_i" and "carries i" in message


FAMILY = (
    "The model is a polynomial:\n"
    "\\text{model}(\\xi)=w_{1}p_{1}(\\xi)+\\cdots+w_{n}p_{n}(\\xi)"
    "\\qquad p_{i}=\\xi\\mapsto\\xi^{i-1}"
)


def test_a_dotted_sum_of_a_monomial_family_is_the_polynomial() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(FAMILY)
    assert system.kinds["xi"] == "input" and system.kinds["w"] == "parameter"
    assert system.per_order_params == {"w": "n"}  # w_1 .. w_n, one number per order
    rng = np.random.default_rng(2)
    gen = system.to_numpy({"n": 4})
    params = gen.init_params(rng)
    xi = rng.normal(size=6)  # a batch of six points
    out, cache = gen.forward(params, {"xi": xi})
    np.testing.assert_allclose(out["model"], np.polyval(params["w"][::-1], xi), rtol=1e-12)
    g = rng.normal(size=6)
    grads = gen.backward(params, cache, {"model": g})
    wt = torch.tensor(params["w"], requires_grad=True)
    xt = torch.tensor(xi, requires_grad=True)
    (sum(wt[i] * xt**i for i in range(4)) * torch.tensor(g)).sum().backward()
    assert wt.grad is not None and xt.grad is not None
    np.testing.assert_allclose(grads["w"], wt.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(grads["xi"], xt.grad.numpy(), rtol=1e-10)


def test_the_distill_model_without_a_word_stays_refused_at_its_weights() -> None:
    # the case as cut: no "polynomial" in its sentence, w undeclared (see the report)
    text, message, _ = refused(FAMILY.split("\n", 1)[1])
    assert text == "w_{n}" and "carries i" in message


def test_the_index_is_none_another_sum_binds() -> None:
    system = papermath.compile(
        "y = a_1 + \\cdots + a_n \\\\\n"
        "z = \\sum_{i=1}^{m} b_i, a \\in \\mathbb{R}^{n}, b \\in \\mathbb{R}^{m}"
    )
    assert system.shapes["a"] != system.shapes["b"]  # n and m stay two sizes
    assert any(r.reading == "the sum over j = 1..n" for r in system.readings)
    gen = system.to_numpy({"n": 3, "m": 5})
    params = gen.init_params(np.random.default_rng(3))
    out, _ = gen.forward(params, {})
    np.testing.assert_allclose(out["y"], params["a"].sum(), rtol=1e-12)
    np.testing.assert_allclose(out["z"], params["b"].sum(), rtol=1e-12)


def test_a_weight_declared_a_number_is_one_number_per_order() -> None:
    # r \in R: each r_k a number (r has no entries), so one per order: the discounted sum
    system = papermath.compile("G = \\sum_{k=0}^{K} \\gamma^k r_k, r \\in \\mathbb{R}")
    assert system.per_order_params == {"r": "K + 1"}
    gen = system.to_numpy({"K": 3})
    params = gen.init_params(np.random.default_rng(4))
    out, _ = gen.forward(params, {})
    gamma, r = params["gamma"], params["r"]
    np.testing.assert_allclose(out["G"], sum(gamma**k * r[k] for k in range(4)), rtol=1e-12)
