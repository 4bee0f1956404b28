r"""Attention notation, session 7 (issue 24, brief ATT): values with two indices over the
positions of a sequence (read/rules_position_pairs.py: the prose calls a value per index
vectors; the matrix of values per pair written whole with a softmax said column-wise), the
width ``D_x`` under a root (read/rules_key_width.py), a residual block's output written over
its input (parse/residual_update.py), and rows times rows transposed where the source writes
its vectors as rows (shapes/rules_row_dot.py, read/rules_row_chain.py).

Oracles: PyTorch's own layer_norm and linear algebra for the residual block (values), central
finite differences in float64 of a NumPy function written by hand (gradients), and the
attention of CS231n written as NumPy loops by hand (the shapes of one member's values).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from refusals import caret, refused

os.environ.setdefault("PAPERMATH_KERNELS", "off")

CS231N = r"""
The alignment computation can be summarized as the following equation:

$$ e_{i,j} = \frac{q_j \cdot x_i}{\sqrt{D_x}} $$

**Attention.** The attention matrix is obtained by applying the softmax function %s to the
alignment matrix.

$$ \mathbf{a} = \text{softmax}(\mathbf{e}) $$

The output vectors are finally calculated as multiplications of the attention matrix and the
input vectors:

$$ y_j = \sum_{i} a_{i,j} x_i $$
"""


def attention_by_hand(q: np.ndarray, x: np.ndarray) -> np.ndarray:
    """CS231n's attention as loops: e[i, j] = q_j . x_i / sqrt(D), a softmax over i for each
    j (column-wise), y_j = sum_i a[i, j] x_i. Returns y, one row per query."""
    n, m, d = x.shape[0], q.shape[0], x.shape[1]
    e = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            e[i, j] = sum(q[j, k] * x[i, k] for k in range(d)) / np.sqrt(d)
    a = np.exp(e) / np.exp(e).sum(axis=0, keepdims=True)
    return np.stack([sum(a[i, j] * x[i] for i in range(n)) for j in range(m)])


# ---- values per pair of positions ---------------------------------------------------------
def test_the_alignment_reads_one_number_per_pair_and_vectors_of_d_x() -> None:
    system = papermath.compile(CS231N % "column-wise")
    assert system.shapes["q"] == ("D_x",)
    assert system.shapes["x"] == ("D_x",)
    assert system.shapes["y"] == ("D_x",)
    assert system.shapes["e"] == () and system.shapes["a"] == ()
    assert system.kinds["x"] == "input" and system.kinds["q"] == "input"
    assert "D_x" not in system.kinds  # a size, never a learned scalar
    # the oracle: one member's values have these shapes (y_j a vector of D_x, a number a_ij)
    rng = np.random.default_rng(0)
    y = attention_by_hand(rng.normal(size=(3, 5)), rng.normal(size=(4, 5)))
    assert y.shape[1:] == (5,)
    said = {r.reading: r.reason for r in system.readings}
    whole = next(k for k in said if k.startswith("softmax of the matrix e"))
    assert "over i for each j" in whole and "column-wise" in said[whole]
    pair = [r.reason for r in system.readings if r.reading == "node index j"]
    assert pair and "The output vectors are" in pair[0]


def test_row_wise_reads_the_softmax_over_the_second_letter() -> None:
    system = papermath.compile(CS231N % "row-wise")
    said = [r.reading for r in system.readings if r.reading.startswith("softmax of the matrix")]
    assert said == ["softmax of the matrix e, row-wise: over j for each i"]


def test_no_axis_said_keeps_the_matrix_written_whole_refused() -> None:
    err = refused(CS231N % "")
    assert "written whole" in err.message
    assert caret(err) == "a"
    assert "a_{ij} = \\frac{\\exp(e_{ij})}" in (err.hint or "")


def test_the_prose_must_call_the_left_side_vectors() -> None:
    # "The outputs are": nothing says y_j is a vector, so the pair stays refused
    text = (CS231N % "column-wise").replace("The output vectors are", "The outputs are")
    err = refused(text)
    assert "entries with two indices" in err.message
    assert caret(err) == "e_{i,j}"


def test_code_for_values_per_pair_is_refused_with_its_hint() -> None:
    system = papermath.compile(CS231N % "column-wise")
    with pytest.raises(papermath.PapermathError) as info:
        system.numpy_source({"D_x": 4})
    assert "values per pair" in info.value.message or "per pair" in (info.value.hint or "")


# ---- a residual block written over its input ----------------------------------------------
ENCODER = r"""
$$
\begin{split}
    \text{FFN}(x) & = \max(0, xW_1+b_1)W_2 + b_2\\
    x & = \text{LayerNorm}(x + \text{FFN}(x))
