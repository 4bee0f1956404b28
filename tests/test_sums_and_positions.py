"""Sums over ranges and values with a step and a position (read/rules_sums.py,
read/rules_positions.py, rules_graph.open_degree_sums): each construct read right, checked
against an independent computation (NumPy written here from the source's own per-entry
formula) and by finite differences where code is generated; each near miss refused with its
caret on the construct and a hint that is right."""

from __future__ import annotations

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


def refused(latex: str) -> tuple[str, str, str]:
    """(the text under the caret, the message, the hint) of the refusal of ``latex``."""
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex)
    err = info.value
    assert err.source is not None and err.span is not None, err.render()
    return err.source.text[err.span.start : err.span.end], err.message, err.hint or ""


# ---- step-and-position ----------------------------------------------------------------------
def test_step_and_position_is_read_per_step_and_position() -> None:
    """Bahdanau's alignment model: i the decoder step (s_{i-1}), j and k the source positions
    (bound by sums 1..T_x beside i): e and alpha one number per step and position, c_i the
    weights times the annotations (the shapes the declarations force), never a batch."""
    system = papermath.compile(BAHDANAU)
    assert system.shapes["e"] == () and system.shapes["alpha"] == ()
    assert system.shapes["c"] == ("2*n",) and system.shapes["h"] == ("2*n",)
    assert system.shapes["U_a"] == ("n'", "2*n") and system.shapes["W_a"] == ("n'", "n")
    assert system.kinds["h"] == "input" and system.kinds["s"] == "input"
    assert system.kinds["U_a"] == "parameter"
    said = {r.reading for r in system.readings}
    assert "value per step i and position j" in said
    assert "value per step i and position k" in said
    assert not any("batch" in r.reading for r in system.readings)


def test_step_and_position_code_with_a_state_is_refused_at_the_sum() -> None:
    """The sum over the positions at every step generates where nothing is carried from step
    to step (tests/test_positions_per_step.py); beside a state carried across the steps (the
    decoder's s_i defined from s_{i-1} and c_i) code is refused at that sum, the hint saying
    what generates."""
    latex = BAHDANAU.replace(
        "h_j \\in", "s_i = \\tanh(W s_{i-1} + C c_i + V y_i)\ny_i \\in \\mathbb{R}^{m}, h_j \\in"
    )
    dims = {"n": 2, "n'": 2, "m": 2}
    system = papermath.compile(latex, dims)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy(dims)
    err = info.value
    assert err.span is not None and err.source is not None
    assert err.source.text[err.span.start : err.span.end].startswith("\\sum_{k=1}^{T_x}")
    assert "positions" in err.message and "state carried" in err.message
    assert "give the state as an input at every step" in (err.hint or "")


def test_one_step_of_the_alignment_model_against_numpy() -> None:
    """The hint's one-step form (c = \\sum_j alpha_j h_j) generates: against the per-entry
    formulas computed here in NumPy, and by finite differences (check)."""
    latex = (
        "% papermath: s is input\n"
        "e_j = v_a^\\top \\tanh(W_a s + U_a h_j)\n"
        "\\alpha_j = \\frac{\\exp(e_j)}{\\sum_{k} \\exp(e_k)}\n"
        "c = \\sum_{j} \\alpha_j h_j\n"
        "h_j \\in \\mathbb{R}^{2n}, h_k \\in \\mathbb{R}^{2n}, s \\in \\mathbb{R}^{n}, "
        "v_a \\in \\mathbb{R}^{m}"
    )
    dims = {"n": 2, "m": 3}
    system = papermath.compile(latex, dims)
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(0)
    params = gen.init_params(rng)
    h = rng.normal(size=(5, 4))  # 5 positions, 2n = 4
    s = rng.normal(size=(2,))
    assert system.kinds["s"] == "input" and system.kinds["h"] == "input"
    # s is one per sequence (a graph of positions): a leading axis of one sequence
    got = gen.forward(params, {"h": h, "s": s[None, :]}, {})[0]["c"][0]
    e = np.array(
        [params["v_a"] @ np.tanh(params["W_a"] @ s + params["U_a"] @ h[j]) for j in range(5)]
    )
    alpha = np.exp(e) / np.exp(e).sum()
    want = sum(alpha[j] * h[j] for j in range(5))
    assert np.allclose(got, want)
    assert all(r.ok for r in check(system, dims))


