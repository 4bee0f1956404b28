r"""Session 9, helper MISC (issue 24: read what people write).

- ``operators.sum-exclusion`` (parse/sum_exclusions.py, read/rules_sum_exclusion.py): CS231n's
  multiclass SVM loss ``L_i = \sum_{j \neq y_i} \max(0, s_j - s_{y_i} + 1)``, the sum over every
  class but the label's. Oracles: torch.nn.functional.multi_margin_loss (whose mean over the
  classes is the sum here divided by K), a hand-written NumPy loop, torch autograd on torch's
  own loss for the gradient of W, and ``papermath check`` (finite differences).
- ``presentation.cal``: plain TeX's ``\cal{D}``, ``{\cal D}`` are ``\mathcal{D}``.
- ``presentation.paren-array``: ``\left[\begin{array}{c} u \\ v \end{array}\right]`` is the
  matrix ``\begin{bmatrix}``; values against np.concatenate.
- refusals with the construct under the caret and the right words: a named matrix written in
  part with ``\vdots`` (``doubts.matrix-dots``), ``\text{minimize}_w`` before an objective, an
  ``=`` inside a call's arguments (``P(Y=i|x)``, ``L(\theta=\{W,b\}, D)``), a condition as a
  sum's upper limit, a product or a bare label skipped.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import papermath
from papermath.check import check
from refusals import caret, refused

WILD = Path(__file__).parent / "wild" / "cases"

SVM = (
    r"s_i = W x_i, L_i = \sum_{j \neq y_i} \max(0, s_j - s_{y_i} + 1), "
    r"J = \frac{1}{N} \sum_i L_i, x_i \in \mathbb{R}^{D}, W \in \mathbb{R}^{K \times D}"
)
SVM_RANGE = SVM.replace(r"\sum_{j \neq y_i}", r"\sum_{j=1, j \neq y_i}^{K}")
DIMS = {"N": 6, "K": 5, "D": 3}


def case(name: str) -> dict[str, Any]:
    return tomllib.loads((WILD / f"{name}.toml").read_text())


def _svm_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    w = rng.normal(size=(DIMS["K"], DIMS["D"]))
    x = rng.normal(size=(DIMS["N"], DIMS["D"]))
    y = rng.integers(0, DIMS["K"], size=DIMS["N"])
    return w, x, y


def _hand_svm(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The loss per example, by loops over the classes it keeps."""
    out = np.zeros(len(x))
    for n in range(len(x)):
        s = w @ x[n]
        out[n] = sum(max(0.0, s[j] - s[y[n]] + 1.0) for j in range(len(s)) if j != y[n])
    return out


@pytest.mark.parametrize("text", [SVM, SVM_RANGE])
def test_sum_skipping_the_label_equals_torch_multi_margin_loss(text: str) -> None:
    system = papermath.compile(text)
    assert system.shapes["s"] == ("K",) and system.shapes["W"] == ("K", "D")
    assert system.kinds["y"] == "target" and system.kinds["W"] == "parameter"
    said = [r for r in system.readings if r.reading.startswith("the sum over every j but")]
    assert said and "minus the term at j = y_i" in said[0].reason
    w, x, y = _svm_data()
    scores = torch.tensor(x) @ torch.tensor(w).T
    # multi_margin_loss divides by the number of classes; the source's sum does not
    want = F.multi_margin_loss(scores, torch.tensor(y), reduction="none").numpy() * DIMS["K"]
    np.testing.assert_allclose(_hand_svm(w, x, y), want, atol=1e-12, rtol=0)
    out, _ = system.to_numpy(DIMS).forward({"W": w}, {"x": x, "y": y})
    np.testing.assert_allclose(out["L"], want, atol=1e-12, rtol=0)
    np.testing.assert_allclose(np.ravel(out["J"]), [want.mean()], atol=1e-12, rtol=0)
    module = system.to_torch(DIMS, dtype=torch.float64)
    with torch.no_grad():
        module.W.copy_(torch.tensor(w))
    got = module(x=torch.tensor(x), y=torch.tensor(y))
    np.testing.assert_allclose(got["L"].detach().numpy(), want, atol=1e-12, rtol=0)


def test_gradient_through_the_skipping_sum_equals_torch_autograd() -> None:
    system = papermath.compile(SVM)
    w, x, y = _svm_data()
    module = system.to_torch(DIMS, dtype=torch.float64)
    with torch.no_grad():
        module.W.copy_(torch.tensor(w))
    module(x=torch.tensor(x), y=torch.tensor(y))["J"].sum().backward()
    mine = module.W.grad
    assert mine is not None
    w_ref = torch.tensor(w, requires_grad=True)
    ref = F.multi_margin_loss(torch.tensor(x) @ w_ref.T, torch.tensor(y)) * DIMS["K"]
    ref.backward()
    assert w_ref.grad is not None
    np.testing.assert_allclose(mine.numpy(), w_ref.grad.numpy(), atol=1e-12, rtol=0)
    results = check(system, seed=1)
    assert results and all(r.ok for r in results), results


