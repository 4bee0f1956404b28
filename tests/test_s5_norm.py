r"""Normalisation layers whose mean the source writes without its axis (issue 24, cluster NORM).

- ``mean-over-unsaid-axis`` (read/rules_norm_axis.py): MLX documents LayerNorm, BatchNorm,
  InstanceNorm, GroupNorm and RMSNorm with one formula, ``y = \frac{x - E[x]}{\sqrt{Var[x] +
  \epsilon}} \gamma + \beta``, x declared nowhere. Read for shapes (the statistic broadcast back
  over x has x's shape under every axis); ``code``/``check`` refused at the statistic, with a
  hint whose answers read and compute what torch's layers compute (oracles: torch's
  layer_norm, RMSNorm, BatchNorm1d in training mode).
- ``input-axes-in-prose``: the input's shape given as the letters of its axes (``NC``, MLX's
  BatchNorm): read as x's declaration (parse/input_axes.py, session 7); which axis the
  statistics run over is not said, so code is refused at the statistic.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import papermath
from papermath.errors import PapermathError, ReadingError

MLX_LAYER_NORM = (
    "y = \\frac{x - E[x]}{\\sqrt{Var[x] + \\epsilon}} \\gamma + \\beta,\n\n"
    "where :math:`\\gamma` and :math:`\\beta` are learned per feature dimension\n"
    "parameters initialized at 1 and 0 respectively.\n"
)
MLX_RMS_NORM = (
    "y = \\frac{x}{\\sqrt{E[x^2] + \\epsilon}} \\gamma\n\n"
    "where :math:`\\gamma` is a learned per feature dimension parameter initialized at\n1.\n"
)
DECLARED = "\n% x \\in \\mathbb{R}^{C}\n"


def caret(source: str, err: PapermathError) -> str:
    assert err.span is not None
    return source[err.span.start : err.span.end]


def test_unsaid_axis_reads_every_shape_and_says_the_axis_is_not_said() -> None:
    system = papermath.compile(MLX_LAYER_NORM)
    # the statistic broadcast back over x: every symbol's shape is the one of any of the norms
    c = system.shapes["gamma"]
    assert len(c) == 1
    assert system.shapes["x"] == system.shapes["y"] == system.shapes["beta"] == c
    assert system.shapes["epsilon"] == ()
    assert system.kinds["x"] == "input" and system.kinds["epsilon"] == "constant"
    assert system.kinds["gamma"] == system.kinds["beta"] == "parameter"
    said = [r for r in system.readings if "axis the source does not say" in r.reading]
    assert [r.subject for r in said] == ["E[x]", "Var[x]"]
    assert all("layer norm" in r.reason and "batch norm" in r.reason for r in said)


def test_rms_mean_of_squares_over_an_unsaid_axis_reads() -> None:
    system = papermath.compile(MLX_RMS_NORM)
    assert system.shapes["x"] == system.shapes["gamma"] == system.shapes["y"]
    assert len(system.shapes["x"]) == 1
    assert any("powers over an axis" in r.reading for r in system.readings)


@pytest.mark.parametrize("source", [MLX_LAYER_NORM, MLX_RMS_NORM])
def test_code_is_refused_at_the_statistic_with_the_declaration_that_answers_it(
    source: str,
) -> None:
    system = papermath.compile(source)
    with pytest.raises(ReadingError) as info:
        system.to_numpy({"C": 4})
    assert caret(source, info.value).startswith("E[x")
    assert "code needs to know which" in info.value.message
    assert "% x \\in \\mathbb{R}^{C}" in (info.value.hint or "")
    with pytest.raises(ReadingError):
        system.to_torch({"C": 4})


def test_the_hint_answers_it_layer_norm_equals_torch() -> None:
    """The hint's declaration, added as a comment: the mean and biased variance over x's C
    features, against torch's layer_norm with weight and bias."""
    system = papermath.compile(MLX_LAYER_NORM + DECLARED)
    assert any(r.reading == "mean over the features" for r in system.readings)
    rng = np.random.default_rng(7)
    x, gamma, beta = rng.normal(scale=2.0, size=(5, 6)), rng.normal(size=6), rng.normal(size=6)
    out, _ = system.to_numpy({"C": 6}).forward(
        {"gamma": gamma, "beta": beta}, {"x": x, "epsilon": 1e-5}
    )
    t = [torch.tensor(v, dtype=torch.float64) for v in (x, gamma, beta)]
    want = F.layer_norm(t[0], (6,), weight=t[1], bias=t[2], eps=1e-5).numpy()
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)


