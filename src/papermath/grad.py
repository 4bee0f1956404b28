r"""Gradient equations in the source's own symbols, in the layout the reader chooses.

Reverse mode runs over the read terms of each equation (not the IR), so the printed
equations use the paper's symbols: ``\frac{\partial L}{\partial z} = w^\top
\frac{\partial L}{\partial y_{out}}``. The derivation is done once, in *denominator layout*
(a gradient has the shape of its variable) with the notation's own orientation (vectors are
columns, so a batch has the samples as columns). The other conventions are substitutions
followed by pushing transposes inward, ``(AB)^\top = B^\top A^\top``:

- *numerator layout*: every gradient is the transpose of the denominator one;
- *sample-first*: every value that varies across samples is stored transposed (samples as
  rows), so ``s = W x`` is printed ``s = x W^\top``.

Activation derivatives used: sigma' = sigma (1 - sigma) (at most 1/4), tanh' = 1 - tanh^2
(at most 1), relu' = 1[s > 0].
"""

from __future__ import annotations

import ast as pyast
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING

import papermath.ops.families  # noqa: F401  (fills the registries of ir.rules)

from .errors import PapermathError
from .ir.prims import PRIMS
from .ir.rules import latex_rules, rule
from .ops import ELEMENTWISE, derivative_tree
from .ops.elementwise import DERIVATIVE_CALLS, constant
from .read import rules_matrix
from .read import terms as t
from .read.functions import UNNAMED
from .read.reader import DECORATIONS
from .read.syntax import GREEK_LOWER
from .shapes.sizes import Size

if TYPE_CHECKING:
    from .system import System

LAYOUTS = ("denominator", "numerator")
BATCHES = ("dim-first", "sample-first")
GREEK = GREEK_LOWER | {
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Phi",
    "Psi",
    "Omega",
}


# ---- a small matrix-expression language ----------------------------------------------------
@dataclass(frozen=True)
class E:
    pass


@dataclass(frozen=True)
class Sym(E):
    key: str
    step: str | None = None
    offset: int = 0
    node: str | None = None
    batched: bool = False  # varies across the samples of a batch


@dataclass(frozen=True)
class Grad(E):
    """dL/d(sym), in the layout being printed."""

    sym: Sym


@dataclass(frozen=True)
class Ones(E):
    """The vector of ones over the batch: ``X 1`` sums the columns of X."""


@dataclass(frozen=True)
class Num(E):
    value: float


@dataclass(frozen=True)
class T(E):
    body: E


@dataclass(frozen=True)
class MatMul(E):
    a: E
    b: E


@dataclass(frozen=True)
class Had(E):
    a: E
    b: E


@dataclass(frozen=True)
class Scale(E):
    """A scalar times a value."""

    c: E
    a: E


@dataclass(frozen=True)
class Add(E):
    a: E
    b: E
    op: str = "+"


@dataclass(frozen=True)
class Neg(E):
    a: E


@dataclass(frozen=True)
class Fn(E):
    """``\\tanh(x)``, ``1[x > 0]``, ``1 - x``: printed by ``template`` with ``{x}``."""

    template: str
    x: E


@dataclass(frozen=True)
class Slice(E):
    a: E
    rows: str


@dataclass(frozen=True)
class SumAll(E):
    a: E


@dataclass(frozen=True)
class Cat(E):
    """A concatenation ``[a, b]``."""

    items: tuple[E, ...]


@dataclass(frozen=True)
class Quot(E):
    """``a / b`` elementwise (a scalar of each sample divides every entry)."""

    a: E
    b: E


@dataclass(frozen=True)
class OnesOf(E):
    """``\\mathbf{1}_n``: a column of n ones (``\\mathbf{1}_n^\\top u`` sums the entries of u)."""

    size: str


@dataclass(frozen=True)
class Weight(E):
    """``W_i``: the weight of a learnable function, read as the affine map u -> W_i u + b_i."""

    fn: str
    step: str | None = None  # a learnable function per step: W_f^{(k)}
    offset: int = 0


@dataclass(frozen=True)
class Call(E):
    r"""A call of a function the source defines, as written: ``\mathrm{score}(h_t, \bar h_s)``."""

    name: str
    args: tuple[E, ...]
    batched: bool = False
    shape: tuple[str, ...] = ()


@dataclass(frozen=True)
class NSum(E):
    """``\\sum_{v} a`` over the nodes (positions) v; with ``member``, over the nodes v that have
    ``member`` as a neighbour: ``\\sum_{v : u \\in \\mathcal{N}(v)} a``."""

    index: str
    a: E
    member: str | None = None


@dataclass(frozen=True)
class Raw(E):
    """LaTeX written by the source (a subterm that stays as typed); ``shape`` is its shape for
    one example (None: not known)."""

    latex: str
    batched: bool = False
    shape: tuple[str, ...] | None = None
    nodes: frozenset[str] = frozenset()  # node letters free in it (it cannot be renamed)


def rebuild(e: E, f: Callable[[E], E]) -> E:
    """``e`` with ``f`` applied to each direct sub-expression."""
    changes: dict[str, object] = {}
    for fl in fields(e):
        v = getattr(e, fl.name)
        if isinstance(v, E):
            changes[fl.name] = f(v)
        elif isinstance(v, tuple) and v and all(isinstance(i, E) for i in v):
            changes[fl.name] = tuple(f(i) for i in v)
    return replace(e, **changes) if changes else e


def sub_expressions(e: E) -> list[E]:
    out: list[E] = []
    for fl in fields(e):
        v = getattr(e, fl.name)
        if isinstance(v, E):
            out.append(v)
        elif isinstance(v, tuple):
            out.extend(i for i in v if isinstance(i, E))
    return out


def transpose(e: E) -> E:
    """``e^T`` with transposes pushed inward and cancelled."""
    match e:
        case T(body=b):
            return b
        case MatMul(a=a, b=b):
            return MatMul(transpose(b), transpose(a))
        case Had() | Quot() | Scale() | Add() | Neg() | NSum():
            return rebuild(e, transpose)
        case Fn(template=tpl) if tpl.count("{x}") == 1 and is_elementwise(tpl):
            return rebuild(e, transpose)
        case Num() | SumAll():
            return e
    return T(e)


def is_elementwise(template: str) -> bool:
    return not template.startswith("[")


def flips(layout: str, batch: str, batched: bool, gradient: bool) -> bool:
    """Is this value stored transposed in the printed convention? ``batch`` here is relative
    to the source: "sample-first" means the samples move to the other axis."""
    sample_rows = batch == "sample-first" and batched
    return (layout == "numerator") != sample_rows if gradient else sample_rows


