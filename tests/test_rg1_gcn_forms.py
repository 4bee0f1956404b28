"""Spektral's docstrings and GCNs in matrix form (issue 24, brief RG1): the site's macros
chosen by a case's origin (as the user's ``--macros spektral``), the bias of a matrix product
(``X W + b``: a vector added to every row), the vector beside a learnable function's value
(``x_j MLP(e)``, refused), a condition inside a script (``T^{(k \\ge 2)}``, refused), and the
step written before the node index (``h^{(0)}_i``, an initial condition). Shapes are checked
against what the sources say; the code against hand-written torch (the layer's own formula)."""

from __future__ import annotations

import tomllib

import pytest
import torch

import papermath
from conftest import ROOT
from papermath.casefile import from_toml
from refusals import caret, refused
from wild import measure

ATOL = 1e-10
WILD = ROOT / "tests" / "wild" / "cases"


def said(system: papermath.System, words: str) -> list[str]:
    return [r.reason for r in system.readings if words in r.reading]


# ---- the bias of a matrix product ------------------------------------------------------------


def test_bias_after_a_sample_first_product_is_one_entry_per_output_feature() -> None:
    system = papermath.compile(
        "Y = X W + b\nX \\in \\mathbb{R}^{N \\times F}\nW \\in \\mathbb{R}^{F \\times H}"
    )
    assert system.shapes["b"] == ("H",)  # not N x H: one bias per feature, as the layer's code
    assert system.shapes["Y"] == ("N", "H")
    assert system.kinds["b"] == "parameter"
    (why,) = said(system, "bias-of-a-product")
    assert "every row" in why and "W" in why
    module = system.to_torch({"N": 4, "F": 3, "H": 2}, dtype=torch.float64)
    x = torch.randn(4, 3, dtype=torch.float64)
    want = x @ module.W + module.b  # NumPy's and torch's broadcast of (H,) over the rows
    torch.testing.assert_close(module(X=x)["Y"], want, atol=ATOL, rtol=0)


def test_bias_after_a_dim_first_product_is_one_entry_per_row() -> None:
    system = papermath.compile(
        "Z = W X + b\nW \\in \\mathbb{R}^{H \\times F}\nX \\in \\mathbb{R}^{F \\times N}"
    )
    assert system.shapes["b"] == ("H",)
    assert said(system, "every column")
    module = system.to_torch({"N": 5, "F": 3, "H": 2}, dtype=torch.float64)
    x = torch.randn(3, 5, dtype=torch.float64)
    want = module.W @ x + module.b[:, None]  # added to every column (samples as columns)
    torch.testing.assert_close(module(X=x)["Z"], want, atol=ATOL, rtol=0)


def test_bias_after_a_sum_of_products_with_their_weights_on_the_right() -> None:
    system = papermath.compile(
        "Y = X W + Z U + b\nX \\in \\mathbb{R}^{N \\times F}\nZ \\in \\mathbb{R}^{N \\times G}\n"
        "W \\in \\mathbb{R}^{F \\times H}\n% inputs: X, Z"
    )
    assert system.shapes["b"] == ("H",) and system.shapes["U"] == ("G", "H")
    module = system.to_torch({"N": 4, "F": 3, "G": 2, "H": 5}, dtype=torch.float64)
    x = torch.randn(4, 3, dtype=torch.float64)
    z = torch.randn(4, 2, dtype=torch.float64)
    want = x @ module.W + z @ module.U + module.b
    torch.testing.assert_close(module(X=x, Z=z)["Y"], want, atol=ATOL, rtol=0)
    # weights on both sides (X W + U Z): which axis, the rule does not say
    system = papermath.compile(
        "Y = X W + U Z + b\nX \\in \\mathbb{R}^{N \\times F}\nW \\in \\mathbb{R}^{F \\times H}"
    )
    assert not said(system, "bias-of-a-product")


def test_bias_rule_keeps_out_of_what_it_cannot_tell() -> None:
    # square product: rows or columns, the shapes cannot show which: the sum reads as before
    system = papermath.compile(
        "Y = X W + b\nX \\in \\mathbb{R}^{N \\times F}\nW \\in \\mathbb{R}^{F \\times N}"
    )
    assert not said(system, "bias-of-a-product")
    # a declared b keeps its declaration
    system = papermath.compile(
        "Y = X W + b\nX \\in \\mathbb{R}^{N \\times F}\nW \\in \\mathbb{R}^{F \\times H}\n"
        "b \\in \\mathbb{R}^{N \\times H}"
    )
    assert system.shapes["b"] == ("N", "H") and not said(system, "bias-of-a-product")
    # another letter than the bias's is not a bias by its letter
    system = papermath.compile(
        "Y = X W + c\nX \\in \\mathbb{R}^{N \\times F}\nW \\in \\mathbb{R}^{F \\times H}"
    )
    assert system.shapes["c"] == ("N", "H")


