r"""Gradient equations printed from the IR: ``papermath grad`` by the reverse pass over the
:class:`~papermath.ir.program.Program` (``passes/reverse.py``), in the source's symbols.

Each value the source names (an equation's left side, a parameter, an input, a state one
step back) is printed with its symbol (``h_{t-1}``, ``\tilde{C}_t``, ``W_f``); what it does
not name is printed as computed, from the primitives (``\left[h_{t-1}, x_t\right]``). The
trees come in *denominator layout* (a gradient has the shape of its variable) with the
samples as columns; the other conventions are passes on the trees (:func:`convert`):

- *numerator layout*: every gradient is the transpose of the denominator one;
- *sample-first*: every value that varies across samples is stored transposed (samples as
  rows), so ``s = W x`` is printed ``s = x W^\top``;

each followed by pushing the transposes inward, ``(AB)^\top = B^\top A^\top``.

A family of heads (multi-head attention: W_i^Q one per head, the heads side by side in
``\mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)``) is printed for one head i,
in the source's symbols (``\frac{\partial \mathcal{L}}{\partial W_i^Q}``): the block of
W^O's rows head i meets written with i (``\left[W_O\right]_{\left(i - 1\right) d_v + 1:i
d_v}``), the heads side by side ``\mathrm{Concat}_{i=1}^{h}\left(head_i\right)``, and
what every head sends a value they share (Q) ``\sum_{i=1}^{h}``; the header says so.
Where a value is a matrix per sample (W^{(i)} = \sigma(W^{(i-1)} + a b^\top)), the equations
are printed for one sample, as the source writes them (a parameter's gradient for a batch
is their sum over the samples, said in the header). Where a parameter is used once by a value
per graph and by every node (CS231n's W in R(W) and in f_i = W x_i + b, the examples read as
the nodes of one graph), the equations are printed for one graph (said in the header): what
the graph's use sends plus ``\sum_{i}`` of one node's terms. The entry of a vector at an
integer label is ``\left[f_i\right]_{y_i}``, its gradient ``\operatorname{onehot}_{K}\left(y_i
\right)`` times the entry's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..errors import PapermathError
from ..ir.prims import (
    Prim,
    add_p,
    concat_last_p,
    concat_p,
    const_p,
    degree_p,
    div_p,
    edge_max_p,
    edge_sum_p,
    expm_p,
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
    power_p,
    slice_p,
    softmax_p,
    step_pow_p,
    sub_p,
    take_p,
    to_edges_p,
    to_nodes_p,
    transpose_p,
)
from ..ir.program import Program, Value
from ..ir.tree import (
    CALL,
    DEGREE,
    DIRECT,
    EXPM_ADJ,
    GRAD,
    HEAD_BLOCK,
    HEAD_CONCAT,
    HEAD_SUM,
    INDICATOR,
    MEAN,
    NEIGHBOURS,
    NUM,
    ONE,
    ONEHOT,
    ONES,
    ONES_OF,
    PICK,
    RAW,
    STEP,
    STEP_SUM,
    SUM_ALL,
    VALUE,
    VAR,
    Node,
    NotPrinted,
    add,
    free,
    is_num,
    num,
    over_edges,
    shift,
    text2,
    transpose,
)
from ..ir.tree import matmul as tree_matmul
from ..ir.tree import mul as tree_mul
from ..ops import ELEMENTWISE
from ..passes.reverse import (
    Contribution,
    Heads,
    Named,
    Reverse,
    forward_rule,
    reverse,
)
from ..read import terms as t
from ..shapes.sizes import Size
from .symbols import LOSS, key_latex, symbol

if TYPE_CHECKING:
    from ..system import System

LAYOUTS = ("denominator", "numerator")
BATCHES = ("dim-first", "sample-first")


# ---- the printer -----------------------------------------------------------------------------
# binding strength as the printed language reads it (tests/gradeval.py): + and - loosest,
# then \odot, then juxtaposition (products), then a leading minus, then atoms
SUM, HADAMARD, PRODUCT, ATOM = 1, 2, 3, 5
FN_LATEX = {row.name: row.latex for row in ELEMENTWISE.values()}
# a reduction over the entries of a vector, unnamed in the source: printed as a call on it
# (the prim's own ``tex``: ops/reductions.py's prod, max, logsumexp)


def level(n: Node) -> int:
    if n.is_(add_p, sub_p):
        return SUM
    if n.prim is mul_p:
        return PRODUCT if _scaling(n) else HADAMARD
    if n.prim is matmul_p:
        return PRODUCT
    if n.prim is neg_p:
        return 0  # always in parentheses as an operand
    if n.is_(NUM) and n.attrs["value"] < 0:
        return 0
    if n.is_(STEP) and n.attrs["offset"]:
        return SUM  # t + 1
    if n.is_(nodesum_p, NEIGHBOURS, EXPM_ADJ, STEP_SUM, HEAD_SUM):
        return SUM  # \sum_{v \in V} reaches to the end: in parentheses as an operand
    return ATOM


def _scaling(n: Node) -> bool:
    """A number times a value: printed ``2 x``, ``\beta x``."""
    return n.args[0].is_(NUM) or n.args[0].shape == (ONE, ONE)


def _at(n: Node) -> str | None:
    """Where a value is: its node (``h_v``), or its edge (``\\alpha_{i,j}``, ``e_{j,i}``)."""
    node, edge = n.attrs.get("node"), n.attrs.get("edge")
    if node is None or edge is None:
        return node
    return f"{edge},{node}" if n.attrs.get("edge_first") else f"{node},{edge}"


class Printer:
    def __init__(
        self, step: str | None, loss: str = LOSS, heads: dict[str, str] | None = None
    ) -> None:
        self.step = step
        self.loss = loss
        self.heads = heads or {}  # a value per head: its symbol at head i (W_i^Q, head_i)

    def name(self, n: Node) -> str:
        """A named value's symbol (at head i where it is one per head)."""
        if n.attrs.get("head"):
            return self.heads[n.attrs["key"]]
        return symbol(n.attrs["key"], self.step, n.attrs["offset"], _at(n))

    def paren(self, n: Node, at_least: int) -> str:
        text = self.latex(n)
        return f"\\left({text}\\right)" if level(n) < at_least else text

    def latex(self, n: Node) -> str:
        p, a = n.prim, n.args
        if n.is_(VALUE):
            return self.name(n)
        if n.is_(GRAD):
            name = self.name(n)
            return f"\\frac{{\\partial {self.loss}}}{{\\partial {name}}}"
        if n.is_(DIRECT):
            name = self.name(n)
            return f"\\frac{{\\partial {self.loss}}}{{\\partial {name}}}\\Big|_{{\\text{{direct}}}}"
        if n.is_(ONES):
            return "\\mathbf{1}"
        if n.is_(ONES_OF):
            return f"\\mathbf{{1}}_{{{n.attrs['size'].text()}}}"
        if n.is_(NUM):
            v = float(n.attrs["value"])
            return str(int(v)) if v.is_integer() else repr(v)
        if n.is_(RAW):
            return str(n.attrs["latex"])
        if n.is_(PICK):  # each sample's entry of a at its label
            return f"\\left[{self.latex(a[0])}\\right]_{{{self.latex(a[1])}}}"
        if n.is_(ONEHOT):  # a 1 at each sample's label, in a column of as many rows as classes
            rows = n.shape[0].text()
            return f"\\operatorname{{onehot}}_{{{rows}}}\\left({self.latex(a[0])}\\right)"
        if n.is_(INDICATOR):
            return (
                f"\\mathbb{{1}}\\left[{self.latex(a[0])} {n.attrs['relation']} "
                f"{self.latex(a[1])}\\right]"
            )
        if n.is_(SUM_ALL):
            return f"\\textstyle\\sum \\left({self.latex(a[0])}\\right)"
        if n.is_(CALL):
            return str(n.attrs["latex"]).format(self.latex(a[0]))
        if p is add_p:
            return f"{self.latex(a[0])} + {self.latex(a[1])}"
        if p is sub_p:
            return f"{self.latex(a[0])} - {self.paren(a[1], HADAMARD)}"
        if p is neg_p:
            return f"-{self.paren(a[0], PRODUCT)}"
        if p is mul_p and _scaling(n):  # 2 x, \beta x, \left(1 - \beta\right) x
            scale = self.latex(a[0]) if a[0].is_(NUM) else self.paren(a[0], PRODUCT)
            return f"{scale} {self.paren(a[1], PRODUCT)}"
        if p is mul_p:
            return f"{self.paren(a[0], HADAMARD)} \\odot {self.paren(a[1], HADAMARD)}"
        if p is matmul_p:
            return f"{self.paren(a[0], PRODUCT)} {self.paren(a[1], PRODUCT)}"
        if p is div_p:
            return f"\\frac{{{self.latex(a[0])}}}{{{self.latex(a[1])}}}"
        if p is transpose_p:
            inner = self.latex(a[0])
            if a[0].is_(concat_p, HEAD_BLOCK) or (
                a[0].is_(VALUE, ONES, ONES_OF) and not _raised(inner)
            ):
                return f"{inner}^\\top"
            return f"\\left({inner}\\right)^\\top"
        if p is pow_p:
            k = float(n.attrs["exponent"])
            inner = self.latex(a[0])
            if not a[0].is_(VALUE, GRAD, NUM, norm_p) or _raised(inner):
                inner = f"\\left({inner}\\right)"
            return f"{inner}^{{{int(k) if k.is_integer() else k}}}"
        if p is expm_p:  # the matrix exponential: e^{A} (never \\exp, which is entry by entry)
            return f"e^{{{self.latex(a[0])}}}"
        if n.is_(MEAN, VAR):  # of each sample's vector (a column): a row over the samples
            name = "mean" if n.is_(MEAN) else "Var"
            return f"\\operatorname{{{name}}}\\left({self.latex(a[0])}\\right)"
        if n.is_(HEAD_SUM):  # \sum_{i=1}^{h}: over the heads, i bound in what follows
            over = f"\\sum_{{{n.attrs['head']}=1}}^{{{n.attrs['count'].text()}}}"
            return f"{over} {self.paren(a[0], PRODUCT)}"
        if n.is_(HEAD_CONCAT):  # the heads side by side: Concat_{i=1}^{h}(head_i)
            over = f"_{{{n.attrs['head']}=1}}^{{{n.attrs['count'].text()}}}"
            return f"\\mathrm{{Concat}}{over}\\left({self.latex(a[0])}\\right)"
        if n.is_(HEAD_BLOCK):  # head i's rows (or columns): [W^O]_{(i-1) d_v + 1:i d_v}
            i, width = n.attrs["head"], n.attrs["width"]
            w = width.text()
            if width.is_const:
                first, last = f"{w} \\left({i} - 1\\right) + 1", f"{w} {i}"
            else:
                w = w if width.names == (w,) else f"\\left({w}\\right)"
                first, last = f"\\left({i} - 1\\right) {w} + 1", f"{i} {w}"
            cols = ":, " if n.attrs["axis"] else ""
            return f"\\left[{self.latex(a[0])}\\right]_{{{cols}{first}:{last}}}"
        if n.is_(STEP_SUM):
            return f"\\sum_{{{n.attrs['letter']}}} {self.paren(a[0], PRODUCT)}"
        if n.is_(EXPM_ADJ):  # its adjoint: \\int_0^1 e^{s A} G e^{(1 - s) A} ds
            m = self.paren(a[0], ATOM)
            body = f"e^{{s {m}}} {self.paren(a[1], PRODUCT)} e^{{\\left(1 - s\\right) {m}}}"
            return f"\\int_{{0}}^{{1}} {body} \\, ds"
        if p is inv_p:  # the matrix inverse, as the sources write it: (I - A)^{-1}
            inner = self.latex(a[0])
            if not a[0].is_(VALUE) or _raised(inner):
                inner = f"\\left({inner}\\right)"
            return f"{inner}^{{-1}}"
        if p is fn_p and n.attrs["fn"] == "layernorm":  # no row: a function of the dialects
            return f"\\operatorname{{LayerNorm}}\\left({self.latex(a[0])}\\right)"
        if p is fn_p:
            return FN_LATEX[str(n.attrs["fn"])].replace("{x}", self.latex(a[0]))
        if p is norm_p:  # of each column (each sample's vector), of each row, or of it all
            along = str(n.attrs.get("over", "all"))
            axis = "_{\\text{row}}" if along == "row" else ""
            if along not in ("col", "row") and a[0].shape[1] != ONE:
                axis = "_{F}"  # a whole matrix's (Frobenius), never each column's
            return f"\\left\\|{self.latex(a[0])}\\right\\|{axis}"
        if n.is_(STEP):
            return self.step_text(n.attrs["offset"])
        if p is step_pow_p:
            inner = self.latex(a[0])
            if not a[0].is_(VALUE, NUM) or _raised(inner):
                inner = f"\\left({inner}\\right)"
            return f"{inner}^{{{self.step_text(n.attrs['offset'])}}}"
        if p is power_p:  # x^b, b a value (read/rules_value_powers.py)
            inner = self.latex(a[0])
            if not a[0].is_(VALUE, NUM) or _raised(inner):
                inner = f"\\left({inner}\\right)"
            return f"{inner}^{{{self.latex(a[1])}}}"
        if p is maximum_p or p is minimum_p:
            args = f"{self.latex(a[0])}, {self.latex(a[1])}"
            return f"\\{'max' if p is maximum_p else 'min'}\\left({args}\\right)"
        if isinstance(p, Prim) and p.tex is not None:
            return f"{p.tex}\\left({self.latex(a[0])}\\right)"
        if p is nodesum_p:
            where = f" \\in {n.attrs['set']}" if n.attrs["set"] else ""  # \sum_{s'}: no set named
            over = f"\\sum_{{{n.attrs['letter']}{where}}}"
            return f"{over} {self.paren(a[0], PRODUCT)}"
        if n.is_(DEGREE):
            return f"\\left|\\mathcal{{N}}({n.attrs['of']})\\right|"
        if n.is_(NEIGHBOURS):  # \sum_{u \in N(v)} x_u; \sum_{w : u \in N(w)} g_w
            w, member = n.attrs["letter"], n.attrs["member"]
            if member is None:
                big = "\\max" if n.attrs.get("max") else "\\sum"  # \max_{j \in N(i)}: edge_max
                over = f"{big}_{{{w} \\in \\mathcal{{N}}({n.attrs['of']})}}"
            else:
                over = f"\\sum_{{{w} : {member} \\in \\mathcal{{N}}({w})}}"
            return f"{over} {self.paren(a[0], PRODUCT)}"
        if p is softmax_p:
            over = "_{\\text{row}}" if n.attrs.get("rows") else ""  # a matrix: each row's
            return f"\\operatorname{{softmax}}{over}\\left({self.latex(a[0])}\\right)"
        if p is concat_p:
            return "\\left[" + ", ".join(self.latex(x) for x in a) + "\\right]"
        if p is concat_last_p:  # side by side (the columns), as the papers' Concat
            return "\\mathrm{Concat}\\left(" + ", ".join(self.latex(x) for x in a) + "\\right)"
        if p is slice_p:
            first = (n.attrs["start"] + ONE).text()
            cols = ":, " if n.attrs.get("axis") else ""  # a block of the columns
            block = f"{cols}{first}:{n.attrs['stop'].text()}"
            return f"\\left[{self.latex(a[0])}\\right]_{{{block}}}"
        raise NotPrinted(f"no LaTeX for {p}")

    def step_text(self, offset: int) -> str:
        """The number of the step: ``t``, ``t + 1``, ``t - 1``."""
        if self.step is None:
            raise NotPrinted("a power of the step number outside a recurrence")
        if not offset:
            return self.step
        return f"{self.step} {'+' if offset > 0 else '-'} {abs(offset)}"

    def summands(self, n: Node) -> list[str]:
        """The top-level summands, each after the first with its sign."""
        if n.prim is add_p:
            right = self.summands(n.args[1])
            return [*self.summands(n.args[0]), f"+ {right[0]}", *right[1:]]
        if n.prim is sub_p:
            return [*self.summands(n.args[0]), f"- {self.paren(n.args[1], HADAMARD)}"]
        return [self.latex(n)]


