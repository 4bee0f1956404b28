"""The type check: every op's result shape follows from its inputs by its primitive's rule.

Run after lowering and after every pass (Autodidax's ``typecheck_jaxpr``), the backends'
``sink_projections`` included. A failure is an internal error in papermath, never the
user's: it raises :class:`~papermath.errors.InternalError` with the op (not ``assert``: the
check stands under ``python -O`` too).
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import InternalError
from ..shapes.sizes import Size
from .program import UNBATCHING, Op, Program

Shape = tuple[Size, ...]


def _failed(what: object) -> InternalError:
    return InternalError(f"the type check failed: {what}")


def _s(shape: tuple[str, ...]) -> Shape:
    return tuple(Size.parse(x) for x in shape)


def _elementwise(op: Op, ins: list[Shape]) -> Shape:
    out = _s(op.out.shape)
    align = op.attrs.get("align") or tuple(tuple(range(len(out))) for _ in ins)
    for shape, axes in zip(ins, align, strict=True):
        used = [a for a in axes if a is not None]
        if sorted(used) != list(range(len(shape))):
            raise _failed(f"bad alignment {axes} for {shape}")
        for res_axis, a in enumerate(axes):
            if a is not None and shape[a] != out[res_axis]:
                raise _failed(f"{shape} does not align with {out}")
    return out


def _same(op: Op, ins: list[Shape]) -> Shape:
    return ins[0]


def _matmul(op: Op, ins: list[Shape]) -> Shape:
    a, b = ins
    if not (len(a) == 2 and len(b) in (1, 2) and a[1] == b[0]):
        raise _failed(f"matmul {a} @ {b}")
    if len(b) == 1:
        return () if a[0] == Size.const(1) else (a[0],)
    return (a[0], b[1])


def _vecmat(op: Op, ins: list[Shape]) -> Shape:
    a, b = ins
    if not (len(a) == 1 and len(b) == 2 and a[0] == b[0]):
        raise _failed("shape rule: len(a) == 1 and len(b) == 2 and a[0] == b[0]")
    return (b[1],)


def _dot(op: Op, ins: list[Shape]) -> Shape:
    a, b = ins
    if not (len(a) == 1 and a == b):
        raise _failed("shape rule: len(a) == 1 and a == b")
    return ()


def _transpose(op: Op, ins: list[Shape]) -> Shape:
    (a,) = ins
    if not a:
        return ()  # a scalar is its own transpose
    if len(a) == 1:
        return (Size.const(1), a[0])
    if len(a) != 2:
        raise _failed("shape rule: len(a) == 2")
    return (a[1], a[0])


def _concat(op: Op, ins: list[Shape]) -> Shape:
    total = Size.const(0)
    rest = None
    for s in ins:
        total = total + (s[0] if s else Size.const(1))
        if len(s) > 1:
            if not (rest is None or rest == s[1:]):
                raise _failed("shape rule: rest is None or rest == s[1:]")
            rest = s[1:]
    return (total, *(rest or ()))


def _concat_last(op: Op, ins: list[Shape]) -> Shape:
    """The heads side by side: equal shapes in, the last axis h times as long (a product of
    sizes, h·d_v, as the shapes stage wrote it)."""
    if any(s != ins[0] for s in ins):
        raise _failed(f"{ins}")
    out = tuple(Size.parse(s) for s in op.out.shape)
    if out[:-1] != ins[0][:-1]:
        raise _failed("shape rule: out[:-1] == ins[0][:-1]")
    return out


def _slice(op: Op, ins: list[Shape]) -> Shape:
    (x,) = ins
    axis = op.attrs["axis"]
    start, stop = Size.parse(op.attrs["start"]), Size.parse(op.attrs["stop"])
    if not 0 <= axis < len(x):
        raise _failed("shape rule: 0 <= axis < len(x)")
    return (*x[:axis], stop - start, *x[axis + 1 :])


def _affine(op: Op, ins: list[Shape]) -> Shape:
    w, x, b = ins
    if not (len(w) == 2 and len(x) == 1 and w[1] == x[0] and b == (w[0],)):
        raise _failed(f"affine {ins}")
    return (w[0],)


SHAPE_RULES: dict[str, Callable[[Op, list[Shape]], Shape]] = {
    "const": lambda op, ins: (),
    "add": _elementwise,
    "sub": _elementwise,
    "mul": _elementwise,
    "div": _elementwise,
    "maximum": _elementwise,
    "minimum": _elementwise,
    "neg": _same,
    "fn": _same,
    "softmax": _same,
    "pow": _same,
    "matmul": _matmul,
    "vecmat": _vecmat,
    "dot": _dot,
    "transpose": _transpose,
    "concat": _concat,
    "norm": lambda op, ins: (),
    "nodesum": _same,
    "sum": lambda op, ins: ins[0][1:],
    "prod": lambda op, ins: ins[0][1:],
    "neighbour_sum": _same,
    "to_edges": _same,
    "edge_sum": _same,
    "take": lambda op, ins: ins[0][1:],
    "concat_last": _concat_last,
    "to_nodes": _same,
    "batchsum": _same,
    "count": lambda op, ins: (),
    "slice": _slice,
    "affine": _affine,
}


def typecheck(program: Program) -> None:
    defined = {p.value for p in program.params} | {i.value for i in program.inputs}
    defined |= {s.prev for s in program.states}
    for op in program.ops():
        for v in op.inputs:
            if v not in defined:
                raise _failed(f"{op!r} uses {v!r} before it is defined")
        got = SHAPE_RULES[op.prim](op, [_s(v.shape) for v in op.inputs])
        if got != _s(op.out.shape):
            raise _failed(f"{op!r}: rule gives {got}, op says {op.out.shape}")
        batched = any(v.batched for v in op.inputs) and op.prim not in UNBATCHING
        if op.out.batched != batched:
            raise _failed(f"{op!r}: batch flag")
        defined.add(op.out)
    for state in program.states:
        out = program.outputs[state.key]
        if _s(out.shape) != _s(state.shape):
            raise _failed(f"state {state.key} changes shape")
