"""DGL's and PyG's graph-layer docstrings (issue 24, RG2): the mean over a node's neighbours
(``\\mathrm{mean}_{j \\in \\mathcal{N}(i)}``, PyG's SAGEConv, with its ``\\mathcal{N(i)}``
brace typo), a transposed lowercase letter read as a row (GATv2's ``\\mathbf{a}^{\\top}``),
capital Greek weights (``\\mathbf{\\Theta}_t``: a refusal that declares the letter while the
rule is off; read as a matrix with it on), the set-builder aggregations of DGL's SAGEConv and
GINConv, a sum over a recursion's steps (ChebConv), and code for a graph whose only input is
per edge. Compiled modules are compared with hand-written torch on a small graph (float64),
values and gradients; ``check`` compares the generated backward with finite differences."""

from __future__ import annotations

import pytest
import torch

import papermath
from graphfixtures import DST, SRC, N, readings, scatter, wild
from papermath.check import check
from papermath.shapes import rules_greek_weights
from refusals import caret as under_caret
from refusals import refused as refusal

ATOL = 1e-10


# PyG's SAGEConv docstring, its first equation as written (the typo \mathcal{N(i)} kept)
SAGE = (
    r"\mathbf{x}^{\prime}_i = \mathbf{W}_1 \mathbf{x}_i + \mathbf{W}_2 \cdot"
    "\n"
    r"\mathrm{mean}_{j \in \mathcal{N(i)}} \mathbf{x}_j"
)


def test_sageconv_mean_over_neighbours_against_torch_by_hand() -> None:
    """x'_i = W_1 x_i + W_2 mean_{j in N(i)} x_j: the neighbours' mean (0 for node 3, which
    has none, as PyG's mean aggregation gives), by hand with index_add; values, gradients."""
    system = papermath.compile(SAGE)
    said = readings(system)
    assert said["mean over the neighbours"] and said["neighbourhood (brace typo)"]
    assert system.kinds["W_2"] == "parameter" and system.kinds["x"] == "input"
    dims = {"d1": 2, "d2": 3}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    got = module(x=x, edges=torch.stack([SRC, DST]))["x_prime"]
    count = scatter(torch.ones(len(SRC), dtype=torch.float64), DST)
    mean = scatter(x[SRC], DST) / count.clamp(min=1.0)[:, None]
    want = x @ module.W_1.T + mean @ module.W_2.T
    assert count[3] == 0 and torch.isfinite(got).all()
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    (g_ours,) = torch.autograd.grad(got.square().sum(), module.W_2)
    (g_hand,) = torch.autograd.grad(want.square().sum(), module.W_2)
    torch.testing.assert_close(g_ours, g_hand, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_mean_after_a_cdot_takes_the_product_that_follows() -> None:
    """W_2 \\cdot mean_{j} W_3 x_j: the mean's body is W_3 x_j (the product after it)."""
    system = papermath.compile(
        r"y_i = W_2 \cdot \mathrm{mean}_{j \in \mathcal{N}(i)} W_3 x_j, x_j \in \mathbb{R}^{F}"
    )
    dims = {"F": 3, "d1": 2, "d2": 4}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    got = module(x=x, edges=torch.stack([SRC, DST]))["y"]
    count = scatter(torch.ones(len(SRC), dtype=torch.float64), DST).clamp(min=1.0)
    want = (scatter(x[SRC] @ module.W_3.T, DST) / count[:, None]) @ module.W_2.T
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)


def test_pyg_sageconv_case_reads_its_update_in_place_as_the_source_says() -> None:
    """The docstring's optional projection x_j <- sigma(W_3 x_j + b), which "x_j will first
    get" (parse/in_place.py, issue 24 GB; against torch in tests/test_s5_gb.py)."""
    system = papermath.compile(wild("pyg_sageconv"))
    assert system.shapes["W_3"] == system.shapes["x"] * 2


GATV2_W = wild("pyg_gatv2conv").replace(r"\mathbf{\Theta}", r"\mathbf{W}")


