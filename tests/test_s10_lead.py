r"""Session 10, lead: ``\otimes`` said to be the element-wise product (by the source's words or
a case's origin) and a function's parameter written in its subscript (``\mathrm{Swish}_1``),
which together read Shazeer's SwiGLU (corpus_papers/p23) against a NumPy SwiGLU by hand."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.parse.otimes_words import from_origin, said
from papermath.parse.sitemacros import for_case

ROOT = Path(__file__).resolve().parents[1]
P23 = ROOT.parent / "shared" / "corpus_papers" / "p23_swiglu_shazeer2020.toml"


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def test_swiglu_as_the_paper_writes_it_computes_swiglu() -> None:
    case = tomllib.loads(P23.read_text())
    system = papermath.compile(for_case(case["latex"], case, P23.stem))
    assert system.shapes["FFN_SwiGLU"] == ("d_model",)
    dims = {"d_model": 4, "d_ff": 6}
    rng = np.random.default_rng(0)
    x = rng.normal(size=4)
    w, v, w2 = rng.normal(size=(4, 6)), rng.normal(size=(4, 6)), rng.normal(size=(6, 4))
    out, _ = system.to_numpy(dims).forward({"W": w, "W_2": w2}, {"x": x, "V": v})
    xw = x @ w
    expected = ((xw * _sigmoid(xw)) * (x @ v)) @ w2  # Swish_1 = x sigmoid(x) (SiLU), times xV
    np.testing.assert_allclose(out["FFN_SwiGLU"], expected, rtol=1e-10)
    why = [r.reason for r in system.readings if "Hadamard" in r.reading]
    assert any("the case's origin" in w and "component-wise" in w for w in why), why
    assert not any("the words say so" in w for w in why), why  # the directive is no prose
    assert any("beta = 1" in r.reading for r in system.readings)


def test_without_the_origin_the_paper_s_otimes_stays_refused() -> None:
    case = tomllib.loads(P23.read_text())
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(case["latex"])
    assert "otimes" in info.value.message
    assert info.value.source is not None and info.value.span is not None
    assert info.value.source.snippet(info.value.span) == r"\otimes"


@pytest.mark.parametrize(
    "words",
    [
        r"where $\otimes$ is the element-wise product.",
        r"where $\otimes$ is the element-wise Hadamard product.",
        r"Here $\otimes$ denotes element-wise multiplication.",
        r"and $\otimes$ is the element-by-element product.",
        "where \u2297 is the componentwise product.",
        r"the paper writes the component-wise product as \otimes",
        r"This paper uses $\otimes$ for the component-wise product",
    ],
)
def test_words_that_say_elementwise(words: str) -> None:
    assert said(words) is not None


@pytest.mark.parametrize(
    "words",
    [
        r"where $\otimes$ denotes the outer product.",
        r"Here, $\otimes$ denotes the Kronecker product.",
        r"where $\otimes$ is the element-wise or the tensor product.",
        r"where $\otimes$ is a product.",
        r"where $\odot$ is the element-wise product.",
    ],
)
def test_words_that_do_not_say_elementwise(words: str) -> None:
    assert said(words) is None


def test_the_words_decide_the_values() -> None:
    text = (
        "y = a \\otimes \\tanh(b), a \\in \\mathbb{R}^n, b \\in \\mathbb{R}^n\n\n"
        "where $\\otimes$ is the element-wise product."
    )
    system = papermath.compile(text)
    a, b = np.array([1.0, -2.0, 0.5]), np.array([0.3, 0.1, -1.0])
    out, _ = system.to_numpy({"n": 3}).forward({"a": a, "b": b}, {})
    np.testing.assert_allclose(out["y"], a * np.tanh(b), rtol=1e-12)


def test_an_origin_without_the_words_changes_nothing() -> None:
    text = "y = a \\otimes b"
    assert from_origin(text, "Some paper, eq. 3") == text
    assert from_origin(text, None) == text
    assert from_origin("y = a b", "writes the component-wise product as \\otimes") == "y = a b"


def test_words_against_a_definition_of_the_outer_product_are_refused() -> None:
    text = "a \\otimes b = a b^\\top\nW = u \\otimes v\n\n$\\otimes$ is the element-wise product."
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(text)
    assert "outer product" in info.value.message


def test_a_subscript_parameter_set_by_the_call() -> None:
    text = (
        "\\mathrm{Soft}_\\tau(z) = \\tanh(z / \\tau)\n"
        "h = \\mathrm{Soft}_{2}(W x), x \\in \\mathbb{R}^n, h \\in \\mathbb{R}^m"
    )
    system = papermath.compile(text)
    rng = np.random.default_rng(1)
    w, x = rng.normal(size=(4, 3)), rng.normal(size=3)
    out, _ = system.to_numpy({"n": 3, "m": 4}).forward({"W": w}, {"x": x})
    z = w @ x
    np.testing.assert_allclose(out["h"], np.tanh(z / 2.0), rtol=1e-12)
    assert system.kinds.get("Soft_tau") != "output"  # called: no equation of its own


def test_a_letter_in_the_call_s_subscript_is_not_the_parameter() -> None:
    text = "f_\\beta(x) = x \\sigma(\\beta x)\ny = f_\\gamma(W h), h \\in \\mathbb{R}^n"
    system = papermath.compile(text)
    assert not any("with beta" in r.reading for r in system.readings)
