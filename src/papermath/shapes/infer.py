"""Shape inference over a whole system of equations.

Every symbol and subterm gets a shape variable. Rules are retried until nothing changes
(a fixpoint), because an equation further down may fix what an earlier one needs. Products
(juxtaposition, ``\\cdot``, ``*``) are decided by the shapes:

1. a reading that is the only one consistent with what is known, without pinning down any
   declared size, is taken at once (``W_f [h, x]`` with result size n: a matrix product,
   since a scaling would need n = n + m);
2. when stuck, a reading that is the only consistent one at all is taken, solving declared
   sizes (``w \\cdot z`` forces ``D_y = 1``);
3. when still stuck, the notation conventions decide, one at a time, and say so (a capital
   letter before a vector is a matrix: ``W_{hh} h_{t-1}``);
4. what is left is an error that says which declaration would decide it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from ..errors import DeclarationError, Note, ShapeError
from ..parse import ast
from ..read import terms as t
from ..read.reader import GREEK_LOWER, Reading, ReadResult, split_axes
from ..source import Source, Span
from .engine import Clash, Engine, Shape, WouldSolveDeclared
from .sizes import Size, shape_text

# The readings a written product operator allows, in order of preference.
PRODUCT_READINGS: dict[str, tuple[str, ...]] = {
    "odot": ("hadamard",),
    "circ": ("hadamard",),
    "otimes": ("hadamard",),  # only reaches here when a directive says so
    "bullet": ("hadamard",),
    "juxt": ("matmul", "hadamard", "scale_left", "scale_right", "vecmat"),
    "*": ("matmul", "hadamard", "scale_left", "scale_right", "vecmat"),
    "ast": ("matmul", "hadamard", "scale_left", "scale_right", "vecmat"),
    "star": ("matmul", "hadamard", "scale_left", "scale_right", "vecmat"),
    "times": ("matmul", "scale_left", "scale_right", "hadamard", "vecmat"),
    "cdot": ("matmul", "dot", "scale_left", "scale_right", "vecmat"),
    ".": ("matmul", "dot", "scale_left", "scale_right", "vecmat"),
    "oplus": (),
}
READING_NAMES = {
    "matmul": "matrix product",
    "hadamard": "Hadamard (elementwise) product",
    "scale_left": "scaling by a scalar",
    "scale_right": "scaling by a scalar",
    "dot": "dot product",
    "vecmat": "row vector times matrix",
}


@dataclass
class ShapeResult:
    shapes: dict[str, tuple[str, ...]]
    solved: dict[str, str]
    term_shapes: dict[int, tuple[str, ...]]  # id(term) -> shape
    products: dict[int, str]  # id(Product) -> reading
    readings: list[Reading]
    functions: dict[str, tuple[str, str]]  # learnable function -> (in size, out size)
    declared_sizes: list[str]
    forced_by: dict[str, Span] = field(default_factory=dict)  # key -> what fixed its shape
    solved_by: dict[str, Span] = field(default_factory=dict)  # size -> what solved it


class Stuck(Exception):
    pass


@dataclass
class Inference:
    source: Source
    read: ReadResult
    dims: dict[str, int]
    engine: Engine = field(default_factory=Engine)
    sym_var: dict[str, int] = field(default_factory=dict)
    term_var: dict[int, int] = field(default_factory=dict)
    terms: dict[int, t.Term] = field(default_factory=dict)
    decided: dict[int, str] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)
    learned_out: dict[str, int] = field(default_factory=dict)
    learned_in: dict[str, Size] = field(default_factory=dict)
    done: set[int] = field(default_factory=set)
    declared_by: dict[str, Span] = field(default_factory=dict)
    mode: str = "strict"  # strict | loose | default
    first_call: dict[str, int] = field(default_factory=dict)  # function key -> id(first call)
    stuck_with: dict[int, object] = field(default_factory=dict)  # id(product) -> what it saw
    undetermined: bool = False  # a trial of the current product was stuck, not clashing
    eqs_of_key: dict[str, list[t.Equation]] = field(default_factory=dict)
    eq_syms: dict[int, list[t.Sym]] = field(default_factory=dict)  # id(eq) -> its symbols
    round_keys: dict[int, set[str]] = field(default_factory=dict)  # open_keys, this round
    progress: bool = False

    # ---- variables ---------------------------------------------------------------------
    def var_of_sym(self, key: str) -> int:
        if key not in self.sym_var:
            self.sym_var[key] = self.engine.new_var()
        return self.sym_var[key]

    def var(self, term: t.Term) -> int:
        k = id(term)
        if k not in self.term_var:
            self.terms[k] = term
            if isinstance(term, t.Sym):
                self.term_var[k] = self.var_of_sym(term.key)
            else:
                self.term_var[k] = self.engine.new_var()
        return self.term_var[k]

    def shape(self, term: t.Term) -> Shape | None:
        return self.engine.shape(self.var(term))

    def rank(self, term: t.Term) -> int | None:
        return self.engine.rank(self.var(term))

    # ---- declarations ------------------------------------------------------------------
    def declare(self) -> None:
        names: set[str] = set()
        parsed = []
        for d in self.read.declarations:
            shape = self.space_shape(d.space)
            parsed.append((d, shape))
            for s in shape:
                names.update(s.names)
        for info in self.read.indices.values():  # \sum_{i=1}^{m}: m is written, so declared
            if info.size is not None:
                names.update(Size.parse(info.size).names)
        self.written_sizes = set(names)  # what the source writes (not only --dims)
        names |= set(self.dims)
        self.engine.declared = names
        # vectors' sizes before matrices': they name what the reader thinks in (h is in R^n)
        by_rank = sorted(parsed, key=lambda ds: len(ds[1]))
        order = [n for _, shape in by_rank for s in shape for n in s.names]
        order += [n for i in self.read.indices.values() if i.size for n in Size.parse(i.size).names]
        self.engine.declared_order = {n: i for i, n in reversed(list(enumerate(order)))}
        seen: dict[str, tuple[Shape, Span]] = {}
        for d, shape in parsed:
            if d.key in seen and seen[d.key][0] != shape:
                first_shape, first_span = seen[d.key]
                raise DeclarationError(
                    f"{d.key} is declared twice with different shapes: "
                    f"{shape_text(first_shape)} and {shape_text(shape)}",
                    self.source,
                    d.span,
                    notes=(Note(f"first declared {shape_text(first_shape)} here", first_span),),
                    hint="keep one declaration, or use a different name for the second symbol",
                )
            seen[d.key] = (shape, d.span)
            self.declared_by.setdefault(d.key, d.span)
            self.engine.bind(self.var_of_sym(d.key), shape, d.span)
            if len(shape) == 2:
                self.engine.declare_column(self.var_of_sym(d.key))

    def space_shape(self, space: ast.Node) -> Shape:
        """``\\mathbb{R}^{a \\times b}`` -> (a, b).

        A column ``m x 1`` is a vector; ``1 x 1`` is a scalar."""
        if not isinstance(space, ast.Sup):
            return ()
        axes = [self.size_expr(a) for a in split_axes(space.script)]
        if len(axes) == 2 and axes[1] == Size.const(1):
            axes = axes[:1]
        if len(axes) == 1 and axes[0] == Size.const(1):
            axes = []
        for a in axes:
            if a.is_const and a.constant < 1:
                raise DeclarationError("a size must be at least 1", self.source, space.span)
        return tuple(axes)

    def size_expr(self, node: ast.Node) -> Size:
        match node:
            case ast.Number(text=text) if text.isdigit():
                return Size.const(int(text))
            case ast.Letter(name=name):
                return Size.var(name)
            case ast.Sub(base=ast.Letter(name=name), script=script):
                label = self.source.snippet(script.span).strip("{} ").replace(" ", "")
                if label.replace("_", "").isalnum():
                    return Size.var(f"{name}_{label}")
                if label and all(ch.isalnum() or ch in "+-" for ch in label):
                    return Size.var(f"{name}_{{{label}}}")  # D_{k-1}: the size of layer k-1
            case ast.Font(body=body):
                return self.size_expr(body)
            case ast.Abs(body=ast.Letter(name=name) | ast.Font(body=ast.Letter(name=name))):
                return Size.var(f"|{name}|")  # |V|: the number of nodes of V
            case ast.Prime(base=ast.Letter(name=name), count=count):
                return Size.var(name + "'" * count)  # n', F': a size of its own
            case ast.BinOp(op="+", left=a, right=b):
                return self.size_expr(a) + self.size_expr(b)
            case ast.BinOp(op="-", left=a, right=b):
                return self.size_expr(a) - self.size_expr(b)
            case ast.Juxt(left=ast.Number(text=text), right=b) if text.isdigit():
                return self.size_expr(b) * int(text)
            case ast.Juxt(left=a, right=b) if all(
                isinstance(x, ast.Letter | ast.Sub) for x in (a, b)
            ):
                left, right = self.size_expr(a), self.size_expr(b)
                single = len(left.names) == 1 == len(right.names)
                if single and (left, right) == tuple(map(Size.var, left.names + right.names)):
                    return Size.product(left.names[0], right.names[0])  # h d_v
            case ast.Juxt(left=ast.Letter(name=name), right=ast.Number(text=digits)):
                if digits.isdigit():
                    return Size.var(f"{name}{digits}")  # d1, n2: a name with digits
            case ast.Paren(body=body):
                return self.size_expr(body)
        raise DeclarationError(
            f"cannot read {self.source.snippet(node.span)!r} as a size",
            self.source,
            node.span,
            hint="a size is a name (n, D_x), a number, or a sum of them (n + m, 2n)",
        )

    # ---- the fixpoint ------------------------------------------------------------------
    def run(self) -> None:
        self.declare()
        eqs = self.read.equations
        all_terms: list[tuple[t.Equation, t.Term]] = []
        for eq in eqs:
            self.var(eq.lhs)
            for term in t.walk(eq.rhs):
                self.var(term)  # every variable exists before any trial (trials undo)
                all_terms.append((eq, term))
        for eq in eqs:
            self.unify_equation(eq)
        pending = all_terms  # the terms whose rule has not finished, in source order
        for mode in ("strict", "loose", "default"):
            while True:
                self.mode = "strict"
                pending = self.sweep(pending)
                if not pending:
                    if self.all_bound():
                        return
                    mode = "default"
                if mode == "strict":
                    break
                self.mode = mode
                self.progress = False
                # Structural defaults (a sum's sides agree) before product conventions.
                ordered = [x for x in pending if not isinstance(x[1], t.Product)] + [
                    x for x in pending if isinstance(x[1], t.Product)
                ]
                # One convention at a time, so its consequences spread before the next; but
                # conventions in equations that share no open symbol cannot interact, so in
                # default mode those are taken in the same round (near-linear inference).
                touched: set[str] = set()
                self.round_keys.clear()
                for eq, term in ordered:
                    if id(term) in self.done:
                        continue
                    open_keys = self.open_keys(eq) if mode == "default" else set()
                    if touched & open_keys:
                        continue
                    decided_before = self.progress
                    self.progress = False
                    self.apply_rule(eq, term)
                    if self.progress:
                        if mode != "default":
                            break
                        touched |= open_keys or {"*"}
                        if "*" in touched:
                            break
                    self.progress = self.progress or decided_before
                if not self.progress and mode == "default":
                    self.default_symbol_shape()
                if not self.progress:
                    break
        for eq, term in all_terms:
            if id(term) not in self.done:
                raise self.undecided(eq, term)

    def check_matrix_functions(self) -> None:
        """A power of a matrix is a matrix power (A^2 = A A, A^{-1} the inverse), never an
        elementwise one: refused until generated. A function such as exp of a matrix is read
        elementwise, and the reading says so (a paper may mean the matrix exponential)."""
        for eq in self.read.equations:
            for x in t.walk(eq.rhs):
                if isinstance(x, t.Power) and len(self.shape(x.body) or ()) == 2:
                    if x.exponent == 1:
                        continue
                    what = "its inverse" if x.exponent == -1 else f"a matrix power ({x.exponent:g})"
                    name = x.body.key if isinstance(x.body, t.Sym) else self.snip(x.body)
                    raise ShapeError(
                        f"{self.snip(x)}: {name} is a matrix, so this is {what}, "
                        "not an elementwise power; papermath does not generate it yet",
                        self.source,
                        x.span,
                        hint="write the products (A A), or \\odot for elementwise products; a "
                        "diagonal matrix can be written as a vector (d \\odot x)",
                    )
                if (
                    isinstance(x, t.Apply)
                    and x.fn in ("exp", "log", "sqrt")
                    and len(self.shape(x.args[0]) or ()) == 2
                ):
                    self.read.readings.append(
                        Reading(
                            x.span,
                            self.snip(x),
                            f"elementwise {x.fn}",
                            f"{x.fn} of a matrix is read entry by entry (as attention scores "
                            f"are), not as the matrix {'exponential' if x.fn == 'exp' else x.fn}",
                        )
                    )

    def check_index_scopes(self) -> None:
        """Inside a sum over entries i (or an equation over entries i), what is written
        without i must be a scalar: ``\\sum_i x_i h`` with h a vector is not elementwise, and
        reading it so would force two sizes equal. Refused with the term that lacks i."""
        for eq in self.read.equations:
            scopes: list[tuple[str, t.Term]] = [
                (x.index, x.body) for x in t.walk(eq.rhs) if isinstance(x, t.IndexSum)
            ]
            if eq.element is not None:
                scopes.append((eq.element, eq.rhs))
            for index, body in scopes:
                self._check_scope(index, body)

    def _check_scope(self, index: str, term: t.Term) -> None:
        if isinstance(term, t.Elem) and term.index == index:
            return
        if isinstance(term, t.IndexSum) and term.index == index:
            return
        if not free_indices(term) & {index}:
            shape = self.shape(term)
            if shape:
                raise ShapeError(
                    f"{self.snip(term)} has no index {index} but is {shape_text(shape)}: "
                    f"over the entries {index}, only scalars may go without {index}",
                    self.source,
                    term.span,
                    hint=f"write its entries ({self.snip(term)}_{index}), or the matrix product "
                    "that the sum spells out",
                )
            return
        for child in t.children(term):
            self._check_scope(index, child)

    def open_keys(self, eq: t.Equation) -> set[str]:
        """The symbols of an equation whose shape is not settled yet (unbound, or with a size
        the source left free): what a convention applied in this equation may change.
        Memoized for one round of conventions (``round_keys`` is cleared between rounds)."""
        if id(eq) in self.round_keys:
            return self.round_keys[id(eq)]
        if id(eq) not in self.eq_syms:
            self.eq_syms[id(eq)] = [x for x in [eq.lhs, *t.walk(eq.rhs)] if isinstance(x, t.Sym)]
        keys = set()
        for x in self.eq_syms[id(eq)]:
            shape = self.shape(x)
            if shape is None or any(n not in self.engine.declared for a in shape for n in a.names):
                keys.add(x.key)
        self.round_keys[id(eq)] = keys
        return keys

    def sweep(self, pending: list[tuple[t.Equation, t.Term]]) -> list[tuple[t.Equation, t.Term]]:
        """Apply every rule that can fire, until nothing changes; what is left pending."""
        while True:
            self.progress = False
            for eq, term in pending:
                if id(term) not in self.done:
                    self.apply_rule(eq, term)
            pending = [x for x in pending if id(x[1]) not in self.done]
            if not self.progress:
                return pending

    def unify_equation(self, eq: t.Equation) -> None:
        try:
            self.engine.unify(self.var(eq.lhs), self.var(eq.rhs), eq.span)
        except Clash as exc:
            raise self.clash(
                exc,
                eq.rhs.span,
                [eq.lhs, eq.rhs],
                f"{self.snip(eq.lhs)} and its definition have different shapes",
                "an equation's two sides must have the same shape",
            ) from None

    def apply_rule(self, eq: t.Equation, term: t.Term) -> None:
        rule = RULES[type(term)]
        try:
            finished = rule(self, term)
        except Stuck:
            return
        if finished:
            self.done.add(id(term))
            self.progress = True

    # ---- helpers for rules -------------------------------------------------------------
    def unify(
        self,
        a: t.Term | int,
        b: t.Term | int,
        at: t.Term,
        what: str,
        hint: str,
        operands: list[t.Term] | None = None,
    ) -> None:
        va = a if isinstance(a, int) else self.var(a)
        vb = b if isinstance(b, int) else self.var(b)
        try:
            self.engine.unify(va, vb, at.span)
        except Clash as exc:
            ops = operands or [x for x in (a, b) if isinstance(x, t.Term)]
            raise self.clash(exc, at.span, ops, what, hint) from None

    def bind(self, a: t.Term, shape: Shape, at: t.Term, what: str, hint: str) -> None:
        try:
            self.engine.bind(self.var(a), shape, at.span)
        except Clash as exc:
            raise self.clash(exc, at.span, [a], what, hint) from None

    def trial(self, fn: Callable[[], None], strict: bool) -> bool:
        mark = self.engine.mark()
        old = self.engine.strict
        self.engine.strict = strict
        try:
            fn()
            ok = True
        except Stuck:
            ok = False
            self.undetermined = True  # not a clash: the reading needs more to be known
        except (Clash, WouldSolveDeclared, ShapeError):
            ok = False
        finally:
            self.engine.strict = old
            self.engine.undo_to(mark)
        return ok

    def fits(self, p: t.Product, reading: str, strict: bool) -> bool:
        return self.trial(lambda: self.take(p, reading), strict)

    def solving_cost(self, p: t.Product, reading: str) -> int | None:
        """How many declared sizes a reading pins down, or None if it does not fit."""
        e = self.engine
        mark, before = e.mark(), len([n for n in e.size_binding if n in e.declared])
        try:
            self.take(p, reading)
            return len([n for n in e.size_binding if n in e.declared]) - before
        except Stuck:
            self.undetermined = True
            return None
        except (Clash, WouldSolveDeclared, ShapeError):
            return None
        finally:
            e.undo_to(mark)

    def snip(self, term: t.Term) -> str:
        return " ".join(self.source.snippet(term.span).split())

    def shown(self, term: t.Term) -> str:
        s = self.shape(term)
        return "of unknown shape" if s is None else shape_text(s)

    def clash(
        self, exc: Clash, span: Span, operands: list[t.Term], what: str, hint: str
    ) -> ShapeError:
        notes = []
        parts = []
        for op in operands:
            shape = self.shape(op)
            text = "unknown" if shape is None else shape_text(shape)
            parts.append(f"{self.snip(op)} is {text}")
            origin = self.origin_of(op)
            if origin is not None and not (span.start <= origin.start < span.end):
                notes.append(
                    Note(
                        f"{self.snip(op)} got the shape {text} from "
                        f"{' '.join(self.source.snippet(origin).split())!r}",
                        origin,
                    )
                )
        if isinstance(exc.left, tuple) and isinstance(exc.right, tuple) and len(parts) < 2:
            parts = [f"{shape_text(exc.left)} against {shape_text(exc.right)}"]
        message = f"{what}: " + "; ".join(parts)
        return ShapeError(message, self.source, span, notes=tuple(notes), hint=hint)

    def origin_of(self, term: t.Term) -> Span | None:
        for sub in t.walk(term):
            if isinstance(sub, t.Sym) and sub.key in self.declared_by:
                return self.declared_by[sub.key]
        return self.engine.where(self.var(term))

    # ---- products ----------------------------------------------------------------------
    def product(self, p: t.Product) -> bool:
        if id(p) in self.decided:
            return True
        cands = PRODUCT_READINGS[p.written]
        if not cands:
            raise ShapeError(f"papermath does not read \\{p.written} yet", self.source, p.op_span)
        # A known scalar side makes it a scaling (a Hadamard product with a scalar is one).
        for side, reading in ((p.left, "scale_left"), (p.right, "scale_right")):
            if self.rank(side) == 0 and reading in cands:
                self.take(p, reading)
                self.decided[id(p)] = reading
                self.reasons[id(p)] = f"{self.snip(side)} is a scalar"
                return True
        unknown = self.rank(p.left) is None and self.rank(p.right) is None
        if unknown and len(cands) > 1 and self.mode != "default":
            raise Stuck
        self.undetermined = False
        viable = [c for c in cands if self.fits(p, c, strict=True)]
        reason = "the only reading consistent with the shapes"
        if len(cands) == 1:
            reason = f"\\{p.written} always means this product; both sides have one shape"
        if not viable:
            cost = {c: self.solving_cost(p, c) for c in cands}
            fits = [c for c in cands if cost[c] is not None]
            least = min((cost[c] or 0 for c in fits), default=0)
            viable = [c for c in fits if cost[c] == least]
            reason = "the only reading consistent with the shapes, which fixes a declared size"
            if len(fits) > len(viable):
                reason = (
                    "the reading that needs the fewest declared sizes fixed; the others "
                    "would fix more"
                )
            if viable and self.mode == "strict":
                raise Stuck  # first let other equations decide without new facts
        if not viable and self.undetermined and self.mode != "default":
            raise Stuck  # some reading may fit once more is known: wait, do not refuse
        if not viable:
            if len(cands) == 1:
                self.take(p, cands[0])  # raises the clash with both shapes
            raise ShapeError(
                f"no product fits {self.snip(p)}: {self.snip(p.left)} is {self.shown(p.left)} "
                f"and {self.snip(p.right)} is {self.shown(p.right)}",
                self.source,
                p.span,
                notes=tuple(
                    Note(f"{self.snip(x)} got its shape here", o)
                    for x in (p.left, p.right)
                    if (o := self.origin_of(x)) is not None
                    and not (p.span.start <= o.start < p.span.end)
                ),
                hint="a matrix product needs the inner sizes to meet, a Hadamard product equal "
                "shapes, a scaling one scalar side; a transpose may be missing",
            )
        if len(viable) > 1:
            if self.mode != "default":
                raise Stuck
            choice = self.convention(p, viable)
            if choice is None:
                raise Stuck
            viable, reason = [choice[0]], choice[1]
        self.take(p, viable[0])
        self.decided[id(p)] = viable[0]
        self.reasons[id(p)] = reason
        return True

    def all_bound(self) -> bool:
        return all(
            self.engine.rank(v) is not None
            for k, v in self.sym_var.items()
            if k not in self.read.learned
        )

    def default_symbol_shape(self) -> None:
        """The first symbol nothing has shaped gets the conventional shape of its letter; so
        does every later one whose equations share no open symbol with those (they cannot
        interact, and taking them in one round keeps inference near-linear)."""
        if not self.eqs_of_key:
            for eq in self.read.equations:
                for x in [eq.lhs, *t.walk(eq.rhs)]:
                    if isinstance(x, t.Sym):
                        self.eqs_of_key.setdefault(x.key, []).append(eq)
        touched: set[str] = set()
        self.round_keys.clear()
        defined = {eq.lhs.key for eq in self.read.equations}
        order = sorted(self.read.first_span, key=lambda k: k in defined)  # data first
        # The operands of an undecided product stay undecided: defaulting both sides of
        # `a b` to vectors would choose the reading silently. The error will ask instead.
        contested = {
            side.key
            for term in self.terms.values()
            if isinstance(term, t.Product) and id(term) not in self.done
            for side, other in ((term.left, term.right), (term.right, term.left))
            if isinstance(side, t.Sym) and self.rank(other) is None
        }
        for key in order:
            if key in self.read.learned or key not in self.sym_var or key in contested:
                continue
            v = self.sym_var[key]
            if self.engine.rank(v) is not None:
                continue
            involved = {key}
            for eq in self.eqs_of_key.get(key, []):
                involved |= self.open_keys(eq)
            if touched & involved:
                continue
            touched |= involved
            e = self.engine
            letter = key.split("_")[0]
            if letter in GREEK_LOWER:
                shape: Shape = ()
                why = "a lowercase Greek letter: by convention a scalar"
            elif letter[0].isupper():
                shape = (e.fresh_size(), e.fresh_size())
                why = "a capital letter: by convention a matrix"
            else:
                shape = (e.fresh_size(),)
                why = "a lowercase letter: by convention a vector"
            span = self.read.first_span[key]
            e.bind(v, shape, span)
            self.read.readings.append(
                Reading(
                    span,
                    self.source.snippet(span),
                    "shape by convention",
                    f"nothing declares or forces the shape of {key}; {key} is {why} of free size "
                    "(declare it to override)",
                )
            )
            self.progress = True

    def convention(self, p: t.Product, viable: list[str]) -> tuple[str, str] | None:
        left, right = base_letter(p.left), base_letter(p.right)
        if "matmul" in viable and left is not None and left[0].isupper() and len(left) == 1:
            return "matmul", (
                f"{left} is a capital letter before a vector or matrix: by "
                "convention a matrix (declare it to override)"
            )
        if "matmul" in viable and right is not None and right[0].isupper() and len(right) == 1:
            return "matmul", (
                f"{right} is a capital letter: by convention a matrix (declare it to override)"
            )
        if "scale_left" in viable and left in GREEK_LOWER:
            return "scale_left", f"\\{left} is a lowercase Greek letter: by convention a scalar"
        if "scale_right" in viable and right in GREEK_LOWER:
            return "scale_right", f"\\{right} is a lowercase Greek letter: by convention a scalar"
        return None

    def take(self, p: t.Product, reading: str) -> None:
        """Impose the constraints of one reading of a product."""
        a, b, res = p.left, p.right, p
        what = f"{READING_NAMES[reading]} {self.snip(p)}"
        e = self.engine
        if reading == "hadamard":
            self.unify(
                a,
                b,
                p,
                f"the Hadamard product {self.snip(p)} needs equal shapes",
                "both sides of an elementwise product must have the same shape; "
                "check the declarations of both sides",
            )
            self.unify(res, a, p, what, "")
        elif reading == "scale_left":
            self.bind(a, (), p, what, "")
            self.unify(res, b, p, what, "")
        elif reading == "scale_right":
            self.bind(b, (), p, what, "")
            self.unify(res, a, p, what, "")
        elif reading == "dot":
            n = e.fresh_size()
            self.bind(a, (n,), p, what, "")
            self.bind(b, (n,), p, what, "")
            self.bind(res, (), p, what, "")
        elif reading == "vecmat":
            n, k = e.fresh_size(), e.fresh_size()
            self.bind(a, (n,), p, what, "")
            self.bind(b, (n, k), p, what, "")
            self.bind(res, (k,), p, what, "")
        elif reading == "matmul":
            self.matmul(p)

    def matmul(self, p: t.Product) -> None:
        a, b, e = p.left, p.right, self.engine
        if self.rank(a) is None:
            # a scalar from a vector: the left side is a row (x^T W z: x^T W is 1 x n)
            rows = Size.const(1) if self.rank(p) == 0 and self.rank(b) == 1 else e.fresh_size()
            self.bind(a, (rows, e.fresh_size()), p, "", "")
        sa = self.shape(a)
        assert sa is not None
        if len(sa) != 2:
            raise Clash(sa, None, "not a matrix")
        rb = self.rank(b)
        if rb is None:
            rr = self.rank(p)
            if rr is None and self.mode != "default":
                raise Stuck
            capital = (base_letter(b) or "x")[0].isupper()
            rb = rr if rr in (1, 2) else 2 if capital else 1
            self.bind(b, tuple(e.fresh_size() for _ in range(rb)), p, "", "")
        sb = self.shape(b)
        assert sb is not None
        if len(sb) not in (1, 2):
            raise Clash(sa, sb, "not a vector or matrix")
        old = e.allow_declared_pairs
        e.allow_declared_pairs = True
        try:
            e.unify_size(sa[1], sb[0], p.span)
        except Clash:
            raise ShapeError(
                f"the matrix product {self.snip(p)} needs the inner sizes to meet: "
                f"{self.snip(a)} is {shape_text(sa)} and {self.snip(b)} is {shape_text(sb)}",
                self.source,
                p.span,
                notes=tuple(
                    Note(f"{self.snip(x)} got its shape here", o)
                    for x in (a, b)
                    if (o := self.origin_of(x)) is not None
                    and not (p.span.start <= o.start < p.span.end)
                ),
                hint=f"the columns of {self.snip(a)} ({sa[1].text()}) must equal the rows of "
                f"{self.snip(b)} ({sb[0].text()}); a transpose may be missing",
            ) from None
        finally:
            e.allow_declared_pairs = old
        out: Shape = (sa[0],) if len(sb) == 1 else (sa[0], sb[1])
        if len(sb) == 1 and e.resolve_size(sa[0]) == Size.const(1):
            out = ()  # x^T y, x^T A x: a row times a column is a scalar (1 x 1)
        self.bind(p, out, p, f"the matrix product {self.snip(p)}", "")

    # ---- error for what is left --------------------------------------------------------
    def undecided(self, eq: t.Equation, term: t.Term) -> ShapeError:
        if isinstance(term, t.Product):
            cands = [c for c in PRODUCT_READINGS[term.written] if self.fits(term, c, strict=False)]
            names = sorted({READING_NAMES[c] for c in cands})
            left = self.snip(term.left)
            return ShapeError(
                f"cannot decide what {self.snip(term)} is: it could be a " + " or a ".join(names),
                self.source,
                term.span,
                hint=f"declare {left}: {left} \\in \\mathbb{{R}} for a scalar, "
                f"{left} \\in \\mathbb{{R}}^{{n}} for an elementwise product, "
                f"{left} \\in \\mathbb{{R}}^{{k \\times n}} for a matrix",
            )
        if isinstance(term, t.Transpose):
            return ShapeError(
                f"cannot tell the shape of {self.snip(term.body)}, so not its transpose",
                self.source,
                term.span,
                hint=f"declare {self.snip(term.body)} \\in \\mathbb{{R}}^{{...}}",
            )
        return ShapeError(
            f"cannot decide the shape of {self.snip(term)}",
            self.source,
            term.span,
            hint="declare the sizes of the symbols in it (x \\in \\mathbb{R}^{n})",
        )

    # ---- results -----------------------------------------------------------------------
    def result(self) -> ShapeResult:
        e = self.engine
        declared_sizes = sorted(e.declared)
        rename: dict[str, str] = {}
        counter = 0

        def text(s: Size) -> str:
            nonlocal counter
            for name in s.names:
                if name.startswith("?") and name not in rename:
                    counter += 1
                    # a name only --dims gives (d1=3, for the free size the table printed as
                    # d1) is not taken: the free sizes keep the names they are printed with
                    while f"d{counter}" in e.declared and f"d{counter}" in self.written_sizes:
                        counter += 1
                    rename[name] = f"d{counter}"
            return s.text(rename)

        def shape_strings(shape: Shape | None) -> tuple[str, ...]:
            return tuple(text(e.resolve_size(s)) for s in (shape or ()))

        keys = list(self.read.first_span)
        shapes = {}
        for key in keys:
            if key in self.read.learned:
                continue
            shapes[key] = shape_strings(e.shape(self.var_of_sym(key)))
        term_shapes = {k: shape_strings(e.shape(v)) for k, v in self.term_var.items()}
        solved = {}
        for name in sorted(e.size_binding):
            if name in e.declared and name not in self.dims:
                solved[name] = text(e.resolve_size(Size.var(name)))
        functions = {
            key: (
                text(e.resolve_size(self.learned_in[key])),
                text(e.resolve_size((e.shape(v) or (Size.const(1),))[0])),
            )
            for key, v in self.learned_out.items()
        }
        readings: list[Reading] = []
        for k, reading in self.decided.items():
            p = self.terms[k]
            assert isinstance(p, t.Product)
            sa, sb = term_shapes[id(p.left)], term_shapes[id(p.right)]
            shown_a = "a scalar" if not sa else "(" + ", ".join(sa) + ")"
            shown_b = "a scalar" if not sb else "(" + ", ".join(sb) + ")"
            readings.append(
                Reading(
                    p.op_span if p.written != "juxt" else p.span,
                    self.snip(p),
                    READING_NAMES[reading],
                    f"{self.snip(p.left)} is {shown_a} and {self.snip(p.right)} is {shown_b}: "
                    f"{self.reasons[k]}",
                )
            )
        self.check_dims(text)
        forced = {}
        for key in shapes:
            span = e.forced_at(self.var_of_sym(key))
            if span is not None:
                forced[key] = span
        solved_by = {n: e.size_origin[n] for n in solved if n in e.size_origin}
        return ShapeResult(
            shapes,
            solved,
            term_shapes,
            dict(self.decided),
            readings,
            functions,
            declared_sizes,
            forced,
            solved_by,
        )

    def check_dims(self, text: Callable[[Size], str]) -> None:
        e = self.engine
        for name, value in self.dims.items():
            got = e.resolve_size(Size.var(name)).evaluate(self.dims)
            if got is not None and got != value:
                span = e.size_origin.get(name)
                raise DeclarationError(
                    f"dims gives {name} = {value}, but the equations force "
                    f"{name} = {text(e.resolve_size(Size.var(name)))} = {got}",
                    self.source,
                    span,
                    hint=f"use {name} = {got}, or fix the declaration",
                )


# ---- one rule per term type ----------------------------------------------------------------
def rule_sym(inf: Inference, s: t.Sym) -> bool:
    inf.var(s)
    return True


def rule_const(inf: Inference, c: t.Const) -> bool:
    inf.bind(c, (), c, "a number", "")
    return True


def rule_apply(inf: Inference, a: t.Apply) -> bool:
    if a.fn in ("max", "min"):
        x, y = a.args
        if inf.rank(x) == 0:
            inf.unify(a, y, a, f"{a.fn} of a scalar and", "")
            return True
        if inf.rank(y) == 0:
            inf.unify(a, x, a, f"{a.fn} of a scalar and", "")
            return True
        if inf.rank(x) is None and inf.rank(y) is None and inf.mode != "default":
            raise Stuck
    for arg in a.args:
        inf.unify(
            a,
            arg,
            a,
            f"the arguments of {a.fn} need the same shape",
            "an elementwise function of several arguments needs equal shapes",
        )
    return True


def rule_learned(inf: Inference, f: t.Learned) -> bool:
    e = inf.engine
    if f.key not in inf.learned_out:
        inf.learned_out[f.key] = e.new_var()
        e.bind(inf.learned_out[f.key], (e.fresh_size(),), f.span)
        inf.learned_in[f.key] = e.fresh_size()
    total = Size.const(0)
    for arg in f.args:
        r = inf.rank(arg)
        if r is None:
            if inf.mode != "default":
                raise Stuck
            inf.bind(arg, (e.fresh_size(),), f, "", "")
            r = 1
        shape = inf.shape(arg)
        assert shape is not None
        if r > 1:
            raise ShapeError(
                f"{inf.snip(arg)} is {shape_text(shape)}: a learnable function takes vectors",
                inf.source,
                arg.span,
                hint="concatenate or flatten it first; by default a learnable function is an "
                "affine map of the concatenation of its arguments",
            )
        total = total + (shape[0] if shape else Size.const(1))
    try:
        e.unify_size(inf.learned_in[f.key], total, f.span)
    except Clash:
        raise ShapeError(
            f"{f.key} is called with inputs of different total size", inf.source, f.span
        ) from None
    inf.unify(f, inf.learned_out[f.key], f, f"the output of {f.key}", "")
    return True


def rule_concat(inf: Inference, c: t.Concat) -> bool:
    ranks = [inf.rank(i) for i in c.items]
    if any(r is None for r in ranks):
        if inf.mode != "default":
            raise Stuck
        for item, r in zip(c.items, ranks, strict=True):
            if r is None:
                inf.bind(item, (inf.engine.fresh_size(),), c, "", "")
        ranks = [inf.rank(i) for i in c.items]
    top = max(r or 0 for r in ranks)
    shapes = [inf.shape(i) or () for i in c.items]
    if top <= 1:
        total = Size.const(0)
        for s in shapes:
            total = total + (s[0] if s else Size.const(1))
        inf.bind(c, (total,), c, f"the concatenation {inf.snip(c)}", "")
        return True
    if any(r != 2 for r in ranks):
        raise ShapeError(
            "a concatenation needs parts of the same rank: "
            + ", ".join(f"{inf.snip(i)} is {inf.shown(i)}" for i in c.items),
            inf.source,
            c.span,
            hint="stack vectors with vectors, matrices with matrices",
        )
    for item in c.items[1:]:
        try:
            inf.engine.unify_size(shapes[0][1], (inf.shape(item) or ())[1], c.span)
        except Clash:
            raise inf.clash(
                Clash(shapes[0], inf.shape(item), ""),
                c.span,
                list(c.items),
                "stacked matrices need the same number of columns",
                "",
            ) from None
    total = Size.const(0)
    for s in shapes:
        total = total + s[0]
    inf.bind(c, (total, shapes[0][1]), c, f"the concatenation {inf.snip(c)}", "")
    return True


def rule_add(inf: Inference, a: t.Add) -> bool:
    ra, rb = inf.rank(a.left), inf.rank(a.right)
    word = "sum" if a.op == "+" else "difference"
    what = f"the {word} {inf.snip(a)} needs equal shapes"
    hint = "both sides of + and - must have the same shape (or one side must be a scalar)"
    # A scalar side broadcasts (1 - z_t): the sum has the other side's shape.
    if ra == 0 and (rb is not None or isinstance(a.left, t.Const) or inf.mode == "default"):
        inf.unify(a, a.right, a, what, hint)
        return True
    if rb == 0 and (ra is not None or isinstance(a.right, t.Const) or inf.mode == "default"):
        inf.unify(a, a.left, a, what, hint)
        return True
    if (
        (ra is None or rb is None)
        and (ra == 0 or rb == 0 or inf.mode != "default")
        and not (ra is None) ^ (rb is None)
    ):
        raise Stuck
    if (ra is None) != (rb is None) and 1 in (ra, rb):
        # X W + b with X a matrix: X W may be a matrix and b added to each of its rows, so
        # the vector's shape is not forced onto the product before the product is decided
        unknown = a.left if ra is None else a.right
        if any(len(inf.shape(x) or ()) == 2 for x in t.walk(unknown) if isinstance(x, t.Sym)):
            raise Stuck
    for side, other, r in ((a.left, a.right, ra), (a.right, a.left, rb)):
        if r is None and greek_scalar(side) and inf.rank(other) is not None:
            if inf.mode != "default":
                raise Stuck
            inf.bind(side, (), a, what, hint)  # x - \mu: \mu is a scalar by convention
            inf.unify(a, other, a, what, hint)
            return True
    if ra is not None and rb is not None and {ra, rb} == {1, 2}:
        vec, mat = (a.left, a.right) if ra == 1 else (a.right, a.left)
        sv, sm = inf.shape(vec), inf.shape(mat)
        assert sv is not None and sm is not None
        # A vector is added to every column (dim-first, D x N) or every row (sample-first).
        fits = [
            axis
            for axis in (0, 1)
            if inf.trial(partial(inf.engine.unify_size, sv[0], sm[axis], a.span), strict=True)
        ]
        if not fits:
            raise inf.clash(
                Clash(sv, sm, ""),
                a.span,
                [a.left, a.right],
                what,
                "a vector can be added to a matrix when its size matches the "
                "matrix's rows or columns",
            )
        inf.engine.unify_size(sv[0], sm[fits[0]], a.span)
        inf.unify(a, mat, a, what, hint)
        return True
    inf.unify(a.left, a.right, a, what, hint)
    inf.unify(a, a.left, a, what, hint)
    return True


def rule_neg(inf: Inference, n: t.Neg) -> bool:
    inf.unify(n, n.body, n, "", "")
    return True


def rule_product(inf: Inference, p: t.Product) -> bool:
    # A product that was stuck with these very shapes (and mode) is stuck again: trying its
    # readings anew would only repeat the trials (this keeps inference near-linear).
    seen = (inf.mode, inf.shape(p.left), inf.shape(p.right), inf.shape(p))
    if inf.stuck_with.get(id(p)) == seen:
        raise Stuck
    try:
        return inf.product(p)
    except Stuck:
        inf.stuck_with[id(p)] = seen
        raise


def rule_div(inf: Inference, d: t.Div) -> bool:
    ra, rb = inf.rank(d.left), inf.rank(d.right)
    if rb is None and inf.mode == "default":
        inf.bind(d.right, (), d, "", "")
        rb = 0
    if rb == 0:
        inf.unify(d, d.left, d, "", "")
        return True
    if ra == 0 and rb is not None:
        inf.unify(d, d.right, d, "", "")
        return True
    if ra is None or rb is None:
        raise Stuck
    inf.unify(
        d.left,
        d.right,
        d,
        f"the division {inf.snip(d)} needs equal shapes",
        "divide by a scalar, or elementwise by a value of the same shape",
    )
    inf.unify(d, d.left, d, "", "")
    return True


def rule_transpose(inf: Inference, tr: t.Transpose) -> bool:
    s = inf.shape(tr.body)
    if s is None:
        out = inf.shape(tr)
        if out is not None and len(out) == 2:
            inf.bind(tr.body, (out[1], out[0]), tr, "", "")
            return True
        raise Stuck
    flipped: Shape = (s[1], s[0]) if len(s) == 2 else (Size.const(1), s[0]) if len(s) == 1 else ()
    if len(s) > 2:
        raise ShapeError(
            f"cannot transpose {inf.snip(tr.body)}, of rank {len(s)}", inf.source, tr.span
        )
    inf.bind(tr, flipped, tr, f"the transpose {inf.snip(tr)}", "")
    return True


def rule_like_body(
    inf: Inference, p: t.Power | t.NodeSum | t.NeighbourSum | t.BatchSum | t.RelationSum
) -> bool:
    """A power, a sum over nodes, neighbours or the examples of a batch: the body's shape."""
    inf.unify(p, p.body, p, "", "")
    return True


