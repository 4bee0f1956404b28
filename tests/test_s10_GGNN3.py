r"""GG-NN's propagation (Li et al. 2016, eqs 1-6):
``A_{v:}^\top [h_1^\top \dots h_{|V|}^\top]^\top`` (parse/block_slice.py, block-slice-stack).

Oracle: the paper's own arithmetic, written by hand: A in R^{D|V| x 2D|V|} as one dense
matrix, ``A_{v:}`` its two columns of blocks for node v (the paper: "A_{v:} in R^{D|V| x 2D}
are the two columns of blocks in A corresponding to node v"), multiplied with the stack of
every node's state, then eqs 3-6 in NumPy loops over the nodes; gradients by torch autograd
through the same dense computation.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath

PAPER = Path(__file__).resolve().parents[2] / "shared" / "corpus_papers"
CASE = tomllib.loads((PAPER / "ggnn_propagation_li2016.toml").read_text())
LATEX = str(CASE["latex"])
N_NODES, D, D_IN, T = 4, 3, 2, 3
EDGES = [(0, 1), (1, 2), (2, 0), (3, 2), (1, 1), (2, 3)]  # (source u, target v)


def _said(system: papermath.System, reading: str) -> list[str]:
    return [r.reason for r in system.readings if r.reading == reading]


def test_the_paper_reads_with_its_expected_shapes_and_its_free_sizes() -> None:
    system = papermath.compile(LATEX)
    for key, want in CASE["expect"]["shapes"].items():
        assert system.shapes[key] == tuple(want), key
    (said,) = _said(system, "a slice times the stack of every node")
    assert "every pair (u, v) whose block is not zero" in said
    # the message's width (the paper's 2D, said only in its prose) and x's width stay free
    (width,), (x_width,) = system.shapes["a"], system.shapes["x"]
    assert width != "D" and x_width != "D" and width != x_width
    assert system.shapes["A"] == ("D", width) and system.kinds["A"] == "input"
    assert system.shapes["W_z"] == ("D", width)


def _dense(rng: np.random.Generator, width: int) -> np.ndarray:
    """The paper's A: D|V| x width|V|, as the blocks of the edges, zero elsewhere; node v's
    columns of blocks are v*width .. (v+1)*width (the paper's two columns of blocks, side by
    side: width = 2D)."""
    big = np.zeros((D * N_NODES, width * N_NODES))
    for u, v in EDGES:
        big[u * D : (u + 1) * D, v * width : (v + 1) * width] = rng.normal(size=(D, width))
    return big


def _params(rng: np.random.Generator, width: int) -> dict[str, np.ndarray]:
    out = {"b": rng.normal(size=width)}
    for gate in ("z", "r", ""):
        key = f"W_{gate}" if gate else "W"
        out[key] = rng.normal(size=(D, width)) * 0.5
        out[key.replace("W", "U")] = rng.normal(size=(D, D)) * 0.5
    return out


def _oracle(lib, big, x, p):  # type: ignore[no-untyped-def]
    """Eqs 1-6 as the paper writes them, node by node, with NumPy or torch arrays."""
    cat = np.concatenate if lib is np else torch.cat
    sig = (lambda s: 1 / (1 + np.exp(-s))) if lib is np else torch.sigmoid
    tanh = np.tanh if lib is np else torch.tanh
    width = p["b"].shape[0]
    zeros = np.zeros(D - D_IN) if lib is np else torch.zeros(D - D_IN, dtype=x.dtype)
    hs = [cat([x[v], zeros]) for v in range(N_NODES)]  # eq 1: [x_v^T, 0]^T
    out = []
    for _ in range(T):
        stack = cat(hs)  # [h_1^T ... h_|V|^T]^T
        new = []
        for v in range(N_NODES):
            a = big[:, v * width : (v + 1) * width].T @ stack + p["b"]  # eq 2
            z = sig(p["W_z"] @ a + p["U_z"] @ hs[v])
            r = sig(p["W_r"] @ a + p["U_r"] @ hs[v])
            tilde = tanh(p["W"] @ a + p["U"] @ (r * hs[v]))
            new.append((1 - z) * hs[v] + z * tilde)
        hs = new
        out.append(hs)
    return out


def _generated_inputs(big: np.ndarray, x: np.ndarray, width: int) -> dict[str, np.ndarray]:
    """The per-pair blocks of the dense A, for the pairs listed as edges (source u, target
    v): A_{vu} is the block of rows u in node v's columns."""
    blocks = [big[u * D : (u + 1) * D, v * width : (v + 1) * width] for u, v in EDGES]
    edges = np.array(EDGES).T
    return {"x": x, "A": np.stack(blocks), "edges": edges, "steps": np.array(T)}