def substitute(e: E, layout: str, batch: str) -> E:
    """Replace each leaf by its printed form (a transpose where its storage flips)."""
    match e:
        case Sym(batched=b) | Raw(batched=b) | Call(batched=b):
            return T(e) if flips(layout, batch, b, False) else e
        case Grad(sym=s):
            return T(e) if flips(layout, batch, s.batched, True) else e
    return rebuild(e, lambda x: substitute(x, layout, batch))


def push(e: E) -> E:
    """Push every transpose down to the leaves, cancelling pairs."""
    if isinstance(e, T):
        return transpose(push(e.body))
    if isinstance(e, Call):
        return e  # its arguments are one example's, as written
    return rebuild(e, push)


def pull(e: E) -> E:
    r"""Transposes taken back out of entrywise operations, which do not need them there:
    ``a^T \odot (1 - b^T)`` is ``(a \odot (1 - b))^T`` (samples as rows stacked three
    transposes deep otherwise)."""
    e = rebuild(e, pull) if not isinstance(e, Call) else e
    match e:
        case T(body=T(body=a)):
            return a
        case Had(a=T(body=a), b=T(body=b)):
            return T(Had(a, b))
        case Quot(a=T(body=a), b=T(body=b)):
            return T(Quot(a, b))
        case Add(a=Num() as a, b=T(body=b), op=op):  # a number is the same transposed
            return T(Add(a, b, op))
        case Add(a=T(body=a), b=Num() as b, op=op):
            return T(Add(a, b, op))
        case Neg(a=T(body=a)):
            return T(Neg(a))
        case Fn(template=tpl, x=T(body=x)) if tpl.count("{x}") == 1 and is_elementwise(tpl):
            return T(Fn(tpl, x))
    return e


def settle(e: E) -> E:
    r"""A transpose :func:`pull` took out of an entrywise function of one leaf, and nothing
    joined, goes back onto the leaf: ``\mathbb{1}[s^\top > 0]``, not
    ``(\mathbb{1}[s > 0])^\top``."""
    leaf = (Sym, Grad, Raw)
    match e:
        case T(body=Fn(template=tpl, x=x)) if isinstance(x, leaf):
            return Fn(tpl, T(x))
        case T(body=Add(a=Num() as a, b=b, op=op)) if isinstance(b, leaf):
            return Add(a, T(b), op)
        case Call():
            return e
    return rebuild(e, settle)


def convert(rhs: E, lhs_flips: bool, layout: str, batch: str) -> E:
    """An equation derived in (denominator, the source's layout), in another convention."""
    out = push(substitute(rhs, layout, batch))
    return settle(pull(push(T(out)) if lhs_flips else out))


def shift(e: E, k: int) -> E:
    """The same expression one step later: h_{t-1} -> h_t (a contribution through t-1)."""
    match e:
        case Sym(step=step) | Weight(step=step) if step:
            return replace(e, offset=e.offset + k)
        case Raw():
            return replace(e, latex=e.latex + f"\\big|_{{t \\to t{k:+d}}}")
        case Grad(sym=sym):
            return Grad(replace(sym, offset=sym.offset + k) if sym.step else sym)
    return rebuild(e, lambda x: shift(x, k))


def free_nodes(e: E) -> set[str]:
    """The node (position) letters an expression varies over."""
    match e:
        case Sym(node=n):
            return {n} if n else set()
        case Grad(sym=s):
            return {s.node} if s.node else set()
        case NSum(index=i, a=a, member=m):
            return (free_nodes(a) - {i}) | ({m} if m else set())
        case Raw(nodes=nodes):
            return set(nodes)
    out: set[str] = set()
    for sub in sub_expressions(e):
        out |= free_nodes(sub)
    return out


def rename_node(e: E, old: str, new: str) -> E:
    """``e`` with the free node letter ``old`` written ``new`` (bound letters renamed first)."""
    if old == new or old not in free_nodes(e):
        return e
    match e:
        case Sym():
            return replace(e, node=new)
        case Grad(sym=s):
            return Grad(replace(s, node=new))
        case NSum(index=i, a=a, member=m) if i == new:
            fresh = next(c for c in "wxyzabcd" if c not in free_nodes(a) | {old, new})
            return rename_node(NSum(fresh, rename_node(a, i, fresh), m), old, new)
        case NSum(index=i, a=a, member=m):
            return NSum(i, rename_node(a, old, new), new if m == old else m)
    return rebuild(e, lambda x: rename_node(x, old, new))


def all_nodes(e: E) -> set[str]:
    """Every node letter in ``e``, free or bound."""
    out = set(free_nodes(e))
    if isinstance(e, NSum):
        out.add(e.index)
    for sub in sub_expressions(e):
        out |= all_nodes(sub)
    return out


def rebind(e: E, name: str, fresh: str) -> E:
    """Every sum over ``name`` in ``e`` renamed to a sum over ``fresh``."""
    if isinstance(e, NSum) and e.index == name:
        return NSum(fresh, rename_node(rebind(e.a, name, fresh), name, fresh), e.member)
    return rebuild(e, lambda x: rebind(x, name, fresh))


def rename_free(e: E, old: str, new: str) -> E:
    """``old`` written ``new`` where it is free; a sum that already runs over ``new`` is
    renamed first, so no letter means two things in one equation."""
    if old == new:
        return e
    taken = all_nodes(e)
    if any(isinstance(x, NSum) for x in walk_e(e)) and new in taken:
        fresh = next(c for c in (old, new + "'", new + "''", "w", "u") if c not in taken - {old})
        e = rebind(e, new, fresh)
    return rename_node(e, old, new)


def walk_e(e: E) -> list[E]:
    out = [e]
    for sub in sub_expressions(e):
        out.extend(walk_e(sub))
    return out


def orientation(e: E, own: str = "col") -> str | None:
    """Where the samples are in a value as the source stores it: its columns ("col"), its
    rows ("row"), or nowhere. ``own``: where a batched value of the source has them."""
    match e:
        case Sym(batched=b) | Raw(batched=b) | Call(batched=b):
            return own if b else None
        case Grad(sym=s):
            return own if s.batched else None
        case Ones():
            return "row"  # the ones vector runs over the samples
        case T(body=b):
            inner = orientation(b, own)
            return {"col": "row", "row": "col"}.get(inner or "")
        case MatMul(a=a, b=b):
            if orientation(a, own) == "row":
                return "row"
            return "col" if orientation(b, own) == "col" else None
        case Had(a=a, b=b) | Add(a=a, b=b) | Quot(a=a, b=b):
            return orientation(a, own) or orientation(b, own)
        case Scale(c=c, a=a):
            return orientation(a, own) or orientation(c, own)
        case Neg(a=a) | Slice(a=a) | NSum(a=a) | Fn(x=a):
            return orientation(a, own)
        case Cat(items=items):
            return next((o for o in (orientation(i, own) for i in items) if o), None)
    return None


