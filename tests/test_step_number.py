r"""Optimizers read as recurrences over the steps (read/rules_step_number.py,
parse/state_tuples.py, read/rules_given_gradient.py): Adam's bias correction ``\beta_1^t`` (a
power of the step number), optax's ``S_t \leftarrow (m_t, v_t)`` (a name for the state), the
gradient ``g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})`` the algorithm is given.

Oracles: ``torch.optim``'s own Adam, AdamW and SGD (momentum) steps, fed the same gradients
(the generated code's values, NumPy and torch, against the parameters torch.optim writes),
and finite differences through ``papermath.check``. Near misses are refused at the construct.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import papermath
from papermath.check import check

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "corpus_papers"
WILD = Path(__file__).resolve().parent / "wild" / "cases"

# Kingma & Ba 2015, Algorithm 1 (the papers' corpus, p27), as the paper writes it
ADAM = r"""
g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})
m_t \leftarrow \beta_1 \cdot m_{t-1} + (1 - \beta_1) \cdot g_t
v_t \leftarrow \beta_2 \cdot v_{t-1} + (1 - \beta_2) \cdot g_t^2
\hat{m}_t \leftarrow m_t / (1 - \beta_1^t)
\hat{v}_t \leftarrow v_t / (1 - \beta_2^t)
\theta_t \leftarrow \theta_{t-1} - \alpha \cdot \hat{m}_t / (\sqrt{\hat{v}_t} + \epsilon)
\theta_t \in \mathbb{R}^{d}
"""
# optax's AdamW docstring, its align* block (eps_root written \bar{\varepsilon})
ADAMW = r"""
\begin{align*}
  m_t &\leftarrow \beta_1 \cdot m_{t-1} + (1-\beta_1) \cdot g_t \\
  v_t &\leftarrow \beta_2 \cdot v_{t-1} + (1-\beta_2) \cdot {g_t}^2 \\
  \hat{m}_t &\leftarrow m_t / {(1-\beta_1^t)} \\
  \hat{v}_t &\leftarrow v_t / {(1-\beta_2^t)} \\
  u_t &\leftarrow -\alpha_t \cdot \left( \hat{m}_t / \left({\sqrt{\hat{v}_t
  + \bar{\varepsilon}} + \varepsilon} \right) + \lambda \theta_{t} \right)\\
  S_t &\leftarrow (m_t, v_t).
\end{align*}
\theta_t \in \mathbb{R}^{d}
"""
# optax's SGD with momentum, its first row, and the parameters' step
MOMENTUM = r"""
\begin{align*}
  m_t &\leftarrow g_t + \mu m_{t-1} \\
  \theta_t &\leftarrow \theta_{t-1} - \alpha m_t
\end{align*}
\theta_t \in \mathbb{R}^{d}
"""
D, T = 4, 6
LR, B1, B2, EPS, WD, MU = 0.05, 0.8, 0.95, 1e-3, 0.1, 0.7


def gradients(seed: int = 0) -> np.ndarray:
    """T steps of one example's gradient (T, 1, D), the batch axis of the generated code."""
    return np.random.default_rng(seed).normal(size=(T, 1, D))


def torch_optim(opt_class: Any, theta0: np.ndarray, g: np.ndarray, **kw: Any) -> np.ndarray:
    """The parameters after each step of ``opt_class`` fed the gradients g: (T, D)."""
    p = torch.nn.Parameter(torch.tensor(theta0, dtype=torch.float64))
    opt = opt_class([p], **kw)
    out = []
    for t in range(g.shape[0]):
        p.grad = torch.tensor(g[t, 0], dtype=torch.float64)
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.stack(out)


def run_numpy(system: papermath.System, params: dict, inputs: dict, state: dict) -> dict:
    gen = system.to_numpy({"d": D})
    outputs, _ = gen.forward(params, inputs, state)
    return outputs


def run_torch(system: papermath.System, params: dict, inputs: dict, state: dict) -> dict:
    module = system.to_torch({"d": D}, dtype=torch.float64)
    with torch.no_grad():
        for key, value in params.items():
            getattr(module, key).copy_(torch.tensor(value, dtype=torch.float64))
    tensors = {k: torch.tensor(v, dtype=torch.float64) for k, v in {**inputs, **state}.items()}
    return {k: v.detach().numpy() for k, v in module(**tensors).items()}


# ---- reading ------------------------------------------------------------------------------
def test_the_paper_reads_as_a_recurrence_with_the_gradient_given() -> None:
    system = papermath.compile(ADAM)
    assert system.kinds["g"] == "input"
    assert {system.kinds[k] for k in ("m", "v", "theta")} == {"state"}
    for key in ("g", "m", "v", "m_hat", "v_hat", "theta"):
        assert system.shapes[key] == ("d",), key
    for key in ("alpha", "beta_1", "beta_2", "epsilon"):
        assert system.shapes[key] == (), key
    said = {r.reading for r in system.readings}
    assert {"beta_1 to the power t", "beta_2 to the power t"} <= said
    assert "a gradient given at each step" in said


