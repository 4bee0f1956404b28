"""Session 10, helper NOTATION6: a function's parameters named after a semicolon
(``f(x; \\theta)``, parse/param_semicolon.py, read/rules_param_sets.py) and a bidirectional
layer whose directions read the joint state (parse/direction_labels.py, a refusal).

Oracles: torch's linear layer and autograd for the generated forward and backward, and the
cases' own text (what the source writes, where the caret must be)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.casefile import from_toml
from papermath.errors import PapermathError

WILD = Path(__file__).resolve().parent / "wild" / "cases"


def case(name: str) -> tuple[papermath.System, str]:
    loaded = from_toml((WILD / f"{name}.toml").read_text(encoding="utf-8"), f"{name}.toml")
    return papermath.compile(loaded.latex), loaded.latex


def refused(text: str) -> tuple[PapermathError, str]:
    with pytest.raises(PapermathError) as info:
        papermath.compile(text)
    err = info.value
    assert err.span is not None
    return err, text[err.span.start : err.span.end]


# ---- f(x; \theta) ---------------------------------------------------------------------------


def test_theta_is_the_parameters_of_f_and_f_is_learnable() -> None:
    system = papermath.compile("s^{(t)} = f(s^{(t-1)}; \\theta)")
    assert system.kinds["theta"] == "parameter" and system.kinds["f"] == "function"
    assert "theta" not in system.shapes  # a set of arrays (f's), not one of them
    assert any("the parameters of f" in r.reading for r in system.readings)


def test_in_prose_a_semicolon_call_is_words_not_parameters() -> None:
    system = papermath.compile("We call f(x; y) in prose.\n$$y = g(x)$$")
    assert "theta" not in system.kinds and system.kinds.get("y") != "parameter"
    inline = papermath.compile("The map $s^{(t)} = f(s^{(t-1)}; \\theta)$ is a system.")
    assert inline.kinds["theta"] == "parameter"


def test_the_same_call_without_the_name_reads_the_same_shapes() -> None:
    named = papermath.compile("h^{(t)} = f(h^{(t-1)}, x^{(t)}; \\theta)")
    plain = papermath.compile("h^{(t)} = f(h^{(t-1)}, x^{(t)})")
    assert dict(named.shapes) == dict(plain.shapes)
    assert {k: v for k, v in named.kinds.items() if k != "theta"} == dict(plain.kinds)


def test_driven_system_forward_and_gradient_equal_torch() -> None:
    torch = pytest.importorskip("torch")
    system, _ = case("dlbook_zh_driven_system_hidden")
    assert system.kinds["theta"] == "parameter"
    H, D = system.shapes["h"][0], system.shapes["x"][0]
    assert system.shapes["s"] == (H,)  # the same f: the same state size
    gen = system.to_numpy({H: 3, D: 2})
    rng = np.random.default_rng(7)
    p = gen.init_params(rng)
    assert set(p) == {"f.weight", "f.bias"}  # theta: f's weights, nothing else
    T, N = 4, 2
    x = rng.normal(size=(T, N, 2))
    init = {"s": rng.normal(size=(N, 3)), "h": rng.normal(size=(N, 3))}
    out, cache = gen.forward(p, {"x": x}, init)
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    xs = torch.tensor(x)
    state = {k: torch.tensor(v) for k, v in init.items()}
    g = {k: rng.normal(size=out[k].shape) for k in ("s", "h")}
    total = torch.zeros((), dtype=torch.float64)
    for t in range(T):  # f(a, x) = Linear([a; x]) with one weight, both equations
        for k in ("s", "h"):
            both = torch.cat([state[k], xs[t]], dim=1)
            state[k] = torch.nn.functional.linear(both, tp["f.weight"], tp["f.bias"])
            np.testing.assert_allclose(out[k][t], state[k].detach().numpy(), atol=1e-12)
            total = total + (state[k] * torch.tensor(g[k][t])).sum()
    total.backward()
    ours = gen.backward(p, cache, g)
    for key, value in tp.items():
        assert value.grad is not None
        np.testing.assert_allclose(ours[key], value.grad.numpy(), atol=1e-10, err_msg=key)


def test_dynamical_system_through_every_stage() -> None:
    from papermath.cli import shapes_table
    from papermath.explain import explain, render
    from papermath.report.gradients import derive

    system, _ = case("dlbook_zh_dynamical_system")
    assert system.kinds == {**system.kinds, "s": "state", "theta": "parameter"}
    assert "theta" in shapes_table(system) and "f.weight" in shapes_table(system)
    assert "the source names them theta" in render(explain(system))
    with pytest.raises(PapermathError, match="all the parameters of f"):
        derive(system, "theta")


@pytest.mark.parametrize(
    ("text", "words", "at"),
    [
        ("y = f(x; W, b)", "semicolon", "; W, b"),  # a list of parameters
        ("f(x; W) = W x", "semicolon", "; W"),  # a definition, its body with them
        ("y = p(z | x; \\theta)", "semicolon", "; \\theta"),  # a probability
        ("y = \\sigma(x; \\theta)", "semicolon", "; \\theta"),  # a known function
        ("e = F(Y; \\Theta)", "not read as a learnable function", "\\Theta"),  # a matrix
        ("h_t = h(x_t; \\theta)", "not read as a learnable function", "\\theta"),  # a value
        ("y = f(x; \\theta) + g(z; \\theta)", "both f and g", "\\theta"),
        ("y = f(x; \\theta) + f(z; \\phi)", "two names", "\\phi"),
        ("y = f(x; \\theta) + \\theta", "also written as a value", "\\theta"),
    ],
)
def test_what_is_not_read_is_refused_by_name(text: str, words: str, at: str) -> None:
    err, under = refused(text)
    assert words in err.message and under == at, (err.message, under)


# ---- bidirectional labels: the backward direction reads h_{t-1} ----------------------------


@pytest.mark.parametrize(
    "name",
    [
        "chainer_n_step_bigru_state_mismatch",
        "chainer_n_step_bilstm_state_mismatch",
        "chainer_n_step_birnn_concat_typo",
    ],
)
def test_bidirectional_docstrings_refused_at_the_backward_previous_state(name: str) -> None:
    loaded = from_toml((WILD / f"{name}.toml").read_text(encoding="utf-8"), f"{name}.toml")
    err, under = refused(loaded.latex)
    assert under == "h_{t-1}"
    line = loaded.latex[: err.span.start].rsplit("\n", 1)[-1]  # type: ignore[union-attr]
    assert "^{b}" in line  # the backward direction's equation (the case's own text)
    assert "h^{b}_{t+1}" in (err.hint or "")


BIRNN = (
    "The forward and the backward RNN.\n"
    "$$h^{f}_t = \\tanh(W^{f} x_t + U^{f} h_{t-1})$$\n"
    "$$h^{b}_t = \\tanh(W^{b} x_t + U^{b} h_{t-1})$$\n"
    "$$h_t = [h^{f}_t; h^{b}_t]$$\n"
)


def test_a_written_out_bidirectional_layer_is_refused_at_its_backward_line() -> None:
    err, under = refused(BIRNN)
    assert under == "h_{t-1}" and err.span is not None
    assert BIRNN.index("h^{b}_t =") < err.span.start < BIRNN.index("h_t =")


def test_own_previous_states_are_not_refused_by_this_rule() -> None:
    own = BIRNN.replace("U^{f} h_{t-1}", "U^{f} h^{f}_{t-1}").replace(
        "U^{b} h_{t-1}", "U^{b} h^{b}_{t+1}"
    )
    try:
        papermath.compile(own)
    except PapermathError as err:  # another construct may refuse; never this one
        assert "backward direction's equation" not in err.message
    # without the words forward and backward the labels say nothing of direction
    words = BIRNN.replace("The forward and the backward RNN.\n", "")
    try:
        papermath.compile(words)
    except PapermathError as err:
        assert "backward direction's equation" not in err.message


# ---- a vector written by its entries: [w_1 \\ w_2 \\ \vdots \\ w_n] -------------------------

DOT = (
    "h = \\begin{bmatrix} x_1 \\, x_2 \\cdots  x_n \\end{bmatrix} \\cdot \n"
    "\\begin{bmatrix} w_1 \\\\ w_2 \\\\ \\vdots \\\\ w_n \\end{bmatrix}"
)


def test_row_times_column_is_the_dot_product_of_n_entries() -> None:
    system = papermath.compile(DOT)
    assert system.shapes["x"] == ("n",) and system.shapes["w"] == ("n",)
    assert system.shapes["h"] == ()
    gen = system.to_numpy({"n": 5})
    rng = np.random.default_rng(1)
    p = gen.init_params(rng)
    x = rng.normal(size=(3, 5))
    out, _ = gen.forward(p, {"x": x})
    for k in range(3):  # h = x_1 w_1 + ... + x_n w_n, by hand
        want = sum(x[k, i] * p["w"][i] for i in range(5))
        np.testing.assert_allclose(out["h"][k], want, atol=1e-12)


def test_a_column_times_a_matrix_and_its_gradient_equal_torch() -> None:
    torch = pytest.importorskip("torch")
    text = (
        "y = \\tanh(W \\begin{pmatrix} v_1 \\\\ v_2 \\\\ v_3 \\\\ \\vdots \\\\ v_m \\end{pmatrix})"
    )
    system = papermath.compile(text)
    assert system.shapes["v"] == ("m",) and system.shapes["W"][1] == "m"
    out_size = system.shapes["y"][0]
    gen = system.to_numpy({"m": 4, out_size: 3})
    rng = np.random.default_rng(2)
    p = gen.init_params(rng)
    inputs = {k: rng.normal(size=(2, 4)) for k in ("v",) if system.kinds["v"] == "input"}
    params = dict(p)
    out, cache = gen.forward(p, inputs)
    v = torch.tensor(inputs["v"] if inputs else p["v"], requires_grad=True)
    w = torch.tensor(params["W"], requires_grad=True)
    y = torch.tanh(torch.nn.functional.linear(v, w))
    np.testing.assert_allclose(out["y"], y.detach().numpy(), atol=1e-12)
    g = rng.normal(size=out["y"].shape)
    (y * torch.tensor(g)).sum().backward()
    ours = gen.backward(p, cache, {"y": g})
    assert w.grad is not None
    np.testing.assert_allclose(ours["W"], w.grad.numpy(), atol=1e-10)


def test_the_reading_quotes_the_entries() -> None:
    system = papermath.compile(DOT)
    said = [r.reason for r in system.readings if "entry-pattern-vector" in r.reason]
    assert any("w_1 to w_n" in s for s in said) and any("x_1 to x_n" in s for s in said)


@pytest.mark.parametrize(
    "matrix",
    [
        "w_{11} & w_{12} \\\\ \\vdots & \\vdots \\\\ w_{n1} & w_{n2}",  # two indices
        "x_1 \\\\ x_3 \\\\ \\vdots \\\\ x_n",  # out of order
        "x_0 \\\\ x_1 \\\\ \\vdots \\\\ x_n",  # not from 1
        "x_1 \\\\ \\vdots \\\\ x_{n-1}",  # the last no letter
        "x_1^2 \\\\ \\vdots \\\\ x_n^2",  # entries not plain
        "x_1 \\\\ \\vdots \\\\ y_n",  # two letters
    ],
)
def test_a_pattern_not_forced_is_not_read_as_a_vector(matrix: str) -> None:
    text = f"Z = \\begin{{bmatrix}} {matrix} \\end{{bmatrix}}"
    with pytest.raises(PapermathError) as info:
        papermath.compile(text)
    assert "entry-pattern" not in info.value.message


def test_a_family_the_text_defines_stays_the_family_stacked() -> None:
    text = "y = W \\begin{bmatrix}h_1\\\\\\vdots\\\\h_n\\end{bmatrix} \\\\ h_i = U_i x"
    try:
        system = papermath.compile(text)
    except PapermathError as err:
        assert "entry-pattern" not in err.message
    else:
        assert not any("entry-pattern-vector" in r.reason for r in system.readings)


def test_a_matrix_of_two_indices_with_no_name_is_refused_with_its_size() -> None:
    _, latex = case_text("udacity_two_layer_network")
    err, under = refused(latex)
    assert under == "\\vdots" and "w_{ij}" in err.message
    # the size from the indices the source writes: rows w_{n1}, columns w_{.2}
    assert "W \\in \\mathbb{R}^{n \\times 2}" in (err.hint or "")


def case_text(name: str) -> tuple[str, str]:
    loaded = from_toml((WILD / f"{name}.toml").read_text(encoding="utf-8"), f"{name}.toml")
    return name, loaded.latex
