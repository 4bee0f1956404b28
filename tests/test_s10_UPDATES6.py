"""Session 10, helper UPDATES6: a gradient-descent step whose gradient is of a loss the source
names but does not write (read/rules_gradient_updates.py), and one step written over the
parameter itself (parse/gradient_step.py).

Oracles: the cases' own words (the gradient of a scalar loss with respect to W has W's shape;
the learning rate is a number), torch autograd and float64 finite differences of a concrete
loss on arrays of the shapes papermath reads (the gradient of a scalar has its variable's
shape, which is what the step subtracts), and refusals by name with the caret on the
construct."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.check import default_dims
from papermath.diagram import to_dot
from papermath.explain import explain, render
from papermath.report import report_html

CASES = Path(__file__).parent / "wild" / "cases"


def _case(name: str) -> str:
    return tomllib.loads((CASES / f"{name}.toml").read_text())["latex"]


def _refusal(source: str) -> papermath.PapermathError:
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(source)
    return err.value


def _under(err: papermath.PapermathError) -> str:
    assert err.source is not None and err.span is not None
    return err.source.snippet(err.span)


def _torch_gradient_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of d loss / d w for a concrete scalar loss of w, by torch autograd."""
    torch = pytest.importorskip("torch")
    w = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    target = torch.randn(*shape, dtype=torch.float64)
    loss = ((torch.tanh(w) - target) ** 2).sum() + 0.1 * (w**2).sum()
    (grad,) = torch.autograd.grad(loss, w)
    return tuple(grad.shape)


def _fd_gradient_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The same by float64 central differences, one entry at a time."""
    rng = np.random.default_rng(0)
    w, target = rng.standard_normal(shape), rng.standard_normal(shape)

    def loss(v: np.ndarray) -> float:
        return float(((np.tanh(v) - target) ** 2).sum() + 0.1 * (v**2).sum())

    grad = np.zeros_like(w)
    for idx in np.ndindex(*shape):
        e = np.zeros_like(w)
        e[idx] = 1e-6
        grad[idx] = (loss(w + e) - loss(w - e)) / 2e-6
    return grad.shape


# -- the wild cases --------------------------------------------------------------------------


def test_udacity_weight_update_reads_the_gradient_of_ell_with_w1s_shape() -> None:
    """ "We update our weights using this gradient with some learning rate alpha":
    W'_1 = W_1 - alpha d ell / d W_1: alpha a number, W'_1 the shape of W_1."""
    system = papermath.compile(_case("udacity_weight_update"))
    assert system.shapes["alpha"] == ()
    assert system.shapes["W_prime_1"] == system.shapes["W_1"]
    said = " ".join(r.reason for r in system.readings)
    assert "no equation writes ell" in said


def test_sklearn_sgd_update_reads_one_step_in_place() -> None:
    """w <- w - eta (alpha dR(w)/dw + dLoss/dw): the new w (w_breve) has w's shape; eta and
    alpha are numbers; R and Loss are not written, so code is refused at a derivative."""
    system = papermath.compile(_case("sklearn_mlp_sgd_update"))
    assert system.shapes["eta"] == () and system.shapes["alpha"] == ()
    assert len(system.shapes["w"]) == 1 and system.shapes["w_breve"] == system.shapes["w"]
    assert system.kinds["w_breve"] == "output"
    said = " ".join(r.reason for r in system.readings)
    assert "gradient-step-in-place" in said
    with pytest.raises(papermath.PapermathError) as err:
        system.to_numpy({system.shapes["w"][0]: 3})
    assert "a loss the source does not write" in err.value.message
    assert _under(err.value).startswith("\\frac{\\partial")


def test_sklearn_gradient_descent_reads_the_gradient_at_step_i() -> None:
    """\\nabla {Loss}_{W}^{i}: "the gradient of the loss with respect to the weights", "i is
    the iteration step": taken at W^i, W's shape."""
    system = papermath.compile(_case("sklearn_mlp_gradient_descent"))
    assert system.shapes["epsilon"] == ()
    assert system.kinds["W"] == "state"
    said = " ".join(r.reason for r in system.readings)
    assert "with respect to W^i, at W^i" in said


def test_pytorch_tutorial_reads_theta_as_the_parameters() -> None:
    """ "Let theta be our parameters": a vector (not a Greek scalar), L(theta) written
    without the step: read, said."""
    system = papermath.compile(_case("pytorch_tutorial_gradient_update"))
    assert len(system.shapes["theta"]) == 1 and system.shapes["eta"] == ()
    readings = {r.reading for r in system.readings}
    assert "the parameters a gradient step updates" in readings
    assert "gradient at a point written without the step" in readings


