r"""Losses and optimisers written as their sources write them (issue 24, cluster LOSS).

- ``cut-end`` (parse/cut_end.py): optax's AdaBelief docstring, cut before ``\end{align*}``:
  the environment closes where the text ends. Oracle: AdaBelief's update written by hand in
  NumPy in this file (the formula of optax's docstring), over 6 steps.
- ``named-loss`` (read/rules_named_loss.py): d2l's "the loss function is $l$ ... $L = l(o,
  y)$": l(o, y) a scalar, y the target; code refused by name. Oracle: the case's expected
  shapes and kinds (tests/wild/cases, written from the source by hand).
- ``code-loop-cases`` (parse/code_loops.py): Keras' Huber docstring, a Python loop with
  if/elif appending to a list, then ``loss = mean(loss, axis=-1)``. Oracle:
  torch.nn.functional.huber_loss; ``papermath check`` (finite differences, torch autograd).
- ``greek-constant-terms`` (shapes/rules_greek_terms.py): ``0.5 * delta**2`` beside a vector
  in a sum is a number. Oracle: NumPy by hand.
- ``digit-names`` (read/rules_digit_names.py) and ``minibatch-words`` (parse/minibatch_prose.py):
  a blog's MarginRankingLoss, ``\text{loss}(x1, x2, y)`` with "1D mini-batch" bullets. Oracle:
  torch.nn.functional.margin_ranking_loss; ``papermath check``.
- ``value-powers`` (read/rules_value_powers.py, primitive ``power``): ``(1 - p)^\gamma``,
  ``p**q`` in code. Oracles: torch by hand, ``papermath check``.
- definitions by cases that stay refused say what they are (parse/cases.py ``refusal``): a
  brace around equations, a flag of the code, a label's value; the label hint's formula is
  checked against torch.nn.functional.hinge_embedding_loss.
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

WILD = Path(__file__).resolve().parent / "wild" / "cases"


def case(name: str) -> dict[str, Any]:
    return tomllib.loads((WILD / f"{name}.toml").read_text())


@pytest.mark.parametrize("name", ["optax_adabelief", "d2l_backprop_forward", "keras_huber"])
def test_the_wild_case_reads_with_its_expected_shapes_and_kinds(name: str) -> None:
    result = measure.classify(name, case(name))
    assert result.outcome == "read_right", result


# ---- cut-end -------------------------------------------------------------------------------
def test_an_environment_cut_at_the_end_of_the_text_closes_there_and_says_so() -> None:
    system = papermath.compile(case("optax_adabelief")["latex"])
    said = [r for r in system.readings if r.reading == "an environment closed where the text ends"]
    assert len(said) == 1 and said[0].subject == "\\begin{align*}"
    assert system.kinds["m"] == system.kinds["s"] == "state"


def test_adabelief_against_its_update_written_by_hand() -> None:
    system = papermath.compile(case("optax_adabelief")["latex"])
    size = system.shapes["g"][0]
    steps, d = 6, 4
    rng = np.random.default_rng(5)
    g = rng.normal(size=(steps, 1, d))
    a, b1, b2, eps, eps_bar = 0.1, 0.9, 0.99, 1e-8, 1e-16
    # the prose: beta_1, beta_2, the epsilons "represent the arguments": constants, given
    inputs = {"g": g, "alpha": np.full((steps, 1), a)}
    inputs |= {"beta_1": np.array(b1), "beta_2": np.array(b2)}
    inputs |= {"varepsilon": np.array(eps), "varepsilon_bar": np.array(eps_bar)}
    gen = system.to_numpy({size: d})
    outputs, _ = gen.forward({}, inputs, {})
    # optax's docstring, step by step (m_0 = s_0 = 0, t from 1)
    m, s, want = np.zeros(d), np.zeros(d), []
    for t in range(1, steps + 1):
        m = b1 * m + (1 - b1) * g[t - 1, 0]
        s = b2 * s + (1 - b2) * (g[t - 1, 0] - m) ** 2 + eps_bar
        m_hat, s_hat = m / (1 - b1**t), s / (1 - b2**t)
        want.append(-a * m_hat / (np.sqrt(s_hat) + eps))
    np.testing.assert_allclose(outputs["u"][:, 0], np.stack(want), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    ("source", "at"),
    [
        # two environments open at the end
        ("\\begin{align*}\n\\begin{aligned}\n  y &= W x\n", "\\begin{aligned}"),
        # a matrix left open is no excerpt of equations
        ("y = \\begin{bmatrix} a \\\\ b\n", "\\begin{bmatrix}"),
        # a formula typed without its \end: no .. math:: block that the excerpt was cut in
        ("\\begin{align} y &= W x", "\\begin{align}"),
        # a .. math:: block with two environments open
        (".. math::\n\n  \\begin{align*}\n  \\begin{aligned}\n  y &= W x\n", "\\begin{aligned}"),
    ],
)
def test_other_environments_left_open_stay_refused(source: str, at: str) -> None:
    err = refused(source)
    assert "never closed" in err.message and caret(err) == at and err.hint


# ---- named-loss ----------------------------------------------------------------------------
NAMED = (
    "Assuming that the loss function is $l$ and the label is $y$,\n"
    "$$L = l(o, y) + s, o = W x$$\n$$s = \\lambda \\|W\\|^2$$\n"
)


def test_a_function_the_prose_calls_the_loss_gives_a_scalar_and_its_label_is_a_target() -> None:
    system = papermath.compile(NAMED)
    assert system.shapes["L"] == () and system.kinds["y"] == "target"
    assert len(system.shapes["o"]) == 1 and system.kinds["x"] == "input"
    assert "l" not in system.kinds  # not a learnable function: no weights
    said = [r for r in system.readings if r.reading.startswith("a loss the source names")]
    assert len(said) == 1 and "loss function is $l$" in said[0].reason


def test_code_for_a_named_loss_is_refused_at_the_call() -> None:
    system = papermath.compile(NAMED)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({system.shapes["o"][0]: 3, system.shapes["x"][0]: 2})
    assert caret(info.value) == "l(o, y)" and "define it" in (info.value.hint or "")


@pytest.mark.parametrize(
    "prose",
    [
        "",  # nothing says l is a loss: a learnable map, whose output is a vector
        "Assuming that the loss function is $f$ and the label is $y$,\n",  # another name
    ],
)
def test_without_the_prose_naming_it_the_call_stays_a_learnable_map(prose: str) -> None:
    source = NAMED.replace(NAMED.split("\n")[0] + "\n", prose)
    err = refused(source)
    assert caret(err) == "l(o, y)" and "learnable function" in (err.hint or "")
    assert "scalar against a vector of free size" in err.message  # not "(free)"


# ---- code-loop-cases -----------------------------------------------------------------------
HUBER = case("keras_huber")["latex"]


def test_the_huber_loop_reads_as_a_selection_and_says_so() -> None:
    system = papermath.compile(HUBER)
    assert system.shapes["loss"] == () and system.shapes["delta"] == ()
    assert len(system.shapes["error"]) == 1
    said = {r.reading: r.reason for r in system.readings}
    assert "for x in error" in said["a list built in a loop, as a vector"]
    assert "otherwise" in said["definition by cases"]


@pytest.mark.parametrize("backend", ["numpy", "torch"])
@pytest.mark.parametrize("delta", [1.0, 0.5])
def test_the_huber_loop_against_torch_huber_loss(backend: str, delta: float) -> None:
    system = papermath.compile(HUBER)
    assert system.kinds["error"] == "input" and system.kinds["delta"] == "parameter"
    n = system.shapes["error"][0]
    rng = np.random.default_rng(1)
    error = rng.normal(scale=1.5, size=(6, 5))
    error[0, :2] = [delta, -delta]  # on the boundary: |x| <= delta picks the square
    zeros = torch.zeros(6, 5, dtype=torch.float64)
    want = F.huber_loss(torch.tensor(error), zeros, reduction="none", delta=delta).mean(dim=-1)
    if backend == "numpy":
        out, _ = system.to_numpy({n: 5}).forward({"delta": np.array(delta)}, {"error": error})
        got = out["loss"]
    else:
        module = system.to_torch({n: 5}, dtype=torch.float64)
        with torch.no_grad():
            module.delta.copy_(torch.tensor(delta, dtype=torch.float64))
        got = module(error=torch.tensor(error))["loss"].detach().numpy()
    np.testing.assert_allclose(got, want.numpy(), rtol=1e-12, atol=1e-12)


def test_check_passes_on_the_huber_loop() -> None:
    system = papermath.compile(HUBER)
    results = check(system, seed=2)
    assert results and all(r.ok for r in results), results


LOOP = (
    "```python\nfor x in error:\n    if abs(x) <= delta:\n        loss.append({a})\n"
    "    {kw}:\n        loss.append({b})\n\nloss = {after}\n```\n"
)


def loop(
    a: str = "0.5 * x**2",
    kw: str = "else",
    b: str = "delta * abs(x)",
    after: str = "mean(loss, axis=-1)",
) -> str:
    return LOOP.format(a=a, kw=kw, b=b, after=after)


def test_else_reads_as_the_opposite_branch() -> None:
    system = papermath.compile(loop())
    assert system.shapes["loss"] == () and system.shapes["delta"] == ()


@pytest.mark.parametrize(
    "source",
    [
        loop(kw="elif abs(x) < delta"),  # not the opposite comparison: a value left undefined
        loop(kw="elif abs(x) > 2 * delta"),  # the opposite operator, other values
        loop(a="sum(x)"),  # a reduction of the entry: not entry by entry
        loop(b="loss"),  # the list inside its own entries
        loop(after="mean(loss, axis=-1) + sum(loss)"),  # the list named twice after
        loop(after="mean(error, axis=-1)"),  # the list never used
    ],
)
def test_loops_of_other_shapes_stay_refused_at_the_for(source: str) -> None:
    err = refused(source)
    assert caret(err) == "for" and "a loop (for ...)" in err.message and err.hint


# ---- greek-constant-terms ------------------------------------------------------------------
def test_arithmetic_of_greek_constants_beside_a_vector_is_a_number() -> None:
    source = "```python\nloss = mean(abs(error) - 0.5 * delta**2, axis=-1)\n```\n"
    system = papermath.compile(source)
    assert system.shapes["delta"] == () and len(system.shapes["error"]) == 1
    n = system.shapes["error"][0]
    error = np.random.default_rng(3).normal(size=(4, 3))
    delta = 0.7
    gen = system.to_numpy({n: 3})
    ps = {"delta": np.array(delta)} if system.kinds["delta"] == "parameter" else {}
    data = {"error": error} | ({} if ps else {"delta": np.array(delta)})
    if system.kinds["error"] == "parameter":
        ps["error"] = error[0]
        data.pop("error")
        want = np.mean(np.abs(error[0]) - 0.5 * delta**2)
    else:
        want = np.mean(np.abs(error) - 0.5 * delta**2, axis=-1)
    out, _ = gen.forward(ps, data)
    np.testing.assert_allclose(out["loss"], want, rtol=1e-12)


def test_a_greek_letter_an_equation_defines_is_not_a_number_by_its_letter() -> None:
    # mu is computed here (a vector), so mu * mu beside x takes x's shape
    system = papermath.compile("z = x - \\mu \\odot \\mu\n\\mu = W x\nx \\in \\mathbb{R}^{n}")
    assert system.shapes["mu"] == ("n",)


# ---- digit-names and minibatch-words -------------------------------------------------------
MARGIN = case("notes_jianshu_margin_ranking")["latex"]


def test_the_margin_ranking_loss_reads_its_names_and_its_words() -> None:
    system = papermath.compile(MARGIN)
    assert system.shapes["x_1"] == system.shapes["x_2"] == system.shapes["y"] == ()
    assert system.kinds["y"] == "target" and system.kinds["x_1"] == "input"
    said = {r.reading for r in system.readings}
    assert {"one name, x_1", "one name, x_2"} <= said


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_the_margin_ranking_loss_against_torch(backend: str) -> None:
    system = papermath.compile(MARGIN)
    rng = np.random.default_rng(4)
    x1, x2 = rng.normal(size=8), rng.normal(size=8)
    y = rng.choice([-1.0, 1.0], size=8)
    margin = 0.3
    want = F.margin_ranking_loss(
        torch.tensor(x1), torch.tensor(x2), torch.tensor(y), margin=margin, reduction="none"
    ).numpy()
    data = {"x_1": x1, "x_2": x2, "y": y, "margin": np.array(margin)}
    # the margin, added inside max(0, .), is a number of the loss (read/rules_constant_words.py)
    assert all(system.kinds[k] in ("input", "target") for k in data if k != "margin")
    assert system.kinds["margin"] == "constant"
    if backend == "numpy":
        out, _ = system.to_numpy({}).forward({}, data)
        got = out["loss"]
    else:
        module = system.to_torch({}, dtype=torch.float64)
        got = module(**{k: torch.tensor(v) for k, v in data.items()})["loss"].detach().numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_check_passes_on_the_margin_ranking_loss() -> None:
    system = papermath.compile(MARGIN)
    results = check(system, seed=1)
    assert results and all(r.ok for r in results), results


def test_a_name_with_a_digit_written_with_a_space_stays_refused() -> None:
    err = refused("\\text{loss}(x 1, x2) = \\max(0, x 1 - x2)")
    assert caret(err) == "x 1" and "x times 1" in err.message


def test_words_about_a_name_the_equations_do_not_write_declare_nothing() -> None:
    source = MARGIN.replace("`y`: a label", "`z`: a label")
    system = papermath.compile(source)
    assert "z" not in system.shapes and system.kinds["y"] != "target"


# ---- definitions by cases that stay refused, said precisely -------------------------------
# a flag of the code with no settings written (optax's sgd writes nesterov = False / True and
# now reads for its shapes: rule forms-of-a-flag, test below)
EQUATION_COLUMNS = (
    "$$\\begin{cases} h &= W x & \\text{(state)} \\\\ y &= V h & \\text{(output)} \\end{cases}$$"
)
FLAG_ALONE = (
    "$$u = \\begin{cases} -a m & \\text{ if } \\texttt{nesterov} \\\\ "
    "-a (g + m) & \\text{ otherwise } \\end{cases}$$"
)


@pytest.mark.parametrize(
    ("name", "words", "hint"),
    [
        ("", "on a flag of the code", "the form the model uses"),
        # equations with a second column (a brace around equations reads: rule
        # cases-brace-system, tests/test_s9_GRAPH4.py)
        (EQUATION_COLUMNS, "braces a system of equations", "without the brace"),
    ],
)
def test_cases_not_read_say_what_they_are(name: str, words: str, hint: str) -> None:
    if name.startswith("$$"):
        source = name
    else:
        source = measure.case_latex(name, case(name)) if name else FLAG_ALONE
    err = refused(source)
    assert caret(err) == "\\begin{cases}" and words in err.message and hint in (err.hint or "")


def test_optax_sgd_forms_on_a_flag_read_with_their_expected_shapes() -> None:
    result = measure.classify("optax_sgd", case("optax_sgd"))
    assert result.outcome == "read_right", result


def test_the_label_formula_the_hint_gives_is_torch_hinge_embedding_loss() -> None:
    # the hint's formula, read, equals torch's loss for labels in {1, -1}
    source = (
        "l = \\frac{1 + y}{2} x + \\frac{1 - y}{2} \\max(0, \\Delta - x)\n"
        "% inputs: x\n% targets: y\nx \\in \\mathbb{R}^{n}, y \\in \\mathbb{R}^{n}\n"
    )
    system = papermath.compile(source)
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=(3, 5)), rng.choice([-1.0, 1.0], size=(3, 5))
    out, _ = system.to_numpy({"n": 5}).forward({"Delta": np.array(1.0)}, {"x": x, "y": y})
    want = F.hinge_embedding_loss(torch.tensor(x), torch.tensor(y), margin=1.0, reduction="none")
    np.testing.assert_allclose(out["l"], want.numpy(), rtol=1e-12, atol=1e-12)


# ---- value-powers --------------------------------------------------------------------------
FOCAL = "% inputs: p\nL = -(1 - p)^\\gamma \\log(p)\np \\in \\mathbb{R}^{n}"


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_a_power_by_a_value_against_the_focal_factor_by_hand(backend: str) -> None:
    system = papermath.compile(FOCAL)
    assert system.shapes["gamma"] == () and system.kinds["gamma"] == "parameter"
    assert any(r.reading == "a power by a value" for r in system.readings)
    p = np.random.default_rng(2).uniform(0.05, 0.95, size=(4, 3))
    gamma = 2.5
    want = -((1 - torch.tensor(p)) ** gamma) * torch.log(torch.tensor(p))
    if backend == "numpy":
        out, _ = system.to_numpy({"n": 3}).forward({"gamma": np.array(gamma)}, {"p": p})
        got = out["L"]
    else:
        module = system.to_torch({"n": 3}, dtype=torch.float64)
        with torch.no_grad():
            module.gamma.copy_(torch.tensor(gamma, dtype=torch.float64))
        got = module(p=torch.tensor(p))["L"].detach().numpy()
    np.testing.assert_allclose(got, want.numpy(), rtol=1e-12)


def test_check_passes_on_a_power_by_a_value() -> None:
    # a positive base: the gradient into the exponent is a^b log a
    system = papermath.compile("% inputs: x\ny = (1 + x^2)^\\gamma\nx \\in \\mathbb{R}^{n}")
    results = check(system, seed=5)
    assert results and all(r.ok for r in results), results
    assert {r.key for r in results} >= {"gamma", "x"}


def test_a_power_by_a_name_in_code() -> None:
    system = papermath.compile("```python\nloss = (1 - p**q) / q\n```\n")
    assert system.shapes["q"] == ()
    n = system.shapes["p"][0]
    p = np.random.default_rng(3).uniform(0.1, 0.9, size=4)
    out, _ = system.to_numpy({n: 4}).forward({"p": p, "q": np.array(0.7)}, {})
    np.testing.assert_allclose(out["loss"], (1 - p**0.7) / 0.7, rtol=1e-12)


@pytest.mark.parametrize(
    ("source", "at", "words"),
    [
        # optax's noisy SGD: t the number of the step, used as a value (its noise N(0, ...)
        # named n_t: the noise written as a value is refused first, tests/test_s9_GRAPH4.py)
        (
            case("optax_noisy_sgd")["latex"].replace("N(0, \\sigma_t^2)", "n_t"),
            "t",
            "as a value",
        ),
        # an exponent that is a vector
        ("y = (1 + x)^\\gamma\nx, \\gamma \\in \\mathbb{R}^{n}", "", "exponent"),
        # an expression as the exponent, in code
        ("```python\nloss = p ** (q + 1)\n```\n", "(q + 1)", "exponent is not a number"),
    ],
)
def test_powers_that_stay_refused(source: str, at: str, words: str) -> None:
    err = refused(source)
    assert words in err.message and err.hint is not None
    if at:
        assert caret(err) == at
