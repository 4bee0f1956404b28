r"""Two ``\mid`` in a row are a norm's double bar (parse/mid_bars.py), as a Chinese blog on capsule
networks writes the squash; one ``\mid`` alone stays a conditional probability's bar (refused).
Oracle: NumPy's own norm on the generated code's values."""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError
from papermath.parse.normalize import normalize

SQUASH = (
    r"v_j=\frac{\mid\mid s_j\mid \mid ^2}{1+\mid\mid s_j\mid\mid ^2}"
    r"\frac{s_j}{\mid\mid s_j\mid \mid }"
)


def test_the_text_keeps_its_length_and_the_bars_their_place() -> None:
    norm = normalize(SQUASH).text
    assert len(norm) == len(SQUASH)
    assert norm.index("||") == SQUASH.index("\\mid")
    assert "\\mid" not in norm


def test_mid_bars_read_as_the_norm_as_numpy_computes_it() -> None:
    source = (
        r"v = \frac{\mid\mid s \mid\mid^2}{1 + \mid\mid s \mid \mid^2} \frac{s}{\mid\mid s\mid\mid}"
    )
    source += "\ns \\in \\mathbb{R}^n\n% inputs: s"
    system = papermath.compile(source)
    assert system.shapes["v"] == ("n",) and system.kinds["s"] == "input"
    gen = system.to_numpy({"n": 5})
    rng = np.random.default_rng(3)
    s = rng.normal(size=(4, 5))
    outputs, _ = gen.forward(gen.init_params(rng), {"s": s})
    norm = np.linalg.norm(s, axis=-1, keepdims=True)
    np.testing.assert_allclose(outputs["v"], norm**2 / (1 + norm**2) * s / norm, rtol=1e-12)


def test_one_mid_is_still_a_conditional_probability() -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(r"y = p(a \mid b)")
    assert "conditional probability" in err.value.message