def _raised(tex: str) -> bool:
    """Whether a symbol's LaTeX carries a superscript already (``W^\\top``, a prime: ``h'``):
    another one needs parentheses around it (TeX refuses a double superscript)."""
    return "^" in tex or "'" in tex


# ---- conventions -----------------------------------------------------------------------------
ENTRYWISE: tuple[Prim | str, ...] = (
    add_p,
    sub_p,
    mul_p,
    div_p,
    neg_p,
    pow_p,
    fn_p,
    maximum_p,
    minimum_p,
    step_pow_p,
    power_p,
    INDICATOR,
    CALL,
)


def push(n: Node) -> Node:
    """Every transpose pushed down to the leaves (through products and entrywise
    operations), cancelled in pairs."""
    if n.prim is transpose_p:
        return _transposed(push(n.args[0]))
    if n.prim is norm_p and n.attrs.get("over") in ("col", "row"):  # each sample's: no identity
        return replace(n, args=(push(n.args[0]),))
    if n.prim is norm_p:  # \|A^\top\| = \|A\|: the operand with the fewer transposes
        inner = push(n.args[0])
        flipped = _transposed(inner)
        return replace(n, args=(min(inner, flipped, key=_transposes),))
    if not n.args:
        return n
    return replace(n, args=tuple(push(a) for a in n.args))


