"""A character language model on tiny-shakespeare: papermath's LSTM against torch.nn.LSTM.

The core of one model is the catalog's ``lstm_torch`` equations compiled from LaTeX by
papermath; the other's is ``torch.nn.LSTM`` of the same size. Both start from the same
weights (the same seed; nn.LSTM's initial weights copied into the compiled layer with
``papermath.catalog.interop``), see the same batches in the same order, and train with the
same schedule; plain torch does the embedding, the softmax readout, the loss and Adam. The
validation loss is in nats per character on the usual split (the last 10% of the text).

    python examples/char_lm.py --steps 1500 --plot docs/img/char_lm.png
    torchrun --nproc_per_node=2 examples/char_lm.py --ddp     # the same, on two processes

Under ``--ddp`` (torch DistributedDataParallel, gloo on CPU) each rank draws its own batches
and DDP averages the gradients; rank 0 evaluates, plots and samples. The last line printed is
``validation loss: papermath X, torch.nn.LSTM Y (nats/char)``.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import torch
from torch import nn
from tqdm import tqdm

import papermath
from papermath import catalog
from papermath.catalog.interop import load_torch_rnn

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "tinyshakespeare"


class CharLM(nn.Module):
    """Embedding -> LSTM core -> linear readout over the characters."""

    def __init__(self, vocab: int, hidden: int, core: str, reference: nn.LSTM) -> None:
        super().__init__()
        self.core_name = core
        self.embed = nn.Embedding(vocab, hidden)
        self.readout = nn.Linear(hidden, vocab)
        if core == "papermath":
            system = papermath.compile(catalog.latex("lstm_torch"))
            self.core: nn.Module = system.to_torch({"I": hidden, "H": hidden})
            load_torch_rnn("lstm_torch", self.core, reference)  # the same initial weights
        else:
            self.core = reference

    def forward(
        self, tokens: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        x = self.embed(tokens)  # T x N x H
        if self.core_name == "papermath":
            given = {} if state is None else {"h": state[0], "c": state[1]}
            out = self.core(x=x, returns={"h", "c"}, **given)
            h, last = out["h"], (out["h"][-1], out["c"][-1])
        else:
            h0 = None if state is None else (state[0][None], state[1][None])
            h, (hn, cn) = self.core(x, h0)
            last = (hn[0], cn[0])
        return self.readout(h), last


def batches(data: torch.Tensor, seq: int, size: int, generator: torch.Generator):  # type: ignore[no-untyped-def]
    """Random windows of seq + 1 characters: inputs and next-character targets (T x N)."""
    while True:
        start = torch.randint(0, len(data) - seq - 1, (size,), generator=generator)
        window = torch.stack([data[s : s + seq + 1] for s in start.tolist()], dim=1)
        yield window[:-1], window[1:]


@torch.no_grad()
def evaluate(model: CharLM, data: torch.Tensor, seq: int, limit: int) -> float:
    """Mean nats per character over consecutive windows of the validation text."""
    model.eval()
    total, count = 0.0, 0
    n = min(len(data) - 1, limit or len(data))
    chunks = (n // seq) * seq
    x = data[:chunks].reshape(-1, seq).T  # seq x windows
    y = data[1 : chunks + 1].reshape(-1, seq).T
    for k in range(0, x.shape[1], 256):
        logits, _ = model(x[:, k : k + 256])
        loss = nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), y[:, k : k + 256].reshape(-1), reduction="sum"
        )
        total += loss.item()
        count += y[:, k : k + 256].numel()
    model.train()
    return total / count


@torch.no_grad()
def sample(model: CharLM, chars: list[str], start: str, length: int, seed: int) -> str:
    g = torch.Generator().manual_seed(seed)
    index = {c: i for i, c in enumerate(chars)}
    start = "".join(c for c in start if c in index) or chars[0]
    tokens = torch.tensor([[index[c]] for c in start])
    logits, state = model(tokens)
    out = list(start)
    for _ in range(length):
        probs = torch.softmax(logits[-1, 0], dim=-1)
        nxt = int(torch.multinomial(probs, 1, generator=g))
        out.append(chars[nxt])
        logits, state = model(torch.tensor([[nxt]]), state)
    return "".join(out)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder with input.txt")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--seq", type=int, default=64)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument(
        "--eval-chars", type=int, default=0, help="validation characters (default: all)"
    )
    parser.add_argument("--cores", default="papermath,torch", help="which LSTMs to train")
    parser.add_argument("--plot", type=Path, help="write the validation curves (PNG)")
    parser.add_argument("--sample", type=int, default=300, help="characters to generate")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ddp", action="store_true", help="run under torchrun (gloo)")
    args = parser.parse_args(argv)

    rank, world = 0, 1
    if args.ddp:
        import torch.distributed as dist

        dist.init_process_group("gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
    torch.set_num_threads(max(1, args.threads // world))
    text = (args.data / "input.txt").read_text(encoding="utf-8")
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    split = int(0.9 * len(data))
    train, valid = data[:split], data[split:]

    curves: dict[str, list[tuple[int, float]]] = {}
    results: dict[str, float] = {}
    models: dict[str, CharLM] = {}
    for core in args.cores.split(","):
        torch.manual_seed(args.seed)  # the same initial weights for both cores
        reference = nn.LSTM(args.hidden, args.hidden)
        model = CharLM(len(chars), args.hidden, core, reference)
        trained: nn.Module = model
        if args.ddp:
            from torch.nn.parallel import DistributedDataParallel

            trained = DistributedDataParallel(model)
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.steps)
        stream = batches(train, args.seq, args.batch, torch.Generator().manual_seed(rank + 1))
        curve = curves.setdefault(core, [])
        start = time.perf_counter()
        bar = tqdm(range(args.steps), desc=f"{core} LSTM", disable=rank != 0, mininterval=2.0)
        for step in bar:
            x, y = next(stream)
            logits, _ = trained(x)
            loss = nn.functional.cross_entropy(logits.reshape(-1, len(chars)), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            if rank == 0 and (step % args.eval_every == args.eval_every - 1 or step == 0):
                curve.append((step + 1, evaluate(model, valid, args.seq, args.eval_chars)))
                bar.set_postfix(train=f"{loss.item():.3f}", valid=f"{curve[-1][1]:.3f}")
        models[core] = model  # every rank: their parameters are compared below
        if rank == 0:
            final = evaluate(model, valid, args.seq, len(valid))
            if curve[-1][0] != args.steps or args.eval_chars:
                curve.append((args.steps, final))
            results[core] = final
            minutes = (time.perf_counter() - start) / 60
            print(
                f"{core}: validation {final:.4f} nats/char ({final / math.log(2):.3f} bits), "
                f"{minutes:.1f} min"
            )
    if args.ddp:
        import torch.distributed as dist

        for model in models.values():  # every rank holds the same parameters
            flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
            copies = [torch.empty_like(flat) for _ in range(world)]
            dist.all_gather(copies, flat)
            if rank == 0:
                drift = max((c - flat).abs().max().item() for c in copies)
                print(f"largest difference between the ranks' parameters: {drift:.1e}")
        dist.destroy_process_group()
    if rank != 0:
        return results
    if args.plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.6), dpi=150)
        names = {"papermath": "papermath LSTM (compiled)", "torch": "torch.nn.LSTM"}
        for core, curve in curves.items():
            ax.plot(*zip(*curve, strict=True), marker="o", ms=3, label=names.get(core, core))
        ax.axhline(1.76, color="grey", ls=":", label="order-4 n-gram (1.76)")
        ax.set_xlabel("training step")
        ax.set_ylabel("validation loss (nats/char)")
        where = "one process" if world == 1 else f"{world} processes (DDP)"
        ax.set_title(f"tiny-shakespeare, hidden {args.hidden}, {where}")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.plot)
        print(f"wrote {args.plot}")
    if "papermath" in models and args.sample:
        print("sample (papermath LSTM):")
        print(sample(models["papermath"], chars, "ROMEO:", args.sample, args.seed))
    shown = ", ".join(
        f"{'torch.nn.LSTM' if k == 'torch' else k} {v:.4f}" for k, v in results.items()
    )
    print(f"validation loss: {shown} (nats/char)")
    return results


if __name__ == "__main__":
    main()
