"""Normalisation layers (issue 24) and two printed gradients of issue 23.

The printed gradients (``papermath grad``) of a batch norm (its mean's 1/N: the number of
samples, printed as N) and of an RMS norm (the norm of each sample's vector: the axis said in
print) are read back by tests/gradeval.py at values computed here by hand, and compared
with PyTorch's autograd through its own layers (BatchNorm1d in training mode, RMSNorm).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import papermath
from gradeval import ZERO, Env, evaluate
from papermath.check import default_dims
from papermath.report.gradients import derive, symbol

os.environ.setdefault("PAPERMATH_KERNELS", "off")


def printed(
    system: papermath.System, wrt: str, of: str, batch: str, values: dict[str, Any], g: Any
) -> Any:
    """The printed gradient of ``wrt`` (every printed equation read back by gradeval) at
    ``values`` (each key's value as printed: samples as columns, or as rows), the loss
    giving ``of`` the gradient ``g``."""
    d = derive(system, wrt, of=of, layout="denominator", batch=batch)
    rhs = {eq.lhs.key: eq.latex.split(" = ", 1)[1] for eq in d.equations}
    names = {symbol(k): (k, None) for k in system.shapes}
    samples = next(np.shape(v)[0 if batch == "sample-first" else 1] for v in values.values())
    done: dict[str, Any] = {}

    def grad(key: str, index: int | None) -> Any:
        if key not in done:
            done[key] = evaluate(rhs[key], env, None) if key in rhs else direct(key, index)
        return done[key]

    def direct(key: str, index: int | None) -> Any:
        return g if key == of else ZERO

    # the sizes as numbers (n of the RMS norm's 1/n, printed as the source writes it)
    sizes = default_dims(system, None)
    env = Env(names, lambda k, i: values[k], grad, direct, np.ones((samples, 1)), 1, sizes)
    env.count = {d.samples: samples}
    return grad(wrt, None)


BATCH_NORM = r"""
% inputs: x
z_i = W x_i
\mu_B = \frac{1}{m} \sum_{i=1}^{m} z_i
\sigma_B^2 = \frac{1}{m} \sum_{i=1}^{m} (z_i - \mu_B)^2
y_i = \gamma \odot \frac{z_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}} + \beta
x_i \in \mathbb{R}^{n}, \gamma \in \mathbb{R}^{d}, \beta \in \mathbb{R}^{d}
W \in \mathbb{R}^{d \times n}
"""


@pytest.mark.parametrize("batch", ["dim-first", "sample-first"])
def test_printed_batch_norm_gradient_through_the_count_equals_torch(batch: str) -> None:
    """Every parameter's printed gradient, through the batch's mean and variance (their
    1/N), equals PyTorch's BatchNorm1d (training mode) after a linear map."""
    system = papermath.compile(BATCH_NORM)
    rng = np.random.default_rng(0)
    n, d, N, eps = 3, 4, 5, 1e-5
    x, W = rng.normal(size=(n, N)), rng.normal(size=(d, n))
    gamma, beta, g = rng.normal(size=(d, 1)), rng.normal(size=(d, 1)), rng.normal(size=(d, N))
    # the forward by hand (samples as columns), the biased variance of Algorithm 1
    z = W @ x
    mu = z.mean(axis=1, keepdims=True)
    var = ((z - mu) ** 2).mean(axis=1, keepdims=True)
    y = gamma * (z - mu) / np.sqrt(var + eps) + beta
    values = {"x": x, "W": W, "z": z, "mu_B": mu, "sigma_B_sq": var, "y": y, "gamma": gamma}
    values |= {"beta": beta, "epsilon": np.array(eps)}
    rows = batch == "sample-first"
    if rows:  # samples as rows: every value that varies across samples transposed
        values = {k: v.T if k in ("x", "z", "y") else v for k, v in values.items()}
    # PyTorch: its own layer, on the samples as rows
    bn = torch.nn.BatchNorm1d(d, eps=eps, dtype=torch.float64).train()
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(gamma[:, 0]))
        bn.bias.copy_(torch.tensor(beta[:, 0]))
    Wt = torch.tensor(W, requires_grad=True)
    out = bn(torch.tensor(x.T) @ Wt.T)
    out.backward(torch.tensor(g.T))
    assert np.allclose(out.detach().numpy().T, y, atol=1e-12)  # the forward by hand is torch's
    want = {"W": Wt.grad.numpy(), "gamma": bn.weight.grad.numpy(), "beta": bn.bias.grad.numpy()}
    for wrt, expected in want.items():
        got = printed(system, wrt, "y", batch, values, g.T if rows else g)
        assert np.allclose(np.reshape(got, expected.shape), expected, rtol=1e-9, atol=1e-12), wrt


