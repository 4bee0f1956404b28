"""Session 9, helper DLBOOK: the Deep Learning book's notation (its Chinese edition's preamble,
math_symbol.tex) as a known macro set, and the book's chapter-10 cases through every stage.

Oracles: hand-written NumPy loops over the steps (the book's equations, typed here), torch
autograd through a hand-written torch loop, and the file's own text for the macro table."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.casefile import from_toml
from papermath.errors import PapermathError, ParseError
from papermath.parse import dlbook_notation, step_ranges
from papermath.parse.sitemacros import SITES, recognise

WILD = Path(__file__).resolve().parent / "wild" / "cases"
ORIGIN = "https://github.com/exacity/deeplearningbook-chinese/blob/a03e98d/Chapter10/x.tex"


def case(name: str) -> tuple[papermath.System, dict]:
    text = (WILD / f"{name}.toml").read_text(encoding="utf-8")
    loaded = from_toml(text, f"{name}.toml")
    return papermath.compile(loaded.latex), tomllib.loads(text)


def refused(text: str) -> PapermathError:
    with pytest.raises(PapermathError) as info:
        papermath.compile(text)
    return info.value


def caret(err: PapermathError, text: str) -> str:
    assert err.span is not None
    return text[err.span.start : err.span.end]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


# ---- the macro table, from the file -------------------------------------------------------


def test_the_table_is_the_files_definitions_and_nothing_else() -> None:
    table = dlbook_notation.table()
    lines = [ln for ln in dlbook_notation.MATH_SYMBOL_TEX.splitlines() if "\\newcommand" in ln]
    assert len(table) == len(lines) == 258  # one entry per \newcommand line of the file
    for line in lines:  # each body, as the file writes it
        name = line.split("}", 1)[0].removeprefix("\\newcommand{")
        assert line.endswith("{" + table[name][1] + "}")
    assert table["\\Vx"] == (0, "\\boldsymbol{\\mathit{x}}", "Vector")
    assert table["\\MW"] == (0, "\\boldsymbol{\\mathit{W}}", "Matrix")
    assert table["\\Vtheta"][1] == "\\boldsymbol{\\theta}"
    assert table["\\norm"][0] == 1  # \newcommand{\norm}[1]{...}
    assert table["\\SI"][1] == "\\mathit{L}"  # the file's own (odd) definition, kept
    assert "\\Vxi" not in table and "\\E" not in table  # not defined by this file


def test_the_set_is_chosen_by_its_origin_a_line_or_the_flag() -> None:
    assert recognise(ORIGIN) == "dlbook-zh"
    assert "dlbook-zh" in SITES
    body = "\\Vh^{(t)} = \\tanh(\\MW \\Vh^{(t-1)} + \\MU \\Vx^{(t)})\n"
    system = papermath.compile("% macros: dlbook-zh\n" + body)
    assert system.shapes["W"] == (system.shapes["h"][0],) * 2
    assert system.kinds["x"] == "input" and system.kinds["h"] == "state"
    (why,) = [r.reason for r in system.readings if r.reading == "site-macros: dlbook-zh"]
    assert "math_symbol.tex" in why and "Deep Learning book" in why
    assert "\\Vx as \\boldsymbol{\\mathit{x}} (the file's `% Vector`)" in why
    assert "\\MW as \\boldsymbol{\\mathit{W}} (the file's `% Matrix`)" in why
    # without the set, still refused, the hint naming it
    err = refused(body)
    assert caret(err, body) == "\\Vh" and err.hint is not None and "dlbook-zh" in err.hint


def test_a_macro_with_an_argument_expands_with_it() -> None:
    text = "% macros: dlbook-zh\ny = \\norm{\\Vx}^2\n\\Vx \\in \\mathbb{R}^{n}\n"
    system = papermath.compile(text)
    assert system.shapes["y"] == () and system.shapes["x"] == ("n",)
    gen = system.to_numpy({"n": 3})
    x = np.random.default_rng(0).normal(size=(4, 3))
    got = gen.forward(gen.init_params(np.random.default_rng(1)), {"x": x}, {})[0]["y"]
    np.testing.assert_allclose(np.ravel(got), (x**2).sum(axis=1), rtol=1e-12)


def test_a_macro_the_file_does_not_define_stays_refused() -> None:
    text = "% macros: dlbook-zh\n\\Vh^{(t)} = \\tanh(\\MW \\Vh^{(t-1)} + \\Vxi^{(t)})\n"
    err = refused(text)
    assert isinstance(err, ParseError)
    assert "does not define it" in err.message and "\\Vxi" in err.message


def test_the_english_notation_file_is_the_set_dlbook() -> None:
    table = dlbook_notation.english_table()
    text = dlbook_notation.MATH_COMMANDS_TEX
    for name, (arity, body, _) in table.items():  # each as the file writes it (last wins)
        last = [
            ln for ln in text.splitlines() if ln.startswith((f"\\def{name}{{", f"\\def{name}#"))
        ]
        last += [ln for ln in text.splitlines() if ln.startswith(f"\\newcommand{{{name}}}")]
        assert last and ("{" + body + "}") in last[-1], name
        assert arity == last[-1].split("{", 1)[0].count("#") or "[" in last[-1], name
    assert table["\\vx"][1] == "{\\bm{x}}" and table["\\mW"][1] == "{\\bm{W}}"
    assert table["\\E"][1] == "\\mathbb{E}" and table["\\R"][1] == "\\mathbb{R}"
    assert table["\\rvu"][1] == "{\\mathbf{u}}"  # defined twice in the file: the last, as TeX
    assert "\\argmax" not in table  # a \DeclareMathOperator line: papermath's own reading
    text = "% macros: dlbook\n\\vh^{(t)} = \\tanh(\\mW \\vh^{(t-1)} + \\mU \\vx^{(t)})\n"
    system = papermath.compile(text + "\\vx^{(t)} \\in \\R^{d}\n")
    assert system.shapes["U"][1] == "d" and system.kinds["h"] == "state"
    (why,) = [r.reason for r in system.readings if r.reading == "site-macros: dlbook"]
    assert "math_commands.tex" in why and "\\vx as {\\bm{x}} (the file's `% Vectors`)" in why


def test_without_a_set_the_refusal_names_the_file_that_defines_the_macro() -> None:
    text = "h = \\tanh(\\mW \\vx)\n"
    err = refused(text)
    assert caret(err, text) == "\\mW" and "math_commands.tex" in err.message
    assert err.hint is not None and "% macros: dlbook" in err.hint
    other = "\\Vxi = \\tanh(W x)\n"  # defined by neither file: no set is suggested
    err = refused(other)
    assert caret(err, other) == "\\Vxi" and err.hint is not None and "dlbook" not in err.hint


def test_a_control_symbol_definition_nothing_uses_is_left_out() -> None:
    """``\\def\\1{\\bm{1}}`` (the notation file's): left out unused, refused where used."""
    assert papermath.compile("\\def\\1{\\bm{1}}\ny = W x\n").shapes["y"]
    err = refused("\\def\\1{\\bm{1}}\ny = W x + \\1\n")
    assert "macro name" in err.message


# ---- the cases, against hand loops ---------------------------------------------------------


def test_rnn_forward_equals_the_books_loop() -> None:
    system, _ = case("dlbook_zh_rnn_forward")
    assert any(r.reading == "the steps an index runs over, said in words" for r in system.readings)
    sizes = {system.shapes["h"][0]: 4, system.shapes["x"][0]: 3, system.shapes["o"][0]: 5}
    gen = system.to_numpy(sizes)
    rng = np.random.default_rng(0)
    p = gen.init_params(rng)
    T, N = 6, 3
    x = rng.normal(size=(T, N, 3))
    h0 = rng.normal(size=(N, 4))
    out = gen.forward(p, {"x": x}, {"h": h0})[0]
    h = h0
    for t in range(T):  # eqs. 10.8-10.11, one example a row
        a = p["b"] + h @ p["W"].T + x[t] @ p["U"].T
        h = np.tanh(a)
        o = p["c"] + h @ p["V"].T
        y = np.exp(o - o.max(axis=1, keepdims=True))
        y /= y.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(out["h"][t], h, atol=1e-12)
        np.testing.assert_allclose(out["y_hat"][t], y, atol=1e-12)


def test_linear_recurrence_is_the_power_method() -> None:
    system, _ = case("dlbook_zh_linear_recurrence")
    n = system.shapes["h"][0]
    gen = system.to_numpy({n: 3, "T": 5})
    rng = np.random.default_rng(2)
    p = gen.init_params(rng)
    h0 = rng.normal(size=(2, 3))
    out = gen.forward(p, {}, {"h": h0})[0]
    want = h0 @ np.linalg.matrix_power(p["W"], 5)  # h^(t) = W^T h^(t-1), rows: h W
    np.testing.assert_allclose(out["h"][-1], want, atol=1e-12)


def gru_loop(p: dict, x: np.ndarray, h: np.ndarray, u: np.ndarray, r: np.ndarray) -> list:
    """Eqs. 10.45-10.47 per unit, as loops over i and j (the book's sums, typed by hand)."""
    hs = []
    H, D = p["W"].shape[0], p["U"].shape[1]
    for t in range(x.shape[0]):
        new_h = np.zeros_like(h)
        for n in range(x.shape[1]):
            for i in range(H):
                z = p["b"][i]
                z += sum(p["U"][i, j] * x[t, n, j] for j in range(D))
                z += sum(p["W"][i, j] * r[n, j] * h[n, j] for j in range(H))
                new_h[n, i] = u[n, i] * h[n, i] + (1 - u[n, i]) * sigmoid(z)
        h = new_h
        u = sigmoid(p["b_u"] + x[t] @ p["U_u"].T + h @ p["W_u"].T)
        r = sigmoid(p["b_r"] + x[t] @ p["U_r"].T + h @ p["W_r"].T)
        hs.append((h, u, r))
    return hs


def test_gru_per_unit_equals_the_books_loop_and_its_gradient_torch() -> None:
    system, _ = case("dlbook_zh_gru")
    assert system.kinds["u"] == "state" and system.kinds["r"] == "state"  # of step t-1
    H, D = system.shapes["h"][0], system.shapes["x"][0]
    gen = system.to_numpy({H: 3, D: 2})
    rng = np.random.default_rng(3)
    p = gen.init_params(rng)
    T, N = 5, 2
    x = rng.normal(size=(T, N, 2))
    init = {k: rng.uniform(0.1, 0.9, size=(N, 3)) for k in ("h", "u", "r")}
    out, cache = gen.forward(p, {"x": x}, init)
    for t, (h, u, r) in enumerate(gru_loop(p, x, init["h"], init["u"], init["r"])):
        np.testing.assert_allclose(out["h"][t], h, atol=1e-12)
        np.testing.assert_allclose(out["u"][t], u, atol=1e-12)
        np.testing.assert_allclose(out["r"][t], r, atol=1e-12)
    torch = pytest.importorskip("torch")
    g_h = rng.normal(size=out["h"].shape)
    ours = gen.backward(p, cache, {"h": g_h})
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    th = {k: torch.tensor(v, requires_grad=True) for k, v in init.items()}
    h, u, r = th["h"], th["u"], th["r"]
    xs = torch.tensor(x)
    total = torch.zeros((), dtype=torch.float64)
    for t in range(T):  # the same equations, written with torch ops
        z = tp["b"] + xs[t] @ tp["U"].T + (r * h) @ tp["W"].T
        h = u * h + (1 - u) * torch.sigmoid(z)
        u = torch.sigmoid(tp["b_u"] + xs[t] @ tp["U_u"].T + h @ tp["W_u"].T)
        r = torch.sigmoid(tp["b_r"] + xs[t] @ tp["U_r"].T + h @ tp["W_r"].T)
        total = total + (h * torch.tensor(g_h[t])).sum()
    total.backward()
    for key, value in tp.items():
        assert value.grad is not None
        np.testing.assert_allclose(ours[key], value.grad.numpy(), atol=1e-10, err_msg=key)
    for key, value in th.items():
        assert value.grad is not None
        np.testing.assert_allclose(ours[key], value.grad.numpy(), atol=1e-10, err_msg=key)


def test_lstm_per_unit_equals_the_books_loop() -> None:
    system, _ = case("dlbook_zh_lstm")
    H, D = system.shapes["h"][0], system.shapes["x"][0]
    gen = system.to_numpy({H: 3, D: 2})
    rng = np.random.default_rng(4)
    p = gen.init_params(rng)
    T, N = 5, 2
    x = rng.normal(size=(T, N, 2))
    h, s = rng.normal(size=(N, 3)), rng.normal(size=(N, 3))
    out = gen.forward(p, {"x": x}, {"h": h, "s": s})[0]

    def gate(k: str, t: int, h: np.ndarray) -> np.ndarray:
        return sigmoid(p[f"b{k}"] + x[t] @ p[f"U{k}"].T + h @ p[f"W{k}"].T)

    for t in range(T):  # eqs. 10.40-10.44: the cell input is a sigmoid, as the book writes
        f, g, q = gate("_f", t, h), gate("_g", t, h), gate("_o", t, h)
        s = f * s + g * gate("", t, h)
        h = np.tanh(s) * q
        np.testing.assert_allclose(out["s"][t], s, atol=1e-12)
        np.testing.assert_allclose(out["h"][t], h, atol=1e-12)


def test_entries_of_a_product_summed_against_a_matrix() -> None:
    r"""\sum_j W_{i,j} r_j h_j is entry i of W (r \odot h); a sum of two matrices' entries
    against a vector stays refused."""
    text = "y_i = \\tanh(\\sum_j W_{i,j} r_j h_j) + h_i\nr, h \\in \\mathbb{R}^{n}\n"
    system = papermath.compile(text)
    assert system.shapes["W"] == ("n", "n")
    assert system.kinds["r"] == system.kinds["h"] == "parameter"  # unindexed: learned
    gen = system.to_numpy({"n": 3})
    p = gen.init_params(np.random.default_rng(5))
    got = gen.forward(p, {}, {})[0]["y"]
    r, h, w = p["r"], p["h"], p["W"]
    want = [np.tanh(sum(w[i, j] * r[j] * h[j] for j in range(3))) + h[i] for i in range(3)]
    np.testing.assert_allclose(np.ravel(got), want, atol=1e-12)
    bad = "y_i = \\sum_j W_{i,j} V_{i,j} h_j\nh \\in \\mathbb{R}^{n}\n"
    assert refused(bad).span is not None


# ---- the prose's range of steps; the refusals that stay -----------------------------------


def test_a_range_of_steps_in_words_reads_only_as_written() -> None:
    eq = "$h_t = \\tanh(W h_{t-1} + U x_t)$"
    for words in ("From $t = 1$ to $t = T$, ", "从$t= 1$到$t = \\tau$，"):
        system = papermath.compile(words + eq)
        assert system.kinds["h"] == "state"
        assert any("steps an index runs over" in r.reading for r in system.readings)
    entries = "From $i = 1$ to $i = n$, $y_i = \\tanh(x_i)$"  # i no step: n may be a size
    assert not step_ranges.ranges(entries)
    for other in ("From $t = 1$ to $s = T$, ", "From $k = 1$ to $k = T$, "):
        assert not step_ranges.ranges(other + eq)  # two letters; k written as no step
        try:  # read as before this rule, whatever that is: never as a range of steps
            system = papermath.compile(other + eq)
        except PapermathError:
            continue
        assert not any("steps an index runs over" in r.reading for r in system.readings)


def test_a_function_with_parameters_after_a_semicolon_is_refused_there() -> None:
    # one name after the semicolon, f(x; \theta), is read (parse/param_semicolon.py,
    # tests/test_s10_NOTATION6.py); a list of parameters is still refused there
    system_text = "s^{(t)} = f(s^{(t-1)}; W, b)\n"
    err = refused(system_text)
    assert caret(err, system_text) == "; W, b"
    assert "parameters" in err.message and err.hint is not None


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("dlbook_zh_leaky_unit", "conventions disagree"),  # mu, v: nothing says scalar
        ("dlbook_zh_rnn_sequence_loss", "conditional probability"),  # y_hat elsewhere
    ],
)
def test_the_honest_refusals_stay(name: str, why: str) -> None:
    text = (WILD / f"{name}.toml").read_text(encoding="utf-8")
    with pytest.raises(PapermathError) as info:
        papermath.compile(from_toml(text, f"{name}.toml").latex)
    assert why in info.value.message and info.value.span is not None


