"""Structure: values put together (``concat``, a family's heads side by side) or taken apart
(a block of rows or columns, one parameter of a stack). No arithmetic: their gradients route
pieces of the incoming gradient back to where they came from.

Each primitive's shape rule, its code (NumPy and torch: ``em.d`` is the dialect) and its
vector-Jacobian product, in that order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..ir.prims import (
    concat_last_p,
    concat_p,
    slice_p,
    take_p,
)
from ..ir.program import Op
from ..ir.rules import (
    Shape,
    emit_rules,
    forward_tree_rules,
    shape_failed,
    shape_rules,
    vjp_rules,
    vjp_tree_rules,
)
from ..ir.tree import (
    BLOCK,
    Node,
    NotPrinted,
)
from ..shapes.sizes import Size

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op
    from ..passes.reverse import Reverse


# ---- concat ----------------------------------------------------------------------------
def shape_concat(op: Op, ins: list[Shape]) -> Shape:
    total = Size.const(0)
    rest = None
    for s in ins:
        total = total + (s[0] if s else Size.const(1))
        if len(s) > 1:
            if not (rest is None or rest == s[1:]):
                raise shape_failed("shape rule: rest is None or rest == s[1:]")
            rest = s[1:]
    return (total, *(rest or ()))


def emit_concat(em: Emitter, op: Op, indent: int) -> None:
    batched = op.out.batched
    ref = next((v for v in op.inputs if v.batched), None)
    parts = []
    for v in op.inputs:
        name = em.expr[v]
        if batched and not v.batched and ref is not None:
            # the same for every example (a parameter, a batch mean): given to each of them,
            # its batch (and time) axes taken from a batched part
            whole, rank = em.expr[ref], len(ref.shape)
            if not v.shape:
                name = f"{name}[None]"
            if em.sf:
                shape = f"{whole}.shape[:{whole}.ndim - {rank}] + {name}.shape"
            else:
                name = f"{name}[..., None]"
                shape = f"{whole}.shape[:{whole}.ndim - {rank + 1}] + {name}.shape[:-1] + "
                shape += f"{whole}.shape[-1:]"
            parts.append(f"{em.d.mod}.broadcast_to({name}, {shape})")
            continue
        if not v.shape:  # a scalar counts as size 1 (a leading time axis or none)
            if batched and v.batched:
                name = f"{name}[..., None]" if em.sf else f"{name}[..., None, :]"
            else:
                name = f"{name}[None]"
        parts.append(name)
    axis = em.axis(op.out, 0)
    em.bind(op, f"{em.d.cat}([{', '.join(parts)}], {em.d.axis_kw}={axis})", indent)


def vjp_concat(bw: Backward, op: Op, g: str) -> None:
    start = 0
    rank = len(op.out.shape)
    for v in op.inputs:
        size = bw.e.size(v.shape[0]) if v.shape else 1
        piece = f"{start}:{start + size}" if v.shape else f"{start}"  # a scalar: one entry
        index = "..., " + piece + ", :" * (rank - 1) if bw.e.sf else piece
        if op.out.batched and not v.batched:  # given to every example: the sum over them
            bw.add(v, bw.sum_axes(f"{g}[{index}]", [bw.e.batch_axis]))
        else:
            bw.add(v, f"{g}[{index}]")
        start += size


shape_rules[concat_p] = shape_concat
emit_rules[concat_p] = emit_concat
vjp_rules[concat_p] = vjp_concat


# ---- slice -----------------------------------------------------------------------------
def shape_slice(op: Op, ins: list[Shape]) -> Shape:
    (x,) = ins
    axis = op.attrs["axis"]
    start, stop = op.attrs["start"], op.attrs["stop"]
    if not 0 <= axis < len(x):
        raise shape_failed("shape rule: 0 <= axis < len(x)")
    return (*x[:axis], stop - start, *x[axis + 1 :])


def emit_slice(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    k = em.axis(x, op.attrs["axis"])
    start, stop = em.size(op.attrs["start"]), em.size(op.attrs["stop"])
    index = f"..., {start}:{stop}" + ", :" * (-k - 1)
    em.bind(op, f"{em.expr[x]}[{index}]", indent)


def vjp_slice(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    k = bw.e.axis(x, op.attrs["axis"])
    start, stop = bw.e.size(op.attrs["start"]), bw.e.size(op.attrs["stop"])
    bw.add_into(x, f"..., {start}:{stop}{', :' * (-k - 1)}", g)


shape_rules[slice_p] = shape_slice
emit_rules[slice_p] = emit_slice
vjp_rules[slice_p] = vjp_slice


# ---- take, concat_last: the heads of a family ------------------------------------------
def shape_take(op: Op, ins: list[Shape]) -> Shape:
    return ins[0][1:]


def emit_take(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    em.bind(op, f"{em.expr[x]}[{int(op.attrs['index'])}]", indent)


def vjp_take(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs  # the stacked parameter: head k's slice gets the gradient
    bw.add_into(x, str(int(op.attrs["index"])), g)


shape_rules[take_p] = shape_take
emit_rules[take_p] = emit_take
vjp_rules[take_p] = vjp_take


def shape_concat_last(op: Op, ins: list[Shape]) -> Shape:
    """The heads side by side: equal shapes in, the last axis h times as long (a product of
    sizes, h·d_v, as the shapes stage wrote it)."""
    if any(s != ins[0] for s in ins):
        raise shape_failed(f"{ins}")
    out = op.out.shape
    if out[:-1] != ins[0][:-1]:
        raise shape_failed("shape rule: out[:-1] == ins[0][:-1]")
    return out


def emit_concat_last(em: Emitter, op: Op, indent: int) -> None:
    parts = ", ".join(em.expr[v] for v in op.inputs)
    axis = em.axis(op.out, len(op.out.shape) - 1)
    em.bind(op, f"{em.d.cat}([{parts}], {em.d.axis_kw}={axis})", indent)


def vjp_concat_last(bw: Backward, op: Op, g: str) -> None:
    k = bw.e.axis(op.out, len(op.out.shape) - 1)
    start = 0
    for v in op.inputs:
        size = bw.e.size(v.shape[-1])
        bw.add(v, f"{g}[..., {start}:{start + size}{', :' * (-k - 1)}]")
        start += size


shape_rules[concat_last_p] = shape_concat_last
emit_rules[concat_last_p] = emit_concat_last
vjp_rules[concat_last_p] = vjp_concat_last


# ---- printed gradients: structure ----------------------------------------------------------------
def tree_concat(r: Reverse, op: Op, xs: list[Node]) -> Node:
    rows = Size.const(0)
    for x in xs:
        rows = rows + x.shape[0]
    return Node(concat_p, tuple(xs), (rows, xs[0].shape[1]))


def tree_vjp_concat(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    if len(op.inputs) == 1:
        return [g]
    out: list[Node | None] = []
    start = Size.const(0)
    for v in op.inputs:
        rows = r.shape2(v)[0]
        out.append(Node(slice_p, (g,), (rows, g.shape[1]), {"start": start, "stop": start + rows}))
        start = start + rows
    return out


forward_tree_rules[concat_p] = tree_concat
vjp_tree_rules[concat_p] = tree_vjp_concat


def _tree_rows_of_vector(r: Reverse, op: Op) -> Node:
    if op.attrs.get("axis") != 0 or len(op.inputs[0].shape) != 1:
        raise NotPrinted("gradient equations through a block of a matrix are not printed yet")
    return r.forward(op.inputs[0])


def tree_slice(r: Reverse, op: Op, xs: list[Node]) -> Node:
    x = _tree_rows_of_vector(r, op)
    start, stop = op.attrs["start"], op.attrs["stop"]
    return Node(slice_p, (x,), (stop - start, x.shape[1]), {"start": start, "stop": stop})


def tree_vjp_slice(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """The rows start:stop of the operand's gradient (the others get nothing from here)."""
    x = _tree_rows_of_vector(r, op)
    return [Node(BLOCK, (g,), x.shape, {"start": op.attrs["start"], "stop": op.attrs["stop"]})]


forward_tree_rules[slice_p] = tree_slice
vjp_tree_rules[slice_p] = tree_vjp_slice
