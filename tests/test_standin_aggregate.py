r"""``papermath check`` where the source leaves the aggregator over the neighbours unnamed
(src/papermath/standin.py): GraphSAGE's ``\mathrm{AGGREGATE}_k`` (Hamilton et al. 2017,
Algorithm 1) and DGL's ``\mathrm{aggregate}``. The check runs once with each of mean, sum and
max standing in and says so; ``code`` keeps refusing. Oracles: the check's own (float64
finite differences of the generated forward, torch autograd), and for the stand-ins
themselves a loop over each node's incoming edges written here by hand, its gradient by
torch autograd of that loop."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath import standin
from papermath.errors import ReadingError
from papermath.ir.prims import div_p, edge_max_p, neighbour_sum_p
from papermath.ir.rules import vjp_rules

PAPER = Path(__file__).resolve().parents[2] / "shared" / "corpus_papers"
SAGE = (
    "h'_i = \\mathrm{aggregate}(\\{W h_j, \\forall j \\in \\mathcal{N}(i)\\})\n"
    "h_i \\in \\mathbb{R}^{d}, h'_i \\in \\mathbb{R}^{e}"
)
DIMS = {"d": 3, "e": 2}
# node 0: three edges in; node 1: one; node 2: two; node 3: none (its aggregate is 0)
SRC = np.array([1, 2, 3, 0, 0, 1])
DST = np.array([0, 0, 0, 1, 2, 2])


def by_hand(how: str, h, w, lib=np):  # type: ignore[no-untyped-def]
    """Node by node, over the edges into it: the mean, sum or max of W h_j (0 for none)."""
    rows = []
    for i in range(len(h)):
        values = [w @ h[j] for j, t in zip(SRC, DST, strict=True) if t == i]
        if not values:
            rows.append(w[:, 0] * 0.0)
            continue
        stack = lib.stack(values)
        if how == "sum":
            rows.append(stack.sum(0))
        elif how == "mean":
            rows.append(stack.sum(0) / len(values))
        else:
            rows.append(stack.max(0) if lib is np else lib.amax(stack, dim=0))
    return lib.stack(rows)


def test_graphsage_passes_check_with_every_aggregator_said() -> None:
    """p11 (the paper leaves AGGREGATE_k open: mean, LSTM or pooling): check with mean, sum
    and max standing in, each run, the statement naming them."""
    path = PAPER / "p11_graphsage_hamilton2017.toml"
    if not path.exists():
        pytest.skip("../shared/corpus_papers is not here")
    case = tomllib.loads(path.read_text())
    system = papermath.compile(case["latex"])
    results, stand_in = standin.check_or_stand_in(system, case["dims"], use_torch=False)
    assert results == [] and stand_in is not None
    assert [name for name, _ in stand_in.runs] == ["mean", "sum", "max"]
    assert {r.key for _, run in stand_in.runs for r in run} == {"W", "h"}
    assert stand_in.ok
    assert stand_in.statement().startswith(
        r"the source does not name \mathrm{AGGREGATE}_k; checked with mean, sum and max "
        "standing in: ok"
    )


@pytest.mark.parametrize("how", ["mean", "sum", "max"])
def test_the_stand_in_is_the_aggregation_it_names(how: str) -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(SAGE)
    with standin.standing_in(how):
        gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(0)
    params = gen.init_params(rng)
    h = rng.normal(size=(4, 3))
    edges = np.stack([SRC, DST])
    outputs, cache = gen.forward(params, {"h": h, "edges": edges})
    want = by_hand(how, h, params["W"])
    np.testing.assert_allclose(outputs["h_prime"], want, rtol=1e-12, atol=1e-15)
    assert np.all(outputs["h_prime"][3] == 0)  # no edge enters node 3

    g = rng.normal(size=(4, 2))
    grads = gen.backward(params, cache, {"h_prime": g})
    ht = torch.tensor(h, requires_grad=True)
    wt = torch.tensor(params["W"], requires_grad=True)
    (by_hand(how, ht, wt, torch) * torch.tensor(g)).sum().backward()
    assert ht.grad is not None and wt.grad is not None
    np.testing.assert_allclose(grads["h"], ht.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads["W"], wt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    ("prim", "verdicts"),
    [
        (edge_max_p, {"mean": True, "sum": True, "max": False}),
        (div_p, {"mean": False, "sum": True, "max": True}),
        (neighbour_sum_p, {"mean": False, "sum": False, "max": True}),
    ],
)
def test_a_broken_backward_fails_for_the_stand_ins_it_breaks(
    monkeypatch: pytest.MonkeyPatch, prim: object, verdicts: dict[str, bool]
) -> None:
    right = vjp_rules[prim]  # type: ignore[index]

    def broken(bw, op, g):  # type: ignore[no-untyped-def]
        right(bw, op, f"(2.0 * {g})")  # twice the gradient it should pass on

    monkeypatch.setitem(vjp_rules, prim, broken)  # type: ignore[arg-type]
    got = standin.check_with_stand_ins(papermath.compile(SAGE), DIMS, use_torch=False)
    assert {name: all(r.ok for r in run) for name, run in got.runs} == verdicts
    assert not got.ok
    failed = [name for name, ok in verdicts.items() if not ok]
    assert f"FAILED with {' and '.join(failed)}" in got.statement()


def test_an_unnamed_activation_and_aggregator_run_every_pair() -> None:
    system = papermath.compile(
        "h'_i = \\sigma_y(\\mathrm{aggregate}(\\{W h_j, \\forall j \\in \\mathcal{N}(i)\\}))\n"
        "h_i \\in \\mathbb{R}^{d}, h'_i \\in \\mathbb{R}^{e}"
    )
    results, got = standin.check_or_stand_in(system, DIMS, use_torch=False)
    assert results == [] and got is not None and got.ok
    assert [name for name, _ in got.runs] == [
        f"{a} and {b}" for a in standin.STAND_INS for b in standin.AGGREGATORS
    ]
    assert (
        r"the source does not name \sigma_y and \mathrm{aggregate}; checked with sigmoid, tanh "
        r"and relu for \sigma_y and mean, sum and max for \mathrm{aggregate} (each pair) "
        "standing in: ok"
    ) in got.statement()


def test_code_still_refuses_and_no_stand_in_is_left_behind() -> None:
    system = papermath.compile(SAGE)
    standin.check_with_stand_ins(system, DIMS, use_torch=False)
    assert standin.aggregator() is None and standin.current() is None
    with pytest.raises(ReadingError, match=standin.AGGREGATE_WORDS):
        papermath.compile(SAGE).to_numpy(DIMS)
    with pytest.raises(ValueError), standin.standing_in("mean", "sum"):
        pass
