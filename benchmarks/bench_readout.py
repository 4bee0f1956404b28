"""The compiled GGNN readout (Li et al. 2016, eq. 7) against a hand-written torch version,
over a batch of 1000 graphs of 20 nodes, side by side in one process.

    python benchmarks/bench_readout.py
"""

from __future__ import annotations

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import table, timeit

from papermath import catalog


class HandWritten(torch.nn.Module):
    """What an expert writes: h_G = tanh(segment_sum(sigma(i([h, x])) * tanh(j([h, x]))))."""

    def __init__(self, d: int, k: int, g: int) -> None:
        super().__init__()
        self.i = torch.nn.Linear(d + k, g)
        self.j = torch.nn.Linear(d + k, g)

    def forward(
        self, h: torch.Tensor, x: torch.Tensor, batch: torch.Tensor, graphs: int
    ) -> torch.Tensor:
        hx = torch.cat([h, x], dim=1)
        gated = torch.sigmoid(self.i(hx)) * torch.tanh(self.j(hx))
        out = gated.new_zeros(graphs, gated.shape[1]).index_add(0, batch, gated)
        return torch.tanh(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--graphs", type=int, default=1000)
    ap.add_argument("--nodes", type=int, default=20)
    ap.add_argument("--D", type=int, default=64)
    ap.add_argument("--K", type=int, default=16)
    ap.add_argument("--G", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    ours = catalog.load("ggnn_readout").to_torch({"D": args.D, "K": args.K, "G": args.G})
    ref = HandWritten(args.D, args.K, args.G)
    ours.load_state_dict(ref.state_dict())
    n = args.graphs * args.nodes
    h, x = torch.randn(n, args.D), torch.randn(n, args.K)
    batch = torch.arange(args.graphs).repeat_interleave(args.nodes)
    a = ours(h=h, x=x, batch=batch)["h_G"]
    b = ref(h, x, batch, args.graphs)
    assert (a - b).abs().max().item() < 1e-5

    def fb(f):
        def run() -> None:
            for p in [*ours.parameters(), *ref.parameters()]:
                p.grad = None
            f().sum().backward()

        return run

    def fw(f):
        def run() -> None:
            with torch.no_grad():
                f()

        return run

    mine = lambda: ours(h=h, x=x, batch=batch)["h_G"]  # noqa: E731
    theirs = lambda: ref(h, x, batch, args.graphs)  # noqa: E731
    t1 = timeit({"ours": fw(mine), "ref": fw(theirs)}, 15)
    t2 = timeit({"ours": fb(mine), "ref": fb(theirs)}, 15)
    rows = [("GGNN readout", "papermath", "hand-written torch", "ratio", "target")]
    rows.append(
        (
            "forward",
            f"{t1['ours'] * 1e3:.2f} ms",
            f"{t1['ref'] * 1e3:.2f} ms",
            f"{t1['ours'] / t1['ref']:.2f}x",
            "<= 1.1x",
        )
    )
    rows.append(
        (
            "forward + backward",
            f"{t2['ours'] * 1e3:.2f} ms",
            f"{t2['ref'] * 1e3:.2f} ms",
            f"{t2['ours'] / t2['ref']:.2f}x",
            "<= 1.1x",
        )
    )
    print(
        f"{args.graphs} graphs x {args.nodes} nodes, D={args.D} K={args.K} G={args.G}, "
        f"float32, {args.threads} threads"
    )
    print(table(rows))


if __name__ == "__main__":
    main()