# ---- LaTeX ---------------------------------------------------------------------------------
def key_latex(key: str) -> tuple[str, list[str]]:
    """``C_tilde`` -> ``\\tilde{C}``, ``W_xi`` -> ``W_{xi}``, ``alpha`` -> ``\\alpha``."""
    parts = key.split("_")
    base = parts[0]
    base = f"\\{base}" if base in GREEK else base
    rest = parts[1:]
    decor = [p for p in rest if p in set(DECORATIONS.values()) | {"prime", "star"}]
    labels = [p for p in rest if p not in decor]
    for d in decor:
        base = {"prime": f"{base}'", "star": f"{base}^*"}.get(d, f"\\{d}{{{base}}}")
    if base == "L":
        base = "\\mathcal{L}"
    return base, labels


def sym_latex(s: Sym, shift: int = 0) -> str:
    base, labels = key_latex(s.key)
    subs = list(labels)
    if s.node:
        subs.append(s.node)
    if s.step:
        k = s.offset + shift
        subs.append(s.step if k == 0 else f"{s.step}{k:+d}")
    if not subs:
        return base
    return (
        f"{base}_{{{','.join(subs)}}}" if len(subs) > 1 or len(subs[0]) > 1 else f"{base}_{subs[0]}"
    )


def latex(e: E, loss: str) -> str:
    match e:
        case Sym():
            return sym_latex(e)
        case Grad(sym=s):
            return f"\\frac{{\\partial {loss}}}{{\\partial {sym_latex(s)}}}"
        case Ones():
            return "\\mathbf{1}"
        case Num(value=v):
            return str(int(v)) if float(v).is_integer() else repr(v)
        case Raw(latex=text):
            return text
        case Cat(items=items):
            return "\\left[" + ", ".join(latex(i, loss) for i in items) + "\\right]"
        case T(body=Weight(step=step) as w) if step:
            return latex(w, loss)[:-1] + "\\top}"  # W^{(k)\top}
        case T(body=b):
            inner = latex(b, loss)
            if isinstance(b, Sym | Ones | OnesOf | Weight | Cat):
                return f"{inner}^\\top"
            return f"\\left({inner}\\right)^\\top"
        case MatMul(a=a, b=b):
            return f"{paren(a, loss, tight=True)} {paren(b, loss, tight=True)}"
        case Had(a=Num(value=1.0), b=x) | Had(a=x, b=Num(value=1.0)):
            return latex(x, loss)
        case Had(a=a, b=b):
            return f"{paren(a, loss)} \\odot {paren(b, loss)}"
        case Scale(c=Num(value=v), a=Neg(a=a)):
            return latex(Scale(Num(-v), a), loss)
        case Scale(c=Num(value=v), a=a):
            return f"{latex(Num(v), loss)} {paren(a, loss)}"
        case Scale(c=c, a=a):
            return f"{paren(c, loss)} {paren(a, loss)}"
        case Add(a=a, b=b, op=op):
            right = latex(b, loss)
            if isinstance(b, Neg):
                return (
                    f"{latex(a, loss)} - {latex(b.a, loss)}"
                    if op == "+"
                    else f"{latex(a, loss)} + {latex(b.a, loss)}"
                )
            return f"{latex(a, loss)} {op} {right}"
        case Neg(a=Scale(c=Num(value=v), a=a)):
            return latex(Scale(Num(-v), a), loss)
        case Neg(a=a):
            return f"-{paren(a, loss)}"
        case Fn(template=tpl, x=x):
            inner = latex(x, loss)
            if tpl.startswith("{x}^") and not (isinstance(x, Sym | Num | Grad | Raw)):
                inner = f"\\left({inner}\\right)"  # (a^T)^2, (1 + u)^2: the power of all of it
            elif tpl.startswith("{x}^") and isinstance(x, Raw) and not x.latex.isalnum():
                inner = f"\\left({inner}\\right)"
            return tpl.replace("{x}", inner)
        case Call(name=name, args=args):
            return f"{name}\\left({', '.join(latex(a, loss) for a in args)}\\right)"
        case Slice(a=a, rows=rows):
            return f"\\left[{latex(a, loss)}\\right]_{{{rows}}}"
        case SumAll(a=a):
            return f"\\textstyle\\sum \\left({latex(a, loss)}\\right)"
        case Quot(a=a, b=b):
            return f"\\frac{{{latex(a, loss)}}}{{{latex(b, loss)}}}"
        case OnesOf(size=n):
            return f"\\mathbf{{1}}_{{{n}}}"
        case Weight(fn=fn, step=step, offset=k):
            name = fn if len(fn) == 1 else f"\\mathrm{{{fn}}}"
            layer = "" if step is None else f"^{{({step}{k:+d})}}" if k else f"^{{({step})}}"
            return f"W_{{{name}}}{layer}"
        case NSum(index=i, a=a, member=m):
            under = i if m is None else f"{i} : {m} \\in \\mathcal{{N}}({i})"
            return f"\\sum_{{{under}}} {paren(a, loss)}"
    raise AssertionError(e)


def paren(e: E, loss: str, tight: bool = False) -> str:
    """``e`` as an operand; ``tight`` operands (of a matrix product) bind closer than odot."""
    text = latex(e, loss)
    loose = isinstance(e, Add | Neg | Scale | NSum) or (isinstance(e, Num) and e.value < 0)
    if loose or (tight and isinstance(e, Had)):
        return f"\\left({text}\\right)"
    return text


@dataclass(frozen=True)
class IndexGradient:
    r"""What a reduction's LaTeX rule (``ir.rules.latex_rules``) prints the gradient of its
    body's entries from: ``g``, the gradient of the result; ``x``, the body (its entries as
    one vector of ``n``); ``y``, the result (its symbol where an equation names it, else as
    written); ``written``, the result as written (``\prod_i a_i``); and the pieces below."""

    g: E
    x: E
    y: E
    written: E
    n: str

    def spread(self, e: E) -> E:
        r"""``\mathbf{1}_n e``: a value of the result given to each of the n entries."""
        return MatMul(OnesOf(self.n), e)

    def total(self, e: E) -> E:
        r"""``\mathbf{1}_n^\top e``: the sum of the n entries of ``e``."""
        return MatMul(T(OnesOf(self.n)), e)

    def had(self, a: E, b: E) -> E:
        return Had(a, b)

    def quot(self, a: E, b: E) -> E:
        return Quot(a, b)

    def minus(self, a: E, b: E) -> E:
        return Add(a, b, "-")

    def fn(self, name: str, e: E) -> E:
        """An elementwise function of ``e`` as its row prints it (``exp``)."""
        return Fn(fn_latex(name), e)

    def indicator(self, a: E, relation: str, b: E) -> E:
        r"""``\mathbb{1}\left[a = b\right]``, entry by entry: 1 where it holds, else 0."""
        return Fn(f"\\mathbb{{1}}\\left[{{x}} {relation} {latex(b, '')}\\right]", a)


