"""``compile`` and ``System``: the public entry point that later stages build on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .chain_check import check as check_chain_claims
from .errors import DeclarationError, PapermathError, ParseError
from .letters import CONSTANT_LETTERS, MATRIX_WEIGHT_LETTERS, PARAMETER_LETTERS
from .parse import parse
from .parse.macros import expand as expand_macros
from .parse.sitemacros import readings as site_macro_readings
from .read import Reading, read, rules_attention, rules_expression_claims
from .read import terms as t
from .read.reader import KINDS, ReadResult
from .read.rules_named_loss import NAMED_LOSS
from .read.rules_step_sets import declared_count
from .shapes import ShapeResult, Size, infer
from .shapes.layer_widths import per_layer
from .shapes.sizes import Shape
from .shapes.sizes import count as size_count
from .source import Source, Span

# The largest source read (characters): far above any paper's equations, far below what
# would take seconds.
MAX_SOURCE_CHARS = 200_000


@dataclass(frozen=True)
class Recurrence:
    """Equations that carry state from step ``index - 1`` to step ``index``."""

    index: str
    states: tuple[str, ...]
    # states carried backwards, from step index + 1 to index (read/rules_reverse.py)
    backward: tuple[str, ...] = ()


@dataclass
class System:
    r"""A system of equations as papermath read it.

    >>> s = compile(r"h_t = \tanh(W h_{t-1} + U x_t), x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n")
    >>> s.shapes["W"], s.shapes["U"]
    (('n', 'n'), ('n', 'm'))
    >>> s.typed_shapes["U"]  # the same, as typed sizes: what code generation uses
    (Size('n'), Size('m'))
    >>> s.kinds["h"], s.kinds["x"], s.kinds["W"]
    ('state', 'input', 'parameter')
    """

    source: Source
    equations: list[t.Equation]
    shapes: dict[str, tuple[str, ...]]
    solved: dict[str, str]
    kinds: dict[str, str]
    readings: list[Reading]
    recurrence: Recurrence | None
    node_sums: list[t.NodeSum]
    functions: dict[str, tuple[str, str]]
    declared_sizes: tuple[str, ...] = ()
    dims: dict[str, int] = field(default_factory=dict)
    solved_by: dict[str, Span] = field(default_factory=dict)  # size -> the equation forcing it
    per_step_params: tuple[str, ...] = ()  # parameters that carry the step index: one per step
    # the size that numbers the steps, where nothing given at run time does: parameters one per
    # step, or a recurrence that reads no input per step (it runs that many steps)
    step_count: str | None = None
    sampled: dict[str, str] = field(default_factory=dict)  # key -> its distribution
    # gradient equations the source writes (a derivation): claims, checked by `check`
    claims: list[Any] = field(default_factory=list)
    # shapes, functions and solved sizes as typed sizes (``shapes``, ``functions`` and
    # ``solved`` print them): what lowering, the checks and the code generators use
    typed_shapes: dict[str, Shape] = field(default_factory=dict)
    typed_functions: dict[str, tuple[Size, Size]] = field(default_factory=dict)
    typed_solved: dict[str, Size] = field(default_factory=dict)
    _read: ReadResult | None = field(default=None, repr=False)
    _shape: ShapeResult | None = field(default=None, repr=False)
    # lowered programs by (dims, passes): code, worked examples and checks lower once
    _programs: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self) -> str:
        names = ", ".join(eq.lhs.key for eq in self.equations)
        return f"<System of {len(self.equations)} equations defining {names}>"

    def shape_of(self, term: t.Term) -> tuple[str, ...]:
        """The shape of any subterm of an equation."""
        assert self._shape is not None
        return self._shape.term_shapes[id(term)]

    def typed_shape_of(self, term: t.Term) -> Shape:
        """The shape of any subterm of an equation, as typed sizes."""
        assert self._shape is not None
        return self._shape.term_typed[id(term)]

    def product_reading(self, term: t.Product) -> str:
        assert self._shape is not None
        return self._shape.products[id(term)]

    def written(self, term: t.Term) -> str | None:
        """What a term the reader built for one notation stands for, in LaTeX (E[x] read as
        a sum over the features: its sum, its size); None for a term written as it is."""
        if self._read is None or self._read.written_terms.get(id(term)) is not term:
            return None  # (an id alone may be another, later term's: read/reader.py write)
        return self._read.written.get(id(term))

    @property
    def per_head_params(self) -> dict[str, str]:
        """Parameters one per head of a family (W_i^Q): key -> the number of heads (h)."""
        return self._per_member("head")

    @property
    def per_relation_params(self) -> dict[str, str]:
        """Parameters one per type of edge (W_r under \\sum_r with N_r(v)): key -> the number
        of types (R)."""
        return self._per_member("relation")

    @property
    def per_basis_params(self) -> dict[str, str]:
        """Parameters one per member of a basis (V_b, a_{rb} under \\sum_{b=1}^{B},
        read/rules_basis.py): key -> the number of members (B), stored stacked after the
        family's axis (a: R x B)."""
        read = self._read
        if read is None:
            return {}
        sizes = {i.letter: i.size for i in read.indices.values() if i.kind == "basis" and i.size}
        return {
            x.key: sizes[x.basis]
            for eq in self.equations
            for x in t.walk(eq.rhs)
            if isinstance(x, t.Sym) and x.basis in sizes and self.kinds.get(x.key) == "parameter"
        }

    @property
    def per_order_params(self) -> dict[str, str]:
        """Parameters one per order of a sum over orders (Theta_k under \\sum_{k=0}^{K}
        (\\hat A)^k, read/rules_orders.py): key -> the number of orders (K + 1)."""
        return self._per_member("order")

    @property
    def per_table_params(self) -> dict[str, str]:
        """Parameters one per member of a table (v_w with w = 1..W, read/rules_table_rows.py):
        key -> the number of members (W), stored stacked as rows."""
        return self._per_member("table")

    def _per_member(self, kind: str) -> dict[str, str]:
        read = self._read
        if read is None:
            return {}
        heads = {i.letter: i.size for i in read.indices.values() if i.kind == kind and i.size}
        return {
            x.key: heads[x.head]
            for eq in self.equations
            for x in t.walk(eq.rhs)
            if isinstance(x, t.Sym) and x.head in heads and self.kinds.get(x.key) == "parameter"
        }

    def size_names(self) -> set[str]:
        """Every size name: in shapes (free ones as printed, d1, d2), declared, solved, and
        the number of steps where parameters need it."""
        names = {n for shape in self.typed_shapes.values() for s in shape for n in s.names}
        names |= {n for pair in self.typed_functions.values() for s in pair for n in s.names}
        names |= (set(self.declared_sizes) - set(self.dims)) | set(self.solved)
        names |= {
            x.name for eq in self.equations for x in t.walk(eq.rhs) if isinstance(x, t.SizeValue)
        }
        names |= set(self.per_table_params.values())  # W of v_w, w = 1..W (rules_table_rows)
        names |= {
            n
            for eq in self.equations
            for x in t.walk(eq.rhs)
            if isinstance(x, t.Identity) and x.size
            for s in self.typed_shape_of(x)
            for n in s.names
        }
        if self.step_count:
            names.add(self.step_count)
        names = {f for n in names for f in Size.factors(n)}  # h·d_v: h and d_v
        read = self._read
        names |= {
            i.size
            for i in (read.indices.values() if read else [])
            if i.kind in ("head", "relation", "basis") and i.size  # basis: rules_basis.py
        }
        names |= {  # K + 1 orders (read/rules_orders.py): K
            n
            for i in (read.indices.values() if read else [])
            if i.kind == "order" and i.size
            for n in size_count(i.size).names
        }
        return names

    def numeric_shapes(self, dims: dict[str, int] | None = None) -> dict[str, tuple[int, ...]]:
        """Shapes with sizes replaced by numbers (from ``dims`` and the system's own dims)."""
        values = {**self.dims, **(dims or {})}
        values.update({k: v.constant for k, v in self.typed_solved.items() if v.is_const})
        out = {}
        for key, shape in self.typed_shapes.items():
            nums = []
            for size in shape:
                value = size.evaluate(values)
                if value is None:
                    raise DeclarationError(
                        f"the size {size.text()} of {key} has no number: give it in dims",
                        self.source,
                    )
                nums.append(value)
            out[key] = tuple(nums)
        return out

    # ---- code generation (papermath.ir, papermath.backends) ---------------------------
    def program(
        self, dims: dict[str, int] | None = None, optimize: bool = True, fast: bool = False
    ) -> Any:
        """The typed IR of this system (:class:`papermath.ir.Program`), type-checked after
        lowering and after every pass. ``fast`` adds the speed passes (passes/fast.py)."""

        key = (tuple(sorted((dims or {}).items())), optimize, fast)
        if key not in self._programs:
            self._programs[key] = self._lowered(dims, optimize, fast)
        return self._programs[key]

    def _lowered(self, dims: dict[str, int] | None, optimize: bool, fast: bool) -> Any:
        from .ir import lower, typecheck
        from .passes import FAST, cse

        program = lower(self, dims)
        typecheck(program)
        # the speed passes treat parameters as the same at every step: not so per step
        fast = fast and not any(p.per_step for p in program.params)
        passes = FAST if fast else ((cse,) if optimize else ())
        for p in passes:
            program = p(program)
            typecheck(program)
        return program

    def numpy_source(self, dims: dict[str, int] | None = None, layout: str = "sample-first") -> str:
        """A standalone NumPy module: ``init_params(rng)``, ``forward(params, inputs, state)``."""
        from .backends.source import numpy_module

        return numpy_module(numbered(self.program(dims)), layout, set(self.kinds))

    def torch_source(
        self,
        dims: dict[str, int] | None = None,
        layout: str = "sample-first",
        fast: bool = True,
        steps: bool = True,
    ) -> str:
        """A standalone PyTorch module defining ``class Model(nn.Module)``; ``fast`` applies
        the speed passes (input projections hoisted out of loops, gate products merged);
        ``steps`` runs a recurrence as one ``autograd.Function`` with its backward written
        out (weight gradients after the loop); ``steps=False`` keeps autograd through the
        plain loop."""
        from .backends.source import torch_module

        program = numbered(self.program(dims, fast=fast))
        return torch_module(program, layout, set(self.kinds), steps)

    def to_numpy(self, dims: dict[str, int] | None = None, layout: str = "sample-first") -> Any:
        """The generated NumPy module, loaded in this process (a module object)."""
        from .backends.load import load_module

        return load_module(self.numpy_source(dims, layout), "papermath_generated_numpy")

    def to_torch(
        self,
        dims: dict[str, int] | None = None,
        dtype: Any = None,
        layout: str = "sample-first",
        fast: bool = True,
        steps: bool = True,
    ) -> Any:
        """A ``torch.nn.Module`` computing the equations; parameters under symbol keys.
        ``steps=False``: autograd through the plain loop (the oracle of the tests)."""
        import torch

        from .backends.data import within_budget
        from .backends.load import load_module

        # the program torch_source builds the module from (cached): no second lowering
        within_budget(numbered(self.program(dims, fast=fast)), "a layer of these sizes", T=1, N=1)
        module = load_module(
            self.torch_source(dims, layout, fast, steps), "papermath_generated_torch"
        )
        return module.Model(dtype=dtype or torch.float32)

    def dims_from_values(self, values: dict[str, Any]) -> dict[str, int]:
        """Numbers for sizes read off example values (``[values]`` of a case file).

        >>> s = compile(r"y = W x")
        >>> s.dims_from_values({"W": [[1, 2, 3], [4, 5, 6]]})
        {'d1': 2, 'd2': 3}
        """
        import numpy as np

        known: dict[str, int] = dict(self.dims)
        equations: list[tuple[Size, int]] = []
        for key, value in values.items():
            if key not in self.typed_shapes:
                continue
            got = np.shape(np.asarray(value, dtype=float))
            want = self.typed_shapes[key]
            if len(got) != len(want):
                raise DeclarationError(
                    f"the value of {key} has shape {got}, but {key} is "
                    + (f"({', '.join(self.shapes[key])})" if want else "a scalar"),
                    self.source,
                    self._read.first_span.get(key) if self._read else None,
                )
            equations += list(zip(want, got, strict=True))
        changed = True
        while changed:
            changed = False
            for size, n in equations:
                unknown = [name for name in size.names if name not in known]
                if len(unknown) == 1:
                    coeff = size.coeffs()[unknown[0]]
                    rest = size.evaluate({**known, unknown[0]: 0})
                    assert rest is not None
                    if (n - rest) % coeff == 0:
                        known[unknown[0]] = (n - rest) // coeff
                        changed = True
        for size, n in equations:
            got_n = size.evaluate(known)
            if got_n is not None and got_n != n:
                raise DeclarationError(
                    f"the values disagree on a size: {size.text()} is {got_n} and {n}",
                    self.source,
                )
        return {k: v for k, v in known.items() if k not in self.dims}

    def _repr_html_(self) -> str:
        """Jupyter shows the one-page report."""
        from .report import report_html

        return report_html(self, self.source.name)

    def to_json(self) -> dict[str, object]:
        return {
            "shapes": {k: list(v) for k, v in self.shapes.items()},
            "solved": dict(self.solved),
            "solved_by": {
                k: {
                    "line": self.source.line_col(span.start)[0],
                    "column": self.source.line_col(span.start)[1],
                    "text": " ".join(self.source.snippet(span).split()),
                }
                for k, span in self.solved_by.items()
            },
            "kinds": dict(self.kinds),
        }


