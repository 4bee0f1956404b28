r"""The fifth batch's presentation (issue 24, brief PRESENT5): what a page's markup does to math.

- ``\rm ENC(v)`` (plain TeX's roman switch before a word, no braces): one name (grammar.lark);
- ``\cfrac``: a fraction; ``W^\prime_1``: the prime as a superscript, before the subscript;
- ``\rvert N(v) \rvert``: ``\rvert`` typed for both bars (parse/normalize.py);
- ``, \forall k \in \{1, .., K\}`` after an equation: the index's range (parse/row_ranges.py);
- HTML in markdown math: ``<sup>``/``<sub>`` are scripts (they were blanked, and
  ``f(w<sup>T</sup>x)`` read as the product w T x), ``&eta;`` its command (parse/html_math.py);
- markdown italics as inline math in a page with no ``$`` (parse/markdown_math.py); a line of
  prose with emphasis (``as the *bias* term.``) is prose (parse/normalize.py);
- refusals with the caret on the construct: ``\langle w, x \rangle``, ``\min_{w, \rho}`` with no
  name for the objective.

Oracles: each formula evaluated by hand in NumPy (a one-hot column pick, a softmax, an affine
map, a transpose), torch's own layers (softmax, linear), ``papermath check`` (finite
differences), and the source's own text for the refusals.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.check import check
from papermath.errors import PapermathError
from papermath.parse.html_math import rewrite as html_rewrite
from papermath.parse.markdown_math import rewrite as markdown_rewrite
from papermath.parse.normalize import normalize

os.environ.setdefault("PAPERMATH_KERNELS", "off")

BATCH5 = Path(__file__).parent / "wild" / "cases"


def _latex(name: str) -> str:
    return str(tomllib.loads((BATCH5 / f"{name}.toml").read_text())["latex"])


def _refusal(latex: str) -> tuple[str, str]:
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    e = err.value
    assert e.source is not None and e.span is not None
    return e.message, e.source.snippet(e.span)


def _stages(src: Path, wrt: str, dims: str, tmp_path: Path) -> None:
    from papermath.cli import main

    for args in (
        ["explain", str(src)],
        ["diagram", str(src), "-o", str(tmp_path / "d.dot")],
        ["grad", "--wrt", wrt, str(src)],
        ["code", "--dims", dims, str(src)],
        ["code", "--target", "torch", "--dims", dims, str(src)],
        ["report", str(src), "-o", str(tmp_path / "r.html")],
    ):
        assert main(args) == 0, args


# ---- \rm ENC: cs224w's shallow encoder ------------------------------------------------------
def test_shallow_encoder_reads_enc_as_one_name() -> None:
    system = papermath.compile(_latex("cs224w_shallow_encoder"))
    assert system.shapes["ENC"] == ("d",)
    assert system.shapes["Z"] == ("d", "|v|") and system.shapes["v"] == ("|v|",)
    assert system.kinds["Z"] == "parameter" and system.kinds["v"] == "input"
    assert not any(k in system.shapes for k in ("E", "N", "C"))


def test_shallow_encoder_is_an_embedding_lookup() -> None:
    # the source: "v is the indicator vector ... a one in column indicating node v", so Z v is
    # the column of Z for that node (the oracle: a column picked by hand)
    system = papermath.compile(_latex("cs224w_shallow_encoder"))
    gen = system.to_numpy({"d": 4, "|v|": 6})
    rng = np.random.default_rng(0)
    p = gen.init_params(rng)
    for node in range(6):
        v = np.zeros(6)
        v[node] = 1.0
        out, _ = gen.forward(p, {"v": v[None, :]})
        np.testing.assert_allclose(np.ravel(out["ENC"]), p["Z"][:, node], rtol=1e-12)


def test_shallow_encoder_every_stage(tmp_path: Path) -> None:
    src = BATCH5 / "cs224w_shallow_encoder.toml"
    _stages(src, "Z", "d=3,|v|=4", tmp_path)
    system = papermath.compile(_latex("cs224w_shallow_encoder"))
    results = check(system, {"d": 3, "|v|": 4}, seed=1)
    assert results and all(r.ok for r in results), results


def test_rm_before_one_letter_is_not_a_name() -> None:
    # a single letter after \rm (\rm d, a differential's roman d) is not taken as a word
    _, at = _refusal(r"y = \rm d x")
    assert at.startswith("\\rm")


# ---- \cfrac: udacity's softmax --------------------------------------------------------------
def test_cfrac_softmax_against_torch() -> None:
    system = papermath.compile(_latex("udacity_softmax"))
    assert system.shapes["x"] == ("K",)
    gen = system.to_numpy({"K": 5})
    rng = np.random.default_rng(1)
    x = rng.normal(size=5)
    out, _ = gen.forward(gen.init_params(rng), {"x": x[None, :]})
    want = torch.softmax(torch.tensor(x), dim=0).numpy()
    np.testing.assert_allclose(np.ravel(out["sigma"]), want, rtol=1e-12)


def test_cfrac_softmax_every_stage(tmp_path: Path) -> None:
    _stages(BATCH5 / "udacity_softmax.toml", "x", "K=3", tmp_path)


# ---- the RST prose line with emphasis: pytorch's affine map ---------------------------------
def test_affine_map_against_torch_linear() -> None:
    system = papermath.compile(_latex("pytorch_tutorial_affine_map"))
    m, n = system.shapes["A"]
    assert system.shapes["x"] == (n,) and system.shapes["b"] == (m,)
    assert system.kinds["A"] == "parameter" and system.kinds["b"] == "parameter"
    assert system.kinds["x"] == "input"
    gen = system.to_numpy({m: 3, n: 4})
    rng = np.random.default_rng(2)
    p = gen.init_params(rng)
    x = rng.normal(size=4)
    out, _ = gen.forward(p, {"x": x[None, :]})
    want = torch.nn.functional.linear(
        torch.tensor(x), torch.tensor(p["A"]), torch.tensor(np.ravel(p["b"]))
    )
    np.testing.assert_allclose(np.ravel(out["f"]), want.numpy(), rtol=1e-12)


def test_emphasis_in_a_short_line_is_not_prose_by_itself() -> None:
    # two words are no run of prose: the line stays math, and is refused at the *
    _, at = _refusal(".. math::  y = W x + b\n\n*bias* term.\n")
    assert at == "*"


# ---- ^\prime ------------------------------------------------------------------------------
def test_prime_superscript_reads_as_the_prime_mark() -> None:
    written = r"h^\prime_1 = \tanh(W x), x \in \mathbb{R}^3, h^\prime_1 \in \mathbb{R}^2"
    system = papermath.compile(written)
    (key,) = [k for k in system.shapes if k.startswith("h")]
    gen = system.to_numpy({})
    rng = np.random.default_rng(3)
    p = gen.init_params(rng)
    x = rng.normal(size=3)
    out, _ = gen.forward(p, {"x": x[None, :]})
    np.testing.assert_allclose(np.ravel(out[key]), np.tanh(p["W"] @ x), rtol=1e-12)
    primed = papermath.compile(written.replace("^\\prime_1", "'_1"))
    assert set(primed.shapes) == set(system.shapes)


def test_weight_update_now_reads_the_derivative() -> None:
    # W^\prime_1 = W_1 - \alpha \frac{\partial \ell}{\partial W_1}: the prime is read, and
    # (session 10, read/rules_gradient_updates.py) the derivative of the unwritten loss ell is
    # read for shapes: W_1's shape; code stays refused, at the derivative
    system = papermath.compile(_latex("udacity_weight_update"))
    assert system.shapes["W_prime_1"] == system.shapes["W_1"] and system.shapes["alpha"] == ()


# ---- \rvert N(v) \rvert ---------------------------------------------------------------------
def test_rvert_pairs_in_normalize() -> None:
    assert normalize(r"$\rvert V \rvert$").text == r"$\lvert V \rvert$"
    # a lone \rvert, or a proper \lvert ... \rvert, is left as written
    assert normalize(r"$a \rvert b$").text == r"$a \rvert b$"
    assert normalize(r"$\lvert V \rvert$").text == r"$\lvert V \rvert$"
    # two counts in one line: each pair opens at its first bar
    got = normalize(r"$\rvert A \rvert + \rvert B \rvert$").text
    assert got == r"$\lvert A \rvert + \lvert B \rvert$"


def test_rvert_count_reads_as_the_bars_do() -> None:
    rvert = r"y = \frac{W x}{\rvert S \rvert}, x \in \mathbb{R}^{m \times \rvert V \rvert}"
    bars = r"y = \frac{W x}{|S|}, x \in \mathbb{R}^{m \times |V|}"
    assert papermath.compile(rvert).shapes == papermath.compile(bars).shapes
    _, at = _refusal(r"y = W x \rvert")
    assert at == "\\rvert"


# ---- , \forall k \in \{1, .., K\} ---------------------------------------------------------
def test_forall_set_range_after_a_recurrence() -> None:
    latex = (
        r"h^{(t)} = \tanh(W h^{(t-1)} + U x^{(t)}), \forall t \in \{1, .., T\}"
        "\n"
        r"x^{(t)} \in \mathbb{R}^3, h^{(t)} \in \mathbb{R}^2"
    )
    system = papermath.compile(latex)
    assert system.shapes["U"] == (2, 3) or system.shapes["U"] == ("2", "3")
    assert any("range of an index" in r.reading for r in system.readings)
    # the oracle: the recurrence by hand over three steps
    gen = system.to_numpy({})
    rng = np.random.default_rng(4)
    p = gen.init_params(rng)
    xs = rng.normal(size=(3, 1, 3))  # steps, one sample, features
    out, _ = gen.forward(p, {"x": xs})
    h = np.zeros(2)
    for t in range(3):
        h = np.tanh(p["W"] @ h + p["U"] @ xs[t, 0])
        np.testing.assert_allclose(np.asarray(out["h"])[t, 0], h, rtol=1e-12)


def test_forall_over_a_letter_that_is_no_index_stays_refused() -> None:
    for text in (
        r"y = W x, \forall t \in \{1, \ldots, T\}",
        r"y_i = W x_i, \forall i \in \{1, \dots, n\}",  # a subscript's letter: not a step
    ):
        message, at = _refusal(text)
        assert "quantifier" in message and at.startswith("\\forall")


# ---- HTML scripts and entities ------------------------------------------------------------
def test_html_scripts_and_entities_rewrite() -> None:
    assert html_rewrite("w<sup>T</sup>x") == "w^{   T}     x"
    assert html_rewrite("z<sub>1</sub>") == "z_{   1}     "
    assert html_rewrite("&eta;&nabla;E") == "\\eta \\nabla E"
    # \partial is longer than the entity: the character ∂, which the grammar reads (CODE7, s10)
    assert html_rewrite("&part;L") == "∂     L"


def test_html_transpose_is_a_transpose_not_a_symbol_t() -> None:
    system = papermath.compile("y = W<sup>T</sup>x + b\nx \\in \\mathbb{R}^3, y \\in \\mathbb{R}^2")
    assert "T" not in system.shapes
    assert system.shapes["W"] in ((3, 2), ("3", "2"))
    gen = system.to_numpy({})
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    x = rng.normal(size=3)
    out, _ = gen.forward(p, {"x": x[None, :]})
    np.testing.assert_allclose(np.ravel(out["y"]), p["W"].T @ x + np.ravel(p["b"]), rtol=1e-12)


def test_html_recurrence_with_subscripts_and_entities() -> None:
    system = papermath.compile(
        "h<sub>t</sub> = tanh(W h<sub>t-1</sub> + &beta; x<sub>t</sub>)\n"
        "x<sub>t</sub> &isin; R<sup>m</sup>, h<sub>t</sub> &isin; R<sup>m</sup>"
    )
    assert system.shapes["beta"] == () and system.shapes["W"] == ("m", "m")


def test_perceptron_with_html_is_refused_at_the_prose_not_read_as_w_t_x() -> None:
    # its prose is read now (parse/prose_sizes.py, brief PROSE6): "the input vector would be a
    # vector of size N ... each input vector x", so x has N entries and w^T x is one number
    system = papermath.compile(_latex("aifb_perceptron_model"))
    assert system.shapes["x"] == system.shapes["w"] == ("N",) and system.shapes["y"] == ()
    # alone, w^T x with nothing declared is refused (w's rank unknown), never read as w T x
    message, at = _refusal("y(x) = f(w<sup>T</sup>x)")
    assert "no product fits" in message and at.startswith("w<sup>T")


# ---- markdown italic math -----------------------------------------------------------------
def test_markdown_italics_rewrite() -> None:
    got = markdown_rewrite("a function *f(x)=wx+b* (here *w* is the *weight* matrix)")
    assert got == "a function $f(x)=wx+b$ (here $w$ is the *weight* matrix)"
    # a line of math outside the italics: the lines are read as lines, the italics kept (the
    # list marker of the line of math is blanked: markup, CODE7 in session 10)
    text = "the function *f* in steps:\n* z<sub>1</sub>=w<sub>1</sub>x\n"
    assert markdown_rewrite(text) == text.replace("\n* ", "\n  ")
    # a page with LaTeX's own delimiters: italics there are prose
    assert markdown_rewrite("*f(x)* and $y = W x$") == "*f(x)* and $y = W x$"


def test_italic_math_is_refused_at_the_product_the_prose_does_not_decide() -> None:
    # the softmax lesson says nothing of w's rank (only "parameters"): wx is refused; the
    # linear model's "*w* is the weight matrix" decides it (functions.matrix-said, test_s9_lead)
    message, at = _refusal(_latex("aifb_softmax_model"))
    assert "cannot decide what wx is" in message and at == "wx"
    system = papermath.compile(_latex("aifb_linear_model"))
    assert len(system.shapes["w"]) == 2 and len(system.shapes["x"]) == 1


def test_italic_math_reads_a_capital_weight() -> None:
    system = papermath.compile("The layer computes *h=Wx+b* (see above).")
    gen = system.to_numpy({k: 3 for s in system.shapes.values() for k in s if isinstance(k, str)})
    rng = np.random.default_rng(6)
    p = gen.init_params(rng)
    x = rng.normal(size=3)
    out, _ = gen.forward(p, {"x": x[None, :]})
    np.testing.assert_allclose(np.ravel(out["h"]), p["W"] @ x + np.ravel(p["b"]), rtol=1e-12)


# ---- refusals: inner product, optimisation problem ------------------------------------------
def test_inner_product_refused_at_the_bracket() -> None:
    message, at = _refusal(_latex("sklearn_ocsvm_hinge"))
    assert "inner product" in message and at == "\\langle"


def test_optimisation_problem_refused_at_the_operator() -> None:
    message, at = _refusal(_latex("sklearn_ocsvm_primal"))
    assert "optimisation problem" in message and at == "\\min_{w, \\rho, \\xi}"
    # an equation with a min in it is not an optimisation problem
    system = papermath.compile(r"y = \min(0, W x), x \in \mathbb{R}^3, y \in \mathbb{R}^2")
    assert system.shapes["W"] in ((2, 3), ("2", "3"))
