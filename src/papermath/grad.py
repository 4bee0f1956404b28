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

from dataclasses import dataclass, field

from .errors import PapermathError
from .read import terms as t
from .read.reader import DECORATIONS, GREEK_LOWER
from .shapes.sizes import Size
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
class Raw(E):
    """LaTeX written by the source (a subterm that stays as typed)."""

    latex: str
    batched: bool = False


def transpose(e: E) -> E:
    """``e^T`` with transposes pushed inward and cancelled."""
    match e:
        case T(body=b):
            return b
        case MatMul(a=a, b=b):
            return MatMul(transpose(b), transpose(a))
        case Had(a=a, b=b):
            return Had(transpose(a), transpose(b))
        case Scale(c=c, a=a):
            return Scale(c, transpose(a))
        case Add(a=a, b=b, op=op):
            return Add(transpose(a), transpose(b), op)
        case Neg(a=a):
            return Neg(transpose(a))
        case Fn(template=tpl, x=x) if (
            "{x}" in tpl and tpl.count("{x}") == 1 and is_elementwise(tpl)
        ):
            return Fn(tpl, transpose(x))
        case Num() | SumAll():
            return e
    return T(e)


def is_elementwise(template: str) -> bool:
    return not template.startswith("[")


def flips(layout: str, batch: str, batched: bool, gradient: bool) -> bool:
    """Is this value stored transposed in the printed convention?"""
    sample_rows = batch == "sample-first" and batched
    return (layout == "numerator") != sample_rows if gradient else sample_rows


def substitute(e: E, layout: str, batch: str) -> E:
    """Replace each leaf by its printed form (a transpose where its storage flips)."""
    match e:
        case Sym(batched=b) | Raw(batched=b):
            return T(e) if flips(layout, batch, b, False) else e
        case Grad(sym=s):
            return T(e) if flips(layout, batch, s.batched, True) else e
        case T(body=b):
            return T(substitute(b, layout, batch))
        case MatMul(a=a, b=b):
            return MatMul(substitute(a, layout, batch), substitute(b, layout, batch))
        case Had(a=a, b=b):
            return Had(substitute(a, layout, batch), substitute(b, layout, batch))
        case Scale(c=c, a=a):
            return Scale(substitute(c, layout, batch), substitute(a, layout, batch))
        case Add(a=a, b=b, op=op):
            return Add(substitute(a, layout, batch), substitute(b, layout, batch), op)
        case Neg(a=a):
            return Neg(substitute(a, layout, batch))
        case Fn(template=tpl, x=x):
            return Fn(tpl, substitute(x, layout, batch))
        case Slice(a=a, rows=rows):
            return Slice(substitute(a, layout, batch), rows)
        case SumAll(a=a):
            return SumAll(substitute(a, layout, batch))
        case Cat(items=items):
            return Cat(tuple(substitute(i, layout, batch) for i in items))
    return e


def push(e: E) -> E:
    """Push every transpose down to the leaves, cancelling pairs."""
    match e:
        case T(body=b):
            return transpose(push(b))
        case MatMul(a=a, b=b):
            return MatMul(push(a), push(b))
        case Had(a=a, b=b):
            return Had(push(a), push(b))
        case Scale(c=c, a=a):
            return Scale(push(c), push(a))
        case Add(a=a, b=b, op=op):
            return Add(push(a), push(b), op)
        case Neg(a=a):
            return Neg(push(a))
        case Fn(template=tpl, x=x):
            return Fn(tpl, push(x))
        case Slice(a=a, rows=rows):
            return Slice(push(a), rows)
        case SumAll(a=a):
            return SumAll(push(a))
        case Cat(items=items):
            return Cat(tuple(push(i) for i in items))
    return e


def convert(rhs: E, lhs_flips: bool, layout: str, batch: str) -> E:
    """An equation derived in (denominator, dim-first), in another convention."""
    out = push(substitute(rhs, layout, batch))
    return push(T(out)) if lhs_flips else out


