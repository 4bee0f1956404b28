"""A max over the neighbours (read/rules_neighbour_max.py, the primitive edge_max):
DGL's EdgeConv, ``h'_i = \\max_{j \\in N(i)} (\\Theta (h_j - h_i) + \\Phi h_i)``. The generated
NumPy and torch modules against the formula computed here by hand (a loop over each node's
incoming edges), their gradients against torch autograd of that hand loop (ties shared
equally, as torch.amax's), and papermath check (finite differences); near misses refused
with the caret on the construct."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.check import check

EDGECONV = (
    "h'_i = \\max_{j \\in \\mathcal{N}(i)} (\\Theta \\cdot (h_j - h_i) + \\Phi \\cdot h_i)\n"
    "h_i \\in \\mathbb{R}^{d}, h'_i \\in \\mathbb{R}^{d}"
)
DIMS = {"d": 3}
# node 0: three edges in; node 1: one; node 2: two; node 3: none (its max is 0)
SRC = np.array([1, 2, 3, 0, 0, 1])
DST = np.array([0, 0, 0, 1, 2, 2])
WILD = Path(__file__).parent / "wild" / "cases" / "dgl_edgeconv.toml"


def by_hand(h: np.ndarray, theta: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """EdgeConv as its docstring writes it, node by node and edge by edge."""
    out = np.zeros_like(h)
    for i in range(len(h)):
        values = [
            theta @ (h[j] - h[i]) + phi @ h[i] for j, t in zip(SRC, DST, strict=True) if t == i
        ]
        if values:
            out[i] = np.max(np.stack(values), axis=0)
    return out


def test_edgeconv_reads_as_a_max_over_the_neighbours() -> None:
    system = papermath.compile(EDGECONV)
    assert system.shapes["Theta"] == ("d", "d") and system.shapes["Phi"] == ("d", "d")
    assert system.kinds["Theta"] == "parameter" and system.kinds["h"] == "input"
    said = [r for r in system.readings if r.reading == "max over the neighbours of i"]
    assert len(said) == 1 and "gets 0" in said[0].reason


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_the_numpy_module_equals_the_formula_by_hand(layout: str) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    gen = papermath.compile(EDGECONV).to_numpy(DIMS, layout)
    params = gen.init_params(rng)
    h = rng.normal(size=(4, 3))
    h[2] = h[1]  # the edges 1 -> 0 and 2 -> 0 tie on every entry: they share the gradient
    edges = np.stack([SRC, DST])
    x = h if layout == "sample-first" else h.T
    outputs, cache = gen.forward(params, {"h": x, "edges": edges})
    want = by_hand(h, params["Theta"], params["Phi"])
    got = outputs["h_prime"] if layout == "sample-first" else outputs["h_prime"].T
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert np.all(got[3] == 0)  # no edge enters node 3

    g = rng.normal(size=(4, 3))
    grads = gen.backward(params, cache, {"h_prime": g if layout == "sample-first" else g.T})
    ht = torch.tensor(h, requires_grad=True)
    th = torch.tensor(params["Theta"], requires_grad=True)
    ph = torch.tensor(params["Phi"], requires_grad=True)
    rows = []
    for i in range(4):
        values = [
            th @ (ht[j] - ht[i]) + ph @ ht[i] for j, t in zip(SRC, DST, strict=True) if t == i
        ]
        rows.append(torch.amax(torch.stack(values), dim=0) if values else ht[i] * 0)
    (torch.stack(rows) * torch.tensor(g)).sum().backward()
    assert ht.grad is not None and th.grad is not None and ph.grad is not None
    got_h = grads["h"] if layout == "sample-first" else grads["h"].T
    np.testing.assert_allclose(got_h, ht.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads["Theta"], th.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads["Phi"], ph.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_a_tie_between_edges_shares_the_gradient() -> None:
    """Two edges into node 0 with the same value: each gets half of node 0's gradient."""
    gen = papermath.compile("y_i = \\max_{j \\in \\mathcal{N}(i)} x_j").to_numpy({"d1": 1})
    edges = np.array([[1, 2], [0, 0]])
    out, cache = gen.forward({}, {"x": np.array([[5.0], [2.0], [2.0]]), "edges": edges})
    np.testing.assert_array_equal(out["y"], [[2.0], [0.0], [0.0]])
    grads = gen.backward({}, cache, {"y": np.array([[1.0], [0.0], [0.0]])})
    np.testing.assert_array_equal(grads["x"], [[0.0], [0.5], [0.5]])