def test_two_positions_without_a_step_stay_refused() -> None:
    """Two position letters on one value (cs231n's e_{i,j}, two positions of one sequence)
    name no step: still refused at the indices."""
    under, message, _ = refused(
        "y_j = \\sum_{i=1}^{T} a_{ij} x_i\nx_i \\in \\mathbb{R}^{d}, y_j \\in \\mathbb{R}^{d}"
    )
    assert "ij" in under and "two indices" in message


# ---- sum-counted-from-zero -----------------------------------------------------------------
def test_sum_counted_from_zero_runs_over_the_entries() -> None:
    """\\sum_{i=0}^{n-1} a_i b_i: the n entries (counted from 0), the dot product: against
    NumPy's, and by finite differences."""
    system = papermath.compile(
        "y = \\sum_{i=0}^{n-1} a_i b_i\na \\in \\mathbb{R}^{n}, b \\in \\mathbb{R}^{n}"
    )
    assert system.shapes["y"] == () and system.shapes["a"] == ("n",)
    assert any(r.reading == "sum counted from 0" for r in system.readings)
    dims = {"n": 4}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(2)
    params = gen.init_params(rng)
    a, b = rng.normal(size=4), rng.normal(size=4)
    values = {"a": a, "b": b}
    inputs = {k: v for k, v in values.items() if system.kinds[k] != "parameter"}
    params.update({k: v for k, v in values.items() if system.kinds[k] == "parameter"})
    got = gen.forward(params, inputs, {})[0]["y"]
    assert np.allclose(got, np.dot(a, b))
    assert all(r.ok for r in check(system, dims))


@pytest.mark.parametrize(
    ("latex", "under", "words"),
    [
        ("y = \\sum_{i=0}^{n} a_i\na \\in \\mathbb{R}^{n}", "i=0", "counts n + 1 terms"),
        (  # TAGConv's power without parentheses: A^{k} could be a label of A (the power of
            # a parenthesized matrix, (D^{-1/2} A D^{-1/2})^{k}, reads: rules_orders.py)
            "H = \\sum_{k=0}^{K-1} A^{k} X \\Theta_k",
            "k=0",
            "orders or powers",
        ),
        # (a geometric series, d2l's Adam's \\sum_{i=0}^{t-1} \\beta^i, reads: a sum over orders,
        # operators.sum-of-powers, tests/test_s7_GRAPHB.py)
    ],
)
def test_ranges_from_zero_that_are_not_entries_are_refused(
    latex: str, under: str, words: str
) -> None:
    got, message, hint = refused(latex)
    assert got == under and words in message
    assert "\\sum_{i=1}^{n}" in hint


# ---- power-of-summed-index -----------------------------------------------------------------
def test_greek_letter_to_the_power_of_a_summed_index_is_refused() -> None:
    """\\beta^i under a sum over entries (\\sum_i of x_i): beta to the power i, never the entry
    i of a vector beta (which papermath read before, silently); under a range of orders,
    \\sum_{i=1}^{t} \\beta^i reads (operators.sum-of-powers)."""
    got, message, hint = refused("y = \\sum_{i} \\beta^i x_i")
    assert got == "\\beta^i" and "power i" in message
    assert "\\beta_i" in hint


# ---- sum-index-on-the-line -----------------------------------------------------------------
def test_sum_index_written_on_the_line_is_refused_with_the_reading_it_means() -> None:
    got, message, hint = refused("s_j = \\sum i c_{ij} \\hat{u}_{j|i}\n\\hat{u}_{j|i} = W_{ij} u_i")
    assert got == "\\sum i" and "\\sum_i" in message
    assert hint.startswith("write the index under the sum: \\sum_i c_{ij}")


def test_sum_with_nothing_under_it_keeps_the_general_refusal() -> None:
    """No lone letter the body indexes by: the general message, at the whole sum."""
    got, message, _ = refused("y = \\sum a b\na \\in \\mathbb{R}^{n}")
    assert got.startswith("\\sum") and message == "a sum needs what it ranges over"


