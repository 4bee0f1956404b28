"""Reductions: over per-example axis 0 (``\\sum_i a_i``, ``\\prod_i a_i``, ``\\max_i a_i``,
``\\operatorname{logsumexp}_i a_i``), over every axis (the L2 norm), along the last axis
(softmax), over the examples of a batch (batch norm's sums and its ``m``).

Each primitive's shape rule, its code (NumPy and torch: ``em.d`` is the dialect) and its
vector-Jacobian product, in that order; for a reduction over the entries i (the read term
``IndexSum`` names it), then its printed gradient (``latex_rules``), its noun in ``explain``
(``words``) and its symbol in the diagram (``labels``). None of them has C++ (``cpp_rules``):
the fused kernels compute one entry at a time, and a reduction reads a whole axis; a step
that uses one runs as torch ops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..ir.prims import (
    batchsum_p,
    count_p,
    logsumexp_p,
    max_p,
    norm_p,
    prod_p,
    softmax_p,
    sum_p,
)
from ..ir.rules import (
    Shape,
    emit_rules,
    labels,
    latex_rules,
    shape_rules,
    shape_same,
    shape_scalar,
    vjp_rules,
    words,
)

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op
    from ..passes.reverse import IndexGradient, Node


def shape_drop_first(op: Op, ins: list[Shape]) -> Shape:
    """Axis 0 summed (or multiplied) out."""
    return ins[0][1:]


# ---- sum, prod over axis 0 -------------------------------------------------------------
def emit_sum(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    em.bind(op, f"{em.expr[x]}.sum({em.d.axis_kw}={em.axis(x, 0)})", indent)


def vjp_sum(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    # every entry of axis 0 gets the gradient of the sum
    spread = (None, *range(len(x.shape) - 1))
    g_x = bw.e.operand(op.out, spread, x, name=g)
    bw.add(x, f"{g_x} * np.ones_like({bw.e.expr[x]})")


def latex_sum(d: IndexGradient) -> Node:
    return d.spread(d.g)  # every entry gets the gradient of the sum


shape_rules[sum_p] = shape_drop_first
emit_rules[sum_p] = emit_sum
vjp_rules[sum_p] = vjp_sum
latex_rules[sum_p] = latex_sum
words[sum_p] = "sum"
labels[sum_p] = "Σ"


def emit_prod(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    em.bind(op, f"{em.expr[x]}.prod({em.d.axis_kw}={em.axis(x, 0)})", indent)


def vjp_prod(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    # d(prod a)/d a_j = the product of the others: with a zero among them, counted out
    spread = (None, *range(len(x.shape) - 1))
    g_x = bw.e.operand(op.out, spread, x, name=g)
    axis = bw.e.axis(x, 0)
    bw.add(x, f"{g_x} * _prod_others({bw.e.expr[x]}, {axis})")


def latex_prod(d: IndexGradient) -> Node:
    # d(prod_i u_i)/d u_j = prod / u_j (the product of the others)
    return d.quot(d.spread(d.had(d.g, d.y)), d.x)


shape_rules[prod_p] = shape_drop_first
emit_rules[prod_p] = emit_prod
vjp_rules[prod_p] = vjp_prod
latex_rules[prod_p] = latex_prod
words[prod_p] = "product"
labels[prod_p] = "Π"


# ---- max over axis 0 -------------------------------------------------------------------
def emit_max(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    axis = em.axis(x, 0)
    if em.d.name == "numpy":
        em.bind(op, f"{em.expr[x]}.max(axis={axis})", indent)
    else:  # amax, not max: its gradient splits between ties, as the NumPy backward's does
        em.bind(op, f"torch.amax({em.expr[x]}, dim={axis})", indent)


def vjp_max(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    # the gradient goes to the largest entry; entries tied for the largest share it equally
    # (as torch.amax's backward does): 1[a = max] / (the number of them)
    spread = (None, *range(len(x.shape) - 1))
    g_x = bw.e.operand(op.out, spread, x, name=g)
    y_x = bw.e.operand(op.out, spread, x)
    hit = f"({bw.e.expr[x]} == {y_x})"
    bw.add(x, f"{g_x} * {hit} / {hit}.sum(axis={bw.e.axis(x, 0)}, keepdims=True)")


def latex_max(d: IndexGradient) -> Node:
    hit = d.indicator(d.x, "=", d.y)
    return d.had(d.spread(d.g), d.quot(hit, d.total(hit)))


shape_rules[max_p] = shape_drop_first
emit_rules[max_p] = emit_max
vjp_rules[max_p] = vjp_max
latex_rules[max_p] = latex_max
words[max_p] = "maximum"
labels[max_p] = "max"


# ---- logsumexp over axis 0 -------------------------------------------------------------
def emit_logsumexp(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    axis = em.axis(x, 0)
    if em.d.name != "numpy":
        em.bind(op, f"torch.logsumexp({em.expr[x]}, dim={axis})", indent)
        return
    # the largest entry m taken out first, so exp never overflows: m + log sum exp(a - m);
    # an infinite m is taken out as 0 (as torch.logsumexp does)
    m = em.names.fresh(f"_{op.out.name}_max")
    em.line(f"{m} = {em.expr[x]}.max(axis={axis}, keepdims=True)", indent)
    em.line(f"{m} = np.where(np.isfinite({m}), {m}, 0.0)", indent)
    shifted = f"np.exp({em.expr[x]} - {m}).sum(axis={axis})"
    em.bind(op, f"np.log({shifted}) + {m}.squeeze(axis={axis})", indent)


def vjp_logsumexp(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    # d/d a_j log sum_i exp(a_i) = exp(a_j - logsumexp): the softmax of the entries
    spread = (None, *range(len(x.shape) - 1))
    g_x = bw.e.operand(op.out, spread, x, name=g)
    y_x = bw.e.operand(op.out, spread, x)
    bw.add(x, f"{g_x} * np.exp({bw.e.expr[x]} - {y_x})")


def latex_logsumexp(d: IndexGradient) -> Node:
    return d.had(d.spread(d.g), d.fn("exp", d.minus(d.x, d.y)))


shape_rules[logsumexp_p] = shape_drop_first
emit_rules[logsumexp_p] = emit_logsumexp
vjp_rules[logsumexp_p] = vjp_logsumexp
latex_rules[logsumexp_p] = latex_logsumexp
words[logsumexp_p] = "log-sum-exp"
labels[logsumexp_p] = "logsumexp"


# ---- norm ------------------------------------------------------------------------------
def emit_norm(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    axes = tuple(em.axis(x, i) for i in range(len(x.shape)))
    shown = axes[0] if len(axes) == 1 else axes
    sq = f"({em.expr[x]} ** 2).sum({em.d.axis_kw}={shown})" if axes else f"{em.expr[x]} ** 2"
    em.bind(op, f"{em.d.mod}.sqrt({sq})", indent)


def vjp_norm(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    spread = tuple(None for _ in x.shape)  # a per-example scalar over every axis of x
    g_x = bw.e.operand(op.out, spread, x, name=g)
    y_x = bw.e.operand(op.out, spread, x)
    bw.add(x, f"{g_x} * {bw.e.expr[x]} / {y_x}")


shape_rules[norm_p] = shape_scalar
emit_rules[norm_p] = emit_norm
vjp_rules[norm_p] = vjp_norm


# ---- softmax ---------------------------------------------------------------------------
def emit_softmax(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    axis = em.axis(x, len(x.shape) - 1)
    if em.d.name == "numpy":
        em.bind(op, f"_softmax({em.expr[x]}, axis={axis})", indent)
    else:
        em.bind(op, f"torch.softmax({em.expr[x]}, dim={axis})", indent)


def vjp_softmax(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs
    y = bw.e.expr[op.out]
    axis = bw.e.axis(x, len(x.shape) - 1)
    bw.add(x, f"{y} * ({g} - ({g} * {y}).sum(axis={axis}, keepdims=True))")


shape_rules[softmax_p] = shape_same
emit_rules[softmax_p] = emit_softmax
vjp_rules[softmax_p] = vjp_softmax


# ---- batchsum, count: over the examples of a batch -------------------------------------
def emit_batchsum(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    em.bind(op, f"{em.expr[x]}.sum({em.d.axis_kw}={em.batch_axis})", indent)


def vjp_batchsum(bw: Backward, op: Op, g: str) -> None:
    (x,) = op.inputs  # every example gets the gradient of the batch's sum
    g_x = bw.e.operand(op.out, tuple(range(len(x.shape))), x, name=g)
    bw.add(x, f"{g_x} * np.ones_like({bw.e.expr[x]})")


shape_rules[batchsum_p] = shape_same
emit_rules[batchsum_p] = emit_batchsum
vjp_rules[batchsum_p] = vjp_batchsum


def emit_count(em: Emitter, op: Op, indent: int) -> None:
    (x,) = op.inputs
    em.bind(op, f"float({em.expr[x]}.shape[{em.batch_axis}])", indent)


def vjp_count(bw: Backward, op: Op, g: str) -> None:
    return  # the number of examples: no gradient


shape_rules[count_p] = shape_scalar
emit_rules[count_p] = emit_count
vjp_rules[count_p] = vjp_count