def _rms_system() -> papermath.System:
    path = Path(__file__).parent / "wild" / "cases" / "equinox_rmsnorm.toml"
    return papermath.compile(tomllib.loads(path.read_text())["latex"])


@pytest.mark.parametrize("batch", ["dim-first", "sample-first"])
def test_printed_rms_norm_gradient_equals_torch(batch: str) -> None:
    """Equinox's RMSNorm (``\\Vert x \\Vert^2_2``, each sample's vector): the printed gradient
    of gamma says the norm's axis (``\\|x\\|`` of each column, ``\\|x\\|_{\\text{row}}`` of
    each row) and equals PyTorch's RMSNorm (plus the bias beta) at a batch of samples."""
    system = _rms_system()
    rng = np.random.default_rng(1)
    n, N, eps = 2, 4, 1e-3  # n = 2: the program's 1/n is the default dims' (n = 2)
    x, gamma, beta, g = (
        rng.normal(size=(n, N)),
        rng.normal(size=(n, 1)),
        rng.normal(),
        rng.normal(size=(n, N)),
    )
    y = x / np.sqrt(eps + (x**2).mean(axis=0, keepdims=True)) * gamma + beta
    rows = batch == "sample-first"
    values = {"x": x.T if rows else x, "y": y.T if rows else y, "gamma": gamma}
    values |= {"beta": np.array(beta), "varepsilon": np.array(eps)}
    rms = torch.nn.RMSNorm(n, eps=eps, dtype=torch.float64)
    with torch.no_grad():
        rms.weight.copy_(torch.tensor(gamma[:, 0]))
    out = rms(torch.tensor(x.T)) + beta
    out.backward(torch.tensor(g.T))
    assert np.allclose(out.detach().numpy().T, y, atol=1e-12)
    got = printed(system, "gamma", "y", batch, values, g.T if rows else g)
    assert np.allclose(np.reshape(got, (n,)), rms.weight.grad.numpy(), rtol=1e-9, atol=1e-12)
    d = derive(system, "gamma", of="y", batch=batch)
    assert (r"\|_{\text{row}}" in " ".join(d.forward)) == rows  # the axis, said


@pytest.mark.parametrize("batch", ["dim-first", "sample-first"])
def test_a_whole_matrix_norm_is_printed_frobenius(batch: str) -> None:
    """The norm of a parameter matrix is of every entry (printed ``_{F}``), that of each
    sample's vector of its column (or row): both read back equal PyTorch's autograd."""
    system = papermath.compile("% inputs: x\nL = \\|W x\\|^2 + \\lambda \\|W\\|\n")
    rng = np.random.default_rng(2)
    x, W, lam = rng.normal(size=(3, 4)), rng.normal(size=(2, 3)), 0.7
    rows = batch == "sample-first"
    per_sample = ((W @ x) ** 2).sum(axis=0, keepdims=True) + lam * np.sqrt((W**2).sum())
    values = {"x": x.T if rows else x, "W": W, "lambda": np.array(lam)}
    values["L"] = per_sample.T if rows else per_sample
    Wt = torch.tensor(W, requires_grad=True)
    loss = ((Wt @ torch.tensor(x)) ** 2).sum() + x.shape[1] * lam * torch.linalg.norm(Wt)
    loss.backward()
    got = printed(system, "W", "L", batch, values, None)
    assert np.allclose(got, Wt.grad.numpy(), rtol=1e-9, atol=1e-12)
    assert r"\left\|W\right\|_{F}" in "\n".join(derive(system, "W", of="L", batch=batch).forward)


WILD = Path(__file__).parent / "wild" / "cases"


def _wild(name: str) -> str:
    return tomllib.loads((WILD / f"{name}.toml").read_text())["latex"]