def _transposed(n: Node) -> Node:
    if n.prim is norm_p and n.attrs.get("over") in ("col", "row"):
        # the norms of A's columns, as a column: those of the rows of A^T (and back)
        over = "row" if n.attrs["over"] == "col" else "col"
        flipped = (_transposed(n.args[0]),)
        return replace(n, args=flipped, shape=(n.shape[1], n.shape[0]), attrs={"over": over})
    if n.is_(*ENTRYWISE, STEP_SUM, HEAD_SUM):
        return replace(
            n, args=tuple(_transposed(a) for a in n.args), shape=(n.shape[1], n.shape[0])
        )
    if n.prim is matmul_p:
        return replace(
            n, args=(_transposed(n.args[1]), _transposed(n.args[0])), shape=(n.shape[1], n.shape[0])
        )
    return transpose(n)


def _transposes(n: Node) -> int:
    return (n.prim is transpose_p) + sum(_transposes(a) for a in n.args)


def substitute(n: Node, values: bool, grads: bool) -> Node:
    """Each leaf that varies across samples (``values``), and each gradient (``grads``: of
    every value in numerator layout), replaced by its transpose."""
    if n.is_(VALUE) and values and n.attrs["batched"]:
        return transpose(n)
    if n.is_(GRAD, DIRECT):
        flip = grads != (values and n.attrs["batched"])
        return transpose(n) if flip else n
    if not n.args:
        return n
    return replace(n, args=tuple(substitute(a, values, grads) for a in n.args))


def convert(rhs: Node, lhs_flips: bool, rows: bool, numerator: bool) -> Node:
    out = push(substitute(rhs, rows, numerator))
    return _transposed(out) if lhs_flips else out


# ---- the equations ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """The left side of a printed equation: the key, and its step letter (None: none)."""

    key: str
    step: str | None
    node: str | None = None  # a value per node: its node letter (h_v)


@dataclass
class GradEquation:
    lhs: Target
    rhs: Node
    shape: tuple[str, ...]
    latex: str = ""
    head: str = ""
    parts: tuple[str, ...] = ()

    def wrapped(self, width: int = 100) -> str:
        """The equation, as one line if it is short, else one summand per line (aligned)."""
        if len(self.latex) <= width or len(self.parts) < 2:
            return self.latex
        rows = [f"{self.head} & {self.parts[0]}"] + [f"& {p}" for p in self.parts[1:]]
        return "\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}"


