"""Brief GA (issue 24): graph layers as docstrings and notes write them. A node's degree written
as a word (``\\text{deg}(i)``), widths declared per layer (``W^{(l)}`` d_l x d_{l+1}), the root
of a dot product's width (TransformerConv's ``\\sqrt{d}``), the self-loop's edge weight given by
the source's degree (GCNConv's ``\\hat{d}_i = 1 + ...``), an approximation after an equation.
Each compiled module is compared with an independent hand-written torch (or NumPy) version on a
small graph (float64), and ``check`` compares the generated backward with finite differences
and torch autograd; shapes only where code is refused, against the notation's meaning."""

from __future__ import annotations

import pytest
import torch

import papermath
from graphfixtures import N, readings, wild
from papermath.check import check
from refusals import caret, refused

ATOL = 1e-10

# every node receives from someone (a degree of 0 would divide by zero, as the formula does)
SRC = torch.tensor([0, 1, 2, 4, 0, 5, 2, 1, 3, 4])
DST = torch.tensor([1, 2, 0, 0, 4, 4, 5, 5, 3, 3])


def in_degree() -> torch.Tensor:
    return torch.zeros(N, dtype=torch.float64).index_add(
        0, DST, torch.ones(len(DST), dtype=torch.float64)
    )


DEG = r"""z_i = \sum_{j \in \mathcal{N}(i)} \frac{1}{\sqrt{\text{deg}(i) \cdot \text{deg}(j)}} W h_j
h_i \in \mathbb{R}^{F}, W \in \mathbb{R}^{G \times F}"""


def test_degree_word_is_the_in_degree_by_hand() -> None:
    """``\\text{deg}(i)`` is the number of edges into node i (one number per node, graph data):
    the symmetric GCN normalisation, written by hand with a scatter-add."""
    dims = {"F": 3, "G": 2}
    system = papermath.compile(DEG, dims)
    assert readings(system)["the degree of node i"]
    assert "deg" not in system.shapes and "i" not in system.shapes
    module = system.to_torch(dims, dtype=torch.float64)
    h = torch.randn(N, 3, dtype=torch.float64)
    got = module(h=h, edges=torch.stack([SRC, DST]))["z"]
    d = in_degree()
    weight = 1.0 / torch.sqrt(d[DST] * d[SRC])
    want = torch.zeros(N, 2, dtype=torch.float64).index_add(
        0, DST, weight[:, None] * (h[SRC] @ module.W.T)
    )
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_degree_word_spellings_read_alike() -> None:
    """``\\mathrm{deg}``, ``\\operatorname{deg}``, ``\\text{degree}`` and LaTeX's ``\\deg`` are the
    same count."""
    for word in (r"\mathrm{deg}", r"\operatorname{deg}", r"\text{degree}", r"\deg"):
        system = papermath.compile(DEG.replace(r"\text{deg}", word))
        assert readings(system)["the degree of node i"], word
        assert system.shapes["z"] == ("G",)


def test_degree_of_a_step_and_other_words_stay_refused() -> None:
    """A word other than deg applied to a node index, and deg of a step index, are refused at
    the index (rules_index_argument)."""
    err = refused(DEG.replace(r"\text{deg}(i)", r"\text{mass}(i)"))
    assert "a word applied to i" in err.message and caret(err) == "i"
    err = refused(r"h_t = \tanh(W h_{t-1} + \text{deg}(t) x_t)")
    assert "a word applied to t" in err.message and caret(err) == "t"
    err = refused(r"h_t = \tanh(W h_{t-1} + \deg(t) x_t)")
    assert "no node index" in err.message and caret(err) == r"\deg(t)"


