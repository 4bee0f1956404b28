"""Lead, session 9: a size used as a number is printed as the source leaves it (a mean's count
over a free axis printed as d_N, not the 3 the code ran with), and the printed-gradient oracle
evaluates with other numbers than it prints with, so a number printed for a size differs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import papermath
from papermath.ir.size_latex import expression_latex
from papermath.report.gradients import derive
from papermath.shapes.sizes import Size

WILD = Path(__file__).resolve().parent / "wild" / "cases"


def test_a_size_expression_prints_its_names() -> None:
    assert expression_latex(Size.parse("dN")) == "dN"
    assert expression_latex(Size.parse("d_model")) == "d_{model}"
    assert expression_latex(Size.parse("2*n - 1 + m")) == "m + 2 n - 1"
    assert expression_latex(Size.parse("n - m")) == "-m + n"
    assert expression_latex(Size.const(4)) is None


def test_a_mean_over_a_free_axis_prints_the_size_not_a_number() -> None:
    case = tomllib.loads((WILD / "keras_hinge_function.toml").read_text())
    system = papermath.compile(case["latex"])
    for dims in (None, {"dN": 7, "batch_size": 2}):
        d = derive(system, "y_pred", layout="denominator", batch="dim-first", dims=dims)
        text = "\n".join([*d.forward, *(str(eq) for eq in d.equations)])
        assert "{dN}" in text, text
        assert "{3}" not in text and "{7}" not in text, text


def test_a_mean_squared_loss_reads_its_labels_as_targets_not_parameters() -> None:
    """y_i - \\hat{y}_i inside a loss's sum (entries, not whole symbols) still marks the two
    sides as what the loss compares: y the target, \\hat{y} the prediction (an input). Both
    were read as learned parameters (udacity's notebook, collected blind in batch 5)."""
    system = papermath.compile(r"L = \frac{1}{n}\sum_{i=1}^n (y_i - \hat{y}_i)^2")
    assert system.kinds["y"] == "target" and system.kinds["y_hat"] == "input"
    assert system.shapes["y"] == system.shapes["y_hat"] == ("n",)
    # the prediction is computed: y the target, \hat{y} an intermediate, W learned
    fitted = papermath.compile(r"\hat{y}_i = w_i x_i" "\n" r"L = \sum_{i=1}^n (y_i - \hat{y}_i)^2")
    assert fitted.kinds["y"] == "target" and fitted.kinds["y_hat"] == "intermediate"


def test_an_upper_limit_alone_counts_the_terms() -> None:
    """\\sum_i^n: the limit n is the count, i = 1..n, said in the readings; it was dropped
    (the vectors got a free size)."""
    system = papermath.compile(r"L = \sum_i^n (y_i - \hat{y}_i)^2")
    assert system.shapes["y"] == ("n",)
    said = [r for r in system.readings if r.reading == "i = 1..n"]
    assert said and "no lower one" in said[0].reason
    module = system.to_numpy({"n": 4})
    import numpy as np

    rng = np.random.default_rng(0)
    y, p = rng.normal(size=4), rng.normal(size=4)
    out, _ = module.forward(module.init_params(rng), {"y": y[None, :], "y_hat": p[None, :]})
    assert np.allclose(np.ravel(out["L"]), ((y - p) ** 2).sum())


def test_a_node_picked_by_its_number_beside_the_node_family_is_refused() -> None:
    """h_1^{(L)} beside h_v (v a node): node 1's h, not another input of a free size (it was
    read so, silently); W_1 beside W_j with j no node index reads as before."""
    import pytest

    text = "h_v^{(l+1)} = \\sigma(W \\sum_{u \\in N(v)} h_u^{(l)})\nh_G = h_1^{(L)} + h_2^{(L)}"
    with pytest.raises(papermath.PapermathError) as caught:
        papermath.compile(text)
    err = caught.value
    assert err.source is not None and err.span is not None
    assert err.source.text[err.span.start : err.span.end] == "h_1^{(L)}"
    assert "h_v" in err.message and "node 1" in err.message
    summed = papermath.compile(text.replace("h_1^{(L)} + h_2^{(L)}", "\\sum_{v \\in V} h_v^{(L)}"))
    assert summed.kinds["h_G"] == "output"
    assert papermath.compile("y = W_1 x + W_2 h").kinds["W_1"] == "parameter"


def test_the_prose_calling_a_symbol_a_matrix_decides_its_product() -> None:
    """ "$w$ is the weight matrix" makes wx a matrix product (AI-for-Beginners' linear model);
    the generated code computes W x + b (a hand product as the oracle); without the words the
    product stays refused."""
    import numpy as np
    import pytest

    text = "$f(x) = wx + b$ (here $w$ is the weight matrix, $x$ is the vector of input features)"
    system = papermath.compile(text)
    (m, n) = system.shapes["w"]
    assert system.shapes["x"] == (n,) and system.shapes["b"] == (m,)
    said = [r for r in system.readings if "the prose calls it a matrix" in r.reason]
    assert said and "weight matrix" in said[0].reason
    module = system.to_numpy({m: 3, n: 4})
    rng = np.random.default_rng(1)
    params = module.init_params(rng)
    x = rng.normal(size=(2, 4))
    out, _ = module.forward(params, {"x": x})
    assert np.allclose(out["f"], x @ params["w"].T + params["b"])
    with pytest.raises(papermath.PapermathError):
        papermath.compile(text.replace("weight matrix", "weight vector"))