def test_gatv2_attention_vector_is_a_vector_against_torch_by_hand() -> None:
    """GATv2 (PyG's docstring, weights spelled W): a^T LeakyReLU(W_s x_i + W_t x_j) with a a
    vector (its transpose a row), never an F' x 1 matrix; against GATv2 by hand, with the
    self-loops of N(i) u {i} appended."""
    system = papermath.compile(GATV2_W)
    assert system.shapes["a"] == system.shapes["x_prime"] and len(system.shapes["a"]) == 1
    assert any("transposed" in r for r in readings(system)["shape by convention"])
    dims = {"d1": 2, "d2": 3}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    got = module(x=x, edges=torch.stack([SRC, DST]))["x_prime"]
    loops = torch.arange(N)
    src, dst = torch.cat([SRC, loops]), torch.cat([DST, loops])
    ws, wt, a = module.W_s, module.W_t, module.a.reshape(-1)
    score = torch.nn.functional.leaky_relu(x[dst] @ ws.T + x[src] @ wt.T, 0.01) @ a
    e = torch.exp(score)
    alpha = e / scatter(e, dst)[dst]
    want = scatter(alpha[:, None] * (x[src] @ wt.T), dst)
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    (g_ours,) = torch.autograd.grad(got.square().sum(), module.a)
    (g_hand,) = torch.autograd.grad(want.square().sum(), module.a)
    torch.testing.assert_close(g_ours, g_hand, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_a_declared_matrix_keeps_its_shape_under_a_transpose() -> None:
    """The row rule speaks only while a's shape is open: a declared matrix A^T x is A's."""
    system = papermath.compile(
        r"y = a^{\top} x, a \in \mathbb{R}^{n \times m}, x \in \mathbb{R}^{n}"
    )
    assert system.shapes["a"] == ("n", "m") and system.shapes["y"] == ("m",)


def test_capital_greek_weight_refused_with_a_hint_that_declares_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Switched off: PyG's GATv2 is refused at the product, and the hint declares
    \\mathbf{\\Theta}_{t} (not the product)."""
    monkeypatch.setattr(rules_greek_weights, "ENABLED", False)
    err = refusal(wild("pyg_gatv2conv"))
    assert r"\Theta" in err.message and "capital Latin letter" in err.message
    assert under_caret(err) == r"\alpha_{i,j}\mathbf{\Theta}_{t}\mathbf{x}_{j}"
    assert err.hint is not None
    assert err.hint.startswith(r"declare it: \mathbf{\Theta}_{t} \in \mathbb{R}^{k \times n}")


def test_capital_greek_weight_read_as_a_matrix_when_switched_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On (the shipped state): PyG's GATv2 reads with the docstring's shapes (Theta_t,
    Theta_s F_out x F_in, a of size F_out, alpha a number), the convention named in the
    readings."""
    assert rules_greek_weights.ENABLED
    system = papermath.compile(wild("pyg_gatv2conv"))
    out, inp = system.shapes["x_prime"][0], system.shapes["x"][0]
    assert system.shapes["Theta_t"] == system.shapes["Theta_s"] == (out, inp)
    assert system.shapes["a"] == (out,) and system.shapes["alpha"] == ()
    assert system.kinds["Theta_t"] == "parameter" and system.kinds["x"] == "input"
    said = readings(system)["matrix product"]
    assert any("Theta is a capital letter" in r for r in said)


def test_set_builder_aggregations_are_read_and_their_code_refused() -> None:
    """DGL's SAGEConv ({h_j, \\forall j \\in N(i)}) and GINConv ({h_j, j \\in N(i)}): an
    aggregator the docstring leaves to an argument is read for shapes (issue 24, GB:
    read/rules_set_builder.py, tests/test_s5_gb.py); SAGEConv's \\mathrm{norm} is refused, and
    the code of GINConv asks which aggregator."""
    # SAGEConv's h = \mathrm{norm}(h): the value replaces h, so it keeps h's shape (a
    # normalisation the source does not name: read/rules_norm_update.py), and code asks which
    sage = papermath.compile(wild("dgl_sageconv"))
    with pytest.raises(papermath.PapermathError) as info:
        sage.to_torch({n: 3 for n in sage.size_names()})
    # the first thing code needs to know: the aggregator the docstring leaves to an argument
    assert under_caret(info.value).startswith(r"\mathrm{aggregate}")
    assert "code needs to know" in info.value.message
    gin = papermath.compile(wild("dgl_ginconv"))
    assert gin.shapes["e"] == () and len(gin.shapes["h"]) == 1
    with pytest.raises(papermath.PapermathError, match="code needs to know"):
        gin.to_torch({"d1": 3, "L": 2})
    # the hint's forms read
    papermath.compile(r"h'_i = \mathrm{mean}_{j \in \mathcal{N}(i)} W h_j, h_j \in \mathbb{R}^{d}")


def test_sum_over_a_recursions_steps_without_its_first_values_is_refused() -> None:
    """PyG's ChebConv sums Z^{(k)} Theta^{(k)} over k = 1..K while Z^{(k)} is a recursion in
    k: with its first values on their own lines it reads (read/rules_recursion.py, checked
    against a hand loop in tests/test_s5_ser.py); without them the message says k is both,
    and the hint names what reads."""
    text = (
        "\\mathbf{X}^{\\prime} = \\sum_{k=1}^{K} \\mathbf{Z}^{(k)} \\cdot \\mathbf{\\Theta}^{(k)}\n"
        "\\mathbf{Z}^{(k)} = 2 \\cdot \\mathbf{\\hat{L}} \\cdot \\mathbf{Z}^{(k-1)} - "
        "\\mathbf{Z}^{(k-2)}\n"
    )
    err = refusal(text)
    assert "element index" in err.message and "step index" in err.message
    assert under_caret(err) == "k-1"
    assert err.hint is not None and "first values on their own lines" in err.hint


EDGE_ONLY = (
    r"h_i = \sum_{j \in \mathcal{N}(i)} W e_{ij}, e_{ij} \in \mathbb{R}^{F}, h_i \in \mathbb{R}^{G}"
)


def test_a_graph_whose_only_input_is_per_edge_takes_the_number_of_nodes() -> None:
    """Every input per edge: nothing says how many nodes there are (node 3 has no edge in),
    so the generated code asks for batch (the graph id of each node); against the sum by
    hand."""
    system = papermath.compile(EDGE_ONLY)
    dims = {"F": 3, "G": 2}
    module = system.to_torch(dims, dtype=torch.float64)
    e = torch.randn(len(SRC), 3, dtype=torch.float64)
    with pytest.raises(ValueError, match="give batch"):
        module(e=e, edges=torch.stack([SRC, DST]))
    batch = torch.zeros(N, dtype=torch.long)
    got = module(e=e, edges=torch.stack([SRC, DST]), batch=batch)["h"]
    torch.testing.assert_close(got, scatter(e @ module.W.T, DST), atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_a_matrix_state_is_not_made_square_to_fit_an_elementwise_product() -> None:
    """H_t = A H_{t-1} with A N x N: the matrix product (A a capital letter), H N x F with F
    free; before, the elementwise product fitted with no new size and was taken (H N x N)."""
    system = papermath.compile(r"H_t = A H_{t-1}, A \in \mathbb{R}^{N \times N}")
    assert system.shapes["H"][0] == "N" and system.shapes["H"][1] != "N"
    assert "matrix product" in readings(system)
    odot = papermath.compile(r"H_t = A \odot H_{t-1}, A \in \mathbb{R}^{N \times N}")
    assert odot.shapes["H"] == ("N", "N")


APPNP = r"H^{(l+1)} = (1-\alpha)(\tilde{D}^{-1/2} \tilde{A} \tilde{D}^{-1/2} H^{(l)}) + \alpha X"


def test_appnp_propagation_is_a_matrix_product_against_torch_by_hand() -> None:
    """APPNP's step (DGL's docstring, the initial condition given as the state): the
    normalised adjacency propagates H (N x F), never an elementwise product; L = 3 steps by
    hand from the same initial state."""
    system = papermath.compile(APPNP)
    assert system.shapes["H"] == system.shapes["X"] and system.shapes["H"][1] != "d1"
    said = readings(system)["matrix product"]
    assert any("degree-normalised adjacency" in r for r in said)
    dims = {"d1": 4, "d2": 3, "L": 3}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(1, 4, 3, dtype=torch.float64)
    a = torch.rand(1, 4, 4, dtype=torch.float64) + torch.eye(4, dtype=torch.float64)
    h0 = torch.randn(1, 4, 3, dtype=torch.float64)
    got = module(X=x, A_tilde=a, H=h0)["H"]
    alpha = module.alpha
    scale = a[0].sum(dim=1) ** -0.5
    norm = scale[:, None] * a[0] * scale[None, :]
    h, want = h0[0], []
    for _ in range(3):
        h = (1 - alpha) * (norm @ h) + alpha * x[0]
        want.append(h)
    torch.testing.assert_close(got[:, 0], torch.stack(want), atol=ATOL, rtol=0)


def test_an_approximation_after_an_equation_is_refused_with_what_to_delete() -> None:
    """DGL's GCN2Conv: beta_l = log(lambda/l + 1) \\approx lambda/l in its prose: since s5 GA
    the approximation after the equation is a remark, left out (parse/approx_remark.py), so
    the refusal is the docstring's own slip (D the degrees of A, normalising A_hat), as where
    the approximation is deleted; an approximation with no equation before it keeps the
    hint that says to delete it."""
    text = wild("dgl_gcn2conv")
    for source in (text, text.replace(r"\approx\frac{\lambda}{l}", "")):
        assert "defined as the degrees of A" in refusal(source).message
    err = refusal(r"y \approx W x")
    assert under_caret(err) == r"\approx"
    assert err.hint is not None and r"delete \approx and what follows" in err.hint


def test_a_bare_step_on_the_left_side_is_the_step() -> None:
    """DGL's H^{l+1} (no parentheses) on a left side: the step l+1; APPNP as its hint
    rewrites it (H^{0} = X given as the initial state, \\alpha X for \\alpha H^{0}) reads with
    H of X's shape, the propagation a matrix product."""
    text = wild("dgl_appnpconv").replace("H^{0} &= X\n", "").replace(r"\alpha H^{0}", r"\alpha X")
    system = papermath.compile(text)
    assert readings(system)["step on the left side"]
    assert system.kinds["H"] == "state" and system.kinds["X"] == "input"
    assert system.shapes["H"] == system.shapes["X"] and system.shapes["H"][1] != "d1"
    # on a right side alone a letter plus a number is not read as a step (refused as before)
    err = refusal(r"y = \beta^{t+1} x, x \in \mathbb{R}^{n}")
    assert under_caret(err) == "t+1"
