"""``papermath explain``: the reading of each equation, inside out, as structured facts.

Facts are data (tested as data); :func:`render` words them. With values (a case file's
``[values]`` or ``--values``), every subexpression is also evaluated and shown, inside out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

import papermath.ops.families  # noqa: F401  (fills the registries of ir.rules)

from .errors import DeclarationError, PapermathError
from .ir.prims import PRIMS
from .ir.rules import words as reduction_words
from .ops import ELEMENTWISE
from .read import rules_matrix, rules_pairs
from .read import terms as t
from .read.functions import KNOWN

if TYPE_CHECKING:
    from .system import System
    from .values import ClaimResult, ValueSet

KIND_MEANING = {
    "input": "input data",
    "target": "target data (what the output is compared with)",
    "state": "state carried from step {step}-1 to step {step}",
    "parameter": "a learnable parameter, shared across steps and nodes",
    "constant": "a number the source gives (a hyperparameter), not learned",
    "identity": "the identity matrix (ones on the diagonal): a constant, never learned",
    "function": "a learnable function",
    "intermediate": "a value computed by an equation and used by another",
    "output": "an output of the system",
    "index": "an index",
    "step_label": "a step label",
    "set": "a set of nodes",
}


@dataclass(frozen=True)
class TermFact:
    """One subexpression, inside out: its text, shape, what it is and why."""

    line: int
    text: str
    shape: tuple[str, ...]
    what: str
    why: str = ""


@dataclass(frozen=True)
class SizeFact:
    key: str
    shape: tuple[str, ...]
    forced_by: str  # the equation or declaration text
    line: int | None
    declared: bool


@dataclass(frozen=True)
class SumFact:
    index: str
    over: str
    body: str  # the text the sum ranges over
    body_shape: tuple[str, ...]
    vectorized: str


@dataclass(frozen=True)
class IndexFact:
    letter: str
    kind: str  # step, node, step_label
    meaning: str


@dataclass(frozen=True)
class KindFact:
    key: str
    kind: str
    meaning: str


@dataclass(frozen=True)
class SolvedFact:
    size: str
    value: str
    forced_by: str
    line: int | None


@dataclass(frozen=True)
class AnswerFact:
    """An answer in words to a question the equations settle: why a size is solved, which
    states share a size, why a concatenation does not make a state grow."""

    topic: str  # "solved", "same size", "concatenation"
    symbols: tuple[str, ...]
    sentence: str
    line: int | None


@dataclass(frozen=True)
class FunctionFact:
    name: str
    learnable: bool
    arity: int
    description: str


@dataclass
class Explanation:
    system: System
    terms: list[TermFact] = field(default_factory=list)
    sizes: list[SizeFact] = field(default_factory=list)
    sums: list[SumFact] = field(default_factory=list)
    indices: list[IndexFact] = field(default_factory=list)
    kinds: list[KindFact] = field(default_factory=list)
    solved: list[SolvedFact] = field(default_factory=list)
    functions: list[FunctionFact] = field(default_factory=list)
    answers: list[AnswerFact] = field(default_factory=list)
    values: list[tuple[int, str, np.ndarray]] = field(default_factory=list)  # line, text, value
    gradients: list[tuple[str, np.ndarray]] = field(default_factory=list)  # key, dL/dkey
    claims: list[ClaimResult] = field(default_factory=list)
    # where the worked example first gives inf or nan from finite operands (line, sentence)
    nonfinite: tuple[int, str] | None = None
    # the text's own inline example, where the worked example comes from it (values.TextExamples)
    example: Any = None
    chosen: list[str] = field(default_factory=list)  # keys the example does not give: filled
    worked_at: dict[str, Any] = field(default_factory=dict)  # the values it was worked at
    # the gradient equations the source itself writes, checked (derivation.ClaimCheck)
    derivation: list[Any] = field(default_factory=list)

    def gradient_keys(self) -> list[tuple[str, np.ndarray]]:
        """The worked gradients by the names a claim may use: ``dL/dW``."""
        loss = self.loss()
        return [(f"d{loss}/d{k}", g) for k, g in self.gradients]

    def loss(self) -> str:
        scalars = [eq.lhs.key for eq in self.system.equations if not self.system.shapes[eq.lhs.key]]
        return scalars[-1] if scalars else "L"


def snip(system: System, term: t.Term) -> str:
    return system.written(term) or snip_span(system, term.span)


def shape_words(shape: tuple[str, ...]) -> str:
    if not shape:
        return "a scalar"
    if len(shape) == 1:
        return f"a vector of size {shape[0]}"
    return "a " + " x ".join(f"({s})" if " " in s else s for s in shape) + " matrix"


def explain(system: System, values: ValueSet | dict[str, Any] | None = None) -> Explanation:
    """The facts of every equation; with values, the worked example (every subexpression,
    per node where a sum runs over nodes), the gradients of a scalar loss from the generated
    NumPy backward, and each claimed result checked."""
    ex = Explanation(system)
    src = system.source
    step = system.recurrence.index if system.recurrence else "t"
    readings = {(r.span.start, r.span.end): r for r in system.readings}
    listed: set[int] = set()  # [q, k, v] = z U: the right side, shared by 3 equations, once
    for eq in system.equations:
        for term in t.walk(eq.rhs):
            if id(term) not in listed:
                listed.add(id(term))
                ex.terms.append(term_fact(system, eq, term, readings))
        lhs = eq.lhs
        ex.terms.append(
            TermFact(eq.line, snip(system, lhs), system.shapes[lhs.key], f"defines {lhs.key}", "")
        )
    shape_result = system._shape
    assert shape_result is not None
    for key, shape in system.shapes.items():
        span = shape_result.forced_by.get(key)
        declared = span is not None and any(
            d.span == span for d in (system._read.declarations if system._read else [])
        )
        ex.sizes.append(
            SizeFact(
                key,
                shape,
                " ".join(src.snippet(span).split()) if span else "",
                src.line_col(span.start)[0] if span else None,
                declared,
            )
        )
    for s in system.node_sums:
        body_shape = system.shape_of(s.body)
        per = " x ".join(body_shape) if body_shape else "1"
        ex.sums.append(
            SumFact(
                s.index,
                s.over,
                snip(system, s.body),
                system.shape_of(s.body),
                (
                    f"stack the values per position as an S x {per} matrix, one row per "
                    "position; "
                    f"the sum over {s.index} is a sum over that axis (a column sum); several "
                    "sequences in one batch use a segment sum per sequence"
                )
                if s.over == "the positions"
                else rules_pairs.vectorized(s.index, per)
                if rules_pairs.is_pair_set(s.over)
                else (
                    f"stack the per-node values of the body as a |{s.over}| x {per} matrix, one "
                    f"row per node; the sum over {s.index} is a sum over that node axis (a column "
                    "sum, not a matrix product), so the result has the size of one node's "
                    f"value ({per}); several graphs in one batch use a segment sum per graph"
                ),
            )
        )
    read = system._read
    assert read is not None
    for letter, info in read.indices.items():
        if info.kind == "step":
            meaning = (
                f"{letter} indexes steps: {letter}-1 is the previous step, whose "
                f"values are carried into step {letter}"
            )
        elif info.kind == "element":
            where = f"1..{info.size}" if info.size else "every entry"
            meaning = (
                f"{letter} runs over the entries {where} of the vectors written with it "
                f"(a_{letter} is entry {letter} of a): read elementwise, a sum over {letter} "
                "is a sum over the feature axis"
            )
        elif info.kind == "batch":
            meaning = (
                f"{letter} picks one example of the mini-batch (1..{info.size}): a sum over "
                f"{letter} reduces the batch axis, {info.size} is the batch size"
            )
        elif info.over == "the positions":
            meaning = (
                f"{letter} ranges over the positions of a sequence (the vectors written with "
                f"{letter}, stacked one row per position, like the nodes of a graph)"
            )
        elif info.of is not None:
            meaning = f"{letter} ranges over the neighbours ${info.over}$ of the node {info.of}"
        elif info.kind == "relation":
            meaning = (
                f"{letter} runs over the {info.size} types of edges: what is written with "
                f"{letter} (W_{letter}) is one per type, and N_{letter}(v) holds the neighbours "
                f"along edges of type {letter}"
            )
        elif info.kind == "basis":  # \sum_{b=1}^{B} a_{rb} V_b (read/rules_basis.py)
            meaning = (
                f"{letter} runs over the {info.size} members of a basis: what is written with "
                f"{letter} alone (V_{letter}) is one per member, with a family letter "
                f"(a_{{r{letter}}}) one per pair"
            )
        elif info.kind == "time":  # x'(t) = A x(t) (read/rules_time.py)
            meaning = (
                f"{letter} is the continuous time: x({letter}) is the signal x at the time "
                f"{letter}, x'({letter}) its derivative (a differential equation)"
            )
        elif info.kind == "order":  # read/rules_orders.py
            meaning = (
                f"{letter} counts the orders (powers) of a sum, {info.size} of them: what is "
                f"written with {letter} as a subscript is one per order"
            )
        elif info.kind == "table":  # read/rules_table_rows.py
            meaning = (
                f"{letter} numbers the {info.size} members of a table (the words of a "
                f"vocabulary): v_{letter} is one vector per value, {letter}_I one particular value"
            )
        elif info.kind == "head":
            meaning = (
                f"{letter} numbers the heads 1..{info.size}: what is written with {letter} "
                f"(W_{letter}^Q) is one per head, computed side by side, then concatenated"
            )
        elif info.over is not None and rules_pairs.is_pair_set(info.over):
            meaning = rules_pairs.index_meaning(letter, info.over)  # c_{ij}: values per pair
        else:
            meaning = f"{letter} is a node of the graph ${info.over or 'V'}$"
        ex.indices.append(IndexFact(letter, info.kind, meaning))
    for label in read.step_labels:
        ex.indices.append(
            IndexFact(
                label,
                "step_label",
                f"$^{{({label})}}$ is one fixed step "
                f"({label}, e.g. the last propagation step), not a power or "
                "a transpose",
            )
        )
    for key, kind in system.kinds.items():
        if key in system.shapes or key in system.functions:
            meaning = KIND_MEANING.get(kind, kind).format(step=step)
            if key in read.defined_functions:
                meaning = f"a function the source defines (line {read.defined_functions[key]})"
            elif kind == "state" and key in read.backward_states:  # h_{t+1} (rules_reverse)
                meaning = f"state carried backwards, from step {step}+1 to step {step}"
            elif key in system.per_step_params:
                meaning = f"a learnable parameter, one per step {step} ({system.step_count})"
            elif key in system.per_head_params:
                count = system.per_head_params[key]
                meaning = f"a learnable parameter, one per head ({count} of them, stacked)"
            elif key in system.per_table_params:  # read/rules_table_rows.py
                count = system.per_table_params[key]
                meaning = f"a learnable parameter, one per member ({count} of them, stacked rows)"
            elif key in system.per_order_params:  # read/rules_orders.py
                count = system.per_order_params[key]
                meaning = f"a learnable parameter, one per order ({count} of them, stacked)"
            elif key in system.per_basis_params:  # read/rules_basis.py
                count = system.per_basis_params[key]
                per = " and edge type" if key in system.per_relation_params else ""
                meaning = (
                    f"a learnable parameter, one per member of a basis{per} ({count} members, "
                    "stacked)"
                )
            elif key in system.per_relation_params:
                count = system.per_relation_params[key]
                meaning = f"a learnable parameter, one per edge type ({count} of them, stacked)"
            elif key in system.sampled:
                meaning = f"a random input, drawn from ${system.sampled[key]}$"
            elif key in read.role_inputs and kind == "input":
                meaning = f"input data: {read.role_inputs[key]}"
            ex.kinds.append(KindFact(key, kind, meaning))
    for size, value in system.solved.items():
        span = shape_result.solved_by.get(size)
        ex.solved.append(
            SolvedFact(
                size,
                value,
                " ".join(src.snippet(span).split()) if span else "",
                src.line_col(span.start)[0] if span else None,
            )
        )
    ex.answers = answers(system)
    if system.claims:  # a derivation the source writes: each claimed gradient checked
        from .check import default_dims
        from .derivation import check as check_claims

        ex.derivation = check_claims(system, default_dims(system, None))
    seen = set()
    expm = rules_matrix.matrix_exponentials(system.equations, system.shape_of)
    for eq in system.equations:
        for term in t.walk(eq.rhs):
            if id(term) in expm and "expm" not in seen:  # exp of a whole matrix
                seen.add("expm")
                ex.functions.append(FunctionFact("expm", False, 1, rules_matrix.EXPM_WORDS))
            elif isinstance(term, t.Apply) and id(term) not in expm and term.fn not in seen:
                seen.add(term.fn)
                desc = KNOWN[term.fn].description
                if term.fn == "sigmoid":
                    desc += (
                        "; as a gate, each value is a deterministic number in (0, 1) that "
                        "scales what passes, not a random decision"
                    )
                ex.functions.append(FunctionFact(term.fn, False, len(term.args), desc))
            elif isinstance(term, t.Learned) and term.key not in system.functions:
                seen.add(term.key)  # "MLP outputs a weight": a matrix (rules_weight_output)
                ex.functions.append(
                    FunctionFact(
                        term.key,
                        True,
                        len(term.args),
                        "a learnable function whose value is a weight matrix, as the source "
                        f"says: {' x '.join(system.shape_of(term))} per call (code not generated)",
                    )
                )
            elif isinstance(term, t.Learned) and term.key not in seen:
                seen.add(term.key)
                n_in, n_out = system.functions[term.key]
                ex.functions.append(
                    FunctionFact(
                        term.key,
                        True,
                        len(term.args),
                        f"a learnable function of {len(term.args)} argument(s), by default an "
                        f"affine map of their concatenation: R^({n_in}) -> R^({n_out}), with "
                        f"parameters {term.key}.weight and {term.key}.bias"
                        + _named_params(system, term.key),
                    )
                )
    from_text = False
    if not values:
        values = _from_text_examples(system, ex)
        from_text = values is not None
    else:  # values given: the text's example is still checked and shown
        from .values import text_examples

        given_example = text_examples(system)
        ex.example = given_example if (given_example or given_example.notes) else None
    if values:
        from .values import ValueSet, compare, validate

        vs = values if isinstance(values, ValueSet) else ValueSet(dict(values))
        try:
            dims = validate(system, vs)
            if vs.numbers:
                ex.values, ex.gradients = work_example(system, vs.numbers, dims)
                ex.nonfinite = first_nonfinite(ex.values)
        except PapermathError as exc:
            if not from_text:
                raise
            ex.values, ex.gradients, ex.chosen = [], [], []
            ex.example.notes.append(
                f"no worked example from it: {exc.message} (give the values with --values)"
            )
        computed = [(text, value) for _, text, value in ex.values]
        ex.claims = compare(vs, computed + [(k, g) for k, g in ex.gradient_keys()])
    return ex


def _from_text_examples(system: System, ex: Explanation) -> dict[str, Any] | None:
    """Worked values from the text's own inline example (``$x_t=[1, 2, 3]$``): the numbers
    it gives, its sizes (``$m=3$``), and small integers (seed 0, said in ``ex.chosen``) for
    what it leaves out; None where the text gives no numbers for any symbol."""
    from .check import default_dims
    from .values import text_examples

    te = text_examples(system)
    ex.example = te if (te or te.notes) else None
    if not te:
        return None
    dims = default_dims(system, te.dims(system))
    try:
        program = system.program(dims, optimize=False)
    except PapermathError:
        return None
    numbers: dict[str, Any] = {k: v.tolist() for k, v in te.values.items()}
    rng = np.random.default_rng(0)
    per_node = any(getattr(v, "per", None) == "node" for v in program.inputs)
    if per_node:
        return None  # values per node need a node count the example does not give
    given = [st for st in program.states if st.init is None]  # H^{0} = X: not given
    for value in [*program.params, *program.inputs, *given]:
        if value.key in numbers:
            continue
        shape = tuple(s.evaluate(dims) for s in value.shape)
        if None in shape:
            return None
        numbers[value.key] = rng.integers(-2, 3, size=shape).astype(float).tolist()
        ex.chosen.append(value.key)
    ex.worked_at = numbers
    return numbers


def _named_params(system: System, key: str) -> str:
    """`` (named theta by the source: f(x; theta))`` where a call names f's parameters after a
    semicolon (read/rules_param_sets.py), else nothing."""
    read = system._read
    names = [p for p, f in (read.param_sets if read else {}).items() if f == key]
    return f" (the source names them {names[0]}: {key}(...; {names[0]}))" if names else ""


def term_fact(
    system: System, eq: t.Equation, term: t.Term, readings: dict[tuple[int, int], Any]
) -> TermFact:
    shape = system.shape_of(term)
    text = snip(system, term)
    line = eq.line
    match term:
        case t.Sym(key=key, offset=offset, step=step):
            when = f" at step {step}{offset:+d}" if offset else ""
            return TermFact(line, text, shape, f"{key}{when}: {system.kinds.get(key, '')}")
        case t.Const():
            return TermFact(line, text, shape, "a number")
        case t.Product(left=a, right=b):
            reading = system.product_reading(term)
            sa, sb = shape_words(system.shape_of(a)), shape_words(system.shape_of(b))
            name = {
                "matmul": "matrix product",
                "hadamard": "Hadamard (elementwise) product",
                "scale_left": "scaling",
                "scale_right": "scaling",
                "dot": "dot product",
                "vecmat": "row vector times matrix",
            }[reading]
            why = f"${snip(system, a)}$ is {sa} and ${snip(system, b)}$ is {sb}"
            return TermFact(line, text, shape, name, why)
        case t.Concat(items=items):
            parts = ", ".join(
                f"${snip(system, i)}$ ({shape_words(system.shape_of(i))})" for i in items
            )
            return TermFact(
                line, text, shape, "concatenation", f"stacks {parts} in the order written"
            )
        case t.Block(body=body, index=i, count=k):  # [q, k, v] = z U (read/rules_blocks.py)
            return TermFact(
                line,
                text,
                shape,
                f"block {i + 1} of {k}",
                f"the {ordinal(i + 1)} of {k} equal blocks of ${snip(system, body)}$, along its "
                "last (feature) axis",
            )
        case t.Repeat(body=body, count=count):  # [SA_1(z); \cdots; SA_k(z)] (rules_blocks)
            return TermFact(
                line,
                text,
                shape,
                f"{count} heads side by side",
                f"{count} copies of ${snip(system, body)}$ along the last (feature) axis: as "
                "written, every head is the same function of the same argument",
            )
        case t.Add(left=t.NeighbourSum(index=u, of=v) as hood) if hood.span == term.span:
            # read/rules_sets.py: \sum_{u \in N(v) \cup \{v\}} is the neighbours' sum + v's own
            return TermFact(
                line,
                text,
                shape,
                f"sum over the neighbours {u} of each node {v} and {v} itself",
                f"the sum along the edges into {v}, plus the body at {u} = {v} (a self-loop)",
            )
        case t.Add(op=op, left=left, right=right):
            how = "elementwise; both sides have one shape (or one is a scalar)"
            sl, sr = system.shape_of(left), system.shape_of(right)
            if sl and sr and sl != sr:  # a row b (1 x h) or a vector added to each row
                how = (
                    f"elementwise, broadcast: ${snip(system, left)}$ is {shape_words(sl)} and "
                    f"${snip(system, right)}$ is {shape_words(sr)}; the smaller is added to "
                    "each row (or column) of the larger, as NumPy and PyTorch do"
                )
            return TermFact(line, text, shape, "sum" if op == "+" else "difference", how)
        case t.Apply() if id(term) in rules_matrix.matrix_exponentials(
            system.equations, system.shape_of
        ):
            return TermFact(line, text, shape, "matrix exponential", rules_matrix.EXPM_WORDS)
        case t.Apply(fn=fn):
            return TermFact(line, text, shape, KNOWN[fn].name, KNOWN[fn].description)
        case t.Learned(key=key, args=args):
            return TermFact(
                line,
                text,
                shape,
                f"learnable function {key}",
                "a weight matrix per call, as the source says (read/rules_weight_output.py)"
                if system._read is not None and key in system._read.weight_valued
                else "one affine map applied to each row of its argument, shared by the rows"
                if len(args) == 1 and len(system.shape_of(args[0])) == 2
                else "an affine map of the concatenation of its arguments to one number "
                "(w^T [args] + b): the source says what it gives is one number and leaves the "
                "function undefined, so the default affine map stands in"
                if not shape
                else "an affine map of the concatenation of its arguments",
            )
        case t.NodeSum(index=v, over=over, body=body):
            words = (
                rules_pairs.sum_words(v, over)
                if rules_pairs.is_pair_set(over)
                else f"sum over the nodes {v} of {over}"
            )
            return TermFact(line, text, shape, words, f"of ${snip(system, body)}$")
        case t.Elem(index=i, body=body):
            return TermFact(
                line, text, shape, f"entries {i} of ${snip(system, body)}$", "read elementwise"
            )
        case t.OrderSum(index=k, start=start, count=count, body=body):  # read/rules_orders.py
            return TermFact(
                line,
                text,
                shape,
                f"sum over the orders {k} = {start}, {start + 1}, ... ({count} of them)",
                f"of ${snip(system, body)}$, unrolled: one term per order",
            )
        case t.OrderPower(index=k, number=True, shift=shift):  # \beta^k (read/rules_orders.py)
            up = f"{k}{shift:+d}" if shift else k  # \xi^{k-1}: the order shifted
            return TermFact(
                line,
                text,
                shape,
                f"power {up} of a number",
                f"the number to the power {up} (1 at 0)",
            )
        case t.OrderPower(index=k, chebyshev=True):  # T_k(X) (read/rules_orders.py)
            return TermFact(
                line,
                text,
                shape,
                f"Chebyshev polynomial of degree {k}",
                "of the matrix: T_0 = I, T_1 = X, T_k = 2 X T_{k-1} - T_{k-2}",
            )
        case t.OrderPower(index=k):  # read/rules_orders.py
            return TermFact(
                line,
                text,
                shape,
                f"matrix power {k}",
                f"the matrix multiplied by itself {k} times (the identity at order 0)",
            )
        case t.IndexSum(index=i, size=size, body=body, op=op):
            where = f"{i} = 1..{size}" if size else f"every entry {i}"
            word = reduction_words[PRIMS[op]]  # the reduction's noun (ir.rules.words)
            return TermFact(
                line, text, shape, f"{word} over {where}", f"of ${snip(system, body)}$: a scalar"
            )
        case t.NeighbourSum(of=v, body=t.Const(), relation=r):
            typed = f" along the edges of type {r}" if r else ""
            return TermFact(
                line, text, shape, f"the number of neighbours of each node {v}{typed}", "its degree"
            )
        case t.NeighbourAggregate(index=u, of=v, body=body, written=name):  # rules_set_builder
            return TermFact(
                line,
                text,
                shape,
                f"${name}$: an aggregation the source does not name, over the neighbours {u} of "
                f"each node {v}",
                f"of ${snip(system, body)}$, along the edges into {v} (the shape of one member)",
            )
        case t.NodeAggregate(index=v, over=over, body=body, written=name):  # a readout
            return TermFact(
                line,
                text,
                shape,
                f"${name}$: an aggregation the source does not name, over every node {v} of {over}",
                f"of ${snip(system, body)}$ (the shape of one member)",
            )
        case t.NeighbourMax(index=u, of=v, body=body):  # read/rules_neighbour_max.py
            return TermFact(
                line,
                text,
                shape,
                f"largest value over the neighbours {u} of each node {v}, entry by entry",
                f"of ${snip(system, body)}$, along the edges into {v} (0 where none enters)",
            )
        case t.NeighbourSum(index=u, of=v, body=body, relation=r, direction=d):
            along = "from" if d == "out" else "into"
            typed = f" of type {r}" if r else ""
            return TermFact(
                line,
                text,
                shape,
                f"sum over the neighbours {u} of each node {v}",
                f"of ${snip(system, body)}$, along the edges {along} {v}{typed}",
            )
        case t.BasisSum(index=b, size=size, body=body):  # read/rules_basis.py
            return TermFact(
                line,
                text,
                shape,
                f"sum over the {size} members {b} of a basis",
                f"of ${snip(system, body)}$; what carries {b} is one per member (with a family "
                "letter: one per pair), unrolled",
            )
        case t.RelationSum(index=r, size=size, body=body):
            return TermFact(
                line,
                text,
                shape,
                f"sum over the {size} edge types {r}",
                f"of ${snip(system, body)}$; what carries {r} is one per type",
            )
        case t.BatchSum(index=i, size=size, body=body):
            return TermFact(
                line,
                text,
                shape,
                f"sum over the examples {i} = 1..{size} of the batch",
                f"of ${snip(system, body)}$: one value for the whole batch",
            )
        case t.FnCall(key=key, line=defined):
            where = (
                f"the function defined on line {defined}"
                if defined  # 0: a standard function the prose names (rules_attention_named)
                else "the standard function the prose names (scaled dot-product attention)"
            )
            return TermFact(line, text, shape, f"call of {key}", where)
        case t.SizeValue(name=name):
            return TermFact(line, text, shape, f"the size {name}", "a number")
        case t.Identity():
            return TermFact(line, text, shape, "the identity matrix", "a constant")
        case t.Padded(body=body):  # x_i \| 0 (read/rules_zero_pad.py)
            return TermFact(
                line,
                text,
                shape,
                "padded with zeros",
                f"${snip(system, body)}$ ({shape_words(system.shape_of(body))}) followed by "
                "zeros up to the state's width",
            )
        case t.Sinusoid(size=d, base=base):  # read/rules_sinusoid.py
            return TermFact(
                line,
                text,
                shape,
                "sinusoidal encoding of a position",
                f"entry 2i is sin(pos / {base:g}^(2i/{d})), "
                f"entry 2i+1 cos(pos / {base:g}^(2i/{d}))",
            )
        case t.Eigenvalue(body=b, which=which):  # read/rules_eigenvalue.py
            return TermFact(
                line,
                text,
                shape,
                f"the {'largest' if which == 'max' else 'smallest'} eigenvalue",
                f"of the square matrix ${snip(system, b)}$: one number",
            )
        case t.DegreeMatrix(degree=d, adjacency=a):  # read/rules_degree_matrix.py
            return TermFact(
                line,
                text,
                shape,
                "degree matrix",
                f"{d} is the diagonal degree matrix of ${snip(system, a)}$: d_i the sum of its "
                "row i on the diagonal, 0 elsewhere",
            )
        case t.DegreeNorm(degree=d, adjacency=a):
            return TermFact(
                line,
                text,
                shape,
                "degree normalisation",
                f"{d} is the diagonal degree matrix of ${snip(system, a)}$ (d_i the sum of its "
                "row i): entry (i, j) divided by sqrt(d_i d_j)",
            )
        case t.Transpose():
            return TermFact(line, text, shape, "transpose")
        case t.Norm(ord=order):
            name = {"2": "L2 norm", "F": "Frobenius norm"}.get(order, f"L{order} norm")
            return TermFact(line, text, shape, name, "a scalar")
        case t.Power() if rules_matrix.is_inverse(term, system.shape_of):
            return TermFact(line, text, shape, "matrix inverse", rules_matrix.INVERSE_WORDS)
        case t.Power(exponent=e):
            return TermFact(line, text, shape, f"power {e:g}")
        case t.StepPower(index=i):  # \beta_1^t (read/rules_step_number.py)
            return TermFact(line, text, shape, f"power {i}", f"{i} the number of the step")
        case t.Div():
            return TermFact(line, text, shape, "division")
        case t.Neg():
            return TermFact(line, text, shape, "negation")
    return TermFact(line, text, shape, type(term).__name__.lower())


# ---- worked examples ----------------------------------------------------------------------
# Plumbing of the generated code that is not a subexpression of the source.
UNSHOWN = frozenset({"const", "take", "to_edges", "to_nodes", "affine"})


def work_example(
    system: System, values: dict[str, Any], sizes: dict[str, int]
) -> tuple[list[tuple[int, str, np.ndarray]], list[tuple[str, np.ndarray]]]:
    """The worked example, computed by the generated NumPy module run once (one example, one
    step): every subexpression of every equation, read from the forward's cache and shown
    under the source text it computes (values per node node by node); and, where a scalar
    loss is computed, dL/d(each parameter, input and state) from the generated backward on
    that same cache, shaped as the values were given. ``sizes``: those the values show
    (``values.validate``)."""
    from .backends.data import array_shape, within_budget
    from .backends.load import load_module
    from .backends.source import numpy_module_emitted
    from .values import node_keys

    program = system.program({**system.dims, **sizes}, optimize=False)
    needed = [p.key for p in program.params] + [i.key for i in program.inputs]
    needed += [s.key for s in program.states if s.init is None]  # H^{0} = X: not given
    missing = sorted(k for k in needed if k not in values)
    if missing:
        raise DeclarationError(
            "the worked example needs values for " + ", ".join(missing),
            system.source,
            system.equations[0].span,
        )
    per_node = node_keys(system)
    nodes = next((len(np.asarray(values[k])) for k in per_node if k in values), 1)
    within_budget(program, "the worked example", T=1, N=nodes)
    source, e = numpy_module_emitted(program, "sample-first", set(system.kinds))
    module = load_module(source, "papermath_worked_example")
    params = {p.key: np.asarray(values[p.key], dtype=float) for p in program.params}
    inputs: dict[str, Any] = {}
    for inp in program.inputs:
        rows = nodes if inp.per == "node" else 1
        shape = array_shape(program, inp.shape, inp.value.batched, inp.per, "sample-first", 1, rows)
        given = np.asarray(values[inp.key], dtype=float)
        if given.size != int(np.prod(shape)):
            raise PapermathError(
                f"the value of {inp.key} has {given.size} numbers; one example needs "
                f"{int(np.prod(shape))}"
            )
        inputs[inp.key] = given.reshape(shape)
    state = {
        st.key: np.asarray(values[st.key], dtype=float).reshape(
            array_shape(program, st.shape, True, None, "sample-first", 1, 1)
        )
        for st in program.states
        if st.init is None  # H^{0} = X: computed from the inputs
    }
    try:
        with np.errstate(all="ignore"):  # inf and nan are shown, and where they start said
            outputs, cache = module.forward(params, inputs, state)
    except (ValueError, IndexError) as exc:
        raise PapermathError(f"the worked example's values do not fit: {exc}") from None
    kept = {**cache.get("static", {}), **cache["steps"][0]}
    worked: list[tuple[int, str, np.ndarray]] = []
    shown = [
        op for op in program.ops() if op.prim.name not in UNSHOWN and e.expr.get(op.out) in kept
    ]
    # the steps inside one term of the source (a learnable function's concatenation, product
    # and bias) are labelled by the step each shows; the term's own text is its last step
    last = {(op.equation, op.span.start, op.span.end): op for op in shown}
    learned = {
        (x.span.start, x.span.end): x
        for eq in system.equations
        for x in t.walk(eq.rhs)
        if isinstance(x, t.Learned)
    }
    for op in shown:
        name = e.expr.get(op.out)
        eq = system.equations[op.equation]
        text = eq.lhs.key if op.out.name == eq.lhs.key else snip_span(system, op.span)
        if last[(op.equation, op.span.start, op.span.end)] is not op:
            text = inner_step(system, learned.get((op.span.start, op.span.end)), op, text)
        value = np.asarray(kept[name])
        if op.out.batched and program.per_node and op.out not in e.graph_level:
            letter = node_letter(system, op)
            for k in range(len(value)):
                worked.append((eq.line, f"{text}  [{letter} = node {k + 1}]", value[k]))
            continue
        worked.append((eq.line, text, value[0] if op.out.batched else value))
    losses = [eq.lhs.key for eq in system.equations if system.shapes.get(eq.lhs.key) == ()]
    if not losses:
        return worked, []
    loss = losses[-1]
    with np.errstate(all="ignore"):
        grads = module.backward(params, cache, {loss: np.ones_like(outputs[loss])})
    gradients = [
        (key, np.asarray(grads[key]).reshape(np.shape(values[key])))
        for key in needed
        if key in grads
    ]
    return worked, gradients


def inner_step(system: System, term: t.Learned | None, op: Any, text: str) -> str:
    """The label of a step inside one term: ``[h_v, x_v]``, ``i.weight [h_v, x_v]``, ``i.weight
    [h_v, x_v] + i.bias`` for a learnable function ``i(h_v, x_v)``; else the term and the
    step's operation."""
    if term is None:
        return f"{text}  ({op.prim.name})"
    args = ", ".join(snip(system, a) for a in term.args)
    stacked = f"[{args}]" if len(term.args) > 1 else args
    match op.prim.name:
        case "concat":
            return stacked
        case "matmul":
            return f"{term.key}.weight {stacked}"
        case "add":
            return f"{term.key}.weight {stacked} + {term.key}.bias"
    return f"{text}  ({op.prim.name})"