@dataclass
class Derivation:
    system: System
    layout: str = "denominator"
    batch: str = "dim-first"
    loss: str = LOSS
    forward: list[str] = field(default_factory=list)
    equations: list[GradEquation] = field(default_factory=list)
    node: str | None = None  # a program over nodes: the node letter (the nodes are columns)
    # a family of heads: its letter, the number of heads, whether each head computes its own
    # value (head_i with W_i^Q) or every head is one value ([SA_1(z); ...; SA_k(z)])
    heads: tuple[str, str, bool] | None = None
    # a matrix per sample (W^{(i)} = \sigma(W^{(i-1)} + a b^T)): printed for one sample
    one_sample: bool = False
    samples: str = "N"  # the size of the samples, as printed (the shapes' N, a batch's count)
    counts: bool = False  # whether an equation uses the number of samples (a batch's mean)
    # a parameter used once per graph and by every node (R(W) beside f_i = W x_i): printed for
    # one graph, as the source writes it
    one_graph: bool = False


def head_symbols(system: System) -> tuple[str | None, dict[str, str]]:
    """The letter of the source's family of heads (i in head_i, W_i^Q), and the symbol of
    each value one per head at head i, as the source writes it: ``W_i^Q`` where the source
    puts the label above (the key W_Q), else with i in the subscript (``head_i``)."""
    family = [eq.lhs for eq in system.equations if eq.lhs.head]
    letter = family[0].head if family else None
    out: dict[str, str] = {}
    tables = set(system.per_table_params)  # v_w: printed as its matrix (rules_table_rows)
    for eq in system.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if not isinstance(x, t.Sym) or not x.head or x.key in out or x.key in tables:
                continue
            if letter is None or x.head != letter:
                raise NotPrinted("gradient equations of heads written with two letters")
            base, labels = key_latex(x.key)
            text = system.source.text[x.span.start : x.span.end] if x.span else ""
            if len(labels) == 1 and "^" in text:  # W_i^Q: the label above, as written
                label = labels[0] if len(labels[0]) == 1 else f"{{{labels[0]}}}"
                out[x.key] = f"{base}_{x.head}^{label}"
            else:
                out[x.key] = symbol(x.key, node=x.head)
    return letter, out


def one_sample(program: Program) -> bool:
    """Whether a value is a matrix per sample (labml's fast weights W^{(i)}, a state): the
    equations are then printed for one sample, as the source writes them."""
    values = [op.out for op in program.ops()] + [s.prev for s in program.states]
    values += [i.value for i in program.inputs]
    return any(v.batched and len(v.shape) == 2 and ONE not in v.shape for v in values)


def _heads(system: System, program: Program) -> Heads | None:
    """The family of heads of a program (multi-head attention), printed for one head i:
    head i's computation is the first head's of the unrolled program (what only it
    computes); None without heads."""
    cats = [op for op in program.ops() if op.prim is concat_last_p]
    if not cats:
        return None
    if any(op.attrs.get("joined") == "bar" for op in cats):  # shapes/rules_bar_concat.py
        raise NotPrinted(
            "gradient equations through matrices joined side by side (\\|) are not printed yet"
        )
    if len(cats) > 1:
        raise NotPrinted("gradient equations through two families of heads are not printed yet")
    (cat,) = cats
    width, total = cat.inputs[0].shape[-1], cat.out.shape[-1]
    factors = Size.factors(total.names[0]) if total.names and total.terms[0][1] == 1 else ()
    if len(total.terms) == 1 and not total.constant and width.text() in factors:
        count = Size.var(next(f for f in factors if f != width.text()))  # h in d_v·h
    elif total.is_const and width.is_const:
        count = Size.const(len(cat.inputs))
    else:
        raise NotPrinted(f"gradient equations through heads {total.text()} wide in all")
    letter, _ = head_symbols(system)
    if letter is None:  # [SA_1(z); ...; SA_k(z)]: no letter written; one not taken
        taken = set(system.size_names()) | set(system.shapes) | {program.step_index}
        letter = next(c for c in "ijlmpqrs" if c not in taken)
    if all(v is cat.inputs[0] for v in cat.inputs):  # one value for every head
        return Heads(letter, count, frozenset(), frozenset())

    def ancestors(v: Value) -> set[Value]:
        out, todo = set(), [v]
        while todo:
            x = todo.pop()
            if x not in out:
                out.add(x)
                todo.extend(producer[x].inputs if x in producer else ())
        return out

    producer = {op.out: op for op in program.ops()}
    mine = ancestors(cat.inputs[0])
    for other in cat.inputs[1:]:
        mine -= ancestors(other)
    if len(cat.inputs) == 1:  # one head: what is computed from its parameters
        mine = {v for v in mine if v in producer and producer[v].prim is not const_p}
        mine -= {i.value for i in program.inputs}
    ops = frozenset(producer[v] for v in mine if v in producer)
    return Heads(letter, count, frozenset(mine), ops)


def _named(system: System, program: Program, heads: Heads | None = None) -> dict[Value, Named]:
    """The values the source names, with their steps (and their head: W_i^Q, head_i)."""
    occurrences = [x for eq in system.equations for x in t.walk(eq.rhs) if isinstance(x, t.Sym)]
    offsets: dict[str, int] = {}
    for x in occurrences:
        if x.step is not None:
            offsets.setdefault(x.key, x.offset)
    step_outs = {op.out for op in program.step_ops + program.back_ops + program.post_ops}
    out: dict[Value, Named] = {}
    for key, v in program.outputs.items():
        out[v] = Named(key, 0 if v in step_outs and program.step_index else None, v.batched)
    for s in program.states:  # h_{t-1}; a state carried backwards, h_{t+1}
        out[s.prev] = Named(s.key, 1 if s.backward else -1, True)
    tables = set(system.per_table_params)  # v_w's rows: printed as the matrix (rules_table_rows)
    per_head = {p.value: p.key for p in program.params if p.per_head and p.key not in tables}
    if per_head and heads is None:
        raise NotPrinted(
            "gradient equations of a parameter stored stacked (one per head, or a table's rows: "
            "read/rules_table_rows.py) outside a family of heads are not printed yet",
            hint="papermath check FILE checks the generated backward through it",
        )
    for op in program.ops():  # W_i^Q: each head's slice of the stack, written with i
        if op.prim is take_p and op.inputs[0] in per_head and heads is not None:
            out[op.out] = Named(per_head[op.inputs[0]], None, False, head=heads.letter)
    family = [eq.lhs.key for eq in system.equations if eq.lhs.head]
    cats = [op for op in program.ops() if op.prim is concat_last_p]
    if family and heads is not None and cats and heads.values:  # head_i: each head's value
        for v in cats[0].inputs:
            out[v] = Named(family[0], None, v.batched, head=heads.letter)
    for prm in program.params:
        if prm.per_head and prm.key not in tables:
            continue
        # W^{(l)}: one per step, written at its offset (W_{l-1} at step l)
        out[prm.value] = Named(prm.key, offsets.get(prm.key, 0) if prm.per_step else None, False)
    for inp in program.inputs:
        if inp.per == "step":
            out[inp.value] = Named(inp.key, offsets.get(inp.key, 0), inp.value.batched)
        else:
            out[inp.value] = Named(inp.key, None, inp.value.batched)
    return out


