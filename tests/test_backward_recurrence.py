r"""Recurrences that run backwards in time (read/rules_reverse.py), the activation around an
affine map (read/rules_wrapped.py) and labels written in parentheses (W^{(f)}, W^{(b)}):
Graves, Mohamed & Hinton's bidirectional RNN (2013, eqs. 8-10) and d2l's (10.4).

The expected shapes and kinds are written from the sources' text: the backward layer is a
state carried from t+1 to t; H is "the hidden layer function" (shape-preserving, n -> n), so
the weights inside it are n x m and n x n; the forward and backward layers' weights are
different matrices.
"""

from __future__ import annotations

import pytest

import papermath
from papermath.errors import PapermathError

GRAVES = "\n".join(
    [
        r"\overrightarrow{h}_t = \mathcal{H}\left(W_{x\overrightarrow{h}} x_t + "
        r"W_{\overrightarrow{h}\overrightarrow{h}} \overrightarrow{h}_{t-1} + "
        r"b_{\overrightarrow{h}}\right)",
        r"\overleftarrow{h}_t = \mathcal{H}\left(W_{x\overleftarrow{h}} x_t + "
        r"W_{\overleftarrow{h}\overleftarrow{h}} \overleftarrow{h}_{t+1} + "
        r"b_{\overleftarrow{h}}\right)",
        r"y_t = W_{\overrightarrow{h}y} \overrightarrow{h}_t + W_{\overleftarrow{h}y} "
        r"\overleftarrow{h}_t + b_y",
        r"x_t \in \mathbb{R}^{m}, \overrightarrow{h}_t \in \mathbb{R}^{n}, \overleftarrow{h}_t "
        r"\in \mathbb{R}^{n}, y_t \in \mathbb{R}^{q}",
    ]
)


def test_graves_backward_layer_is_a_state_carried_backwards() -> None:
    system = papermath.compile(GRAVES)
    back, fwd = "h_overleftarrow", "h_overrightarrow"
    assert system.kinds[back] == "state" and system.kinds[fwd] == "state"
    assert system.recurrence is not None
    assert system.recurrence.states == (fwd,) and system.recurrence.backward == (back,)
    assert system.shapes[back] == ("n",) and system.shapes["y"] == ("q",)
    said = [r for r in system.readings if r.reading == "state carried backwards over t"]
    assert said and said[0].subject == r"\overleftarrow{h}_{t+1}"
    assert "from the last step down" in said[0].reason


def test_hidden_layer_function_is_the_activation_not_another_map() -> None:
    # H around W x + U h + b: shape-preserving, so W_{x h<-} is n x m (no free size)
    system = papermath.compile(GRAVES)
    assert system.shapes["W_xh_overleftarrow"] == ("n", "m")
    assert system.shapes["W_h_overleftarrowh_overleftarrow"] == ("n", "n")
    assert "H" not in system.kinds  # no learnable function H
    said = [r for r in system.readings if r.reading == "activation around an affine map"]
    assert said and said[0].subject == r"\mathcal{H}"


def test_code_for_the_backward_layer_asks_only_which_activation() -> None:
    # the backward state is generated (tests/test_bidirectional.py checks it against torch);
    # what code still asks is the activation H the source does not name
    system = papermath.compile(GRAVES, {"m": 3, "n": 4, "q": 2})
    with pytest.raises(PapermathError) as info:
        system.to_numpy({"m": 3, "n": 4, "q": 2})
    err = info.value
    assert err.span is not None and err.source is not None
    assert err.source.text[err.span.start : err.span.end] == r"\mathcal{H}"
    assert err.hint is not None and r"% \mathcal{H}: " in err.hint


def test_a_backward_layer_alone_reads() -> None:
    source = r"h_t = \tanh(W x_t + U h_{t+1} + b), x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n"
    system = papermath.compile(source)
    assert system.kinds["h"] == "state" and system.shapes["U"] == ("n", "n")
    assert system.recurrence is not None and system.recurrence.backward == ("h",)
    assert system.recurrence.states == ()


@pytest.mark.parametrize(
    "source, caret, words",
    [
        # one value read at t-1 and at t+1: two directions at once
        (
            r"h_t = \tanh(W x_t + U h_{t-1} + V h_{t+1}), x_t \in \mathbb{R}^m",
            "h_{t+1}",
            "both ways",
        ),
        # two steps ahead
        (r"h_t = \tanh(W x_t + U h_{t+2}), x_t \in \mathbb{R}^m", "h_{t+2}", "2 steps ahead"),
        # a gate at t reads the next step of a state that runs forwards
        (
            r"r_t = \sigma(W x_t + U h_{t+1}), h_t = r_t \odot h_{t-1}, x_t \in \mathbb{R}^m",
            "h_{t+1}",
            "both ways",
        ),
    ],
)
def test_near_misses_stay_refused(source: str, caret: str, words: str) -> None:
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert words in err.message, err.message
    assert err.span is not None and source[err.span.start : err.span.end] == caret


def test_function_around_a_map_without_bias_stays_learnable() -> None:
    # g(W x): no bias written, so nothing says the map is complete: a learnable function
    system = papermath.compile(r"y = g(W x), x \in \mathbb{R}^m")
    assert system.kinds["g"] == "function"


D2L = "\n".join(
    [
        r"\overrightarrow{\mathbf{H}}_t = \phi(\mathbf{X}_t \mathbf{W}_{xh}^{(f)} + "
        r"\overrightarrow{\mathbf{H}}_{t-1} \mathbf{W}_{hh}^{(f)} + \mathbf{b}_h^{(f)})",
        r"\overleftarrow{\mathbf{H}}_t = \phi(\mathbf{X}_t \mathbf{W}_{xh}^{(b)} + "
        r"\overleftarrow{\mathbf{H}}_{t+1} \mathbf{W}_{hh}^{(b)} + \mathbf{b}_h^{(b)})",
        r"\mathbf{X}_t \in \mathbb{R}^{n \times d}, \overrightarrow{\mathbf{H}}_t \in "
        r"\mathbb{R}^{n \times h}, \overleftarrow{\mathbf{H}}_t \in \mathbb{R}^{n \times h}",
    ]
)


def test_forward_and_backward_weights_are_two_matrices() -> None:
    system = papermath.compile(D2L)
    for key in ("W_xh_f", "W_xh_b"):
        assert system.kinds[key] == "parameter" and system.shapes[key] == ("d", "h"), key
    for key in ("W_hh_f", "W_hh_b"):
        assert system.kinds[key] == "parameter" and system.shapes[key] == ("h", "h"), key
    assert "W_xh" not in system.shapes
    assert any(r.reading == "labels in parentheses" for r in system.readings)


def test_one_letter_in_parentheses_alone_stays_a_step_label() -> None:
    # h^{(T)} beside h_t: the value at the last step, as before (not a label)
    source = r"h_t = \tanh(W h_{t-1} + U x_t), y = V h^{(T)}, x_t \in \mathbb{R}^m"
    system = papermath.compile(source)
    assert any(r.reading == "step label" for r in system.readings)
