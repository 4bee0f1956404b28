r"""Formulas written as code (parse/code.py, read/rules_losses.py): Keras' losses as its
docstrings write them, in a ```python fence or a backtick span. The shapes and kinds expected
are the ones Keras documents (y_true: "ground truth values", y_pred: "the predicted values",
both of shape [batch_size, d0, .. dN], the loss reducing the last axis); the values are
judged by torch's own loss functions (torch.nn.functional), never by papermath's code alone;
gradients by float64 finite differences and torch autograd (papermath.check). Code is text:
a formula that would do something if run is refused, never run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import papermath
from conftest import assert_shapes_match
from papermath.check import check
from papermath.errors import PapermathError

torch = pytest.importorskip("torch")
F = torch.nn.functional

os.environ.setdefault("PAPERMATH_KERNELS", "off")


def fenced(code: str) -> str:
    return f'    """Computes the loss.\n\n    Formula:\n\n    ```python\n    {code}\n    ```\n'


MSE = fenced("loss = mean(square(y_true - y_pred))")
MSLE = fenced("loss = mean(square(log(y_true + 1) - log(y_pred + 1)))")
MAPE = fenced("loss = 100 * mean(abs((y_true - y_pred) / y_true))")
KL = fenced("loss = y_true * log(y_true / y_pred)")
POISSON = fenced("loss = y_pred - y_true * log(y_pred)")
SQUARED_HINGE = fenced("loss = square(maximum(1 - y_true * y_pred, 0))")
CATEGORICAL_HINGE = (
    fenced("loss = maximum(neg - pos + 1, 0)")
    + "\n    where `neg=maximum((1-y_true)*y_pred)` and `pos=sum(y_true*y_pred)`\n"
)
DICE = fenced("loss = 1 - (2 * sum(y_true * y_pred)) / (sum(y_true) + sum(y_pred))")

# Keras' documentation: y_true and y_pred one shape; the mean/sum/max reduce it to a scalar
SCALAR = {"y_true": ["N"], "y_pred": ["N"], "loss": []}
ELEMENTWISE = {"y_true": ["N"], "y_pred": ["N"], "loss": ["N"]}
READ = [
    ("mse", MSE, SCALAR),
    ("msle", MSLE, SCALAR),
    ("mape", MAPE, SCALAR),
    ("kl", KL, ELEMENTWISE),
    ("poisson", POISSON, ELEMENTWISE),
    ("squared_hinge", SQUARED_HINGE, ELEMENTWISE),
    ("categorical_hinge", CATEGORICAL_HINGE, {**SCALAR, "neg": [], "pos": []}),
    ("dice", DICE, SCALAR),
]


@pytest.mark.parametrize(("source", "shapes"), [r[1:] for r in READ], ids=[r[0] for r in READ])
def test_keras_losses_read_with_the_documented_shapes_and_roles(
    source: str, shapes: dict[str, list[str]]
) -> None:
    system = papermath.compile(source)
    assert_shapes_match(dict(system.shapes), shapes, set(system.declared_sizes))
    assert system.kinds["y_true"] == "target"
    assert system.kinds["y_pred"] == "input"
    said = [r.reading for r in system.readings]
    assert "read as code" in said


def test_the_readings_say_how_the_code_was_read() -> None:
    system = papermath.compile(CATEGORICAL_HINGE)
    by_reading = {r.reading: r for r in system.readings}
    assert "** is a power" in by_reading["read as code"].reason
    assert by_reading["largest entry over the entries"].subject == "maximum((1-y_true)*y_pred)"
    assert by_reading["sum over the entries"].subject == "sum(y_true*y_pred)"
    assert "np.maximum" in by_reading["elementwise maximum"].reason


def batch(rng: np.random.Generator, positive: bool = False) -> np.ndarray:
    x = rng.normal(size=(4, 5))
    return np.abs(x) + 0.1 if positive else x