SAMPLE_NAMES = ("N", "B", "M", "m", "n_samples", "batch")


def source_samples(system: System) -> tuple[str | None, str]:
    """The size the source gives its samples, if it writes them (x is D x N, or N x D),
    and where they are: "dim-first" (columns) or "sample-first" (rows)."""
    shapes = system.shapes
    data = [
        k for k, v in system.kinds.items() if v in ("input", "target", "state") and shapes.get(k)
    ]
    wide = [k for k in data if len(shapes[k]) >= 2]
    if not wide:
        return None, "dim-first"  # one example, column vectors
    common = set.intersection(*(set(shapes[k]) for k in data))
    # the samples survive every equation computed from the data (X W keeps X's rows)
    computed = [shapes[eq.lhs.key] for eq in system.equations if shapes.get(eq.lhs.key)]
    common = {n for n in common if all(n in shape for shape in computed)}
    last = shapes[wide[0]][-1]
    named = [n for n in SAMPLE_NAMES if n in common]
    if not common or (len(common) > 1 and not named and last not in common):
        return None, "dim-first"  # no size every value carries: the samples are not written
    sample = next(iter(common)) if len(common) == 1 else named[0] if named else last
    rows = all(shapes[k][0] == sample for k in wide)
    return sample, "sample-first" if rows else "dim-first"


def _sample_name(system: System) -> Size:
    taken = set(system.size_names())
    return Size.var(next(n for n in ("N", "B", "N_s", "S") if n not in taken))


def _dependencies(system: System) -> dict[str, set[str]]:
    """The symbols (and learnable functions: their parameters) each equation reads."""
    deps = {
        eq.lhs.key: {x.key for x in t.walk(eq.rhs) if isinstance(x, t.Sym | t.Learned)}
        for eq in system.equations
    }
    for eq in system.equations:  # SA(z) called in MSA: SA's value, where an equation gives it
        calls = {x.key for x in t.walk(eq.rhs) if isinstance(x, t.FnCall)}
        deps[eq.lhs.key] |= calls & set(deps) - {eq.lhs.key}
    for state, first in (system._read.initial_values if system._read else {}).items():
        deps.setdefault(state, set()).add(first)  # H^{0} = X: H starts from H_init
    return deps


# the graph primitives whose gradient equations are printed (a sum over the nodes of a graph)
NODE_PRIMS = (
    nodesum_p,
    neighbour_sum_p,
    degree_p,
    to_nodes_p,
    to_edges_p,
    edge_sum_p,
    edge_max_p,
)


NodeLetters = tuple[str, str, str, str, str | None]


def _nodes(system: System, program: Program) -> tuple[NodeLetters, set[Value], set[Value]]:
    """A program over nodes: the node letter, the set the source writes (``\\sum_{v \\in V}``:
    V, or "" where it names none), the letter of a neighbour (u in N(v)) and of a sum over
    the nodes (k in \\sum_k beside e_{j,i}: the node letter where it is the same), and the
    letter of a value per edge's neighbour (j in alpha_{ij}); the values per node or edge
    (the others in the loop are per graph) and the values per edge. What else meets the
    nodes (typed or outgoing edges, the largest value over edges) is refused by name."""
    from ..ir.prims import PRIMS

    graph = [p for p in PRIMS.values() if p.family == "graph" and p not in NODE_PRIMS]
    for op in program.ops():
        if op.prim in graph:
            raise NotPrinted(
                f"gradient equations over values per node through {op.prim.name} "
                f"({op.prim.doc}) are not printed yet",
                hint="papermath check FILE checks the generated backward through them",
            )
    terms = [x for eq in system.equations for x in [eq.lhs, *t.walk(eq.rhs)]]
    sums = [x for x in terms if isinstance(x, t.NodeSum)]
    # an aggregator the source leaves unnamed (a stand-in computes it) binds its letters too
    near = [
        x for x in terms if isinstance(x, t.NeighbourSum | t.NeighbourMax | t.NeighbourAggregate)
    ]
    # the neighbour's letter: of a sum over values (|N(v)| is read as a sum of ones over i')
    summed = [x for x in near if not isinstance(x.body, t.Const)]
    neighbour = summed[0].index if summed else "u"
    letters = sorted(
        ({x.node for x in terms if isinstance(x, t.Sym) and x.node} | {x.of for x in near})
        - {x.index for x in near}
        - {x.edge for x in terms if isinstance(x, t.Sym) and x.edge}  # j in e_{ij}, h_j
    )
    heads = {eq.lhs.node for eq in system.equations if eq.lhs.node}
    if len(heads) == 1:  # a_t(s) = ...: the letter of what the equations compute per node
        (letter,) = heads
        over = sums[0].over if sums else "V"
    elif sums:
        letter, over = sums[0].index, sums[0].over
    elif len(letters) == 1:
        letter, over = letters[0], "V"
    else:
        raise NotPrinted("gradient equations over values per node without one node letter")
    bound = {x.index for x in near} | {x.of for x in near}
    bound |= {x.index for x in sums}
    if any(x.over != over for x in sums) or set(letters) - bound - {letter}:
        raise NotPrinted("gradient equations over nodes written with two letters")
    edge_ends = {x.edge for x in terms if isinstance(x, t.Sym) and x.edge}
    if {x.of for x in near} - {letter} - edge_ends:  # |N(j)|, j an edge's neighbour: its own
        raise NotPrinted("gradient equations over neighbours written with two letters")
    # the letters of a value per edge: as the equations' left sides write it (alpha_{ij};
    # e_{ik} inside a sum over k is the same value at another edge)
    ends = {(x.node, x.edge) for x in (eq.lhs for eq in system.equations) if x.edge}
    ends = ends or {(x.node, x.edge) for x in terms if isinstance(x, t.Sym) and x.edge}
    if len(ends) > 1 or any(n != letter for n, _ in ends):
        raise NotPrinted("gradient equations over edges written with two pairs of letters")
    edge_letter = next(iter(ends))[1] if ends else neighbour
    per_edge = {i.value for i in program.inputs if i.per == "edge"}
    for op in program.ops():
        if op.prim is to_edges_p or (
            op.prim not in (edge_sum_p, edge_max_p) and set(op.inputs) & per_edge
        ):
            per_edge.add(op.out)
    # what is per node: the inputs per node, what is computed from them or from a state per
    # node (a state is per node when its next value is), never a sum over the nodes
    per_node = {i.value for i in program.inputs if i.per == "node"}
    nexts = {s.prev: program.outputs.get(s.key) for s in program.states}
    for _ in range(len(nexts) + 1):
        for op in program.ops():
            if op.prim is not nodesum_p and any(v in per_node for v in op.inputs):
                per_node.add(op.out)
            if op.prim is to_nodes_p:
                per_node.add(op.out)
        per_node |= {prev for prev, nxt in nexts.items() if nxt in per_node}
        if not per_node:  # states and no input per node: the states are per node
            per_node = set(nexts)
    # the set as the source names it (V), or none (\sum_{s'} over "the positions")
    named_set = over if re.fullmatch(r"[A-Za-z]+|\\mathcal\{[A-Z]\}", over) else ""
    summing = next((x.index for x in sums if x.index != letter), letter)
    return (letter, named_set, neighbour, summing, edge_letter), per_node | per_edge, per_edge


