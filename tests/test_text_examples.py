"""The examples a text gives in its prose (``$x_t=[1, 2, 3]$``) become the worked example's
values, and what they claim is checked (issue 25: the LSTM Q&A asker's own numbers)."""

from __future__ import annotations

import os
import tomllib

import numpy as np
import torch

from conftest import ROOT
from papermath import compile
from papermath.explain import explain, render
from papermath.parse.examples import example_pairs
from papermath.serve.work import analyse
from papermath.source import Source

os.environ.setdefault("PAPERMATH_KERNELS", "off")

QA = ROOT.parent / "shared" / "corpus" / "seed_lstm_qa_bullets.toml"


def asker_text() -> str:
    return tomllib.loads(QA.read_text())["latex"]


def test_the_pairs_of_the_askers_examples_are_read_as_written() -> None:
    text = asker_text()
    pairs = {p.left: p for p in example_pairs(text)}
    assert pairs["x_t"].numbers == (1.0, 2.0, 3.0) and pairs["x_t"].vector
    assert pairs["h_{t-1}"].numbers == (4.0, 5.0, 6.0)
    assert pairs["[x_t, h_{t-1}]"].numbers == (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
    assert pairs["w_f"].dims == (3, 3)
    assert pairs["m"].numbers == (3.0,) and not pairs["m"].vector
    # each span is the pair as typed in the text
    assert text[pairs["h_{t-1}"].span.start : pairs["h_{t-1}"].span.end] == "h_{t-1}=[4, 5, 6]"


def test_the_askers_example_is_the_worked_example() -> None:
    """The worked example runs at the asker's x_t and h_{t-1}; f equals sigmoid(W_f [h, x] + b_f)
    computed by torch at the same numbers (W_f, b_f: not in the example, chosen and said)."""
    system = compile(Source(asker_text(), "qa"))  # no [dims]: the sizes come from the example
    ex = explain(system)
    assert ex.example is not None
    assert ex.example.sizes == {"m": 3, "n": 3, "k": 3}
    assert ex.chosen == ["W_f", "b_f"]
    at = ex.worked_at
    assert at["x"] == [1.0, 2.0, 3.0] and at["h"] == [4.0, 5.0, 6.0]
    w = torch.tensor(at["W_f"], dtype=torch.float64)
    b = torch.tensor(at["b_f"], dtype=torch.float64)
    hx = torch.tensor([4.0, 5.0, 6.0, 1.0, 2.0, 3.0], dtype=torch.float64)
    want = torch.sigmoid(w @ hx + b).numpy()
    got = {text: value for _, text, value in ex.values}
    np.testing.assert_allclose(got["f"], want, rtol=1e-6)
    np.testing.assert_allclose(got["[h_{t-1}, x_t]"], hx.numpy())


def test_what_the_example_claims_is_checked() -> None:
    ex = explain(compile(Source(asker_text(), "qa")))
    notes = " | ".join(ex.example.notes)
    # the concatenation example: right, in the order the asker wrote it
    assert "$[x_t, h_{t-1}] = [1, 2, 3, 4, 5, 6]$: right" in notes
    # the asker's "w_f = 3*3 matrix" contradicts k x (m + n) at m = n = k = 3
    assert "$w_f = 3*3$ does not fit the equations" in notes and "3 x 6" in notes
    # the bullet's w_f is the equation's W_f, said
    assert "$w_f$ is $W_f$" in notes
    shown = render(ex)
    assert "the text's own example (line 4)" in shown and "$" not in shown.split("own example")[1]


def test_a_wrong_example_is_said_and_a_misfit_gives_no_worked_example() -> None:
    text = (
        "where $x_t$ is an input of size $m*1$ vector and $h_{t-1}$ of size $n*1$ "
        "(for example $x_t=[1, 2], h_{t-1}=[3, 4, 5]$, so $[x_t, h_{t-1}]=[1, 2, 3, 4, 9]$)\n"
        "$$f_t = \\sigma(W_f [h_{t-1}, x_t] + b_f)$$\n"
    )
    ex = explain(compile(Source(text, "t")))
    notes = " | ".join(ex.example.notes)
    assert "does not follow from its values" in notes and "[1, 2, 3, 4, 5]" in notes
    assert ex.values  # the example's own sizes (m = 2, n = 3) work
    # the example's x has 2 entries, but --dims says m = 3: no worked example, said
    ex2 = explain(compile(Source(text, "t"), {"m": 3}))
    assert not ex2.values
    assert any("no worked example from it" in n for n in ex2.example.notes)


def test_the_workbench_starts_from_the_askers_numbers() -> None:
    out = analyse({"src": asker_text()})
    assert out["ok"], out
    assert "x = [1.0, 2.0, 3.0]  # the text's example" in out["values"]
    assert "h = [4.0, 5.0, 6.0]" in out["values"]
    assert "from the text's own example (line 4)" in out["values_note"]
    assert "own example" in out["explanation_html"]