def rule_norm(inf: Inference, n: t.Norm) -> bool:
    inf.bind(n, (), n, "", "")
    return True


def rule_identity(inf: Inference, i: t.Identity) -> bool:
    """``I``: square; ``I_N``: N x N."""
    size = Size.parse(i.size) if i.size is not None else inf.engine.fresh_size()
    inf.bind(i, (size, size), i, f"the identity matrix {inf.snip(i)} (square)", "")
    return True


def rule_size_value(inf: Inference, v: t.SizeValue) -> bool:
    inf.bind(v, (), v, "", "")
    return True


def rule_elem(inf: Inference, e: t.Elem) -> bool:
    """``a_i``: read elementwise, it has the shape of the vector a."""
    inf.unify(e, e.body, e, "", "")
    rank = inf.rank(e.body)
    if rank is None:
        if inf.mode == "strict":
            raise Stuck
        inf.bind(e.body, (inf.engine.fresh_size(),), e, "", "")
        return True
    if rank != 1:
        shape = inf.shape(e.body)
        raise ShapeError(
            f"{inf.snip(e)} is an entry of {inf.snip(e.body)}, which is "
            f"{shape_text(shape or ())}: papermath reads entries of vectors (one index)",
            inf.source,
            e.span,
            hint="declare it as a vector, or write the matrix product instead of entries",
        )
    return True


