"""Session 10, helper CODE7: HTML derivative entities (``&part;&lagran;/&part;w``), the typed
character ``∂``, and markdown list markers before a line of math (AI-For-Beginners)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import papermath
from papermath import PapermathError
from papermath.parse.html_math import rewrite as html_rewrite
from papermath.parse.markdown_math import rewrite as markdown_rewrite

CASES = Path(__file__).parent / "wild" / "cases"


def _latex(name: str) -> str:
    with open(CASES / f"{name}.toml", "rb") as f:
        return str(tomllib.load(f)["latex"])


def _refusal(text: str, dims: dict[str, int] | None = None) -> PapermathError:
    with pytest.raises(PapermathError) as info:
        papermath.compile(text, dims).to_numpy({})
    return info.value


def _under(err: PapermathError) -> str:
    assert err.span is not None and err.source is not None
    return err.source.text[err.span.start : err.span.end]


def test_derivative_entities_keep_the_text_length() -> None:
    for text in ("&part;&lagran;/&part;w", "w &larr; w", "&Lscr;", "&part;L"):
        assert len(html_rewrite(text)) == len(text)
    assert html_rewrite("&part;&lagran;/&part;w").split() == ["∂", "\\cal", "L", "/∂", "w"]
    assert html_rewrite("w &larr; w") == "w \\gets  w"
    assert html_rewrite("&unknown;x") == "&unknown;x"  # an entity not listed stays as written


def test_the_gradient_descent_bullets_read_as_the_source_says() -> None:
    # the case's own text: eta the learning rate, one number; w and b keep their shapes from
    # step i to step i+1 (w^(i+1) = w^(i) - ...: both sides one shape)
    system = papermath.compile(_latex("aifb_gradient_descent"))
    assert system.shapes["eta"] == ()
    assert len(system.shapes["w"]) == 1 and len(system.shapes["b"]) == 1
    assert system.shapes["w"] != system.shapes["b"]  # nothing ties their sizes


def test_the_gradient_descent_code_is_refused_at_the_derivative_by_name() -> None:
    # the loss L is not written in the cut: code cannot be generated, and says why, with the
    # caret on the whole derivative as written
    err = _refusal(_latex("aifb_gradient_descent"), {"I": 3})
    assert "a loss the source does not write" in str(err)
    assert _under(err) == "&part;&lagran;/&part;w"


def test_typed_partial_reads_as_the_command() -> None:
    typed = papermath.compile(
        "$$W^{(t+1)} = W^{(t)} - \\eta ∂L/∂W, W \\in \\mathbb{R}^{m \\times n}$$"
    )
    command = papermath.compile(
        "$$W^{(t+1)} = W^{(t)} - \\eta \\partial L/\\partial W, W \\in \\mathbb{R}^{m \\times n}$$"
    )
    assert typed.shapes == command.shapes
    assert typed.shapes["W"] == ("m", "n")


def test_a_gradient_with_respect_to_an_unused_symbol_stays_refused_under_it() -> None:
    err = _refusal("w = w - &eta;&part;&lagran;/&part;v")
    assert "gradient with respect to v" in str(err)
    assert _under(err) == "v"


def test_an_entity_derivative_refused_shows_the_entity_under_the_caret() -> None:
    # the derivative of a value the equations define (papermath derives it): refused, and the
    # caret covers the entity as written (not a lone &)
    err = _refusal("L = w<sup>2</sup>\nv = w - &eta;&part;L/&part;w")
    assert "is a derivative" in str(err)
    assert _under(err) == "&part;"


def test_a_dot_before_the_gradient_keeps_its_product() -> None:
    # "w &larr; w &minus; &eta; &middot; &part;L/&part;w" (a page's update rule): eta times the
    # gradient, which has w's shape; the same as the LaTeX spelling without the dot
    decl = "\nw &isin; R<sup>n</sup>"
    dotted = papermath.compile("w &larr; w &minus; &eta; &middot; &part;L/&part;w" + decl)
    plain = papermath.compile(
        "$$w \\gets w - \\eta \\partial L / \\partial w, w \\in \\mathbb{R}^n$$"
    )
    assert dotted.shapes == plain.shapes and dotted.shapes["eta"] == ()
    assert dotted.shapes["w"] == ("n",)
    err = _refusal("w &larr; w &minus; &eta; &middot; &part;L/&part;w" + decl)  # code: the loss
    assert "a loss the source does not write" in str(err)


def test_list_markers_before_math_are_blanked_and_others_kept() -> None:
    assert markdown_rewrite("    - w = v - u") == "      w = v - u"
    assert markdown_rewrite("* z = w x\n+ y = z") == "  z = w x\n  y = z"
    kept = "a = b\n  - c\n* Repeat the step\n"  # a continuation and a line of prose
    assert markdown_rewrite(kept) == kept
    latex = "$$y = a$$\n- z = b\n"  # a page with $: markdown_math leaves it alone
    assert markdown_rewrite(latex) == latex


def test_list_of_equations_reads_as_the_equations_without_markers() -> None:
    decl = "x &isin; R<sup>m</sup>, h &isin; R<sup>n</sup>, y &isin; R<sup>k</sup>"
    listed = papermath.compile(f"- h = W x\n- y = V h\n{decl}")
    plain = papermath.compile(f"h = W x\ny = V h\n{decl}")
    assert listed.shapes == plain.shapes
    assert listed.shapes["W"] == ("n", "m") and listed.shapes["V"] == ("k", "n")


# ---- x[class] written as code, the class index said in prose (parse/code_labels.py) -------
def test_cross_entropy_criterion_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    import numpy as np

    system = papermath.compile(_latex("torch7_cross_entropy_criterion"))
    assert system.kinds["class"] == "target" and system.kinds["x"] == "input"
    assert system.shapes["class"] == () and system.shapes["x"] == system.shapes["weights"]
    (size,) = system.shapes["x"]
    gen = system.to_numpy({str(size): 5})
    rng = np.random.default_rng(7)
    x, weights = rng.normal(size=(4, 5)), rng.uniform(0.5, 2.0, size=5)
    label = np.array([0, 3, 4, 1])
    out, _ = gen.forward({}, {"x": x, "weights": np.tile(weights, (4, 1)), "class": label})
    # the oracle: torch's cross entropy with class weights, one loss per example
    want = torch.nn.functional.cross_entropy(
        torch.tensor(x),
        torch.tensor(label),
        weight=torch.tensor(weights),
        reduction="none",
    )
    np.testing.assert_allclose(out["loss"], want.numpy(), rtol=1e-12)


def test_the_continuation_line_is_a_claim_of_the_chain() -> None:
    from papermath.parse.code import CodeDefinition, read_code

    text = (
        "The criterion expects a class index as `target` in `forward(input, target)`.\n"
        "```lua\n"
        "loss(x, class) = -log(exp(x[class]) / (\\sum_j exp(x[j])))\n"
        "               = -x[class] + log(\\sum_j exp(x[j]))\n"
        "```\n"
    )
    (defined, *_) = read_code(text)
    assert isinstance(defined, CodeDefinition)
    assert text[defined.rhs.span.start : defined.rhs.span.end] == (
        "-x[class] + log(\\sum_j exp(x[j]))"
    )
    assert [text[c.span.start : c.span.end] for c in defined.claims] == [
        "-log(exp(x[class]) / (\\sum_j exp(x[j])))"
    ]
    system = papermath.compile(text)
    assert system.kinds["class"] == "target" and system.shapes["loss"] == ()


def test_x_at_a_name_nothing_calls_a_class_index_stays_refused() -> None:
    text = "```lua\nloss(x, class) = -x[class]\n```\n"
    err = _refusal(text)
    assert "indexing (x[...]) by a name" in str(err) and _under(err) == "["
    # the prose names another argument the class index: class stays unread
    said = "It expects a class index as `target` in `forward(input, target)`.\n"
    err = _refusal(said + "```lua\nloss(x, class, target) = -x[class]\n```\n")
    assert "indexing (x[...]) by a name" in str(err)


def test_a_class_index_said_of_the_name_itself_is_read() -> None:
    from papermath.parse.code_labels import says_class_index

    assert says_class_index("where `label` is the class index\nloss(x, label) = 1", "label")
    assert says_class_index("given the class index `y`: f(s, y) = 1", "y")
    assert not says_class_index("loss(x, class) = -x[class]", "class")


def test_class_nll_criterion_matches_torch_and_leaves_the_conditional_out() -> None:
    torch = pytest.importorskip("torch")
    import numpy as np

    system = papermath.compile(_latex("torch7_class_nll_criterion"))
    assert system.kinds["class"] == "target"
    left_out = [r.reason for r in system.readings if "C-style conditional" in r.reason]
    assert len(left_out) == 1 and "class != ignoreIndex" in left_out[0]
    (size,) = system.shapes["x"]
    gen = system.to_numpy({str(size): 6})
    rng = np.random.default_rng(11)
    x, weights = rng.normal(size=(3, 6)), rng.uniform(0.5, 2.0, size=6)
    label = np.array([5, 0, 2])
    out, _ = gen.forward({}, {"x": x, "weights": np.tile(weights, (3, 1)), "class": label})
    # the oracle: torch's NLL loss with class weights (the weighted form the source gives)
    want = torch.nn.functional.nll_loss(
        torch.tensor(x), torch.tensor(label), weight=torch.tensor(weights), reduction="none"
    )
    np.testing.assert_allclose(out["loss"], want.numpy(), rtol=1e-12)


def test_a_conditional_with_no_form_before_it_is_refused_at_its_question_mark() -> None:
    said = "It expects a class index as `target` in `forward(input, target)`.\n"
    # no form of loss before it: nothing to read in its place
    err = _refusal(said + "```\nloss(x, class) = class != ignoreIndex ? -x[class] : 0\n```\n")
    assert "C-style conditional" in str(err) and _under(err) == "?"
    # a form before it, but no words that announce an alternative: refused as well
    two = "```\nloss(x, class) = -x[class]\nloss(x, class) = class != k ? -x[class] : 0\n```\n"
    err = _refusal(said + two)
    assert "C-style conditional" in str(err) and _under(err) == "?"


def test_a_sum_inside_a_call_written_as_code_prints_as_latex() -> None:
    from papermath.parse.code import latex, read_code

    (defined,) = read_code("```lua\nloss = log(\\sum_j exp(x[j]))\n```\n")
    assert latex(defined.rhs).startswith("\\operatorname{log}\\left(\\sum_{j} ")
