r"""Constructs of the papers' corpus (../shared/corpus_papers). A symbol defined through its
logarithm (read/rules_implicit.py): Kingma & Welling's ``\log \sigma^2 = W_5 h + b_5`` defines
sigma = exp((W_5 h + b_5) / 2); several labels in parentheses (``z^{(i,l)}``: datapoint i,
noise sample l) name one value, as ``z^{(i)}`` does. A call that names its function's weights
(``T(x, W_T)``, Highway Networks) is that function of x. The even and odd entries of the
positional encoding are refused at the subscript. Oracles: NumPy and torch written by hand,
finite differences through ``papermath.check``."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest
import torch

import papermath
from conftest import ROOT
from papermath.backends.data import random_inputs
from papermath.check import check

# Kingma & Welling 2014, appendix C.2 and eq. 10, as printed
VAE = "\n".join(
    [
        r"\mathbf{h} = \tanh(\mathbf{W}_3 \mathbf{x} + \mathbf{b}_3)",
        r"\boldsymbol{\mu} = \mathbf{W}_4 \mathbf{h} + \mathbf{b}_4",
        r"\log \boldsymbol{\sigma}^2 = \mathbf{W}_5 \mathbf{h} + \mathbf{b}_5",
        r"\mathbf{z}^{(i,l)} = \boldsymbol{\mu}^{(i)} + \boldsymbol{\sigma}^{(i)} \odot "
        r"\boldsymbol{\epsilon}^{(l)}, \quad \boldsymbol{\epsilon}^{(l)} \sim "
        r"\mathcal{N}(0, \mathbf{I})",
        r"\mathbf{x} \in \mathbb{R}^{D}, \mathbf{h} \in \mathbb{R}^{H}, "
        r"\mathbf{z} \in \mathbb{R}^{J}",
    ]
)
DIMS = {"D": 5, "H": 4, "J": 3}

PAPERS = ROOT.parent / "shared" / "corpus_papers"


def test_sigma_is_defined_and_epsilon_drawn() -> None:
    system = papermath.compile(VAE)
    assert system.shapes["sigma"] == system.shapes["z"] == system.shapes["epsilon"] == ("J",)
    assert system.kinds["sigma"] == "intermediate"  # computed, not learned
    assert system.kinds["epsilon"] == "input"
    assert system.shapes["W_5"] == ("J", "H")
    assert any("through its logarithm" in r.reading for r in system.readings)
    # i and l are labels of one value, not indices of an axis
    assert "i" not in system.shapes and "l" not in system.shapes


def _torch_forward(x: np.ndarray, eps: np.ndarray, p: dict[str, torch.Tensor]) -> dict:
    h = torch.tanh(torch.tensor(x) @ p["W_3"].T + p["b_3"])
    mu = h @ p["W_4"].T + p["b_4"]
    sigma = torch.exp(0.5 * (h @ p["W_5"].T + p["b_5"]))  # log sigma^2 = W_5 h + b_5
    return {"h": h, "mu": mu, "sigma": sigma, "z": mu + sigma * torch.tensor(eps)}


def test_values_and_gradients_against_torch_by_hand() -> None:
    system = papermath.compile(VAE)
    gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(4)
    params = gen.init_params(rng)
    inputs, _ = random_inputs(system.program(DIMS), rng, "sample-first")
    outputs, cache = gen.forward(params, inputs, {})
    x = np.asarray(inputs["x"], float)
    eps = np.asarray(inputs["epsilon"], float)
    p = {k: torch.tensor(np.asarray(v, float), requires_grad=True) for k, v in params.items()}
    want = _torch_forward(x, eps, p)
    for key, value in want.items():
        np.testing.assert_allclose(outputs[key], value.detach().numpy(), rtol=1e-12)
    # the defining equation holds: log sigma^2 = W_5 h + b_5
    np.testing.assert_allclose(
        np.log(outputs["sigma"] ** 2), outputs["h"] @ params["W_5"].T + params["b_5"], rtol=1e-10
    )
    out_grads = {k: rng.normal(size=np.shape(v)) for k, v in outputs.items()}
    ours = gen.backward(params, cache, out_grads)
    loss = sum((v * torch.tensor(out_grads[k])).sum() for k, v in want.items())
    theirs = torch.autograd.grad(loss, [p[k] for k in params])
    for key, grad in zip(params, theirs, strict=True):
        np.testing.assert_allclose(ours[key], grad.numpy(), rtol=1e-9, atol=1e-12)


def test_check_passes() -> None:
    results = check(papermath.compile(VAE), DIMS)
    assert results and all(r.ok for r in results), results


def test_log_of_a_symbol_is_its_exponential() -> None:
    system = papermath.compile(
        "\\log \\lambda = W x\nx \\in \\mathbb{R}^{n}, W \\in \\mathbb{R}^{m \\times n}"
    )
    gen = system.to_numpy({"n": 3, "m": 2})
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    x = rng.normal(size=(4, 3))
    outputs, _ = gen.forward(params, {"x": x}, {})
    np.testing.assert_allclose(outputs["lambda"], np.exp(x @ params["W"].T), rtol=1e-12)


@pytest.mark.parametrize(
    "source",
    [
        r"\log W x = b",  # the log of a product: not one symbol
        r"\log \sigma^{-2} = W x",  # a negative power: refused, not guessed
        "\\log \\sigma = W x\n\\sigma = V x",  # defined twice
        r"\exp \sigma = W x",  # only the logarithm is inverted
        r"y = \sum_{i=1}^{n} W x_i^{(i,j)}",  # i an index of the sum, not a label
    ],
)
def test_other_left_sides_stay_refused(source: str) -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    assert info.value.span is not None


def test_numbers_in_parentheses_with_a_comma_are_refused_at_the_script() -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile("h^{(1,2)} = W x")
    assert info.value.span is not None and info.value.span.start == 2  # at {(1,2)}


def test_even_and_odd_entries_read_only_as_one_encoding() -> None:
    # Vaswani et al. 2017, sec. 3.5: the two lines together are the sinusoidal encoding of a
    # position (read/rules_sinusoid.py; its values are checked in tests/test_s5_att.py); two
    # lines that differ in anything but sin/cos are not one encoding, refused at the subscript
    source = "PE_{(pos,2i)} = sin(pos / 10000^{2i/d})\nPE_{(pos,2i+1)} = cos(pos / 10000^{2i/d})"
    system = papermath.compile(source)
    assert system.shapes["PE"] == ("d",) and system.kinds["pos"] == "input"
    other = source.replace("cos(pos / 10000", "cos(pos / 1000")
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(other)
    assert info.value.span is not None and other[info.value.span.start] == "{"
    assert "even (2i) and odd (2i+1)" in str(info.value)


# Srivastava et al. 2015 (Highway Networks): T(x, W_T) names the weights T(x)'s body uses
HIGHWAY = "\n".join(
    [
        r"\mathbf{y} = T(\mathbf{x}, \mathbf{W_T}) \odot \mathbf{x}",
        r"T(\mathbf{x}) = \sigma(\mathbf{W_T}^T \mathbf{x} + \mathbf{b_T})",
        r"\mathbf{x} \in \mathbb{R}^{n}",
    ]
)


def test_a_call_that_names_the_weights_of_its_function() -> None:
    system = papermath.compile(HIGHWAY)
    assert system.shapes["W_T"] == ("n", "n") and system.shapes["y"] == ("n",)
    assert system.kinds["W_T"] == "parameter"
    assert any("named in the call" in r.reading for r in system.readings)
    gen = system.to_numpy({"n": 3})
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    x = rng.normal(size=(2, 3))
    outputs, _ = gen.forward(params, {"x": x}, {})
    gate = 1 / (1 + np.exp(-(x @ params["W_T"] + params["b_T"])))  # W_T^T x, samples as rows
    np.testing.assert_allclose(outputs["y"], gate * x, rtol=1e-12)
    results = check(system, {"n": 3})
    assert results and all(r.ok for r in results), results


@pytest.mark.parametrize(
    "call",
    [
        r"T(\mathbf{x}, \mathbf{W_H})",  # a weight the body of T does not use
        r"T(\mathbf{x}, \mathbf{z})",  # not written as a weight
        r"T(\mathbf{x}, \mathbf{W_T}, \mathbf{W_T})",  # one weight named twice
    ],
)
def test_other_extra_arguments_stay_refused(call: str) -> None:
    source = HIGHWAY.replace(r"T(\mathbf{x}, \mathbf{W_T})", call)
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    assert info.value.span is not None


@pytest.mark.parametrize(
    "source",
    [
        r"[\mathbf{q}, \mathbf{k}, \mathbf{v}] = \mathbf{z} \mathbf{U}_{qkv}",  # ViT, eq. 5
        r"\begin{pmatrix} i \\ f \\ o \\ g \end{pmatrix} = T h",  # Zaremba et al. 2014
    ],
)
def test_a_tuple_on_the_left_side_reads_as_blocks(source: str) -> None:
    # read/rules_blocks.py (tests/test_tuple_blocks.py): the symbols are equal blocks of the
    # right side, cut along its last axis
    system = papermath.compile(source)
    parts = ["q", "k", "v"] if source.startswith("[") else ["i", "f", "o", "g"]
    widths = {system.shapes[p] for p in parts}
    assert len(widths) == 1, widths
    assert any("blocks of the right side" in r.reading for r in system.readings)


@pytest.mark.parametrize(
    ("call", "inputs"),
    [(r"H(\mathbf{x}, \mathbf{W_H})", "n"), (r"g(x, \theta)", "n"), (r"f(x, h, W_f)", "m + n")],
)
def test_an_undefined_layer_named_with_its_weights_is_a_learnable_function_of_its_inputs(
    call: str, inputs: str
) -> None:
    # Highway's H(x, W_H): the weights after the input are the layer's own, not a second
    # input concatenated to x (which would widen the map by the weights' size)
    source = f"y = {call} + x\nx \\in \\mathbb{{R}}^{{n}}, h \\in \\mathbb{{R}}^{{m}}"
    system = papermath.compile(source)
    key = call.split("(")[0]
    assert system.functions[key] == (inputs, "n"), system.functions
    assert any("a layer named with its weights" in r.reading for r in system.readings)
    assert not {"W_H", "theta", "W_f"} & set(system.shapes)


def test_an_undefined_function_of_two_inputs_still_reads() -> None:
    system = papermath.compile("y = f(x, h) + x\nx \\in \\mathbb{R}^{n}, h \\in \\mathbb{R}^{m}")
    assert system.shapes["y"] == ("n",) and system.shapes["h"] == ("m",)


def test_an_entry_at_a_class_label_reads_and_a_matrix_row_at_a_label_is_refused() -> None:
    # CS231n's softmax loss (p25): f_{y_i}, the score of example i's correct class, reads as
    # the entry of f at the label (read/rules_label_pick.py; values against
    # torch.nn.functional.cross_entropy in tests/test_label_pick.py); a row of a matrix at a
    # label is not read: refused at the label
    case = tomllib.loads((PAPERS / "p25_softmax_xent_cs231n.toml").read_text())
    system = papermath.compile(case["latex"])
    assert system.kinds["y"] == "target" and system.shapes["L"] == ()
    source = "s_i = W_{y_i} x_i\nx_i \\in \\mathbb{R}^{D}"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    span = info.value.span
    assert span is not None and source[span.start : span.end] == "y_i"
