"""Graph notation as library docstrings and papers write it (issue 24, items 4 and 5): a node
and its neighbours (``\\mathcal{N}(i) \\cup \\{i\\}``), values per edge written with two
indices in either order (``\\alpha_{i,j}``, ``e_{j,i}``), a softmax over each node's edges,
data on the edges. Each compiled module is compared with an independent hand-written torch
version on a small graph (float64; the edge list's self-loops appended by hand where the
notation includes the node itself), values and gradients; ``check`` compares the generated
backward with finite differences and torch autograd. Refusals are checked for their caret."""

from __future__ import annotations

import tomllib

import pytest
import torch

import papermath
from conftest import ROOT
from graphfixtures import DST, SRC, N, readings, scatter, wild
from papermath.check import check

ATOL = 1e-10


def with_self_loops() -> tuple[torch.Tensor, torch.Tensor]:
    loops = torch.arange(N)
    return torch.cat([SRC, loops]), torch.cat([DST, loops])


GAT_SELF = "\n".join(
    [
        r"\alpha_{ij} = \frac{\exp(\mathrm{LeakyReLU}(\mathbf{a}^T [\mathbf{W} h_i \| "
        r"\mathbf{W} h_j]))}{\sum_{k \in \mathcal{N}(i) \cup \{i\}} "
        r"\exp(\mathrm{LeakyReLU}(\mathbf{a}^T [\mathbf{W} h_i \| \mathbf{W} h_k]))}",
        r"h'_i = \sum_{j \in \mathcal{N}(i) \cup \{ i \}} \alpha_{ij} \mathbf{W} h_j",
        r"h_i \in \mathbb{R}^{F}, \mathbf{W} \in \mathbb{R}^{F' \times F}, "
        r"\mathbf{a} \in \mathbb{R}^{2F'}",
    ]
)