def test_the_hint_answers_it_rms_norm_equals_torch() -> None:
    system = papermath.compile(MLX_RMS_NORM + DECLARED)
    rng = np.random.default_rng(8)
    x, gamma = rng.normal(scale=2.0, size=(4, 5)), rng.normal(size=5)
    out, _ = system.to_numpy({"C": 5}).forward({"gamma": gamma}, {"x": x, "epsilon": 1e-6})
    ref = torch.nn.RMSNorm(5, eps=1e-6, dtype=torch.float64)
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(gamma))
        want = ref(torch.tensor(x)).numpy()
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)


def test_the_hint_answers_it_batch_norm_equals_torch_in_training_mode() -> None:
    """The hint's batch norm: E[x^{(k)}], Var[x^{(k)}], feature k over the batch, against
    torch.nn.BatchNorm1d in training mode (biased variance)."""
    source = (
        "y = \\frac{x^{(k)} - E[x^{(k)}]}{\\sqrt{Var[x^{(k)}] + \\epsilon}} \\gamma + \\beta\n"
        "x \\in \\mathbb{R}^{C}, \\gamma \\in \\mathbb{R}^{C}, \\beta \\in \\mathbb{R}^{C}\n"
    )
    system = papermath.compile(source)
    module = system.to_torch({"C": 4}, dtype=torch.float64)
    ref = torch.nn.BatchNorm1d(4, eps=1e-5, dtype=torch.float64).train()
    with torch.no_grad():
        ref.weight.uniform_(-1, 1)
        ref.bias.uniform_(-1, 1)
        module.gamma.copy_(ref.weight)
        module.beta.copy_(ref.bias)
    x = torch.randn(7, 4, dtype=torch.float64) * 3 + 1
    got = module(x=x, epsilon=torch.tensor(1e-5, dtype=torch.float64))["y"]
    torch.testing.assert_close(got, ref(x), atol=1e-10, rtol=0)


def test_input_axes_in_prose_read_the_batch_and_code_asks_the_axis() -> None:
    """``NC`` (N the batch, C the features; parse/input_axes.py, session 7): x is read N x C
    and every shape follows; which axis the statistics run over is still not said, so code is
    refused at the statistic, the hint writing the axis under the E."""
    source = MLX_LAYER_NORM + (
        "\nThe input shape is specified as ``NC`` or ``NLC``, where ``N`` is the\n"
        "batch, ``C`` is the number of features or channels.\n"
    )
    system = papermath.compile(source)
    assert system.shapes["x"] == ("N", "C") and system.shapes["y"] == ("N", "C")
    assert system.shapes["gamma"] == ("C",)
    with pytest.raises(ReadingError) as info:
        system.to_numpy({"N": 3, "C": 2})
    assert caret(source, info.value) == "E[x]"
    assert "\\underset{C}{\\mathbb{E}}[x]" in (info.value.hint or "")


def test_a_declared_matrix_and_a_bare_expectation_stay_refused() -> None:
    matrix = "y = \\frac{x - E[x]}{\\sqrt{Var[x] + \\epsilon}}\nx \\in \\mathbb{R}^{N \\times C}\n"
    with pytest.raises(PapermathError) as info:
        papermath.compile(matrix)
    assert "over which axis" in info.value.message and caret(matrix, info.value) == "E[x]"
    with pytest.raises(PapermathError) as info:
        papermath.compile("y = \\mathrm{E}[x]")
    assert "expectation" in info.value.message or "distribution" in info.value.message


def test_explain_names_the_statistic_with_the_shape_of_x() -> None:
    from papermath.explain import explain

    system = papermath.compile(MLX_LAYER_NORM)
    ex = explain(system)
    described = [f for f in ex.functions if "axis the source does not say" in f.description]
    assert described, ex.functions


