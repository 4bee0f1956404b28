"""The floor set by the matrix products alone: an LSTM forward needs one (T*N x I) @ (I x 4H)
product for the inputs and T products (N x H) @ (H x 4H) for the recurrence; its backward T
products (N x 4H) @ (4H x H) for the recurrence, then, after the loop, one product each for
the recurrent weights' gradient and the input weights' gradient (the inputs' gradient is not
asked for: x needs none, as in bench_lstm.py). This times just those, next to
torch.nn.LSTM's whole forward and forward + backward, in one process, twice: with torch's
own GEMM (torch.mm, MKL here), and as the compiled layers run them (the fused kernels' GEMM,
oneDNN's batch-reduce micro-kernel, for the per-step products: the input's projection is kept
in the step, x_t W_x^T written and h_{t-1} W_h^T added into one buffer; torch's for the weight
gradients, where it is as fast).

    python benchmarks/bench_gemm_floor.py
"""

from __future__ import annotations

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import table, timeit

from papermath import catalog


def main() -> None:
    torch.set_num_threads(2)
    T, N, I, H = 100, 64, 128, 256  # noqa: E741 - the paper's names
    lstm = torch.nn.LSTM(I, H)
    x = torch.randn(T, N, I)
    w_x, w_h = torch.randn(4 * H, I), torch.randn(4 * H, H)
    h = torch.randn(N, H)
    xs = x.reshape(T * N, I)

    def gemms() -> None:
        xs @ w_x.T
        for _ in range(T):
            h @ w_h.T

    g = torch.randn(T, N, 4 * H)
    hs = torch.randn(T, N, H)

    def gemms_fb() -> None:
        gemms()
        for t in range(T):
            g[t] @ w_h  # the gradient carried to h_{t-1}
        g.reshape(-1, 4 * H).T @ hs.reshape(-1, H)  # dW_h, one product over all steps
        g.reshape(-1, 4 * H).T @ xs  # dW_x

    layer = catalog.load("lstm").to_torch({"m": I, "n": H})
    layer(x=x[:2])  # builds (about 25 s the first time) or loads the fused kernels
    kernels = layer.forward.__globals__["_KERNELS"][0]
    if kernels is None:
        sys.exit("no fused kernels here (no C++ compiler?): nothing to compare")
    w_xt, w_ht, no_bias = w_x.T.contiguous(), w_h.T.contiguous(), x.new_empty(0)
    out, carry = torch.empty(N, 4 * H), torch.empty(N, H)
    steps = x.unbind(0)

    def ours() -> None:
        for t in range(T):
            kernels.gemm(out, no_bias, steps[t], w_xt, False)
            kernels.gemm(out, no_bias, h, w_ht, True)

    def ours_fb() -> None:
        ours()
        for t in range(T):
            kernels.gemm(carry, no_bias, g[t], w_h, False)
        g.reshape(-1, 4 * H).T @ hs.reshape(-1, H)
        g.reshape(-1, 4 * H).T @ xs

    def reference() -> None:
        with torch.no_grad():
            lstm(x)

    def reference_fb() -> None:
        for p in lstm.parameters():
            p.grad = None
        lstm(x)[0].sum().backward()

    t = timeit({"gemms": gemms, "ours": ours, "nn.LSTM": reference, "gemms fb": gemms_fb,
                "ours fb": ours_fb, "nn.LSTM fb": reference_fb}, 9)  # fmt: skip
    rows = [("", "time", "ratio to nn.LSTM")]
    for what, fb in (("forward", ""), ("forward+backward", " fb")):
        for label, key in (("torch.mm", "gemms"), ("the compiled layers' GEMM", "ours")):
            rows.append(
                (f"{what}: the matrix products alone, {label}", f"{t[key + fb] * 1e3:.1f} ms",
                 f"{t[key + fb] / t['nn.LSTM' + fb]:.2f}x")
            )  # fmt: skip
        rows.append((f"{what}: torch.nn.LSTM", f"{t['nn.LSTM' + fb] * 1e3:.1f} ms", "1.00x"))
    print(table(rows))


if __name__ == "__main__":
    main()
