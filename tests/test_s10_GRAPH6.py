r"""Session 10's graph helper (issue 24, brief GRAPH6).

- ``\alpha_{j} \stackrel{\tiny \downarrow}{=} 1 \Leftrightarrow v_{j} \rightarrow v`` (NYU's
  course notes, week 13) and ``A_{ij} = 1 \iff (i, j) \in E``: an adjacency's entries defined
  by a condition on the edges, the line left out (parse/edge_indicator.py), the letter it
  defines graph data (read/rules_graph_data.py).
- "adjacency vector $\boldsymbol{a}$": a is data; ``X a`` with the vertices' x_j said in the
  prose: X's columns are the x_j (read/rules_graph_data.py).
- ``\Vert a \Vert_1`` of a vector: its code, the sum of the absolute values (ir/lower.py).

Oracles: the case's formula by hand in NumPy, torch autograd of the same formula, float64
finite differences (``papermath check``).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.check import check
from papermath.errors import PapermathError

os.environ.setdefault("PAPERMATH_KERNELS", "off")

CASES = Path(__file__).parent / "wild" / "cases"


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


# ---- NYU's GCN with an adjacency vector -----------------------------------------------------
def _nyu(relu: bool = True) -> papermath.System:
    text = _latex("nyu_gcn_adjacency_vector")
    return papermath.compile(text + ("\n% papermath: f is relu\n" if relu else ""))


def test_nyu_adjacency_vector_reads_the_condition_as_data() -> None:
    system = _nyu(relu=False)
    said = {r.reading for r in system.readings}
    assert any("edge-indicator" in r for r in said)
    assert "the vertices' vectors as columns" in said
    assert system.kinds["a"] == "input" and system.kinds["X"] == "input"
    assert system.kinds["U"] == system.kinds["V"] == "parameter"
    assert "alpha" not in system.shapes  # the condition's line is left out
    (n,) = system.shapes["x"]
    rows, t = system.shapes["X"]
    assert rows == n and system.shapes["a"] == (t,) and system.shapes["d"] == ()
    h = system.shapes["h"][0]
    assert system.shapes["U"] == (h, n) and system.shapes["V"] == (h, n)
    with pytest.raises(PapermathError) as err:  # f is "such as ReLU, Sigmoid, tanh": not said
        system.to_numpy({h: 3, n: 4, t: 5})
    assert "not which one" in err.value.message


def test_nyu_adjacency_vector_code_against_the_formula_and_torch() -> None:
    system = _nyu()
    (n,) = system.shapes["x"]
    t = system.shapes["a"][0]
    h = system.shapes["h"][0]
    gen = system.to_numpy({h: 3, n: 4, t: 5})
    rng = np.random.default_rng(1)
    p = gen.init_params(rng)
    x, big_x = rng.normal(size=4), rng.normal(size=(4, 5))
    a = np.array([1.0, 0.0, 1.0, 1.0, 0.0])  # edges from v_1, v_3, v_4 into v
    out, cache = gen.forward(p, {"a": a, "x": x, "X": big_x})
    # by hand: the mean of the neighbours' columns, d the number of ones in a
    mean = sum(big_x[:, j] for j in range(5) if a[j] == 1) / 3
    want = np.maximum(p["U"] @ x + p["V"] @ mean, 0.0)
    np.testing.assert_allclose(out["d"], 3.0)
    np.testing.assert_allclose(out["h"], want, rtol=1e-12)
    u = torch.tensor(p["U"], requires_grad=True)
    v = torch.tensor(p["V"], requires_grad=True)
    at = torch.tensor(a, requires_grad=True)
    xt, xxt = torch.tensor(x), torch.tensor(big_x)
    torch.relu(u @ xt + v @ xxt @ at / at.abs().sum()).sum().backward()
    grads = gen.backward(p, cache, {"h": np.ones(3)})
    assert u.grad is not None and v.grad is not None and at.grad is not None
    np.testing.assert_allclose(grads["U"], u.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(grads["V"], v.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(grads["a"], at.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_nyu_adjacency_vector_backward_checks() -> None:
    system = _nyu()
    sizes = {s: 3 for shape in system.shapes.values() for s in shape}
    results = check(system, sizes, seed=4)
    assert results and all(r.ok for r in results), results


def test_nyu_adjacency_vector_every_stage_runs(tmp_path: Path) -> None:
    from papermath.cli import main

    src = tmp_path / "nyu.toml"
    text = (CASES / "nyu_gcn_adjacency_vector.toml").read_text()
    src.write_text(text.replace("latex = '''\n", "latex = '''\n% papermath: f is relu\n", 1))
    system = papermath.compile(tomllib.loads(src.read_text())["latex"])
    dims = ",".join(f"{s}=3" for s in sorted({s for sh in system.shapes.values() for s in sh}))
    for args in (
        ["explain", str(src)],
        ["diagram", str(src), "-o", str(tmp_path / "d.dot")],
        ["grad", "--wrt", "V", "--of", "h", str(src)],
        ["code", "--dims", dims, str(src)],
        ["code", "--target", "torch", "--dims", dims, str(src)],
        ["report", str(src), "-o", str(tmp_path / "r.html")],
    ):
        assert main(args) == 0, args


# ---- the edge indicator ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        r"A_{ij} = 1 \iff (i, j) \in E",
        r"A[i, j] = 1 \iff (i, j) \in E",
        r"A_{ij} = 1 \Leftrightarrow j \in \mathcal{N}(i)",
        r"A_{i,j} \stackrel{\text{def}}{=} 1 \Leftrightarrow i \to j",
    ],
)
def test_an_adjacency_matrix_by_a_condition_is_square_data(line: str) -> None:
    system = papermath.compile(
        f"$${line}$$\n$$H = \\tanh(A X W)$$\nwhere $X \\in \\mathbb{{R}}^{{N \\times F}}$."
    )
    assert system.kinds["A"] == "input" and system.kinds["W"] == "parameter"
    assert system.shapes["A"] == ("N", "N")
    gen = system.to_numpy({"N": 4, "F": 3, system.shapes["W"][1]: 2})
    rng = np.random.default_rng(0)
    p = gen.init_params(rng)
    adj = (rng.random((4, 4)) < 0.5).astype(float)
    x = rng.normal(size=(4, 3))
    out, _ = gen.forward(p, {"A": adj, "X": x})
    np.testing.assert_allclose(out["H"], np.tanh(adj @ x @ p["W"]), rtol=1e-12)


@pytest.mark.parametrize(
    ("latex", "at"),
    [
        # not an edge on the right: a condition papermath does not read
        ("$$a = 1 \\Leftrightarrow b > 0$$\n$$y = W a$$", "\\Leftrightarrow"),
        # more than the indicator in the math: not left out
        ("$$A_{ij} = 1 \\iff (i, j) \\in E, A_{ij} = 0$$\n$$H = A X W$$", "\\iff"),
        # not the number 1 on the left
        ("$$A_{ij} = w_{ij} \\iff (i, j) \\in E$$\n$$H = A X W$$", "\\iff"),
    ],
)
def test_other_equivalences_stay_refused(latex: str, at: str) -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span).startswith(at)


# ---- the 1-norm -----------------------------------------------------------------------------
def test_the_one_norm_of_a_vector_is_the_sum_of_absolute_values() -> None:
    system = papermath.compile(
        r"L = \Vert W x \Vert_1, x \in \mathbb{R}^{p}, W \in \mathbb{R}^{q \times p}"
    )
    gen = system.to_numpy({"p": 4, "q": 3})
    rng = np.random.default_rng(2)
    p = gen.init_params(rng)
    x = rng.normal(size=(2, 4))  # a batch of two examples
    out, cache = gen.forward(p, {"x": x})
    for b in range(2):
        want = sum(abs(sum(p["W"][i, j] * x[b, j] for j in range(4))) for i in range(3))
        np.testing.assert_allclose(out["L"][b], want, rtol=1e-12)
    w = torch.tensor(p["W"], requires_grad=True)
    torch.linalg.vector_norm(torch.tensor(x) @ w.T, ord=1, dim=-1).sum().backward()
    grads = gen.backward(p, cache, {"L": np.ones_like(out["L"])})
    assert w.grad is not None
    np.testing.assert_allclose(grads["W"], w.grad.numpy(), rtol=1e-12)


def test_the_one_norm_of_a_matrix_is_refused_in_code() -> None:
    system = papermath.compile(r"L = \Vert W \Vert_1 + \Vert W x \Vert_2, x \in \mathbb{R}^{n}")
    with pytest.raises(PapermathError) as err:
        system.to_numpy({"n": 3, system.shapes["W"][0]: 2})
    assert "largest column sum" in err.value.message


# ---- CS224W's mean-aggregation GCN, node by node --------------------------------------------
def test_cs224w_nodewise_reads_the_graph_tuple_the_last_layer_and_the_columns() -> None:
    system = papermath.compile(_latex("cs224w_gcn_mean_nodewise"))
    said = {r.reading for r in system.readings}
    assert any("graph-tuple" in r for r in said)
    assert "h at the last step" in said and "a node's column of X" in said
    (m,) = system.shapes["x"]
    assert system.shapes["X"][0] == m and system.shapes["h"] == (m,) == system.shapes["z"]
    assert system.shapes["W"] == (m, m) == system.shapes["B"]
    assert system.kinds["W"] == system.kinds["B"] == "parameter"
    assert system.kinds["x"] == "input"
    assert "G" not in system.shapes and "V" not in system.shapes


def test_cs224w_nodewise_code_against_a_loop_over_the_nodes() -> None:
    system = papermath.compile(_latex("cs224w_gcn_mean_nodewise"))
    (m,) = system.shapes["x"]
    gen = system.to_numpy({m: 3, "K": 2})
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    n = 4
    edges = np.array([[1, 2, 0, 3, 0, 2], [0, 0, 1, 1, 2, 3]])  # source -> target
    x = rng.normal(size=(n, 3))
    big_x = np.zeros((n, 3, n))  # the node feature matrix, per node as the code lays it out
    out, cache = gen.forward(p, {"x": x, "X": big_x, "edges": edges})
    h = x.copy()
    for k in range(2):  # h_v^k = sigma(W_k mean_{u in N(v)} h_u^{k-1} + B_k h_v^{k-1})
        new = np.zeros_like(h)
        for v in range(n):
            nbrs = [int(u) for u, t in edges.T if t == v]
            mean = sum(h[u] for u in nbrs) / len(nbrs)
            new[v] = 1 / (1 + np.exp(-(p["W"][k] @ mean + p["B"][k] @ h[v])))
        h = new
    np.testing.assert_allclose(out["z"][-1], h, rtol=1e-12)  # z_v = h_v^K, the last layer
    # the gradient of sum(z^K) with respect to W and B: torch autograd of the same loop
    w = torch.tensor(p["W"], requires_grad=True)
    b = torch.tensor(p["B"], requires_grad=True)
    ht = torch.tensor(x)
    for k in range(2):
        rows = []
        for v in range(n):
            nbrs = [int(u) for u, t in edges.T if t == v]
            mean = sum(ht[u] for u in nbrs) / len(nbrs)
            rows.append(torch.sigmoid(w[k] @ mean + b[k] @ ht[v]))
        ht = torch.stack(rows)
    ht.sum().backward()
    grads = gen.backward(p, cache, {"z": np.concatenate([np.zeros((1, n, 3)), np.ones((1, n, 3))])})
    assert w.grad is not None and b.grad is not None
    np.testing.assert_allclose(grads["W"], w.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(grads["B"], b.grad.numpy(), rtol=1e-10)


def test_cs224w_nodewise_backward_checks() -> None:
    system = papermath.compile(_latex("cs224w_gcn_mean_nodewise"))
    results = check(system, {system.shapes["x"][0]: 3, "K": 2}, seed=1)
    assert results and all(r.ok for r in results), results


def test_cs224w_nodewise_every_stage_runs(tmp_path: Path) -> None:
    from papermath.cli import main

    src = str(CASES / "cs224w_gcn_mean_nodewise.toml")
    for args in (
        ["explain", src],
        ["diagram", src, "-o", str(tmp_path / "d.dot")],
        ["grad", "--wrt", "W", "--of", "z", src],
        ["code", "--dims", "m=3,K=2", src],
        ["code", "--target", "torch", "--dims", "m=3,K=2", src],
        ["report", src, "-o", str(tmp_path / "r.html")],
    ):
        assert main(args) == 0, args


@pytest.mark.parametrize(
    "tuple_",
    [
        r"$G = (V, E)$",
        r"$\mathcal{G} = (\mathcal{V}, \mathcal{E})$",
        r"$$G = (V, A, X)$$",
    ],
)
def test_a_graph_named_by_its_parts_is_left_out(tuple_: str) -> None:
    system = papermath.compile(
        f"Given a graph {tuple_}, the layer computes $$H = \\tanh(A X W)$$ where "
        "$X \\in \\mathbb{R}^{N \\times F}$ and $A \\in \\mathbb{R}^{N \\times N}$."
    )
    assert any("graph-tuple" in r.reading for r in system.readings)
    assert system.shapes["W"][0] == "F"


@pytest.mark.parametrize(
    "latex",
    [
        # not said to be a graph: a tuple of values stays refused
        "Let $S = (V, A)$ and $$H = \\tanh(A X W)$$",
        # a tuple of computations
        "Given a graph $G = (V, A + I)$, $$H = \\tanh(A X W)$$",
    ],
)
def test_other_tuples_stay_refused(latex: str) -> None:
    with pytest.raises(PapermathError):
        papermath.compile(latex)


def test_the_last_layer_up_needs_the_range_of_the_layers() -> None:
    layers = (
        "$$h^0_v = x_v$$ with $x_v \\in \\mathbb{R}^{m}$, and "
        "$$h_v^{k} = \\tanh(W_k \\sum_{u \\in N(v)} h_u^{k-1})RANGE$$\n$$z_v = h_v^{K}$$"
    )
    read = papermath.compile(layers.replace("RANGE", ", \\forall k \\in \\{1, .., K\\}"))
    assert "h at the last step" in {r.reading for r in read.readings}
    assert read.shapes["z"] == ("m",)
    with pytest.raises(PapermathError) as err:  # no range of k up to K: a power or a label?
        papermath.compile(layers.replace("RANGE", ""))
    assert "a power, a step or a label" in err.value.message


# ---- a set's closer typed inside the parentheses it holds: refused, the hint says the order --
@pytest.mark.parametrize(
    "latex",
    [
        r"a = f(\{h_u, \forall u \in \pi(N(v)\}))",  # CS224W's LSTM aggregator
        r"y = \max\{x_i, \forall i \in g(S\})",
    ],
)
def test_closers_in_the_wrong_order_are_refused_with_the_order(latex: str) -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == "\\}"
    assert "which is still open" in err.value.message
    assert err.value.hint is not None and ") before \\}" in err.value.hint


# ---- a value for every pair of nodes (Distill's link prediction loss): refused, said -------
def test_a_value_per_pair_of_nodes_is_refused_with_the_prose_and_matrices() -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(_latex("distill_gnn_link_prediction_loss"))
    assert "the prose says v and u are nodes" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == "y_u"
    # the hint's form reads: the scores of every pair, a matrix (checked by hand)
    system = papermath.compile(
        "% inputs: Y, E\n$$P = \\sigma(Y Y^\\top)$$\n"
        "$$L = -E \\odot \\log(P) - (1 - E) \\odot \\log(1 - P)$$\n"
        "where $Y \\in \\mathbb{R}^{N \\times d}$, $E \\in \\mathbb{R}^{N \\times N}$."
    )
    assert system.kinds["Y"] == system.kinds["E"] == "input"
    gen = system.to_numpy({"N": 3, "d": 2})
    rng = np.random.default_rng(0)
    y, e = rng.normal(size=(3, 2)), (rng.random((3, 3)) < 0.5).astype(float)
    out, _ = gen.forward(gen.init_params(rng), {"Y": y, "E": e})
    p = 1 / (1 + np.exp(-np.array([[y[v] @ y[u] for u in range(3)] for v in range(3)])))
    np.testing.assert_allclose(out["L"], -e * np.log(p) - (1 - e) * np.log(1 - p), rtol=1e-12)


def test_without_the_nodes_in_words_the_letters_are_asked_for() -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile("$$q = \\sigma(y_v^\\top y_u)$$ for the nodes of a graph")
    assert "nothing here binds" in err.value.message
