r"""A colon in a subscript (parse/index_slices.py): GG-NN's ``A_{v:}`` (Li et al. 2016, eq.
2, the block row of the adjacency for node v), NumPy's ``W_{:, j}``: refused at the colon with
what papermath reads instead; a colon elsewhere keeps the general refusal."""

from __future__ import annotations

import pytest

import papermath
from papermath.errors import ParseError

# the slice alone (beside the stack of every node, Li et al.'s eq. 2 reads: block_slice.py)
GGNN = r"a_v^{(t)} = A_{v:}^\top h_v^{(t-1)} + b"


@pytest.mark.parametrize("source", [GGNN, r"y = W_{:, j} x", r"y = X_{i,:} w"])
def test_a_slice_in_a_subscript_is_refused_at_the_colon(source: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert "slice" in err.message and err.span is not None
    assert source[err.span.start : err.span.end] == ":"
    assert err.hint is not None
    # the hint names what the slice picks: GG-NN's block row, W's column j, X's row i
    said = {
        GGNN: "\\sum_{u \\in \\mathcal{N}(v)} A_{vu}^\\top h_u",
        "y = W_{:, j} x": "column j of W",
    }
    assert said.get(source, "row i of X") in err.hint


def test_a_colon_outside_a_subscript_keeps_the_general_refusal() -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile("y = a : b")
    assert "slice" not in info.value.message