def shift(e: E, k: int) -> E:
    """The same expression one step later: h_{t-1} -> h_t (a contribution through t-1)."""
    match e:
        case Sym(step=step) if step:
            return Sym(e.key, e.step, e.offset + k, e.node, e.batched)
        case Grad(sym=sym):
            return Grad(shift(sym, k))  # type: ignore[arg-type]
        case Raw():
            return Raw(e.latex + f"\\big|_{{t \\to t{k:+d}}}", e.batched)
        case T(body=b):
            return T(shift(b, k))
        case MatMul(a=a, b=b):
            return MatMul(shift(a, k), shift(b, k))
        case Had(a=a, b=b):
            return Had(shift(a, k), shift(b, k))
        case Scale(c=c, a=a):
            return Scale(shift(c, k), shift(a, k))
        case Add(a=a, b=b, op=op):
            return Add(shift(a, k), shift(b, k), op)
        case Neg(a=a):
            return Neg(shift(a, k))
        case Fn(template=tpl, x=x):
            return Fn(tpl, shift(x, k))
        case Slice(a=a, rows=rows):
            return Slice(shift(a, k), rows)
        case SumAll(a=a):
            return SumAll(shift(a, k))
        case Cat(items=items):
            return Cat(tuple(shift(i, k) for i in items))
    return e


def orientation(e: E) -> str | None:
    """Where the samples are in a dim-first value: its columns ("col"), rows, or nowhere."""
    match e:
        case Sym(batched=b) | Raw(batched=b):
            return "col" if b else None
        case Grad(sym=s):
            return "col" if s.batched else None
        case Ones():
            return "row"  # the ones vector runs over the samples
        case T(body=b):
            inner = orientation(b)
            return {"col": "row", "row": "col"}.get(inner or "")
        case MatMul(a=a, b=b):
            if orientation(a) == "row":
                return "row"
            return "col" if orientation(b) == "col" else None
        case Had(a=a, b=b) | Add(a=a, b=b):
            return orientation(a) or orientation(b)
        case Scale(a=a) | Neg(a=a) | Slice(a=a):
            return orientation(a)
        case Fn(x=x):
            return orientation(x)
        case Cat(items=items):
            return next((o for o in map(orientation, items) if o), None)
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
        case T(body=b):
            inner = latex(b, loss)
            if isinstance(b, Sym | Ones | Cat | Grad) and not isinstance(b, Grad):
                return f"{inner}^\\top"
            return f"\\left({inner}\\right)^\\top"
        case MatMul(a=a, b=b):
            return f"{paren(a, loss, tight=True)} {paren(b, loss, tight=True)}"
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
            return tpl.replace("{x}", latex(x, loss))
        case Slice(a=a, rows=rows):
            return f"\\left[{latex(a, loss)}\\right]_{{{rows}}}"
        case SumAll(a=a):
            return f"\\textstyle\\sum \\left({latex(a, loss)}\\right)"
    raise AssertionError(e)


def paren(e: E, loss: str, tight: bool = False) -> str:
    """``e`` as an operand; ``tight`` operands (of a matrix product) bind closer than odot."""
    text = latex(e, loss)
    loose = isinstance(e, Add | Neg | Scale) or (isinstance(e, Num) and e.value < 0)
    if loose or (tight and isinstance(e, Had)):
        return f"\\left({text}\\right)"
    return text


# ---- derivation ----------------------------------------------------------------------------
@dataclass
class GradEquation:
    lhs: Sym
    rhs: E
    shape: tuple[str, ...]  # in the printed convention
    latex: str = ""


@dataclass
class Derivation:
    system: System
    layout: str = "denominator"
    batch: str = "dim-first"
    loss: str = "\\mathcal{L}"
    forward: list[str] = field(default_factory=list)
    equations: list[GradEquation] = field(default_factory=list)


def fn_prime(fn: str, x: E, y: E) -> E:
    """f'(x) from the input x and the output y = f(x)."""
    if fn == "sigmoid":
        return Had(y, Fn("\\left(1 - {x}\\right)", y))  # sigma (1 - sigma)
    if fn == "tanh":
        return Fn("\\left(1 - {x}^{2}\\right)", y)  # 1 - tanh^2
    if fn == "relu":
        return Fn("\\mathbb{1}\\left[{x} > 0\\right]", x)  # 1[x > 0]
    if fn == "exp":
        return y
    raise PapermathError(f"gradient equations through {fn} are not printed yet")


