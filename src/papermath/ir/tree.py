r"""The trees the printed gradients are made of: the IR's primitives applied to nodes, and
the printing-only kinds of node beside them (a named value, the gradient of one, ones over
the samples, a number, ...), with the constructors that keep them small (a transpose
pushed into products, ``1 x`` dropped) and the node letters of values per node and per edge
(``h_v``; sums over neighbours ``\sum_{u \in \mathcal{N}(v)}``, renamed where one would
capture a letter).

Every value is two-dimensional as printed: the samples as columns. The rules that build
these trees for each primitive live under the primitive's other rules in ``ops/<family>.py``
(registered in :mod:`papermath.ir.rules` as ``forward_tree_rules`` and ``vjp_tree_rules``);
the walk that applies them is :mod:`papermath.passes.reverse`; the printer is
:mod:`papermath.report.gradients`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import PapermathError
from ..shapes.sizes import Size
from .prims import (
    Prim,
    add_p,
    concat_last_p,
    concat_p,
    div_p,
    fn_p,
    matmul_p,
    mul_p,
    neg_p,
    pow_p,
    step_pow_p,
    sub_p,
    transpose_p,
)

ONE = Size.const(1)
Shape2 = tuple[Size, Size]

# the printing-only kinds of node beside the primitives (a node's ``prim`` is one of these or
# a Prim): a named value, the gradient of one, the gradient the loss gives a value directly,
# the ones over the samples, a column of n ones, a number, 1[a > b] entry by entry, a
# function the derivatives call that is no row of its own (erf), LaTeX as written, the sum
# of every entry (a number's gradient), a gradient that reaches a block of rows only (a
# slice's: the blocks of one value are stacked back together, never printed alone), the
# number of the step (t, at an offset: t + 1), the adjoint of the matrix exponential as an
# integral (\int_0^1 e^{s A} G e^{(1-s) A} ds), \sum_{t} of a term inside an equation (a
# parameter used at every step and once beside), the mean and the variance of each sample's
# vector (a row over the samples: layer norm's), the entry of each sample's vector at its
# integer label (f_{y_i}: \left[f\right]_{y}), the one-hot columns of the labels
# (\operatorname{onehot}_{K}\left(y\right): K rows, a 1 at each sample's label)
(
    VALUE,
    GRAD,
    DIRECT,
    ONES,
    ONES_OF,
    NUM,
    INDICATOR,
    CALL,
    RAW,
    SUM_ALL,
    BLOCK,
    STEP,
    EXPM_ADJ,
    STEP_SUM,
    MEAN,
    VAR,
    HEAD_SUM,
    HEAD_CONCAT,
    HEAD_BLOCK,
    PICK,
    ONEHOT,
) = (
    "value",
    "grad",
    "direct",
    "ones",
    "ones_of",
    "num",
    "indicator",
    "call",
    "raw",
    "sum_all",
    "block",
    "step",
    "expm_adjoint",
    "step_sum",
    "mean",
    "var",
    "head_sum",
    "head_concat",
    "head_block",
    "pick",
    "onehot",
)
# the heads of a family (multi-head attention), the head letter i bound by the equation's left
# side (W_i^Q) or by one of these: \sum_{i=1}^{h} of what follows (what a value shared by the
# heads gets from every head), \mathrm{Concat}_{i=1}^{h} of a value per head (the heads side
# by side along the columns), and head i's block of a value's rows or columns
# (\left[W^O\right]_{\left(i - 1\right) d_v + 1:i d_v}); their attrs: "head" (the letter),
# "count" (the number of heads, a Size), "axis" (0 rows, 1 columns) and "width" (a head's)


class NotPrinted(PapermathError):
    """A gradient the IR printer does not write yet (named)."""


@dataclass(frozen=True, eq=False)
class Node:
    """One node of a gradient (or forward) tree: a primitive of the IR applied to nodes, or a
    leaf. ``shape``: its shape as printed (rows, columns), samples as columns."""

    prim: Prim | str
    args: tuple[Node, ...]
    shape: Shape2
    attrs: dict[str, Any] = field(default_factory=dict)

    def is_(self, *kinds: Prim | str) -> bool:
        """Whether the node is one of these primitives or kinds (by identity)."""
        return any(self.prim is k for k in kinds)

    def __repr__(self) -> str:
        inner = ", ".join(map(repr, self.args))
        extra = {k: v for k, v in self.attrs.items() if k != "value_obj"}
        return f"{self.prim}({inner}){extra or ''}"


def num(v: float) -> Node:
    return Node(NUM, (), (ONE, ONE), {"value": float(v)})


def is_num(n: Node, v: float | None = None) -> bool:
    return n.is_(NUM) and (v is None or n.attrs["value"] == v)


def broadcast_shape(a: Shape2, b: Shape2) -> Shape2:
    out = []
    for x, y in zip(a, b, strict=True):
        if x != y and ONE not in (x, y):
            raise PapermathError(
                f"the printed gradient came out with mismatched shapes ({text2(a)} against "
                f"{text2(b)}); papermath does not print an equation that fails its own shape "
                "check",
                hint="please report this source: it is a papermath bug",
            )
        out.append(y if x == ONE else x)
    return (out[0], out[1])


def text2(s: Shape2) -> str:
    return f"{s[0].text()} x {s[1].text()}"


# ---- constructors that keep the trees small ------------------------------------------------
def add(a: Node, b: Node) -> Node:
    if b.prim is neg_p:
        return sub(a, b.args[0])
    if a.prim is neg_p:  # -a + b: printed b - a
        return sub(b, a.args[0])
    return Node(add_p, (a, b), broadcast_shape(a.shape, b.shape))


def sub(a: Node, b: Node) -> Node:
    if b.prim is neg_p:
        return add(a, b.args[0])
    return Node(sub_p, (a, b), broadcast_shape(a.shape, b.shape))


def neg(a: Node) -> Node:
    if a.prim is neg_p:
        return a.args[0]
    if is_num(a):
        return num(-a.attrs["value"])
    return Node(neg_p, (a,), a.shape)


def mul(a: Node, b: Node) -> Node:
    """``a \\odot b`` (a number or a 1 x 1 value: scaling)."""
    if is_num(a, 1.0):
        return b
    if is_num(b, 1.0):
        return a
    if (is_num(b) or b.shape == (ONE, ONE)) and not (is_num(a) or a.shape == (ONE, ONE)):
        a, b = b, a  # the number first: 2 x, \beta x
    if is_num(a) and b.prim is neg_p:
        return mul(num(-a.attrs["value"]), b.args[0])
    return Node(mul_p, (a, b), broadcast_shape(a.shape, b.shape))


def div(a: Node, b: Node) -> Node:
    if is_num(b, 1.0):
        return a
    return Node(div_p, (a, b), broadcast_shape(a.shape, b.shape))


def matmul(a: Node, b: Node) -> Node:
    if a.shape[1] != b.shape[0]:
        raise PapermathError(
            f"the printed gradient came out with mismatched shapes ({text2(a.shape)} times "
            f"{text2(b.shape)}); papermath does not print an equation that fails its own "
            "shape check",
            hint="please report this source: it is a papermath bug",
        )
    if is_num(a, 1.0) and a.shape == (ONE, ONE):
        return b
    if is_num(b, 1.0) and b.shape == (ONE, ONE):
        return a
    return Node(matmul_p, (a, b), (a.shape[0], b.shape[1]))


def transpose(a: Node) -> Node:
    """``a^T``, pushed into products and entrywise operations, cancelled in pairs."""
    if a.prim is transpose_p:
        return a.args[0]
    if a.is_(NUM) or (a.shape == (ONE, ONE) and not a.is_(VALUE, GRAD, DIRECT)):
        return a
    if a.is_(RAW) and a.attrs.get("symmetric"):
        return a  # I_n^T = I_n
    if a.prim is matmul_p:
        return matmul(transpose(a.args[1]), transpose(a.args[0]))
    return Node(transpose_p, (a,), (a.shape[1], a.shape[0]))


def power(a: Node, k: float) -> Node:
    if k == 1:
        return a
    return Node(pow_p, (a,), a.shape, {"exponent": k})


def fn(name: str, a: Node) -> Node:
    return Node(fn_p, (a,), a.shape, {"fn": name})


def ones_of(n: Size) -> Node:
    """``\\mathbf{1}_n``: a column of n ones."""
    return Node(ONES_OF, (), (n, ONE), {"size": n})


def total(a: Node) -> Node:
    """The sum of the entries of the whole tree (a number), for a number's gradient."""
    return unbroadcast(a, (ONE, ONE), None)