def _edge_first(system: System, key: str) -> bool:
    """Whether the source writes a value per edge with its neighbour's letter first
    (``e_{j,i}``, from j to i) rather than the node's (``\\alpha_{ij}``)."""
    for eq in system.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if isinstance(x, t.Sym) and x.key == key and x.edge and x.node and x.span:
                text = system.source.text[x.span.start : x.span.end]
                sub = text[text.rfind("_") + 1 :]
                return 0 <= sub.find(x.edge) < sub.find(x.node)
    return False


def _used_per_graph(program: Program, per_node: set[Value], nodes: bool = False) -> set[Value]:
    """The values the same for every sample (parameters, what is computed from them alone)
    that a value per graph is computed from: their gradient sums over the graphs, not the
    nodes (``nodes``: that a value per node is computed from instead)."""
    out: set[Value] = set()
    ops = list(program.ops())
    for _ in range(len(ops) + 1):
        size = len(out)
        for op in ops:
            per_graph = op.out.batched and (op.out in per_node) == nodes
            if per_graph or op.out in out:
                out |= {v for v in op.inputs if not v.batched}
        if len(out) == size:
            return out
    return out


def printed_for_one_graph(system: System, program: Program) -> bool:
    """Whether the gradient equations of a program over nodes are printed for one graph: a
    parameter is used once by a value per graph and by every node (R(W) beside f_i = W x_i)."""
    if not program.per_node:
        return False
    _, node_values, _ = _nodes(system, program)
    once = _used_per_graph(program, node_values)
    every = _used_per_graph(program, node_values, nodes=True)
    return any(p.value in once and p.value in every for p in program.params)


def _mixed_node_sum(
    node: NodeLetters,
    node_values: set[Value],
    parts: list[Contribution],
    nodes: list[Node],
) -> Node:
    """A parameter's gradient from a use once per graph and uses by every node, for one
    graph: what the graph's use sends (its ones over the graphs, one graph's: 1), plus
    ``\\sum_{v \\in V}`` of one node's terms (their sums over the nodes dropped)."""
    pairs = list(zip(nodes, parts, strict=True))
    by_node = [n for n, c in pairs if c.source in node_values]
    by_graph = [_one_graph(n) for n, c in pairs if c.source not in node_values]
    if not by_node or not by_graph:  # the caller saw both uses: papermath's own slip
        raise NotPrinted("gradient equations of a parameter used per graph and per node")
    inner = _node_terms(_summed(by_node))
    outer = _summed(by_graph)
    return add(outer, Node(nodesum_p, (inner,), outer.shape, {"letter": node[0], "set": node[1]}))


def _one_graph(n: Node) -> Node:
    """``n`` for one graph: its ones over the graphs (a row, or summed: their count) are 1."""
    if n.prim is transpose_p and n.args[0].is_(ONES):
        return num(1)
    if n.is_(SUM_ALL):
        inner = _one_graph(n.args[0])
        if is_num(inner):
            return inner
        return replace(n, args=(inner,))
    if not n.args:
        return n
    args = tuple(_one_graph(a) for a in n.args)
    if n.prim is mul_p:  # 2 \cdot 1 \lambda W: the constructors drop the ones
        return tree_mul(*args)
    if n.prim is matmul_p:
        return tree_matmul(*args)
    return replace(n, args=args)


def _summed(terms: list[Node]) -> Node:
    out = terms[0]
    for n in terms[1:]:
        out = add(out, n)
    return out


def _node_terms(n: Node) -> Node:
    """A parameter's gradient as one node's term, to sum over the nodes: its sums over the
    columns (the nodes) dropped (``g \\mathbf{1}`` -> ``g``)."""
    if n.prim is matmul_p and n.args[1].is_(ONES):
        return _node_terms(n.args[0])
    if n.prim is matmul_p and n.args[0].prim is transpose_p and n.args[0].args[0].is_(ONES):
        return _node_terms(n.args[1])
    if n.is_(ONES):
        raise NotPrinted("a sum over the nodes inside a node's term")
    if not n.args:
        return n
    return replace(n, args=tuple(_node_terms(a) for a in n.args))