def test_x_minus_its_mean_reads_and_its_code_asks_the_axis() -> None:
    """``y = x - \\mathrm{E}[x]``, x declared nowhere: centred over an axis the source does not
    say; y has x's shape, and code is refused at the mean."""
    source = "y = x - \\mathrm{E}[x]"
    system = papermath.compile(source)
    assert system.shapes["y"] == system.shapes["x"]
    with pytest.raises(ReadingError) as info:
        system.to_numpy({n: 3 for shape in system.shapes.values() for n in shape})
    assert caret(source, info.value) == "\\mathrm{E}[x]"


# ---- computed-display, same-shape-in-words (Equinox's LayerNorm) ----------------------------

EQUINOX_LAYER_NORM = (
    "Given an input array $x$, this layer computes\n\n"
    "$$\\frac{x - \\mathbb{E}[x]}{\\sqrt{\\text{Var}[x] + \\varepsilon}} * \\gamma + \\beta$$\n\n"
    "where $\\gamma$, $\\beta$ have the same shape as $x$ if `elementwise_affine=True`,\n"
    "and $\\gamma = 1$, $\\beta = 0$ if `elementwise_affine=False`.\n"
)


def test_a_display_the_layer_computes_is_its_output_and_the_prose_ties_the_shapes() -> None:
    system = papermath.compile(EQUINOX_LAYER_NORM)
    assert "y" in system.shapes and system.kinds["y"] == "output"
    x = system.shapes["x"]
    assert len(x) == 1 and system.shapes["gamma"] == system.shapes["beta"] == x
    assert system.kinds["gamma"] == system.kinds["beta"] == "parameter"
    assert system.kinds["x"] == "input"
    named = [r for r in system.readings if r.reading == "the output of the layer, named"]
    assert len(named) == 1 and "names it y" in named[0].reason
    tied = {r.subject for r in system.readings if r.reading == "shape said in words"}
    assert tied == {"\\gamma", "\\beta"}


def test_the_equinox_layer_norm_declared_equals_torch() -> None:
    """The hint's declaration answers the axis: torch's layer_norm with weight and bias."""
    system = papermath.compile(EQUINOX_LAYER_NORM + "% x \\in \\mathbb{R}^{C}\n")
    rng = np.random.default_rng(11)
    x, gamma, beta = rng.normal(size=(3, 5)) * 2 + 1, rng.normal(size=5), rng.normal(size=5)
    eps = {"varepsilon": np.array(1e-5)}  # a parameter or a constant: given either way
    learned = system.kinds["varepsilon"] == "parameter"
    params = {"gamma": gamma, "beta": beta} | (eps if learned else {})
    out, _ = system.to_numpy({"C": 5}).forward(params, {"x": x} | ({} if learned else eps))
    t = [torch.tensor(v, dtype=torch.float64) for v in (x, gamma, beta)]
    want = F.layer_norm(t[0], (5,), weight=t[1], bias=t[2], eps=1e-5).numpy()
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)


def test_a_display_without_the_words_stays_refused_and_the_name_avoids_the_sources() -> None:
    source = "Then\n\n$$W x + b$$\n"
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    assert "formula ends before an `=`" in info.value.message
    system = papermath.compile("this layer computes\n\n$$W x + y$$\n")
    assert system.kinds["z"] == "output" and system.kinds["y"] == "parameter"
    assert system.shapes["z"] == system.shapes["y"]


def test_same_shape_said_of_one_symbol_is_a_tie_not_a_size() -> None:
    """ "$\\gamma$ has the same shape as $x$": x is no size (never gamma in R^x)."""
    source = (
        "Given an input $x$, this layer computes\n\n$$x * \\gamma$$\n\n"
        "where $\\gamma$ has the same shape as $x$.\n"
    )
    system = papermath.compile(source)
    assert system.shapes["gamma"] == system.shapes["x"] != ("x",)
    assert len(system.shapes["x"]) == 1
    declared = papermath.compile(source + "% x \\in \\mathbb{R}^{n \\times m}\n")
    assert declared.shapes["gamma"] == ("n", "m")


def test_a_shape_given_as_a_code_tuple_is_refused_at_the_tuple() -> None:
    source = "$$y = x_i * \\gamma_i$$\n\nwhere $\\gamma_i$ has shape `(channels/groups,)`.\n"
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    assert caret(source, info.value) == "(channels/groups,)"
    assert "\\gamma_i \\in \\mathbb{R}^{c}" in (info.value.hint or "")