# ---- derivation ----------------------------------------------------------------------------
@dataclass
class GradEquation:
    lhs: Sym
    rhs: E
    shape: tuple[str, ...]  # in the printed convention
    latex: str = ""
    head: str = ""  # the left side and "=", for wrapping: head, then one line per part
    parts: tuple[str, ...] = ()  # the summands of the right side, each with its sign

    def wrapped(self, width: int = 100) -> str:
        """The equation, as one line if it is short, else one summand per line (aligned)."""
        if len(self.latex) <= width or len(self.parts) < 2:
            return self.latex
        rows = [f"{self.head} & {self.parts[0]}"] + [f"& {p}" for p in self.parts[1:]]
        return "\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}"


def summands(e: E, loss: str) -> list[str]:
    """The top-level summands of ``e`` as LaTeX, each after the first with its sign."""
    match e:
        case Add(a=a, b=b, op=op):
            right = summands(b, loss)
            sign = op
            if isinstance(b, Neg):
                sign = "-" if op == "+" else "+"
                right = [latex(b.a, loss)]
            return [*summands(a, loss), f"{sign} {right[0]}", *right[1:]]
    return [latex(e, loss)]


@dataclass
class Derivation:
    system: System
    layout: str = "denominator"
    batch: str = "dim-first"
    loss: str = "\\mathcal{L}"
    forward: list[str] = field(default_factory=list)
    equations: list[GradEquation] = field(default_factory=list)


def fn_prime(fn: str, x: E, y: E) -> E:
    """f'(x) from the input x and the output y = f(x), elementwise: the derivative written
    once in the function's row (papermath.ops), as an expression."""
    if fn not in ELEMENTWISE:
        raise PapermathError(f"gradient equations through {fn} are not printed yet")

    def build(node: pyast.expr) -> E:
        match node:
            case pyast.Name(id="x"):
                return x
            case pyast.Name(id="y"):
                return y
            case pyast.Name(id="pi"):
                return Raw("\\pi", False, ())
            case pyast.Constant(value=v):
                return Num(constant(v))
            case pyast.UnaryOp(op=pyast.USub(), operand=a):
                return Neg(build(a))
            case pyast.BinOp(left=a, op=pyast.Mult(), right=b):
                ea, eb = build(a), build(b)
                if isinstance(ea, Num):
                    return Scale(ea, eb)
                return Scale(eb, ea) if isinstance(eb, Num) else Had(ea, eb)
            case pyast.BinOp(left=a, op=pyast.Add() | pyast.Sub() as op, right=b):
                return Add(build(a), build(b), "+" if isinstance(op, pyast.Add) else "-")
            case pyast.BinOp(left=a, op=pyast.Div(), right=b):
                return Quot(build(a), build(b))
            case pyast.BinOp(left=a, op=pyast.Pow(), right=pyast.Constant(value=k)):
                return Fn("{x}^{" + f"{constant(k):g}" + "}", build(a))
            case pyast.Compare(left=a, ops=[cmp], comparators=[pyast.Constant(value=c)]):
                sym = {pyast.Gt: ">", pyast.GtE: "\\geq", pyast.Lt: "<", pyast.LtE: "\\leq"}
                return Fn(
                    f"\\mathbb{{1}}\\left[{{x}} {sym[type(cmp)]} {constant(c):g}\\right]", build(a)
                )
            case pyast.Call(func=pyast.Name(id=name), args=[a]):
                return Fn(DERIVATIVE_CALLS[name][1].format("{x}"), build(a))
        raise AssertionError(pyast.dump(node))

    return build(derivative_tree(fn))


FN_LATEX = {
    **{row.name: row.latex for row in ELEMENTWISE.values()},
    "softmax": "\\operatorname{softmax}\\left({x}\\right)",
}
SAMPLE_NAMES = ("N", "B", "M", "m", "n_samples", "batch")


def fn_latex(fn: str) -> str:
    """How ``fn(x)`` is typeset, with ``{x}``."""
    return FN_LATEX[fn]


