"""Issue 24, GB: graph sets written by a condition, updates in place, the general variant,
concat written as a function, a quantifier after an equation, a bare step of a defined value.

Each reading is checked against an independent oracle: hand-written torch over the edges of a
small graph (tests/graphfixtures.py: a scatter-add and loops written by hand), torch's own
functions, or the shapes the notation means (written from the sources' text)."""

from __future__ import annotations

import pytest
import torch

import papermath
from graphfixtures import DST, SRC, WILD, N, readings, scatter, wild
from papermath.casefile import from_toml
from refusals import caret, refused

ATOL = 1e-10
EDGES = torch.stack([SRC, DST])


def count() -> torch.Tensor:
    """The number of edges into each node (node 3 has none), by hand."""
    return scatter(torch.ones(len(SRC), dtype=torch.float64), DST)


# ---- a set written by a condition, under an aggregator -----------------------------------------


@pytest.mark.parametrize(
    "condition", [r"j \in \mathcal{N}(i)", r"\forall j \in \mathcal{N}(i)"], ids=["in", "forall"]
)
def test_mean_of_the_set_of_the_neighbours_values_against_torch_by_hand(condition: str) -> None:
    """mean({W h_j, j in N(i)}): the neighbours' mean (0 for node 3, which has none, as PyG's
    and DGL's mean aggregations give); values and the gradient of W, by hand."""
    system = papermath.compile(
        rf"y_i = \mathrm{{mean}}(\{{W h_j, {condition}\}}), h_i \in \mathbb{{R}}^{{d}}, "
        r"y_i \in \mathbb{R}^{e}"
    )
    assert system.shapes["W"] == ("e", "d") and system.kinds["W"] == "parameter"
    assert readings(system)["mean of a set of the neighbours' values"]
    module = system.to_torch({"d": 3, "e": 2}, dtype=torch.float64)
    h = torch.randn(N, 3, dtype=torch.float64)
    got = module(h=h, edges=EDGES)["y"]
    want = scatter(h[SRC] @ module.W.T, DST) / count().clamp(min=1.0)[:, None]
    assert torch.all(got[3] == 0)
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    (g_ours,) = torch.autograd.grad(got.square().sum(), module.W)
    (g_hand,) = torch.autograd.grad(want.square().sum(), module.W)
    torch.testing.assert_close(g_ours, g_hand, atol=ATOL, rtol=0)


def test_sum_of_the_set_written_with_mid_against_a_loop_over_edges() -> None:
    """sum({h_u | u in N(v)}) (the bar before the condition): the sum over the edges into v,
    by a Python loop over the edge list."""
    system = papermath.compile(
        r"z_v = \mathrm{sum}(\{h_u \mid u \in \mathcal{N}(v)\}), h_v \in \mathbb{R}^{d}"
    )
    assert system.shapes["z"] == ("d",)
    module = system.to_torch({"d": 4}, dtype=torch.float64)
    h = torch.randn(N, 4, dtype=torch.float64)
    got = module(h=h, edges=EDGES)["z"]
    want = torch.zeros(N, 4, dtype=torch.float64)
    for u, v in zip(SRC.tolist(), DST.tolist(), strict=True):
        want[v] += h[u]
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)


def test_max_of_the_set_is_the_entrywise_max_over_the_edges_by_a_loop() -> None:
    """\\max\\{W h_u | u in N(v)\\}: the largest value entry by entry over the edges into v (0
    where none enters), by a loop over the edges."""
    system = papermath.compile(
        r"z_v = \max\{W h_u \mid u \in \mathcal{N}(v)\}, h_v \in \mathbb{R}^{d}, "
        r"z_v \in \mathbb{R}^{e}"
    )
    assert system.shapes["W"] == ("e", "d")
    module = system.to_torch({"d": 3, "e": 2}, dtype=torch.float64)
    h = torch.randn(N, 3, dtype=torch.float64)
    got = module(h=h, edges=EDGES)["z"]
    messages = h[SRC] @ module.W.T
    want = torch.zeros(N, 2, dtype=torch.float64)
    for v in range(N):
        into = [k for k in range(len(DST)) if int(DST[k]) == v]
        if into:
            want[v] = torch.stack([messages[k] for k in into]).max(dim=0).values
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)


def test_an_unnamed_aggregator_reads_for_shapes_and_its_code_is_refused() -> None:
    """\\mathrm{aggregate} (DGL: an argument of the layer): the value has the shape of one
    member (as a sum, a mean and a max have); code asks which aggregator."""
    system = papermath.compile(
        r"y_i = W \mathrm{aggregate}(\{h_j, \forall j \in \mathcal{N}(i)\}), "
        r"h_i \in \mathbb{R}^{d}, y_i \in \mathbb{R}^{e}"
    )
    assert system.shapes["W"] == ("e", "d") and system.shapes["y"] == ("e",)
    assert readings(system)["aggregation of the neighbours' values (aggregator unnamed)"]
    with pytest.raises(papermath.PapermathError, match="code needs to know") as info:
        system.to_torch({"d": 3, "e": 2})
    assert info.value.hint is not None and r"\mathrm{mean}" in info.value.hint


