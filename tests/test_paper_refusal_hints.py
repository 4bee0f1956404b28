r"""Refusals of the papers' corpus, each at its construct with a hint that is right (what it
says to write reads). A bar of conditioning inside a function's parentheses, ``p(w_O | w_I)``
(Mikolov et al. 2013's skip-gram, p24): a conditional probability, refused at the bar
(parse/layout.py, ``mismatched``); a stray bar that opens an absolute value keeps the bracket's
own message. Shazeer's ``\otimes`` (p23, the paper's component-wise product): refused; the
directive the hint names reads it, checked by finite differences."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import papermath
from papermath.check import check

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "corpus_papers"


def test_a_conditional_probability_is_refused_at_its_bar() -> None:
    # inside a right side: a value the source does not compute (on a definition's left side,
    # p(w_O | w_I) = ..., the bar reads as a comma: rule conditional-left-side, below)
    source = r"L = -\log p(w_O | w_I)"
    with pytest.raises(papermath.ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "|"
    assert "conditional probability" in err.message
    assert err.hint is not None and "name of its own" in err.hint


def test_a_conditional_probability_on_its_definitions_left_side_reads() -> None:
    source = r"p(a | b) = \exp(a^\top b), a \in \mathbb{R}^{d}, b \in \mathbb{R}^{d}"
    system = papermath.compile(source)
    assert system.shapes["p"] == () and system.shapes["a"] == system.shapes["b"] == ("d",)
    assert system.kinds["a"] == system.kinds["b"] == "input"
    assert any("conditional probability" in r.reading for r in system.readings)


@pytest.mark.parametrize("source", [r"y = |x) + 1", r"y = f(|x) + 1"])
def test_a_bar_that_opens_an_absolute_value_is_told_to_close(source: str) -> None:
    with pytest.raises(papermath.ParseError) as info:
        papermath.compile(source)
    assert "does not match" in info.value.message
    assert info.value.hint is not None and "close it with |" in info.value.hint


def test_otimes_is_refused_and_the_directive_the_hint_names_reads_it() -> None:
    case = tomllib.loads((PAPERS / "p23_swiglu_shazeer2020.toml").read_text())
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(case["latex"])
    err = info.value
    assert err.span is not None and err.source is not None
    assert err.source.text[err.span.start : err.span.end] == "\\otimes"
    assert err.hint is not None and "% papermath: otimes is hadamard" in err.hint
    told = papermath.compile("% papermath: otimes is hadamard\n" + case["latex"], case["dims"])
    assert told.shapes["FFN_SwiGLU"] == tuple(case["expect"]["shapes"]["FFN_SwiGLU"])
    results = check(told, case["dims"])
    assert results and all(r.ok for r in results), results


def test_the_one_hot_form_of_an_entry_at_a_label_reads() -> None:
    # CS231n's f_{y_i} (p25) reads now (read/rules_label_pick.py, tests/test_label_pick.py);
    # the one-hot form the old refusal's hint gave reads too, with y data (not a parameter),
    # and its gradients pass check
    source = (
        "% inputs: y\n"
        "f = W x + b\n"
        "\\hat{y} = \\mathrm{softmax}(f)\n"
        "L = -\\sum_{c} y_c \\log \\hat{y}_c\n"
        "x \\in \\mathbb{R}^{D}, W \\in \\mathbb{R}^{K \\times D}\n"
    )
    system = papermath.compile(source)
    assert system.kinds["y"] == "input" and system.shapes["y"] == system.shapes["f"] == ("K",)
    assert system.shapes["L"] == ()
    results = check(system, {"D": 3, "K": 4})
    assert results and all(r.ok for r in results), results


def test_the_one_hot_form_against_torch_cross_entropy() -> None:
    source = (
        "% inputs: y\n"
        "f = W x + b\n"
        "\\hat{y} = \\mathrm{softmax}(f)\n"
        "L = -\\sum_{c} y_c \\log \\hat{y}_c\n"
        "x \\in \\mathbb{R}^{D}, W \\in \\mathbb{R}^{K \\times D}\n"
    )
    dims = {"D": 3, "K": 4}
    gen = papermath.compile(source).to_numpy(dims)
    rng = np.random.default_rng(0)
    params = gen.init_params(rng)
    x = rng.normal(size=(5, 3))
    labels = rng.integers(0, 4, size=5)
    outputs, _ = gen.forward(params, {"x": x, "y": np.eye(4)[labels]}, {})
    logits = torch.tensor(x) @ torch.tensor(params["W"]).T + torch.tensor(params["b"])
    want = F.cross_entropy(logits, torch.tensor(labels), reduction="none").numpy()
    np.testing.assert_allclose(outputs["L"], want, rtol=1e-12, atol=1e-12)