\end{split}
$$
"""


def test_the_block_output_is_a_new_value_from_the_input() -> None:
    system = papermath.compile(ENCODER)
    assert system.kinds["x"] == "input" and system.kinds["x_breve"] == "output"
    assert system.shapes["x_breve"] == system.shapes["x"]
    (d,) = system.shapes["x"]
    assert system.shapes["W_1"][0] == d and system.shapes["W_2"][1] == d
    said = [r for r in system.readings if r.reading.startswith("update in place of an input")]
    assert said and "residual connection" in said[0].reason


def test_the_block_against_torch_layer_norm() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(ENCODER)
    d, f = system.shapes["W_1"]
    module = system.to_numpy({d: 4, f: 6})
    rng = np.random.default_rng(1)
    params = module.init_params(rng)
    x = rng.normal(size=(5, 4))
    out, _ = module.forward(params, {"x": x})
    tx = torch.tensor(x)
    p = {k: torch.tensor(v) for k, v in params.items()}
    ffn = torch.relu(tx @ p["W_1"] + p["b_1"]) @ p["W_2"] + p["b_2"]
    want = torch.nn.functional.layer_norm(tx + ffn, (4,), eps=1e-5)
    np.testing.assert_allclose(out["x_breve"], want.numpy(), rtol=1e-10, atol=1e-12)


def test_the_block_gradient_against_finite_differences() -> None:
    system = papermath.compile(ENCODER)
    d, f = system.shapes["W_1"]
    module = system.to_numpy({d: 3, f: 4})
    rng = np.random.default_rng(2)
    params = module.init_params(rng)
    x = rng.normal(size=(2, 3))
    g = rng.normal(size=(2, 3))

    def loss(w1: np.ndarray) -> float:  # written by hand, not papermath's code
        h = np.maximum(0.0, x @ w1 + params["b_1"]) @ params["W_2"] + params["b_2"]
        z = x + h
        mu = z.mean(-1, keepdims=True)
        zn = (z - mu) / np.sqrt(((z - mu) ** 2).mean(-1, keepdims=True) + 1e-5)
        return float((g * zn).sum())

    _, cache = module.forward(params, {"x": x})
    grads = module.backward(params, cache, {"x_breve": g})
    w1 = params["W_1"]
    num = np.zeros_like(w1)
    for idx in np.ndindex(*w1.shape):
        step = np.zeros_like(w1)
        step[idx] = 1e-6
        num[idx] = (loss(w1 + step) - loss(w1 - step)) / 2e-6
    got = grads["W_1"] if "W_1" in grads else grads["params"]["W_1"]
    np.testing.assert_allclose(got, num, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(
    "text",
    [
        r"h = \tanh(W h + b)",  # no residual: which h is meant is not said
        "x = x + W x\ny = V x",  # x read by another equation
    ],
)
def test_other_values_defined_from_themselves_stay_refused(text: str) -> None:
    err = refused(text)
    assert "depends on itself" in err.message


# ---- rows times rows transposed -------------------------------------------------------------
def test_a_product_of_rows_is_a_number_where_the_source_writes_rows() -> None:
    system = papermath.compile(
        r"a = (x + p) W^q ((y + r) W^k)^\top" + "\n" + r"x, p, y, r \in \mathbb{R}^{d}"
    )
    assert system.shapes["a"] == ()
    assert system.shapes["W_q"] == system.shapes["W_k"]
    assert system.shapes["W_q"][0] == "d"
    rng = np.random.default_rng(3)  # the oracle: the same product in NumPy is a number
    x, wq, wk = rng.normal(size=4), rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    assert np.shape((x @ wq) @ (x @ wk).T) == ()


def test_q_k_transposed_is_a_dot_product_beside_x_w() -> None:
    system = papermath.compile("s = q k^\\top\nq = x W\nk = z V")
    assert system.shapes["s"] == ()
    assert system.shapes["q"] == system.shapes["k"]
    assert all(size != "1" for shape in system.shapes.values() for size in shape)


@pytest.mark.parametrize(
    "text",
    [
        "S = f c^\\top\nf = W x\nc = V z",
        "y = x^\\top W\nS = f c^\\top\nf = U z\nc = V z",  # x^T W: columns, transposed
    ],
)
def test_a_column_times_a_transposed_column_stays_the_outer_product(text: str) -> None:
    system = papermath.compile(text)
    assert len(system.shapes["S"]) == 2


# ---- the entry of a declared square matrix beside rows: refused, the hint the matrix form --
AFT = r"""
$$Y_t = \sigma(Q_t) \odot
 \frac{\sum_{t'=1}^T \exp(K_{t'} + w_{t,t'}) \odot V_{t'}}
 {\sum_{t'=1}^T \exp(K_{t'} + w_{t,t'})}$$

, where $w \in \mathbb{R}^{T \times T}$ is a learned matrix of pair-wise position biases.
"""


def test_a_declared_square_matrix_entry_is_refused_with_the_matrix_form() -> None:
    err = refused(AFT)
    assert caret(err) == "w_{t,t'}"
    hint = err.hint or ""
    assert "w is declared T x T" in hint and "row t of \\exp(w) \\exp(K)" in hint


def test_the_matrix_form_the_hint_gives_reads() -> None:
    text = (
        "K = X W^K\nV = X W^V\n"
        r"Y = \frac{\exp(w) (\exp(K) \odot V)}{\exp(w) \exp(K)}" + "\n"
        r"X \in \mathbb{R}^{T \times d}, w \in \mathbb{R}^{T \times T}, "
        r"W^K, W^V \in \mathbb{R}^{d \times d}"
    )
    system = papermath.compile(text)
    assert system.shapes["Y"] == ("T", "d")
    # the oracle: the sum over t' written as a NumPy loop equals the matrix form's row t
    rng = np.random.default_rng(4)
    w, k, v = rng.normal(size=(3, 3)), rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    loop = np.stack(
        [
            sum(np.exp(k[s] + w[t, s]) * v[s] for s in range(3))
            / sum(np.exp(k[s] + w[t, s]) for s in range(3))
            for t in range(3)
        ]
    )
    matrix = (np.exp(w) @ (np.exp(k) * v)) / (np.exp(w) @ np.exp(k))
    np.testing.assert_allclose(loop, matrix, rtol=1e-12)


# ---- Lil'Log's relative position score, as its refusal's hint says to write it -----------
# the case's text as the blog writes it (tests/wild/cases: the expert's notes beside it)
RELATIVE = tomllib.loads(
    (
        Path(__file__).parent / "wild" / "cases" / "lilianweng_relative_position_score.toml"
    ).read_text()
)["latex"]


def test_the_relative_score_is_refused_with_the_declaration_that_reads() -> None:
    # session 9: the transposes (x_j^T) say i and j pick vectors (read/rules_pair_transposes.py);
    # the chain's side q_i k_j^T names q and k, which no equation defines (chain_check.py)
    err = refused(RELATIVE)
    assert caret(err) == "\\mathbf{q}_i {\\mathbf{k}_j}^\\top"
    assert "define k, q" in (err.hint or "")


def test_the_relative_score_reads_once_the_vectors_are_declared() -> None:
    declared = RELATIVE + (
        r"$$\mathbf{q}_i = (\mathbf{x}_i + \mathbf{p}_i)\mathbf{W}^q, \quad "
        r"\mathbf{k}_j = (\mathbf{x}_j + \mathbf{p}_j)\mathbf{W}^k$$"
        r" with $\mathbf{x}_i \in \mathbb{R}^{d}$ and $\mathbf{x}_j \in \mathbb{R}^{d}$"
    )
    system = papermath.compile(declared)
    assert system.shapes["a"] == ()
    assert system.shapes["x"] == ("d",) and system.shapes["p"] == ("d",)
    assert system.shapes["W_q"] == system.shapes["W_k"] and system.shapes["W_q"][0] == "d"
    # the oracle: every side of the chain is the same number (NumPy, rows as 1-D arrays)
    rng = np.random.default_rng(5)
    xi, pi, xj, pj = (rng.normal(size=4) for _ in range(4))
    wq, wk = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    q, k = (xi + pi) @ wq, (xj + pj) @ wk
    expanded = sum(u @ wq @ wk.T @ v for u in (xi, pi) for v in (xj, pj))
    assert np.shape(q @ k) == () and np.isclose(q @ k, expanded)


# ---- a product of sizes is never solved for: W^O has h d_v rows -----------------------------
MULTIHEAD = r"""
\text{Attention}(\mathbf{Q}, \mathbf{K}, \mathbf{V}) = \text{softmax}(\frac{\mathbf{Q} {\mathbf{K}}^\top}{\sqrt{d_k}})\mathbf{V}
\text{MultiHeadAttention}(\mathbf{X}_q, \mathbf{X}_k, \mathbf{X}_v) = [\text{head}_1; \dots; \text{head}_h] \mathbf{W}^o
\text{head}_i = \text{Attention}(\mathbf{X}_q\mathbf{W}^q_i, \mathbf{X}_k\mathbf{W}^k_i, \mathbf{X}_v\mathbf{W}^v_i)
\mathbf{X}_q \in \mathbb{R}^{n\times d}, \mathbf{X}_k, \mathbf{X}_v \in \mathbb{R}^{m\times d}
\mathbf{W}^q_i, \mathbf{W}^k_i \in \mathbb{R}^{d\times d_k}, \mathbf{W}^v_i \in \mathbb{R}^{d\times d_v}
"""  # noqa: E501


def test_the_output_weight_has_as_many_rows_as_the_heads_side_by_side() -> None:
    system = papermath.compile(MULTIHEAD)
    rows, _ = system.shapes["W_o"]
    assert rows == "d_v·h"  # never a free size d2 standing for h d_v
    # the oracle: h heads of d_v columns side by side are h * d_v wide (NumPy)
    heads = [np.zeros((5, 3)) for _ in range(4)]
    assert np.concatenate(heads, axis=-1).shape[1] == 4 * 3


# ---- a block between bounds in a subscript: refused, the hint names the block ------------
def test_a_block_between_bounds_is_refused_naming_the_block() -> None:
    err = refused(r"e = \mathbf{a}_{:,:d/2} \mathbf{W} h + \mathbf{a}_{:,d/2:} \mathbf{W} g")
    assert caret(err) == ":"
    assert err.message.startswith("`\\mathbf{a}_{:,:d/2}`")
    assert "block of \\mathbf{a} between bounds" in (err.hint or "")


def test_a_row_picked_by_a_colon_keeps_its_hint() -> None:
    err = refused(r"y = A_{v:} h")
    assert "whole matrix" in (err.hint or "") and "between bounds" not in (err.hint or "")


# ---- W_{1...h}: every member of a family of heads, declared at once --------------------------
def test_a_range_of_members_declares_each_head_and_matches_torch_stacking() -> None:
    text = (
        r"M = \mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h) W^O" + "\n"
        r"\mathrm{head}_i = Q W_i^Q" + "\n"
        r"W_{1...h}^{Q} \in \mathbb{R}^{D \times d_k}, Q \in \mathbb{R}^{n \times D}"
    )
    system = papermath.compile(text)
    assert system.shapes["W_Q"] == ("D", "d_k")
    assert system.shapes["head"] == ("n", "d_k")
    said = [r for r in system.readings if r.reading.startswith("every member of the family")]
    assert said and "(rule member-range)" in said[0].reason
    # the oracle: h heads Q W_i side by side are Q times the h matrices stacked by columns
    rng = np.random.default_rng(6)
    q, ws = rng.normal(size=(3, 4)), [rng.normal(size=(4, 2)) for _ in range(5)]
    side = np.concatenate([q @ w for w in ws], axis=-1)
    np.testing.assert_allclose(side, q @ np.concatenate(ws, axis=-1))
    assert side.shape == (3, 5 * 2)


def test_a_range_with_no_family_stays_refused() -> None:
    err = refused(r"y = W_{1...h} x" + "\n" + r"W_{1...h} \in \mathbb{R}^{n \times m}")
    assert "cannot read the subscript" in err.message