def test_graphsage_algorithm_reads_with_its_layer_sizes() -> None:
    """GraphSAGE's Algorithm 1 (the paper's case): AGGREGATE_k over the set, CONCAT of two
    d-vectors (2d, so W^k is d x 2d), the update in place h <- h / ||h||_2, for all v."""
    case = papers_case("p11_graphsage_hamilton2017")
    system = papermath.compile(case)
    assert system.shapes["h"] == ("d",) and system.shapes["W"] == ("d", "2*d")
    assert system.shapes["h_N"] == ("d",)


def papers_case(name: str) -> str:
    import tomllib

    from conftest import ROOT

    with open(ROOT.parent / "shared" / "corpus_papers" / f"{name}.toml", "rb") as f:
        text: str = tomllib.load(f)["latex"]
    return text


@pytest.mark.parametrize(
    ("latex", "words", "under"),
    [
        (r"y_i = \{h_j, j \in \mathcal{N}(i)\}", "nothing aggregates it", r"\{h_j"),
        (r"y_i = \min(\{h_j, j \in \mathcal{N}(i)\})", "does not guess", r"\min"),
        (r"y_i = \mathrm{mean}(\{h_j, j \in V\})", "neighbours' values", r"\{h_j"),
        (r"y = \mathrm{AGGREGATE}(H^{(l)}) W", "as a whole", r"\mathrm{AGGREGATE}"),
    ],
    ids=["no-aggregator", "min", "not-a-neighbourhood", "whole-matrix"],
)
def test_sets_this_rule_does_not_read_are_refused_at_the_construct(
    latex: str, words: str, under: str
) -> None:
    err = refused(latex)
    assert words in err.message
    assert caret(err).startswith(under)
    assert err.hint is not None


# ---- the general variant (a weight more) -------------------------------------------------------

WEIGHTED = (
    "$$h'_i = \\mathrm{mean}(\\{h_j, j \\in \\mathcal{N}(i)\\})$$\n"
    "If a weight tensor on each edge is provided, the aggregation becomes:\n"
    "$$h'_i = \\mathrm{mean}(\\{e_{ji} h_j, j \\in \\mathcal{N}(i)\\})$$\n"
    "where $e_{ji}$ is the scalar weight on the edge from node $j$ to node $i$, and "
    "$h_i \\in \\mathbb{R}^{d}$."
)


def test_the_weighted_variant_is_read_and_holds_the_first_against_torch_by_hand() -> None:
    """The second variant is the first with e_{ji} more: it is read (e one number per edge,
    said in words), and with every e_{ji} = 1 it computes the first."""
    system = papermath.compile(WEIGHTED)
    assert system.shapes["e"] == () and system.kinds["e"] == "input"
    assert readings(system)["variant read (it holds the first)"]
    module = system.to_torch({"d": 3}, dtype=torch.float64)
    h = torch.randn(N, 3, dtype=torch.float64)
    e = torch.rand(len(SRC), dtype=torch.float64)
    got = module(h=h, e=e, edges=EDGES)["h_prime"]
    want = scatter(e[:, None] * h[SRC], DST) / count().clamp(min=1.0)[:, None]
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    ones = module(h=h, e=torch.ones(len(SRC), dtype=torch.float64), edges=EDGES)["h_prime"]
    first = scatter(h[SRC], DST) / count().clamp(min=1.0)[:, None]
    torch.testing.assert_close(ones, first, atol=ATOL, rtol=0)


def test_a_variant_that_changes_more_than_a_factor_stays_the_first() -> None:
    """With Tanh instead of ReLU (MXNet's RNN): another model, not a weight more; the first
    is read and the second left out (parse/variants.py), as before."""
    system = papermath.compile(
        "With ReLU activation function:\n$$h_t = \\mathrm{relu}(W x_t + U h_{t-1})$$\n"
        "With Tanh activation function:\n$$h_t = \\tanh(W x_t + U h_{t-1})$$"
    )
    assert readings(system)["variant left out"]


def test_dgl_ginconv_reads_its_weighted_variant() -> None:
    """DGL's GINConv docstring: e_{ji} the weight on the edge (one number), h one width."""
    system = papermath.compile(wild("dgl_ginconv"))
    assert system.shapes["e"] == () and system.kinds["e"] == "input"
    assert system.shapes["epsilon"] == ()


# ---- an update after a definition -------------------------------------------------------------


