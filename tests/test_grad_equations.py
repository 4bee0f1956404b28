"""The printed gradient equations: their terms (not their prose), in every convention.

Oracles: the course notes' own forms (samples as columns: delta_{k-1} = delta_k W_k in
numerator layout; samples as rows: delta_{k-1} = delta_k W^T in denominator layout, with
the notes' W being our W^T), and the shapes each convention must give.
"""

from __future__ import annotations

import pytest

from conftest import ROOT, regenerate_docs
from papermath import catalog
from papermath.report.gradients import derive

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


# ---- every printed gradient equation passes the shape check -------------------------------
# The course notes' network with samples as rows (N x D), as the notes' second layout writes it.
MLP_ROWS = r"""
\begin{align}
x &\in \mathbb R^{N \times D_x} \\
W &\in \mathbb R^{D_x \times D_z} \\
w &\in \mathbb R^{D_z \times 1} \\
s_z &:= x\cdot W &\in \mathbb R^{N, D_z} \\
z &:= relu(s_z) &\in \mathbb R^{N, D_z}\\
y_{out} &:= z\cdot w &\in \mathbb R^{N, D_y} \\
\mathcal L &:= \|y-y_{out}\|^2 &\in \mathbb R^{1x1}
\end{align}
"""


def gradient_sources() -> dict[str, str]:
    from conftest import corpus_cases
    from test_papers import OWN_CASES

    out = {f"catalog:{n}": catalog.latex(n) for n in catalog.names()}
    out |= {
        f"corpus:{n}": c["latex"]
        for n, c in corpus_cases(readable_only=True)
        # a case refused as written (not only under strict sizes) has no model to derive
        if not (c.get("expect", {}).get("error") and not c.get("options", {}).get("strict"))
    }
    out |= {f"paper:{n}": c[1] for n, c in OWN_CASES.items()}
    out["notes:mlp_rows"] = MLP_ROWS
    from test_papers import ELMAN_LOSS

    out["paper:elman_loss_over_time"] = ELMAN_LOSS
    out["paper:product_of_entries"] = (
        "% inputs: a\np = \\prod_{i=1}^{n} a_i^2\na \\in \\mathbb{R}^{n}"
    )
    return out


SOURCES = gradient_sources()


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_printed_gradient_passes_the_shape_check(name: str) -> None:
    """derive() runs the shape check on each equation it prints and refuses to print one that
    fails; here every symbol of every source is asked for in all four conventions. What the
    printer does not print yet is refused by name (NotPrinted), never as a failed check."""
    import papermath
    from papermath.errors import PapermathError
    from papermath.ir.tree import NotPrinted

    system = papermath.compile(SOURCES[name])
    asked = refused = 0
    for wrt, kind in system.kinds.items():
        if kind not in ("parameter", "input", "state"):
            continue
        for layout in ("denominator", "numerator"):
            for batch in ("dim-first", "sample-first"):
                try:
                    d = derive(system, wrt, layout=layout, batch=batch)
                except NotPrinted as e:  # refused by name: never a failed shape check
                    assert "papermath bug" not in str(e), f"{wrt} {layout} {batch}: {e}"
                    refused += 1
                    continue
                except PapermathError as e:
                    allowed = ("does not depend on", "is the value differentiated")
                    assert any(a in str(e) for a in allowed), f"{wrt} {layout} {batch}: {e}"
                    continue
                assert d.equations, (wrt, layout, batch)
                asked += 1
    assert asked > 0 or refused > 0  # printed, or refused by name (values per node)


def test_the_shape_check_can_fail() -> None:
    """A wrong equation (a transpose missing) is caught by the same check: every product
    the printer builds checks its inner sizes."""
    from papermath.errors import PapermathError
    from papermath.ir.tree import GRAD, VALUE, Node, matmul, transpose
    from papermath.shapes.sizes import Size

    n, d_z, d_x = Size.var("N"), Size.var("D_z"), Size.var("D_x")
    g_s = Node(GRAD, (), (d_z, n), {"key": "s_z", "offset": None, "batched": True})
    x = Node(VALUE, (), (d_x, n), {"key": "x", "offset": None, "batched": True})
    with pytest.raises(PapermathError, match="D_z x N times D_x x N"):
        matmul(g_s, x)  # x not transposed
    assert matmul(g_s, transpose(x)).shape == (d_z, d_x)


def test_course_notes_rows_form() -> None:
    """Samples as rows, as declared (w is D_z x 1): D_y = 1 is solved, and the rows form of the
    notes comes out in sample-first denominator layout: dL/dz = dL/dy w^T, dL/dW = x^T dL/ds."""
    import papermath

    system = papermath.compile(MLP_ROWS)
    assert system.shapes["y_out"] == ("N",) and system.solved["D_y"] == "1"
    d = derive(system, "W", layout="denominator", batch="sample-first")
    got = {eq.lhs.key: (eq.latex.split(" = ", 1)[1], eq.shape) for eq in d.equations}
    assert got["z"] == (rf"{D}y_{{out}}}} w^\top", ("N", "D_z"))
    assert got["W"] == (rf"x^\top {D}s_z}}", ("D_x", "D_z"))
    assert r"s_z = x W" in d.forward
    # the other layout: samples as columns, every batched value transposed
    d = derive(system, "W", layout="denominator", batch="dim-first")
    got = {eq.lhs.key: (eq.latex.split(" = ", 1)[1], eq.shape) for eq in d.equations}
    assert got["W"] == (rf"x {D}s_z}}^\top", ("D_x", "D_z")) or got["W"][1] == ("D_x", "D_z")
    assert r"s_z = W^\top x" in d.forward


def test_only_a_declared_matrix_meets_a_vector_as_a_column() -> None:
    """The column rule (a declared N x D_y meets a computed N-vector: D_y = 1) never applies
    to a matrix a reading tried: here o_t tanh(c_t) with o in R^m and h in R^n was once read
    as a row vector times a matrix c with n = 1 (found by the fuzzer). Now it is refused."""
    import papermath
    from papermath.errors import PapermathError

    source = (
        "\\begin{align}\n"
        "f_t &= \\sigma(W_{xf} x_t + W_{hf} h_{t-1} + b_f) \\\\\n"
        "c_t &= f_t c_{t-1} + \\tanh(W_{xc} x_t + W_{hc} h_{t-1} + b_c) \\\\\n"
        "o_t &= \\sigma(W_{xo} x_t + W_{ho} h_{t-1} + b_o) \\\\\n"
        "h_t &= o_t \\tanh(c_t)\n"
        "\\end{align}\n"
        "where $o_t \\in \\mathbb{R}^{m}$ and $h_t \\in \\mathbb{R}^{n}$.\n"
    )
    try:
        system = papermath.compile(source)
    except PapermathError:
        return
    assert system.solved.get("n") != "1", system.solved
    assert "vecmat" not in {system.product_reading(p) for eq in system.equations
                            for p in __import__("papermath").read.terms.walk(eq.rhs)
                            if type(p).__name__ == "Product"}  # fmt: skip
