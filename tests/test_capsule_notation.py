r"""Two constructs of a Chinese CapsNet README: ``$u_i(i \in [6 * 6 * 32])$`` (a symbol named in
prose with its index's range: parse/range_mentions.py) and ``\sum_kexp(b_{ik})`` (a subscript
run into a function's name: read/rules_sum_runon.py, the sum over k as LaTeX typesets it).
Oracle: NumPy's own sum of exponentials."""

from __future__ import annotations

import numpy as np

import papermath
from papermath.parse.normalize import normalize


def test_the_range_after_a_symbol_is_prose_blanked_in_place() -> None:
    text = "- $u_i(i \\in [6 * 6 * 32])$： 表示PrimaryCaps的某个8D的Capsule"
    norm = normalize(text).text
    assert len(norm) == len(text) and "u_i" not in norm
    kept = "$y = f(x_i)$ and $x_j (j = 1, \\dots, n)$"
    assert "y = f(x_i)" in normalize(kept).text and "x_j" not in normalize(kept).text


def test_a_subscript_run_into_exp_is_the_sum_of_exponentials() -> None:
    system = papermath.compile("y = \\sum_jexp(x_j)\n% inputs: x\nx \\in \\mathbb{R}^n")
    assert system.shapes["y"] == () and system.shapes["x"] == ("n",)
    said = [r for r in system.readings if r.reading == "sum index run into a function"]
    assert said and "one character" in said[0].reason
    gen = system.to_numpy({"n": 5})
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 5))
    outputs, _ = gen.forward(gen.init_params(rng), {"x": x})
    np.testing.assert_allclose(outputs["y"], np.exp(x).sum(axis=-1), rtol=1e-12)


def test_the_same_sum_written_with_braces_reads_the_same() -> None:
    a = papermath.compile("y = \\sum_jexp(x_j)\nx \\in \\mathbb{R}^n")
    b = papermath.compile("y = \\sum_{j} \\exp(x_j)\nx \\in \\mathbb{R}^n")
    assert a.shapes == b.shapes and a.kinds == b.kinds