def first_nonfinite(worked: list[tuple[int, str, np.ndarray]]) -> tuple[int, str] | None:
    """The first step of a worked example (inside out, so its operands come before it) whose
    value holds inf or nan: (line, what to say), or None when every value is finite."""
    for line, text, value in worked:
        array = np.asarray(value, dtype=float)
        if not np.isfinite(array).all():
            what = "nan" if np.isnan(array).any() else "inf"
            return line, (
                f"{text} is the first value to be {what} (line {line}): a division by zero, "
                "an overflow or a log of a non-positive number at these values; what uses it "
                f"is {what} too"
            )
    return None


def snip_span(system: System, span: Any) -> str:
    return " ".join(system.source.snippet(span).split())


def node_letter(system: System, op: Any) -> str:
    eq = system.equations[op.equation]
    letters = [x.node for x in t.walk(eq.rhs) if isinstance(x, t.Sym) and x.node]
    return eq.lhs.node or (letters[0] if letters else "v")


# ---- answers in words ----------------------------------------------------------------------
def answers(system: System) -> list[AnswerFact]:
    """Answers the equations settle, with the equations that settle them."""
    return (
        solved_answers(system)
        + same_size_answers(system)
        + concat_answers(system)
        + state_size_answers(system)
        + free_size_answers(system)
    )


