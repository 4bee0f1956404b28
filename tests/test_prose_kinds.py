r"""Kinds and functions the source's own words decide (read/rules_prose_kinds.py, issue 24's
MISREAD audit): a symbol the prose calls learnable is a parameter, the arguments of an
optimizer are constants, the matrix in the sentence that names the Laplacian is graph data,
"$\sigma$ is ... (ReLU in our implementation)" is ReLU, ":math:`f` is an element-wise
non-linearity" is no learnable map, ``\varepsilon`` is a constant as ``\epsilon`` is, and
GraphSAGE's ``W^k`` in an algorithm's update rules stays a learned matrix per layer.

The oracle of each kind is the sentence of the source quoted in the test; the oracle of the
ReLU is NumPy's own ``np.maximum(0, .)`` (and torch.relu) on the generated module's values,
and of its gradient torch autograd.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.read import terms as t

ROOT = Path(__file__).resolve().parent.parent
WILD = ROOT / "tests" / "wild" / "cases"
PAPERS = ROOT.parent / "shared" / "corpus_papers"


def case(path: Path) -> papermath.System:
    from papermath.parse.sitemacros import for_case

    data = tomllib.loads(path.read_text())
    return papermath.compile(for_case(data["latex"], data, path.stem))


def functions(system: papermath.System) -> set[str]:
    return {x.fn for eq in system.equations for x in t.walk(eq.rhs) if isinstance(x, t.Apply)}


def test_a_matrix_the_prose_calls_learnable_is_a_parameter() -> None:
    # "- $M_{ij}$ is a learnable transformation matrix for edge features"
    system = case(WILD / "notes_gcn_power_grid_edge_enhanced.toml")
    assert system.kinds["M"] == "parameter"
    assert system.kinds["e"] == "input"  # e_{ij}: the edge features, data
    said = [r for r in system.readings if r.reading == "parameter by role"]
    assert any("learnable" in r.reason for r in said)


def test_without_the_word_an_edge_indexed_matrix_stays_data() -> None:
    src = (
        "$$y_i = W x_i + \\sum_{j \\in \\mathcal{N}(i)} M_{ij} e_{ij}$$\n"
        "where $x_i \\in \\mathbb{R}^{n}$, $e_{ij} \\in \\mathbb{R}^{k}$\n"
    )
    assert papermath.compile(src).kinds["M"] == "input"
    said = src.replace("where", "where $M_{ij}$ is not a learnable matrix,")
    assert papermath.compile(said).kinds["M"] == "input"  # "is not learnable": no change


def test_only_the_subject_of_is_learned_is_read() -> None:
    """equinox's RMSNorm: "$\\Vert x \\Vert ...$, $n = \\dim(x)$, and $\\gamma$ is a learned
    array": gamma, never x (a list before "is" names one subject, the last)."""
    system = case(WILD / "equinox_rmsnorm.toml")
    assert system.kinds["x"] == "input"
    assert system.kinds["gamma"] == "parameter"


def test_the_arguments_of_an_optimizer_are_constants() -> None:
    # optax: ":math:`\beta_1, \beta_2`, :math:`\varepsilon`, :math:`\bar{\varepsilon}`
    # represent the arguments ``b1``, ``b2``, ``eps`` and ``eps_root``"
    for name in ("optax_adam", "optax_adabelief"):
        system = case(WILD / f"{name}.toml")
        for key in ("beta_1", "beta_2", "varepsilon", "varepsilon_bar"):
            assert system.kinds[key] == "constant", (name, key)
        assert system.kinds["g"] == "input"


def test_the_laplacian_named_in_the_prose_is_graph_data() -> None:
    # "and :math:`\mathbf{\hat{L}}` denotes the scaled and normalized Laplacian
    # :math:`\frac{2\mathbf{L}}{\lambda_{\max}} - \mathbf{I}`"
    system = case(WILD / "pyg_chebconv.toml")
    assert system.kinds["L"] == "input"
    assert system.kinds["Theta"] == "parameter"
    assert system.kinds["lambda_max"] == "constant"
    assert system.kinds["L_hat"] == "intermediate"


def test_graphsage_weights_stay_learned_in_update_rules() -> None:
    """Algorithm 1's ``\\mathbf{W}^{k} \\cdot \\mathrm{CONCAT}(...)`` under left arrows: one
    learned matrix per depth k (the paper: "weight matrices W^k"), not given per step."""
    system = case(PAPERS / "p11_graphsage_hamilton2017.toml")
    assert system.kinds["W"] == "parameter"
    assert "W" in system.per_step_params
    # an optimizer's theta_t, given at each step, stays an input (the rule it narrows)
    adamw = case(WILD / "optax_adamw.toml")
    assert adamw.kinds["theta"] == "input"


@pytest.mark.parametrize("spelling", ["\\epsilon", "\\varepsilon", "\\bar{\\varepsilon}"])
def test_epsilon_is_a_constant_either_way(spelling: str) -> None:
    src = (
        f"y = \\frac{{x - \\mu}}{{\\sqrt{{s + {spelling}}}}}, x \\in \\mathbb{{R}}^n, "
        "\\mu \\in \\mathbb{R}^n, s \\in \\mathbb{R}^n"
    )
    system = papermath.compile(src)
    key = next(k for k in system.kinds if "epsilon" in k)
    assert system.kinds[key] == "constant"


