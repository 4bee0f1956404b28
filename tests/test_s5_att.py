r"""Attention and transformer notation (issue 24, brief ATT): the sinusoidal positional encoding
(read/rules_sinusoid.py, ops/positions.py), an expression with a claimed shape and no name
(read/rules_expression_claims.py), a column of dots stacking a family
(parse/vdots_stack.py), and the prose that names an attention's queries, keys and values, or
leaves its pooling open (read/rules_attention_words.py).

Oracles: the positional-encoding table written as a NumPy loop by hand (values) and central
finite differences of that loop in float64 (gradients); PyTorch's own
scaled_dot_product_attention; multi-head stacking written by hand in NumPy.
"""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.check import check
from refusals import caret, refused

os.environ.setdefault("PAPERMATH_KERNELS", "off")

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "corpus_papers"
CASES = Path(__file__).parent / "wild" / "cases"

POSENC = r"""
PE_{(pos,2i)} = sin(pos / 10000^{2i/d_{model}})
PE_{(pos,2i+1)} = cos(pos / 10000^{2i/d_{model}})
PE_{pos} \in \mathbb{R}^{d_{model}}
"""


def table(positions: np.ndarray, d: int, base: float = 10000.0) -> np.ndarray:
    """The positional-encoding table, one row per position, written as the paper defines it
    (a loop over the entries: 2i the sine, 2i+1 the cosine)."""
    out = np.zeros((len(positions), d))
    for row, pos in enumerate(positions):
        for i in range((d + 1) // 2):
            angle = pos / base ** (2 * i / d)
            out[row, 2 * i] = math.sin(angle)
            if 2 * i + 1 < d:
                out[row, 2 * i + 1] = math.cos(angle)
    return out


# ---- the sinusoidal positional encoding ---------------------------------------------------
def test_the_two_lines_read_as_one_vector_of_the_declared_size() -> None:
    system = papermath.compile(POSENC)
    assert system.shapes["PE"] == ("d_model",)
    assert system.shapes["pos"] == ()
    assert system.kinds["pos"] == "input" and system.kinds["PE"] == "output"
    said = [r for r in system.readings if r.reading == "sinusoidal encoding"]
    assert said and "even and odd entries of one vector" in said[0].reason


@pytest.mark.parametrize("d", [6, 7])
@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_the_generated_table_against_a_loop_written_by_hand(layout: str, d: int) -> None:
    system = papermath.compile(POSENC)
    positions = np.arange(12, dtype=float)
    outputs, _ = system.to_numpy({"d_model": d}, layout).forward({}, {"pos": positions})
    got = outputs["PE"] if layout == "sample-first" else outputs["PE"].T
    np.testing.assert_allclose(got, table(positions, d), rtol=0, atol=1e-12)


def test_the_torch_module_against_the_loop() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(POSENC)
    positions = np.arange(9, dtype=float) * 3.5
    module = system.to_torch({"d_model": 8}, dtype=torch.float64)
    got = module(pos=torch.tensor(positions, dtype=torch.float64))["PE"].detach().numpy()
    np.testing.assert_allclose(got, table(positions, 8), rtol=0, atol=1e-12)


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_the_generated_gradient_against_finite_differences_of_the_loop(layout: str) -> None:
    d = 6
    system = papermath.compile(POSENC)
    gen = system.to_numpy({"d_model": d}, layout)
    rng = np.random.default_rng(4)
    positions = rng.uniform(0.0, 20.0, size=5)
    weights = rng.normal(size=(5, d))  # dL/dPE, the loss L = sum(weights * PE)
    _, cache = gen.forward({}, {"pos": positions})
    grads = gen.backward({}, cache, {"PE": weights if layout == "sample-first" else weights.T})
    h = 1e-6
    want = np.array(
        [
            (
                (weights[n] * table(np.array([p + h]), d)[0]).sum()
                - (weights[n] * table(np.array([p - h]), d)[0]).sum()
            )
            / (2 * h)
            for n, p in enumerate(positions)
        ]
    )
    np.testing.assert_allclose(grads["pos"], want, rtol=1e-7, atol=1e-8)


def test_the_paper_reads_with_its_expected_shape_and_passes_check() -> None:
    path = PAPERS / "p04_posenc_vaswani2017.toml"
    if not path.exists():
        pytest.skip("the papers corpus is not beside this checkout")
    case = tomllib.loads(path.read_text())
    system = papermath.compile(case["latex"])
    assert system.shapes["PE"] == ("d_model",)
    results = check(system, case["dims"])
    assert results and all(r.ok for r in results), results


@pytest.mark.parametrize(
    ("source", "under"),
    [
        # the even entries alone: which are the odd ones?
        (r"PE_{(pos,2i)} = sin(pos / 10000^{2i/d})", "{(pos,2i)}"),
        # a cosine on the even line
        (
            "PE_{(pos,2i)} = cos(pos / 10000^{2i/d})\nPE_{(pos,2i+1)} = sin(pos / 10000^{2i/d})",
            "{(pos,2i)}",
        ),
        # two bases: not one encoding
        (
            "PE_{(pos,2i)} = sin(pos / 10000^{2i/d})\nPE_{(pos,2i+1)} = cos(pos / 500^{2i/d})",
            "{(pos,2i)}",
        ),
    ],
)
def test_anything_else_with_even_and_odd_entries_stays_refused(source: str, under: str) -> None:
    err = refused(source)
    assert "even (2i) and odd (2i+1)" in err.message
    assert caret(err) == under


def test_a_declared_size_other_than_the_exponent_s_is_said_solved() -> None:
    # as for any declaration a computation forces (shapes/engine.py): said, never silent
    system = papermath.compile(POSENC.replace(r"\mathbb{R}^{d_{model}}", r"\mathbb{R}^{m}"))
    assert system.shapes["PE"] == ("d_model",)
    assert system.solved == {"m": "d_model"}


# ---- an expression with a claimed shape (d2l) ----------------------------------------------
SCALED = r"""
The scaled dot product attention of queries $\mathbf Q\in\mathbb R^{n\times d}$,
keys $\mathbf K\in\mathbb R^{m\times d}$,
and values $\mathbf V\in\mathbb R^{m\times v}$ thus can be written as

$$ \mathrm{softmax}\left(\frac{\mathbf Q \mathbf K^\top }{\sqrt{d}}\right) \mathbf V \in \mathbb{R}^{n\times v}.$$
"""  # noqa: E501  (d2l 11.3, as the book types it)


def test_the_claimed_expression_against_torch_s_attention() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(SCALED)
    assert system.shapes["out"] == ("n", "v")
    assert {system.kinds[k] for k in "QKV"} == {"input"}
    said = [r for r in system.readings if r.reading == "claim about an expression"]
    assert said and "out" in said[0].reason
    rng = np.random.default_rng(1)
    q, k, v = rng.normal(size=(4, 5)), rng.normal(size=(6, 5)), rng.normal(size=(6, 2))
    gen = system.to_numpy({"n": 4, "m": 6, "d": 5, "v": 2})
    outputs, _ = gen.forward({}, {"Q": q, "K": k, "V": v})
    want = torch.nn.functional.scaled_dot_product_attention(
        *(torch.tensor(x, dtype=torch.float64) for x in (q, k, v))
    ).numpy()
    np.testing.assert_allclose(outputs["out"], want, rtol=1e-12, atol=1e-12)


def test_a_claim_the_expression_does_not_meet_is_an_error_at_the_claim() -> None:
    # sizes that meet the claim only if v were d: refused, never solved (an assertion)
    err = refused(SCALED.replace(r"\in \mathbb{R}^{n\times v}.", r"\in \mathbb{R}^{n\times d}."))
    assert "holds only if v = d" in err.message
    assert caret(err) == r"\mathbb{R}^{n\times d}"
    # another rank: no product fits
    err = refused(SCALED.replace(r"\in \mathbb{R}^{n\times v}.", r"\in \mathbb{R}^{n}."))
    assert "no product fits" in err.message and "(n, m)" in err.message


def test_without_the_prose_words_the_letters_keep_their_default() -> None:
    system = papermath.compile(
        r"\mathrm{softmax}(Q K^\top) V \in \mathbb{R}^{n \times v}, "
        r"Q \in \mathbb{R}^{n \times d}, K \in \mathbb{R}^{m \times d}, "
        r"V \in \mathbb{R}^{m \times v}"
    )
    assert system.shapes["out"] == ("n", "v")
    assert {system.kinds[k] for k in "QKV"} == {"parameter"}


def test_a_name_the_source_writes_is_not_taken() -> None:
    system = papermath.compile(
        r"\mathrm{out} = W x, U x \in \mathbb{R}^{m}, x \in \mathbb{R}^{n}, "
        r"W \in \mathbb{R}^{m \times n}"
    )
    assert system.shapes["out"] == ("m",) and system.shapes["out_2"] == ("m",)


# ---- a column of dots: the family stacked (d2l 11.5) ---------------------------------------
STACKED = r"""
$$\mathbf{h}_i = \mathbf W_i \mathbf x \in \mathbb R^{p},$$
$$\mathbf y = \mathbf W_o \begin{bmatrix}\mathbf h_1\\\vdots\\\mathbf h_h\end{bmatrix}$$
$\mathbf x \in \mathbb{R}^{d}$, $\mathbf W_i \in \mathbb{R}^{p \times d}$,
$\mathbf W_o \in \mathbb{R}^{q \times h p}$
"""


def test_the_column_of_dots_against_heads_stacked_by_hand() -> None:
    system = papermath.compile(STACKED)
    assert system.shapes["W_o"] == ("q", "h·p")
    gen = system.to_numpy({"d": 3, "p": 2, "q": 4, "h": 3})
    rng = np.random.default_rng(2)
    params = gen.init_params(rng)
    x = rng.normal(size=(5, 3))
    outputs, _ = gen.forward(params, {"x": x})
    heads = [x @ params["W"][i].T for i in range(3)]  # h_i = W_i x, each example a row
    want = np.concatenate(heads, axis=-1) @ params["W_o"].T
    np.testing.assert_allclose(outputs["y"], want, rtol=1e-12, atol=1e-12)


def test_dots_in_a_matrix_of_several_columns_stay_refused() -> None:
    err = refused(r"y = \begin{bmatrix}a_1 & b_1\\\vdots & \vdots\\a_n & b_n\end{bmatrix} x")
    assert "column of dots" in err.message and caret(err) == r"\vdots"


def test_d2l_multihead_reads_and_refuses_code_for_the_open_pooling() -> None:
    case = tomllib.loads((CASES / "d2l_multihead_attention.toml").read_text())
    system = papermath.compile(case["latex"])
    assert system.shapes["W_o"] == ("p_o", "h·p_v")
    assert system.shapes["h"] == ("p_v",)
    assert {system.kinds[k] for k in "qkv"} == {"input"}
    said = [r for r in system.readings if r.reading.startswith("attention whose form")]
    assert said and "attention pooling" in said[0].reason
    with pytest.raises(papermath.PapermathError) as err:
        system.numpy_source({n: 2 for n in ("d_q", "d_k", "d_v", "p_q", "p_k", "p_v", "p_o", "h")})
    assert "f is read for its shape only" in err.value.message
    assert err.value.hint is not None and "f(...) = ..." in err.value.hint


# ---- d_k named by its vectors (labml) -------------------------------------------------------
LABML = (
    r"$$\mathop{Attention}(Q, K, V) = \mathrm{softmax}\Bigg(\frac{Q K^\top}{\sqrt{d_k}}\Bigg)V$$"
)


def test_d_k_is_the_width_of_the_keys_against_torch_s_attention() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(LABML)
    assert system.shapes["K"][1] == "d_k" and system.shapes["Q"][1] == "d_k"
    said = [r for r in system.readings if r.reading == "the width d_k of K"]
    assert said and "not a learned scalar" in said[0].reason
    n, m, v = system.shapes["Q"][0], system.shapes["K"][0], system.shapes["V"][1]
    gen = system.to_numpy({"d_k": 3, n: 4, m: 5, v: 2})
    rng = np.random.default_rng(6)
    q, k, vv = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    outputs, _ = gen.forward({}, {"Q": q, "K": k, "V": vv})
    want = torch.nn.functional.scaled_dot_product_attention(
        *(torch.tensor(x, dtype=torch.float64) for x in (q, k, vv))
    ).numpy()
    np.testing.assert_allclose(outputs["Attention"], want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "source",
    [
        LABML.replace("d_k", "d_h"),  # h names no factor
        LABML.replace("d_k", "d"),  # no subscript
        LABML.replace("V$$", "V$$\n$K \\in \\mathbb{R}^{m \\times d}$"),  # K declared: its width d
    ],
)
def test_a_root_size_named_by_no_undeclared_factor_stays_refused(source: str) -> None:
    err = refused(source)
    assert "under a root is declared nowhere" in err.message
    assert caret(err).startswith("d")


# ---- a sum over a primed letter (labml's AFT) -----------------------------------------------
def test_a_primed_summed_letter_reads_as_a_letter_of_its_own() -> None:
    primed = papermath.compile(
        r"y = \sum_{i'=1}^{n} a_{i'} b_{i'}, a \in \mathbb{R}^{n}, b \in \mathbb{R}^{n}"
    )
    assert primed.shapes["y"] == ()
    said = [r for r in primed.readings if r.reading == "summed index i'"]
    assert said and "a letter of its own" in said[0].reason
    gen = primed.to_numpy({"n": 4})
    rng = np.random.default_rng(7)
    params = gen.init_params(rng)
    a, b = params["a"], params["b"]
    outputs, _ = gen.forward(params, {})
    want = sum(a[i] * b[i] for i in range(4))  # the sum written as a loop
    np.testing.assert_allclose(outputs["y"], want, rtol=1e-12)


def test_the_aft_sum_is_refused_at_the_pair_of_positions_not_at_the_prime() -> None:
    case = tomllib.loads((CASES / "labml_aft.toml").read_text())
    err = refused(case["latex"])
    assert caret(err) == "w_{t,t'}"
    assert "two indices" in err.message


def test_a_claim_about_a_part_of_another_equation_stays_refused() -> None:
    err = refused(r"y = \tanh(W x + b), W x \in \mathbb{R}^{m}, x \in \mathbb{R}^{n}")
    assert "only a symbol can be declared" in err.message and caret(err) == "W x"


# ---- the conditioning bar of a probability (Lil'Log's pointer network) ----------------------
def test_the_conditioning_bar_is_under_the_caret() -> None:
    case = tomllib.loads((CASES / "lilianweng_pointer_network.toml").read_text())
    err = refused(case["latex"])
    assert "bar of conditioning" in err.message and "does not close before the ," in err.message
    assert caret(err) == "\\"  # the first character of \vert (a bar once normalised)
    assert err.span is not None
    assert case["latex"][err.span.start :].startswith("\\vert")


def test_the_word_value_alone_says_nothing_of_an_attention() -> None:
    system = papermath.compile(
        "For the value $V \\in \\mathbb{R}^{m \\times v}$ and $Q \\in \\mathbb{R}^{n \\times m}$:"
        "\n\n$$y = Q V$$\n"
    )
    assert system.kinds["V"] == "parameter"


@pytest.mark.parametrize(
    ("source", "position", "size"),
    [
        (
            "\\mathrm{PE}_{(pos,2i)} = \\sin\\left(\\frac{pos}{10000^{\\frac{2i}{d}}}\\right)\n"
            "\\mathrm{PE}_{(pos,2i+1)} = \\cos\\left(\\frac{pos}{10000^{\\frac{2i}{d}}}\\right)",
            "pos",
            "d",
        ),
        (
            "PE_{(t,2k)} = \\sin(t / 10000^{2k/D})\nPE_{(t,2k+1)} = \\cos(t / 10000^{2k/D})",
            "t",
            "D",
        ),
    ],
)
def test_other_spellings_of_the_encoding_against_the_loop(
    source: str, position: str, size: str
) -> None:
    system = papermath.compile(source)
    assert system.shapes["PE"] == (size,) and system.kinds[position] == "input"
    positions = np.arange(7, dtype=float)
    outputs, _ = system.to_numpy({size: 4}).forward({}, {position: positions})
    np.testing.assert_allclose(outputs["PE"], table(positions, 4), rtol=0, atol=1e-12)


# ---- a missing ^ (labml's fast weights) -----------------------------------------------------
def test_the_fast_weights_typo_is_refused_at_the_letter_and_its_braces() -> None:
    case = tomllib.loads((CASES / "labml_linear_attention_fast_weights.toml").read_text())
    err = refused(case["latex"])
    assert caret(err) == "z{(i)}"
    assert "a ^ (or _) is missing" in err.message
    assert err.hint is not None and "z^{(i-1)}" in err.hint


@pytest.mark.parametrize(
    "source",
    [
        r"z^{(i)} = z^{(i-1)} + k^{(i)}",  # written right
        r"y = a{(b + c)}",  # braces that only group: a never written with a script
    ],
)
def test_braces_without_the_scripted_letter_elsewhere_are_not_a_typo(source: str) -> None:
    papermath.compile(source)


# ---- the encoding written by cases on the parity of the index (UvA notebooks) ----------------
PARITY = r"""
$$
PE_{(pos,i)} = \begin{cases}
    \sin\left(\frac{pos}{10000^{i/d_{\text{model}}}}\right) & \text{if}\hspace{3mm} i \text{ mod } 2=0\\
    \cos\left(\frac{pos}{10000^{(i-1)/d_{\text{model}}}}\right) & \text{otherwise}\\
\end{cases}
$$
"""  # noqa: E501  (as the notebook types it)


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_the_cases_on_the_parity_against_the_loop(layout: str) -> None:
    system = papermath.compile(PARITY)
    assert system.shapes["PE"] == ("d_model",) and system.kinds["pos"] == "input"
    said = [r for r in system.readings if r.reading == "sinusoidal encoding"]
    assert said and "parity of i" in said[0].reason
    positions = np.arange(10, dtype=float)
    outputs, _ = system.to_numpy({"d_model": 6}, layout).forward({}, {"pos": positions})
    got = outputs["PE"] if layout == "sample-first" else outputs["PE"].T
    np.testing.assert_allclose(got, table(positions, 6), rtol=0, atol=1e-12)


def test_other_values_under_the_parity_cases_are_refused() -> None:
    err = refused(PARITY.replace(r"\cos", r"\tanh"))
    assert "parity of an index" in err.message
    assert caret(err).startswith(r"\begin{cases}") and caret(err).endswith(r"\end{cases}")


def test_the_uvadlc_excerpt_reads_with_its_slice_mentions_passed_over() -> None:
    case = tomllib.loads((CASES / "uvadlc_positional_encoding.toml").read_text())
    system = papermath.compile(case["latex"])
    assert system.shapes["PE"] == ("d_model",) and system.kinds["pos"] == "input"
    positions = np.arange(5, dtype=float)
    outputs, _ = system.to_numpy({"d_model": 8}).forward({}, {"pos": positions})
    np.testing.assert_allclose(outputs["PE"], table(positions, 8), rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "source",
    [
        "$$y = A_{v:} x$$",  # a slice in display math: an equation
        "the rows $W_{(i,:)} = V$ are then used\n\n$$y = W x$$",  # inline, but it states
    ],
)
def test_a_slice_that_states_something_stays_refused(source: str) -> None:
    err = refused(source)
    assert "a colon in a subscript" in err.message and caret(err) == ":"
