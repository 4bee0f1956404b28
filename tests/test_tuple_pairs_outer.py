# ruff: noqa: E501  (the source's lines, verbatim)
r"""A tuple of as many values on each side (parse/tuple_pairs.py: ``a, b = x, y``) and ``\otimes``
defined by the source as the outer product (read/rules_outer.py: ``a \otimes b = a b^\top``),
as labml's fast weights write them. Oracles: a loop written by hand in NumPy (``np.outer``),
finite differences and torch autograd through ``papermath.check``."""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath.backends.data import random_inputs
from papermath.check import check
from papermath.errors import PapermathError

# labml_nn/transformers/fast_weights/__init__.py (tests/wild/cases/labml_fast_weights.toml)
FAST_WEIGHTS = r"""
Consider a sequence of inputs $\big\{x^{(i)}\big\}^L_{i=1}$ or length $L$
and each step is a vector of size $d_{in}$; i.e. $x \in \mathbb{R}^{d_{in}}$.
The fast weight model generates a weight matrix at each step to produce output
$\big\{y^{(i)}\big\}^L_{i=1}$, $y \in \mathbb{R}^{d_{out}}$

\begin{align}
a^{(i)}, b^{(i)} &= \textcolor{orange}{W_a} x^{(i)}, \textcolor{orange}{W_b} x^{(i)} \\
\textcolor{cyan}{W^{(i)}} &= \sigma \Big( \textcolor{cyan}{W^{(i-1)}} + a^{(i)} \otimes b^{(i)} \Big) \\
y^{(i)} &= \textcolor{cyan}{W^{(i)}} x^{(i)}
\end{align}

$\otimes$ is the outer product ($a \otimes b = a b^\top$), where elements of the two vectors are multiplied with each other
to give a matrix.
"""
DIMS = {"d_in": 3, "d_out": 4}


def test_fast_weights_read_as_the_source_says() -> None:
    system = papermath.compile(FAST_WEIGHTS)
    s = system.shapes
    # y = W x with W d_out x d_in; W + a b^T forces a in R^{d_out}, b in R^{d_in}
    assert s["x"] == ("d_in",) and s["y"] == ("d_out",)
    assert s["a"] == ("d_out",) and s["b"] == ("d_in",)
    assert s["W_a"] == ("d_out", "d_in") and s["W_b"] == ("d_in", "d_in")
    assert s["W"] == ("d_out", "d_in")
    assert system.kinds["W"] == "state" and system.kinds["W_a"] == "parameter"
    assert system.kinds["x"] == "input"
    readings = {r.reading for r in system.readings}
    assert {"one pair of a tuple", "outer product", "definition of \\otimes"} <= readings
    # the definition of the operator is notation, not a value of the model
    assert not {"a", "b"} & {k for k, v in system.kinds.items() if v in ("input", "parameter")}


def test_fast_weights_values_against_a_loop_written_by_hand() -> None:
    system = papermath.compile(FAST_WEIGHTS)
    gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(7)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(DIMS), rng, "sample-first", T=4)
    outputs, _ = gen.forward(params, inputs, state)
    W = np.asarray(state["W"], float)
    for t, x in enumerate(np.asarray(inputs["x"], float)):
        for n in range(x.shape[0]):
            a = params["W_a"] @ x[n]
            b = params["W_b"] @ x[n]
            W[n] = 1 / (1 + np.exp(-(W[n] + np.outer(a, b))))
            np.testing.assert_allclose(outputs["W"][t][n], W[n], rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(outputs["y"][t][n], W[n] @ x[n], rtol=1e-12, atol=1e-12)


def test_fast_weights_check_passes() -> None:
    results = check(papermath.compile(FAST_WEIGHTS), DIMS)
    assert results and all(r.ok for r in results), results


@pytest.mark.parametrize(
    "source",
    [
        "a, b = W_a x, W_b x\nx \\in \\mathbb{R}^n",
        "(a, b) = (W_a x, W_b x)\nx \\in \\mathbb{R}^n",
        "$$a, b = W_a x, W_b x$$ where $x \\in \\mathbb{R}^n$",
    ],
)
def test_a_tuple_of_as_many_values_is_one_equation_per_pair(source: str) -> None:
    system = papermath.compile(source)
    assert system.shapes["W_a"][1] == "n" and system.shapes["W_b"][1] == "n"
    assert system.shapes["a"] == system.shapes["W_a"][:1]
    assert system.shapes["b"] == system.shapes["W_b"][:1]
    assert system.shapes["a"] != system.shapes["b"]  # two values, not one tied to the other
    pairs = [r for r in system.readings if r.reading == "one pair of a tuple"]
    assert [r.subject for r in pairs] == ["a", "b"]


@pytest.mark.parametrize(
    ("source", "words", "under"),
    [
        ("a, b = W_a x, W_b x, W_c x", "tuple on the left side", "a, b"),  # three values
        ("(h_t, c_t) = \\mathrm{LSTM}(x_t, h_{t-1})", "tuple on the left side", "(h_t, c_t)"),
        ("a, b = 1, \\dots", "tuple on the left side", "a, b"),  # dots, not a value
        ("a \\otimes b = a \\odot b\nW = u \\otimes v", "otimes", "\\otimes"),  # not the outer
        ("W = u \\otimes v", "otimes", "\\otimes"),  # nothing defines it
        ("$\\otimes$ is the outer product\n$$W = u \\otimes v$$", "otimes", "\\otimes"),  # words
    ],
)
def test_near_misses_stay_refused(source: str, words: str, under: str) -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(source)
    assert words in err.value.message
    assert err.value.span is not None and err.value.source is not None
    assert err.value.source.snippet(err.value.span).startswith(under)
