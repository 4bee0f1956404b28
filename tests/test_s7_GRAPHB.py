"""Issue 24, helper GRAPHB: sums over the powers of a number (read/rules_orders.py, extended)
and an aggregator with its range written under it (read/rules_range_aggregation.py).

Oracles: the formulas computed here by hand (a loop over the orders with
np.linalg.matrix_power, the closed form of a geometric series), torch autograd of the same
loop, papermath check (finite differences), and the wild corpus case as written."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.check import check
from papermath.diagram import to_dot
from papermath.explain import explain

WILD = Path(__file__).parent / "wild" / "cases"

GEOMETRIC = "s = \\sum_{i=0}^{K-1} \\beta^i"
DAMPED = (
    "H = \\sum_{k=0}^{K} \\beta^k \\cdot (S)^{k} X \\Theta_k, S \\in \\mathbb{R}^{N \\times N}, "
    "X \\in \\mathbb{R}^{N \\times F}, H \\in \\mathbb{R}^{N \\times G}"
)
DIMS = {"K": 2, "N": 4, "F": 3, "G": 2}


def refused(latex: str) -> tuple[str, str, str]:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex)
    err = info.value
    assert err.source is not None and err.span is not None, err.render()
    return err.source.text[err.span.start : err.span.end], err.message, err.hint or ""


def test_a_geometric_series_is_its_closed_form() -> None:
    system = papermath.compile(GEOMETRIC)
    assert system.shapes["s"] == () and system.shapes["beta"] == ()
    said = {r.reading: r.reason for r in system.readings}
    assert "sum over the orders i" in said
    assert any("lowercase Greek letter" in reason for reason in said.values())
    for count in (1, 3, 5):
        gen = system.to_numpy({"K": count})
        for beta in (0.3, 0.9):
            outputs, cache = gen.forward({"beta": np.array(beta)}, {})
            closed = (1 - beta**count) / (1 - beta)  # d2l: sum_{i=0}^{t-1} b^i
            np.testing.assert_allclose(outputs["s"], closed, rtol=1e-12)
            grads = gen.backward({"beta": np.array(beta)}, cache, {"s": np.array(1.0)})
            h = 1e-6  # the derivative of the closed form, by central differences
            want = ((1 - (beta + h) ** count) / (1 - beta - h)) - (
                (1 - (beta - h) ** count) / (1 - beta + h)
            )
            np.testing.assert_allclose(grads["beta"], want / (2 * h), rtol=1e-6, atol=1e-8)


def by_hand(beta: float, s: np.ndarray, x: np.ndarray, theta: np.ndarray) -> np.ndarray:
    return sum(beta**k * np.linalg.matrix_power(s, k) @ x @ theta[k] for k in range(3))


def test_damped_powers_of_a_matrix_equal_the_loop_by_hand() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(DAMPED)
    assert system.per_order_params == {"Theta": "K + 1"}
    assert system.shapes["beta"] == () and system.shapes["Theta"] == ("F", "G")
    rng = np.random.default_rng(0)
    gen = system.to_numpy(DIMS)
    params = gen.init_params(rng)
    s, x = rng.normal(size=(4, 4)) / 2, rng.normal(size=(4, 3))
    params["S"] = s
    outputs, cache = gen.forward(params, {"X": x})
    want = by_hand(float(params["beta"]), s, x, params["Theta"])
    np.testing.assert_allclose(outputs["H"], want, rtol=1e-12, atol=1e-14)

    g = rng.normal(size=want.shape)
    grads = gen.backward(params, cache, {"H": g})
    bt = torch.tensor(float(params["beta"]), dtype=torch.float64, requires_grad=True)
    st = torch.tensor(s, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    tt = torch.tensor(params["Theta"], requires_grad=True)
    h = sum(bt**k * torch.linalg.matrix_power(st, k) @ xt @ tt[k] for k in range(3))
    (h * torch.tensor(g)).sum().backward()
    for key, leaf in (("beta", bt), ("S", st), ("X", xt), ("Theta", tt)):
        assert leaf.grad is not None
        np.testing.assert_allclose(grads[key], leaf.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_damped_powers_pass_check() -> None:
    results = check(papermath.compile(DAMPED), DIMS)
    assert {r.key for r in results} >= {"beta", "Theta", "X"}
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]


def test_near_misses_are_refused_at_the_construct() -> None:
    # r_k beside a number's powers only: the k-th entry of r, or one r per order?
    under, message, hint = refused("G = \\sum_{k=0}^{K} \\gamma^k r_k")
    assert under == "r_k" and "index as a number" in message and "closed form" in hint
    # A^{k} without parentheses and no power of A anywhere: k may be a label of A
    under, message, _ = refused("H = \\sum_{k=0}^{K-1} A^{k} X \\Theta_k")
    assert under == "k=0" and "orders or powers" in message
    # L^{2} in a right side says L^{k} is a power: the sum reads, and the refusal moves to
    # the matrix power L^{2}, which is not generated
    under, message, _ = refused(
        "y = \\sum_{k=0}^{K} \\theta_k L^{k} x, B = L^{2}, L \\in \\mathbb{R}^{n \\times n}, "
        "x \\in \\mathbb{R}^{n}"
    )
    assert under == "L^{2}" and "matrix power" in message
    # L^{2} on a left side names another symbol (L_sq): no evidence, the sum stays refused
    under, message, _ = refused(
        "y = \\sum_{k=0}^{K} \\theta_k L^{k} x, L^{2} = B, L \\in \\mathbb{R}^{n \\times n}"
    )
    assert under == "k=0" and "orders or powers" in message


# ---- an aggregator with its range under it (read/rules_range_aggregation.py) ----

READOUT = "h_G = \\text{AGG}_{v \\in G}(\\{ h_v \\}), h_v \\in \\mathbb{R}^{d}"


def test_the_distill_readout_reads_its_shapes_and_code_asks_which() -> None:
    case = tomllib.loads((WILD / "distill_gnn_pooling_readout.toml").read_text())
    system = papermath.compile(case["latex"])
    assert len(system.shapes["h"]) == 1 and system.kinds["h"] == "input"
    said = {r.reading for r in system.readings}
    assert "aggregation of the values of every node (aggregator unnamed)" in said
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"d1": 2, "d2": 3})
    assert "does not say how" in info.value.message and "% \\text{AGG}: sum" in (
        info.value.hint or ""
    )
    readout = papermath.compile(READOUT)
    facts = " ".join(str(x) for x in explain(readout).__dict__.values())
    assert "an aggregation the source does not name, over every node v of G" in facts
    assert "∈ G" in to_dot(readout)  # the diagram draws it


def test_a_said_sum_is_the_sum_over_the_nodes_of_each_graph() -> None:
    gen = papermath.compile("% \\text{AGG}: sum\n" + READOUT).to_numpy({"d": 3})
    rng = np.random.default_rng(2)
    h = rng.normal(size=(5, 3))
    batch = np.array([0, 0, 1, 1, 1])
    outputs, _ = gen.forward({}, {"h": h, "batch": batch})
    want = np.stack([h[:2].sum(axis=0), h[2:].sum(axis=0)])  # per graph, by hand
    np.testing.assert_allclose(outputs["h_G"], want, rtol=1e-12)


def test_over_the_neighbours_it_is_the_set_builder_aggregation() -> None:
    under = papermath.compile(
        "m_v = \\mathrm{AGG}_{u \\in \\mathcal{N}(v)}(\\{ h_u \\}), h_u \\in \\mathbb{R}^{d}"
    )
    inside = papermath.compile(
        "m_v = \\mathrm{AGG}(\\{ h_u, u \\in \\mathcal{N}(v) \\}), h_u \\in \\mathbb{R}^{d}"
    )
    assert under.shapes == inside.shapes and under.kinds == inside.kinds
    said = {r.reading for r in under.readings}
    assert "aggregator over a range: the range inside the set" in said


def test_what_is_not_read_is_refused_at_the_aggregator() -> None:
    under, message, hint = refused(
        "h_G = \\mathrm{mean}_{v \\in G}(\\{ h_v \\}), h_v \\in \\mathbb{R}^{d}"
    )
    assert under == "\\mathrm{mean}_{v \\in G}" and "not read yet" in message
    assert "\\sum_{v \\in G} h_v" in hint
    under, message, _ = refused("h_G = \\text{AGG}_{v \\in G}(\\{ W \\}) ")
    assert under == "W" and "depends on the node v" in message


# ---- the degree matrix as a value (read/rules_degree_matrix.py) ----


def test_the_distill_laplacian_is_the_degree_matrix_minus_a() -> None:
    torch = pytest.importorskip("torch")
    case = tomllib.loads((WILD / "distill_gnn_graph_laplacian.toml").read_text())
    system = papermath.compile(case["latex"])
    assert system.shapes["A"] == ("n", "n") and system.shapes["L"] == ("n", "n")
    assert system.kinds["A"] == "input" and system.kinds["D"] == "intermediate"
    said = {r.reading for r in system.readings}
    assert {"the diagonal entry of a diagonal matrix", "degree matrix"} <= said
    gen = system.to_numpy({"n": 4})
    rng = np.random.default_rng(3)
    a = rng.uniform(0.1, 1.0, size=(4, 4))
    outputs, cache = gen.forward({}, {"A": a})
    laplacian = np.diag(a.sum(axis=1)) - a  # by hand: D_v = sum_u A_vu on the diagonal
    np.testing.assert_allclose(outputs["L"], laplacian, rtol=1e-12)
    g = rng.normal(size=(4, 4))
    grads = gen.backward({}, cache, {"L": g})
    at = torch.tensor(a, requires_grad=True)
    (torch.diag(at.sum(dim=1)) - at).mul(torch.tensor(g)).sum().backward()
    assert at.grad is not None
    np.testing.assert_allclose(grads["A"], at.grad.numpy(), rtol=1e-12)
    facts = " ".join(str(x) for x in explain(system).__dict__.values())
    assert "diagonal degree matrix of $A$" in facts
    assert "diag(row sums)" in to_dot(system)


def test_a_degree_matrix_defined_with_two_indices_is_a_value_too() -> None:
    system = papermath.compile(
        "D_{ii} = \\sum_j A_{ij}\nY = D^{-1} A X\n"
        "A \\in \\mathbb{R}^{N \\times N}, X \\in \\mathbb{R}^{N \\times F}"
    )
    assert system.shapes["Y"] == ("N", "F") and system.kinds["A"] == "input"
    results = check(system, {"N": 4, "F": 2})
    assert results and all(r.ok for r in results), [(r.key, r.fd_error) for r in results]


def test_one_index_without_the_word_diagonal_stays_an_entry() -> None:
    # no prose calling D diagonal: D_v is the entry v of a vector, A_{vu} an entry: refused
    under, message, _ = refused("D_v = \\sum_u A_{vu}\nL = D - A")
    assert under == "A_{vu}" and "two indices" in message


def test_a_sum_on_the_left_is_a_statement_not_a_definition() -> None:
    """d2l's Adam: "using the fact that $\\sum_{i=0}^{t-1} \\beta^i = \\frac{1 - \\beta^t}{1 -
    \\beta}$" (read/rules_sum_statements.py): refused at the sum, with both ways out."""
    under, message, hint = refused(
        "s = \\beta, \\sum_{i=0}^{K-1} \\beta^i = \\frac{1 - \\beta^K}{1 - \\beta}"
    )
    assert under == "\\sum_{i=0}^{K-1} \\beta^i" and "statement about a sum" in message
    assert "name it (s = \\sum_{i=0}^{K-1} \\beta^i)" in hint and "deleted" in hint
    under, message, _ = refused("\\sum_j \\alpha_{ij} = 1")
    assert under == "\\sum_j \\alpha_{ij}" and "constraint" in message


