"""Session 9, helper UPDATES5: a sum whose upper limit the prose calls the number of examples
runs over the batch (read/rules_example_bound.py); the labels of one example are numbers;
\\sum_{i=0}^{n} is refused naming its n + 1 terms. Oracles: the case's own text, NumPy written
by hand, torch autograd."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath

BATCH5 = Path(__file__).parent / "wild" / "cases"

MSE = (
    "$$\n\\large \\ell = \\frac{1}{2n}\\sum_i^n{\\left(y_i - \\hat{y}_i\\right)^2}\n$$\n\n"
    "where $n$ is the number of training examples, $y_i$ are the true labels, and "
    "$\\hat{y}_i$ are the predicted labels.\n"
)


def _case(name: str) -> str:
    return str(tomllib.loads((BATCH5 / f"{name}.toml").read_text())["latex"])


def test_the_udacity_case_text_is_the_one_tested_here() -> None:
    """The test's copy of the formula and its prose is the case's (no drift)."""
    assert " ".join(MSE.split()) in " ".join(_case("udacity_mean_squared_loss").split())


def test_prose_naming_the_bound_the_number_of_examples_makes_i_the_batch_index() -> None:
    """'n is the number of training examples': y_i and \\hat{y}_i are one example's values
    (scalars, labels), n the batch; before, y was read as a vector of n entries."""
    system = papermath.compile(_case("udacity_mean_squared_loss"))
    assert system.shapes["y"] == system.shapes["y_hat"] == system.shapes["ell"] == ()
    assert system.kinds["y"] == "target"
    said = " ".join(r.reason for r in system.readings)
    assert "number of training examples" in said and "true labels" in said
    # without the prose the same formula sums the n entries of a vector (the other reading)
    bare = papermath.compile(r"\ell = \frac{1}{2n}\sum_i^n{\left(y_i - \hat{y}_i\right)^2}")
    assert bare.shapes["y"] == ("n",)


def test_the_mean_over_the_batch_against_numpy_and_torch() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(MSE)
    gen = system.to_numpy({})
    rng = np.random.default_rng(5)
    for batch in (1, 4, 7):
        y, p = rng.normal(size=batch), rng.normal(size=batch)
        out, cache = gen.forward(gen.init_params(rng), {"y": y, "y_hat": p})
        expected = sum((y[i] - p[i]) ** 2 for i in range(batch)) / (2 * batch)  # by hand
        np.testing.assert_allclose(np.ravel(out["ell"]), [expected], rtol=1e-12)
        grads = gen.backward({}, cache, {"ell": np.ones_like(out["ell"])})
        ty = torch.tensor(y, requires_grad=True)
        tp = torch.tensor(p, requires_grad=True)
        (((ty - tp) ** 2).sum() / (2 * batch)).backward()
        assert ty.grad is not None and tp.grad is not None
        np.testing.assert_allclose(grads["y"], ty.grad.numpy(), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(grads["y_hat"], tp.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_the_torch_module_computes_the_same_mean() -> None:
    torch = pytest.importorskip("torch")
    module = papermath.compile(MSE).to_torch({})
    y, p = torch.randn(6, dtype=torch.float64), torch.randn(6, dtype=torch.float64)
    got = module(y=y, y_hat=p)["ell"]
    assert torch.allclose(got.reshape(()), ((y - p) ** 2).mean() / 2)


def test_vectors_per_example_with_a_declared_weight() -> None:
    """\\frac{1}{n}\\sum_{i=1}^{n} \\|W x_i - t_i\\|^2, 'n is the number of samples': x_i and t_i
    one sample's vectors (d and k), the mean over the batch; against a NumPy loop."""
    latex = (
        "$$L = \\frac{1}{n}\\sum_{i=1}^{n} \\|W x_i - t_i\\|^2$$\n\n"
        "where $n$ is the number of samples and $W \\in \\mathbb{R}^{k \\times d}$.\n"
    )
    system = papermath.compile(latex)
    assert system.shapes["x"] == ("d",) and system.shapes["t"] == ("k",)
    assert system.shapes["L"] == ()
    gen = system.to_numpy({"k": 3, "d": 4})
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    x, t = rng.normal(size=(5, 4)), rng.normal(size=(5, 3))
    out, _ = gen.forward(params, {"x": x, "t": t})
    w = params["W"]
    expected = sum(float(np.sum((w @ x[i] - t[i]) ** 2)) for i in range(5)) / 5
    np.testing.assert_allclose(np.ravel(out["L"]), [expected], rtol=1e-12)


def test_a_label_said_of_an_entry_index_declares_nothing() -> None:
    """The labels rule needs the batch index: with no count of examples in the prose, y_i are
    the entries of y (the lead's reading), the word 'labels' alone changes nothing."""
    system = papermath.compile(
        "$$L = \\sum_{i=1}^{n} (y_i - p_i)^2$$\n\nwhere $y_i$ are the true labels.\n"
    )
    assert system.shapes["y"] == ("n",)


