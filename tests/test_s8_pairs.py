"""Brief PAIRS (issue 24): values with two indices over a graph's edges and over pairs of
neurons. DGL's GATConv (a layer recurrence written one step ahead, its attention labelled with
the layer and written with no step), DGL's GatedGCNConv (``\\Sigma`` as the summation sign, a
normaliser named by an italic word, "linear layers"), a fully connected layer written per
neuron. Generated code is compared with NumPy loops over the edges written by hand (float64);
where code is refused, the shapes against the notation's meaning and the refusal's caret."""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from graphfixtures import DST, SRC, N, readings, wild
from papermath.parse.normalize import normalize
from refusals import caret

ATOL = 1e-10
EDGES = np.stack([SRC.numpy(), DST.numpy()])  # (source j, target i) of each edge j -> i


def _leaky(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, 0.01 * x)


def _gat_by_hand(h0: np.ndarray, w: np.ndarray, a: np.ndarray) -> list[np.ndarray]:
    """GAT, one layer per step: e_ij = LeakyReLU(a . [W h_i ; W h_j]) for each edge j -> i,
    alpha_ij its softmax over the edges into i, h_i' = sum_j alpha_ij W h_j (a loop)."""
    out, h = [], h0
    for wl in w:
        new = np.zeros((N, wl.shape[0]))
        for i in range(N):
            into = [k for k in range(len(DST)) if int(DST[k]) == i]
            if not into:
                continue
            scores = []
            for k in into:
                j = int(SRC[k])
                scores.append(_leaky(a @ np.concatenate([wl @ h[i], wl @ h[j]])))
            weights = np.exp(scores) / np.sum(np.exp(scores))
            for k, alpha in zip(into, weights, strict=True):
                new[i] += alpha * (wl @ h[int(SRC[k])])
        out.append(new)
        h = new
    return out


# DGL's docstring as written, with its softmax over the neighbours (softmax_j), and the same
# layer with explicit steps: both a recurrence written one step ahead
GAT_FORMS = {
    "labels": wild("dgl_gatconv").replace(r"\mathrm{softmax_i}", r"\mathrm{softmax}_j"),
    "steps": "\n".join(
        [
            r"h_i^{(l+1)} = \sum_{j\in \mathcal{N}(i)} \alpha_{ij} W^{(l)} h_j^{(l)}",
            r"\alpha_{ij} = \mathrm{softmax}(e_{ij})",
            r"e_{ij} = \mathrm{LeakyReLU}(a^T [W^{(l)} h_i^{(l)} \| W^{(l)} h_j^{(l)}])",
        ]
    ),
}


@pytest.mark.parametrize("form", sorted(GAT_FORMS))
def test_gat_written_ahead_matches_a_loop_over_the_edges(form: str) -> None:
    """The attention and its score have no step of their own (or the layer's ^l): they are
    computed inside the step from the state before it, as the ahead equation's h^{(l)} is."""
    system = papermath.compile(GAT_FORMS[form])
    assert system.kinds["W"] == "parameter" and system.kinds["a"] == "parameter"
    assert system.shapes["alpha"] == () and system.shapes["e"] == ()
    (d,) = system.shapes["h"]
    assert system.shapes["a"] == (f"2*{d}",)
    dims = {d: 3, "L": 2}
    gen = papermath.compile(GAT_FORMS[form], dims).to_numpy(dims)
    rng = np.random.default_rng(1)
    w, a = rng.standard_normal((2, 3, 3)), rng.standard_normal(6)
    h0 = rng.standard_normal((N, 3))
    outputs, _ = gen.forward({"W": w, "a": a}, {"edges": EDGES}, {"h": h0})
    want = _gat_by_hand(h0, w, a)
    np.testing.assert_allclose(outputs["h"], np.stack(want), atol=ATOL, rtol=0)


def test_dgl_gatconv_reads_and_its_softmax_i_refuses_code() -> None:
    """DGL's ``\\mathrm{softmax_i}`` of a value per edge: at node i over its neighbours, or
    over the nodes i for each j? The shapes agree either way; code is refused at the word,
    the hint writing the softmax over the neighbours j."""
    system = papermath.compile(wild("dgl_gatconv"))
    (d,) = system.shapes["h"]
    assert system.shapes["W"] == (d, d) and system.shapes["a"] == (f"2*{d}",)
    assert system.kinds["h"] == "state" and system.kinds["W"] == "parameter"
    said = readings(system)
    assert any("ahead-step-layer-labels" in r for r in said)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({d: 3, "L": 2})
    assert caret(info.value) == r"\mathrm{softmax_i}"
    assert r"\mathrm{softmax}_j" in (info.value.hint or "")