class Deriver:
    def __init__(self, system: System) -> None:
        self.s = system
        self.sample, self.source_batch = self._samples()
        self.batched = self._batched_keys()
        # (key, step offset) -> [(gradient contribution, the node letter it is written for)]
        self.contrib: dict[tuple[str, int], list[tuple[E, str | None]]] = {}

    def _samples(self) -> tuple[str | None, str]:
        """The size the source gives its samples, if it writes them (x is D x N, or N x D),
        and where they are: "dim-first" (columns) or "sample-first" (rows)."""
        shapes = self.s.shapes
        data = [
            k
            for k, v in self.s.kinds.items()
            if v in ("input", "target", "state") and shapes.get(k)
        ]
        wide = [k for k in data if len(shapes[k]) >= 2]
        if not wide:
            return None, "dim-first"  # one example, column vectors
        common = set.intersection(*(set(shapes[k]) for k in data))
        # the samples survive every equation computed from the data (X W keeps X's rows)
        computed = [shapes[eq.lhs.key] for eq in self.s.equations if shapes.get(eq.lhs.key)]
        kept = {n for n in common if all(n in shape for shape in computed)}
        common = kept or common
        named = [n for n in SAMPLE_NAMES if n in common]
        sample = (
            next(iter(common)) if len(common) == 1 else named[0] if named else shapes[wide[0]][-1]
        )
        rows = all(shapes[k][0] == sample for k in wide)
        return sample, "sample-first" if rows else "dim-first"

    def has_samples(self, shape: tuple[str, ...]) -> bool:
        if not shape:
            return False
        return shape[0 if self.source_batch == "sample-first" else -1] == self.sample

    def _batched_keys(self) -> set[str]:
        """Symbols that vary across samples: data, and what is computed from it. Where the
        notation writes the samples itself (x is D x N), only values with that axis."""
        kinds, shapes = self.s.kinds, self.s.shapes
        data = {k for k, v in kinds.items() if v in ("input", "target", "state")}
        out = set(data)
        changed = True
        while changed:
            changed = False
            for eq in self.s.equations:
                if eq.lhs.key not in out and any(
                    isinstance(x, t.Sym) and x.key in out for x in t.walk(eq.rhs)
                ):
                    out.add(eq.lhs.key)
                    changed = True
        if self.sample is not None:
            out = {k for k in out if self.has_samples(tuple(shapes.get(k, ())))}
        return out

    def unnamed(self, term: t.Term) -> str:
        """``\\sigma_y`` as written, for an activation the source does not name."""
        read = self.s._read
        found = read.unnamed.get(id(term)) if read is not None else None
        return found[0] if found is not None else "\\phi"

    def sym(self, s: t.Sym) -> Sym:
        return Sym(s.key, s.step, s.offset, s.node, s.key in self.batched)

    def is_batched(self, term: t.Term) -> bool:
        """Does this subterm vary across samples (and keep a sample axis)?"""
        data = any(isinstance(x, t.Sym) and x.key in self.batched for x in t.walk(term))
        if self.sample is not None:
            return data and self.has_samples(self.s.shape_of(term))
        return data

    def raw(self, term: t.Term) -> Raw:
        text = self.s.written(term) or " ".join(self.s.source.snippet(term.span).split())
        return Raw(text, self.is_batched(term), self.s.shape_of(term), nodes_in(term))

    def expr(self, term: t.Term) -> E:
        """A forward term as an expression (for operands inside gradients)."""
        if isinstance(term, t.Div) and self.s.written(term):
            return self.raw(term)  # E[x], built as a sum over n: printed as written
        match term:
            case t.Sym():
                return self.sym(term)
            case t.Const(value=v):
                return Num(v)
            case t.Product(left=a, right=b):
                reading = self.s.product_reading(term)
                if reading == "matmul":
                    return MatMul(self.expr(a), self.expr(b))
                if reading == "hadamard":
                    return Had(self.expr(a), self.expr(b))
                if reading == "scale_left":
                    return Scale(self.expr(a), self.expr(b))
                if reading == "scale_right":
                    return Scale(self.expr(b), self.expr(a))
                if reading == "dot":
                    return MatMul(T(self.expr(a)), self.expr(b))
                if reading == "vecmat":
                    return MatMul(T(self.expr(b)), self.expr(a))
            case t.Add(left=a, right=b, op=op):
                ea, eb = self.expr(a), self.expr(b)
                # X W + b with the samples as rows: b is added to every row, as b^T
                ea = T(ea) if self.row_broadcast(term, a) else ea
                eb = T(eb) if self.row_broadcast(term, b) else eb
                return Add(ea, eb, op)
            case t.Neg(body=b):
                return Neg(self.expr(b))
            case t.Transpose(body=b):
                return T(self.expr(b))
            case t.Div(left=a, right=b):
                return Quot(self.expr(a), self.expr(b))
            case t.Elem(body=b):
                return self.expr(b)  # the entries at once: the vector
            case t.Apply(fn="identity", args=(x,)):
                return self.expr(x)
            case t.Apply(fn=fn, args=(x,)) if fn in FN_LATEX:
                return Fn(fn_latex(fn), self.expr(x))
            case t.Apply(fn=fn, args=(x,)) if fn == UNNAMED:
                return Fn(self.unnamed(term) + "\\left({x}\\right)", self.expr(x))
            case t.Concat(items=items):
                return Cat(tuple(self.expr(i) for i in items))
            case t.FnCall(args=args) if nodes_in(term):
                name = " ".join(self.s.source.snippet(term.span).split()).split("(")[0]
                args_e = tuple(self.expr(a) for a in args)
                return Call(name, args_e, self.is_batched(term), self.s.shape_of(term))
            case t.NodeSum(index=i, body=b) if nodes_in(term):
                return NSum(i, self.expr(b))
        return self.raw(term)

    def shape_of(self, term: t.Term) -> tuple[str, ...]:
        return self.s.shape_of(term)

    def entries(self, term: t.Term, index: str) -> str:
        """The number of entries ``index`` runs over in a sum's body."""
        for sub in t.walk(term):
            if isinstance(sub, t.Elem) and sub.index == index and self.shape_of(sub.body):
                return self.shape_of(sub.body)[0]
        shape = self.shape_of(term)
        return shape[0] if shape else "1"

    def summed(self, g: E, per_example_vector: tuple[str, ...], batched: bool) -> E:
        """The sum of the entries of a gradient, for a scalar operand (per sample if batched)."""
        if not per_example_vector:
            return g
        if batched:  # a scalar of each sample: sum the entries of each sample only
            return MatMul(T(OnesOf(per_example_vector[0])), g)
        return SumAll(g)

    def back(self, term: t.Term, g: E, eq: t.Equation, named: t.Sym | None) -> None:
        """Send the gradient ``g`` of ``term`` to the symbols in it."""
        match term:
            case t.Sym():
                self.leaf(term, g)
            case t.Const() | t.SizeValue() | t.Identity():
                return
            case t.Add(left=a, right=b, op=op):
                self.back(a, self.unbroadcast(g, term, a), eq, None)
                gb = self.unbroadcast(g, term, b)
                self.back(b, gb if op == "+" else Neg(gb), eq, None)
            case t.Neg(body=b):
                self.back(b, Neg(g), eq, None)
            case t.Transpose(body=b):
                self.back(b, T(g), eq, None)
            case t.Elem(body=b) | t.FnCall(body=b):
                self.back(b, g, eq, None)
            case t.Apply(fn="identity", args=(x,)):
                self.back(x, g, eq, None)
            case t.Product(left=a, right=b):
                self.product(term, a, b, g, eq)
            case t.Div(left=a, right=b):
                ea, eb = self.expr(a), self.expr(b)
                self.back(a, Quot(g, eb), eq, None)
                gb = Neg(Quot(Had(g, ea), Fn("{x}^{2}", eb)))
                if not self.shape_of(b) and self.shape_of(term):
                    gb = self.summed(gb, self.shape_of(term), self.is_batched(b))
                self.back(b, gb, eq, None)
            case t.Power(body=t.Norm(body=u), exponent=2.0):
                eu = self.expr(u)
                if isinstance(g, Num) and g.value == 1:
                    self.back(u, Scale(Num(2), eu), eq, None)
                else:
                    self.back(u, Scale(Num(2), Scale(g, eu)), eq, None)
            case t.Power() if rules_matrix.is_inverse(term, self.shape_of):
                raise PapermathError("gradient equations through a matrix inverse are not "
                                     "printed yet (the generated backward has it)")  # fmt: skip
            case t.Power(body=b, exponent=k):
                eb = self.expr(b)
                k_text = str(int(k)) if float(k).is_integer() else repr(k)
                km1 = str(int(k - 1)) if float(k - 1).is_integer() else repr(k - 1)
                factor = eb if k == 2 else Fn("{x}^{" + km1 + "}", eb)
                self.back(b, Scale(Num(float(k_text)), Had(g, factor)), eq, None)
            case t.Apply() if id(term) in rules_matrix.matrix_exponentials(
                self.s.equations, self.shape_of
            ):
                raise PapermathError("gradient equations through a matrix exponential are not "
                                     "printed yet (the generated backward has it)")  # fmt: skip
            case t.Apply(fn="softmax", args=(x,)):
                y = self.expr(named) if named is not None else Fn(fn_latex("softmax"), self.expr(x))
                shape = self.shape_of(x)
                if len(shape) >= 2:  # a matrix: a softmax over each row (its last axis)
                    c = shape[-1]
                    inner = MatMul(MatMul(Had(g, y), OnesOf(c)), T(OnesOf(c)))
                else:  # a vector: s (g - 1 1^T (g s))
                    n = shape[0] if shape else "1"
                    inner = MatMul(OnesOf(n), MatMul(T(OnesOf(n)), Had(g, y)))
                self.back(x, Had(y, Add(g, Neg(inner))), eq, None)
            case t.Apply(fn=fn, args=(a, b)) if fn in ("max", "min"):
                ea, eb = self.expr(a), self.expr(b)
                cmp = ">" if fn == "max" else "<"
                self.back(
                    a,
                    Had(g, Fn(f"\\mathbb{{1}}\\left[{{x}} {cmp} {latex(eb, '')}\\right]", ea)),
                    eq,
                    None,
                )
                self.back(
                    b,
                    Had(g, Fn(f"\\mathbb{{1}}\\left[{{x}} {cmp} {latex(ea, '')}\\right]", eb)),
                    eq,
                    None,
                )
            case t.Apply(fn=fn, args=(x,)) if fn == UNNAMED:
                # \sigma_y, which the source does not name: its derivative as \sigma_y'
                prime = Fn(self.unnamed(term) + "'\\left({x}\\right)", self.expr(x))
                self.back(x, Had(g, prime), eq, None)
            case t.Apply(fn=fn, args=(x,)):
                if fn not in FN_LATEX:
                    raise PapermathError(f"gradient equations through {fn} are not printed yet")
                ex = self.expr(x)
                y = self.expr(named) if named is not None else Fn(fn_latex(fn), ex)
                self.back(x, Had(g, fn_prime(fn, ex, y)), eq, None)
            case t.Learned(key=key, args=args):
                # read as the affine map W u + b of the arguments' concatenation u
                step = next((x.step for x in t.walk(eq.lhs) if isinstance(x, t.Sym)), None)
                per_step = f"{key}.weight" in self.s.per_step_params and step is not None
                gu = MatMul(T(Weight(key, step if per_step else None)), g)
                self.split(args, gu, eq)
            case t.Concat(items=items):
                self.split(items, g, eq)
            case t.IndexSum(index=i, body=b, op=op):
                # a reduction over the entries i: its primitive's LaTeX rule (papermath/ops/)
                y = self.expr(named) if named is not None else self.raw(term)
                at = IndexGradient(g, self.expr(b), y, self.raw(term), self.entries(b, i))
                self.back(b, rule(latex_rules, "LaTeX", PRIMS[op])(at), eq, None)
            case t.BatchSum(body=b):
                self.back(b, MatMul(g, T(Ones())), eq, None)  # every example gets it
            case t.NodeSum(index=i, body=b):
                # the sum is the same for every node of an outer equation: their gradients add
                for v in sorted(free_nodes(g) - {i}):
                    g = NSum(v, g)
                self.back(b, g, eq, None)
            case t.NeighbourSum(index=u, of=v, body=b, relation=None, direction="in"):
                self.back(b, NSum(v, g, member=u), eq, None)
            case t.NeighbourSum() | t.RelationSum():
                raise PapermathError(
                    "gradient equations through neighbours along typed or outgoing edges "
                    "(N_r(v), N^out(v)) are not printed yet",
                    hint="papermath check FILE checks the generated backward through them",
                )
            case t.DegreeNorm():
                raise PapermathError(
                    "gradient equations through a degree normalisation (D^{-1/2} A D^{-1/2}) "
                    "are not printed yet",
                    hint="papermath check FILE checks the generated backward through it",
                )
            case t.HeadConcat():
                raise PapermathError(
                    "gradient equations through a family of heads (Concat(head_1, ..., "
                    "head_h)) are not printed yet",
                    hint="papermath check FILE checks the generated backward through them",
                )
            case _:
                raise PapermathError(
                    f"gradient equations through {type(term).__name__.lower()} are not printed yet"
                )

    def split(self, items: tuple[t.Term, ...], g: E, eq: t.Equation) -> None:
        """A concatenation's gradient, cut into the rows of each part."""
        if len(items) == 1:
            self.back(items[0], g, eq, None)
            return
        start = Size.const(0)
        for item in items:
            shape = self.shape_of(item)
            size = Size.parse(shape[0]) if shape else Size.const(1)
            end = start + size
            self.back(item, Slice(g, f"{(start + Size.const(1)).text()}:{end.text()}"), eq, None)
            start = end

    def row_broadcast(self, whole: t.Term, part: t.Term) -> bool:
        """Is ``part`` a vector added to every row of ``whole`` (samples as rows)?"""
        sw, sp = self.shape_of(whole), self.shape_of(part)
        return (
            len(sw) == 2
            and len(sp) == 1
            and self.source_batch == "sample-first"
            and self.sample is not None
            and sw[0] == self.sample
            and sp[0] == sw[1]
        )

    def unbroadcast(self, g: E, whole: t.Term, part: t.Term) -> E:
        """The gradient of an operand that a sum broadcast (a vector added to every row)."""
        sw, sp = self.shape_of(whole), self.shape_of(part)
        if self.row_broadcast(whole, part):
            return MatMul(T(g), Ones())  # b added to each row: the rows of g summed
        if len(sw) >= 1 and not sp:
            return self.summed(g, sw, self.is_batched(part))
        return g

    def product(self, term: t.Product, a: t.Term, b: t.Term, g: E, eq: t.Equation) -> None:
        reading = self.s.product_reading(term)
        ea, eb = self.expr(a), self.expr(b)
        sa, sb, sr = self.shape_of(a), self.shape_of(b), self.shape_of(term)
        if reading == "matmul" and not sr and self.is_batched(a):
            # x^T A y of each sample (a row times a column): in a batch, a column-wise dot
            # product, so its gradients are broadcast elementwise products, not matrix ones
            self.back(a, Had(T(g), T(eb)), eq, None)
            self.back(b, Had(g, T(ea)), eq, None)
        elif reading == "matmul" and len(sa) == 1 and (self.is_batched(a) or self.is_batched(b)):
            raise PapermathError(  # f c^T of each sample: a matrix per sample, not one matrix
                "gradient equations through an outer product of per-sample vectors are not "
                "printed yet"
            )
        elif reading == "matmul":
            self.back(a, MatMul(g, T(eb)), eq, None)
            self.back(b, MatMul(T(ea), g), eq, None)
        elif reading == "hadamard":
            self.back(a, Had(g, eb), eq, None)
            self.back(b, Had(g, ea), eq, None)
        elif reading in ("scale_left", "scale_right"):
            (c, ec, sc), (x, ex) = (
                ((a, ea, sa), (b, eb))
                if reading == "scale_left"
                else (
                    (b, eb, sb),
                    (a, ea),
                )
            )
            gc: E = Had(g, ex)
            if sr and not sc:
                gc = self.summed(gc, sr, self.is_batched(c))
            self.back(c, gc, eq, None)
            self.back(x, Scale(ec, g), eq, None)
        elif reading == "dot":  # a^T b
            self.back(a, Scale(g, eb), eq, None)
            self.back(b, Scale(g, ea), eq, None)
        elif reading == "vecmat":  # x A read as A^T x
            self.back(a, MatMul(eb, g), eq, None)
            self.back(b, MatMul(ea, T(g)), eq, None)
        else:
            raise PapermathError(f"gradient equations for a {reading} are not printed yet")

    def leaf(self, s: t.Sym, g: E) -> None:
        for v in sorted(free_nodes(g) - ({s.node} if s.node else set())):
            g = NSum(v, g)  # a value shared by the nodes (positions) gets all their gradients
        if s.key not in self.batched:
            o = orientation(g, "row" if self.source_batch == "sample-first" else "col")
            if o == "col":
                g = MatMul(g, Ones())  # a parameter's gradient sums over the samples
            elif o == "row":
                g = MatMul(T(Ones()), g)
        self.contrib.setdefault((s.key, s.offset), []).append((g, s.node))


