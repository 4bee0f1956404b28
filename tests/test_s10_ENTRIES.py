r"""Session 10, helper ENTRIES: values with two indices, one a step and one a position of a
sequence (read/rules_positions.py), where the source writes the softmax unindexed
(``\alpha_{i,t} = \mathrm{softmax}(\mathbf{x}_i \cdot \mathbf{q}_t)``, CogDL's Set2Set) and
the vectors by their bold font rather than a declaration. Oracles: the paper's per-entry
formulas as a NumPy loop by hand, finite differences and torch autograd (check)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import papermath
from papermath.check import check
from papermath.errors import PapermathError

# Bahdanau's alignment model with the softmax written as a function, not a fraction
SOFTMAX = (
    "e_{ij} = v_a^\\top \\tanh(W_a s_{i-1} + U_a h_j)\n"
    "\\alpha_{ij} = \\mathrm{softmax}(e_{ij})\n"
    "c_i = \\sum_{j=1}^{T_x} \\alpha_{ij} h_j\n"
    "h_j \\in \\mathbb{R}^{2n}, s_i \\in \\mathbb{R}^{n}, v_a \\in \\mathbb{R}^{n'}"
)
DIMS = {"n": 2, "n'": 3}
LENGTHS = (4, 2)  # two source sentences, 4 and 2 positions
STEPS = 3


def by_hand(params: dict[str, np.ndarray], s: np.ndarray, h: np.ndarray) -> np.ndarray:
    """c[i, b] one entry at a time: the softmax over each sample's positions."""
    v, wa, ua = params["v_a"], params["W_a"], params["U_a"]
    out = np.zeros((s.shape[0], len(LENGTHS), h.shape[1]))
    starts = np.cumsum((0, *LENGTHS))
    for i in range(s.shape[0]):
        for b, (lo, hi) in enumerate(itertools.pairwise(starts)):
            e = [float(v @ np.tanh(wa @ s[i, b] + ua @ h[j])) for j in range(lo, hi)]
            total = sum(np.exp(x) for x in e)
            for j in range(lo, hi):
                out[i, b] += np.exp(e[j - lo]) / total * h[j]
    return out


def data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    s = rng.normal(size=(STEPS, len(LENGTHS), DIMS["n"]))
    h = rng.normal(size=(sum(LENGTHS), 2 * DIMS["n"]))
    batch = np.repeat(np.arange(len(LENGTHS)), LENGTHS)
    return s, h, batch


def test_unindexed_softmax_runs_over_the_positions_numpy() -> None:
    system = papermath.compile(SOFTMAX, DIMS)
    assert system.shapes["alpha"] == () and system.shapes["e"] == ()
    gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    s, h, batch = data(rng)
    out, _ = gen.forward(params, {"s": s, "h": h, "batch": batch})
    assert np.allclose(out["c"], by_hand(params, s, h))
    for b in range(len(LENGTHS)):  # one weight per position, summing to 1 per sample
        assert np.allclose(out["alpha"][:, batch == b].sum(axis=1), 1.0)


@pytest.mark.parametrize("fast", [True, False])
def test_unindexed_softmax_runs_over_the_positions_torch(fast: bool) -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(SOFTMAX, DIMS)
    model = system.to_torch(DIMS, dtype=torch.float64, fast=fast, steps=fast)
    rng = np.random.default_rng(2)
    s, h, batch = data(rng)
    params = {k: p.detach().numpy() for k, p in model.named_parameters()}
    out = model(s=torch.tensor(s), h=torch.tensor(h), batch=torch.tensor(batch))
    assert np.allclose(out["c"].detach().numpy(), by_hand(params, s, h))


def test_unindexed_softmax_gradients() -> None:
    system = papermath.compile(SOFTMAX, DIMS)
    results = check(system, DIMS)
    assert results and all(r.ok for r in results), [r for r in results if not r.ok]


