r"""Left sides that define a function (read/rules_functions.py) and initial conditions
(read/rules_initial.py). Oracles: NumPy and torch written by hand, finite differences through
``papermath.check``; refusals located on the construct."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import papermath
from papermath.backends.data import random_inputs
from papermath.check import check
from papermath.errors import ReadingError

D = "\n"


def forward(system: papermath.System, dims: dict[str, int], seed: int = 0) -> tuple:
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(seed)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first")
    outputs, _ = gen.forward(params, inputs, state)
    return params, inputs, outputs


# an italic multi-letter name, defined with its weights among its arguments, then called
FFN = (
    r"FFN(x, W_1, b_1) = \max(0, W_1 x + b_1)"
    + D
    + r"y = W_2 FFN(h, W_1, b_1) + c"
    + D
    + r"h \in \mathbb{R}^{m}, W_1 \in \mathbb{R}^{k \times m}, y \in \mathbb{R}^{n}"
)


def test_an_italic_name_before_a_left_sides_parenthesis_is_one_function() -> None:
    system = papermath.compile(FFN)
    assert "FFN" in system.kinds and "F" not in system.shapes and "N" not in system.shapes
    assert system.shapes["W_2"] == ("n", "k") and system.shapes["b_1"] == ("k",)
    # the weights written among the arguments stay parameters; h, the data, is an input
    assert system.kinds["W_1"] == system.kinds["b_1"] == "parameter"
    assert system.kinds["h"] == "input"


def test_values_and_check_of_the_italic_function() -> None:
    system = papermath.compile(FFN)
    dims = {"m": 3, "k": 4, "n": 2}
    params, inputs, outputs = forward(system, dims)
    h = np.asarray(inputs["h"], float)
    want = np.maximum(0, h @ params["W_1"].T + params["b_1"]) @ params["W_2"].T + params["c"]
    np.testing.assert_allclose(outputs["y"], want, rtol=1e-12)
    results = check(system, dims)
    assert results and all(r.ok for r in results), results


def test_arguments_not_written_as_weights_are_inputs() -> None:
    system = papermath.compile(r"\mathrm{d}(a, b) = \|a - b\|" + D + r"a \in \mathbb{R}^{n}")
    assert system.kinds["a"] == system.kinds["b"] == "input"
    attention = papermath.compile(r"\mathop{Attention}(Q, K, V) = \mathrm{softmax}(Q K^\top) V")
    assert {attention.kinds[k] for k in "QKV"} == {"input"}  # V is the values, not a weight


def test_a_known_name_the_source_defines_is_the_sources_function() -> None:
    # a README's LSTM restates the sigmoid; tests/wild notes_lstm_c_policy_french
    source = (
        r"\sigma(u) = \frac{1}{1 + \exp(-u)}"
        + D
        + r"h = \sigma(W x + b)"
        + D
        + r"x \in \mathbb{R}^{m}, h \in \mathbb{R}^{n}"
    )
    system = papermath.compile(source)
    assert system.shapes["W"] == ("n", "m") and system.kinds["sigma"] == "function"
    assert any(r.reading == "call of sigma" for r in system.readings)
    params, inputs, outputs = forward(system, {"m": 3, "n": 2})
    x = torch.tensor(np.asarray(inputs["x"], float))
    want = torch.sigmoid(x @ torch.tensor(params["W"]).T + torch.tensor(params["b"]))
    np.testing.assert_allclose(outputs["h"], want.numpy(), rtol=1e-12)
    # \text{LN}(X) = ...: the source's layer norm, not the natural log \ln
    ln = papermath.compile(r"\text{LN}(x) = \gamma \odot x + \beta" + D + r"y = \text{LN}(W v)")
    assert ln.kinds["gamma"] == "parameter" and ln.shapes["gamma"] == ln.shapes["y"]


def test_an_initial_condition_to_zero_is_the_default_initial_state() -> None:
    elman = (
        r"h_t = \tanh(W h_{t-1} + U x_t)" + D + r"x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}"
    )
    with_zero = papermath.compile(r"h_0 = 0" + D + elman)
    without = papermath.compile(elman)
    assert with_zero.shapes == without.shapes and with_zero.kinds == without.kinds
    assert "h_0" not in with_zero.shapes  # not a symbol of its own
    assert any(r.reading == "initial state" for r in with_zero.readings)
    for zero in (r"h^{(0)} = \mathbf{0}", r"h_{0} = \mathbf{0}"):
        assert papermath.compile(zero + D + elman).shapes == without.shapes


@pytest.mark.parametrize(
    ("source", "caret", "words"),
    [
        # zeros before the value: padded on which side? (read/rules_zero_pad.py reads x_i then 0)
        (
            r"h_{i}^{0} = [\mathbf{0} \| x_i]" + D + r"h_i^{t+1} = f(h_i^t)",
            "h_{i}^{0}",
            "initial condition",
        ),
        # x_0 beside x_t: the first input, or one before them? (read/rules_initial_tie.py)
        (r"h_0 = x_0" + D + r"h_t = \tanh(W h_{t-1} + U x_t)", "h_0", "step 0 as well"),
        (r"h_0 = 0" + D + r"h_t = \tanh(W h_{t-1} + U x_t + V h_0)", "h_0", "first value"),
    ],
)
def test_other_initial_conditions_are_refused_at_the_step_zero(
    source: str, caret: str, words: str
) -> None:
    with pytest.raises(ReadingError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == caret
    assert words in err.message and err.hint is not None


def test_a_first_value_padded_with_zeros_reads() -> None:
    """GatedGraphConv's h_i^{(0)} = x_i || 0: the input padded with zeros to the state's width
    (read/rules_zero_pad.py; values checked against a hand loop in test_s8_ggnn2.py)."""
    system = papermath.compile(r"h_{i}^{0} = [x_i \| \mathbf{0}]" + D + r"h_i^{t+1} = f(h_i^t)")
    assert system.kinds["h_i"] == "state" and system.kinds["x_i"] == "input"
    assert any(r.reading == "padded with zeros" for r in system.readings)


def test_a_whole_state_tied_to_an_input_reads_as_its_first_value() -> None:
    """DGL's APPNP: H^{0} = X is the state's first value (H_init), read at every step where
    H^{0} is written (read/rules_initial_tie.py; values checked in test_initial_values.py)."""
    system = papermath.compile(r"H^{0} = X" + D + r"H^{l+1} = \sigma(W H^{l}) + H^{0}")
    assert system.shapes["H_init"] == system.shapes["H"] == system.shapes["X"]
    assert any(r.reading == "initial value" for r in system.readings)


def test_a_value_at_step_zero_of_no_recurrence_is_a_label() -> None:
    assert papermath.compile(r"y_0 = W x").shapes["y_0"] == ("d1",)


def test_a_size_said_only_in_prose_is_refused_at_the_size() -> None:
    # the prose names d_ff in words no rule reads (not the parts of the network), no
    # declaration uses it
    prose = "The width $d_{ff}$ is generally set to around\nfour times $d_{model}$.\n"
    source = prose + "$$FFN(x, W_1, W_2, b_1, b_2) = \\max(0, x W_1 + b_1) W_2 + b_2$$\n"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "d_{ff}"
    assert "sizes from prose" in err.message
    declared = source + (
        "$x \\in \\mathbb{R}^{d_{model}}, W_1 \\in \\mathbb{R}^{d_{model} \\times d_{ff}}$"
    )
    system = papermath.compile(declared)
    assert system.shapes["b_1"] == ("d_ff",) and system.kinds["W_2"] == "parameter"


def test_the_widths_of_a_feed_forward_network_read_from_its_words() -> None:
    # tests/wild labml_ffn: the hidden layer d_ff, the token embedding d_model (rule
    # ffn-width-words); the output's width is not said (no "expand-and-contract"): left free
    prose = (
        "Number of dimensions in the hidden layer $d_{ff}$, is generally set to around\n"
        "four times that of the token embedding $d_{model}$.\n"
    )
    source = prose + "$$FFN(x, W_1, W_2, b_1, b_2) = \\max(0, x W_1 + b_1) W_2 + b_2$$\n"
    system = papermath.compile(source)
    assert system.shapes["b_1"] == ("d_ff",) and system.shapes["x"] == ("d_model",)
    assert system.shapes["W_1"] == ("d_model", "d_ff")
    assert system.shapes["W_2"][0] == "d_ff" and system.shapes["W_2"][1] == system.shapes["FFN"][0]
    assert "d_model" not in system.shapes["FFN"]
    assert system.kinds["x"] == "input" and system.kinds["W_2"] == "parameter"