# each: the source, the torch reference (y_true, y_pred) -> per-example loss, and whether the
# values must be positive (a log or a division by y_true)
Reference = Callable[[Any, Any], Any]
ORACLES: list[tuple[str, str, Reference, bool]] = [
    ("mse", MSE, lambda t, p: F.mse_loss(p, t, reduction="none").mean(-1), False),
    (
        "msle",
        MSLE,
        lambda t, p: F.mse_loss(torch.log1p(p), torch.log1p(t), reduction="none").mean(-1),
        True,
    ),
    # 100 * mean |(t - p) / t| = 100 * mean |p / t - 1|: an L1 loss against ones
    (
        "mape",
        MAPE,
        lambda t, p: 100 * F.l1_loss(p / t, torch.ones_like(t), reduction="none").mean(-1),
        True,
    ),
    # kl_div takes log-probabilities as its input: t * (log t - log p)
    ("kl", KL, lambda t, p: F.kl_div(torch.log(p), t, reduction="none"), True),
    (
        "poisson",
        POISSON,
        lambda t, p: F.poisson_nll_loss(p, t, log_input=False, eps=0.0, reduction="none"),
        True,
    ),
]


@pytest.mark.parametrize(
    ("source", "reference", "positive"), [o[1:] for o in ORACLES], ids=[o[0] for o in ORACLES]
)
@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_the_generated_loss_equals_torch(
    source: str, reference: Reference, positive: bool, backend: str
) -> None:
    rng = np.random.default_rng(3)
    yt, yp = batch(rng, positive), batch(rng, positive)
    system = papermath.compile(source)
    sizes = {n: 5 for n in system.declared_sizes} | {"n": 5}
    tt, tp = torch.tensor(yt, requires_grad=True), torch.tensor(yp, requires_grad=True)
    want = reference(tt, tp)
    g = rng.normal(size=want.shape)
    (want * torch.tensor(g)).sum().backward()
    assert tt.grad is not None and tp.grad is not None
    if backend == "numpy":
        gen = system.to_numpy(sizes)
        outputs, cache = gen.forward({}, {"y_true": yt, "y_pred": yp})
        got = outputs["loss"]
        grads = gen.backward({}, cache, {"loss": g})
        got_t, got_p = grads["y_true"], grads["y_pred"]
    else:
        module = system.to_torch(sizes, dtype=torch.float64)
        at, ap = torch.tensor(yt, requires_grad=True), torch.tensor(yp, requires_grad=True)
        out = module(y_true=at, y_pred=ap)["loss"]
        (out * torch.tensor(g)).sum().backward()
        assert at.grad is not None and ap.grad is not None
        got, got_t, got_p = out.detach().numpy(), at.grad.numpy(), ap.grad.numpy()
    np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got_t, tt.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got_p, tp.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "source", [MSE, SQUARED_HINGE, CATEGORICAL_HINGE], ids=["mse", "squared_hinge", "cat_hinge"]
)
def test_gradients_against_finite_differences_and_autograd(source: str) -> None:
    results = check(papermath.compile(source), {"n": 4})
    assert {r.key for r in results} >= {"y_pred"}
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]


# near misses: the construct is refused, with the caret on it
REFUSED = [
    ("loop", fenced("for x in error:\n        loss = x"), "for", "loop"),
    # a power by a name (p ** q) reads (read/rules_value_powers.py); by an expression not
    ("power by an expression", fenced("loss = p ** (q + 1)"), "(q + 1)", "not a number"),
    # a conditional on a label's value reads (below); on a value the model computes, not
    (
        "conditional",
        "where `p_t = output if output > 0.5, else 1 - output`",
        "if",
        "conditional expression",
    ),
    ("attribute", fenced("loss = x\n    loss.append(0.5 * x)"), ".", "attribute"),
    ("unknown function", fenced("loss = hinge(y_true, y_pred)"), "hinge", "not one papermath"),
    ("another axis", fenced("loss = mean(y_true - y_pred, axis=0)"), "axis=0", "keyword"),
    ("matrix product", fenced("loss = sum(W @ x)"), "@", "matrix product"),
    ("open call", fenced("loss = mean ("), "(", "ends in the middle"),
    # text that would run something if executed is only ever read: refused at the quote
    ("call into os", fenced("loss = __import__('os').system('true')"), "'", "character"),
]


