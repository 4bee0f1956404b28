r"""Session 9, helper PAIRS2: ``\text{Attention}(Q W_i^Q, K W_i^K, V W_i^V)`` called and defined
by no equation, where the prose names "the scaled dot product attention" (the UvA DL tutorial's
multi-head attention): read as the standard function softmax(Q K^T / sqrt(d_k)) V
(read/rules_attention_named.py); with no such words (Lil'Log's excerpt) it stays refused.

Oracles: PyTorch's own ``torch.nn.functional.scaled_dot_product_attention`` per head, the heads
concatenated and multiplied by W^O by hand; the generated backward against float64 central
finite differences and torch autograd (papermath.check); the case's own expected shapes.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.check import check
from refusals import caret, refused
from wild.measure import case_latex, classify

os.environ.setdefault("PAPERMATH_KERNELS", "off")

WILD = Path(__file__).resolve().parent / "wild" / "cases"
SIZES = {"D": 5, "d_k": 2, "d_v": 3, "h": 2, "d_out": 4}


def _sizes(system: papermath.System) -> dict[str, int]:
    """SIZES, and the free numbers of queries (3) and keys (4) by the names papermath gave."""
    return SIZES | {system.shapes["Q"][0]: 3, system.shapes["K"][0]: 4}


def _case(name: str) -> dict:
    return tomllib.loads((WILD / f"{name}.toml").read_text())


# ---- attention named in the prose -----------------------------------------------------------
def test_the_uvadlc_multihead_attention_reads_as_its_case_expects() -> None:
    case = _case("uvadlc_multihead_attention")
    assert classify("uvadlc_multihead_attention", case).outcome == "read_right"
    system = papermath.compile(case["latex"])
    said = [r for r in system.readings if r.reading.startswith("scaled dot-product attention")]
    assert len(said) == 1
    assert '"scaled dot product attention"' in said[0].reason  # the prose's words, quoted
    assert "d_k the source's own size" in said[0].reason  # W^K in R^{D x d_k}
    assert "Attention" not in system.shapes  # a function, not a symbol with a value


def test_the_uvadlc_attention_in_explain_the_diagram_the_report_and_grad() -> None:
    from papermath.diagram import to_dot
    from papermath.explain import explain, render
    from papermath.report import report_html
    from papermath.report.gradients import derive

    system = papermath.compile(_case("uvadlc_multihead_attention")["latex"])
    text = render(explain(system))
    assert "call of Attention" in text and "the standard function the prose names" in text
    assert "softmax" in to_dot(system)
    assert "\\text{Attention}" in report_html(system, dims=_sizes(system))
    printed = derive(system, "W_Q", dims=_sizes(system))  # in the source's symbols
    (grad,) = [e for e in printed.equations if "W_i^Q" in e.latex.split("=")[0]]
    assert "softmax" in grad.latex and grad.shape == ("D", "d_k")


def test_the_uvadlc_heads_against_torch_scaled_dot_product_attention() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(_case("uvadlc_multihead_attention")["latex"])
    module = system.to_numpy(_sizes(system))
    rng = np.random.default_rng(0)
    p = module.init_params(rng)
    x = {"Q": rng.normal(size=(3, 5)), "K": rng.normal(size=(4, 5)), "V": rng.normal(size=(4, 5))}
    out, _ = module.forward(p, x)
    t = {k: torch.tensor(v) for k, v in (x | p).items()}
    sdpa = torch.nn.functional.scaled_dot_product_attention
    heads = [
        sdpa(t["Q"] @ t["W_Q"][i], t["K"] @ t["W_K"][i], t["V"] @ t["W_V"][i]) for i in range(2)
    ]
    want = torch.cat(heads, -1) @ t["W_O"]
    np.testing.assert_allclose(out["Multihead"], want.numpy(), rtol=1e-10, atol=1e-12)
    # the torch module, its own parameters
    tm = system.to_torch(_sizes(system), dtype=torch.float64)
    w = dict(tm.named_parameters())
    xt = {k: torch.tensor(v) for k, v in x.items()}
    got = tm(**xt)["Multihead"]
    heads = [
        sdpa(xt["Q"] @ w["W_Q"][i], xt["K"] @ w["W_K"][i], xt["V"] @ w["W_V"][i]) for i in range(2)
    ]
    want = torch.cat(heads, -1) @ w["W_O"]
    torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-12)


def test_the_uvadlc_backward_against_finite_differences_and_autograd() -> None:
    system = papermath.compile(_case("uvadlc_multihead_attention")["latex"])
    results = check(system, _sizes(system))
    assert {r.key for r in results} >= {"W_Q", "W_K", "W_V", "W_O", "Q", "K", "V"}
    assert all(r.ok for r in results), results


NAMED = (
    "We pass the rows through the scaled dot-product attention.\n"
    "$$H = \\mathrm{Attention}(X W^Q, X W^K, X W^V)$$\n"
    "$W^Q, W^K \\in \\mathbb{R}^{D \\times d_k}$, $W^V \\in \\mathbb{R}^{D \\times d_v}$,"
    " $X \\in \\mathbb{R}^{n \\times D}$\n"
)


def test_self_attention_one_matrix_of_rows_against_torch() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(NAMED)
    assert system.shapes["H"] == ("n", "d_v")
    dims = {"n": 4, "D": 3, "d_k": 2, "d_v": 5}
    module = system.to_numpy(dims)
    rng = np.random.default_rng(1)
    p = module.init_params(rng)
    x = rng.normal(size=(4, 3))
    out, _ = module.forward(p, {"X": x})
    t = {k: torch.tensor(v) for k, v in p.items()}
    xt = torch.tensor(x)
    want = torch.nn.functional.scaled_dot_product_attention(
        xt @ t["W_Q"], xt @ t["W_K"], xt @ t["W_V"]
    )
    np.testing.assert_allclose(out["H"], want.numpy(), rtol=1e-10, atol=1e-12)
    assert all(r.ok for r in check(system, dims))


def test_the_keys_width_is_checked_against_the_sources_d_k() -> None:
    # W^K declared D x e: the keys have e columns, and the source's d_k is another size
    text = NAMED.replace("{D \\times d_k}", "{D \\times e}")
    text += "$$z \\in \\mathbb{R}^{d_k}$$\n"
    assert papermath.compile(text).solved == {"e": "d_k"}  # said: e is forced to be d_k
    with pytest.raises(papermath.PapermathError):
        papermath.compile(text, strict=True)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # nothing names the attention: its form is not guessed
        ("$$H = \\mathrm{Attention}(Q, K, V)$$", "defined nowhere"),
        # a multi-head attention is not the scaled dot-product one
        (
            "the scaled dot product attention\n$$H = \\mathrm{MultiHeadAttention}(Q, K, V)$$",
            "defined nowhere",
        ),
        # no size d_k: which of the source's sizes is the keys' width is not guessed
        (
            "the scaled dot product attention\n$$H = \\mathrm{Attention}(Q, K, V)$$\n"
            "$Q \\in \\mathbb{R}^{n \\times e}$, $K \\in \\mathbb{R}^{m \\times e}$",
            "declares no size d_k",
        ),
        # the source's own d_k, a value: not the keys' width
        (
            "the scaled dot product attention\n"
            "$$H = \\mathrm{Attention}(Q, K, V) + d_k$$\n$$d_k = W x$$",
            "declares no size d_k",
        ),
        # a single query, a vector: the attention's queries are a matrix of rows
        (
            "the scaled dot product attention\n$$h = \\mathrm{Attention}(q, K, V)$$\n"
            "$q \\in \\mathbb{R}^{d_k}$",
            "scaled dot-product attention",
        ),
    ],
)
def test_an_attention_nothing_names_stays_refused(text: str, words: str) -> None:
    err = refused(text)
    assert words in err.message + (err.hint or "")
    assert "Attention" in caret(err) or caret(err) == "q"


def test_lilianweng_names_no_attention_and_stays_refused() -> None:
    err = refused(_case("lilianweng_multihead_attention")["latex"])
    assert "defined nowhere" in err.message and caret(err) == "\\text{Attention}"


# ---- a value per pair of vectors: the transposes say the letters pick vectors ----------------
SCORES = r"""
$$a_{ij} = \mathbf{x}_i \mathbf{W}^q {\mathbf{W}^k}^\top \mathbf{x}_j^\top$$
with $\mathbf{W}^q, \mathbf{W}^k \in \mathbb{R}^{d \times d_k}$
"""


def test_a_transposed_vector_makes_the_pair_one_number_per_pair() -> None:
    system = papermath.compile(SCORES)
    assert system.shapes["a"] == ()
    assert system.shapes["x"] == ("d",)
    assert system.shapes["W_q"] == ("d", "d_k")
    said = [r for r in system.readings if r.reading == "node index i"]
    assert said and "\\mathbf{x}_j^\\top is transposed" in said[0].reason
    assert "\\mathbf{x}_i is one of the values of x" in said[0].reason


def test_the_score_per_pair_reads_in_every_stage_and_its_code_is_refused_by_name() -> None:
    from papermath.diagram import to_dot
    from papermath.explain import explain, render
    from papermath.report import report_html

    system = papermath.compile(SCORES)
    assert "one value per pair" in render(explain(system))  # i and j: members of two sets
    assert to_dot(system).count("label=<W<sub") == 2  # W^q and W^k, each a node
    assert "a_{ij}" in report_html(system)
    with pytest.raises(papermath.PapermathError) as err:
        system.to_numpy({"d": 3, "d_k": 2})
    assert "values per pair" in (err.value.hint or "")


def test_a_transpose_alone_of_one_letter_is_not_enough() -> None:
    # k_j transposed shows j picks vectors; nothing says so of i (q is never transposed nor x)
    err = refused(r"a_{ij} = q_i {\mathbf{k}_j}^\top")
    assert "two indices" in err.message


def test_the_lilianweng_scores_refused_at_the_side_that_names_q_and_k() -> None:
    err = refused(_case("lilianweng_relative_position_score")["latex"])
    assert "k, q appear in that side alone" in err.message
    assert caret(err) == "\\mathbf{q}_i {\\mathbf{k}_j}^\\top"
    assert err.hint is not None and "define k, q" in err.hint


def test_the_lilianweng_scores_read_once_q_and_k_are_defined() -> None:
    text = _case("lilianweng_relative_position_score")["latex"] + (
        "\n$$\\mathbf{q}_i = (\\mathbf{x}_i + \\mathbf{p}_i)\\mathbf{W}^q, \\quad "
        "\\mathbf{k}_j = (\\mathbf{x}_j + \\mathbf{p}_j)\\mathbf{W}^k$$\n"
    )
    case = _case("lilianweng_relative_position_score")
    assert classify("x", {**case, "latex": text}).outcome == "read_right"


# ---- the refusals that stay: the caret on the construct, and the hint's form reads ---------
@pytest.mark.parametrize(
    ("name", "construct"),
    [
        ("labml_aft", "w_{t,t'}"),  # an entry beside the rows it pairs: not read yet
        ("spektral_gatconv", "ij"),  # a matrix written by its entries over the edges
        # dgl_relgraphconv reads since session 10 (read/rules_basis.py, tests/test_s10_SPLIT7.py)
        ("dgl_gatedgraphconv", "e_{ij}"),  # one matrix per edge or per type: the text says neither
    ],
)
def test_the_pair_refusals_that_stay_point_at_their_construct(name: str, construct: str) -> None:
    err = refused(case_latex(name, _case(name)))  # with the site's macros (Spektral's \\X)
    assert caret(err) == construct and err.hint


def test_the_aft_hints_whole_matrix_form_reads_as_the_case_expects() -> None:
    text = (
        "AFT first transforms the embeddings $X$ into query $Q = XW^Q$, key $K = XW^K$ and "
        "value $V = XW^V$.\n"
        "$$Y = \\sigma(Q) \\odot \\frac{\\exp(w) (\\exp(K) \\odot V)}{\\exp(w) \\exp(K)}$$\n"
        "where $w \\in \\mathbb{R}^{T \\times T}$, $X \\in \\mathbb{R}^{T \\times d}$, "
        "$W^Q, W^K, W^V \\in \\mathbb{R}^{d \\times d}$"
    )
    system = papermath.compile(text)
    assert system.shapes["w"] == ("T", "T") and system.shapes["Y"] == ("T", "d")
    # the hint's identity, by hand: row t of the whole-matrix form is the source's sum over t'
    rng = np.random.default_rng(4)
    gen = system.to_numpy({"T": 3, "d": 2})
    p = gen.init_params(rng)
    x = rng.normal(size=(3, 2))
    out, _ = gen.forward(p, {"X": x})
    q, k, v = x @ p["W_Q"], x @ p["W_K"], x @ p["W_V"]
    w = p["w"]
    rows = [
        1
        / (1 + np.exp(-q[t]))
        * sum(np.exp(k[s] + w[t, s]) * v[s] for s in range(3))
        / sum(np.exp(k[s] + w[t, s]) for s in range(3))
        for t in range(3)
    ]
    np.testing.assert_allclose(out["Y"], np.stack(rows), rtol=1e-10, atol=1e-12)


def test_a_parenthesis_after_a_functions_parenthesis_multiplies_its_value() -> None:
    # \exp(w) (A + B): exp(w) times (A + B), never exp of w (A + B) (the AFT hint's form)
    text = (
        "$$Y = \\exp(w) (A + B)$$ with $w \\in \\mathbb{R}^{n \\times m}$, "
        "$A, B \\in \\mathbb{R}^{m \\times k}$"
    )
    system = papermath.compile(text)
    assert system.shapes["Y"] == ("n", "k")
    assert any(r.reading == "product after a function's parenthesis" for r in system.readings)
    gen = system.to_numpy({"n": 2, "m": 3, "k": 4})
    rng = np.random.default_rng(6)
    p = gen.init_params(rng)
    out, _ = gen.forward(p, {})
    want = np.exp(p["w"]) @ (p["A"] + p["B"])
    np.testing.assert_allclose(out["Y"], want, rtol=1e-12)