GATED = r"""h_{i}' = A h_{i} + \Sigma_{j \in N_{i}} \hat{e}_{ij} \odot B h_{j}

\hat{e}_{ij} = \sigma(e_{ij}) / norm_{ij}

norm_{ij} = \Sigma_{j\in N_{i}} \sigma(e_{ij}) + \varepsilon

e_{ij} = D h_{i} + E h_{j}

where :math:`\sigma` is sigmoid function, :math:`\varepsilon` is a small fixed constant,
:math:`A, B, D, E` are linear layers."""


def test_gated_gcn_one_layer_matches_a_loop_over_the_edges() -> None:
    """``\\Sigma_{j \\in N_i}`` the sum over the neighbours; ``norm_{ij}`` one name, one value
    per node i (its sum binds j); the layers' letters learned (the prose)."""
    system = papermath.compile(GATED)
    for key in "ABDE":
        assert system.kinds[key] == "parameter"
    (d,) = system.shapes["h_prime"]
    assert system.shapes["norm"] == (d,) and system.shapes["e_hat"] == (d,)
    assert system.kinds["varepsilon"] == "constant"
    said = readings(system)
    assert any("capital-sigma-sum" in r for r in said)
    assert any("italic-word-defined" in r for r in said)
    assert any("edge-left-summed" in r for r in said)
    dims = {d: 3, **{s: 3 for s in system.shapes["h"]}}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(2)
    params = {k: rng.standard_normal((3, 3)) for k in "ABDE"}
    h, eps = rng.standard_normal((N, 3)), 1e-3
    outputs, _ = gen.forward(params, {"h": h, "edges": EDGES, "varepsilon": np.array(eps)})
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    want = h @ params["A"].T
    for i in range(N):
        into = [int(SRC[k]) for k in range(len(DST)) if int(DST[k]) == i]
        gates = [sig(params["D"] @ h[i] + params["E"] @ h[j]) for j in into]
        norm = sum(gates, np.zeros(3)) + eps
        for j, gate in zip(into, gates, strict=True):
            want[i] += gate / norm * (params["B"] @ h[j])
    np.testing.assert_allclose(outputs["h_prime"], want, atol=ATOL, rtol=0)


def test_dgl_gatedgcnconv_reads_and_its_edge_state_refuses_code() -> None:
    """The docstring as written: e_{ij}^{l+1} from e_{ij}^{l} is a state per edge; shapes
    and kinds read, code is refused at the edge's previous value."""
    system = papermath.compile(wild("dgl_gatedgcnconv"))
    (d,) = system.shapes["h"]
    for key in ("e", "e_hat", "norm"):
        assert system.shapes[key] == (d,)
    for key in "ABCDE":
        assert system.kinds[key] == "parameter" and system.shapes[key] == (d, d)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({d: 2, "L": 2})
    assert "state per edge" in info.value.message
    assert caret(info.value) == "e_{ij}^{l}"


def test_capital_sigma_is_a_sum_only_with_a_set_under_it() -> None:
    """``\\Sigma_{j \\in S}`` then a value is the sum (in place: the text keeps its length);
    ``\\Sigma_x`` (a covariance's label) stays the letter."""
    text = r"h_i' = \Sigma_{j \in \mathcal{N}(i)} W h_j"
    assert len(normalize(text).text) == len(text)
    assert r"\sum" in normalize(text).text
    system = papermath.compile(text)
    assert readings(system)["sum over the neighbours of i"]
    plain = papermath.compile(r"y = \Sigma_x v, v \in \mathbb{R}^{3}")
    assert plain.shapes["Sigma_x"] == ("3", "3") or len(plain.shapes["Sigma_x"]) == 2
    assert r"\sum" not in normalize(r"y = \Sigma_x v").text


def test_italic_word_is_a_name_only_where_a_left_side_defines_it() -> None:
    """``norm_{ij} = ...`` names one value; the same letters with spaces between, or never on a
    left side, stay a product."""
    system = papermath.compile(GATED)
    assert "norm" in system.shapes and "n" not in system.shapes
    product = papermath.compile(r"y = a b c_{i}, c_{i} \in \mathbb{R}^{3}, a \in \mathbb{R}")
    assert "abc" not in product.shapes


def test_fc_layer_per_neuron_reads_with_the_prose_saying_scalars() -> None:
    """``z_j = \\sum_i W_{ij} x_i`` where the prose says W_{ij}, z_j, y_i are scalars: i and j
    pick neurons, one number each (and per pair); code for values per pair is refused. Without
    the words, the same equations stay refused at the two indices."""
    system = papermath.compile(wild("notes_capsules_walkthrough_fc_neuron"))
    for key in ("z", "y", "x", "W"):
        assert system.shapes[key] == ()
    assert system.kinds["x"] == "input" and system.kinds["W"] == "parameter"
    assert any("pair-scalars-said" in r for rs in readings(system).values() for r in rs)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({})
    assert "values per pair" in (info.value.hint or "")
    with pytest.raises(papermath.PapermathError) as bare:
        papermath.compile(r"z_j = \sum_i W_{ij} x_i")
    assert caret(bare.value) == "ij"
