r"""The axis written under a softmax (read/rules_softmax_axis.py: labml's
``\underset{seq}{\mathop{softmax}}``) is read for its shape and code is refused at the head, and
the form its hint gives reads as the source means it: a softmax over the keys. Oracle:
``torch.softmax(..., dim=-1)``."""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError

LABML = (
    r"$$\mathop{Attention}(Q, K, V) = \underset{seq}{\mathop{softmax}}"
    r"\Bigg(\frac{Q K^\top}{\sqrt{d_k}}\Bigg)V$$"
    "\n$K \\in \\mathbb{R}^{m \\times d_k}$\n"
)


def test_the_axis_under_the_softmax_is_read_for_shapes_and_code_refused_at_the_head() -> None:
    system = papermath.compile(LABML)
    assert system.shapes["K"] == ("m", "d_k") and system.shapes["Q"][1] == "d_k"
    assert system.shapes["Attention"] == (system.shapes["Q"][0], system.shapes["V"][1])
    said = [r for r in system.readings if r.reading.startswith("softmax over an axis")]
    assert said and "(seq)" in said[0].reason
    with pytest.raises(PapermathError) as err:
        system.numpy_source({"m": 5, "d_k": 3, "d1": 4, "d2": 2})
    assert "read for its shape only" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == r"\underset{seq}{\mathop{softmax}}"
    assert err.value.hint is not None and "\\mathrm{softmax}" in err.value.hint


def test_the_hint_reads_as_attention_over_the_keys() -> None:
    torch = pytest.importorskip("torch")
    source = LABML.replace(r"\underset{seq}{\mathop{softmax}}", r"\mathrm{softmax}")
    system = papermath.compile(source)
    assert system.shapes["K"] == ("m", "d_k") and system.shapes["Q"][1] == "d_k"
    assert {system.kinds[k] for k in "QKV"} == {"input"}
    n, v = system.shapes["Q"][0], system.shapes["V"][1]
    dims = {"m": 5, "d_k": 3, n: 4, v: 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(5)
    q, k, vv = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    outputs, _ = gen.forward(gen.init_params(rng), {"Q": q, "K": k, "V": vv})
    tq, tk, tv = (torch.tensor(a) for a in (q, k, vv))
    want = torch.softmax(tq @ tk.T / np.sqrt(3), dim=-1) @ tv
    np.testing.assert_allclose(outputs["Attention"], want.numpy(), rtol=1e-12, atol=1e-12)
