r"""Cases on a label, a batch's values listed, a flag at its default (issue 24, brief LOSS2 of
session 8).

- ``cases-label`` (parse/label_cases.py, read/rules_label_cases.py): PyTorch's
  HingeEmbeddingLoss, ``l_n = \begin{cases} x_n, & \text{if}\; y_n = 1,\\ \max \{0, \Delta -
  x_n\}, & \text{if}\; y_n = -1 \end{cases}``, a selection by the label's value. Oracles:
  torch.nn.functional.hinge_embedding_loss (reduction='none') on the generated NumPy and torch
  code; torch.where written here for three rows with "otherwise"; ``papermath check``.
- ``listed-batch`` (read/rules_listed_batch.py): ``L = \{l_1,\dots,l_N\}^\top`` the batch's
  l_n as a vector of N, ``\operatorname{mean}(L)`` the mean over the batch (shapes; code for the
  vector refused by name).
- ``cases-flag-default`` (parse/flag_default.py, read/rules_flag_default.py): ``\text{if
  reduction} = \text{'mean'}`` rows read at the default the quoted signature gives
  (``reduction='mean'``); with no default, or two, still refused.
- The wild case ``notes_jianshu_hinge_embedding`` reads with its expected shapes and kinds.
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
from wild import measure

WILD = Path(__file__).parent / "wild" / "cases"

# PyTorch's HingeEmbeddingLoss docstring's cases, one example's values a vector of n
HINGE = (
    "$$l = \\begin{cases} x, & \\text{if}\\; y = 1,\\\\ \\max \\{0, \\Delta - x\\}, & "
    "\\text{if}\\; y = -1, \\\\ \\end{cases}$$\n"
    "$$x \\in \\mathbb{R}^{n}, \\Delta \\in \\mathbb{R}$$\n"
)


def case(name: str) -> dict[str, Any]:
    return tomllib.loads((WILD / f"{name}.toml").read_text())


def _hinge_inputs() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(scale=2.0, size=(4, 6))
    y = rng.choice([-1.0, 1.0], size=(4, 6))
    x[0, :2] = [0.7, 0.7]  # on the margin
    y[0, :2] = [1.0, -1.0]
    return x, y


def test_cases_on_the_label_equal_torch_hinge_embedding_loss() -> None:
    system = papermath.compile(HINGE)
    assert system.shapes["l"] == ("n",) and system.shapes["Delta"] == ()
    assert system.kinds["y"] == "target" and system.kinds["x"] == "input"
    x, y = _hinge_inputs()
    want = F.hinge_embedding_loss(
        torch.tensor(x), torch.tensor(y), margin=0.7, reduction="none"
    ).numpy()
    out, _ = system.to_numpy({"n": 6}).forward({"Delta": np.array(0.7)}, {"x": x, "y": y})
    np.testing.assert_allclose(out["l"], want, atol=1e-12, rtol=0)
    module = system.to_torch({"n": 6}, dtype=torch.float64)
    with torch.no_grad():
        module.Delta.fill_(0.7)
    got = module(x=torch.tensor(x), y=torch.tensor(y))["l"]
    np.testing.assert_allclose(got.detach().numpy(), want, atol=1e-12, rtol=0)
    said = [r for r in system.readings if r.reading == "definition by cases on a label's value"]
    assert said and "y = -1" in said[0].reason and "target data" in said[0].reason


def test_check_passes_on_the_hinge_cases() -> None:
    results = check(papermath.compile(HINGE), seed=2)
    assert results and all(r.ok for r in results), results


def test_three_rows_and_otherwise_select_as_torch_where() -> None:
    source = (
        "$$z = \\begin{cases} x, & \\text{if } c = 0 \\\\ 2 x, & \\text{if } c = 1 \\\\ "
        "-x, & \\text{otherwise} \\end{cases}$$\n$$x \\in \\mathbb{R}^{n}$$\n"
    )
    system = papermath.compile(source)
    assert system.kinds["c"] == "target"
    rng = np.random.default_rng(1)
    x, c = rng.normal(size=(3, 5)), rng.integers(0, 3, size=(3, 5)).astype(float)
    tx, tc = torch.tensor(x), torch.tensor(c)
    want = torch.where(tc == 0, tx, torch.where(tc == 1, 2 * tx, -tx)).numpy()
    out, _ = system.to_numpy({"n": 5}).forward({}, {"x": x, "c": c})
    np.testing.assert_allclose(out["z"], want, atol=1e-12, rtol=0)


def test_cases_on_a_step_index_are_no_label() -> None:
    source = (
        "$$h_t = \\begin{cases} 0, & \\text{if } t = 0 \\\\ \\tanh(W h_{t-1} + U x_t), & "
        "\\text{if } t = 1 \\end{cases}$$\n$$x_t \\in \\mathbb{R}^{m}$$\n"
    )
    err = refused(source)  # the step index is no value (the reader says so first)
    assert caret(err) == "t" and ("step index" in err.message or "not a label" in err.message)


LISTED = (
    "$$l_n = \\max \\{0, 1 - x_n\\}$$\n$$L = \\{l_1,\\dots,l_N\\}^\\top$$\n"
    "$$J = \\operatorname{mean}(L)$$\n"
)


def test_the_listed_batch_is_a_vector_of_n_and_its_mean_one_number() -> None:
    system = papermath.compile(LISTED)
    assert system.shapes["L"] == ("N",)
    assert system.shapes["l"] == () and system.shapes["x"] == ()
    assert system.shapes["J"] == ()
    readings = {r.reading for r in system.readings}
    assert "the vector of the batch's l_n" in readings and "the mean over the batch" in readings
    assert "batch index n" in readings
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"N": 3})
    assert "for its shape only" in info.value.message and info.value.hint


def test_a_list_with_no_equation_for_its_member_stays_refused() -> None:
    err = refused("$$L = \\{l_1,\\dots,l_N\\}^\\top + x$$\n")
    assert "lists values one by one" in (err.hint or "")


SIGNATURE = "```\nclass Loss(margin=1.0, reduction='mean')\n```\n\n"
FLAGGED = (
    "$$\\ell = \\begin{cases} \\operatorname{mean}(L), & \\text{if reduction} = "
    "\\text{'mean';}\\\\ \\operatorname{sum}(L), & \\text{if reduction} = \\text{'sum'.} "
    "\\end{cases}$$\n"
)


def test_a_flag_reads_at_the_default_the_signature_gives() -> None:
    listed = LISTED.replace("$$J = \\operatorname{mean}(L)$$\n", "")
    system = papermath.compile(SIGNATURE + listed + FLAGGED)
    said = [r for r in system.readings if "the source's default" in r.reading]
    assert said and "reduction='mean'" in said[0].reason and "'sum'" in said[0].reason
    assert system.shapes["ell"] == ()
    assert any(r.reading == "the mean over the batch" for r in system.readings)


@pytest.mark.parametrize(
    "before",
    [
        "",  # no signature: which setting, the source does not say
        "```\nclass A(reduction='mean')\nclass B(reduction='sum')\n```\n\n",  # two defaults
    ],
)
def test_a_flag_with_no_one_default_stays_refused(before: str) -> None:
    err = refused(before + LISTED.replace("$$J = \\operatorname{mean}(L)$$\n", "") + FLAGGED)
    assert "on a flag of the code" in err.message and caret(err) == "\\begin{cases}"


def test_the_wild_case_reads_with_its_expected_shapes_and_kinds() -> None:
    name = "notes_jianshu_hinge_embedding"
    result = measure.classify(name, case(name))
    assert result.outcome == "read_right", result


# ---- a conditional on a label written as code (Keras' focal loss's p_t) ------------------------
FOCAL_PT = (
    "```python\np_t = output if y_true == 1, else 1 - output\n```\n\n"
    "$$\\text{output} \\in \\mathbb{R}^{n}$$\n"
)


def test_a_conditional_in_code_selects_by_the_label_as_torch_where() -> None:
    system = papermath.compile(FOCAL_PT)
    assert system.kinds["y_true"] == "target" and system.shapes["p_t"] == ("n",)
    said = [r for r in system.readings if r.reading == "a conditional on a label's value (code)"]
    assert said and "y_true == 1" in said[0].reason
    rng = np.random.default_rng(3)
    out_value = rng.uniform(0.05, 0.95, size=4)
    y = rng.choice([0.0, 1.0], size=(5, 4))
    gen = system.to_numpy({"n": 4})
    got, _ = gen.forward({"output": out_value}, {"y_true": y})
    t_out, t_y = torch.tensor(out_value), torch.tensor(y)
    want = torch.where(t_y == 1, t_out, 1 - t_out).numpy()
    np.testing.assert_allclose(got["p_t"], want, atol=1e-12, rtol=0)


@pytest.mark.parametrize(
    ("line", "at"),
    [
        ("p_t = output if y_true > 1 else 1 - output", "if"),  # a comparison, not a value
        ("p_t = output if y_true == a else 1 - output", "if"),  # a name, not a number
    ],
)
def test_other_conditionals_in_code_stay_refused(line: str, at: str) -> None:
    err = refused(f"```python\n{line}\n```\n")
    assert caret(err) == at and "conditional expression" in err.message


# ---- Keras' shapes in words: [batch_size, d0, .. dN] ------------------------------------------
KERAS_HINGE = case("keras_hinge_function")["latex"]


def test_keras_words_declare_a_batch_by_the_last_axis_and_the_mean_is_per_row() -> None:
    system = papermath.compile(KERAS_HINGE)
    assert system.shapes["y_true"] == ("batch_size", "dN") == system.shapes["y_pred"]
    assert system.shapes["loss"] == ("batch_size",)
    assert system.kinds["y_true"] == "target" and system.kinds["y_pred"] == "input"
    readings = {r.reading for r in system.readings}
    assert "a shape in Keras' words" in readings and "mean over the last axis, each row" in readings
    # keras.losses.hinge by hand in torch: mean(clamp(1 - y_true * y_pred, 0), axis=-1)
    gen = system.to_numpy({"batch_size": 3, "dN": 4})
    rng = np.random.default_rng(5)
    # the batch_size axis is the samples' (the generated code's layout says so)
    y_true = rng.choice([-1.0, 1.0], size=(3, 4))
    y_pred = rng.normal(size=(3, 4))
    got, _ = gen.forward({}, {"y_true": y_true, "y_pred": y_pred})
    want = torch.clamp(1 - torch.tensor(y_true) * torch.tensor(y_pred), min=0).mean(dim=-1)
    np.testing.assert_allclose(got["loss"], want.numpy(), rtol=1e-12, atol=1e-12)
    results = check(system, seed=1)
    assert results and all(r.ok for r in results), results


def test_a_shape_in_other_words_stays_refused() -> None:
    err = refused(
        KERAS_HINGE.replace(
            "`[batch_size, d0, .. dN]`.\n        y_pred", "`[batch_size, d0]`.\n        y_pred"
        )
    )
    assert caret(err) == "[batch_size, d0]" and "prose gives the shape" in err.message


def test_the_keras_wild_case_reads_right() -> None:
    result = measure.classify("keras_hinge_function", case("keras_hinge_function"))
    assert result.outcome == "read_right", result


def test_the_listed_batch_refusal_hint_followed_equals_torch_mean_reduction() -> None:
    """The code refusal's hint (the reduction in the vector's place, one example's value
    declared), followed on the docstring's cases, is torch's HingeEmbeddingLoss (mean)."""
    system = papermath.compile(
        SIGNATURE + LISTED.replace("$$J = \\operatorname{mean}(L)$$\n", "") + FLAGGED
    )
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"N": 3})
    assert "\\frac{1}{N} \\sum_{n=1}^{N} l_n" in (info.value.hint or "")
    followed = HINGE.replace("l = ", "l_n = ").replace("x,", "x_n,").replace("y = ", "y_n = ")
    followed = followed.replace("\\Delta - x\\}", "\\Delta - x_n\\}").replace(
        "x \\in \\mathbb{R}^{n}", "x_n \\in \\mathbb{R}"
    )
    followed += "$$\\ell = \\frac{1}{N} \\sum_{n=1}^{N} l_n$$\n"
    system = papermath.compile(followed)
    assert system.shapes["ell"] == () and system.shapes["x"] == ()
    x, y = _hinge_inputs()
    x, y = x[0], y[0]  # one batch of 6 examples, one number each
    out, _ = system.to_numpy({}).forward({}, {"x": x, "y": y, "Delta": np.full(6, 0.7)})
    want = F.hinge_embedding_loss(torch.tensor(x), torch.tensor(y), margin=0.7)
    np.testing.assert_allclose(out["ell"], want.item(), rtol=1e-12)
