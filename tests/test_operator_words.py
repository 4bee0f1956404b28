r"""An operator named in prose between placeholders (parse/operator_words.py): ``$$[. \circ .]$$``
is blanked as prose; where its sentence says the operator concatenates (Lil'Log's
Transformer-XL), its use in the equations is refused at the operator, never read as a product.
Oracle for the reading that stays: NumPy's elementwise product."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError
from papermath.parse.normalize import normalize

CASE = Path(__file__).parent / "wild" / "cases" / "lilianweng_transformer_xl_recurrence.toml"


def test_the_transformer_xl_concatenation_is_refused_at_the_circle() -> None:
    latex = tomllib.loads(CASE.read_text())["latex"]
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    assert "concatenation" in err.value.message and "line 11" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == "\\circ"
    assert err.value.line == 2  # the use in the equation, not the mention in the prose


def test_a_mention_keeps_the_text_length_and_is_blanked() -> None:
    text = "The concatenation operation $$[. \\circ .]$$ is along the sequence length."
    norm = normalize(text).text
    assert len(norm) == len(text) and "\\circ" not in norm


def test_a_mention_that_says_no_concatenation_is_only_prose() -> None:
    source = (
        "$$y = a \\odot b$$\n\nwhere $$. \\odot .$$ is the Hadamard product, "
        "$a \\in \\mathbb{R}^n$, $b \\in \\mathbb{R}^n$.\n% inputs: a, b"
    )
    system = papermath.compile(source)
    assert system.shapes["y"] == ("n",)
    gen = system.to_numpy({"n": 4})
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    outputs, _ = gen.forward(gen.init_params(rng), {"a": a, "b": b})
    np.testing.assert_allclose(outputs["y"], a * b, rtol=1e-12)


def test_a_product_written_between_values_is_not_a_mention() -> None:
    text = "$$y = [a \\circ b]$$"
    assert normalize(text).text == text