def test_the_torch_module_equals_the_formula_by_hand() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(EDGECONV)
    module = system.to_torch(DIMS, dtype=torch.float64)
    h = torch.randn(4, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    got = module(h=h, edges=torch.stack([torch.tensor(SRC), torch.tensor(DST)]))["h_prime"]
    theta, phi = module.Theta.detach().numpy(), module.Phi.detach().numpy()
    want = by_hand(h.numpy(), theta, phi)
    np.testing.assert_allclose(got.detach().numpy(), want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_check_passes(layout: str) -> None:
    results = check(papermath.compile(EDGECONV), DIMS, layout=layout)
    assert {r.key for r in results} == {"Theta", "Phi", "h"}
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]


def test_dgl_edgeconv_over_layers_passes_check() -> None:
    """The wild case itself (h^{(l+1)} from h^{(l)}, L layers): the state at l-1 is given to
    the edges as h_j and h_i (before, both read the same node value)."""
    system = papermath.compile(tomllib.loads(WILD.read_text())["latex"])
    dims = {"L": 2, "d1": 3}
    results = check(system, dims)
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]
    source = system.numpy_source(dims)
    assert "h_prev[edges[0]]" in source and "h_prev[edges[1]]" in source


def refused(latex: str) -> tuple[str, str, str]:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex)
    err = info.value
    assert err.source is not None and err.span is not None, err.render()
    return err.source.text[err.span.start : err.span.end], err.message, err.hint or ""


def test_near_misses_are_refused_at_the_max() -> None:
    under, message, hint = refused(
        "h'_i = \\max_{j \\in \\mathcal{N}^{out}(i)} W h_j, h_i \\in \\mathbb{R}^{d}"
    )
    assert under.startswith("\\max_{j \\in \\mathcal{N}^{out}(i)}")
    assert "edges into a node only" in message and "\\mathcal{N}(i)" in hint
    under, message, hint = refused(
        "h'_i = \\max_{j \\in \\mathcal{N}(i)} W h_i, h_i \\in \\mathbb{R}^{d}"
    )
    assert under.startswith("\\max_{j") and "depends on the neighbour j" in message


def test_a_state_per_node_on_the_edges_and_its_degree() -> None:
    """A layer recurrence whose state h^{(l)} is read on the edges (h_i beside h_j, and i's
    number of neighbours): before, the state was given to the edges unsplit, and a count of
    neighbours found no value per node to count for. Against two layers computed by hand."""
    system = papermath.compile(
        "h_i^{(l+1)} = \\max_{j \\in \\mathcal{N}(i)} \\tanh(W h_j^{(l)} - h_i^{(l)} "
        "+ \\frac{1}{|\\mathcal{N}(i)|} h_i^{(l)})\nh_i^{(l)} \\in \\mathbb{R}^{d}"
    )
    gen = system.to_numpy({"d": 3, "L": 2})
    rng = np.random.default_rng(2)
    params = gen.init_params(rng)
    h0 = rng.normal(size=(4, 3))
    edges = np.stack([SRC, DST])
    outputs, _ = gen.forward(params, {"edges": edges}, {"h": h0})
    degree = np.bincount(DST, minlength=4)
    h, w = h0, params["W"]
    for layer in range(2):
        new = np.zeros_like(h)
        for i in range(4):
            values = [
                np.tanh(w @ h[j] - h[i] + h[i] / degree[i])
                for j, t in zip(SRC, DST, strict=True)
                if t == i
            ]
            if values:
                new[i] = np.max(np.stack(values), axis=0)
        h = new
        np.testing.assert_allclose(outputs["h"][layer], h, rtol=1e-12, atol=1e-14)
    assert all(r.ok for r in check(system, {"d": 3, "L": 2}))