def _against(source: str, ref: torch.nn.Module, out: str, x: str, dims: dict[str, int]) -> None:
    """The generated torch module of ``source`` equals PyTorch's layer ``ref`` (its weight
    and bias copied into gamma and beta), epsilon 1e-5, at a random batch."""
    system = papermath.compile(source)
    module = system.to_torch(dims, dtype=torch.float64)
    with torch.no_grad():
        ref.weight.uniform_(-1, 1)
        ref.bias.uniform_(-1, 1)
        module.gamma.copy_(ref.weight)
        module.beta.copy_(ref.bias)
    batch = torch.randn(*dims.values(), dtype=torch.float64) * 3 + 1
    got = module(**{x: batch, "epsilon": torch.tensor(1e-5, dtype=torch.float64)})[out]
    torch.testing.assert_close(got, ref(batch), atol=1e-10, rtol=0)


def test_labml_layer_norm_over_the_axis_under_the_e_equals_torch() -> None:
    """labml's ``\\underset{C}{\\mathbb{E}}[X]``, X a batch B x C (its prose): each row's mean
    and biased variance; gamma per feature scales each row (per-feature-over-batch). Shapes
    as the case expects; the generated module equals torch.nn.LayerNorm."""
    source = _wild("labml_layer_norm")
    system = papermath.compile(source)
    assert system.shapes["X"] == ("B", "C") and system.shapes["LN"] == ("B", "C")
    assert system.shapes["gamma"] == ("C",) and system.kinds["gamma"] == "parameter"
    ref = torch.nn.LayerNorm(4, eps=1e-5, dtype=torch.float64)
    _against(source, ref, "LN", "X", {"B": 5, "C": 4})


def test_the_axis_under_the_e_over_the_batch_equals_batch_norm() -> None:
    """``\\underset{B}{\\mathbb{E}}[X]``: each column's mean over the batch's B rows (and the
    biased variance): torch.nn.BatchNorm1d in training mode."""
    source = _wild("labml_layer_norm").replace("underset{C}", "underset{B}")
    ref = torch.nn.BatchNorm1d(4, eps=1e-5, dtype=torch.float64).train()
    _against(source, ref, "LN", "X", {"B": 6, "C": 4})


def test_mlx_batch_norm_reads_its_input_axes_and_the_hint_answers_it() -> None:
    """MLX's BatchNorm (``NC``, N the batch): x and y N x C, gamma and beta C; code refused
    at E[x] (the axis is not said). Each answer the hint names reads, and computes what
    torch's layer computes: the layer named, or the axis written under the E."""
    source = _wild("mlx_batchnorm")
    system = papermath.compile(source)
    assert system.shapes["x"] == ("N", "C") and system.shapes["y"] == ("N", "C")
    assert system.shapes["gamma"] == system.shapes["beta"] == ("C",)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"N": 3, "C": 2})
    hint = info.value.hint or ""
    assert "batch normalization" in hint and r"\underset{N}{\mathbb{E}}[x]" in hint
    dims = {"N": 6, "C": 4}
    bn = torch.nn.BatchNorm1d(4, eps=1e-5, dtype=torch.float64).train()
    ln = torch.nn.LayerNorm(4, eps=1e-5, dtype=torch.float64)
    _against("Applies Batch Normalization.\n" + source, bn, "y", "x", dims)
    _against("Applies layer normalization.\n" + source, ln, "y", "x", dims)
    for axis, ref in (("C", ln), ("N", bn)):
        written = source.replace("E[x]", rf"\underset{{{axis}}}{{\mathbb{{E}}}}[x]")
        written = written.replace("Var[x]", rf"\underset{{{axis}}}{{Var}}[x]")
        _against(written, ref, "y", "x", dims)


def test_a_per_feature_vector_times_a_matrix_needs_the_batch_said() -> None:
    """``\\gamma X`` (gamma C, X B x C) reads per row only where the prose says B is the batch;
    without it the product stays refused (it would fix B = C)."""
    decl = "$$Y = \\gamma X$$\n$X \\in \\mathbb{R}^{B \\times C}, \\gamma \\in \\mathbb{R}^{C}$\n"
    system = papermath.compile("Where $B$ is the batch size.\n" + decl)
    assert system.shapes["Y"] == ("B", "C")
    module = system.to_numpy({"B": 3, "C": 2})
    rng = np.random.default_rng(3)
    X, gamma = rng.normal(size=(3, 2)), rng.normal(size=2)
    out = module.forward({"gamma": gamma}, {"X": X}, {})[0]["Y"]
    np.testing.assert_allclose(out, X * gamma[None, :], rtol=1e-12)  # each row, by hand
    with pytest.raises(papermath.PapermathError):
        papermath.compile(decl)
