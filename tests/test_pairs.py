r"""Values per pair of indices (read/rules_pairs.py): a capsule layer's routing as Sabour, Frosst &
Hinton (2017, eqs. 1-3) print it. No code is generated for it yet, so the oracle is the
paper's formulas written here as a NumPy loop by hand, one capsule pair at a time: the shapes
papermath gives (one member's, one pair's) must be exactly the ones that loop needs, and the
loop's result checks the reading of the sums (over i for each j; over k in j's place) against
an einsum over the stacked sets."""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError
from papermath.explain import explain

CAPSULES = (
    "v_j = \\frac{||s_j||^2}{1+||s_j||^2} \\frac{s_j}{||s_j||}\n"
    "\\hat{u}_{j|i} = W_{ij} u_i, \\quad s_j = \\sum_i c_{ij} \\hat{u}_{j|i}\n"
    "c_{ij} = \\frac{\\exp(b_{ij})}{\\sum_k \\exp(b_{ik})}\n"
    "u_i \\in \\mathbb{R}^{8}, v_j \\in \\mathbb{R}^{16}"
)
N_IN, N_OUT = 5, 3  # capsules below and above (the source leaves them free)


def sizes(shape: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(int(s) for s in shape)


def by_hand(W: np.ndarray, u: np.ndarray, b: np.ndarray) -> np.ndarray:
    """v[j]: eqs. 1-3 one pair at a time."""
    c = np.zeros(b.shape)
    for i in range(N_IN):
        total = sum(np.exp(b[i, k]) for k in range(N_OUT))
        for j in range(N_OUT):
            c[i, j] = np.exp(b[i, j]) / total
    v = []
    for j in range(N_OUT):
        s = sum(c[i, j] * (W[i, j] @ u[i]) for i in range(N_IN))
        norm = np.sqrt(sum(x * x for x in s))
        v.append(norm**2 / (1 + norm**2) * s / norm)
    return np.array(v)


def test_capsule_routing_shapes_fit_the_papers_loop() -> None:
    system = papermath.compile(CAPSULES)
    shapes = {k: tuple(str(s) for s in v) for k, v in system.shapes.items()}
    assert shapes["W"] == ("16", "8") and shapes["u"] == ("8",)
    assert shapes["u_hat"] == shapes["s"] == shapes["v"] == ("16",)
    assert shapes["c"] == shapes["b"] == ()
    assert system.kinds["W"] == "parameter" and system.kinds["u"] == "input"
    assert system.kinds["b"] == "input"  # routing logits: not a weight letter's parameter
    # stacked, the sets come first; the loop runs with exactly papermath's per-pair shapes
    rng = np.random.default_rng(0)
    W = rng.normal(size=(N_IN, N_OUT, *sizes(shapes["W"])))
    u = rng.normal(size=(N_IN, *sizes(shapes["u"])))
    b = rng.normal(size=(N_IN, N_OUT, *sizes(shapes["b"])))
    v = by_hand(W, u, b)
    assert v.shape == (N_OUT, *sizes(shapes["v"]))
    # the sums as read: softmax over k (j's set) for each i; sum over i for each j
    c = np.exp(b) / np.exp(b).sum(axis=1, keepdims=True)
    s = np.einsum("ij,ija->ja", c, np.einsum("ijab,ib->ija", W, u))
    n = np.linalg.norm(s, axis=1, keepdims=True)
    assert np.allclose(v, n**2 / (1 + n**2) * s / n)


def test_the_readings_say_value_per_pair_and_the_sets() -> None:
    system = papermath.compile(CAPSULES)
    said = " ".join(f"{r.subject} {r.reading} {r.reason}" for r in system.readings)
    assert "value per pair (i, j)" in said and "value per pair (j, i)" in said
    assert "the same set as j" in said  # k of b_{ik}
    facts = {f.letter: f.meaning for f in explain(system).indices}
    assert "one member of a set of vectors" in facts["i"] and "graph" not in facts["i"]
    assert "the same set as j" in facts["k"]


def test_code_is_refused_at_a_value_per_pair() -> None:
    system = papermath.compile(CAPSULES)
    with pytest.raises(PapermathError) as err:
        system.to_numpy()
    assert "read for its shape only" in err.value.message
    assert err.value.span is not None and err.value.source is not None
    assert err.value.source.snippet(err.value.span).startswith("\\hat{u}_{j|i}")
    assert "values per pair" in (err.value.hint or "")


def test_routing_update_in_place_reads_as_one_iteration() -> None:
    # v_j from s_j from c_{ij} from b_{ij}: the update can only run after them (routing-iteration)
    text = CAPSULES + "\nb_{ij} = b_{ij} + \\hat{u}_{j|i} \\cdot v_j"
    system = papermath.compile(text)
    assert tuple(system.shapes["b_prime"]) == tuple(system.shapes["b"]) == ()
    said = " ".join(f"{r.reading} {r.reason}" for r in system.readings)
    assert "one routing iteration" in said and "v from s from c from b" in said
    # the same update written as the hint of the refusal said: the same reading
    one = papermath.compile(CAPSULES + "\nb'_{ij} = b_{ij} + \\hat{u}_{j|i} \\cdot v_j")
    assert tuple(one.shapes["b_prime"]) == ()


def test_update_in_place_without_the_sources_word_stays_refused() -> None:
    # a_{ij} given: nothing computes the update's right side from b, and no word says update
    text = CAPSULES + "\nb_{ij} = b_{ij} + a_{ij}"
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "depends on itself" in err.value.message
    assert "one iteration" in (err.value.hint or "")


@pytest.mark.parametrize(
    "text",
    [
        # no norm: i and j may be a matrix's entries (z_j = \sum_i W_{ij} x_i, scalars)
        "\\hat{u}_{j|i} = W_{ij} u_i, s_j = \\sum_i c_{ij} \\hat{u}_{j|i}",
        "z_j = \\sum_i W_{ij} x_i, y_j = \\max(0, z_j)",
        # no sum binds a letter and no bar: the softmax's set is not said
        "v_j = \\frac{||s_j||^2}{1+||s_j||^2} \\frac{s_j}{||s_j||}, e_{ij} = W_{ij} u_i, "
        "c_{ij} = \\mathrm{softmax}(b_{ij})",
    ],
)
def test_without_the_sources_evidence_two_indices_stay_refused(text: str) -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "two indices" in err.value.message
    assert "rules_pairs" in (err.value.hint or "")


@pytest.mark.parametrize(
    "text",
    [
        # the experiment log's bullets: no sum, the softmax's set left to the code (refused)
        "v_j = \\frac{||s_j||^2}{1+||s_j||^2} \\frac{s_j}{||s_j||}, \\hat{u}_{j|i} = W_{ij} u_i, "
        "c_{ij} = \\mathrm{softmax}(b_{ij})",
    ],
)
def test_the_bar_of_a_prediction_says_values_per_pair(text: str) -> None:
    # \hat{u}_{j|i}: "j given i" is no matrix entry's subscript; the loop by hand fits the
    # shapes papermath gives (one pair's W, one member's u and \hat{u})
    system = papermath.compile(text)
    said = " ".join(r.reason for r in system.readings)
    assert "the bar of _{j|i}" in said
    shapes = {k: tuple(str(x) for x in v) for k, v in system.shapes.items()}
    assert shapes["W"] == (shapes["u_hat"][0], shapes["u"][0]) and shapes["c"] == ()
    rng = np.random.default_rng(1)
    d_out, d_in = 4, 3
    W = rng.normal(size=(N_IN, N_OUT, d_out, d_in))
    u = rng.normal(size=(N_IN, d_in))
    u_hat = np.zeros((N_OUT, N_IN, d_out))
    for i in range(N_IN):
        for j in range(N_OUT):
            u_hat[j, i] = W[i, j] @ u[i]
    assert np.allclose(u_hat, np.einsum("ijab,ib->jia", W, u))
    with pytest.raises(PapermathError) as err:
        system.to_numpy()
    assert "values per pair" in (err.value.hint or "")


def test_matrix_entries_summed_stay_the_matrix_product() -> None:
    system = papermath.compile("y_i = \\tanh(\\sum_j U_{i,j} x_j) + x_i, x \\in \\mathbb{R}^n")
    assert tuple(str(s) for s in system.shapes["U"]) == ("n", "n")


def test_a_declared_vector_per_letter_is_the_evidence_too() -> None:
    # no norm: u_i \in R^8 says u_i is a vector (a capsule), not an entry
    system = papermath.compile(
        "\\hat{u}_{j|i} = W_{ij} u_i, s_j = \\sum_i c_{ij} \\hat{u}_{j|i}, "
        "c_{ij} = \\frac{\\exp(b_{ij})}{\\sum_k \\exp(b_{ik})}, "
        "u_i \\in \\mathbb{R}^{8}, s_j \\in \\mathbb{R}^{16}"
    )
    assert tuple(str(s) for s in system.shapes["W"]) == ("16", "8")
    assert tuple(system.shapes["c"]) == ()
    said = " ".join(r.reason for r in system.readings)
    assert "s_j \\in \\mathbb{R}^{16} shows what carries j alone is a vector" in said
    # declared a number (R, not R^n): entries, refused as before
    with pytest.raises(PapermathError) as err:
        papermath.compile("z_j = \\sum_i W_{ij} x_i, x_i \\in \\mathbb{R}")
    assert "two indices" in err.value.message
