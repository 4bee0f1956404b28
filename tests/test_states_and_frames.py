r"""Left sides, steps and states (issue 24, brief RL): a state written one step ahead
(parse/frames.py, MLX's ``h_{t + 1} = ...`` beside gates at t), primed next states licensed by
a docstring that names "the hidden state h" (parse/primes.py), and an undeclared input beside a
declared state (read/rules_signals.py, the Annotated S4's ``u_k``).

Oracles: torch.nn.GRUCell and torch.nn.LSTMCell, run step by step on the same weights and
inputs as the generated NumPy code (float64)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import papermath
from papermath.backends.data import random_inputs
from papermath.check import check
from papermath.errors import ParseError, ReadingError

D, H, T = 3, 4, 5

# MLX's GRU docstring (python/mlx/nn/layers/recurrent.py), verbatim
MLX_GRU = r"""
    \begin{aligned}
    r_t &= \sigma (W_{xr}x_t + W_{hr}h_t + b_{r}) \\
    z_t &= \sigma (W_{xz}x_t + W_{hz}h_t + b_{z}) \\
    n_t &= \text{tanh}(W_{xn}x_t + b_{n} + r_t \odot (W_{hn}h_t + b_{hn})) \\
    h_{t + 1} &= (1 - z_t) \odot n_t + z_t \odot h_t
    \end{aligned}
"""

# MLX's LSTM docstring, verbatim
MLX_LSTM = r"""
    \begin{aligned}
    i_t &= \sigma (W_{xi}x_t + W_{hi}h_t + b_{i}) \\
    f_t &= \sigma (W_{xf}x_t + W_{hf}h_t + b_{f}) \\
    g_t &= \text{tanh} (W_{xg}x_t + W_{hg}h_t + b_{g}) \\
    o_t &= \sigma (W_{xo}x_t + W_{ho}h_t + b_{o}) \\
    c_{t + 1} &= f_t \odot c_t + i_t \odot g_t \\
    h_{t + 1} &= o_t \text{tanh}(c_{t + 1})
    \end{aligned}
"""

# PyTorch's 2017 GRUCell docstring (torch/nn/modules/rnn.py), verbatim
TORCH_GRUCELL = r"""
    .. math::

        \begin{array}{ll}
        r = \sigma(W_{ir} x + b_{ir} + W_{hr} h + b_{hr}) \\
        z = \sigma(W_{iz} x + b_{iz} + W_{hz} h + b_{hz}) \\
        n = \tanh(W_{in} x + b_{in} + r * (W_{hn} h + b_{hn})) \\
        h' = (1 - z) * n + z * h
        \end{array}

    where :math:`\sigma` is the sigmoid function.

    Args:
        input_size: The number of expected features in the input x
        hidden_size: The number of features in the hidden state h
"""

# the Annotated S4's discrete recurrence (s4/s4.py, a markdown cell), verbatim but for one
# prose line broken in two
S4 = r"""
Concretely, $x_k \in \mathbb{R}^N$ can be viewed as a *hidden state*
with transition matrix $\boldsymbol{\overline{A}}$.
$$
\begin{aligned}
  x_{k} &= \boldsymbol{\overline{A}} x_{k-1} + \boldsymbol{\overline{B}} u_k\\
  y_k &= \boldsymbol{\overline{C}} x_k \\