def rule_index_sum(inf: Inference, s: t.IndexSum) -> bool:
    """``\\sum_{i=1}^{n} body``: body is a vector over i (size n), the sum a scalar."""
    rank = inf.rank(s.body)
    if rank is None:
        if inf.mode == "strict":
            raise Stuck
        inf.bind(s.body, (inf.engine.fresh_size(),), s, "", "")
        rank = 1
    shape = inf.shape(s.body)
    if rank != 1 or shape is None:
        raise ShapeError(
            f"the sum over {s.index} adds up the entries of a vector, but its body is "
            f"{shape_text(shape or ())}",
            inf.source,
            s.span,
        )
    if s.size is not None:
        try:
            inf.engine.unify_size(shape[0], Size.parse(s.size), s.span)
        except Clash:
            raise ShapeError(
                f"the sum runs over {s.index} = 1..{s.size}, but its body has "
                f"{shape[0].text()} entries",
                inf.source,
                s.span,
                notes=tuple(
                    Note(f"{inf.snip(s.body)} got its shape here", o)
                    for o in [inf.origin_of(s.body)]
                    if o is not None
                ),
            ) from None
    inf.bind(s, (), s, "", "")
    return True


def rule_fncall(inf: Inference, c: t.FnCall) -> bool:
    """A call of a defined function has its body's shape; the function's key gets the shape
    of its first call (the table shows it)."""
    inf.unify(c, c.body, c, "", "")
    if inf.first_call.setdefault(c.key, id(c)) == id(c):
        inf.unify(inf.var_of_sym(c.key), c, c, "", "")
    return True


