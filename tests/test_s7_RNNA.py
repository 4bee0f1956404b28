r"""``\cdot`` in gated recurrences (issue 24, brief RNNA).

shapes/rules_gate_products.py: ``c_t = f_t \cdot c_{t-1} + i_t \cdot a_t`` (Chainer's
n_step_lstm and n_step_gru docstrings, a French README's LSTM): where no product of ``\cdot``
fits (the dot product's number does not fit where the value is used) and one side is a gate
of a gated recurrence, the elementwise product. Oracles: torch.nn.LSTMCell and
torch.nn.GRUCell with the same weights, and the README's LSTM written by hand in NumPy.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.backends.data import random_inputs
from papermath.errors import PapermathError

CASES = Path(__file__).parent / "wild" / "cases"
RULE = "cdot-gate-elementwise"


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def _run(system: papermath.System, dims: dict[str, int], seed: int) -> tuple:
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(seed)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=3)
    outputs, _ = gen.forward(p, inputs, state)
    return p, inputs, state, outputs


def _free(system: papermath.System, key: str) -> str:
    return system.shapes[key][0]


def test_chainer_lstm_against_torch_lstm_cell() -> None:
    system = papermath.compile(_latex("chainer_n_step_lstm"))
    said = [r.reason for r in system.readings if RULE in r.reason]
    assert len(said) == 3 and all("is a gate" in s for s in said)  # f, i and o
    n, m = _free(system, "h"), _free(system, "x")
    assert system.shapes["c"] == (n,) and system.shapes["W_4"] == (n, n)
    assert system.kinds["c"] == "state" and system.kinds["h"] == "state"
    p, inputs, state, outputs = _run(system, {n: 4, m: 3}, seed=5)
    cell = torch.nn.LSTMCell(3, 4, dtype=torch.float64)
    cat = np.concatenate
    with torch.no_grad():  # torch stacks i, f, g, o; Chainer's i, f, o, a are W_0, W_1, W_2, W_3
        cell.weight_ih.copy_(torch.tensor(cat([p["W_0"], p["W_1"], p["W_3"], p["W_2"]])))
        cell.weight_hh.copy_(torch.tensor(cat([p["W_4"], p["W_5"], p["W_7"], p["W_6"]])))
        cell.bias_ih.copy_(torch.tensor(cat([p["b_0"], p["b_1"], p["b_3"], p["b_2"]])))
        cell.bias_hh.copy_(torch.tensor(cat([p["b_4"], p["b_5"], p["b_7"], p["b_6"]])))
        h = torch.tensor(np.asarray(state["h"], float))
        c = torch.tensor(np.asarray(state["c"], float))
        for t, x in enumerate(np.asarray(inputs["x"], float)):
            h, c = cell(torch.tensor(x), (h, c))
            np.testing.assert_allclose(outputs["h"][t], h.numpy(), rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(outputs["c"][t], c.numpy(), rtol=1e-10, atol=1e-12)


def test_chainer_gru_against_torch_gru_cell() -> None:
    system = papermath.compile(_latex("chainer_n_step_gru"))
    assert len([r for r in system.readings if RULE in r.reason]) == 3
    n, m = _free(system, "h"), _free(system, "x")
    p, inputs, state, outputs = _run(system, {n: 4, m: 3}, seed=6)
    cell = torch.nn.GRUCell(3, 4, dtype=torch.float64)
    cat = np.concatenate
    with torch.no_grad():  # torch stacks r, z, n: Chainer's W_0, W_1, W_2 (and W_3, W_4, W_5)
        cell.weight_ih.copy_(torch.tensor(cat([p["W_0"], p["W_1"], p["W_2"]])))
        cell.weight_hh.copy_(torch.tensor(cat([p["W_3"], p["W_4"], p["W_5"]])))
        cell.bias_ih.copy_(torch.tensor(cat([p["b_0"], p["b_1"], p["b_2"]])))
        cell.bias_hh.copy_(torch.tensor(cat([p["b_3"], p["b_4"], p["b_5"]])))
        h = torch.tensor(np.asarray(state["h"], float))
        for t, x in enumerate(np.asarray(inputs["x"], float)):
            h = cell(torch.tensor(x), h)
            np.testing.assert_allclose(outputs["h"][t], h.numpy(), rtol=1e-10, atol=1e-12)


def test_readme_lstm_with_a_defined_sigmoid_against_a_loop_by_hand() -> None:
    system = papermath.compile(_latex("notes_lstm_c_policy_french"))
    assert len([r for r in system.readings if RULE in r.reason]) == 2  # f_t, o_t
    n, m = _free(system, "h"), _free(system, "x")
    p, inputs, state, outputs = _run(system, {n: 3, m: 2}, seed=7)

    def sig(z: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-z))

    h = np.asarray(state["h"], float)
    c = np.asarray(state["c"], float)
    for t, x in enumerate(np.asarray(inputs["x"], float)):
        hx = np.concatenate([h, x], axis=-1)
        f = sig(hx @ p["W_f"].T + p["B_f"])
        i = sig(hx @ p["W_i"].T + p["B_i"])
        g = np.tanh(hx @ p["W_c"].T + p["B_c"])
        o = sig(hx @ p["W_o"].T + p["B_o"])
        c = f * c + i * g
        h = o * np.tanh(c)
        np.testing.assert_allclose(outputs["c"][t], c, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(outputs["h"][t], h, rtol=1e-12, atol=1e-12)


def _refused(latex: str) -> PapermathError:
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    return err.value


def test_a_gate_dot_a_vector_whose_value_nothing_shapes_is_refused() -> None:
    # h is used nowhere: the dot product (h one number) fits as well as the elementwise one
    err = _refused(
        "f_t = \\sigma(W_f x_t + U_f c_{t-1})\nc_t = f_t \\cdot c_{t-1}\n"
        "h_t = f_t \\cdot \\tanh(c_t)"
    )
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "f_t \\cdot \\tanh(c_t)"
    assert "is a gate" in err.message and "fit both" in err.message
    assert err.hint is not None and "\\odot" in err.hint and "^\\top" in err.hint


def test_no_gate_no_elementwise_reading() -> None:
    # a_t is a tanh, not a gate: the \cdot stays refused as before (rules_products.py)
    err = _refused("a_t = \\tanh(W x_t + U c_{t-1})\nc_t = a_t \\cdot c_{t-1} + x_t")
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "a_t \\cdot c_{t-1}"
    assert "no reading of \\cdot fits" in err.message


def test_a_sigmoid_that_reads_no_state_is_no_gate_of_this_rule() -> None:
    # f_t reads x_t only: nothing says a gate multiplies a carried state (refused as before)
    err = _refused("f_t = \\sigma(W x_t)\nc_t = f_t \\cdot c_{t-1} + x_t")
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "f_t \\cdot c_{t-1}"
    assert "no reading of \\cdot fits" in err.message


# ---- layer stacks: d2l-zh's deep RNN, l and \ell ------------------------------------------


def test_d2l_zh_deep_rnn_reads_one_layer_by_its_chinese_words() -> None:
    # "第$l$个隐藏层" (the l-th hidden layer): l is the layer, t the step
    latex = _latex("d2lzh_deep_rnn")
    system = papermath.compile(latex)
    assert system.shapes["H"] == ("n", "h") and system.shapes["H_below"] == ("n", "h")
    assert system.kinds["H"] == "state" and system.kinds["H_below"] == "input"
    dims = {"n": 2, "h": 4, "q": 3, "d": 4}
    system = papermath.compile(latex + "\n% \\phi_l: tanh\n")
    p, inputs, state, outputs = _run(system, dims, seed=8)
    below = np.asarray(inputs["H_below"], float)
    h = np.asarray(state["H"], float)
    for t in range(below.shape[0]):  # one layer's loop, written by hand
        h = np.tanh(below[t] @ p["W_xh"] + h @ p["W_hh"] + p["b_h"])
        np.testing.assert_allclose(outputs["H"][t], h, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(outputs["O"][t], h @ p["W_hq"] + p["b_q"], rtol=1e-12)


def test_without_the_words_a_layer_in_parentheses_stays_a_second_step() -> None:
    err = _refused("$$H_t^{(l)} = \\tanh(H_t^{(l-1)} W + H_{t-1}^{(l)} U)$$\n\n第$l$个样本。\n")
    assert "both step indices" in err.message


def test_l_and_ell_as_two_step_indices_are_refused_with_a_hint_that_fits() -> None:
    # \ell only in a right side's superscript, every left side at l: one index (rules_ell_index)
    text = _latex("uvadlc_graphconv_l_and_ell")
    one = papermath.compile(text)
    (d,) = one.shapes["x"]
    assert one.shapes["W_1"] == one.shapes["W_2"] == (d, d) and one.kinds["x"] == "state"
    assert any("\\ell is l" in r.reading for r in one.readings)
    # the left side written at \ell: \ell is bound, two indices may be meant; refused at l
    bound = text.replace("\\mathbf{x}_i^{(l+1)}", "\\mathbf{x}_i^{(\\ell+1)}")
    assert bound != text
    err = _refused(bound)
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "l + 1"  # W_1's l, beside the left side's \ell
    assert "script letter l" in err.message
    assert err.hint is not None and "one letter for the index" in err.hint


# ---- a tuple of states from a named LSTM cell: refused, the hint gives the cell -------------


def test_a_named_lstm_cell_is_refused_with_the_cells_equations_in_the_hint() -> None:
    # the notebook's stack (layer 2 fed by h_t^1) reads as nn.LSTM's layers (parse/cell_layers)
    text = _latex("bentrevett_seq2seq_encoder_lstm_layers")
    stack = papermath.compile(text)
    assert stack.kinds["h"] == stack.kinds["c"] == "state" and stack.kinds["x"] == "input"
    assert stack.shapes["h"] == stack.shapes["c"] and len(stack.shapes["h"]) == 1
    assert any("stack of 2 LSTM layers" in r.reading for r in stack.readings)
    # layer 2 fed by the cell state below (not nn.LSTM's stack): refused, the hint the cell
    fed_c = text.replace("\\text{EncoderLSTM}^2(h_t^1,", "\\text{EncoderLSTM}^2(c_t^1,")
    assert fed_c != text
    err = _refused(fed_c)
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "(h_t^1, c_t^1)"
    assert err.hint is not None and "an LSTM cell by its name" in err.hint
    # the hint's layer equations read (one layer l of a stack, the layer below its input)
    layer = err.hint[err.hint.index("i_t^l") : err.hint.index("; for one layer")]
    layer = layer.replace(", f_t^l and o_t^l likewise", "")
    equations = [e.strip() for e in re.split(r", (?=[a-z]_t\^l =)", layer)]
    system = papermath.compile("\n".join(equations))
    assert system.kinds["h"] == "state" and len(system.shapes["W_i"]) == 2
    other = _refused("(y_t, h_t) = \\mathrm{Cell}(x_t, h_{t-1})")
    assert other.hint is not None and "does not say how" in other.hint  # no cell named


# ---- y_{t>1} named in prose ----------------------------------------------------------------


def test_a_value_under_a_condition_named_in_prose_is_a_mention() -> None:
    text = (
        "For the later inputs, $y_{t>1}$, we use the prediction.\n\n$$h_t = W h_{t-1} + U y_t$$\n"
    )
    system = papermath.compile(text)
    assert system.kinds["y"] == "input" and system.kinds["h"] == "state"
    err = _refused("$$y_{t>1} = W x_t$$")  # in an equation: refused at the comparison
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == ">"


# ---- upward x: a word the docstring lists as a Linear layer -------------------------------


def test_peephole_lstm_reads_its_linear_links_against_a_loop_by_hand() -> None:
    system = papermath.compile(_latex("chainer_peephole_lstm"))
    n, m = _free(system, "h"), _free(system, "x")
    assert system.shapes["upward"] == (n, m) and system.shapes["lateral"] == (n, n)
    assert system.shapes["peep_o"] == (n, n) and system.kinds["upward"] == "parameter"
    assert [r for r in system.readings if r.reading == "name of a Linear layer"]
    p, inputs, state, outputs = _run(system, {n: 3, m: 2}, seed=9)

    def sig(z: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-z))

    h = np.asarray(state["h"], float)
    c = np.asarray(state["c"], float)
    for t, x in enumerate(np.asarray(inputs["x"], float)):
        pre = x @ p["upward"].T + h @ p["lateral"].T  # the same in the four gates, as written
        a = np.tanh(pre)
        i = sig(pre + c @ p["peep_i"].T)
        f = sig(pre + c @ p["peep_f"].T)
        c = a * i + f * c
        o = sig(pre + c @ p["peep_o"].T)
        h = o * np.tanh(c)
        np.testing.assert_allclose(outputs["c"][t], c, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(outputs["h"][t], h, rtol=1e-12, atol=1e-12)


def test_a_word_the_prose_does_not_list_stays_refused() -> None:
    text = _latex("chainer_peephole_lstm").replace("upward (~chainer.links.Linear)", "upward:")
    err = _refused(text)
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "upward"


def test_peephole_typesets_its_names_as_names() -> None:
    from papermath.report.typeset import typeset_equations

    printed = typeset_equations(papermath.compile(_latex("chainer_peephole_lstm")))
    assert any("\\mathrm{upward} x" in e and "\\mathrm{peep}_i c" in e for e in printed)


def test_two_layers_of_the_d2l_zh_deep_rnn_against_torch_rnn_with_two_layers() -> None:
    # the one layer read, run twice (layer 1 on X, layer 2 on layer 1's H), is nn.RNN's stack
    system = papermath.compile(_latex("d2lzh_deep_rnn") + "\n% \\phi_l: tanh\n")
    dims = {"n": 2, "h": 4, "q": 3, "d": 4}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(11)
    layers = [gen.init_params(rng), gen.init_params(rng)]
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=3)
    starts = [np.asarray(state["H"], float), rng.standard_normal(np.shape(state["H"]))]
    below = np.asarray(inputs["H_below"], float)  # X_t: (T, samples, n, d)
    shape = below.shape
    for p, h0 in zip(layers, starts, strict=True):
        outputs, _ = gen.forward(p, {**inputs, "H_below": below}, {**state, "H": h0})
        below = np.asarray(outputs["H"], float)
    rnn = torch.nn.RNN(4, 4, num_layers=2, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        for k, p in enumerate(layers):  # torch computes x W_ih^T + b_ih + h W_hh^T + b_hh
            getattr(rnn, f"weight_ih_l{k}").copy_(torch.tensor(p["W_xh"].T))
            getattr(rnn, f"weight_hh_l{k}").copy_(torch.tensor(p["W_hh"].T))
            getattr(rnn, f"bias_ih_l{k}").copy_(torch.tensor(np.ravel(p["b_h"])))
            getattr(rnn, f"bias_hh_l{k}").zero_()
        x = torch.tensor(np.asarray(inputs["H_below"], float).reshape(shape[0], -1, 4))
        out, _ = rnn(x, torch.tensor(np.stack(starts).reshape(2, -1, 4)))
    np.testing.assert_allclose(below, out.numpy().reshape(shape), rtol=1e-10, atol=1e-12)