@pytest.mark.parametrize(
    "name",
    [
        "udacity_weight_update",
        "sklearn_mlp_sgd_update",
        "sklearn_mlp_gradient_descent",
        "pytorch_tutorial_gradient_update",
    ],
)
def test_every_stage_reads_or_refuses_by_name(name: str) -> None:
    system = papermath.compile(_case(name))
    assert "gradient" in render(explain(system))
    assert to_dot(system).startswith("digraph")
    assert "<html" in report_html(system).lower()
    with pytest.raises(papermath.PapermathError) as err:  # code: the loss is not written
        system.to_numpy(default_dims(system, None))
    assert err.value.span is not None


# -- the oracle: the gradient has the variable's shape ---------------------------------------


@pytest.mark.parametrize(
    ("source", "point", "new"),
    [
        (
            r"W_2 = W_1 - \alpha \frac{\partial \ell}{\partial W_1}, W_1 \in \mathbb{R}^{n \times m}",  # noqa: E501
            "W_1",
            "W_2",
        ),
        (
            r"w \leftarrow w - \eta \frac{\partial L}{\partial w}, w \in \mathbb{R}^{n}",
            "w",
            "w_breve",
        ),
        (r"w_{t+1} = w_t - \eta \frac{\partial L}{\partial w}, w_t \in \mathbb{R}^{n}", "w", "w"),
        (
            r"W^{i+1} = W^i - \epsilon \nabla {Loss}_{W}^{i}, W^i \in \mathbb{R}^{n \times m}",
            "W",
            "W",
        ),
        (
            r"\theta := \theta - \alpha \nabla_\theta J(\theta), \theta \in \mathbb{R}^{n}",
            "theta",
            "theta_breve",
        ),
    ],
)
def test_the_step_has_the_shape_autograd_gives_the_gradient(
    source: str, point: str, new: str
) -> None:
    """The new value is the point minus a gradient: torch autograd and finite differences of a
    scalar loss of an array of the point's shape give the shape papermath reads for it."""
    shapes = papermath.compile(source, {"n": 3, "m": 4}).numeric_shapes()
    assert _torch_gradient_shape(shapes[point]) == shapes[new]
    assert _fd_gradient_shape(shapes[point]) == shapes[new]


# -- spellings people write (the tool library's find_string) ---------------------------------


@pytest.mark.parametrize(
    "source",
    [
        r"w := w - \eta \frac{\partial L}{\partial w}",  # course notes
        r"W = W - \eta \frac{\partial L}{\partial W}",
        r"$$w \leftarrow w - \eta \frac{\partial L}{\partial w}$$ where $L$ is the loss",
        r"w_{t+1} = w_t - \eta \frac{\partial L}{\partial w}",
        r"w^{(i+1)} = w^{(i)} - \eta \partial L/\partial w",  # AI for Beginners, as LaTeX
        r"w := w - \eta \partial L / \partial w",
        r"\theta_{t+1} = \theta_t - \eta \nabla_\theta L, \theta_t \in \mathbb{R}^{d}",
        "SGD: $$\\theta := \\theta - \\alpha \\nabla_\\theta J(\\theta)$$ with $\\theta$ the "
        "model parameters",
    ],
)
def test_spellings_read(source: str) -> None:
    papermath.compile(source)


# -- refusals by name --------------------------------------------------------------------------


def test_a_gradient_with_respect_to_an_unused_symbol_is_refused() -> None:
    err = _refusal(r"\theta_{t+1} = \theta_t - \eta \nabla_V L, \theta_t \in \mathbb{R}^{d}")
    assert "no equation uses" in err.message and _under(err) == "V"


def test_a_step_no_equation_writes_is_refused() -> None:
    err = _refusal(r"W^{i+1} = W^i - \epsilon \nabla {Loss}_{W}^{k}")
    assert "no equation writes W at that step" in err.message and _under(err) == "k"


def test_a_bare_w_beside_w_old_is_refused() -> None:
    err = _refusal(r"W_{new} = W_{old} - \eta \frac{\partial L}{\partial W}")
    assert "no equation writes otherwise" in err.message and _under(err) == "W"


def test_a_greek_point_with_no_words_is_refused_with_the_declaration_hint() -> None:
    err = _refusal(r"\theta := \theta - \alpha \nabla_\theta J(\theta)")
    assert "nothing says its shape" in err.message and _under(err) == "\\theta"
    assert err.hint is not None and "\\mathbb{R}^{P}" in err.hint


def test_a_derivative_of_a_value_the_equations_define_stays_refused() -> None:
    """L = ... then dL/dW: papermath derives it (papermath grad); not read as an opaque loss."""
    err = _refusal(r"L = \|W x\|^2 \\ V = W - \eta \frac{\partial L}{\partial W}")
    assert "derivative" in err.message


def test_an_update_in_place_read_elsewhere_stays_refused() -> None:
    err = _refusal(r"w \leftarrow w - \eta \frac{\partial L}{\partial w} \\ y = w x")
    assert "update in place" in err.message


def test_a_time_derivative_is_not_a_gradient() -> None:
    err = _refusal(r"h_{t} = h_{t-1} + \Delta \frac{\partial h}{\partial t}")
    assert "derivative" in err.message
