r"""Session 9, helper GRAPH4: notation of NYU's Deep Learning course notes (week 6's RNN).

- ``\begin{cases}`` as a big brace around a system of equations (rule cases-brace-system,
  parse/system_brace.py): read as the equations, one per row. Oracles: a hand-written NumPy
  loop of the same recurrence, torch autograd and finite differences (``papermath check``).
- ``\dot=`` / ``\doteq`` (≐) as a definition (rule dot-equals): the value is the right side's.
- ``h[t]``, ``h[t-1]``: a step written in brackets (rule bracket-steps; read as a subscript
  since session 10) and ``[W_{hx} W_{hh}]``, names side by side in brackets (rule
  bracket-blocks): refused by name, caret on the bracket, never read as a product.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.check import check
from papermath.errors import PapermathError, ParseError

CASES = Path(__file__).parent / "wild" / "cases"

BRACED = (
    "$$\n\\begin{cases}\nh_t &= \\tanh(W h_{t-1} + U x_t + b) \\\\\n"
    "y_t &= V h_t\n\\end{cases}\n$$\n"
    "where $x_t \\in \\mathbb{R}^{m}$, $h_t \\in \\mathbb{R}^{n}$ and $y_t \\in \\mathbb{R}^{k}$.\n"
)
ALIGNED = BRACED.replace("\\begin{cases}", "\\begin{aligned}").replace(
    "\\end{cases}", "\\end{aligned}"
)


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def _hand_loop(p: dict, x: np.ndarray, h0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The recurrence written by hand: x is (T, B, m), h0 (B, n)."""
    h, hs, ys = h0, [], []
    for t in range(x.shape[0]):
        h = np.tanh(h @ p["W"].T + x[t] @ p["U"].T + p["b"])
        hs.append(h)
        ys.append(h @ p["V"].T)
    return np.stack(hs), np.stack(ys)


def test_braced_system_reads_as_its_rows() -> None:
    braced, aligned = papermath.compile(BRACED), papermath.compile(ALIGNED)
    assert braced.shapes == aligned.shapes
    assert braced.kinds == aligned.kinds
    assert braced.shapes["W"] == ("n", "n") and braced.shapes["U"] == ("n", "m")
    assert braced.shapes["V"] == ("k", "n")
    assert braced.kinds["h"] == "state" and braced.kinds["x"] == "input"
    said = [r for r in braced.readings if "cases-brace-system" in r.reading]
    assert len(said) == 1 and said[0].subject.startswith("\\begin{cases}")
    assert "2 equations" in said[0].reading


def test_braced_system_code_against_a_hand_loop_and_torch() -> None:
    system = papermath.compile(BRACED)
    dims = {"n": 4, "m": 3, "k": 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(7)
    p = gen.init_params(rng)
    x = rng.normal(size=(5, 2, 3))
    h0 = rng.normal(size=(2, 4))
    out, _ = gen.forward(p, {"x": x}, {"h": h0})
    want_h, want_y = _hand_loop(p, x, h0)
    np.testing.assert_allclose(out["h"], want_h, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out["y"], want_y, rtol=1e-12, atol=1e-12)
    module = system.to_torch(dims, dtype=torch.float64)
    with torch.no_grad():
        for key, value in p.items():
            getattr(module, key).copy_(torch.tensor(value))
    got = module(x=torch.tensor(x), h=torch.tensor(h0))
    np.testing.assert_allclose(got["y"].detach().numpy(), want_y, rtol=1e-10, atol=1e-12)


def test_braced_system_backward_checks() -> None:
    system = papermath.compile(BRACED)
    results = check(system, {"n": 3, "m": 2, "k": 2}, seed=1)
    assert results and all(r.ok for r in results), results


def test_braced_system_every_stage_runs(tmp_path: Path) -> None:
    from papermath.cli import main

    src = tmp_path / "braced.tex"
    src.write_text(BRACED)
    for args in (
        ["explain", str(src)],
        ["diagram", str(src), "-o", str(tmp_path / "d.dot")],
        ["grad", "--wrt", "W", str(src)],
        ["code", "--dims", "n=3,m=2,k=2", str(src)],
        ["code", "--target", "torch", "--dims", "n=3,m=2,k=2", str(src)],
        ["report", str(src), "-o", str(tmp_path / "r.html")],
    ):
        assert main(args) == 0, args


def test_dot_equals_is_a_definition() -> None:
    system = papermath.compile(
        "y \\doteq W x, \\quad x \\in \\mathbb{R}^{3}, y \\in \\mathbb{R}^{2}"
    )
    assert system.shapes["W"] == ("2", "3")
    gen = system.to_numpy({})
    rng = np.random.default_rng(3)
    p = gen.init_params(rng)
    x = rng.normal(size=(4, 3))
    out, _ = gen.forward(p, {"x": x})
    np.testing.assert_allclose(out["y"], x @ p["W"].T, rtol=1e-12)
    said = [r for r in system.readings if "dot-equals" in r.reading]
    assert said and said[0].subject == "\\doteq"


@pytest.mark.parametrize("sign", ["\\dot=", "\\dot{=}", "\\doteq"])
def test_dot_equals_initial_state(sign: str) -> None:
    text = (
        "$$\\begin{cases} h_t &= \\tanh(W h_{t-1} + U x_t + b) \\\\ "
        f"h_0 &{sign} \\boldsymbol{{0}} \\\\ y_t &= V h_t \\end{{cases}}$$"
    )
    system = papermath.compile(text)
    assert system.kinds["h"] == "state"
    assert any("initial state" in r.reading for r in system.readings)
    assert any("dot-equals" in r.reading for r in system.readings)


@pytest.mark.parametrize(
    "source",
    [
        # a left side before the brace: a definition by cases, not a brace
        "$$y = \\begin{cases} a &= 1 \\\\ b &= 2 \\end{cases}$$",
        # a condition column after the equation
        "$$\\begin{cases} h &= W x & \\text{if } x > 0 \\\\ h &= 0 & \\text{otherwise} "
        "\\end{cases}$$",
        # one row only
        "$$\\begin{cases} h &= W x \\end{cases}$$",
    ],
)
def test_other_cases_blocks_are_not_braces(source: str) -> None:
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start :].startswith("\\begin{cases}")


