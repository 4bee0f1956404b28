r"""Reverse mode over the IR, for people: the gradient of every named value of a
:class:`~papermath.ir.program.Program` as a tree of the IR's own primitives.

The generated backward (``backends/backward.py``) computes gradients; this pass says them.
It walks the forward ops in reverse, as the generated backward does, and each primitive's
rule (``vjp_tree_rules``, below, by family) gives the tree of its operands' gradients in
primitives (``matmul``, ``transpose``, ``mul``, ``sub``, the elementwise derivative of the
function's row in ``ops/elementwise.py``). Broadcasting is undone in one place
(:func:`unbroadcast`): a row of ones for what a sum over the rows gave every row, the ones
over the samples (``\mathbf{1}``) for a value the same for every sample.

The trees are *matrices as printed*: every value is two-dimensional, the samples as columns
(a vector of each example, n, is n x N for the batch; a parameter vector is a column n x 1).
A value the source names (an equation's left side, a parameter, an input, a state one step
back) is a leaf (``value``) in the source's symbols; a value it does not name is its forward
tree, inlined. The gradient of a named value is a leaf (``grad``); its equation is the sum
of what every use sends it (:func:`reverse`). Through time, what the step t sends to a state
at t-1 is the gradient of that state at its own step, written one step later (h_{t-1} ->
h_t, :func:`shift`).

Values per node (a graph's nodes as the columns) carry their node letter (``h_v``); a value per
edge carries both (``\alpha_{i,j}``). The graph primitives' rules say what a sum over the
nodes, over a node's neighbours, or a node's value on its edges sends back (``\sum_{w : v \in
\mathcal{N}(w)} g_w``: the edges reversed); node letters are renamed where a sum would
capture one (:func:`rename`, :func:`rebind`).

What is not printed yet is refused by name (:class:`NotPrinted`): parameters per head,
products of per-sample matrices, typed or outgoing edges, the largest value over edges.
"""

from __future__ import annotations

import ast as pyast
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import papermath.ops.families  # noqa: F401  (the IR's rules; the elementwise rows)

from ..errors import PapermathError
from ..ir.prims import (
    Prim,
    add_p,
    batchsum_p,
    concat_p,
    const_p,
    count_p,
    degree_p,
    div_p,
    dot_p,
    edge_max_p,
    edge_sum_p,
    expm_p,
    eye_p,
    fn_p,
    inv_p,
    matmul_p,
    maximum_p,
    minimum_p,
    mul_p,
    neg_p,
    neighbour_sum_p,
    nodesum_p,
    norm_p,
    pow_p,
    slice_p,
    softmax_p,
    step_pow_p,
    sub_p,
    sum_p,
    to_edges_p,
    to_nodes_p,
    transpose_p,
    vecmat_p,
)
from ..ir.program import Op, Program, Value
from ..ir.rules import latex_rules, rule
from ..ops import ELEMENTWISE, derivative_tree
from ..ops.elementwise import DERIVATIVE_CALLS, constant
from ..shapes.sizes import Size

ONE = Size.const(1)
Shape2 = tuple[Size, Size]

# the printing-only kinds of node beside the primitives (a node's ``prim`` is one of these or
# a Prim): a named value, the gradient of one, the gradient the loss gives a value directly,
# the ones over the samples, a column of n ones, a number, 1[a > b] entry by entry, a
# function the derivatives call that is no row of its own (erf), LaTeX as written, the sum
# of every entry (a number's gradient), a gradient that reaches a block of rows only (a
# slice's: the blocks of one value are stacked back together, never printed alone), the
# number of the step (t, at an offset: t + 1)
# the adjoint of the matrix exponential as an integral: \int_0^1 e^{s A} G e^{(1-s) A} ds
# \sum_{t} of a term inside an equation (a parameter used at every step and once beside)
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
)


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


def _broadcast(a: Shape2, b: Shape2) -> Shape2:
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
    return Node(add_p, (a, b), _broadcast(a.shape, b.shape))


def sub(a: Node, b: Node) -> Node:
    if b.prim is neg_p:
        return add(a, b.args[0])
    return Node(sub_p, (a, b), _broadcast(a.shape, b.shape))


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
    return Node(mul_p, (a, b), _broadcast(a.shape, b.shape))


def div(a: Node, b: Node) -> Node:
    if is_num(b, 1.0):
        return a
    return Node(div_p, (a, b), _broadcast(a.shape, b.shape))


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


# ---- the walker ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Named:
    """A value the source names: its key, the step it is at relative to the equations' step
    (0, -1 for a state one step back; None: no step), whether it varies across samples."""

    key: str
    offset: int | None
    batched: bool
    node: str | None = None  # a value per node: the node letter it is written with (h_v)
    # a value per edge (alpha_{ij}, from the neighbour j to the node i): node is i, edge j;
    # edge_first: written e_{j,i} (the neighbour's letter first)
    edge: str | None = None
    edge_first: bool = False


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


