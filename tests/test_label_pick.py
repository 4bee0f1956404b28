"""The entry of a vector at an integer label (``f_{y_i}``, read/rules_label_pick.py; the
primitive gather, ops/structure.py), judged by what is not papermath's: PyTorch's
cross_entropy, a NumPy loop written here, and finite differences (papermath check)."""

from __future__ import annotations

import os
import tomllib

import numpy as np
import pytest

import papermath
from conftest import ROOT
from papermath.check import check

os.environ.setdefault("PAPERMATH_KERNELS", "off")
torch = pytest.importorskip("torch")
F = torch.nn.functional

PAPERS = ROOT.parent / "shared" / "corpus_papers"
XENT = (
    "f_i = W x_i + b\n"
    "p_i = \\mathrm{softmax}(f_i)\n"
    "L_i = -\\log p_{y_i}\n"
    "J = \\sum_i L_i\n"
    "x_i \\in \\mathbb{R}^{D}, W \\in \\mathbb{R}^{K \\times D}"
)
DIMS = {"D": 3, "K": 5}


def run(latex: str, layout: str, n: int = 7, seed: int = 0):
    system = papermath.compile(latex)
    gen = system.to_numpy(DIMS, layout)
    rng = np.random.default_rng(seed)
    params = gen.init_params(rng)
    x = rng.normal(size=(n, DIMS["D"]))
    y = rng.integers(0, DIMS["K"], size=n)
    inputs = {"x": x if layout == "sample-first" else x.T, "y": y}
    outputs, cache = gen.forward(params, inputs, {})
    return system, gen, params, x, y, outputs, cache


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_cross_entropy_equals_torch(layout: str) -> None:
    """-log softmax(f_i)_{y_i} per example, and its gradients, equal F.cross_entropy's."""
    _, gen, params, x, y, outputs, cache = run(XENT, layout)
    W = torch.tensor(params["W"], requires_grad=True)
    b = torch.tensor(params["b"], requires_grad=True)
    logits = torch.tensor(x) @ W.T + b
    want = F.cross_entropy(logits, torch.tensor(y), reduction="none")
    np.testing.assert_allclose(outputs["L"], want.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = np.random.default_rng(1).normal(size=len(y))
    (want * torch.tensor(g)).sum().backward()
    zeros = {k: np.zeros_like(v) for k, v in outputs.items()}
    grads = gen.backward(params, cache, {**zeros, "L": g})
    np.testing.assert_allclose(grads["W"], W.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grads["b"], b.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_a_shared_vector_at_labels_equals_a_loop() -> None:
    """c_{y_i} with c one vector for every example: the entries picked, and the gradient of
    c a scatter-add (labels repeat), as a loop over the examples computes them."""
    latex = XENT.replace("L_i = -\\log p_{y_i}", "L_i = c_{y_i} - \\log p_{y_i}")
    _, gen, params, _, y, outputs, cache = run(latex, "sample-first", n=9)
    c = params["c"]
    picked = np.array([c[label] for label in y])
    np.testing.assert_allclose(outputs["L"] + np.log(outputs["p"][np.arange(len(y)), y]), picked)
    g = np.random.default_rng(2).normal(size=len(y))
    zeros = {k: np.zeros_like(v) for k, v in outputs.items()}
    grads = gen.backward(params, cache, {**zeros, "L": g})
    want = np.zeros_like(c)
    for label, gi in zip(y, g, strict=True):
        want[label] += gi
    np.testing.assert_allclose(grads["c"], want)


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_check_draws_labels_in_range_and_passes(layout: str) -> None:
    """papermath check: labels are integers in 0..K-1 (no finite differences of a label); the
    backward agrees with finite differences and torch autograd."""
    results = check(papermath.compile(XENT), DIMS, layout=layout)
    assert {r.key for r in results} == {"W", "b", "x"}
    assert all(r.ok for r in results), results


def test_the_cs231n_softmax_loss_reads_and_checks() -> None:
    """p25 (CS231n): f_{y_i} the correct class's score, f_j the scores' entries, L_i per
    example and L the total; the shapes its expert notes give, y a target."""
    case = tomllib.loads((PAPERS / "p25_softmax_xent_cs231n.toml").read_text())
    system = papermath.compile(case["latex"], dims=case["dims"])
    for key, shape in case["expect"]["shapes"].items():
        assert list(system.shapes[key]) == shape, key
    assert system.kinds["y"] == "target"
    assert all(r.ok for r in check(system, case["dims"]))


def test_a_label_picks_from_vectors_only() -> None:
    """W_{y_i} with W a matrix (a row by a label) is refused, at the pick."""
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(
            "f_i = W_{y_i} x_i\nJ = \\sum_i f_i\nx_i \\in \\mathbb{R}^{D}, "
            "W \\in \\mathbb{R}^{K \\times D}"
        )
    assert "W_{y_i}" in err.value.render()


def test_the_entry_at_a_label_is_drawn_fed_by_the_vector_and_the_label() -> None:
    # before, the diagram of every system with f_{y_i} failed ("cannot draw Pick"): the
    # report showed no diagram for CS231n's loss
    from papermath.diagram import to_dot

    dot = to_dot(papermath.compile(XENT))
    assert "[·]<sub>y</sub>" in dot and "label:" in dot
    assert "the entry of a vector at an integer label" in dot
