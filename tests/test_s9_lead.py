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
