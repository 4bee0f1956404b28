"""A ``\\cdot`` dot product added to a vector (shapes/rules_products.py): refused at the
product, never read as one number broadcast over a vector; the readings its hint offers,
and a dot product added to a number, read (checked against torch)."""

from __future__ import annotations

import pytest

import papermath

DECLS = ", ".join(f"{v}_t \\in \\mathbb{{R}}^{{H}}" for v in "fcig")


def test_dot_product_added_to_a_vector_is_refused_at_the_product() -> None:
    latex = "c_t = f_t \\cdot c_{t-1} + i_t \\odot g_t\n" + DECLS
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex)
    err = info.value
    assert err.span is not None and err.source is not None
    assert err.source.text[err.span.start : err.span.end] == "f_t \\cdot c_{t-1}"
    assert "f_t \\odot c_{t-1}" in (err.hint or "")
    assert "f_t^\\top c_{t-1}" in (err.hint or "")


@pytest.mark.parametrize(
    ("product", "reading", "shape"),
    [
        ("f_t \\odot c_{t-1}", "Hadamard (elementwise) product", ("H",)),
        ("f_t^\\top c_{t-1}", "matrix product", ("H",)),
    ],
)
def test_the_hints_spellings_read(product: str, reading: str, shape: tuple[str, ...]) -> None:
    system = papermath.compile(f"c_t = {product} + i_t \\odot g_t\n" + DECLS)
    assert system.shapes["c"] == shape
    assert reading in {r.reading for r in system.readings}


def test_dot_product_added_to_a_number_reads_as_torchs_dot() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile("y = w \\cdot x + 2\nw \\in \\mathbb{R}^{n}, x \\in \\mathbb{R}^{n}")
    assert system.shapes["y"] == ()
    assert "dot product" in {r.reading for r in system.readings}
    module = system.to_torch({"n": 5}, dtype=torch.float64)
    params = dict(module.named_parameters())
    with torch.no_grad():
        for p in params.values():
            p.normal_()
    x = torch.randn(3, 5, dtype=torch.float64)
    want = x @ params["w"] + 2
    assert torch.allclose(module(x=x)["y"].reshape(-1), want.reshape(-1), atol=1e-12)
