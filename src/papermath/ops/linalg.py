"""Products: matrix times vector or matrix, vector times matrix, dot products, transposes,
and ``affine`` (``W x + b`` in one call, made by the speed passes).

Each primitive's shape rule, its code (NumPy and torch: ``em.d`` is the dialect) and its
vector-Jacobian product, in that order. A product the emitter cannot write as ``@`` is an
einsum (``Emitter.einsum_specs``), and its gradient the einsum with the roles of the indices
swapped (``Backward.einsum_vjp``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..ir.prims import (
    affine_p,
    dot_p,
    matmul_p,
    transpose_p,
    vecmat_p,
)
from ..ir.program import Op, Value
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
    ONE,
    Node,
    NotPrinted,
    matmul,
    mul,
    ones_of,
    transpose,
    unbroadcast,
)
from ..shapes.sizes import Size

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op
    from ..passes.reverse import Reverse


# ---- matmul ----------------------------------------------------------------------------
def shape_matmul(op: Op, ins: list[Shape]) -> Shape:
    a, b = ins
    if not (len(a) == 2 and len(b) in (1, 2) and a[1] == b[0]):
        raise shape_failed(f"matmul {a} @ {b}")
    if len(b) == 1:
        return () if a[0] == Size.const(1) else (a[0],)
    return (a[0], b[1])


def emit_matmul(em: Emitter, op: Op, indent: int) -> None:
    a, b = op.inputs
    x, y = em.expr[a], em.expr[b]
    if not op.out.shape and not b.shape[1:]:
        em.einsum(op, indent)  # a row times a column: a scalar, not a 1-vector
    elif not a.batched and not b.batched:
        em.bind(op, f"{x} @ {y}", indent)
    elif not a.batched and len(b.shape) == 1:
        # a matrix times a batch of vectors: one matrix product for the whole batch
        em.bind(op, f"{y} @ {x}.T" if em.sf else f"{x} @ {y}", indent)
    elif not a.batched and em.sf:
        em.bind(op, f"{x} @ {y}", indent)  # (r, c) @ (N, c, k) broadcasts over N
    else:
        em.einsum(op, indent)


def vjp_matmul(bw: Backward, op: Op, g: str) -> None:
    a, b = op.inputs
    x, y = bw.e.expr[a], bw.e.expr[b]
    simple = op.out.shape and not a.batched and len(b.shape) == 1
    if simple and b.batched:
        # forward: y = B @ A.T (sample-first) or A @ B (dim-first), for the whole batch
        if bw.e.sf:
            bw.add(a, f"{g}.T @ {y}")
            bw.add(b, f"{g} @ {x}")
        else:
            bw.add(a, f"{g} @ {y}.T")
            bw.add(b, f"{x}.T @ {g}")
        return
    if simple:
        bw.add(a, f"np.outer({g}, {y})")
        bw.add(b, f"{x}.T @ {g}")
        return
    bw.einsum_vjp(op, g)


shape_rules[matmul_p] = shape_matmul
emit_rules[matmul_p] = emit_matmul
vjp_rules[matmul_p] = vjp_matmul


# ---- vecmat, dot -----------------------------------------------------------------------
def shape_vecmat(op: Op, ins: list[Shape]) -> Shape:
    a, b = ins
    if not (len(a) == 1 and len(b) == 2 and a[0] == b[0]):
        raise shape_failed("shape rule: len(a) == 1 and len(b) == 2 and a[0] == b[0]")
    return (b[1],)


def emit_vecmat(em: Emitter, op: Op, indent: int) -> None:
    em.einsum(op, indent)


def vjp_einsum(bw: Backward, op: Op, g: str) -> None:
    bw.einsum_vjp(op, g)


shape_rules[vecmat_p] = shape_vecmat
emit_rules[vecmat_p] = emit_vecmat
vjp_rules[vecmat_p] = vjp_einsum


def shape_dot(op: Op, ins: list[Shape]) -> Shape:
    a, b = ins
    if not (len(a) == 1 and a == b):
        raise shape_failed("shape rule: len(a) == 1 and a == b")
    return ()


def vec_like(op: Op) -> Value:
    """A vector laid out like the dot product's operands (batched if either is)."""
    a, b = op.inputs
    return Value("_", a.shape, a.batched or b.batched)