def test_power_grid_edge_enhanced_notes_read() -> None:
    """The power-grid notes' layer: ``1/\\sqrt{deg(i) deg(j)}`` reads as the degrees; h one
    width d, W and W_e square (the wild case's expectations)."""
    system = papermath.compile(wild("notes_gcn_power_grid_edge_enhanced"))
    (d,) = system.shapes["h"]
    assert system.shapes["W"] == (d, d) and system.shapes["W_e"] == (d, d)
    assert len(readings(system)["the degree of node i"]) == 1
    assert len(readings(system)["the degree of node j"]) == 1
    dims = {d: 3, system.shapes["e"][0]: 2}
    assert all(r.ok for r in check(system, dims))  # the generated backward against autograd


LAYERED = r"""H^{(l+1)} = \sigma(A H^{(l)} W^{(l)})
H^{(l)} \in \mathbb{R}^{n \times d_l}, W^{(l)} \in \mathbb{R}^{d_l \times d_{l+1}}"""


def test_widths_declared_per_layer_read_per_layer() -> None:
    """``H^{(l)}`` n x d_l and ``W^{(l)}`` d_l x d_{l+1}: the widths of two layers, never
    solved equal. The equation written at l+1 is read one layer earlier, so the W it reads is
    the one of layer l-1, d_{l-1} x d_l (its declared shape moved back one layer), and
    H^{(l-1)} W^{(l-1)} is n x d_l: the shape H^{(l)} is declared with."""
    system = papermath.compile(LAYERED)
    assert system.shapes["H"] == ("n", "d_l")
    assert system.shapes["W"] == ("d_l", "d_{l+1}")
    assert system.kinds["W"] == "parameter"
    per_layer = " ".join(readings(system)["a value per layer l"])
    assert "W_{l-1} is (d_{l-1}, d_l)" in per_layer
    assert "H_{l-1} is (n, d_{l-1})" in per_layer
    products = " ".join(readings(system)["matrix product"])
    assert "is (n, d_{l-1}) and W^{(l)} is (d_{l-1}, d_l)" in products


def test_widths_per_layer_that_do_not_meet_are_refused() -> None:
    """``W^{(l)} h^{(l)}`` with W d_l x d_{l+1} and h d_l: at layer l-1 the inner sizes are
    d_l and d_{l-1}, two layers' widths, never solved equal: a shape error at the product."""
    err = refused(
        r"h^{(l+1)} = \sigma(W^{(l)} h^{(l)})"
        "\n"
        r"h^{(l)} \in \mathbb{R}^{d_l}, W^{(l)} \in \mathbb{R}^{d_l \times d_{l+1}}"
    )
    assert caret(err) == r"W^{(l)} h^{(l)}"


def test_width_per_layer_on_a_value_without_the_layer_stays_refused() -> None:
    """``W \\in \\mathbb{R}^{d_l \\times d_{l+1}}`` with W written without the layer: refused at
    d_{l+1} (parse/doubts.py), as before."""
    err = refused(
        r"H^{(l+1)} = \sigma(A H^{(l)} W)"
        "\n"
        r"H^{(l)} \in \mathbb{R}^{n \times d_l}, W \in \mathbb{R}^{d_l \times d_{l+1}}"
    )
    assert "a size that changes with the layer l" in err.message and caret(err) == "d_{l+1}"


def test_code_for_widths_per_layer_is_refused() -> None:
    """Generated code runs steps of one shape: a state whose width changes with the layer is
    read for its shapes only, and code is refused at a declaration, saying why."""
    system = papermath.compile(LAYERED)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"n": 3, "d_l": 2, "d_{l+1}": 4})
    assert "width per layer" in (info.value.hint or "") + info.value.message


def test_power_grid_matrix_notes_read() -> None:
    """The power-grid notes' matrix form (the wild case): H n x d_l, W d_l x d_{l+1}."""
    system = papermath.compile(wild("notes_gcn_power_grid_matrix"))
    assert system.shapes["H"] == ("n", "d_l")
    assert system.shapes["W"] == ("d_l", "d_{l+1}")
    assert system.shapes["A_tilde"] == ("n", "n") and system.kinds["A"] == "input"


