"""Issue 25, the course notes' backward pass: sizes that carry the layer index (D_k, D_{k-1}),
a recurrence that runs backwards over layers, and a matrix written by its entries with index
ranges. The notes' own typo (delta_{k-1} annotated N x D_k) must be found at its equation,
with both sizes; the fixed notes must read; D_k = D_{k-1} is never a solved size."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import torch

import papermath
from papermath.errors import ReadingError, ShapeError
from papermath.parse import ast, parse

CASE = Path(__file__).resolve().parents[2] / "shared/corpus/seed_mlp_backward_samplefirst.toml"
NOTES = tomllib.loads(CASE.read_text())["latex"]
TYPO = r"\overdim{N}{D_k}{\delta_{k-1}}"
RANGE = r"j \in 1..D_k"
# the notes as they should have been: delta_{k-1} is N x D_{k-1}, and so is its range
FIXED = NOTES.replace(TYPO, r"\overdim{N}{D_{k-1}}{\delta_{k-1}}").replace(
    RANGE, r"j \in 1..D_{k-1}"
)
MACROS = r"""\newcommand{\overdim}[3]{\overset{\big[#1 \times #2 \big]}{#3}}
"""


def equation_of(err: papermath.PapermathError) -> int:
    """The number of the equation holding the error (counted by papermath's own parser)."""
    assert err.source is not None and err.span is not None
    start = err.span.start
    defs = [s for s in parse(err.source.text) if isinstance(s, ast.Definition)]
    return sum(1 for s in defs if s.span.start <= start)


def test_the_notes_typo_is_found_at_line_2_with_both_sizes() -> None:
    assert TYPO in NOTES and RANGE in NOTES  # the shared case is as the notes typed it
    with pytest.raises(ShapeError) as info:
        papermath.compile(NOTES)
    err = info.value
    assert equation_of(err) == 2 and err.line == 8
    assert "annotated (N, D_k)" in err.message and "right side is (N, D_{k-1})" in err.message
    assert "D_k and D_{k-1} are the widths of two different layers" in err.message
    # the caret is on the annotation of delta_{k-1}; a note points at the right side
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == r"\overset{\big[N \times D_k \big]}{\delta_{k-1}}"
    assert [n.message for n in err.notes] == ["the right side is (N, D_{k-1})"]


def test_the_fixed_notes_read() -> None:
    system = papermath.compile(FIXED)
    assert system.shapes["s"] == ("N", "D_k")
    assert system.shapes["z"] == ("N", "D_{k-1}")
    assert system.shapes["W"] == ("D_{k-1}", "D_k")
    assert system.shapes["delta"] == ("N", "D_k")  # delta_k; delta_{k-1} is N x D_{k-1}
    assert system.shapes["dz_ds"] == ("N", "D_{k-1}")
    assert not system.solved  # no width is solved equal to another
    assert system.kinds["dz_ds"] == "input" and system.kinds["W"] == "parameter"
    said = {r.reading for r in system.readings}
    assert "backward recurrence over k" in said
    assert "matrix of elementwise derivatives" in said
    assert "a value per layer k" in said
    assert "one W per layer" in said and "parameter shared across steps" not in said


def test_the_fixed_notes_agree_with_torch_autograd() -> None:
    """Independent oracle: for s_k = z_{k-1} W, z_{k-1} = f(s_{k-1}), autograd's dL/ds_{k-1}
    (delta_{k-1}) has the shape papermath reads for delta at layer k-1 (N x D_{k-1}), and
    equals delta_k W^T (.) f'(s_{k-1}) elementwise, as the fixed notes write."""
    n, d_prev, d_k = 4, 3, 5
    torch.manual_seed(0)
    s_prev = torch.randn(n, d_prev, requires_grad=True)
    w = torch.randn(d_prev, d_k)
    z_prev = torch.tanh(s_prev)
    s_k = z_prev @ w
    delta_k = torch.randn(n, d_k)
    (s_k * delta_k).sum().backward()
    assert s_prev.grad is not None
    formula = (delta_k @ w.T) * (1 - torch.tanh(s_prev.detach()) ** 2)
    torch.testing.assert_close(s_prev.grad, formula)
    sizes = {"N": n, "D_{k-1}": d_prev, "D_k": d_k}
    system = papermath.compile(FIXED)
    # delta_{k-1}: papermath's delta_k (N x D_k) one layer back
    at_k_minus_1 = tuple(sizes[a.replace("D_k", "D_{k-1}")] for a in system.shapes["delta"])
    assert at_k_minus_1 == tuple(s_prev.grad.shape)
    assert tuple(sizes[a] for a in system.shapes["W"]) == tuple(w.shape)
    assert tuple(sizes[a] for a in system.shapes["dz_ds"]) == tuple(s_prev.shape)


def test_the_typo_annotation_alone_is_the_error() -> None:
    """The range fixed, the annotation kept: the same error; the annotation fixed, the range
    kept: the range is the slip, named with both shapes."""
    with pytest.raises(ShapeError) as info:
        papermath.compile(NOTES.replace(RANGE, r"j \in 1..D_{k-1}"))
    assert equation_of(info.value) == 2 and "D_{k-1}" in info.value.message
    with pytest.raises(ShapeError) as info:
        papermath.compile(NOTES.replace(TYPO, r"\overdim{N}{D_{k-1}}{\delta_{k-1}}"))
    err = info.value
    assert "ranges" in err.message and "(N, D_k)" in err.message
    assert "(N, D_{k-1})" in err.message
    assert err.source is not None and err.span is not None
    assert r"1..D_k\end{matrix}" in err.source.snippet(err.span)


def test_two_layer_widths_are_never_solved_equal() -> None:
    """Inner sizes D_k against D_{k-1}: two plain sizes (k, n) would be solved; two widths of
    different layers are an error naming both, at the equation that forces them."""
    forced = MACROS + (
        r"\overdim{N}{D_k}{s_k} = \overdim{N}{D_k}{z_{k-1}} \cdot \overdim{D_{k-1}}{D_k}{W}"
    )
    with pytest.raises(ShapeError) as info:
        papermath.compile(forced)
    assert "D_k" in info.value.message and "D_{k-1}" in info.value.message
    plain = MACROS + r"\overdim{N}{m}{s_k} = \overdim{N}{n}{z_{k-1}} \cdot \overdim{p}{m}{W}"
    assert papermath.compile(plain).solved  # p = n: plain sizes are still an answer


def test_the_first_equation_alone_reads_with_one_W_per_layer() -> None:
    first = MACROS + (
        r"\overdim{N}{D_k}{s_k} = \overdim{N}{D_{k-1}}{z_{k-1}} \cdot \overdim{D_{k-1}}{D_{k}} {W}"
    )
    system = papermath.compile(first)
    assert {k: v for k, v in system.shapes.items() if k in ("s", "z", "W")} == {
        "s": ("N", "D_k"),
        "z": ("N", "D_{k-1}"),
        "W": ("D_{k-1}", "D_k"),
    }
    per_layer = [r for r in system.readings if r.reading == "one W per layer"]
    assert [r.subject for r in per_layer] == ["W"]


def test_the_backward_pass_is_refused_at_code_generation() -> None:
    system = papermath.compile(FIXED)
    with pytest.raises(ReadingError) as info:
        system.to_torch({"N": 2, "D_k": 3, "D_{k-1}": 4})
    assert "shape only" in info.value.message
    assert info.value.hint is not None and "forward" in info.value.hint + info.value.message


@pytest.mark.parametrize(
    "ranges",
    [
        r"i \in 1..N, j \in 1..D",
        r"\begin{matrix} i \in 1..N \\ j \in 1..D \end{matrix}",
        r"\begin{matrix} i \in \{1, \dots, N\} \\ j \in 1, \dots, D \end{matrix}",
        r"i \in \{1, \dots, N\}, j \in \{1, \dots, D\}",
    ],
)
def test_a_matrix_by_its_entries(ranges: str) -> None:
    """[a_{ij}]_{ranges} is the matrix a, N x D by its ranges; h = a W gives h N x M."""
    src = rf"h = \left[ a_{{ij}} \right]_{{{ranges}}} W" + "\n" + r"W \in \mathbb{R}^{D \times M}"
    system = papermath.compile(src)
    assert system.shapes["a"] == ("N", "D")
    assert system.shapes["h"] == ("N", "M")
    assert "matrix by its entries" in {r.reading for r in system.readings}


def test_a_range_from_zero_is_refused_at_the_range() -> None:
    src = r"h = [a_{ij}]_{i \in 0..N, j \in 1..D} W"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(src)
    err = info.value
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "0..N"
    assert err.hint is not None and "1..N" in err.hint


def test_an_entry_that_is_no_entry_is_refused() -> None:
    with pytest.raises(ReadingError) as info:
        papermath.compile(r"h = [a_{ij} + b_{ji}]_{i \in 1..N, j \in 1..D} W")
    assert "neither" in info.value.message


def test_a_left_side_one_step_back_without_a_later_step_stays_refused() -> None:
    with pytest.raises(ReadingError) as info:
        papermath.compile(r"h_{t-1} = W h_{t-2}")
    assert "not at t-1" in info.value.message


def test_a_derivative_matrix_is_no_learned_weight_and_has_no_code() -> None:
    src = (
        r"\delta = g \odot \left[\frac{\partial z_{ij}}{\partial s_{ij}}\right]"
        r"_{i \in 1..N, j \in 1..D}"
    )
    system = papermath.compile(src)
    assert system.shapes["dz_ds"] == ("N", "D") and system.shapes["delta"] == ("N", "D")
    assert system.kinds["dz_ds"] == "input"
    with pytest.raises(ReadingError) as info:
        system.to_torch({"N": 2, "D": 3})
    assert "dz_ds" in info.value.message and "shape only" in info.value.message
    assert info.value.hint is not None and "derivative" in info.value.hint


def test_a_layer_written_one_step_ahead_moves_its_widths_with_it() -> None:
    """z_{k+1} = f(z_k W) over N x D_{k+1}, N x D_k, D_k x D_{k+1}: read one step earlier
    (z_k from z_{k-1}), its annotated widths move too; no width is solved, code is refused."""
    src = MACROS + (
        r"\overdim{N}{D_{k+1}}{z_{k+1}} = \sigma(\overdim{N}{D_k}{z_k} \cdot "
        r"\overdim{D_k}{D_{k+1}}{W})"
    )
    system = papermath.compile(src)
    assert system.shapes["z"] == ("N", "D_k")
    assert system.shapes["W"] == ("D_{k-1}", "D_k")
    assert not system.solved
    with pytest.raises(ReadingError) as info:
        system.to_torch({"N": 2, "D_k": 3, "D_{k-1}": 4})
    assert "shape only" in info.value.message
