"""Issue 24, helper GRAPH3: the inverse degree matrix by GCN's convention
(read/rules_degree_inverse.py), a weight written where a weight is (read/rules_parallel_weights.py),
a value carrying the order after a sum over the orders (read/rules_order_bias.py), a graph
Laplacian defined from the normalised adjacency before node values
(shapes/rules_propagation.py), and a learnable first value of a capital letter mapped row by
row (read/rules_row_states.py, off until its wild case's expectation is fixed).

Oracles: the layers computed here by hand in NumPy (the mean over the neighbours as A's rows
divided by their sums, the Chebyshev recurrence T_k = 2 L T_{k-1} - T_{k-2} by a loop), torch
autograd of the same loops, and the wild corpus cases as written."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath

WILD = Path(__file__).parent / "wild" / "cases"

SPARSE = (
    r"h^{(k)} = D^{-1} A \cdot h^{(k - 1)} {W^{(k)}}^T + h^{(k - 1)} {B^{(k)}}^T, "
    r"h^{(k)} \in \mathbb{R}^{n \times d}"
)


def wild(name: str) -> papermath.System:
    from tests.wild.measure import case_latex  # the case as the measure reads it

    case = tomllib.loads((WILD / f"{name}.toml").read_text())
    return papermath.compile(case_latex(name, case))


def refused(latex: str) -> papermath.PapermathError:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex)
    err = info.value
    assert err.source is not None and err.span is not None, err.render()
    return err


def readings(system: papermath.System) -> dict[str, str]:
    return {r.reading: r.reason for r in system.readings}


# ---- D^{-1} A: the inverse degree matrix (read/rules_degree_inverse.py) ----------------------


def test_the_inverse_degree_matrix_is_the_mean_over_the_neighbours() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(SPARSE)
    assert system.kinds["A"] == "input" and system.kinds["D"] == "intermediate"
    assert system.shapes["D"] == ("n", "n") and system.shapes["A"] == ("n", "n")
    assert system.kinds["W"] == system.kinds["B"] == "parameter"
    assert set(system.per_step_params) == {"W", "B"}
    said = readings(system)
    assert "GCN's convention" in said["inverse degree matrix"]
    assert "written where the weight" in said["parameter by role"]

    rng = np.random.default_rng(1)
    gen = system.to_numpy({"n": 4, "d": 3, "K": 2})
    params = gen.init_params(rng)
    a = rng.uniform(0.2, 1.0, size=(2, 4, 4))  # a batch of two weighted graphs
    h0 = rng.normal(size=(2, 4, 3))
    outputs, cache = gen.forward(params, {"A": a}, {"h": h0})
    h = h0  # by hand: row i of A divided by its sum (the mean over i's neighbours)
    for k in range(2):
        mean = a / a.sum(axis=-1, keepdims=True)
        h = mean @ h @ params["W"][k].T + h @ params["B"][k].T
        np.testing.assert_allclose(outputs["h"][k], h, rtol=1e-12)

    g = rng.normal(size=h.shape)  # the gradients of <h_K, g>, against torch autograd
    grads = gen.backward(params, cache, {"h": np.stack([np.zeros_like(h), g])})
    w = torch.tensor(params["W"], requires_grad=True)
    b = torch.tensor(params["B"], requires_grad=True)
    at = torch.tensor(a, requires_grad=True)
    ht = torch.tensor(h0)
    for k in range(2):
        ht = (at / at.sum(-1, keepdim=True)) @ ht @ w[k].T + ht @ b[k].T
    (ht * torch.tensor(g)).sum().backward()
    assert w.grad is not None and b.grad is not None
    np.testing.assert_allclose(grads["W"], w.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(grads["B"], b.grad.numpy(), rtol=1e-10)


def test_the_wild_sparse_form_reads_and_checks() -> None:
    system = wild("distill_gnn_gcn_sparse_form")
    assert system.kinds["A"] == "input" and system.kinds["B"] == "parameter"
    assert system.shapes["D"] == system.shapes["A"]


@pytest.mark.parametrize(
    "latex",
    [
        r"y = D^{-1} M x",  # not the adjacency's letter: which matrix's degrees?
        r"y = \tilde{D}^{-1} A x",  # other decorations than A's
        r"y = D^{-1} A x + D z",  # D used otherwise too
    ],
)
def test_an_inverse_that_is_not_a_degree_matrix_beside_its_adjacency_stays_refused(
    latex: str,
) -> None:
    err = refused(latex)
    assert "^{-1}" in err.source.text[err.span.start : err.span.end]  # type: ignore[union-attr]
    assert "degree matrix" in (err.hint or "")  # says how to say whose degrees


def test_a_declared_d_beside_a_is_still_its_degree_matrix() -> None:
    system = papermath.compile(SPARSE + r", D \in \mathbb{R}^{n \times n}")
    assert system.kinds["A"] == "input" and system.kinds["D"] == "intermediate"


# ---- a weight written alike (read/rules_parallel_weights.py) ----------------------------------


def test_a_step_matrix_not_written_like_a_weight_keeps_the_letter_conventions() -> None:
    # F_t: nowhere in a weight's place (no W in the sum): data given at each step
    system = papermath.compile(r"x_t = F_t x_{t-1} + u_t, x_t \in \mathbb{R}^{n}")
    assert system.kinds["F"] == "input"
    # B^{(k)} on the left, W^{(k)} on the right: not written alike
    system = papermath.compile(
        r"h^{(k)} = h^{(k-1)} {W^{(k)}}^T + B^{(k)} h^{(k-1)}, h^{(k)} \in \mathbb{R}^{n \times n}"
    )
    assert system.kinds["B"] == "input"


def test_the_mirrored_form_reads_the_same() -> None:
    system = papermath.compile(r"h^{(k)} = \tanh(W^{(k)} h^{(k-1)} + B^{(k)} h^{(k-1)})")
    assert system.kinds["B"] == "parameter" and set(system.per_step_params) == {"W", "B"}


# ---- the order after the sum (read/rules_order_bias.py) -------------------------------------

CHEB = (
    r"X' = \sum_{{k=0}}^{{K-1}} {body}, T^{{(0)}} = X, T^{{(1)}} = L X, "
    r"T^{{(k)}} = 2 L T^{{(k-1)}} - T^{{(k-2)}}, X \in \mathbb{{R}}^{{N \times F}}, "
    r"L \in \mathbb{{R}}^{{N \times N}}"
)


def test_a_bias_after_the_sum_reads_as_inside_it_and_its_code_asks() -> None:
    after = papermath.compile(CHEB.format(body=r"T^{(k)} W^{(k)} + b^{(k)}"))
    inside = papermath.compile(CHEB.format(body=r"(T^{(k)} W^{(k)} + b^{(k)})"))
    assert after.shapes == inside.shapes and after.kinds == inside.kinds
    assert len(after.shapes["b"]) == 1 and after.shapes["b"] == after.shapes["W"][1:]
    assert "read inside the sum over k" in " ".join(r.reading for r in after.readings)
    with pytest.raises(papermath.PapermathError) as info:
        after.to_numpy({"N": 4, "F": 3, "K": 3})
    err = info.value
    assert err.source is not None and err.span is not None
    assert err.source.text[err.span.start : err.span.end] == "b^{(k)}"
    assert "parentheses" in (err.hint or "")


def test_the_sum_with_its_bias_inside_is_the_chebyshev_loop_by_hand() -> None:
    system = papermath.compile(CHEB.format(body=r"(T^{(k)} W^{(k)} + b^{(k)})"))
    rng = np.random.default_rng(2)
    dims = {"N": 4, "F": 3, "K": 3}
    dims.update({s: 2 for s in {n for sh in system.shapes.values() for n in sh} - set(dims)})
    gen = system.to_numpy(dims)
    params = gen.init_params(rng)
    x = rng.normal(size=(1, 4, 3))
    lap = rng.normal(size=(4, 4)) / 3
    params_in = {"X": x}
    if "L" in params:
        params["L"] = lap
    else:
        params_in["L"] = lap[None]
    outputs, _ = gen.forward(params, params_in)
    t_prev, t = x[0], lap @ x[0]  # T_0 = X, T_1 = L X, T_k = 2 L T_{k-1} - T_{k-2}
    terms = [x[0], t]
    for _ in range(2, 3):
        t_prev, t = t, 2 * lap @ t - t_prev
        terms.append(t)
    want = sum(terms[k] @ params["W"][k] + params["b"][k] for k in range(3))
    got = outputs["X_prime"]
    got = got[-1] if got.ndim == 4 else got
    np.testing.assert_allclose(np.asarray(got).reshape(want.shape), want, rtol=1e-10)


def test_the_wild_spektral_chebconv_reads_its_shapes() -> None:
    system = wild("spektral_chebconv")
    assert system.shapes["b"] == system.shapes["W"][1:]
    assert system.shapes["L_tilde"][0] == system.shapes["L_tilde"][1]
    said = readings(system)
    assert any("graph Laplacian" in reason for reason in said.values())


# ---- Z^{(0)} = MLP(X) row by row (read/rules_row_states.py) ----------------------------------


def test_a_learned_first_value_of_a_capital_letter_maps_each_row() -> None:
    latex = r"Z^{(0)} = \mathrm{MLP}(X), Z^{(k)} = \hat{A} Z^{(k-1)}"
    refused(r"z^{(0)} = \mathrm{MLP}(x), z^{(k)} = \hat{A} z^{(k-1)}")  # one vector or rows?
    system = papermath.compile(latex)
    z, x = system.shapes["Z"], system.shapes["X"]
    assert len(z) == len(x) == 2 and z[0] == x[0] and z[1] != x[1]
    gen = system.to_numpy({**{n: 3 for sh in system.shapes.values() for n in sh}, "K": 2})
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    xs = rng.normal(size=(1, *(3,) * 2))
    a = rng.normal(size=(1, 3, 3))
    inputs = {"X": xs}
    if "A_hat" in params:
        params["A_hat"] = a[0]
    else:
        inputs["A_hat"] = a
    outputs, _ = gen.forward(params, inputs)
    z0 = xs[0] @ params["MLP.weight"].T + params["MLP.bias"]  # each row through one Linear
    np.testing.assert_allclose(np.asarray(outputs["Z_init"]).reshape(z0.shape), z0, rtol=1e-12)
    want = a[0] @ (a[0] @ z0)
    np.testing.assert_allclose(np.asarray(outputs["Z"])[-1].reshape(want.shape), want, rtol=1e-12)