class Reverse:
    """The state of one reverse walk over a program: the forward tree of each value, the
    named values, the gradients of the values not named (lists of contributions)."""

    def __init__(self, program: Program, samples: Size, written: bool = False) -> None:
        self.p = program
        self.samples = samples
        # the source writes its samples in its matrices (X_t is n x d): every value is printed
        # with its own shape, the generated module's batch axis is its own
        self.written = written
        self.named: dict[Value, Named] = {}
        self.edge_values: set[Value] = set()  # the values per edge (a program over nodes)
        self.from_edges: set[Value] = set()  # values not per edge whose gradient is (a^T)
        self.producer: dict[Value, Op] = {op.out: op for op in program.ops()}
        self.step_outs = {op.out for op in program.step_ops} if program.step_index else set()
        self.forward_cache: dict[Value, Node] = {}
        self.grads: dict[Value, list[Node]] = {}  # of the values not named
        self.received: dict[str, list[Contribution]] = {}  # by the named values, by key
        self.skip: set[Op] = set()  # ops a rule took in (the norm of \|u\|^2)
        # values per node: the node letter and the set of the nodes, as the source writes them
        # (\sum_{v \in V}); the nodes are the columns of a value per node, the graphs those of
        # a value per graph
        self.node_letter: str | None = None
        self.node_set = "V"
        self.neighbour_letter = "u"  # the source's letter of a neighbour (u in N(v))
        self.sum_letter: str | None = None  # the source's letter of a sum over the nodes
        self.edge_letter: str | None = None  # of a value per edge's neighbour (j in alpha_{ij})

    def uses(self, v: Value) -> int:
        return sum(v in op.inputs for op in self.p.ops())

    def send(self, v: Value, g: Node, op: Op) -> None:
        """Add ``g`` to the gradient of ``v``, from the use ``op``."""
        if v in self.named:
            if g.is_(BLOCK):
                raise NotPrinted(
                    f"gradient equations through a block of the rows of {self.named[v].key} "
                    "are not printed yet",
                    hint="papermath check FILE checks the generated backward through it",
                )
            info = self.named[v]
            on_edges = op.out in self.edge_values or op.out in self.from_edges
            self.received.setdefault(info.key, []).append(
                Contribution(g, info.offset, op.out in self.step_outs, on_edges)
            )
        elif v in self.producer and self.producer[v].prim is const_p:
            return  # a number has no gradient
        elif v in self.producer:
            self.grads.setdefault(v, []).append(g)
            if op.out in self.edge_values or op.out in self.from_edges:
                self.from_edges.add(v)  # a^T used on every edge: what it gets is per edge

    def shape2(self, v: Value) -> Shape2:
        """The printed shape of a value: samples as columns."""
        shape = v.shape  # typed sizes (ir/program.py)
        batched = v.batched and not self.written
        if batched and len(shape) == 2 and ONE in (shape[0], shape[1]):
            # a row (or a column) per sample, x_i^T: printed as its column, as a vector is
            return (shape[1] if shape[0] == ONE else shape[0], self.samples)
        if len(shape) > 2 or (len(shape) == 2 and batched):
            raise NotPrinted(
                f"gradient equations through a matrix per sample ({v.name}) are not printed yet",
                hint="papermath check FILE checks the generated backward through it",
            )
        if batched:
            return (shape[0] if shape else ONE, self.samples)
        if len(shape) == 2:
            return (shape[0], shape[1])
        return (shape[0] if shape else ONE, ONE)

    def per_sample(self, v: Value) -> bool:
        """Whether a value has the samples as its columns (not printed as written)."""
        return v.batched and not self.written

    def leaf(self, v: Value) -> Node:
        info = self.named[v]
        return Node(
            VALUE,
            (),
            self.shape2(v),
            self._at(info),
        )

    def _at(self, info: Named) -> dict[str, Any]:
        return {
            "key": info.key,
            "offset": info.offset,
            "batched": info.batched,
            "node": info.node,
            "edge": info.edge,
            "edge_first": info.edge_first,
        }

    def grad_leaf(self, v: Value) -> Node:
        info = self.named[v]
        return Node(
            GRAD,
            (),
            self.shape2(v),
            self._at(info),
        )

    def forward(self, v: Value) -> Node:
        """The value as a tree: its symbol where the source names it, else how it is
        computed (the forward rule of its primitive, ``forward_rules``)."""
        if v in self.named:
            return self.leaf(v)
        if v in self.forward_cache:
            return self.forward_cache[v]
        op = self.producer.get(v)
        if op is None:
            raise NotPrinted(f"gradient equations through {v.name} are not printed yet")
        rule = forward_rule(op.prim)
        if rule is None:
            raise NotPrinted(
                f"gradient equations through the primitive {op.prim.name} are not printed yet",
                hint="papermath check FILE checks the generated backward through it",
            )
        out = rule(self, op, [self.forward(i) for i in op.inputs])
        self.forward_cache[v] = out
        return out

    def along_columns(self, op: Op, k: int) -> bool:
        """Whether operand ``k`` of an entrywise op is a vector laid along the result's
        second axis (a bias added to each row): it meets the others as its transpose.
        ``align`` gives, for each result axis, the operand's axis (None: broadcast)."""
        v = op.inputs[k]
        align = op.attrs.get("align")
        if align is None:
            return False
        axes = tuple(align[k])
        if all(a is None for a in axes):
            return False  # a number (or one per sample) for every entry
        if axes == tuple(range(len(axes))) or axes == (0, None):
            return False
        if axes == (None, 0) and len(v.shape) == 1:
            return True
        raise NotPrinted("gradient equations through a transposed broadcast are not printed yet")

    def operand(self, op: Op, k: int) -> Node:
        """Operand ``k`` of an entrywise op as it meets the others."""
        x = self.forward(op.inputs[k])
        return transpose(x) if self.along_columns(op, k) else x

    def to_operand(self, op: Op, k: int, g: Node) -> Node:
        """A contribution laid out like the result, as the gradient of operand ``k``."""
        shape = self.shape2(op.inputs[k])
        if self.along_columns(op, k):
            return transpose(unbroadcast(g, (shape[1], shape[0]), self.samples))
        return unbroadcast(g, shape, self.samples)


