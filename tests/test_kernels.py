"""The fused step kernels (backends/kernels.py): generated C++, built with load_inline, against
the torch-ops path of the same generated Function and autograd through the plain loop (the
oracle), float64 and float32. Each distinct cell is built once (30-90 s on 2 cores) and
cached on disk; this file builds seven (the GG-NN update in two kernels a step, an Elman
cell whose output is a product after the kernel, an LSTM whose state is one, a cell of every
function), waiting for each (PAPERMATH_KERNELS=wait: a first use otherwise runs as torch ops
while the kernel builds in the background; that, the lock and the cache are
tests/test_kernel_build.py's)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath import catalog
from papermath.backends.data import random_inputs
from papermath.check import default_dims
from test_differential import FOUND
from test_golden import FUNCTIONS_CELL
from test_steps import PEEPHOLE

GGNN_UPDATE = r"""
z_t = \sigma(W^z a_t + U^z h_{t-1})
r_t = \sigma(W^r a_t + U^r h_{t-1})
\tilde{h}_t = \tanh(W a_t + U (r_t \odot h_{t-1}))
h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde{h}_t
a_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}
"""
ELMAN_OUT = r"""
h_t = \tanh(W h_{t-1} + U x_t + b)
y_t = V h_t
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}, y_t \in \mathbb{R}^{q}
"""
CELLS = {"lstm": catalog.latex("lstm"), "gru_torch": catalog.latex("gru_torch"),
         "peephole": PEEPHOLE, "ggnn_update": GGNN_UPDATE, "elman_output": ELMAN_OUT,
         # MXNet's LSTM with a projection: a state that is a product after the kernel (its
         # carried gradient was dropped: every gradient wrong, found by tests/difftest.py)
         "lstm_projection": FOUND["lstm projection"][0],
         # every elementwise function the other cells do not use (their rows' C++)
         "functions": FUNCTIONS_CELL}  # fmt: skip


@pytest.fixture(autouse=True)
def kernels_on(monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("g++") is None and shutil.which("c++") is None:
        pytest.skip("no C++ compiler")
    monkeypatch.setenv("PAPERMATH_KERNELS", "wait")  # build, or wait for the build, then use


def modules(name: str, dtype: torch.dtype) -> tuple[list[torch.nn.Module], dict[str, torch.Tensor]]:
    system = papermath.compile(CELLS[name])
    dims = default_dims(system, None)
    fused = system.to_torch(dims, dtype=dtype)
    assert "K.fwd" in system.torch_source(dims), "this cell is fused"
    ops = system.to_torch(dims, dtype=dtype)
    ops.forward.__globals__["_KERNELS"][:] = [None]  # the torch-ops path of the same Function
    oracle = system.to_torch(dims, dtype=dtype, steps=False)
    for m in (ops, oracle):
        m.load_state_dict(fused.state_dict())
    program = system.program(dims, fast=True)
    inputs, state = random_inputs(program, np.random.default_rng(2), "sample-first", T=9, N=5)
    x = {k: torch.tensor(v, dtype=dtype) for k, v in {**inputs, **state}.items()}
    for k in [*state, *inputs]:  # the initial states and the inputs: their gradients too
        if x[k].is_floating_point():
            x[k].requires_grad_(True)
    return [fused, ops, oracle], x


@pytest.mark.parametrize("name", list(CELLS))
def test_the_fused_kernel_equals_the_torch_ops_and_autograd(name: str) -> None:
    (fused, ops, oracle), x = modules(name, torch.float64)
    states = [k for k in x if x[k].requires_grad]
    results = []
    for m in (fused, ops, oracle):
        out = m(**x)
        gen = torch.Generator().manual_seed(0)
        loss = sum((v * torch.randn(v.shape, generator=gen, dtype=v.dtype)).sum()
                   for v in out.values())  # fmt: skip
        grads = torch.autograd.grad(loss, [*m.parameters(), *(x[k] for k in states)])
        results.append((out, grads))
    assert fused.forward.__globals__["_KERNELS"][0] is not None  # it was built and ran
    for out, grads in results[1:]:
        for k in out:
            torch.testing.assert_close(results[0][0][k], out[k], atol=1e-12, rtol=0)
        for a, b in zip(results[0][1], grads, strict=True):
            torch.testing.assert_close(a, b, atol=1e-10, rtol=0)


@pytest.mark.parametrize("name", list(CELLS))
def test_without_grad_only_what_is_asked_for_is_kept(name: str) -> None:
    """Under torch.no_grad the kernels keep whole only what is asked for (and the states);
    the rest is one step's room. What is returned still equals the oracle: each output asked
    alone, and all of them."""
    (fused, _, oracle), x = modules(name, torch.float64)
    with torch.no_grad():
        every = oracle(**x)
        for key in every:
            got = fused(returns=[key], **x)
            assert list(got) == [key]
            torch.testing.assert_close(got[key], every[key], atol=1e-12, rtol=0)
        for key, value in fused(**x).items():
            torch.testing.assert_close(value, every[key], atol=1e-12, rtol=0)


@pytest.mark.parametrize("name", list(CELLS))
def test_the_input_projection_runs_in_the_fused_step(name: str) -> None:
    """Fused, an input's projection (W_x x_t + b) stays in the step: no (T, N, 4H) projection
    before the loop, and no _Linear in the module. The plain loop keeps it hoisted."""
    system = papermath.compile(CELLS[name])
    dims = default_dims(system, None)
    fused = system.torch_source(dims)
    assert "_Linear" not in fused and "F.linear" not in fused
    plain = system.torch_source(dims, steps=False)
    assert "computed for every step at once" in plain  # hoisted there


def test_the_lstm_s_two_products_share_one_buffer() -> None:
    """The LSTM's W_h h_{t-1} + (W_x x_t + b): the input's product writes the buffer, the
    state's adds to it (a chain, one pass over the buffer's tiles: K.gemm2), the bias is
    added by the kernel as it reads the gates."""
    system = papermath.compile(CELLS["lstm"])
    fused = system.torch_source(default_dims(system, None))
    assert (
        "K.gemm2(buf_h_prev_all0_sum1, no_bias, seq_x_steps[t_2], W_stack1_t, h_prev, W_stack0_t)"
        in fused
    )


def test_float32_and_only_h_differentiated() -> None:
    """nn.LSTM's use in float32: only h asked for; the other outputs get no gradient."""
    (fused, _, oracle), x = modules("lstm", torch.float32)
    h_a = fused(returns=["h"], **x)["h"]
    h_b = oracle(returns=["h"], **x)["h"]
    torch.testing.assert_close(h_a, h_b, atol=1e-5, rtol=1e-5)
    g_a = torch.autograd.grad(h_a.square().sum(), list(fused.parameters()))
    g_b = torch.autograd.grad(h_b.square().sum(), list(oracle.parameters()))
    for a, b in zip(g_a, g_b, strict=True):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=1e-4)


