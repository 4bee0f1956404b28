"""Constants the source gives (epsilon, eta, lambda): numbers passed in, never trained.

A learning rate, a norm's epsilon or a penalty's weight is a hyperparameter: reading it as a
learnable parameter (as papermath did) trains it, a silent misread (issue 24). Values and
gradients are checked against finite differences and torch autograd."""

from __future__ import annotations

import pytest

import papermath
from papermath.check import check

NORM = r"""\mu = \frac{1}{n}\sum_{i=1}^{n} x_i
y = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}
x \in \mathbb{R}^{n}"""


def test_epsilon_is_a_constant_not_a_parameter() -> None:
    system = papermath.compile(NORM)
    assert system.kinds["epsilon"] == "constant" and system.kinds["sigma"] == "parameter"
    (reading,) = [r for r in system.readings if r.reading == "constant by role"]
    assert "not one to learn" in reading.reason and "is parameter" in reading.reason
    source = system.numpy_source({"n": 3})
    assert "'epsilon': 'once'" in source  # one number for the whole batch
    assert "epsilon" not in source.split("PARAM_SHAPES = ")[1].split("\n")[0]


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_generated_code_takes_the_constant_as_an_input(layout: str) -> None:
    results = check(papermath.compile(NORM), {"n": 3}, layout=layout)
    assert {r.key for r in results} == {"sigma", "x", "epsilon"}
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]


def test_a_penalty_weight_and_a_directive() -> None:
    system = papermath.compile(r"L = \|y - W x\|^2 + \lambda \|W\|^2")
    assert system.kinds["lambda"] == "constant" and system.kinds["W"] == "parameter"
    learned = papermath.compile(NORM + "\n% papermath: epsilon is parameter")
    assert learned.kinds["epsilon"] == "parameter"


def test_sampled_noise_is_an_input_not_a_constant() -> None:
    system = papermath.compile(
        r"z = \mu + \sigma \odot \epsilon"
        "\n"
        r"\epsilon \sim \mathcal{N}(0, I)"
        "\n"
        r"\mu \in \mathbb{R}^{k}"
    )
    assert system.kinds["epsilon"] == "input"
