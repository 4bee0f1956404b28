r"""The normalisation stage (src/papermath/parse/normalize.py): presentation out, every
character where it was. Each rule has a real example that now reads, and carets after a
normalised construct point at the original line and column."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import papermath
from papermath.errors import PapermathError, ParseError
from papermath.parse.normalize import normalize

WILD = Path(__file__).parent / "wild" / "cases"


def wild(name: str) -> str:
    text: str = tomllib.loads((WILD / f"{name}.toml").read_text())["latex"]
    return text


# (rule, source that now reads, a key it must have)
READS = [
    ("\\color", r"h = {\color{red} W} x", "W"),
    ("\\textcolor", r"h = \textcolor{red}{W x} + b", "b"),
    ("\\colorbox", r"h = \colorbox{yellow}{W} x", "W"),
    ("\\boxed equation", r"\boxed{h = \tanh(W x + b)}", "h"),
    ("\\boxed group", r"h = \boxed{W + U} x", "U"),
    ("size", r"\Huge h = \large W x", "W"),
    ("\\mathop", r"h = \mathop{\mathrm{tanh}}(W x)", "W"),
    ("\\vphantom", r"h = W x\vphantom{\frac{1}{2}} + b", "b"),
    ("\\phantom", r"h = W x + \phantom{0} b", "b"),
    ("\\underbrace", r"y = \underbrace{W x}_{\text{logits}} + b", "W"),
    ("\\overbrace", r"y = \overbrace{W x + b}^{\text{affine}}", "b"),
    ("\\_", r"h\_t = W x\_t + U h\_{t-1}", "U"),
    ("\\vert", r"n = \vert x \vert", "n"),
    ("\\mathtt", r"h = \mathtt{tanh}(W x)", "h"),
    ("\\tag", r"h = W x \tag{1}", "h"),
    ("\\text{where}", r"h = W x \text{where} x \in \mathbb{R}^3", "x"),
    ("\\text{ and }", r"h = W x \text{ and } y = V h", "y"),
    ("```math fence", "Formula:\n```math\nh = W x\n```\n", "h"),
    # CS231n writes inline math as $$...$$ inside its prose (tests/wild cs231n_vanilla_rnn)
    ("$$ inline", wild("cs231n_vanilla_rnn"), "W_hh"),
    # a newline inside aligned is a space; \\ ends the row (tests/wild mlx_lstm's layout)
    (
        "aligned line break",
        "\\begin{aligned}\nh_t &= \\tanh(W x_t\n + U h_{t-1}) \\\\\ny_t &= V h_t\n\\end{aligned}",
        "U",
    ),
    # plain prose around the math, naming no symbol, is skipped
    ("plain prose", "The implementation is based on the paper.\nh = W x\n", "h"),
]


@pytest.mark.parametrize(("rule", "source", "key"), READS, ids=[r[0] for r in READS])
def test_rule_reads(rule: str, source: str, key: str) -> None:
    system = papermath.compile(source)
    assert key in system.shapes


@pytest.mark.parametrize("source", [r[1] for r in READS], ids=[r[0] for r in READS])
def test_positions_are_kept(source: str) -> None:
    norm = normalize(source)
    assert len(norm.text) == len(source)
    assert [i for i, c in enumerate(norm.text) if c == "\n"] == [
        i for i, c in enumerate(source) if c == "\n"
    ]
    for region in norm.regions:
        assert len(region.text) == len(source)


def test_mathematics_is_kept_exactly() -> None:
    assert normalize(r"\underbrace{W x}_{\text{logits}}").text.split() == ["{W", "x}"]
    assert normalize(r"\textcolor{red}{W x}").text.split() == ["{W", "x}"]
    assert normalize(r"\boxed{h = W x}").text.split() == ["h", "=", "W", "x"]
    assert normalize(r"\mathtt{x}").text == r"\mathrm{x}"
    assert normalize(r"a \vert b").text == "a |     b"


# (source, line, column, text under the caret): an error after a normalised construct
CARETS = [
    ("h = \\textcolor{red}{W x} + \\foo", 1, 28, "\\foo"),
    ("\\Huge y = \\underbrace{W x}_{\\text{logits}} + \\foo b", 1, 46, "\\foo"),
    ("h = \\boxed{W x}\ny = \\color{blue} V h + \\foo", 2, 24, "\\foo"),
    ("\\begin{aligned}\nh &= W x\n + U \\foo\n\\end{aligned}", 3, 6, "\\foo"),
    ("see $$x$$ here\n$$h = \\foo$$", 2, 7, "\\foo"),
]


@pytest.mark.parametrize(("source", "line", "column", "under"), CARETS)
def test_caret_points_at_the_original_text(source: str, line: int, column: int, under: str) -> None:
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert (err.line, err.column) == (line, column), str(err)
    assert err.span is not None
    assert source[err.span.start : err.span.end].startswith(under)


def test_missing_row_break_in_an_array_is_refused() -> None:
    # tests/wild mxnet_rnn_op_lstmp_missing_break: two rows without \\ are one row
    source = "\\begin{array}{ll}\nh_t = o_t * \\tanh(c_t)\nr_t = W_{hr} h_t\n\\end{array}"
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    assert info.value.line == 3


def test_rst_docstrings_are_normalised_but_refused_at_the_markup() -> None:
    source = wild("pytorch2017_rnn")
    norm = normalize(source)
    assert ":math:" not in norm.text and ".. math::" not in norm.text
    assert any(not r.mixed for r in norm.regions)  # the .. math:: block is display math
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert "reStructuredText" in str(err)
    assert err.span is not None
    assert source[err.span.start : err.span.end] == ".. math::"
    assert (err.line, err.column) == (4, 5)


def test_role_becomes_inline_math_in_place() -> None:
    text = r"where :math:`x \in R^n` is"
    assert normalize(text).text == r"where       $x \in R^n$ is"


def test_prose_that_names_a_symbol_is_not_skipped() -> None:
    # "where x is the input": what prose says of a symbol is not dropped silently
    with pytest.raises(PapermathError):
        papermath.compile("h = W x\nwhere x is the input of the layer\n")


@pytest.mark.parametrize(
    "bad",
    [
        "h = W x\x00",
        "h = \\boxed{W\x07 x}",
        "h = \\color{\x00} x",
        "The implementation is based on \x00 the paper.\nh = W x",
        "h = \\tag{\u202e} W x",
    ],
)
def test_control_characters_are_still_refused(bad: str) -> None:
    with pytest.raises(PapermathError):
        papermath.compile(bad)
