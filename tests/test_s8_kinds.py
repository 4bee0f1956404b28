r"""Kinds the sources decide that papermath printed wrong without refusing (issue 24, brief
KINDS of session 8).

- ``hinge-margin`` (read/rules_constant_words.py): the capsule margin loss's ``m^{+}``,
  ``m^{-}`` and PyTorch's HingeEmbeddingLoss's ``\Delta`` were "target" (data) by the loss
  heuristic of system.py (a bare operand of a loss's sum); the sources call them a margin
  (the case notes: "m^+ and m^- constants", "Delta the margin"). Oracle: the contrastive
  loss's negative term, ``\max(0, m - \|a - b\|_2)^2``, in torch by hand; the margin is no
  parameter of the generated code (it gets no gradient).
- ``prose-constant-words`` (same module): optax's Adadelta, ":math:`\rho` is the decay rate",
  and Spektral's APPNP, "\(\alpha\) is the teleport probability", were learned parameters by
  their Greek letter. Oracle: the running average written by hand in NumPy over 5 steps.
- Words that must not make a constant (a learned rate, the predicted probability), a hinge
  over two bare symbols, and the letter's default where the source says nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import papermath
from wild import measure

WILD = Path(__file__).resolve().parent / "wild" / "cases"


def case(name: str) -> dict[str, Any]:
    return tomllib.loads((WILD / f"{name}.toml").read_text())


# the symbol and the kind each source's own words give it (quoted in the case's text or notes)
SAID = [
    ("labml_capsule_margin_loss", "m_pos", "constant"),  # notes: "m^+ and m^- constants"
    ("labml_capsule_margin_loss", "m_neg", "constant"),
    ("notes_capsnet_readme_key_equations", "m_pos", "constant"),  # "$m^+=0.9$, $m^-=0.1$"
    ("notes_capsnet_readme_key_equations", "m_neg", "constant"),
    ("notes_jianshu_hinge_embedding", "Delta", "constant"),  # `margin=1.0`; "Delta the margin"
    ("pytorch_triplet_margin_loss", "margin", "constant"),  # PyTorch's margin argument
    ("optax_adadelta", "rho", "constant"),  # ":math:`\rho` is the decay rate (typically 0.9)"
    ("spektral_appnpconv", "alpha", "constant"),  # "\(\alpha\) is the teleport probability"
]


@pytest.mark.parametrize(("name", "key", "kind"), SAID)
def test_the_wild_case_reads_right_with_the_kind_its_source_gives(
    name: str, key: str, kind: str
) -> None:
    result = measure.classify(name, case(name))
    assert result.outcome == "read_right", result
    system = papermath.compile(measure.case_latex(name, case(name)))
    assert system.kinds[key] == kind
    assert any(key in r.reason and "constant" in r.reason for r in system.readings)


# ---- hinge-margin ----------------------------------------------------------------------------
CONTRASTIVE = r"L = \max(0, m - \|a - b\|_2)^2, a \in \mathbb{R}^{d}, b \in \mathbb{R}^{d}"


def test_a_margin_in_a_hinge_is_a_constant_and_the_code_agrees_with_torch() -> None:
    system = papermath.compile(CONTRASTIVE)
    assert system.kinds["m"] == "constant"
    gen = system.to_numpy({"d": 4})
    assert gen.PARAM_SHAPES == {}  # nothing learned: the margin is given
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    margin = 2.5
    outputs, _ = gen.forward({}, {"a": a, "b": b, "m": np.array(margin)})
    ta, tb = torch.tensor(a), torch.tensor(b)
    want = torch.clamp(margin - torch.linalg.vector_norm(ta - tb, dim=1), min=0.0) ** 2
    np.testing.assert_allclose(outputs["L"], want.numpy(), rtol=1e-12)


def test_a_hinge_over_two_bare_symbols_decides_nothing() -> None:
    # max(0, y - z): which side is the margin the source does not say; the default stands
    before = papermath.compile(r"L = \max(0, y - z)").kinds
    assert before["y"] != "constant" and before["z"] != "constant"


def test_a_symbol_used_outside_the_hinge_is_no_margin() -> None:
    system = papermath.compile(
        r"L = \max(0, m - \|a - b\|_2) + m^2, a \in \mathbb{R}^{d}, b \in \mathbb{R}^{d}"
    )
    assert system.kinds["m"] != "constant"


# ---- prose-constant-words --------------------------------------------------------------------
AVERAGE = (
    "$$s_t = \\rho s_{t-1} + (1 - \\rho) g_t^2$$\n"
    "where $\\rho$ is the decay rate and $g_t \\in \\mathbb{R}^{d}$ the gradient.\n"
)


def test_a_decay_rate_is_a_constant_and_the_average_agrees_with_numpy() -> None:
    system = papermath.compile(AVERAGE)
    assert system.kinds["rho"] == "constant" and system.kinds["s"] == "state"
    assert any("decay rate" in r.reason for r in system.readings)
    gen = system.to_numpy({"d": 3})
    assert gen.PARAM_SHAPES == {}
    rng = np.random.default_rng(5)
    steps, batch, rho = 5, 2, 0.9
    g = rng.normal(size=(steps, batch, 3))
    outputs, _ = gen.forward({}, {"g": g, "rho": np.array(rho)})
    want = np.zeros((steps, batch, 3))
    s = np.zeros((batch, 3))  # s_0 = 0
    for t in range(steps):
        s = rho * s + (1 - rho) * g[t] ** 2
        want[t] = s
    np.testing.assert_allclose(outputs["s"], want, rtol=1e-12)


@pytest.mark.parametrize("words", ["a learned rate", "the predicted probability", "the gradient"])
def test_other_words_make_no_constant(words: str) -> None:
    system = papermath.compile(AVERAGE.replace("the decay rate", words))
    assert system.kinds["rho"] != "constant"


def test_a_weight_letter_called_a_rate_stays_a_weight() -> None:
    system = papermath.compile(
        "$$h = W x$$\nwhere $W$ is the rate matrix and $x \\in \\mathbb{R}^{n}$.\n"
    )
    assert system.kinds["W"] == "parameter"


# ---- value-given -----------------------------------------------------------------------------
ADAM = (
    "$$v_t = \\beta_1 v_{t-1} + (1 - \\beta_1) g_t$$\n"
    "$$s_t = \\beta_2 s_{t-1} + (1 - \\beta_2) g_t^2$$\n"
    "where $g_t \\in \\mathbb{R}^{d}$. "
    "Common choices are $\\beta_1 = 0.9$ and $\\beta_2 = 0.999$.\n"
)


def test_a_symbol_the_prose_sets_to_a_number_is_a_constant() -> None:
    system = papermath.compile(ADAM)
    assert system.kinds["beta_1"] == system.kinds["beta_2"] == "constant"
    assert papermath.compile(ADAM).to_numpy({"d": 2}).PARAM_SHAPES == {}


def test_d2l_adam_reads_its_betas_as_the_numbers_it_gives() -> None:
    system = papermath.compile(measure.case_latex("d2l_adam", case("d2l_adam")))
    assert system.kinds["beta_1"] == system.kinds["beta_2"] == "constant"
    assert measure.classify("d2l_adam", case("d2l_adam")).outcome == "read_right"


@pytest.mark.parametrize(
    "words",
    [
        "Common choices are $\\beta_1 = 0.9$ and $\\beta_2 = 0.999$ if `fast=True`.",
        "We initialize $\\beta_1 = 0.9$ and $\\beta_2 = 0.999$ and learn them.",
    ],
)
def test_a_conditional_or_initial_value_makes_no_constant(words: str) -> None:
    latex = ADAM.replace("Common choices are $\\beta_1 = 0.9$ and $\\beta_2 = 0.999$.", words)
    assert papermath.compile(latex).kinds["beta_1"] == "parameter"


def test_equinox_layernorm_gamma_set_under_a_condition_stays_learned() -> None:
    # "$\gamma = 1$, $\beta = 0$ if `elementwise_affine=False`": the learned array's value
    # when it is switched off, no constant
    system = papermath.compile(measure.case_latex("equinox_layernorm", case("equinox_layernorm")))
    assert system.kinds["gamma"] == system.kinds["beta"] == "parameter"
