"""Functions of a whole square matrix: the identity ``I_n``, the inverse ``X^{-1}`` and the
matrix exponential ``\\exp(X)`` (S4's and Mamba's discretisations: ``(I - \\Delta/2 A)^{-1}``,
``\\exp(\\Delta A)``).

Each primitive's shape rule, its code (NumPy and torch: ``em.d`` is the dialect) and its
vector-Jacobian product, in that order. None of them is elementwise, so none has C++ for the
fused step kernels (``cpp_rules``): an entry of an inverse or of an exponential depends on
every entry of the matrix, which a kernel that computes one entry at a time cannot do.

The matrix is the last two axes of a value: a batched value's batch axis is moved in front
first where the layout puts it last (dim-first), so that ``np.linalg.inv``,
``torch.linalg.inv`` and ``torch.linalg.matrix_exp`` see a stack of matrices.

The gradients: for ``Y = X^{-1}``, ``dX = -Y^T G Y^T``; for ``Y = exp(X)``, ``dX`` is the
Fréchet derivative of exp at ``X^T`` in the direction ``G``, the upper right block of
``exp([[X^T, G], [0, X^T]])`` (Mathias 1996; what ``torch.linalg.matrix_exp``'s own backward
computes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InternalError
from ..ir.prims import (
    expm_p,
    eye_p,
    inv_p,
    zeros_p,
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
    EXPM_ADJ,
    RAW,
    Node,
    NotPrinted,
    matmul,
    neg,
    transpose,
)

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op, Value
    from ..passes.reverse import Reverse


def shape_square(op: Op, ins: list[Shape]) -> Shape:
    """The shape of a function of a square matrix: its operand's, which must be square."""
    (a,) = ins
    if len(a) != 2 or a[0] != a[1]:
        raise shape_failed(f"{op.prim.name} of a matrix that is not square: {a}")
    return a


def front(em: Emitter, v: Value, expr: str) -> str:
    """``expr`` (laid out like ``v``) with its matrix in the last two axes."""
    if not (v.batched and not em.sf):
        return expr
    return f"np.moveaxis({expr}, -1, 0)" if em.d.name == "numpy" else f"{expr}.movedim(-1, 0)"


def back(em: Emitter, v: Value, expr: str) -> str:
    """The inverse of :func:`front`: the batch axis back where the layout puts it."""
    if not (v.batched and not em.sf):
        return expr
    return f"np.moveaxis({expr}, 0, -1)" if em.d.name == "numpy" else f"{expr}.movedim(0, -1)"


def swap(em: Emitter, expr: str) -> str:
    """The transpose of each matrix of a stack (the last two axes)."""
    if em.d.name == "numpy":
        return f"np.swapaxes({expr}, -1, -2)"
    return f"{expr}.transpose(-1, -2)"


# ---- eye -------------------------------------------------------------------------------
def shape_eye(op: Op, ins: list[Shape]) -> Shape:
    """The identity has no operand: its shape is the op's own, which must be square."""
    out = op.out.shape
    if ins or len(out) != 2 or out[0] != out[1]:
        raise shape_failed(f"an identity matrix of shape {out} from {len(ins)} operands")
    return out


def emit_eye(em: Emitter, op: Op, indent: int) -> None:
    n = em.size(op.out.shape[0])
    if em.d.name == "numpy":
        em.bind(op, f"np.eye({n})", indent)
        return
    # torch: the dtype and device of the module's own tensors (a parameter or an input)
    like = next(
        (em.expr[v] for v in [*(p.value for p in em.p.params), *(i.value for i in em.p.inputs)]
         if v in em.expr),
        None,
    )  # fmt: skip
    where = f", dtype={like}.dtype, device={like}.device" if like else ""
    em.bind(op, f"torch.eye({n}{where})", indent)


def vjp_eye(bw: Backward, op: Op, g: str) -> None:
    return  # a constant: no operand, no gradient


shape_rules[eye_p] = shape_eye
emit_rules[eye_p] = emit_eye
vjp_rules[eye_p] = vjp_eye


# ---- zeros -----------------------------------------------------------------------------
def shape_zeros(op: Op, ins: list[Shape]) -> Shape:
    """A block of zeros (GG-NN's ``x_i \\| \\mathbf{0}``, read/rules_zero_pad.py) has no
    operand: its shape is the op's own, a vector."""
    out = op.out.shape
    if ins or len(out) != 1:
        raise shape_failed(f"a block of zeros of shape {out} from {len(ins)} operands")
    return out


