"""Numbers encoded as vectors: the sinusoidal positional encoding of Vaswani et al. (2017,
sec. 3.5), ``PE_{(pos,2i)} = \\sin(pos / 10000^{2i/d})``, ``PE_{(pos,2i+1)} = \\cos(pos /
10000^{2i/d})`` (read by :mod:`papermath.read.rules_sinusoid`).

``sinusoid`` takes one number per example (the position ``pos``) and gives a vector of the
op's size ``d``: entry ``j`` is ``\\sin(a w_j)`` for even ``j`` and ``\\cos(a w_j)`` for odd
``j``, with the frequency ``w_j = base^{-2 \\lfloor j/2 \\rfloor / d}``. For the positions
0, 1, ..., L-1 the rows are the table every transformer implementation precomputes.

Its gradient: ``d/da \\sin(a w_j) = w_j \\cos(a w_j)`` and ``d/da \\cos(a w_j) = -w_j
\\sin(a w_j)``, summed over the entries. No C++ for the fused step kernels: one entry of the
result needs the entry's own number j, which the kernels (one entry at a time, no index) do
not have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..ir.prims import sinusoid_p
from ..ir.rules import Shape, emit_rules, shape_failed, shape_rules, vjp_rules

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op, Value


def shape_sinusoid(op: Op, ins: list[Shape]) -> Shape:
    """One number in, a vector out: the op's own shape (its size d is the encoding's)."""
    (a,) = ins
    out = op.out.shape
    if a != () or len(out) != 1:
        raise shape_failed(f"a sinusoidal encoding of shape {out} from an operand of shape {a}")
    return out


def _parts(em: Emitter, op: Op, x: Value) -> tuple[str, str, str]:
    """The angle a w_j (laid out like the result), the frequencies w_j and the mask of the
    even entries, as expressions (each a column where the features run down, dim-first)."""
    d = em.size(op.out.shape[0])
    base = float(op.attrs["base"])
    xe = em.expr[x]
    if em.d.name == "numpy":
        j = f"np.arange({d})"
    else:  # the dtype and device of the position itself
        j = f"torch.arange({d}, dtype={xe}.dtype, device={xe}.device)"
    freq = f"({base!r} ** (-2.0 * ({j} // 2) / {d}))"
    even = f"(({j} % 2) == 0)"
    if x.batched and em.sf:
        angle = f"{xe}[..., None] * {freq}"
    elif x.batched:  # dim-first: (d, N)
        freq, even = f"{freq}[:, None]", f"{even}[:, None]"
        angle = f"{xe}[..., None, :] * {freq}"
    else:
        angle = f"{xe} * {freq}"
    return angle, freq, even


def emit_sinusoid(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    angle, _, even = _parts(em, op, x)
    m = em.d.mod
    em.bind(op, f"{m}.where({even}, {m}.sin({angle}), {m}.cos({angle}))", indent)


def vjp_sinusoid(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    e = bw.e
    angle, freq, even = _parts(e, op, x)
    m = e.d.mod
    slope = f"{m}.where({even}, {freq} * {m}.cos({angle}), -{freq} * {m}.sin({angle}))"
    axis = e.axis(op.out, 0)
    keyword = "axis" if e.d.name == "numpy" else "dim"
    bw.add(x, f"({g} * {slope}).sum({keyword}={axis})")


shape_rules[sinusoid_p] = shape_sinusoid
emit_rules[sinusoid_p] = emit_sinusoid
vjp_rules[sinusoid_p] = vjp_sinusoid
