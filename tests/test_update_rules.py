r"""Update rules written with an arrow (read/rules_updates.py): ``m_t \leftarrow \beta_1 m_{t-1}
+ (1 - \beta_1) g_t`` is the definition of the step's value, a recurrence. Oracles: a loop
written by hand in NumPy (values) and in torch (gradients by autograd), finite differences
through ``papermath.check``; an update in place is refused at its left side."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import papermath
from papermath.backends.data import random_inputs
from papermath.check import check
from papermath.errors import ParseError, ReadingError

# SGD with momentum, as optax's docstring writes it (its first two rows), then the step
MOMENTUM = r"""
\begin{align*}
  m_t &\leftarrow g_t + \mu m_{t-1} \\
  \theta_t &\gets \theta_{t-1} - \alpha m_t
\end{align*}
\theta_t \in \mathbb{R}^{d}
"""
DIMS = {"d": 3}


def run(system: papermath.System, T: int = 5) -> tuple[dict, dict, dict, dict]:
    program = system.program(DIMS)
    gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    inputs, state = random_inputs(program, rng, "sample-first", T=T)
    outputs, _ = gen.forward(params, inputs, state)
    return params, inputs, state, outputs


def test_an_update_rule_is_the_definition_of_the_steps_value() -> None:
    system = papermath.compile(MOMENTUM)
    assert system.kinds["m"] == system.kinds["theta"] == "state"
    assert system.kinds["g"] == "input"
    assert system.shapes["m"] == system.shapes["g"] == ("d",)
    assert system.shapes["mu"] == system.shapes["alpha"] == ()
    assert system.recurrence is not None and set(system.recurrence.states) == {"m", "theta"}
    assert any(r.reading == "update rule" for r in system.readings)


def test_values_against_a_loop_written_by_hand() -> None:
    params, inputs, state, outputs = run(papermath.compile(MOMENTUM))
    mu, alpha = float(params["mu"]), float(params["alpha"])
    m, theta = np.array(state["m"], float), np.array(state["theta"], float)
    for t, g in enumerate(np.asarray(inputs["g"], float)):
        m = g + mu * m
        theta = theta - alpha * m
        np.testing.assert_allclose(outputs["m"][t], m, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(outputs["theta"][t], theta, rtol=1e-12, atol=1e-12)


def test_gradients_against_torch_autograd_through_a_loop_by_hand() -> None:
    system = papermath.compile(MOMENTUM)
    gen = system.to_numpy(DIMS)
    params, inputs, state, outputs = run(system)
    rng = np.random.default_rng(5)
    out_grads = {k: rng.normal(size=np.shape(v)) for k, v in outputs.items()}
    _, cache = gen.forward(params, inputs, state)
    ours = gen.backward(params, cache, out_grads)

    p = {k: torch.tensor(np.asarray(v, float), requires_grad=True) for k, v in params.items()}
    g = torch.tensor(np.asarray(inputs["g"], float), requires_grad=True)
    m0 = torch.tensor(np.asarray(state["m"], float), requires_grad=True)
    th0 = torch.tensor(np.asarray(state["theta"], float), requires_grad=True)
    m, theta, loss = m0, th0, torch.zeros((), dtype=torch.float64)
    for t in range(g.shape[0]):
        m = g[t] + p["mu"] * m
        theta = theta - p["alpha"] * m
        loss = loss + (m * torch.tensor(out_grads["m"][t])).sum()
        loss = loss + (theta * torch.tensor(out_grads["theta"][t])).sum()
    wrt = [p["mu"], p["alpha"], g, m0, th0]
    theirs = torch.autograd.grad(loss, wrt)
    for key, want in zip(["mu", "alpha", "g", "m", "theta"], theirs, strict=True):
        np.testing.assert_allclose(ours[key], want.numpy(), rtol=1e-9, atol=1e-10)


def test_check_passes_finite_differences() -> None:
    results = check(papermath.compile(MOMENTUM), DIMS)
    assert results and all(r.ok for r in results), results


def test_a_value_given_at_each_step_is_an_input_not_a_parameter_per_step() -> None:
    # optax's lion: theta_t is what the optimiser is given (no rule defines it)
    source = (
        r"c_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t" + "\n"
        r"u_t \leftarrow -\alpha \cdot (\mathrm{sign}(c_t) + \lambda \theta_t)" + "\n"
        r"m_t \leftarrow \beta_2 m_{t-1} + (1 - \beta_2) g_t"
    )
    system = papermath.compile(source)
    assert system.kinds["theta"] == "input" and system.kinds["m"] == "state"
    assert system.shapes["theta"] == system.shapes["u"] == system.shapes["m"]
    # with =, a weight letter carrying the step stays one parameter per step (W^{(l)})
    layers = papermath.compile(source.replace("\\leftarrow", "="))
    assert layers.kinds["theta"] == "parameter"


@pytest.mark.parametrize(
    ("source", "caret"),
    [
        (r"\theta \leftarrow \theta - \eta g", r"\theta"),
        (r"h_v \leftarrow \sigma(W h_v)", "h_v"),
        (r"x_t \gets x_t + y_t", "x_t"),
    ],
)
def test_an_update_in_place_is_refused_at_its_left_side(source: str, caret: str) -> None:
    with pytest.raises(ReadingError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == caret
    assert "in place" in err.message
    assert err.hint is not None and "x_{t-1}" in err.hint


def test_an_arrow_in_a_chain_is_refused_at_the_arrow() -> None:
    source = r"a \leftarrow b = c"
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "\\leftarrow"


def test_a_step_superscript_on_a_value_per_step_is_refused_at_the_power() -> None:
    # beta_1^t is read as a power of the step number (tests/test_step_number.py); where beta
    # is written at a step too, ^t may be its value at step t: refused
    source = (
        r"m_t \leftarrow \beta_t m_{t-1} + (1 - \beta_t) g_t" + "\n"
        r"\hat{m}_t \leftarrow m_t / (1 - \beta^t)"
    )
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end].endswith("t")
    assert err.hint is not None


def test_a_tuple_naming_a_value_no_equation_defines_is_refused_at_it() -> None:
    # optax: S_t \leftarrow (m_t, v_t) names the state; here nothing defines v_t
    # (parse/state_tuples.py; the tuple that names defined values: tests/test_step_number.py)
    source = r"m_t \leftarrow \beta m_{t-1} + g_t" + "\n" + r"S_t \leftarrow (m_t, v_t)"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "v_t"
    assert "tuple on the right side" in err.message and err.hint is not None