def test_eqs_1_to_6_against_a_hand_loop_with_the_dense_adjacency() -> None:
    system = papermath.compile(LATEX)
    (width,), (x_width,) = system.shapes["a"], system.shapes["x"]
    rng = np.random.default_rng(0)
    m = 2 * D  # the paper's 2D (its prose; the equations leave it free)
    big, x, p = _dense(rng, m), rng.normal(size=(N_NODES, D_IN)), _params(rng, m)
    want = np.array(_oracle(np, big, x, p))
    gen = system.to_numpy({"D": D, width: m, x_width: D_IN, "T": T})
    outputs, _ = gen.forward(p, _generated_inputs(big, x, m))
    np.testing.assert_allclose(outputs["h"], want, rtol=1e-10, atol=1e-12)
    module = system.to_torch({"D": D, width: m, x_width: D_IN, "T": T}, dtype=torch.float64)
    with torch.no_grad():
        for key, value in p.items():
            getattr(module, key).copy_(torch.tensor(value))
        ins = {k: torch.tensor(v) for k, v in _generated_inputs(big, x, m).items()}
        got = module(**ins)["h"].numpy()
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_the_generated_backward_against_torch_autograd_of_the_dense_loop() -> None:
    system = papermath.compile(LATEX)
    (width,), (x_width,) = system.shapes["a"], system.shapes["x"]
    rng = np.random.default_rng(1)
    m = 2 * D
    big, x, p = _dense(rng, m), rng.normal(size=(N_NODES, D_IN)), _params(rng, m)
    g = rng.normal(size=(T, N_NODES, D))
    gen = system.to_numpy({"D": D, width: m, x_width: D_IN, "T": T})
    _, cache = gen.forward(p, _generated_inputs(big, x, m))
    grads = gen.backward(p, cache, {"h": g})
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    tx = torch.tensor(x, requires_grad=True)
    out = _oracle(torch, torch.tensor(big), tx, tp)
    loss = sum((torch.stack(hs) * torch.tensor(g[t])).sum() for t, hs in enumerate(out))
    loss.backward()  # type: ignore[union-attr]
    for key, value in tp.items():
        assert value.grad is not None
        np.testing.assert_allclose(grads[key], value.grad.numpy(), rtol=1e-9, atol=1e-11)
    assert tx.grad is not None
    np.testing.assert_allclose(grads["x"], tx.grad.numpy(), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize(
    "source",
    [
        # the stack as a column of rows separated by semicolons, no transposes, N nodes
        "a_v = \\mathbf{A}_{v:} [h_1^{(t-1)}; \\dots; h_N^{(t-1)}] + b\n"
        "h_v^{(t)} = \\tanh(a_v + h_v^{(t-1)})",
        # a French course's spelling: ^T for the transposes, T after the step
        "a_v^{(t)} = A_{v:}^T[h_1^{(t-1)T}\\dots h_{|V|}^{(t-1)T}]^T + b\n"
        "h_v^{(t)} = \\tanh(W a_v^{(t)} + U h_v^{(t-1)})",
        # a Spanish course's: \big brackets, a thin space; a Chinese blog's: three dots
        "a_v^{(t)} = A_{v:}^\\top\\,\\big[h_1^{(t-1)\\top}\\dots "
        "h_{|V|}^{(t-1)\\top}\\big]^\\top + b\n"
        "h_v^{(t)} = \\tanh(W a_v^{(t)} + U h_v^{(t-1)})",
        "a_v^{(t)}= A_{v:}^T [h_1^{(t-1)T} ... h_{|V|}^{(t-1)T}]^T + b\n"
        "h_v^{(t)} = \\tanh(W a_v^{(t)} + U h_v^{(t-1)})",
        # commas between the transposed rows, \ldots, n nodes
        "a_v = A_{v:}^\\top [h_1^{(t-1)\\top}, \\ldots, h_n^{(t-1)\\top}]^\\top\n"
        "h_v^{(t)} = \\tanh(W a_v + U h_v^{(t-1)})",
    ],
)
def test_other_spellings_of_the_stack_read_as_the_sum(source: str) -> None:
    system = papermath.compile(source)
    assert _said(system, "a slice times the stack of every node")
    (size,) = system.shapes["h"]
    assert system.shapes["A"][0] == size


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ("a_v = A_{v:}^\\top h_v\nh_v^{(t)} = \\tanh(a_v + h_v^{(t-1)})", "alone"),
        # a row of columns: a D x |V| matrix, not the stack
        ("a_v = A_{v:} [h_1 \\dots h_{|V|}] + b\nh_v^{(t)} = \\tanh(a_v + h_v^{(t-1)})", "row"),
        # starts at node 2: not every node
        (
            "a_v = A_{v:}^\\top [h_2^\\top \\dots h_{|V|}^\\top]^\\top\nh_v^{(t)} = \\tanh(a_v)",
            "from 2",
        ),
        # two symbols in the stack
        (
            "a_v = A_{v:}^\\top [h_1^\\top \\dots g_{|V|}^\\top]^\\top\nh_v^{(t)} = \\tanh(a_v)",
            "two symbols",
        ),
    ],
)
def test_a_slice_not_beside_the_stack_of_every_node_stays_refused_at_the_colon(
    source: str, why: str
) -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == ":", why
    assert err.hint


def test_the_stack_written_as_a_row_is_refused_at_the_stack() -> None:
    # a Chinese blog's spelling: every entry transposed, the bracket not (a row)
    source = (
        "a_v^{(t)} = A_{v:}^T[h_1^{(t-1)T},\\cdots,h_{|V|}^{(t-1)T} ]+ b_v\n"
        "h_v^{(t)} = \\tanh(W a_v^{(t)} + U h_v^{(t-1)})"
    )
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end].startswith("[h_1")
    assert "is a row" in err.message and err.hint and "]^\\top" in err.hint


@pytest.mark.parametrize(
    "written",
    [
        "A \\in \\mathbb{R}^{N \\times N}",  # the whole A declared: its size is not a block's
        "\\mathbf{A} \\in \\mathbb{R}^{m \\times k}",
        "A_{v:} \\in \\mathbb{R}^{m \\times k}",
    ],
)
def test_a_whole_a_written_beside_the_slice_is_refused_at_it(written: str) -> None:
    source = (
        "a_v^{(t)} = A_{v:}^\\top [h_1^{(t-1)\\top} \\dots h_{N}^{(t-1)\\top}]^\\top + b\n"
        "h_v^{(t)} = \\tanh(W a_v^{(t)} + U h_v^{(t-1)})\n" + written
    )
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and err.span.start >= source.index(written)
    assert source[err.span.start : err.span.end] == "A" and "one block of A" in err.message
    assert err.hint and "\\mathcal{N}(v)" in err.hint
