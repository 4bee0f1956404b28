"""GG-NN on bAbI (Li et al. 2016, "Gated Graph Sequence Neural Networks", Table 1).

The model's math is papermath's: ``ggnn_babi/propagation.tex`` (eqs. 2-6: messages along
typed edges in both directions, with one matrix per edge type and direction, then a GRU
step) and the output model (``node_selection.tex`` for tasks 4, 15, 16; ``graph_level.tex``,
eq. 7, for task 18) are compiled from LaTeX into ``nn.Module``s. Plain torch does the rest:
reading the authors' graph files, batching graphs into one disjoint graph, eq. 1 (the
annotation padded with zeros is the initial state), the softmax over each graph's nodes in
the loss, Adam.

The settings are the paper's (its authors' ``run_experiments.py``): 5 propagation steps,
Adam, minibatches of 10, gradients clipped to [-5, 5], state size, learning rate and
number of updates per task. As in the authors' code, the paper's "50 training examples" are
50 stories (graphs) with every question asked on them, the next 50 stories validate (the
best of the evaluations on them is kept), and each question type gets its own model, tested
on every test question of that type. The seed shuffles the stories and draws the weights.

    python examples/ggnn_babi.py --task 4 --train 50 --data ../shared/data/babi --seed 0

The last line printed is ``test accuracy: X`` (the fraction of test questions answered
right, over every question type).
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from tqdm import tqdm

import papermath

HERE = Path(__file__).resolve().parent / "ggnn_babi"
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "babi"

# the authors' settings per task (run_experiments.py): state size D, learning rate, updates,
# annotation size K, and the output model
SETTINGS = {
    4: dict(D=4, lr=0.01, iters=100, K=1, mode="node"),
    15: dict(D=5, lr=0.005, iters=300, K=1, mode="node"),
    16: dict(D=6, lr=0.01, iters=600, K=1, mode="node"),
    18: dict(D=3, lr=0.01, iters=400, K=2, mode="graph"),
}
STEPS = 5  # propagation steps
BATCH = 10  # graphs per update
CLIP = 5.0  # gradients clamped to [-5, 5]
EVAL_EVERY = 10  # updates between evaluations on the validation questions


@dataclass
class Example:
    """One question on one story graph (node ids from 0)."""

    edges: list[tuple[int, int, int]]  # (source, edge type, target)
    question: int  # the question type
    marked: list[int]  # the nodes the question names (annotated)
    answer: int  # a node (node selection) or a class (graph level), from 0
    nodes: int


def read_stories(path: Path) -> list[list[Example]]:
    """The authors' format: ``src type dst`` per edge, ``? qtype node [node] answer`` per
    question, a blank line between graphs. One list per story (graph): its questions."""
    out: list[list[Example]] = []
    edges: list[tuple[int, int, int]] = []
    questions: list[list[int]] = []

    def flush() -> None:
        if edges or questions:
            story = []
            for q in questions:
                ids = [s for s, _, d in edges for s in (s, d)] + q[1:-1]
                nodes = max(ids) + 1
                story.append(Example(list(edges), q[0], q[1:-1], q[-1], nodes))
            out.append(story)
        edges.clear()
        questions.clear()

    for line in path.read_text().splitlines():
        words = line.split()
        if not words:
            flush()
        elif words[0] == "?":
            # 1-based ids in the file: nodes and answers from 0; the question type stays
            q = [int(w) - 1 for w in words[1:]]
            q[0] += 1
            questions.append(q)
        else:
            s, k, d = (int(w) for w in words)
            edges.append((s - 1, k - 1, d - 1))
    flush()
    return out


def batch_of(examples: list[Example], K: int, D: int) -> dict[str, torch.Tensor]:
    """Graphs as one disjoint graph: nodes stacked, edges offset, the graph id of each node."""
    x, src, dst, types, graph = [], [], [], [], []
    offset = 0
    for g, ex in enumerate(examples):
        ann = torch.zeros(ex.nodes, K)
        for slot, node in enumerate(ex.marked):  # annotation: which nodes the question names
            ann[node, slot] = 1.0
        x.append(ann)
        for s, k, d in ex.edges:
            src.append(s + offset)
            dst.append(d + offset)
            types.append(k)
        graph += [g] * ex.nodes
        offset += ex.nodes
    xs = torch.cat(x)
    return {
        "x": xs,
        "h0": torch.cat([xs, xs.new_zeros(len(xs), D - K)], dim=1),  # eq. 1: [x_v, 0]
        "edges": torch.tensor([src, dst], dtype=torch.long),
        "edge_types": torch.tensor(types, dtype=torch.long),
        "batch": torch.tensor(graph, dtype=torch.long),
        "answer": torch.tensor([ex.answer for ex in examples], dtype=torch.long),
        "sizes": torch.tensor([ex.nodes for ex in examples], dtype=torch.long),
    }


class GGNN(nn.Module):
    """The compiled propagation model and output model; the loss in plain torch."""

    def __init__(self, D: int, K: int, edge_types: int, mode: str, classes: int) -> None:
        super().__init__()
        self.mode = mode
        prop = papermath.compile((HERE / "propagation.tex").read_text())
        self.prop = prop.to_torch({"D": D, "K": edge_types, "T": STEPS})
        if mode == "node":
            out = papermath.compile((HERE / "node_selection.tex").read_text())
            self.out = out.to_torch({"D": D, "K": K})
        else:
            out = papermath.compile((HERE / "graph_level.tex").read_text())
            self.out = out.to_torch({"D": D, "K": K, "C": classes})

    def scores(self, b: dict[str, torch.Tensor]) -> torch.Tensor:
        """Node selection: one row per graph, a score per node (-inf past its nodes); graph
        level: one row of class scores per graph."""
        graph = {k: b[k] for k in ("edges", "edge_types", "batch")}
        h = self.prop(h=b["h0"], returns={"h"}, **graph)["h"][-1]  # h_v^{(T)}
        if self.mode == "graph":
            return self.out(h=h, x=b["x"], batch=b["batch"])["y"]
        o = self.out(h=h, x=b["x"], batch=b["batch"])["o"]
        sizes = b["sizes"]
        rows = torch.full((len(sizes), int(sizes.max())), float("-inf"))
        starts = torch.cumsum(sizes, 0) - sizes
        position = torch.arange(len(o)) - starts[b["batch"]]
        return rows.index_put((b["batch"], position), o)


@torch.no_grad()
def evaluate(model: GGNN, examples: list[Example], K: int, D: int) -> tuple[float, float]:
    """The fraction answered right, and the mean loss."""
    right, loss = 0, 0.0
    for i in range(0, len(examples), 100):
        b = batch_of(examples[i : i + 100], K, D)
        scores = model.scores(b)
        right += int((scores.argmax(1) == b["answer"]).sum())
        loss += float(nn.functional.cross_entropy(scores, b["answer"], reduction="sum"))
    return right / max(1, len(examples)), loss / max(1, len(examples))


def train_one(
    train: list[Example],
    val: list[Example],
    s: dict[str, float | int | str],
    edge_types: int,
    classes: int,
    seed: int,
    label: str,
) -> GGNN:
    D, K = int(s["D"]), int(s["K"])
    torch.manual_seed(seed)
    model = GGNN(D, K, edge_types, str(s["mode"]), classes)
    opt = torch.optim.Adam(model.parameters(), lr=float(s["lr"]))
    rng = random.Random(seed)
    order: list[int] = []
    best: tuple[float, float] = (-1.0, 0.0)
    best_state = None
    bar = tqdm(range(1, int(s["iters"]) + 1), desc=label, leave=False)
    for it in bar:
        if len(order) < BATCH:  # minibatches in epochs over the training questions
            order += rng.sample(range(len(train)), len(train))
        pick, order = order[:BATCH], order[BATCH:]
        b = batch_of([train[i] for i in pick], K, D)
        loss = nn.functional.cross_entropy(model.scores(b), b["answer"])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), CLIP)
        opt.step()
        if it % EVAL_EVERY == 0:
            acc, val_loss = evaluate(model, val, K, D)
            bar.set_postfix(loss=f"{loss.item():.3f}", val=f"{acc:.2f}")
            # keep the best on the validation questions, as the authors' code does (their
            # accuracy; among equal accuracies, the lower validation loss)
            if (acc, -val_loss) > best:
                best = (acc, -val_loss)
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
    if best_state is not None:
        model.load_state_dict(best_state)
    return model


def main(argv: list[str] | None = None) -> float:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--task", type=int, choices=sorted(SETTINGS), required=True)
    ap.add_argument("--train", type=int, default=50, help="training stories (graphs)")
    ap.add_argument("--val", type=int, default=50, help="validation stories (graphs)")
    ap.add_argument("--data", type=Path, default=DATA, help="the babi folder (processed_1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--iters", type=int, default=0, help="updates (default: the paper's)")
    ap.add_argument("--test-limit", type=int, default=0, help="test questions per type (0: all)")
    args = ap.parse_args(argv)
    s = dict(SETTINGS[args.task])
    if args.iters:
        s["iters"] = args.iters
    folder = args.data / "processed_1"
    stories = read_stories(folder / "train" / f"{args.task}_graphs.txt")
    # the paper's "50 training examples" are 50 stories (graphs), with all their questions;
    # the next 50 stories validate (the authors' split_set, shuffled here by the seed)
    random.Random(args.seed).shuffle(stories)
    train_all = [ex for story in stories[: args.train] for ex in story]
    val_all = [ex for story in stories[args.train : args.train + args.val] for ex in story]
    test_all = [
        ex for story in read_stories(folder / "test" / f"{args.task}_graphs.txt") for ex in story
    ]
    every = train_all + val_all + test_all
    edge_types = 1 + max(k for ex in every for _, k, _ in ex.edges)
    classes = 1 + max(ex.answer for ex in every)
    start = time.perf_counter()
    right = total = 0
    for q in sorted({ex.question for ex in train_all}):
        train = [ex for ex in train_all if ex.question == q]
        val = [ex for ex in val_all if ex.question == q]
        test = [ex for ex in test_all if ex.question == q]
        if args.test_limit:
            test = test[: args.test_limit]
        model = train_one(train, val or train, s, edge_types, classes, args.seed, f"question {q}")
        acc, _ = evaluate(model, test, int(s["K"]), int(s["D"]))
        right += round(acc * len(test))
        total += len(test)
        print(
            f"task {args.task}, question type {q}: {len(train)} training questions, "
            f"test accuracy {acc:.4f} on {len(test)}"
        )
    minutes = (time.perf_counter() - start) / 60
    print(f"task {args.task}, seed {args.seed}: {minutes:.2f} min")
    print(f"test accuracy: {right / max(1, total):.4f}")
    return right / max(1, total)


if __name__ == "__main__":
    main()
