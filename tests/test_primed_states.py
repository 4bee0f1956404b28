r"""Primed next states (parse/primes.py): ``h' = (1 - f) * n + f * h`` read as a recurrence only
where the source's own text says the prime is the next step (Flax's "h is the output of the
previous time step", PyTorch's "h' ... the next hidden state"); elsewhere the doubt stands.
Oracles: a loop written by hand in NumPy, finite differences through ``papermath.check``."""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath.backends.data import random_inputs
from papermath.check import check
from papermath.errors import ParseError

# Flax's MGUCell docstring (its first block), with the sentence that follows it
MGU = r"""
.. math::
    \begin{array}{ll}
    f = \sigma(W_{if} x + b_{if} + W_{hf} h) \\
    n = \tanh(W_{in} x + b_{in} + f * (W_{hn} h + b_{hn})) \\
    h' = (1 - f) * n + f * h \\
    \end{array}
where x is the input and h is the output of the previous time step.
"""
DECLARED = MGU + "\n.. math::\n\n    x \\in \\mathbb{R}^{d}, h \\in \\mathbb{R}^{H}\n"
DIMS = {"d": 3, "H": 4}


def test_the_prime_is_the_next_step_where_the_source_says_so() -> None:
    system = papermath.compile(MGU)
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"
    assert system.recurrence is not None and system.recurrence.states == ("h",)
    assert system.kinds["W_hf"] == "parameter" and system.kinds["f"] == "intermediate"
    assert system.shapes["W_hf"] == (system.shapes["h"][0],) * 2
    said = [r for r in system.readings if r.reading == "primed next state"]
    assert said and "previous time step" in said[0].reason


def test_values_against_a_loop_written_by_hand() -> None:
    system = papermath.compile(DECLARED)
    gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(4)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(DIMS), rng, "sample-first", T=4)
    outputs, _ = gen.forward(params, inputs, state)
    p = params

    def sig(v: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-v))

    h = np.asarray(state["h"], float)
    for t, x in enumerate(np.asarray(inputs["x"], float)):
        f = sig(x @ p["W_if"].T + p["b_if"] + h @ p["W_hf"].T)
        n = np.tanh(x @ p["W_in"].T + p["b_in"] + f * (h @ p["W_hn"].T + p["b_hn"]))
        h = (1 - f) * n + f * h
        np.testing.assert_allclose(outputs["h"][t], h, rtol=1e-12, atol=1e-12)


def test_check_passes() -> None:
    results = check(papermath.compile(DECLARED), DIMS)
    assert results and all(r.ok for r in results), results


def test_the_next_hidden_state_said_of_h_prime() -> None:
    # PyTorch's 2017 RNNCell docstring names h' in its Outputs section
    source = (
        "h' = \\tanh(W_{ih} x + b_{ih} + W_{hh} h + b_{hh})\n"
        "Outputs: h'\n    - **h'** (batch, hidden_size): tensor containing the next hidden state\n"
    )
    system = papermath.compile("$$" + source.splitlines()[0] + "$$\n" + source.split("\n", 1)[1])
    assert system.kinds["h"] == "state" and system.kinds["W_hh"] == "parameter"


@pytest.mark.parametrize(
    "source",
    [
        MGU.replace("where x is the input and h is the output of the previous time step.", ""),
        "h' = \\tanh(W_h h + W_i x)",  # no words at all (tests/wild flax_simplecell_residual)
        # the source writes t itself: its steps and the unwritten ones would mix
        "$$h' = \\tanh(W_h h + W_i x_t)$$\nwhere h is the previous hidden state.",
    ],
)
def test_without_the_words_or_beside_a_written_step_the_doubt_stands(source: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "h'"
    assert "does not guess" in err.message


def test_the_line_that_says_so_is_prose_in_plain_text() -> None:
    # tests/wild flax_simplecell: a plain-text docstring, the sentence on its own line
    source = (
        "    \\begin{array}{ll}\n    h' = \\tanh(W_i x + b_i + W_h h)\n    \\end{array}\n\n"
        "where x is the input and h is the output of the previous time step.\n"
    )
    system = papermath.compile(source)
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"
    assert system.shapes["W_h"] == (system.shapes["h"][0],) * 2
    # a line that names symbols but says nothing of steps stays refused
    other = source.replace("the output of the previous time step", "the output")
    with pytest.raises(ParseError):
        papermath.compile(other)
