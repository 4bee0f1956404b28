r"""Presentation of formulas written as code in docstrings (issue 24, brief PRESENT4).

Lasagne's update rules are RST literal bullets, ``* ``param := param - learning_rate *
gradient````, read as code (parse/rst_literals.py) and, where a line updates a value in
place, as one step of an update run in order (parse/code_updates.py). Oracle:
``torch.optim.SGD`` (plain and with momentum) stepping a parameter with the same gradients,
against papermath's generated NumPy module.
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
from papermath.parse import rst_literals

os.environ.setdefault("PAPERMATH_KERNELS", "off")

BATCH4 = Path(__file__).parent / "wild" / "cases"  # the fourth batch, moved there
SGD = (
    "Generates update expressions of the form:\n\n"
    "* ``param := param - learning_rate * gradient``\n\n"
    "learning_rate : float or symbolic scalar\n"
)
MOMENTUM = (
    "* ``velocity := momentum * velocity - learning_rate * gradient``\n"
    "* ``param := param + velocity``\n\n"
    "learning_rate : float or symbolic scalar\n"
    "momentum : float or symbolic scalar, optional\n"
)


def _latex(name: str) -> str:
    return str(tomllib.loads((BATCH4 / f"{name}.toml").read_text())["latex"])


def _run(system: papermath.System, lr: float, mu: float | None, steps: int = 4) -> tuple:
    size = system.shapes["param"][0]
    dims = {size: 3}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=steps)
    inputs["learning_rate"] = np.float64(lr)
    if mu is not None:
        inputs["momentum"] = np.float64(mu)
        state["velocity"] = np.zeros_like(state["velocity"])  # torch's buffer starts at 0
    outputs, _ = gen.forward(params, inputs, state)
    return inputs["gradient"], state["param"], outputs["param"]


@pytest.mark.parametrize("mu", [None, 0.9])
def test_lasagne_updates_step_as_torch_optim_sgd(mu: float | None) -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(SGD if mu is None else MOMENTUM)
    assert system.kinds["param"] == "state" and system.kinds["gradient"] == "input"
    assert system.shapes["learning_rate"] == () and system.kinds["learning_rate"] == "constant"
    grads, start, ours = _run(system, lr=0.1, mu=mu)
    for n in range(start.shape[0]):  # each example of the batch: one parameter vector
        p = torch.nn.Parameter(torch.tensor(start[n], dtype=torch.float64))
        opt = torch.optim.SGD([p], lr=0.1, momentum=mu or 0.0)
        for t in range(grads.shape[0]):
            p.grad = torch.tensor(grads[t, n], dtype=torch.float64)
            opt.step()
            np.testing.assert_allclose(ours[t, n], p.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_the_cases_read_and_say_how() -> None:
    for name in ("lasagne_sgd", "lasagne_momentum"):
        system = papermath.compile(_latex(name))
        assert system.kinds["param"] == "state"
        said = " ".join(r.reading + " " + r.reason for r in system.readings)
        assert "code-sequential-update" in said and "param_{t-1}" in said
    momentum = papermath.compile(_latex("lasagne_momentum"))
    assert momentum.shapes["velocity"] == momentum.shapes["param"] == momentum.shapes["gradient"]
    assert momentum.shapes["momentum"] == ()


def test_rst_literals_that_assign_only() -> None:
    text = "* ``p := p - g``\nshape ``NH``, ``0 <= j < 3``, ``di = 0``"
    found = [text[b:e] for _, b, e in rst_literals.assignments(text)]
    assert found == ["p := p - g", "di = 0"]
    assert rst_literals.assignments(text)[0][0] == 0  # the bullet is markup


def test_a_dictionary_lookup_stays_refused() -> None:
    # read where the parameter line says `updates : OrderedDict` (tests/test_s9_CODEIDX.py)
    text = _latex("lasagne_apply_momentum").replace("updates : OrderedDict", "updates : list")
    with pytest.raises(PapermathError) as err:
        papermath.compile(text)
    assert "indexing" in str(err.value) and err.value.span is not None


def test_an_update_in_place_in_latex_stays_refused() -> None:
    with pytest.raises(PapermathError, match="update in place"):
        papermath.compile("$$\\theta \\leftarrow \\theta - \\eta g$$")


def test_a_type_that_is_no_number_declares_nothing() -> None:
    text = SGD.replace("float or symbolic scalar", "OrderedDict")
    with pytest.raises(PapermathError):  # learning_rate * gradient: scale or Hadamard, unsaid
        papermath.compile(text)


def test_unicode_greek_and_minus_in_code_against_numpy() -> None:
    code = "```lua\ny = σ(a − b)\nz = α * y\n```\n"
    system = papermath.compile(code)
    assert system.shapes["alpha"] == () and system.shapes["y"] == system.shapes["a"]
    size = system.shapes["a"][0]
    gen = system.to_numpy({size: 4})
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    out, _ = gen.forward(p, {}, {})
    want = p["alpha"] / (1.0 + np.exp(-(p["a"] - p["b"])))  # sigmoid, by hand
    np.testing.assert_allclose(out["z"], want, rtol=1e-12)


def test_other_unicode_in_code_is_refused_where_it_stands() -> None:
    with pytest.raises(PapermathError, match="cannot read the character") as err:
        papermath.compile("```lua\ny = é * a\n```\n")
    assert err.value.span is not None and err.value.span.end - err.value.span.start == 1


def test_a_latex_command_inside_code_is_refused_on_the_command() -> None:
    # (\sum in code reads since issue 24's CODEIDX: parse/code_sums.py)
    text = "```lua\nloss(x, y)  = \\frac{1}{n} abs(x - y)\n```\n"
    with pytest.raises(PapermathError, match="LaTeX command") as err:
        papermath.compile(text)
    span = err.value.span
    assert span is not None and text[span.start : span.end] == "\\frac"
    # the hint's code form reads: the mean absolute difference
    system = papermath.compile("```lua\nloss(x, y) = sum(abs(x - y)) / n\n```\n")
    assert system.shapes["loss"] == () and system.shapes["x"] == system.shapes["y"]