def rule_head_concat(inf: Inference, c: t.HeadConcat) -> bool:
    """The h heads side by side: (..., d) -> (..., h·d), along the last axis."""
    member = inf.shape(c.member)
    if member is None:
        if inf.mode != "default":
            raise Stuck
        raise ShapeError(
            f"cannot decide the shape of {c.member.key}_{c.member.head}",
            inf.source,
            c.span,
            hint="declare the sizes of what it is computed from",
        )
    if not member:
        raise ShapeError("concatenating scalars of a family is not read yet", inf.source, c.span)
    last = member[-1]
    if len(last.names) != 1 or last != Size.var(last.names[0]):
        raise ShapeError(
            f"the heads have {last.text()} columns: a product of sizes with it is not read yet",
            inf.source,
            c.span,
        )
    inf.bind(c, (*member[:-1], Size.product(c.count, last.names[0])), c, "", "")
    return True


RULES: dict[type, Callable[[Inference, t.Any], bool]] = {  # type: ignore[name-defined]
    t.HeadConcat: rule_head_concat,
    t.SizeValue: rule_size_value,
    t.Identity: rule_identity,
    t.Elem: rule_elem,
    t.IndexSum: rule_index_sum,
    t.FnCall: rule_fncall,
    t.Sym: rule_sym,
    t.Const: rule_const,
    t.Apply: rule_apply,
    t.Learned: rule_learned,
    t.Concat: rule_concat,
    t.Add: rule_add,
    t.Neg: rule_neg,
    t.Product: rule_product,
    t.Div: rule_div,
    t.Transpose: rule_transpose,
    t.Power: rule_like_body,
    t.Norm: rule_norm,
    t.NodeSum: rule_like_body,
    t.NeighbourSum: rule_like_body,
    t.BatchSum: rule_like_body,
    t.RelationSum: rule_like_body,
}