FN_LATEX = {
    "sigmoid": "\\sigma",
    "tanh": "\\tanh",
    "relu": "\\operatorname{relu}",
    "exp": "\\exp",
    "log": "\\log",
    "softmax": "\\operatorname{softmax}",
}


class Deriver:
    def __init__(self, system: System) -> None:
        self.s = system
        self.batched = self._batched_keys()
        self.contrib: dict[tuple[str, int], list[E]] = {}

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
        samples = {shapes[k][-1] for k in data if len(shapes.get(k, ())) >= 2}
        self.samples = samples
        if samples:
            out = {k for k in out if shapes.get(k) and shapes[k][-1] in samples}
        return out

    def sym(self, s: t.Sym) -> Sym:
        return Sym(s.key, s.step, s.offset, s.node, s.key in self.batched)

    def is_batched(self, term: t.Term) -> bool:
        """Does this subterm vary across samples (and keep a sample axis)?"""
        data = any(isinstance(x, t.Sym) and x.key in self.batched for x in t.walk(term))
        shape = self.s.shape_of(term)
        if self.samples:
            return data and bool(shape) and shape[-1] in self.samples
        return data

    def expr(self, term: t.Term) -> E:
        """A forward term as an expression (for operands inside gradients)."""
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
            case t.Add(left=a, right=b, op=op):
                return Add(self.expr(a), self.expr(b), op)
            case t.Neg(body=b):
                return Neg(self.expr(b))
            case t.Transpose(body=b):
                return T(self.expr(b))
            case t.Apply(fn=fn, args=(x,)) if fn in FN_LATEX:
                return Fn(FN_LATEX[fn] + "\\left({x}\\right)", self.expr(x))
            case t.Concat(items=items):
                return Cat(tuple(self.expr(i) for i in items))
        text = " ".join(self.s.source.snippet(term.span).split())
        return Raw(text, self.is_batched(term))

    def shape_of(self, term: t.Term) -> tuple[str, ...]:
        return self.s.shape_of(term)

    def back(self, term: t.Term, g: E, eq: t.Equation, named: t.Sym | None) -> None:
        """Send the gradient ``g`` of ``term`` to the symbols in it."""
        match term:
            case t.Sym():
                self.leaf(term, g)
            case t.Const():
                return
            case t.Add(left=a, right=b, op=op):
                self.back(a, g, eq, None)
                self.back(b, g if op == "+" else Neg(g), eq, None)
            case t.Neg(body=b):
                self.back(b, Neg(g), eq, None)
            case t.Product(left=a, right=b):
                reading = self.s.product_reading(term)
                ea, eb = self.expr(a), self.expr(b)
                if reading == "matmul":
                    self.back(a, MatMul(g, T(eb)), eq, None)
                    self.back(b, MatMul(T(ea), g), eq, None)
                elif reading == "hadamard":
                    self.back(a, Had(g, eb), eq, None)
                    self.back(b, Had(g, ea), eq, None)
                elif reading == "scale_left":
                    self.back(a, SumAll(Had(g, eb)), eq, None)
                    self.back(b, Scale(ea, g), eq, None)
                elif reading == "scale_right":
                    self.back(a, Scale(eb, g), eq, None)
                    self.back(b, SumAll(Had(g, ea)), eq, None)
                else:
                    raise PapermathError(f"gradient equations for a {reading} are not printed yet")
            case t.Apply(fn="identity", args=(x,)):
                self.back(x, g, eq, None)
            case t.Apply(fn=fn, args=(x,)):
                if fn not in FN_LATEX:
                    raise PapermathError(f"gradient equations through {fn} are not printed yet")
                ex = self.expr(x)
                y = (
                    self.expr(named)
                    if named is not None
                    else Fn(FN_LATEX[fn] + "\\left({x}\\right)", ex)
                )
                self.back(x, Had(g, fn_prime(fn, ex, y)), eq, None)
            case t.Power(body=t.Norm(body=u), exponent=2.0):
                self.back(
                    u,
                    Scale(Num(2), self.expr(u))
                    if isinstance(g, Num) and g.value == 1
                    else Scale(Num(2), Scale(g, self.expr(u))),
                    eq,
                    None,
                )
            case t.Concat(items=items):
                start = Size.const(0)
                for item in items:
                    shape = self.shape_of(item)
                    size = Size.parse(shape[0]) if shape else Size.const(1)
                    end = start + size
                    self.back(
                        item, Slice(g, f"{(start + Size.const(1)).text()}:{end.text()}"), eq, None
                    )
                    start = end
            case _:
                raise PapermathError(
                    f"gradient equations through {type(term).__name__.lower()} are not printed yet"
                )

    def leaf(self, s: t.Sym, g: E) -> None:
        if s.key not in self.batched and orientation(g) == "col":
            g = MatMul(g, Ones())  # a parameter's gradient sums over the samples
        self.contrib.setdefault((s.key, s.offset), []).append(g)


