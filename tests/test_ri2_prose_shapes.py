"""Shapes said in a docstring's prose (parse/prose_shapes.py), statistics in italics and the
axis of a normalisation's mean (read/rules_stats.py): right readings checked against torch,
and the near misses refused with a caret on the construct."""

from __future__ import annotations

import pytest

import papermath

# MLX's Linear docstring, as the wild case mlx_linear holds it (RST: :math:, ``...``)
LINEAR = r"""
    y = x W^\top + b

where :math:`W` has shape ``[output_dims, input_dims]`` and :math:`b` has shape ``[output_dims]``.
"""

# MLX's LayerNorm formula and prose, with x declared (the source does not declare it)
LAYERNORM = r"""
    y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \gamma + \beta,

where :math:`\gamma` and :math:`\beta` are learned per feature dimension
parameters initialized at 1 and 0 respectively.

% x \in \mathbb{R}^{C}
"""


def refused(latex: str) -> tuple[papermath.PapermathError, str]:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex)
    err = info.value
    assert err.span is not None and err.source is not None, err
    return err, err.source.text[err.span.start : err.span.end]


def readings(system: papermath.System) -> dict[str, str]:
    return {r.reading: r.reason for r in system.readings}


def test_shape_list_in_prose_declares_with_the_sources_words() -> None:
    system = papermath.compile(LINEAR)
    assert system.shapes["W"] == ("output_dims", "input_dims")
    assert system.shapes["b"] == ("output_dims",)
    assert system.shapes["x"] == ("input_dims",)
    assert system.shapes["y"] == ("output_dims",)
    assert system.kinds["W"] == system.kinds["b"] == "parameter"
    assert system.kinds["x"] == "input"
    said = [r.reason for r in system.readings if r.reading == "declaration"]
    assert any("[output_dims, input_dims]" in s and "said in words" in s for s in said), said


def test_shape_list_in_prose_is_torchs_linear() -> None:
    """torch.nn.functional.linear(x, W, b) = x W^T + b with W (out, in): an independent
    oracle for the shapes the prose gave."""
    torch = pytest.importorskip("torch")
    system = papermath.compile(LINEAR)
    module = system.to_torch({"output_dims": 3, "input_dims": 5}, dtype=torch.float64)
    params = dict(module.named_parameters())
    assert tuple(params["W"].shape) == (3, 5)
    with torch.no_grad():
        params["W"].normal_()
        params["b"].normal_()
    x = torch.randn(4, 5, dtype=torch.float64)
    want = torch.nn.functional.linear(x, params["W"], params["b"])
    assert torch.allclose(module(x=x)["y"], want, atol=1e-12)


def test_batch_axis_of_a_prose_shape_is_the_batch() -> None:
    system = papermath.compile(
        r"""
    y = W x + b

where :math:`W` has shape ``[m, n]``, :math:`b` has shape ``(m,)``
and :math:`x` has shape ``[batch_size, n]``.
"""
    )
    assert system.shapes["x"] == ("n",)
    assert system.shapes["b"] == ("m",)
    said = " ".join(r.reason for r in system.readings if r.reading == "declaration")
    assert "batch_size, the first axis, is the batch" in said


def test_shape_list_of_a_symbol_the_equations_write_otherwise_stays_refused() -> None:
    """MLX's Bilinear: W's three axes listed, W_i written: not a declaration of W_i where the
    prose says i runs over another axis than the first listed (MLX's own words, "i indexes the
    output dimension", are read: parse/prose_index.py, tests/test_prose_index.py)."""
    err, under = refused(
        r"""
    y_i = x_2^\top W_i x_1 + b_i

where:
:math:`W` has shape ``[output_dims, input2_dims, input1_dims]``,
:math:`b` has shape ``[output_dims]``, and :math:`i` indexes the input dimension.
"""
    )
    assert under == "[output_dims, input2_dims, input1_dims]"
    assert "W \\in \\mathbb{R}^{" in (err.hint or "")


def test_per_feature_parameters_with_italic_statistics_are_torchs_layer_norm() -> None:
    """gamma and beta "per feature dimension" (prose), E[x] and Var[x] in italics, x declared
    a vector: torch's layer_norm at random values."""
    torch = pytest.importorskip("torch")
    system = papermath.compile(LAYERNORM)
    assert system.shapes["gamma"] == system.shapes["beta"] == ("C",)
    assert system.kinds["gamma"] == system.kinds["beta"] == "parameter"
    said = readings(system)
    assert {"mean over the features", "variance over the features"} <= set(said)
    assert "a vector over the features" in " ".join(
        r.reason for r in system.readings if r.reading == "declaration"
    )
    module = system.to_torch({"C": 6}, dtype=torch.float64)
    params = dict(module.named_parameters())
    with torch.no_grad():
        params["gamma"].normal_()
        params["beta"].normal_()
    x = torch.randn(5, 6, dtype=torch.float64) * 2 + 0.5
    want = torch.nn.functional.layer_norm(x, (6,), params["gamma"], params["beta"], eps=1e-4)
    got = module(x=x, epsilon=torch.tensor(1e-4, dtype=torch.float64))["y"]
    assert torch.allclose(got, want, atol=1e-12)


