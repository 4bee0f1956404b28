"""The floor set by the matrix products alone: an LSTM forward needs one (T*N x I) @ (I x 4H)
product for the inputs and T products (N x H) @ (H x 4H) for the recurrence. This times just
those, next to torch.nn.LSTM's whole forward, in one process.

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

    def reference() -> None:
        with torch.no_grad():
            lstm(x)

    t = timeit({"gemms": gemms, "nn.LSTM": reference}, 9)
    rows = [("forward", "time", "ratio to nn.LSTM")]
    rows.append(
        (
            "the matrix products alone",
            f"{t['gemms'] * 1e3:.1f} ms",
            f"{t['gemms'] / t['nn.LSTM']:.2f}x",
        )
    )
    rows.append(("torch.nn.LSTM", f"{t['nn.LSTM'] * 1e3:.1f} ms", "1.00x"))
    print(table(rows))


if __name__ == "__main__":
    main()