def free_size_answers(system: System) -> list[AnswerFact]:
    """A size nothing gives (printed d1, d2): say which symbols carry it, that papermath
    names it and does not guess it, and how to give it."""
    text = system.source.text
    written = set(re.findall(r"[A-Za-z]\w*", text))
    names = {n for shape in system.typed_shapes.values() for s in shape for n in s.names}
    out = []
    for name in sorted(n for n in names if re.fullmatch(r"d\d+", n)):
        if name in system.dims or name in written:
            continue
        vectors = [
            k for k, sh in system.typed_shapes.items() if len(sh) == 1 and sh[0].text() == name
        ]
        matrices = [
            k
            for k, sh in system.typed_shapes.items()
            if len(sh) > 1 and any(name in s.names for s in sh)
        ]
        if not vectors and not matrices:
            continue
        carriers = ", ".join(f"${key_tex(k)}$" for k in vectors)
        if matrices:
            sides = ", ".join(f"${key_tex(k)}$" for k in matrices)
            carriers += f" (and a side of {sides})" if carriers else f"a side of {sides}"
        declared = sorted(
            n for n in names if not re.fullmatch(r"d\d+", n) and n not in system.solved
        )
        if not declared:
            continue  # every size free: nothing the source declares to tie it to
        others = f" to a declared size ({', '.join(f'${n}$' for n in declared)})"
        example = ""
        if vectors:
            step = system.recurrence.index if system.recurrence else "t"
            sub = f"_{step}" if system.kinds.get(vectors[0]) == "state" else ""
            sized = [
                (k, sh[0].text())
                for k, sh in system.typed_shapes.items()
                if len(sh) == 1 and sh[0].text() in declared
            ]
            if sized:
                like, target = sized[-1]
                example = (
                    f" (${key_tex(vectors[0])}{sub} \\in \\mathbb{{R}}^{{{target}}}$ if "
                    f"${key_tex(vectors[0])}$ has as many entries as ${key_tex(like)}$)"
                )
        sentence = (
            f"{name}, the size of {carriers}, is free: no declaration gives "
            f"it and no equation ties it{others}, so papermath names it {name} "
            f"and does not guess it; declare one of them{example} to give it"
        )
        out.append(AnswerFact("free size", (name,), sentence, None))
    return out