def test_n_equals_dim_x_declares_the_size_of_x() -> None:
    system = papermath.compile("$$y = W x$$\n\nwhere $n = \\dim(x)$\n")
    assert system.shapes["x"] == ("n",) and system.shapes["W"][1] == "n"
    assert "n" not in system.kinds


# ---- norm-named: the layer's name says the axis ----------------------------------------------


def test_the_layer_named_layer_normalization_reads_over_the_features_as_torch() -> None:
    source = "Applies layer normalization:\n\n" + MLX_LAYER_NORM
    system = papermath.compile(source)
    said = [r for r in system.readings if r.reading == "mean over the features"]
    assert said and "names the layer" in said[0].reason
    c = system.shapes["gamma"][0]
    rng = np.random.default_rng(12)
    x, gamma, beta = rng.normal(size=(4, 6)) * 3 - 1, rng.normal(size=6), rng.normal(size=6)
    out, _ = system.to_numpy({c: 6}).forward(
        {"gamma": gamma, "beta": beta}, {"x": x, "epsilon": 1e-5}
    )
    t = [torch.tensor(v, dtype=torch.float64) for v in (x, gamma, beta)]
    want = F.layer_norm(t[0], (6,), weight=t[1], bias=t[2], eps=1e-5).numpy()
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)


def test_the_layer_named_rmsnorm_reads_the_mean_of_squares_over_the_features_as_torch() -> None:
    system = papermath.compile("RMSNorm:\n\n" + MLX_RMS_NORM)
    c = system.shapes["gamma"][0]
    rng = np.random.default_rng(13)
    x, gamma = rng.normal(size=(3, 5)) * 2, rng.normal(size=5)
    out, _ = system.to_numpy({c: 5}).forward({"gamma": gamma}, {"x": x, "epsilon": 1e-6})
    ref = torch.nn.RMSNorm(5, eps=1e-6, dtype=torch.float64)
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(gamma))
        want = ref(torch.tensor(x)).numpy()
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)


@pytest.mark.parametrize(
    "words", ["Unlike layer norm, batch norm:", "Unlike layer norm, group norm:", "InstanceNorm:"]
)
def test_another_norm_named_leaves_the_axis_unsaid(words: str) -> None:
    source = words + "\n\n" + MLX_LAYER_NORM
    system = papermath.compile(source)
    assert any("axis the source does not say" in r.reading for r in system.readings)
    with pytest.raises(ReadingError) as info:
        system.to_numpy({n: 3 for shape in system.shapes.values() for n in shape})
    assert caret(source, info.value) == "E[x]"


def test_the_layer_named_batch_normalization_reads_over_the_batch_as_torch() -> None:
    """Named batch norm: E[x], Var[x] per feature over the mini-batch (biased), against
    torch.nn.BatchNorm1d in training mode; x keeps its features (a vector), not a scalar."""
    system = papermath.compile("Applies batch normalization:\n\n" + MLX_LAYER_NORM)
    assert system.shapes["x"] == system.shapes["gamma"] and len(system.shapes["x"]) == 1
    said = [r for r in system.readings if r.reading == "mean over the batch"]
    assert said and "names the layer" in said[0].reason
    c = system.shapes["gamma"][0]
    module = system.to_torch({c: 4}, dtype=torch.float64)
    ref = torch.nn.BatchNorm1d(4, eps=1e-5, dtype=torch.float64).train()
    with torch.no_grad():
        ref.weight.uniform_(-1, 1)
        ref.bias.uniform_(-1, 1)
        module.gamma.copy_(ref.weight)
        module.beta.copy_(ref.bias)
    x = torch.randn(6, 4, dtype=torch.float64) * 2 + 3
    got = module(x=x, epsilon=torch.tensor(1e-5, dtype=torch.float64))["y"]
    torch.testing.assert_close(got, ref(x), atol=1e-10, rtol=0)


def test_a_squared_norm_with_its_scripts_the_other_way_round_is_the_squared_l2_norm() -> None:
    """Equinox's \\Vert x \\Vert^2_2 (the power before the L2 label): the same value as
    \\|x\\|_2^2, against NumPy's norm."""
    system = papermath.compile(
        "y = \\frac{x}{\\sqrt{\\frac{1}{n} \\Vert x \\Vert^2_2}}\nx \\in \\mathbb{R}^n\n"
    )
    x = np.random.default_rng(14).normal(size=(3, 5))
    out, _ = system.to_numpy({"n": 5}).forward({}, {"x": x})
    want = x / np.sqrt((np.linalg.norm(x, axis=1, keepdims=True) ** 2) / 5)
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)


