r"""Values with two indices (issue 24, session 5, PAIRS): the row times a transposed row
(shapes/rules_row_dot.py), values per pair whose letters are both shown to pick vectors
(read/rules_pairs.py without a sum), and the refusals' hints (read/rules_pair_hints.py).

Oracles: the generated NumPy against the product written by hand (``x @ W @ y``) and its
gradient against central finite differences in float64; the per-pair shapes against a NumPy
loop written by hand, one capsule pair at a time; each hint is followed (the text rewritten as
it says) and the rewritten text must get past the construct the hint names."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError

CASES = Path(__file__).resolve().parent / "wild" / "cases"


def case(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def shapes(system: papermath.System) -> dict[str, tuple[str, ...]]:
    return {k: tuple(str(s) for s in v) for k, v in system.shapes.items()}


def refusal(text: str) -> PapermathError:
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert err.value.span is not None and err.value.source is not None
    return err.value


def under(err: PapermathError) -> str:
    assert err.source is not None and err.span is not None
    return err.source.snippet(err.span)


# ---- shapes/rules_row_dot.py: (x W) y^T is a number -----------------------------------------
def test_row_times_matrix_times_transposed_row_is_a_number() -> None:
    system = papermath.compile(r"e = x W y^\top, x \in \mathbb{R}^{3}, y \in \mathbb{R}^{4}")
    assert shapes(system) == {"e": (), "x": ("3",), "W": ("3", "4"), "y": ("4",)}
    said = " ".join(f"{r.reading} {r.reason}" for r in system.readings)
    assert "dot product" in said and "a row transposed, a column" in said


def test_row_dot_code_is_the_bilinear_form_and_its_gradient() -> None:
    system = papermath.compile(r"e = x W y^\top, x \in \mathbb{R}^{3}, y \in \mathbb{R}^{4}")
    gen = system.to_numpy()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3))  # five examples (the generated code's first axis)
    W, y = rng.normal(size=(3, 4)), rng.normal(size=4)
    out, cache = gen.forward({"W": W, "y": y}, {"x": x}, {})
    want = np.array([x[n] @ W @ y for n in range(5)])  # by hand, one example at a time
    assert np.allclose(out["e"], want)
    grads = gen.backward({"W": W, "y": y}, cache, {"e": np.ones(5)})
    eps = 1e-6
    for name, value in (("W", W), ("y", y)):
        numeric = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            up, down = value.copy(), value.copy()
            up[idx] += eps
            down[idx] -= eps
            p_up = {"W": W, "y": y, name: up}
            p_down = {"W": W, "y": y, name: down}
            f_up = gen.forward(p_up, {"x": x}, {})[0]["e"].sum()
            f_down = gen.forward(p_down, {"x": x}, {})[0]["e"].sum()
            numeric[idx] = (f_up - f_down) / (2 * eps)
        assert np.allclose(grads[name], numeric, atol=1e-6), name


def test_two_matrices_between_the_rows() -> None:
    system = papermath.compile(
        r"e = x W V^\top y^\top, x \in \mathbb{R}^{3}, y \in \mathbb{R}^{5}, "
        r"W \in \mathbb{R}^{3 \times 4}"
    )
    got = shapes(system)
    assert got["e"] == () and got["V"] == ("5", "4")
    rng = np.random.default_rng(1)
    x, W = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    V, y = rng.normal(size=(5, 4)), rng.normal(size=5)
    out, _ = system.to_numpy().forward({"W": W, "V": V, "y": y}, {"x": x}, {})
    assert np.allclose(out["e"], [x[n] @ W @ V.T @ y for n in range(2)])


def test_a_column_times_a_transposed_vector_stays_the_outer_product() -> None:
    system = papermath.compile(r"A = f c^\top, f \in \mathbb{R}^{3}, c \in \mathbb{R}^{4}")
    assert shapes(system)["A"] == ("3", "4")


# ---- read/rules_pairs.py: both letters shown to pick vectors, no sum ------------------------
AGREEMENT = (
    r"\hat{u}_{j|i} = W_{ij} u_i, u_i \in \mathbb{R}^{8}, "
    r"v_j = \frac{||s_j||^2}{1+||s_j||^2} \frac{s_j}{||s_j||}, s_j \in \mathbb{R}^{16}, "
    r"a_{ij} = \hat{u}_{j|i} \cdot v_j"
)


def test_values_per_pair_without_a_sum_fit_the_hand_loop() -> None:
    system = papermath.compile(AGREEMENT)
    got = shapes(system)
    assert got["W"] == ("16", "8") and got["u"] == ("8",) and got["u_hat"] == ("16",)
    assert got["a"] == () and got["v"] == got["s"] == ("16",)
    said = " ".join(r.reason for r in system.readings)
    assert "||s_j|| and u_i \\in \\mathbb{R}^{8} show" in said
    # the capsule loop by hand, with exactly papermath's one-pair shapes
    n_in, n_out = 4, 3
    rng = np.random.default_rng(2)
    W = rng.normal(size=(n_in, n_out, 16, 8))
    u, s = rng.normal(size=(n_in, 8)), rng.normal(size=(n_out, 16))
    a = np.zeros((n_in, n_out))
    for i in range(n_in):
        for j in range(n_out):
            u_hat = W[i, j] @ u[i]
            norm = np.sqrt(sum(x * x for x in s[j]))
            v = norm**2 / (1 + norm**2) * s[j] / norm
            assert u_hat.shape == (16,) and v.shape == (16,)
            a[i, j] = sum(u_hat[k] * v[k] for k in range(16))
    length = np.linalg.norm(s, axis=1)[:, None]
    stacked_v = length**2 / (1 + length**2) * s / length
    assert np.allclose(a, np.einsum("ija,ja->ij", np.einsum("ijab,ib->ija", W, u), stacked_v))


def test_one_letter_shown_a_vector_and_no_sum_reads_with_the_bar_of_the_prediction() -> None:
    # session 7 (CAPS): the bar of \hat{u}_{j|i} and ||s_j|| read the pairs, the update
    # ("Dynamic Routing Update") one routing iteration (tests/test_s7_CAPS.py has the loop)
    system = papermath.compile(case("notes_capsule_experiment_log"))
    said = " ".join(r.reason for r in system.readings)
    assert "the bar of _{j|i}" in said and "one iteration of the routing loop" in said
    assert shapes(system)["b_prime"] == shapes(system)["b"] == ()


def test_a_softmax_of_a_value_per_pair_says_which_letter_without_graph_words() -> None:
    system = papermath.compile(AGREEMENT + r", c_{ij} = \mathrm{softmax}(b_{ij})")
    said = [r for r in system.readings if "softmax" in r.reading]
    assert said and "members j for each i" in said[0].reading
    assert "neighbour" not in said[0].reason and "changes no shape" in said[0].reason


# ---- read/rules_pair_hints.py: each hint followed gets past its construct -------------------
def test_capital_sigma_is_no_sum_and_the_hint_says_the_sum() -> None:
    # DGL's \Sigma_{j \in N_{i}} (a set under it) is the sum (parse/capital_sigma_sums.py)
    text = case("dgl_gatedgcnconv")
    read = papermath.compile(text)
    assert any("capital-sigma-sum" in r.reading for r in read.readings)
    assert "Sigma" not in read.shapes and len(read.shapes["norm"]) == 1
    # \Sigma_{j} (no set under it) stays the letter: nothing binds j, refused, hint the sum
    bare = text.replace("\\Sigma_{j\\in N_{i}}", "\\Sigma_{j}").replace(
        "\\Sigma_{j \\in N_{i}}", "\\Sigma_{j}"
    )
    err = refusal(bare)
    assert under(err) == "ij" and "write the sum as \\sum_{j}" in (err.hint or "")
    assert "capital letter \\Sigma" in (err.hint or "")
    fixed = text.replace("\\Sigma_{j\\in N_{i}}", "\\sum_{j\\in \\mathcal{N}(i)}").replace(
        "\\Sigma_{j \\in N_{i}}", "\\sum_{j \\in \\mathcal{N}(i)}"
    )
    assert papermath.compile(fixed).shapes == read.shapes  # \sum written: the same reading


def test_first_index_summed_hint_is_the_transposed_product_which_reads() -> None:
    # with its prose ("W_{ij}, z_j and y_i are all scalars") the case reads one number per
    # member and per pair (pair-scalars-said); without it, refused with the product's hint
    text = case("notes_capsules_walkthrough_fc_neuron")
    said = papermath.compile(text)
    assert said.shapes["z"] == said.shapes["y"] == said.shapes["x"] == ()
    assert said.kinds["x"] == "input" and said.kinds["W"] == "parameter"
    assert any("pair-scalars-said" in r.reason for r in said.readings)
    assert "are all scalaras" in text
    err = refusal(text.split("where $W")[0])
    assert under(err) == "ij" and "W^\\top x" in (err.hint or "")
    system = papermath.compile(r"z = W^\top x, y = \mathrm{ReLU}(z), x \in \mathbb{R}^{3}")
    got = shapes(system)
    assert got["W"][0] == "3" and got["z"] == got["y"] == (got["W"][1],)
    rng = np.random.default_rng(3)
    x, W = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    out, _ = system.to_numpy({got["W"][1]: 4}).forward({"W": W}, {"x": x}, {})
    # by hand, one neuron at a time: z_j = sum_i W_ij x_i, y_j = max(0, z_j)
    want = [
        [max(0.0, sum(W[i, j] * x[n, i] for i in range(3))) for j in range(4)] for n in range(2)
    ]
    assert np.allclose(out["y"], want)


def test_attention_scores_per_pair_hints_lead_to_a_reading() -> None:
    # without the words that read it as written (read/rules_position_pairs.py: "The output
    # vectors are", "column-wise"), the case is refused, and the hints lead to its reading
    text = (
        case("cs231n_self_attention_alignment")
        .replace("The output vectors are", "The outputs are")
        .replace("function column-wise to", "function to")
    )
    err = refusal(text)
    assert under(err) == "e_{i,j}" and "declare x_i \\in \\mathbb{R}^{d}" in (err.hint or "")
    declared = text + "\n$$ x_i \\in \\mathbb{R}^{D_x} $$\n"
    err = refusal(declared)  # the softmax of the matrix written whole
    assert under(err) == "a" and "written whole" in err.message
    assert "\\sum_k \\exp(e_{kj})" in (err.hint or "")
    per_pair = declared.replace(
        "\\mathbf{a} = \\text{softmax}(\\mathbf{e})",
        "a_{i,j} = \\frac{\\exp(e_{i,j})}{\\sum_k \\exp(e_{k,j})}",
    )
    got = shapes(papermath.compile(per_pair))
    assert got["q"] == got["x"] == got["y"] == ("D_x",) and got["e"] == got["a"] == ()
    # the same reading as a NumPy loop by hand: column-wise softmax over i, then y_j
    n, m, d = 5, 3, 4
    rng = np.random.default_rng(4)
    x, q = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    e = np.array([[q[j] @ x[i] / np.sqrt(d) for j in range(m)] for i in range(n)])
    a = np.array([[np.exp(e[i, j]) / sum(np.exp(e[k, j]) for k in range(n)) for j in range(m)]
                  for i in range(n)])  # fmt: skip
    y = np.array([sum(a[i, j] * x[i] for i in range(n)) for j in range(m)])
    assert y.shape == (m, d)  # one y_j of x's size per query, as read
    assert np.allclose(y, (np.exp(e) / np.exp(e).sum(axis=0)).T @ x)


def test_basis_decomposition_reads_with_a_coefficient_per_type_and_basis() -> None:
    # refused at `rb` until session 10; read/rules_basis.py reads it (values against hand loops:
    # tests/test_s10_SPLIT7.py): a_{rb} one number per pair, V_b a matrix per basis member
    system = papermath.compile(case("dgl_relgraphconv"))
    assert shapes(system)["a"] == ()
    assert system.kinds["W"] == "intermediate"
    assert len(shapes(system)["V"]) == 2


def test_routing_update_reads_as_one_iteration() -> None:
    # session 7 (CAPS): b_{ij} = b_{ij} + ... read as one routing iteration (rules_pairs.py)
    system = papermath.compile(case("notes_capsules_routing_zh"))
    assert shapes(system)["b_prime"] == shapes(system)["b"] == ()


# ---- read/rules_sign_scripts.py: m^+ refused, the label the hint gives reads -----------------
def test_sign_superscript_hint_gives_a_label_that_reads() -> None:
    # session 7 (CAPS): m^+ beside m^- (and no m alone) reads as labels (tests/test_s7_CAPS.py)
    err = refusal(r"y = \max(0, m^{-} - x), x \in \mathbb{R}")
    assert (
        under(err) == "-" and "m_{neg}" in (err.hint or "") and "\\max(-m, 0)" in (err.hint or "")
    )
    system = papermath.compile(r"y = \max(0, m_{neg} - x), x \in \mathbb{R}")
    assert shapes(system)["m_neg"] == () and shapes(system)["y"] == ()
    # on a capital letter the hint names the pseudo-inverse too
    assert "pseudo-inverse" in (refusal(r"y = A^{+} x").hint or "")


def test_entries_of_declared_vectors_hint_the_whole_matrix_which_reads() -> None:
    err = refusal(r"A_{ij} = x_i y_j, x \in \mathbb{R}^{3}, y \in \mathbb{R}^{4}")
    assert under(err) == "ij" and "write the matrix whole" in (err.hint or "")
    assert "rules_pairs" not in (err.hint or "")  # x declared whole: x_i entries, no capsules
    system = papermath.compile(r"A = x y^\top, x \in \mathbb{R}^{3}, y \in \mathbb{R}^{4}")
    assert shapes(system)["A"] == ("3", "4")


def test_both_letters_in_norms_beside_a_neighbourhood_stay_a_graphs_edges() -> None:
    # ||x_i - x_j|| shows vectors for i and j, but j \in \mathcal{N}(i) names a graph: a value
    # per edge (read/rules_attention.py), never two sets of values per pair (no code)
    system = papermath.compile(
        r"e_{ij} = \exp(-||x_i - x_j||^2), h_i = \sum_{j \in \mathcal{N}(i)} e_{ij} W x_j"
    )
    said = " ".join(r.reading for r in system.readings)
    assert "value per edge (i, j)" in said and "value per pair" not in said
    system.to_numpy({"d1": 3, "d2": 2})  # code is generated: no value per pair refuses it