def state_size_answers(system: System) -> list[AnswerFact]:
    """A state keeps its size from step to step: h_{t-1} and h_t are one value, carried."""
    out = []
    step = system.recurrence.index if system.recurrence else "t"
    for key, kind in system.kinds.items():
        if kind != "state" or not system.shapes.get(key):
            continue
        eq = next((e for e in system.equations if e.lhs.key == key), None)
        if eq is None:
            continue
        size = shape_words(system.shapes[key])
        from .report.symbols import symbol

        k = key_tex(key)
        back = system.recurrence is not None and key in system.recurrence.backward
        other = symbol(key, step, 1 if back else -1)  # h_{t+1}: carried backwards (rules_reverse)
        now = symbol(key, step, 0)
        sentence = (
            f"${k}$ keeps one size ({size}) at every step: ${other}$ and ${now}$ "
            f"are the same value one step apart, and line {eq.line}, ${snip_eq(system, eq)}$, "
            f"computes ${now}$ with that size; whatever ${other}$ is stacked with "
            "inside a product does not change it"
        )
        out.append(AnswerFact("state size", (key,), sentence, eq.line))
    return out


def declared_text(system: System, key: str) -> tuple[str, int] | None:
    read = system._read
    for d in read.declarations if read else []:
        if d.key == key:
            line = system.source.line_col(d.span.start)[0]
            return " ".join(system.source.snippet(d.span).split()), line
    return None


