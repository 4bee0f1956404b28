"""Cells compiled from LaTeX against what a user has otherwise, side by side in one process:
the GRU (PyTorch's form) against torch.nn.GRU, and two cells with no vendor kernel (Graves'
peephole LSTM, the GG-NN's GRU-style node update) against a hand-written torch loop with
autograd, the naive version a user writes. Forward + backward (returning h) and forward.

    python benchmarks/bench_cells.py [--T 100 --N 64 --I 128 --H 256]

Prints medians of interleaved runs and ratios (ours / reference; below 1 is faster). The
first run of a cell builds its fused step kernel (about 25 s, cached on disk); the build
happens before timing. Not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
from common import table, timeit

import papermath
from papermath import catalog
from papermath.catalog.interop import load_torch_rnn

PEEPHOLE = r"""
i_t = \sigma(W_{xi} x_t + W_{hi} h_{t-1} + w_{ci} \odot c_{t-1} + b_i)
f_t = \sigma(W_{xf} x_t + W_{hf} h_{t-1} + w_{cf} \odot c_{t-1} + b_f)
c_t = f_t \odot c_{t-1} + i_t \odot \tanh(W_{xc} x_t + W_{hc} h_{t-1} + b_c)
o_t = \sigma(W_{xo} x_t + W_{ho} h_{t-1} + w_{co} \odot c_t + b_o)
h_t = o_t \odot \tanh(c_t)
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}
"""
# the GG-NN's node update (Li et al. 2016, eqs. 3-6), a_t the gathered messages of a step
GGNN_UPDATE = r"""
z_t = \sigma(W^z a_t + U^z h_{t-1})
r_t = \sigma(W^r a_t + U^r h_{t-1})
\tilde{h}_t = \tanh(W a_t + U (r_t \odot h_{t-1}))
h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde{h}_t
a_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}
"""


def naive_peephole(p: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """What a user writes: the equations line by line, a Python loop, autograd."""
    h = x.new_zeros(x.shape[1], p["W_hi"].shape[0])
    c = torch.zeros_like(h)
    out = []
    for x_t in x:
        i = torch.sigmoid(x_t @ p["W_xi"].T + h @ p["W_hi"].T + p["w_ci"] * c + p["b_i"])
        f = torch.sigmoid(x_t @ p["W_xf"].T + h @ p["W_hf"].T + p["w_cf"] * c + p["b_f"])
        c = f * c + i * torch.tanh(x_t @ p["W_xc"].T + h @ p["W_hc"].T + p["b_c"])
        o = torch.sigmoid(x_t @ p["W_xo"].T + h @ p["W_ho"].T + p["w_co"] * c + p["b_o"])
        h = o * torch.tanh(c)
        out.append(h)
    return torch.stack(out)


def naive_ggnn(p: dict[str, torch.Tensor], a: torch.Tensor) -> torch.Tensor:
    h = a.new_zeros(a.shape[1], p["U"].shape[0])
    out = []
    for a_t in a:
        z = torch.sigmoid(a_t @ p["W_z"].T + h @ p["U_z"].T)
        r = torch.sigmoid(a_t @ p["W_r"].T + h @ p["U_r"].T)
        h_tilde = torch.tanh(a_t @ p["W"].T + (r * h) @ p["U"].T)
        h = (1 - z) * h + z * h_tilde
        out.append(h)
    return torch.stack(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--T", type=int, default=100)
    ap.add_argument("--N", type=int, default=64)
    ap.add_argument("--I", type=int, default=128)
    ap.add_argument("--H", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    T, N, I, H = args.T, args.N, args.I, args.H  # noqa: E741 - the papers' names
    x = torch.randn(T, N, I)

    gru_ref = torch.nn.GRU(I, H)
    gru = catalog.load("gru_torch").to_torch({"I": I, "H": H})
    load_torch_rnn("gru_torch", gru, gru_ref)
    peep = papermath.compile(PEEPHOLE).to_torch({"m": I, "n": H})
    peep_p = {k: v.detach().clone().requires_grad_(True) for k, v in peep.named_parameters()}
    upd = papermath.compile(GGNN_UPDATE).to_torch({"m": I, "n": H})
    upd_p = {k: v.detach().clone().requires_grad_(True) for k, v in upd.named_parameters()}
    fused = {
        "gru": "K.fwd" in catalog.load("gru_torch").torch_source({"I": I, "H": H}),
        "peephole": "K.fwd" in papermath.compile(PEEPHOLE).torch_source({"m": I, "n": H}),
        "ggnn": "K.fwd" in papermath.compile(GGNN_UPDATE).torch_source({"m": I, "n": H}),
    }
    with torch.no_grad():  # the same functions, and the kernels built before timing
        err = (gru(x=x, returns=["h"])["h"] - gru_ref(x)[0]).abs().max().item()
        assert err < 1e-4, err
        err = (peep(x=x, returns=["h"])["h"] - naive_peephole(peep_p, x)).abs().max().item()
        assert err < 1e-4, err
        err = (upd(a=x, returns=["h"])["h"] - naive_ggnn(upd_p, x)).abs().max().item()
        assert err < 1e-4, err

    def fb(f):  # type: ignore[no-untyped-def]
        def run() -> None:
            f().sum().backward()

        return run

    def fw(f):  # type: ignore[no-untyped-def]
        def run() -> None:
            with torch.no_grad():
                f()

        return run

    cands = {
        "gru": lambda: gru(x=x, returns=["h"])["h"],
        "nn.GRU": lambda: gru_ref(x)[0],
        "peephole": lambda: peep(x=x, returns=["h"])["h"],
        "peephole, naive loop": lambda: naive_peephole(peep_p, x),
        "ggnn": lambda: upd(a=x, returns=["h"])["h"],
        "ggnn, naive loop": lambda: naive_ggnn(upd_p, x),
    }
    start = time.perf_counter()
    t_fb = timeit({k: fb(f) for k, f in cands.items()}, args.repeat)
    t_fw = timeit({k: fw(f) for k, f in cands.items()}, args.repeat)
    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    rows = [("cell", "measure", "papermath", "reference", "ratio", "target")]
    for ours, ref, name, target in (
        ("gru", "nn.GRU", "GRU vs nn.GRU", ("<= 0.85x", "<= 1.15x")),
        ("peephole", "peephole, naive loop", "peephole LSTM vs naive loop", ("<= 0.67x",) * 2),
        ("ggnn", "ggnn, naive loop", "GG-NN update vs naive loop", ("<= 0.67x",) * 2),
    ):
        kind = "fused kernel" if fused[ours] else "torch ops"
        rows.append((f"{name} ({kind})", "fwd+bwd", ms(t_fb[ours]), ms(t_fb[ref]),
                     f"{t_fb[ours] / t_fb[ref]:.2f}x", target[0]))  # fmt: skip
        rows.append(("", "forward", ms(t_fw[ours]), ms(t_fw[ref]),
                     f"{t_fw[ours] / t_fw[ref]:.2f}x", target[1]))  # fmt: skip
    print(f"T={T} N={N} I={I} H={H}, float32, {args.threads} threads, torch {torch.__version__}")
    print(table(rows))
    print(f"(timed in {time.perf_counter() - start:.0f} s; a ratio <= 0.67x is >= 1.5x faster)")


if __name__ == "__main__":
    main()