# ---- Distill's polynomial filter: L^i, w = [w_0, ..., w_d], a chain with \ldots ----


def test_the_polynomial_filter_equals_the_loop_over_powers_by_hand() -> None:
    torch = pytest.importorskip("torch")
    case = tomllib.loads((WILD / "distill_gnn_polynomial_filter.toml").read_text())
    system = papermath.compile(case["latex"])
    assert system.shapes["L"] == ("n", "n") and system.shapes["x_prime"] == ("n",)
    assert system.kinds["w"] == "parameter" and system.per_order_params == {"w": "d + 1"}
    said = {r.reading: r.reason for r in system.readings}
    assert "terms left out" in said and "the coefficients of a sum over the orders" in said
    assert any("written to a power elsewhere (L^2)" in why for why in said.values())
    gen = system.to_numpy({"n": 4, "d": 2})
    rng = np.random.default_rng(4)
    params = gen.init_params(rng)
    assert params["w"].shape == (3,)  # w_0, w_1, w_2
    lap, x = rng.normal(size=(4, 4)) / 2, rng.normal(size=4)
    outputs, cache = gen.forward(params, {"L": lap, "x": x})
    w = params["w"]
    want = sum(w[i] * np.linalg.matrix_power(lap, i) @ x for i in range(3))  # p_w(L) x
    np.testing.assert_allclose(outputs["x_prime"], want, rtol=1e-12, atol=1e-14)
    g = rng.normal(size=4)
    grads = gen.backward(params, cache, {"x_prime": g})
    wt = torch.tensor(w, requires_grad=True)
    lt = torch.tensor(lap, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    y = sum(wt[i] * torch.linalg.matrix_power(lt, i) @ xt for i in range(3))
    (y * torch.tensor(g)).sum().backward()
    for key, leaf in (("w", wt), ("L", lt), ("x", xt)):
        assert leaf.grad is not None
        np.testing.assert_allclose(grads[key], leaf.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_a_listed_vector_is_read_only_beside_its_sum() -> None:
    # the same list with no sum over its range: the dots stay refused
    under, message, _ = refused("y = w, w = [w_0, \\ldots, w_d]")
    assert under == "\\ldots" and "dots" in message
    # a chain with an elided side: that side is not checked, the full side is read
    system = papermath.compile(
        "y = a_1 + \\ldots + a_n = \\sum_{i=1}^{n} a_i, a \\in \\mathbb{R}^{n}"
    )
    assert system.shapes["y"] == ()
    assert "terms left out" in {r.reading for r in system.readings}


# ---- Distill's ChebNet: T_i(X) said Chebyshev, \lambda_{\max}(L) said an eigenvalue ----


def chebyshev(m: int, x: np.ndarray) -> np.ndarray:
    """T_m(X) from the coefficients of numpy's own Chebyshev basis (an oracle independent of
    the recursion the generated code uses): sum_j c_j X^j with T_m = sum_j c_j x^j."""
    coefficients = np.polynomial.chebyshev.cheb2poly([0] * m + [1])
    return sum(c * np.linalg.matrix_power(x, j) for j, c in enumerate(coefficients))


def test_the_chebnet_filter_reads_its_shapes_and_code_asks_for_the_eigenvalue() -> None:
    case = tomllib.loads((WILD / "distill_gnn_chebnet_filter.toml").read_text())
    system = papermath.compile(case["latex"])
    n = system.shapes["L"][0]
    assert system.shapes["L"] == (n, n) and system.shapes["L_tilde"] == (n, n)
    assert system.kinds["w"] == "parameter" and system.shapes["w"] == ()
    said = {r.reading for r in system.readings}
    assert {"the largest eigenvalue of a matrix", "the coefficients of a polynomial"} <= said
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({n: 3, "d": 2})
    assert "eigendecomposition" in info.value.message and "\\lambda_{\\max}" in (
        info.value.hint or ""
    )
    facts = " ".join(str(x) for x in explain(system).__dict__.values())
    assert "the largest eigenvalue" in facts and "Chebyshev polynomial of degree i" in facts


def test_chebyshev_polynomials_of_a_matrix_equal_numpys_basis() -> None:
    """The same filter with the eigenvalue given as a number (the hint's reading): the generated
    sum of w_i T_i(L~) against numpy's Chebyshev basis, gradients against torch autograd."""
    torch = pytest.importorskip("torch")
    case = tomllib.loads((WILD / "distill_gnn_chebnet_filter.toml").read_text())
    system = papermath.compile(case["latex"].replace("\\lambda_{\\max}(L)", "\\lambda_{\\max}"))
    gen = system.to_numpy({"n": 4, "d": 3})
    rng = np.random.default_rng(5)
    params = gen.init_params(rng)
    lap = rng.normal(size=(4, 4))
    lap = lap + lap.T
    lam = float(np.linalg.eigvalsh(lap).max())
    outputs, cache = gen.forward(params, {"L": lap, "lambda_max": np.array(lam)})
    scaled = 2 * lap / lam - np.eye(4)
    want = sum(params["w"][i - 1] * chebyshev(i, scaled) for i in range(1, 4))
    np.testing.assert_allclose(outputs["p_w"], want, rtol=1e-10, atol=1e-12)
    g = rng.normal(size=(4, 4))
    grads = gen.backward(params, cache, {"p_w": g})
    wt = torch.tensor(params["w"], requires_grad=True)
    lt = torch.tensor(lap, requires_grad=True)
    st = 2 * lt / lam - torch.eye(4, dtype=torch.float64)
    terms, before, now = [], torch.eye(4, dtype=torch.float64), st
    for _ in range(3):  # T_1, T_2, T_3 by the recursion, in torch
        terms.append(now)
        before, now = now, 2 * st @ now - before
    y = sum(wt[i] * terms[i] for i in range(3))
    (y * torch.tensor(g)).sum().backward()
    for key, leaf in (("w", wt), ("L", lt)):
        assert leaf.grad is not None
        np.testing.assert_allclose(grads[key], leaf.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_without_the_prose_the_eigenvalue_and_chebyshev_stay_refused() -> None:
    under, message, _ = refused("M = \\frac{2L}{\\lambda_{\\max}(L)} - I_n")
    assert under == "\\lambda_{\\max}(L)" and "eigenvalue" in message
    # the prose names the eigenvalue of another matrix: still refused
    under, message, _ = refused(
        "the largest eigenvalue of $A$:\n$$M = \\frac{2L}{\\lambda_{\\max}(L)} - I_n$$"
    )
    assert under == "\\lambda_{\\max}(L)" and "eigenvalue" in message
    # T_i(X) with nothing saying Chebyshev: i runs over entries, no order is read (refused)
    under, message, _ = refused("P = \\sum_{i=1}^{d} w_i T_i(L)")
    assert "order" not in message and "Chebyshev" not in message
