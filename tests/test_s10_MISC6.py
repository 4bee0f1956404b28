r"""Session 10, helper MISC6: a step written in square brackets after a name, in LaTeX.

- ``h[t] = \tanh(W h[t-1] + U x[t])``, ``\hat{y}[t]``, ``h[0]`` (NYU's course notes, week 6;
  signal processing's ``y[n] = b_0 x[n] + ...``): read as the subscripts they mean
  (parse/bracket_steps.py ``rewrite``), only where the source makes its step brackets certain
  (a step bracket on a left side, or a letter with an offset). Other brackets read as before.

Oracles: the same equations written with subscripts (an independent spelling the reader has
read since session 1), a hand-written NumPy loop, torch autograd and float64 finite differences
(``papermath check``).
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

BRACKETS = r"""$$
h[t] = \tanh(W_h h[t-1] + W_x x[t] + b), \quad \hat{y}[t] = W_y h[t]
$$
"""
SUBSCRIPTS = r"""$$
h_t = \tanh(W_h h_{t-1} + W_x x_t + b), \quad \hat{y}_t = W_y h_t
$$
"""


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


@pytest.mark.parametrize(
    ("brackets", "subscripts"),
    [
        (BRACKETS, SUBSCRIPTS),
        (r"h[t] = \tanh(W h[t-1] + U x[t])", r"h_t = \tanh(W h_{t-1} + U x_t)"),
        # a step bracket in a matrix's row, the value at step 0 beside it
        (
            r"h[t] = \tanh(W \begin{bmatrix} x[t] \\ h[t-1] \end{bmatrix}), h[0] = 0",
            r"h_t = \tanh(W \begin{bmatrix} x_t \\ h_{t-1} \end{bmatrix}), h_0 = 0",
        ),
        # no left side in brackets: the offset makes it certain
        (r"y_t = \tanh(W s[t-1] + U x_t)", r"y_t = \tanh(W s_{t-1} + U x_t)"),
        # the product of a factor and a name with a step, written with no space (W_yh[t])
        (
            r"h[t] = \tanh(U x[t] + W h[t-1]), y[t] = W_yh[t]",
            r"h_t = \tanh(U x_t + W h_{t-1}), y_t = W_y h_t",
        ),
    ],
)
def test_bracket_steps_read_as_their_subscripts(brackets: str, subscripts: str) -> None:
    got, want = papermath.compile(brackets), papermath.compile(subscripts)
    assert got.shapes == want.shapes
    assert got.kinds == want.kinds
    assert not any(k.endswith(("_t", "_{t-1}")) for k in got.kinds)  # t a step, no label


def test_a_difference_equation_is_refused_as_its_subscript_spelling_is() -> None:
    """Signal processing's ``y[n] = b_0 x[n] + b_1 x[n-1] - a_1 y[n-1]``: read as
    ``y_n = b_0 x_n + ...``, which papermath refuses by name (what n is, nothing says);
    the bracket spelling must refuse the same way, at the same construct, never guess."""
    brackets = "$$\ny[n] = b_0\\,x[n] + b_1\\,x[n-1] - a_1\\,y[n-1]\n$$\n"
    subscripts = "$$\ny_n = b_0\\,x_n + b_1\\,x_{n-1} - a_1\\,y_{n-1}\n$$\n"
    with pytest.raises(PapermathError) as a:
        papermath.compile(brackets)
    with pytest.raises(PapermathError) as b:
        papermath.compile(subscripts)
    assert a.value.message.replace("x[n]", "x_n").replace("y[n]", "y_n") == b.value.message
    assert a.value.span is not None
    assert brackets[a.value.span.start : a.value.span.end] == "x[n]"


def test_brackets_that_are_no_step_read_as_before() -> None:
    # no step bracket anywhere certain: W[x] stays the product of W and the bracket
    system = papermath.compile(r"y = W[x], x \in \mathbb{R}^{m}, y \in \mathbb{R}^{k}")
    assert system.shapes["W"] == ("k", "m")
    # a block beside a step in brackets: the block is a block
    system = papermath.compile(
        r"h[t] = \tanh(W[x[t]; h[t-1]]), x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}"
    )
    assert system.shapes["W"] == ("n", "m + n")
    # a bracket holding a letter that is no step letter: left as it was (a product)
    a = papermath.compile(r"h[t] = \tanh(W h[t-1] + V z[k])")
    b = papermath.compile(r"h_t = \tanh(W h_{t-1} + V z [k])")
    assert a.shapes == b.shapes


def _hand_loop(
    p: dict[str, np.ndarray], x: np.ndarray, h0: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    h, hs, ys = h0, [], []
    for t in range(x.shape[0]):
        h = np.tanh(h @ p["W_h"].T + x[t] @ p["W_x"].T + p["b"])
        hs.append(h)
        ys.append(h @ p["W_y"].T)
    return np.stack(hs), np.stack(ys)


def test_bracket_steps_code_against_a_hand_loop_and_torch() -> None:
    system = papermath.compile(BRACKETS)
    h_size, x_size = system.shapes["W_x"]
    y_size = system.shapes["W_y"][0]
    dims = {h_size: 4, x_size: 3, y_size: 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(3)
    p = gen.init_params(rng)
    x = rng.normal(size=(5, 2, 3))
    h0 = rng.normal(size=(2, 4))
    out, _ = gen.forward(p, {"x": x}, {"h": h0})
    want_h, want_y = _hand_loop(p, x, h0)
    np.testing.assert_allclose(out["h"], want_h, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out["y_hat"], want_y, rtol=1e-12, atol=1e-12)
    module = system.to_torch(dims, dtype=torch.float64)
    with torch.no_grad():
        for key, value in p.items():
            getattr(module, key).copy_(torch.tensor(value))
    got = module(x=torch.tensor(x), h=torch.tensor(h0))
    np.testing.assert_allclose(got["y_hat"].detach().numpy(), want_y, rtol=1e-10, atol=1e-12)


def test_bracket_steps_backward_checks() -> None:
    system = papermath.compile(BRACKETS)
    h_size, x_size = system.shapes["W_x"]
    dims = {h_size: 3, x_size: 2, system.shapes["W_y"][0]: 2}
    results = check(system, dims, seed=1)
    assert results and all(r.ok for r in results), results


def test_bracket_steps_every_stage_runs(tmp_path: Path) -> None:
    from papermath.cli import main

    path = tmp_path / "rnn.tex"
    path.write_text(BRACKETS)
    system = papermath.compile(BRACKETS)
    h_size, x_size = system.shapes["W_x"]
    dims = f"--dims={h_size}=3,{x_size}=2,{system.shapes['W_y'][0]}=2"
    for argv in (
        ["shapes", str(path)],
        ["explain", str(path)],
        ["code", dims, str(path)],
        ["grad", "--wrt", "W_h", dims, str(path)],
        ["diagram", "-o", str(tmp_path / "d.svg"), dims, str(path)],
    ):
        assert main(argv) == 0, argv


def test_nyu_rnn_steps_read_and_its_blocks_stay_refused() -> None:
    """The wild case: every h[t], x[t], \\hat{y}[t], h[0] reads; ``[W_{hx} W_{hh}]`` (a matrix
    of blocks beside each other, or a product in brackets?) stays refused by name, the caret
    on the brackets: which columns of W_h multiply x, the source says only by the names."""
    text = _latex("nyu_rnn_bracket_time")
    with pytest.raises(ParseError) as info:
        papermath.compile(text)
    err = info.value
    assert "names side by side in square brackets" in err.message
    assert err.span is not None
    assert text[err.span.start : err.span.end].startswith("[ W_{hx} W_{hh}")


# ---- the peepholes the prose says are diagonal: W[c->i] \odot I (parse/code_index.py) -------


def _sig(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def test_diagonal_peepholes_against_the_readme_by_hand() -> None:
    """The Element-Research peephole LSTM: a hand loop in which each peephole is the diagonal
    of its matrix, a vector times the cell entry by entry (as the README says), run on the
    generated module's own random (full) weights: the entries off the diagonal never count."""
    from papermath.backends.data import random_inputs

    system = papermath.compile(_latex("element_rnn_lstm_peephole"))
    h_size, x_size = system.shapes["W_x_to_i"]
    assert system.shapes["W_c_to_i"] == (h_size, h_size)
    assert system.kinds["W_c_to_i"] == "parameter" and system.kinds["c"] == "state"
    said = [r for r in system.readings if r.reading == "diagonal weight"]
    assert {r.subject for r in said} == {"W[c->i]", "W[c->f]", "W[c->o]"}
    assert all("diagonal `W[c->s]`" in r.reason for r in said)
    dims = {h_size: 3, x_size: 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=4)
    out, _ = gen.forward(p, inputs, state)
    h, c = state["h"], state["c"]
    diag = {q: np.diag(p[f"W_c_to_{q}"]) for q in "ifo"}
    assert np.abs(p["W_c_to_i"] - np.diag(diag["i"])).max() > 0  # full random weights
    for t in range(inputs["x"].shape[0]):
        x = inputs["x"][t]

        def gate(q: str, tgt: str, x: np.ndarray = x, h: np.ndarray = h) -> np.ndarray:
            return x @ p[f"W_x_to_{tgt}"].T + h @ p[f"W_h_to_{tgt}"].T + p[f"b_1_to_{tgt}"]

        i = _sig(gate("i", "i") + diag["i"] * c)
        f = _sig(gate("f", "f") + diag["f"] * c)
        z = np.tanh(gate("c", "c"))
        c = f * c + i * z
        o = _sig(gate("o", "o") + diag["o"] * c)
        h = o * np.tanh(c)
    np.testing.assert_allclose(out["h"][-1], h, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out["c"][-1], c, rtol=1e-12, atol=1e-12)


