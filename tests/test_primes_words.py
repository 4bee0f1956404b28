r"""Primed next states in the words Chainer uses ("returns the next hidden vector h'", "c' is
the next cell state"), entries of a function's value (StellarGraph's ``h(u,v)_i = u_i*v_i``), a
primed label in a superscript (``h^{f'}_t``) and an arrow alone in prose (``Linear$\to$ReLU``).
Oracles: torch.nn.LSTMCell with the same weights, loops written by hand in NumPy, one entry at
a time."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import papermath
from papermath.backends.data import random_inputs
from papermath.errors import ParseError

# Chainer's StatelessGRU docstring (links/rnn/gru.py), in LaTeX, with the sizes declared
GRU = r"""
Given two inputs a previous hidden vector $h$ and an input vector $x$, GRU returns the next
hidden vector $h'$ defined as

$$r = \sigma(W_r x + U_r h), z = \sigma(W_z x + U_z h), \bar{h} = \tanh(W x + U (r \odot h)),
h' = (1 - z) \odot h + z \odot \bar{h}$$

$$x \in \mathbb{R}^{m}, h \in \mathbb{R}^{n}$$
"""

# an LSTM cell in Chainer's words (no peephole), declared
LSTM = r"""
Given an input vector $x$, the cell returns the next hidden vector $h'$ defined as

