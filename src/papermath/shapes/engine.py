"""Unification of shapes and sizes with an undo trail, so a reading can be tried and taken back.

A *shape variable* stands for the shape of one symbol or subexpression; it is unbound until
something fixes its rank, then bound to a tuple of :class:`Size`. Size names are either
*declared* (written by the user) or *fresh* (made up for sizes the source leaves free).
Binding a declared name (``D_y = 1``) is allowed but recorded as *solved*; a trial can forbid
it, which is how readings prefer the interpretation that needs no new facts. A size is only
solved where the source forces it: a size that two or more declarations name (n in X and H)
is never solved to a number, and a declared matrix meets a vector as a column (D_y = 1)
only where the vector is computed, never a declared one or one a reading tries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from ..read.rules_layer_widths import different_layers
from ..source import Span
from .sizes import PRODUCT, Shape, Size


class Clash(Exception):
    """Two shapes or sizes cannot be equal. Caught and turned into a ShapeError with spans."""

    def __init__(self, left: Size | Shape | None, right: Size | Shape | None, why: str) -> None:
        super().__init__(why)
        self.left = left
        self.right = right
        self.why = why


class WouldSolveDeclared(Exception):
    """Raised in strict trials: the reading would need a declared size to be pinned down."""


@dataclass
class Engine:
    declared: set[str] = field(default_factory=set)
    # the order in which declared sizes first appear: of two declared sizes forced equal, the
    # later one is solved in terms of the earlier (k = n, not n = k)
    declared_order: dict[str, int] = field(default_factory=dict)
    parent: list[int] = field(default_factory=list)
    bound: dict[int, Shape] = field(default_factory=dict)
    origin: dict[int, Span] = field(default_factory=dict)
    size_binding: dict[str, Size] = field(default_factory=dict)
    size_origin: dict[str, Span] = field(default_factory=dict)
    fresh_count: int = 0
    # declared sizes that the shapes of two or more declared symbols name: never solved to a
    # number (a literal 1 against n is a clash, not n = 1)
    shared: set[str] = field(default_factory=set)
    strict: bool = False  # in a strict trial, binding a declared size raises
    # Two declared sizes may be equated only where a matrix product's inner sizes meet; an
    # elementwise clash of declared sizes (n against k) is an error, never a solution.
    allow_declared_pairs: bool = False
    trail: list[Callable[[], None]] = field(default_factory=list)
    # resolved sizes, valid until the next change of a size binding (then cleared)
    resolved: dict[Size, Size] = field(default_factory=dict)
    # where an unbound class got its shape by unification: the rule that forced it
    bound_at: dict[int, Span] = field(default_factory=dict)
    # classes whose shape a declaration gave as a matrix (N x D_y): only these may meet a
    # computed vector as a column (D_y = 1); a reading's own matrices never do
    declared_columns: set[int] = field(default_factory=set)
    # classes holding a declared symbol of any shape: a declared vector is no computed one, so
    # a declared matrix never meets it as a column (x in R^n against A in R^{k x n}: no n = 1)
    declared_classes: set[int] = field(default_factory=set)
    columns_ok: bool = False
    # set while a product's reading gives its operands their shapes (a dot product's two
    # vectors): a declared |V| x G matrix tried as a vector is no column, so G is never 1
    no_columns: bool = False

    # ---- variables ---------------------------------------------------------------------
    def new_var(self) -> int:
        self.parent.append(len(self.parent))
        n = len(self.parent) - 1

        def undo() -> None:
            self.parent.pop()

        self.trail.append(undo)
        return n

    def fresh_size(self) -> Size:
        self.fresh_count += 1
        return Size.var(f"?{self.fresh_count}")

    def find(self, v: int) -> int:
        while self.parent[v] != v:
            v = self.parent[v]
        return v

    # ---- trail -------------------------------------------------------------------------
    def mark(self) -> int:
        return len(self.trail)

    def undo_to(self, mark: int) -> None:
        while len(self.trail) > mark:
            self.trail.pop()()

    def _set(self, table: dict, key: object, value: object) -> None:  # type: ignore[type-arg]
        had = key in table
        old = table.get(key)
        sizes = table is self.size_binding

        def undo() -> None:
            if had:
                table[key] = old
            else:
                table.pop(key, None)
            if sizes:
                self.resolved.clear()

        table[key] = value
        if sizes:
            self.resolved.clear()
        self.trail.append(undo)

    # ---- sizes -------------------------------------------------------------------------
    def resolve_size(self, s: Size) -> Size:
        got = self.resolved.get(s)
        if got is not None:
            return got
        start = s
        for _ in range(64):
            if not any(n in self.size_binding for n in s.names):
                self.resolved[start] = s
                return s
            s = s.substitute(self.size_binding)
        raise AssertionError("cyclic size binding")

    def unify_size(self, a: Size, b: Size, origin: Span) -> None:
        d = self.resolve_size(a) - self.resolve_size(b)
        if not d.terms:
            if d.constant:
                raise Clash(self.resolve_size(a), self.resolve_size(b), "sizes differ")
            return
        ra, rb = self.resolve_size(a), self.resolve_size(b)
        var, coeff = self._pick(d)
        for lone in (ra, rb):
            # prefer binding a lone fresh name to the other side: ?3 := n + m, not n := ?3 - m
            other = rb if lone is ra else ra
            if (
                len(lone.terms) == 1
                and lone.terms[0][1] == 1
                and lone.constant == 0
                and lone.terms[0][0] not in other.names  # the occurs check
                and lone.terms[0][0] not in self.declared
                and PRODUCT not in lone.terms[0][0]  # d_v·h is its factors' product, no unknown
            ):
                var, coeff = lone.terms[0][0], (1 if lone is ra else -1)
                break
        if var is None:
            raise Clash(self.resolve_size(a), self.resolve_size(b), "sizes cannot be equal")
        if var in self.declared and self.strict:
            raise WouldSolveDeclared(var)
        # d = coeff*var + rest = 0  ->  var = -rest / coeff  (coeff is +-1)
        rest = d - Size.var(var) * coeff
        value = rest * (-coeff)
        if any(var in Size.factors(n) for n in value.names):  # m = h·m: the occurs check
            raise Clash(self.resolve_size(a), self.resolve_size(b), "sizes cannot be equal")
        if value.is_const and value.constant < 1:
            raise Clash(self.resolve_size(a), self.resolve_size(b), "a size would be < 1")
        if value.is_const and var in self.shared:
            raise Clash(self.resolve_size(a), self.resolve_size(b), "a declared size is no number")
        if var in self.declared and any(different_layers(var, n) for n in value.names):
            raise Clash(ra, rb, "the widths of two different layers (never solved equal)")
        if var in self.declared and not value.is_const and not self.allow_declared_pairs:
            raise Clash(self.resolve_size(a), self.resolve_size(b), "declared sizes differ")
        self._set(self.size_binding, var, value)
        self._set(self.size_origin, var, origin)

    def _pick(self, d: Size) -> tuple[str | None, int]:
        """The variable to solve for: fresh before declared, coefficient +-1 only."""
        # d_v·h is its factors' product, no unknown of its own: never solved for
        candidates = [(n, k) for n, k in d.terms if k in (1, -1) and PRODUCT not in n]
        fresh = [c for c in candidates if c[0] not in self.declared]
        if fresh:
            return fresh[0]
        if candidates:
            return max(candidates, key=lambda c: self.declared_order.get(c[0], -1))
        return None, 0

    # ---- shapes ------------------------------------------------------------------------
    def shape(self, v: int) -> Shape | None:
        got = self.bound.get(self.find(v))
        if got is None:
            return None
        return tuple(self.resolve_size(s) for s in got)

    def rank(self, v: int) -> int | None:
        got = self.bound.get(self.find(v))
        return None if got is None else len(got)

    def where(self, v: int) -> Span | None:
        return self.origin.get(self.find(v))

    def forced_at(self, v: int) -> Span | None:
        """The span of the rule or declaration that gave ``v`` its shape."""
        while True:
            if v in self.bound_at:
                return self.bound_at[v]
            if v in self.origin and self.parent[v] == v:
                return self.origin[v]
            if v in self.origin and v in self.bound:
                return self.origin[v]
            if self.parent[v] == v:
                return self.origin.get(v)
            v = self.parent[v]

    def declare_column(self, v: int) -> None:
        """A declaration gave this class its matrix shape (see ``declared_columns``)."""
        self.declared_columns.add(self.find(v))

    def declare_class(self, v: int) -> None:
        """A declaration gave this class its shape (see ``declared_classes``)."""
        self.declared_classes.add(self.find(v))

    def bind(self, v: int, shape: Shape, origin: Span) -> None:
        r = self.find(v)
        have = self.bound.get(r)
        if have is None:
            self._set(self.bound, r, tuple(shape))
            self._set(self.origin, r, origin)
            return
        self.columns_ok = r in self.declared_columns
        try:
            self._unify_shapes(have, shape, origin)
        finally:
            self.columns_ok = False
        if len(shape) < len(have):
            self._set(self.bound, r, tuple(shape))  # a column (a, 1) is the vector (a)

    def unify(self, v: int, w: int, origin: Span) -> None:
        a, b = self.find(v), self.find(w)
        if a == b:
            return
        sa, sb = self.bound.get(a), self.bound.get(b)
        if sa is not None and sb is not None:
            # a declared matrix meets a computed vector, never a declared one
            self.columns_ok = (a in self.declared_columns and b not in self.declared_classes) or (
                b in self.declared_columns and a not in self.declared_classes
            )
            try:
                self._unify_shapes(sa, sb, origin)
            finally:
                self.columns_ok = False
        keep, drop = (a, b) if sa is not None or sb is None else (b, a)
        if sa is not None and sb is not None and len(sb) < len(sa):
            keep, drop = b, a  # a column (a, 1) is the vector (a): keep the vector
        if self.bound.get(keep) is not None and self.bound.get(drop) is None:
            self._set(self.bound_at, drop, origin)
        self._set_parent(drop, keep)
        for marked in (self.declared_columns, self.declared_classes):
            if drop in marked and keep not in marked:
                marked.add(keep)
                self.trail.append(partial(marked.discard, keep))
        if keep not in self.origin and drop in self.origin:
            self._set(self.origin, keep, self.origin[drop])

    def _set_parent(self, child: int, root: int) -> None:
        old = self.parent[child]

        def undo() -> None:
            self.parent[child] = old

        self.parent[child] = root
        self.trail.append(undo)

    def _unify_shapes(self, a: Shape, b: Shape, origin: Span) -> None:
        if (len(a) == 2 and len(b) == 1) or (len(a) == 1 and len(b) == 2):
            # A column (m, 1) is the vector (m), as in a declaration R^{m x 1}: a declared
            # (N, D_y) against a computed (N) solves D_y = 1.
            col: Shape = a if len(a) == 2 else b
            vec: Shape = b if len(a) == 2 else a
            last = self.resolve_size(col[1])
            # only a size the source declares by name (N x D_y), never a reading's own matrix
            written = not last.is_const and all(n in self.declared for n in last.names)
            # (1, N) against (1): a row, not a column; ranks must then agree
            written = written and self.resolve_size(col[0]) != Size.const(1)
            written = written and self.columns_ok  # a declared matrix, not a reading's
            written = written and not self.no_columns  # a computed vector, not a trial's
            mark = self.mark()
            try:
                if not written:
                    raise Clash(last, Size.const(1), "a reading's matrix is not a column")
                self.unify_size(col[1], Size.const(1), origin)
                self.unify_size(col[0], vec[0], origin)
                return
            except Clash:
                self.undo_to(mark)
        if len(a) != len(b):
            ra = tuple(self.resolve_size(s) for s in a)
            rb = tuple(self.resolve_size(s) for s in b)
            raise Clash(ra, rb, "ranks differ")
        for x, y in zip(a, b, strict=True):
            try:
                self.unify_size(x, y, origin)
            except Clash:
                ra = tuple(self.resolve_size(s) for s in a)
                rb = tuple(self.resolve_size(s) for s in b)
                raise Clash(ra, rb, "sizes differ") from None

    def provably_different(self, a: Size, b: Size) -> bool:
        return (self.resolve_size(a) - self.resolve_size(b)).provably_nonzero()


class Stuck(Exception):
    """A rule cannot decide yet: wait for other equations (shapes.infer's rounds)."""