def test_gat_over_the_neighbours_and_the_node_itself_equals_self_loops_by_hand() -> None:
    """PyG's GATConv sums over N(i) u {i}: against GAT on the edge list with a self-loop
    appended at every node (the softmax over each node's edges and its own)."""
    dims = {"F": 3, "F'": 2}
    system = papermath.compile(GAT_SELF)
    assert readings(system)["the neighbours of i and i itself"]
    module = system.to_torch(dims, dtype=torch.float64)
    h = torch.randn(N, 3, dtype=torch.float64)
    got = module(h=h, edges=torch.stack([SRC, DST]))
    src, dst = with_self_loops()
    W, a = module.W, module.a.reshape(-1)
    wh = h @ W.T
    e = torch.exp(torch.nn.functional.leaky_relu(torch.cat([wh[dst], wh[src]], 1) @ a, 0.01))
    alpha = e / scatter(e, dst)[dst]
    out = scatter(alpha[:, None] * wh[src], dst)
    torch.testing.assert_close(got["h_prime"], out, atol=ATOL, rtol=0)
    # the values per edge are the graph's edges (the first E of the loops appended by hand)
    torch.testing.assert_close(got["alpha"], alpha[: len(SRC)], atol=ATOL, rtol=0)
    (g_ours,) = torch.autograd.grad(got["h_prime"].square().sum(), W)
    (g_hand,) = torch.autograd.grad(out.square().sum(), W)
    torch.testing.assert_close(g_ours, g_hand, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_sum_over_the_node_and_its_neighbours_of_node_values() -> None:
    """``\\Theta \\sum_{j \\in N(i) \\cup \\{i\\}} x_j``: A + I times X, by hand in NumPy."""
    system = papermath.compile(
        r"""x'_i = \Theta \sum_{j \in \mathcal{N}(i) \cup \{i\}} x_j
        x_i \in \mathbb{R}^{F}"""
    )
    dims = {"F": 3, "d1": 2}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    got = module(x=x, edges=torch.stack([SRC, DST]))["x_prime"]
    adjacency = torch.zeros(N, N, dtype=torch.float64)
    for s, d in zip(SRC.tolist(), DST.tolist(), strict=True):
        adjacency[d, s] += 1.0
    want = (adjacency + torch.eye(N, dtype=torch.float64)) @ x @ module.Theta.T
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_cgconv_docstring_edge_features_and_named_activations() -> None:
    """PyG's CGConv as its docstring writes it: z_{i,j} = [x_i, x_j, e_{i,j}] per edge (e the
    edge features, data on each edge), sigma and g the sigmoid and softplus (prose,
    "respectively"), the row-vector convention z W_f. Against torch by hand."""
    system = papermath.compile(wild("pyg_cgconv"))
    assert system.kinds["e"] == "input" and system.kinds["W_s"] == "parameter"
    said = readings(system)["softplus"]
    assert any("the source says g is this" in r for r in said)
    dims = {"d1": 3, "d2": 2}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    e = torch.randn(len(SRC), 2, dtype=torch.float64)
    got = module(x=x, e=e, edges=torch.stack([SRC, DST]))
    z = torch.cat([x[DST], x[SRC], e], 1)  # x_i the target, x_j the neighbour
    gate = torch.sigmoid(z @ module.W_f + module.b_f)
    core = torch.nn.functional.softplus(z @ module.W_s + module.b_s)
    want = x + scatter(gate * core, DST)
    torch.testing.assert_close(got["x_prime"], want, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_graphconv_edge_weight_written_source_first() -> None:
    """PyG's GraphConv: ``e_{j,i}`` "denotes the edge weight from source node j to target
    node i": one number per edge (said in words), on the edge j -> i whatever the order."""
    system = papermath.compile(wild("pyg_graphconv"))
    assert system.shapes["e"] == () and system.kinds["e"] == "input"
    assert any("written source first" in r for r in readings(system)["value per edge (i, j)"])
    dims = {"d1": 2, "d2": 3}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    w = torch.rand(len(SRC), dtype=torch.float64)
    got = module(x=x, e=w, edges=torch.stack([SRC, DST]))["x_prime"]
    want = x @ module.W_1.T + scatter(w[:, None] * x[SRC], DST) @ module.W_2.T
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


TRANSFORMER_CONV = "\n".join(
    [
        r"\mathbf{x}^{\prime}_i = \mathbf{W}_1 \mathbf{x}_i + \sum_{j \in \mathcal{N}(i)} "
        r"\alpha_{i,j} \mathbf{W}_2 \mathbf{x}_{j}",
        r"\alpha_{i,j} = \textrm{softmax} \left( \frac{(\mathbf{W}_3\mathbf{x}_i)^{\top} "
        r"(\mathbf{W}_4\mathbf{x}_j)}{\sqrt{d}} \right)",
        r"\mathbf{W}_3, \mathbf{W}_4 \in \mathbb{R}^{d \times F}",
    ]
)


def test_softmax_of_an_edge_score_runs_over_the_neighbours() -> None:
    """TransformerConv's ``\\alpha_{i,j} = \\mathrm{softmax}(...)`` (one head, d declared):
    a softmax over the edges into each node, by hand with index_add."""
    dims = {"d": 2, "F": 3, "d1": 2}
    system = papermath.compile(TRANSFORMER_CONV, dims)
    assert readings(system)["softmax over the neighbours j of i"]
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    got = module(x=x, edges=torch.stack([SRC, DST]))
    q, k = x @ module.W_3.T, x @ module.W_4.T
    score = torch.exp((q[DST] * k[SRC]).sum(1) / 2**0.5)
    alpha = score / scatter(score, DST)[DST]
    want = x @ module.W_1.T + scatter(alpha[:, None] * (x[SRC] @ module.W_2.T), DST)
    torch.testing.assert_close(got["alpha"], alpha, atol=ATOL, rtol=0)
    torch.testing.assert_close(got["x_prime"], want, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_gat_paper_softmax_j_claim_holds_by_the_fraction_beside_it() -> None:
    """Velickovic et al.'s eqs. 1-3: e_{ij} = ... defines e on every edge (j a neighbour of i,
    as k is in e_{ik}); ``\\mathrm{softmax}_j(e_{ij})`` is the fraction written beside it."""
    source = (ROOT.parent / "shared" / "corpus_papers" / "gat_velickovic2018.toml").read_text()
    case = tomllib.loads(source)
    system = papermath.compile(case["latex"], case["dims"])
    assert system.shapes["e"] == () and system.shapes["alpha"] == ()
    assert readings(system)["a softmax written out"]
    assert "e_{ij} = ... defines e on every edge" in " ".join(readings(system)["node index j"])


@pytest.mark.parametrize(
    ("source", "caret", "words"),
    [
        (wild("pgt_gcnconv_fixed_w_nodewise_typo"), r"\mathcal{N}(v) \cup", "not the node v"),
        # without the degree d_hat_i = 1 + ... that gives the self-loop its weight (s5 GA)
        (wild("pyg_gcnconv_nodewise").split("with :math:")[0], "e_{j,i}}", "self-loop"),
        (r"y = a \cup b", r"\cup", "union of sets"),
        # without the words "dot product", which make d the vectors' width (s5 GA)
        (
            wild("pyg_transformerconv").replace("dot product attention", "attention"),
            "d}",
            "declared nowhere",
        ),
        (
            r"""x'_i = \sum_{j \in \mathcal{N}(i)} \mathrm{softmax}(e_{ij}) x_j
            e_{ij} = a^T [x_i, x_j]
            x_i \in \mathbb{R}^{F}""",
            r"\mathrm{softmax}(e_{ij})",
            "papermath does not guess",
        ),
        (
            r"""\alpha_{ij} = \mathrm{softmax}(x_i \odot x_j)
            x'_i = \sum_{j \in \mathcal{N}(i)} \alpha_{ij} \odot x_j
            x_i \in \mathbb{R}^{F}""",
            r"\mathrm{softmax}(x_i \odot x_j)",
            "a vector per edge",
        ),
    ],
)
def test_refusals_point_at_the_construct(source: str, caret: str, words: str) -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)  # refused while reading or by shapes, not only in code
    err = info.value
    assert words in err.message
    assert err.span is not None
    assert err.source is not None
    assert err.source.text[err.span.start :].startswith(caret.rstrip("}")[:12])


MEAN_SELF = r"""x'_i = \frac{1}{|\mathcal{N}(i)|} \sum_{j \in \mathcal{N}(i) \cup \{i\}} W x_j
x_i \in \mathbb{R}^{F}"""


def test_degree_and_a_sum_with_the_node_itself_by_hand() -> None:
    """``|\\mathcal{N}(i)|`` is the number of i's neighbours (edges into i), one number per
    node; with ``\\cup \\{i\\}`` the sum adds i's own term. Every node here has a neighbour
    (a degree of 0 would divide by zero, as the formula does)."""
    src = torch.cat([SRC, torch.tensor([2])])
    dst = torch.cat([DST, torch.tensor([3])])
    dims = {"F": 3, "d1": 2}
    system = papermath.compile(MEAN_SELF, dims)
    assert readings(system)["the number of neighbours of i"]
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    got = module(x=x, edges=torch.stack([src, dst]))["x_prime"]
    degree = torch.zeros(N, dtype=torch.float64).index_add(
        0, dst, torch.ones(len(dst), dtype=torch.float64)
    )
    summed = torch.zeros(N, 3, dtype=torch.float64).index_add(0, dst, x[src]) + x
    want = (summed / degree[:, None]) @ module.W.T
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))
    from papermath.explain import explain

    facts = {f.text: f.what for f in explain(system).terms}
    assert facts[r"|\mathcal{N}(i)|"] == "the number of neighbours of each node i"
    own = r"\sum_{j \in \mathcal{N}(i) \cup \{i\}} W x_j"
    assert facts[own] == "sum over the neighbours j of each node i and i itself"
    from papermath.diagram import build

    assert "the number of neighbours of i (its degree)" in build(system).legend.values()


