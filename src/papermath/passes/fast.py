"""Passes for speed, each preserving results (tests compare before and after):

- :func:`split_concat_products`: ``W [h_{t-1}, x_t]`` becomes ``W_h h_{t-1} + W_x x_t``,
  with ``W_h``, ``W_x`` column blocks of ``W`` (computed once, outside the loop);
- :func:`merge_products`: products of several matrices with the same vector (the four
  gates) become one product with the stacked matrix, then row blocks;
- :func:`hoist`: what depends only on the inputs (``W_x x_t``) is computed for every step
  at once, before the loop, as one matrix product;
- :func:`dead_code`: drop what nothing uses.

The blocks are sizes, not numbers, so the passes work for any dims.
"""

from __future__ import annotations

from dataclasses import replace

from ..ir.prims import add_p, affine_p, concat_p, fn_p, matmul_p, mul_p, slice_p, sub_p
from ..ir.program import Op, Program, Value
from ..shapes.sizes import Size


def _uses(program: Program) -> dict[Value, list[Op]]:
    out: dict[Value, list[Op]] = {}
    for op in program.ops():
        for v in op.inputs:
            out.setdefault(v, []).append(op)
    return out


def _size_sum(sizes: list[Size]) -> Size:
    total = Size.const(0)
    for s in sizes:
        total = total + s
    return total


def split_concat_products(program: Program) -> Program:
    if program.step_index is None:
        return program  # only a recurrence gains: the input's part can leave the loop
    producers = {op.out: op for op in program.ops()}
    static = list(program.static_ops)
    step: list[Op] = []
    static_values = {op.out for op in static} | {p.value for p in program.params}
    uses = _uses(program)
    counter = 0
    # `W [h, x] + b` (the product used only by the sum): the bias joins the input's part,
    # W_h h + (W_x x + b), so that the whole bracket can leave the loop
    bias_of: dict[Value, Op] = {}
    for op in program.step_ops:
        if (
            op.prim is add_p
            and op.inputs[1] in static_values
            and len(op.out.shape) == 1
            and op.attrs.get("align") == ((0,), (0,))
            and len(uses.get(op.inputs[0], [])) == 1
        ):
            bias_of[op.inputs[0]] = op
    skip: set[int] = set()
    for op in program.step_ops:
        if id(op) in skip:
            continue
        cat = producers.get(op.inputs[1]) if op.prim is matmul_p else None
        w = op.inputs[0] if op.inputs else op.out
        if (
            cat is None
            or cat.prim is not concat_p
            or w not in static_values
            or w.batched
            or len(op.out.shape) != 1
            or any(len(v.shape) != 1 for v in cat.inputs)
        ):
            step.append(op)
            continue
        bias = bias_of.get(op.out)
        final = bias.out if bias is not None else op.out
        start = Size.const(0)
        prods = []
        for item in cat.inputs:
            counter += 1
            stop = start + item.shape[0]
            block = Value(f"{w.name}_blk{counter}", (w.shape[0], item.shape[0]), False)
            static.append(
                Op(
                    slice_p,
                    (w,),
                    block,
                    op.span,
                    op.equation,
                    {"axis": 1, "start": start, "stop": stop},
                )
            )
            prod = Value(f"{op.out.name}_p{counter}", op.out.shape, item.batched)
            step.append(Op(matmul_p, (block, item), prod, op.span, op.equation, {}))
            prods.append(prod)
            start = stop
        if bias is not None:  # the bias joins the last part (the input's, in [h, x])
            skip.add(id(bias))
            with_bias = Value(
                f"{op.out.name}_b", op.out.shape, prods[-1].batched or bias.inputs[1].batched
            )
            step.append(
                Op(
                    add_p,
                    (prods[-1], bias.inputs[1]),
                    with_bias,
                    bias.span,
                    bias.equation,
                    {"align": ((0,), (0,))},
                )
            )
            prods[-1] = with_bias
        partial = prods[0]
        for k, prod in enumerate(prods[1:], start=1):
            both = partial.batched or prod.batched
            last = (
                final if k == len(prods) - 1 else Value(f"{op.out.name}_s{k}", op.out.shape, both)
            )
            step.append(
                Op(add_p, (partial, prod), last, op.span, op.equation, {"align": ((0,), (0,))})
            )
            partial = last
        assert partial is final
    return replace(program, static_ops=static, step_ops=step)