def test_gin_epsilon_per_step_stays_learned() -> None:
    src = (
        "h_v^{(k)} = W^{(k)} ((1 + \\varepsilon^{(k)}) h_v^{(k-1)} + "
        "\\sum_{u \\in \\mathcal{N}(v)} h_u^{(k-1)}), h_v^{(k)} \\in \\mathbb{R}^{d}"
    )
    assert papermath.compile(src).kinds["varepsilon"] == "parameter"


POWER_GRID = WILD / "notes_gcn_power_grid_matrix.toml"


def test_the_activation_the_prose_names_is_read() -> None:
    # "$\sigma$ is a non-linear activation function (ReLU in our implementation)"
    system = case(POWER_GRID)
    assert functions(system) >= {"relu"} and "sigmoid" not in functions(system)


def test_an_example_of_an_activation_chooses_nothing() -> None:
    src = (
        "$$h = \\sigma(W x)$$\nwhere $\\sigma$ is an activation function such as ReLU, "
        "$x \\in \\mathbb{R}^{n}$\n"
    )
    assert functions(papermath.compile(src)) == {"sigmoid"}  # the default stands


def test_a_directive_names_sigmas_function() -> None:
    src = "h = \\sigma(W x), x \\in \\mathbb{R}^n\n% \\sigma: relu\n"
    assert functions(papermath.compile(src)) == {"relu"}


def test_the_relu_the_prose_names_computes_relu() -> None:
    """The generated module of ``h = \\sigma(W x)`` with the sentence: np.maximum(0, W x),
    and its gradient torch autograd's of torch.relu."""
    torch = pytest.importorskip("torch")
    src = (
        "$$h = \\sigma(W x)$$\nwhere $\\sigma$ is a non-linear activation function (ReLU in "
        "our implementation), $x \\in \\mathbb{R}^{n}$, $h \\in \\mathbb{R}^{m}$\n"
    )
    gen = papermath.compile(src).to_numpy({"n": 4, "m": 3})
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    x = rng.normal(size=(5, 4))
    out, cache = gen.forward(params, {"x": x})
    np.testing.assert_allclose(out["h"], np.maximum(0.0, x @ params["W"].T), rtol=1e-12)
    g = rng.normal(size=(5, 3))
    grads = gen.backward(params, cache, {"h": g})
    w = torch.tensor(params["W"], requires_grad=True)
    (torch.relu(torch.tensor(x) @ w.T) * torch.tensor(g)).sum().backward()
    assert w.grad is not None
    np.testing.assert_allclose(grads["W"], w.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_a_letter_called_an_element_wise_non_linearity_is_no_learnable_map() -> None:
    # allennlp: ":math:`f` is an element-wise non-linearity"
    system = case(WILD / "allennlp_highway.toml")
    assert "f" not in system.kinds or system.kinds["f"] != "function"
    assert "activation" in functions(system)
    with pytest.raises(papermath.PapermathError, match="which"):
        system.to_numpy({"d1": 3})  # code asks which function


def test_the_dropout_probability_is_given() -> None:
    # d2l: "\begin{cases} 0 & \textrm{ with probability } p \\ ..."
    system = case(PAPERS / "p28_dropout_inverted_d2l.toml")
    assert system.kinds["p"] == "constant"


def test_a_bias_beside_a_weight_argument_is_learned() -> None:
    # CS231n: f(x_i, W, b) = W x_i + b: W and b the parameters, x_i the data
    system = case(PAPERS / "p25_softmax_xent_cs231n.toml")
    assert system.kinds["b"] == "parameter" and system.kinds["W"] == "parameter"
    assert system.kinds["x"] == "input"
    # a bare b among arguments with no weight stays data: d(a, b) a distance
    dist = papermath.compile("d(a, b) = \\|a - b\\|^2, a \\in \\mathbb{R}^n")
    assert dist.kinds["b"] == "input"


def test_y_beside_its_prediction_in_a_loss_is_the_target() -> None:
    # -\sum_c y_c \log \hat{y}_c: y is what \hat{y} predicts, not a learned vector
    system = case(PAPERS / "softmax_xent.toml")
    assert system.kinds["y"] == "target"
    assert system.kinds["W"] == "parameter" and system.kinds["b"] == "parameter"


@pytest.mark.parametrize(
    ("words", "fn"),
    [
        ("where $\\sigma$ is the ReLU function", "relu"),
        ("where $\\sigma$ denotes the hyperbolic tangent", "tanh"),
        ("where $\\sigma$ is the ReLU or tanh function", "sigmoid"),  # two: the default
    ],
)
def test_the_function_the_prose_says_sigma_is(words: str, fn: str) -> None:
    src = f"$$h = \\sigma(W x)$$\n{words}, $x \\in \\mathbb{{R}}^{{n}}$\n"
    assert functions(papermath.compile(src)) == {fn}
