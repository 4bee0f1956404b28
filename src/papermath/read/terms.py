"""The read tree: each equation as papermath understood it, before shapes choose the products.

Nodes compare by identity (``eq=False``) so that shape inference can key facts on them.
Products keep the operator as written (``juxt``, ``cdot``, ``*``, ``odot``, ...); shape
inference records which product it is (matrix, Hadamard, scaling, dot) as a *reading*.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from ..source import Span


@dataclass(frozen=True, eq=False)
class Term:
    span: Span


@dataclass(frozen=True, eq=False)
class Sym(Term):
    """One occurrence of a symbol: ``h_{t-1}`` is key ``h`` at step offset ``-1``."""

    key: str
    step: str | None = None  # the step index letter, e.g. "t"
    offset: int = 0  # -1 for h_{t-1}
    step_label: str | None = None  # "T" for h^{(T)}
    node: str | None = None  # the node index letter, e.g. "v"
    example: str | None = None  # x_i with i over the examples of a batch (batch norm)
    edge: str | None = None  # e_{ij}: a value per edge, from the neighbour j to the node i
    head: str | None = None  # W_i^Q, head_i: one per head i of a family (multi-head attention)
    # a_{rb}, V_b: one per member b of a basis summed by \sum_{b=1}^{B} (read/rules_basis.py)
    basis: str | None = None


@dataclass(frozen=True, eq=False)
class Const(Term):
    value: float


@dataclass(frozen=True, eq=False)
class Apply(Term):
    """A known function: ``sigmoid``, ``tanh``, ``relu``, ``softmax``, ``exp``, ``log``..."""

    fn: str
    args: tuple[Term, ...]


@dataclass(frozen=True, eq=False)
class Learned(Term):
    """A learnable function of its arguments (default: affine map of their concatenation)."""

    key: str
    args: tuple[Term, ...]


@dataclass(frozen=True, eq=False)
class Concat(Term):
    items: tuple[Term, ...]
    features: bool = False  # \| between matrices: along the last axis (shapes/rules_bar_concat.py)


@dataclass(frozen=True, eq=False)
class Add(Term):
    op: str  # "+" or "-"
    left: Term
    right: Term


@dataclass(frozen=True, eq=False)
class Neg(Term):
    body: Term


@dataclass(frozen=True, eq=False)
class Product(Term):
    """``written`` is the operator as typed: juxt, cdot, times, star, dot, odot, circ, otimes."""

    written: str
    left: Term
    right: Term
    op_span: Span


@dataclass(frozen=True, eq=False)
class Div(Term):
    left: Term
    right: Term


@dataclass(frozen=True, eq=False)
class Transpose(Term):
    body: Term


@dataclass(frozen=True, eq=False)
class Power(Term):
    body: Term
    exponent: float


@dataclass(frozen=True, eq=False)
class StepPower(Term):
    """``\\beta_1^t``: the body to the power of the step number t (1 at the first step), as
    Adam's bias correction writes it (read/rules_step_number.py)."""

    body: Term
    index: str


@dataclass(frozen=True, eq=False)
class Norm(Term):
    """``\\|x\\|`` (L2 unless ``ord`` says otherwise); a scalar."""

    body: Term
    ord: str = "2"


@dataclass(frozen=True, eq=False)
class NodeSum(Term):
    """``\\sum_{v \\in V} body``: a reduction over the node axis."""

    index: str
    over: str
    body: Term


@dataclass(frozen=True, eq=False)
class OrderSum(Term):
    """``\\sum_{k=0}^{K} (\\hat A)^{k} X \\Theta_k``: a sum over the orders k = start, ...
    (count of them), unrolled; read/rules_orders.py."""

    index: str  # k
    start: int  # 0 or 1: the first order
    count: str  # the number of orders, a size's text ("K + 1")
    body: Term


@dataclass(frozen=True, eq=False)
class OrderPower(Term):
    """``(\\hat A)^{k}``: a square matrix to the power of the order k (bound by an
    OrderSum); ``\\beta^{k}`` (``number``): a number's; read/rules_orders.py."""

    body: Term
    index: str
    number: bool = False  # \beta^k: a lowercase Greek letter, a number by convention
    chebyshev: bool = False  # T_k(X): the degree-k Chebyshev polynomial of X, as the source says
    shift: int = 0  # \xi^{k-1}: the exponent is the order plus shift (a number's power only)


@dataclass(frozen=True, eq=False)
class NeighbourMax(Term):
    """``\\max_{u \\in \\mathcal{N}(v)} body``: for each node v, the largest value of body
    over its neighbours u, entry by entry (0 where v has none); read/rules_neighbour_max.py."""

    index: str  # u
    of: str  # v
    body: Term


@dataclass(frozen=True, eq=False)
class NeighbourAggregate(Term):
    """``\\mathrm{aggregate}(\\{h_u, u \\in \\mathcal{N}(v)\\})``: for each node v, an aggregation
    of body over its neighbours u that the source does not name (its value has the shape of
    one member); code is refused (read/rules_set_builder.py)."""

    index: str  # u
    of: str  # v
    body: Term
    written: str  # the aggregator as written