VjpTreeRule = Callable[[Reverse, Op, Node], list[Node | None]]
ForwardRule = Callable[[Reverse, Op, list[Node]], Node]

# one rule per primitive (the gradient of each operand, laid out like the operand; None: no
# gradient), and how each primitive's value is written as a tree
vjp_tree_rules: dict[Prim, VjpTreeRule] = {}
forward_rules: dict[Prim, ForwardRule] = {}


def over_index(prim: Prim) -> bool:
    """A reduction over an index whose printed gradient its own rule gives (latex_rules):
    \\prod_i, \\max_i, \\operatorname{logsumexp}_i; the sum has rules of its own."""
    return prim.tex is not None and prim in latex_rules


def forward_rule(prim: Prim) -> ForwardRule | None:
    """How an op of ``prim`` is written as a tree: its rule, or a reduction over an index's."""
    return forward_rules.get(prim) or (forward_over_index if over_index(prim) else None)


def vjp_tree_rule(prim: Prim) -> VjpTreeRule | None:
    """The tree of an op's operands' gradients: its rule, or a reduction over an index's."""
    return vjp_tree_rules.get(prim) or (vjp_over_index if over_index(prim) else None)


# ---- arithmetic ------------------------------------------------------------------------------
def _binary(make: Callable[[Node, Node], Node]) -> ForwardRule:
    def rule(r: Reverse, op: Op, xs: list[Node]) -> Node:
        return make(r.operand(op, 0), r.operand(op, 1))

    return rule


forward_rules[add_p] = _binary(add)
forward_rules[sub_p] = _binary(sub)
forward_rules[mul_p] = _binary(mul)
forward_rules[div_p] = _binary(div)
forward_rules[neg_p] = lambda r, op, xs: neg(xs[0])
forward_rules[const_p] = lambda r, op, xs: num(float(op.attrs["value"]))
forward_rules[pow_p] = lambda r, op, xs: power(xs[0], float(op.attrs["exponent"]))


