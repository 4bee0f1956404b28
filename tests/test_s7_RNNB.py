r"""Recurrent and sequence cases of the wild corpus (issue 24, brief RNNB).

- read/rules_declared_labels.py: d2l-zh's ``\mathbf{b}^{(1)} \in \mathbb{R}^{1 \times h}``
  declared beside ``\mathbf{b} = \mathbf{b}^{(1)} \mathbf{W}^{(2)} + \mathbf{b}^{(2)}``: the
  declaration makes ^{(1)} a label (b_1), not a power or a step of the value b.
- shapes/rules_computed_row.py: a 1 x q row computed from declared rows (``\mathbf{b}``,
  ``\mathbf{b}^{(1)} \mathbf{W}^{(2)}``) added to an n x q matrix broadcasts, as a declared
  row does. Oracle: the MLP and its collapse written by hand in NumPy (both sides of d2l's
  chain, which is true algebra).
- parse/display_close.py: ``$$ \begin{aligned} rows $$`` with no ``\end{aligned}`` (CS231n's
  LSTM notes as copied): the rows end with the display. Oracle: the same text with the
  ``\end{aligned}`` written reads the same.
- parse/hmm_tables.py: d2l's HMM messages stay refused, at the bar the sum runs over, with a
  hint whose form reads. Oracle: the forward message summed over the states by hand.
- read/rules_left_sides.py: CS231n's worked example stays refused; its hint's form reads as
  the notes' RNN. Oracle: torch.nn.RNNCell.
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


def _reasons(system: papermath.System, word: str) -> list[str]:
    return [r.reason for r in system.readings if word in r.reading]


def _refusal(latex: str) -> PapermathError:
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    return err.value


def _at(err: PapermathError) -> str:
    assert err.source is not None and err.span is not None
    return err.source.text[err.span.start : err.span.end]


# ---- declared layer labels and computed rows: d2l-zh's collapsed MLP ---------------------


def test_the_collapsed_mlp_against_numpy() -> None:
    system = papermath.compile(_latex("d2lzh_mlp_collapse_chain"))
    assert system.shapes["b_1"] == ("1", "h") and system.shapes["b"] == ("1", "q")
    assert system.kinds["b_1"] == "parameter" and system.kinds["W_2"] == "parameter"
    said = _reasons(system, "a layer label")
    assert said and "the source declares" in said[0]
    assert any("computed from declared rows" in r for r in _reasons(system, "broadcast"))
    dims = {"n": 5, "d": 3, "h": 4, "q": 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(3)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first")
    out, _ = gen.forward(p, inputs, state)
    X, W1, b1, W2, b2 = (np.asarray(v, float) for v in (inputs["X"], *(p[k] for k in KEYS)))
    hidden = X @ W1 + b1  # n x h: the row b1 added to each row
    np.testing.assert_allclose(out["O"], hidden @ W2 + b2, rtol=1e-12)
    np.testing.assert_allclose(out["W"], W1 @ W2, rtol=1e-12)
    np.testing.assert_allclose(out["b"], b1 @ W2 + b2, rtol=1e-12)
    np.testing.assert_allclose(out["O"], X @ (W1 @ W2) + (b1 @ W2 + b2), rtol=1e-12)


KEYS = ("W_1", "b_1", "W_2", "b_2")


def test_a_label_on_a_value_that_nothing_declares_stays_refused() -> None:
    err = _refusal(
        "b^{(2)} \\in \\mathbb{R}^{q}, W^{(2)} \\in \\mathbb{R}^{q \\times h}\n"
        "b = W^{(2)} b^{(1)} + b^{(2)}"
    )
    assert "a power, a step or a label" in err.message and _at(err) == "(1)"


def test_a_computed_row_added_to_a_matrix_against_numpy() -> None:
    latex = (
        "X \\in \\mathbb{R}^{n \\times d}, W \\in \\mathbb{R}^{d \\times q}, "
        "c \\in \\mathbb{R}^{1 \\times q}\nb = c + c\nO = X W + b"
    )
    system = papermath.compile(latex)
    assert system.shapes["O"] == ("n", "q") and system.shapes["b"] == ("1", "q")
    dims = {"n": 4, "d": 3, "q": 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first")
    out, _ = gen.forward(p, inputs, state)
    X, W, c = np.asarray(inputs["X"], float), p["W"], p["c"]
    expected = np.stack([X[i] @ W + 2 * c[0] for i in range(4)])  # each row, one at a time
    np.testing.assert_allclose(out["O"], expected, rtol=1e-12)


def test_a_computed_row_times_a_matrix_entrywise_stays_refused() -> None:
    err = _refusal(
        "X \\in \\mathbb{R}^{n \\times d}, W \\in \\mathbb{R}^{d \\times q}, "
        "c \\in \\mathbb{R}^{1 \\times q}\nb = c + c\nO = (X W) \\odot b"
    )
    assert "one row against n rows" in err.message and _at(err) == "(X W) \\odot b"


# ---- an environment that its display's $$ closes ------------------------------------------


def test_cs231n_lstm_is_refused_at_its_typo() -> None:
    err = _refusal(_latex("cs231n_lstm"))
    assert _at(err) == "t_1" and "t_1" in err.message


def test_an_environment_closed_by_its_display_reads_as_if_ended() -> None:
    cut = papermath.compile("$$\n\\begin{aligned}\ny &= W x \\\\\nz &= V y\n$$\n")
    whole = papermath.compile("$$\n\\begin{aligned}\ny &= W x \\\\\nz &= V y\n\\end{aligned}\n$$\n")
    assert dict(cut.shapes) == dict(whole.shapes) and dict(cut.kinds) == dict(whole.kinds)
    said = _reasons(cut, "closed where its display ends")
    assert said and "line 5" in said[0]
    assert not _reasons(whole, "closed where its display ends")


def test_an_empty_environment_at_the_end_is_said() -> None:
    system = papermath.compile(
        '$$\n\\begin{aligned}\ny &= W x\n$$\n\\begin{aligned}\n<div class="fig">\n'
    )
    assert system.shapes["y"] == system.shapes["W"][:1]
    assert _reasons(system, "an empty environment at the end")


def test_a_matrix_left_open_at_the_display_end_stays_refused() -> None:
    err = _refusal("$$\ny = \\begin{bmatrix} 1 \\\\ 2\n$$\n")
    assert "never closed" in err.message and _at(err) == "\\begin{bmatrix}"


def test_an_environment_with_rows_open_at_the_end_stays_refused() -> None:
    err = _refusal("$$\n\\begin{aligned}\ny &= W x\n$$\n\\begin{aligned}\nz &= y\n")
    assert "never closed" in err.message and _at(err) == "\\begin{aligned}"


# ---- an HMM's conditional probability tables ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "column"),
    [("d2lzh_hmm_forward_recursion", 52), ("d2lzh_hmm_backward_recursion", 67)],
)
def test_hmm_messages_are_refused_at_the_bar_the_sum_runs_over(name: str, column: int) -> None:
    err = _refusal(_latex(name))
    assert _at(err) == "\\mid" and "hidden Markov model" in err.message
    assert err.source is not None and err.span is not None
    line_start = err.source.text.rfind("\n", 0, err.span.start) + 1
    assert err.span.start - line_start + 1 == column
    after = err.source.text[err.span.end : err.span.end + 8]
    assert after.replace("{", "").replace("}", "").strip().startswith("h_t")


def test_the_hint_of_the_hmm_refusal_reads_and_is_the_forward_message() -> None:
    """The hint's form reads; checked against the HMM's forward message summed by hand."""
    err = _refusal(_latex("d2lzh_hmm_forward_recursion"))
    assert err.hint is not None and "\\pi_{t+1} = B (\\pi_t \\odot e_t)" in err.hint
    system = papermath.compile(
        "B \\in \\mathbb{R}^{k \\times k}, e_t \\in \\mathbb{R}^{k}\n"
        "\\pi_{t+1} = B (\\pi_t \\odot e_t)"
    )
    assert system.shapes["pi"] == ("k",) and system.kinds["pi"] == "state"
    k = 3
    gen = system.to_numpy({"k": k})
    rng = np.random.default_rng(11)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program({"k": k}), rng, "sample-first", T=3)
    out, _ = gen.forward(p, inputs, state)
    B, pi = p["B"], np.asarray(state["pi"], float)  # B_{ji}: from value i to value j
    for t, e in enumerate(np.asarray(inputs["e"], float)):  # the sum over h_t, by hand
        pi = np.array(
            [
                [sum(pi[n, i] * e[n, i] * B[j, i] for i in range(k)) for j in range(k)]
                for n in range(len(e))
            ]
        )
        np.testing.assert_allclose(out["pi"][t], pi, rtol=1e-12)


def test_a_conditional_probability_with_no_sum_keeps_the_generic_refusal() -> None:
    err = _refusal("y = p(w_O \\mid w_I)")
    assert "hidden Markov" not in err.message and "conditional probability" in err.message


# ---- CS231n's worked example: refused, with a hint that reads as the notes' RNN -----------


def test_the_worked_example_hint_reads_as_torch_rnncell() -> None:
    err = _refusal(_latex("cs231n_rnn_worked_example"))
    assert _at(err).startswith("\\begin{bmatrix}0.3") and err.hint is not None
    form = "h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t)"
    assert form in err.hint
    system = papermath.compile(form + "\nh_t \\in \\mathbb{R}^{3}, x_t \\in \\mathbb{R}^{4}")
    assert system.shapes["W_hh"] == ("3", "3") and system.shapes["W_xh"] == ("3", "4")
    gen = system.to_numpy({})
    rng = np.random.default_rng(2)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program({}), rng, "sample-first", T=4)
    out, _ = gen.forward(p, inputs, state)
    cell = torch.nn.RNNCell(4, 3, bias=False, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(p["W_xh"]))
        cell.weight_hh.copy_(torch.tensor(p["W_hh"]))
        h = torch.tensor(np.asarray(state["h"], float))
        for t, x in enumerate(np.asarray(inputs["x"], float)):
            h = cell(torch.tensor(x), h)
            np.testing.assert_allclose(out["h"][t], h.numpy(), rtol=1e-10, atol=1e-12)
