r"""Slices written in a subscript (parse/index_slices.py): ``X_{i,:}``, ``W_{:,j}``,
``U_{*,i}``, GG-NN's ``A_{v:}``, ``x_{1:k}``, ``x_{:k}``. None is read yet; each refusal has
its caret on the colon (or star) and a hint that says what the slice picks. The hint's claims
about NumPy's slices are checked against NumPy itself."""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath.errors import ParseError


def refused(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        papermath.compile(text)
    return info.value


def caret(text: str, err: ParseError) -> str:
    assert err.span is not None
    return text[err.span.start : err.span.end]


@pytest.mark.parametrize(
    ("text", "at", "said"),
    [
        (r"y = X_{i,:} W", ":", "row i of X (NumPy's X[i, :])"),
        (r"y = W_{:, j} + b", ":", "column j of W (NumPy's W[:, j])"),
        (r"y = U_{*,i} + b", "*", "column i of U (NumPy's U[:, i])"),
        (r"y = U_{i,*} + b", "*", "row i of U (NumPy's U[i, :])"),
        (r"y = U_{\ast,i} + b", r"\ast", "column i of U"),
        (r"y = x_{1:k}", ":", "from 1 to k"),
        (r"y = x_{:k}", ":", "the first k entries (or rows) of x (NumPy's x[:k])"),
        (r"y = A_{v:}^\top h", ":", "the part of A that belongs to v"),
        (r"y = X_{:, 2:5} w", ":", "whether the upper bound is in the block"),
        (r"y = X_{1:3, :} w", ":", "block of X between bounds"),
    ],
)
def test_a_slice_is_refused_at_its_colon_or_star_saying_what_it_picks(
    text: str, at: str, said: str
) -> None:
    err = refused(text)
    assert "slice" in err.message
    assert caret(text, err) == at
    assert said in (err.hint or "")


def test_the_hints_claims_about_numpy_slices_hold() -> None:
    x = np.arange(12.0).reshape(3, 4)
    # X_{i,:} is row i, W_{:,j} column j (NumPy's own reading of the written slices)
    assert np.array_equal(x[1, :], np.array([4.0, 5.0, 6.0, 7.0]))
    assert np.array_equal(x[:, 2], np.array([2.0, 6.0, 10.0]))
    # A[v:] (NumPy) is the rows from v to the end, not row v: the two readings of A_{v:} differ
    assert x[1:].shape == (2, 4) and x[1, :].shape == (4,)
    # 1:k holds k - 1 entries in NumPy (k in MATLAB's 1:k): the convention changes the size
    k, v = 3, np.arange(10.0)
    assert len(v[1:k]) == k - 1
    # X[:, 2:5] holds 3 columns (NumPy); MATLAB's X(:, 2:5) holds 4: the size depends on it
    assert np.arange(40.0).reshape(4, 10)[:, 2:5].shape == (4, 5 - 2)
    # :k is the first k entries under either convention's count
    assert len(v[:k]) == k


def test_a_star_elsewhere_keeps_its_own_refusal() -> None:
    err = refused(r"y = a * , b")
    assert "star in a subscript" not in err.message


def test_the_uvadlc_halves_keep_the_block_hint() -> None:
    text = r"e = \mathbf{a}_{:,:d/2} \mathbf{W} h + \mathbf{a}_{:,d/2:} \mathbf{W} g"
    err = refused(text)
    assert caret(text, err) == ":"
    assert "block of \\mathbf{a} between bounds" in (err.hint or "")
