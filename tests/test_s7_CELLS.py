r"""Named recurrent cells and the prose around them (issue 24, brief CELLS): the mentions of a
sequence that compute nothing (read/rules_sequence_mentions.py): ``X = \{x_1, ..., x_T\}``,
``x_1 = \text{<sos>}`` and ``h_T = z`` beside ``z = h_T``.

Oracle: the recurrence with the mentions, run by papermath's NumPy backend, against the same
recurrence written as a NumPy loop by hand.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.backends.data import random_inputs
from papermath.errors import PapermathError

os.environ.setdefault("PAPERMATH_KERNELS", "off")

CASES = Path(__file__).parent / "wild" / "cases"
RNN = "$$h_t = \\tanh(W h_{t-1} + U x_t)$$\n"
MENTIONS = (
    "Here, we have $X = \\{x_1, x_2, ..., x_T\\}$, where $x_1 = \\text{<sos>}, "
    "x_2 = \\text{guten}$, etc.\n"
)


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def _refused(latex: str) -> PapermathError:
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    return err.value


def test_the_mentions_are_left_out_and_said() -> None:
    system = papermath.compile(RNN + MENTIONS)
    assert system.kinds["x"] == "input" and system.kinds["h"] == "state"
    assert "X" not in system.shapes
    said = {r.reading for r in system.readings}
    assert "the sequence named, left out" in said
    assert "an example token, left out" in said


def test_the_recurrence_with_the_mentions_against_a_loop_by_hand() -> None:
    system = papermath.compile(RNN + MENTIONS)
    dims = {system.shapes["h"][0]: 3, system.shapes["x"][0]: 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(3)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=4)
    outputs, _ = gen.forward(p, inputs, state)
    h = np.asarray(state["h"], float)
    for t, x in enumerate(np.asarray(inputs["x"], float)):
        h = np.tanh(h @ p["W"].T + x @ p["U"].T)
        np.testing.assert_allclose(outputs["h"][t], h, rtol=1e-12, atol=1e-12)


def test_bentrevett_overview_reads_its_states_and_input() -> None:
    system = papermath.compile(_latex("bentrevett_seq2seq_overview"))
    assert system.kinds["h"] == "state" and system.kinds["s"] == "state"
    assert system.kinds["x"] == "input"
    assert system.shapes["h"] == system.shapes["s"]  # s_0 = z = h_T
    said = {r.reading for r in system.readings}
    assert "the same equation read backwards, left out" in said


def test_a_set_used_elsewhere_stays_refused() -> None:
    err = _refused(RNN + "$X = \\{x_1, x_2, ..., x_T\\}$ and $y = W_y X$")
    assert err.hint is not None and "one member with its index" in err.hint


def test_a_word_for_a_computed_value_stays_refused() -> None:
    err = _refused(RNN + "where $h_1 = \\text{<sos>}$")  # h is computed: not an input's token
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "\\text{<sos>}"


def test_h_T_equals_z_alone_is_not_left_out() -> None:
    err = _refused(RNN + "i.e. $h_T = z$")
    assert "h" in err.message


# ---- a cell named LSTM, called with its states (parse/cell_calls.py) -----------------------
CELL = r"(h_t, c_t) = \text{LSTM}(x_t, (h_{t-1}, c_{t-1}))"


def test_a_named_lstm_call_against_torch_nn_lstm() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(CELL)
    assert system.kinds["x"] == "input"
    assert system.kinds["h"] == "state" and system.kinds["c"] == "state"
    assert any(
        r.reading == "an LSTM cell by its name, PyTorch's equations" for r in system.readings
    )
    n_in, n_h = 2, 3
    dims = {system.shapes["h"][0]: n_h, system.shapes["x"][0]: n_in}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=4)
    outputs, _ = gen.forward(p, inputs, state)
    lstm = torch.nn.LSTM(n_in, n_h, num_layers=1).double()
    with torch.no_grad():  # PyTorch stacks the gates i, f, g, o by rows
        for ours, theirs in (("W_i", "weight_ih_l0"), ("W_h", "weight_hh_l0")):
            rows = [p[f"{ours}{g}"] for g in "ifgo"]
            getattr(lstm, theirs).copy_(torch.tensor(np.concatenate(rows)))
        for ours, theirs in (("b_i", "bias_ih_l0"), ("b_h", "bias_hh_l0")):
            rows = [p[f"{ours}{g}"] for g in "ifgo"]
            getattr(lstm, theirs).copy_(torch.tensor(np.concatenate(rows)))
        x = torch.tensor(np.asarray(inputs["x"], float))  # (T, batch, n_in): time-major
        h0 = torch.tensor(np.asarray(state["h"], float))[None]
        c0 = torch.tensor(np.asarray(state["c"], float))[None]
        out, _ = lstm(x, (h0, c0))
    np.testing.assert_allclose(outputs["h"], out.numpy(), rtol=1e-10, atol=1e-12)


def test_a_cell_name_the_source_also_uses_keeps_the_refusal() -> None:
    err = _refused(CELL + "\n\\hat{y}_t = f(h_t)")  # f is the source's: no gate f
    assert "tuple on the left side" in err.message
    assert err.hint is not None and "an LSTM cell by its name" in err.hint


def test_a_gru_and_layer_labels_stay_refused() -> None:
    err = _refused(r"(h_t, c_t) = \text{GRU}(x_t, (h_{t-1}, c_{t-1}))")
    assert "tuple on the left side" in err.message
    err = _refused(r"(h_t, c_t) = \mathrm{ConvLSTM}(x_t, (h_{t-1}, c_{t-1}))")  # not nn.LSTM
    assert "tuple on the left side" in err.message
    # one numbered layer alone (a stack of two reads: tests/test_s8_rnn3.py)
    err = _refused(r"(h_t^1, c_t^1) = \text{EncoderLSTM}^1(e(x_t), (h_{t-1}^1, c_{t-1}^1))")
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "(h_t^1, c_t^1)"