def derive(
    system: System,
    wrt: str,
    of: str | None = None,
    layout: str = "denominator",
    batch: str | None = None,
) -> Derivation:
    """The gradient equations of ``of`` with respect to ``wrt``. ``batch`` is where the
    samples are printed: "dim-first" (columns) or "sample-first" (rows); by default where the
    source puts them (columns for a source written for one example)."""
    batch = batch or Deriver(system).source_batch
    if layout not in LAYOUTS or batch not in BATCHES:
        raise PapermathError(f"layout is one of {LAYOUTS}, batch one of {BATCHES}")
    eqs = {eq.lhs.key: eq for eq in system.equations}
    if wrt not in system.kinds or wrt in system.functions:
        raise PapermathError(f"no symbol {wrt!r}", hint="symbols: " + ", ".join(system.shapes))
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
    edged: t.Sym | None = None
    for eq in system.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if edged is None and isinstance(x, t.Sym) and x.edge is not None:
                edged = x
    if edged is not None:
        raise PapermathError(
            f"gradient equations through values per edge ({edged.key}) are not printed yet",
            system.source,
            edged.span,
            hint="papermath check FILE checks the generated backward through them",
        )
    d = Deriver(system)
    # the layout relative to the source: "sample-first" moves the samples to the other axis
    rel = "dim-first" if batch == d.source_batch else "sample-first"
    # which defined symbols lie between wrt and of
    deps = {k: {x.key for x in t.walk(eq.rhs) if isinstance(x, t.Sym)} for k, eq in eqs.items()}
    reach: set[str] = {wrt}
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
    loss = "\\mathcal{L}"
    out = Derivation(system, layout, batch, loss)
    order = [eq for eq in system.equations if eq.lhs.key in needed]
    for eq in order:
        lhs = d.sym(eq.lhs)
        rhs = convert(
            d.expr(eq.rhs), flips("denominator", rel, lhs.batched, False), "denominator", rel
        )
        out.forward.append(f"{latex(lhs, '')} = {latex(rhs, '')}")
    # reverse order: from `of` back to `wrt`; a scalar `of` is the loss itself
    g_of: E = Num(1) if not system.shapes[of] else Grad(d.sym(eqs[of].lhs))
    for eq in reversed(order):
        g = g_of if eq.lhs.key == of else Grad(d.sym(eq.lhs))
        d.back(eq.rhs, g, eq, eq.lhs)
    targets = [eq.lhs.key for eq in reversed(order)] + [wrt]
    seen = set()
    checker = ShapeCheck(d, layout, rel)
    for key in targets:
        if key in seen:
            continue
        seen.add(key)
        node = eqs[key].lhs.node if key in eqs else None
        found = d.contrib.get((key, 0), []) + [
            (shift(c, 1), v) for c, v in d.contrib.get((key, -1), [])
        ]
        node = node or next((v for _, v in found if v), None)
        renamed = [rename_free(c, v, node) if v and node else c for c, v in found]
        parts = renamed
        if key == of:
            # what is differentiated gets its gradient directly, and from every equation
            # that uses it (at this step or the next)
            if not renamed or (system.kinds.get(of) == "state" and not system.shapes[of]):
                continue  # a running sum's every step has gradient 1: nothing to print
            parts = [
                Raw(
                    f"\\frac{{\\partial \\mathcal{{L}}}}{{\\partial "
                    f"{sym_latex(d.sym(eqs[of].lhs))}}}\\Big|_{{\\text{{direct}}}}",
                    d.sym(eqs[of].lhs).batched,
                    system.shapes[of],
                ),
                *renamed,
            ]
        if not parts:
            continue
        rhs = parts[0]
        for p in parts[1:]:
            rhs = Add(rhs, p)
        steps = [x.step for e2 in order for x in t.walk(e2.rhs) if isinstance(x, t.Sym) and x.step]
        # a parameter per step (W^{(l)}) has a gradient per step, W_l (its contributions are
        # written at the offset of W_l): no sum over the steps
        own_step = key == wrt and key in system.per_step_params and bool(steps)
        lhs = Sym(
            key,
            eqs[key].lhs.step if key in eqs else steps[0] if own_step else None,
            0,
            node,
            key in d.batched,
        )
        rhs_c = convert(rhs, flips(layout, rel, lhs.batched, True), layout, rel)
        over_steps = ""
        if key == wrt and not lhs.batched and steps and not own_step:
            over_steps = f"\\sum_{{{steps[0]}}} "  # a shared parameter sums over the steps
        head = f"{latex(Grad(lhs), loss)} = {over_steps}"
        text = f"{head}{latex(rhs_c, loss)}"
        pieces = tuple(summands(rhs_c, loss)) if not over_steps else (latex(rhs_c, loss),)
        shape = checker.leaf(Grad(lhs))
        assert shape is not None
        problem = checker.equation(Grad(lhs), rhs_c)
        if problem:
            raise PapermathError(
                f"the gradient of {key} came out with mismatched shapes ({problem}); "
                "papermath does not print an equation that fails its own shape check",
                hint="please report this source: it is a papermath bug",
            )
        out.equations.append(GradEquation(lhs, rhs_c, shape, text, head, pieces))
    out.equations = in_order_of_use(out.equations)
    return out