def test_mean_of_squares_is_torchs_rms_norm() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(
        r"""
    y = \frac{x}{\sqrt{E[x^2] + \epsilon}} \gamma

where :math:`\gamma` is a learned per feature dimension parameter initialized at 1.

% x \in \mathbb{R}^{C}
"""
    )
    assert system.shapes["gamma"] == ("C",)
    assert "mean over the features" in readings(system)
    module = system.to_torch({"C": 7}, dtype=torch.float64)
    params = dict(module.named_parameters())
    with torch.no_grad():
        params["gamma"].normal_()
    x = torch.randn(3, 7, dtype=torch.float64)
    want = torch.nn.functional.rms_norm(x, (7,), params["gamma"], eps=1e-5)
    got = module(x=x, epsilon=torch.tensor(1e-5, dtype=torch.float64))["y"]
    assert torch.allclose(got, want, atol=1e-12)


@pytest.mark.parametrize(
    ("latex", "under"),
    [
        (LAYERNORM.replace(r"% x \in \mathbb{R}^{C}", ""), "E[x]"),  # MLX's text as it is
        (r"y = \frac{x}{\sqrt{E[x^2] + \epsilon}} \gamma", "E[x^2]"),  # RMSNorm
        (r"y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x]}}", "\\mathrm{E}[x]"),
    ],
)
def test_normalisation_whose_axis_is_not_said_is_refused(latex: str, under: str) -> None:
    """The same formula is layer, batch, instance and group norm: the axis decides. Shapes
    hold for all four (read/rules_norm_axis.py); code is refused at the statistic."""
    system = papermath.compile(latex)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({n: 3 for shape in system.shapes.values() for n in shape})
    err = info.value
    assert err.span is not None and latex[err.span.start : err.span.end] == under, err.render()
    assert "axis the source does not say" in err.message
    assert "x \\in \\mathbb{R}^{C}" in (err.hint or "")


def test_italic_e_used_as_a_symbol_elsewhere_is_not_a_mean() -> None:
    """E [x] where E is also a matrix elsewhere (E h): a product, not the mean."""
    system = papermath.compile(
        "y = E[x] + U h\nz = E h\nx \\in \\mathbb{R}^{n}\nh \\in \\mathbb{R}^{n}"
    )
    assert "mean over the features" not in readings(system)
    assert system.kinds["E"] == "parameter"


def test_per_feature_prose_names_the_size_the_source_names() -> None:
    system = papermath.compile(
        r"""
    y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \gamma + \beta,

where :math:`\gamma` and :math:`\beta` are learned per feature dimension parameters.
``D`` is the number of features.

% x \in \mathbb{R}^{D}
"""
    )
    assert system.shapes["gamma"] == system.shapes["beta"] == ("D",)


def test_example_value_between_symbol_and_size_is_no_size_in_words() -> None:
    """labml's capsule loss: "$T_k$ is $1$ if the class $k$ is present": $1$ is an example
    value, and the words after it are no size (it was read as T_k \\in R^{k})."""
    from papermath.parse.normalize import normalize
    from papermath.parse.prose import read_prose

    text = (
        "Loss for each class $k$ is,\n"
        "$$\\mathcal{L}_k = T_k \\max(0, m_p - \\lVert\\mathbf{v}_k\\rVert)^2$$\n\n"
        "$T_k$ is $1$ if the class $k$ is present and $0$ otherwise.\n"
    )
    _, said = read_prose(normalize(text))
    assert said == []
    # the sentence the rule reads, for contrast
    _, said = read_prose(normalize("$$y = W x$$\nwhere $x$ is a vector of size $n$.\n"))
    assert len(said) == 1


def test_statistics_named_in_prose_without_an_axis_are_refused_with_a_hint_that_reads() -> None:
    """Sonnet's and Haiku's norms: "\\mu and \\sigma are respectively the mean and standard
    deviation of x", no axis: refused at the word; the hint's spelling reads."""
    err, under = refused(
        ".. math::\n\n   y = s \\dfrac{x - \\mu}{\\sigma + \\epsilon} + o\n\n"
        "Where :math:`\\mu` and :math:`\\sigma` are respectively the mean and standard\n"
        "deviation of ``x``.\n"
    )
    assert under == "mean" and "over which axis" in err.message
    assert err.hint is not None
    hinted = err.hint.split("as ", 1)[1].split(" with ")[0]
    system = papermath.compile(f"y = s {hinted} + o\nx \\in \\mathbb{{R}}^{{C}}")
    assert {"mean over the features", "variance over the features"} <= set(readings(system))
    assert system.shapes["y"] == ("C",)


def test_undefined_loss_function_is_refused_with_a_hint_that_reads() -> None:
    """d2l's "the loss function is $l$": L = l(o, y) added to a number. l, defined nowhere,
    is a learnable map to a vector: refused at the call; defining l (the hint) reads."""
    latex = "L = l(o, y)\nJ = L + s\ns = \\lambda \\|W\\|^2\no = W x\nx \\in \\mathbb{R}^{d}"
    err, under = refused(latex)
    assert under == "l(o, y)"
    assert "define l with an equation" in (err.hint or "")
    system = papermath.compile(latex + "\nl(o, y) = \\frac{1}{2} \\|o - y\\|^2")
    assert system.shapes["L"] == system.shapes["J"] == ()