\end{aligned}
$$
"""


def _sizes(system: papermath.System) -> dict[str, int]:
    """The input's size D and the state's size H, by the names the reading gave them."""
    (d,) = system.shapes["x"]
    (h,) = system.shapes["h"]
    return {d: D, h: H}


def _run(system: papermath.System, seed: int) -> tuple[dict[str, Any], dict, dict, dict]:
    dims = _sizes(system)
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(seed)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=T)
    outputs, _ = gen.forward(params, inputs, state)
    return params, inputs, state, outputs


def _t(a: Any) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a, dtype=float), dtype=torch.float64)


def _gru_against_torch(
    system: papermath.System, seed: int, names: dict[str, tuple[str, str, str]]
) -> None:
    """``names``: for the gates r, z, n, (input weight, recurrent weight, biases...)."""
    params, inputs, state, outputs = _run(system, seed)
    p = {k: _t(v) for k, v in params.items()}
    cell = torch.nn.GRUCell(D, H, dtype=torch.float64)
    zero = torch.zeros(H, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.cat([p[names[g][0]] for g in "rzn"]))
        cell.weight_hh.copy_(torch.cat([p[names[g][1]] for g in "rzn"]))
        cell.bias_ih.copy_(torch.cat([p[names[g][2]] for g in "rzn"]))
        cell.bias_hh.copy_(torch.cat([p[b] if b else zero for g in "rzn" for b in [names[g][3]]]))
    h = _t(state["h"])
    for t, x in enumerate(np.asarray(inputs["x"], dtype=float)):
        h = cell(_t(x), h)
        np.testing.assert_allclose(outputs["h"][t], h.detach().numpy(), atol=1e-10, rtol=0)


def test_mlx_gru_one_step_ahead_reads_as_torch_gru() -> None:
    system = papermath.compile(MLX_GRU)
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"
    assert system.recurrence is not None and system.recurrence.states == ("h",)
    h, d = system.shapes["h"][0], system.shapes["x"][0]
    assert system.shapes["W_hr"] == (h, h) and system.shapes["W_xr"] == (h, d)
    assert system.kinds["W_hr"] == "parameter" and system.kinds["r"] == "intermediate"
    said = [r for r in system.readings if r.reading == "state one step ahead"]
    assert said and "h_t = ... h_{t-1}" in said[0].reason
    names = {
        "r": ("W_xr", "W_hr", "b_r", ""),
        "z": ("W_xz", "W_hz", "b_z", ""),
        "n": ("W_xn", "W_hn", "b_n", "b_hn"),
    }
    _gru_against_torch(system, 1, names)


def test_mlx_lstm_one_step_ahead_reads_as_torch_lstm() -> None:
    system = papermath.compile(MLX_LSTM)
    assert system.recurrence is not None and set(system.recurrence.states) == {"h", "c"}
    assert system.kinds["c"] == "state" and system.shapes["c"] == system.shapes["h"]
    params, inputs, state, outputs = _run(system, 2)
    p = {k: _t(v) for k, v in params.items()}
    cell = torch.nn.LSTMCell(D, H, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.cat([p[f"W_x{g}"] for g in "ifgo"]))
        cell.weight_hh.copy_(torch.cat([p[f"W_h{g}"] for g in "ifgo"]))
        cell.bias_ih.copy_(torch.cat([p[f"b_{g}"] for g in "ifgo"]))
        cell.bias_hh.zero_()
    h, c = _t(state["h"]), _t(state["c"])
    for t, x in enumerate(np.asarray(inputs["x"], dtype=float)):
        h, c = cell(_t(x), (h, c))
        np.testing.assert_allclose(outputs["h"][t], h.detach().numpy(), atol=1e-10, rtol=0)
        np.testing.assert_allclose(outputs["c"][t], c.detach().numpy(), atol=1e-10, rtol=0)


@pytest.mark.parametrize(
    "source, caret",
    [
        # t-1 beside t+1: two frames mixed, the doubt stands (at the state read at t)
        (
            "r_t = \\sigma(W_r h_t)\\\\\nq_t = U h_{t-1}\\\\\nh_{t + 1} = r_t \\odot h_t + q_t",
            "h_t",
        ),
        # a gate at t reads the state's t+1: the future, not a frame
        (
            "r_t = \\sigma(W_r h_{t + 1} + W_x x_t)\\\\\nh_{t + 1} = r_t \\odot h_t",
            None,
        ),
    ],
)
def test_mixed_frames_stay_refused(source: str, caret: str | None) -> None:
    with pytest.raises((ParseError, ReadingError)) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None
    if caret is not None:
        assert source[err.span.start : err.span.end] == caret


def test_a_prediction_one_step_ahead_is_not_a_state() -> None:
    # seq2seq's \hat y_{t+1} = f(s_t): y is read nowhere at t, so it is no state of the frame
    system = papermath.compile("s_t = \\tanh(W s_{t-1} + U x_t)\\\\\n\\hat{y}_{t+1} = V s_t")
    assert system.kinds.get("y_hat") != "state"


def test_torch_grucell_named_hidden_state_reads_as_torch_grucell() -> None:
    system = papermath.compile(TORCH_GRUCELL)
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"
    said = [r for r in system.readings if r.reading == "primed next state"]
    assert said and "hidden state h" in said[0].reason
    names = {
        "r": ("W_ir", "W_hr", "b_ir", "b_hr"),
        "z": ("W_iz", "W_hz", "b_iz", "b_hz"),
        "n": ("W_in", "W_hn", "b_in", "b_hn"),
    }
    _gru_against_torch(system, 3, names)


def test_without_naming_the_state_the_prime_stays_refused() -> None:
    source = TORCH_GRUCELL.replace("in the hidden state h", "of the output")
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "h'"


def test_s4_input_without_a_size_beside_a_declared_state_is_refused() -> None:
    with pytest.raises(ReadingError) as info:
        papermath.compile(S4)
    err = info.value
    assert err.span is not None and S4[err.span.start : err.span.end] == "u_k"
    assert err.hint is not None and "u_k \\in \\mathbb{R}" in err.hint


def test_s4_input_declared_a_scalar_reads_so() -> None:
    source = S4.replace("a *hidden state*", "a *hidden state* and $u_k \\in \\mathbb{R}$ the input")
    system = papermath.compile(source)
    assert system.shapes["u"] == () and system.shapes["x"] == ("N",)
    assert system.shapes["B_bar"] == ("N",) and system.shapes["A_bar"] == ("N", "N")
    assert system.kinds["x"] == "state" and system.kinds["u"] == "input"


def test_an_input_without_any_declaration_keeps_the_convention() -> None:
    # no size written anywhere: the input is a vector by convention (RNN docstrings)
    system = papermath.compile("x_t = A x_{t-1} + B u_t")
    assert len(system.shapes["u"]) == 1 and len(system.shapes["B"]) == 2


# MXNet's RNN operator (src/operator/rnn.cc), verbatim: two variants of one cell
MXNET_VANILLA = r"""
With ReLU activation function:

