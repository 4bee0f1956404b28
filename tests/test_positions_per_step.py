r"""Code for a sum over the positions of a sequence at every step (ir/positions.py): Bahdanau,
Cho & Bengio (2015), appendix A.1.2, the alignment model of the decoder, as the paper prints
it. Checked against the paper's per-entry formulas written here as a NumPy loop by hand (one
sample, one step, one position at a time), for NumPy and both PyTorch modules, two samples
of different lengths in one batch; and by finite differences and torch autograd (check)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import papermath
from papermath.check import check

BAHDANAU = (
    "e_{ij} = v_a^\\top \\tanh(W_a s_{i-1} + U_a h_j)\n"
    "\\alpha_{ij} = \\frac{\\exp(e_{ij})}{\\sum_{k=1}^{T_x} \\exp(e_{ik})}\n"
    "c_i = \\sum_{j=1}^{T_x} \\alpha_{ij} h_j\n"
    "h_j \\in \\mathbb{R}^{2n}, s_i \\in \\mathbb{R}^{n}, v_a \\in \\mathbb{R}^{n'}"
)
DIMS = {"n": 2, "n'": 3}
LENGTHS = (4, 2)  # two source sentences, 4 and 2 positions
STEPS = 3  # decoder steps


def by_hand(params: dict[str, np.ndarray], s: np.ndarray, h: np.ndarray) -> np.ndarray:
    """c[i, b]: the paper's formulas one entry at a time. s is (steps, samples, n), the
    decoder state before each step; h stacks the positions of every sample (LENGTHS)."""
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


def test_numpy_against_the_formulas_by_hand() -> None:
    system = papermath.compile(BAHDANAU, DIMS)
    gen = system.to_numpy(DIMS)
    assert gen.INPUTS == {"s": "step", "h": "node"}
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    s, h, batch = data(rng)
    out, _ = gen.forward(params, {"s": s, "h": h, "batch": batch})
    assert out["c"].shape == (STEPS, len(LENGTHS), 2 * DIMS["n"])
    assert np.allclose(out["c"], by_hand(params, s, h))
    # alpha: one weight per step and position, summing to 1 over each sample's positions
    for b in range(len(LENGTHS)):
        assert np.allclose(out["alpha"][:, batch == b].sum(axis=1), 1.0)


@pytest.mark.parametrize("fast", [True, False])
def test_torch_modules_against_the_formulas_by_hand(fast: bool) -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(BAHDANAU, DIMS)
    model = system.to_torch(DIMS, dtype=torch.float64, fast=fast, steps=fast)
    rng = np.random.default_rng(2)
    s, h, batch = data(rng)
    params = {k: p.detach().numpy() for k, p in model.named_parameters()}
    out = model(s=torch.tensor(s), h=torch.tensor(h), batch=torch.tensor(batch))
    assert np.allclose(out["c"].detach().numpy(), by_hand(params, s, h))


def test_gradients_by_finite_differences_and_torch() -> None:
    system = papermath.compile(BAHDANAU, DIMS)
    results = check(system, DIMS)
    assert results and all(r.ok for r in results), [r for r in results if not r.ok]


def test_numpy_dim_first_against_the_formulas_by_hand() -> None:
    """The same, laid out dim-first (features first, the samples and positions last)."""
    system = papermath.compile(BAHDANAU, DIMS)
    gen = system.to_numpy(DIMS, layout="dim-first")
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    s, h, batch = data(rng)
    inputs = {"s": s.transpose(0, 2, 1), "h": h.T, "batch": batch}
    out, _ = gen.forward(params, inputs)
    assert np.allclose(out["c"].transpose(0, 2, 1), by_hand(params, s, h))