# ---- the book's kinds against the letters' conventions (shapes/rules_book_kinds.py) --------


@pytest.mark.parametrize(
    ("text", "at", "declared"),
    [
        (
            "% macros: dlbook-zh\n\\Vtheta_{t+1} = \\Vtheta_t + \\epsilon \\Vrho_t\n",
            "rho",
            "\\Vrho_t \\in \\mathbb{R}^{n}\n",
        ),
        (
            "% macros: dlbook\n\\vtheta_{t+1} = \\vtheta_t + \\epsilon \\vmu_t\n",
            "mu",
            "\\vmu_t \\in \\R^{n}\n",
        ),
    ],
)
def test_a_bold_greek_vector_of_the_book_is_not_a_scalar_by_convention(
    text: str, at: str, declared: str
) -> None:
    err = refused(text)
    assert "Deep Learning book's notation" in err.message and at in err.message
    assert err.hint is not None and "\\in \\mathbb{R}" in err.hint
    system = papermath.compile(text + declared)  # declared, it reads: one vector size
    assert system.shapes["theta"] == ("n",) and system.shapes[at] == ("n",)


def test_where_the_convention_agrees_with_the_book_nothing_is_said() -> None:
    system = papermath.compile("% macros: dlbook-zh\n\\Vh = \\tanh(\\MW \\Vx + \\Vb)\n")
    assert len(system.shapes["x"]) == 1 and len(system.shapes["W"]) == 2


def test_the_kinds_come_from_the_files_sections() -> None:
    from papermath.shapes.rules_book_kinds import kinds

    zh = kinds("dlbook-zh")
    assert zh["\\boldsymbol{\\mathit{x}}"][1:] == ("a vector", 1)
    assert zh["\\boldsymbol{\\mathit{W}}"][1:] == ("a matrix", 2)
    assert zh["\\mathit{a}"][1:] == ("a scalar", 0)
    assert zh["\\boldsymbol{\\theta}"][0] == "\\Vtheta"
    en = kinds("dlbook")
    assert en["\\bm{x}"][1:] == ("a vector", 1) and en["\\bm{W}"][1:] == ("a matrix", 2)