def derive(
    system: System,
    wrt: str,
    of: str | None = None,
    layout: str = "denominator",
    batch: str | None = None,
    dims: dict[str, int] | None = None,
) -> Derivation:
    """The gradient equations of ``of`` with respect to ``wrt``, from the reverse pass over
    the IR. ``batch``: where the samples are printed, "dim-first" (columns) or
    "sample-first" (rows); by default where the source puts them."""
    from ..check import default_dims

    program = system.program(default_dims(system, dims))
    node: NodeLetters | None = None
    node_values: set[Value] = set()
    edge_values: set[Value] = set()
    if program.per_node:
        node, node_values, edge_values = _nodes(system, program)
    sample, source_batch = source_samples(system)
    written = sample is not None and not program.explicit_batch
    batch = batch or source_batch
    if layout not in LAYOUTS or batch not in BATCHES:
        raise PapermathError(f"layout is one of {LAYOUTS}, batch one of {BATCHES}")
    one = not written and node is None and one_sample(program)
    if one and batch != source_batch:
        raise NotPrinted(
            "gradient equations through a matrix per sample are printed for one sample, with "
            "its vectors as columns",
            hint=f"--batch {source_batch}",
        )
    written = written or one  # every value printed with its own shape: one sample's
    if node is not None and batch != source_batch:
        raise NotPrinted(
            "gradient equations over values per node with the nodes moved to the other axis "
            "are not printed yet (tests/test_grad_oracle.py checks them as the source lays "
            "them out)",
            hint=f"--batch {source_batch}",
        )
    eqs = {eq.lhs.key: eq for eq in system.equations}
    # a learnable function's parameters (i.weight): reached through the function (i)
    learned = {
        p.key: p.key.rsplit(".", 1)[0]
        for p in program.params
        if p.key not in system.kinds and p.key.rsplit(".", 1)[0] in system.functions
    }
    if (wrt not in system.kinds or wrt in system.functions) and wrt not in learned:
        raise PapermathError(f"no symbol {wrt!r}", hint="symbols: " + ", ".join(system.shapes))
    read = system._read  # f(x; \theta): theta is f's weights together (read/rules_param_sets)
    if read is not None and wrt in read.param_sets:
        func = read.param_sets[wrt]
        raise PapermathError(
            f"{wrt} names all the parameters of {func} together ({func}.weight and {func}.bias), "
            "not one array: its gradient is one for each of them",
            hint=f"ask for each: --wrt {func}.weight, --wrt {func}.bias",
        )
    if of is None:
        scalars = [k for k in eqs if system.shapes.get(k) == ()]
        of = scalars[-1] if scalars else system.equations[-1].lhs.key
    if of not in eqs:
        raise PapermathError(
            f"{of!r} is not defined by an equation", hint="--of names an equation's left side"
        )
    if wrt == of:
        raise PapermathError(
            f"{of} is the value differentiated (its gradient with respect to itself is 1)",
            hint="--wrt names a symbol it is computed from",
        )
    deps = _dependencies(system)
    reach: set[str] = {learned.get(wrt, wrt)}
    changed = True
    while changed:
        changed = False
        for k, ds in deps.items():
            if k not in reach and ds & reach:
                reach.add(k)
                changed = True
    if of not in reach:
        raise PapermathError(f"{of} does not depend on {wrt}")
    needed: set[str] = {of}
    changed = True
    while changed:
        changed = False
        for k in list(needed):
            for dkey in deps.get(k, set()):
                if dkey in reach and dkey not in needed:
                    needed.add(dkey)
                    changed = True
    samples = _sample_name(system)
    heads = _heads(system, program)
    if heads is not None and batch != source_batch:
        raise NotPrinted(
            "gradient equations through heads side by side with the samples moved to the "
            "other axis are not printed yet (tests/test_grad_oracle.py checks them as the "
            "source lays them out)",
            hint=f"--batch {source_batch}",
        )
    named = _named(system, program, heads)
    if sample is not None:  # what varies across samples: the values with their axis, as written
        axis = 0 if source_batch == "sample-first" else -1
        named = {
            v: replace(info, batched=bool(v.shape) and v.shape[axis].text() == sample)
            for v, info in named.items()
        }
    if node is not None:  # a value per node is written with its node letter (h_v)
        named = {v: replace(i, node=node[0]) if v in node_values else i for v, i in named.items()}
        named = {
            v: replace(i, edge=node[4], edge_first=_edge_first(system, i.key))
            if v in edge_values
            else i
            for v, i in named.items()
        }
    walker = Reverse(program, samples, written)
    walker.named = named
    walker.heads = heads
    if node is not None:
        (
            walker.node_letter,
            walker.node_set,
            walker.neighbour_letter,
            walker.sum_letter,
            walker.edge_letter,
        ) = node
    by_key: dict[str, Value] = {}
    for v, info in named.items():  # a state's value at the step, not one step back
        if info.key not in by_key or (info.offset in (0, None) and not info.head):
            by_key[info.key] = v  # one per head: the first head's (head i printed)

    def value_of(key: str) -> Value:
        return program.outputs[key] if key in program.outputs else by_key[key]

    # the seeds: the gradient of each needed equation's left side; a scalar `of` is the loss
    seeds: dict[Value, Node] = {}
    for key in sorted(needed & set(eqs)):
        v = value_of(key)
        if key == of and not v.shape and v not in node_values:  # the loss itself: dL/dL = 1
            batched = v.batched and not one
            seeds[v] = transpose(Node(ONES, (), (samples, ONE))) if batched else num(1)
        else:  # a number per node or edge too: what the loss gives it (\alpha_{ij}'s)
            seeds[v] = walker.grad_leaf(v)
    received = reverse(program, named, seeds, samples, written, node, edge_values, heads)
    rel_rows = batch != source_batch  # the samples moved to the other axis
    numerator = layout == "numerator"
    printer = Printer(program.step_index, heads=head_symbols(system)[1])
    out = Derivation(system, layout, batch, node=node[0] if node else None, one_sample=one)
    if heads is not None:
        out.heads = (heads.letter, heads.count.text(), bool(heads.values))
    order = [eq for eq in system.equations if eq.lhs.key in needed]
    for eq in order:
        v = value_of(eq.lhs.key)
        op = walker.producer[v]
        rule = forward_rule(op.prim)
        if rule is None:
            raise NotPrinted(f"gradient equations through {op.prim.name} are not printed yet")
        rhs = rule(walker, op, [walker.forward(i) for i in op.inputs])
        lhs = walker.leaf(v)
        flips = rel_rows and named[v].batched
        text_l = printer.latex(convert(lhs, flips, rel_rows, False))
        out.forward.append(f"{text_l} = {printer.latex(convert(rhs, flips, rel_rows, False))}")
        out.counts = out.counts or _counts(rhs)
    targets = [eq.lhs.key for eq in reversed(order)] + [wrt]
    done: set[str] = set()
    for key in targets:
        if key in done:
            continue
        done.add(key)
        v = by_key[key]
        info = named[v]
        if any(st.init is v for st in program.states):  # H^{0} = X (rules_initial_tie)
            raise NotPrinted(
                f"the gradient of {key}, a state's first value, also takes the state's gradient "
                "before the first step: not printed yet",
                hint="papermath check FILE checks the generated backward through it",
            )
        parts: list[Contribution] = list(received.get(key, []))
        if key == of:
            if not parts or not v.shape:
                continue  # the loss itself (or what only the loss reads): nothing to print
            direct = Node(
                DIRECT,
                (),
                walker.shape2(v),
                {
                    "key": key,
                    "offset": info.offset,
                    "batched": info.batched,
                    "node": info.node,
                    "edge": info.edge,
                    "edge_first": info.edge_first,
                    "head": info.head,
                },
            )
            parts = [Contribution(direct, info.offset, False), *parts]
        if not parts:
            continue
        # what reaches h_{t-1} (W_{l-1}) at step t is the gradient of h_t (W_l), one step later
        nodes = [shift(c.node, -c.offset) if c.offset else c.node for c in parts]
        if node is not None and node[4] and not info.batched:  # from the edges: over them
            nodes = [
                over_edges(n, node[0], node[4]) if c.per_edge or node[4] in free(n) else n
                for n, c in zip(nodes, parts, strict=True)
            ]
        mixed = info.offset is None and len({c.per_step for c in parts}) == 2
        if mixed:  # used at every step and once beside (\bar{A} in h_t and in \bar{B}):
            each = [n for n, c in zip(nodes, parts, strict=True) if c.per_step]
            nodes = [n for n, c in zip(nodes, parts, strict=True) if not c.per_step]
            inner = each[0]
            for n in each[1:]:
                inner = add(inner, n)
            step_sum = Node(STEP_SUM, (inner,), inner.shape, {"letter": program.step_index})
            nodes.append(step_sum)  # what is computed once, then \sum_{t} of the steps' terms
        rhs = nodes[0]
        for n in nodes[1:]:
            rhs = add(rhs, n)
        if node is not None and node[4] and not info.batched and free(rhs) - {node[0]}:
            raise NotPrinted(f"the gradient of {key} over nodes written with other letters")
        over_steps = ""
        if info.offset is None and not mixed and any(c.per_step for c in parts):
            over_steps = f"\\sum_{{{program.step_index}}} "
        per_graph = False  # a parameter only a value per graph meets (W_a in W_a^T h_t)
        if node is not None and not info.batched:  # a parameter: the sum of every node's term
            per_graph = v in _used_per_graph(program, node_values)
            if per_graph and v in _used_per_graph(program, node_values, nodes=True):
                # used once per graph and by every node (CS231n's W in R(W) and in
                # f_i = W x_i + b): printed for one graph, as the source writes it
                rhs = _mixed_node_sum(node, node_values, parts, nodes)
                out.one_graph = True
                per_graph = True  # the node sum is inside the equation
            if not per_graph:  # else its gradient sums over the graphs: the columns, as written
                where = f" \\in {node[1]}" if node[1] else ""
                over_steps += f"\\sum_{{{node[0]}{where}}} "
        want = walker.shape2(v)
        if rhs.shape != want and not (rhs.shape == (ONE, ONE) and want == (ONE, ONE)):
            raise PapermathError(
                f"the gradient of {key} came out with mismatched shapes (the left side is "
                f"{text2(want)}, the right side {text2(rhs.shape)}); papermath does not print "
                "an equation that fails its own shape check",
                hint="please report this source: it is a papermath bug",
            )
        flips = (rel_rows and info.batched) != numerator
        rhs_c = convert(rhs, flips, rel_rows, numerator)
        if node is not None and not info.batched and not per_graph:
            rhs_c = _node_terms(rhs_c)
        at = None if info.offset is None else 0
        lhs_node = Node(
            GRAD,
            (),
            want,
            {
                "key": key,
                "offset": at,
                "batched": info.batched,
                "node": info.node,
                "edge": info.edge,
                "edge_first": info.edge_first,
                "head": info.head,
            },
        )
        head = f"{printer.latex(lhs_node)} = {over_steps}"
        body = printer.latex(rhs_c)
        pieces = tuple(printer.summands(rhs_c)) if not over_steps else (body,)
        shape = (want[1], want[0]) if flips else want
        out.equations.append(
            GradEquation(
                Target(key, program.step_index if info.offset is not None else None, info.node),
                rhs_c,
                _shape_text(shape, info.batched, numerator),
                f"{head}{body}",
                head,
                pieces,
            )
        )
    out.equations = in_order_of_use(out.equations)
    out.samples = samples.text()
    out.counts = out.counts or any(_counts(eq.rhs) for eq in out.equations)
    return out