# ---- dim-size, norm-spelled-out (Equinox's RMSNorm) ------------------------------------------

EQUINOX_RMS_NORM = (
    "Given an input array $x$, this layer computes\n\n"
    "$$\\frac{x}{\\sqrt{\\varepsilon + \\frac{1}{n}\\Vert x \\Vert^2_2}} \\gamma + \\beta$$\n\n"
    "where $\\Vert x \\Vert^2_2 = \\sum_{i=1}^n x_i^2$, $n = \\dim(x)$, and $\\gamma$ is a\n"
    "learned array with the same shape as $x$ if `use_weight=True`, or\n"
    "$\\gamma = 1$ if `use_weight=False`, as proposed in\n"
)


def test_the_size_and_the_norm_said_in_the_where_clause_read_as_torch_rms_norm() -> None:
    system = papermath.compile(EQUINOX_RMS_NORM)
    assert system.shapes["x"] == system.shapes["gamma"] == ("n",)
    assert system.kinds["x"] == "input" and system.kinds["gamma"] == "parameter"
    said = " ".join(r.reason for r in system.readings if r.reading == "declaration")
    assert "x has n entries" in said and "what the notation means" in said
    rng = np.random.default_rng(15)
    x, gamma = rng.normal(size=(4, 6)) * 2, rng.normal(size=6)
    eps = {"varepsilon": np.array(1e-6)}
    learned = system.kinds["varepsilon"] == "parameter"
    params = {"gamma": gamma, "beta": np.array(0.0)} | (eps if learned else {})
    out, _ = system.to_numpy({"n": 6}).forward(params, {"x": x} | ({} if learned else eps))
    ref = torch.nn.RMSNorm(6, eps=1e-6, dtype=torch.float64)
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(gamma))
        want = ref(torch.tensor(x)).numpy()
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)


@pytest.mark.parametrize(
    ("source", "under"),
    [
        ("y = \\dim(x) W x\nx \\in \\mathbb{R}^{n}", "\\dim"),  # a value: refused
        ("y = x / \\|x\\|\n\nwhere $\\|x\\| = \\max_i x_i$", "\\|x\\|"),  # not the L2 norm
    ],
)
def test_dim_as_a_value_and_another_norm_spelled_out_stay_refused(source: str, under: str) -> None:
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    assert caret(source, info.value).startswith(under), info.value.render()


# ---- prose-statistics-named (Sonnet's BatchNorm) ----------------------------------------------

SONNET = (
    "It transforms the input ``x`` into:\n\n.. math::\n\n"
    "    y = s \\dfrac{x - \\mu}{\\sigma + \\epsilon} + o\n\n"
    "Where :math:`\\mu` and :math:`\\sigma` are respectively the mean and standard\n"
    "deviation of ``x``.{named}\n"
)


def test_statistics_said_in_words_of_a_named_batch_norm_equal_a_hand_written_batch_norm() -> None:
    """mu, sigma the batch's mean and (biased) standard deviation per feature; sigma + eps as
    Sonnet writes it (not sqrt(var + eps)): against NumPy by hand."""
    system = papermath.compile(SONNET.replace("{named}", " It is a batch norm."))
    assert "mu" not in system.shapes and "sigma" not in system.shapes
    assert system.shapes["x"] == system.shapes["s"] == system.shapes["y"]
    said = [r for r in system.readings if r.reading == "statistic said in words"]
    assert len(said) == 2
    size = system.shapes["x"][0]
    rng = np.random.default_rng(16)
    x, s, o = rng.normal(size=(7, 3)) * 2 + 1, rng.normal(size=3), rng.normal(size=3)
    out, _ = system.to_numpy({size: 3}).forward({"s": s, "o": o}, {"x": x, "epsilon": 1e-3})
    want = s * (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-3) + o
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)


@pytest.mark.parametrize("named", ["", " Batch norm, unlike group norm, ..."])
def test_statistics_said_in_words_without_one_layer_named_stay_refused(named: str) -> None:
    source = SONNET.replace("{named}", named)
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    assert caret(source, info.value) == "mean"
    assert "name the layer" in (info.value.hint or "")