def test_skipping_sum_reaches_explain_diagram_and_report() -> None:
    from papermath.diagram import to_dot
    from papermath.explain import explain, render
    from papermath.report import report_html

    system = papermath.compile(SVM)
    words = render(explain(system))
    assert "\\sum_{j \\neq y_i}" in words
    assert "digraph" in to_dot(system)
    page = report_html(system, dims=DIMS)
    assert "<html" in page.lower() and "j \\neq y_i" in page


@pytest.mark.parametrize(
    ("text", "under", "words"),
    [
        # a product that skips a factor: dividing it out is not the same where it is 0
        (r"L = \prod_{j \neq y_i} s_j, s_i = W x_i", "\\prod", "product that skips"),
        # a bare label (one example's y): x_y would read as a label of x, not its entry
        (r"L = \sum_{i=1, i \neq y}^{n} x_i", "y", "label per example"),
        # MultiLabelMarginLoss's typo: the index skips a value written with itself
        (r"L = \sum_{i=1, i \neq y_i}^{n} x_i", "y_i", "own index"),
        # the range of one index, the exclusion of another
        (r"L = \sum_{i=1, j \neq y_k}^{n} x_i", "j", "another"),
        # a condition as the upper limit (MultiLabelMarginLoss: run j until y_j = 0)
        (r"L = \sum_{j=1}^{y_j \neq 0} x_j", "\\neq", "upper limit of a sum"),
        # two conditions, neither an exclusion
        (r"L = \sum_{i=1, j=1}^{n} x_i", "=", "two conditions"),
        # \neq anywhere else is refused as before
        (r"y_{t \neq 1} = W x", "\\neq", "condition"),
        (r"a \neq b", "\\neq", "inequality"),
        (r"a \leq b", "\\leq", "inequality"),  # one relation: not a range
    ],
)
def test_exclusions_papermath_does_not_read_are_refused_there(
    text: str, under: str, words: str
) -> None:
    err = refused(text)
    assert caret(err).startswith(under) and words in err.message, (caret(err), err.message)


def test_cal_is_mathcal() -> None:
    calligraphic = papermath.compile(r"\mathcal{L} = \sum_i x_i")
    for text in (r"\cal{L} = \sum_i x_i", r"{\cal L} = \sum_i x_i", r"\cal L = \sum_i x_i"):
        system = papermath.compile(text)
        assert system.shapes == calligraphic.shapes and system.kinds == calligraphic.kinds
    x = np.arange(4.0)
    out, _ = papermath.compile(r"\cal{L} = \sum_i x_i").to_numpy({"d1": 4}).forward({}, {"x": x})
    assert float(np.ravel(out["L"])[0]) == 6.0  # 0 + 1 + 2 + 3
    err = refused(r"y = \calX x")  # one command's name, not \cal then X
    assert caret(err) == "\\calX"


def test_array_in_brackets_is_a_matrix() -> None:
    decl = r", u \in \mathbb{R}^{p}, v \in \mathbb{R}^{q}, y \in \mathbb{R}^{m}"
    array = r"x = \left[\begin{array}{c} u \\ v \end{array}\right], y = W x" + decl
    bmatrix = r"x = \begin{bmatrix} u \\ v \end{bmatrix}, y = W x" + decl
    system, same = papermath.compile(array), papermath.compile(bmatrix)
    assert system.shapes == same.shapes and system.kinds == same.kinds
    u, v = np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])
    dims = {"p": 2, "q": 3, "m": 4}
    params = system.to_numpy(dims).init_params(np.random.default_rng(0))
    params.update({"u": u, "v": v})
    out, _ = system.to_numpy(dims).forward(params, {})
    np.testing.assert_array_equal(np.ravel(out["x"]), np.concatenate([u, v]))
    np.testing.assert_allclose(np.ravel(out["y"]), params["W"] @ np.concatenate([u, v]))
    err = refused(
        "Z=\\left(\\begin{array}{ccc}\n1 & \\xi_{1} & \\xi_{1}^{2}\\\\\n\\vdots & \\vdots & "
        "\\vdots\\\\\n1 & \\xi_{m} & \\xi_{m}^{2}\n\\end{array}\\right).\n"
    )
    assert caret(err) == "\\vdots" and err.message.startswith("Z is a matrix written in part")
    assert err.hint is not None and "Z \\in \\mathbb{R}^{m \\times n}" in err.hint


def test_refusals_name_the_construct() -> None:
    err = refused(r"$$\text{minimize}_w \qquad \tfrac{1}{2}\|Z w - d\|^2 = L$$")
    assert caret(err) == "\\text{minimize}_w \\qquad" and "optimisation problem" in err.message
    err = refused(r"P(Y=i|x, W,b) = \mathrm{softmax}_i(W x + b)")
    assert caret(err) == "=" and "inside the arguments of P(...)" in err.message
    err = refused(r"\mathcal{L} (\theta=\{W,b\}, \mathcal{D}) = \sum_i x_i")
    assert caret(err) == "=" and "inside the arguments of \\mathcal{L}(...)" in err.message