def solved_answers(system: System) -> list[AnswerFact]:
    out = []
    shape_result = system._shape
    assert shape_result is not None
    for size, value in system.solved.items():
        span = shape_result.solved_by.get(size)
        term = next(
            (
                x
                for eq in system.equations
                for x in t.walk(eq.rhs)
                if span is not None and x.span == span
            ),
            None,
        )
        eq = next(
            (e for e in system.equations if span and e.span.start <= span.start < e.span.end),
            None,
        )
        if term is None or eq is None:
            continue
        why = "makes them equal"
        operands: tuple[t.Term, ...] = t.children(term)
        if isinstance(term, t.Product):
            reading = system.product_reading(term)
            why = {
                "hadamard": "multiplies them elementwise (a Hadamard product), which needs "
                "one shape",
                "matmul": "is a matrix product, whose inner sizes must meet",
            }.get(reading, "needs their sizes to meet")
        elif isinstance(term, t.Add):
            why = "adds them, which needs one shape"
        parts = []
        for op in operands:
            decls = []
            for sym in t.walk(op):
                if isinstance(sym, t.Sym) and (found := declared_text(system, sym.key)):
                    said = found[0] if "$" in found[0] else f"${found[0]}$"  # words: as said
                    decls.append(f"{said} on line {found[1]}")
            text = snip(system, op)
            parts.append(f"${text}$ ({'; '.join(dict.fromkeys(decls))})" if decls else f"${text}$")
        sentence = (
            f"${size} = {value}$ because line {eq.line}, ${snip_eq(system, eq)}$, takes "
            + " and ".join(parts)
            + f" and {why}; so ${size}$ cannot differ from ${value}$"
        )
        if isinstance(term, t.Product) and system.product_reading(term) == "matmul":
            sentence = one_row_sentence(system, size, value, term, eq) or sentence
        sentence = chain_sentence(system, size, value) or sentence
        out.append(AnswerFact("solved", (size, value), sentence, eq.line))
    return out