# ---- Spektral's docs, their macros chosen by the case's origin ----------------------------------


def test_spektral_gcnconv_reads_with_the_sites_macros_and_computes_the_gcn() -> None:
    text = (WILD / "spektral_gcnconv.toml").read_text(encoding="utf-8")
    case = from_toml(text, "spektral_gcnconv.toml")
    assert "% macros: spektral (the case's origin" in case.latex
    system = papermath.compile(case.latex)
    n, f = system.shapes["X"]
    f_out = system.shapes["W"][1]
    # the shapes the docstring gives (its Input/Output sections): b one entry per feature
    assert system.shapes["W"] == (f, f_out) and system.shapes["b"] == (f_out,)
    assert system.shapes["X_prime"] == (n, f_out) and system.shapes["A"] == (n, n)
    assert system.kinds["A"] == "input" and system.kinds["b"] == "parameter"
    module = system.to_torch({n: 5, f: 3, f_out: 2}, dtype=torch.float64)
    g = torch.Generator().manual_seed(0)
    a = torch.triu((torch.rand(5, 5, generator=g) < 0.5).double(), 1)
    a = a + a.T
    x = torch.randn(5, 3, dtype=torch.float64, generator=g)
    a_hat = a + torch.eye(5, dtype=torch.float64)  # "A + I: the adjacency with self-loops"
    d = a_hat.sum(1)  # "its degree matrix"
    want = (d**-0.5)[:, None] * a_hat * (d**-0.5)[None, :] @ x @ module.W + module.b
    torch.testing.assert_close(module(X=x, A=a)["X_prime"], want, atol=ATOL, rtol=0)


def test_the_measure_reads_a_case_as_the_cli_reads_its_file() -> None:
    m = measure
    for name in ("spektral_gcnconv", "spektral_ginconv"):
        case = tomllib.loads((WILD / f"{name}.toml").read_text(encoding="utf-8"))
        assert "% macros: spektral" in m.case_latex(name, case)
        assert m.classify(name, case).outcome == "read_right"
    # a case from elsewhere is read as written
    case = {"latex": "y = W x", "origin": "https://github.com/pyg-team/pytorch_geometric"}
    assert m.case_latex("other", case) == "y = W x"


# ---- a vector beside a learnable function's value ---------------------------------------------


def test_vector_beside_a_learnable_functions_value_is_refused_at_the_product() -> None:
    err = refused("h = x \\mathrm{MLP}(e)\nx \\in \\mathbb{R}^{F}")
    assert caret(err) == "x \\mathrm{MLP}(e)"
    assert "learnable function MLP" in err.message and "does not guess" in err.message
    assert err.hint is not None and "x \\odot \\mathrm{MLP}(e)" in err.hint
    # the gate said with its sign reads, as wide as x
    system = papermath.compile("h = x \\odot \\mathrm{MLP}(e)\nx \\in \\mathbb{R}^{F}")
    assert system.shapes["h"] == ("F",)
    # a matrix times the function's vector reads as before
    system = papermath.compile("y = W \\mathrm{MLP}(x)")
    assert len(system.shapes["W"]) == 2


def test_spektral_eccconv_is_refused_at_the_edge_weight_not_read_as_a_gate() -> None:
    # s7 GRAPHA: the prose says MLP outputs a weight: a matrix (read/rules_weight_output.py),
    # never the gate; without those words the product is refused as before
    text = (WILD / "spektral_eccconv.toml").read_text(encoding="utf-8")
    latex = from_toml(text, "spektral_eccconv.toml").latex
    system = papermath.compile(latex)
    (f,) = system.shapes["x"]
    assert system.shapes["x_prime"] != (f,) or system.shapes["W_root"] == (f, f)
    cut = latex[: latex.index("where")] + latex[latex.index("attributes.") + len("attributes.") :]
    err = refused(cut)
    assert caret(err).startswith("\\mathbf{x}_{j} \\textrm{MLP}")


# ---- a condition inside a script -----------------------------------------------------------------


def test_condition_in_a_superscript_is_refused_on_the_relation_with_a_right_hint() -> None:
    err = refused("T^{(k \\ge 2)} = 2 L T^{(k - 1)} - T^{(k - 2)}")
    assert caret(err) == "\\ge"
    assert "condition on the index k" in err.message
    assert err.hint is not None and "^{(k)}" in err.hint and "with =" not in err.hint
    err = refused("y_{t \\neq 1} = x_t")
    assert caret(err) == "\\neq" and err.hint is not None and "_{t}" in err.hint
    # between values it is still an inequality
    err = refused("y = x \\ge 2")
    assert "an inequality is not an equation" in err.message