def in_order_of_use(equations: list[GradEquation]) -> list[GradEquation]:
    """The equations in an order a reader can compute them in: each after those whose
    gradients it uses at the same step (dL/dz_t uses dL/ds_t: dL/ds_t first); otherwise as
    derived (from the value differentiated back to the variable)."""
    keys = {eq.lhs.key for eq in equations}
    uses = {
        id(eq): {
            g.sym.key
            for g in walk_e(eq.rhs)
            if isinstance(g, Grad) and g.sym.offset == 0 and g.sym.key != eq.lhs.key
        }
        & keys
        for eq in equations
    }
    placed: list[GradEquation] = []
    done: set[str] = set()
    pending = list(equations)
    while pending:
        ready = next((eq for eq in pending if uses[id(eq)] <= done), pending[0])
        pending.remove(ready)
        placed.append(ready)
        done.add(ready.lhs.key)
    return placed


Shape2 = tuple[Size, Size]


def nodes_in(term: t.Term) -> frozenset[str]:
    """The node (position) letters free in a read term."""
    match term:
        case t.Sym(node=n):
            return frozenset({n}) if n else frozenset()
        case t.NodeSum(index=i, body=b):
            return nodes_in(b) - {i}
        case t.NeighbourSum(index=u, of=v, body=b):
            return (nodes_in(b) - {u}) | {v}
        case t.FnCall(args=args):
            return frozenset().union(*(nodes_in(a) for a in args))
    return frozenset().union(*(nodes_in(c) for c in t.children(term)))


