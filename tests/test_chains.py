r"""Chains of equalities a = b = c (papermath.parse.chains, papermath.chain_check): read from
the last computation, names defined as that value, the other computations checked as claims
(a shape mismatch names both shapes), a missing row break refused."""

from __future__ import annotations

import pytest

import papermath
from papermath.errors import ParseError, ShapeError

D = "\n"
SIZES = r"W \in \mathbb{R}^{n \times m}, U \in \mathbb{R}^{n \times m}"


def test_names_in_a_chain_are_defined_as_the_computation() -> None:
    # Ng's \hat Y = A^{[2]} = \sigma(Z^{[2]}): both names mean the last side
    system = papermath.compile(r"\hat{y} = a = \tanh(W x)" + D + SIZES)
    assert system.shapes["a"] == system.shapes["y_hat"] == ("n",)
    assert system.shapes["x"] == ("m",)
    assert system.kinds["a"] == "intermediate" and system.kinds["y_hat"] == "output"


def test_function_names_in_a_chain() -> None:
    # g(x) = h(x) = \tanh(x): two names of one function
    system = papermath.compile(r"g(x) = h(x) = \tanh(x)" + D + r"y = g(W z)" + D + SIZES)
    assert system.shapes["y"] == ("n",)


def test_a_claim_that_fits_is_checked_and_not_read_into_the_model() -> None:
    system = papermath.compile(r"h = W x + U x = (W + U) x" + D + SIZES)
    assert system.shapes["h"] == ("n",)
    # LoRA: \Delta W x = B A x is a claim; \Delta W is not a parameter of the model
    lora = (
        r"h = W_0 x + \Delta W x = W_0 x + B A x" + D + r"W_0 \in \mathbb{R}^{d \times k}, "
        r"B \in \mathbb{R}^{d \times r}, A \in \mathbb{R}^{r \times k}"
    )
    system = papermath.compile(lora)
    assert system.shapes["h"] == ("d",) and system.shapes["x"] == ("k",)
    assert not any(key.startswith("Delta") for key in system.shapes)


def test_a_claim_with_another_shape_is_an_error_naming_both() -> None:
    source = r"h = W x = W^T x" + D + r"W \in \mathbb{R}^{n \times m}"
    with pytest.raises(ShapeError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "W x"
    assert "(m)" in err.message and "(n)" in err.message
    assert not papermath.compile(r"h = W^T x" + D + r"W \in \mathbb{R}^{n \times m}").solved


def test_a_derivation_over_aligned_rows() -> None:
    source = r"\begin{aligned} h &= W x + U x \\ &= (W + U) x \\ y &= V h \end{aligned}" + D + SIZES
    system = papermath.compile(source)
    assert system.shapes["h"] == ("n",) and system.shapes["V"][1] == "n"
    bad = r"\begin{aligned} h &= W x \\ &= W^T x \end{aligned}" + D + SIZES
    with pytest.raises(ShapeError):
        papermath.compile(bad)


def test_rows_without_a_break_are_not_a_chain() -> None:
    # tests/wild mxnet_rnn_op_lstmp_missing_break: two equations run together in an array
    source = "\\begin{array}{ll}\nh_t = o_t * \\tanh(c_t)\nr_t = W_{hr} h_t\n\\end{array}"
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert (err.line, err.column) == (3, 1)
    assert "r_t" in err.message and err.hint is not None and "\\\\" in err.hint
    # with the break, two equations
    fixed = source.replace("(c_t)\n", "(c_t) \\\\\n")
    assert {"h_t", "r_t"} <= set(papermath.compile(fixed).shapes)


def test_a_chain_continued_on_the_next_line_of_display_math() -> None:
    system = papermath.compile("$$h = W x + U x\n = (W + U) x$$ where $" + SIZES + "$")
    assert system.shapes["h"] == ("n",)
