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

from dataclasses import dataclass
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
from ..ir.program import Op
from ..ir.rules import (
    Shape,
    emit_rules,
    forward_tree_rules,
    labels,
    latex_rules,
    rule,
    shape_rules,
    shape_same,
    shape_scalar,
    vjp_rules,
    vjp_tree_rules,
    words,
)
from ..ir.tree import (
    ONE,
    ONES,
    RAW,
    Node,
    NotPrinted,
    div,
    fn,
    indicator,
    matmul,
    mul,
    ones_of,
    sub,
    transpose,
    unbroadcast,
)
from ..shapes.sizes import Size

if TYPE_CHECKING:
    from ..backends.backward import Backward
    from ..backends.emit import Emitter
    from ..ir.program import Op
    from ..passes.reverse import Reverse


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


# ---- printed gradients: reductions ---------------------------------------------------------------
def _tree_vector(r: Reverse, op: Op) -> Node:
    if len(op.inputs[0].shape) != 1:
        raise NotPrinted(
            f"gradient equations through a {op.prim.name} over a matrix's rows are not printed yet"
        )
    return r.forward(op.inputs[0])


def tree_sum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    x = xs[0]
    if len(op.inputs[0].shape) == 2:  # the rows of a matrix added: a column per column
        if x.shape[0] == ONE:
            return transpose(x)  # a row (1 x n) read as its vector
        return matmul(transpose(x), ones_of(x.shape[0]))
    x = _tree_vector(r, op)
    return matmul(transpose(ones_of(x.shape[0])), x)


def tree_vjp_sum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    x = r.forward(op.inputs[0])
    if len(op.inputs[0].shape) == 2:
        if x.shape[0] == ONE:
            return [transpose(g)]
        return [matmul(ones_of(x.shape[0]), transpose(g))]
    return tree_vjp_over_index(r, op, g)


def tree_over_index(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """A reduction over the entries of a vector, printed as a call on it (``\\max(z)``)."""
    x = _tree_vector(r, op)
    return Node(op.prim, (x,), (ONE, x.shape[1]))


@dataclass(frozen=True)
class IndexGradient:
    r"""What a reduction's printed-gradient rule (``ir.rules.latex_rules``, registered in
    ``ops/reductions.py``) builds the gradient of its body's entries from: ``g``, the
    gradient of the result; ``x``, the body (its entries as one vector of ``n``); ``y``, the
    result (its symbol where an equation names it); and the pieces below, each a tree of
    the IR's primitives."""

    g: Node
    x: Node
    y: Node
    n: Size

    def spread(self, e: Node) -> Node:
        r"""``\mathbf{1}_n e``: a value of the result given to each of the n entries."""
        return matmul(ones_of(self.n), e)

    def total(self, e: Node) -> Node:
        r"""``\mathbf{1}_n^\top e``: the sum of the n entries of ``e``."""
        return matmul(transpose(ones_of(self.n)), e)

    def had(self, a: Node, b: Node) -> Node:
        return mul(a, b)

    def quot(self, a: Node, b: Node) -> Node:
        return div(a, b)

    def minus(self, a: Node, b: Node) -> Node:
        return sub(a, b)

    def fn(self, name: str, e: Node) -> Node:
        """An elementwise function of ``e`` (its row in ``ops/elementwise.py``: ``exp``)."""
        return fn(name, e)

    def indicator(self, a: Node, relation: str, b: Node) -> Node:
        r"""``\mathbb{1}\left[a = b\right]``, entry by entry: 1 where it holds, else 0."""
        return indicator(a, relation, b)


def tree_vjp_over_index(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    r"""A reduction over the entries i of a vector (``\prod_i``, ``\max_i``, ...): the
    gradient of its entries by the primitive's own rule (``latex_rules``)."""
    x, y = _tree_vector(r, op), r.forward(op.out)
    return [rule(latex_rules, "latex_rules", op.prim)(IndexGradient(g, x, y, x.shape[0]))]


def tree_norm(r: Reverse, op: Op, xs: list[Node]) -> Node:
    # each sample's vector (a column; "over": "col") is no whole matrix's norm (a Frobenius
    # norm, "all"): printed with the axis (report/gradients.py), never turned by \|A^T\| = \|A\|
    over = "col" if r.per_sample(op.inputs[0]) else "all"
    return Node(norm_p, (xs[0],), r.shape2(op.out), {"over": over})


def tree_vjp_norm(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    x = op.inputs[0]  # the gradient of \|u\| is u / \|u\|
    return [unbroadcast(div(mul(g, r.forward(x)), r.forward(op.out)), r.shape2(x), r.samples)]


def tree_softmax(r: Reverse, op: Op, xs: list[Node]) -> Node:
    if r.per_sample(op.inputs[0]) and len(op.inputs[0].shape) != 1:
        raise NotPrinted(
            "gradient equations through a softmax per sample matrix are not printed yet"
        )
    # a vector: over its entries (each sample's column); a matrix: over each row, said in print
    return Node(softmax_p, (xs[0],), xs[0].shape, {"rows": len(op.inputs[0].shape) != 1})


def tree_vjp_softmax(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    y = r.forward(op.out)
    if len(op.inputs[0].shape) == 1:  # a vector: y (g - 1 1^T (g y))
        n = ones_of(y.shape[0])
        inner = matmul(n, matmul(transpose(n), mul(g, y)))
    else:  # a matrix: a softmax over each row
        c = ones_of(y.shape[1])
        inner = matmul(matmul(mul(g, y), c), transpose(c))
    return [mul(y, sub(g, inner))]


def tree_batchsum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    x = xs[0]
    return matmul(x, Node(ONES, (), (x.shape[1], ONE)))


def tree_vjp_batchsum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    return [matmul(g, transpose(Node(ONES, (), (r.samples, ONE))))]


def tree_count(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """The number of samples (the columns), printed as its size: the N of ``x \\mathbf{1} / N``
    (a batch's mean; no gradient). Where the source writes its samples, the generated
    module's batch is another axis, which the equations do not name."""
    if r.written:
        raise NotPrinted(
            "gradient equations through the number of samples of a source that writes its "
            "samples are not printed yet",
            hint="papermath check FILE checks the generated backward through it",
        )
    return Node(RAW, (), (ONE, ONE), {"latex": r.samples.text(), "count": True})


forward_tree_rules[sum_p] = tree_sum
vjp_tree_rules[sum_p] = tree_vjp_sum
# every other reduction over an index (prod, max, logsumexp: a prim with ``tex`` and a
# printed-gradient rule in latex_rules, both under its function in ops/reductions.py) is
# printed by tree_over_index / tree_vjp_over_index: see Reverse.forward and the backward walk
forward_tree_rules[norm_p] = tree_norm
vjp_tree_rules[norm_p] = tree_vjp_norm
forward_tree_rules[softmax_p] = tree_softmax
vjp_tree_rules[softmax_p] = tree_vjp_softmax
forward_tree_rules[batchsum_p] = tree_batchsum
vjp_tree_rules[batchsum_p] = tree_vjp_batchsum
forward_tree_rules[count_p] = tree_count
vjp_tree_rules[count_p] = lambda r, op, g: []