class ShapeCheck:
    """The shapes of printed gradient expressions, from their leaves: every matrix product's
    inner sizes must meet, every sum and elementwise product must have equal (or broadcast
    1) sizes, and each right side must have the shape its left side is printed with."""

    def __init__(self, d: Deriver, layout: str, rel: str) -> None:
        self.d, self.layout, self.rel = d, layout, rel
        # the samples' name when the source gives none: one its sizes do not use (a state
        # space model's state size is N)
        taken = set(d.s.size_names())
        free = next(n for n in ("N", "B", "N_s", "S") if n not in taken)
        self.samples = Size.var(d.sample or free)

    def two(self, shape: tuple[str, ...] | None, batched: bool) -> Shape2 | None:
        if shape is None:
            return None
        sizes = [Size.parse(s) for s in shape]
        if batched and self.d.sample is None:
            sizes = [*sizes, self.samples] if sizes else [Size.const(1), self.samples]
            if len(sizes) == 1:
                sizes.append(Size.const(1))
        while len(sizes) < 2:
            sizes.append(Size.const(1))
        return (sizes[0], sizes[1]) if len(sizes) == 2 else None

    def leaf(self, e: E) -> tuple[str, ...] | None:
        """The printed shape of a leaf, as text (for the comment beside an equation)."""
        s = self.shape(e)
        if s is None:
            return None
        a, b = (x.text() for x in s)
        if b == "1" and a != "1" and not (isinstance(e, Grad) and self.layout == "numerator"):
            return (a,) if not isinstance(e, Grad | Sym) or not e_batched(e) else (a, b)
        return (a, b) if (a, b) != ("1", "1") else ()

    def shape(self, e: E) -> Shape2 | None:
        d = self.d
        match e:
            case Sym(key=key, batched=b):
                s = self.two(d.s.shapes.get(key), b)
                return flip(s) if s and flips(self.layout, self.rel, b, False) else s
            case Grad(sym=Sym(key=key, batched=b)):
                s = self.two(d.s.shapes.get(key), b)
                return flip(s) if s and flips(self.layout, self.rel, b, True) else s
            case Raw(shape=shape, batched=b):
                s = self.two(shape, b)
                return flip(s) if s and flips(self.layout, self.rel, b, False) else s
            case Ones():
                return (self.samples, Size.const(1))
            case OnesOf(size=n):
                return (Size.parse(n), Size.const(1))
            case Weight(fn=fn):
                n_in, n_out = d.s.functions[fn]
                return (Size.parse(n_out), Size.parse(n_in))
            case Num() | SumAll():
                return (Size.const(1), Size.const(1))
            case T(body=b):
                s = self.shape(b)
                return flip(s) if s else None
            case MatMul(a=a, b=b):
                sa, sb = self.shape(a), self.shape(b)
                if sa is None or sb is None or sa[1] != sb[0]:
                    raise Mismatch(f"{text(sa)} times {text(sb)}")
                return (sa[0], sb[1])
            case Had(a=a, b=b) | Add(a=a, b=b) | Quot(a=a, b=b) | Scale(c=a, a=b):
                return broadcast(self.shape(a), self.shape(b))
            case Neg(a=a) | NSum(a=a):
                return self.shape(a)
            case Call(shape=shape, batched=b):
                s = self.two(shape, b)
                return flip(s) if s and flips(self.layout, self.rel, b, False) else s
            case Fn(template=tpl, x=x) if is_elementwise(tpl):
                return self.shape(x)
            case Slice(a=a, rows=rows):
                whole = self.shape(a)
                first, last = rows.split(":")
                count = Size.parse(last) - Size.parse(first) + Size.const(1)
                return (count, whole[1]) if whole else None
            case Cat(items=items):
                parts = [self.shape(i) for i in items]
                widths = {p[1] for p in parts if p is not None}
                if any(p is None for p in parts) or len(widths) != 1:
                    raise Mismatch("stacked parts of different widths")
                height = Size.const(0)
                for p in parts:
                    assert p is not None
                    height = height + p[0]
                return (height, widths.pop())
        return None

    def equation(self, lhs: E, rhs: E) -> str | None:
        try:
            want, got = self.shape(lhs), self.shape(rhs)
        except Mismatch as m:
            return str(m)
        if want is None or got is None:
            return "a shape that cannot be known"
        if got != want:
            return f"the left side is {text(want)}, the right side {text(got)}"
        return None


class Mismatch(Exception):
    pass


def e_batched(e: E) -> bool:
    return e.batched if isinstance(e, Sym) else isinstance(e, Grad) and e.sym.batched


def flip(s: Shape2) -> Shape2:
    return (s[1], s[0])


def text(s: Shape2 | None) -> str:
    return "unknown" if s is None else f"{s[0].text()} x {s[1].text()}"


def broadcast(a: Shape2 | None, b: Shape2 | None) -> Shape2:
    if a is None or b is None:
        raise Mismatch("an operand of unknown shape")
    one = Size.const(1)
    out = []
    for x, y in zip(a, b, strict=True):
        if x != y and one not in (x, y):
            raise Mismatch(f"{text(a)} against {text(b)}")
        out.append(y if x == one else x)
    return (out[0], out[1])


def render(d: Derivation) -> str:
    rows = "columns" if d.batch == "dim-first" else "rows"
    lines = [
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
    )
    return "\n".join(lines)
