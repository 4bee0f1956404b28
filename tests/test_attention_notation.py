r"""Lil'Log's multi-head attention as the post writes it: ``\text{where head}_i`` (a prose word
inside the name's \text: parse/text_prose.py), ``[\text{head}_1; \dots; \text{head}_h]`` (the
family concatenated: read/rules_family_brackets.py), and ``\text{Attention}(...)`` called but
not defined (refused: read/rules_attention_calls.py). Oracle: multi-head attention written by
hand in NumPy."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError
from papermath.parse.normalize import normalize

CASE = Path(__file__).parent / "wild" / "cases" / "lilianweng_multihead_attention.toml"
MULTIHEAD = r"""
\mathrm{MultiHead}(Q, K, V) = [\mathrm{head}_1; \dots; \mathrm{head}_h] W^O
\text{where head}_i = \mathrm{Attention}(Q W_i^Q, K W_i^K, V W_i^V)
\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^T}{\sqrt{d_k}}\right) V
Q, K, V \in \mathbb{R}^{n \times d_{model}}, W_i^Q, W_i^K \in \mathbb{R}^{d_{model} \times d_k}
W_i^V \in \mathbb{R}^{d_{model} \times d_v}, W^O \in \mathbb{R}^{h d_v \times d_{model}}
"""
DIMS = {"n": 4, "d_model": 8, "d_k": 2, "d_v": 3, "h": 4}


def test_the_prose_word_in_the_text_is_blanked_in_place() -> None:
    text = r"\text{where head}_i = x"
    norm = normalize(text).text
    assert len(norm) == len(text) and "where" not in norm and "head}" in norm
    assert normalize(r"a = b \text{ where } c = d").text.count("where") == 1  # a word alone


def test_the_lilianweng_excerpt_is_refused_at_the_undefined_attention() -> None:
    latex = tomllib.loads(CASE.read_text())["latex"]
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    assert "defined nowhere" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == r"\text{Attention}"
    assert err.value.hint is not None and "\\mathrm{softmax}" in err.value.hint


def test_the_family_in_brackets_against_attention_written_by_hand() -> None:
    system = papermath.compile(MULTIHEAD)
    assert system.shapes["MultiHead"] == ("n", "d_model")
    assert system.shapes["head"] == ("n", "d_v")
    assert system.shapes["W_Q"] == ("d_model", "d_k")
    assert any(r.reading == "concatenation of the family head" for r in system.readings)
    gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(0)
    p = gen.init_params(rng)
    q, k, v = (rng.normal(size=(4, 8)) for _ in range(3))
    outputs, _ = gen.forward(p, {"Q": q, "K": k, "V": v})

    def softmax(x: np.ndarray) -> np.ndarray:
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    heads = [
        softmax((q @ p["W_Q"][i]) @ (k @ p["W_K"][i]).T / np.sqrt(2)) @ (v @ p["W_V"][i])
        for i in range(4)
    ]
    want = np.concatenate(heads, axis=-1) @ p["W_O"]
    np.testing.assert_allclose(outputs["MultiHead"], want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("source", "words", "under"),
    [
        ("h = \\mathrm{Attention}(Q, K, V)", "defined nowhere", "\\mathrm{Attention}"),
        ("y = [\\mathrm{head}_1; \\dots; \\mathrm{head}_h] W", "no equation defines", "["),
    ],
)
def test_near_misses_are_refused(source: str, words: str, under: str) -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(source)
    assert words in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span).startswith(under)
