"""The floor set by the matrix products alone: an LSTM forward needs one (T*N x I) @ (I x 4H)
product for the inputs and T products (N x H) @ (H x 4H) for the recurrence; its backward T
products (N x 4H) @ (4H x H) for the recurrence, then, after the loop, one product each for
the recurrent weights' gradient, the input weights' gradient and the inputs' gradient. This
times just those (torch's own GEMM), next to torch.nn.LSTM's whole forward and forward +
backward, in one process.

    python benchmarks/bench_gemm_floor.py
"""

from __future__ import annotations

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import table, timeit


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
        g.reshape(-1, 4 * H) @ w_x  # dx

    def reference() -> None:
        with torch.no_grad():
            lstm(x)

    def reference_fb() -> None:
        for p in lstm.parameters():
            p.grad = None
        lstm(x)[0].sum().backward()

    t = timeit({"gemms": gemms, "nn.LSTM": reference, "gemms fb": gemms_fb,
                "nn.LSTM fb": reference_fb}, 9)  # fmt: skip
    rows = [("", "time", "ratio to nn.LSTM")]
    for what, ours, ref in (("forward", "gemms", "nn.LSTM"), ("forward+backward", "gemms fb",
                                                               "nn.LSTM fb")):  # fmt: skip
        rows.append(
            (f"{what}: the matrix products alone", f"{t[ours] * 1e3:.1f} ms",
             f"{t[ours] / t[ref]:.2f}x")
        )  # fmt: skip
        rows.append((f"{what}: torch.nn.LSTM", f"{t[ref] * 1e3:.1f} ms", "1.00x"))
    print(table(rows))


if __name__ == "__main__":
    main()