def axes_of(space: str) -> list[str]:
    """The sizes of a declared space as written, spaces dropped: ``\\mathbb R^{1 \\times
    D_z}`` -> [1, D_z]; ``k*(m+n)`` (said in words) -> [k, m+n]; ``m*1`` -> [m, 1]."""
    text = re.sub(r"\\math(?:bb|bf)\s*\{?\s*R\s*\}?|^\s*R(?=\s*\^)", "", space.strip())
    text = text.strip().removeprefix("^").strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    parts = re.split(r"\\times|\*|,|(?<=[\w})])\s*x\s*(?=[\w(\\])", text)
    axes = ["".join(p.split()) for p in parts]
    return [a[1:-1] if a.startswith("(") and a.endswith(")") else a for a in axes if a]


def declared_axes(system: System) -> dict[str, tuple[list[str], str, int]]:
    """Each declared symbol's sizes as written, with the declaration's text and line."""
    out: dict[str, tuple[list[str], str, int]] = {}
    read = system._read
    for d in read.declarations if read else []:
        text = " ".join(system.source.snippet(d.span).replace("&", " ").split())
        line = system.source.line_col(d.span.start)[0]
        out.setdefault(d.key, (axes_of(system.source.snippet(d.space.span)), text, line))
    return out


def said(text: str) -> str:
    """A declaration quoted in a sentence: as math, or as the words that said it."""
    return text if "$" in text else f"${text}$"