def merge_products(program: Program) -> Program:
    """Matrix products with one shared batched vector become one product and row blocks.

    Only inside a recurrence, where it saves operations at every step; elsewhere the
    strided blocks cost more than the products they save."""
    if program.step_index is None:
        return program
    static = list(program.static_ops)
    static_values = {op.out for op in static} | {p.value for p in program.params}
    groups: dict[Value, list[Op]] = {}
    for op in program.step_ops:
        if (
            op.prim is matmul_p
            and op.inputs[0] in static_values
            and op.inputs[1].batched
            and len(op.inputs[1].shape) == 1
            and len(op.out.shape) == 1
        ):
            groups.setdefault(op.inputs[1], []).append(op)
    merged: dict[int, list[Op]] = {}
    for k, (v, ops) in enumerate(groups.items()):
        if len(ops) < 2:
            continue
        mats = tuple(op.inputs[0] for op in ops)
        rows = _size_sum([m.shape[0] for m in mats])
        stacked = Value(f"W_stack{k}", (rows, mats[0].shape[1]), False)
        static.append(Op(concat_p, mats, stacked, ops[0].span, ops[0].equation, {}))
        whole = Value(f"{v.name}_all{k}", (rows,), True)
        new = [Op(matmul_p, (stacked, v), whole, ops[0].span, ops[0].equation, {})]
        start = Size.const(0)
        for op in ops:
            stop = start + op.out.shape[0]
            new.append(
                Op(
                    slice_p,
                    (whole,),
                    op.out,
                    op.span,
                    op.equation,
                    {"axis": 0, "start": start, "stop": stop},
                )
            )
            start = stop
        merged[id(ops[0])] = new
        for op in ops[1:]:
            merged[id(op)] = []
    step: list[Op] = []
    for op in program.step_ops:
        step.extend(merged.get(id(op), [op]))
    return replace(program, static_ops=static, step_ops=step)


def lift_blockwise(program: Program) -> Program:
    """``slice(A, k) + y_k`` for every block k of A (y_k a block of B, or a parameter) is one
    sum on the whole of A, then blocks: the four gates' sums become one."""
    static = list(program.static_ops)
    static_values = {op.out for op in static} | {p.value for p in program.params}
    slices = {op.out: op for op in program.ops() if op.prim is slice_p and op.attrs["axis"] == 0}
    groups: dict[tuple[object, ...], list[tuple[Op, Op, Op | None]]] = {}
    for op in program.step_ops:
        if op.prim is not add_p or op.attrs.get("align") != ((0,), (0,)):
            continue
        a, b = op.inputs
        sa = slices.get(a)
        if sa is None:
            continue
        sb = slices.get(b)
        if sb is not None and (sb.attrs["start"], sb.attrs["stop"]) == (
            sa.attrs["start"],
            sa.attrs["stop"],
        ):
            if sb.inputs[0].shape != sa.inputs[0].shape:
                continue
            key: tuple[object, ...] = (sa.inputs[0], "block", sb.inputs[0])
        elif b in static_values:
            key = (sa.inputs[0], "static")
        else:
            continue
        groups.setdefault(key, []).append((op, sa, sb))
    replaced: dict[int, list[Op]] = {}
    counter = 0
    for key, members in groups.items():
        whole = key[0]
        assert isinstance(whole, Value)
        members.sort(key=lambda m: m[1].attrs["start"].evaluate(program.sizes) or 0)
        starts = [m[1].attrs["start"] for m in members]
        stops = [m[1].attrs["stop"] for m in members]
        if (
            starts[0] != Size.const(0)
            or stops[-1] != whole.shape[0]
            or any(stops[i] != starts[i + 1] for i in range(len(members) - 1))
        ):
            continue
        counter += 1
        first = members[0][0]
        if key[1] == "static":
            other = Value(f"b_stack{counter}", whole.shape, False)
            static.append(
                Op(
                    concat_p,
                    tuple(m[0].inputs[1] for m in members),
                    other,
                    first.span,
                    first.equation,
                    {},
                )
            )
            static_values.add(other)
        else:
            other = key[2]  # type: ignore[assignment]
            assert isinstance(other, Value)
        summed = Value(f"{whole.name}_sum{counter}", whole.shape, True)
        new = [
            Op(add_p, (whole, other), summed, first.span, first.equation, {"align": ((0,), (0,))})
        ]
        for op, sa, _ in members:
            new.append(Op(slice_p, (summed,), op.out, op.span, op.equation, dict(sa.attrs)))
        order = sorted(members, key=lambda m: program.step_ops.index(m[0]))
        replaced[id(order[0][0])] = new
        for op, _, _ in order[1:]:
            replaced[id(op)] = []
    if not replaced:
        return program
    step: list[Op] = []
    for op in program.step_ops:
        step.extend(replaced.get(id(op), [op]))
    return replace(program, static_ops=static, step_ops=step)


