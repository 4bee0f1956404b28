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
from functools import cached_property, partial

from ..errors import DeclarationError, Note, ShapeError
from ..letters import GREEK_LOWER, LEARNED_GREEK
from ..parse import ast
from ..read import (
    rules_attention_named,
    rules_dot_width,
    rules_key_width,
    rules_matrix,
    rules_norm_axis,
    rules_weight_output,
    rules_whole_aggregate,
)
from ..read import terms as t
from ..read.functions import (
    COL_MEAN,
    COL_VAR,
    FORMS,
    LISTED_BATCH,
    ROW_MEAN,
    ROW_VAR,
    WHOLE_AGGREGATE,
)
from ..read.reader import Reading, ReadResult
from ..read.rules_named_loss import NAMED_LOSS
from ..read.syntax import label_text, split_axes
from ..source import Source, Span
from . import (
    roles,
    rules_bar_concat,
    rules_batch_rows,
    rules_bias,
    rules_computed_row,
    rules_dot_elementwise,
    rules_edge_score,  # e_{vu} = a(W h_u, W h_v), e one number: an affine map to a number
    rules_forms,  # u = one of its forms (read/rules_flag_forms.py): one shape, none solved
    rules_gate_products,
    rules_graph_columns,  # X a, a an adjacency vector; x_v beside X in R^{m x |V|}
    rules_greek_weights,
    rules_juxt_dot,  # b' = b + \hat{u}_{j|i} v_j: a dot product where only a number fits
    rules_learned_value,
    rules_listed_batch,
    rules_matrix_norm,
    rules_products,
    rules_propagation,
    rules_row_dot,
    rules_row_map,
    rules_row_states,
    rules_rows,
    rules_siblings,
    rules_vector_said,  # wx, "w is the weights vector": refused (parse/prose_sizes.py)
    same_shape,
)
from .basis import rule_basis_sum
from .blocks import rule_block, rule_repeat
from .engine import Clash, Engine, Stuck, WouldSolveDeclared
from .layer_widths import (
    annotation_error,
    bind_other_layers,
    check_range_claims,
    framed,
    layer_slot,
    layered_keys,
)
from .rules_book_kinds import refusal as book_kinds  # \Vtheta unshaped: the book's kind
from .rules_greek_terms import greek_constants
from .rules_letter_conflict import refusal as letter_conflict  # \mu beside v, tied: refused
from .rules_table import rule_table, rule_table_row  # v_{w_I} (read/rules_table_rows.py)
from .sizes import Shape, Size, shape_text

