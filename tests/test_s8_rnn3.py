r"""Layer tuples, optimiser forms and cells (issue 24, brief RNN3).

A stack of numbered LSTM layers written as calls of a cell named LSTM
(parse/cell_layers.py): ``(h_t^1, c_t^1) = \text{LSTM}^1(x_t, (h_{t-1}^1, c_{t-1}^1))``, layer
2 fed by ``h_t^1``. Oracle: torch.nn.LSTM(num_layers=2) with the generated parameters copied
in, run on the same sequence as papermath's NumPy backend.
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
STACK = (
    "$$(h_t^1, c_t^1) = \\text{LSTM}^1(x_t, (h_{t-1}^1, c_{t-1}^1))$$\n"
    "$$(h_t^2, c_t^2) = \\text{LSTM}^2(h_t^1, (h_{t-1}^2, c_{t-1}^2))$$\n"
)


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def _refused(latex: str) -> PapermathError:
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    return err.value


# ---- a stack of numbered LSTM layers (parse/cell_layers.py) ---------------------------------
def test_a_two_layer_stack_against_torch_nn_lstm() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(STACK)
    assert system.kinds["x"] == "input"
    assert {system.kinds[k] for k in ("h", "c", "h_1", "c_1")} == {"state"}
    assert any("a stack of 2 LSTM layers" in r.reading for r in system.readings)
    n_in, n_h = 2, 3
    dims = {system.shapes["x"][0]: n_in, system.shapes["h_1"][0]: n_h, system.shapes["h"][0]: n_h}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(7)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=5)
    outputs, final = gen.forward(p, inputs, state)
    lstm = torch.nn.LSTM(n_in, n_h, num_layers=2).double()
    with torch.no_grad():  # PyTorch stacks the gates i, f, g, o by rows; layer k is l{k-1}
        for k in (1, 2):
            for ours, theirs in (("W", "weight"), ("b", "bias")):
                for side, name in (("i", "ih"), ("h", "hh")):
                    rows = [p[f"{ours}_{k}_{side}{g}"] for g in "ifgo"]
                    target = getattr(lstm, f"{theirs}_{name}_l{k - 1}")
                    target.copy_(torch.tensor(np.concatenate(rows)))
        x = torch.tensor(np.asarray(inputs["x"], float))  # (T, batch, n_in): time-major
        h0 = torch.tensor(np.stack([state["h_1"], state["h"]]))
        c0 = torch.tensor(np.stack([state["c_1"], state["c"]]))
        out, (hn, cn) = lstm(x, (h0, c0))
    np.testing.assert_allclose(outputs["h"], out.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(outputs["h_1"][-1], hn.numpy()[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(outputs["c"][-1], cn.numpy()[1], rtol=1e-10, atol=1e-12)
    assert final is not None


def test_bentrevett_encoder_and_decoder_read() -> None:
    enc = papermath.compile(_latex("bentrevett_seq2seq_encoder_lstm_layers"))
    assert enc.kinds["h"] == enc.kinds["c"] == "state" and enc.kinds["x"] == "input"
    assert enc.shapes["h"] == enc.shapes["c"]
    dec = papermath.compile(_latex("bentrevett_seq2seq_decoder_lstm_layers"))
    assert dec.kinds["s"] == dec.kinds["c"] == "state" and dec.kinds["y"] == "input"
    # f is the source's linear layer (its words), not a gate nor a parameter: the stack's
    # generated gate f^{(k)}_t does not make the source's f a value
    assert dec.kinds.get("f") not in ("parameter", "input")
    assert "f" not in dec.shapes
    said = {r.reading for r in dec.readings}
    assert "the initial states, given" in said
    assert "the top layer, layer 2" in said


@pytest.mark.parametrize(
    "latex",
    [
        # one numbered layer alone: the others are not written
        "$$(h_t^1, c_t^1) = \\text{LSTM}^1(x_t, (h_{t-1}^1, c_{t-1}^1))$$",
        # layer 2 fed by something else than the layer below's hidden state
        STACK.replace("\\text{LSTM}^2(h_t^1,", "\\text{LSTM}^2(c_t^1,"),
        # layers out of order
        STACK.replace("^2", "^3"),
        # a generated name the source also writes
        STACK + "$$y_t = W_1 h_t$$\n",
        # another cell
        STACK.replace("LSTM", "ConvLSTM"),
    ],
)
def test_what_is_not_a_stack_stays_refused(latex: str) -> None:
    err = _refused(latex)
    assert "tuple on the left side" in err.message
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span).startswith("(")


# ---- a running average named by its formula, E[g^2]_t (parse/running_average.py) ----------
ADADELTA = (
    "$$E[g^2]_t = \\rho \\cdot E[g^2]_{t-1} + (1-\\rho) \\cdot g_t^2$$\n"
    "$$\\Delta w_t = -\\frac{\\sqrt{E[\\Delta w^2]_{t-1} + \\epsilon}}{\\sqrt{E[g^2]_t + "
    "\\epsilon}} \\cdot g_t$$\n"
    "$$E[\\Delta w^2]_t = \\rho E[\\Delta w^2]_{t-1} + (1 - \\rho) \\Delta w_t^2$$\n\n"
    "where $g_t$ is the gradient at step $t$.\n"
)


def test_adadelta_against_torch_optim_adadelta() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(ADADELTA)
    assert system.kinds["E_g2"] == system.kinds["E_Deltaw2"] == "state"
    assert system.kinds["g"] == "input"
    assert system.shapes["E_g2"] == system.shapes["g"] == system.shapes["Delta_w"]
    n, steps, rho, eps = 4, 5, 0.9, 1e-3
    g = np.random.default_rng(2).normal(size=(steps, 1, n))
    gen = system.to_numpy({system.shapes["g"][0]: n})
    state = {"E_g2": np.zeros((1, n)), "E_Deltaw2": np.zeros((1, n))}
    outputs, _ = gen.forward({"rho": np.array(rho)}, {"g": g, "epsilon": np.array(eps)}, state)
    w0 = np.random.default_rng(3).normal(size=n)
    p = torch.nn.Parameter(torch.tensor(w0, dtype=torch.float64))
    opt = torch.optim.Adadelta([p], lr=1.0, rho=rho, eps=eps)  # w_t = w_{t-1} + Delta w_t
    want = []
    for t in range(steps):
        before = p.detach().numpy().copy()
        p.grad = torch.tensor(g[t, 0], dtype=torch.float64)
        opt.step()
        want.append(p.detach().numpy() - before)
    np.testing.assert_allclose(outputs["Delta_w"][:, 0], np.stack(want), rtol=1e-10, atol=1e-12)


def test_optax_adadelta_reads_its_shapes_and_refuses_code() -> None:
    system = papermath.compile(_latex("optax_adadelta"))
    assert system.shapes["g"] == system.shapes["Delta_w"] == system.shapes["E_g2"]
    assert len(system.shapes["g"]) == 1 and system.shapes["rho"] == ()
    said = {r.reading for r in system.readings}
    assert "a running average, named by its formula" in said
    # no equation computes E[\Delta w^2]: its value is the source's, code is refused
    with pytest.raises(PapermathError) as err:
        system.to_numpy({system.shapes["g"][0]: 3})
    assert "E[\\Delta w^2]_t = \\rho" in (err.value.hint or "")


@pytest.mark.parametrize(
    "latex",
    [
        "$$y = E[x]_t + z_{t-1}$$",  # no equation defines it, no word calls it an average
        "$$m = E[g^2]$$",  # no step: a mean over an axis, as before
    ],
)
def test_a_bracket_not_named_an_average_is_not_read_as_one(latex: str) -> None:
    with pytest.raises(PapermathError):
        papermath.compile(latex)


# ---- a value in several forms, chosen by an argument of the code (parse/flag_forms.py) ------
NESTEROV = (
    "$$m_t \\leftarrow g_t + \\mu m_{t-1}$$\n"
    "$$u_t \\leftarrow \\begin{cases} -\\alpha_t m_t & \\text{ if } \\texttt{nesterov = False} "
    "\\\\ -\\alpha_t (g_t + \\mu m_t) & \\text{ if } \\texttt{nesterov = True} \\end{cases}$$\n"
)


def _sgd_steps(latex: str, g: np.ndarray, lr: float, mu: float) -> np.ndarray:
    """The updates u_t papermath's NumPy code computes for ``latex`` (one form written out)."""
    system = papermath.compile(latex)
    gen = system.to_numpy({system.shapes["g"][0]: g.shape[-1]})
    values = {"alpha": np.array(lr), "mu": np.array(mu)}
    params = {k: v for k, v in values.items() if system.kinds[k] == "parameter"}
    given = {k: v for k, v in values.items() if k not in params}
    if system.kinds["alpha"] == "input":  # alpha_t: given at each step, (T, N) as the code says
        given["alpha"] = np.full(g.shape[:2], lr)
    inputs = {"g": g, **given}
    outputs, _ = gen.forward(params, inputs, {"m": np.zeros((1, g.shape[-1]))})
    return np.asarray(outputs["u"])[:, 0]