def test_an_update_after_its_definition_is_the_next_line_against_torch() -> None:
    """y = W x + b, then y = y / ||y||: the output is the normalised value (torch's
    F.normalize), the unnormalised one an intermediate."""
    system = papermath.compile(
        "y = W x + b\ny = \\frac{y}{\\|y\\|}\nx \\in \\mathbb{R}^{d}, y \\in \\mathbb{R}^{e}"
    )
    assert system.shapes["W"] == ("e", "d") and system.shapes["y"] == ("e",)
    assert system.kinds["y_breve"] == "intermediate"
    assert readings(system)["update of the value above (one computation, in order)"]
    module = system.to_torch({"d": 3, "e": 4}, dtype=torch.float64)
    x = torch.randn(5, 3, dtype=torch.float64)  # a batch of five
    got = module(x=x)["y"]
    want = torch.nn.functional.normalize(x @ module.W.T + module.b, dim=1)
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)


def test_a_line_between_reads_the_value_before_the_update() -> None:
    """y = W x; z = U y; y = y / ||y||: z reads the first y (the lines run in order)."""
    system = papermath.compile(
        "y = W x\nz = U y\ny = \\frac{y}{\\|y\\|}\nx \\in \\mathbb{R}^{d}, y \\in \\mathbb{R}^{e}"
    )
    module = system.to_torch({"d": 3, "e": 4, "d1": 2}, dtype=torch.float64)
    x = torch.randn(5, 3, dtype=torch.float64)
    out = module(x=x)
    torch.testing.assert_close(out["z"], x @ module.W.T @ module.U.T, atol=ATOL, rtol=0)
    y = x @ module.W.T
    torch.testing.assert_close(out["y"], y / y.norm(dim=1, keepdim=True), atol=ATOL, rtol=0)


def test_pyg_sageconv_projection_first_against_torch_by_hand() -> None:
    """PyG's SAGEConv with project=True: "x_j will first get projected via x_j <- sigma(W_3 x_j
    + b)": the neighbours' values are projected (as wide as x: W_3 is F_in x F_in), the node's
    own x_i is not (PyG projects the source side only); by hand."""
    system = papermath.compile(wild("pyg_sageconv"))
    width = system.shapes["x"]
    assert system.shapes["W_3"] == width * 2 and system.shapes["b"] == width
    assert system.kinds["x"] == "input" and system.kinds["W_3"] == "parameter"
    assert readings(system)["update of an input, first (the source says so)"]
    module = system.to_torch({"d1": 2, "d2": 3}, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    got = module(x=x, edges=EDGES)["x_prime"]
    projected = torch.sigmoid(x @ module.W_3.T + module.b)
    mean = scatter(projected[SRC], DST) / count().clamp(min=1.0)[:, None]
    want = x @ module.W_1.T + mean @ module.W_2.T
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)


def test_an_update_in_place_of_an_input_without_words_stays_refused() -> None:
    """x_j <- sigma(W_3 x_j + b) with nothing saying it runs first: which lines read the value
    before and which the value after, the order does not say; the hint names the value."""
    err = refused(
        "y_i = W \\mathrm{mean}_{j \\in \\mathcal{N}(i)} x_j\nx_j \\leftarrow \\sigma(U x_j + b)"
    )
    assert "update in place" in err.message and caret(err) == "x_j"
    assert err.hint is not None and r"\tilde{x}" in err.hint


def test_spektral_graphsage_is_refused_at_its_aggregator_of_the_whole_matrix() -> None:
    # s7 GRAPHA: reads for shapes now (read/rules_whole_aggregate.py), code refused at the call
    text = (WILD / "spektral_graphsageconv.toml").read_text(encoding="utf-8")
    system = papermath.compile(from_toml(text, "spektral_graphsageconv.toml").latex)
    assert len(system.shapes["X"]) == 2


# ---- concat as a function, \mathrm{norm}, quantifiers, bare steps ---------------------------


def test_concat_written_as_a_function_is_the_concatenation_against_torch_cat() -> None:
    system = papermath.compile(
        "y = W \\mathrm{concat}(h, g), h \\in \\mathbb{R}^{d}, g \\in \\mathbb{R}^{c}\n"
        "% inputs: h, g"
    )
    assert system.shapes["W"][1] in ("c + d", "d + c")  # the sizes of both, stacked
    module = system.to_torch({"d": 3, "c": 2, "d1": 4}, dtype=torch.float64)
    h, g = torch.randn(5, 3, dtype=torch.float64), torch.randn(5, 2, dtype=torch.float64)
    got = module(h=h, g=g)["y"]
    torch.testing.assert_close(got, torch.cat([h, g], dim=1) @ module.W.T, atol=ATOL, rtol=0)