def one_row_sentence(
    system: System, size: str, value: str, term: t.Product, eq: t.Equation
) -> str | None:
    """``D_y = 1`` from ``y = w \\cdot z`` with w declared 1 x D_z: a matrix product has the
    rows of its left factor (the columns of its right): w has one row, so y has one."""
    if not value.isdigit():
        return None
    declared = declared_axes(system)
    for operand, end, word in ((term.left, 0, "row"), (term.right, -1, "column")):
        if not isinstance(operand, t.Sym) or operand.key not in declared:
            continue
        axes, text, line = declared[operand.key]
        if len(axes) < 2 or axes[end] != value:
            continue
        count = "one" if value == "1" else value
        plural = word if value == "1" else f"{word}s"
        return (
            f"${size} = {value}$ because ${key_tex(operand.key)}$ has {count} {plural} "
            f"({said(text)} on line {line}), and line {eq.line}, ${snip_eq(system, eq)}$, is a "
            f"matrix product, which has the {word}s of its {'left' if end == 0 else 'right'} "
            f"factor: ${key_tex(eq.lhs.key)}$ has {count} {plural}, so ${size}$ cannot differ "
            f"from ${value}$"
        )
    return None


def size_links(system: System, term: t.Term) -> list[str]:
    """What shares one size with ``term`` through elementwise operations: symbols by key, and
    the rows of a matrix W (``rows:W``) where ``W x`` is reached."""
    match term:
        case t.Sym():
            return [term.key]
        case t.Product(left=t.Sym(key=w)) if system.product_reading(term) == "matmul":
            return [f"rows:{w}"]
        case t.Product() if system.product_reading(term) == "hadamard":
            return size_links(system, term.left) + size_links(system, term.right)
        case t.Add(left=a, right=b):
            return size_links(system, a) + size_links(system, b)
        case t.Neg(body=b):
            return size_links(system, b)
        case t.Apply(fn=fn, args=(x,)) if fn in ELEMENTWISE:
            return size_links(system, x)
    return []


def chain_sentence(system: System, size: str, value: str) -> str | None:
    """``k = n`` with every equation of the chain that forces it: W_f has k rows, so f_t has
    k entries (line 1), C_t = f_t (.) C_{t-1} + ... (line 4) gives C that size, h_t = o_t (.)
    tanh(C_t) (line 6) gives it to h, and h_{t-1} is declared of size n."""
    if value.isdigit():
        return None
    declared = declared_axes(system)
    sizes: dict[str, str] = {}
    for key, (axes, _, _) in declared.items():
        vector = [a for a in axes if a != "1"] if len(axes) <= 2 else []
        if len(vector) == 1 and (len(axes) == 1 or "1" in axes):
            sizes[key] = vector[0]
        if len(axes) == 2:
            sizes[f"rows:{key}"] = axes[0]
    plain = size.replace(" ", ""), value.replace(" ", "")
    starts = [n for n, s in sizes.items() if s == plain[0]]
    goals = {n for n, s in sizes.items() if s == plain[1]}
    if not starts or not goals:
        return None
    links: dict[str, list[tuple[str, t.Equation]]] = {}
    for eq in system.equations:
        group = list(dict.fromkeys([eq.lhs.key, *size_links(system, eq.rhs)]))
        for a in group:
            for b in group:
                if a != b:
                    links.setdefault(a, []).append((b, eq))
    came: dict[str, tuple[str, t.Equation] | None] = dict.fromkeys(starts)
    queue = list(starts)
    end = next((n for n in starts if n in goals), None)
    while queue and end is None:
        node = queue.pop(0)
        for nxt, eq in links.get(node, []):
            if nxt not in came:
                came[nxt] = (node, eq)
                queue.append(nxt)
                if nxt in goals:
                    end = nxt
                    break
    if end is None:
        return None
    path: list[tuple[str, t.Equation]] = []
    node = end
    while (step := came[node]) is not None:
        path.append((node, step[1]))
        node = step[0]
    path.reverse()

    def name(n: str) -> str:
        return f"the rows of ${key_tex(n[5:])}$" if n.startswith("rows:") else f"${key_tex(n)}$"

    def origin(n: str) -> str:
        key = n.removeprefix("rows:")
        _, text, line = declared[key]
        return f"{said(text)} on line {line}"

    first = node
    has = (
        f"${key_tex(first[5:])}$ has {size} rows"
        if first.startswith("rows:")
        else f"${key_tex(first)}$ has size {size}"
    )
    steps = [f"{has} ({origin(first)})"]
    prev = first
    for n, eq in path:
        where = f"line {eq.line}, ${snip_eq(system, eq)}$,"
        if prev.startswith("rows:") or n.startswith("rows:"):
            vec, w = (n, prev) if prev.startswith("rows:") else (prev, n)
            steps.append(f"{where} gives {name(vec)} one entry per row of ${key_tex(w[5:])}$")
        else:
            steps.append(f"{where} is elementwise, so {name(n)} has the size of {name(prev)}")
        prev = n
    carried = ""
    if system.kinds.get(end) == "state":
        letter = system.recurrence.index if system.recurrence else "t"
        k = key_tex(end)
        carried = f", ${k}_{letter}$ being ${k}_{{{letter}-1}}$ one step later"
    return (
        f"${size} = {value}$ because of a chain of equations: "
        + "; ".join(steps)
        + f"; and {name(end)} is declared of size {value} ({origin(end)}){carried}. "
        f"So ${size}$ cannot differ from ${value}$"
    )


def snip_eq(system: System, eq: t.Equation) -> str:
    """An equation as written, without alignment marks (``&=``)."""
    return " ".join(system.source.snippet(eq.span).replace("&", "").split())


def elementwise_symbols(system: System, term: t.Term) -> list[t.Sym]:
    """The symbols reached from ``term`` through elementwise operations only."""
    match term:
        case t.Sym():
            return [term]
        case t.Product() if system.product_reading(term) == "hadamard":
            return elementwise_symbols(system, term.left) + elementwise_symbols(system, term.right)
        case t.Add(left=a, right=b):
            return elementwise_symbols(system, a) + elementwise_symbols(system, b)
        case t.Neg(body=b):
            return elementwise_symbols(system, b)
        case t.Apply(fn=fn, args=(x,)) if fn in ELEMENTWISE:
            return elementwise_symbols(system, x)
    return []


def same_size_answers(system: System) -> list[AnswerFact]:
    """States (and outputs) that share one shape because an elementwise equation links them."""
    out = []
    carried = [k for k, v in system.kinds.items() if v == "state"]
    done: set[frozenset[str]] = set()
    for eq in system.equations:
        linked = [s.key for s in elementwise_symbols(system, eq.rhs)] + [eq.lhs.key]
        states = [k for k in dict.fromkeys(linked) if k in carried]
        for i, a in enumerate(states):
            for b in states[i + 1 :]:
                pair = frozenset({a, b})
                if pair in done or system.shapes[a] != system.shapes[b]:
                    continue
                done.add(pair)
                others = [k for k in dict.fromkeys(linked) if k not in pair]
                size = shape_words(system.shapes[a])
                names = ", ".join(f"${key_tex(k)}$" for k in [a, b, *others])
                sentence = (
                    f"${key_tex(a)}$ and ${key_tex(b)}$ have the same size ({size}), and must: "
                    f"line {eq.line}, ${snip_eq(system, eq)}$, is elementwise (Hadamard "
                    f"products, sums and elementwise functions), so {names} all have one shape"
                )
                out.append(AnswerFact("same size", (a, b), sentence, eq.line))
    return out


