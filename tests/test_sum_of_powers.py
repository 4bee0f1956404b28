"""A sum over the orders k of a matrix's powers (read/rules_orders.py): DGL's TAGConv,
``H^{K} = \\sum_{k=0}^{K} (D^{-1/2} A D^{-1/2})^{k} X \\Theta_k``. The generated modules
against the formula computed here by hand (np.linalg.matrix_power, the degree matrix built
from A's row sums), gradients against torch autograd of that formula and papermath check
(finite differences); ranges 0..K, 0..K-1 and 1..K; the near misses refused at the
construct."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.check import check

WILD = Path(__file__).parent / "wild" / "cases" / "dgl_tagconv.toml"
TAG = (
    "H = \\sum_{k=0}^{K} (D^{-1/2} A D^{-1/2})^{k} X \\Theta_k\n"
    "X \\in \\mathbb{R}^{N \\times F}, H \\in \\mathbb{R}^{N \\times G}"
)
DIMS = {"K": 2, "N": 4, "F": 3, "G": 2}


def normalised(a: np.ndarray) -> np.ndarray:
    d = a.sum(axis=1) ** -0.5  # D_ii = \sum_j A_ij
    return d[:, None] * a * d[None, :]


def by_hand(a: np.ndarray, x: np.ndarray, theta: np.ndarray, orders: range) -> np.ndarray:
    s = normalised(a)
    return sum(np.linalg.matrix_power(s, k) @ x @ theta[m] for m, k in enumerate(orders))


def data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(0.1, 1.0, size=(4, 4)), rng.normal(size=(4, 3))


def test_tagconv_reads_as_a_sum_over_orders() -> None:
    case = tomllib.loads(WILD.read_text())
    system = papermath.compile(case["latex"])
    shapes = system.shapes
    assert set(shapes) >= {"H", "X", "A", "D", "Theta"}  # H^{K} is H, not H_K
    n, f_out = shapes["H"]
    assert shapes["A"] == (n, n) and shapes["D"] == (n, n)
    assert shapes["X"][0] == n and shapes["Theta"] == (shapes["X"][1], f_out)
    assert system.kinds["Theta"] == "parameter" and system.kinds["X"] == "input"
    said = {r.reading for r in system.readings}
    assert "sum over the orders k" in said and "H^{K} is H" in said
    assert system.per_order_params == {"Theta": "K + 1"}


@pytest.mark.parametrize(
    ("written", "orders", "stacked"),
    [("k=0}^{K", range(0, 3), 3), ("k=0}^{K-1", range(0, 2), 2), ("k=1}^{K", range(1, 3), 2)],
)
def test_the_numpy_module_equals_the_formula_by_hand(
    written: str, orders: range, stacked: int
) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    gen = papermath.compile(TAG.replace("k=0}^{K", written, 1)).to_numpy(DIMS)
    params = gen.init_params(rng)
    assert params["Theta"].shape == (stacked, 3, 2)  # one Theta per order
    a, x = data(rng)
    outputs, cache = gen.forward(params, {"A": a, "X": x})
    want = by_hand(a, x, params["Theta"], orders)
    np.testing.assert_allclose(outputs["H"], want, rtol=1e-12, atol=1e-14)

    g = rng.normal(size=want.shape)
    grads = gen.backward(params, cache, {"H": g})
    at = torch.tensor(a, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    tt = torch.tensor(params["Theta"], requires_grad=True)
    d = at.sum(dim=1) ** -0.5
    s = d[:, None] * at * d[None, :]
    h = sum(torch.linalg.matrix_power(s, k) @ xt @ tt[m] for m, k in enumerate(orders))
    (h * torch.tensor(g)).sum().backward()
    for key, leaf in (("A", at), ("X", xt), ("Theta", tt)):
        assert leaf.grad is not None
        np.testing.assert_allclose(grads[key], leaf.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_the_torch_module_equals_the_formula_by_hand() -> None:
    torch = pytest.importorskip("torch")
    module = papermath.compile(TAG).to_torch(DIMS, dtype=torch.float64)
    a, x = data(np.random.default_rng(1))
    got = module(A=torch.tensor(a), X=torch.tensor(x))["H"].detach().numpy()
    want = by_hand(a, x, module.Theta.detach().numpy(), range(0, 3))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_check_passes(layout: str) -> None:
    results = check(papermath.compile(TAG), DIMS, layout=layout)
    assert {r.key for r in results} >= {"Theta", "X"}
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]


def refused(latex: str) -> tuple[str, str, str]:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex)
    err = info.value
    assert err.source is not None and err.span is not None, err.render()
    return err.source.text[err.span.start : err.span.end], err.message, err.hint or ""


def test_near_misses_stay_refused() -> None:
    # a number's powers: a geometric series, not a matrix power
    under, message, hint = refused("y = \\sum_{k=0}^{K} (a)^{k}, a \\in \\mathbb{R}")
    assert under == "(a)^{k}" and "square matrix only" in message and "closed form" in hint
    # no parentheses: A^{k} could be a label of A
    under, message, hint = refused("H = \\sum_{k=0}^{K-1} A^{k} X \\Theta_k")
    assert under == "k=0" and "orders or powers" in message and "parentheses" in hint
    # the order among other labels (DGL's ChebConv): a recursion, not read yet
    under, message, hint = refused("h = \\sum_{k=0}^{K-1} W^{k, l} z^{k, l}")
    assert under == "k=0" and "recursion" in hint
    # a range from 2
    under, message, _ = refused("Y = \\sum_{k=2}^{K} (S)^{k} X, S \\in \\mathbb{R}^{N \\times N}")
    assert under == "k=2" and "from 1" in message


def test_the_number_of_orders_needs_a_value() -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(TAG).to_numpy({"N": 4, "F": 3, "G": 2})
    assert "K" in info.value.message


def test_an_order_outside_its_sum_is_refused() -> None:
    """Spektral's ``\\sum_k T^{(k)} W^{(k)} + b^{(k)}``, the bias after the sum ended: which
    order's bias, the source does not say."""
    under, message, hint = refused(
        "Y = \\sum_{k=0}^{K} (S)^{k} X \\Theta_k + b_k, S \\in \\mathbb{R}^{N \\times N}"
    )
    assert under == "b_k" and "outside that sum" in message and "parentheses" in hint


def test_a_sum_over_orders_inside_a_layer_recurrence_passes_check() -> None:
    system = papermath.compile(
        "H^{(l+1)} = \\sum_{k=0}^{K} (S)^{k} H^{(l)} \\Theta_k\n"
        "S \\in \\mathbb{R}^{N \\times N}, H^{(l)} \\in \\mathbb{R}^{N \\times F}"
    )
    results = check(system, {"K": 2, "N": 3, "F": 2, "L": 2})
    assert {r.key for r in results} == {"S", "Theta", "H"}
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]
