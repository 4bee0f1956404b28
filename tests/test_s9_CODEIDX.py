r"""Brackets in formulas written as code (issue 24, brief CODEIDX; parse/code_index.py).

The Element-Research rnn README writes its cells as Lua pseudo-code, ``z[t] = σ(W[x->z]x[t]
+ W[s->z]s[t−1] + b[1->z])``: ``x[t]`` the step, ``W[x->z]`` a weight's name, factors side by
side a product. Lasagne's ``updates[param]`` is a dictionary lookup where the parameter line
says ``updates : OrderedDict``. Oracles: hand-written NumPy loops of the README's equations
(GRU, FastLSTM) and of Lasagne's update, run on the generated module's own random weights
and inputs; torch autograd for the GRU's gradient.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.backends.data import random_inputs
from papermath.errors import PapermathError
from papermath.parse import code_index

os.environ.setdefault("PAPERMATH_KERNELS", "off")

CASES = Path(__file__).parent / "wild" / "cases"


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def _sig(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def _run(system: papermath.System, dims: dict[str, int], seed: int = 0) -> tuple:
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(seed)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=4)
    outputs, _ = gen.forward(params, inputs, state)
    return params, inputs, state, outputs


def _sizes(system: papermath.System, x: str, h: str) -> dict[str, int]:
    return {system.shapes[x][0]: 3, system.shapes[h][0]: 2}


def test_element_rnn_gru_against_the_readme_by_hand() -> None:
    system = papermath.compile(_latex("element_rnn_gru"))
    assert system.kinds["s"] == "state" and system.kinds["x"] == "input"
    assert system.kinds["W_hr_to_c"] == "parameter"
    assert system.shapes["W_x_to_z"] == (system.shapes["s"][0], system.shapes["x"][0])
    p, inputs, state, out = _run(system, _sizes(system, "x", "s"))
    s = state["s"]
    for t in range(inputs["x"].shape[0]):
        x = inputs["x"][t]
        z = _sig(x @ p["W_x_to_z"].T + s @ p["W_s_to_z"].T + p["b_1_to_z"])
        r = _sig(x @ p["W_x_to_r"].T + s @ p["W_s_to_r"].T + p["b_1_to_r"])
        h = np.tanh(x @ p["W_x_to_h"].T + (s * r) @ p["W_hr_to_c"].T + p["b_1_to_h"])
        s = (1 - z) * h + z * s
        np.testing.assert_allclose(out["s"][t], s, rtol=1e-12, atol=1e-12)


def test_element_rnn_fastlstm_against_the_readme_by_hand() -> None:
    system = papermath.compile(_latex("element_rnn_fastlstm"))
    assert system.kinds["h"] == system.kinds["c"] == "state"
    p, inputs, state, out = _run(system, _sizes(system, "x", "h"), seed=1)
    h, c = state["h"], state["c"]

    def gate(q: str, x: np.ndarray) -> np.ndarray:
        return x @ p[f"W_x_to_{q}"].T + h @ p[f"W_h_to_{q}"].T + p[f"b_1_to_{q}"]

    for t in range(inputs["x"].shape[0]):
        x = inputs["x"][t]
        i, f, o = _sig(gate("i", x)), _sig(gate("f", x)), _sig(gate("o", x))
        z = np.tanh(gate("c", x))
        c = f * c + i * z
        h = o * np.tanh(c)
        np.testing.assert_allclose(out["h"][t], h, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(out["c"][t], c, rtol=1e-12, atol=1e-12)


def test_element_rnn_gru_gradient_against_torch_autograd() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(_latex("element_rnn_gru"))
    dims = _sizes(system, "x", "s")
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(2)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=3)
    out, cache = gen.forward(p, inputs, state)
    seed = {"s": rng.standard_normal(out["s"].shape)}
    grads = gen.backward(p, cache, seed)
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    s = torch.tensor(state["s"])
    total = torch.zeros((), dtype=torch.float64)
    for t in range(inputs["x"].shape[0]):
        x = torch.tensor(inputs["x"][t])
        z = torch.sigmoid(x @ tp["W_x_to_z"].T + s @ tp["W_s_to_z"].T + tp["b_1_to_z"])
        r = torch.sigmoid(x @ tp["W_x_to_r"].T + s @ tp["W_s_to_r"].T + tp["b_1_to_r"])
        h = torch.tanh(x @ tp["W_x_to_h"].T + (s * r) @ tp["W_hr_to_c"].T + tp["b_1_to_h"])
        s = (1 - z) * h + z * s
        total = total + (s * torch.tensor(seed["s"][t])).sum()
    total.backward()
    for key in ("W_hr_to_c", "W_x_to_z", "b_1_to_h"):
        np.testing.assert_allclose(grads[key], tp[key].grad.numpy(), rtol=1e-9, atol=1e-12)


def test_lasagne_apply_momentum_against_the_update_by_hand() -> None:
    for name, nesterov in (
        ("lasagne_apply_momentum", False),
        ("lasagne_apply_nesterov_momentum", True),
    ):
        system = papermath.compile(_latex(name))
        assert system.kinds["updates_param"] == "input"  # given at each step
        assert system.kinds["momentum"] == "constant" and system.shapes["momentum"] == ()
        dims = {system.shapes["param"][0]: 3}
        gen = system.to_numpy(dims)
        rng = np.random.default_rng(4)
        params = gen.init_params(rng)
        inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=4)
        inputs["momentum"] = np.float64(0.9)
        out, _ = gen.forward(params, inputs, state)
        param, velocity = state["param"], state["velocity"]
        for t in range(inputs["updates_param"].shape[0]):
            step = inputs["updates_param"][t] - param  # Lasagne: updates[param] - param
            velocity = 0.9 * velocity + step
            param = param + (0.9 * velocity + step if nesterov else velocity)
            np.testing.assert_allclose(out["param"][t], param, rtol=1e-12)
            np.testing.assert_allclose(out["velocity"][t], velocity, rtol=1e-12)


def test_a_lookup_is_read_only_where_the_prose_says_dictionary() -> None:
    text = _latex("lasagne_apply_momentum")
    no_dict = text.replace("updates : OrderedDict", "updates : list")
    with pytest.raises(PapermathError, match="indexing") as err:
        papermath.compile(no_dict)
    assert err.value.span is not None and no_dict[err.value.span.start] == "["


def test_keys_of_names_written_with_arrows() -> None:
    assert code_index.written_key("W[x->i]") == "W_x_to_i"
    assert code_index.written_key("W_x") is None
    system = papermath.compile("```lua\nh[t] = tanh(W[x->h]x[t] + W[h->h]h[t−1] + b[1->h])\n```\n")
    assert system.recurrence is not None and system.recurrence.states == ("h",)
    assert system.shapes["W_h_to_h"] == (system.shapes["h"][0],) * 2
    assert system.shapes["W_x_to_h"] == (system.shapes["h"][0], system.shapes["x"][0])


@pytest.mark.parametrize(
    "code, at",
    [
        ("```lua\ny = x[0] + b\n```\n", "["),  # a number: no index letter
        ("```lua\ny = x[t+k] + b\n```\n", "["),
        ("```lua\ny = y_true[i] + b\n```\n", "["),  # a name with parts
        ("```python\ny = x[a, b]\n```\n", "["),
    ],
)
def test_other_brackets_stay_refused(code: str, at: str) -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(code)
    span = err.value.span
    assert span is not None and code[span.start : span.end] == at


def test_juxtaposition_only_on_a_line_that_indexes() -> None:
    with pytest.raises(PapermathError):
        papermath.compile("```python\ny = (a + b)c\n```\n")  # no bracket index: Python, an error


def test_diagonal_peepholes_read_as_masked_and_as_the_vector_form() -> None:
    """Since session 10 the peepholes the prose says are diagonal read as ``W \\odot I``
    (tests/test_s10_MISC6.py: a hand loop); the vector form the old hint gave still reads."""
    text = _latex("element_rnn_lstm_peephole")
    system = papermath.compile(text)
    assert system.shapes["W_c_to_i"] == (system.shapes["c"][0],) * 2
    assert any(r.reading == "diagonal weight" for r in system.readings)
    fixed = text
    for q in "ifo":
        fixed = fixed.replace(f"W[c->{q}]c[", f"p[c->{q}] * c[")
    system = papermath.compile(fixed)
    assert system.shapes["p_c_to_i"] == system.shapes["c"]  # a vector: the diagonal


def test_a_fraction_drawn_over_lines_is_refused_on_its_bar() -> None:
    text = _latex("element_rnn_bn_lstm")
    with pytest.raises(PapermathError, match="drawn over three lines") as err:
        papermath.compile(text)
    span = err.value.span
    assert span is not None and set(text[span.start : span.end]) == {"-"}


def test_equation_numbers_at_line_ends_are_no_factor() -> None:
    line = "h[t] = σ(W[x->h]x[t] + W[h->h]h[t−1])"
    system = papermath.compile(f"```lua\n{line}                (1)\n```\n")
    assert system.shapes["h"] == (system.shapes["W_x_to_h"][0],)
    assert len(system.equations) == 1


def _loss(system: papermath.System, values: dict[str, np.ndarray]) -> float:
    size = system.shapes["x" if "x" in system.shapes else "o"][0]
    gen = system.to_numpy({size: values[next(iter(values))].shape[0]})
    out, _ = gen.forward({}, {k: v[None, :] for k, v in values.items()}, {})
    return float(np.asarray(out["loss"]).reshape(-1)[0])


def test_torch7_abs_criterion_against_torch_l1_loss() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(_latex("torch7_abs_criterion"))
    assert system.kinds["y"] == "target" and system.shapes["x"] == system.shapes["y"]
    assert "n" not in system.shapes  # n counts the entries: a size, no parameter
    rng = np.random.default_rng(7)
    x, y = rng.standard_normal(6), rng.standard_normal(6)
    want = torch.nn.functional.l1_loss(torch.tensor(x), torch.tensor(y)).item()
    np.testing.assert_allclose(_loss(system, {"x": x, "y": y}), want, rtol=1e-12)


def test_torch7_dist_kl_div_criterion_against_torch_kl_div() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(_latex("torch7_dist_kl_div_criterion"))
    assert system.kinds["target"] == "target" and system.kinds["x"] == "input"
    rng = np.random.default_rng(8)
    x, target = np.log(rng.dirichlet(np.ones(5))), rng.dirichlet(np.ones(5))
    total = torch.nn.functional.kl_div(torch.tensor(x), torch.tensor(target), reduction="sum")
    want = total.item() / x.size  # Torch7's sizeAverage: the mean over the elements
    np.testing.assert_allclose(_loss(system, {"x": x, "target": target}), want, rtol=1e-12)


def test_torch7_bce_one_form_against_torch_binary_cross_entropy() -> None:
    torch = pytest.importorskip("torch")
    line = "loss(o, t) = - 1/n sum_i (t[i] * log(o[i]) + (1 - t[i]) * log(1 - o[i]))"
    system = papermath.compile(f"```lua\n{line}\n```\n")
    rng = np.random.default_rng(9)
    o, t = rng.uniform(0.05, 0.95, 4), rng.integers(0, 2, 4).astype(float)
    want = torch.nn.functional.binary_cross_entropy(torch.tensor(o), torch.tensor(t)).item()
    np.testing.assert_allclose(_loss(system, {"o": o, "t": t}), want, rtol=1e-12)


def test_torch7_bce_weighted_form_against_torch_binary_cross_entropy() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(_latex("torch7_bce_criterion"))  # two forms: the weighted read
    assert system.kinds["t"] == "target" and system.kinds["weights"] == "input"
    said = " ".join(r.reading + " " + r.reason for r in system.readings)
    assert "second variant" in said and "weights[i]" in said
    rng = np.random.default_rng(10)
    o, t = rng.uniform(0.05, 0.95, 5), rng.integers(0, 2, 5).astype(float)
    w = rng.uniform(0.5, 2.0, 5)
    want = torch.nn.functional.binary_cross_entropy(
        torch.tensor(o), torch.tensor(t), weight=torch.tensor(w)
    ).item()
    np.testing.assert_allclose(_loss(system, {"o": o, "t": t, "weights": w}), want, rtol=1e-12)


def test_an_entry_value_in_a_prose_span_is_no_definition() -> None:
    assert code_index.entry_value("t[i] = 1") and not code_index.entry_value("y = x[i] + 1")
    text = "```lua\nloss(o, t) = -sum_i t[i] * log(o[i])\n```\npredicting `t[i] = 1`\n"
    system = papermath.compile(text)
    assert [eq.lhs.key for eq in system.equations] == ["loss"]


def test_torch7_labels_are_read_where_the_prose_says_class_index() -> None:
    # since session 10 (CODE7, parse/code_labels.py) x[class] is read where the prose says
    # class is the class index (a target); the NLL criterion's ignoreIndex form, a C-style
    # conditional announced as another case, is left out and said (tests/test_s10_CODE7.py)
    text = _latex("torch7_class_nll_criterion")
    system = papermath.compile(text)
    assert system.kinds["class"] == "target"
    assert any("C-style conditional" in r.reason for r in system.readings)
    with pytest.raises(PapermathError, match="by a name, x\\[class\\]"):
        papermath.compile("```lua\nloss(x, class) = -x[class]\n```\n")


@pytest.mark.parametrize(
    "code, words, at",
    [
        ("```lua\nloss = \\sum x_i * y_j\n```\n", "several letters", "\\sum"),
        ("```lua\nloss = 1/n \\sum x\n```\n", "no letter", "\\sum"),
        ("```lua\nloss = \\frac{1}{n} x\n```\n", "LaTeX command", "\\frac"),
        ("```lua\nloss = ||x||\n```\n", "a norm or two bars", "||"),  # no nested abs
    ],
)
def test_sums_in_code_that_stay_refused(code: str, words: str, at: str) -> None:
    with pytest.raises(PapermathError, match=words) as err:
        papermath.compile(code)
    span = err.value.span
    assert span is not None and code[span.start : span.end] == at


def test_one_over_n_bounds_only_an_unbounded_sum() -> None:
    system = papermath.compile("```lua\nloss(x) = 1/n \\sum_j x_j\n```\n")
    assert system.shapes["x"] == ("n",)  # n counts the terms: x has n entries
    other = papermath.compile("```lua\nloss(x) = 2/n \\sum_j x_j\n```\n")
    assert other.shapes["x"] != ("n",)  # 2/n: no mean, n is no count


def test_a_name_sum_i_with_no_term_after_it_is_a_name() -> None:
    system = papermath.compile("```python\nloss = sum_i / n\n```\n")
    assert "sum_i" in system.shapes  # a variable, not a sum over i


def test_keyed_names_print_with_their_arrow() -> None:
    from papermath.diagram import symbol_html
    from papermath.report.symbols import symbol

    assert symbol("W_x_to_i") == "W_{x \\to i}"
    assert symbol_html("W_hr_to_c") == "W<sub>hr→c</sub>"


def test_i_e_in_prose_names_no_symbol() -> None:
    from papermath.parse.normalize import _names_symbols

    assert not _names_symbols("i.e. omitting the summands (eq. 1), (eq. 2), and (eq. 5).")
    assert _names_symbols("where x is the input and h is the previous state")


def test_a_single_letter_key_of_a_dictionary_is_a_lookup() -> None:
    system = papermath.compile("* ``p := p - updates[p]``\n\nupdates : dict\n")
    assert system.kinds["updates_p"] == "input" and system.kinds["p"] == "state"


def test_the_equations_typeset_as_read() -> None:
    from papermath.report.typeset import Typesetter

    system = papermath.compile(_latex("element_rnn_gru"))
    printed = [Typesetter(system).equation(eq) for eq in system.equations]
    assert printed[0].startswith("z_t = \\sigma") and "W_{x \\to z} x_{t}" in printed[0]
    assert "[" not in " ".join(printed)  # no bracket left as typed
