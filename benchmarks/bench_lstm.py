"""The compiled LSTM against torch.nn.LSTM, side by side in one process.

    python benchmarks/bench_lstm.py            # T=100, N=64, I=128, H=256, float32

Prints ratios (ours / reference; below 1 is faster) and the targets of the speed issue (13).
The compiled LSTM runs its loop as a generated autograd.Function with fused C++ step kernels
(built once before timing, about 25 s the first time, then cached on disk).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import peak_memory, table, timeit, timeit_apart

import papermath
from papermath import catalog
from papermath.catalog.interop import load_torch_rnn


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--T", type=int, default=100)
    ap.add_argument("--N", type=int, default=64)
    ap.add_argument("--I", type=int, default=128)
    ap.add_argument("--H", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument(
        "--torch-compile",
        action="store_true",
        help="also time torch.compile of the generated module (about 90 s)",
    )
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    T, N, I, H = args.T, args.N, args.I, args.H  # noqa: E741 - the paper's names
    torch.manual_seed(0)

    ref = torch.nn.LSTM(I, H)
    fast = catalog.load("lstm").to_torch({"m": I, "n": H})
    plain = catalog.load("lstm").to_torch({"m": I, "n": H}, fast=False)
    load_torch_rnn("lstm", fast, ref)
    load_torch_rnn("lstm", plain, ref)
    x = torch.randn(T, N, I)
    with torch.no_grad():  # same function before timing anything
        err = (fast(x=x, returns=["h"])["h"] - ref(x)[0]).abs().max().item()
    assert err < 1e-4, err

    def fwd_bwd(f):
        def run():
            for p in [
                *ref.parameters(),
                *fast.parameters(),
                *plain.parameters(),
                *ops.parameters(),
                *loop.parameters(),
            ]:
                p.grad = None
            f().sum().backward()

        return run

    def no_grad(f):
        def run():
            with torch.no_grad():
                f()

        return run

    ops = catalog.load("lstm").to_torch({"m": I, "n": H})  # the Function, no fused kernel
    ops.forward.__globals__["_KERNELS"][:] = [None]
    loop = catalog.load("lstm").to_torch({"m": I, "n": H}, steps=False)  # autograd, the loop
    load_torch_rnn("lstm", ops, ref)
    load_torch_rnn("lstm", loop, ref)
    ours_ops = lambda: ops(x=x, returns=["h"])["h"]  # noqa: E731
    ours_loop = lambda: loop(x=x, returns=["h"])["h"]  # noqa: E731
    ours = lambda: fast(x=x, returns=["h"])["h"]  # noqa: E731
    ours_all = lambda: fast(x=x)["h"]  # noqa: E731 - every defined symbol returned
    ours_plain = lambda: plain(x=x, returns=["h"])["h"]  # noqa: E731
    theirs = lambda: ref(x)[0]  # noqa: E731
    fb = timeit(
        {
            "nn.LSTM": fwd_bwd(theirs),
            "papermath": fwd_bwd(ours),
            "papermath (all outputs)": fwd_bwd(ours_all),
            "papermath (no speed passes)": fwd_bwd(ours_plain),
            "papermath (torch ops)": fwd_bwd(ours_ops),
            "papermath (autograd loop)": fwd_bwd(ours_loop),
        },
        args.repeat,
    )
    fw = timeit(
        {
            "nn.LSTM": no_grad(theirs),
            "papermath": no_grad(ours),
            "papermath (no speed passes)": no_grad(ours_plain),
        },
        args.repeat,
    )

    # NumPy: generated forward + backward, float32, the same weights
    gen = catalog.load("lstm").to_numpy({"m": I, "n": H})
    params = {k: v.detach().numpy().astype(np.float32) for k, v in fast.named_parameters()}
    xn = x.numpy()
    og = {"h": np.ones((T, N, H), dtype=np.float32)}

    def numpy_fb() -> None:
        _, cache = gen.forward(params, {"x": xn})
        gen.backward(params, cache, og)

    # apart, not interleaved: OpenBLAS's and torch's threads would slow each other down
    np_t = timeit_apart({"nn.LSTM": fwd_bwd(theirs), "numpy": numpy_fb})
    out, _ = gen.forward(params, {"x": xn})
    assert out["h"].dtype == np.float32, "the NumPy pipeline must stay in float32"

    # the FLOP rate: forward matmuls 2*T*N*(I+H)*4H; backward twice that
    flops = 3 * 2 * T * N * (I + H) * 4 * H
    side = round((flops / 2) ** (1 / 3))
    a, b = torch.randn(side, side), torch.randn(side, side)
    gemm = timeit({"gemm": lambda: a @ b}, args.repeat)["gemm"]
    gemm_rate = 2 * side**3 / gemm

    # LaTeX -> nn.Module, warm process
    latex = catalog.latex("lstm")
    times = []
    for _ in range(21):
        start = time.perf_counter()
        papermath.compile(latex).to_torch({"m": I, "n": H})
        times.append(time.perf_counter() - start)
    compile_ms = statistics.median(times[1:]) * 1000

    setup_common = (
        f"import torch\ntorch.set_num_threads({args.threads})\nx = torch.randn({T}, {N}, {I})\n"
    )
    mem_ref = peak_memory(
        setup_common + f"m = torch.nn.LSTM({I}, {H})\ndef run():\n    m(x)[0].sum().backward()\n"
    )
    mem_ours = peak_memory(
        setup_common + "from papermath import catalog\n"
        f"m = catalog.load('lstm').to_torch({{'m': {I}, 'n': {H}}})\n"
        "def run():\n    m(x=x, returns=['h'])['h'].sum().backward()\n"
    )

    r = lambda a, b: f"{a / b:.2f}x"  # noqa: E731
    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    rows = [("measure", "papermath", "reference", "ratio", "target")]
    timed = (  # (what, timings, ours, reference, target)
        ("fwd+bwd, compiled torch vs nn.LSTM", fb, "papermath", "nn.LSTM", "<= 0.85x"),
        ("forward, compiled torch vs nn.LSTM", fw, "papermath", "nn.LSTM", "<= 1.15x"),
        ("fwd+bwd, the Function with torch ops, no kernel", fb, "papermath (torch ops)",
         "nn.LSTM", ""),
        ("fwd+bwd, autograd through the plain loop", fb, "papermath (autograd loop)",
         "nn.LSTM", ""),
        ("fwd+bwd, every output returned", fb, "papermath (all outputs)", "nn.LSTM", ""),
        ("fwd+bwd, without the speed passes", fb, "papermath (no speed passes)", "nn.LSTM", ""),
        ("forward, without the speed passes", fw, "papermath (no speed passes)", "nn.LSTM", ""),
        ("fwd+bwd, generated NumPy vs nn.LSTM", np_t, "numpy", "nn.LSTM", "<= 1.3x"),
    )  # fmt: skip
    for what, t, ours_key, ref_key, target in timed:
        rows.append((what, ms(t[ours_key]), ms(t[ref_key]), r(t[ours_key], t[ref_key]), target))
    ours_rate = flops / fb["papermath"]
    ref_rate = flops / fb["nn.LSTM"]
    rows.append(
        (
            "GFLOP/s fwd+bwd vs one GEMM of the same FLOPs",
            f"{ours_rate / 1e9:.0f}",
            f"{gemm_rate / 1e9:.0f} (nn.LSTM: {ref_rate / 1e9:.0f})",
            f"{ours_rate / gemm_rate:.0%} (nn.LSTM: {ref_rate / gemm_rate:.0%})",
            ">= 75%",
        )
    )
    rows.append(("LaTeX -> nn.Module, median, warm", f"{compile_ms:.1f} ms", "", "", "<= 50 ms"))
    rows.append(
        (
            "peak memory above resting, fwd+bwd",
            f"{mem_ours / 2**20:.1f} MiB",
            f"{mem_ref / 2**20:.1f} MiB",
            r(mem_ours, mem_ref),
            "<= 1.2x",
        )
    )
    if args.torch_compile:
        compiled = torch.compile(fast, dynamic=False)
        start = time.perf_counter()
        compiled(x=x, returns=["h"])["h"].sum().backward()
        build = time.perf_counter() - start
        tc = timeit(
            {
                "nn.LSTM": fwd_bwd(theirs),
                "compiled": fwd_bwd(lambda: compiled(x=x, returns=["h"])["h"]),
            },
            args.repeat,
        )
        rows.append(
            (
                f"fwd+bwd with torch.compile (built in {build:.0f} s)",
                ms(tc["compiled"]),
                ms(tc["nn.LSTM"]),
                r(tc["compiled"], tc["nn.LSTM"]),
                "(optional)",
            )
        )
    print(
        f"LSTM T={T} N={N} I={I} H={H}, float32, {args.threads} threads, torch {torch.__version__}"
    )
    print(table(rows))


if __name__ == "__main__":
    main()