# The readings a written product operator allows, in order of preference.
PRODUCT_READINGS: dict[str, tuple[str, ...]] = {
    "odot": ("hadamard",),
    "circ": ("hadamard",),
    "otimes": ("hadamard",),  # only reaches here when a directive says so
    "bullet": ("hadamard",),
    "code*": ("hadamard", "scale_left", "scale_right"),  # NumPy's * (parse/code.py)
    "juxt": ("matmul", "hadamard", "scale_left", "scale_right", "vecmat"),
    "*": ("matmul", "hadamard", "scale_left", "scale_right", "vecmat"),
    "ast": ("matmul", "hadamard", "scale_left", "scale_right", "vecmat"),
    "star": ("matmul", "hadamard", "scale_left", "scale_right", "vecmat"),
    "times": ("matmul", "scale_left", "scale_right", "hadamard", "vecmat"),
    "cdot": ("matmul", "dot", "scale_left", "scale_right", "vecmat"),
    ".": ("matmul", "dot", "scale_left", "scale_right", "vecmat"),
    "oplus": (),
    "entries": ("matmul",),  # \sum_j U_{i,j} x_j, read as U x (read/rules_entries.py)
    "attention": ("matmul",),  # Attention(Q, K, V) the prose names (rules_attention_named)
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
    # the same shapes, functions and solved sizes as typed sizes (the strings above are how
    # they print): what lowering, the IR and the backends use, never re-reading a string
    typed_shapes: dict[str, Shape] = field(default_factory=dict)
    term_typed: dict[int, Shape] = field(default_factory=dict)  # id(term) -> shape
    typed_functions: dict[str, tuple[Size, Size]] = field(default_factory=dict)
    typed_solved: dict[str, Size] = field(default_factory=dict)


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
    # each declared symbol's shape as its declaration writes it (a row bias: R^{1 x h})
    declared_shape: dict[str, Shape] = field(default_factory=dict)
    late_divisions: bool = False  # see rule_div
    # some undecided product has one side shaped: products with neither side shaped wait
    known_side_pending: bool = False
    allow_unknown: bool = False  # this round, products with neither side shaped may decide
    layered: set[str] = field(default_factory=set)  # delta_k: N x D_k (rules_layer_widths)

    # ---- variables ---------------------------------------------------------------------
    def var_of_sym(self, key: str) -> int:
        key = self.read.tied_shapes.get(key, key)  # Z_order1: Z's (read/rules_recursion.py)
        if key in self.read.initial_values.values():  # H_init: the state's first value, H's
            key = next(k for k, v in self.read.initial_values.items() if v == key)  # shape
        if key not in self.sym_var:
            self.sym_var[key] = self.engine.new_var()
        return self.sym_var[key]

    def var(self, term: t.Term) -> int:
        k = id(term)
        if k not in self.term_var:
            self.terms[k] = term
            if isinstance(term, t.Sym):
                self.term_var[k] = self.var_of_sym(layer_slot(term.key, term.offset, self.layered))
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
            shape = framed(d, self.space_shape(d.space))  # z_{k+1} over N x D_{k+1}: D_k
            parsed.append((d, shape))
            for s in shape:
                names.update(s.names)
        for info in self.read.indices.values():  # \sum_{i=1}^{m}: m is written, so declared
            if info.size is not None:
                names.update(Size.parse(info.size).names)
        self.written_sizes = set(names)  # what the source writes (not only --dims)
        names |= set(self.dims)
        self.engine.declared = names
        # a size named in the shapes of two or more declared symbols (n in X and H) is a size
        # of the model, never solved to a number; one named once (D_y in y_out's N x D_y)
        # stands for whatever that one shape's size is, and may be (w . z makes it 1)
        holders: dict[str, set[str]] = {}
        for d, shape in parsed:
            for s in shape:
                for n in s.names:
                    holders.setdefault(n, set()).add(d.key)
        self.engine.shared = {n for n, keys in holders.items() if len(keys) > 1}
        # vectors' sizes before matrices': they name what the reader thinks in (h is in R^n)
        by_rank = sorted(parsed, key=lambda ds: len(ds[1]))
        order = [n for _, shape in by_rank for s in shape for n in s.names]
        order += [n for i in self.read.indices.values() if i.size for n in Size.parse(i.size).names]
        self.engine.declared_order = {n: i for i, n in reversed(list(enumerate(order)))}
        seen: dict[str, tuple[Shape, Span]] = {}
        self.layered = layered_keys(self, parsed)  # delta_{k-1} beside delta_k: a var each
        for d, shape in parsed:
            slot = layer_slot(d.key, getattr(d, "offset", 0), self.layered)
            if slot in seen and seen[slot][0] != shape:
                first_shape, first_span = seen[d.key]
                raise DeclarationError(
                    f"{d.key} is declared twice with different shapes: "
                    f"{shape_text(first_shape)} and {shape_text(shape)}",
                    self.source,
                    d.span,
                    notes=(Note(f"first declared {shape_text(first_shape)} here", first_span),),
                    hint="keep one declaration, or use a different name for the second symbol",
                )
            seen[slot] = (shape, d.span)
            self.declared_by.setdefault(d.key, d.span)
            self.declared_shape.setdefault(d.key, shape)
            self.engine.bind(self.var_of_sym(slot), shape, d.span)
            if len(shape) == 2:
                self.engine.declare_column(self.var_of_sym(slot))
            self.engine.declare_class(self.var_of_sym(slot))
        bind_other_layers(self, parsed)  # delta_k's shape from delta_{k-1}'s, one layer on

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
                if (word := label_text(script)) is not None:
                    return Size.var(f"{name}_{word}")  # d_{\text{model}}: d_model
            case ast.Font(body=body):
                return self.size_expr(body)
            case ast.Text(content=word) if "".join(word.split()).replace("_", "").isalnum():
                return Size.var("".join(word.split()))  # \text{hidden\_size}: a size's word
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
            case ast.BinOp(op="cdot", left=a, right=b):  # k \cdot D_h beside a \times
                return self.size_expr(ast.Juxt(node.span, a, b))
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
            f"cannot read `{self.source.snippet(node.span)}` as a size",
            self.source,
            node.span,
            hint="a size is a name (n, D_x), a number, or a sum of them (n + m, 2n)",
        )

    # ---- the fixpoint ------------------------------------------------------------------
    @cached_property
    def defined(self) -> frozenset[str]:
        """The keys some equation defines (the read equations never change)."""
        return frozenset(eq.lhs.key for eq in self.read.equations)

    def greek_constants(self) -> None:
        """A lowercase Greek letter that nothing declares, no equation defines, nothing
        indexes (no step, node or entry), no \\odot pairs with a vector and that is not a
        usual name of learned weights (LEARNED_GREEK) is a scalar
        (a rate, a weight, a small constant: \\eta, \\lambda, \\epsilon), before any rule
        runs: never a vector that a sum or product gives it (RMSprop's \\eta, a layer
        norm's \\epsilon). A declaration overrides it."""
        indexed = set()
        for eq in self.read.equations:
            for x in [eq.lhs, *t.walk(eq.rhs)]:
                if isinstance(x, t.Sym) and (x.step or x.node):
                    indexed.add(x.key)
                if isinstance(x, t.Elem):  # gamma_i: an entry of the vector gamma
                    indexed |= {y.key for y in t.walk(x.body) if isinstance(y, t.Sym)}
                if isinstance(x, t.Product) and x.written in ("odot", "circ"):
                    # gamma \odot x_hat: the source's own elementwise product of equal shapes
                    indexed |= {y.key for y in (x.left, x.right) if isinstance(y, t.Sym)}
        for key, span in self.read.first_span.items():
            if key.split("_")[0] not in GREEK_LOWER or key in self.declared_by:
                continue
            if key.split("_")[0] in LEARNED_GREEK:
                continue  # a layer norm's gamma and beta: the sums and products say
            if key in self.read.convention_letters:
                continue  # "theta be our parameters": a vector (read/rules_gradient_updates)
            if key in self.defined or key in indexed or key in self.read.learned:
                continue
            if key in self.read.sampled or key in self.read.defined_functions:
                continue  # \sigma(x) = ...: a function the source defines, not a number
            self.engine.bind(self.var_of_sym(key), (), span)
            self.read.readings.append(
                Reading(
                    span,
                    self.source.snippet(span),
                    "a scalar (a Greek letter)",
                    f"nothing declares {key}, no equation defines it and nothing indexes it: "
                    "a lowercase Greek letter is then a number (a rate, a weight, a small "
                    "constant), never a vector a sum or product would make it (declare it to "
                    "override)",
                )
            )

    def run(self) -> None:
        self.declare()
        self.greek_constants()
        same_shape.tie(self)  # "$\gamma$ has the same shape as $x$" (shapes/same_shape.py)
        roles.role_vectors(self)  # Keras' y_true and y_pred: vectors of one size
        rules_dot_width.bind(self)  # \sqrt{d} over a^T b: the vectors have d entries
        rules_key_width.bind(self)  # \sqrt{d_k} over Q K^T: K's rows have d_k entries
        rules_attention_named.bind(self)  # Attention(Q, K, V) the prose names: matrices
        rules_graph_columns.stacked_columns(self)  # X a, a an adjacency vector: X's columns x_j
        rules_graph_columns.square_indicators(self)  # A_{ij} = 1 \iff (i, j) \in E: N x N
        rules_graph_columns.node_columns(self)  # X in R^{m x |V|} beside x_v: x has m
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
                self.known_side_pending = not self.allow_unknown and any(
                    isinstance(term, t.Product)
                    and id(term) not in self.done
                    and (self.rank(term.left) is None) != (self.rank(term.right) is None)
                    for _, term in ordered
                )
                self.allow_unknown = False
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
                if not self.progress and mode == "default" and self.known_side_pending:
                    # the products with a side shaped are stuck: now those with neither may
                    # take their letters' conventions (\beta_1 m_{t-1}: a Greek scalar)
                    self.allow_unknown = self.progress = True
                elif not self.progress and mode == "default" and not self.late_divisions:
                    # the conventions of products first (\gamma E_{t-1}: gamma a scalar), then
                    # the letters of the data (Adam's g_t, a vector), then a denominator that
                    # holds a defined value may default to a scalar
                    self.default_symbol_shape(data_only=True)
                    if not self.progress:
                        self.late_divisions = self.progress = True
                elif not self.progress and mode == "default":
                    self.default_symbol_shape()
                if not self.progress:
                    break
        for eq, term in all_terms:
            if id(term) not in self.done:
                raise self.undecided(eq, term)

    def check_matrix_functions(self) -> None:
        """A power of a matrix is a matrix power (A^2 = A A, A^{-1} the inverse), never an
        elementwise one: the inverse of a square matrix is read (read/rules_matrix.py), any
        other power refused until generated. A function such as exp of a matrix is read
        elementwise, and the reading says so, except the matrix exponential of a zero-order
        hold, X^{-1} (exp(X) - I) (read/rules_matrix.py)."""
        expm = rules_matrix.matrix_exponentials(self.read.equations, self.shape)
        for eq in self.read.equations:
            for x in t.walk(eq.rhs):
                if (norm := rules_matrix_norm.refusal(self, x)) is not None:
                    rules_matrix_norm.shapes_only(self, x, norm)  # \|X'\|: code refused
                    continue
                if (square := rules_bias.square_refusal(self, x)) is not None:
                    raise square  # X W + b made square later: which axis? (rules_bias.py)
                if rules_matrix.is_inverse(x, self.shape) or id(x) in expm:
                    rules_matrix.say(self.read.readings, x, self.snip(x))
                    continue
                if isinstance(x, t.Power) and len(self.shape(x.body) or ()) == 2:
                    if x.exponent == 1:
                        continue
                    if x.exponent == -1:  # not square (rules_matrix.is_inverse said no)
                        raise rules_matrix.no_inverse(x, self.shown(x.body), self.source)
                    what = f"a matrix power ({x.exponent:g})"
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
                        f"`{' '.join(self.source.snippet(origin).split())}`",
                        origin,
                    )
                )
        if isinstance(exc.left, tuple) and isinstance(exc.right, tuple) and len(parts) < 2:
            free = {"(free)": "a vector of free size", "(free, free)": "a matrix of free sizes"}
            left, right = shape_text(exc.left), shape_text(exc.right)  # "scalar against (free)"
            parts = [f"{free.get(left, left)} against {free.get(right, right)}"]
        message = f"{what}: " + "; ".join(parts)
        return ShapeError(message, self.source, span, notes=tuple(notes), hint=hint)

    def origin_notes(self, terms: tuple[t.Term, ...], within: Span) -> tuple[Note, ...]:
        """Where each of ``terms`` got its shape, where that is outside ``within``."""
        return tuple(
            Note(f"{self.snip(x)} got its shape here", o)
            for x in terms
            if (o := self.origin_of(x)) is not None and not (within.start <= o.start < within.end)
        )

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
                self.settle(p, reading, f"{self.snip(side)} is a scalar")
                return True
        if rules_batch_rows.per_feature(self, p, cands):
            return True  # \gamma X, X a batch (B x C) the prose says: per row (rules_batch_rows)
        if rules_juxt_dot.twin(self, p):
            return True  # a_{ij} = \hat{u}_{j|i} v_j beside b' = b + \hat{u}_{j|i} v_j: one dot
        if rules_row_dot.row_times_transposed(self, p):
            return True  # (x W) y^T: a row times a row transposed (shapes/rules_row_dot.py)
        if rules_row_dot.rows_by_convention(self, p):
            return True  # q k^T where the source writes x W: rows (shapes/rules_row_dot.py)
        if rules_dot_elementwise.forced(self, p, early=True):
            return True  # y \in R^n = a \cdot b + ...: elementwise (rules_dot_elementwise.py)
        unknown = self.rank(p.left) is None and self.rank(p.right) is None
        if unknown and len(cands) > 1 and (self.mode != "default" or self.known_side_pending):
            # nothing to decide by yet: first let the products that know a side shape theirs
            # (W_xc * x_t before i_t * tanh(W_xc * x_t + ...)); a convention comes after
            raise Stuck
        self.undetermined = False
        viable = [c for c in cands if self.fits(p, c, strict=True)]
        if (
            viable in (["scale_left"], ["scale_right"], ["hadamard"])
            and self.undetermined
            and None in (self.rank(p.left), self.rank(p.right))
        ):
            # the open side fits as a number only because any other shape would need a new
            # size (2 W \cdot x): that is no reason to make it a number; wait, or ask. So for
            # the elementwise product (A H_{t-1}: H made N x N; shapes/rules_propagation.py)
            if self.mode != "default":
                raise Stuck
            viable = [c for c in cands if self.fits(p, c, strict=False)]
        reason = "the only reading consistent with the shapes"
        least = 0
        if len(cands) == 1:
            reason = f"\\{p.written} always means this product; both sides have one shape"
            if p.written == "otimes":  # only read where the source says Hadamard (a directive)
                reason = (
                    "\\otimes is the Hadamard product here, as the source says; "
                    "both sides have one shape"
                )
            if p.written == "entries":
                reason = "written with entries (\\sum_j U_{i,j} x_j): the matrix product"
            if p.written == "attention":  # read/rules_attention_named.py
                reason = "scaled dot-product attention's products are matrix products"
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
            if len(viable) == 1 and least > 0 and len(cands) > 1:
                # the written operator allows several products and only one fits, by making
                # declared sizes equal: choosing it would solve a size the source never ties
                refusal = self.fixing_refusal(p, viable[0])
                if refusal is not None and self.mode != "default":
                    raise Stuck  # other equations may shape a side first
                if refusal is not None:
                    raise refusal
        if not viable and self.undetermined and self.mode != "default":
            raise Stuck  # some reading may fit once more is known: wait, do not refuse
        if not viable:
            if len(cands) == 1:
                self.take(p, cands[0])  # raises the clash with both shapes
            if rules_dot_elementwise.forced(self, p):  # y \in R^n = a \cdot b: elementwise
                return True
            if rules_gate_products.forced(self, p):  # c_t = f_t \cdot c_{t-1}: a gate's product
                return True
            if rules_juxt_dot.forced(self, p):  # b' = b + \hat{u}_{j|i} v_j: one number
                return True
            if (refused := rules_products.dot_as_elementwise(self, p)) is not None:
                raise refused  # c_t = f_t \cdot c_{t-1} + ...: dot or elementwise?
            raise ShapeError(
                f"no product fits {self.snip(p)}: {self.snip(p.left)} is {self.shown(p.left)} "
                f"and {self.snip(p.right)} is {self.shown(p.right)}",
                self.source,
                p.span,
                notes=self.origin_notes((p.left, p.right), p.span),
                hint="a matrix product needs the inner sizes to meet, a Hadamard product equal "
                "shapes, a scaling one scalar side; a transpose may be missing",
            )
        if len(viable) > 1:
            if self.mode != "default":
                raise Stuck
            if least > 0:
                raise self.solving_tie(p, viable)
            choice = self.convention(p, viable)
            if choice is None:
                raise Stuck
            viable, reason = [choice[0]], choice[1]
        if (refused := rules_learned_value.refusal(self, p, viable[0])) is not None:
            raise refused  # x_j MLP(e): a gate only by the default (rules_learned_value.py)
        if (refused := rules_gate_products.dot_refusal(self, p, viable[0])) is not None:
            raise refused  # h_t = o_t \cdot \tanh(c_t), h open: dot or elementwise?
        if (refused := rules_vector_said.refusal(self, p, viable[0])) is not None:
            raise refused  # wx, "w is the weights vector": dot or elementwise?
        row = rules_rows.open_transposed_vector(self, p.left)  # a^T, open: said once taken
        self.take(p, viable[0])
        rules_rows.note_row(self, row)
        self.decided[id(p)] = viable[0]
        if viable[0] == "matmul" and self.rank(p.left) == 1:
            reason = f"{self.snip(p.left)} is a column and {self.snip(p.right)} one row: {reason}"
            reason += " (an outer product)"
        self.reasons[id(p)] = reason
        return True

    def number_against_declared(self, a: Size, b: Size) -> bool:
        """One size is a number the source writes (the 1 of R^{1 x n}), the other a size with
        a declared name: equating them would solve a declared size to a number."""
        e = self.engine
        x, y = e.resolve_size(a), e.resolve_size(b)
        return any(
            p.is_const and not q.is_const and bool(set(q.names) & e.declared)
            for p, q in ((x, y), (y, x))
        )

    def fixing_refusal(self, p: t.Product, reading: str) -> ShapeError | None:
        """The one reading that fits makes declared sizes equal (\\gamma X with \\gamma in
        R^C and X in R^{B x C}: B = C); the operator does not force that reading, so the
        equality would be a guess: refused, naming both shapes and the sizes it would fix.
        None where every size it fixes becomes a number a declaration writes (w in R^{1 x D_z}
        times z gives one row: D_y = 1 is the declaration's own 1)."""
        e = self.engine
        mark = e.mark()
        before = {n for n in e.size_binding if n in e.declared}
        try:
            self.take(p, reading)
            values = {
                n: e.resolve_size(Size.var(n))
                for n in e.size_binding
                if n in e.declared and n not in before
            }
        finally:
            e.undo_to(mark)
        if all(v.is_const for v in values.values()):
            return None
        shapes = [self.shape(p.left), self.shape(p.right)]
        if None in shapes or sorted(len(x or ()) for x in shapes) != [1, 2]:
            return None
        vector = next(x for x in shapes if x is not None and len(x) == 1)[0]
        matrix = next(x for x in shapes if x is not None and len(x) == 2)
        # the vector already has the size of the matrix's other axis: as a per-feature (or
        # per-row) scaling it would fit with no size fixed, a reading the operator allows too
        contracted = 0 if len(shapes[0] or ()) == 1 else 1
        other = matrix[1 - contracted]
        if e.resolve_size(vector) != e.resolve_size(other):
            return None
        fixed = [f"{n} = {v.text()}" for n, v in values.items()]
        return ShapeError(
            f"{self.snip(p)} fits only as a {READING_NAMES[reading]}, and only if "
            f"{' and '.join(fixed) or 'two declared sizes are equal'}: {self.snip(p.left)} is "
            f"{self.shown(p.left)} and {self.snip(p.right)} is {self.shown(p.right)}, and the "
            "source does not say these sizes are equal",
            self.source,
            p.span,
            notes=self.origin_notes((p.left, p.right), p.span),
            hint="if they are one size, declare both with one letter; a transpose may be "
            "missing; a vector that scales each row of a matrix (a per-feature parameter over "
            "a batch) is not read as a product",
        )

    def solving_tie(self, p: t.Product, viable: list[str]) -> ShapeError:
        """Several readings fit, each only by fixing a declared size, and differently: no
        convention may choose which declared size to solve, so this is refused."""
        names = " or a ".join(READING_NAMES[c] for c in viable)
        return ShapeError(
            f"no product fits {self.snip(p)} as declared: {self.snip(p.left)} is "
            f"{self.shown(p.left)} and {self.snip(p.right)} is {self.shown(p.right)}; it "
            f"could be a {names} only by fixing a declared size, and the source does not say "
            "which",
            self.source,
            p.span,
            notes=self.origin_notes((p.left, p.right), p.span),
            hint="check the declarations of both sides; a transpose may be missing",
        )

    def all_bound(self) -> bool:
        return all(
            self.engine.rank(v) is not None
            for k, v in self.sym_var.items()
            if k not in self.read.learned
        )

    def default_symbol_shape(self, data_only: bool = False) -> None:
        """The first symbol nothing has shaped gets the conventional shape of its letter; so
        does every later one whose equations share no open symbol with those (they cannot
        interact, and taking them in one round keeps inference near-linear). ``data_only``:
        only the symbols no equation defines and no letter convention makes a scalar (the
        data, as Adam's g_t), before a denominator defaults to a scalar (rule_div)."""
        if not self.eqs_of_key:
            for eq in self.read.equations:
                for x in [eq.lhs, *t.walk(eq.rhs)]:
                    if isinstance(x, t.Sym):
                        self.eqs_of_key.setdefault(x.key, []).append(eq)
        touched: set[str] = set()
        self.round_keys.clear()
        order = sorted(self.read.first_span, key=lambda k: k in self.defined)  # data first
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
            if key in self.read.defined_functions:
                continue  # FFN(x) = ...: its shape is its body's, never a letter's default
            if self.read.tied_shapes.get(key) in self.defined:
                continue  # E[\Delta w^2]: the shape of Delta_w, which an equation defines
            if data_only and (key in self.defined or key.split("_")[0] in GREEK_LOWER):
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
            tied = self.read.tied_shapes.get(key, key)  # E_g2: g's letter
            letter = self.read.convention_letters.get(key) or tied.split("_")[0]  # Delta_w: w
            shape: Shape
            if (sibling := rules_siblings.matrix_like(self, key)) is not None:
                shape, why = (e.fresh_size(), e.fresh_size()), sibling  # w_{hh} beside w_{ih}
            elif letter in GREEK_LOWER:
                shape = ()
                why = "a lowercase Greek letter: by convention a scalar"
            elif letter[0].isupper():
                shape = (e.fresh_size(), e.fresh_size())
                why = "a capital letter: by convention a matrix"
            else:
                if (conflict := letter_conflict(self, key, letter)) is not None:
                    raise conflict  # \mu = ... v: shapes/rules_letter_conflict.py
                shape = (e.fresh_size(),)
                why = "a lowercase letter: by convention a vector"
            if (book := book_kinds(self, key, len(shape))) is not None:
                raise book  # \Vtheta: the book says a vector (shapes/rules_book_kinds.py)
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

    def scaled_letter(self, term: t.Term) -> str | None:
        """The letter of a symbol, or of the one non-scalar factor of a scaling (``h`` in
        ``\\frac{1}{c_{ji}} h_j``): what a convention on the letter reads."""
        while isinstance(term, t.Product):
            if self.rank(term.left) == 0:
                term = term.right
            elif self.rank(term.right) == 0:
                term = term.left
            else:
                return None
        if isinstance(term, t.Add):  # (x_i + p_i) W: a sum of vectors (shapes/rules_row_dot.py)
            return rules_row_dot.sum_letter(self, term)
        return base_letter(term)

    def convention(self, p: t.Product, viable: list[str]) -> tuple[str, str] | None:
        if (spread := rules_propagation.propagation(self, p, viable)) is not None:
            return spread  # D^{-1/2} A D^{-1/2} H: a matrix product (rules_propagation.py)
        left, right = base_letter(p.left), base_letter(p.right)
        # A letter's convention speaks for its own side only while that side's shape is open
        # (or a matrix): beside a value already shaped as a vector it says nothing.
        open_left = self.rank(p.left) in (None, 2) and sym_key(p.left) not in self.defined
        open_right = self.rank(p.right) in (None, 2) and sym_key(p.right) not in self.defined
        inverse = next((x for x in (p.left, p.right) if rules_matrix.is_inverse(x, self.shape)),
                       None)  # fmt: skip
        if "matmul" in viable and inverse is not None:
            return "matmul", rules_matrix.INVERSE_PRODUCT.format(inverse=self.snip(inverse))
        said = self.read.linear_maps.get(sym_key(p.left) or "")  # upward (~...Linear)
        if "matmul" in viable and open_left and said:
            return "matmul", f"the source lists it as a Linear layer ({said}): its weights times x"
        said = self.read.matrix_words.get(sym_key(p.left) or "")  # "$w$ is the weight matrix"
        if "matmul" in viable and open_left and said:
            return "matmul", f"the prose calls it a matrix ({said}): a matrix times what follows"
        if (
            "matmul" in viable
            and open_left
            and left is not None
            and rules_greek_weights.matrix_letter(left)
        ):
            return "matmul", (
                f"{left} is a capital letter before a vector or matrix: by "
                "convention a matrix (declare it to override)"
            )
        if (row_first := rules_rows.row_convention(self, p, viable)) is not None:
            return row_first  # a^T \Theta: a row (shapes/rules_rows.py)
        if "scale_left" in viable and left in GREEK_LOWER:
            # \gamma E_{t-1}: a Greek scalar scaling E, before E's capital makes \gamma a row
            return "scale_left", f"\\{left} is a lowercase Greek letter: by convention a scalar"
        row = self.scaled_letter(p.left)
        if (
            "vecmat" in viable
            and row is not None
            and len(row) == 1
            and row.islower()
            and right is not None
            and right[0].isupper()
            and len(right) == 1
        ):
            # DGL's h_j W: a lowercase letter is a vector by convention, and before a matrix
            # it is a row (as z W_f), never a matrix made up to multiply W
            return "vecmat", (
                f"{row} is a lowercase letter (by convention a vector) before the matrix "
                f"{right}: a row vector times a matrix"
            )
        if (
            "matmul" in viable
            and open_right
            and right is not None
            and rules_greek_weights.matrix_letter(right)
        ):
            return "matmul", (
                f"{right} is a capital letter: by convention a matrix (declare it to override)"
            )
        if "scale_right" in viable and right in GREEK_LOWER:
            return "scale_right", f"\\{right} is a lowercase Greek letter: by convention a scalar"
        return None

    def settle(self, p: t.Product, reading: str, reason: str) -> None:
        """Read the product ``p`` so, for ``reason`` (said in the readings): its constraints
        taken, the reading decided."""
        self.take(p, reading)
        self.decided[id(p)] = reading
        self.reasons[id(p)] = reason

    def take(self, p: t.Product, reading: str) -> None:
        """Impose the constraints of one reading of a product."""
        a, b, res = p.left, p.right, p
        what = f"{READING_NAMES[reading]} {self.snip(p)}"
        e = self.engine
        old, e.no_columns = e.no_columns, True
        try:
            self.take_operands(p, reading, what)
        finally:
            e.no_columns = old
        if reading in ("hadamard", "scale_right"):
            self.unify(res, a, p, what, "")
        elif reading == "scale_left":
            self.unify(res, b, p, what, "")
        elif reading == "dot":
            self.bind(res, (), p, what, "")
        elif reading == "vecmat":
            shape = self.shape(b)
            assert shape is not None
            self.bind(res, (shape[1],), p, what, "")
        elif reading == "matmul":
            self.matmul(p)

    def take_operands(self, p: t.Product, reading: str, what: str) -> None:
        """The shapes a reading gives the operands of a product (not its result). A declared
        matrix tried here as a vector is not a column (its columns are not solved to 1)."""
        a, b = p.left, p.right
        e = self.engine
        if reading == "hadamard":
            # 1 x n against k x n: refused, k is never solved to 1
            refuse_one_against_many(self, p, a, b, f"the Hadamard product {self.snip(p)}")
            self.unify(
                a,
                b,
                p,
                f"the Hadamard product {self.snip(p)} needs equal shapes",
                "both sides of an elementwise product must have the same shape; "
                "check the declarations of both sides",
            )
        elif reading == "scale_left":
            self.bind(a, (), p, what, "")
        elif reading == "scale_right":
            self.bind(b, (), p, what, "")
        elif reading == "dot":
            n = e.fresh_size()
            self.bind(a, (n,), p, what, "")
            self.bind(b, (n,), p, what, "")
        elif reading == "vecmat":
            n, k = e.fresh_size(), e.fresh_size()
            self.bind(a, (n,), p, what, "")
            self.bind(b, (n, k), p, what, "")

    def matmul(self, p: t.Product) -> None:
        a, b, e = p.left, p.right, self.engine
        if self.rank(a) is None and not rules_rows.bind_row(self, a, p):
            # a scalar from a vector: the left side is a row (x^T W z: x^T W is 1 x n)
            rows = Size.const(1) if self.rank(p) == 0 and self.rank(b) == 1 else e.fresh_size()
            self.bind(a, (rows, e.fresh_size()), p, "", "")
        sa = self.shape(a)
        assert sa is not None
        sb_known = self.shape(b)
        if len(sa) == 1 and sb_known is not None and len(sb_known) == 2:
            # a column times a row (f_t c_{t-1}^T, x y^T): the outer product, n x k; only a
            # row the source writes (one row, a transpose), never a size solved to 1
            if e.resolve_size(sb_known[0]) != Size.const(1):
                raise Clash(sa, sb_known, "a vector times a matrix with more than one row")
            self.bind(p, (sa[0], sb_known[1]), p, f"the outer product {self.snip(p)}", "")
            return
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
            if self.number_against_declared(sa[1], sb[0]):
                # m against a written 1: the product does not fit; m is never solved to 1
                raise Clash(sa, sb, "a declared size against a number")
            e.unify_size(sa[1], sb[0], p.span)
        except Clash:
            raise ShapeError(
                f"the matrix product {self.snip(p)} needs the inner sizes to meet: "
                f"{self.snip(a)} is {shape_text(sa)} and {self.snip(b)} is {shape_text(sb)}",
                self.source,
                p.span,
                notes=self.origin_notes((a, b), p.span),
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
        if isinstance(term, t.Product) and (
            greek := rules_greek_weights.undeclared_weight(self, term)
        ):
            return greek  # \Theta_t x_j with \Theta declared nowhere (rules_greek_weights.py)
        if isinstance(term, t.Product):
            cands = [c for c in PRODUCT_READINGS[term.written] if self.fits(term, c, strict=False)]
            names = sorted({READING_NAMES[c] for c in cands})
            left = self.snip(term.left)
            hint = (
                f"declare {left}: {left} \\in \\mathbb{{R}} for a scalar, "
                f"{left} \\in \\mathbb{{R}}^{{n}} for an elementwise product, "
                f"{left} \\in \\mathbb{{R}}^{{k \\times n}} for a matrix"
            )
            if self.rank(term.right) is None and isinstance(term.right, t.Sym):
                right = self.snip(term.right)
                hint += (
                    f"; or declare {right}: {right} \\in \\mathbb{{R}} (a number that scales "
                    f"{left}), or {right} \\in \\mathbb{{R}}^{{m}} with the result's size "
                    f"beside it (a vector; {left} a matrix where the two sizes differ)"
                )
            return ShapeError(
                f"cannot decide what {self.snip(term)} is: it could be a " + " or a ".join(names),
                self.source,
                term.span,
                hint=hint,
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

        def typed(s: Size) -> Size:
            return s.renamed(rename)

        def shape_strings(shape: Shape | None) -> tuple[str, ...]:
            return tuple(text(e.resolve_size(s)) for s in (shape or ()))

        def shape_typed(shape: Shape | None) -> Shape:  # after shape_strings names the free
            return tuple(typed(e.resolve_size(s)) for s in (shape or ()))

        keys = list(self.read.first_span)
        shapes, typed_shapes = {}, {}
        for key in keys:
            if key in self.read.learned:
                continue
            shapes[key] = shape_strings(e.shape(self.var_of_sym(key)))
            typed_shapes[key] = shape_typed(e.shape(self.var_of_sym(key)))
        term_shapes = {k: shape_strings(e.shape(v)) for k, v in self.term_var.items()}
        term_typed = {k: shape_typed(e.shape(v)) for k, v in self.term_var.items()}
        solved, typed_solved = {}, {}
        for name in sorted(e.size_binding):
            if name in e.declared and name not in self.dims:
                solved[name] = text(e.resolve_size(Size.var(name)))
                typed_solved[name] = typed(e.resolve_size(Size.var(name)))
        function_sizes = {
            key: (
                e.resolve_size(self.learned_in[key]),
                e.resolve_size((e.shape(v) or (Size.const(1),))[0]),
            )
            for key, v in self.learned_out.items()
            if key not in self.read.weight_valued  # a matrix: no vector map (rules_weight_output)
        }
        functions = {k: (text(a), text(b)) for k, (a, b) in function_sizes.items()}
        typed_functions = {k: (typed(a), typed(b)) for k, (a, b) in function_sizes.items()}
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
            typed_shapes,
            term_typed,
            typed_functions,
            typed_solved,
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
    if a.fn == WHOLE_AGGREGATE:  # AGGREGATE(X): X a node matrix (read/rules_whole_aggregate)
        return rules_whole_aggregate.rule(inf, a)
    if a.fn == FORMS:  # u = one of its forms (read/rules_flag_forms.py)
        return rules_forms.rule(inf, a)
    if a.fn == LISTED_BATCH:  # \{l_1, \dots, l_N\}^\top: N numbers (read/rules_listed_batch)
        return rules_listed_batch.rule(inf, a)
    if a.fn == NAMED_LOSS:  # l(o, y), "the loss function is $l$": one number, args their own
        inf.bind(a, (), a, f"{inf.snip(a)} is a loss (the prose says so), one number,", "")
        return True
    if a.fn in (ROW_MEAN, ROW_VAR, COL_MEAN, COL_VAR):  # per row (column): rules_axis_stats
        shape = inf.shape(a.args[0])
        if shape is None or len(shape) != 2:
            raise Stuck
        kept = shape[:1] if a.fn in (ROW_MEAN, ROW_VAR) else shape[1:]
        inf.bind(a, kept, a, f"the statistic {inf.snip(a)}", "")
        return True
    if a.fn == "power":  # x^\gamma: the exponent a number, the power x's shape
        inf.bind(
            a.args[1], (), a, f"the exponent of {inf.snip(a)}", "a power's exponent is a number"
        )
        inf.unify(a, a.args[0], a, f"the power {inf.snip(a)}", "")
        return True
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
    if f.key in inf.read.weight_valued:  # "MLP outputs a weight": a matrix (rules_weight_output)
        return rules_weight_output.rule(inf, f)
    if rules_row_map.per_row(inf, f):  # h(X), X' in R^{N x H}: h applied to each row
        return True
    if rules_row_states.per_row(inf, f):  # Z^{(0)} = MLP(X), \hat{A} Z: each row of X
        return True
    e = inf.engine
    if f.key not in inf.learned_out:
        inf.learned_out[f.key] = e.new_var()
        written = inf.read.learned_sizes.get(f.key)  # Linear_{d_h}: the output size written
        out = Size.parse(written) if written else e.fresh_size()
        if not written and rules_edge_score.scalar_score(inf, f):  # e_{vu} = a(...): a number
            e.bind(inf.learned_out[f.key], (), f.span)  # an affine map to one number
        else:
            e.bind(inf.learned_out[f.key], (out,), f.span)
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
                "affine map of the concatenation of its arguments; for one applied to each row "
                f"(an MLP over the features), write it for one row ({f.key}(x_v), x_v a row)",
            )
        total = total + (shape[0] if shape else Size.const(1))
    try:
        e.unify_size(inf.learned_in[f.key], total, f.span)
    except Clash:
        raise ShapeError(
            f"{f.key} is called with inputs of different total size", inf.source, f.span
        ) from None
    inf.unify(
        f,
        inf.learned_out[f.key],
        f,
        f"the output of {f.key}",
        f"{f.key} is defined nowhere, so it is read as a learnable function (an affine map), "
        f"whose output is a vector; where it gives a number (a loss) or a matrix, define {f.key} "
        "with an equation beside the others",
    )
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
    # [X \| A X]: matrices side by side (rules_bar_concat); [A; B]: stacked
    return rules_bar_concat.join(inf, c, shapes, 1 if c.features else 0)


def rule_add(inf: Inference, a: t.Add) -> bool:
    ra, rb = inf.rank(a.left), inf.rank(a.right)
    word = "sum" if a.op == "+" else "difference"
    what = f"the {word} {inf.snip(a)} needs equal shapes"
    hint = "both sides of + and - must have the same shape (or one side must be a scalar)"
    if (refused := rules_products.dot_added_to_vector(inf, a)) is not None:
        raise refused  # f_t \cdot c_{t-1} + i_t * g_t: a dot product broadcast, or elementwise?
    # A scalar side broadcasts (1 - z_t): the sum has the other side's shape.
    if ra == 0 and (rb is not None or isinstance(a.left, t.Const) or inf.mode == "default"):
        inf.unify(a, a.right, a, what, hint)
        return True
    if rb == 0 and (ra is not None or isinstance(a.right, t.Const) or inf.mode == "default"):
        inf.unify(a, a.left, a, what, hint)
        return True
    for side, r_side, r_other in ((a.left, ra, rb), (a.right, rb, ra)):
        by_letter = greek_scalar(side) and constant_letter(inf, side)
        if r_side == 0 and r_other is None and (by_letter or greek_constants(inf, side)):
            # E_t + \epsilon, E_t unknown: epsilon is a number by its letter alone, and a
            # number broadcasts; that never makes E_t one (a computed scalar, as in J = L + s,
            # still makes its unknown side agree)
            raise Stuck
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
    bias = row_bias(inf, a) or rules_computed_row.row_term(inf, a)  # b = b^{(1)} W + c
    if bias is not None:
        return add_row_bias(inf, a, bias)
    if rules_bias.vector_bias(inf, a):  # X W + b: b a vector of W's columns (rules_bias.py)
        return True
    for side, other, r in ((a.left, a.right, ra), (a.right, a.left, rb)):
        known = inf.rank(other) is not None
        # E_t + \epsilon with both unknown: epsilon (a constant: defined by no equation,
        # indexed by nothing) is a scalar by convention, never given E's shape by the sum
        # (and 0.5 \delta^2: arithmetic of such letters, shapes/rules_greek_terms.py)
        letters = greek_constants(inf, side)
        said = sym_key(side) in inf.read.convention_letters  # theta "our parameters": a vector
        if (
            r is None
            and ((greek_scalar(side) and not said) or letters)
            and (known or inf.mode == "default")
        ):
            by_letter = greek_scalar(other) or greek_constants(inf, other)
            if not (letters or constant_letter(inf, side)) or (not known and by_letter):
                continue  # theta_{t-1} - ...: a Greek state is no scalar by its letter
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
    refuse_one_against_many(inf, a, a.left, a.right, what)
    inf.unify(a.left, a.right, a, what, hint)
    inf.unify(a, a.left, a, what, hint)
    return True


def refuse_one_against_many(
    inf: Inference, whole: t.Term, left: t.Term, right: t.Term, what: str
) -> None:
    """An elementwise operation on a 1 x h and an n x h, with n a declared size, where the
    1 x h is not a row the source declares next to a sum (that one broadcasts:
    ``add_row_bias``): either the row goes to every row, or n is 1; the source does not say
    which, so it is refused, never n = 1 solved."""
    sa, sb = inf.shape(left), inf.shape(right)
    if sa is None or sb is None or len(sa) != len(sb):
        return
    e = inf.engine
    sides = ((left, sa), (right, sb))
    for axis in range(len(sa)):
        for (x, sx), (y, sy) in (sides, sides[::-1]):
            one, many = e.resolve_size(sx[axis]), e.resolve_size(sy[axis])
            if one != Size.const(1) or many.is_const:
                continue
            if not all(n in e.declared for n in many.names):
                continue
            word = ("rows", "row") if axis == 0 and len(sa) == 2 else ("entries", "entry")
            if axis == 1:
                word = ("columns", "column")
            summed = isinstance(whole, t.Add)
            raise ShapeError(
                f"{what}: {inf.snip(x)} is {shape_text(sx)} and {inf.snip(y)} is "
                f"{shape_text(sy)}: one {word[1]} against {many.text()} {word[0]}, so either it "
                f"goes to each of them (a broadcast) or {many.text()} = 1; the source does "
                "not say which",
                inf.source,
                whole.span,
                notes=inf.origin_notes((left, right), whole.span),
                hint=f"if {many.text()} is 1, write 1 where {many.text()} is declared; "
                + (
                    "a row added to every row is read where the row is a symbol declared "
                    "with its 1 (b \\in \\mathbb{R}^{1 \\times h})"
                    if summed
                    else "papermath adds a declared row to every row (X W + b) but does not "
                    "multiply or divide by one yet"
                ),
            )


def row_bias(inf: Inference, a: t.Add) -> t.Sym | None:
    """The side of a sum that a declaration writes as one row (``b \\in R^{1 x h}``), when
    the other side is, or may yet be, a matrix: that row is added to each of its rows."""
    for side, other in ((a.left, a.right), (a.right, a.left)):
        if not isinstance(side, t.Sym):
            continue
        written = inf.declared_shape.get(side.key)
        if written is None or len(written) != 2 or written[0] != Size.const(1):
            continue
        shape = inf.shape(other)
        if shape is not None and len(shape) == 2:
            return side
        if shape is None and not isinstance(other, t.Sym) and inf.mode != "default":
            raise Stuck  # X W + b: the product decides its own rows, not the bias
        if shape is None and isinstance(other, t.Sym) and other.key in _defined(inf):
            # S + b with S computed by another equation (a sum over orders): that equation
            # decides S's rows, even where only defaults are left (never 1 from the bias)
            raise Stuck
    return None


def _defined(inf: Inference) -> set[str]:
    """The keys an equation of the source defines."""
    return {e.lhs.key for e in inf.read.equations}


def add_row_bias(inf: Inference, a: t.Add, bias: t.Term) -> bool:
    """``X W + b`` with b declared 1 x h: the row b is added to every row of the n x h matrix
    (broadcast, as NumPy and PyTorch add a 1 x h array to an n x h one). The matrix's rows
    are never solved to 1 to make the two fit; while the other side's rows are unknown or
    free, the sum waits (so nothing pins them to the bias's 1)."""
    other = a.right if bias is a.left else a.left
    word = "sum" if a.op == "+" else "difference"
    shape, row = inf.shape(other), inf.shape(bias)
    assert row is not None and shape is not None
    rows = inf.engine.resolve_size(shape[0])
    if rows == Size.const(1):
        inf.unify(a.left, a.right, a, f"the {word} {inf.snip(a)} needs equal shapes", "")
        inf.unify(a, a.left, a, "", "")
        return True
    if any(n not in inf.engine.declared for n in rows.names) and inf.mode != "default":
        raise Stuck  # rows the source leaves free: another equation may still fix them
    try:
        inf.engine.unify_size(row[1], shape[1], a.span)
    except Clash:
        raise inf.clash(
            Clash(row, shape, ""),
            a.span,
            [a.left, a.right],
            f"the {word} {inf.snip(a)} adds a row to each row of a matrix, so their numbers "
            "of columns must be equal",
            f"{inf.snip(bias)} is one row; the other side needs as many columns",
        ) from None
    inf.unify(a, other, a, "", "")
    inf.read.readings.append(
        Reading(
            a.span,
            inf.snip(a),
            "a row added to every row (broadcast)",
            f"{inf.snip(bias)} {rules_computed_row.said(inf, bias)} {shape_text(row)}, one "
            "row, and "
            f"{inf.snip(other)} is {shape_text(inf.shape(other) or ())}: the row is added to "
            f"each of its {inf.engine.resolve_size(shape[0]).text()} rows, as NumPy and PyTorch "
            "broadcast it; the rows are not solved to 1",
        )
    )
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
    if rb is None and ra == 0 and inf.rank(d) not in (None, 0):
        # \frac{1}{1 + \exp(-x)} known to be a vector (a defined function's call): a number
        # over a value has the value's shape, so the denominator has the result's
        inf.unify(d, d.right, d, "", "")
        return True
    if rb is None and inf.mode == "default":
        # \eta / \sqrt{E_t + \epsilon}: E_t's own equation gives its shape once the
        # conventions of its products are taken; only then is the denominator a scalar
        holds = any(isinstance(x, t.Sym) and x.key in inf.defined for x in t.walk(d.right))
        holds = holds or rules_norm_axis.in_denominator(d.right)  # \sqrt{Var[x]}: x's shape
        if holds and not inf.late_divisions:
            raise Stuck
        inf.bind(d.right, (), d, "", "")
        rb = 0
    if ra is None and greek_scalar(d.left) and inf.mode == "default":
        inf.bind(d.left, (), d, "", "")  # \eta / \sqrt{v}: eta a scalar by convention
        ra = 0
    if rb == 0:
        inf.unify(d, d.left, d, "", "")
        return True
    if ra == 0 and rb is not None:
        inf.unify(d, d.right, d, "", "")
        return True
    if ra is None or rb is None:
        raise Stuck
    if rules_batch_rows.over_row_statistic(inf, d):
        return True  # X - E_C[X] over \sqrt{Var_C[X]}: each row by its own (rules_batch_rows)
    refuse_one_against_many(inf, d, d.left, d.right, f"the division {inf.snip(d)}")
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


def rule_padded(inf: Inference, p: t.Padded) -> bool:
    """``x_i \\| \\mathbf{0}`` (read/rules_zero_pad.py): two vectors; the padded one is the
    state's (the equation ties it), the zero block the width left over, free."""
    for term in (p.body, p):
        rank = inf.rank(term)
        if rank is None:
            if inf.mode != "default":
                raise Stuck
            inf.bind(term, (inf.engine.fresh_size(),), p, "", "")
        elif rank != 1:
            raise ShapeError(
                f"{inf.snip(p)} pads a vector with zeros, but {inf.snip(term)} is "
                f"{inf.shown(term)}",
                inf.source,
                p.span,
                hint="pad a vector (one per node) to the state's width",
            )
    return True


def rule_size_value(inf: Inference, v: t.SizeValue) -> bool:
    inf.bind(v, (), v, "", "")
    return True


def rule_sinusoid(inf: Inference, s: t.Sinusoid) -> bool:
    """``PE_{(pos,2i)} = \\sin(pos / 10000^{2i/d})`` (read/rules_sinusoid.py): the position is
    one number, the encoding a vector of the size d of the exponent, a size the source writes
    (so declared: never solved to another)."""
    inf.engine.declared.add(s.size)
    inf.written_sizes.add(s.size)
    inf.bind(s.arg, (), s, "the position a sinusoidal encoding encodes is one number:", "")
    inf.bind(s, (Size.var(s.size),), s, "a sinusoidal encoding of the size of its exponent:", "")
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


def rule_pick(inf: Inference, p: t.Pick) -> bool:
    """``f_{y_i}`` (read/rules_label_pick.py): f a vector, the label y_i one integer, the
    entry picked a scalar."""
    inf.bind(p.label, (), p, "a label that picks an entry is one integer:", "")
    inf.bind(p, (), p, "", "")
    if isinstance(p.label, t.Sym):  # f_{y_i}, c_{y_i}: what one label picks from, one size
        first = inf.__dict__.setdefault("picked_by", {}).setdefault(p.label.key, p.body)
        if first is not p.body:
            inf.unify(p.body, first, p, f"{inf.snip(p)} is picked by the label {p.label.key} "
                      "as another vector is, so they have one size (the classes):", "")  # fmt: skip
    rank = inf.rank(p.body)
    if rank is None:
        if inf.mode == "strict":
            raise Stuck
        inf.bind(p.body, (inf.engine.fresh_size(),), p, "", "")
        return True
    if rank != 1:
        shape = inf.shape(p.body)
        raise ShapeError(
            f"{inf.snip(p)} picks an entry of {sym_key(p.body) or inf.snip(p.body)} at a "
            "label, but it is "
            f"{shape_text(shape or ())}: papermath picks entries of vectors only",
            inf.source,
            p.span,
            hint="a row of a matrix picked by a label is not read yet",
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


def rule_degree_norm(inf: Inference, n: t.DegreeNorm | t.DegreeMatrix) -> bool:
    """``D^{-1/2} A D^{-1/2}`` (read/rules_graph.py), or D alone (read/rules_degree_matrix.py):
    A square, n x n; so are D and the result."""
    a = n.adjacency
    if inf.rank(a) is None:
        if inf.mode == "strict":
            raise Stuck
        size = inf.engine.fresh_size()
        inf.bind(a, (size, size), n, "", "")
    shape = inf.shape(a)
    if shape is None or len(shape) != 2:
        raise ShapeError(
            f"{inf.snip(a)} is {shape_text(shape or ())}: a degree matrix is taken of a square "
            "matrix (a graph's adjacency)",
            inf.source,
            a.span,
        )
    try:
        inf.engine.unify_size(shape[0], shape[1], n.span)
    except Clash:
        raise ShapeError(
            f"{inf.snip(a)} is {shape_text(shape)}: a degree matrix is taken of a square matrix",
            inf.source,
            a.span,
        ) from None
    inf.unify(n, a, n, "", "")
    inf.unify(inf.var_of_sym(n.degree), a, n, "", "")
    return True


def rule_eigenvalue(inf: Inference, e: t.Eigenvalue) -> bool:
    """``\\lambda_{\\max}(L)`` (read/rules_eigenvalue.py): L square, n x n; the value a number."""
    b = e.body
    if inf.rank(b) is None:
        if inf.mode == "strict":
            raise Stuck
        size = inf.engine.fresh_size()
        inf.bind(b, (size, size), e, "", "")
    shape = inf.shape(b)
    refusal = ShapeError(
        f"{inf.snip(b)} is {shape_text(shape or ())}: an eigenvalue is taken of a square matrix",
        inf.source,
        b.span,
    )
    if shape is None or len(shape) != 2:
        raise refusal
    try:
        inf.engine.unify_size(shape[0], shape[1], e.span)
    except Clash:
        raise refusal from None
    inf.bind(e, (), e, "", "")
    return True


def rule_order_power(inf: Inference, p: t.OrderPower) -> bool:
    """``(\\hat A)^{k}`` under a sum over the orders k (read/rules_orders.py): the k-th power
    of a square matrix, n x n; so is the result (``\\beta^{k}``: a number's, a number)."""
    b = p.body
    if p.number:  # \beta^k: a lowercase Greek letter, a number by convention
        inf.bind(b, (), p, "", "")
        inf.unify(p, b, p, "", "")
        return True
    if inf.rank(b) is None:
        if inf.mode == "strict":
            raise Stuck
        size = inf.engine.fresh_size()
        inf.bind(b, (size, size), p, "", "")
    shape = inf.shape(b)
    refusal = ShapeError(
        f"{inf.snip(b)} is {shape_text(shape or ())}: its {p.index}-th power, one per order "
        f"{p.index}, is read for a square matrix only",
        inf.source,
        p.span,
        hint="a sum of the powers of a number (a geometric series) or of entries is not read: "
        "write its closed form, or the number as a lowercase Greek letter (\\beta^{k})",
    )
    if shape is None or len(shape) != 2:
        raise refusal
    try:
        inf.engine.unify_size(shape[0], shape[1], p.span)
    except Clash:
        raise refusal from None
    inf.unify(p, b, p, "", "")
    return True


RULES: dict[type, Callable[[Inference, t.Any], bool]] = {  # type: ignore[name-defined]
    t.DegreeNorm: rule_degree_norm,
    t.DegreeMatrix: rule_degree_norm,  # D = diag(A 1) as a value (read/rules_degree_matrix.py)
    t.HeadConcat: rule_head_concat,
    t.Block: rule_block,  # [q, k, v] = z U: blocks of the right side (shapes/blocks.py)
    t.Repeat: rule_repeat,  # [SA_1(z); \cdots; SA_k(z)]: k equal heads side by side
    t.SizeValue: rule_size_value,
    t.Sinusoid: rule_sinusoid,  # PE_{(pos,2i)} = \\sin(pos / 10000^{2i/d})
    t.Identity: rule_identity,
    t.Padded: rule_padded,
    t.Elem: rule_elem,
    t.Pick: rule_pick,  # f_{y_i} (read/rules_label_pick.py)
    t.TableRow: rule_table_row,  # v_{w_I}: a row of a table (read/rules_table_rows.py)
    t.Table: rule_table,
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
    t.StepPower: rule_like_body,  # \beta_1^t (read/rules_step_number.py)
    t.Norm: rule_norm,
    t.NodeSum: rule_like_body,
    t.NeighbourSum: rule_like_body,
    t.NeighbourMax: rule_like_body,
    t.NeighbourAggregate: rule_like_body,  # read/rules_set_builder.py
    t.NodeAggregate: rule_like_body,  # read/rules_range_aggregation.py
    t.OrderSum: rule_like_body,  # read/rules_orders.py
    t.OrderPower: rule_order_power,
    t.Eigenvalue: rule_eigenvalue,  # read/rules_eigenvalue.py
    t.BatchSum: rule_like_body,
    t.RelationSum: rule_like_body,
    t.BasisSum: rule_basis_sum,  # \sum_b a_{rb} V_b: a member's shape (shapes/basis.py)
}


def constant_letter(inf: Inference, term: t.Term) -> bool:
    """A symbol no equation defines and nothing indexes (epsilon, not theta_t)."""
    if not isinstance(term, t.Sym) or term.step or term.node:
        return False
    return all(eq.lhs.key != term.key for eq in inf.read.equations)


def greek_scalar(term: t.Term) -> bool:
    """A lowercase Greek symbol (mu, alpha): by convention a scalar."""
    return isinstance(term, t.Sym) and term.key.split("_")[0] in GREEK_LOWER


def sym_key(term: t.Term) -> str | None:
    """The key of the symbol a term is (through a transpose), else None."""
    if isinstance(term, t.Transpose):
        term = term.body
    return term.key if isinstance(term, t.Sym) else None


def base_letter(term: t.Term) -> str | None:
    key = sym_key(term)
    return None if key is None else key.split("_")[0]


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
        try:
            inf.run()
        except ShapeError:
            if strict:
                raise
            del read.readings[readings_before:]  # the first attempt's conventions, said again
            inf = Inference(source, read, dict(dims))
            inf.engine.allow_declared_pairs = True
            inf.run()
    except ShapeError as err:  # delta_{k-1} annotated N x D_k, its right side N x D_{k-1}
        raise annotation_error(Inference, source, read, dims, err) or err from None
    inf.check_index_scopes()
    inf.check_matrix_functions()
    check_range_claims(inf)  # [a_{ij}]_{i \in 1..N, j \in 1..D}: the ranges against the shape
    return inf.result()