def greek_scalar(term: t.Term) -> bool:
    """A lowercase Greek symbol (mu, alpha): by convention a scalar."""
    return isinstance(term, t.Sym) and term.key.split("_")[0] in GREEK_LOWER


def base_letter(term: t.Term) -> str | None:
    if isinstance(term, t.Transpose):
        term = term.body
    if isinstance(term, t.Sym):
        return term.key.split("_")[0]
    return None


def free_indices(term: t.Term) -> set[str]:
    """The entry indices a term is written with and does not sum over."""
    match term:
        case t.Elem(index=i, body=body):
            return {i} | free_indices(body)
        case t.IndexSum(index=i, body=body):
            return free_indices(body) - {i}
    out: set[str] = set()
    for c in t.children(term):
        out |= free_indices(c)
    return out


def infer(
    source: Source, read: ReadResult, dims: dict[str, int], *, strict: bool = False
) -> ShapeResult:
    """Shapes of every symbol. Two declared sizes that the equations force equal (``k = n``)
    are a solved size, with the equation that forces it; ``strict`` makes that an error."""
    # Two declared sizes are identified only when no reading avoids it: first without, and
    # only if that fails (and not strict), again allowing it (then k = n is an answer).
    readings_before = len(read.readings)
    inf = Inference(source, read, dict(dims))
    try:
        inf.run()
    except ShapeError:
        if strict:
            raise
        del read.readings[readings_before:]  # the first attempt's conventions, said again
        inf = Inference(source, read, dict(dims))
        inf.engine.allow_declared_pairs = True
        inf.run()
    inf.check_index_scopes()
    inf.check_matrix_functions()
    return inf.result()