$$i = \sigma(W_i x + U_i h), f = \sigma(W_f x + U_f h), g = \tanh(W_g x + U_g h),
o = \sigma(W_o x + U_o h), c' = g \odot i + f \odot c, h' = o \odot \tanh(c')$$

where $c$ is the current cell state, $c'$ is the next cell state.

$$x \in \mathbb{R}^{m}, h \in \mathbb{R}^{n}, c \in \mathbb{R}^{n}$$
"""
DIMS = {"m": 3, "n": 4}


def _run(source: str, dims: dict[str, int], seed: int = 3, T: int = 4):  # type: ignore[no-untyped-def]
    system = papermath.compile(source)
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(seed)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=T)
    outputs, _ = gen.forward(params, inputs, state)
    return system, params, inputs, state, outputs


def _sig(v: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-v))


def test_chainer_gru_next_hidden_vector_against_a_loop_written_by_hand() -> None:
    system, p, inputs, state, outputs = _run(GRU, DIMS)
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"
    assert system.kinds["U"] == "parameter" and system.shapes["U"] == ("n", "n")
    said = [r for r in system.readings if r.reading == "primed next state"]
    assert said and "next hidden vector" in said[0].reason
    h = np.asarray(state["h"], float)
    for t, x in enumerate(np.asarray(inputs["x"], float)):
        r = _sig(x @ p["W_r"].T + h @ p["U_r"].T)
        z = _sig(x @ p["W_z"].T + h @ p["U_z"].T)
        hb = np.tanh(x @ p["W"].T + (r * h) @ p["U"].T)
        h = (1 - z) * h + z * hb
        np.testing.assert_allclose(outputs["h"][t], h, rtol=1e-12, atol=1e-12)


def test_next_cell_state_against_torch_lstmcell() -> None:
    system, p, inputs, state, outputs = _run(LSTM, DIMS)
    assert system.kinds["c"] == "state" and system.kinds["h"] == "state"
    cell = torch.nn.LSTMCell(DIMS["m"], DIMS["n"]).double()
    with torch.no_grad():  # torch's gate order: i, f, g, o; no biases in the source
        cell.weight_ih.copy_(torch.tensor(np.concatenate([p[f"W_{g}"] for g in "ifgo"])))
        cell.weight_hh.copy_(torch.tensor(np.concatenate([p[f"U_{g}"] for g in "ifgo"])))
        cell.bias_ih.zero_()
        cell.bias_hh.zero_()
        h = torch.tensor(np.asarray(state["h"], float))
        c = torch.tensor(np.asarray(state["c"], float))
        for t, x in enumerate(np.asarray(inputs["x"], float)):
            h, c = cell(torch.tensor(x), (h, c))
            np.testing.assert_allclose(outputs["h"][t], h.numpy(), rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(outputs["c"][t], c.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "words",
    [
        "where $h$ is the current hidden vector.",  # says nothing of h'
        "GRU returns the new vector $h'$.",  # a vector, not a state: a layer's output?
    ],
)
def test_other_words_leave_the_doubt(words: str) -> None:
    source = "$$h' = \\tanh(W_h h + W_x x)$$\n\n" + words + "\n"
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "h'"
    assert "does not guess" in err.message


def test_a_word_in_italics_is_refused_at_the_word() -> None:
    # Chainer's peephole LSTM: upward and lateral are Linear links, typed in italics
    source = (
        "Peephole returns the next hidden vector $h'$ defined as\n\n"
        "$$a = \\tanh(upward x + lateral h), h' = a$$\n"
    )
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "upward"
    assert "\\mathrm{upward}" in (err.hint or "")


@pytest.mark.parametrize(
    ("source", "oracle"),
    [
        (r"$$h(u,v)_i = u_i*v_i$$ where $u \in \mathbb{R}^{d}$", lambda a, b: a * b),
        (r"$$h(u,v)_i = u_i v_i, u \in \mathbb{R}^{d}$$", lambda a, b: a * b),
        (r"$$l_1(u,v)_i = |u_i-v_i|, u \in \mathbb{R}^{d}$$", lambda a, b: abs(a - b)),
        (r"$$l_2(u,v)_i = (u_i-v_i)^2, u \in \mathbb{R}^{d}$$", lambda a, b: (a - b) ** 2),
        (r"$$g(u,v)_i = 2 u_i - 3 v_i^3, u \in \mathbb{R}^{d}$$", lambda a, b: 2 * a - 3 * b**3),
        (
            r"$$g(u,v)_i = 2 \cdot u_i - v_i \cdot v_i$$ where $u \in \mathbb{R}^{d}$",
            lambda a, b: 2 * a - b * b,
        ),
    ],
)
def test_entry_of_a_function_value_against_a_loop_over_entries(source: str, oracle) -> None:  # type: ignore[no-untyped-def]
    system, _, inputs, _, outputs = _run(source, {"d": 5}, T=1)
    assert system.kinds["u"] == "input" and system.kinds["v"] == "input"
    assert system.shapes["u"] == system.shapes["v"] == ("d",)
    assert any(r.reading == "entry of a function's value" for r in system.readings)
    (out,) = outputs.values()
    u, v = np.asarray(inputs["u"], float), np.asarray(inputs["v"], float)
    for row in range(u.shape[0]):
        for i in range(u.shape[1]):
            assert out[row][i] == pytest.approx(oracle(u[row][i], v[row][i]), rel=1e-12)


@pytest.mark.parametrize(
    "source",
    [
        r"$$h(u,v)_i = u_i w_i$$",  # w is no argument: its entry i says nothing of i
        r"$$h(u,v)_i = u_i v$$",  # v used whole
        r"$$h(u,v)_i = \sin(u_i) v_i$$",  # a function of an entry: not in the rule's list
    ],
)
def test_entries_beside_other_things_stay_refused(source: str) -> None:
    with pytest.raises(papermath.PapermathError):
        papermath.compile(source)


def test_a_primed_label_in_a_superscript_is_a_symbol_of_its_own() -> None:
    system = papermath.compile(r"$$a^{f'} = \tanh(W^{f} x), y = \sigma(a^{f'} + b)$$")
    primed = [k for k in system.kinds if k.startswith("a_")]
    assert len(primed) == 1 and system.kinds[primed[0]] == "intermediate"
    assert system.kinds["W_f"] == "parameter"


def test_an_arrow_alone_in_inline_math_is_prose() -> None:
    source = r"The model uses a Linear$\to$ReLU$\to$Linear MLP: $$y = \max(0, x W_1 + b_1) W_2$$"
    system = papermath.compile(source)
    assert system.kinds["W_1"] == "parameter" and system.kinds["x"] == "input"