def _counts(n: Node) -> bool:
    """Whether a tree uses the number of samples (ops/reductions.py tree_count)."""
    return (n.is_(RAW) and bool(n.attrs.get("count"))) or any(_counts(a) for a in n.args)


def _shape_text(s: tuple[Size, Size], batched: bool, numerator: bool) -> tuple[str, ...]:
    a, b = s[0].text(), s[1].text()
    if b == "1" and a != "1" and not numerator and not batched:
        return (a,)
    return (a, b) if (a, b) != ("1", "1") else ()


def _grads_used(n: Node) -> set[str]:
    out: set[str] = set()
    if n.is_(GRAD) and n.attrs["offset"] in (0, None):
        out.add(n.attrs["key"])
    for a in n.args:
        out |= _grads_used(a)
    return out


def in_order_of_use(equations: list[GradEquation]) -> list[GradEquation]:
    """Each equation after those whose gradients it uses at the same step; otherwise as
    derived (from the value differentiated back to the variable)."""
    keys = {eq.lhs.key for eq in equations}
    uses = {id(eq): (_grads_used(eq.rhs) - {eq.lhs.key}) & keys for eq in equations}
    placed: list[GradEquation] = []
    done: set[str] = set()
    pending = list(equations)
    while pending:
        ready = next((eq for eq in pending if uses[id(eq)] <= done), pending[0])
        pending.remove(ready)
        placed.append(ready)
        done.add(ready.lhs.key)
    return placed


def render(d: Derivation) -> str:
    rows = "columns" if d.batch == "dim-first" else "rows"
    if d.node is not None:  # a value per graph read at a node v: the value of v's graph
        rows += f" (one per node {d.node}; a value per graph, at {d.node}: {d.node}'s graph's)"
    lines = []
    if d.heads is not None:
        i, h, family = d.heads
        lines.append(
            f"% for each head {i} = 1..{h}: a symbol written with {i} is head {i}'s (a "
            f"parameter's: head {i}'s of the stack); \\sum_{{{i}=1}}^{{{h}}} sums over the heads"
            if family
            else f"% the {h} heads side by side are one value; \\sum_{{{i}=1}}^{{{h}}} sums "
            f"over the heads ({i} = 1..{h})"
        )
    if d.one_graph:
        lines.append(
            "% for one graph (a parameter is used once by the graph's value and by every "
            "node): a batch of graphs sums these over its graphs"
        )
    if d.one_sample:
        rows += " (one sample's vectors)"
        lines.append(
            "% for one sample (a value of the equations is a matrix per sample): a "
            "parameter's gradient for a batch is the sum of these over its samples"
        )
    lines += [
        f"% forward, as read, samples as {rows}:",
        *[f"  {f}" for f in d.forward],
        f"% gradients, {d.layout} layout"
        + (
            " (a gradient has the shape of its variable)"
            if d.layout == "denominator"
            else " (a gradient has the transposed shape of its variable)"
        )
        + f", samples as {rows}:",
    ]
    for eq in d.equations:
        shown = [f"({s})" if " " in s and len(eq.shape) > 1 else s for s in eq.shape]
        shape = " x ".join(shown) if shown else "scalar"
        lines.append(f"  {eq.latex}    % [{shape}]")
    lines.append(
        "% sigma' = sigma (1 - sigma) <= 1/4; tanh' = 1 - tanh^2 <= 1; "
        "relu' = 1[s > 0]; \\mathbf{1} sums over the samples"
        + (f"; {d.samples} is the number of samples" if d.counts else "")
    )
    return "\n".join(lines)
