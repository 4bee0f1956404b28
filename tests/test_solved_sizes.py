"""No size is solved unless the source forces it (issue 24): a declared 1 x h row added to an
n x h matrix broadcasts (n is never solved to 1), a column times a row is an outer product,
a declared |V| x G matrix is never tried as a vector (G is never 1), and a sum or product that
fits only by solving a declared size to a number is refused with both shapes.

Generated code is compared with NumPy/torch references written here, not with papermath's
own output; gradients with ``check`` (finite differences and torch autograd)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.check import check
from papermath.errors import ShapeError

WILD = Path(__file__).resolve().parent / "wild" / "cases"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
D = "\n"


def wild(name: str) -> str:
    return str(tomllib.loads((WILD / f"{name}.toml").read_text())["latex"])


def checked(system: papermath.System, dims: dict[str, int]) -> None:
    results = check(system, dims)
    assert results and all(r.ok for r in results), [r for r in results if not r.ok]


def test_d2l_softmax_regression_bias_row_broadcasts() -> None:
    """d2l 4.1.3: X in R^{n x d}, W in R^{d x q}, b in R^{1 x q}, O = X W + b: the batch n
    stays n (it was once "solved: n = 1"); the forward is torch's X @ W + b, softmax."""
    system = papermath.compile(wild("d2l_softmax_regression_minibatch"))
    assert system.solved == {}
    assert system.shapes["X"] == ("n", "d") and system.shapes["b"] == ("1", "q")
    assert system.shapes["O"] == ("n", "q") and system.shapes["Y_hat"] == ("n", "q")
    said = [r for r in system.readings if "broadcast" in r.reading]
    assert said and "b" in said[0].reason and "n rows" in said[0].reason
    dims = {"n": 3, "d": 4, "q": 5}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(0)
    params = gen.init_params(rng)
    x = rng.normal(size=(2, 3, 4))  # a batch of two n x d minibatches
    out, _ = gen.forward(params, {"X": x}, {})
    w, b = torch.as_tensor(params["W"]), torch.as_tensor(params["b"])
    assert tuple(b.shape) == (1, 5)
    want = torch.softmax(torch.as_tensor(x) @ w + b, dim=-1).numpy()
    np.testing.assert_allclose(out["Y_hat"], want, atol=1e-12, rtol=0)
    checked(system, dims)


def test_d2l_lstm_gates_keep_the_batch() -> None:
    system = papermath.compile(wild("d2l_lstm"))
    assert "n" not in system.solved
    for key in ("X",):
        assert system.shapes[key] == ("n", "d")
    for key in ("H", "I", "F", "O", "C", "C_tilde"):
        assert system.shapes[key] == ("n", "h"), key
    for key in ("b_i", "b_f", "b_o", "b_c"):
        assert system.shapes[key] == ("1", "h"), key
    dims = {"n": 3, "d": 4, "h": 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(2)
    p = gen.init_params(rng)
    x = rng.normal(size=(5, 2, 3, 4))  # T steps, a batch of two, each an n x d minibatch
    h0, c0 = rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 3, 2))
    out, _ = gen.forward(p, {"X": x}, {"H": h0, "C": c0})
    tp = {k: torch.as_tensor(v) for k, v in p.items()}
    h, c = torch.as_tensor(h0), torch.as_tensor(c0)
    for step in range(5):  # d2l's LSTM, written out in torch
        xt = torch.as_tensor(x[step])
        i = torch.sigmoid(xt @ tp["W_xi"] + h @ tp["W_hi"] + tp["b_i"])
        f = torch.sigmoid(xt @ tp["W_xf"] + h @ tp["W_hf"] + tp["b_f"])
        o = torch.sigmoid(xt @ tp["W_xo"] + h @ tp["W_ho"] + tp["b_o"])
        c = f * c + i * torch.tanh(xt @ tp["W_xc"] + h @ tp["W_hc"] + tp["b_c"])
        h = o * torch.tanh(c)
        np.testing.assert_allclose(out["H"][step], h.numpy(), atol=1e-12, rtol=0)
    checked(system, dims)


def test_row_bias_with_too_few_columns_is_refused() -> None:
    src = (
        r"O = X W + b" + D + r"X \in \mathbb{R}^{n \times d}, W \in \mathbb{R}^{d \times q}, "
        r"b \in \mathbb{R}^{1 \times k}"
    )
    with pytest.raises(ShapeError) as info:
        papermath.compile(src, strict=True)
    assert info.value.line == 1 and "columns" in info.value.message


def test_a_computed_row_against_declared_rows_is_refused() -> None:
    """x^T W is 1 x h, B is n x h: a broadcast or n = 1, and the source says neither."""
    src = (
        r"O = x^T W + B" + D + r"x \in \mathbb{R}^{d}, W \in \mathbb{R}^{d \times h}, "
        r"B \in \mathbb{R}^{n \times h}"
    )
    with pytest.raises(ShapeError) as info:
        papermath.compile(src)
    err = info.value
    assert (err.line, err.column) == (1, 5)
    assert "(1, h)" in err.message and "(n, h)" in err.message and "n = 1" in err.message


def test_forum_readout_of_two_stacks_is_refused_with_both_shapes() -> None:
    """The forum's h_g = tanh(A-bar . B-bar) with two |V| x G stacks and h_g in R^G: no
    product gives a G-vector; once "solved: G = 1" (A-bar tried as a dot product's vector)."""
    src = (
        r"h_g = \tanh(\overline{A} \cdot \overline{B})" + D + r"h_g \in \mathbb{R}^{G}" + D
        + r"\overline{A} \in \mathbb{R}^{|V| \times G}, \quad "
        + r"\overline{B} \in \mathbb{R}^{|V| \times G}"
    )  # fmt: skip
    with pytest.raises(ShapeError) as info:
        papermath.compile(src)
    err = info.value
    assert err.line == 1 and err.column == 13
    assert "(|V|, G)" in err.message


