"""The reproductions in examples/, run for a few steps on tiny data (the full runs are not
tests; their results are in docs/reproductions.md), and the compiled LSTM under torch
DistributedDataParallel with two processes (gloo, on this machine)."""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
from pathlib import Path
from types import ModuleType

import pytest
import torch

from conftest import ROOT


def example(name: str) -> ModuleType:
    path = ROOT / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"example_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_adding_problem_runs_and_reports_a_fraction(capsys: pytest.CaptureFixture[str]) -> None:
    adding = example("adding_problem")
    solved = adding.main(["--T", "12", "--steps", "6", "--test", "64", "--hidden", "8"])
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == f"solved: {solved:.4f}" and 0.0 <= solved <= 1.0
    x, y = adding.batch(5, 12, torch.Generator().manual_seed(0))
    assert x.shape == (12, 5, 2) and (x[..., 1].sum(0) == 2).all()  # two markers each
    values = x[..., 0]
    marked = (values * x[..., 1]).sum(0)
    torch.testing.assert_close(y, 0.5 + marked / 4.0)  # the paper's target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ddp_worker(rank: int, world: int, port: int, out: str) -> None:
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    import papermath
    from papermath import catalog

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=world)
    torch.manual_seed(0)  # the same initial weights on every rank
    torch.set_num_threads(1)
    lstm = papermath.compile(catalog.latex("lstm_torch")).to_torch({"I": 3, "H": 5})
    model = DistributedDataParallel(lstm)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    data = torch.Generator().manual_seed(100 + rank)  # each rank its own batches
    for _ in range(3):
        x = torch.randn(4, 2, 3, generator=data)
        loss = model(x=x, returns={"h"})["h"].square().sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    flat = torch.cat([p.detach().reshape(-1) for p in lstm.parameters()])
    torch.save(flat, Path(out) / f"rank{rank}.pt")
    dist.destroy_process_group()


def test_compiled_lstm_under_ddp_keeps_ranks_identical(tmp_path: Path) -> None:
    """Two processes, different data: DDP averages the gradients, so the parameters of the
    compiled module stay the same on both ranks (every tensor registered, no Python state)."""
    import torch.multiprocessing as mp

    mp.spawn(ddp_worker, args=(2, free_port(), str(tmp_path)), nprocs=2, join=True)
    a, b = (torch.load(tmp_path / f"rank{r}.pt") for r in (0, 1))
    torch.testing.assert_close(a, b, atol=0, rtol=0)
    torch.manual_seed(0)
    import papermath
    from papermath import catalog

    start = papermath.compile(catalog.latex("lstm_torch")).to_torch({"I": 3, "H": 5})
    initial = torch.cat([p.detach().reshape(-1) for p in start.parameters()])
    assert not torch.equal(a, initial)  # it trained


def test_char_lm_runs_both_cores_on_tiny_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A few steps on a few hundred characters: both cores, the same initial weights and
    batches, so their first validation losses agree; the plot is written."""
    char_lm = example("char_lm")
    (tmp_path / "input.txt").write_text("To be, or not to be, that is the question. " * 12)
    results = char_lm.main(
        ["--data", str(tmp_path), "--steps", "3", "--hidden", "8", "--seq", "16", "--batch", "4",
         "--eval-every", "2", "--sample", "10", "--plot", str(tmp_path / "curve.png")]
    )  # fmt: skip
    assert set(results) == {"papermath", "torch"}
    assert abs(results["papermath"] - results["torch"]) < 1e-6  # one model, two cores
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("validation loss: papermath") and "nats/char" in out[-1]
    assert (tmp_path / "curve.png").read_bytes()[:4] == b"\x89PNG"


TINY_GRAPHS = """1 1 2
2 2 3
? 1 1 2
? 1 2 3

3 1 1
1 2 2
4 1 3
? 1 3 1
? 1 4 3

2 1 1
? 1 2 1
"""


def tiny_babi(root: Path, task: int) -> Path:
    """The authors' graph format, a few stories, as train and test files."""
    for split in ("train", "test"):
        folder = root / "processed_1" / split
        folder.mkdir(parents=True, exist_ok=True)
        text = TINY_GRAPHS
        if task == 18:  # graph-level questions name two nodes, the answer is a class
            text = text.replace("? 1 1 2", "? 1 1 2 1").replace("? 1 2 3", "? 1 2 3 2")
            text = text.replace("? 1 3 1", "? 1 3 1 2").replace("? 1 4 3", "? 1 4 3 1")
            text = text.replace("? 1 2 1", "? 1 2 1 1")
        (folder / f"{task}_graphs.txt").write_text(text)
    return root


@pytest.mark.parametrize("task", [4, 18])
def test_ggnn_babi_runs_and_reports_a_fraction(
    task: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A few updates of the GG-NN compiled from the LaTeX beside the script, on tiny graphs
    in the authors' format: node selection (task 4) and the graph-level output (task 18)."""
    ggnn = example("ggnn_babi")
    data = tiny_babi(tmp_path, task)
    acc = ggnn.main(["--task", str(task), "--data", str(data), "--train", "2", "--val", "1",
                     "--iters", "10"])  # fmt: skip
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == f"test accuracy: {acc:.4f}" and 0.0 <= acc <= 1.0


def test_ggnn_babi_batches_graphs_as_one_disjoint_graph(tmp_path: Path) -> None:
    """Scores of graphs batched together (nodes stacked, edges offset) equal each graph's
    scores alone: the batching of the script and the typed edge lists of the compiled
    module do not mix graphs."""
    ggnn = example("ggnn_babi")
    path = tiny_babi(tmp_path, 4) / "processed_1" / "train" / "4_graphs.txt"
    examples = [ex for story in ggnn.read_stories(path) for ex in story]
    assert [ex.nodes for ex in examples] == [3, 3, 4, 4, 2]
    assert examples[2].edges == [(2, 0, 0), (0, 1, 1), (3, 0, 2)] and examples[2].answer == 0
    torch.manual_seed(0)
    model = ggnn.GGNN(D=4, K=1, edge_types=2, mode="node", classes=1)
    together = model.scores(ggnn.batch_of(examples, 1, 4))
    for row, ex in enumerate(examples):
        alone = model.scores(ggnn.batch_of([ex], 1, 4))[0]
        torch.testing.assert_close(together[row, : ex.nodes], alone)
        assert torch.isinf(together[row, ex.nodes :]).all()
