r"""Notation rule ``layer-widths``: sizes that carry the layer index (``D_k``, ``D_{k-1}``).

What people write (course notes that annotate every factor with its size, the gist's
``\overdim``)::

    \overset{[N \times D_k]}{s_k} = \overset{[N \times D_{k-1}]}{z_{k-1}} \cdot
        \overset{[D_{k-1} \times D_k]}{W}

How papermath reads it: ``D_k`` and ``D_{k-1}`` are the widths of two different layers (the
size D at layer k and at layer k-1), not two free sizes. An equation that forces them equal
is an error naming both, at that equation, never a size solved as ``D_k = D_{k-1}`` (which
would say every layer has the same width: a slip in the source, as in the notes' backward
line whose left side is annotated N x D_k while its right side is N x D_{k-1}).

A symbol with no layer index whose annotated size changes with the layer (``W`` above,
D_{k-1} x D_k) is one matrix per layer, said in the readings. ``\overset{[D_k \times
D_{k-1}]}{W^T}`` annotates the transpose: W itself is D_{k-1} x D_k.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from ..errors import PapermathError
from ..parse import ast
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

# D_k, D_{k-1}, D_{k+1}, n_{l}: a size name with a layer index (one letter) and an offset
_LAYER_SIZE = re.compile(r"^([A-Za-z]+)_\{?([a-z])(?:([+-])(\d+))?\}?$")


def layer_of(size: str) -> tuple[str, str, int] | None:
    """``D_{k-1}`` -> ("D", "k", -1); ``D_k`` -> ("D", "k", 0); a plain size -> None."""
    m = _LAYER_SIZE.match(size.replace(" ", ""))
    if m is None:
        return None
    base, index, sign, n = m.groups()
    off = int(n) if n else 0
    return base, index, -off if sign == "-" else off


def different_layers(a: str, b: str) -> bool:
    """Two sizes that are the same width at two different layers (D_k and D_{k-1})."""
    la, lb = layer_of(a), layer_of(b)
    return la is not None and lb is not None and la[:2] == lb[:2] and la[2] != lb[2]


def flipped(reader: Reader, key: str, inner: ast.Node) -> ast.Node:
    """The size written above ``W^T`` (``D_k \times D_{k-1}``) as W's own (D_{k-1} x D_k)."""
    if isinstance(inner, ast.BinOp) and inner.op in ("times", "*"):
        return dataclasses.replace(inner, left=inner.right, right=inner.left)
    raise reader.error(
        f"the size written above {key}^T is not two sizes N \\times D",
        inner.span,
        hint=f"write the transpose's size as two sizes, e.g. \\overset{{[D \\times N]}}{{{key}^T}}",
    )


def backward(reader: Reader, lhs: t.Sym, s: ast.Definition) -> bool:
    r"""``\delta_{k-1} = \delta_k \cdot W^T \odot ...``: the left side one layer back from a
    value the right side reads at layer k. Read as a backward recurrence over k (layer k-1
    from layer k), in the frame the source writes it: for shapes only (code generation refuses
    it, :func:`refuse_code`). Any other left side at an offset stays refused (False)."""
    if lhs.offset >= 0 or lhs.step is None:
        return False
    later = False
    for node in ast.walk(s.rhs):
        if not isinstance(node, ast.Sub):
            continue
        try:
            parts = reader.symbol(node, quiet=True)
        except PapermathError:
            continue
        if parts is not None and parts.key == lhs.key and parts.step == lhs.step:
            if parts.offset <= lhs.offset:
                return False  # delta_{k-1} = f(delta_{k-2}): not backward
            later = True
    if not later:
        return False
    step = lhs.step
    reader.out.shapes_only.setdefault(
        lhs.key,
        (
            s.lhs.span,
            f"papermath computes forward recurrences; {lhs.key} runs backwards over {lhs.step} "
            "(its shapes are checked, not its values)",
        ),
    )
    reader.note(
        s.lhs.span,
        f"backward recurrence over {step}",
        f"{reader.source.snippet(s.lhs.span)} = ... defines {lhs.key} at layer "
        f"{step}{lhs.offset:+d} from {lhs.key}_{step}: a recurrence that runs backwards over "
        f"{step} (from the last layer to the first), read in the frame the source writes it, "
        "for shapes (papermath generates code for forward recurrences only)",
    )
    return True
