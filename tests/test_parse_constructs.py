"""Parse-level constructs of issue 24 (brief RP): a site's macros (``\\X`` in Spektral's docs),
``\\|`` between values, an arrow between two indices of a subscript, ``...`` typed for
``\\dots``, a note over ``=``, a script on a prose word, an escaped underscore in a label,
and the refusals that say what was expected where a statement stops. Each reading is
checked against what the source says (shapes) and, where it computes, against an
independent hand-written torch version; each near miss is refused with its caret."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import torch

import papermath
from conftest import ROOT
from papermath.casefile import from_toml
from papermath.errors import CaseFileError, ParseError
from papermath.parse import sitemacros
from papermath.parse.sitemacros import SITES, for_flag, recognise
from refusals import caret, refused

ATOL = 1e-10
WILD = ROOT / "tests" / "wild" / "cases"


def readings(system: papermath.System) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in system.readings:
        out.setdefault(r.reading, []).append(r.reason)
    return out


# ---- site macros ---------------------------------------------------------------------------

SPEKTRAL_CELL = (
    "\\h = \\sigma(\\W \\x + \\b)\n\\x \\in \\mathbb{R}^{F}\n\\W \\in \\mathbb{R}^{H \\times F}\n"
)


def test_spektral_macros_chosen_by_a_line_read_as_bold_letters_and_compute_like_torch() -> None:
    system = papermath.compile(SPEKTRAL_CELL + "% macros: spektral\n")
    assert dict(system.shapes) == {"h": ("H",), "x": ("F",), "W": ("H", "F"), "b": ("H",)}
    assert system.kinds["W"] == "parameter" and system.kinds["x"] == "input"
    (why,) = readings(system)["site-macros: spektral"]
    assert "docs/js/macros.js" in why and "\\W as \\mathbf{W}" in why
    module = system.to_torch({"F": 3, "H": 2}, dtype=torch.float64)
    x = torch.randn(4, 3, dtype=torch.float64)
    got = module(x=x)["h"]
    want = torch.sigmoid(x @ module.W.T + module.b)  # hand-written, sample-first
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)


def test_unknown_single_letter_macro_is_refused_with_how_to_supply_it() -> None:
    err = refused(SPEKTRAL_CELL)
    assert isinstance(err, ParseError)
    assert caret(err) == "\\h"
    assert err.hint is not None
    assert "\\newcommand{\\h}{\\mathbf{h}}" in err.hint and "% macros: spektral" in err.hint


def test_an_unknown_macro_set_is_refused_on_its_name() -> None:
    err = refused(SPEKTRAL_CELL + "% macros: nosuchsite\n")
    assert caret(err) == "nosuchsite"
    assert err.hint is not None and "spektral" in err.hint


def test_the_sources_own_definition_wins_over_the_sites() -> None:
    text = "\\newcommand{\\W}{U}\n" + SPEKTRAL_CELL + "% macros: spektral\n"
    system = papermath.compile(text)
    assert "U" in system.shapes and "W" not in system.shapes


def test_a_case_file_whose_origin_is_spektral_gets_its_macros(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (WILD / "spektral_ginconv.toml").read_text(encoding="utf-8")
    monkeypatch.setattr(sitemacros, "RECOGNISE_ORIGIN", False)  # the switch turns it off
    assert "% macros" not in from_toml(text, "spektral_ginconv.toml").latex
    monkeypatch.setattr(sitemacros, "RECOGNISE_ORIGIN", True)  # on, as shipped
    assert recognise("https://github.com/danielegrattarola/spektral/blob/x/gcn.py") == "spektral"
    assert recognise("https://github.com/pyg-team/pytorch_geometric") is None
    case = from_toml(text, "spektral_ginconv.toml")
    assert "% macros: spektral (the case's origin" in case.latex
    system = papermath.compile(case.latex)
    expect = tomllib.loads(text)["expect"]
    assert system.kinds["x"] == expect["kinds"]["x"] == "input"
    assert len(system.shapes["x"]) == len(expect["shapes"]["x"]) == 1  # a vector of F
    assert system.shapes["epsilon"] == ()  # a scalar, as the source's epsilon
    # without the origin the same text is refused on its first macro
    assert caret(refused(tomllib.loads(text)["latex"])) == "\\x"


def test_a_case_file_may_name_the_set_and_a_wrong_name_is_an_error() -> None:
    case = from_toml(f"latex = '''{SPEKTRAL_CELL}'''\n[options]\nmacros = \"spektral\"\n")
    assert papermath.compile(case.latex).shapes["W"] == ("H", "F")
    with pytest.raises(CaseFileError):
        from_toml(f"latex = '''{SPEKTRAL_CELL}'''\n[options]\nmacros = \"other\"\n")


def test_macros_flag_takes_a_set_or_the_sites_mathjax_configuration(tmp_path: Path) -> None:
    assert "% macros: spektral" in for_flag(SPEKTRAL_CELL, "spektral")
    config = tmp_path / "macros.js"
    config.write_text(
        'MathJax.Hub.Config({TeX: {Macros: {h: "{\\\\mathbf h}", W: "{\\\\mathbf W}", '
        'x: "{\\\\mathbf x}", b: "{\\\\mathbf b}"}}});',
        encoding="utf-8",
    )
    system = papermath.compile(for_flag(SPEKTRAL_CELL, str(config)))
    assert system.shapes["W"] == ("H", "F")
    # a file adds none (dlbook, nyu-dlsp20: s9)
    assert set(SITES) == {"spektral", "dlbook-zh", "dlbook", "nyu-dlsp20"}


# ---- \| between values -----------------------------------------------------------------------


def test_double_bar_that_no_bar_closes_is_concatenation_like_torch_cat() -> None:
    system = papermath.compile(
        "z = x \\, \\Vert \\, y\nx \\in \\mathbb{R}^{F}\ny \\in \\mathbb{R}^{S}\n% inputs: x, y"
    )
    assert system.shapes["z"] == ("F + S",)
    assert any("parse/bars.py" in r for r in readings(system)["concatenation"])
    module = system.to_torch({"F": 3, "S": 2}, dtype=torch.float64)
    x, y = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 2, dtype=torch.float64)
    torch.testing.assert_close(module(x=x, y=y)["z"], torch.cat([x, y], 1), atol=0, rtol=0)


def test_three_values_between_two_bars_are_refused_on_the_first_bar() -> None:
    err = refused("z = x_i \\| x_j \\| e\nx \\in \\mathbb{R}^{F}")
    assert caret(err) == "\\|"
    assert "two ways" in err.message and err.hint is not None and "[a; b; c]" in err.hint


def test_a_norm_stays_a_norm() -> None:
    system = papermath.compile("z = \\lambda \\|w\\|^2\nw \\in \\mathbb{R}^{F}")
    assert system.shapes["z"] == ()


# ---- arrows ----------------------------------------------------------------------------------

EDGE = (
    "m_i = x_i + \\sum_{j \\in \\mathcal{N}(i)} W e_{j \\rightarrow i}\n"
    "e_{j \\rightarrow i} \\in \\mathbb{R}^{S}\nW \\in \\mathbb{R}^{F \\times S}\n"
    "x_i \\in \\mathbb{R}^{F}\n"
)


def test_arrow_between_two_indices_is_the_edge_from_the_first_to_the_second() -> None:
    system = papermath.compile(EDGE)
    assert system.shapes["e"] == ("S",) and system.shapes["m"] == ("F",)
    arrow = papermath.compile(EDGE.replace("j \\rightarrow i", "j,i"))
    assert dict(system.shapes) == dict(arrow.shapes) and system.kinds == arrow.kinds
    src, dst = torch.tensor([0, 1, 2, 2]), torch.tensor([1, 2, 0, 1])
    module = system.to_torch({"F": 2, "S": 3}, dtype=torch.float64)
    e, x = torch.randn(4, 3, dtype=torch.float64), torch.randn(3, 2, dtype=torch.float64)
    got = module(x=x, e=e, edges=torch.stack([src, dst]))["m"]
    want = x + torch.zeros(3, 2, dtype=torch.float64).index_add(0, dst, e @ module.W.T)
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)


def test_arrow_under_a_sum_or_between_values_is_refused_on_the_arrow() -> None:
    err = refused("m = \\sum_{j \\to i} e_j")
    assert caret(err) == "\\to" and "arrow" in err.message
    err = refused("\\{x_i\\}_{i=1}^{t} \\mapsto H = f(U X)")  # (\\rightsquigarrow reads)
    assert caret(err) == "\\mapsto"


def test_note_over_equals_is_presentation_and_the_condition_after_is_refused() -> None:
    plain = papermath.compile("y = W x\nx \\in \\mathbb{R}^{n}\nW \\in \\mathbb{R}^{m \\times n}")
    noted = papermath.compile(
        "y \\stackrel{\\text{def}}{=} W x\nx \\in \\mathbb{R}^{n}\nW \\in \\mathbb{R}^{m \\times n}"
    )
    assert dict(plain.shapes) == dict(noted.shapes)
    err = refused(
        "\\alpha_{j} \\stackrel{\\tiny \\downarrow}{=} 1 \\Leftrightarrow v_{j} \\rightarrow v"
    )
    assert caret(err) == "\\Leftrightarrow" and "condition" in err.message


# ---- dots, labels, scripts on prose words ----------------------------------------------------


def test_three_periods_are_dots() -> None:
    a = refused("y = \\mathrm{Concat}(h_1, ..., h_H) W")
    b = refused("y = \\mathrm{Concat}(h_1, \\dots, h_H) W")
    assert a.message == b.message and "concatenated" in a.message


def test_escaped_underscore_between_words_is_one_label() -> None:
    system = papermath.compile(
        "h = W_{proj\\_size} x\nx \\in \\mathbb{R}^{d}\n"
        "W_{proj\\_size} \\in \\mathbb{R}^{P \\times d}"
    )
    assert system.shapes["W_proj_size"] == ("P", "d") and system.shapes["h"] == ("P",)
    # one letter before the underscore is a subscript of a subscript, not a word: refused
    assert caret(refused("h = W_{a_{bc}} x\nx \\in \\mathbb{R}^{d}")) == "a_{bc}"


def test_script_on_a_prose_word_is_prose() -> None:
    text = (
        "where \\(K\\) is the order of the ARMA\\(_K\\) filter and\n"
        "$$ y = W x $$\n$x \\in \\mathbb{R}^{n}$, $W \\in \\mathbb{R}^{m \\times n}$\n"
    )
    assert papermath.compile(text).shapes["y"] == ("m",)


# ---- what was expected, and why --------------------------------------------------------------

EXPECTED = [
    # a display with no left side (after "it computes" it is the output: parse/output_display.py)
    (
        "Given $x$, we have\n\n$$\\frac{x}{\\sqrt{\\epsilon + x}} * \\gamma + \\beta$$\n",
        "$$",
        "ends before an `=`",
    ),
    # an argument left blank in an equation (CS231n's prose mention of max(0,-) is blanked as
    # prose: parse/bracket_sizes.py)
    ("$$y = \\max(0,-)$$ is applied elementwise.", ")", "placeholder"),
    # bentrevett: a condition in a subscript of an equation (in a sentence, $y_{t>1}$ is a
    # mention: parse/condition_mentions.py)
    ("y_{t>1} = W x_t", ">", "condition"),
    # a membership inside an argument (a set \{h_j, j \in N(i)\} is read: issue 24 GB)
    ("y = u_i(i \\in \\mathcal{N}(v))", "\\in", "membership"),
    # Lil'Log: a display left open by a cut excerpt (a `$$` alone before a blank line, at the
    # text's start, closes a display the excerpt cut: test below)
    ("$$\nthe steps lead to states $$s_t$$ and more words here", "$", "still open"),
]


@pytest.mark.parametrize(("text", "construct", "words"), EXPECTED)
def test_unexpected_token_says_what_was_expected(text: str, construct: str, words: str) -> None:
    err = refused(text)
    assert isinstance(err, ParseError)
    assert caret(err) == construct
    assert err.message.startswith("unexpected ") and words in err.message
    assert err.hint


def test_a_display_close_the_excerpt_cut_opens_nothing() -> None:
    system = papermath.compile("$$\n\nthe steps lead to $$y = W x$$ and more words here")
    assert system.shapes["y"] == ("d1",) and system.shapes["W"] == ("d1", "d2")
    assert any(r.reading == "the close of a display the excerpt cut" for r in system.readings)


def test_a_bar_of_conditioning_is_refused_at_the_bar() -> None:
    # Lil'Log: p(c_i \vert c_1, c_2), a conditional probability (\vert read as a bar: the
    # caret on its first character, not on the comma after it)
    text = "y_i = p(c_i \\vert c_1, c_2)"
    err = refused(text)
    assert isinstance(err, ParseError) and caret(err) == "\\"
    assert "conditioning" in err.message and err.hint


def test_dollars_after_a_math_only_environment_close_its_display() -> None:
    """An excerpt cut below a display's opening $$: \\end{aligned} then $$ closes it."""
    text = (
        "\\begin{aligned} y &= W x \\end{aligned}\n$$\n"
        "where $x \\in \\mathbb{R}^{n}$ and $y \\in \\mathbb{R}^{m}$.\n"
    )
    assert papermath.compile(text).shapes["W"] == ("m", "n")
    # after an environment that opens math of its own, $$ opens a display: the prose after
    # it is then math, refused where it stops
    err = refused(text.replace("aligned", "align"))
    assert caret(err) == "$" and err.message.startswith("unexpected $")


def test_vdots_in_one_column_of_a_family_reads_as_its_concatenation() -> None:
    """A column h_1, \\vdots, h_H of a defined family reads as Concat(h_1, ..., h_H)
    (parse/vdots_stack.py); \\vdots in a matrix of two columns is refused, and its hint's
    suggestion (Concat) is itself read."""
    stacked = "y = W \\begin{bmatrix} h_1 \\\\ \\vdots \\\\ h_H \\end{bmatrix}\n"
    rest = "h_i = U_i x\nx \\in \\mathbb{R}^{n}\nh_i \\in \\mathbb{R}^{p}\n"
    concat = papermath.compile("y = W \\mathrm{Concat}(h_1, \\dots, h_H)\n" + rest)
    assert concat.shapes["U"] == ("p", "n") and concat.shapes["W"][1] in ("H·p", "H*p")
    column = papermath.compile(stacked + rest)
    assert column.shapes == concat.shapes
    two = "y = W \\begin{bmatrix} h_1 & g_1 \\\\ \\vdots & \\vdots \\\\ h_H & g_H \\end{bmatrix}\n"
    err = refused(two + rest)
    assert caret(err) == "\\vdots" and err.hint is not None and "\\mathrm{Concat}" in err.hint