def test_transformer_conv_root_width_by_hand() -> None:
    """PyG's TransformerConv (one head): d under the root is the width of W_3 x_i and W_4 x_j
    (the text says dot product attention); the softmax runs over each node's neighbours. A
    hand-written torch version: scores per edge, a softmax per target node, a scatter-add."""
    system = papermath.compile(wild("pyg_transformerconv"))
    (f_in,) = system.shapes["x"]
    assert system.shapes["W_3"] == ("d", f_in) and system.shapes["W_4"] == ("d", f_in)
    assert readings(system)["the width d of the vectors of a dot product"]
    (f_out,) = system.shapes["x_prime"]
    dims = {f_in: 3, f_out: 2, "d": 4}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    got = module(x=x, edges=torch.stack([SRC, DST]))["x_prime"]
    q, k = x @ module.W_3.T, x @ module.W_4.T
    score = (q[DST] * k[SRC]).sum(-1) / 4**0.5
    want = x @ module.W_1.T
    for i in range(N):
        into = torch.eq(DST, i)
        if into.any():
            alpha = torch.softmax(score[into], 0)
            want[i] = want[i] + (alpha[:, None] * (x[SRC[into]] @ module.W_2.T)).sum(0)
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_root_width_without_dot_product_words_stays_refused() -> None:
    """The same formula with no sentence saying dot product: d could be a learned scalar;
    refused at d (read/rules_attention.py), as before."""
    text = wild("pyg_transformerconv").replace("multi-head dot product attention", "attention")
    err = refused(text)
    assert "declared nowhere" in err.message and caret(err) == "d"


def test_root_width_of_a_product_that_is_no_dot_product_is_refused() -> None:
    """``\\frac{x_i^\\top W x_j}{\\sqrt{d}}``... reads as a^T b with a = x_i; but
    ``\\frac{e_{ij}}{\\sqrt{d}}`` has no transposed product over the root: refused at d."""
    err = refused(
        r"the scores are dot products: $\alpha_{ij} = \frac{e_{ij}}{\sqrt{d}}$, "
        r"$e_{ij} = q_i \cdot k_j$"
    )
    assert caret(err) == "d"


def test_root_width_against_a_declared_width_is_said_solved() -> None:
    """The text says dot product and d is the vectors' width, but q and k are declared with m
    entries: two declared sizes the equations force equal, said as solved (m = d, with the
    equation that forces it), as for any two declared sizes; never silently one of them."""
    system = papermath.compile(
        r"scaled dot product: $s = \frac{q^\top k}{\sqrt{d}}$, "
        r"$q \in \mathbb{R}^{m}, k \in \mathbb{R}^{m}$"
    )
    assert system.solved in ({"m": "d"}, {"d": "m"})
    assert system.solved_by


def test_gcnconv_self_loop_weight_from_the_degree_by_hand() -> None:
    """PyG's GCNConv, node-wise: the sum over N(i) u {i} needs e on the self-loop (i, i), which
    the edge list does not hold; the source's degree d_hat_i = 1 + sum_j e_{j,i} says it is 1
    (PyG adds the self-loops with fill value 1). Hand-written: the degree with the self-loop,
    the normalised sum over the edges, i's own term x_i / d_hat_i, then Theta^T."""
    system = papermath.compile(wild("pyg_gcnconv_nodewise"))
    assert readings(system)["e on the self-loop: 1"]
    (f_in, f_out) = system.shapes["Theta"]
    assert system.shapes["x"] == (f_in,) and system.shapes["x_prime"] == (f_out,)
    dims = {f_in: 3, f_out: 2}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    e = torch.rand(len(SRC), dtype=torch.float64) + 0.5
    got = module(x=x, e=e, edges=torch.stack([SRC, DST]))["x_prime"]
    d_hat = 1 + torch.zeros(N, dtype=torch.float64).index_add(0, DST, e)
    norm = e / torch.sqrt(d_hat[SRC] * d_hat[DST])
    summed = torch.zeros(N, 3, dtype=torch.float64).index_add(0, DST, norm[:, None] * x[SRC])
    want = (summed + x / d_hat[:, None]) @ module.Theta
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_self_loop_weight_without_a_degree_stays_refused() -> None:
    """Without the degree's definition, e on the self-loop is data no edge carries: refused
    at e (read/rules_sets.py), as before; so where the degree is defined but used nowhere."""
    body = (
        r"x'_i = \sum_{j \in \mathcal{N}(i) \cup \{i\}} e_{j,i} W x_j"
        "\n"
        r"e_{j,i} \in \mathbb{R}"
    )
    err = refused(body)
    assert "self-loop" in err.message and caret(err) == "e_{j,i}"
    err = refused(body + "\n" + r"c_i = 1 + \sum_{j \in \mathcal{N}(i)} e_{j,i}")
    assert "self-loop" in err.message and caret(err) == "e_{j,i}"