def test_each_form_written_as_the_hint_says_is_torch_optim_sgd() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(NESTEROV)
    assert system.kinds["m"] == "state" and system.kinds["g"] == "input"
    assert system.shapes["u"] == system.shapes["m"] == system.shapes["g"]
    with pytest.raises(PapermathError) as err:
        system.to_numpy({system.shapes["g"][0]: 3})
    assert "code needs to know which" in err.value.message
    assert err.value.hint is not None and "own equation" in err.value.hint
    g = np.random.default_rng(4).normal(size=(5, 1, 3))
    lr, mu = 0.1, 0.7
    m_line = "$$m_t \\leftarrow g_t + \\mu m_{t-1}$$\n"
    # (alpha_t before a parenthesis alone would read as a function: the nesterov form expanded)
    nesterov_form = "-\\alpha_t g_t - \\alpha_t \\mu m_t"
    for nesterov, form in ((False, "-\\alpha_t m_t"), (True, nesterov_form)):
        ours = _sgd_steps(m_line + f"$$u_t \\leftarrow {form}$$\n", g, lr, mu)
        w = torch.nn.Parameter(torch.zeros(3, dtype=torch.float64))
        opt = torch.optim.SGD([w], lr=lr, momentum=mu, nesterov=nesterov)
        want = []
        for t in range(g.shape[0]):
            before = w.detach().numpy().copy()
            w.grad = torch.tensor(g[t, 0], dtype=torch.float64)
            opt.step()
            want.append(w.detach().numpy() - before)
        np.testing.assert_allclose(ours, np.stack(want), rtol=1e-12, atol=1e-14)


def test_optax_sgd_reads_its_three_forms() -> None:
    system = papermath.compile(_latex("optax_sgd"))
    assert system.kinds["m"] == "state" and system.kinds["g"] == "input"
    assert system.shapes["u"] == system.shapes["g"] == system.shapes["m"]
    assert system.shapes["mu"] == system.shapes["alpha"] == ()
    assert any(
        r.reading == "one of 3 forms (which one, the source does not say)" for r in system.readings
    )


@pytest.mark.parametrize(
    "latex,words",
    [
        # defined twice with no words that give another form: refused as before
        ("$$u_t = g_t + u_{t-1}$$\n\n$$m_t = g_t$$\n$$u_t = m_t$$\n", "defined twice"),
        # cases on a flag whose rows differ in shape: the forms of one value have one shape
        (
            "$$u = \\begin{cases} a & \\text{ if } \\texttt{flat = True} \\\\ W a & "
            "\\text{ if } \\texttt{flat = False} \\end{cases}, W \\in \\mathbb{R}^{n \\times m}, "
            "a \\in \\mathbb{R}^{m}$$",
            "",
        ),
    ],
)
def test_forms_that_do_not_hold_are_refused(latex: str, words: str) -> None:
    err = _refused(latex)
    assert words in err.message