def test_diagonal_peepholes_backward_checks_and_off_diagonal_takes_no_gradient() -> None:
    system = papermath.compile(_latex("element_rnn_lstm_peephole"))
    h_size, x_size = system.shapes["W_x_to_i"]
    results = check(system, {h_size: 3, x_size: 2}, seed=2)
    assert results and all(r.ok for r in results), results
    gen = system.to_numpy({h_size: 3, x_size: 2})
    from papermath.backends.data import random_inputs

    rng = np.random.default_rng(1)
    p = gen.init_params(rng)
    inputs, state = random_inputs(system.program({h_size: 3, x_size: 2}), rng, "sample-first", T=3)
    out, cache = gen.forward(p, inputs, state)
    grads = gen.backward(p, cache, {"h": np.ones_like(out["h"])})
    g = grads["W_c_to_i"]
    assert np.all(g[~np.eye(3, dtype=bool)] == 0.0) and np.any(g[np.eye(3, dtype=bool)] != 0)


def test_a_name_I_of_the_source_keeps_the_diagonal_refused() -> None:
    text = _latex("element_rnn_lstm_peephole").replace(
        "h[t] = o[t]tanh(c[t])", "h[t] = o[t]tanh(c[t]) + I"
    )
    with pytest.raises(PapermathError, match="diagonal") as err:
        papermath.compile(text)
    span = err.value.span
    assert span is not None and text[span.start : span.end] == "W[c->i]"