.. math::
    h_t = relu(W_{ih} * x_t + b_{ih}  +  W_{hh} * h_{(t-1)} + b_{hh})

With Tanh activtion function:

.. math::
    h_t = \tanh(W_{ih} * x_t + b_{ih}  +  W_{hh} * h_{(t-1)} + b_{hh})
"""


def test_a_second_variant_is_left_out_and_said() -> None:
    system = papermath.compile(MXNET_VANILLA)
    assert system.kinds["h"] == "state" and system.kinds["W_hh"] == "parameter"
    said = [r for r in system.readings if r.reading == "variant left out"]
    assert said and "With Tanh activtion function:" in said[0].reason
    # the first variant is the one read: relu, not tanh (against a loop written by hand)
    (d,), (h,) = system.shapes["x"], system.shapes["h"]
    dims = {d: D, h: H}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=T)
    outputs, _ = gen.forward(p, inputs, state)
    hv = np.asarray(state["h"], float)
    for t, x in enumerate(np.asarray(inputs["x"], float)):
        pre = x @ p["W_ih"].T + p["b_ih"] + hv @ p["W_hh"].T + p["b_hh"]
        hv = np.maximum(pre, 0.0)
        np.testing.assert_allclose(outputs["h"][t], hv, atol=1e-12, rtol=0)


@pytest.mark.parametrize(
    "source",
    [
        # no words of an alternative between the two: a value defined twice
        MXNET_VANILLA.replace("With Tanh activtion function:", "Then:"),
        # the later display reads the value it redefines (Paddle's h_t = h_t W_proj): a change
        # of the first, not an alternative
        MXNET_VANILLA.replace("h_t = \\tanh(W_{ih} * x_t", "h_t = \\tanh(h_t + W_{ih} * x_t"),
    ],
)
def test_a_value_defined_twice_otherwise_stays_refused(source: str) -> None:
    with pytest.raises(ReadingError) as info:
        papermath.compile(source)
    assert "defined twice" in info.value.message


@pytest.mark.parametrize(
    ("source", "under", "hint"),
    [
        # bentrevett's seq2seq notebook: a cell the source does not write out
        (
            "(h_t^1, c_t^1) = \\text{EncoderLSTM}^1(e(x_t), (h_{t-1}^1, c_{t-1}^1))",
            "(h_t^1, c_t^1)",
            "\\text{EncoderLSTM} is an LSTM cell by its name",
        ),
        # (labml's fast weights, a tuple of as many values on each side, now reads: one
        # equation per pair, parse/tuple_pairs.py, tests/test_tuple_pairs_outer.py)
    ],
)
def test_a_tuple_on_the_left_is_refused_at_the_tuple(source: str, under: str, hint: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == under
    assert "tuple on the left side" in err.message
    assert err.hint is not None and hint in err.hint


@pytest.mark.parametrize(
    ("source", "under", "words"),
    [
        # CS231n's worked example: numbers on both sides
        (
            "\\begin{bmatrix}0.3 \\\\ -0.1 \\end{bmatrix} = "
            "\\tanh(W \\begin{bmatrix}1 \\\\ 0 \\end{bmatrix})",
            "\\begin{bmatrix}0.3 \\\\ -0.1 \\end{bmatrix}",
            "vector of numbers",
        ),
        # x 1 (with a space) is x times 1; x1 written together is the name x_1 (rules_digit_names)
        ("\\text{loss}(x 1, x2) = \\max(0, x 1 - x2)", "x 1", "name with a digit"),
    ],
)
def test_left_sides_that_are_no_symbol_are_said(source: str, under: str, words: str) -> None:
    with pytest.raises(ReadingError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == under
    assert words in err.message


def test_a_value_at_the_previous_step_on_the_left_names_it() -> None:
    # a generated blog's LSTM: \text{C}_{t-1} = C_{t-1} \odot f_t + ...
    source = "f_t = \\sigma(W_f h_{t-1})\\\\\n\\text{C}_{t-1} = C_{t-1} \\odot f_t"
    with pytest.raises(ReadingError) as info:
        papermath.compile(source)
    assert info.value.message.startswith("C at step t-1")


def test_a_greek_letter_defined_with_the_step_as_superscript_is_at_that_step() -> None:
    # DGL's GATConv writes \alpha_{ij}^{l} = ... beside h^{(l)}: defined, so no power of l
    system = papermath.compile(
        "h^{(l+1)} = \\alpha^{l} \\odot \\tanh(W h^{(l)})\\\\\n\\alpha^{l} = \\sigma(U h^{(l)})"
    )
    assert system.kinds["alpha"] == "state" and system.shapes["alpha"] == system.shapes["h"]
    assert any(r.reading == "alpha at step l" for r in system.readings)


def test_a_power_of_the_step_number_is_read_as_one() -> None:
    # Adam's bias correction: nothing defines beta_1^t, so it is a power of t
    # (read/rules_step_number.py; values against torch.optim: tests/test_step_number.py)
    source = "m_t = \\beta_1 m_{t-1} + g_t\\\\\n\\hat{m}_t = m_t / (1 - \\beta_1^t)"
    system = papermath.compile(source)
    assert system.shapes["beta_1"] == ()
    assert any(r.reading == "beta_1 to the power t" for r in system.readings)


def test_check_passes_on_the_one_step_ahead_lstm() -> None:
    # the generated backward pass against finite differences and torch autograd
    system = papermath.compile(MLX_LSTM)
    results = check(system, _sizes(system))
    assert results and all(r.ok for r in results), results