def test_nyu_rnn_is_refused_at_the_blocks_its_bracket_steps_read() -> None:
    """Since session 10 (parse/bracket_steps.py rewrite) the steps in brackets read as
    subscripts; the blocks ``[W_{hx} W_{hh}]`` stay refused (tests/test_s10_MISC6.py)."""
    text = _latex("nyu_rnn_bracket_time")
    with pytest.raises(ParseError) as info:
        papermath.compile(text)
    err = info.value
    assert "names side by side in square brackets" in err.message
    assert err.span is not None
    assert text[err.span.start : err.span.end].startswith("[ W_{hx} W_{hh}")


def test_nyu_rnn_with_subscript_steps_is_refused_at_the_blocks() -> None:
    """Written with subscripts (as the refusal's hint says), the brace and ``\\dot=`` read, and
    ``[W_{hx} W_{hh}]`` is refused: never a product W_hx W_hh."""
    text = _latex("nyu_rnn_bracket_time")
    for bracket, sub in (("[t]", "_{t}"), ("[t-1]", "_{t-1}"), ("[0]", "_{0}")):
        text = text.replace(bracket, sub)
    with pytest.raises(ParseError) as info:
        papermath.compile(text)
    err = info.value
    assert "names side by side in square brackets" in err.message
    assert err.span is not None
    assert text[err.span.start : err.span.end].startswith("[ W_{hx} W_{hh}")


@pytest.mark.parametrize(
    ("source", "subscripts"),
    [
        ("h[t] = \\tanh(W h[t-1] + U x[t])", "h_t = \\tanh(W h_{t-1} + U x_t)"),
        ("y_t = \\tanh(W s[t-1] + U x_t)", "y_t = \\tanh(W s_{t-1} + U x_t)"),
    ],
)
def test_bracket_steps_read_as_subscripts(source: str, subscripts: str) -> None:
    """Refused in session 9; since session 10 read as the subscripts they mean."""
    got, want = papermath.compile(source), papermath.compile(subscripts)
    assert got.shapes == want.shapes and got.kinds == want.kinds


def test_brackets_that_are_no_step_still_read() -> None:
    system = papermath.compile(
        "y = W[x; h], \\quad x \\in \\mathbb{R}^{m}, h \\in \\mathbb{R}^{n}, y \\in \\mathbb{R}^{k}"
    )
    assert system.shapes["W"] == ("k", "m + n")
    system = papermath.compile(
        "y = \\tanh[W x], \\quad x \\in \\mathbb{R}^{m}, y \\in \\mathbb{R}^{k}"
    )
    assert system.shapes["W"] == ("k", "m")
    # a function's argument in brackets is no step: \sigma[x - 1] is the sigmoid of x - 1
    system = papermath.compile("y = \\sigma[x - 1], \\quad x \\in \\mathbb{R}^{n}")
    assert system.shapes["y"] == ("n",)


