"""A learnable function applied to each row of a matrix (shapes/rules_row_map.py), the
adjacency of ``(A + (1 + eps) I) X`` (read/rules_self_loops.py), the words under an
``\\underbrace`` written ``_\\text{...}`` (parse/normalize.py) and a sum of squared entries as
the squared Frobenius norm (read/rules_entry_squares.py): GINConv's matrix form
(p12_ginconv_pyg) checked against torch.nn.Linear applied to the rows; the norm against a
NumPy loop and torch.linalg.matrix_norm; the paper still refused (p29) at its
construct, with a hint whose suggestion reads (p04 and p25 read now: tests/test_s5_att.py,
tests/test_label_pick.py)."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest
import torch

import papermath
from conftest import ROOT
from papermath.check import check

PAPERS = ROOT.parent / "shared" / "corpus_papers"

GIN = (
    "\\mathbf{X}^{\\prime} = h_{\\mathbf{\\Theta}} \\left( \\left( \\mathbf{A} + (1 + \\epsilon) "
    "\\cdot \\mathbf{I} \\right) \\cdot \\mathbf{X} \\right)\n"
    "\\mathbf{X} \\in \\mathbb{R}^{N \\times F}, \\mathbf{A} \\in \\mathbb{R}^{N \\times N}, "
    "\\mathbf{X}^{\\prime} \\in \\mathbb{R}^{N \\times H}"
)
DIMS = {"N": 5, "F": 3, "H": 4}


def test_gin_reads_h_per_row_and_a_as_the_adjacency() -> None:
    system = papermath.compile(GIN)
    assert system.shapes["X_prime"] == ("N", "H")
    assert system.shapes["I"] == ("N", "N")
    assert system.kinds["A"] == "input" and system.kinds["I"] == "identity"
    said = {r.reading for r in system.readings}
    assert "h_Theta applied to each row (one learnable map shared by the rows)" in said
    why = [r.reason for r in system.readings if r.reading == "input by role"]
    assert any(w.startswith("A is a graph's adjacency") for w in why), why


def test_gin_forward_is_torch_linear_on_the_rows() -> None:
    """The generated NumPy and torch forwards against torch.nn.Linear(F, H) applied to
    (A + (1 + eps) I) X, with the same weights."""
    system = papermath.compile(GIN)
    rng = np.random.default_rng(0)
    a = rng.uniform(0.0, 1.0, size=(5, 5))
    x = rng.normal(size=(5, 3))
    eps = 0.3
    linear = torch.nn.Linear(3, 4, dtype=torch.float64)
    propagated = torch.tensor(a + (1 + eps) * np.eye(5), dtype=torch.float64)
    want = linear(propagated @ torch.tensor(x)).detach().numpy()
    params = {
        "h_Theta.weight": linear.weight.detach().numpy(),
        "h_Theta.bias": linear.bias.detach().numpy(),
    }
    inputs = {"A": a, "X": x, "epsilon": np.float64(eps)}
    gen = system.to_numpy(DIMS)
    got = gen.forward(params, inputs, {})[0]["X_prime"]
    np.testing.assert_allclose(got, want, atol=1e-12, rtol=0)
    module = system.to_torch(DIMS, dtype=torch.float64)
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(torch.tensor(params[name]))
    out = module(**{k: torch.tensor(v, dtype=torch.float64) for k, v in inputs.items()})
    np.testing.assert_allclose(out["X_prime"].detach().numpy(), want, atol=1e-12, rtol=0)


def test_gin_passes_check() -> None:
    results = check(papermath.compile(GIN), DIMS)
    assert results and all(r.ok for r in results), results


@pytest.mark.parametrize(
    "source",
    [
        # the result not declared: which axis does h map?
        "Y = h(X)\nX \\in \\mathbb{R}^{N \\times F}",
        # the columns kept, not the rows: a map of each column is not read
        "Y = h(X)\nX \\in \\mathbb{R}^{N \\times F}, Y \\in \\mathbb{R}^{M \\times F}",
        # both kept: each row F -> F, or each column N -> N?
        "Y = h(X)\nX \\in \\mathbb{R}^{N \\times F}, Y \\in \\mathbb{R}^{N \\times F}",
    ],
)
def test_a_map_of_a_matrix_the_declarations_do_not_fix_stays_refused(source: str) -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    assert info.value.span is not None
    assert "for one row" in (info.value.hint or ""), info.value.render()


@pytest.mark.parametrize(
    ("source", "key"),
    [
        ("Y = (W + I) X\nX \\in \\mathbb{R}^{N \\times F}", "W"),  # a weight plus a skip
        ("y = (A + I) x\nx \\in \\mathbb{R}^{n}", "A"),  # a state space's matrix
    ],
)
def test_a_sum_with_the_identity_that_is_no_adjacency(source: str, key: str) -> None:
    system = papermath.compile(source)
    assert system.kinds[key] == "parameter"


def test_the_adjacency_can_be_learned_where_the_source_says_so() -> None:
    system = papermath.compile(GIN + "\n% papermath: A is parameter")
    assert system.kinds["A"] == "parameter"


def test_words_under_an_underbrace_written_without_braces() -> None:
    """``\\underbrace{...}_\\text{data loss}``: TeX's script argument is the command and its
    group; the words are about the term, and L reads as the sum of the two terms."""
    system = papermath.compile(
        "L = \\underbrace{ \\frac{1}{N} \\sum_i a_i }_\\text{data loss} + "
        "\\underbrace{ \\lambda r }_\\text{regularization loss}\n"
        "a \\in \\mathbb{R}^{N}, r \\in \\mathbb{R}"
    )
    assert system.shapes["L"] == ()


# The papers of this brief still refused (p29): each at its construct, with a hint
# whose suggestion reads (the suggestion compiled here, as a user would type it).
REFUSED = {
    "p29_mlp_ng_dimfirst": "a^{[2] (i)}",
}
HINTED: dict[str, tuple[str, dict[str, str]]] = {}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_papers_left_refused_at_the_construct(name: str) -> None:
    case = tomllib.loads((PAPERS / f"{name}.toml").read_text())
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(case["latex"])
    err = info.value
    assert err.span is not None and err.source is not None
    assert err.message.startswith(REFUSED[name]), err.render()
    if name in HINTED:
        suggestion, kinds = HINTED[name]
        system = papermath.compile(suggestion)
        assert {k: system.kinds[k] for k in kinds} == kinds


def test_sum_of_squared_entries_is_the_squared_frobenius_norm() -> None:
    """CS231n's R(W) = sum_k sum_l W_{k,l}^2 against a NumPy double loop written here, and
    sum_{i,j} (A_ij - B_ij)^2 against torch's own Frobenius norm."""
    system = papermath.compile("R = \\sum_k\\sum_l W_{k,l}^2\nW \\in \\mathbb{R}^{K \\times D}")
    assert system.shapes["R"] == () and system.shapes["W"] == ("K", "D")
    assert any(r.reading == "squared Frobenius norm (every entry)" for r in system.readings)
    w = np.random.default_rng(2).normal(size=(3, 5))
    want = sum(w[k, j] ** 2 for k in range(3) for j in range(5))
    got = system.to_numpy({"K": 3, "D": 5}).forward({"W": w}, {}, {})[0]["R"]
    assert np.isclose(got, want, rtol=1e-12)
    assert all(r.ok for r in check(system, {"K": 3, "D": 5}))
    pair = papermath.compile(
        "R = \\sum_{i,j} (A_{ij} - B_{ij})^2\n"
        "A \\in \\mathbb{R}^{n \\times m}, B \\in \\mathbb{R}^{n \\times m}"
    )
    a, b = np.random.default_rng(3).normal(size=(2, 4, 2))
    module = pair.to_torch({"n": 4, "m": 2}, dtype=torch.float64)
    out = module(A=torch.tensor(a), B=torch.tensor(b))["R"]
    want_t = torch.linalg.matrix_norm(torch.tensor(a - b), ord="fro") ** 2
    assert torch.isclose(out, want_t, rtol=1e-12)


@pytest.mark.parametrize(
    "source",
    [
        # bounds written: they may cover part of the matrix
        "R = \\sum_{k=1}^{K}\\sum_{l=1}^{D} W_{k,l}^2\nW \\in \\mathbb{R}^{K \\times D}",
        # an index used outside the entries
        "R = \\sum_k\\sum_l k W_{k,l}^2\nW \\in \\mathbb{R}^{K \\times D}",
    ],
)
def test_other_sums_of_entries_are_not_read_as_a_norm(source: str) -> None:
    try:
        system = papermath.compile(source)
    except papermath.PapermathError as err:
        assert err.span is not None
        return
    assert not any(r.reading.startswith("squared Frobenius") for r in system.readings)
