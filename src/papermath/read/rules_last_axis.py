r"""Notation rule ``code-last-axis-rows``: ``mean(x, axis=-1)`` written as code over a value the
source declares a matrix (Keras' ``[batch_size, d0, .. dN]``, read by parse/keras_shapes.py):
the mean over the last axis, one number per row.

What people write (keras.losses.hinge)::

    loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)

with y_true and y_pred declared ``batch_size x dN`` (in words or in the notation). How papermath
reads it: NumPy's ``np.mean(a, axis=-1)`` of a matrix is the mean of each row, a vector over
the rows (``batch_size``); the elementwise formula inside has the matrix's shape. Read so only
where ``axis=-1`` is written and a symbol the argument holds is declared with two axes (the
rows then are known to exist); a vector's ``mean(x, axis=-1)`` stays read/rules_losses.py's
mean over its entries. Only the mean (the mean of each row is a primitive papermath has);
``sum`` and ``max`` over the last axis of a matrix stay refused.

Example (reads: loss one number per row, batch_size)::

    ```python
    loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)
    ```

    $$y_{\text{true}} \in \mathbb{R}^{B \times n}, y_{\text{pred}} \in \mathbb{R}^{B \times n}$$
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .functions import ROW_MEAN
from .syntax import is_reals, split_axes

if TYPE_CHECKING:
    from .reader import Reader

RULE = "code-last-axis-rows"


def _matrices(reader: Reader) -> set[str]:
    """The keys the source declares with two axes."""
    out: set[str] = set()
    for s in reader.statements:
        if not (isinstance(s, ast.Declaration) and is_reals(s.space)):
            continue
        if not isinstance(s.space, ast.Sup) or len(split_axes(s.space.script)) != 2:
            continue
        for target in s.targets:
            parts = reader.symbol(target, quiet=True)
            if parts is not None:
                out.add(parts.key)
    return out


def rows(reader: Reader, node: ast.Call, arg: ast.Node, op: str) -> t.Term | None:
    """``mean(x, axis=-1)`` of a declared matrix: the mean of each row; None otherwise."""
    if op != "mean":
        return None
    matrices = _matrices(reader)
    held = [n for n in ast.walk(arg) if (p := reader.symbol(n, quiet=True)) and p.key in matrices]
    if not held or not all(
        isinstance(n, ast.Sub | ast.Letter | ast.Text) for n in held
    ):  # pragma: no cover - symbols
        return None
    shown = " ".join(reader.source.snippet(arg.span).split())
    names = sorted({reader.source.snippet(n.span) for n in held})
    reader.note(
        node.span,
        "mean over the last axis, each row",
        f"mean(..., axis=-1) in code of {shown}, which holds {', '.join(names)} (declared with "
        "two axes): NumPy's mean over the last axis, the mean of each row, one number per row "
        f"(rule {RULE})",
    )
    return t.Apply(node.span, ROW_MEAN, (reader.term(arg),))