# ---- degree sums with a lower limit only ------------------------------------------------------
def test_degree_sum_from_zero_is_the_row_sum() -> None:
    """PyG's D_ii = \\sum_{j=0} A_ij (no upper limit) defines D as A's row sums: the
    generated forward against explicit diagonal matrices (np.diag), and check."""
    system = papermath.compile(
        "Y = \\hat{D}^{-1/2} \\hat{A} \\hat{D}^{-1/2} X W\n"
        "\\hat{D}_{ii} = \\sum_{j=0} \\hat{A}_{ij}\n"
        "X \\in \\mathbb{R}^{N \\times C}, W \\in \\mathbb{R}^{C \\times F}"
    )
    assert system.kinds["A_hat"] == "input" and system.shapes["D_hat"] == ("N", "N")
    assert any(r.reading == "sum over all the columns" for r in system.readings)
    dims = {"N": 4, "C": 3, "F": 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    a = rng.uniform(0.1, 1.0, size=(4, 4))
    x = rng.normal(size=(4, 3))
    got = gen.forward(params, {"A_hat": a, "X": x}, {})[0]["Y"]
    d = np.diag(a.sum(axis=1) ** -0.5)
    assert np.allclose(got, d @ a @ d @ x @ params["W"])
    assert all(r.ok for r in check(system, dims))


def test_open_sum_elsewhere_stays_refused() -> None:
    """A sum with a lower limit only, not a degree definition: its range is not written."""
    got, message, _ = refused("y = \\sum_{j=0} a_j\na \\in \\mathbb{R}^{n}")
    assert got == "j=0" and "range" in message


# ---- a count of i inside a sum over i's neighbours ------------------------------------------
def test_count_inside_the_neighbour_sum_is_taken_at_the_node() -> None:
    """\\sum_{j \\in N(i)} \\frac{1}{|N(i)|} W x_j is the mean over i's neighbours (PyG's
    mean aggregation): the count is i's, never the neighbour j's. Against a hand-written
    torch mean on a graph whose nodes have different in-degrees, and check."""
    torch = pytest.importorskip("torch")
    latex = "y_i = \\sum_{j \\in \\mathcal{N}(i)} \\frac{1}{|\\mathcal{N}(i)|} W x_j"
    dims = {"d1": 2, "d2": 3}
    system = papermath.compile(latex, dims)
    module = system.to_torch(dims, dtype=torch.float64)
    src = torch.tensor([1, 2, 3, 0, 2, 3, 0])
    dst = torch.tensor([0, 0, 0, 1, 1, 2, 3])  # in-degrees 3, 2, 1, 1
    x = torch.randn(4, 3, dtype=torch.float64)
    got = module(x=x, edges=torch.stack([src, dst]))["y"]
    summed = torch.zeros(4, 3, dtype=torch.float64).index_add(0, dst, x[src])
    degree = torch.bincount(dst, minlength=4).to(torch.float64)
    want = (summed / degree[:, None]) @ module.W.T
    torch.testing.assert_close(got, want, atol=1e-12, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_scaled_matrix_times_an_open_vector_is_a_matrix_product() -> None:
    """2 W \\cdot x: x fits as a number only because any other shape needs a new size; that
    is no reason, so x keeps its letter's convention (a vector) and \\cdot is W x (before,
    x was read as a number, silently)."""
    system = papermath.compile("y = 2 W \\cdot x")
    assert len(system.shapes["W"]) == 2
    assert system.shapes["x"] == (system.shapes["W"][1],)
    assert system.shapes["y"] == (system.shapes["W"][0],)


def test_a_summed_entry_index_beside_a_step_is_no_position() -> None:
    """z_{t,i} under \\sum_{i=1}^{n}, no vector declared per i: i picks entries (a loss over
    classes at step t), not positions; still refused at the two indices, never read as one
    number per position."""
    under, message, _ = refused(
        "h_t = \\tanh(W h_{t-1} + U x_t)\n"
        "L_t = -\\sum_{i=1}^{n} z_{t,i} \\log h_{t,i}\n"
        "x_t \\in \\mathbb{R}^{m}, h_t \\in \\mathbb{R}^{d}"
    )
    assert under == "z_{t,i}" and "two indices" in message