def concat_answers(system: System) -> list[AnswerFact]:
    """``W [h, x]``: the matrix maps the concatenation back; the state does not grow."""
    out = []
    for eq in system.equations:
        for term in t.walk(eq.rhs):
            if not (
                isinstance(term, t.Product)
                and system.product_reading(term) == "matmul"
                and isinstance(term.right, t.Concat)
                and isinstance(term.left, t.Sym)
            ):
                continue
            w = term.left.key
            items = term.right.items
            shapes = [system.shape_of(i) for i in items]
            if not all(len(sh) == 1 for sh in shapes):
                continue
            rows = system.shapes[w][0]
            blocks = " + ".join(f"{block(w, i)} {snip(system, i)}" for i in items)
            block_shapes = ", ".join(
                f"${block(w, i)}$ is {rows} x {sh[0]}" for i, sh in zip(items, shapes, strict=True)
            )
            total = " + ".join(sh[0] for sh in shapes)
            sentence = (
                f"${snip(system, term)}$: ${key_tex(w)}$ is {rows} x ({total}), so it maps the "
                f"concatenation (size {total}) to size {rows}; nothing grows to {total}. "
                f"Written in blocks, ${snip(system, term)} = {blocks}$, where {block_shapes}"
            )
            out.append(AnswerFact("concatenation", (w,), sentence, eq.line))
    return out


def key_tex(key: str) -> str:
    """A symbol key as LaTeX: ``W_f`` -> ``W_{f}``, ``C_tilde`` -> ``\\tilde{C}``."""
    from .report.symbols import key_latex

    base, labels = key_latex(key)
    return base + (f"_{{{','.join(labels)}}}" if labels else "")


def block(w: str, item: t.Term) -> str:
    """The block of ``w`` that multiplies ``item``: W_f and h -> W_{f,h}."""
    name = next((x.key.split("_")[0] for x in t.walk(item) if isinstance(x, t.Sym)), "?")
    base, _, label = w.partition("_")
    return f"{base}_{{{label},{name}}}" if label else f"{base}_{{{name}}}"


def array_text(value: np.ndarray) -> str:
    """A value as the worked example prints it (rows of a matrix on their own lines)."""
    return np.array2string(
        np.asarray(value), precision=6, suppress_small=True, separator=", "
    ).replace("\n", "\n" + " " * 8)


# ---- words ---------------------------------------------------------------------------------
def render(ex: Explanation) -> str:
    s = ex.system
    lines: list[str] = []
    by_line: dict[int, list[TermFact]] = {}
    for f in ex.terms:
        by_line.setdefault(f.line, []).append(f)
    shown: set[tuple[int, int]] = set()
    for eq in s.equations:
        if (eq.span.start, eq.span.end) in shown:
            continue  # [q, k, v] = z U: one line, three equations (read/rules_blocks.py)
        shown.add((eq.span.start, eq.span.end))
        lines.append(f"line {eq.line}: {' '.join(s.source.snippet(eq.span).split())}")
        lines.append("  inside out:")
        for f in by_line.get(eq.line, []):
            if f.what.startswith(f"{f.text}:") or f.what.startswith("a number"):
                continue
            shape = "(" + ", ".join(f.shape) + ")" if f.shape else "scalar"
            why = f": {f.why}" if f.why else ""
            lines.append(f"    {f.text}  ->  {f.what}, {shape}{why}".replace("$", ""))
        lines.append("")
    if ex.sums:
        lines.append("sums over nodes:")
        for sm in ex.sums:
            lines.append(
                f"  the sum over {sm.index} in {sm.over} ranges over: {sm.body} "
                f"({shape_words(sm.body_shape)} per node)"
            )
            lines.append(f"  vectorized: {sm.vectorized}")
        lines.append("")
    lines.append("symbols:")
    meanings = {k.key: k.meaning for k in ex.kinds}
    for sz in ex.sizes:
        why = ""
        if sz.forced_by:
            verb = "declared by" if sz.declared else "forced by"
            why = f"; {verb} line {sz.line}: {sz.forced_by}"
        meaning = meanings.get(sz.key, "").replace("$", "")
        lines.append(f"  {sz.key}: {shape_words(sz.shape)}, {meaning}{why}")
    for fn in ex.functions:
        if fn.learnable:
            lines.append(f"  {fn.name}(.): {fn.description}")
    for ix in ex.indices:
        lines.append(f"  {ix.letter}: {ix.meaning.replace('$', '')}")
    if ex.solved:
        lines.append("")
        lines.append("sizes the equations pin down:")
        for sv in ex.solved:
            lines.append(f"  {sv.size} = {sv.value}, forced by line {sv.line}: {sv.forced_by}")
    if ex.answers:
        lines.append("")
        lines.append("answers:")
        for a in ex.answers:
            lines.append(f"  {a.sentence.replace('$', '')}")
    known = [f for f in ex.functions if not f.learnable]
    if known:
        lines.append("")
        lines.append("functions:")
        for fn in known:
            lines.append(f"  {fn.name}: {fn.description}")
    if ex.example is not None:
        lines.append("")
        lines.append(f"the text's own example (line {ex.example.line}):")
        for key, written in ex.example.written.items():
            lines.append(f"  {written}: the value of {key}")
        for name, n in ex.example.sizes.items():
            lines.append(f"  {name} = {n}: a size")
        for note in ex.example.notes:
            lines.append(f"  {note.replace('$', '')}")
        if ex.chosen:
            lines.append(
                f"  not in the example: {', '.join(ex.chosen)}; the worked example below "
                "gives them small integers (seed 0): give yours with --values"
            )
    if ex.values:
        lines.append("")
        lines.append("worked example, inside out:")
        for line, text, value in ex.values:
            lines.append(f"  line {line}: {text} = {array_text(value)}")
        if ex.nonfinite is not None:
            lines.append(f"  note: {ex.nonfinite[1]}")
    if ex.gradients:
        lines.append("")
        lines.append(
            f"gradients at these values (d{ex.loss()}/d each; the generated NumPy backward):"
        )
        for key, value in ex.gradients:
            lines.append(f"  d{ex.loss()}/d{key} = {array_text(value)}")
    if ex.derivation:
        from .derivation import render as render_claims

        lines.append("")
        lines.append(render_claims(ex.derivation))
    if ex.claims:
        lines.append("")
        lines.append("claims checked:")
        for c in ex.claims:
            lines.append(f"  {'ok' if c.ok else 'WRONG'}: {c.sentence()}")
    return "\n".join(lines).rstrip() + "\n"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``."""
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