@pytest.mark.parametrize(
    "source", ["W_h = [W_{hx} W_{hh}]", "y = [W x] + b", "W = \\left[ A\\ B \\right]"]
)
def test_bracket_blocks_refused(source: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert "names side by side in square brackets" in err.message
    assert err.span is not None and source[err.span.start] == "["


@pytest.mark.parametrize(
    ("source", "under"),
    [
        ("u = -\\alpha (g + N(0, \\sigma^2))", "N(0, \\sigma^2)"),
        ("u = g + \\mathcal{N}(0, \\sigma^2 I)", "\\mathcal{N}(0, \\sigma^2 I)"),
    ],
)
def test_gaussian_written_as_a_value_refused(source: str, under: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert "a normal distribution" in err.message
    assert err.span is not None and source[err.span.start : err.span.end] == under


def test_optax_noisy_sgd_refused_at_the_noise() -> None:
    text = _latex("optax_noisy_sgd")
    with pytest.raises(ParseError) as info:
        papermath.compile(text)
    err = info.value
    assert err.span is not None
    assert text[err.span.start : err.span.end] == "N(0, \\sigma_t^2)"
    assert "\\epsilon_t \\sim \\mathcal{N}(0, I)" in err.hint


def test_the_draw_named_as_the_hint_says_reads() -> None:
    """The hint's form: the draw a sampled input, the noise its scale times it (hand oracle)."""
    system = papermath.compile(
        "u = g + s \\epsilon, \\epsilon \\sim \\mathcal{N}(0, I), g \\in \\mathbb{R}^{P}, "
        "s \\in \\mathbb{R}"
    )
    assert system.shapes["epsilon"] == ("P",) and system.kinds["epsilon"] == "input"
    gen = system.to_numpy({"P": 3})
    rng = np.random.default_rng(2)
    p = gen.init_params(rng)
    g, eps = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    inputs = {"g": g, "epsilon": eps} if system.kinds["g"] == "input" else {"epsilon": eps}
    out, _ = gen.forward(p, inputs)
    g_used = g if "g" in inputs else p["g"]
    np.testing.assert_allclose(out["u"], g_used + np.asarray(p["s"]) * eps, rtol=1e-12)


ARROW = (
    "$$\n\\{\\boldsymbol{x}_{i}\\}^{t}_{i=1}\\rightsquigarrow "
    "\\boldsymbol{H}=\\tanh(\\boldsymbol{U}\\boldsymbol{X})\n$$\n"
    "where $\\boldsymbol{X} \\in \\mathbb{R}^{n \\times t}$ and "
    "$\\boldsymbol{H} \\in \\mathbb{R}^{d \\times t}$.\n"
)


def test_squiggly_arrow_leads_to_the_equation_alone() -> None:
    system = papermath.compile(ARROW)
    alone = papermath.compile(
        ARROW.replace("\\{\\boldsymbol{x}_{i}\\}^{t}_{i=1}\\rightsquigarrow", "")
    )
    assert system.shapes == alone.shapes and system.kinds == alone.kinds
    assert system.shapes["U"] == ("d", "n") and system.kinds["X"] == "input"
    said = [r for r in system.readings if "arrow-leads-to-an-equation" in r.reading]
    assert len(said) == 1 and "\\rightsquigarrow" in said[0].subject
    gen = system.to_numpy({"n": 3, "t": 4, "d": 2})
    rng = np.random.default_rng(4)
    p = gen.init_params(rng)
    x = rng.normal(size=(5, 3, 4))  # a batch of X, sample first
    out, _ = gen.forward(p, {"X": x})
    want = np.tanh(np.einsum("dn,bnt->bdt", p["U"], x))
    np.testing.assert_allclose(out["H"], want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("arrow", ["\\to", "\\mapsto", "\\rightarrow"])
def test_other_arrows_before_an_equation_stay_refused(arrow: str) -> None:
    source = f"\\{{x_i\\}}_{{i=1}}^{{t}} {arrow} H = f(U X)"
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert "an arrow before the equation" in err.message
    assert err.span is not None and source[err.span.start :].startswith(arrow)


def test_nyu_gcn_matrix_reads_past_the_arrow() -> None:
    """The case's next blocker is the site's macro \\vect, not the arrow."""
    text = _latex("nyu_gcn_matrix")
    with pytest.raises(PapermathError) as info:
        papermath.compile(text)
    err = info.value
    assert err.span is not None and text[err.span.start :].startswith("\\vect")


def test_a_sum_with_a_bare_primed_index_names_it() -> None:
    text = _latex("distill_gnn_random_walk_loss")
    with pytest.raises(PapermathError) as info:
        papermath.compile(text)
    err = info.value
    assert err.span is not None and text[err.span.start : err.span.end] == "u'"
    assert "\\sum_{u'}" in err.message and "\\sum_{u' \\in V}" in (err.hint or "")


def test_nyu_gcn_vector_as_its_hint_says_reads_with_f_a_nonlinearity() -> None:
    """The adjacency line deleted and ``a`` given as data (the line the ⇔ refusal's hint said
    to delete: session 10 leaves it out itself, parse/edge_indicator.py): f is the
    nonlinearity the prose names (\"$f(\\cdot)$ is a non-linear function such as ReLU
    $(\\cdot)^{+}$\"), not a learnable map; the 1-norm of the vector a is generated (since
    session 10: the sum of its entries' absolute values)."""
    text = _latex("nyu_gcn_adjacency_vector")
    head, rest = text.split("$$\n", 1)
    _, tail = rest.split("$$\n", 1)
    system = papermath.compile(head + tail + "\n% inputs: a\n")
    assert any("as the prose says" in r.reading and r.subject == "f" for r in system.readings)
    assert system.kinds["a"] == "input" and system.shapes["d"] == ()
    h, n = system.shapes["U"]
    assert system.shapes["h"] == (h,) and system.shapes["V"][0] == h
    m, t = system.shapes["X"]
    assert system.shapes["a"] == (t,) and system.shapes["V"] == (h, m)
    from papermath.explain import explain

    assert explain(system) is not None  # explain reads f as the activation
    with pytest.raises(PapermathError) as code:  # which nonlinearity: code refused by name
        system.to_numpy({h: 3, n: 4, m: 4, t: 5})
    assert "not which one" in code.value.message
    system = papermath.compile(head + tail + "\n% inputs: a\n% papermath: f is relu\n")
    h, n = system.shapes["U"]
    m, t = system.shapes["X"]
    gen = system.to_numpy({h: 3, n: 4, m: 4, t: 5})
    rng = np.random.default_rng(0)
    p = gen.init_params(rng)
    x, big_x = rng.normal(size=4), rng.normal(size=(4, 5))
    a = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    out, _ = gen.forward(p, {"a": a, "x": x, "X": big_x})
    want = np.maximum(p["U"] @ x + p["V"] @ big_x @ a / np.abs(a).sum(), 0.0)
    np.testing.assert_allclose(out["h"], want, rtol=1e-12)


def test_nyu_site_macros_expand_as_the_site_defines_them() -> None:
    from papermath.parse.nyu_macros import table

    assert table()["\\vect"] == (1, "\\boldsymbol{#1}")
    system = papermath.compile(
        "% macros: nyu-dlsp20\n\\vect{h} = \\tanh(\\matr{W} \\vect{x}), \\vect{x} \\in \\R^{3}, "
        "\\vect{h} \\in \\R^{2}"
    )
    assert system.shapes["W"] == ("2", "3")
    assert any("nyu-dlsp20" in r.reading for r in system.readings)
    gen = system.to_numpy({})
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    x = rng.normal(size=(4, 3))
    out, _ = gen.forward(p, {"x": x})
    np.testing.assert_allclose(out["h"], np.tanh(x @ p["W"].T), rtol=1e-12)


def test_nyu_gcn_matrix_from_its_origin_is_refused_at_the_bold_letters() -> None:
    """With the site's macros (chosen by the case's origin), the case reaches the blocker that
    stays: ``\\boldsymbol{UX}``, several letters in one bold (a product or a name)."""
    from wild import measure

    case = tomllib.loads((CASES / "nyu_gcn_matrix.toml").read_text())
    text = measure.case_latex("nyu_gcn_matrix", case)
    with pytest.raises(PapermathError) as info:
        papermath.compile(text)
    err = info.value
    assert err.span is not None
    assert text[err.span.start : err.span.end] == "\\boldsymbol{UX}"


def test_a_function_of_one_symbol_at_two_indices_says_so() -> None:
    """Distill's link loss with its indices declared (as the case's refusal hints): the
    parameters y_v, y_u are one y at two indices, said by name."""
    text = _latex("distill_gnn_link_prediction_loss") + "\n$$v, u \\in V$$\n"
    with pytest.raises(PapermathError) as info:
        papermath.compile(text)
    err = info.value
    assert "y_v and y_u are one symbol, y, at two indices" in err.message
    assert err.span is not None and text[err.span.start :].startswith("\\mathcal{L}(y_v")
    assert "y_{in}" in (err.hint or "")
    with pytest.raises(PapermathError) as twice:
        papermath.compile("f(x, x) = x + 1")
    assert "x is written twice" in twice.value.message


def test_braced_system_in_an_rst_math_directive() -> None:
    text = (
        "The cell computes\n\n.. math::\n\n   \\begin{cases}\n"
        "   h_t &= \\tanh(W h_{t-1} + U x_t + b) \\\\\n   y_t &= V h_t\n   \\end{cases}\n\n"
        "where x is the input.\n"
    )
    system = papermath.compile(text)
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"
    assert any("cases-brace-system" in r.reading for r in system.readings)
    n = system.shapes["h"][0]
    assert system.shapes["W"] == (n, n) and system.shapes["V"][1] == n
