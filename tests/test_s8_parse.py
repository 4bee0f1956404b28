r"""Presentation of display math, session 8 (issue 24, brief PARSE): rows continued with ``& +``
(parse/continued_rows.py), digits in a text font (parse/text_digits.py), an excerpt that
begins with the ``$$`` closing a display it cut (parse/cut_start.py), a placeholder call in
kramdown's inline ``$$...$$``, and the refusals that stay on the wild cases of the brief.

Oracles: the values of the generated NumPy code against sums written by hand in NumPy and
against ``torch.tanh`` (rows continued), the corpus cases' own text and their expected
constructs (refusals: the construct under the caret).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from refusals import caret, refused
from wild.measure import classify

os.environ.setdefault("PAPERMATH_KERNELS", "off")

WILD = Path(__file__).resolve().parent / "wild" / "cases"


def _wild(name: str) -> str:
    return str(tomllib.loads((WILD / f"{name}.toml").read_text())["latex"])


# ---- rows continued with `& +` ---------------------------------------------------------------
CONTINUED = r"""
\begin{aligned}
c &= \tanh(a) \\
  & + \tanh(b), \\
  &\quad - \tanh(e) \\
h &= \tanh(c)
\end{aligned}
"""


def test_rows_that_begin_with_their_operator_are_one_sum() -> None:
    system = papermath.compile(CONTINUED)
    assert set(system.shapes) >= {"a", "b", "e", "c", "h"}
    assert system.shapes["c"] == system.shapes["a"] == system.shapes["b"]
    said = [r for r in system.readings if r.reading == "a row continued"]
    assert len(said) == 2 and "comma" in said[1].reason


def test_rows_continued_compute_the_sum_against_torch() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(CONTINUED + "\n% inputs: a, b, e\n")
    (d,) = system.shapes["a"]
    module = system.to_numpy({d: 3})
    rng = np.random.default_rng(0)
    x = {k: rng.normal(size=(2, 3)) for k in ("a", "b", "e")}
    out, _ = module.forward(module.init_params(rng), x)
    t = {k: torch.tensor(v) for k, v in x.items()}
    c = torch.tanh(t["a"]) + torch.tanh(t["b"]) - torch.tanh(t["e"])
    np.testing.assert_allclose(out["c"], c.numpy(), rtol=1e-12)
    np.testing.assert_allclose(out["h"], np.tanh(c.numpy()), rtol=1e-12)


def test_the_affine_map_broken_over_rows_against_numpy() -> None:
    system = papermath.compile("\\begin{aligned} y &= W x \\\\ & + b \\end{aligned}")
    d1, d2 = system.shapes["W"]
    module = system.to_numpy({d1: 2, d2: 3})
    rng = np.random.default_rng(1)
    params = module.init_params(rng)
    x = rng.normal(size=(4, 3))
    out, _ = module.forward(params, {"x": x})
    want = np.array(
        [[sum(params["W"][i, j] * r[j] for j in range(3)) for i in range(2)] for r in x]
    )
    np.testing.assert_allclose(out["y"], want + params["b"], rtol=1e-12)


def test_a_comma_before_a_new_equation_and_a_minus_without_amp_keep_their_reading() -> None:
    system = papermath.compile(
        "\\begin{aligned} a &= \\tanh(b), \\\\ c &= \\tanh(a) \\end{aligned}"
    )
    assert "a row continued" not in [r.reading for r in system.readings]
    # a comma inside brackets before \\ is not the row's punctuation
    from papermath.parse.continued_rows import joined

    text = "y &= f(a, \\\\ & + b)"
    assert joined(text) == [(text.index("\\\\"), text.index("+"), None)]
    # a row that begins with a minus and no `&` may be a value of its own (a matrix's row)
    assert joined("a \\\\ -b") == []


def test_a_sum_written_out_with_dots_reads_where_its_terms_are_one_pattern() -> None:
    # since session 10 (read/rules_dotted_terms.py): c_1 + c_2 + ... + c_N is \\sum_n c_n
    system = papermath.compile("y = c_1 + c_2 + \\dots + c_N")
    c = np.array([0.5, -1.25, 2.0, 3.5])
    out, _ = system.to_numpy({"N": 4}).forward({"c": c}, {})
    assert np.isclose(float(out["y"]), c.sum())
    # terms that are not one pattern stay refused, with the sum to write
    err = refused("y = c_1 + c_2 + \\dots + d_N")
    assert caret(err) == "\\dots"
    assert "\\sum_{n=1}^{N}" in (err.hint or "")


def test_chainer_tree_lstm_reads_its_rows_and_stops_at_the_elided_children() -> None:
    err = refused(_wild("chainer_tree_lstm"))
    assert caret(err) == "..."  # the rows and their commas read; the children's sum is elided
    assert "\\sum" in (err.hint or "")


# ---- digits in a text font ---------------------------------------------------------------------
def test_digits_in_a_text_font_are_the_number() -> None:
    system = papermath.compile("y = c_{\\text{1}} + c_{\\mathrm{2}}")
    plain = papermath.compile("y = c_1 + c_2")
    assert dict(system.shapes) == dict(plain.shapes)
    assert {"c_1", "c_2"} <= set(system.shapes)


# ---- an excerpt that begins with the close of a display ---------------------------------------
def test_a_leading_lone_ddollar_closes_a_cut_display() -> None:
    system = papermath.compile("$$\n\nThe output is $$y = W x$$ for each input.\n")
    assert system.shapes["y"] == (system.shapes["W"][0],)
    said = [r for r in system.readings if r.reading == "the close of a display the excerpt cut"]
    assert said and said[0].span.start == 0


def test_a_ddollar_that_opens_math_is_not_left_out() -> None:
    system = papermath.compile("$$\ny = W x\n$$\n\nfor each input.\n")
    assert "the close of a display the excerpt cut" not in [r.reading for r in system.readings]


def test_lilianweng_act_reads_its_delimiters_and_range_and_stops_at_the_halting_search() -> None:
    err = refused(_wild("lilianweng_act_steps"))
    assert caret(err) == ":"  # N(t) = \min(\min\{n': ...\}, M): the least n' by a condition
    assert "a set written by a condition" in err.message
    assert "search" in err.message and "% inputs: N" in (err.hint or "")


# ---- a range after an equation ----------------------------------------------------------------
def test_a_range_after_the_equation_reads_as_the_equation_without_it() -> None:
    text = "h^n = \\tanh(W x^n) \\text{ for } n = 1, \\dots, N\n"
    system = papermath.compile(text)
    said = [r for r in system.readings if r.reading == "the range of an index, said in words"]
    assert len(said) == 1 and "n = 1, ..., N" in said[0].reason
    plain = papermath.compile("h^n = \\tanh(W x^n)\n")
    assert dict(system.shapes) == dict(plain.shapes)


@pytest.mark.parametrize(
    "text",
    [
        "y = \\tanh(x) \\text{ for } x = 1, \\dots, N",  # x is no index of the row
        "y_t = \\tanh(x_t) \\text{ for } t > 1",  # a condition, not a range
    ],
)
def test_for_words_that_are_no_range_of_an_index_are_not_this_rule_s(text: str) -> None:
    from papermath.parse.row_ranges import ranges

    assert ranges(text) == []


def test_a_set_by_a_colon_is_refused_at_the_colon() -> None:
    err = refused("N = \\min\\{n : \\sum_{i=1}^{n} h_i \\geq 1\\}")
    assert caret(err) == ":" and "search" in err.message
    err = refused("S = \\{n : n > 1\\}")
    assert caret(err) == ":" and "search" not in err.message


def test_a_placeholder_in_inline_ddollars_is_prose() -> None:
    text = "the function $$\\mathcal{S}(.)$$ is shared, and the output is $$y = W x$$ here.\n"
    assert "y" in papermath.compile(text).shapes


# ---- refusals that stay (the brief's cases): the caret on the construct ------------------------
@pytest.mark.parametrize(
    ("name", "construct"),
    [
        ("annotated_s4_mass_spring", "\\end{aligned}"),
        ("uvadlc_attention_pseudo_math", "$$"),
        # the brace, \\dot= and (since session 10) the steps in brackets read: the blocks next
        ("nyu_rnn_bracket_time", "[ W_{hx} W_{hh}\\right]"),
        ("nyu_gcn_matrix", "\\vect"),  # the squiggly arrow reads: the site's macro next
        # nyu_gcn_adjacency_vector reads since session 10 (parse/edge_indicator.py)
        ("lilianweng_transformer_xl_recurrence", "\\circ"),
        ("lilianweng_multihead_attention", "\\text{Attention}"),
    ],
)
def test_the_refusals_that_stay_point_at_their_construct(name: str, construct: str) -> None:
    assert caret(refused(_wild(name))) == construct


def test_attention_defined_beside_its_call_no_longer_crashes() -> None:
    text = _wild("lilianweng_multihead_attention") + (
        "\n$$\\text{Attention}(Q, K, V) = \\mathrm{softmax}\\left(\\frac{Q K^\\top}"
        "{\\sqrt{d_k}}\\right) V$$\n"
    )
    with pytest.raises(papermath.PapermathError):  # the heads' sizes are not declared
        papermath.compile(text)


def test_a_matrix_row_that_begins_with_an_empty_cell_is_not_a_continued_row() -> None:
    from papermath.parse.continued_rows import joined

    # `& -1`: the second row of the matrix, its first cell empty (not a sum going on)
    assert joined("A = \\begin{bmatrix} 1 & 0 \\\\ & -1 \\end{bmatrix}") == []
    assert joined("p = \\begin{cases} a & x > 0 \\\\ & + b \\end{cases}") == []
    text = (
        "\\begin{aligned} y &= \\begin{bmatrix} 1 \\\\ +2 \\end{bmatrix} \\\\ & + b \\end{aligned}"
    )
    assert [text[a : b + 1] for a, b, _ in joined(text)] == ["\\\\ & +"]


def test_letters_in_one_font_are_refused_with_both_readings_in_the_hint() -> None:
    err = refused("H = f(\\boldsymbol{UX} + b)")
    assert caret(err) == "\\boldsymbol{UX}"
    assert "\\boldsymbol{U}\\boldsymbol{X}" in (err.hint or "") and "\\text{UX}" in (err.hint or "")
    # the product the hint writes reads as one: U and X matrices, H = f(U X + b)
    system = papermath.compile("H = f(\\boldsymbol{U}\\boldsymbol{X} + b)")
    assert system.shapes["U"][1] == system.shapes["X"][0]


# ---- no input makes the normalisation slow ----------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "\\text{" * 5000,  # unclosed groups: each matched once, not scanned to the end
        "a, \\\\ & + " * 3000,
        "h_n = x \\text{ for } n = 1, \\dots, " * 2000,
        "\\{" + "a " * 5000 + ":",
    ],
)
def test_pathological_inputs_normalise_in_linear_time(text: str) -> None:
    import time

    from papermath.parse.normalize import normalize

    start = time.perf_counter()
    normalize(text)
    assert time.perf_counter() - start < 3.0  # was 22 s for 5000 unclosed \text{ groups


def test_brace_groups_match_a_forward_scan_written_here() -> None:
    import random

    from papermath.parse.normalize import _group_end

    def forward(text: str, i: int) -> int | None:  # the group's end by scanning from i
        depth, j = 0, i
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if text[j] == "}" and depth == 0:
                return j + 1
            j += 1
        return None

    rng = random.Random(0)
    for _ in range(500):
        text = "".join(rng.choice("{}\\ab ") for _ in range(rng.randint(0, 30)))
        j = 0
        while j < len(text):  # every `{` a left-to-right reading reaches (not an escaped \{)
            if text[j] == "{":
                assert _group_end(text, j) == forward(text, j), (text, j)
            j += 2 if text[j] == "\\" else 1


# ---- the multi-head attention whose prose names the attention ---------------------------------
ATTENTION = (
    "\n$$\\text{Attention}(Q, K, V) = \\mathrm{softmax}\\left(\\frac{Q K^\\top}{\\sqrt{d_k}}"
    "\\right) V$$\n"
)


def test_the_unnamed_attention_is_refused_and_the_hint_reads_against_torch() -> None:
    torch = pytest.importorskip("torch")
    # the prose that names the attention reads it (tests/test_s9_PAIRS2.py); Lil'Log's excerpt
    # names none
    assert "does not guess" in refused(_wild("lilianweng_multihead_attention")).message
    # the hint's definition, and the sizes of Q, K, V declared: the case's expected shapes
    text = _wild("uvadlc_multihead_attention") + ATTENTION
    text += "\n$Q \\in \\mathbb{R}^{T_q \\times D}$, $K, V \\in \\mathbb{R}^{T_k \\times D}$\n"
    case = tomllib.loads((WILD / "uvadlc_multihead_attention.toml").read_text())
    assert classify("uvadlc_multihead_attention", {**case, "latex": text}).outcome == "read_right"
    sizes = {"T_q": 3, "T_k": 4, "D": 5, "d_k": 2, "d_v": 3, "h": 2, "d_out": 4}
    module = papermath.compile(text).to_numpy(sizes)
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


# ---- a row that ends with its operator ---------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "\\begin{aligned} y &= W x + {} \\\\ & b \\end{aligned}",
        "\\begin{aligned} y &= \\\\ &\\quad W x + b \\end{aligned}",
    ],
)
def test_a_row_that_ends_with_its_operator_goes_on_against_numpy(text: str) -> None:
    system = papermath.compile(text)
    assert "a row continued" in [r.reading for r in system.readings]
    d1, d2 = system.shapes["W"]
    module = system.to_numpy({d1: 2, d2: 3})
    rng = np.random.default_rng(3)
    p = module.init_params(rng)
    x = rng.normal(size=(4, 3))
    out, _ = module.forward(p, {"x": x})
    want = np.array([[sum(p["W"][i, j] * r[j] for j in range(3)) for i in range(2)] for r in x])
    np.testing.assert_allclose(out["y"], want + p["b"], rtol=1e-12)


def test_an_operator_before_a_matrix_row_break_is_not_a_continued_row() -> None:
    from papermath.parse.continued_rows import ended

    assert ended("A = \\begin{bmatrix} 1 & - \\\\ 2 & 3 \\end{bmatrix}") == []
    assert ended("\\begin{aligned} y &= W x + \\\\ \\end{aligned}") == []  # nothing after it
