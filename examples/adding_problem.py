"""The adding problem (Hochreiter & Schmidhuber 1997, experiment 4) with the catalog LSTM.

The LSTM is papermath's: the catalog's ``lstm_torch`` equations (PyTorch's notation) compiled
from LaTeX into an ``nn.Module``. Plain torch does the rest: the data, a linear readout of
the last hidden state, the loss and the optimizer.

The task, as the paper defines it: a sequence of T pairs (a value drawn from [-1, 1], a
marker); two of the values are marked (one among the first ten steps, the other among the
first T/2); the target is 0.5 + (X1 + X2) / 4.0, read off after the last step. A sequence
is solved when the absolute error is below 0.04. The last line printed is
``solved: X`` (the fraction of the test sequences solved, at T).

Training uses a curriculum (``--curriculum``, on by default): sequences of 20 steps first,
longer by 20 each time the model solves 95% of them, up to T; the test is always at T. (The
paper trains at T directly; without the curriculum the LSTM escapes the plateau at the
target's variance far later than the few minutes this example has.)

    python examples/adding_problem.py              # T = 100, as the paper
    python examples/adding_problem.py --steps 50   # a quick run
"""

from __future__ import annotations

import argparse
import time

import torch
from tqdm import tqdm

import papermath
from papermath import catalog


def batch(n: int, T: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """n sequences (T x n x 2: value, marker) and their targets (n)."""
    values = torch.rand(T, n, generator=generator) * 2 - 1
    first = torch.randint(0, 10, (n,), generator=generator)
    second = torch.randint(0, T // 2 - 1, (n,), generator=generator)
    second = torch.where(second >= first, second + 1, second)  # two different steps
    markers = torch.zeros(T, n)
    rows = torch.arange(n)
    markers[first, rows] = 1.0
    markers[second, rows] = 1.0
    target = 0.5 + (values[first, rows] + values[second, rows]) / 4.0
    return torch.stack([values, markers], dim=-1), target


class Model(torch.nn.Module):
    """papermath's LSTM, compiled from the catalog's LaTeX, and a linear readout."""

    def __init__(self, hidden: int, forget_bias: float = 1.0) -> None:
        super().__init__()
        system = papermath.compile(catalog.latex("lstm_torch"))
        self.lstm = system.to_torch({"I": 2, "H": hidden})
        with torch.no_grad():  # remember by default at the start (Gers et al. 2000)
            self.lstm.b_hf.add_(forget_bias)
        self.readout = torch.nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.lstm(x=x, returns={"h"})["h"]  # T x n x H: every step's hidden state
        return self.readout(h[-1]).squeeze(-1)


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--T", type=int, default=100, help="sequence length (paper: 100)")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=6000, help="training steps (at most)")
    parser.add_argument("--lr", type=float, default=5e-3)
    parser.add_argument("--test", type=int, default=2560, help="test sequences")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--forget-bias", type=float, default=1.0)
    parser.add_argument(
        "--curriculum",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="train on 20 steps first, then longer (default: on)",
    )
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    data = torch.Generator().manual_seed(args.seed + 1)
    test_x, test_y = batch(args.test, args.T, torch.Generator().manual_seed(10_000 + args.seed))

    model = Model(args.hidden, args.forget_bias)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    start = time.perf_counter()
    solved = 0.0
    bar = tqdm(range(args.steps), desc="adding problem", mininterval=2.0)
    length = min(20, args.T) if args.curriculum else args.T
    for step in bar:
        x, y = batch(args.batch, length, data)
        loss = torch.nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if length < args.T and step % 50 == 49:
            with torch.no_grad():
                short_x, short_y = batch(512, length, data)
                if ((model(short_x) - short_y).abs() < 0.04).float().mean() >= 0.95:
                    length = min(args.T, length + 20)  # solved at this length: longer
        if step % 250 == 249 or step == args.steps - 1:
            with torch.no_grad():
                error = (model(test_x) - test_y).abs()
            solved = (error < 0.04).float().mean().item()
            bar.set_postfix(loss=f"{loss.item():.4f}", T=length, solved=f"{solved:.3f}")
            if solved >= 0.995:
                break
    minutes = (time.perf_counter() - start) / 60
    print(f"T = {args.T}, hidden {args.hidden}, {step + 1} steps, {minutes:.1f} min")
    print(f"solved: {solved:.4f}")
    return solved


if __name__ == "__main__":
    main()