# GAT's attention mechanism a, named and never defined, giving one number per edge
GAT_A = (
    "e_{ij} = a(W h_i, W h_j), e_{ij} \\in \\mathbb{R}, "
    "\\alpha_{ij} = \\frac{\\exp(e_{ij})}{\\sum_{k \\in \\mathcal{N}(i)} \\exp(e_{ik})}, "
    "h_i^\\prime = \\sum_{j \\in \\mathcal{N}(i)} \\alpha_{ij} W h_j"
)
EDGES = np.array([[1, 2, 0, 3, 2, 1, 0], [0, 0, 1, 1, 3, 3, 2]])  # (source j, target i)


def gat_by_hand(params: dict[str, np.ndarray], h: np.ndarray) -> np.ndarray:
    w, aw, ab = params["W"], params["a.weight"], params["a.bias"]
    out = np.zeros((h.shape[0], w.shape[0]))
    for i in range(h.shape[0]):
        into = [int(j) for j, k in zip(EDGES[0], EDGES[1], strict=True) if k == i]
        e = {j: float((aw @ np.concatenate([w @ h[i], w @ h[j]])).sum() + ab.sum()) for j in into}
        total = sum(np.exp(v) for v in e.values())
        for j in into:
            out[i] += np.exp(e[j]) / total * (w @ h[j])
    return out


def test_undefined_edge_score_function_is_an_affine_map_to_one_number() -> None:
    dims = {"d1": 3, "d2": 2}
    system = papermath.compile(GAT_A, dims)
    assert system.shapes["e"] == () and system.shapes["alpha"] == ()
    assert system.functions["a"] == ("2*d1", "1")
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    h = rng.normal(size=(4, 2))
    out, _ = gen.forward(params, {"h": h, "edges": EDGES})
    assert np.allclose(out["h_prime"], gat_by_hand(params, h))
    assert all(r.ok for r in check(system, dims))


def test_undefined_edge_score_function_torch() -> None:
    torch = pytest.importorskip("torch")
    dims = {"d1": 3, "d2": 2}
    system = papermath.compile(GAT_A, dims)
    model = system.to_torch(dims, dtype=torch.float64)
    rng = np.random.default_rng(4)
    h = rng.normal(size=(4, 2))
    params = {k: p.detach().numpy() for k, p in model.named_parameters()}
    params = {k.replace("_", "."): v for k, v in params.items()} | params
    out = model(h=torch.tensor(h), edges=torch.tensor(EDGES))
    assert np.allclose(out["h_prime"].detach().numpy(), gat_by_hand(params, h))


def test_a_number_from_an_undefined_function_elsewhere_stays_refused() -> None:
    """s = f(x, y) with s a number is no value per edge (a loss is a number too): refused."""
    with pytest.raises(PapermathError, match="the output of f"):
        papermath.compile(
            "s = f(x, y), s \\in \\mathbb{R}, x \\in \\mathbb{R}^m, y \\in \\mathbb{R}^k"
        )


def test_printed_gradients_of_the_edge_score_equal_the_backward() -> None:
    """`papermath grad`'s equations, evaluated from their text (tests/gradeval.py), equal the
    generated backward; a.bias's gradient is 0 in both (the softmax over the neighbours does not
    change when every score shifts by the bias), compared absolutely."""
    import test_grad_oracle as oracle

    system = papermath.compile(GAT_A)
    run = oracle.run(system)
    wrts = oracle.differentiated(system)
    assert {"W", "a.weight", "a.bias"} <= set(wrts)
    for wrt in wrts:
        got = oracle.printed_gradient(run, wrt)
        if wrt == "a.bias":
            want = np.asarray(run.grads[wrt], dtype=float)
            assert np.allclose(np.asarray(got, dtype=float).reshape(want.shape), 0.0, atol=1e-12)
            assert np.allclose(want, 0.0, atol=1e-12)
            continue
        oracle.assert_equals_backward(run, wrt, got)