@pytest.mark.parametrize(
    ("name", "under", "words"),
    [
        ("distill_momentum_least_squares", "\\text{minimize}_w", "optimisation problem"),
        ("distill_momentum_tikhonov_typo", "\\vdots", "Z is a matrix written in part"),
        ("lisa_logreg_nll_loss", "=", "inside the arguments"),
        ("lisa_logreg_model", "=", "inside the arguments of P"),
        ("notes_jianshu_multilabel_margin", "\\neq", "upper limit of a sum"),
        ("notes_jianshu_multi_margin", "\\leq", "range of values between two bounds"),
    ],
)
def test_wild_cases_are_refused_at_their_construct(name: str, under: str, words: str) -> None:
    err = refused(case(name)["latex"])
    assert caret(err).startswith(under) and words in err.message, (caret(err), err.message)


def test_map_definition_is_the_function_it_defines() -> None:
    mapped = papermath.compile(r"g = x \mapsto x^{2}, y = g(z)")
    called = papermath.compile(r"g(x) = x^{2}, y = g(z)")
    assert mapped.shapes == called.shapes and mapped.kinds == called.kinds
    assert mapped.kinds["g"] == "function" and mapped.kinds["z"] == "input"
    z = np.array([-1.5, 0.5, 2.0])
    out, _ = mapped.to_numpy({"d1": 3}).forward({}, {"z": z})
    np.testing.assert_allclose(np.ravel(out["y"]), z * z, rtol=0, atol=0)
    results = check(mapped, seed=0)
    assert results and all(r.ok for r in results), results
    # a map that is not the right side of a definition stays refused where it stands
    err = refused(r"y = W (x \mapsto x^2)")
    assert caret(err) == "\\mapsto" and "right side of a definition" in err.message
    # Distill's monomials read, and since session 10 its sum written with \cdots too
    # (read/rules_dotted_terms.py): what stays refused is w_n, one number per order or the
    # n-th entry of a vector w (the cut does not say)
    err = refused(case("distill_momentum_polynomial_model")["latex"])
    assert caret(err) == "w_{n}"


SIGNED = (
    "Formally, an MLP is a function $f: \\mathbb{R}^D \\to \\mathbb{R}^L$ such that\n"
    "$$f(x) = \\tanh(W x + b)$$\n"
)


def test_signature_declares_the_argument_and_the_value() -> None:
    system = papermath.compile(SIGNED)
    declared = papermath.compile(
        "$$f(x) = \\tanh(W x + b)$$\n$$x \\in \\mathbb{R}^{D}, f(x) \\in \\mathbb{R}^{L}$$\n"
    )
    assert system.shapes == declared.shapes and system.kinds == declared.kinds
    assert system.shapes["x"] == ("D",) and system.shapes["W"] == ("L", "D")
    said = [r for r in system.readings if r.reading == "the signature of a function"]
    assert said and "x \\in \\mathbb{R}^D" in said[0].reason
    # the value's size is a claim the equations must meet: a clash is refused at the space
    err = refused(SIGNED + "$$W \\in \\mathbb{R}^{K \\times D}$$\n")
    assert "L" in err.message and "K" in err.message
    # a signature with no definition of its function says so, at the signature
    err = refused("a function $g: R^D \\to R^L$ such that $$y = W x$$")
    assert caret(err).startswith("g: R^D") and "no equation g(x)" in err.message


def test_the_mlp_tutorial_is_refused_at_its_transposed_declaration() -> None:
    # the signature declares x in R^D, the text W^(1) in R^{D x D_h}: W^(1) x forces D_h = D
    err = refused(case("lisa_mlp_declared_transpose")["latex"])
    assert caret(err) == "W^{(1)} x" and "D_h" in err.message


def test_a_known_function_defined_as_papermath_computes_it_is_left_out() -> None:
    usual = "tanh(a) = (e^a - e^{-a})/(e^a + e^{-a}), y = tanh(W x)"
    system, plain = papermath.compile(usual), papermath.compile("y = tanh(W x)")
    assert system.shapes == plain.shapes and system.kinds == plain.kinds
    assert any(r.reading == "the source's definition of tanh, left out" for r in system.readings)
    x = np.array([0.3, -1.2])
    w = np.array([[0.5, -0.25], [1.5, 2.0], [-1.0, 0.75]])
    out, _ = system.to_numpy({"d1": 3, "d2": 2}).forward({"W": w}, {"x": x})
    np.testing.assert_allclose(np.ravel(out["y"]), np.tanh(w @ x), rtol=0, atol=1e-15)
    # a formula that is not papermath's function is refused, naming it
    err = refused("sigmoid(a) = 1/(1+e^{-2a}), y = sigmoid(W x)")
    assert caret(err) == "sigmoid(a)" and "own formula for sigmoid" in err.message
