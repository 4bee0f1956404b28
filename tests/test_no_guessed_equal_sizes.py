"""A product whose operator allows several readings, of which only one fits and only by making
two declared sizes equal, is refused with both shapes and the sizes it would fix: choosing it
would solve a size the source never ties (issue 24: no size is solved to another declared size
unless the source's own text forces it). A size fixed to a number a declaration writes is the
source's own (w in R^{1 x D_z}: D_y = 1)."""

from __future__ import annotations

import pytest

from papermath import compile
from papermath.errors import ShapeError
from papermath.source import Source


def test_a_vector_times_a_batch_matrix_is_refused_not_solved() -> None:
    text = "Y = \\gamma X + \\beta\n"
    text += "X \\in \\mathbb{R}^{B \\times C}, \\gamma \\in \\mathbb{R}^{C}\n"
    with pytest.raises(ShapeError) as info:
        compile(Source(text, "t"))
    err = info.value
    assert "only if B = C" in err.message
    assert "\\gamma is (C) and X is (B, C)" in err.message
    assert text[err.span.start : err.span.end] == "\\gamma X"


def test_the_same_product_reads_when_the_sizes_are_declared_equal() -> None:
    text = "Y = \\gamma X + \\beta\n"
    text += "X \\in \\mathbb{R}^{C \\times C}, \\gamma \\in \\mathbb{R}^{C}\n"
    system = compile(Source(text, "t"))
    assert system.shapes["Y"] == ("C",) and system.solved == {}


def test_a_size_fixed_to_a_declared_number_is_still_solved() -> None:
    text = (
        "y = w \\cdot z\n"
        "w \\in \\mathbb{R}^{1 \\times D_z}, z \\in \\mathbb{R}^{D_z \\times N}, "
        "y \\in \\mathbb{R}^{D_y \\times N}\n"
    )
    system = compile(Source(text, "t"))
    assert system.solved == {"D_y": "1"}


def test_an_explicit_hadamard_still_forces_its_sizes_equal() -> None:
    """\\odot has one reading: the operator itself says the shapes are equal (k = n)."""
    text = "c = f \\odot h\nf \\in \\mathbb{R}^{k}, h \\in \\mathbb{R}^{n}\n"
    system = compile(Source(text, "t"))
    assert system.solved in ({"k": "n"}, {"n": "k"})