def unbroadcast(g: Node, to: Shape2, samples: Size | None) -> Node:
    """``g`` (laid out like a result) summed over what broadcasting spread the operand over:
    the rows (``\\mathbf{1}_r^\\top g``) and the columns (the samples: ``g \\mathbf{1}``;
    other columns ``g \\mathbf{1}_c``) the operand has one of."""
    rows, cols = g.shape
    if to == (ONE, ONE) and g.shape != to:
        return Node(SUM_ALL, (g,), to)  # a number for every entry: the sum of them all
    if to[0] == ONE and rows != ONE:
        g = matmul(transpose(ones_of(rows)), g)
    if to[1] == ONE and cols != ONE:
        g = matmul(g, Node(ONES, (), (cols, ONE)) if cols == samples else ones_of(cols))
    return g


def shift(n: Node, k: int) -> Node:
    """The same tree ``k`` steps later (h_{t-1} -> h_t)."""
    if n.is_(VALUE, GRAD, DIRECT) and n.attrs.get("offset") is not None:
        return replace(n, attrs={**n.attrs, "offset": n.attrs["offset"] + k})
    if n.is_(STEP):
        return replace(n, attrs={**n.attrs, "offset": n.attrs["offset"] + k})
    if n.prim is step_pow_p:  # a ** t: the step number moves with the rest
        moved = tuple(shift(a, k) for a in n.args)
        return replace(n, args=moved, attrs={**n.attrs, "offset": n.attrs["offset"] + k})
    if not n.args:
        return n
    return replace(n, args=tuple(shift(a, k) for a in n.args))