@pytest.mark.parametrize("name", ["sklearn_mlp_cross_entropy", "sklearn_mlp_squared_error"])
def test_a_range_from_zero_to_n_is_refused_naming_its_count(name: str) -> None:
    """\\sum_{i=0}^{n}: n + 1 terms beside 1/n; refused at the range with the count."""
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(_case(name))
    assert "n + 1 terms" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.text[err.value.span.start : err.value.span.end] == "i=0"


def test_a_range_from_zero_to_n_minus_one_still_reads() -> None:
    system = papermath.compile(r"L = \sum_{i=0}^{n-1} (y_i - p_i)^2")
    assert system.shapes["y"] == ("n",)


SOFTMAX = r"\text{softmax}(z)_i = \frac{\exp(z_i)}{\sum_{l=1}^K\exp(z_l)}"


def test_a_softmax_written_by_its_entries_against_torch() -> None:
    """softmax(z)_i = exp(z_i) / sum_l exp(z_l): the entry i of the function's value, read as
    the whole vector; forward against torch.softmax, backward against torch autograd."""
    torch = pytest.importorskip("torch")
    system = papermath.compile(SOFTMAX)
    assert system.shapes["z"] == system.shapes["softmax"] == ("K",)
    gen = system.to_numpy({"K": 5})
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 5))
    out, cache = gen.forward({}, {"z": z})
    tz = torch.tensor(z, requires_grad=True)
    expected = torch.softmax(tz, dim=-1)
    np.testing.assert_allclose(out["softmax"], expected.detach().numpy(), rtol=1e-12)
    seed = rng.normal(size=(4, 5))
    grads = gen.backward({}, cache, {"softmax": seed})
    (expected * torch.tensor(seed)).sum().backward()
    assert tz.grad is not None
    np.testing.assert_allclose(grads["z"], tz.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_a_softmax_with_e_powers_reads_the_same() -> None:
    system = papermath.compile(r"\sigma(z)_j = \frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}}")
    assert system.shapes["z"] == ("K",)
    gen = system.to_numpy({"K": 3})
    z = np.array([[0.5, -1.0, 2.0]])
    out, _ = gen.forward({}, {"z": z})
    key = next(k for k in system.shapes if k != "z")
    np.testing.assert_allclose(out[key], np.exp(z) / np.exp(z).sum(), rtol=1e-12)


def test_an_entry_formula_with_another_symbol_still_doubts() -> None:
    """A weight w_l inside the sum is no argument: the doubt stands (not read entry by entry)."""
    with pytest.raises(papermath.PapermathError):
        papermath.compile(r"s(z)_i = \frac{\exp(z_i)}{\sum_{l=1}^K w_l \exp(z_l)}")


def test_the_sklearn_softmax_is_refused_at_its_lower_case_limit() -> None:
    """The sum runs to k, the prose says K is the number of classes: refused at k, naming
    both; the same text with K in the sum reads z as K (the case's expectation)."""
    # the page's full sentence also says z_i "corresponds to class i": one entry per class, K
    # of them (parse/prose_sizes.py, brief PROSE6), which reads; without it, refused at k
    assert papermath.compile(_case("sklearn_mlp_softmax")).shapes["z"] == ("K",)
    text = _case("sklearn_mlp_softmax").replace("which corresponds to class :math:`i`, ", "")
    assert "corresponds" not in text
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(text)
    assert "K" in err.value.message and "runs to k" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.text[err.value.span.start : err.value.span.end] == "k"
    fixed = papermath.compile(text.replace(r"\sum_{l=1}^k", r"\sum_{l=1}^K"))
    assert fixed.shapes["z"] == ("K",)


def test_a_function_of_an_entry_times_an_entry_reads_entry_by_entry() -> None:
    """h(u,v)_i = \\exp(u_i) v_i (was refused: exp was not in the rule's list): h = exp(u) * v
    entry by entry, against NumPy."""
    system = papermath.compile(r"$$h(u,v)_i = \exp(u_i) v_i$$")
    assert system.shapes["u"] == system.shapes["v"] == system.shapes["h"]
    (size,) = system.shapes["u"]
    gen = system.to_numpy({size: 4})
    rng = np.random.default_rng(4)
    u, v = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    out, _ = gen.forward({}, {"u": u, "v": v})
    np.testing.assert_allclose(out["h"], np.exp(u) * v, rtol=1e-12)


def test_a_gradient_with_its_variable_under_the_nabla_is_the_gradient_call() -> None:
    """\\nabla_\\theta L(\\theta_t): the gradient of L at theta_t, theta's shape; where an
    equation gives \\nabla_\\theta L(\\theta) = A theta - b, the update runs: against gradient
    descent written by hand."""
    system = papermath.compile(
        r"\nabla_\theta L(\theta) = A \theta - b, \theta_{t+1} = \theta_t - \eta \nabla_\theta "
        r"L(\theta_t), \theta_t \in \mathbb{R}^{d}"
    )
    assert system.shapes["theta"] == ("d",) and system.shapes["A"] == ("d", "d")
    gen = system.to_numpy({"T": 3, "d": 2})
    rng = np.random.default_rng(6)
    params = gen.init_params(rng)
    theta0 = rng.normal(size=(1, 2))
    out, _ = gen.forward(params, {"eta": np.array(0.1)}, {"theta": theta0})
    theta = theta0[0].copy()
    for t in range(3):
        theta = theta - 0.1 * (params["A"] @ theta - params["b"])  # by hand
        np.testing.assert_allclose(out["theta"][t][0], theta, rtol=1e-12)


def test_an_unwritten_objective_reads_for_shapes_and_refuses_code_by_name() -> None:
    system = papermath.compile(
        r"\theta_{t+1} = \theta_t - \eta \nabla_\theta L(\theta_t), \theta_t \in \mathbb{R}^{d}"
    )
    assert system.shapes["theta"] == ("d",)
    with pytest.raises(papermath.PapermathError) as err:
        system.to_numpy({"T": 3, "d": 2})
    assert "objective the source does not write" in err.value.message


@pytest.mark.parametrize(
    "source",
    [
        r"\theta_{t+1} = \theta_t - \eta \nabla_W L(\theta_t), \theta_t \in \mathbb{R}^{d}",
        r"\theta_{t+1} = \theta_t - \eta \nabla_\theta L(W), \theta_t \in \mathbb{R}^{d}",
    ],
)
def test_a_gradient_with_respect_to_another_letter_is_refused(source: str) -> None:
    with pytest.raises(papermath.PapermathError):
        papermath.compile(source)


def test_the_tutorials_bare_theta_reads_its_shape_whatever_the_step() -> None:
    """PyTorch's tutorial: L(theta) beside theta^{(t)} and theta^{(t+1)}; which step the
    gradient is taken at the formula does not say, but the gradient has theta's shape at every
    step and no code is made from the unwritten L (session 10, read/rules_gradient_updates.py):
    read, the readings saying so; code refused by name at the gradient."""
    system = papermath.compile(_case("pytorch_tutorial_gradient_update"))
    assert len(system.shapes["theta"]) == 1 and system.shapes["eta"] == ()
    said = " ".join(r.reason for r in system.readings)
    assert "no step" in said and "\\theta^{(t)}" in said
    # without the words "be our parameters", a Greek theta's shape is not said: refused
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(r"\theta^{(t+1)} = \theta^{(t)} - \eta \nabla_\theta L(\theta)")
    assert "nothing says its shape" in err.value.message


def test_the_sklearn_nabla_in_an_optimiser_step_reads_at_its_step() -> None:
    """scikit-learn's W^{i+1} = W^i - \\epsilon \\nabla {Loss}_{W}^{i}: the gradient of Loss with
    respect to W at W^i, W's shape (session 10: was refused at \\nabla); the call form reads
    too; a \\nabla with respect to a letter no equation uses is refused by name."""
    system = papermath.compile(_case("sklearn_mlp_gradient_descent"))
    assert system.shapes["epsilon"] == () and len(system.shapes["W"]) == 2
    system = papermath.compile(r"W^{i+1} = W^i - \epsilon \nabla L(W^{i})")
    assert system.shapes["epsilon"] == () and len(system.shapes["W"]) == 2
    with pytest.raises(papermath.PapermathError) as plain:
        papermath.compile(r"g = \nabla L_W")
    assert "no equation uses" in plain.value.message


def test_the_lstm_taggers_argmax_is_refused_by_name() -> None:
    """PyTorch's tagger: \\hat{y}_i = \\text{argmax}_j (...)_j, an index, not a value: refused
    naming argmax (was 'cannot read ... as a value'); the scores alone read."""
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(_case("pytorch_tutorial_lstm_tagger"))
    assert "argmax is the index of the largest entry" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.text[err.value.span.start :].startswith(r"\text{argmax}_j")
    with pytest.raises(papermath.PapermathError) as low:
        papermath.compile(r"\hat{y} = \text{argmin}_j (W x)_j")
    assert "smallest" in low.value.message
    scores = papermath.compile(r"s = \log \text{Softmax}(A h + b), A \in \mathbb{R}^{T \times d}")
    assert scores.shapes["s"] == ("T",) and scores.shapes["h"] == ("d",)