def emit_zeros(em: Emitter, op: Op, indent: int) -> None:
    n = em.size(op.out.shape[0])
    if em.d.name == "numpy":
        em.bind(op, f"np.zeros({n})", indent)
        return
    like = next(
        (em.expr[v] for v in [*(p.value for p in em.p.params), *(i.value for i in em.p.inputs)]
         if v in em.expr),
        None,
    )  # fmt: skip
    where = f", dtype={like}.dtype, device={like}.device" if like else ""
    em.bind(op, f"torch.zeros({n}{where})", indent)


def vjp_zeros(bw: Backward, op: Op, g: str) -> None:
    return  # a constant: no operand, no gradient


shape_rules[zeros_p] = shape_zeros
emit_rules[zeros_p] = emit_zeros
vjp_rules[zeros_p] = vjp_zeros


# ---- inv -------------------------------------------------------------------------------
def emit_inv(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    call = f"{em.d.mod}.linalg.inv({front(em, x, em.expr[x])})"
    em.bind(op, back(em, x, call), indent)


def vjp_inv(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    e = bw.e
    yt = swap(e, front(e, op.out, e.expr[op.out]))
    bw.add(x, back(e, op.out, f"-({yt} @ {front(e, op.out, g)} @ {yt})"))


shape_rules[inv_p] = shape_square
emit_rules[inv_p] = emit_inv
vjp_rules[inv_p] = vjp_inv


# ---- expm ------------------------------------------------------------------------------
def emit_expm(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    fn = "_expm" if em.d.name == "numpy" else "torch.linalg.matrix_exp"
    em.bind(op, back(em, x, f"{fn}({front(em, x, em.expr[x])})"), indent)


def vjp_expm(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    e = bw.e
    if e.d.name != "numpy":  # torch differentiates it itself: steps.RULES leaves expm out
        raise InternalError("a torch step function's backward through a matrix exponential")
    xf, gf = front(e, x, e.expr[x]), front(e, op.out, g)
    bw.add(x, back(e, op.out, f"_expm_vjp({xf}, {gf})"))


shape_rules[expm_p] = shape_square
emit_rules[expm_p] = emit_expm
vjp_rules[expm_p] = vjp_expm


# ---- printed gradients: matrix -------------------------------------------------------------------
def tree_inv(r: Reverse, op: Op, xs: list[Node]) -> Node:
    if r.per_sample(op.inputs[0]):
        raise NotPrinted("gradient equations through the inverse of a per-sample matrix")
    return Node(inv_p, (xs[0],), xs[0].shape)


def tree_vjp_inv(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Y = X^{-1}: dL/dX = -Y^T (dL/dY) Y^T."""
    y = transpose(r.forward(op.out))
    return [neg(matmul(matmul(y, g), y))]


forward_tree_rules[inv_p] = tree_inv
vjp_tree_rules[inv_p] = tree_vjp_inv


def tree_expm(r: Reverse, op: Op, xs: list[Node]) -> Node:
    if r.per_sample(op.inputs[0]):
        raise NotPrinted("gradient equations through the exponential of a per-sample matrix")
    return Node(expm_p, (xs[0],), xs[0].shape)


def tree_vjp_expm(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Y = e^{X}: dL/dX = \\int_0^1 e^{s X^T} (dL/dY) e^{(1-s) X^T} ds (the adjoint of the
    exponential's derivative; X and its exponential need not commute with dL/dY)."""
    x = transpose(r.forward(op.inputs[0]))
    return [Node(EXPM_ADJ, (x, g), g.shape)]


forward_tree_rules[expm_p] = tree_expm
vjp_tree_rules[expm_p] = tree_vjp_expm


def tree_eye(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """The identity ``I_n``: a constant (no gradient), its own transpose."""
    n = op.out.shape[0]
    return Node(RAW, (), (n, n), {"latex": f"I_{{{n.text()}}}", "symmetric": True})


forward_tree_rules[eye_p] = tree_eye
vjp_tree_rules[eye_p] = lambda r, op, g: []


def tree_zeros(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """A block of zeros: a constant (no gradient), printed \\mathbf{0}."""
    return Node(RAW, (), r.shape2(op.out), {"latex": "\\mathbf{0}"})


forward_tree_rules[zeros_p] = tree_zeros
vjp_tree_rules[zeros_p] = lambda r, op, g: []