@dataclass(frozen=True, eq=False)
class NodeAggregate(Term):
    """``\\text{AGG}_{v \\in G}(\\{h_v\\})``: an aggregation of body over every node v of the
    graph that the source does not name (a readout: its value has the shape of one member);
    code is refused (read/rules_range_aggregation.py)."""

    index: str  # v
    over: str  # G
    body: Term
    written: str  # the aggregator as written


@dataclass(frozen=True, eq=False)
class NeighbourSum(Term):
    """``\\sum_{u \\in \\mathcal{N}(v)} body``: for each node v, a sum over its neighbours u
    (message passing; an edge list says who neighbours whom)."""

    index: str  # u
    of: str  # v
    body: Term
    relation: str | None = None  # N_r(v): only along the edges of type r (bound outside)
    direction: str = "in"  # "in": sources of the edges into v; "out": targets of edges from v
    # N(v) \cup \{v\}: v itself too (read/rules_sets.py expands it before anything else)
    itself: bool = False


@dataclass(frozen=True, eq=False)
class RelationSum(Term):
    r"""``\sum_{r \in \mathcal{R}} body`` with ``\mathcal{N}_r(v)`` inside: a sum over the
    types of edges (``size`` of them). What carries r (``W_r``) is one per type (stacked)."""

    index: str  # r
    size: str  # the number of types (R)
    body: Term


@dataclass(frozen=True, eq=False)
class BasisSum(Term):
    r"""``\sum_{b=1}^{B} a_{rb} V_b``: a sum over the ``size`` members b of a basis (V_b one
    matrix per b, a_{rb} one number per member r of a family and b), unrolled; what carries b
    is stored stacked (read/rules_basis.py)."""

    index: str  # b
    size: str  # the number of members (B)
    body: Term


@dataclass(frozen=True, eq=False)
class Padded(Term):
    """``x_i \\| \\mathbf{0}`` as a state's first value: ``body`` padded with a block of zeros
    to the state's width (read/rules_zero_pad.py); the zero block is the width left over."""

    body: Term


@dataclass(frozen=True, eq=False)
class Identity(Term):
    """``I``, ``I_N``: the identity matrix (a constant, never a learned parameter); ``size``
    is its size when written (``N`` in ``I_N``)."""

    size: str | None


@dataclass(frozen=True, eq=False)
class Sinusoid(Term):
    """``PE_{(pos,2i)} = \\sin(pos / 10000^{2i/d})`` with its odd entries ``\\cos(...)``: the
    number ``arg`` (a position) encoded as a vector of the size ``size``
    (read/rules_sinusoid.py)."""

    arg: Term
    size: str
    base: float


@dataclass(frozen=True, eq=False)
class SizeValue(Term):
    """A declared size used as a number (``\\frac{1}{n}``, ``\\sqrt{d_k}``): a constant."""

    name: str


@dataclass(frozen=True, eq=False)
class Elem(Term):
    """``a_i``: the entries of the vector ``a`` by the index ``i``. Read elementwise: all the
    entries at once, so ``a_i g_i`` is the vector ``a \\odot g``."""

    body: Term
    index: str


@dataclass(frozen=True, eq=False)
class Pick(Term):
    """``f_{y_i}``: the entry of the vector ``body`` at the integer label ``label`` (one per
    example: the score of the correct class); read/rules_label_pick.py."""

    body: Term
    label: Term


@dataclass(frozen=True, eq=False)
class TableRow(Term):
    """``v_{w_I}``: the member of a table (``member``, one vector per value of its ``head``
    letter w, stored as the rows of a matrix) at the integer ``label`` (one per example): an
    embedding lookup; read/rules_table_rows.py."""

    member: Sym
    label: Term


@dataclass(frozen=True, eq=False)
class Table(Term):
    """Every member of a table at once (``v'_w`` under ``\\sum_{w=1}^{W}``): the matrix of
    ``count`` rows, one member each; read/rules_table_rows.py."""

    member: Sym
    count: str


@dataclass(frozen=True, eq=False)
class IndexSum(Term):
    """``\\sum_{i=1}^{n} body``, ``\\sum_i body``: a sum over the entries i (the feature axis);
    ``size`` is the upper limit as written (``n``), if any."""

    index: str
    size: str | None
    body: Term
    op: str = "sum"  # the primitive: "prod" (\prod_i), "max", ... (read/rules_reductions.py)


@dataclass(frozen=True, eq=False)
class BatchSum(Term):
    """``\\sum_{i=1}^{m} x_i`` with ``x_i`` one example of a mini-batch: a sum over the
    examples (the batch axis), the same for every example; ``size`` is m as written."""

    index: str
    size: str | None
    body: Term


@dataclass(frozen=True, eq=False)
class StepSum(Term):
    r"""``\sum_t body`` over the steps of a recurrence (a loss summed over time). Only the
    whole right side of an equation; read as a running sum ``L_t = L_{t-1} + body``."""

    index: str
    body: Term


@dataclass(frozen=True, eq=False)
class HeadConcat(Term):
    r"""``\mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)``: the values of a family
    (one per head i = 1..count) side by side along the feature (last) axis. ``member`` is
    the family's symbol at head i."""

    member: Sym
    count: str