def test_the_papers_corpus_case_reads_and_passes_check() -> None:
    case = tomllib.loads((PAPERS / "p27_adam_kingma2015.toml").read_text())
    system = papermath.compile(case["latex"])
    for key, want in case["expect"]["shapes"].items():
        assert system.shapes[key] == tuple(want), key
    results = check(system, dict(case["dims"]))
    assert results and all(r.ok for r in results), results


@pytest.mark.parametrize("name", ["optax_adam", "optax_adamw", "optax_yogi"])
def test_the_state_tuple_of_optax_is_left_out(name: str) -> None:
    case = tomllib.loads((WILD / f"{name}.toml").read_text())
    system = papermath.compile(case["latex"])
    assert "S" not in system.shapes
    assert system.kinds["m"] == system.kinds["v"] == "state"
    assert system.shapes["g"] == system.shapes["m"] != ()
    assert any(r.reading == "a name for a tuple of values" for r in system.readings)


def test_a_tuple_of_zeros_as_the_initial_state_is_the_default() -> None:
    # optax's prose: "an internal state S_0 := (m_0, v_0) = (0, 0)"
    case = tomllib.loads((WILD / "optax_adam.toml").read_text())
    assert "S_0 := (m_0, v_0) = (0, 0)" in case["latex"]
    system = papermath.compile(case["latex"])
    named = [r for r in system.readings if r.reading == "a name for a tuple of values"]
    assert any("zeros" in r.reason for r in named) and len(named) == 2


# ---- near misses ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "caret", "words"),
    [
        # beta written at a step: beta^t may be its value at step t
        (
            r"m_t = \beta_t m_{t-1} + g_t" + "\n" + r"\hat{m}_t = m_t / (1 - \beta^t)",
            "t",
            "does not guess",
        ),
        # steps written as superscripts (h^{(l)}): gamma^l may be gamma at layer l
        (
            r"h^{(l+1)} = \gamma^l \odot \tanh(W h^{(l)})" + "\n" + r"h^{(l)} \in \mathbb{R}^n",
            "l",
            "does not guess",
        ),
        # a tuple that names a value no equation defines
        (
            r"m_t \leftarrow \beta m_{t-1} + g_t" + "\n" + r"S_t \leftarrow (m_t, v_t)",
            "v_t",
            "no equation defines",
        ),
        # the tuple's name used by another equation: the tuple would be a value
        (
            r"m_t \leftarrow \beta m_{t-1} + g_t" + "\n" + r"v_t \leftarrow \beta v_{t-1} + g_t"
            "\n" + r"S_t \leftarrow (m_t, v_t)" + "\n" + r"y_t = W S_t",
            r"S_t \leftarrow (m_t, v_t)",
            "used by another equation",
        ),
        # zeros for a name no equation carries
        (
            r"m_t \leftarrow \beta m_{t-1} + g_t" + "\n" + r"S_0 := (m_0, q_0) = (0, 0)",
            "q_0",
            "no equation defines",
        ),
        # a tuple that holds a computation
        (
            r"m_t \leftarrow \beta m_{t-1} + g_t" + "\n" + r"S_t \leftarrow (m_t + 1, m_t)",
            ",",
            "tuple on the right side",
        ),
        # a tuple of values other than zeros as the initial state
        (
            r"m_t \leftarrow \beta m_{t-1} + g_t" + "\n" + r"v_t \leftarrow \beta v_{t-1} + g_t"
            "\n" + r"S_0 := (m_0, v_0) = (1, 0)",
            ",",
            "tuple on the right side",
        ),
        # the gradient of a function the source defines: papermath derives it
        (
            r"L = \|W x\|^2" + "\n" + r"g_t \leftarrow \nabla_W L(W_{t-1})",
            r"\nabla_W",
            "derivative",
        ),
        # a gradient inside an expression
        (
            r"g_t \leftarrow 2 \nabla_\theta f_t(\theta_{t-1})" + "\n"
            r"\theta_t \leftarrow \theta_{t-1} - \alpha g_t",
            r"\nabla_\theta",
            "derivative",
        ),
    ],
)
def test_near_misses_are_refused_at_the_construct(source: str, caret: str, words: str) -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == caret, err
    assert words in err.message and err.hint


# ---- values against torch.optim -------------------------------------------------------------
@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_adam_against_torch_optim_adam(backend: str) -> None:
    system = papermath.compile(ADAM)
    g = gradients()
    theta0 = np.random.default_rng(1).normal(size=D)
    params = {"alpha": np.array(LR), "beta_1": np.array(B1), "beta_2": np.array(B2)}
    inputs = {"g": g, "epsilon": np.array(EPS)}
    state = {"m": np.zeros((1, D)), "v": np.zeros((1, D)), "theta": theta0[None, :]}
    run = run_numpy if backend == "numpy" else run_torch
    ours = run(system, params, inputs, state)["theta"][:, 0]
    want = torch_optim(torch.optim.Adam, theta0, g, lr=LR, betas=(B1, B2), eps=EPS)
    np.testing.assert_allclose(ours, want, rtol=1e-12, atol=1e-12)