def step_node(offset: int = 0) -> Node:
    """The number of the step (``t``; ``t - 1`` at offset -1), a number."""
    return Node(STEP, (), (ONE, ONE), {"offset": offset})


def step_power(x: Node, offset: int = 0) -> Node:
    """``x^{t}`` entry by entry, t the number of the step (``x^{t - 1}`` at offset -1)."""
    return Node(step_pow_p, (x,), x.shape, {"offset": offset})


def indicator(a: Node, relation: str, b: Node) -> Node:
    """``\\mathbb{1}[a > b]`` entry by entry."""
    return Node(INDICATOR, (a, b), broadcast_shape(a.shape, b.shape), {"relation": relation})


def head_block(x: Node, axis: int, letter: str, width: Size) -> Node:
    """Head ``letter``'s block of ``x``'s rows (axis 0) or columns (axis 1), each head
    ``width`` wide, pushed into products: the columns of ``A B`` are ``A`` times ``B``'s
    columns, those of ``B^\top`` the transpose of ``B``'s rows."""
    if x.prim is matmul_p:
        a, b = x.args
        if axis == 1:
            return matmul(a, head_block(b, 1, letter, width))
        return matmul(head_block(a, 0, letter, width), b)
    if x.prim is transpose_p:
        return transpose(head_block(x.args[0], 1 - axis, letter, width))
    shape = (width, x.shape[1]) if axis == 0 else (x.shape[0], width)
    return Node(HEAD_BLOCK, (x,), shape, {"axis": axis, "head": letter, "width": width})


def head_sum(body: Node, letter: str, count: Size) -> Node:
    r"""``\sum_{i=1}^{h} body``: what every head sends a value they share."""
    return Node(HEAD_SUM, (body,), body.shape, {"head": letter, "count": count})


def stacked(blocks: list[Node]) -> Node:
    """The gradients of the blocks of one value's rows, stacked in order: the gradient of the
    value, where they cover every row once (``\\left[g_1, g_2\\right]``); blocks of its
    columns (attrs "axis" 1) side by side (``\\mathrm{Concat}\\left(g_1, g_2\\right)``)."""
    axis = blocks[0].attrs.get("axis", 0)  # of rows, or (columns) side by side
    rows, at, parts = blocks[0].shape[axis], Size.const(0), []
    pending = list(blocks)
    while pending:
        nxt = next((b for b in pending if b.attrs["start"] == at), None)
        if nxt is None:
            break
        pending.remove(nxt)
        parts.append(nxt.args[0])
        at = nxt.attrs["stop"]
    if pending or at != rows:
        raise NotPrinted(
            "gradient equations through blocks that do not cover a value's rows once are not "
            "printed yet",
            hint="papermath check FILE checks the generated backward through them",
        )
    if len(parts) == 1:
        return parts[0]
    return Node(concat_last_p if axis else concat_p, tuple(parts), blocks[0].shape)