# Slices stay in the loop: one sequence per merged product is read per step (unbind).
HOISTABLE = {matmul_p, add_p, sub_p, mul_p, concat_p, fn_p}


def hoist(program: Program) -> Program:
    """Ops of a recurrence that read no state are computed for all steps before the loop."""
    if program.step_index is None:
        return program
    free = {p.value for p in program.params} | {op.out for op in program.static_ops}
    free |= {i.value for i in program.inputs}
    # what varies from step to step: the inputs given per step, and what is computed from them
    stepped = {i.value for i in program.inputs if i.per == "step"}
    stepped |= {op.out for op in program.pre_ops}
    pre: list[Op] = []
    once: list[Op] = []  # the same at every step (parameters, inputs given once): computed once
    step: list[Op] = []
    named = set(program.outputs.values())
    for op in program.step_ops:
        if (
            op.prim in HOISTABLE
            and all(v in free for v in op.inputs)
            and op.out not in named
            and not (op.prim is matmul_p and op.inputs[0].batched)
        ):
            if any(v in stepped for v in op.inputs):
                pre.append(op)
                stepped.add(op.out)
            else:
                once.append(op)
            free.add(op.out)
        else:
            step.append(op)
    return replace(
        program,
        static_ops=program.static_ops + once,
        pre_ops=program.pre_ops + pre,
        step_ops=step,
    )


def fuse_affine(program: Program) -> Program:
    """``W x + b`` (the product used only by the sum) is one ``affine`` op: one GEMM call.
    ``b`` is a bias, or a per-sample addend (the input's projection in a recurrence)."""
    static_values = {op.out for op in program.static_ops} | {p.value for p in program.params}
    uses = _uses(program)
    producers = {op.out: op for op in program.ops()}
    named = set(program.outputs.values())

    def run(ops: list[Op]) -> list[Op]:
        out: list[Op] = []
        fused: set[int] = set()
        for op in ops:
            mm = producers.get(op.inputs[0]) if op.prim is add_p and op.inputs else None
            if (
                mm is not None
                and mm.prim is matmul_p
                and mm in ops
                and op.attrs.get("align") == ((0,), (0,))
                and len(op.inputs[1].shape) == 1
                and mm.inputs[0] in static_values
                and mm.inputs[1].batched
                and len(mm.inputs[1].shape) == 1
                and len(uses.get(mm.out, [])) == 1
                and mm.out not in named  # F = W_2 h, then y = F + x: F is an output
            ):
                fused.add(id(mm))
                out.append(
                    Op(
                        affine_p,
                        (mm.inputs[0], mm.inputs[1], op.inputs[1]),
                        op.out,
                        op.span,
                        op.equation,
                        {},
                    )
                )
            else:
                out.append(op)
        return [op for op in out if id(op) not in fused]

    return replace(program, pre_ops=run(program.pre_ops), step_ops=run(program.step_ops))


def dead_code(program: Program) -> Program:
    keep = set(program.outputs.values())
    ops = program.ops()
    used: set[Value] = set(keep)
    for op in reversed(ops):
        if op.out in used:
            used.update(op.inputs)
    return replace(
        program,
        static_ops=[op for op in program.static_ops if op.out in used],
        pre_ops=[op for op in program.pre_ops if op.out in used],
        step_ops=[op for op in program.step_ops if op.out in used],
    )
