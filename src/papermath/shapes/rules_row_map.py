# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``row-map``: a learnable function applied to a matrix whose rows the
declared result keeps is applied to each row (an MLP per node).

What people write (PyTorch Geometric's GINConv docstring, the matrix form of GIN, Xu et al.
2019; the node features are the rows of ``X``, N x F)::

    \mathbf{X}^{\prime} = h_{\mathbf{\Theta}} \left( \left( \mathbf{A} + (1 + \epsilon) \cdot \mathbf{I} \right) \cdot \mathbf{X} \right)
    \mathbf{X} \in \mathbb{R}^{N \times F}, \mathbf{A} \in \mathbb{R}^{N \times N}, \mathbf{X}^{\prime} \in \mathbb{R}^{N \times H}

How papermath reads it: a function defined nowhere (``h_\Theta``) is a learnable map, which
takes a vector; given one matrix (N x F) it is applied to each ROW when the source declares
the result with the same rows and other columns (``X' \in R^{N \times H}``, H not F): the
function maps each row's F features to H (one affine map shared by the rows, as
``torch.nn.Linear`` applied to an N x F tensor), and the readings say so. Where the result's
shape is not declared, or keeps the columns instead (a map of each column), or keeps both
(N x F to N x F: each row F -> F, or each column N -> N?), it stays refused, with the hint to
write the function for one row.

Examples::

    Y = h(X), X \in \mathbb{R}^{N \times F}, Y \in \mathbb{R}^{N \times H}
    Y = h(A X), X \in \mathbb{R}^{N \times F}, A \in \mathbb{R}^{N \times N}, Y \in \mathbb{R}^{N \times H}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read import terms as t
from ..read.reader import Reading
from .engine import Clash, Stuck, WouldSolveDeclared
from .sizes import Shape, Size, shape_text

if TYPE_CHECKING:
    from .infer import Inference


def _named(s: Size) -> bool:
    """A size the source names (N, H, n + m), not one inference made up (?3)."""
    return bool(s.names) and not any(n.startswith("?") for n in s.names)


def per_row(inf: Inference, f: t.Learned) -> bool:
    """``h(X)`` with X a matrix: read ``h`` applied to each row where the declared result
    keeps X's rows and changes its columns; False (the caller refuses) where it does not.
    Raises Stuck while the result's shape is still open (a later round may fix it)."""
    if len(f.args) != 1 or inf.rank(f.args[0]) != 2:
        return False
    arg = f.args[0]
    shape: Shape | None = inf.shape(arg)
    out = inf.shape(f)
    if out is None:
        if inf.mode != "default":
            raise Stuck
        return False
    assert shape is not None
    if len(out) != 2:
        return False
    rows_kept = out[0] == shape[0] and _named(out[0])
    cols_changed = _named(out[1]) and _named(shape[1]) and out[1] != shape[1]
    if not (rows_kept and cols_changed):
        return False
    e = inf.engine
    if f.key not in inf.learned_out:
        inf.learned_out[f.key] = e.new_var()
        e.bind(inf.learned_out[f.key], (out[1],), f.span)
        inf.learned_in[f.key] = shape[1]
    try:
        e.unify_size(inf.learned_in[f.key], shape[1], f.span)
        learned = e.shape(inf.learned_out[f.key])
        assert learned is not None and len(learned) == 1
        e.unify_size(learned[0], out[1], f.span)
    except (Clash, WouldSolveDeclared):
        return False
    inf.read.readings.append(
        Reading(
            f.span,
            inf.snip(f),
            f"{f.key} applied to each row (one learnable map shared by the rows)",
            f"{f.key} is defined nowhere, so it is a learnable function of a vector; its "
            f"argument {inf.snip(arg)} is {shape_text(shape)} and the result is declared "
            f"{shape_text(out)}: the {e.resolve_size(shape[0]).text()} rows stay, each row's "
            f"{e.resolve_size(shape[1]).text()} features map to {e.resolve_size(out[1]).text()}",
        )
    )
    return True
