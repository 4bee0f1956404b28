r"""Recurrent cells, layer stacks and sizes said in prose (issue 24, brief REC).

- parse/primes.py: a docstring that names the system a recurrent cell ("A GRU(Gated Recurrent
  Unit) cell.", MindSpore) makes ``h'`` the next state of ``h``. Oracle: torch.nn.GRUCell with
  the same weights (MindSpore's GRU formula is PyTorch's).
- read/rules_layer_stack.py: d2l's deep RNN, ``H_t^{(l)}`` from ``H_t^{(l-1)}`` and
  ``H_{t-1}^{(l)}`` (the layer in parentheses), ``H_t^{(0)} = X_t`` and ``H_t^{(L)}``.
  Oracle: one layer's loop written by hand in NumPy.
- parse/size_phrases.py: CS231n's ``a [100x3072] matrix`` and Paddle's Chinese
  ``形状为（hidden_size, input_size）。对应公式中的 :math:`W_{ih}```. Oracle: the two-layer net
  and the RNN cell written by hand in NumPy (torch.nn.RNNCell for the cell).
- read/rules_said_activation.py: ``\mathrm{act}`` that the prose calls the activation
  function is the unnamed activation, not a learnable map; ``% \mathrm{act}: tanh`` names it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.backends.data import random_inputs
from papermath.errors import PapermathError

CASES = Path(__file__).parent / "wild" / "cases"


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def _readings(system: papermath.System, word: str) -> list[str]:
    return [r.reason for r in system.readings if word in r.reading]


# ---- primes: a recurrent cell named by the docstring -------------------------------------


def test_a_docstring_that_names_a_gru_cell_makes_h_prime_the_next_state() -> None:
    system = papermath.compile(_latex("mindspore_grucell"))
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"
    assert system.kinds["W_hr"] == "parameter" and system.kinds["n"] == "intermediate"
    said = _readings(system, "primed next state")
    assert said and "GRU(Gated Recurrent Unit) cell" in said[0]


def test_the_gru_cell_against_torch_grucell() -> None:
    latex = (
        _latex("mindspore_grucell")
        + "\n.. math::\n\n    x \\in \\mathbb{R}^{d}, h \\in \\mathbb{R}^{H}\n"
    )
    dims = {"d": 3, "H": 4}
    system = papermath.compile(latex)
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(7)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=4)
    outputs, _ = gen.forward(p, inputs, state)
    cell = torch.nn.GRUCell(3, 4, dtype=torch.float64)
    with torch.no_grad():  # PyTorch stacks the gates r, z, n
        cell.weight_ih.copy_(torch.tensor(np.concatenate([p["W_ir"], p["W_iz"], p["W_in"]])))
        cell.weight_hh.copy_(torch.tensor(np.concatenate([p["W_hr"], p["W_hz"], p["W_hn"]])))
        cell.bias_ih.copy_(torch.tensor(np.concatenate([p["b_ir"], p["b_iz"], p["b_in"]])))
        cell.bias_hh.copy_(torch.tensor(np.concatenate([p["b_hr"], p["b_hz"], p["b_hn"]])))
        h = torch.tensor(np.asarray(state["h"], float))
        for t, x in enumerate(np.asarray(inputs["x"], float)):
            h = cell(torch.tensor(x), h)
            np.testing.assert_allclose(outputs["h"][t], h.numpy(), rtol=1e-10, atol=1e-12)


def test_without_words_the_prime_stays_refused() -> None:
    # flax_simplecell_residual: "If `residual` is `True`," says nothing of steps
    with pytest.raises(PapermathError) as err:
        papermath.compile(_latex("flax_simplecell_residual"))
    assert "next value of a state" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == "h'"


# ---- layer stacks: d2l's deep RNN ---------------------------------------------------------


def test_the_deep_rnn_reads_one_layer_with_the_layer_below_an_input() -> None:
    system = papermath.compile(_latex("d2l_deep_rnn"))
    assert system.shapes["H"] == ("n", "h") and system.shapes["H_below"] == ("n", "h")
    assert system.shapes["W_xh"] == ("h", "h") and system.shapes["O"] == ("n", "q")
    assert system.kinds["H"] == "state" and system.kinds["H_below"] == "input"
    assert system.recurrence is not None and system.recurrence.states == ("H",)
    assert "H_init" not in system.shapes  # H_t^{(0)} = X_t is the stack's input, not h_0
    assert _readings(system, "the stack's input") and _readings(system, "top layer")


def test_one_layer_of_the_deep_rnn_against_a_loop_written_by_hand() -> None:
    latex = _latex("d2l_deep_rnn") + "\n% \\phi_l: tanh\n"
    dims = {"n": 2, "h": 4, "q": 3, "d": 5}
    system = papermath.compile(latex)
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(3)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=3)
    outputs, _ = gen.forward(p, inputs, state)
    below = np.asarray(inputs["H_below"], float)
    h = np.asarray(state["H"], float)
    for t in range(below.shape[0]):
        h = np.tanh(below[t] @ p["W_xh"] + h @ p["W_hh"] + p["b_h"])
        np.testing.assert_allclose(outputs["H"][t], h, rtol=1e-12, atol=1e-12)
        o = h @ p["W_hq"] + p["b_q"]
        np.testing.assert_allclose(outputs["O"][t], o, rtol=1e-12, atol=1e-12)


def test_a_layer_in_parentheses_needs_words_that_call_it_a_layer() -> None:
    eq = r"$$H_t^{(l)} = \tanh(H_t^{(l-1)} W + H_{t-1}^{(l)} U)$$"
    with pytest.raises(PapermathError) as err:
        papermath.compile(eq)  # l and t: two steps in parentheses and subscripts
    assert "both step indices" in err.value.message
    system = papermath.compile(eq + "\n\nfor the $l^\\textrm{th}$ layer.\n")
    assert system.kinds["H_below"] == "input" and system.kinds["H"] == "state"


# ---- sizes said in prose -------------------------------------------------------------------


def test_cs231n_sizes_in_brackets_read_as_the_prose_says() -> None:
    system = papermath.compile(_latex("cs231n_two_layer_net"))
    assert system.shapes == {
        "s": ("10",),
        "W_2": ("10", "100"),
        "W_1": ("100", "3072"),
        "x": ("3072",),
    }
    said = _readings(system, "declaration")
    assert any("[100x3072]" in r for r in said) and any("[10x100]" in r for r in said)
    gen = system.to_numpy({})
    rng = np.random.default_rng(1)
    p = gen.init_params(rng)
    x = rng.normal(size=(3, 3072))
    outputs, _ = gen.forward(p, {"x": x})
    want = np.maximum(0, x @ p["W_1"].T) @ p["W_2"].T
    np.testing.assert_allclose(outputs["s"], want, rtol=1e-10, atol=1e-12)


def test_a_bracket_size_that_contradicts_the_equations_is_refused() -> None:
    text = (
        r"\\( s = W_2 W_1 x \\). Here \\(W_1\\) is a [100x3072] matrix and "
        r"\\(W_2\\) is a [10x50] matrix."
    )
    with pytest.raises(PapermathError):
        papermath.compile(text)


def test_paddle_chinese_shapes_and_the_activation_against_torch_rnncell() -> None:
    latex = _latex("paddle_cn_simplernncell")
    system = papermath.compile(latex)
    assert system.shapes["W_ih"] == ("hidden_size", "input_size")
    assert system.shapes["x"] == ("input_size",) and system.shapes["b_hh"] == ("hidden_size",)
    assert "act" not in system.shapes  # not a learnable function
    assert _readings(system, "the activation function")
    with pytest.raises(PapermathError) as err:
        system.to_numpy({"hidden_size": 4, "input_size": 3})
    assert err.value.hint is not None and "\\mathrm{act}" in err.value.hint
    dims = {"hidden_size": 4, "input_size": 3}
    named = papermath.compile(latex + "\n% \\mathrm{act}: tanh\n")
    gen = named.to_numpy(dims)
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    inputs, state = random_inputs(named.program(dims), rng, "sample-first", T=3)
    outputs, _ = gen.forward(p, inputs, state)
    cell = torch.nn.RNNCell(3, 4, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        for ours, theirs in (("W_ih", "weight_ih"), ("W_hh", "weight_hh")):
            getattr(cell, theirs).copy_(torch.tensor(p[ours]))
        cell.bias_ih.copy_(torch.tensor(p["b_ih"]))
        cell.bias_hh.copy_(torch.tensor(p["b_hh"]))
        h = torch.tensor(np.asarray(state["h"], float))
        for t, x in enumerate(np.asarray(inputs["x"], float)):
            h = cell(torch.tensor(x), h)
            np.testing.assert_allclose(outputs["y"][t], h.numpy(), rtol=1e-10, atol=1e-12)


def test_a_name_the_prose_does_not_call_an_activation_stays_a_learnable_function() -> None:
    system = papermath.compile(
        "$$h_t = \\mathrm{act}(W x_t + U h_{t-1})$$\n\nwhere W is a matrix.\n"
    )
    assert any(r.reading == "learnable function" for r in system.readings)


# ---- lin_x^i(x_t): an italic name the prose says is a linear transformation ---------------


def test_labml_lin_read_as_linear_maps_against_torch_lstmcell() -> None:
    system = papermath.compile(_latex("labml_lstm_cell"))
    assert system.kinds["x"] == "input" and system.kinds["c"] == "state"
    said = _readings(system, "italic name read as a linear map")
    assert said and "computed as linear transformations" in said[0]
    dims = {"d1": 4, "d2": 3}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(11)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=4)
    outputs, _ = gen.forward(p, inputs, state)
    cell = torch.nn.LSTMCell(3, 4, dtype=torch.float64)
    gates = "ifgo"  # PyTorch's order of the stacked gates
    with torch.no_grad():
        for side, theirs in (("x", "ih"), ("h", "hh")):
            w = np.concatenate([p[f"lin_{side}_{g}.weight"] for g in gates])
            b = np.concatenate([p[f"lin_{side}_{g}.bias"] for g in gates])
            getattr(cell, f"weight_{theirs}").copy_(torch.tensor(w))
            getattr(cell, f"bias_{theirs}").copy_(torch.tensor(b))
        h = torch.tensor(np.asarray(state["h"], float))
        c = torch.tensor(np.asarray(state["c"], float))
        for t, x in enumerate(np.asarray(inputs["x"], float)):
            h, c = cell(torch.tensor(x), (h, c))
            np.testing.assert_allclose(outputs["h"][t], h.numpy(), rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(outputs["c"][t], c.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "words",
    [
        "",  # no words: a function named lin, or the product l i n?
        "Also $c$ never goes through a linear transformation.",  # words of another value
    ],
)
def test_without_the_words_the_italic_name_stays_refused(words: str) -> None:
    text = "$$i_t = lin_x^i(x_t) + lin_h^i(h_{t-1})$$\n\n" + words + "\n"
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "typed together in italics" in err.value.message


def test_the_top_layer_is_read_only_where_every_layer_has_one_shape() -> None:
    eq = r"$$H_t^{(l)} = \tanh(H_t^{(l-1)} W + H_{t-1}^{(l)} U), O_t = H_t^{(L)} V$$"
    words = "\n\nfor the $l^\\textrm{th}$ layer.\n"
    with pytest.raises(PapermathError) as err:
        papermath.compile(eq + words)
    assert "top layer" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == "(L)"
    declared = eq + "\n$$H_t^{(l)} \\in \\mathbb{R}^{n \\times h}$$" + words
    system = papermath.compile(declared)
    assert system.shapes["V"][0] == "h" and system.shapes["O"][0] == "n"