def compile(
    source: str | Source, dims: dict[str, int] | None = None, *, strict: bool = False
) -> System:
    """Read a system of equations and declarations; infer every shape.

    Where the equations force two declared sizes equal (``h_t = o_t \\odot \\tanh(C_t)`` with
    o in R^n and C in R^k), the answer is a solved size (``system.solved == {"k": "n"}``) with
    the equation that forces it; ``strict=True`` makes that an error instead.

    Raises a :class:`~papermath.errors.PapermathError` that points at the source.
    """
    src = source if isinstance(source, Source) else Source(source)
    if len(src.text) > MAX_SOURCE_CHARS:
        raise ParseError(
            f"the source has {len(src.text):,} characters; papermath reads up to "
            f"{MAX_SOURCE_CHARS:,} (a paper's equations are far fewer)",
            src,
            Span(MAX_SOURCE_CHARS, MAX_SOURCE_CHARS + 1),
            hint="give the equations of one model at a time",
        )
    try:
        return _compile(src, dims, strict)
    except RecursionError:  # a safety net: the parser's limits keep inputs below it
        raise PapermathError(
            "the input is nested too deeply to read", hint="split it into several equations"
        ) from None


def _compile(src: Source, dims: dict[str, int] | None, strict: bool) -> System:
    try:
        expanded = expand_macros(src.text)
    except PapermathError as exc:
        raise exc.with_source(src) from None
    site_readings = site_macro_readings(src.text, expanded)  # `% macros: spektral`
    if expanded != src.text:  # messages then quote the expanded text, line for line
        src = Source(expanded, src.name)
    # rows that claim a gradient (dL/dz = ...) are a derivation to check, not the model
    from .derivation import split as split_claims

    model, claims = split_claims(src.text)
    if claims:
        src = Source(model, src.name)
    dims = dict(dims or {})
    for name, value in dims.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise DeclarationError(f"dims[{name!r}] must be a positive integer, not {value!r}")
    try:
        statements = parse(src)
        result = read(statements, src, frozenset(dims))
        if not result.equations:
            raise DeclarationError(
                "there is no equation to read (only declarations or nothing)",
                src,
                Span(0, max(1, len(src.text.split("\n")[0]))),
                hint="write at least one equation such as h = W x",
            )
        shapes = infer(src, result, dims, strict=strict)
        rules_attention.check_edge_softmax(result, shapes.term_shapes)  # a score per edge
        rules_expression_claims.check(result, shapes)  # expr \in R^{...}: a check, not a solve
        check_chain_claims(statements, src, dims, result, shapes, strict=strict)
    except PapermathError as exc:
        raise exc.with_source(src) from None
    kinds = _kinds(result, shapes)
    for eq in result.equations:  # I, I_N: listed with its shape, a constant of its own kind
        for x in t.walk(eq.rhs):
            if isinstance(x, t.Identity) and id(x) in shapes.term_shapes:
                key = "I" + (f"_{x.size}" if x.size else "")
                if key not in shapes.shapes and key not in kinds:
                    shapes.shapes[key] = shapes.term_shapes[id(x)]
                    shapes.typed_shapes[key] = shapes.term_typed[id(x)]
                    kinds[key] = "identity"
    steps = [i.letter for i in result.indices.values() if i.kind == "step"]
    extra = [Reading(*r) for r in site_readings]
    stepped = {
        x.key
        for eq in result.equations
        for x in t.walk(eq.rhs)
        if isinstance(x, t.Sym) and x.step is not None
    }
    per_step = tuple(k for k, kind in kinds.items() if kind == "parameter" and k in stepped)
    per_step += tuple(
        f"{key}.{part}"
        for key in result.learned_steps
        if key in shapes.functions
        for part in ("weight", "bias")
    )
    used_sizes = {n for shape in shapes.typed_shapes.values() for a in shape for n in a.names}
    step_count = _step_count(steps[0], used_sizes) if per_step and steps else None
    if step_count is not None and (counted := declared_count(result, steps[0])) is not None:
        step_count = counted  # i \in \{1, \dots, N\}: N of them (read/rules_step_sets.py)
    if steps and step_count is None and not _reads_per_step(result, steps[0]):
        # a recurrence that reads no input per step (GG-NN's propagation): it runs a number
        # of steps, a size of its own (T for t)
        step_count = _step_count(steps[0], used_sizes)
    for key, kind in kinds.items():  # kinds the source or a role decides, not the letter
        span = result.first_span.get(key)
        if span is None:
            continue
        why = None
        if key in result.directives and result.directives[key] == kind:
            why = result.role_notes.get(key) or (
                f"the source says {key} is {kind} (a directive or `% inputs:` line)"
            )
        elif key in result.sampled:
            why = f"{key} is drawn from {result.sampled[key]}"
        elif key in result.role_inputs and kind == "input":
            why = f"{key} is {result.role_inputs[key]}"
        elif kind == "constant":
            why = (
                f"{key} names a number the source gives, not one to learn ({CONSTANTS_WHY}); "
                f"code takes its value as an input (`% papermath: {key} is parameter` to "
                "learn it)"
            )
        if why is not None:
            extra.append(Reading(span, src.snippet(span), f"{kind} by role", why))
    if steps:
        for key in result.learned_steps:
            span = result.first_span[key]
            extra.append(
                Reading(
                    span,
                    src.snippet(span),
                    "function per step",
                    f"{key} carries the index {steps[0]}: one {key} (its own weights) per step "
                    f"{steps[0]}, {step_count} of them",
                )
            )
        for key, kind in kinds.items():
            if key in per_step:
                span = result.first_span[key]
                extra.append(
                    Reading(
                        span,
                        src.snippet(span),
                        "parameter per step",
                        f"{key} carries the index {steps[0]} and names a weight: one {key} per "
                        f"step {steps[0]} (per layer), {step_count} of them; another reading: "
                        f"`% papermath: {key} is input`",
                    )
                )
            elif kind == "parameter" and (
                why := per_layer(key, shapes.typed_shapes.get(key, ()), steps[0])
            ):  # W of size D_{k-1} x D_k: one per layer (shapes/layer_widths.py)
                span = result.first_span[key]
                extra.append(Reading(span, src.snippet(span), f"one {key} per layer", why))
            elif kind == "parameter" and key in result.first_span:
                span = result.first_span[key]
                extra.append(
                    Reading(
                        span,
                        src.snippet(span),
                        "parameter shared across steps",
                        f"{key} carries no index {steps[0]}: read as one {key} shared by every "
                        f"step {steps[0]} (the source could also mean one per step)",
                    )
                )
    return System(
        source=src,
        equations=result.equations,
        shapes=shapes.shapes,
        solved=shapes.solved,
        kinds=kinds,
        readings=result.readings + shapes.readings + extra,
        recurrence=_recurrence(result),
        node_sums=[
            x for eq in result.equations for x in t.walk(eq.rhs) if isinstance(x, t.NodeSum)
        ],
        functions=shapes.functions,
        declared_sizes=tuple(shapes.declared_sizes),
        dims=dims,
        solved_by=dict(shapes.solved_by),
        per_step_params=per_step,
        step_count=step_count,
        sampled=dict(result.sampled),
        claims=claims,
        typed_shapes=shapes.typed_shapes,
        typed_functions=shapes.typed_functions,
        typed_solved=shapes.typed_solved,
        _read=result,
        _shape=shapes,
    )


