r"""A tuple or a column of symbols on the left side names the blocks of the right side
(read/rules_blocks.py, issue 24): ViT's ``[\mathbf{q}, \mathbf{k}, \mathbf{v}] = \mathbf{z}
\mathbf{U}_{qkv}`` and Zaremba et al.'s column of gates with a column of functions.

Oracles: torch.chunk and torch.softmax for ViT's attention; torch.nn.LSTM (gates i, f, g, o)
run on the same weights and inputs as the generated NumPy code for Zaremba's column (gates i,
f, o, g); finite differences and torch autograd (papermath check) for the generated backward.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import papermath
from papermath.backends.data import random_inputs
from papermath.check import check
from papermath.errors import PapermathError

# ViT, appendix A, eqs. 5-7 as the paper writes them (the MSA line aside), z declared as the
# text says (N tokens of D features)
VIT = "\n".join(
    [
        r"[\mathbf{q}, \mathbf{k}, \mathbf{v}] = \mathbf{z} \mathbf{U}_{qkv}, \qquad "
        r"\mathbf{U}_{qkv} \in \mathbb{R}^{D \times 3 D_h}",
        r"A = \mathrm{softmax}\left(\mathbf{q} \mathbf{k}^\top / \sqrt{D_h}\right), \qquad "
        r"A \in \mathbb{R}^{N \times N}",
        r"\mathrm{SA}(\mathbf{z}) = A \mathbf{v}",
        r"\mathbf{z} \in \mathbb{R}^{N \times D}",
    ]
)

# Zaremba, Sutskever & Vinyals (2014), sec. 3.1, for one layer: T_{2n,4n} written as the
# affine map W [x_t; h_{t-1}] + b it stands for
ZAREMBA = "\n".join(
    [
        r"\begin{pmatrix} i_t \\ f_t \\ o_t \\ g_t \end{pmatrix} = \begin{pmatrix} \mathrm{sigm} "
        r"\\ \mathrm{sigm} \\ \mathrm{sigm} \\ \tanh \end{pmatrix} \left( W "
        r"\begin{pmatrix} x_t \\ h_{t-1} \end{pmatrix} + b \right)",
        r"c_t = f_t \odot c_{t-1} + i_t \odot g_t",
        r"h_t = o_t \odot \tanh(c_t)",
        r"h_t \in \mathbb{R}^{n}, x_t \in \mathbb{R}^{m}",
    ]
)


def _t(a: Any) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a, dtype=float), dtype=torch.float64)


def test_vit_qkv_reads_as_three_blocks() -> None:
    system = papermath.compile(VIT)
    for key in ("q", "k", "v"):
        assert system.shapes[key] == ("N", "D_h"), key
    assert system.shapes["U_qkv"] == ("D", "3*D_h")
    assert system.shapes["SA"] == ("N", "D_h")
    assert system.kinds["U_qkv"] == "parameter" and system.kinds["z"] == "input"
    said = [r for r in system.readings if r.reading == "3 blocks of the right side"]
    assert said and "equal width" in said[0].reason and "(q, k, v)" in said[0].reason


def test_k_defined_by_the_tuple_is_a_value_not_a_size() -> None:
    # k also names a size elsewhere in the paper (k heads): defined on the left, it is a value
    system = papermath.compile(VIT, {"N": 4, "D": 6, "D_h": 2, "k": 3})
    assert system.kinds["k"] == "intermediate" and system.shapes["k"] == ("N", "D_h")


def test_vit_generated_code_against_torch() -> None:
    dims = {"N": 4, "D": 6, "D_h": 2}
    system = papermath.compile(VIT, dims)
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(0)
    params = gen.init_params(rng)
    z = rng.standard_normal((4, 6))  # N = 4 tokens (the samples are part of z's shape)
    outputs, _ = gen.forward(params, {"z": z})
    q, k, v = torch.chunk(_t(z) @ _t(params["U_qkv"]), 3, dim=-1)
    a = torch.softmax(q @ k.transpose(-1, -2) / np.sqrt(2.0), dim=-1)
    for key, want in (("q", q), ("k", k), ("v", v), ("A", a), ("SA", a @ v)):
        np.testing.assert_allclose(outputs[key], want.numpy(), atol=1e-12, rtol=0, err_msg=key)


def test_zaremba_column_reads_as_gates() -> None:
    system = papermath.compile(ZAREMBA)
    for key in ("i", "f", "o", "g", "c", "h"):
        assert system.shapes[key] == ("n",), key
    assert system.shapes["W"] == ("4*n", "m + n") and system.shapes["b"] == ("4*n",)
    assert system.recurrence is not None and set(system.recurrence.states) == {"h", "c"}
    said = [r for r in system.readings if r.reading == "4 blocks of the right side"]
    assert said and "sigmoid for i" in said[0].reason and "tanh for g" in said[0].reason


def test_zaremba_column_against_torch_lstm() -> None:
    m, n, steps = 3, 4, 5
    system = papermath.compile(ZAREMBA)
    dims = {"m": m, "n": n}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=steps)
    outputs, _ = gen.forward(params, inputs, state)
    w, b = _t(params["W"]), _t(params["b"])
    blocks = dict(zip("ifog", torch.chunk(w, 4), strict=True))
    biases = dict(zip("ifog", torch.chunk(b, 4), strict=True))
    lstm = torch.nn.LSTM(m, n, dtype=torch.float64)  # torch's gates: i, f, g, o
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.cat([blocks[g][:, :m] for g in "ifgo"]))
        lstm.weight_hh_l0.copy_(torch.cat([blocks[g][:, m:] for g in "ifgo"]))
        lstm.bias_ih_l0.copy_(torch.cat([biases[g] for g in "ifgo"]))
        lstm.bias_hh_l0.zero_()
    h0, c0 = _t(state["h"])[None], _t(state["c"])[None]
    out, (_, c_last) = lstm(_t(inputs["x"]), (h0, c0))
    np.testing.assert_allclose(outputs["h"], out.detach().numpy(), atol=1e-12, rtol=0)
    np.testing.assert_allclose(outputs["c"][-1], c_last[0].detach().numpy(), atol=1e-12, rtol=0)


@pytest.mark.parametrize(
    "source, dims",
    [(ZAREMBA, {"m": 2, "n": 3}), (VIT, {"N": 3, "D": 4, "D_h": 2})],
)
def test_check_passes(source: str, dims: dict[str, int]) -> None:
    # the generated backward through the slices: finite differences and torch autograd
    system = papermath.compile(source, dims)
    results = check(system, dims)
    assert results and all(r.ok for r in results), results


@pytest.mark.parametrize(
    "source, words, caret",
    [
        # D is not three times a size: equal blocks are not forced, no size is solved to fit
        (
            r"[q, k, v] = z U, \quad U \in \mathbb{R}^{D \times D}, z \in \mathbb{R}^{N \times D}",
            "equal width",
            "z U",
        ),
        # a column whose second row is no function
        (
            r"\begin{pmatrix} a \\ b \end{pmatrix} = \begin{pmatrix} \sigma \\ x \end{pmatrix} W y",
            "column of functions",
            "x",
        ),
        # three functions for two blocks
        (
            r"\begin{pmatrix} a \\ b \end{pmatrix} = \begin{pmatrix} \sigma \\ \tanh \\ \tanh "
            r"\end{pmatrix} W y",
            "3 functions for 2 blocks",
            r"\begin{pmatrix} \sigma",
        ),
        # one symbol named twice
        (r"[q, q] = z U, \quad z \in \mathbb{R}^{N \times D}", "named twice", "q"),
        # a part at another step than the equation's
        (r"[a_t, b_{t-1}] = W x_t, \quad x_t \in \mathbb{R}^m", "one symbol", "b_{t-1}"),
    ],
)
def test_near_misses_are_refused_at_the_construct(source: str, words: str, caret: str) -> None:
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert words in err.message
    assert err.span is not None
    assert source[err.span.start : err.span.end].startswith(caret), source[
        err.span.start : err.span.end
    ]


# ViT's eq. 8 beside eqs. 5-7: the k heads of SA side by side, then U_msa (k D_h x D)
MSA = r"\mathrm{MSA}(\mathbf{z}) = [\mathrm{SA}_1(z); \mathrm{SA}_2(z); \cdots; \mathrm{SA}_k(z)] "
MSA += r"\, \mathbf{U}_{msa}, \qquad \mathbf{U}_{msa} \in \mathbb{R}^{k \cdot D_h \times D}"
VIT_MSA = VIT + "\n" + MSA


def test_vit_heads_side_by_side_read_along_the_features() -> None:
    dims = {"N": 4, "D": 6, "D_h": 2, "k": 3}
    system = papermath.compile(VIT_MSA, dims)
    assert system.shapes["MSA"] == ("N", "D") and system.shapes["SA"] == ("N", "D_h")
    # k D_h rows: the product of the two sizes (k is also the key matrix, a value)
    assert system.typed_shapes["U_msa"][0].evaluate(dims) == 3 * 2
    assert system.shapes["k"] == ("N", "D_h")
    said = [r for r in system.readings if r.reading == "the k heads of SA, side by side"]
    assert said and "equal" in said[0].reason and "same weights" in said[0].reason


def test_vit_msa_generated_code_against_torch() -> None:
    dims = {"N": 4, "D": 6, "D_h": 2, "k": 3}
    system = papermath.compile(VIT_MSA, dims)
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(2)
    params = gen.init_params(rng)
    z = rng.standard_normal((4, 6))
    outputs, _ = gen.forward(params, {"z": z})
    q, k, v = torch.chunk(_t(z) @ _t(params["U_qkv"]), 3, dim=-1)
    sa = torch.softmax(q @ k.transpose(-1, -2) / np.sqrt(2.0), dim=-1) @ v
    msa = torch.cat([sa] * 3, dim=-1) @ _t(params["U_msa"])
    np.testing.assert_allclose(outputs["MSA"], msa.numpy(), atol=1e-12, rtol=0)
    results = check(system, dims)
    assert results and all(r.ok for r in results), results


def test_heads_of_different_arguments_stay_refused() -> None:
    # SA_1(z), ..., SA_k(x): not one function of one argument; \cdots stays unread
    source = VIT + "\n" + MSA.replace(r"\mathrm{SA}_k(z)", r"\mathrm{SA}_k(x)")
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == r"\cdots"


def _case(name: str) -> dict[str, Any]:
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "shared" / "corpus_papers"
    return tomllib.loads((root / f"{name}.toml").read_text())


def test_zaremba_as_written_against_torch_lstm() -> None:
    # the paper's own lines (the corpus case): one layer l, h^{l-1}_t the layer below's
    # output (h_below, in R^n as h^l_t is for every l), T_{2n,4n} a matrix 4n x 2n
    case = _case("p15_lstm_zaremba2014")
    n, steps = case["dims"]["n"], 5
    system = papermath.compile(case["latex"], case["dims"])
    assert system.kinds["h_below"] == "input" and system.shapes["h_below"] == ("n",)
    assert system.shapes["T_2n_4n"] == ("4*n", "2*n")
    assert any(r.reading == "layer l" for r in system.readings)
    gen = system.to_numpy(case["dims"])
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(case["dims"]), rng, "sample-first", T=steps)
    outputs, _ = gen.forward(params, inputs, state)
    blocks = dict(zip("ifog", torch.chunk(_t(params["T_2n_4n"]), 4), strict=True))
    lstm = torch.nn.LSTM(n, n, dtype=torch.float64)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.cat([blocks[g][:, :n] for g in "ifgo"]))
        lstm.weight_hh_l0.copy_(torch.cat([blocks[g][:, n:] for g in "ifgo"]))
        lstm.bias_ih_l0.zero_()
        lstm.bias_hh_l0.zero_()
    h0, c0 = _t(state["h"])[None], _t(state["c"])[None]
    out, _ = lstm(_t(inputs["h_below"]), (h0, c0))
    np.testing.assert_allclose(outputs["h"], out.detach().numpy(), atol=1e-12, rtol=0)
    results = check(system, case["dims"])
    assert results and all(r.ok for r in results), results


@pytest.mark.parametrize(
    "source",
    [
        # l-1 with no h^l beside it: nothing shows l is this layer
        r"y_t = \tanh(W h^{l-1}_t + U y_{t-1}), y_t \in \mathbb{R}^n",
        # two layers down
        r"h^l_t = \tanh(W h^{l-2}_t + U h^l_{t-1}), h^l_t \in \mathbb{R}^n",
    ],
)
def test_layer_superscript_near_misses_stay_refused(source: str) -> None:
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    assert info.value.span is not None