# ---- the step written before the node index ----------------------------------------------------


def test_step_zero_before_the_node_index_is_an_initial_condition() -> None:
    rec = "m_i^{(l)} = \\sum_{j \\in \\mathcal{N}(i)} h_j^{(l-1)} W\n"
    # a first value per node tied to an input reads (rules_initial_tie): h_init, h's width
    tied = papermath.compile("h^{(0)}_i = x_i\n" + rec + "h_i^{(l)} = \\tanh(m_i^{(l)})")
    assert any("h^{(0)}_i" in why for why in said(tied, "initial value"))
    assert tied.shapes["h_init"] == tied.shapes["h"] == tied.shapes["x"]
    assert tied.kinds["x"] == "input" and tied.kinds["h"] == "state"
    # zeros before the value: still an initial condition, refused at the step-first spelling
    err = refused("h^{(0)}_i = \\mathbf{0} \\| x_i\n" + rec + "h_i^{(l)} = \\tanh(m_i^{(l)})")
    assert caret(err) == "h^{(0)}_i"
    assert "zeros before or between" in err.message
    assert "initial condition" in err.message
    assert err.hint is not None and "initial state of h" in err.hint
    system = papermath.compile("h^{(0)}_i = 0\n" + rec + "h_i^{(l)} = \\tanh(m_i^{(l)})")
    assert said(system, "initial state")


# ---- a matrix divided by the norm of a matrix ---------------------------------------------------


def test_a_matrix_over_its_norm_is_refused_at_the_norm_unless_the_subscript_says_which() -> None:
    # s7 GRAPHA: the quotient has Z's shape under each norm: shapes read, code refused
    unsaid = papermath.compile("Y = \\frac{Z}{\\|Z\\|}\nZ \\in \\mathbb{R}^{n \\times m}")
    assert unsaid.shapes["Y"] == ("n", "m")
    with pytest.raises(papermath.PapermathError) as info:
        unsaid.to_numpy({"n": 3, "m": 4})
    err = info.value
    assert caret(err) == "\\|Z\\|"
    assert any("which norm" in r.reason for r in unsaid.readings)
    assert err.hint is not None and "\\|Z\\|_F" in err.hint and "each row" in err.hint
    # the Frobenius norm, said by its subscript, reads and computes torch's
    system = papermath.compile(
        "Y = \\frac{Z}{\\|Z\\|_F}\nZ \\in \\mathbb{R}^{n \\times m}\n% inputs: Z"
    )
    assert system.shapes["Y"] == ("n", "m")
    module = system.to_torch({"n": 3, "m": 4}, dtype=torch.float64)
    z = torch.randn(3, 4, dtype=torch.float64)
    want = z / torch.linalg.matrix_norm(z, ord="fro")
    torch.testing.assert_close(module(Z=z)["Y"], want, atol=ATOL, rtol=0)


def test_norms_that_are_not_a_matrix_normaliser_read_as_before() -> None:
    # a vector over its length
    system = papermath.compile("y = \\frac{x}{\\|x\\|}\nx \\in \\mathbb{R}^{n}")
    assert system.shapes["y"] == ("n",)
    # a penalty on a weight matrix (weight decay: the Frobenius norm by convention)
    system = papermath.compile(
        "L = \\|y - W x\\|^2 + \\lambda \\|W\\|^2\nx \\in \\mathbb{R}^{d}, y \\in \\mathbb{R}^{q}"
    )
    assert system.shapes["W"] == ("q", "d")
    # one row (samples as columns): the three norms agree
    system = papermath.compile("Y = \\frac{Z}{\\|Z\\|}\nZ \\in \\mathbb{R}^{1 \\times N}")
    assert system.shapes["Y"] == ("1", "N")


def test_spektral_graphsage_is_refused_at_its_aggregator_of_the_whole_matrix() -> None:
    """X' defined again from itself reads as an update (parse/in_place.py, issue 24 GB); the
    AGGREGATE of the whole X (no set of neighbours) reads for shapes (s7 GRAPHA,
    read/rules_whole_aggregate.py), its code refused at the call."""
    text = (WILD / "spektral_graphsageconv.toml").read_text(encoding="utf-8")
    system = papermath.compile(from_toml(text, "spektral_graphsageconv.toml").latex)
    (_, f) = system.shapes["X"]
    assert system.shapes["W"][0] == f"2*{f}"
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy()
    assert caret(info.value) == "\\textrm{AGGREGATE}(\\mathbf{X})"


# ---- a word applied to a node's index ---------------------------------------------------------