@pytest.mark.parametrize(
    ("source", "under", "words"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_what_code_cannot_say_is_refused_at_the_construct(
    source: str, under: str, words: str
) -> None:
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert words in err.message
    assert err.span is not None
    assert source[err.span.start : err.span.end] == under


def test_a_conditional_on_a_label_reads_entry_by_entry() -> None:
    """Keras' focal loss's p_t: a selection by the label y_true (target data), not refused."""
    system = papermath.compile("where `p_t = output if y_true == 1, else 1 - output`")
    assert system.kinds["y_true"] == "target"
    assert system.shapes["p_t"] == system.shapes["output"] == system.shapes["y_true"]
    said = [r for r in system.readings if r.reading == "a conditional on a label's value (code)"]
    assert said and "y_true == 1" in said[0].reason


def test_the_mean_of_a_matrix_is_refused() -> None:
    """mean(x) over the entries of a vector; over a matrix which axis is not said."""
    source = fenced("loss = mean(W)") + "\n% W \\in \\mathbb{R}^{n \\times m}\n"
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert "entries of vectors" in err.message
    assert err.span is not None and source[err.span.start : err.span.end] == "W"


def test_code_beside_latex_equations_is_left_as_code() -> None:
    """Where the source writes its equations in LaTeX, code beside them is an example (a
    usage snippet), not the model: it is not read."""
    source = "$$h = \\tanh(x)$$\n\n```python\nloss = mean(h)\n```\n"
    system = papermath.compile(source)
    assert "loss" not in system.shapes


def test_a_shape_said_in_the_prose_is_refused_at_the_shape() -> None:
    """A shape in words papermath does not read (``[batch_size, d0]``: which axis is the
    example's, the words do not fix) is refused at the shape. Keras' own
    ``[batch_size, d0, .. dN]`` reads (rule keras-shape-words, below)."""
    source = fenced("loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)") + (
        "\n    Args:\n        y_true: The ground truth values, with shape =\n"
        "            `[batch_size, d0]`.\n"
    )
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert "shape of y_true" in err.message
    assert err.span is not None
    assert source[err.span.start : err.span.end] == "[batch_size, d0]"


def test_keras_shape_words_read_as_a_batch_of_rows() -> None:
    """keras.losses.hinge's Args: y_true and y_pred ``[batch_size, d0, .. dN]``; the loss,
    the mean over axis -1, is one number per example (Keras' ``[batch_size, d0, .. dN-1]``
    with no axes between)."""
    said = "with shape =\n            `[batch_size, d0, .. dN]`.\n"
    source = fenced("loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)") + (
        f"\n    Args:\n        y_true: The ground truth values, {said}"
        f"        y_pred: The predicted values, {said}"
    )
    system = papermath.compile(source)
    assert system.shapes["y_true"] == system.shapes["y_pred"] == ("batch_size", "dN")
    assert system.shapes["loss"] == ("batch_size",)
    assert system.kinds["y_true"] == "target"
    assert any(r.reading == "a shape in Keras' words" for r in system.readings)


def test_the_equations_pane_prints_the_reading_not_the_code() -> None:
    """Typeset (KaTeX) as read: mean(x) as (1/n) sum_i, square(x) as a power, never the
    call's name in italics (m e a n)."""
    from papermath.report.typeset import typeset_equations

    (shown,) = typeset_equations(papermath.compile(MSE))
    assert "mean" not in shown and "square" not in shown
    assert "\\frac{1}{n}" in shown and "\\sum_{i}" in shown and "^{2}" in shown