def test_a_declared_matrix_never_meets_a_declared_vector_as_a_column() -> None:
    """a (.) B with a, B in R^{k x n} and y in R^n: once "solved k = 1, n = 1"."""
    src = (
        r"y = a \odot B" + D + r"a \in \mathbb{R}^{k \times n}, B \in \mathbb{R}^{k \times n}, "
        r"y \in \mathbb{R}^{n}"
    )
    with pytest.raises(ShapeError) as info:
        papermath.compile(src)
    assert info.value.line == 1


@pytest.mark.parametrize("op", ["", r"\cdot", "*"])
def test_a_product_never_solves_a_declared_size_to_one(op: str) -> None:
    """A (n x m) times B (1 x n): the inner sizes m and 1 do not meet, and an elementwise
    reading would need n = m = 1; once "solved m = 1"."""
    src = f"y = A {op} B" + D + r"A \in \mathbb{R}^{n \times m}, B \in \mathbb{R}^{1 \times n}"
    with pytest.raises(ShapeError) as info:
        papermath.compile(src)
    assert info.value.line == 1


def test_outer_product_of_a_column_and_a_row() -> None:
    """docs/notation.md: write c^T for an outer product's row. f c^T is n x m (f_t c_{t-1}^T
    was once read as a row vector times a matrix with n = 1); the forward is torch.outer."""
    src = (
        "% inputs: f, c"
        + D
        + r"D = \tanh(f c^T)"
        + D
        + r"f \in \mathbb{R}^{n}, c \in \mathbb{R}^{m}"
    )
    system = papermath.compile(src)
    assert system.solved == {}
    assert system.shapes["D"] == ("n", "m")
    said = [r for r in system.readings if "outer product" in r.reason]
    assert said
    dims = {"n": 3, "m": 4}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(1)
    f, c = rng.normal(size=(5, 3)), rng.normal(size=(5, 4))
    out, _ = gen.forward(gen.init_params(rng), {"f": f, "c": c}, {})
    want = np.stack([torch.tanh(torch.outer(torch.as_tensor(a), torch.as_tensor(b))).numpy()
                     for a, b in zip(f, c, strict=True)])  # fmt: skip
    np.testing.assert_allclose(out["D"], want, atol=1e-12, rtol=0)
    checked(system, dims)


def test_a_size_named_once_may_still_be_solved() -> None:
    """The course notes' D_y (named only in y_out's N x D_y... here D_y x N) is forced to 1 by
    w in R^{1 x D_z}: kept, with the equation that forces it."""
    src = (SHARED / "seed_mlp_dim_first.toml").read_text() if SHARED.exists() else None
    latex = (
        tomllib.loads(src)["latex"]
        if src
        else (
            r"y = w z" + D + r"w \in \mathbb{R}^{1 \times k}, z \in \mathbb{R}^{k \times N}, "
            r"y \in \mathbb{R}^{D_y \times N}"
        )
    )
    system = papermath.compile(latex)
    assert system.solved == {"D_y": "1"} and "D_y" in system.solved_by


def test_outer_product_gradients() -> None:
    """Of parameters: the generated backward against finite differences and torch; printed
    gradient equations of per-sample vectors' outer products are printed for one sample (a
    matrix per sample: the batch's gradient is their sum, said; the equations themselves are
    checked by the printed-gradient oracle on labml's fast weights), never a crash."""
    from papermath.report.gradients import derive, render

    src = (
        r"D = \tanh(W + f c^T)"
        + D
        + (r"f \in \mathbb{R}^{n}, c \in \mathbb{R}^{m}, W \in \mathbb{R}^{n \times m}")
    )
    system = papermath.compile(src)
    checked(system, {"n": 3, "m": 4})
    batched = papermath.compile("% inputs: f, c" + D + src)
    text = render(derive(batched, "c", layout="denominator", batch="dim-first"))
    assert "for one sample" in text and "\\frac{\\partial \\mathcal{L}}{\\partial c}" in text


def test_rmsprop_rates_and_constants_are_numbers() -> None:
    """RMSprop as typed: E_t a running mean of g_t^2 (d), eta and epsilon numbers. Once
    refused ("(1 - gamma) g_t^2 is scalar"), and eta could be read as a vector."""
    src = (
        r"E_t = \gamma E_{t-1} + (1 - \gamma) g_t^2" + D
        + r"\theta_t = \theta_{t-1} - \frac{\eta}{\sqrt{E_t + \epsilon}} g_t" + D
        + r"g_t \in \mathbb{R}^{d}"
    )  # fmt: skip
    system = papermath.compile(src)
    assert system.solved == {}
    assert system.shapes["E"] == ("d",) and system.shapes["theta"] == ("d",)
    for key in ("gamma", "eta", "epsilon"):
        assert system.shapes[key] == (), key
    said = {r.subject.strip("\\") for r in system.readings if "Greek" in r.reading}
    assert {"eta", "epsilon"} <= said


def test_layer_norm_epsilon_is_a_number_gamma_a_vector() -> None:
    """y = (x - mu) / sqrt(sigma^2 + eps) (.) gamma + beta: gamma meets x's entries through
    \\odot (a vector); epsilon is a number, never given x's shape."""
    src = (
        r"y = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} \odot \gamma + \beta" + D
        + r"x \in \mathbb{R}^{d}"
    )  # fmt: skip
    system = papermath.compile(src)
    assert system.shapes["epsilon"] == () and system.shapes["gamma"] == ("d",)
