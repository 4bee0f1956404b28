"""Brief GRAPHA (issue 24): graph layers from library docstrings. A sum whose range is written
with two dots (StellarGraph's ``ip(u,v) = sum_{i=1..d}{u_i*v_i}``) and a value replaced by the
word norm applied to itself (DGL's SAGEConv, ``h = \\mathrm{norm}(h)``: a normalisation the
source does not name). Generated code is compared with NumPy loops written by hand (float64);
where code is refused, the shapes against the notation's meaning and the refusal's caret."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import papermath
from graphfixtures import DST, SRC, N, readings, wild
from papermath.parse.normalize import normalize
from refusals import caret, refused

ATOL = 1e-10


def test_dotted_sum_is_the_inner_product_by_a_loop() -> None:
    """StellarGraph's ``ip(u,v) = sum_{i=1..d}{u_i*v_i}``: the sum over i = 1..d (both ends
    included) of u_i v_i, a NumPy loop over the entries."""
    system = papermath.compile(wild("stellargraph_link_ip"))
    assert system.shapes["u"] == system.shapes["v"] and len(system.shapes["u"]) == 1
    assert system.kinds["u"] == "input" and system.kinds["v"] == "input"
    assert system.shapes["ip"] == ()
    (d,) = system.shapes["u"]
    dims = {d: 5}
    module = papermath.compile(wild("stellargraph_link_ip"), dims).to_numpy(dims)
    rng = np.random.default_rng(0)
    u, v = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    outputs, _ = module.forward({}, {"u": u, "v": v})
    got = outputs["ip"]
    want = np.zeros(3)
    for n in range(3):
        for i in range(5):
            want[n] += u[n, i] * v[n, i]
    np.testing.assert_allclose(got, want, atol=ATOL, rtol=0)


def test_dotted_sum_spellings_keep_positions() -> None:
    """The rewrite keeps every character's place (carets point at what was typed); a backslash
    sum and a braced last value read too; a plain ``sum`` with no room before it stays as typed
    and is refused at the dots."""
    for text in (
        r"s = sum_{i=1..d}{u_i*v_i}",
        r"s = \sum_{i=1..d} u_i v_i",
        r"s = \sum_{k = 1 .. n} u_k v_k",
    ):
        assert len(normalize(text).text) == len(text)
        system = papermath.compile(text)
        assert system.shapes["s"] == ()
        (n,) = system.shapes["u"]
        assert system.shapes["v"] == (n,)
    err = refused(r"s=sum_{i=1..d}{u_i*v_i}")
    assert caret(err) == ".."


NORM = r"""h_{\mathcal{N}(i)} = \mathrm{mean}(\{h_j, j \in \mathcal{N}(i)\})
z_i = \sigma(W [h_i; h_{\mathcal{N}(i)}])
z_i = \mathrm{norm}(z_i)
h_i \in \mathbb{R}^{F}, W \in \mathbb{R}^{G \times 2F}"""


def test_norm_update_keeps_the_shape_and_refuses_code() -> None:
    """``z = \\mathrm{norm}(z)``: the value replaces its argument, so it is z's shape (not the
    norm, a number); which normalisation the source does not say: code is refused at the
    word, with the directive in the hint."""
    system = papermath.compile(NORM)
    assert system.shapes["z"] == ("G",)
    assert readings(system)["normalisation (kind unnamed)"]
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"F": 3, "G": 2})
    err = info.value
    assert "names a normalisation" in err.message
    assert caret(err).startswith(r"\mathrm{norm}")
    assert r"% \mathrm{norm}: layernorm" in (err.hint or "")


def test_norm_update_with_the_directive_is_a_layer_norm_by_hand() -> None:
    """With ``% \\mathrm{norm}: layernorm`` the generated layer is a mean over the neighbours,
    a sigmoid of W times the concatenation, then a layer norm over the G features: all written
    by hand with loops over the edges and entries."""
    dims = {"F": 3, "G": 4}
    system = papermath.compile(NORM + "\n% \\mathrm{norm}: layernorm", dims)
    module = system.to_torch(dims, dtype=torch.float64)
    h = torch.randn(N, 3, dtype=torch.float64)
    got = module(h=h, edges=torch.stack([SRC, DST]))["z"].detach().numpy()
    W = module.W.detach().numpy()
    hn, src, dst = h.numpy(), SRC.tolist(), DST.tolist()
    want = np.zeros((N, 4))
    for i in range(N):
        js = [s for s, d in zip(src, dst, strict=True) if d == i]
        agg = np.mean([hn[j] for j in js], axis=0) if js else np.zeros(3)
        z = 1.0 / (1.0 + np.exp(-(W @ np.concatenate([hn[i], agg]))))
        want[i] = (z - z.mean()) / np.sqrt(z.var() + 1e-5)
    np.testing.assert_allclose(got, want, atol=1e-6, rtol=0)


def test_norm_of_another_value_stays_refused() -> None:
    """``y = \\mathrm{norm}(W x)``: nothing says the value keeps its argument's shape (the norm,
    a number, or a normalisation): refused at the word, as before."""
    err = refused(r"y = \mathrm{norm}(W x)")
    assert "reads two ways" in err.message and caret(err) == r"\mathrm{norm}"


def test_dgl_sageconv_reads() -> None:
    """DGL's SAGEConv docstring: h one width d, h_N the neighbourhood's value, W d x 2d, e a
    number per edge (the wild case's expectations, from the docstring's own words)."""
    system = papermath.compile(wild("dgl_sageconv"))
    (d,) = system.shapes["h"]
    assert system.shapes["h_N"] == (d,)
    assert system.shapes["W"] == (d, f"2*{d}")
    assert system.shapes["e"] == ()
    assert system.kinds["W"] == "parameter" and system.kinds["e"] == "input"


def _spektral(name: str) -> str:
    from papermath.parse.sitemacros import for_case

    case = {"latex": wild(name), "options": {"macros": "spektral"}}
    return for_case(case["latex"], case, name)


def test_appnp_hint_declarations_read() -> None:
    """Spektral's APPNPConv (capital Z, X) reads undeclared: the MLP maps each row of X
    (rules_row_states), the same reading as the hint's first declaration. Written in lowercase
    it stays refused at ``\\textrm{MLP}(\\mathbf{x})`` (x one vector or a row per node?); each
    declaration its hint offers reads: one row per node (MLP applied to each row, z N x F'),
    or x one vector."""
    text = _spektral("spektral_appnpconv")
    read = papermath.compile(text)
    n, f_out = read.shapes["Z"]
    assert read.shapes["X"][0] == n and read.shapes["X"][1] != f_out
    assert read.shapes["A_hat"] == (n, n)
    lower = text.replace(r"\Z", r"\mathbf{z}").replace(r"\X", r"\mathbf{x}")
    err = refused(lower)
    assert caret(err) == r"\textrm{MLP}(\mathbf{x})"
    assert err.hint is not None and "declare the shapes" in err.hint
    rows = papermath.compile(
        lower
        + "\n$\\mathbf{x} \\in \\mathbb{R}^{N \\times F}$ and $z \\in \\mathbb{R}^{N \\times F'}$\n"
    )
    assert rows.shapes["z"] == ("N", "F'") and rows.shapes["x"] == ("N", "F")
    assert rows.shapes["A_hat"] == ("N", "N")
    one = papermath.compile(lower + "\n$\\mathbf{x} \\in \\mathbb{R}^{F}$\n")
    assert one.shapes["x"] == ("F",) and len(one.shapes["z"]) == 1


def test_gcn2conv_slip_hint_offers_both_fixes() -> None:
    """DGL's GCN2Conv defines D from A and normalises \\hat{A} with it: refused at the product;
    the hint's second fix (D from \\hat{A}, as the prose's "its degree matrix" says) clears
    this refusal (the next construct, the braced ``{\\mathbf{h}^{(0)}}``, is another's)."""
    text = wild("dgl_gcn2conv")
    err = refused(text)
    assert "degrees of A" in err.message
    assert err.hint is not None and r"\sum_j \mathbf{\hat{A}}_{ij}" in err.hint
    fixed = text.replace(r"\sum_{j=0} \mathbf{A}_{ij}", r"\sum_{j=0} \mathbf{\hat{A}}_{ij}")
    try:
        papermath.compile(fixed)
    except papermath.PapermathError as e:
        assert "degrees of" not in e.message


MIX = r"""Y = [X \| A X] W
X \in \mathbb{R}^{N \times F}, A \in \mathbb{R}^{N \times N}, Y \in \mathbb{R}^{N \times G}
% papermath: A is input"""


def test_bar_between_matrices_joins_their_columns() -> None:
    """``[X \\| A X] W`` (MixHop's and Spektral's node matrices): the rows (nodes) kept, the
    features side by side, W 2F x G; never the rows stacked (2N x F, W F x G)."""
    system = papermath.compile(MIX)
    assert system.shapes["W"] == ("2*F", "G")
    joined = papermath.compile(
        r"Y = [X \| A X], X \in \mathbb{R}^{N \times F}, A \in \mathbb{R}^{N \times N}"
    )
    assert joined.shapes["Y"] == ("N", "2*F")
    stacked = papermath.compile(
        r"Y = [X; B], X \in \mathbb{R}^{N \times F}, B \in \mathbb{R}^{M \times F}"
    )
    assert stacked.shapes["Y"] == ("M + N", "F") or stacked.shapes["Y"] == ("N + M", "F")


def test_bar_between_matrices_code_by_hand() -> None:
    """The generated NumPy and torch code against ``np.hstack`` written by hand (each row: the
    row of X, then the row of A X), then times W; the generated backward against finite
    differences and torch autograd (``check``)."""
    from papermath.check import check

    dims = {"N": 4, "F": 3, "G": 2}
    system = papermath.compile(MIX, dims)
    rng = np.random.default_rng(1)
    X, A, W = rng.normal(size=(4, 3)), rng.normal(size=(4, 4)), rng.normal(size=(6, 2))
    gen = system.to_numpy(dims)
    outputs, _ = gen.forward({"W": W}, {"X": X[None], "A": A[None]})
    want = np.zeros((4, 2))
    for n in range(4):
        row = np.concatenate([X[n], A[n] @ X])
        want[n] = row @ W
    np.testing.assert_allclose(outputs["Y"][0], want, atol=ATOL, rtol=0)
    module = system.to_torch(dims, dtype=torch.float64)
    with torch.no_grad():
        module.W.copy_(torch.tensor(W))
    got = module(X=torch.tensor(X[None]), A=torch.tensor(A[None]))["Y"][0].detach().numpy()
    np.testing.assert_allclose(got, want, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_bar_between_matrices_gradient_print_refused_by_name() -> None:
    """Printed gradient equations through matrices joined side by side are not written yet:
    refused by name (not the heads' words)."""
    from papermath.report.gradients import derive

    system = papermath.compile(MIX)
    with pytest.raises(Exception) as info:
        derive(system, "W")
    assert "joined side by side" in str(info.value)


def test_spektral_graphsage_reads_for_shapes_and_refuses_code_at_the_aggregator() -> None:
    """Spektral's GraphSageConv: ``[\\textrm{AGGREGATE}(\\X) \\| \\X] \\W + \\b`` then
    ``\\X' = \\X' / \\|\\X'\\|``: X one row per node (N x F), the aggregation of X's shape, the
    features side by side (W 2F x F'), b one per output feature; which aggregation and which
    norm the source leaves open (shapes hold for each): code refused at the aggregation."""
    system = papermath.compile(_spektral("spektral_graphsageconv"))
    n, f = system.shapes["X"]
    assert n != f
    w_in, out = system.shapes["W"]
    assert w_in == f"2*{f}" and system.shapes["b"] == (out,)
    assert system.shapes["X_prime"] == (n, out)
    assert system.kinds["X"] == "input" and system.kinds["W"] == "parameter"
    said = readings(system)
    assert said[
        "aggregation over each node's neighbours, of the whole node matrix (aggregator unnamed)"
    ]
    assert said["norm of a matrix (which one not said)"]
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy()
    assert caret(info.value) == r"\textrm{AGGREGATE}(\mathbf{X})"
    assert info.value.hint is not None and r"\mathrm{mean}(\{x_j" in info.value.hint


def test_whole_aggregate_hint_per_node_form_by_hand() -> None:
    """The per-node form the hint writes reads and computes, per node, the mean of the
    neighbours' rows beside the node's own row, times W, plus b (a loop over the edges)."""
    text = r"x_i' = [\mathrm{mean}(\{x_j, j \in \mathcal{N}(i)\}) \| x_i] W + b"
    system = papermath.compile(text + r", x_i \in \mathbb{R}^{F}, x'_i \in \mathbb{R}^{G}")
    assert system.shapes["W"] == ("2*F", "G")
    dims = {"F": 3, "G": 2}
    module = papermath.compile(
        text + r", x_i \in \mathbb{R}^{F}, x'_i \in \mathbb{R}^{G}", dims
    ).to_torch(dims, dtype=torch.float64)
    x = torch.randn(N, 3, dtype=torch.float64)
    got = module(x=x, edges=torch.stack([SRC, DST]))["x_prime"].detach().numpy()
    W, b = module.W.detach().numpy(), module.b.detach().numpy()
    xn, src, dst = x.numpy(), SRC.tolist(), DST.tolist()
    for i in range(N):
        js = [s for s, d in zip(src, dst, strict=True) if d == i]
        mean = np.mean([xn[j] for j in js], axis=0) if js else np.zeros(3)
        np.testing.assert_allclose(got[i], np.concatenate([mean, xn[i]]) @ W + b, atol=ATOL)


def test_whole_aggregate_of_a_vector_or_a_scripted_value_stays_refused() -> None:
    """``\\mathrm{AGGREGATE}(x)`` with x declared a vector: one row per node is needed;
    ``\\mathrm{AGGREGATE}(H^{(l)})``: a scripted value, refused as before at the word."""
    err = refused(r"Y = \mathrm{AGGREGATE}(x), x \in \mathbb{R}^{F}")
    assert "one row per node" in err.message
    err = refused(r"y = \mathrm{AGGREGATE}(H^{(l)}) W")
    assert "as a whole" in err.message and caret(err) == r"\mathrm{AGGREGATE}"


NORMALISED = r"""$$h'_i = \sum_{j \in \mathcal{N}(i)} e_{j,i} W h_j$$
where $e_{j,i}$ is the normalizer, $h_j \in \mathbb{R}^{F}$ and $h'_i \in \mathbb{R}^{G}$."""


def test_edge_normaliser_said_is_one_number_per_edge_by_hand() -> None:
    """ "$e_{j,i}$ is the normalizer" (DGL's RelGraphConv): one number per edge, scaling W h_j
    (never a row vector e times W): the sum over the edges into i written by hand."""
    system = papermath.compile(NORMALISED)
    assert system.shapes["e"] == () and system.kinds["e"] == "input"
    assert system.shapes["W"] == ("G", "F")
    dims = {"F": 3, "G": 2}
    module = papermath.compile(NORMALISED, dims).to_torch(dims, dtype=torch.float64)
    h = torch.randn(N, 3, dtype=torch.float64)
    e = torch.rand(len(SRC), dtype=torch.float64)
    got = module(h=h, e=e, edges=torch.stack([SRC, DST]))["h_prime"].detach().numpy()
    W = module.W.detach().numpy()
    want = np.zeros((N, 2))
    for k, (s, d) in enumerate(zip(SRC.tolist(), DST.tolist(), strict=True)):
        want[d] += e[k].item() * (W @ h[s].numpy())
    np.testing.assert_allclose(got, want, atol=ATOL, rtol=0)


def test_normaliser_words_need_an_edge_symbol() -> None:
    """Only a symbol with two indices is declared by the words; "$Z$ is the normalizer" of a
    one-letter symbol is left to the equations."""
    from papermath.parse.edge_normaliser import SAID

    assert SAID.search(r"where $e_{j,i}$ is the normalizer.")
    assert SAID.search(r"where $c_{ij}$ denotes a normalization constant")
    assert not SAID.search(r"where $Z$ is the normalizer")


CHAIN = r"""y = \sigma(z W) \odot t
z = x \| u \| e
x \in \mathbb{R}^{F}, u \in \mathbb{R}^{F}, e \in \mathbb{R}^{S}, t \in \mathbb{R}^{G}
% papermath: u is input; e is input; t is input"""


def test_bar_chain_beside_odot_is_concatenation_by_hand() -> None:
    """``z = x \\| u \\| e`` in a source that writes its elementwise product ``\\odot``: the three
    vectors concatenated (2F + S), never x times the norm of u times e; code against NumPy."""
    system = papermath.compile(CHAIN)
    assert system.shapes["z"] == ("2*F + S",)
    assert system.shapes["W"] == ("2*F + S", "G")
    assert readings(system)["concatenation, by the source's usage"]
    dims = {"F": 2, "S": 3, "G": 4}
    gen = papermath.compile(CHAIN, dims).to_numpy(dims)
    rng = np.random.default_rng(2)
    x, u, e, t = (rng.normal(size=(1, n)) for n in (2, 2, 3, 4))
    W = rng.normal(size=(7, 4))
    outputs, _ = gen.forward({"W": W}, {"x": x, "u": u, "e": e, "t": t})
    z = np.array([*x[0], *u[0], *e[0]])
    want = np.array([1.0 / (1.0 + np.exp(-(z @ W)[k])) * t[0, k] for k in range(4)])
    np.testing.assert_allclose(outputs["y"][0], want, atol=ATOL, rtol=0)


def test_bar_chain_without_the_usage_stays_refused() -> None:
    """No ``\\odot`` in the source, or a number (a Greek letter) before the bars: both readings
    stay open: refused at the first bar, as before."""
    err = refused(r"z = x \| u \| e, x \in \mathbb{R}^{F}")
    assert "reads two ways" in err.message and caret(err) == r"\|"
    err = refused(r"y = z \odot t, z = \lambda \| u \| e")
    assert "reads two ways" in err.message and caret(err) == r"\|"


def test_spektral_crystalconv_reads() -> None:
    """Spektral's CrystalConv: z = x_i || x_j || e_{ji} (2F + S), W^{(f)}, W^{(s)} (2F + S) x F
    (the residual x_i + ... keeps F), biases F, x and e inputs (the case's expectations)."""
    system = papermath.compile(_spektral("spektral_crystalconv"))
    (f,) = system.shapes["x"]
    (s,) = system.shapes["e"]
    assert system.shapes["z"] == (f"2*{f} + {s}",)
    assert system.shapes["W_f"] == (f"2*{f} + {s}", f) == system.shapes["W_s"]
    assert system.kinds["x"] == "input" and system.kinds["e"] == "input"


def test_spektral_eccconv_mlp_outputs_a_weight_matrix() -> None:
    """Spektral's ECCConv: "MLP is a multi-layer perceptron that outputs an edge-specific
    weight": x_j MLP(e) is the row times a matrix (F x F'), as x_i W_root; x F, x' F', W_root
    F x F', b F', e its own width; code refused by name at the words."""
    system = papermath.compile(_spektral("spektral_eccconv"))
    (f,) = system.shapes["x"]
    (out,) = system.shapes["x_prime"]
    assert f != out and system.shapes["W_root"] == (f, out)
    assert system.shapes["b"] == (out,) and len(system.shapes["e"]) == 1
    assert readings(system)["learnable function whose value is a weight matrix"]
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy()
    assert "outputs an" in caret(info.value)
    assert info.value.hint is not None and "weight matrix" in info.value.hint


def test_weight_words_are_needed() -> None:
    """Without the words, a vector beside the function's value stays refused (it could be the
    gate); words about another function do not change it."""
    text = r"$$y = x W_0 + x \mathrm{MLP}(e) + b$$"
    assert "gate" in refused(text).message
    assert (
        "gate"
        in refused(text + "\nwhere $\\mathrm{NET}$ is a network that outputs a weight").message
    )
    system = papermath.compile(text + "\nwhere $\\mathrm{MLP}$ is a network that outputs a weight")
    (f,) = system.shapes["x"]
    assert system.shapes["W_0"] == (f, system.shapes["y"][0])


def test_weight_words_about_a_function_used_elsewhere_change_nothing() -> None:
    """ "outputs attention weights" of a function whose value goes into a softmax: no weight
    matrix stands there; the function stays a vector map."""
    system = papermath.compile(
        "$$y = \\mathrm{softmax}(\\mathrm{MLP}(x))$$\n"
        "where $\\mathrm{MLP}$ is a network that outputs attention weights"
    )
    assert len(system.shapes["y"]) == 1
    assert "learnable function whose value is a weight matrix" not in readings(system)