def test_norm_written_as_a_word_is_refused_with_both_readings() -> None:
    err = refused(r"y = \mathrm{norm}(W x)")
    assert "reads two ways" in err.message and caret(err) == r"\mathrm{norm}"
    assert err.hint is not None and r"\|W x\|" in err.hint


def test_a_quantifier_after_an_equation_declares_the_node() -> None:
    system = papermath.compile(
        r"h'_v = W h_v, \forall v \in \mathcal{V}, h_v \in \mathbb{R}^{d}, "
        r"h'_v \in \mathbb{R}^{e}"
    )
    assert system.shapes["W"] == ("e", "d") and system.shapes["h"] == ("d",)
    # a quantifier anywhere else is still refused, at the quantifier
    for text in (
        r"\forall i: y_i = W x_i",
        r"y_i = W x_i, \forall i",
        r"y_t = W x_t, \forall t > 0",
        r"y_i = W x_i, \forall i \in \{1, \dots, n\}",
    ):
        err = refused(text)
        assert "quantifier" in err.message and caret(err) == r"\forall"


def test_a_plain_bar_before_the_condition_separates_as_mid_does() -> None:
    """\\{W h_u | u \\in N(v)\\}: the bar is the set's, not an absolute value's."""
    system = papermath.compile(
        r"y_v = \mathrm{mean}(\{W h_u | u \in \mathcal{N}(v)\}), h_v \in \mathbb{R}^{d}"
    )
    module = system.to_torch({"d": 3, "d1": 2}, dtype=torch.float64)
    h = torch.randn(N, 3, dtype=torch.float64)
    got = module(h=h, edges=EDGES)["y"]
    want = scatter(h[SRC] @ module.W.T, DST) / count().clamp(min=1.0)[:, None]
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)


def test_dgl_sageconv_reads_up_to_its_norm() -> None:
    """DGL's SAGEConv with its \\mathrm{norm} written out as the L2 normalisation (what the
    hint says): h_N one value per node, concat of two d-vectors (W is d x 2d), e a scalar."""
    text = wild("dgl_sageconv").replace(
        r"\mathrm{norm}(h_{i}^{(l+1)})", r"\frac{h_{i}^{(l+1)}}{\|h_{i}^{(l+1)}\|}"
    )
    system = papermath.compile(text)
    d = system.shapes["h"][0]
    assert system.shapes["h_N"] == (d,) and system.shapes["W"] == (d, f"2*{d}")
    assert system.shapes["e"] == () and system.kinds["W"] == "parameter"


@pytest.mark.parametrize("arrow", ["→", r"\to ", r"\rightarrow "])
def test_a_sum_over_an_arrow_is_refused_with_the_sum_over_the_neighbours(arrow: str) -> None:
    """NYU's \\sum_{v_j→v}: the hint writes the sum papermath reads, and that reads."""
    err = refused(rf"h_v = \sum_{{v_j{arrow}v}} W x_j")
    assert "a sum over an edge" in err.message and caret(err).startswith(arrow.strip())
    assert err.hint is not None and r"\sum_{j \in \mathcal{N}(v)}" in err.hint
    system = papermath.compile(
        r"h_v = \sum_{j \in \mathcal{N}(v)} W x_j, x_v \in \mathbb{R}^{d}, h_v \in \mathbb{R}^{e}"
    )
    assert system.shapes["W"] == ("e", "d")


def test_a_comment_names_the_aggregator_and_gin_runs_against_torch_by_hand() -> None:
    """DGL's GINConv with `% \\mathrm{aggregate}: sum` (the layer's choice said in a comment):
    h_i <- f((1 + eps) h_i + sum_{j -> i} e_ji h_j), f an affine map, two layers, by hand."""
    system = papermath.compile(wild("dgl_ginconv") + "\n% \\mathrm{aggregate}: sum")
    assert readings(system)["aggregator named by a comment: sum"]
    module = system.to_torch({"d1": 3, "L": 2}, dtype=torch.float64)
    h0 = torch.randn(N, 3, dtype=torch.float64)
    e = torch.rand(len(SRC), dtype=torch.float64)
    eps = torch.tensor(0.25, dtype=torch.float64)
    got = module(h=h0, e=e, epsilon=eps, edges=EDGES)["h"]
    weight, bias = module.get_parameter("f_Theta.weight"), module.get_parameter("f_Theta.bias")
    h, want = h0, []
    for _ in range(2):
        total = torch.zeros_like(h)
        for k, (j, i) in enumerate(zip(SRC.tolist(), DST.tolist(), strict=True)):
            total[i] += e[k] * h[j]
        h = ((1 + eps) * h + total) @ weight.T + bias
        want.append(h)
    torch.testing.assert_close(got, torch.stack(want), atol=ATOL, rtol=0)