# the sums over neighbours: ``\\sum_{u \\in \\mathcal{N}(v)} x_u`` (letter u, member None, of v)
# and, sending a node's gradient back along its edges, ``\\sum_{w : u \\in \\mathcal{N}(w)} g_w``
# (letter w, member u): the nodes w whose neighbourhood holds u
NEIGHBOURS = "neighbours"


def letters(n: Node) -> set[str]:
    """Every node letter in a tree, free or bound."""
    out = {n.attrs[k] for k in ("node", "edge", "letter", "member", "of") if n.attrs.get(k)}
    for a in n.args:
        out |= letters(a)
    return out


def rename(n: Node, old: str, new: str) -> Node:
    """The tree with the free node letter ``old`` written ``new``."""
    if n.attrs.get("letter") == new and new != old:  # it would capture the renamed letter
        raise NotPrinted("gradient equations with a node letter bound twice")
    # a value at a node (h_v), the node whose neighbours are summed or counted (N(v))
    attrs = {
        k: new if k in ("node", "edge", "member", "of") and x == old else x
        for k, x in n.attrs.items()
    }
    if n.attrs.get("letter") == old:  # a sum binding the letter: not free inside it
        return replace(n, attrs=attrs)
    return replace(n, args=tuple(rename(a, old, new) for a in n.args), attrs=attrs)


def free(n: Node) -> set[str]:
    """The node letters free in a tree (not bound by a sum in it)."""
    out = {n.attrs[k] for k in ("node", "edge", "member", "of") if n.attrs.get(k)}
    for a in n.args:
        out |= free(a)
    return out - ({n.attrs["letter"]} if n.attrs.get("letter") else set())


def binds(n: Node, letter: str) -> bool:
    """Whether a sum in the tree binds ``letter``."""
    return n.attrs.get("letter") == letter or any(binds(a, letter) for a in n.args)


def rebind(n: Node, old: str, new: str) -> Node:
    """The tree with each sum binding ``old`` binding ``new`` instead (its body renamed)."""
    if n.attrs.get("letter") == old:
        body = tuple(rename(a, old, new) for a in n.args)
        return replace(
            n, args=tuple(rebind(a, old, new) for a in body), attrs={**n.attrs, "letter": new}
        )
    if not n.args:
        return n
    return replace(n, args=tuple(rebind(a, old, new) for a in n.args))


def over_edges(n: Node, i: str, j: str) -> Node:
    """``\\sum_{j \\in \\mathcal{N}(i)} n``, ``n`` what one edge j -> i sends a parameter: the
    sum put around each part, inside what is linear and free of j (a part free of j is
    still summed: it counts once per edge)."""
    if j not in free(n):
        return neighbours_of(n, i, j)
    a = n.args
    if n.is_(add_p, sub_p):
        return replace(n, args=(over_edges(a[0], i, j), over_edges(a[1], i, j)))
    if n.is_(neg_p, transpose_p, SUM_ALL):
        return replace(n, args=(over_edges(a[0], i, j),))
    if n.is_(matmul_p, mul_p) and len(a) == 2 and (j in free(a[0])) != (j in free(a[1])):
        k = 0 if j in free(a[0]) else 1
        return replace(n, args=tuple(over_edges(x, i, j) if m == k else x for m, x in enumerate(a)))
    if n.is_(div_p) and j not in free(a[1]):
        return replace(n, args=(over_edges(a[0], i, j), a[1]))
    return neighbours_of(n, i, j)


def neighbours_of(body: Node, i: str, j: str) -> Node:
    """``\\sum_{j \\in \\mathcal{N}(i)} body``, a sum in the body that binds j binding another
    letter."""
    if binds(body, j):
        body = rebind(body, j, _fresh(letters(body) | {i, j}))
    return Node(NEIGHBOURS, (body,), body.shape, {"letter": j, "member": None, "of": i})


def _fresh(taken: set[str]) -> str:
    return next(c for c in "uwzyxabc" if c not in taken)


DEGREE = "degree"  # \\left|\\mathcal{N}(v)\\right|: the number of v's neighbours, a number per node
