"""The explanation's facts, checked against the corpus notes (facts, not prose), and the
worked examples against the corpus [expect.values]."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import papermath
from conftest import corpus_cases
from papermath.explain import explain, render
from papermath.report.gradients import derive

CASES = dict(corpus_cases())


def ex_of(name: str, values: bool = False) -> Any:
    case = CASES[name]
    system = papermath.compile(case["latex"], case.get("dims"))
    return explain(system, case.get("values") if values else None)


def test_lstm_colah_notes() -> None:
    ex = ex_of("seed_lstm_colah")
    sizes = {s.key: s for s in ex.sizes}
    # C and h have the same size n because h_t = o_t \circ tanh(C_t) is a Hadamard product
    assert sizes["C"].shape == sizes["h"].shape == ("n",)
    assert sizes["C"].line == 6 and r"\circ tanh(C_t)" in sizes["C"].forced_by
    hadamard = [f for f in ex.terms if f.text == r"o_t \circ tanh(C_t)"]
    assert hadamard and hadamard[0].what.startswith("Hadamard")
    # W_f maps the concatenation (n + m) to n
    matmul = next(f for f in ex.terms if f.text == "W_f [h_{t-1}, x_t]")
    assert matmul.what == "matrix product" and matmul.shape == ("n",)
    assert "a n x (m + n) matrix" in matmul.why and "size m + n" in matmul.why
    # gates are deterministic numbers in (0, 1)
    sigmoid = next(f for f in ex.functions if f.name == "sigmoid")
    assert "deterministic" in sigmoid.description and "(0, 1)" in sigmoid.description
    kinds = {k.key: k for k in ex.kinds}
    assert kinds["h"].kind == kinds["C"].kind == "state" and "t-1" in kinds["h"].meaning
    assert kinds["x"].kind == "input"
    assert kinds["W_f"].kind == kinds["b_f"].kind == "parameter"
    assert "shared across steps" in kinds["W_f"].meaning
    t_index = next(i for i in ex.indices if i.letter == "t")
    assert t_index.kind == "step" and "previous step" in t_index.meaning


def test_ggnn_readout_notes() -> None:
    ex = ex_of("seed_ggnn_readout")
    [the_sum] = ex.sums
    # the sum ranges over the Hadamard product of both factors, not the first alone
    assert r"\odot" in the_sum.body
    assert the_sum.body.startswith(r"\sigma") and "j(h_v^{(T)}, x_v)" in the_sum.body
    assert the_sum.index == "v" and the_sum.over == "V"
    # vectorized: a sum over the node axis of stacked per-node matrices; segment sum
    assert "node axis" in the_sum.vectorized and "not a matrix product" in the_sum.vectorized
    assert "segment sum" in the_sum.vectorized
    # i and j: learnable functions of two arguments, affine maps of the concatenation
    fns = {f.name: f for f in ex.functions}
    for name in ("i", "j"):
        assert fns[name].learnable and fns[name].arity == 2
        assert "concatenation" in fns[name].description
    # ^{(T)} is a step label, not a transpose or a power
    step = next(i for i in ex.indices if i.letter == "T")
    assert step.kind == "step_label" and "not a power or a transpose" in step.meaning


def test_lstm_graves_notes() -> None:
    ex = ex_of("seed_lstm_graves")
    facts = {f.text: f for f in ex.terms}
    assert facts["f_t c_{t-1}"].what.startswith("Hadamard")
    assert "vector of size n" in facts["f_t c_{t-1}"].why
    assert facts["W_{xi} x_t"].what == "matrix product"
    assert "n x m matrix" in facts["W_{xi} x_t"].why


def test_mlp_notes() -> None:
    ex = ex_of("seed_mlp_dim_first")
    [solved] = ex.solved
    assert (solved.size, solved.value) == ("D_y", "1")
    assert solved.forced_by.replace(" ", "") == r"w\cdotz" and solved.line == 7
    kinds = {k.key: k.kind for k in ex.kinds}
    sizes = {s.key: s.shape for s in ex.sizes}
    assert kinds["y"] == "target" and sizes["y"] == sizes["y_out"] == ("1", "N")
    assert sizes["L"] == ()
    case = CASES["seed_mlp_dim_first"]
    d = derive(papermath.compile(case["latex"]), "y_out")
    [dy] = [e for e in d.equations if e.lhs.key == "y_out"]
    assert dy.shape == sizes["y_out"]  # dL/dy_out has the shape of y_out


VALUE_CASES = [n for n, c in CASES.items() if "values" in c.get("expect", {})]


@pytest.mark.parametrize("name", VALUE_CASES)
def test_worked_examples_reproduce_the_corpus(name: str) -> None:
    ex = ex_of(name, values=True)
    got = {text: value for _, text, value in ex.values}
    for text, want in CASES[name]["expect"]["values"].items():
        key = " ".join(text.split())
        assert key in got, f"{key!r} not among {list(got)}"
        np.testing.assert_allclose(got[key], np.asarray(want, dtype=float), atol=1e-6)


def test_values_cli(tmp_path: Any) -> None:
    from papermath.cli import main

    values = tmp_path / "v.toml"
    values.write_text("x_1 = [1, 2]\nx_2 = [3, 4]\n")
    latex = tmp_path / "h.tex"
    latex.write_text(r"y = x_1 \circ x_2")
    assert main(["explain", str(latex), "--values", str(values)]) == 0


def test_a_worked_example_with_inf_and_nan_says_where_they_start() -> None:
    """y = a / b at b = 0, then a log of a negative: shown as inf / nan, the first step named,
    in the words, the report, and the workbench's answer (which stays strict JSON)."""
    import json

    from papermath.report import explanation_html
    from papermath.serve.work import analyse

    system = papermath.compile("z = a / b\ny = \\log(z - c)")
    ex = explain(system, {"a": [1.0, 2.0], "b": 0.0, "c": [0.0, 0.0]})
    assert ex.nonfinite is not None and ex.nonfinite[0] == 1 and "inf" in ex.nonfinite[1]
    text = render(ex)
    assert "z = [inf, inf]" in text and "first value to be inf" in text
    assert "first value to be inf" in explanation_html(ex)
    got = analyse({"src": "y = a / b", "values": "a = [1.0, -2.0]\nb = 0.0"})
    assert got["ok"] and "values_error" not in got
    assert "-inf" in got["explanation_html"] and "first value to be inf" in got["explanation_html"]
    json.dumps(got, allow_nan=False)
    nan = explain(papermath.compile("y = \\log(a)"), {"a": [-1.0, 1.0]})
    assert nan.nonfinite is not None and "nan" in nan.nonfinite[1]