def test_approximation_after_an_equation_is_a_remark() -> None:
    """``b = \\log(1 + x) \\approx x``: the equation says the value (computed as written, the
    log, against numpy by hand); the approximation is left out and said so. Without an
    equation before it, an approximation stays refused at ``\\approx``."""
    import numpy as np

    system = papermath.compile(r"b = \log(1 + x) \approx x, x \in \mathbb{R}^{n}")
    assert readings(system)["approximation left out"]
    assert set(system.shapes) == {"b", "x"}
    assert system.shapes["x"] == ("n",)
    gen = system.to_numpy({"n": 3})
    x = np.array([[0.1, 0.5, 2.0]])
    outputs, _ = gen.forward(gen.init_params(np.random.default_rng(0)), {"x": x})
    np.testing.assert_allclose(outputs["b"], np.log1p(x), rtol=1e-12)
    err = refused(r"y \approx W x")
    assert "approximation" in err.message and caret(err) == r"\approx"
    err = refused(r"a = b \approx c = d")
    assert "approximation" in err.message


def test_gcn2conv_approximation_is_left_out_and_the_slip_is_refused() -> None:
    """DGL's GCN2Conv: the prose's ``\\approx\\frac{\\lambda}{l}`` is a remark, left out; the
    next construct is the docstring's slip (D the degrees of A, normalising A_hat), refused
    there."""
    err = refused(wild("dgl_gcn2conv"))
    assert "approximation" not in err.message
    assert "degrees of A" in err.message and caret(err).startswith(r"\mathbf{D}^{-1/2}")


def test_appnp_learned_first_value_hint_reads() -> None:
    """Spektral's APPNPConv, ``Z^{(0)} = MLP(X)`` with nothing declared, reads: capital
    letters, Z's rows mixed by the adjacency, the MLP maps each row of X (rules_row_states).
    Written in lowercase (``z^{(0)} = MLP(x)``) it stays refused at the call (x one vector or
    a row per node?); its hint's rewrite (the MLP's value given as data H, declared) reads, z
    with H's shape."""
    from papermath.parse.sitemacros import for_case

    case = {"latex": wild("spektral_appnpconv"), "options": {"macros": "spektral"}}
    text = for_case(case["latex"], case, "spektral_appnpconv")
    read = papermath.compile(text)
    n, _ = read.shapes["Z"]
    assert read.shapes["X"][0] == n and read.shapes["A_hat"] == (n, n)
    assert read.shapes["Z_init"] == read.shapes["Z"] and read.kinds["X"] == "input"
    lower = text.replace(r"\Z", r"\mathbf{z}").replace(r"\X", r"\mathbf{x}")
    err = refused(lower)
    assert caret(err) == r"\textrm{MLP}(\mathbf{x})"
    assert err.hint is not None and "% papermath: H is input" in err.hint
    fixed = (
        lower.replace(r"\textrm{MLP}(\mathbf{x})", "H")
        + "\n$H \\in \\mathbb{R}^{N \\times F'}$\n% papermath: H is input\n"
    )
    system = papermath.compile(fixed)
    assert system.shapes["z"] == ("N", "F'") and system.kinds["H"] == "input"
