"""The printed gradient equations: their terms (not their prose), in every convention.

Oracles: the course notes' own forms (samples as columns: delta_{k-1} = delta_k W_k in
numerator layout; samples as rows: delta_{k-1} = delta_k W^T in denominator layout, with
the notes' W being our W^T), and the shapes each convention must give.
"""

from __future__ import annotations

import pytest

from conftest import ROOT, regenerate_docs
from papermath import catalog
from papermath.grad import derive

D = r"\frac{\partial \mathcal{L}}{\partial "


def equations(layout: str, batch: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    d = derive(catalog.load("mlp"), "W", layout=layout, batch=batch)
    return {eq.lhs.key: (eq.latex.split(" = ", 1)[1], eq.shape) for eq in d.equations}


CASES = {
    ("denominator", "dim-first"): {
        "y_out": (r"-2 \left(y - y_{out}\right)", ("1", "N")),  # the shape of y_out
        "z": (rf"w^\top {D}y_{{out}}}}", ("D_z", "N")),
        "s_z": (rf"{D}z}} \odot \mathbb{{1}}\left[s_z > 0\right]", ("D_z", "N")),
        "W": (rf"{D}s_z}} x^\top", ("D_z", "D_x")),
    },
    ("numerator", "dim-first"): {  # the notes' columns form: delta W
        "y_out": (r"-2 \left(y^\top - y_{out}^\top\right)", ("N", "1")),
        "z": (rf"{D}y_{{out}}}} w", ("N", "D_z")),
        "W": (rf"x {D}s_z}}", ("D_x", "D_z")),
    },
    ("denominator", "sample-first"): {  # the notes' rows form: delta W^T (their W = ours^T)
        "y_out": (r"-2 \left(y - y_{out}\right)", ("N", "1")),
        "z": (rf"{D}y_{{out}}}} w", ("N", "D_z")),
        "W": (rf"\left({D}s_z}}\right)^\top x", ("D_z", "D_x")),
    },
    ("numerator", "sample-first"): {
        "z": (rf"w^\top {D}y_{{out}}}}", ("D_z", "N")),
        "W": (rf"x^\top \left({D}s_z}}\right)^\top", ("D_x", "D_z")),
    },
}


@pytest.mark.parametrize(("layout", "batch"), list(CASES))
def test_mlp_gradient_terms(layout: str, batch: str) -> None:
    got = equations(layout, batch)
    for key, (rhs, shape) in CASES[(layout, batch)].items():
        assert got[key] == (rhs, shape), f"{key}: {got[key]}"


def test_sample_first_forward_is_rewritten() -> None:
    d = derive(catalog.load("mlp"), "W", batch="sample-first")
    assert r"s_z = x W^\top" in d.forward
    assert r"y_{out} = z w^\top" in d.forward


def test_lstm_chain_goes_through_time() -> None:
    d = derive(catalog.load("lstm"), "W_f", of="h")
    eqs = {eq.lhs.key: eq.latex for eq in d.equations}
    assert rf"{D}C_{{t+1}}}} \odot f_{{t+1}}" in eqs["C"]  # the cell carries gradient back
    assert r"W_f^\top" in eqs["h"] and "_{1:n}" in eqs["h"]  # through [h_{t-1}, x_t]
    assert eqs["W_f"].split(" = ")[1].startswith(r"\sum_{t}")
    assert r"f_t \odot \left(1 - f_t\right)" in eqs["W_f"]  # sigma' = sigma (1 - sigma)


def test_docs_show_the_current_gradients() -> None:
    regen = regenerate_docs()
    doc = (ROOT / "docs" / "gradients.md").read_text()
    for marker, args in regen.GRAD_BLOCKS.items():
        shown = doc.split(f"<!-- generated: {marker} -->\n```latex\n", 1)[1].split("```", 1)[0]
        assert shown == regen.grad_text(*args), f"docs/gradients.md is stale ({marker}): make docs"