def test_without_a_compiler_the_steps_run_as_torch_ops(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A failed build (here: the compiler is `false`) is a one-line notice and the torch-ops
    path, never an error; the values are the plain loop's. The failure is kept in the cache:
    the next module says so at once, without building again."""
    monkeypatch.setenv("CXX", "false")
    monkeypatch.setenv("PAPERMATH_KERNEL_CACHE", str(tmp_path))
    system = catalog.load("lstm")
    module = system.to_torch({"m": 3, "n": 2}, dtype=torch.float64)
    oracle = system.to_torch({"m": 3, "n": 2}, dtype=torch.float64, steps=False)
    oracle.load_state_dict(module.state_dict())
    x = torch.randn(4, 2, 3, dtype=torch.float64)
    out = module(x=x, returns=["h"])["h"]
    assert module.forward.__globals__["_KERNELS"] == [None]
    torch.testing.assert_close(out, oracle(x=x, returns=["h"])["h"], atol=1e-12, rtol=0)
    notice = [line for line in capfd.readouterr().err.splitlines() if "papermath:" in line]
    assert len(notice) == 2 and "building the fused step kernel" in notice[0], notice
    assert "no fused step kernel" in notice[1] and "the steps run as torch ops" in notice[1]
    assert [p.suffix for p in tmp_path.iterdir() if p.suffix != ".log"] == [".failed"]
    again = system.to_torch({"m": 3, "n": 2}, dtype=torch.float64)
    start = time.monotonic()
    again(x=x, returns=["h"])
    assert time.monotonic() - start < 2 and again.forward.__globals__["_KERNELS"] == [None]
    notice = [line for line in capfd.readouterr().err.splitlines() if "papermath:" in line]
    assert len(notice) == 1 and "no fused step kernel" in notice[0], notice


def test_inputs_and_states_that_are_views_of_other_layouts() -> None:
    """A transposed initial state and a strided input: the kernel reads rows, so the Function
    makes them contiguous first; values and gradients as autograd's."""
    system = papermath.compile(CELLS["peephole"])
    dims = {"m": 3, "n": 4}
    fused = system.to_torch(dims, dtype=torch.float64)
    oracle = system.to_torch(dims, dtype=torch.float64, steps=False)
    oracle.load_state_dict(fused.state_dict())
    x = torch.randn(5, 3, 6, dtype=torch.float64)[..., ::2]  # (T, N, m), strided
    h0 = torch.randn(4, 3, dtype=torch.float64).T.requires_grad_(True)  # (N, n), transposed
    c0 = torch.randn(4, 3, dtype=torch.float64).T.requires_grad_(True)  # read by the kernel
    outs = [m(x=x, h=h0, c=c0, returns=["h", "c"]) for m in (fused, oracle)]
    for k in ("h", "c"):
        torch.testing.assert_close(outs[0][k], outs[1][k], atol=1e-12, rtol=0)
    grads = [torch.autograd.grad(o["h"].sum() + o["c"].square().sum(), [h0, c0]) for o in outs]
    for a, b in zip(*grads, strict=True):
        torch.testing.assert_close(a, b, atol=1e-10, rtol=0)


def test_mixed_dtypes_are_torch_s_error_not_garbage() -> None:
    """A float64 cell state given to a float32 layer is never read as float32 by the kernel:
    the torch ops run and torch says what does not match, as autograd through the loop does."""
    system = papermath.compile(CELLS["peephole"])
    fused = system.to_torch({"m": 3, "n": 4})
    oracle = system.to_torch({"m": 3, "n": 4}, steps=False)
    x = torch.randn(5, 2, 3)
    c0 = torch.randn(2, 4, dtype=torch.float64)
    for m in (fused, oracle):
        with pytest.raises(RuntimeError, match="dtype"):
            m(x=x, c=c0, returns=["h"])


def lstm_kernels() -> object:
    module = catalog.load("lstm").to_torch({"m": 3, "n": 2})
    module(x=torch.randn(2, 1, 3))  # builds (or loads) the kernels
    K = module.forward.__globals__["_KERNELS"][0]
    assert K is not None
    return K


@pytest.mark.parametrize(
    "M, K, N",
    [(64, 256, 1024), (5, 3, 8), (70, 300, 520), (130, 1024, 256), (1, 513, 17), (0, 4, 8)],
)
def test_the_step_gemm_equals_torch_mm(M: int, K: int, N: int) -> None:
    """The kernels' GEMM (oneDNN's micro-kernel over tiles in float32; ATen's addmm for the
    rest) against torch in float64: row and matrix biases, accumulation, tails of every tile
    size (rows past 64, columns past a tile, K past a 256 chunk), strided operands, no rows
    (a batch of none)."""
    kern = lstm_kernels()
    gen = torch.Generator().manual_seed(M * N + K)
    a, b = torch.randn(M, K, generator=gen), torch.randn(K, N, generator=gen)
    row, mat = torch.randn(N, generator=gen), torch.randn(M, N, generator=gen)
    exact = a.double() @ b.double()
    tol = {"atol": 1e-4 * K**0.5, "rtol": 1e-5}
    empty = a.new_empty(0)
    for bias, want in ((empty, exact), (row, exact + row.double()), (mat, exact + mat.double())):
        c = torch.full((M, N), float("nan"))
        kern.gemm(c, bias, a, b, False)
        torch.testing.assert_close(c.double(), want, **tol)
    c = mat.clone()
    kern.gemm(c, empty, a, b, True)  # C += A B
    torch.testing.assert_close(c.double(), exact + mat.double(), **tol)
    wide = torch.randn(M, 2 * K, generator=gen)[:, ::2]  # rows with a stride: ATen's addmm
    c = torch.empty(M, N)
    kern.gemm(c, row, wide, b, False)
    torch.testing.assert_close(c.double(), wide.double() @ b.double() + row.double(), **tol)
    c64 = torch.empty(M, N, dtype=torch.float64)
    kern.gemm(c64, mat.double(), a.double(), b.double(), False)
    torch.testing.assert_close(c64, exact + mat.double(), atol=1e-10, rtol=0)
    # two products into one buffer in one pass (x_t W_x^T + h_{t-1} W_h^T): gemm2
    a2, b2 = torch.randn(M, K + 7, generator=gen), torch.randn(K + 7, N, generator=gen)
    both = exact + a2.double() @ b2.double()
    for bias, want in ((empty, both), (row, both + row.double()), (mat, both + mat.double())):
        c = torch.full((M, N), float("nan"))
        kern.gemm2(c, bias, a, b, a2, b2)
        torch.testing.assert_close(c.double(), want, **tol)
    c64 = torch.empty(M, N, dtype=torch.float64)  # not the micro-kernel's: two ATen calls
    kern.gemm2(c64, row.double(), a.double(), b.double(), a2.double(), b2.double())
    torch.testing.assert_close(c64, both + row.double(), atol=1e-10, rtol=0)


def test_float32_at_sizes_past_a_tile_and_the_input_gradient() -> None:
    """The LSTM in float32 at sizes with tails in every tile (N = 70 rows, H = 90), the input
    x differentiated too (its product on the kernels' GEMM): torch.nn.LSTM as the oracle."""
    from papermath.catalog.interop import load_torch_rnn

    torch.manual_seed(0)
    ref = torch.nn.LSTM(50, 90)
    fused = catalog.load("lstm").to_torch({"m": 50, "n": 90})
    load_torch_rnn("lstm", fused, ref)
    oracle = catalog.load("lstm").to_torch({"m": 50, "n": 90}, steps=False)
    oracle.load_state_dict(fused.state_dict())
    x = torch.randn(6, 70, 50, requires_grad=True)
    weights = torch.linspace(-1, 1, 90)
    h_a = fused(x=x, returns=["h"])["h"]
    torch.testing.assert_close(h_a, ref(x)[0], atol=1e-5, rtol=1e-5)
    g_ref = torch.autograd.grad((ref(x)[0] * weights).sum(), x)[0]
    g_a = torch.autograd.grad((h_a * weights).sum(), [x, *fused.parameters()])
    h_o = oracle(x=x, returns=["h"])["h"]
    g_o = torch.autograd.grad((h_o * weights).sum(), [x, *oracle.parameters()])
    torch.testing.assert_close(g_a[0], g_ref, atol=1e-5, rtol=1e-4)
    for a, b in zip(g_a, g_o, strict=True):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=1e-4)
    assert fused.forward.__globals__["_KERNELS"][0] is not None