def vjp_add(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    return [r.to_operand(op, 0, g), r.to_operand(op, 1, g)]


def vjp_sub(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    return [r.to_operand(op, 0, g), r.to_operand(op, 1, neg(g))]


def vjp_mul(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    a, b = r.operand(op, 0), r.operand(op, 1)
    return [r.to_operand(op, 0, mul(g, b)), r.to_operand(op, 1, mul(g, a))]


def vjp_div(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    a, b = r.operand(op, 0), r.operand(op, 1)
    gb = neg(div(mul(g, a), power(b, 2)))
    return [r.to_operand(op, 0, div(g, b)), r.to_operand(op, 1, gb)]


def vjp_neg(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    return [neg(g)]


def vjp_pow(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    k = float(op.attrs["exponent"])
    (x,) = op.inputs
    inner = r.producer.get(x)
    if k == 2 and inner is not None and inner.prim is norm_p and r.uses(x) == 1:
        # \|u\|^2: 2 u (the norm's own gradient, u / \|u\|, cancels it)
        u = inner.inputs[0]
        r.skip.add(inner)
        r.send(u, unbroadcast(mul(num(2), mul(g, r.forward(u))), r.shape2(u), r.samples), inner)
        return [None]
    return [mul(num(k), mul(g, power(r.forward(x), k - 1)))]


def step_number(offset: int = 0) -> Node:
    """The number of the step (``t``; ``t - 1`` at offset -1), a number."""
    return Node(STEP, (), (ONE, ONE), {"offset": offset})


def step_power(x: Node, offset: int = 0) -> Node:
    """``x^{t}`` entry by entry, t the number of the step (``x^{t - 1}`` at offset -1)."""
    return Node(step_pow_p, (x,), x.shape, {"offset": offset})


def vjp_step_pow(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    # d(a^t)/da = t a^{t-1}
    return [mul(step_number(), mul(g, step_power(r.forward(op.inputs[0]), -1)))]


forward_rules[step_pow_p] = lambda r, op, xs: step_power(xs[0])
vjp_tree_rules[step_pow_p] = vjp_step_pow
vjp_tree_rules[add_p] = vjp_add
vjp_tree_rules[sub_p] = vjp_sub
vjp_tree_rules[mul_p] = vjp_mul
vjp_tree_rules[div_p] = vjp_div
vjp_tree_rules[neg_p] = vjp_neg
vjp_tree_rules[pow_p] = vjp_pow


def _extreme(bigger: bool) -> ForwardRule:
    def rule(r: Reverse, op: Op, xs: list[Node]) -> Node:
        a, b = r.operand(op, 0), r.operand(op, 1)
        return Node(maximum_p if bigger else minimum_p, (a, b), _broadcast(a.shape, b.shape))

    return rule


def _vjp_extreme(bigger: bool) -> VjpTreeRule:
    def rule(r: Reverse, op: Op, g: Node) -> list[Node | None]:
        a, b = r.operand(op, 0), r.operand(op, 1)
        # max: a where a > b; min: a where b > a (ties have measure zero at random values)
        wins_a = indicator(a, ">", b) if bigger else indicator(b, ">", a)
        wins_b = indicator(b, ">", a) if bigger else indicator(a, ">", b)
        return [r.to_operand(op, 0, mul(g, wins_a)), r.to_operand(op, 1, mul(g, wins_b))]

    return rule


forward_rules[maximum_p] = _extreme(True)
forward_rules[minimum_p] = _extreme(False)
vjp_tree_rules[maximum_p] = _vjp_extreme(True)
vjp_tree_rules[minimum_p] = _vjp_extreme(False)


def indicator(a: Node, relation: str, b: Node) -> Node:
    """``\\mathbb{1}[a > b]`` entry by entry."""
    return Node(INDICATOR, (a, b), _broadcast(a.shape, b.shape), {"relation": relation})


# ---- elementwise ---------------------------------------------------------------------------
def fn_prime(name: str, x: Node, y: Node) -> Node:
    """f'(x) from x and y = f(x): the derivative written once in the function's row."""
    if name not in ELEMENTWISE:
        raise NotPrinted(f"gradient equations through {name} are not printed yet")

    def build(node: pyast.expr) -> Node:
        match node:
            case pyast.Name(id="x"):
                return x
            case pyast.Name(id="y"):
                return y
            case pyast.Name(id="pi"):
                return Node(RAW, (), (ONE, ONE), {"latex": "\\pi"})
            case pyast.Constant(value=v):
                return num(constant(v))
            case pyast.UnaryOp(op=pyast.USub(), operand=a):
                return neg(build(a))
            case pyast.BinOp(left=a, op=pyast.Mult(), right=b):
                return mul(build(a), build(b))
            case pyast.BinOp(left=a, op=pyast.Add(), right=b):
                return add(build(a), build(b))
            case pyast.BinOp(left=a, op=pyast.Sub(), right=b):
                return sub(build(a), build(b))
            case pyast.BinOp(left=a, op=pyast.Div(), right=b):
                return div(build(a), build(b))
            case pyast.BinOp(left=a, op=pyast.Pow(), right=pyast.Constant(value=k)):
                return power(build(a), constant(k))
            case pyast.Compare(left=a, ops=[cmp], comparators=[pyast.Constant(value=c)]):
                rel = {pyast.Gt: ">", pyast.GtE: "\\geq", pyast.Lt: "<", pyast.LtE: "\\leq"}
                return indicator(build(a), rel[type(cmp)], num(constant(c)))
            case pyast.Call(func=pyast.Name(id=call), args=[a]):
                arg = build(a)
                if call in ELEMENTWISE:
                    return fn(call, arg)
                return Node(CALL, (arg,), arg.shape, {"latex": DERIVATIVE_CALLS[call][1]})
        raise NotPrinted(f"the derivative of {name} is not printed yet")

    return build(derivative_tree(name))


def forward_fn(r: Reverse, op: Op, xs: list[Node]) -> Node:
    name = str(op.attrs["fn"])
    if name == "identity":
        return xs[0]
    if name not in ELEMENTWISE:
        raise NotPrinted(f"gradient equations through {name} are not printed yet")
    return fn(name, xs[0])


def vjp_fn(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    name = str(op.attrs["fn"])
    if name == "identity":
        return [g]
    x = r.forward(op.inputs[0])
    return [mul(g, fn_prime(name, x, r.forward(op.out)))]


forward_rules[fn_p] = forward_fn
vjp_tree_rules[fn_p] = vjp_fn


# ---- linalg ----------------------------------------------------------------------------------
def _row_per_sample(r: Reverse, v: Value) -> bool:
    """A row per sample (x_i^T, 1 x n): printed as its column, like a vector."""
    return r.per_sample(v) and len(v.shape) == 2 and v.shape[0] == ONE


def _vector_per_sample(r: Reverse, v: Value) -> bool:
    """A vector or a column per sample (x_i, n or n x 1): its column."""
    return r.per_sample(v) and (
        len(v.shape) == 1 or (len(v.shape) == 2 and v.shape[1] == ONE and v.shape[0] != ONE)
    )


def forward_matmul(r: Reverse, op: Op, xs: list[Node]) -> Node:
    a, b = op.inputs
    if _row_per_sample(r, a) and _vector_per_sample(r, b):  # x^T y of each sample: a number
        return matmul(transpose(ones_of(xs[0].shape[0])), mul(xs[0], xs[1]))
    if _row_per_sample(r, a) and not r.per_sample(b):  # x^T W of each sample: (W^T x)^T
        return matmul(transpose(xs[1]), xs[0])
    return matmul(xs[0], xs[1])


def vjp_matmul(r: Reverse, op: Op, g: Node) -> list[Node | None]:
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


def forward_vecmat(r: Reverse, op: Op, xs: list[Node]) -> Node:
    return matmul(transpose(xs[1]), xs[0])  # x A of each sample: A^T x, samples as columns


def vjp_vecmat(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    x, a = (r.forward(v) for v in op.inputs)
    if r.per_sample(op.inputs[1]):
        raise NotPrinted(
            "gradient equations through a product of per-sample matrices are not printed yet"
        )
    return [matmul(a, g), matmul(x, transpose(g))]


def forward_dot(r: Reverse, op: Op, xs: list[Node]) -> Node:
    a, b = xs
    if r.per_sample(op.inputs[0]) and r.per_sample(op.inputs[1]):
        return matmul(transpose(ones_of(a.shape[0])), mul(a, b))  # a dot product per sample
    return matmul(transpose(b), a) if r.per_sample(op.inputs[0]) else matmul(transpose(a), b)


def vjp_dot(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    a, b = (r.forward(v) for v in op.inputs)
    return [
        unbroadcast(mul(g, b), r.shape2(op.inputs[0]), r.samples),
        unbroadcast(mul(g, a), r.shape2(op.inputs[1]), r.samples),
    ]


def _flips_per_sample(r: Reverse, op: Op) -> bool:
    """x^T of a vector (or a row, or a column) per sample: printed as the same column."""
    (x,) = op.inputs
    return _row_per_sample(r, x) or _vector_per_sample(r, x)


def forward_transpose(r: Reverse, op: Op, xs: list[Node]) -> Node:
    if _flips_per_sample(r, op):
        return xs[0]
    if r.per_sample(op.inputs[0]):
        raise NotPrinted("gradient equations through a per-sample transpose are not printed yet")
    return transpose(xs[0])


forward_rules[matmul_p] = forward_matmul
vjp_tree_rules[matmul_p] = vjp_matmul
forward_rules[vecmat_p] = forward_vecmat
vjp_tree_rules[vecmat_p] = vjp_vecmat
forward_rules[dot_p] = forward_dot
vjp_tree_rules[dot_p] = vjp_dot
forward_rules[transpose_p] = forward_transpose
vjp_tree_rules[transpose_p] = lambda r, op, g: [g if _flips_per_sample(r, op) else transpose(g)]


def forward_inv(r: Reverse, op: Op, xs: list[Node]) -> Node:
    if r.per_sample(op.inputs[0]):
        raise NotPrinted("gradient equations through the inverse of a per-sample matrix")
    return Node(inv_p, (xs[0],), xs[0].shape)


def vjp_inv(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Y = X^{-1}: dL/dX = -Y^T (dL/dY) Y^T."""
    y = transpose(r.forward(op.out))
    return [neg(matmul(matmul(y, g), y))]


forward_rules[inv_p] = forward_inv
vjp_tree_rules[inv_p] = vjp_inv


def forward_expm(r: Reverse, op: Op, xs: list[Node]) -> Node:
    if r.per_sample(op.inputs[0]):
        raise NotPrinted("gradient equations through the exponential of a per-sample matrix")
    return Node(expm_p, (xs[0],), xs[0].shape)


def vjp_expm(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Y = e^{X}: dL/dX = \\int_0^1 e^{s X^T} (dL/dY) e^{(1-s) X^T} ds (the adjoint of the
    exponential's derivative; X and its exponential need not commute with dL/dY)."""
    x = transpose(r.forward(op.inputs[0]))
    return [Node(EXPM_ADJ, (x, g), g.shape)]


forward_rules[expm_p] = forward_expm
vjp_tree_rules[expm_p] = vjp_expm


# ---- structure -------------------------------------------------------------------------------
def forward_concat(r: Reverse, op: Op, xs: list[Node]) -> Node:
    rows = Size.const(0)
    for x in xs:
        rows = rows + x.shape[0]
    return Node(concat_p, tuple(xs), (rows, xs[0].shape[1]))


def vjp_concat(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    if len(op.inputs) == 1:
        return [g]
    out: list[Node | None] = []
    start = Size.const(0)
    for v in op.inputs:
        rows = r.shape2(v)[0]
        out.append(Node(slice_p, (g,), (rows, g.shape[1]), {"start": start, "stop": start + rows}))
        start = start + rows
    return out


forward_rules[concat_p] = forward_concat
vjp_tree_rules[concat_p] = vjp_concat


def _rows_of_vector(r: Reverse, op: Op) -> Node:
    if op.attrs.get("axis") != 0 or len(op.inputs[0].shape) != 1:
        raise NotPrinted("gradient equations through a block of a matrix are not printed yet")
    return r.forward(op.inputs[0])


def forward_slice(r: Reverse, op: Op, xs: list[Node]) -> Node:
    x = _rows_of_vector(r, op)
    start, stop = op.attrs["start"], op.attrs["stop"]
    return Node(slice_p, (x,), (stop - start, x.shape[1]), {"start": start, "stop": stop})


def vjp_slice(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """The rows start:stop of the operand's gradient (the others get nothing from here)."""
    x = _rows_of_vector(r, op)
    return [Node(BLOCK, (g,), x.shape, {"start": op.attrs["start"], "stop": op.attrs["stop"]})]


def stacked(blocks: list[Node]) -> Node:
    """The gradients of the blocks of one value's rows, stacked in order: the gradient of the
    value, where they cover every row once (``\\left[g_1, g_2\\right]``)."""
    rows, at, parts = blocks[0].shape[0], Size.const(0), []
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
    return Node(concat_p, tuple(parts), blocks[0].shape)


forward_rules[slice_p] = forward_slice
vjp_tree_rules[slice_p] = vjp_slice


def forward_eye(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """The identity ``I_n``: a constant (no gradient), its own transpose."""
    n = op.out.shape[0]
    return Node(RAW, (), (n, n), {"latex": f"I_{{{n.text()}}}", "symmetric": True})


forward_rules[eye_p] = forward_eye
vjp_tree_rules[eye_p] = lambda r, op, g: []


# ---- reductions ------------------------------------------------------------------------------
def _vector(r: Reverse, op: Op) -> Node:
    if len(op.inputs[0].shape) != 1:
        raise NotPrinted(
            f"gradient equations through a {op.prim.name} over a matrix's rows are not printed yet"
        )
    return r.forward(op.inputs[0])


def forward_sum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    x = xs[0]
    if len(op.inputs[0].shape) == 2:  # the rows of a matrix added: a column per column
        if x.shape[0] == ONE:
            return transpose(x)  # a row (1 x n) read as its vector
        return matmul(transpose(x), ones_of(x.shape[0]))
    x = _vector(r, op)
    return matmul(transpose(ones_of(x.shape[0])), x)


def vjp_sum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    x = r.forward(op.inputs[0])
    if len(op.inputs[0].shape) == 2:
        if x.shape[0] == ONE:
            return [transpose(g)]
        return [matmul(ones_of(x.shape[0]), transpose(g))]
    return vjp_over_index(r, op, g)


def forward_over_index(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """A reduction over the entries of a vector, printed as a call on it (``\\max(z)``)."""
    x = _vector(r, op)
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


def vjp_over_index(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    r"""A reduction over the entries i of a vector (``\prod_i``, ``\max_i``, ...): the
    gradient of its entries by the primitive's own rule (``latex_rules``)."""
    x, y = _vector(r, op), r.forward(op.out)
    return [rule(latex_rules, "latex_rules", op.prim)(IndexGradient(g, x, y, x.shape[0]))]


def forward_norm(r: Reverse, op: Op, xs: list[Node]) -> Node:
    return Node(norm_p, (xs[0],), r.shape2(op.out))


def vjp_norm(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    x = op.inputs[0]  # the gradient of \|u\| is u / \|u\|
    return [unbroadcast(div(mul(g, r.forward(x)), r.forward(op.out)), r.shape2(x), r.samples)]


def forward_softmax(r: Reverse, op: Op, xs: list[Node]) -> Node:
    if r.per_sample(op.inputs[0]) and len(op.inputs[0].shape) != 1:
        raise NotPrinted(
            "gradient equations through a softmax per sample matrix are not printed yet"
        )
    # a vector: over its entries (each sample's column); a matrix: over each row, said in print
    return Node(softmax_p, (xs[0],), xs[0].shape, {"rows": len(op.inputs[0].shape) != 1})


def vjp_softmax(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    y = r.forward(op.out)
    if len(op.inputs[0].shape) == 1:  # a vector: y (g - 1 1^T (g y))
        n = ones_of(y.shape[0])
        inner = matmul(n, matmul(transpose(n), mul(g, y)))
    else:  # a matrix: a softmax over each row
        c = ones_of(y.shape[1])
        inner = matmul(matmul(mul(g, y), c), transpose(c))
    return [mul(y, sub(g, inner))]


def forward_batchsum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    x = xs[0]
    return matmul(x, Node(ONES, (), (x.shape[1], ONE)))


def vjp_batchsum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    return [matmul(g, transpose(Node(ONES, (), (r.samples, ONE))))]


def forward_count(r: Reverse, op: Op, xs: list[Node]) -> Node:
    raise NotPrinted("gradient equations through the number of samples are not printed yet")


forward_rules[sum_p] = forward_sum
vjp_tree_rules[sum_p] = vjp_sum
# every other reduction over an index (prod, max, logsumexp: a prim with ``tex`` and a
# printed-gradient rule in latex_rules, both under its function in ops/reductions.py) is
# printed by forward_over_index / vjp_over_index: see Reverse.forward and the backward walk
forward_rules[norm_p] = forward_norm
vjp_tree_rules[norm_p] = vjp_norm
forward_rules[softmax_p] = forward_softmax
vjp_tree_rules[softmax_p] = vjp_softmax
forward_rules[batchsum_p] = forward_batchsum
vjp_tree_rules[batchsum_p] = vjp_batchsum
forward_rules[count_p] = forward_count
vjp_tree_rules[count_p] = lambda r, op, g: []


# ---- graph: nodes and graphs -----------------------------------------------------------------
def forward_nodesum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """``\\sum_{v \\in V} x_v``: a value per graph, the sum over its nodes."""
    if r.node_letter is None:
        raise NotPrinted("gradient equations through a sum over nodes without a node letter")
    # bound by the source's own letter of the sum (\\sum_{k} e_{k,i} beside e_{j,i})
    w = r.sum_letter or r.node_letter
    if w != r.node_letter and w in letters(xs[0]):
        w = _fresh(letters(xs[0]) | {r.node_letter})
    body = rename(xs[0], r.node_letter, w)
    return Node(nodesum_p, (body,), body.shape, {"letter": w, "set": r.node_set})


def vjp_nodesum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Each node v receives the gradient of its graph's sum (a value per graph read at a node
    is its graph's)."""
    return [g]


forward_rules[nodesum_p] = forward_nodesum
vjp_tree_rules[nodesum_p] = vjp_nodesum

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


def _plain_neighbours(r: Reverse, op: Op) -> str:
    if r.node_letter is None:
        raise NotPrinted("gradient equations through a sum over neighbours without a node letter")
    if op.attrs.get("relation") is not None or op.attrs.get("direction", "in") != "in":
        raise NotPrinted(
            "gradient equations through a sum over typed or outgoing edges are not printed yet",
            hint="papermath check FILE checks the generated backward through it",
        )
    return r.node_letter


def forward_neighbour_sum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    v = _plain_neighbours(r, op)
    u = (
        r.neighbour_letter
        if r.neighbour_letter not in letters(xs[0])
        else _fresh(letters(xs[0]) | {v})
    )
    body = rename(xs[0], v, u)
    return Node(NEIGHBOURS, (body,), body.shape, {"letter": u, "member": None, "of": v})


def vjp_neighbour_sum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """What node v sends each neighbour u, summed at u over the nodes w that have u as a
    neighbour (the edges reversed)."""
    v = _plain_neighbours(r, op)
    w = _fresh(letters(g) | {v})
    body = rename(g, v, w)
    return [Node(NEIGHBOURS, (body,), body.shape, {"letter": w, "member": v, "of": None})]


def _edges(r: Reverse, op: Op) -> tuple[str, str]:
    if r.node_letter is None or r.edge_letter is None:
        raise NotPrinted("gradient equations over edges without the letters of their nodes")
    if op.prim is edge_sum_p and op.attrs.get("relation") is not None:
        raise NotPrinted("gradient equations through a sum over typed edges are not printed yet")
    return r.node_letter, r.edge_letter


def forward_to_edges(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """A node's value on each edge (j -> i): at the edge's target, written at i; at its
    source, at j."""
    i, j = _edges(r, op)
    x = xs[0]
    if j in letters(x):  # a sum in it binds j: it binds another letter
        x = rebind(x, j, _fresh(letters(x) | {i, j}))
    return x if int(op.attrs["side"]) == 1 else rename(x, i, j)


def vjp_to_edges(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Node i collects what its edges send: as a target, over its neighbours j; as a source,
    over the nodes w whose neighbourhood holds it."""
    i, j = _edges(r, op)
    if int(op.attrs["side"]) == 1:
        return [neighbours_of(g, i, j)]
    w = _fresh(letters(g) | {i, j})
    body = rename(rename(g, i, w), j, i)
    return [Node(NEIGHBOURS, (body,), body.shape, {"letter": w, "member": i, "of": None})]


def forward_edge_sum(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """For each node i, the sum of the values of the edges into it: over its neighbours j."""
    i, j = _edges(r, op)
    return neighbours_of(xs[0], i, j)


forward_rules[to_edges_p] = forward_to_edges
vjp_tree_rules[to_edges_p] = vjp_to_edges
forward_rules[edge_sum_p] = forward_edge_sum


def vjp_edge_sum(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Each edge j -> i gets its target's gradient (a sum in it binding j binds another
    letter: j is the edge's own there)."""
    i, j = _edges(r, op)
    return [rebind(g, j, _fresh(letters(g) | {i, j})) if binds(g, j) else g]


vjp_tree_rules[edge_sum_p] = vjp_edge_sum


def forward_edge_max(r: Reverse, op: Op, xs: list[Node]) -> Node:
    """For each node i, the largest value (entry by entry) over the edges into it:
    ``\\max_{j \\in \\mathcal{N}(i)}``."""
    i, j = _edges(r, op)
    return replace(
        neighbours_of(xs[0], i, j), attrs={"letter": j, "member": None, "of": i, "max": True}
    )


def vjp_edge_max(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """Each edge j -> i gets its target's gradient where its value is the largest, shared
    equally by the edges tied for it (as the generated backward does):
    ``\\mathbb{1}[x_{ij} = y_i] / \\sum_{k \\in \\mathcal{N}(i)} \\mathbb{1}[x_{ik} = y_i]``
    times ``g_i``."""
    i, j = _edges(r, op)
    g = rebind(g, j, _fresh(letters(g) | {i, j})) if binds(g, j) else g
    y = r.forward(op.out)
    y = rebind(y, j, _fresh(letters(y) | letters(g) | {i, j})) if binds(y, j) else y
    x = r.forward(op.inputs[0])
    hit = indicator(x, "=", y)
    k = _fresh(letters(x) | letters(y) | letters(g) | {i, j})
    ties = neighbours_of(indicator(rename(x, j, k), "=", y), i, k)
    return [mul(div(hit, ties), g)]


forward_rules[edge_max_p] = forward_edge_max
vjp_tree_rules[edge_max_p] = vjp_edge_max
forward_rules[neighbour_sum_p] = forward_neighbour_sum
vjp_tree_rules[neighbour_sum_p] = vjp_neighbour_sum


def vjp_to_nodes(r: Reverse, op: Op, g: Node) -> list[Node | None]:
    """A graph's value given to each of its nodes: its gradient is the sum over the graph's
    nodes (a fresh letter, as the node's own may be free around it)."""
    if r.node_letter is None:
        raise NotPrinted("gradient equations through a sum over nodes without a node letter")
    w = _fresh(letters(g) | {r.node_letter, r.neighbour_letter})
    body = rename(g, r.node_letter, w)
    return [Node(nodesum_p, (body,), body.shape, {"letter": w, "set": r.node_set})]


forward_rules[to_nodes_p] = lambda r, op, xs: xs[0]  # read at a node: its graph's
vjp_tree_rules[to_nodes_p] = vjp_to_nodes

DEGREE = "degree"  # \\left|\\mathcal{N}(v)\\right|: the number of v's neighbours, a number per node


def forward_degree(r: Reverse, op: Op, xs: list[Node]) -> Node:
    v = _plain_neighbours(r, op)
    return Node(DEGREE, (), r.shape2(op.out), {"of": v})


forward_rules[degree_p] = forward_degree
vjp_tree_rules[degree_p] = lambda r, op, g: [None]  # a count: no gradient


# ---- the pass --------------------------------------------------------------------------------
@dataclass
class Contribution:
    """What one use sends a named value: the tree, the offset of the value it reaches (-1: a
    state one step back), and whether it comes from the ops of every step."""

    node: Node
    offset: int | None
    per_step: bool
    per_edge: bool = False  # from a use on every edge: summed over a node's edges


def reverse(
    program: Program,
    named: dict[Value, Named],
    seeds: dict[Value, Node],
    samples: Size,
    written: bool = False,
    node: tuple[str, str, str, str, str | None] | None = None,
    edge_values: set[Value] | None = None,
) -> dict[str, list[Contribution]]:
    """What every named value receives, walking back from ``seeds`` (the gradient tree of
    each named value whose equation is differentiated); ``node``: the letters and the set
    of the nodes of a program over nodes (:func:`papermath.report.gradients` reads them)."""
    w = Reverse(program, samples, written)
    w.named = named
    w.edge_values = edge_values or set()
    if node is not None:
        w.node_letter, w.node_set, w.neighbour_letter, w.sum_letter, w.edge_letter = node
    for op in reversed(program.static_ops + program.step_ops):
        if op in w.skip or op.prim is const_p:
            continue
        if op.out in named:
            if op.out not in seeds:
                continue
            gs = [seeds[op.out]]
        else:
            gs = w.grads.get(op.out, [])
            if not gs:
                continue
        rule = vjp_tree_rule(op.prim)
        if rule is None:
            raise NotPrinted(
                f"gradient equations through the primitive {op.prim.name} are not printed yet",
                hint="papermath check FILE checks the generated backward through it",
            )
        # a concatenation's blocks are cut from each contribution (each reads alone);
        # every other rule sees the sum of them; blocks of rows are stacked back first
        if any(g.is_(BLOCK) for g in gs):
            blocks = [g for g in gs if g.is_(BLOCK)]
            gs = [g for g in gs if not g.is_(BLOCK)] + [stacked(blocks)]
        parts = gs if op.prim is concat_p else [_sum(gs)]
        for g in parts:
            for v, gv in zip(op.inputs, rule(w, op, g), strict=False):
                if gv is not None:
                    w.send(v, gv, op)
    return w.received


def _sum(gs: list[Node]) -> Node:
    out = gs[0]
    for g in gs[1:]:
        out = add(out, g)
    return out


__all__ = [
    "Contribution",
    "Named",
    "Node",
    "NotPrinted",
    "forward_rules",
    "reverse",
    "shift",
    "transpose",
    "vjp_tree_rules",
]