def _step_count(index: str, used: set[str]) -> str:
    """The size that counts the steps of index ``index``: L for l, K for k, unless a shape
    already uses that name."""
    name = "L" if index in ("l", "ell") else index.upper()
    return name if name not in used and name != index else f"n_{index}"


def _reads_per_step(result: ReadResult, index: str) -> bool:
    """Does some equation read a value given at every step (x_t, not a state)?"""
    defined = {eq.lhs.key for eq in result.equations}
    return any(
        isinstance(x, t.Sym) and x.step == index and x.key not in defined
        for eq in result.equations
        for x in t.walk(eq.rhs)
    )


def _recurrence(result: ReadResult) -> Recurrence | None:
    defined = {eq.lhs.key for eq in result.equations}
    states: list[str] = []
    index = None
    for eq in result.equations:
        for x in t.walk(eq.rhs):
            if isinstance(x, t.Sym) and x.offset < 0 and x.key in defined and x.key not in states:
                states.append(x.key)
                index = x.step
    backward = tuple(result.backward_states)  # h_t from h_{t+1} (read/rules_reverse.py)
    if index is None and backward:
        index = next(x.step for eq in result.equations for x in t.walk(eq.rhs)
                     if isinstance(x, t.Sym) and x.key == backward[0] and x.step)  # fmt: skip
    if index is None:
        return None
    return Recurrence(index, tuple(states), backward)