def test_a_module_constructor_in_a_code_fence_is_refused_by_name() -> None:
    """Element-Research's ``module = nn.SAdd(addend, negate)``: code that builds a layer, no
    formula; refused at the dot, the hint asks for the formula the module computes."""
    text = _latex("element_rnn_sadd")
    with pytest.raises(PapermathError, match="constructor") as err:
        papermath.compile(text)
    span = err.value.span
    assert span is not None and text[span.start - 2 : span.end + 4] == "nn.SAdd"
    assert "y_i = x_i + b" in err.value.hint


# ---- diagonal peepholes said in LaTeX prose (Graves 2013; parse/diagonal_words.py) --------

GRAVES = r"""$$i_t = \sigma(W_{xi} x_t + W_{hi} h_{t-1} + W_{ci} c_{t-1} + b_i)$$
$$f_t = \sigma(W_{xf} x_t + W_{hf} h_{t-1} + W_{cf} c_{t-1} + b_f)$$
$$c_t = f_t c_{t-1} + i_t \tanh(W_{xc} x_t + W_{hc} h_{t-1} + b_c)$$
$$o_t = \sigma(W_{xo} x_t + W_{ho} h_{t-1} + W_{co} c_t + b_o)$$
$$h_t = o_t \tanh(c_t)$$
where $\sigma$ is the logistic sigmoid function. The weight matrices from the cell to gate
vectors (e.g. $W_{ci}$) are diagonal, so element $m$ in each gate vector only receives input
from element $m$ of the cell vector.
"""


def test_graves_peepholes_said_diagonal_read_as_masked() -> None:
    system = papermath.compile(GRAVES)
    said = {r.subject for r in system.readings if r.reading == "diagonal weight"}
    assert said == {"W_{ci}", "W_{cf}", "W_{co}"}  # the family "from the cell", none other
    h_size, x_size = system.shapes["W_xi"]
    assert system.shapes["W_ci"] == (h_size, h_size)
    dims = {h_size: 3, x_size: 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(11)
    p = gen.init_params(rng)
    x = rng.normal(size=(4, 2, 2))
    h, c = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    out, _ = gen.forward(p, {"x": x}, {"h": h, "c": c})
    d = {q: np.diag(p[f"W_c{q}"]) for q in "ifo"}
    for t in range(4):

        def pre(q: str, t: int = t, h: np.ndarray = h) -> np.ndarray:
            return x[t] @ p[f"W_x{q}"].T + h @ p[f"W_h{q}"].T + p[f"b_{q}"]

        i = _sig(pre("i") + d["i"] * c)
        f = _sig(pre("f") + d["f"] * c)
        c = f * c + i * np.tanh(pre("c"))
        o = _sig(pre("o") + d["o"] * c)
        h = o * np.tanh(c)
    np.testing.assert_allclose(out["h"][-1], h, rtol=1e-12, atol=1e-12)
    results = check(system, {h_size: 3, x_size: 2}, seed=4)
    assert results and all(r.ok for r in results), results


def test_graves_without_the_words_reads_full_matrices() -> None:
    plain = GRAVES.split("where")[0]
    system = papermath.compile(plain)
    assert not any(r.reading == "diagonal weight" for r in system.readings)
    assert "I" not in system.shapes
    # without "e.g." the sentence names one weight: only it is diagonal
    one = GRAVES.replace("(e.g. $W_{ci}$) are", "into the input gate $W_{ci}$ are")
    said = {r.subject for r in papermath.compile(one).readings if r.reading == "diagonal weight"}
    assert said == {"W_{ci}"}


def test_graves_with_a_name_I_is_refused_at_the_weight() -> None:
    text = GRAVES.replace("h_t = o_t \\tanh(c_t)", "h_t = o_t \\tanh(c_t) + I")
    with pytest.raises(PapermathError, match="diagonal") as err:
        papermath.compile(text)
    span = err.value.span
    assert span is not None and text[span.start : span.end] == "W_{ci}"