def test_optax_adamw_against_torch_optim_adamw() -> None:
    # optax writes the update u_t from the parameters theta_t it is given; torch.optim.AdamW
    # writes the parameters: u_t is the step between them (eps_root 0, as torch has none)
    system = papermath.compile(ADAMW)
    assert system.kinds["theta"] == "input" and system.kinds["g"] == "input"
    g = gradients(2)
    theta0 = np.random.default_rng(3).normal(size=D)
    after = torch_optim(torch.optim.AdamW, theta0, g, lr=LR, betas=(B1, B2), eps=EPS,
                        weight_decay=WD)  # fmt: skip
    before = np.concatenate([theta0[None, :], after[:-1]])
    # alpha_t is given per step (a schedule); beta learnable scalars (the source is silent);
    # the epsilons and lambda constants the source gives: each set to torch.optim's value
    assert system.kinds["alpha"] == "input" and system.kinds["lambda"] == "constant"
    assert system.kinds["varepsilon"] == "constant"  # \varepsilon as \epsilon: a constant
    params = {"beta_1": np.array(B1), "beta_2": np.array(B2)}
    inputs = {
        "g": g,
        "theta": before[:, None, :],
        "alpha": np.full((T, 1), LR),
        "lambda": np.array(WD),
        "varepsilon": np.array(EPS),
        "varepsilon_bar": np.array(0.0),
    }
    state = {"m": np.zeros((1, D)), "v": np.zeros((1, D))}
    ours = run_numpy(system, params, inputs, state)["u"][:, 0]
    np.testing.assert_allclose(ours, after - before, rtol=1e-10, atol=1e-12)


def test_sgd_momentum_against_torch_optim_sgd() -> None:
    system = papermath.compile(MOMENTUM)
    g = gradients(4)
    theta0 = np.random.default_rng(5).normal(size=D)
    params = {"alpha": np.array(LR), "mu": np.array(MU)}
    params = {k: v for k, v in params.items() if system.kinds[k] == "parameter"}
    inputs: dict[str, Any] = {"g": g}
    inputs.update({k: np.array(v) for k, v in {"alpha": LR, "mu": MU}.items() if k not in params})
    state = {"m": np.zeros((1, D)), "theta": theta0[None, :]}
    ours = run_numpy(system, params, inputs, state)["theta"][:, 0]
    want = torch_optim(torch.optim.SGD, theta0, g, lr=LR, momentum=MU)
    np.testing.assert_allclose(ours, want, rtol=1e-12, atol=1e-12)


def test_a_running_average_named_by_its_formula_is_refused_with_a_letter_to_write() -> None:
    # E[g^2]_t that no equation defines and no word calls an average (optax's ADADELTA, which
    # defines it, reads: tests/test_s8_rnn3.py); the hint's form reads
    source = r"u_t = E[g^2]_t + g_t"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "[g^2]_t"
    assert err.hint is not None and "G_t" in err.hint
    hinted = papermath.compile(r"G_t = \rho G_{t-1} + (1 - \rho) g_t^2")
    assert hinted.kinds["G"] == "state" and hinted.kinds["g"] == "input"


def test_a_layer_and_an_example_on_one_symbol_is_refused_with_a_hint_that_reads() -> None:
    # Andrew Ng's a^{[2](i)} in the cost (the papers' corpus, p29): refused at the superscript;
    # the hint's advice (the forward pass without the cost) reads
    case = tomllib.loads((PAPERS / "p29_mlp_ng_dimfirst.toml").read_text())
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(case["latex"])
    err = info.value
    assert err.span is not None and err.source is not None
    assert err.source.text[err.span.start : err.span.end] == "[2] (i)"
    assert err.hint is not None and "leave the cost out" in err.hint
    forward = "\n".join(line for line in case["latex"].splitlines() if not line.startswith("J"))
    system = papermath.compile(forward)
    for key in ("Z_1", "A_1", "Z_2", "A_2", "Y_hat"):
        assert system.shapes[key] == tuple(case["expect"]["shapes"][key]), key


def test_every_stage_shows_the_power_of_the_step_number() -> None:
    from papermath import diagram, explain

    system = papermath.compile(ADAM)
    assert "the number of the step" in explain.render(explain.explain(system))
    assert "(·)<sup>t</sup>" in diagram.to_dot(system)
    assert "** (t + 1)" in system.numpy_source({"d": D})
    with pytest.raises(papermath.PapermathError) as info:  # its Jacobians depend on t
        from papermath.flow import gradient_flow

        gradient_flow(system, {"d": D})
    assert "number of the step" in info.value.message