def emit_dot(em: Emitter, op: Op, indent: int) -> None:
    a, b = op.inputs
    axis = em.axis(vec_like(op), 0)
    al = (0,)
    prod = f"{em.operand(a, al, vec_like(op))} * {em.operand(b, al, vec_like(op))}"
    em.bind(op, f"({prod}).sum({em.d.axis_kw}={axis})", indent)


shape_rules[dot_p] = shape_dot
emit_rules[dot_p] = emit_dot
vjp_rules[dot_p] = vjp_einsum


# ---- transpose -------------------------------------------------------------------------
def shape_transpose(op: Op, ins: list[Shape]) -> Shape:
    (a,) = ins
    if not a:
        return ()  # a scalar is its own transpose
    if len(a) == 1:
        return (Size.const(1), a[0])
    if len(a) != 2:
        raise shape_failed("shape rule: len(a) == 2")
    return (a[1], a[0])


def emit_transpose(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    name = em.expr[x]
    if not x.shape:  # a scalar is its own transpose
        em.bind(op, name, indent)
        return
    if len(x.shape) == 1:  # a vector becomes a row, 1 x n: a new axis before it
        if not x.batched:
            em.bind(op, f"{name}[None, :]", indent)
        else:
            em.bind(op, f"{name}[:, None, :]" if em.sf else f"{name}[None]", indent)
        return
    i, j = em.axis(x, 0), em.axis(x, 1)
    if not x.batched:
        em.bind(op, f"{name}.T", indent)
    elif em.d.name == "numpy":
        em.bind(op, f"np.swapaxes({name}, {i}, {j})", indent)
    else:
        em.bind(op, f"{name}.transpose({i}, {j})", indent)


def vjp_transpose(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    if not x.shape:
        bw.add(x, g)
        return
    if len(x.shape) == 1:  # the row (1, n) back to the vector
        if x.batched and bw.e.sf:
            bw.add(x, f"{g}[:, 0, :]")
        else:
            bw.add(x, f"{g}[0]")
        return
    i, j = bw.e.axis(x, 0), bw.e.axis(x, 1)
    bw.add(x, f"{g}.T" if not x.batched else f"np.swapaxes({g}, {i}, {j})")


shape_rules[transpose_p] = shape_transpose
emit_rules[transpose_p] = emit_transpose
vjp_rules[transpose_p] = vjp_transpose


# ---- affine ----------------------------------------------------------------------------
def shape_affine(op: Op, ins: list[Shape]) -> Shape:
    w, x, b = ins
    if not (len(w) == 2 and len(x) == 1 and w[1] == x[0] and b == (w[0],)):
        raise shape_failed(f"affine {ins}")
    return (w[0],)


def emit_affine(em: Emitter, op: Op, indent: int) -> None:
    w, x, b = op.inputs
    wn, xn, bn = em.expr[w], em.expr[x], em.expr[b]
    col = bn if b.batched else f"{bn}[:, None]"  # dim-first: a bias for every column
    if em.d.name == "torch" and op.out not in em.sequences:  # addmm is 2-D only
        if em.sf:
            em.bind(op, f"torch.addmm({bn}, {xn}, {wn}.T)", indent)
        else:
            em.bind(op, f"torch.addmm({col}, {wn}, {xn})", indent)
    elif em.sf and em.d.name == "torch" and not b.batched:
        # every step at once: F.linear flattens the leading axes into one addmm
        em.bind(op, f"{em.linear}({xn}, {wn}, {bn})", indent)
    elif em.sf:
        em.bind(op, f"{xn} @ {wn}.T + {bn}", indent)
    else:
        em.bind(op, f"{wn} @ {xn} + {col}", indent)


def vjp_affine(bw: Backward, op: Op, g: str) -> None:
    w, x, b = op.inputs
    if bw.e.sf:
        bw.add(w, f"{g}.T @ {bw.e.expr[x]}")
        bw.add(x, f"{g} @ {bw.e.expr[w]}")
    else:
        bw.add(w, f"{g} @ {bw.e.expr[x]}.T")
        bw.add(x, f"{bw.e.expr[w]}.T @ {g}")
    bw.reduce_to(b, g, op.out, (0,))


shape_rules[affine_p] = shape_affine
emit_rules[affine_p] = emit_affine
vjp_rules[affine_p] = vjp_affine


# ---- printed gradients: linalg -------------------------------------------------------------------
def _row_per_sample(r: Reverse, v: Value) -> bool:
    """A row per sample (x_i^T, 1 x n): printed as its column, like a vector."""
    return r.per_sample(v) and len(v.shape) == 2 and v.shape[0] == ONE


def _vector_per_sample(r: Reverse, v: Value) -> bool:
    """A vector or a column per sample (x_i, n or n x 1): its column."""
    return r.per_sample(v) and (
        len(v.shape) == 1 or (len(v.shape) == 2 and v.shape[1] == ONE and v.shape[0] != ONE)
    )


def tree_matmul(r: Reverse, op: Op, xs: list[Node]) -> Node:
    a, b = op.inputs
    if _row_per_sample(r, a) and _vector_per_sample(r, b):  # x^T y of each sample: a number
        return matmul(transpose(ones_of(xs[0].shape[0])), mul(xs[0], xs[1]))
    if _row_per_sample(r, a) and not r.per_sample(b):  # x^T W of each sample: (W^T x)^T
        return matmul(transpose(xs[1]), xs[0])
    return matmul(xs[0], xs[1])


def tree_vjp_matmul(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    a, b = (r.forward(v) for v in op.inputs)
    if _row_per_sample(r, op.inputs[0]) and _vector_per_sample(r, op.inputs[1]):
        return [
            unbroadcast(mul(g, b), r.shape2(op.inputs[0]), r.samples),
            unbroadcast(mul(g, a), r.shape2(op.inputs[1]), r.samples),
        ]
    if _row_per_sample(r, op.inputs[0]) and not r.per_sample(op.inputs[1]):
        return [matmul(b, g), matmul(a, transpose(g))]  # as x^T A (vecmat)
    if r.per_sample(op.inputs[0]):
        raise NotPrinted(
            "gradient equations through a product of per-sample matrices are not printed yet"
        )
    return [matmul(g, transpose(b)), matmul(transpose(a), g)]


def tree_vecmat(r: Reverse, op: Op, xs: list[Node]) -> Node:
    return matmul(transpose(xs[1]), xs[0])  # x A of each sample: A^T x, samples as columns


def tree_vjp_vecmat(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    x, a = (r.forward(v) for v in op.inputs)
    if r.per_sample(op.inputs[1]):
        raise NotPrinted(
            "gradient equations through a product of per-sample matrices are not printed yet"
        )
    return [matmul(a, g), matmul(x, transpose(g))]


def tree_dot(r: Reverse, op: Op, xs: list[Node]) -> Node:
    a, b = xs
    if r.per_sample(op.inputs[0]) and r.per_sample(op.inputs[1]):
        return matmul(transpose(ones_of(a.shape[0])), mul(a, b))  # a dot product per sample
    return matmul(transpose(b), a) if r.per_sample(op.inputs[0]) else matmul(transpose(a), b)


def tree_vjp_dot(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    a, b = (r.forward(v) for v in op.inputs)
    return [
        unbroadcast(mul(g, b), r.shape2(op.inputs[0]), r.samples),
        unbroadcast(mul(g, a), r.shape2(op.inputs[1]), r.samples),
    ]


def _flips_per_sample(r: Reverse, op: Op) -> bool:
    """x^T of a vector (or a row, or a column) per sample: printed as the same column."""
    (x,) = op.inputs
    return _row_per_sample(r, x) or _vector_per_sample(r, x)


def tree_transpose(r: Reverse, op: Op, xs: list[Node]) -> Node:
    if _flips_per_sample(r, op):
        return xs[0]
    if r.per_sample(op.inputs[0]):
        raise NotPrinted("gradient equations through a per-sample transpose are not printed yet")
    return transpose(xs[0])


forward_tree_rules[matmul_p] = tree_matmul
vjp_tree_rules[matmul_p] = tree_vjp_matmul
forward_tree_rules[vecmat_p] = tree_vecmat
vjp_tree_rules[vecmat_p] = tree_vjp_vecmat
forward_tree_rules[dot_p] = tree_dot
vjp_tree_rules[dot_p] = tree_vjp_dot
forward_tree_rules[transpose_p] = tree_transpose
vjp_tree_rules[transpose_p] = lambda r, op, g: [g if _flips_per_sample(r, op) else transpose(g)]