def test_printed_forward_splits_the_node_itself_from_its_neighbours() -> None:
    """``papermath grad`` prints the sum over N(i) u {i} as it is computed: the sum over the
    neighbours N(i) only, plus i's own term (never the union again beside it). Its gradient
    equations are evaluated against the generated backward in tests/test_grad_oracle.py."""
    from papermath.report.gradients import derive, render

    printed = render(derive(papermath.compile(MEAN_SELF), "W"))
    forward = printed.splitlines()[1]
    assert r"\sum_{j \in \mathcal{N}(i)} W x_j + W x_i" in forward
    assert r"\cup" not in forward


def test_typed_degree_reads_and_its_code_is_refused_at_the_sum() -> None:
    """R-GCN's 1/|N_r(i)| inside the sum over N_r(i): the count along the edges of type r
    at the node i, x a vector (its \\cdot a matrix product, never x a number); code for a
    value of i inside a sum along typed edges is refused there (located), never computed at
    the neighbour j."""
    system = papermath.compile(wild("pyg_rgcnconv"))
    assert system.shapes["x"] == (system.shapes["Theta"][1],)
    assert system.shapes["x_prime"] == (system.shapes["Theta_root"][0],)
    assert readings(system)["the number of neighbours of i"]
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"d1": 3, "d2": 2, "R": 2})
    err = info.value
    assert "typed" in err.message and err.span is not None and err.source is not None
    assert err.source.text[err.span.start :].startswith(r"\sum_{j \in \mathcal{N}_r(i)}")