def test_degree_written_as_a_function_of_the_node_is_refused_with_what_reads() -> None:
    body = "z_i = \\sum_{j \\in \\mathcal{N}(i)} \\frac{1}{%s} W h_j\nh_j \\in \\mathbb{R}^{d}"
    # the degree, as a word or as the number of i's neighbours: a count (a scalar per node);
    # \text{deg}(i) reads since s5 GA (read/rules_degree_word.py, tested in test_s5_ga.py)
    for degree in ("\\text{deg}(i)", "|\\mathcal{N}(i)|"):
        system = papermath.compile(body % degree)
        assert system.shapes["W"][1] == "d" and system.shapes["z"] == system.shapes["W"][:1]
    # another word: a value per node, named with a subscript
    err = refused(body % "\\mathrm{norm}(i)")
    assert err.hint is not None and "n_i \\in \\mathbb{R}" in err.hint
    # a one-letter function of the index keeps the reader's general refusal
    err = refused(body % "c(i)")
    assert "cannot also be a value" in err.message


# ---- an attention matrix written by its entries over the edges ---------------------------------


GAT_PER_NODE = (
    "x_i' = \\sum_{j \\in \\mathcal{N}(i) \\cup \\{i\\}} \\alpha_{ij} W x_j\n"
    "\\alpha_{ij} = \\frac{\\exp(\\mathrm{LeakyReLU}(a^{\\top} [W x_i \\| W x_j]))}"
    "{\\sum_{k \\in \\mathcal{N}(i) \\cup \\{i\\}} \\exp(\\mathrm{LeakyReLU}(a^{\\top} "
    "[W x_i \\| W x_k]))}\nx_i \\in \\mathbb{R}^{F}"
)


def test_spektral_gat_matrix_form_is_refused_with_the_per_node_form_that_reads() -> None:
    text = (WILD / "spektral_gatconv.toml").read_text(encoding="utf-8")
    err = refused(from_toml(text, "spektral_gatconv.toml").latex)
    assert caret(err) == "ij" and "entries with two indices" in err.message
    assert err.hint is not None
    assert "x_i' = \\sum_{j \\in \\mathcal{N}(i) \\cup \\{i\\}} \\alpha_{ij} W x_j" in err.hint
    # the form the hint names reads: alpha one number per edge, a of twice W's output width
    system = papermath.compile(GAT_PER_NODE)
    out = system.shapes["W"][0]
    assert system.shapes["alpha"] == () and system.shapes["W"] == (out, "F")
    assert system.shapes["a"] == (f"2*{out}",) and system.kinds["a"] == "parameter"
    # entries of a matrix with no graph in sight keep the general hint
    err = refused("y_i = \\sum_j U_{ij} x_j")
    assert err.hint is not None and "matrix product U x" in err.hint


def test_bias_of_a_product_made_square_by_another_equation_is_refused() -> None:
    # Z = Y X forces Y (N x H) to be N x N: a bias per row and a bias per column have one
    # size, so the generated code could not tell them apart: refused, not guessed
    err = refused("Y = X W + b\nZ = Y X\nX \\in \\mathbb{R}^{N \\times F}")
    assert caret(err) == "X W + b" and "square" in err.message


# ---- words of linear algebra -------------------------------------------------------------------


def test_diag_written_as_a_word_is_no_learnable_function() -> None:
    for word in ("\\text{diag}", "\\mathrm{diag}", "\\mathrm{tr}"):
        err = refused(f"D = {word}(d)\nd \\in \\mathbb{{R}}^{{n}}")
        assert caret(err) == word and "not a learnable function" in err.message
    # what the hint says reads: the diagonal matrix times a vector, elementwise
    system = papermath.compile("y = d \\odot x\nx \\in \\mathbb{R}^{n}")
    assert system.shapes["d"] == ("n",)
    # an unknown word stays a learnable function
    system = papermath.compile("y = \\mathrm{MLP}(x)\nx \\in \\mathbb{R}^{n}")
    assert system.kinds["MLP"] == "function"


# ---- an arrow before an equation ---------------------------------------------------------------


def test_an_arrow_before_an_equation_is_refused_with_the_equation_to_keep() -> None:
    err = refused("\\{x_i\\}_{i=1}^{t} \\to H = f(U X)")  # the squiggly arrow reads (GRAPH4)
    assert caret(err) == "\\to"
    assert err.hint is not None and "keep the equation: H = ..." in err.hint
    # the equation the hint keeps reads
    system = papermath.compile("H = \\tanh(U X)\nX \\in \\mathbb{R}^{n \\times t}")
    assert system.shapes["H"][1] == "t"
    # an arrow between values keeps its own refusal
    err = refused("y = x \\to z")
    assert "an arrow is not an equation" in err.message
