r"""Losses, optimisers and sizes said in prose (issue 24, brief LOSS of session 7).

- ``gate-weight-names`` (read/rules_gate_weights.py): trax's SRU ``f_t = \sigma(Wf x_t + bf)``,
  the weight W_f written with the gate's letter; ``output-size-argument``
  (parse/output_size.py): "n_units: output depth of the SRU layer" declares the output h;
  ``\hbox{activation}(c_t)`` the unnamed activation (read/rules_said_activation.py). Oracle: the
  SRU written by hand in NumPy in this file (the docstring's five equations), over 5 steps.
- ``probability-scalar`` (parse/role_words.py) and ``named-parameter``
  (read/rules_prose_roles.py): Keras's generalized cross entropy, "`p` is the predicted
  probability for the true class", "the parameter q". Oracle: the loss of the GCE paper
  (Zhang & Sabuncu 2018), (1 - p^q) / q, in torch by hand, and its gradient by autograd.
- ``mean-count`` (read/rules_mean_count.py): CS231n's ``L = \frac{1}{N} \sum_i L_i + \lambda
  R(W)`` (paper p25) compiled without dims: N the number of examples, not a learned scalar.
  Oracle: torch.nn.functional.cross_entropy (its mean over the batch) plus lambda times the
  squared Frobenius norm, on batches of two sizes.
- ``example-tensors`` (parse/code_example.py, licensing parse/samples.py): a blog's
  TripletMarginLoss with PyTorch's usage example (``anchor = torch.randn(100, 128)``): a, p, n
  one sample's 128-vectors. Oracle: torch.nn.functional.triplet_margin_loss (p=2, per sample).
- ``argument-role`` (parse/role_words.py): Keras's hinge docstring's ``y_true: The ground truth
  values.``, ``y_pred: The predicted values.``: the refusal of its shapes (``[batch_size, d0,
  .. dN]``, rank left open) stays, and its hint, followed, reads. Oracle: the hinge loss by
  hand in torch (torch.clamp, mean over the last axis).
- ``prose-count`` (read/rules_prose_count.py): "where $d$ is the number of features": d a size,
  a number in the formula. Oracle: W x / sqrt(d) in NumPy by hand, d from dims.
- Cases that must not be read so, each by the words that would make it wrong.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import papermath
from refusals import caret, refused
from wild import measure

WILD = Path(__file__).resolve().parent / "wild" / "cases"
PAPERS = Path(__file__).resolve().parents[2] / "shared" / "corpus_papers"


def case(name: str) -> dict[str, Any]:
    return tomllib.loads((WILD / f"{name}.toml").read_text())


@pytest.mark.parametrize("name", ["trax_sru", "keras_generalized_cross_entropy"])
def test_the_wild_case_reads_with_its_expected_shapes_and_kinds(name: str) -> None:
    result = measure.classify(name, case(name))
    assert result.outcome == "read_right", result


# ---- the SRU ---------------------------------------------------------------------------------
def test_sru_reads_the_gate_weights_and_the_output_depth_and_says_so() -> None:
    system = papermath.compile(case("trax_sru")["latex"])
    said = {r.reading for r in system.readings}
    assert {"one name, W_f", "one name, b_f", "one name, W_r", "one name, b_r"} <= said
    declared = [r for r in system.readings if r.reading == "declaration"]
    assert any("n_units" in r.reason and "h is the output" in r.reason for r in declared)
    assert system.shapes["h"] == system.shapes["x"] == ("n_units",)
    assert system.kinds["c"] == "state" and system.kinds["W_f"] == "parameter"


def test_sru_code_asks_which_activation_and_the_hint_it_gives_works() -> None:
    latex = case("trax_sru")["latex"]
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex).to_numpy({"n_units": 3})
    hint = info.value.hint or ""
    assert "% \\hbox{activation}:" in hint
    papermath.compile(latex + "\n% \\hbox{activation}: tanh\n").to_numpy({"n_units": 3})


def test_sru_against_the_docstring_written_by_hand() -> None:
    latex = case("trax_sru")["latex"] + "\n% \\hbox{activation}: tanh\n"
    gen = papermath.compile(latex).to_numpy({"n_units": 3})
    rng = np.random.default_rng(7)
    params = {k: rng.normal(size=s) for k, s in gen.PARAM_SHAPES.items()}
    steps, batch, n = 5, 2, 3
    x = rng.normal(size=(steps, batch, n))
    outputs, _ = gen.forward(params, {"x": x})

    def sigmoid(z: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-z))

    want = np.zeros((steps, batch, n))
    for b in range(batch):
        c = np.zeros(n)  # c_0 = 0
        for t in range(steps):
            xt = x[t, b]
            y = params["W"] @ xt + params["B"]
            f = sigmoid(params["W_f"] @ xt + params["b_f"])
            r = sigmoid(params["W_r"] @ xt + params["b_r"])
            c = f * c + (1 - f) * y
            want[t, b] = r * np.tanh(c) + (1 - r) * xt
    np.testing.assert_allclose(outputs["h"], want, rtol=1e-12, atol=1e-14)


def test_a_weight_beside_another_letter_is_still_a_product() -> None:
    # Wf in the equation of h, not of f: the matrix W times the value f
    system = papermath.compile(
        r"f = \sigma(V x), h = Wf, x \in \mathbb{R}^{m}, h \in \mathbb{R}^{n}"
    )
    assert system.shapes["W"] == ("n", system.shapes["f"][0])
    assert "W_f" not in system.shapes


def test_an_output_size_with_two_outputs_stays_refused_at_the_line() -> None:
    err = refused("h_t = \\tanh(W x_t)\ny_t = U x_t\n\nn_units: output depth of the layer.\n")
    assert "prose" in err.message and caret(err).startswith("n_units")


# ---- Keras's generalized cross entropy ------------------------------------------------------
def test_gce_reads_p_as_one_probability_and_q_as_a_given_number() -> None:
    system = papermath.compile(case("keras_generalized_cross_entropy")["latex"])
    assert system.shapes["p"] == system.shapes["q"] == system.shapes["loss"] == ()
    assert system.kinds["p"] == "input" and system.kinds["q"] == "constant"
    why = " ".join(r.reason for r in system.readings)
    assert "a probability is one number" in why and "the noise parameter" in why


def test_gce_against_the_loss_by_hand_in_torch() -> None:
    system = papermath.compile(case("keras_generalized_cross_entropy")["latex"])
    gen = system.to_numpy({})
    rng = np.random.default_rng(3)
    p = rng.uniform(0.05, 0.95, size=(6,))
    q = 0.7
    outputs, _ = gen.forward({}, {"p": p, "q": np.array(q)})
    pt = torch.tensor(p, requires_grad=True)
    want = (1 - pt**q) / q
    np.testing.assert_allclose(outputs["loss"], want.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    ("prose", "kind"),
    [
        ("where `q` is a learnable parameter.", "parameter"),  # learned: not a given number
        ("where `q` is a parameter.", "parameter"),  # no word for which: the default stands
        ("where `q` is the scale parameter.", "parameter"),  # a layer's own weight (gamma's)
    ],
)
def test_parameters_said_learned_or_unnamed_keep_the_default(prose: str, kind: str) -> None:
    latex = f"Formula:\n```python\nloss = (1 - p**q) / q\n```\n{prose}\n"
    assert papermath.compile(latex).kinds["q"] == kind


@pytest.mark.parametrize(
    "words",
    [
        "the predicted probabilities",  # plural
        "the predicted probability for each class",  # one per class
        "the predicted probability distribution",
    ],
)
def test_probabilities_of_several_classes_are_not_one_number(words: str) -> None:
    latex = f"Formula:\n```python\nloss = 1 - p\n```\nwhere `p` is {words}.\n"
    assert papermath.compile(latex).shapes["p"] != ()


# ---- the N of a mean: the number of examples --------------------------------------------------
def test_p25_without_dims_reads_n_as_the_count_of_examples_not_a_parameter() -> None:
    latex = tomllib.loads((PAPERS / "p25_softmax_xent_cs231n.toml").read_text())["latex"]
    system = papermath.compile(latex)
    assert "N" not in system.kinds and "N" not in system.shapes
    assert any(r.reading == "the number N of terms the sum over i adds" for r in system.readings)


@pytest.mark.parametrize("batch", [3, 7])
def test_p25_mean_against_torch_cross_entropy(batch: int) -> None:
    latex = tomllib.loads((PAPERS / "p25_softmax_xent_cs231n.toml").read_text())["latex"]
    # the examples read as the nodes of one graph: N, the number of its examples, is given
    gen = papermath.compile(latex).to_numpy({"D": 5, "K": 3, "N": batch})
    rng = np.random.default_rng(batch)
    params = {k: rng.normal(size=s) for k, s in gen.PARAM_SHAPES.items()}
    x, y, lam = rng.normal(size=(batch, 5)), rng.integers(0, 3, size=(batch,)), 0.3
    outputs, _ = gen.forward(params, {"x": x, "y": y, "lambda": np.array(lam)})
    w, b = torch.tensor(params["W"]), torch.tensor(params["b"])
    scores = torch.tensor(x) @ w.T + b
    want = torch.nn.functional.cross_entropy(scores, torch.tensor(y)) + lam * (w**2).sum()
    np.testing.assert_allclose(np.ravel(outputs["L"]), want.item(), rtol=1e-12)


def test_a_mean_over_a_vectors_entries_is_not_a_count_of_examples() -> None:
    system = papermath.compile(r"y = \frac{1}{n} \sum_j x_j, x \in \mathbb{R}^{m}")
    assert not any("terms the sum" in r.reading for r in system.readings)


# ---- a usage example's tensors ---------------------------------------------------------------
def test_triplet_reads_one_samples_vectors_from_the_example_and_says_so() -> None:
    system = papermath.compile(case("notes_jianshu_triplet_image_alt")["latex"])
    assert system.shapes["a"] == system.shapes["p"] == system.shapes["n"] == ("128",)
    assert system.shapes["L"] == ()
    why = " ".join(r.reason for r in system.readings)
    assert "the example passes matrices whose rows are samples" in why
    assert "is passed as a" in why


def test_triplet_against_torch_triplet_margin_loss() -> None:
    latex = case("notes_jianshu_triplet_image_alt")["latex"]
    # the norm's degree p (PyTorch's p=2.0 in the example's constructor): code wants it written
    gen = papermath.compile(latex.replace(r"\right\rVert_p", r"\right\rVert_2")).to_numpy({})
    rng = np.random.default_rng(11)
    a, p, n = (rng.normal(size=(5, 128)) for _ in range(3))
    outputs, _ = gen.forward({}, {"a": a, "p": p, "n": n, "margin": np.array(1.0)})
    want = torch.nn.functional.triplet_margin_loss(
        *(torch.tensor(v) for v in (a, p, n)), margin=1.0, p=2, eps=0.0, reduction="none"
    )
    np.testing.assert_allclose(outputs["L"], want.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "example",
    [
        # two calls that pass three tensors: which is the loss's is not said
        "anchor = torch.randn(100, 128)\npositive = torch.randn(100, 128)\n"
        "negative = torch.randn(100, 128)\nout = f(anchor, positive, negative)\n"
        "out2 = g(negative, positive, anchor)\n",
        # a tensor of another number of rows: not one batch of samples
        "anchor = torch.randn(100, 128)\npositive = torch.randn(100, 128)\n"
        "negative = torch.randn(50, 128)\nout = f(anchor, positive, negative)\n",
        # two tensors for a function of three arguments
        "anchor = torch.randn(100, 128)\npositive = torch.randn(100, 128)\n"
        "out = f(anchor, positive)\n",
    ],
)
def test_an_example_that_does_not_say_which_tensor_is_which_declares_nothing(example: str) -> None:
    latex = (
        "$$L(a, p, n) = \\max \\{\\|a_i - p_i\\| - \\|a_i - n_i\\| + 1, 0\\}$$\n\n"
        f"```python\n{example}```\n"
    )
    err = refused(latex)
    assert "a_i" in err.message and caret(err) == "a_i"


# ---- Keras's hinge: declared in the notation, reads ------------------------------------------
def test_keras_hinge_declared_in_the_notation_reads() -> None:
    latex = case("keras_hinge_function")["latex"]
    # (its words `[batch_size, d0, .. dN]` now read too: rule keras-shape-words,
    # tests/test_s8_loss2.py); one example's value declared, the sentences deleted:
    followed = (
        latex.replace(" with shape = `[batch_size, d0, .. dN]`.", ".")
        .replace(" with shape = `[batch_size, d0, .. dN-1]`.", ".")
        .rstrip()
        + "\n% y_true \\in \\mathbb{R}^{n}\n"
    )
    system = papermath.compile(followed)
    assert system.kinds["y_true"] == "target" and system.kinds["y_pred"] == "input"
    assert system.shapes["y_pred"] == ("n",) and system.shapes["loss"] == ()
    # the code's mean(...) divides by N, its number of entries: given as n's value here
    gen = system.to_numpy({"n": 4, "N": 4})
    rng = np.random.default_rng(2)
    y_true = rng.choice([-1.0, 1.0], size=(6, 4))
    y_pred = rng.normal(size=(6, 4))
    outputs, _ = gen.forward({}, {"y_true": y_true, "y_pred": y_pred})
    want = torch.clamp(1 - torch.tensor(y_true) * torch.tensor(y_pred), min=0).mean(dim=-1)
    np.testing.assert_allclose(outputs["loss"], want.numpy(), rtol=1e-12)


# ---- a count said in prose ---------------------------------------------------------------------
def test_a_count_said_in_prose_is_a_size_and_a_number_in_the_formula() -> None:
    latex = (
        "$$y = \\frac{1}{\\sqrt{d}} W x$$\n"
        "where $d$ is the number of features and $x \\in \\mathbb{R}^{m}$.\n"
    )
    system = papermath.compile(latex)
    assert "d" not in system.kinds and system.shapes["x"] == ("m",)
    gen = system.to_numpy({"m": 3, system.shapes["y"][0]: 2, "d": 9})
    rng = np.random.default_rng(4)
    params = {k: rng.normal(size=s) for k, s in gen.PARAM_SHAPES.items()}
    x = rng.normal(size=(5, 3))
    outputs, _ = gen.forward(params, {"x": x})
    np.testing.assert_allclose(outputs["y"], x @ params["W"].T / 3.0, rtol=1e-12)


def test_a_count_the_equations_define_stays_their_value() -> None:
    latex = "$$y = \\frac{W x}{n}, n = 1 + \\lambda$$\nwhere $n$ is the number of steps.\n"
    assert papermath.compile(latex).kinds["n"] == "intermediate"
    assert not any(
        r.reading == "the size n, as the prose says" for r in papermath.compile(latex).readings
    )


def test_an_update_without_a_step_is_not_read_as_a_gate_weight() -> None:
    # h <- Wh: W times the old h (an update in place), never a weight named W_h
    err = refused(r"h \leftarrow Wh, h \in \mathbb{R}^{n}")
    assert "W_h" not in err.message and "update" in err.message
