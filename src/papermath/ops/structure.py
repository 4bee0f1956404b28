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
    gather_p,
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
    HEAD_CONCAT,
    ONEHOT,
    PICK,
    Node,
    NotPrinted,
    head_block,
    head_sum,
    matmul,
    mul,
    transpose,
)
from ..shapes.sizes import Size

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op
    from ..passes.reverse import Heads, Reverse


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
    sizes, h·d_v, as the shapes stage wrote it); matrices joined by a double bar
    (shapes/rules_bar_concat): the same rows, their columns added."""
    if any(s[:-1] != ins[0][:-1] or len(s) != len(ins[0]) for s in ins):
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


def _tree_sliced(r: Reverse, op: Op) -> tuple[Node, int]:
    """The operand's tree and the printed axis cut: the rows of a vector (a column per
    sample), or the rows or the columns of a matrix printed as it is (the same for every
    sample, or one whose samples the source writes: z is N x D)."""
    (v,) = op.inputs
    axis = op.attrs.get("axis")
    if axis == 0 and len(v.shape) == 1:
        return r.forward(v), 0
    if len(v.shape) == 2 and axis in (0, 1) and not r.per_sample(v):
        return r.forward(v), int(axis)
    raise NotPrinted("gradient equations through a block of a matrix are not printed yet")


def tree_slice(r: Reverse, op: Op, xs: list[Node]) -> Node:
    x, axis = _tree_sliced(r, op)
    start, stop = op.attrs["start"], op.attrs["stop"]
    shape = (stop - start, x.shape[1]) if axis == 0 else (x.shape[0], stop - start)
    return Node(slice_p, (x,), shape, {"start": start, "stop": stop, "axis": axis})


def tree_vjp_slice(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """The rows (or columns) start:stop of the operand's gradient (the others get nothing
    from here): blocks, stacked back by the walk (``ir.tree.stacked``)."""
    x, axis = _tree_sliced(r, op)
    attrs = {"start": op.attrs["start"], "stop": op.attrs["stop"], "axis": axis}
    return [Node(BLOCK, (g,), x.shape, attrs)]


forward_tree_rules[slice_p] = tree_slice
vjp_tree_rules[slice_p] = tree_vjp_slice


# ---- gather: the entry of a vector at an integer label (f_{y_i}) -----------------------
def shape_gather(op: Op, ins: list[Shape]) -> Shape:
    """(K,) at a label () -> (): one entry per example; (K, d) at a label -> (d,): a row of a
    table the examples share (read/rules_table_rows.py)."""
    if not 1 <= len(ins[0]) <= 2 or ins[1] != () or (len(ins[0]) == 2 and op.inputs[0].batched):
        raise shape_failed(f"gather of {ins[0]} at {ins[1]}")
    return tuple(ins[0][1:])


def emit_gather(em: Emitter, op: Op, indent: int) -> None:
    x, y = op.inputs
    if not y.batched:
        raise shape_failed("gather: a label is one integer per example")
    if em.d.name == "numpy":
        label = f"np.asarray({em.expr[y]}).astype(np.int64)"
    else:
        label = f"{em.expr[y]}.to(torch.int64)"
    if not x.batched:  # a vector shared by the examples: the entry of each example's label
        # (a table's rows, read/rules_table_rows.py: one row per example, dim-first a column)
        turned = "" if len(x.shape) == 1 or em.sf else ".T"
        em.bind(op, f"{em.expr[x]}[{label}]{turned}", indent)
        return
    axis = em.axis(x, 0)
    if em.d.name == "numpy":
        picked = f"np.take_along_axis({em.expr[x]}, np.expand_dims({label}, {axis}), axis={axis})"
    else:
        picked = f"torch.gather({em.expr[x]}, {axis}, {label}.unsqueeze({axis}))"
    em.bind(op, f"{picked}.squeeze({axis})", indent)


def vjp_gather(bw: Backward, op: Op, g: str) -> None:
    """The gradient goes to the picked entry only (a scatter-add into the picked axis); the
    label, an integer, has none."""
    x, y = op.inputs
    label = f"np.asarray({bw.e.expr[y]}).astype(np.int64)"
    xs = bw.e.expr[x]
    if not x.batched and len(x.shape) == 2:  # a table's rows: each example's into its row
        rows = f"np.asarray({g})" if bw.e.sf else f"np.asarray({g}).T"  # dim-first: columns
        hot = f"(np.arange({xs}.shape[0])[:, None] == {label}.reshape(-1)[None, :])"  # W x N
        bw.add(x, f"{hot}.astype({xs}.dtype) @ {rows}.reshape(-1, {xs}.shape[1])")
        return
    if not x.batched:  # every example's gradient added into the one shared vector
        bw.add(
            x,
            f"np.bincount({label}.reshape(-1), weights=np.asarray({g}).reshape(-1), "
            f"minlength={xs}.shape[0])",
        )
        return
    axis = bw.e.axis(x, 0)  # counted from the end: the classes' axis
    classes = f"np.arange({xs}.shape[{axis}]).reshape((-1,) + (1,) * {-axis - 1})"
    bw.add(x, f"np.where(np.expand_dims({label}, {axis}) == {classes}, "
           f"np.expand_dims({g}, {axis}), 0.0)")  # fmt: skip


shape_rules[gather_p] = shape_gather
emit_rules[gather_p] = emit_gather
vjp_rules[gather_p] = vjp_gather


def tree_gather(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """``\\left[f\\right]_{y}``: each sample's entry of f at its label (a row over the
    samples)."""
    x, label = xs
    if len(op.inputs[0].shape) == 2:  # a table's row (read/rules_table_rows.py): V^T onehot
        return matmul(transpose(x), Node(ONEHOT, (label,), (x.shape[0], label.shape[1])))
    return Node(PICK, (x, label), (Size.const(1), label.shape[1]))


def tree_vjp_gather(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """The gradient reaches each sample's picked entry only: the one-hot columns of the
    labels times the picked value's gradient (summed over the samples, by the walk's
    unbroadcasting, for a vector the samples share); the label, an integer, has none."""
    x, label = (r.forward(v) for v in op.inputs)
    hot = Node(ONEHOT, (label,), (x.shape[0], label.shape[1]))
    if len(op.inputs[0].shape) == 2:  # a table's rows: each sample's gradient into its row
        return [matmul(hot, transpose(g)), None]
    return [r.to_operand(op, 0, mul(hot, g)), None]


forward_tree_rules[gather_p] = tree_gather
vjp_tree_rules[gather_p] = tree_vjp_gather


def label_inputs(program: object) -> dict[str, Size]:
    """The inputs that are integer labels (y of f_{y_i}): key -> the number of classes (the
    size of the vector they pick from). Random data draws them in range; they have no
    gradient."""
    from ..ir.program import Program

    assert isinstance(program, Program)
    keys = {inp.value: inp.key for inp in program.inputs}
    out: dict[str, Size] = {}
    for op in program.ops():
        if op.prim is gather_p and op.inputs[1] in keys:
            out[keys[op.inputs[1]]] = op.inputs[0].shape[0]
    return out


def _family(r: Reverse, op: Op) -> tuple[Heads, bool]:
    """The heads of a concatenation of a family, and whether its parts are one value (the
    source's [SA_1(z); ...; SA_k(z)] with one SA: every head the same)."""
    if r.heads is None:
        raise NotPrinted("gradient equations through heads side by side are not printed yet")
    same = all(v is op.inputs[0] for v in op.inputs)
    if not same and (op.inputs[0] not in r.heads.values or set(op.inputs[1:]) & r.heads.values):
        raise NotPrinted("gradient equations through heads side by side are not printed yet")
    return r.heads, same


def tree_concat_last(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """``\\mathrm{Concat}_{i=1}^{h}\\left(\\mathrm{head}_i\\right)``: head i's value (or the
    one value of every head), side by side for i = 1..h."""
    heads, _ = _family(r, op)
    attrs = {"head": heads.letter, "count": heads.count}
    return Node(HEAD_CONCAT, (xs[0],), r.shape2(op.out), attrs)


def tree_vjp_concat_last(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Head i's block of the columns of the gradient to head i's value (the other heads'
    values get nothing: the heads are printed for one head i); where every head is one
    value, the sum of every head's block."""
    heads, same = _family(r, op)
    block = head_block(g, 1, heads.letter, r.shape2(op.inputs[0])[1])
    first = head_sum(block, heads.letter, heads.count) if same else block
    return [first, *[None] * (len(op.inputs) - 1)]


forward_tree_rules[concat_last_p] = tree_concat_last
vjp_tree_rules[concat_last_p] = tree_vjp_concat_last