# ---- CogDL's Set2Set: \alpha_{i,t}, the vectors bold --------------------------------------
SET2SET = (
    "$$\\mathbf{q}_t = \\mathrm{LSTM}(\\mathbf{q}^{*}_{t-1})$$\n"
    "$$\\alpha_{i,t} = \\mathrm{softmax}(\\mathbf{x}_i \\cdot \\mathbf{q}_t)$$\n"
    "$$\\mathbf{r}_t = \\sum_{i=1}^N \\alpha_{i,t} \\mathbf{x}_i$$\n"
    "$$\\mathbf{q}^{*}_t = \\mathbf{q}_t \\, \\Vert \\, \\mathbf{r}_t$$"
)


def test_set2set_reads_one_number_per_step_and_position() -> None:
    system = papermath.compile(SET2SET)
    (d,) = system.shapes["x"]
    assert system.shapes["alpha"] == ()
    assert system.shapes["q"] == (d,) and system.shapes["r"] == (d,)
    assert system.shapes["q_star"] == (f"2*{d}",)
    notes = [n for n in system.readings if "softmax over the positions i" in str(n)]
    assert notes, system.readings
    # the state q* carried from step to step beside the sum over positions: code refused by name
    with pytest.raises(PapermathError, match="positions"):
        system.to_numpy({d: 3, "N": 4})


def test_set2set_with_italic_vectors_is_refused_with_the_declaration() -> None:
    """DGL writes x_i italic and declares nothing: entries or vectors? refused, the hint naming
    the declaration or the bold that settles it."""
    italic = SET2SET.replace("\\mathbf{x}", "x").replace("\\mathbf{q}", "q")
    italic = italic.replace("\\mathbf{r}", "r")
    with pytest.raises(PapermathError, match="two indices") as err:
        papermath.compile(italic)
    assert "declare x_i \\in \\mathbb{R}^{d} or write it bold (\\mathbf{x}_i)" in (
        err.value.hint or ""
    )


def test_softmax_of_a_vector_per_position_is_refused() -> None:
    latex = (
        "\\alpha_{t,i} = \\mathrm{softmax}(\\mathbf{h}_i \\odot \\mathbf{s}_{t-1}), "
        "\\mathbf{c}_t = \\sum_{i=1}^{N} \\alpha_{t,i} \\odot \\mathbf{h}_i, "
        "\\mathbf{s}_t \\in \\mathbb{R}^{m}, \\mathbf{h}_i \\in \\mathbb{R}^{m}"
    )
    with pytest.raises(PapermathError, match="softmax of a vector per step and position"):
        papermath.compile(latex)


def test_gat_signature_is_refused_at_the_colon_and_its_hint_reads() -> None:
    """GAT's `a: R^{F'} x R^{F'} -> R`: refused at the colon; the declaration the hint writes
    (e_{ij} \\in \\mathbb{R}), in the signature's place, reads a as an affine map to a number."""
    rest = (
        "$$e_{ij} = a(\\mathbf{W} \\mathbf{h}_i, \\mathbf{W} \\mathbf{h}_j)$$\n"
        "$$\\alpha_{ij} = \\frac{\\exp(e_{ij})}{\\sum_{k \\in \\mathcal{N}_i} \\exp(e_{ik})}$$\n"
        "$$\\mathbf{h}_i^\\prime = \\sigma(\\sum_{j \\in \\mathcal{N}_i} \\alpha_{ij} "
        "\\mathbf{W} \\mathbf{h}_j)$$"
    )
    signature = (
        "A shared attentional mechanism $a : \\mathbb{R}^{F^\\prime} \\times "
        "\\mathbb{R}^{F^\\prime} \\rightarrow \\mathbb{R}$ computes attention coefficients\n"
    )
    with pytest.raises(PapermathError, match="several arguments") as err:
        papermath.compile(signature + rest)
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == ":"
    assert "e_{ij} \\in \\mathbb{R}" in (err.value.hint or "")
    system = papermath.compile("The attention coefficients $e_{ij} \\in \\mathbb{R}$:\n" + rest)
    assert system.shapes["e"] == () and system.functions["a"][1] == "1"