@dataclass(frozen=True, eq=False)
class Block(Term):
    r"""``[q, k, v] = z U_{qkv}``: q is block ``index`` (from 0) of ``count`` equal blocks of
    ``body`` along its last (feature) axis (read/rules_blocks.py)."""

    body: Term
    index: int
    count: int


@dataclass(frozen=True, eq=False)
class Repeat(Term):
    r"""``[\mathrm{SA}_1(z); \cdots; \mathrm{SA}_k(z)]`` with SA one function of the same z:
    ``count`` copies of ``body`` side by side along its last (feature) axis
    (read/rules_blocks.py)."""

    body: Term
    count: str


@dataclass(frozen=True, eq=False)
class FnCall(Term):
    """A call of a function the source defines (``\\mathrm{RMS}(a)``): the definition's body
    with the arguments in place of its parameters. ``args`` are shown, ``body`` computes."""

    key: str
    args: tuple[Term, ...]
    body: Term
    line: int  # the line of the definition; 0 for a standard function the prose names


@dataclass(frozen=True, eq=False)
class DegreeNorm(Term):
    r"""``D^{-1/2} A D^{-1/2}`` with D the degree matrix of the square A (D_ii = \sum_j A_ij):
    A with entry (i, j) divided by sqrt(d_i d_j), d the row sums of A (GCN's symmetric
    normalisation). D is diagonal, so its power is the power of its diagonal; ``degree`` is
    D's key (it is never a value of its own: read/rules_graph.py)."""

    adjacency: Term
    degree: str


@dataclass(frozen=True, eq=False)
class Eigenvalue(Term):
    r"""``\lambda_{\max}(L)``: the largest (``which`` max) or smallest eigenvalue of the square
    matrix body, a number; read for its shape, code refused (read/rules_eigenvalue.py)."""

    body: Term
    which: str


@dataclass(frozen=True, eq=False)
class DegreeMatrix(Term):
    r"""``L = D - A`` with D the diagonal degree matrix of the square A (``D_v = \sum_u A_{vu}``):
    D as a value of its own, diag(d), d the row sums of A (read/rules_degree_matrix.py);
    ``degree`` is D's key."""

    adjacency: Term
    degree: str


@dataclass(frozen=True, eq=False)
class Equation:
    """``lhs = rhs`` as read. ``line`` is 1-based in the source. ``element`` is set for an
    equation over entries (``\\bar a_i = a_i g_i``): it defines every entry i at once."""

    span: Span
    lhs: Sym
    rhs: Term
    line: int
    element: str | None = None


def children(t: Term) -> tuple[Term, ...]:
    """The direct subterms, in source order."""
    match t:
        case Apply(args=args) | Learned(args=args):
            return args
        case Concat(items=items):
            return items
        case Add(left=a, right=b) | Product(left=a, right=b) | Div(left=a, right=b):
            return (a, b)
        case Neg(body=b) | Transpose(body=b) | Power(body=b) | Norm(body=b) | NodeSum(body=b):
            return (b,)
        case Elem(body=b) | IndexSum(body=b) | FnCall(body=b) | NeighbourSum(body=b):
            return (b,)
        case BatchSum(body=b) | StepSum(body=b) | RelationSum(body=b) | Block(body=b):
            return (b,)
        case NeighbourMax(body=b) | OrderSum(body=b) | OrderPower(body=b) | BasisSum(body=b):
            return (b,)
        case NeighbourAggregate(body=b) | NodeAggregate(body=b):  # rules_set_builder and
            return (b,)  # rules_range_aggregation
        case Repeat(body=b):
            return (b,)
        case Pick(body=b, label=lab):  # read/rules_label_pick.py
            return (b, lab)
        case TableRow(member=m, label=lab):  # read/rules_table_rows.py
            return (m, lab)
        case Table(member=m):
            return (m,)
        case HeadConcat(member=m):
            return (m,)
        case DegreeNorm(adjacency=a) | DegreeMatrix(adjacency=a):
            return (a,)
        case Eigenvalue(body=b):  # read/rules_eigenvalue.py
            return (b,)
        case Sinusoid(arg=a):  # read/rules_sinusoid.py
            return (a,)
        case Padded(body=b):  # read/rules_zero_pad.py
            return (b,)
    return ()


def mapped(term: Term, f: Callable[[Term], Term]) -> Term:
    """``term`` with ``f`` applied to each direct subterm (the same object where none
    changed: terms are keyed by identity)."""
    changes: dict[str, object] = {}
    for fld in fields(term):
        value = getattr(term, fld.name)
        if isinstance(value, Term):
            changes[fld.name] = f(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, Term) for v in value):
            changes[fld.name] = tuple(f(v) for v in value)
    if all(changes[name] is getattr(term, name) for name in changes):
        return term
    return replace(term, **changes)  # type: ignore[arg-type]


def walk(t: Term) -> list[Term]:
    """Every subterm, children before parents (inside out)."""
    out: list[Term] = []
    for c in children(t):
        out.extend(walk(c))
    out.append(t)
    return out