# CONSTANT_LETTERS (hyperparameters) and MATRIX_WEIGHT_LETTERS (a capsule layer's W_{ij}: a
# weight matrix per pair; b_{ij} routing logits are not) are conventions of papermath/letters.py
CONSTANTS_WHY = "epsilon, eta and lambda name a small constant, a step size or a weight"


def _kinds(result: ReadResult, shapes: ShapeResult) -> dict[str, str]:
    defined = {eq.lhs.key: eq for eq in result.equations}
    used: dict[str, list[t.Sym]] = {}
    loss_operands: set[str] = set()
    in_losses: set[str] = set()  # symbols an equation for a number (a loss) reads
    for eq in result.equations:
        scalar_lhs = shapes.shapes.get(eq.lhs.key) == ()
        if scalar_lhs:
            in_losses.update(x.key for x in t.walk(eq.rhs) if isinstance(x, t.Sym))
        # a comparison's sides (H(delta - |x|) of a definition by cases) are no loss's operands
        compared = {
            id(a) for x in t.walk(eq.rhs) if isinstance(x, t.Apply) and x.fn == "heaviside"
            for a in x.args
        }  # fmt: skip
        for x in t.walk(eq.rhs):
            if isinstance(x, t.Sym):
                used.setdefault(x.key, []).append(x)
            if scalar_lhs and isinstance(x, t.Add) and id(x) not in compared:
                for side in (x.left, x.right):
                    while isinstance(side, t.Neg | t.Elem):  # y_i - \hat{y}_i: entries
                        side = side.body
                    if isinstance(side, t.Sym):
                        loss_operands.add(side.key)
            if isinstance(x, t.Apply) and x.fn == NAMED_LOSS:  # l(o, y): y what o is compared with
                loss_operands.update(a.key for a in x.args if isinstance(a, t.Sym))
    rec = _recurrence(result)
    states = set(rec.states) | set(rec.backward) if rec else set()
    kinds: dict[str, str] = {}
    for key in result.first_span:
        if key in result.learned or key in result.defined_functions:
            kinds[key] = "function"
        elif key in states:
            kinds[key] = "state"
        elif key in defined:
            read = key in used or key in result.initial_values.values()  # H_init: H starts there
            kinds[key] = "intermediate" if read else "output"
        elif key in result.degrees:  # D of D^{-1/2} A D^{-1/2}: computed from A's row sums
            kinds[key] = "intermediate"
        elif key in result.sampled or (key in result.role_inputs and key not in result.labels):
            kinds[key] = "input"
        elif key in result.labels:  # y of f_{y_i}: a class label (read/rules_label_pick.py);
            kinds[key] = "target"  # also an argument of the loss, loss(x, class) (code_labels)
        else:
            occurrences = used.get(key, [])
            indexed = any(o.step or o.node or o.step_label for o in occurrences)
            by_step = [o for o in occurrences if o.step]
            if (
                by_step
                and len(by_step) == len(occurrences)
                and key.split("_")[0] in (PARAMETER_LETTERS)
            ):
                kinds[key] = "parameter"  # W^{(l)}: one per step (System.per_step_params)
            elif (
                key in result.per_pair
                and key.split("_")[0] in MATRIX_WEIGHT_LETTERS
                and all(o.node and o.edge for o in occurrences)
            ):
                kinds[key] = "parameter"  # W_{ij} of W_{ij} u_i: one per pair (rules_pairs)
            elif indexed or key.split("_")[0] in ("x", "X"):
                kinds[key] = "input"
            elif key.endswith("_hat") and key in loss_operands and key[:-4] in loss_operands:
                kinds[key] = "input"  # \hat{y} beside y in a loss: the prediction it scores
            elif key in loss_operands or (f"{key}_hat" in defined and key in in_losses):
                kinds[key] = "target"  # y beside a defined \hat{y} in a loss: what it predicts
            elif key.split("_")[0] in CONSTANT_LETTERS and shapes.shapes.get(key) == ():
                kinds[key] = "constant"  # epsilon, eta, lambda: a number the source gives
            else:
                kinds[key] = "parameter"
    for letter in result.indices:
        kinds.setdefault(letter, "index")
    for label in result.step_labels:
        kinds.setdefault(label, "step_label")
    for name in result.sets:
        kinds.setdefault(name, "set")
    for name in result.param_sets:  # f(x; \theta): the parameters of f (read/rules_param_sets)
        kinds.setdefault(name, "parameter")
    kinds.update({k: v for k, v in result.directives.items() if v in KINDS})
    return kinds


def numbered(program: Any) -> Any:
    """``program``, after checking that the sizes of its parameters and states have
    numbers (generated code allocates them): every missing one is named at once, in order of
    first use, not one per attempt. Sizes only data carries (the samples N of x in
    R^{D x N}) are read off the inputs when the code runs."""
    missing: list[str] = []
    shapes = [p.shape for p in program.params] + [st.shape for st in program.states]
    for shape in shapes:
        for size in shape:
            for whole in size.names:
                for name in Size.factors(whole):  # h·d_v: a number for h and one for d_v
                    if name not in program.sizes and name not in missing:
                        missing.append(name)
    if missing:
        raise PapermathError(
            f"{'the size' if len(missing) == 1 else 'the sizes'} {', '.join(missing)} "
            f"{'has' if len(missing) == 1 else 'have'} no number: give "
            + ", ".join(f"{n}=..." for n in missing)
            + " (papermath code FILE --dims ..., or a case file's [dims])",
        )
    return program