def derive(
    system: System,
    wrt: str,
    of: str | None = None,
    layout: str = "denominator",
    batch: str = "dim-first",
) -> Derivation:
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
    d = Deriver(system)
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
            d.expr(eq.rhs), flips("denominator", batch, lhs.batched, False), "denominator", batch
        )
        out.forward.append(f"{latex(lhs, '')} = {latex(rhs, '')}")
    # reverse order: from `of` back to `wrt`; a scalar `of` is the loss itself
    g_of: E = Num(1) if not system.shapes[of] else Grad(d.sym(eqs[of].lhs))
    for eq in reversed(order):
        g = g_of if eq.lhs.key == of else Grad(d.sym(eq.lhs))
        d.back(eq.rhs, g, eq, eq.lhs)
    targets = [eq.lhs.key for eq in reversed(order)] + [wrt]
    seen = set()
    for key in targets:
        if key in seen:
            continue
        seen.add(key)
        later = [shift(c, 1) for c in d.contrib.get((key, -1), [])]  # through step t+1
        parts = d.contrib.get((key, 0), []) + later
        if key == of:
            if not later:
                continue
            parts = [
                Raw(
                    f"\\frac{{\\partial \\mathcal{{L}}}}{{\\partial "
                    f"{sym_latex(d.sym(eqs[of].lhs))}}}\\Big|_{{\\text{{direct}}}}",
                    d.sym(eqs[of].lhs).batched,
                ),
                *later,
            ]
        if not parts:
            continue
        rhs = parts[0]
        for p in parts[1:]:
            rhs = Add(rhs, p)
        lhs = Sym(
            key,
            eqs[key].lhs.step if key in eqs else None,
            0,
            eqs[key].lhs.node if key in eqs else None,
            key in d.batched,
        )
        shape = _printed_shape(system, key, key in d.batched, layout, batch)
        rhs_c = convert(rhs, flips(layout, batch, lhs.batched, True), layout, batch)
        over_steps = ""
        steps = [x.step for e2 in order for x in t.walk(e2.rhs) if isinstance(x, t.Sym) and x.step]
        if key == wrt and not lhs.batched and steps:
            over_steps = f"\\sum_{{{steps[0]}}} "  # a shared parameter sums over the steps
        text = f"{latex(Grad(lhs), loss)} = {over_steps}{latex(rhs_c, loss)}"
        out.equations.append(GradEquation(lhs, rhs_c, shape, text))
    return out


def _printed_shape(
    system: System, key: str, batched: bool, layout: str, batch: str
) -> tuple[str, ...]:
    shape = tuple(system.shapes[key])
    explicit = any(
        len(system.shapes.get(k, ())) >= 2 and system.kinds.get(k) == "input" for k in system.kinds
    )
    if batched and not explicit:
        shape = (*shape, "N") if shape else ("N",)
    if (layout == "numerator") != (batch == "sample-first" and batched):
        shape = tuple(reversed(shape))
    if len(shape) == 1 and layout == "numerator" and not batched:
        shape = ("1", shape[0])
    return shape


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
