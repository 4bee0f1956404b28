r"""CS231n's prose sizes (parse/bracket_sizes.py): ``\\(max(0,-) \\)`` is prose that names the
nonlinearity (blanked); ``a [100x3072] matrix`` said of ``W_1`` is refused at the brackets with
a hint that declares it, and the system read with the hint's declarations computes what the
notes say. Oracle: the two-layer net written by hand in NumPy."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError
from papermath.parse.normalize import normalize

CASE = Path(__file__).parent / "wild" / "cases" / "cs231n_two_layer_net.toml"
LATEX = tomllib.loads(CASE.read_text())["latex"]
DECLARED = "\n$$W_1 \\in \\mathbb{R}^{100 \\times 3072}, W_2 \\in \\mathbb{R}^{10 \\times 100}$$\n"


def test_a_size_in_brackets_not_bound_to_the_symbol_is_refused_at_the_brackets() -> None:
    # "could be a [100x3072] matrix" is read (parse/size_phrases.py, tests/test_s5_rec.py);
    # a bracket the sentence does not bind to the symbol by those words stays refused
    text = LATEX.replace("could be, for example, a [100x3072] matrix", "maps it to [100x3072]")
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "size of W_1" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == "[100x3072]"
    assert err.value.hint is not None
    assert "W_1 \\in \\mathbb{R}^{100 \\times 3072}" in err.value.hint


def test_the_dash_placeholder_is_blanked_in_place() -> None:
    text = r"The function \\(max(0,-) \\) is a non-linearity"
    norm = normalize(text).text
    assert len(norm) == len(text) and "max" not in norm


def test_the_hint_reads_as_the_notes_say() -> None:
    system = papermath.compile(LATEX + DECLARED)
    assert system.shapes == {
        "s": ("10",),
        "W_2": ("10", "100"),
        "W_1": ("100", "3072"),
        "x": ("3072",),
    }
    assert system.kinds["x"] == "input" and system.kinds["W_1"] == "parameter"
    gen = system.to_numpy({})
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    x = rng.normal(size=(3, 3072))
    outputs, _ = gen.forward(params, {"x": x})
    want = np.maximum(0, x @ params["W_1"].T) @ params["W_2"].T
    np.testing.assert_allclose(outputs["s"], want, rtol=1e-10, atol=1e-12)


def test_a_bracket_of_a_symbol_the_equations_do_not_use_is_not_refused() -> None:
    text = "\\\\( s = W x \\\\). The image \\\\(I\\\\) is [32x32].\n$$x \\in \\mathbb{R}^{n}$$"
    assert papermath.compile(text).shapes["x"] == ("n",)
