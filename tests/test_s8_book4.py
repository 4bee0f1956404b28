r"""The fourth blind batch, session 8 (issue 24, brief BOOK4): Distill's "Why Momentum Really
Works" (``<dt-math>`` elements, ``\nabla f(w)`` as a value, ``\alpha (A w - b)``), the Deep
Learning book's leaky unit (letter conventions that disagree: refused), and the Theano LSTM
tutorial's fused pre-activation (prose that concatenates four matrices: refused).

Oracles: gradient descent and momentum written as NumPy loops by hand (values of the
generated code), the gradient of the quadratic 1/2 w^T A w - b^T w by central finite
differences in float64 (that ``\nabla f(w) = A w - b`` is the gradient the rule reads it as),
and the cases' own expectations (the fourth batch in tests/wild/cases, written from the source).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from refusals import caret, refused

os.environ.setdefault("PAPERMATH_KERNELS", "off")

BATCH4 = Path(__file__).resolve().parent / "wild" / "cases"  # the fourth batch, moved there
sys.path.insert(0, str(Path(__file__).resolve().parent / "wild"))
import measure  # noqa: E402  (tests/wild/measure.py, the corpus measure)


def _case(name: str) -> dict:
    return tomllib.loads((BATCH4 / f"{name}.toml").read_text())


# ---- the two read-wrong cases: refused, with a caret and a hint that reads ---------------
LEAKY = r"\mu^{(t)} \gets \alpha \mu^{(t-1)} + (1-\alpha) v^{(t)}"


def test_the_leaky_unit_is_refused_at_v_not_read_as_vectors() -> None:
    assert measure.classify("x", _case("dlbook_zh_leaky_unit")).outcome == "refused"
    err = refused(LEAKY)
    assert caret(err) == "v^{(t)}"
    assert "conventions disagree" in err.message and err.hint is not None
    assert "v \\in \\mathbb{R}" in err.hint


@pytest.mark.parametrize(("declared", "shape"), [(r"\mathbb{R}", ()), (r"\mathbb{R}^{n}", ("n",))])
def test_the_leaky_unit_hint_reads_either_way(declared: str, shape: tuple[str, ...]) -> None:
    system = papermath.compile(LEAKY + f"\nv^{{(t)}} \\in {declared}")
    assert system.shapes["mu"] == shape and system.shapes["v"] == shape
    assert system.shapes["alpha"] == ()


def test_letters_that_agree_keep_their_convention() -> None:
    system = papermath.compile(r"m_t = \beta m_{t-1} + (1-\beta) g_t")  # Adam's first moment
    assert system.shapes["m"] == system.shapes["g"] and len(system.shapes["m"]) == 1


def test_the_fused_lstm_preactivation_is_refused_at_the_concatenation() -> None:
    case = _case("lisa_lstm_fused_preactivation")
    assert measure.classify("x", case).outcome == "refused"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(case["latex"])
    assert caret(info.value) == "concatenating the four matrices"
    assert info.value.hint is not None and "4H \\times D" in info.value.hint


def test_the_fused_lstm_hint_reads_z_with_four_blocks() -> None:
    text = _case("lisa_lstm_fused_preactivation")["latex"].replace(
        "    z = W x_t + U h_{t-1} + b\n",
        "    z = W x_t + U h_{t-1} + b\n\n    W \\in \\mathbb{R}^{4H \\times D}\n",
    )
    system = papermath.compile(text)
    assert system.shapes["z"] == ("4*H",) and system.shapes["W"] == ("4*H", "D")


# ---- Distill: <dt-math>, \nabla f(w) -----------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "distill_momentum_convex_quadratic",
        "distill_momentum_gd_quadratic",
        "distill_momentum_gradient_descent",
        "distill_momentum_on_quadratic",
        "distill_momentum_update",
    ],
)
def test_the_distill_cases_read_right(name: str) -> None:
    result = measure.classify(name, _case(name))
    assert result.outcome == "read_right", result.detail


def test_dt_math_is_math_and_other_tags_are_layout() -> None:
    system = papermath.compile(
        "We take <dt-math>x \\in \\mathbb{R}^m</dt-math> and\n<dt-math block>\nh = \\tanh(W x)\n"
        "</dt-math>\nwith <dt-math>h \\in \\mathbb{R}^n</dt-math>."
    )
    assert system.shapes["W"] == ("n", "m")


def test_gradient_descent_against_a_loop_by_hand() -> None:
    system = papermath.compile(_case("distill_momentum_gd_quadratic")["latex"])
    assert system.shapes["alpha"] == () and system.kinds["w"] == "state"
    (n,) = system.shapes["w"]
    module = system.to_numpy({n: 3, "K": 4})
    rng = np.random.default_rng(0)
    params = module.init_params(rng)
    w0 = rng.normal(size=(2, 3))
    out, _ = module.forward(params, {}, {"w": w0})
    a, b, alpha = params["A"], params["b"], float(params["alpha"])
    w, want = w0.copy(), []
    for _ in range(4):  # w^{k+1} = w^k - alpha (A w^k - b), one example at a time
        w = np.stack([w[i] - alpha * (a @ w[i] - b) for i in range(2)])
        want.append(w)
    np.testing.assert_allclose(out["w"], np.stack(want), rtol=1e-12, atol=1e-12)


def test_the_quadratic_gradient_is_the_finite_difference_gradient() -> None:
    # that \nabla f(w) = A w - b is the gradient of f(w) = 1/2 w^T A w - b^T w (A symmetric)
    rng = np.random.default_rng(3)
    m = rng.normal(size=(3, 3))
    a, b, w = m + m.T, rng.normal(size=3), rng.normal(size=3)

    def f(v: np.ndarray) -> float:
        return float(0.5 * v @ a @ v - b @ v)

    num = np.array([(f(w + e) - f(w - e)) / 2e-6 for e in np.eye(3) * 1e-6])
    system = papermath.compile(
        "\\nabla f(w)=Aw - b\nw \\in \\mathbb{R}^{n}\nA \\in \\mathbb{R}^{n \\times n}"
    )
    assert system.shapes["grad_f"] == ("n",)
    module = system.to_numpy({"n": 3})  # never called: w read as its weights (the readings)
    out, _ = module.forward({"A": a, "b": b, "w": w}, {})
    np.testing.assert_allclose(np.ravel(out["grad_f"]), num, rtol=1e-6, atol=1e-8)


def test_momentum_reads_for_shapes_and_refuses_code_by_name() -> None:
    system = papermath.compile(_case("distill_momentum_update")["latex"])
    assert system.shapes["z"] == system.shapes["w"] and len(system.shapes["w"]) == 1
    said = [r for r in system.readings if r.reading.startswith("gradient of an objective")]
    assert said and "shape of w^{k}" in said[0].reason
    (n,) = system.shapes["w"]
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({n: 3, "K": 2})
    assert caret(info.value) == "\\nabla f(w^{k})"
    assert "code needs to know it" in info.value.message


def test_momentum_with_its_gradient_written_against_a_loop_by_hand() -> None:
    text = (
        "\\nabla f(w)=Aw - b\nz^{k+1}=\\beta z^{k}+\\nabla f(w^{k})\nw^{k+1}=w^{k}-\\alpha z^{k+1}"
    )
    system = papermath.compile(text)
    (n,) = system.shapes["w"]
    module = system.to_numpy({n: 3, "K": 3})
    rng = np.random.default_rng(1)
    params = module.init_params(rng)
    z0, w0 = rng.normal(size=(1, 3)), rng.normal(size=(1, 3))
    out, _ = module.forward(params, {}, {"z": z0, "w": w0})
    a, b = params["A"], params["b"]
    alpha, beta = float(params["alpha"]), float(params["beta"])
    z, w, want = z0[0], w0[0], []
    for _ in range(3):
        z = beta * z + (a @ w - b)
        w = w - alpha * z
        want.append(w)
    np.testing.assert_allclose(out["w"][:, 0], np.stack(want), rtol=1e-12, atol=1e-12)


def test_the_gradient_of_a_function_the_source_defines_stays_refused() -> None:
    err = refused("f(w) = w^\\top w\nw^{k+1} = w^k - \\alpha \\nabla f(w^k)")
    assert "derivative" in err.message and caret(err).startswith("\\nabla")


# ---- the Deep Learning book's preamble macros: refused, the hint reads -----------------
# the definitions the case notes quote from the book's math_symbol.tex (\Vh is
# \boldsymbol{\mathit{h}}; \MW a bold W), given as the hint says
BOOK_MACROS = "".join(
    f"\\newcommand{{\\{m}}}{{\\boldsymbol{{\\mathit{{{m[1:]}}}}}}}\n"
    for m in ("Va", "Vb", "Vc", "Vh", "Vo", "Vx", "Vy", "MW", "MU", "MV")
)


def test_a_book_macro_is_refused_with_the_macros_hint() -> None:
    err = refused(r"\Vh^{(t)} = \tanh(\MW \Vh^{(t-1)} + \MU \Vx^{(t)})")
    assert caret(err) == "\\Vh"
    assert "macro the source defines elsewhere" in err.message
    assert err.hint is not None and "--macros FILE" in err.hint


@pytest.mark.parametrize("name", ["dlbook_zh_linear_recurrence", "dlbook_zh_lstm"])
def test_the_book_cases_read_right_once_the_macros_are_given(name: str) -> None:
    # without its origin (whose repository now chooses the book's set, dlbook-zh: session 9,
    # tests/test_s9_DLBOOK.py) and without the definitions: refused
    case = {k: v for k, v in _case(name).items() if k != "origin"}
    assert measure.classify(name, case).outcome == "refused"  # without them: refused
    given = dict(case, latex=BOOK_MACROS + case["latex"])
    result = measure.classify(name, given)
    assert result.outcome == "read_right", result.detail


# ---- a map's signature: refused at the colon, the hint's declaration reads ---------------
def test_a_map_signature_is_refused_at_the_colon_with_a_declaration() -> None:
    err = refused("f: \\mathbb{R}^D \\rightarrow \\mathbb{R}^L\nf(x) = W x")
    assert caret(err) == ":" and "signature" in err.message
    assert err.hint is not None and "x \\in \\mathbb{R}^{D}" in err.hint
    system = papermath.compile("x \\in \\mathbb{R}^{D}\nf(x) = W x")
    assert system.shapes["x"] == ("D",) and system.shapes["W"][1] == "D"
    # the signature as the whole of its inline math is read (functions.function-signature,
    # tests/test_s9_MISC.py): the tutorial is then refused at W^(1) x, D_h against D
    case = _case("lisa_mlp_declared_transpose")
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(case["latex"])
    assert caret(info.value) == "W^{(1)} x" and "D_h" in info.value.message
