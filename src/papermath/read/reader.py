"""The reading pass: from syntax to meaning, each decision with its reason.

It decides, by the rules of docs/notation.md:
- which subscript letters are indices (a step ``t``, a node ``v``) and which are labels;
- what each symbol is called (its *key*: ``W_{xi}`` -> ``W_xi``, ``\\tilde{C_t}`` -> ``C_tilde``);
- which calls are known functions (``\\sigma``, ``tanh``) and which are learnable (``i(a, b)``);
- concatenations, node sums, transposes, powers, step labels (``^{(T)}``).
Products stay undecided here (matrix, Hadamard, scaling, dot): shapes decide them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import ReadingError
from ..letters import GREEK_LOWER, INDEX_LIKE, NODE_LETTERS
from ..parse import (
    approx_remark,
    arrow_lead,
    ast,
    bar_chains,
    capital_sigma_sums,
    conditional_left,
    continued_rows,
    cut_end,
    cut_start,
    display_close,
    edge_indicator,
    graph_tuple,
    keras_shapes,
    named_cells,
    output_display,
    row_ranges,
    state_tuples,
    step_ranges,
    swapped_closers,
    system_brace,
    tuple_pairs,
)
from ..parse.block_slice import BlockSlice
from ..parse.cell_calls import readings as cell_readings
from ..parse.cell_layers import generated_bases
from ..parse.entry_matrix import EntryMatrix
from ..parse.italic_links import LinearLink
from ..parse.param_semicolon import ParamSet
from ..source import Source, Span
from . import (
    rules_ahead_intermediates,
    rules_argmax,
    rules_argument_words,
    rules_attention,
    rules_attention_calls,
    rules_attention_named,
    rules_attention_words,
    rules_axis_stats,
    rules_bare_step_uses,
    rules_basis,
    rules_blocks,
    rules_cases,
    rules_code_labels,
    rules_code_updates,
    rules_concat_call,
    rules_constant_words,
    rules_declared_labels,
    rules_degree_inverse,
    rules_degree_matrix,
    rules_degree_word,
    rules_digit_names,
    rules_dim,
    rules_dot_width,
    rules_dotted_terms,
    rules_edge_entries,
    rules_edge_softmax_index,
    rules_edge_sum_left,
    rules_eigenvalue,
    rules_ell_index,
    rules_entries,
    rules_entry_matrix,
    rules_entry_squares,
    rules_example_bound,
    rules_expression_claims,
    rules_family,  # "for each capsule $k$": k a family's index
    rules_family_brackets,
    rules_flag_default,
    rules_flag_forms,
    rules_font_letters,
    rules_function_parameter,
    rules_functions,
    rules_gate_weights,
    rules_given_gradient,
    rules_gradient_call,
    rules_gradient_updates,
    rules_graph,
    rules_graph_data,
    rules_greek_product,  # \lambda (1 - T): a weight times the parenthesis
    rules_group_arrays,  # "`groups`-many arrays $x_i$": i the groups, gamma_i learned
    rules_implicit,
    rules_in_place_ties,
    rules_index_argument,
    rules_initial,
    rules_key_width,
    rules_known_definitions,
    rules_label_cases,
    rules_label_pick,
    rules_layer_stack,
    rules_layer_widths,
    rules_layer_words,
    rules_layers,
    rules_left_sides,
    rules_listed_batch,
    rules_losses,
    rules_matrix_prose,
    rules_matrix_words,
    rules_mean_count,
    rules_member_formula,  # v_j = f(s_j) alone: j a family's index
    rules_member_range,
    rules_named_loss,
    rules_node_numbers,
    rules_node_subsets,  # \sum_{v \in \text{Lab}(G)}: a subset of the nodes, refused
    rules_norm_axis,
    rules_norm_update,
    rules_norm_word,
    rules_number_sets,
    rules_order_coefficients,
    rules_orders,
    rules_otimes_said,
    rules_outer,
    rules_pair_hints,
    rules_pairs,
    rules_parallel_weights,
    rules_param_sets,
    rules_position_pairs,
    rules_positions,
    rules_primed_index,
    rules_prose_count,
    rules_prose_kinds,
    rules_prose_roles,
    rules_prose_stats,
    rules_range_aggregation,
    rules_recursion,
    rules_reductions,
    rules_reverse,
    rules_roles,
    rules_row_chain,
    rules_row_sum,  # D_v = \sum_u A_{vu}: a row sum of entries, refused at the entry
    rules_running_average,
    rules_said_activation,
    rules_script_runon,
    rules_self_loops,
    rules_set_builder,
    rules_sets,
    rules_sign_scripts,
    rules_signals,
    rules_signatures,
    rules_sinusoid,
    rules_size_case,
    rules_softmax_axis,
    rules_stats,
    rules_step_number,
    rules_step_powers,
    rules_step_sets,
    rules_sum_exclusion,
    rules_sum_runon,
    rules_sum_scope,
    rules_sum_shadow,
    rules_sum_statements,
    rules_sums,
    rules_table_rows,  # v_{w_I}: a row of a table, \sum_{w=1}^{W} over its rows
    rules_time,
    rules_units,
    rules_updates,
    rules_value_powers,
    rules_weight_output,
    rules_whole_aggregate,
    rules_word_names,
    rules_wrapped,
    rules_zero_pad,
)
from . import terms as t
from .functions import ACTIVATION_ALIASES, ACTIVATION_LETTERS, UNNAMED, lookup
from .rules_bare_steps import bare_steps
from .rules_brace_typos import calligraphic_calls
from .rules_edge_typed import hint as edge_typed_hint
from .rules_ell_index import refusal as ell_refusal
from .rules_gru_cell import rewrite as gru_cells
from .rules_neighbour_mean import neighbour_means
from .rules_sequence_mentions import rewrite as sequence_mentions
from .rules_stated_facts import drop as stated_facts
from .syntax import (
    STATISTICS,
    is_reals,
    is_symbolish,
    iter_nodes,
    juxt_letters,
    label_text,
    neighbourhood_of,
    offset_of,
    offsets_in,
    size_text,
    split_axes,
)

# A symbol's key becomes a Python (and C++) name in generated code: ASCII letters, digits and
# underscores, a letter first. Anything else is refused where it is written, never mangled
# (\text{fi} and \text{\ufb01} must not become one name).
KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

DECORATIONS = {
    "tilde": "tilde",
    "widetilde": "tilde",
    "hat": "hat",
    "widehat": "hat",
    "bar": "bar",
    "overline": "bar",
    "check": "check",
    "breve": "breve",
    "acute": "acute",
    "grave": "grave",
    "dot": "dot",
    "ddot": "ddot",
}
KINDS = (
    "input",
    "state",
    "parameter",
    "constant",
    "function",
    "target",
    "intermediate",
    "output",
    "index",
    "step_label",
    "set",
)
PRODUCT_OPS = {
    "odot",
    "circ",
    "otimes",
    "oplus",
    "cdot",
    "times",
    "ast",
    "star",
    "bullet",
    "*",
    ".",
}


@dataclass(frozen=True)
class Reading:
    """One decision: what ``subject`` (the text at ``span``) was read as, and why."""

    span: Span
    subject: str
    reading: str
    reason: str


# the hint of every refusal of a value with two indices (entries or a family over pairs)
TWO_INDEX_HINT = (
    "a matrix's entries summed against a vector's (\\sum_j U_{i,j} x_j): write the matrix product "
    "U x; one vector or matrix per pair (i, j), as a capsule layer's W_{ij} u_i and \\hat u_{j|i}, "
    "is read where an equation defines a value per pair, a sum binds one of its letters "
    "(s_j = \\sum_i c_{ij} \\hat u_{j|i}) and a norm or a declaration shows a value per letter "
    "is a vector (||s_j||, u_i \\in \\mathbb{R}^8) (read/rules_pairs.py)"
)


@dataclass(frozen=True)
class IndexInfo:
    letter: str
    kind: str  # "step", "node" or "element" (the entries of a vector)
    reason: str
    span: Span
    over: str | None = None  # the set a node index ranges over
    size: str | None = None  # an element index's range as written: n for i = 1..n
    of: str | None = None  # a neighbour index: the node whose neighbours it runs over
    relation: str | None = None  # ... only along the edges of one type: \mathcal{N}_r(v)
    direction: str = "in"  # "in": sources of edges into v; "out": targets of edges from v


@dataclass(frozen=True)
class FnDef:
    """``\\mathrm{RMS}(a) = ...``: a function the source defines, inlined at every call."""

    key: str
    formals: tuple[str, ...]  # the keys of its parameters
    body: ast.Node
    span: Span
    line: int


@dataclass
class Declared:
    key: str
    space: ast.Node
    span: Span  # the whole declaration, for "declared here" notes
    offset: int = 0  # \\overset{[N \\times D_k]}{\\delta_{k-1}}: written at step k-1
    # an \\overset in an equation read one step earlier (z_{k+1} = ...): its sizes move too
    frame: tuple[str, int] | None = None


@dataclass
class ReadResult:
    equations: list[t.Equation] = field(default_factory=list)
    declarations: list[Declared] = field(default_factory=list)
    indices: dict[str, IndexInfo] = field(default_factory=dict)
    step_labels: dict[str, Span] = field(default_factory=dict)
    sets: dict[str, Span] = field(default_factory=dict)
    learned: dict[str, int] = field(default_factory=dict)  # key -> number of arguments
    readings: list[Reading] = field(default_factory=list)
    directives: dict[str, str] = field(default_factory=dict)  # key -> kind
    # softmaxes over the neighbours (rules_attention.edge_softmax): their scores must be scalars
    edge_softmax: list[Span] = field(default_factory=list)
    activations: dict[str, str] = field(default_factory=dict)  # sigma_y -> softmax (source says)
    sampled: dict[str, str] = field(default_factory=dict)  # key -> the distribution, as written
    defined_functions: dict[str, int] = field(default_factory=dict)  # key -> line of definition
    definition_spans: dict[str, Span] = field(default_factory=dict)  # key -> its definition
    role_inputs: dict[str, str] = field(default_factory=dict)  # key -> why it is an input
    learned_steps: dict[str, str] = field(default_factory=dict)  # MLP^{(k)}: key -> step letter
    first_span: dict[str, Span] = field(default_factory=dict)  # key -> first occurrence
    # terms the reader built for one notation (E[x] as a sum over n): id -> what each stands
    # for, in LaTeX, where its span (the whole notation) does not say it
    written: dict[int, str] = field(default_factory=dict)
    # the terms of `written`, kept alive: a term freed by a later rewrite would give its id to
    # a new term, which would then print as the old one's LaTeX (use ``write``)
    written_terms: dict[int, object] = field(default_factory=dict)
    learned_sizes: dict[str, str] = field(default_factory=dict)  # Linear_{d_h}: key -> d_h
    weight_valued: set[str] = field(default_factory=set)  # "MLP outputs a weight" (s7 GRAPHA)
    row_maps: dict[str, str] = field(default_factory=dict)  # MLP(X), X capital: per row (why)
    # values read for their shapes only, code generation refuses them: key -> (span, hint)
    # (a backward recurrence, rules_layer_widths; a derivative matrix, rules_entry_matrix)
    shapes_only: dict[str, tuple[Span, str]] = field(default_factory=dict)
    per_pair: set[str] = field(default_factory=set)  # W of W_{ij} u_i (read/rules_pairs.py)
    # states carried backwards, from step t+1 to t (read/rules_reverse.py)
    backward_states: list[str] = field(default_factory=list)
    # [a_{ij}]_{i \in 1..N, j \in 1..D}: (key, step offset, the ranges' sizes, span), checked
    # against the shapes (shapes/infer.py)
    range_claims: list[tuple[str, int, tuple[ast.Node, ...], Span]] = field(default_factory=list)
    labels: dict[str, Span] = field(default_factory=dict)  # y of f_{y_i}: integer labels
    batch_counts: set[str] = field(default_factory=set)  # m of E[x^{(k)}]: the batch's size
    degrees: dict[str, str] = field(default_factory=dict)  # D of D^{-1/2} A D^{-1/2} -> A
    adjacency: set[str] = field(default_factory=set)  # inputs that are a graph's adjacency
    # \sigma_y(...) with no word on which activation: id of the Apply -> (as written, span)
    unnamed: dict[int, tuple[str, Span]] = field(default_factory=dict)
    # keys that are vectors of one size by their role, and why (rules_losses: y_true, y_pred)
    role_vectors: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    role_notes: dict[str, str] = field(default_factory=dict)  # key -> why a rule gave its kind
    # H^{0} = X: state key -> the key of its first value, computed before the steps (H_init)
    initial_values: dict[str, str] = field(default_factory=dict)
    # a key with another's shape -> that key: Z_order1 -> Z, the first value of a recursion over
    # orders (rules_recursion); x_prime -> x, a derivative in time (rules_time)
    tied_shapes: dict[str, str] = field(default_factory=dict)
    # a key whose shape convention is another letter's: Delta_w -> w (rules_running_average)
    convention_letters: dict[str, str] = field(default_factory=dict)
    # a recursion over orders whose code is generated unrolled (ir/recursion.py): its letter k
    # -> (Z, first order, number of orders, first order -> the key of Z there)
    recursions: dict[str, tuple[str, int, str, dict[int, str]]] = field(default_factory=dict)
    # \sqrt{d} over a dot product a^T b, d declared nowhere: d -> its span (rules_dot_width)
    dot_widths: dict[str, Span] = field(default_factory=dict)
    # \sqrt{d_k} over Q K^T, d_k declared nowhere: d_k -> K, whose width it is (rules_key_width)
    key_widths: dict[str, str] = field(default_factory=dict)
    # Attention(Q, K, V) the prose names (rules_attention_named): (its arguments, the name's
    # span, the call as written), bound to matrices by the shapes
    attention_args: list[tuple[tuple[t.Term, ...], Span, str]] = field(default_factory=list)
    # expr \in R^{...} with no name: its key -> (the statement, the space) (rules_expression_claims)
    shape_claims: dict[str, tuple[Span, Span]] = field(default_factory=dict)
    # a name the prose lists as a Linear layer -> its attribute line (parse/italic_links.py)
    linear_maps: dict[str, str] = field(default_factory=dict)
    # f(x; \theta): theta -> f, the function whose parameters it names (rules_param_sets)
    param_sets: dict[str, str] = field(default_factory=dict)
    # a symbol the prose calls a matrix -> the words that say so (read/rules_matrix_prose.py)
    matrix_words: dict[str, str] = field(default_factory=dict)
    # a symbol plain prose calls a vector -> the words (parse/prose_sizes.py, rule prose-sizes)
    vector_words: dict[str, str] = field(default_factory=dict)

    def write(self, term: object, tex: str) -> None:
        """What the reader's ``term``, built for one notation, stands for in LaTeX (the
        typesetter and ``papermath grad`` print it); the term is kept alive with it."""
        self.written[id(term)] = tex
        self.written_terms[id(term)] = term


@dataclass
class SymParts:
    base: str
    span: Span
    decorations: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    step: str | None = None
    offset: int = 0
    step_label: str | None = None
    node: str | None = None
    element: str | None = None  # a_i: the entries i of the vector a
    example: str | None = None  # x_i with i over the examples of a batch
    edge: str | None = None  # e_{ij}: the neighbour j of the node i (a value per edge)
    head: str | None = None  # W_i^Q: one per head i of a family
    basis: str | None = None  # V_b, a_{rb}: one per member b of a basis (rules_basis.py)
    picked: SymParts | None = None  # f_{y_i}: the label y_i (read/rules_label_pick.py)
    sup_labels: list[tuple[str, Span]] = field(default_factory=list)  # W^z: labels written up
    post: list[tuple[str, float, Span]] = field(default_factory=list)  # transpose / power

    @property
    def key(self) -> str:
        return "_".join([self.base, *self.decorations, *self.labels])


def read(
    statements: list[ast.Statement], source: Source, sizes: frozenset[str] = frozenset()
) -> ReadResult:
    """``sizes``: size names given besides the declarations (dims), read as numbers."""
    return Reader(source, sizes).run(statements)


class Reader:
    def __init__(self, source: Source, sizes: frozenset[str] = frozenset()) -> None:
        self.source = source
        self.plain_text = "\\" not in source.text  # no LaTeX command anywhere
        self.direction_letters: set[str] = set()  # W^{(f)}, W^{(b)}: labels (rules_reverse)
        self.layer_letters: set[str] = set()  # h^{l-1}_t: l a layer (rules_layer_stack)
        self.layer_below_bases: set[str] = set()  # h in h^{l-1}_t (rules_layer_stack)
        self.size_names: set[str] = set(sizes)  # declared sizes: a number where used as a value
        self.out = ReadResult()
        self.value_keys: set[str] = set()  # keys used as values (not only as call heads)
        self.called_keys: set[str] = set()
        # while reading an equation written one step ahead (h^{(l+1)} = f(h^{(l)})): the
        # step letter and the shift that moves it back to step l
        self.shift: tuple[str, int] | None = None
        self.functions: dict[str, FnDef] = {}  # functions the source defines
        self.called_functions: set[str] = set()
        self.subst: dict[str, t.Term] = {}  # while inlining a call: parameter key -> argument
        self.expanding: list[str] = []  # the calls being inlined, innermost last
        self.collection_letters: set[str] = set()
        self.position_letters: dict[str, str] = {}  # j of \alpha_{ij}, i a step (rules_positions)
        self.pair_letters: dict[str, str] = {}  # i, j of c_{ij}: two sets (rules_pairs)
        self.known_values: set[str] = set()  # keys declared or defined by the source
        self.squared: set[str] = set()  # keys whose square the source defines (\sigma_B^2)
        self.shared_calls: set[str] = set()  # learnable functions called more than once
        self.relation_letters: dict[str, str] = {}  # r in N_r(v) -> the neighbourhood written
        self.relations_open: set[str] = set()  # edge-type letters bound by the sums around
        self.order_starts: dict[str, int] = {}  # \sum_{k=0}^{K} (\hat A)^k: k's first order
        self.order_extents: dict[str, str] = {}  # H^{K} = \sum_{k=0}^{K} ...: H -> K
        self.orders_open: set[str] = set()  # the order letters of the sums being read
        # k of Z^{(k)} = f(Z^{(k-1)}) under \sum_{k=1}^{K}: k -> (Z, first order) (rules_recursion)
        self.recursion_letters: dict[str, tuple[str, int]] = {}
        self.self_loop_sums: list[t.NeighbourSum] = []  # over N(i) \cup \{i\} (rules_sets)
        self.defined_keys: set[str] = set()  # keys some equation defines
        self.statements: list[ast.Statement] = []
        self.param_spans: dict[str, Span] = {}  # f(x; \theta): theta's span (rules_param_sets)

    def error(self, message: str, span: Span, hint: str | None = None) -> ReadingError:
        return ReadingError(message, self.source, span, hint=hint)

    def note(self, span: Span, reading: str, reason: str) -> None:
        self.out.readings.append(Reading(span, self.source.snippet(span), reading, reason))

    # ---- driver ------------------------------------------------------------------------
    def run(self, statements: list[ast.Statement]) -> ReadResult:
        statements = rules_sum_exclusion.rewrite(self, statements)  # \sum_{j \neq y_i}
        statements = rules_signatures.rewrite(self, statements)  # f: R^D \to R^L
        statements = rules_known_definitions.leave_out(self, statements)  # tanh(a) = ..
        statements = rules_sinusoid.rewrite(self, statements)  # PE_{(pos,2i)}, PE_{(pos,2i+1)}
        statements = rules_primed_index.rewrite(self, statements)  # \sum_{t'=1}^T: t' a letter
        statements = rules_script_runon.rewrite(self, statements)  # W_kh_u: W_k h_u
        statements = rules_sum_runon.rewrite(self, statements)  # \sum_kexp(b): \sum_k exp(b)
        statements = rules_sum_scope.rewrite(self, statements)  # \sum_v a_v + b_v: over both
        statements = rules_sum_shadow.rewrite(self, statements)  # \sum_{k \in N(v)}, k a step
        statements = rules_dim.rewrite(self, statements)  # n = \dim(x): x \in R^n
        statements = stated_facts(self, statements)  # "the fact that $\sum ... = ...$"
        statements = rules_prose_stats.rewrite(self, statements)  # "\mu ... the mean of x"
        statements = rules_digit_names.rewrite(self, statements)  # loss(x1, x2): x_1, x_2
        statements = rules_ell_index.rewrite(self, statements)  # W^{(\ell+1)} beside x^{(l)}
        statements = rules_gate_weights.rewrite(self, statements)  # f_t = \sigma(Wf x_t): W_f
        statements = rules_entry_squares.rewrite(self, statements)  # \sum_k\sum_l W_{k,l}^2
        statements = rules_reductions.rewrite(self, statements)  # \max_i a_i: a big operator
        statements = rules_word_names.rewrite(self, statements)  # norm_{ij} = ...: one name
        statements = rules_functions.rewrite(self, statements)  # FFN(x) = ...: one name
        statements = rules_outer.definitions(self, statements)  # a \otimes b = a b^\top
        rules_otimes_said.read_said(self)  # "where $\otimes$ is the element-wise product"
        statements = rules_expression_claims.claims(self, statements)  # expr \in R^n
        for span, reading, why in tuple_pairs.readings(statements):  # a, b = x, y
            self.note(span, reading, why)
        for span, reading, why in cell_readings(statements):  # (h_t, c_t) = \text{LSTM}(...)
            self.note(span, reading, why)
        for span, reading, why in keras_shapes.readings(self.source.text, statements):
            self.note(span, reading, why)  # shape = `[batch_size, d0, .. dN]` (Keras' words)
        for span, reading, why in output_display.readings(statements):
            self.note(span, reading, why)  # "this layer computes $$...$$": named y
        statements = state_tuples.left_out(self, statements)  # S_t \leftarrow (m_t, v_t)
        statements = sequence_mentions(self, statements)  # X = \{x_1, ..., x_T\}, x_1 = \text{w}
        cut_end.note(self)  # \begin{align*} open where the text ends (parse/cut_end.py)
        display_close.note(self)  # $$ \begin{aligned} rows $$ (parse/display_close.py)
        continued_rows.note(self)  # c &= a \\ & + b: one expression (parse/continued_rows.py)
        cut_start.note(self)  # $$ then a blank line, first: a cut display's close
        row_ranges.note(self)  # \text{ for } n=1, \dots, N after an equation: left out
        step_ranges.note(self)  # from $t = 1$ to $t = \tau$ in prose (parse/step_ranges.py)
        approx_remark.note(self)  # b = f(x) \approx g(x): the remark left out
        for span, reading, why in capital_sigma_sums.readings(self.source.text):
            self.note(span, reading, why)  # \Sigma_{j \in N_i}: the sum over j
        for span, reading, why in arrow_lead.readings(self.source.text):
            self.note(span, reading, why)  # \{x_i\} \rightsquigarrow H = ...: left out
        for span, reading, why in edge_indicator.readings(self.source.text):
            self.note(span, reading, why)  # A_{ij} = 1 \iff (i, j) \in E: left out (data)
        for span, reading, why in graph_tuple.readings(self.source.text):
            self.note(span, reading, why)  # a graph $G = (V, E)$: left out
        for span, reading, why in system_brace.readings(self.source.text):
            self.note(span, reading, why)  # \begin{cases} around equations; \dot= as :=
        conditional_left.note(self)  # p(w_O | w_I) = ...: read as p(w_O, w_I)
        swapped_closers.note(self)  # \exp{(x}): read as \exp{(x)}
        bar_chains.note(self)  # x_i \| x_j \| e_{ji} beside \odot: concatenation
        rules_weight_output.scan(self, statements)  # "MLP ... outputs a weight": a matrix
        statements = rules_given_gradient.given_gradients(self, statements)  # g_t <- nabla f
        statements = rules_graph.open_degree_sums(self, statements)  # D_ii = \sum_{j=0} A_ij
        statements = rules_degree_matrix.diagonal_entries(self, statements)  # D_v, D diagonal
        statements = rules_dotted_terms.rewrite(self, statements)  # a_1 + \cdots + a_n: a sum
        statements = rules_order_coefficients.coefficients(self, statements)  # w = [w_0, ...]
        statements = rules_order_coefficients.polynomial(self, statements)  # "polynomials of"
        statements = calligraphic_calls(self, statements)  # \mathcal{N(i)}: N(i)
        statements = rules_range_aggregation.rewrite(self, statements)  # AGG_{v \in G}(\{h_v\})
        statements = rules_set_builder.rewrite(self, statements)  # mean(\{h_j, j \in N(i)\})
        statements = rules_concat_call.rewrite(self, statements)  # \mathrm{concat}(a, b): [a; b]
        statements = rules_norm_update.mark(self, statements)  # h = \mathrm{norm}(h)
        statements = rules_gradient_updates.mark(self, statements)  # \partial L/\partial w
        statements = rules_gradient_call.mark(self, statements)  # \nabla f(w^k): a value
        statements = rules_norm_word.check(self, statements)  # \mathrm{norm}(x): refused
        statements = neighbour_means(self, statements)  # \mathrm{mean}_{j \in N(i)} x_j
        statements = bare_steps(self, statements)  # H^{l+1} = ...: the step l+1
        statements = rules_basis.layer_labels(self, statements)  # W_r^{(l)} = \sum_b ...
        statements = rules_bare_step_uses.rewrite(self, statements)  # ... h_N^{l+1}: (l+1)
        statements = rules_ahead_intermediates.layer_labels(self, statements)  # \alpha^{l}
        statements = rules_edge_softmax_index.rewrite(self, statements)  # softmax_i(e_{ij})
        statements = rules_recursion.recursions(self, statements)  # Z^{(1)} = X: Z_order1
        self.statements = statements
        for s in statements:
            if isinstance(s, ast.Directive):
                self.directive(s)
        rules_prose_kinds.said_activations(self)  # "$\\sigma$ is an activation (ReLU)"
        rules_losses.code_notes(self, statements)  # a formula written as code: y_true a target
        rules_code_updates.roles(self, statements)  # p := p - lr * g: g given, lr a number
        self.find_indices(statements)
        statements = gru_cells(self, statements)  # h' = GRU(x, h): torch.nn.GRUCell
        statements = rules_pairs.routing_iteration(self, statements)  # b_{ij} <- b_{ij} + ...
        rules_time.derivatives(self, statements)  # x'(t) = A x(t): t the time, x' x's shape
        rules_in_place_ties.tie(self, statements)  # x_j <- f(x_j) first: the new x, x's shape
        rules_units.unit_superscripts(self, statements)
        statements = rules_layer_stack.stack_input(self, statements)  # H_t^{(0)} = X_t
        statements = rules_initial.initial_conditions(self, statements)  # h_0 = 0: the state's
        self.statements = statements  # value before the first step
        self.find_value_keys(statements)
        defined = set()
        for s in statements:
            if isinstance(s, ast.Declaration) and is_reals(s.space):
                self.size_names |= size_names(s.space)
            if isinstance(s, ast.Definition):
                if s.decl is not None:
                    self.size_names |= size_names(s.decl)
                parts = self.symbol(s.lhs, quiet=True) if is_symbolish(s.lhs) else None
                if parts is not None:
                    defined.add(parts.key)
                defined |= rules_blocks.defined_keys(self, s.lhs)  # [q, k, v] = ...
        # the upper limits of sums are sizes too (m in \sum_{i=1}^{m}, then \frac{1}{m})
        self.size_names |= {
            n for info in self.out.indices.values() if info.size for n in [info.size]
        }
        self.size_names -= defined
        self.known_values |= defined
        rules_prose_count.counts(self, statements)  # "$d$ is the number of features": a size
        rules_dot_width.widths(self, statements)  # \sqrt{d} over a^T b: the vectors' width
        rules_mean_count.counts(self, statements)  # \frac{1}{N} \sum_i L_i: N the count
        rules_example_bound.labels(self, statements)  # "$y_i$ are the true labels"
        rules_size_case.check(self, statements)  # \sum^k beside "$K$ is the number of"
        rules_key_width.widths(self, statements)  # \sqrt{d_k} over Q K^T: K's width
        rules_attention.undeclared_root_size(self, statements)  # \sqrt{d}, d declared nowhere
        self.defined_keys = set(defined)
        for st in statements:  # \sigma_B^2 = ...: the variance is one symbol, sigma_B_sq
            if isinstance(st, ast.Definition) and is_symbolish(st.lhs):
                parts = self.symbol(st.lhs, quiet=True)
                if parts is not None and [p[:2] for p in parts.post] == [("power", 2.0)]:
                    self.squared.add(parts.key)
        for s in statements:
            if isinstance(s, ast.Definition) and (fd := self.function_definition(s)) is not None:
                self.functions[fd.key] = fd
        for s in statements:
            if isinstance(s, ast.Declaration):
                self.declaration(s)
            elif isinstance(s, ast.Sampling):
                self.sampling(s)
            elif isinstance(s, ast.Definition) and not self.is_function_definition(s):
                self.definition(s)
        inner = self.called_in_functions()
        for fd in self.functions.values():
            if fd.key not in self.called_functions and fd.key not in inner:
                self.uncalled_function(fd)
        rules_sets.expand(self)  # \sum_{j \in N(i) \cup \{i\}}: the neighbours, and i itself
        rules_table_rows.stray_members(self)  # v_w outside a sum over w or a pick: refused
        rules_updates.given_per_step(self, statements)  # optax's theta_t: given, not learned
        rules_running_average.read(self, statements)  # E[g^2]_t: a running average's name
        rules_attention_words.data_words(self)  # queries $Q \in ...$: data
        rules_argument_words.argument_words(self)  # "x is split into arrays a, i": data
        rules_prose_kinds.learnable_words(self)  # "$M_{ij}$ is a learnable matrix"
        rules_layer_words.linear_layer_words(self)  # "$A^l, B^l$ are linear layers"
        rules_prose_kinds.argument_constants(self)  # "\\beta_1 ... represent the arguments"
        rules_prose_kinds.probability_constants(self)  # "0 with probability p": given
        rules_constant_words.constant_words(self)  # "$\\rho$ is the decay rate"
        rules_constant_words.hinge_margins(self)  # max(0, m^+ - |v|): m^+ a margin
        rules_constant_words.values_given(self)  # "$\\beta_1 = 0.9$": a number given
        rules_prose_roles.named_parameters(self)  # "the parameter q": a constant
        rules_prose_roles.probability_kinds(self)  # "`p` is the predicted probability": input
        rules_group_arrays.kinds(self)  # gamma_i of "`groups`-many arrays": learned
        rules_prose_kinds.graph_data_words(self)  # "\\hat L ... the Laplacian 2L/lambda - I"
        rules_graph_data.indicator_inputs(self)  # A_{ij} = 1 \iff (i, j) \in E: A is data
        rules_graph_data.adjacency_vector_words(self)  # "adjacency vector $a$": data
        rules_matrix_prose.scan(self)  # "$w$ is the weight matrix": w x a matrix product
        rules_attention_words.open_pooling(self)  # $f$ is attention pooling: no code
        rules_node_numbers.check(self)  # h_1 beside h_v: node 1's h? (a refusal)
        self.check_index_labels()
        self.check_definitions()
        rules_signals.undeclared_input(self)  # x_k in R^N driven by an undeclared u_k
        self.resolve_directive_names()
        rules_param_sets.check(self)  # f(x; \theta): f learnable, theta its parameters
        for s in statements:
            if isinstance(s, ast.Directive) and not isinstance(s, ParamSet | BlockSlice):
                for key, kind in self.out.directives.items():
                    if (
                        kind in KINDS
                        and key not in self.out.first_span
                        and key not in self.out.indices
                    ):
                        raise self.error(
                            f"the directive names {key}, which is not a symbol of the equations",
                            s.span,
                            hint="name a symbol by its key: W_f for W_{f}, C_tilde for \\tilde{C}",
                        )
        return self.out

    def directive(self, d: ast.Directive) -> None:
        """``% papermath: KEY is KIND`` (several separated by ``;``)."""
        if isinstance(d, ParamSet):  # f(x; \theta): theta the parameters of f
            rules_param_sets.record(self, d)
            return
        if isinstance(d, BlockSlice):  # A_{v:}^\top [h_1 \dots h_{|V|}]^\top (parse/block_slice.py)
            self.note(d.span, "a slice times the stack of every node", d.text)
            return
        if isinstance(d, LinearLink):  # upward (~chainer.links.Linear) (parse/italic_links.py)
            self.out.linear_maps[d.key] = d.said
            self.note(
                d.span,
                "name of a Linear layer",
                f"the letters {d.key} typed together in "
                f"italics are one name, which the source lists as a Linear layer: {d.said}",
            )
            return
        for part in d.text.split(";"):
            words = part.replace(" is ", " ").split()
            if not words:
                continue
            if words[:2] == ["otimes", "hadamard"] and (
                len(words) == 2 or (words[2].startswith("(") and part.rstrip().endswith(")"))
            ):
                self.out.directives["otimes"] = "hadamard"
                why = (
                    part[part.index("(") + 1 : part.rstrip().rindex(")")] if len(words) > 2 else ""
                )
                self.note(
                    d.span,
                    "\\otimes is the Hadamard product",
                    "a directive says so"
                    + (f" ({why})" if why else "")
                    + ": every a \\otimes b is read as a \\odot b",
                )
                continue
            if len(words) == 2 and lookup(words[1]) is not None and words[1] not in KINDS:
                known = lookup(words[1])
                assert known is not None
                self.out.activations[words[0].lstrip("\\").replace("{", "").replace("}", "")] = (
                    known.name
                )
                continue
            if len(words) != 2 or words[1] not in KINDS:
                raise self.error(
                    f"cannot read the directive `{part.strip()}`",
                    d.span,
                    hint="write `% papermath: KEY is KIND` with KIND one of "
                    + ", ".join(KINDS)
                    + ", or `% papermath: sigma_y is softmax` for an activation",
                )
            self.out.directives[words[0]] = words[1]
            if words[1] == "index":
                self.out.indices[words[0]] = IndexInfo(
                    words[0], "step", "declared an index by a directive", d.span
                )

    # ---- indices -----------------------------------------------------------------------
    def find_indices(self, statements: list[ast.Statement]) -> None:
        """A letter is an index if it carries an offset, is bound by a sum, or is in a set."""
        paren_letters: dict[str, Span] = {}
        listed: set[str] = set()  # letters among several labels, z^{(i,l)}
        # letters that subscript a declared vector (\bar h_s \in R^d): they pick one vector of
        # a collection (positions, nodes), not an entry
        self.collection_letters = {
            target.script.name
            for st in statements
            if isinstance(st, ast.Declaration) and is_reals(st.space)
            for target in st.targets
            if isinstance(target, ast.Sub) and isinstance(target.script, ast.Letter)
        }
        # letters with an offset (t in h_{t-1}) are steps, wherever they first appear: a sum
        # over one of them (\sum_t, a loss over time) sums over the steps
        self.step_letters = {
            letter
            for node in iter_nodes(statements)
            if isinstance(node, ast.Sub | ast.Sup)
            for letter, _ in offsets_in(
                node.script.body
                if isinstance(node, ast.Sup) and isinstance(node.script, ast.Paren)
                else node.script
            )
        }
        self.position_letters = rules_positions.position_letters(self, statements)
        # letters that pick an edge type in a neighbourhood (N_r(v)): bound by a sum over
        # the types of edges (relational message passing, GG-NN's edge-typed propagation)
        for node in iter_nodes(statements):
            if isinstance(node, ast.BigOp) and isinstance(node.sub, ast.ScriptIn):
                found = neighbourhood_of(node.sub.right)
                if found is not None and found.relation is not None:
                    hood = self.source.snippet(node.sub.right.span)
                    self.relation_letters.setdefault(found.relation, hood)
        rules_pairs.index_sets(self, statements)  # c_{ij}, \hat u_{j|i}: values per pair
        for node in iter_nodes(statements):
            match node:
                case ast.Sub(script=script) | ast.Sup(script=ast.Paren(body=script)):
                    for letter, off_span in offsets_in(script):
                        self.add_index(
                            letter,
                            "step",
                            f"it carries an offset in {self.source.snippet(off_span)}",
                            off_span,
                        )
                case ast.BigOp(sub=sub, sup=sup) if sub is not None:
                    self.sum_index(sub, sup)
            if isinstance(node, ast.Sup) and isinstance(node.script, ast.Paren):
                inner = node.script.body
                if isinstance(inner, ast.Letter):
                    paren_letters.setdefault(inner.name, node.script.span)
                if isinstance(inner, ast.ScriptList):  # z^{(i,l)}: two labels
                    for x in inner.items:
                        if isinstance(x, ast.Letter):
                            paren_letters.setdefault(x.name, node.script.span)
                            listed.add(x.name)
        for s in statements:
            if isinstance(s, ast.Declaration) and not is_reals(s.space):
                for target in s.targets:
                    if rules_table_rows.declared(self, target, s.space, s.span):
                        continue  # w \in \{1, \dots, W\} beside v_{w_I}: a table's rows
                    if isinstance(target, ast.Letter):
                        over = set_name(s.space)
                        self.add_index(
                            target.name,
                            "node" if over else "step",
                            f"it is declared in a set: {self.source.snippet(s.span)}",
                            s.span,
                            over,
                            size=None if over else rules_step_sets.counted(s.space),
                        )
                        if over:
                            self.out.sets.setdefault(over, s.space.span)
        rules_attention.edge_left_sides(self, statements)  # e_{ij} = ... beside e_{ik}
        self.head_families(statements)
        self.entry_indices(statements)
        rules_family.index(self, statements)  # "for each output capsule or class $k$": k
        rules_listed_batch.index(self, statements)  # L = \{l_1, \dots, l_N\}^\top, l_n = ...
        rules_member_formula.index(self, statements)  # v_j = f(s_j) alone: j
        rules_group_arrays.index(self, statements)  # "`groups`-many arrays $x_i$": i
        self.direction_letters = rules_reverse.direction_letters(self, statements)  # W^{(f)}
        self.layer_letters = rules_layer_stack.layer_letters(self, statements)  # h^{l-1}_t
        for letter, span in paren_letters.items():
            if (
                letter not in self.out.indices
                and letter not in self.direction_letters
                and not rules_layer_stack.is_layer_letter(self, letter)  # H_t^{(l)}, ^{(L)}
            ):
                self.out.step_labels[letter] = span
                self.note(
                    span,
                    "step label",
                    f"{self.source.snippet(span)} labels one value ({letter}: e.g. one "
                    "datapoint or one sample), written in parentheses with other labels: not "
                    "a power, a transpose or an entry"
                    if letter in listed
                    else f"^{{({letter})}} names one step ({letter}), "
                    "written in parentheses: not a power or a transpose",
                )
        steps = [i for i in self.out.indices.values() if i.kind == "step"]
        if len(steps) > 1 and (ell := ell_refusal((steps[0].letter, steps[1].letter))):
            raise self.error(ell[0], steps[1].span, hint=ell[1])  # l and \ell (rules_ell_index)
        if len(steps) > 1:
            raise self.error(
                f"{steps[0].letter} and {steps[1].letter} are both step indices: papermath reads "
                "one recurrence at a time",
                steps[1].span,
                hint=f"write one recurrence: where {steps[0].letter} and {steps[1].letter} are "
                "layers and time steps (a deep RNN), one layer's equations, the layer below's "
                f"output an input at each step; else every step with {steps[0].letter}",
            )
        for info in self.out.indices.values():
            self.note(info.span, f"{info.kind} index {info.letter}", info.reason)

    def head_families(self, statements: list[ast.Statement]) -> None:
        """``\\mathrm{Concat}(\\mathrm{head}_1, \\dots, \\mathrm{head}_h)`` with a definition
        ``\\mathrm{head}_i = ...``: a family of h values, i indexes its heads."""
        self.families: dict[str, str] = {}  # family key -> the count letter (h)
        for node in iter_nodes(statements):
            fam = family_concat(node, lambda n: self.symbol(n, quiet=True))
            if fam is not None:
                self.families[fam[0]] = fam[1]
        for st in statements:
            if not isinstance(st, ast.Definition) or not isinstance(st.lhs, ast.Sub):
                continue
            parts = self.symbol(st.lhs.base, quiet=True)
            if parts is None or parts.key not in self.families:
                continue
            if isinstance(st.lhs.script, ast.Letter):
                count = self.families[parts.key]
                self.add_index(
                    st.lhs.script.name,
                    "head",
                    f"{parts.key}_{st.lhs.script.name} defines one of the {count} values of "
                    f"the family {parts.key}_1, ..., {parts.key}_{count} (one per head)",
                    st.lhs.script.span,
                    size=count,
                )

    def entry_indices(self, statements: list[ast.Statement]) -> None:
        """``e_k`` under ``\\sum_k`` makes e a vector; then ``e_j`` elsewhere is entry j of it,
        so j indexes entries too (``\\alpha_j = \\exp(e_j) / \\sum_k \\exp(e_k)``)."""
        vectors: dict[str, str] = {}  # base key -> the element index seen on it
        subs = [n for n in iter_nodes(statements) if isinstance(n, ast.Sub)]
        for node in subs:
            if isinstance(node.script, ast.Letter):
                info = self.out.indices.get(node.script.name)
                base = self.symbol(node.base, quiet=True)
                if info is not None and info.kind == "element" and base is not None:
                    vectors.setdefault(base.key, node.script.name)
        for node in subs:
            letter = node.script.name if isinstance(node.script, ast.Letter) else None
            if letter is None or letter in self.out.indices or not letter.islower():
                continue
            base = self.symbol(node.base, quiet=True)
            if base is not None and base.key in vectors:
                self.add_index(
                    letter,
                    "element",
                    f"it indexes the entries of {base.key}, as {vectors[base.key]} does "
                    f"under its sum",
                    node.script.span,
                    size=self.out.indices[vectors[base.key]].size,
                )

    def sum_index(self, sub: ast.Node, sup: ast.Node | None) -> None:
        if isinstance(sub, ast.Letter) and sub.name in self.step_letters:
            return  # \sum_t over the steps: t is the step index (found by its offsets)
        if rules_table_rows.bind(self, sub, sup):
            return  # \sum_{w=1}^{W} beside v_{w_I}: w counts a table's rows
        if rules_recursion.bound(self, sub, sup):
            return  # \sum_{k=1}^{K} Z^{(k)} \Theta^{(k)}, Z^{(k)} from Z^{(k-1)}: the orders
        if rules_positions.bind(self, sub, sup):
            return  # \sum_{j=1}^{T_x} \alpha_{ij} h_j: j runs over the positions
        if rules_example_bound.bind(self, sub, sup):
            return  # \sum_i^n, "n is the number of training examples": i picks an example
        if isinstance(sub, ast.Prime) and isinstance(sub.base, ast.Letter):
            # \sum_{s'}: s' runs over the same positions as s (Luong's softmax over s')
            letter = sub.base.name
            primed = letter + "'" * sub.count
            if letter in self.collection_letters:
                why = f"{primed} and {letter} range over the same positions"
                self.add_index(letter, "node", why, sub.span, "the positions")
                self.add_index(
                    primed, "node", f"it is bound by a sum; {why}", sub.span, "the positions"
                )
                return
        if (
            isinstance(sub, ast.ScriptIn)
            and isinstance(sub.left, ast.Letter)
            and sub.left.name in self.relation_letters
        ):
            # \sum_{r \in \mathcal{R}} with N_r(v) inside: r runs over the types of edges
            over = set_name(sub.right) or "R"
            self.add_index(
                sub.left.name,
                "relation",
                f"it is bound by the sum over {over} and picks the edges of one type in "
                f"{self.relation_letters[sub.left.name]}",
                sub.span,
                over,
                size=over,
            )
            return
        if isinstance(sub, ast.Letter) and sub.name in self.relation_letters:
            self.add_index(
                sub.name,
                "relation",
                f"it is bound by a sum and picks the edges of one type in "
                f"{self.relation_letters[sub.name]}",
                sub.span,
                "R",
                size="R",
            )
            return
        if isinstance(sub, ast.ScriptIn) and (alone := rules_sets.with_itself(self, sub.right)):
            sub = ast.ScriptIn(sub.span, sub.left, alone)  # N(i) \cup \{i\}: the hood is N(i)
        if isinstance(sub, ast.ScriptIn) and isinstance(sub.right, ast.Call | ast.Sub | ast.Sup):
            found = neighbourhood_of(sub.right)
            if found is None and (subset := rules_node_subsets.refusal(self, sub)) is not None:
                raise subset  # v \in \text{Lab}(G): a subset of the nodes (rules_node_subsets)
            if found is None or not isinstance(sub.left, ast.Letter):
                raise self.error(
                    f"cannot read {self.source.snippet(sub.right.span)} as the neighbours of a "
                    "node",
                    sub.right.span,
                    hint="write the neighbourhood as \\mathcal{N}(v) or N(v), or \\mathcal{N}_v "
                    "(\\mathcal{N}_r(v) along the edges of type r, \\mathcal{N}^{out}(v) along "
                    "the edges out of v)",
                )
            of = found.of
            hood = self.source.snippet(sub.right.span)
            self.add_index(of, "node", f"its neighbours {hood} are summed", sub.right.span, "V")
            self.add_index(
                sub.left.name,
                "node",
                f"it is bound by the sum over the neighbours {hood} of {of}",
                sub.span,
                hood,
            )
            info = self.out.indices[sub.left.name]
            self.out.indices[sub.left.name] = IndexInfo(
                info.letter,
                info.kind,
                info.reason,
                info.span,
                info.over,
                info.size,
                of,
                found.relation,
                found.direction,
            )
            return
        if isinstance(sub, ast.ScriptIn) and isinstance(sub.left, ast.Letter):
            over = set_name(sub.right) or self.source.snippet(sub.right.span)
            self.add_index(
                sub.left.name, "node", f"it is bound by the sum over {over}", sub.span, over
            )
            self.out.sets.setdefault(over, sub.right.span)
        elif isinstance(sub, ast.Letter) and (
            sub.name in NODE_LETTERS
            or (sub.name in self.out.indices and self.out.indices[sub.name].kind == "node")
        ):
            self.add_index(sub.name, "node", "it is bound by a sum", sub.span, "V")
        elif isinstance(sub, ast.Letter) and sub.name in self.collection_letters:
            self.add_index(
                sub.name,
                "node",
                f"it is bound by a sum and picks one vector of a declared collection "
                f"({sub.name} subscripts a declared vector)",
                sub.span,
                "the positions",
            )
        elif isinstance(sub, ast.Letter) and sup is not None:
            # \sum_i^n: an upper limit and no lower one, the n terms i = 1..n (the count the
            # limit writes is kept, never dropped; rule operators.sum-upper-limit)
            size: str | None = self.sum_limit(sup)
            why = (
                rf"\sum_{sub.name}^{{{size}}} writes the upper limit {size} and no lower one: "
                f"{sub.name} = 1..{size}, the {size} terms the limit counts (as "
                rf"\sum_{{{sub.name}=1}}^{{{size}}})"
            )
            self.note(sub.span, f"{sub.name} = 1..{size}", why)
            self.add_index(
                sub.name, "element", f"it is bound by the sum: {why}", sub.span, size=size
            )
        elif isinstance(sub, ast.Letter):
            self.add_index(
                sub.name,
                "element",
                f"it is bound by the sum {self.source.snippet(sub.span)}: it runs over the "
                "entries of the vectors it indexes",
                sub.span,
            )
        elif (
            isinstance(sub, ast.ScriptEq)
            and isinstance(sub.left, ast.Letter)
            and sub.left.name in self.collection_letters
        ):
            # batch norm's \mu_B = \frac{1}{m} \sum_{i=1}^{m} x_i with x_i \in R^d: i picks one
            # example of the mini-batch, not an entry of a vector
            size = size_text(sup) if sup is not None else None
            if not (isinstance(sub.right, ast.Number) and sub.right.text == "1") or size is None:
                raise self.error(
                    "a sum over the examples of a batch is read from 1 to the batch size",
                    sub.span,
                    hint=f"write \\sum_{{{sub.left.name}=1}}^{{m}} with m the batch size",
                )
            self.add_index(
                sub.left.name,
                "batch",
                f"it picks one example x_{sub.left.name} of the mini-batch ({sub.left.name} "
                f"subscripts a declared vector): a sum over {sub.left.name} = 1..{size} is over "
                "the batch",
                sub.span,
                size=size,
            )
        elif isinstance(sub, ast.ScriptEq) and rules_basis.basis_range(self, sub, sup):
            pass  # \sum_{b=1}^{B} a_{rb} V_b: b counts a basis's members (rules_basis.py)
        elif isinstance(sub, ast.ScriptEq) and rules_orders.order_range(self, sub, sup):
            pass  # \sum_{k=0}^{K} (\hat A)^{k} X \Theta_k: k counts orders (rules_orders.py)
        elif isinstance(sub, ast.ScriptEq) and isinstance(sub.left, ast.Letter):
            lower = sub.right
            from_zero = rules_sums.counted_from_zero(self, sub, sup)  # \sum_{i=0}^{n-1}
            if from_zero is None and (
                not (isinstance(lower, ast.Number) and lower.text == "1") or sup is None
            ):
                if (zero := rules_example_bound.zero_to_size(self, sub, sup)) is not None:
                    raise zero  # \sum_{i=0}^{n}: n + 1 terms (rules_example_bound.py)
                raise self.error(
                    "a sum over a range of numbers is read from 1 to its size",
                    sub.span,
                    hint=f"write \\sum_{{{sub.left.name}=1}}^{{n}} or "
                    f"\\sum_{{{sub.left.name}=0}}^{{n-1}} with n the size",
                )
            assert sup is not None  # a range counted from 0 has its upper limit too
            size = from_zero or self.sum_limit(sup)
            self.add_index(
                sub.left.name,
                "element",
                f"it is bound by the sum {sub.left.name} = "
                f"{'0..' + size + '-1' if from_zero else '1..' + size}: it runs over the {size} "
                "entries of the vectors it indexes",
                sub.span,
                size=size,
            )
        elif isinstance(sub, ast.ScriptEq) and isinstance(sub.left, ast.Prime):
            # labml's AFT: \sum_{t'=1}^T beside t, over the positions
            primed = self.source.snippet(sub.left.span)
            raise self.error(
                f"a sum over a primed index ({primed} = ...) is not read: papermath reads a sum "
                "over a range with a letter of its own",
                sub.span,
                hint=f"write the sum with another letter for {primed}: \\sum_{{j=1}}^{{T}}",
            )
        else:
            written = " ".join(self.source.snippet(sub.span).split())
            raise self.error(
                f"cannot read what this sum ranges over (\\sum_{{{written}}}: the index "
                f"{written} with no set or range under the sum, and declared nowhere)",
                sub.span,
                hint=f"write what {written} ranges over under the sum: \\sum_{{{written} \\in V}} "
                f"(every node), \\sum_{{{written}=1}}^{{n}}",
            )

    def sum_limit(self, sup: ast.Node) -> str:
        """The size a sum's upper limit writes (``n``, ``T_x``); refused where it is none."""
        size = size_text(sup)
        if size is None:
            raise self.error(
                f"cannot read `{self.source.snippet(sup.span)}` as the size this sum runs to",
                sup.span,
                hint="the upper limit is a size: n, T_x, d_{model}",
            )
        return size

    def add_index(
        self,
        letter: str,
        kind: str,
        reason: str,
        span: Span,
        over: str | None = None,
        size: str | None = None,
    ) -> None:
        have = self.out.indices.get(letter)
        if have is None or (
            have.kind == "step" and kind == "node" and have.reason.startswith("it is declared")
        ):
            self.out.indices[letter] = IndexInfo(letter, kind, reason, span, over, size)
        elif have.kind == kind == "element" and have.size != size and None not in (have.size, size):
            raise self.error(
                f"{letter} runs to {have.size} in one sum and to {size} in another",
                span,
                hint="use another letter for the second sum",
            )
        elif {have.kind, kind} == {"element", "step"}:  # ChebConv's \sum_k Z^{(k)}, Z^{(k-1)}
            raise self.error(
                f"{letter} is used both as an element index (a sum's) and as a step index (a "
                f"recurrence's): first read as the {have.kind} index because {have.reason}",
                span,
                hint=f"where the sum runs over the steps of a recursion (ChebConv's "
                f"\\sum_{{{letter}=1}}^{{K}} Z^{{({letter})}} \\Theta^{{({letter})}}, "
                f"Z^{{({letter})}} from Z^{{({letter}-1)}}), write the recursion's first values on "
                f"their own lines (Z^{{(1)}} = X, Z^{{(2)}} = \\hat{{L}} X: as many as it reaches "
                f"back) and start the sum at the first (read/rules_recursion.py); otherwise use "
                "two letters, one for the sum and one for the steps",
            )
        elif have.kind != kind:
            raise self.error(
                f"{letter} is used both as a {have.kind} index and as "
                f"{'an' if kind == 'element' else 'a'} {kind} index",
                span,
                hint=f"use different letters (for example t for steps and v for nodes); "
                f"{letter} was first read as a {have.kind} index because {have.reason}",
            )

    def is_edge(self, a: str, b: str) -> bool:
        """Do the letters a, b name a node and one of its neighbours (j in N_i)?"""
        ia, ib = self.out.indices.get(a), self.out.indices.get(b)
        if ia is None or ib is None or ia.kind != "node" or ib.kind != "node":
            return False
        hoods = {info.of for info in self.out.indices.values() if info.of is not None}
        return a in hoods

    def index_kind(self, letter: str) -> str | None:
        """``"step"``, ``"node"`` or ``"element"`` for an index letter; None for a label."""
        info = self.out.indices.get(letter)
        return info.kind if info else None

    def find_value_keys(self, statements: list[ast.Statement]) -> None:
        """Keys used as values somewhere, to tell ``W (x + b)`` from a function ``f(x)``."""
        heads: set[int] = set()  # call heads and everything inside them (\mathcal{H} in H(x))
        for node in iter_nodes(statements):
            if isinstance(node, ast.Call):
                heads.update(id(n) for n in iter_nodes([node.func]))  # type: ignore[list-item]
            if isinstance(node, ast.Prime):  # x inside x' is not x used as a value
                heads.update(id(n) for n in iter_nodes([node.base]))  # type: ignore[list-item]
        heads |= generated_bases(statements)  # f^{(1)}_t of a stack (parse/cell_layers.py)
        for node in iter_nodes(statements):
            if id(node) in heads or not is_symbolish(node):
                continue
            parts = self.symbol(node, quiet=True)
            if parts is not None:
                self.value_keys.add(parts.key)
        for s in statements:
            if isinstance(s, ast.Declaration | ast.Sampling):
                for target in s.targets:
                    parts = self.symbol(target, quiet=True)
                    if parts is not None:
                        self.value_keys.add(parts.key)
                        self.known_values.add(parts.key)  # declared or drawn by the source

    # ---- statements --------------------------------------------------------------------
    def declaration(self, s: ast.Declaration) -> None:
        if isinstance(s.space, ast.Juxt) and is_reals(leftmost(s.space)):
            # \mathbb{R}^{d}h: something after the space; never a silent guess
            tail = Span(leftmost(s.space).span.end, s.space.span.end)
            raise self.error(
                f"cannot read `{self.source.snippet(s.space.span)}` as a space: "
                f"`{self.source.snippet(tail)}` follows it",
                tail,
                hint="write the sizes inside the braces: \\mathbb{R}^{d \\times h}",
            )
        if rules_number_sets.declaration(self, s):
            return  # y_v \in \{0, 1\}: a scalar per v
        if not is_reals(s.space):
            return  # an index declaration, handled by find_indices
        for target in s.targets:
            parts = self.target_symbol(target, "declared in a space", "x_t \\in \\mathbb{R}^{m}")
            self.out.declarations.append(Declared(parts.key, s.space, s.span))
            self.out.first_span.setdefault(parts.key, target.span)
            if (below := rules_layer_stack.declared_below(self, target, parts.key)) is not None:
                self.out.declarations.append(Declared(below, s.space, s.span))  # h^l: every l
        if getattr(s, "said", ""):  # sizes said in words (parse.prose): its own note
            self.note(s.span, "declaration", s.said)  # type: ignore[attr-defined]
            return
        between = self.source.text[s.targets[-1].span.end : s.space.span.start]
        if "\\in" not in between:
            self.note(
                s.span,
                "declaration",
                f"plain text: '{' '.join(self.source.snippet(s.span).split())}' read as "
                "\\in a space of real vectors or matrices",
            )

    def declared_vector_size(self, key: str) -> str | None:
        """The size of ``key`` where the source declares it a vector of one named size
        (``x \\in \\mathbb{R}^{H}``); else None."""
        for s in self.statements:
            if not isinstance(s, ast.Declaration) or not is_reals(s.space):
                continue
            for target in s.targets:
                parts = self.symbol(target, quiet=True)
                if parts is None or parts.key != key:
                    continue
                if not isinstance(s.space, ast.Sup):
                    return None
                axes = split_axes(s.space.script)
                size = size_text(axes[0]) if len(axes) == 1 else None
                return size if size is not None and not size.isdigit() else None
        return None

    def target_symbol(self, target: ast.Node, what: str, example: str) -> SymParts:
        """The symbol a declaration or a sample names; anything else is an error."""
        parts = self.symbol(target, quiet=True) if not is_symbolish(target) else None
        if parts is None and not is_symbolish(target) and what == "declared in a space":
            # d2l's `$$ \mathrm{softmax}(Q K^T / \sqrt{d}) V \in \mathbb{R}^{n \times v}.$$`
            raise self.error(
                "only a symbol can be declared in a space, and this is an expression with no "
                "name: papermath declares symbols (x \\in \\mathbb{R}^n) and reads equations "
                "(y = ...); what the expression computes has no name to read it into",
                target.span,
                hint="name what it computes: y = ... \\in \\mathbb{R}^{...} (y a name of "
                "your choice), with `% inputs: ...` for the symbols the prose says are data",
            )
        parts = self.symbol(target)
        if parts is None or parts.post:
            raise self.error(
                f"only a symbol can be {what}", target.span, hint=f"write it as `{example}`"
            )
        return parts

    def sampling(self, s: ast.Sampling) -> None:
        """``\\epsilon \\sim \\mathcal{N}(0, I)``: the symbol is drawn, not learned or computed."""
        dist = " ".join(self.source.snippet(s.distribution.span).split())
        for target in s.targets:
            parts = self.target_symbol(
                target, "drawn from a distribution", "\\epsilon \\sim \\mathcal{N}(0, I)"
            )
            self.out.sampled[parts.key] = dist
            self.out.first_span.setdefault(parts.key, target.span)
            self.note(
                s.span,
                "sampled input",
                f"{parts.key} is drawn from {dist}: a random input (not a learned parameter), "
                "with the shape the equations give it; generated code takes it as an input",
            )

    def definition(self, s: ast.Definition) -> None:
        if rules_graph.degree_statement(self, s) is not None:
            return  # D_{ii} = \sum_j A_{ij}: read where D^{-1/2} A D^{-1/2} uses it
        rules_updates.update_rule(self, s)  # x_t \leftarrow ...: the step's value
        if getattr(s, "said", ""):  # h' the next state, as the source says (parse/primes.py)
            reading = getattr(s, "reading", "primed next state")  # parse/frames.py: t+1
            self.note(s.lhs.span, reading, s.said)  # type: ignore[attr-defined]
        ahead = self.symbol(s.lhs, quiet=True)
        if ahead is not None and ahead.step is not None and ahead.offset > 0:
            # h^{(l+1)} = f(h^{(l)}): the same equation one step earlier, h^{(l)} = f(h^{(l-1)})
            self.shift = (ahead.step, -ahead.offset)
            step = ahead.step
            self.note(
                s.lhs.span,
                f"equation at step {step}",
                f"the left side is written at step {step}{ahead.offset:+d}: read as the same "
                f"equation one step earlier, every {step} moved back by {ahead.offset} "
                f"({ahead.key} at step {step} from the values at step {step}-{ahead.offset})",
            )
        elif isinstance(s, ast.Definition):  # e_{ij} = f(h^{(l)}) beside h^{(l+1)} = ...
            self.shift = rules_ahead_intermediates.shift(self, s)
        try:
            self.definition_at_step(s)
        finally:
            self.shift = None

    def definition_at_step(self, s: ast.Definition) -> None:
        written = s.lhs
        if (
            isinstance(written, ast.Call)
            and len(written.args) == 1
            and isinstance(written.args[0], ast.Letter)
            and written.args[0].name in self.out.indices
        ):
            # a_t(s): the value a_t at the position (node) s, as a_{t,s}
            func, (arg,) = written.func, written.args
            assert isinstance(arg, ast.Letter)
            written = ast.Sub(written.span, func, arg)
            self.note(
                s.lhs.span,
                f"value per {arg.name}",
                f"{self.source.snippet(s.lhs.span)} is {self.source.snippet(func.span)} at each "
                f"{arg.name}: one value per position, not a function call",
            )
        if rules_blocks.tuple_left_side(self, s, written):  # [q, k, v] = z U_{qkv}: blocks
            return
        rules_left_sides.refuse(self, written)  # a column of numbers, loss(x1, x2) = ...
        rules_known_definitions.refuse(self, written)  # tanh(a) = ...: tanh known
        rules_sum_statements.refuse(self, written)  # \sum_i \beta^i = \frac{...}: a fact
        lhs = self.term(written)
        element = None
        if isinstance(lhs, t.Elem) and isinstance(lhs.body, t.Sym):
            element, lhs = lhs.index, lhs.body
            self.note(
                s.lhs.span,
                f"equation over the entries {element}",
                f"{self.source.snippet(s.lhs.span)} = ... defines every entry {element} of "
                f"{lhs.key} at once: the equation holds elementwise, for the whole vector",
            )
        logged = lhs  # \log \sigma^2 = W h + b: sigma, defined through its logarithm
        implicit = rules_implicit.log_left_side(self, lhs)
        if implicit is not None:
            lhs = implicit[0]
        if not isinstance(lhs, t.Sym):
            raise self.error(
                "the left side of a definition must be one symbol",
                s.lhs.span,
                hint="papermath reads `name = expression`; move the rest to the right side",
            )
        if lhs.offset != 0 and not rules_layer_widths.backward(self, lhs, s):
            raise self.error(
                f"{lhs.key} at step {lhs.step}{lhs.offset:+d} on the left side: an equation "
                f"defines a value at step {lhs.step}, not at {lhs.step}{lhs.offset:+d}",
                s.lhs.span,
                hint=f"write the left side at step {lhs.step}",
            )
        rhs = self.term(s.rhs)
        if implicit is not None:
            lhs, rhs = rules_implicit.inverse(self, logged, rhs, self.source.snippet(s.lhs.span))
        rhs = rules_attention.edge_softmax(self, lhs, rhs)  # alpha_{ij} = softmax(s_{ij})
        rhs = rules_positions.position_softmax(self, lhs, rhs)  # alpha_{i,t} = softmax(x_i.q_t)
        line = self.source.line_col(s.span.start)[0]
        if isinstance(rhs, t.StepSum) and lhs.step is None:
            # L = \sum_t l_t: a running sum over the steps, whose last value is the sum
            step = rhs.index
            lhs = t.Sym(lhs.span, lhs.key, step, 0, lhs.step_label, lhs.node, lhs.example)
            prev = t.Sym(lhs.span, lhs.key, step, -1, None, lhs.node, lhs.example)
            rhs = t.Add(rhs.span, "+", prev, rhs.body)
            self.note(
                s.span,
                f"sum over the steps {step}",
                f"{self.source.snippet(s.rhs.span).split()[0]} runs over the steps {step} of "
                f"the recurrence: read as the running sum {lhs.key}_{step} = "
                f"{lhs.key}_{{{step}-1}} + (the body), from {lhs.key} = 0 before the first "
                f"step; {lhs.key} at the last step is the whole sum",
            )
        for x in t.walk(rhs):
            if isinstance(x, t.StepSum):
                raise self.error(
                    f"a sum over the steps {x.index} is read only as the whole right side "
                    f"(L = \\sum_{x.index} ...)",
                    x.span,
                    hint="give the sum its own equation, and use its symbol here",
                )
        self.out.equations.append(t.Equation(s.span, lhs, rhs, line, element))
        if s.decl is not None:
            if not is_reals(s.decl):
                raise self.error(
                    "a definition can only be followed by a space \\in \\mathbb{R}^{...}",
                    s.decl.span,
                )
            self.out.declarations.append(Declared(lhs.key, s.decl, s.span))

    def resolve_directive_names(self) -> None:
        """A directive may name a symbol as written (``% inputs: \\hat{A}, \\mu``): the symbol
        whose occurrence reads the same (spaces aside) is the one meant."""
        written: dict[str, str] = {}
        for eq in self.out.equations:
            for x in [eq.lhs, *t.walk(eq.rhs)]:
                if isinstance(x, t.Sym):
                    text = "".join(self.source.snippet(x.span).split())
                    written.setdefault(text, x.key)
        for d in self.out.declarations:
            first = self.out.first_span.get(d.key, d.span)  # a trailing one: its statement
            text = "".join(self.source.snippet(first).split())
            written.setdefault(text, d.key)
        for name in list(self.out.directives):
            if name in self.out.first_span or name in self.out.indices:
                continue
            key = written.get(name) or (name[1:] if name.startswith("\\") else None)
            if key is not None and key in self.out.first_span:
                self.out.directives[key] = self.out.directives.pop(name)

    def check_index_labels(self) -> None:
        """``h_i`` and ``h_j`` with nothing binding i, j: one h at two nodes or positions (as
        GAT writes), or two symbols? Refused rather than read as two parameters."""
        by_base: dict[str, list[str]] = {}
        for key in self.out.first_span:
            base, _, label = key.partition("_")
            if label in INDEX_LIKE and base[:1].islower():
                by_base.setdefault(base, []).append(key)
        for base, keys in by_base.items():
            if len(keys) > 1:
                a, b = keys[0], keys[1]
                if (pairs := rules_graph_data.node_pair_refusal(self, a, b)) is not None:
                    raise pairs  # "between nodes v and u": a value per pair of nodes
                raise self.error(
                    f"{a} and {b}: one {base} at two indices, or two symbols? nothing here "
                    f"binds {a[-1]} or {b[-1]}",
                    self.out.first_span[b],
                    hint=f"declare the indices ({a[-1]}, {b[-1]} \\in V for nodes), or name the "
                    f"symbols with words ({base}_{{in}}, {base}_{{out}})",
                )

    # ---- functions the source defines ----------------------------------------------------
    def function_definition(self, s: ast.Definition) -> FnDef | None:
        """``\\mathrm{FFN}(x) = ...``: a call on the left whose head is no known function and
        whose arguments are symbols (not indices: ``a_t(s)`` is an entry, not a function)."""
        if not isinstance(s.lhs, ast.Call):
            return None
        if self.function_of(s.lhs.func) is not None:
            # \sigma(x) = ..., \text{LN}(X) = ...: the source's own definition wins
            key = rules_functions.head_key(self, s.lhs.func)
            if key is None:
                return None
        else:
            head = self.symbol(s.lhs.func, quiet=True) if is_symbolish(s.lhs.func) else None
            if head is None or head.post or head.step or head.node or head.element:
                return None
            key = head.key
        formals = []
        for arg in s.lhs.args:
            parts = self.symbol(arg, quiet=True) if is_symbolish(arg) else None
            if parts is None or parts.post or parts.key in self.out.indices:
                return None
            formals.append(parts.key)
        if len(set(formals)) != len(formals):
            twice = next(k for k in formals if formals.count(k) > 1)
            written = [
                " ".join(self.source.snippet(arg.span).split())
                for arg, k in zip(s.lhs.args, formals, strict=True)
                if k == twice
            ]
            if len(set(written)) == 1:
                raise self.error(
                    f"a function's parameters must differ: {written[0]} is written twice",
                    s.lhs.span,
                )
            raise self.error(
                f"a function's parameters must differ: {' and '.join(written)} are one symbol, "
                f"{twice}, at two indices (one value per index, as the nodes of a pair), and "
                "papermath reads a function's parameters as values of their own",
                s.lhs.span,
                hint=f"give the parameters names of their own ({twice}_{{in}}, {twice}_{{out}} "
                f"for {' and '.join(written[:2])})",
            )
        line = self.source.line_col(s.span.start)[0]
        if key in self.functions:
            raise self.error(
                f"{key} is defined twice (first on line {self.functions[key].line})",
                s.lhs.span,
                hint=f"two formulas for one function are two variants of the model: give the "
                f"second its own name ({key}_2(...) = ...), or keep the one the model uses",
            )
        if said := getattr(s, "said", ""):  # h(u,v)_i = u_i*v_i (parse/entry_values.py)
            self.note(s.lhs.span, getattr(s, "reading", "definition"), said)
        self.out.defined_functions[key] = line
        self.out.definition_spans[key] = s.span
        self.out.first_span.setdefault(key, s.lhs.func.span)
        return FnDef(key, tuple(formals), s.rhs, s.span, line)

    def is_function_definition(self, s: ast.Definition) -> bool:
        return any(fd.span == s.span for fd in self.functions.values())

    def call_defined(
        self,
        node: ast.Call,
        fd: FnDef,
        args: tuple[ast.Node, ...],
        extra: dict[str, t.Term] | None = None,
    ) -> t.Term:
        """Inline a call: the body, read with each argument in place of its parameter, so
        shapes are inferred per call (``extra``: values for letters the name's subscript sets,
        read/rules_function_parameter.py)."""
        args = rules_functions.weights_named(self, fd, args)  # T(x, W_T) with T(x) defined
        if len(args) != len(fd.formals):
            raise self.error(
                f"{fd.key} takes {len(fd.formals)} argument{'s' * (len(fd.formals) != 1)} "
                f"(line {fd.line}), not {len(args)}",
                node.span,
            )
        if fd.key in self.expanding:
            raise self.error(
                f"{fd.key} calls itself: papermath reads functions that are not recursive",
                node.span,
            )
        unused = rules_layers.unused_arguments(self, fd, args)
        actual = tuple(unused[i] if i in unused else self.term(a) for i, a in enumerate(args))
        self.called_functions.add(fd.key)
        passed = [a.key for a in actual if isinstance(a, t.Sym)]
        for i, a in enumerate(actual):
            if rules_functions.is_weight_name(a.key) if isinstance(a, t.Sym) else False:
                continue  # FFN(h, W_1, b_1): the weights written as arguments stay parameters
            if isinstance(a, t.Sym) and rules_prose_kinds.bias_beside_weights(a.key, passed):
                continue  # f(x, W, b): b beside W is its bias (rules_prose_kinds)
            if isinstance(a, t.Sym) and not a.step and not a.node and i not in unused:
                self.out.role_inputs.setdefault(
                    a.key, f"an argument of the function {fd.key} (line {fd.line})"
                )
        shown = ", ".join(
            f"{f} = {' '.join(self.source.snippet(a.span).split())}"
            for f, a in zip(fd.formals, args, strict=True)
        )
        self.note(
            node.span,
            f"call of {fd.key}",
            f"{fd.key} is the function defined on line {fd.line}: its body, with {shown}",
        )
        saved, self.subst = (
            self.subst,
            {**(extra or {}), **dict(zip(fd.formals, actual, strict=True))},
        )
        self.expanding.append(fd.key)
        try:
            body = self.term(fd.body)
        finally:
            self.subst = saved
            self.expanding.pop()
        self.added_data(fd, body, {id(a) for a in actual}, by_key=False)
        return t.FnCall(node.span, fd.key, actual, body, fd.line)

    def added_data(
        self, fd: FnDef, body: t.Term, arguments: set[int] | set[str], by_key: bool
    ) -> None:
        """rules_roles: what a weightless function only adds (a mask) is an input."""
        known = self.defined_keys | set(self.functions)
        for x in rules_roles.added_data(body, arguments, known, by_key):
            if x.key in self.out.directives:
                continue
            if x.key not in self.out.role_inputs:
                self.note(
                    x.span,
                    "input (data added in a function without weights)",
                    f"{fd.key}({', '.join(fd.formals)}) multiplies by no weight of its own; "
                    f"{x.key}, which it only adds, is read as data given with its arguments "
                    f"(a mask), not a learned parameter; another reading: "
                    f"`% papermath: {x.key} is parameter`",
                )
            self.out.role_inputs.setdefault(
                x.key, f"added by the function {fd.key} (line {fd.line}), which has no weights"
            )

    def called_in_functions(self) -> set[str]:
        """The functions another function's body calls (inlined there, so no equation of their
        own: ``\\mathrm{Swish}_1(xW)`` in the FFN the source defines after Swish)."""
        out: set[str] = set()
        for fd in self.functions.values():
            for n in ast.walk([fd.body]):
                if not isinstance(n, ast.Call) or not is_symbolish(n.func):
                    continue
                parts = self.symbol(n.func, quiet=True)
                if parts is None or parts.key == fd.key:
                    continue
                if parts.key in self.functions:
                    out.add(parts.key)
                elif (found := rules_function_parameter.definition(self, parts)) is not None:
                    out.add(found[0].key)
        return out

    def uncalled_function(self, fd: FnDef) -> None:
        """A definition nothing calls: an equation for its value, its parameters the inputs."""

        def weight(f: str) -> bool:  # w_O of v_{w_I}: an input by its role (rules_table_rows)
            return rules_functions.is_weight_name(f) and f not in self.out.role_inputs

        for f in fd.formals:
            if weight(f) or rules_prose_kinds.bias_beside_weights(f, fd.formals):
                continue  # FFN(x, W_1, b_1) = ...: weights among the arguments (rules_functions)
            self.out.role_inputs.setdefault(
                f, f"an argument of the function {fd.key} (line {fd.line})"
            )
        self.note(
            fd.span,
            f"function {fd.key}",
            f"{fd.key}({', '.join(fd.formals)}) is defined and never called: read as the "
            f"equation for its value, with " + rules_prose_kinds.arguments_said(fd.formals, weight),
        )
        rhs = self.term(fd.body)
        self.added_data(fd, rhs, set(fd.formals), by_key=True)
        node = rules_label_pick.argument_node(rhs, fd.formals)  # f(x_i, W, b): one per i
        lhs = t.Sym(self.out.first_span[fd.key], fd.key, node=node)
        self.out.equations.append(t.Equation(fd.span, lhs, rhs, fd.line))
        del self.out.defined_functions[fd.key]

    def per_node_keys(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for eq in self.out.equations:
            for x in [eq.lhs, *t.walk(eq.rhs)]:
                if isinstance(x, t.Sym) and x.node is not None:
                    out.setdefault(x.key, x.node)
        return out

    def check_definitions(self) -> None:
        rules_label_pick.entries_at_node(self)  # f_j in J_i = ...: f_i's entry j
        rules_label_pick.per_example_and_total(self)  # L_i and L = \sum_i L_i: two values
        rules_position_pairs.read_whole(self)  # \mathbf{a} = softmax(\mathbf{e}), column-wise
        rules_edge_sum_left.per_node(self)  # norm_{ij} = \sum_{j \in N_i} ...: per node i
        seen: dict[str, t.Equation] = {}
        per_node = self.per_node_keys()
        for eq in self.out.equations:
            key = eq.lhs.key
            if key in seen:
                other = seen[key]
                raise self.error(
                    f"{key} is defined twice (first on line {other.line})",
                    eq.lhs.span,
                    hint="give the second one another name (a label or a decoration)",
                )
            seen[key] = eq
            self.check_nodes(eq, per_node)
        rules_reverse.backward_states(self, self.out.equations)  # h_t from h_{t+1}
        rules_graph.unused_degree_statements(self)
        rules_self_loops.mark(self)  # (A + (1 + eps) I) X: A a graph's adjacency (input)
        rules_parallel_weights.alike(self)  # h {W^{(k)}}^T + h {B^{(k)}}^T: B a weight too
        self.check_cycles(seen)

    def check_cycles(self, defined: dict[str, t.Equation]) -> None:
        """A value may use its own previous step (h_{t-1}), never itself: ``\\theta = \\theta -
        \\eta g`` is an update rule, not an equation. Checked here so every command refuses it."""
        deps = {
            key: [
                x
                for x in t.walk(eq.rhs)
                if isinstance(x, t.Sym) and x.key in defined and x.offset == eq.lhs.offset
            ]
            for key, eq in defined.items()
        }
        state: dict[str, int] = {}  # 1: on the path, 2: done

        def visit(key: str, path: list[str]) -> None:
            state[key] = 1
            for x in deps[key]:
                if state.get(x.key) == 1:
                    cycle = [*path[path.index(x.key) :], x.key] if x.key in path else [key, key]
                    shown = " -> ".join(cycle)
                    raise self.error(
                        f"{x.key} depends on itself ({shown}): an update rule or a loop, not a "
                        "system of equations",
                        x.span,
                        hint=rules_pairs.loop_hint(self, x.key)  # routing by agreement
                        or f"give the new value its own name ({x.key}' = ...), or use the "
                        f"previous step ({x.key}_{{t-1}})",
                    )
                if x.key not in state:
                    visit(x.key, [*path, x.key])
            state[key] = 2

        for key in defined:
            if key not in state:
                visit(key, [key])

    def check_nodes(self, eq: t.Equation, per_node: dict[str, str]) -> None:
        """A per-node value can reach a graph-level one only through a sum over its nodes,
        and is always written with its node index."""
        per_edge = {
            x.key: (x.node, x.edge)
            for e in self.out.equations
            for x in [e.lhs, *t.walk(e.rhs)]
            if isinstance(x, t.Sym) and x.edge is not None
        }
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if (refused := rules_pair_hints.whole(self, eq, x)) is not None:
                raise refused  # \mathbf{a} = softmax(\mathbf{e}) of values per pair a_{i,j}
            if isinstance(x, t.Sym) and x.key in per_node and x.node is None:
                raise self.error(
                    f"{x.key} is a value per node elsewhere, but has no node index here",
                    x.span,
                    hint=f"write {x.key}_{per_node[x.key]}",
                )
            if isinstance(x, t.Sym) and x.key in per_edge and x.edge is None:
                i, j = per_edge[x.key]
                raise self.error(
                    f"{x.key} is a value per edge elsewhere ({x.key}_{{{i}{j}}}), but has one "
                    "index here",
                    x.span,
                    hint=f"write both indices, the node and its neighbour ({x.key}_{{{i}{j}}})",
                )

        def visit(term: t.Term, bound: set[str]) -> None:
            if isinstance(term, t.NodeSum | t.NeighbourSum | t.NeighbourMax | t.NeighbourAggregate):
                visit(term.body, bound | {term.index})
                return
            if isinstance(term, t.NodeAggregate):  # AGG_{v \in G}: rules_range_aggregation
                visit(term.body, bound | {term.index})
                return
            lhs_letters = {eq.lhs.node, eq.lhs.edge} - {None}
            if isinstance(term, t.Sym) and term.edge and term.edge not in bound | lhs_letters:
                raise self.error(
                    f"{self.source.snippet(term.span)} is a value per edge ({term.node}, "
                    f"{term.edge}), but {term.edge} is bound by no sum over the neighbours and "
                    f"{self.source.snippet(eq.lhs.span)} is not indexed by it",
                    term.span,
                    hint=f"sum over the neighbours (\\sum_{{{term.edge} \\in "
                    f"\\mathcal{{N}}_{term.node}}} ...) or index the left side by it",
                )
            if (
                isinstance(term, t.Sym)
                and term.node
                and term.node not in bound
                and term.node not in lhs_letters
            ):
                raise self.error(
                    f"{self.source.snippet(term.span)} is a value per node {term.node}, but "
                    f"{self.source.snippet(eq.lhs.span)} is not indexed by {term.node}",
                    term.span,
                    hint=f"sum over the nodes (\\sum_{{{term.node} \\in V}} ...) or index the "
                    f"left side by {term.node}",
                )
            for c in t.children(term):
                visit(c, bound)

        visit(eq.rhs, set())

    # ---- symbols -----------------------------------------------------------------------
    def symbol(self, node: ast.Node, quiet: bool = False) -> SymParts | None:
        """Peel fonts, decorations and scripts off a symbol; None if it is not a symbol.
        A symbol whose key cannot be a name in generated code is refused where it stands."""
        parts = self._symbol(node, quiet)
        if parts is not None and not KEY.fullmatch(parts.key):
            raise self.error(
                f"`{self.source.snippet(parts.span)}` cannot be a variable's name: a name is "
                "ASCII letters, digits and _, starting with a letter",
                parts.span,
                hint="rename it, e.g. \\text{x1} for \\text{1x}, or a Latin letter",
            )
        return parts

    def number(self, text: str, span: Span) -> float:
        """A number as written; one too large for a float is refused here."""
        value = float(text)
        if not math.isfinite(value):
            raise self.error(
                f"the number {text[:20]}{'...' if len(text) > 20 else ''} is too large to "
                "compute with (beyond 1.8e308)",
                span,
                hint="write it with fewer digits, or name it as a symbol",
            )
        return value

    def _symbol(self, node: ast.Node, quiet: bool = False) -> SymParts | None:
        match node:
            case ast.Letter(name=name):
                return SymParts(name, node.span)
            case ast.Text(content=content) if content.replace("_", "").isalnum() and not lookup(
                content
            ):
                return SymParts(content, node.span)
            case ast.Font(font=font, body=body):
                if font == "mathbb":
                    return None
                return self.symbol(body, quiet)
            case ast.Overset(over=over, body=body):
                parts = self.symbol(body, quiet)
                if parts is not None and not quiet:
                    flip = [p[0] for p in parts.post] == ["transpose"]  # W^T: W is the flip
                    offset = parts.offset
                    if self.shift is not None and parts.step == self.shift[0]:
                        offset += self.shift[1]  # z_{k+1} = f(z_k): read as z_k = f(z_{k-1})
                    self.overset_declaration(parts.key, over, node.span, flip, offset)
                return parts
            case ast.Decorated(decor=decor, body=body):
                parts = self.symbol(body, quiet)
                if parts is not None:
                    parts.decorations.insert(0, DECORATIONS.get(decor, decor))
                    parts.span = node.span
                return parts
            case ast.Prime(base=base, count=count):
                parts = self.symbol(base, quiet)
                if (
                    parts is not None
                    and count == 1
                    and self.plain_text
                    and parts.key in (self.value_keys | self.known_values)
                ):
                    # plain text (no LaTeX command anywhere), W' beside W: a transpose, as in
                    # MATLAB-style notes; in LaTeX x' is a new symbol x prime
                    parts.post.append(("transpose", 0.0, node.span))
                    if not quiet:
                        self.note(
                            node.span,
                            "transpose",
                            f"plain text: {self.source.snippet(node.span)} is {parts.key} "
                            f"transposed ({parts.key}^T), as {parts.key} is used as itself too",
                        )
                    parts.span = node.span
                    return parts
                if parts is not None:
                    parts.decorations.extend(["prime"] * count)
                    parts.span = node.span
                return parts
            case ast.Sub(base=base, script=script) | ast.Sup(base=base, script=script):
                parts = self.symbol(base, quiet)
                if parts is None:
                    return None
                add = self.subscript if isinstance(node, ast.Sub) else self.superscript
                add(parts, script, quiet)
                parts.span = node.span
                return parts
        return None

    def overset_declaration(
        self, key: str, over: ast.Node, span: Span, flip: bool = False, offset: int = 0
    ) -> None:
        """``\\overset{[N \\times D]}{X}`` declares X to be N x D (the gist's \\overdim);
        over ``W^T`` (``flip``), W is D x N (rules_layer_widths.flipped)."""
        inner = over.items[0] if isinstance(over, ast.Bracket) and len(over.items) == 1 else over
        if flip:
            inner = rules_layer_widths.flipped(self, key, inner)
        if any(d.span == span for d in self.out.declarations):
            return
        space = ast.Sup(over.span, ast.Letter(over.span, "R"), inner)
        self.out.declarations.append(Declared(key, space, span, offset, self.shift))
        self.note(
            span,
            "shape written above the symbol",
            f"\\overset puts {key}'s shape above it: read as {key}{'^T' * flip} \\in "
            f"\\mathbb{{R}}^{{{self.source.snippet(inner.span)}}}",
        )

    def declare(self, key: str, space: ast.Node, span: Span, offset: int = 0) -> None:
        """A declaration a rule reads (rules_entry_matrix: the ranges N x D of [a_{ij}])."""
        self.out.declarations.append(Declared(key, space, span, offset))

    def subscript(self, parts: SymParts, script: ast.Node, quiet: bool) -> None:
        if isinstance(script, ast.Mark) and script.mark == "code-key":
            parts.labels.append(getattr(script, "label", ""))  # W[x->i]: parse/code_index.py
            return
        if rules_basis.subscript(self, parts, script, quiet):
            return  # a_{rb}, V_b: one per member b of a basis (read/rules_basis.py)
        if rules_pairs.subscript(self, parts, script, quiet):
            return  # c_{ij}, \hat u_{j|i}: a value per pair of two sets' members
        if rules_attention.edge_subscript(self, parts, script, quiet):
            return  # \alpha_{i,j}, e_{j,i}: a value per edge
        items = script.items if isinstance(script, ast.ScriptList) else (script,)
        for item in items:
            off = offset_of(item)
            unbraced = not quiet and self.source.text[item.span.start - 1 : item.span.start] == "_"
            if off is not None and unbraced:
                self.note(
                    Span(parts.span.start, item.span.end),
                    f"{parts.key} at step {off[0]}{off[1]:+d}",
                    f"{self.source.snippet(parts.span)}_{self.source.snippet(item.span)} is plain "
                    f"text for {parts.key}_{{{off[0]}{off[1]:+d}}}: the value at step "
                    f"{off[0]}{off[1]:+d}, not {parts.key}_{off[0]} "
                    f"{'minus' if off[1] < 0 else 'plus'} {abs(off[1])}",
                )
            if off is not None:
                letter, offset = off
                info = self.out.indices.get(letter)
                if info is not None and info.kind == "node":
                    if not quiet:
                        raise self.error("a node index cannot carry an offset", item.span)
                    continue
                parts.step, parts.offset = letter, offset
                continue
            if isinstance(item, ast.Letter) and item.name in self.out.indices:
                info = self.out.indices[item.name]
                if info.kind == "element" and len(items) > 1 and not quiet:
                    raise self.error(
                        f"{self.source.snippet(script.span)}: entries with two indices (a "
                        "matrix's U_{i,j}) are not read yet",
                        script.span,
                        hint=rules_position_pairs.entry_hint(self, parts.base, items)  # w_{t,t'}
                        or rules_positions.entry_hint(
                            self, [n for x in items if (n := index_name(x))]
                        )
                        or rules_pair_hints.hint(self, items)
                        or TWO_INDEX_HINT,
                    )
                if info.kind == "element":
                    if parts.element is not None and not quiet:
                        raise self.error(
                            "entries with two indices (a matrix's W_{ij}) are not read yet",
                            item.span,
                            hint=rules_pair_hints.hint(self, (parts.element, item.name))
                            or TWO_INDEX_HINT,
                        )
                    parts.element = item.name
                    continue
                if info.kind == "batch":
                    parts.example = item.name  # one example of the batch: x_i is x
                    continue
                if info.kind == "order" and not quiet:
                    rules_orders.inside_the_sum(self, parts, item)  # Theta_k: in the sum
                if info.kind in ("head", "relation", "order", "table"):  # table: rules_table_rows
                    parts.head = item.name  # W_i^Q: the one of head i; P_r: of edge type r
                    continue
                if info.kind == "node":
                    parts.node = item.name
                else:
                    parts.step, parts.offset = item.name, 0
                continue
            if (
                isinstance(item, ast.Letter)
                and len(self.step_letters) == 1
                and item.name == next(iter(self.step_letters)).upper()
                and item.name not in self.out.indices
            ):
                # h_T beside h_{t-1}: h at the last step T (of a recurrence over t)
                step = next(iter(self.step_letters))
                parts.step, parts.offset = step, 0
                if not quiet:
                    self.note(
                        Span(parts.span.start, item.span.end),
                        f"{parts.key} at the last step",
                        f"{parts.key}_{item.name} is {parts.key} at the last step {item.name} of "
                        f"the recurrence over {step}: what uses it is computed at every step, "
                        f"and its value at the last step (the last of its sequence) is the "
                        "one meant",
                    )
                continue
            if isinstance(item, ast.Prime) and index_name(item) in self.out.indices:
                parts.node = index_name(item)  # \bar h_{s'}: at the position s'
                continue
            if isinstance(item, ast.Mark) and item.mark == "empty":
                continue
            pair = juxt_letters(item)
            if rules_positions.subscript(self, parts, item, pair, quiet):
                continue  # \alpha_{ij}: at the step i and the position j
            if len(pair) == 2 and pair[0] != pair[1] and self.is_edge(pair[0], pair[1]):
                # e_{ij}, \alpha_{ij} with j a neighbour of i: one value per edge (j -> i)
                parts.node, parts.edge = pair
                if not quiet:
                    self.note(
                        Span(parts.span.start, item.span.end),
                        f"value per edge ({pair[0]}, {pair[1]})",
                        f"{parts.key}_{{{pair[0]}{pair[1]}}}: one value for each node "
                        f"{pair[0]} and each of its neighbours {pair[1]} (an edge from "
                        f"{pair[1]} to {pair[0]}); the edges are the graph's (inputs['edges'])",
                    )
                continue
            if not quiet and (
                any(self.index_kind(x) == "element" for x in pair)
                or (len(pair) == 2 and pair[0] != pair[1] and set(pair) <= {"i", "j", "k"})
            ):
                raise self.error(
                    f"entries with two indices ({self.source.snippet(item.span)}) are not read yet",
                    item.span,
                    hint=rules_edge_entries.hint(self, pair)  # alpha_{ij}
                    or rules_pair_hints.hint(self, pair)  # \Sigma_{j \in N_i}, W_{ij} x_i
                    or TWO_INDEX_HINT,
                )
            if not quiet and parity_entry(item):
                raise self.error(
                    f"_{self.source.snippet(item.span)}: the entries at the even (2i) and odd "
                    "(2i+1) indices of one vector are not read yet",
                    item.span,
                    hint="papermath has no primitive yet that interleaves even and odd entries "
                    "or uses an index as a number (10000^{2i/d}); give the vector as an input: "
                    "its name in roman, \\mathrm{PE}_{pos} \\in \\mathbb{R}^{d}, and a line "
                    "`% inputs: PE_pos`",
                )
            if rules_table_rows.label_subscript(self, parts, item, quiet):
                continue  # v_{w_I}: the row of the table v at the word w_I
            if rules_label_pick.label_subscript(self, parts, item, quiet):
                continue  # f_{y_i}: the entry of f at the label y_i
            if rules_code_labels.label_subscript(self, parts, item, quiet):
                continue  # x[class] written as code: the entry at the class index
            if rules_set_builder.hood_subscript(self, parts, item, quiet):
                continue  # h_{\mathcal{N}(i)}: the value aggregated over i's neighbours
            if rules_member_range.subscript(self, parts, item, quiet):
                continue  # W_{1...h}^Q: every member of the family of heads
            label = label_text(item)
            if label is None:
                if quiet:
                    continue
                raise self.error(
                    f"cannot read the subscript `{self.source.snippet(item.span)}`",
                    item.span,
                    hint=rules_pair_hints.sigma_hint(self, parts, item)  # \Sigma_{j \in N_i}
                    or rules_table_rows.hint(self, parts, item)  # v_{w_I}, w's range unsaid
                    or edge_typed_hint(self, parts, item)  # W_{e_{ij}}: a type per edge
                    or "a subscript is a label (W_{xi}), an index (x_t) or a step (h_{t-1})",
                )
            if unbraced and len(label) > 1:
                self.note(
                    Span(parts.span.start, item.span.end),
                    f"label {label}",
                    f"{self.source.snippet(Span(parts.span.start, item.span.end))} is plain text "
                    f"for {parts.base}_{{{label}}}: a subscript word without braces is one label",
                )
            parts.labels.append(label)

    def superscript(self, parts: SymParts, script: ast.Node, quiet: bool) -> None:
        if (layer := rules_layer_stack.layer_superscript(self, script, parts.base)) is not None:
            parts.labels += [layer] if layer else []  # h^l_t: this layer; h^{l-1}_t: below
            return
        match script:
            case ast.Mark(mark="transpose") | ast.Letter(name="T"):
                parts.post.append(("transpose", 0.0, script.span))
            case ast.Mark(mark="prime"):
                parts.decorations.append("prime")
            case ast.Prime(base=ast.Letter(name=name) as inner, count=count) if (
                name not in self.out.indices and name not in ("t", "T")
            ):  # h^{f'}_t (Chainer's BiGRU): the label f, primed: a symbol of its own
                parts.labels.append(name)
                parts.sup_labels.append((name, inner.span))
                parts.decorations.extend(["prime"] * count)
            case ast.Mark(mark="star"):
                parts.decorations.append("star")
            case ast.Number(text=text):
                parts.post.append(("power", self.number(text, script.span), script.span))
            case ast.Neg(body=ast.Number(text=text)):
                parts.post.append(("power", -self.number(text, script.span), script.span))
            case ast.Paren(body=ast.Letter(name=name)) if self.index_kind(name) == "element":
                parts.element = name  # x^{(k)}: dimension k of x (rules_units)
            case (
                ast.Paren(body=ast.Number(text=digits))
                | ast.Bracket(items=(ast.Number(text=digits),))
            ) if rules_units.layer_label(self, parts, digits):
                parts.labels.append(digits)  # W^{(0)}, W^{(1)}: two layers' matrices
                parts.sup_labels.append((digits, script.span))
            case ast.Paren(body=inner):
                off = offset_of(inner)
                if off is not None:
                    parts.step, parts.offset = off
                elif isinstance(inner, ast.Letter) and inner.name in self.out.indices:
                    parts.step, parts.offset = inner.name, 0
                elif isinstance(inner, ast.Letter) and inner.name in self.direction_letters:
                    parts.labels.append(inner.name)  # W^{(f)}, W^{(b)}: rules_reverse
                    parts.sup_labels.append((inner.name, script.span))
                elif isinstance(inner, ast.Letter):
                    parts.step_label = inner.name
                elif (
                    isinstance(inner, ast.ScriptList)
                    and all(isinstance(x, ast.Letter) for x in inner.items)
                    and not any(
                        x.name in self.out.indices or x.name in self.known_values
                        for x in inner.items
                        if isinstance(x, ast.Letter)
                    )
                ):
                    # z^{(i,l)}: labels (datapoint i, sample l), not steps, powers or entries
                    parts.step_label = ",".join(
                        x.name for x in inner.items if isinstance(x, ast.Letter)
                    )
                elif not quiet:
                    raise self.error(
                        "cannot read this step in parentheses",
                        script.span,
                        hint="write a step as ^{(t)}, ^{(t-1)} or ^{(T)}",
                    )
            case ast.Letter(name=name) if rules_sums.power_of_summed_index(
                self, parts, name, script.span, quiet
            ):
                return  # \beta^i under \sum_i: a power of the index (refused)
            case ast.Letter(name=name) if self.index_kind(name) == "element":
                parts.element = name  # h^j_t: the j-th unit of h (rules_units)
            case ast.Letter(name=name) if name in self.out.indices:
                if (
                    parts.base in GREEK_LOWER
                    and self.out.indices[name].kind == "step"
                    and not rules_step_powers.defined_with(self, parts, name, script.span, quiet)
                ):
                    if rules_step_number.power_of_step(self, parts, name, script.span, quiet):
                        return  # \beta_1^t: a power of the step number
                    if not quiet:
                        raise self.error(
                            f"\\{parts.base}^{name}: {parts.key} at step {name} (the source "
                            f"gives {parts.key} values at the steps, or writes its steps as "
                            f"superscripts) or {parts.key} to the power {name}, the step number "
                            "(as in Adam's bias correction); papermath does not guess which "
                            "(rules_step_number.py)",
                            script.span,
                            hint=f"if it is {parts.base} at step {name}, write "
                            f"\\{parts.base}^{{({name})}}",
                        )
                    return
                parts.step, parts.offset = name, 0
            case ast.Letter(name=name) if rules_graph_data.last_layer_up(self, parts, name):
                # h_v^{K} beside h_v^{k-1}: h at the last step K (read/rules_graph_data.py)
                step = next(iter(self.step_letters))
                parts.step, parts.offset = step, 0
                if not quiet:
                    self.note(
                        Span(parts.span.start, script.span.end),
                        f"{parts.key} at the last step",
                        f"{parts.key}^{name} is {parts.key} at the last step {name} of the "
                        f"recurrence over {step}, whose steps the source writes up "
                        f"({parts.key}^{{{step}-1}}): its value at the last step is the one meant",
                    )
            case _:
                label = label_text(script)
                if label is None and (sign := rules_sign_scripts.label(self, parts, script)):
                    label = sign[0]  # m^+ beside m^-: the margins' labels (rules_sign_scripts)
                    if not quiet:
                        self.note(script.span, f"label {label} (sign-superscript-labels)", sign[1])
                if (
                    label is not None
                    and not quiet
                    and parts.base[:1].islower()
                    and parts.key in self.known_values
                ):
                    # a^{b} with a declared: a power, a label or a step? never a new symbol a_b
                    raise self.error(
                        f"{parts.key}^{{{label}}}: {parts.key} is a value here, so this is a "
                        f"power, a step or a label, and papermath does not guess which",
                        script.span,
                        hint=f"a power {parts.key}^{{2}} (numbers), a step {parts.key}^{{(t)}}, "
                        f"a label {parts.key}_{{{label}}}",
                    )
                if label is not None and rules_orders.extent_label(
                    self, parts.key, label, script.span, quiet
                ):
                    return  # H^{K} = \sum_{k=0}^{K} ...: K is the sum's extent (H)
                if label is not None:
                    parts.labels.append(label)
                    parts.sup_labels.append((label, script.span))
                elif not quiet:
                    if isinstance(script, ast.Call) and isinstance(script.func, ast.Bracket):
                        raise rules_step_number.layer_and_example(self, parts, script)
                    raise self.error(
                        f"cannot read the superscript `{self.source.snippet(script.span)}`",
                        script.span,
                        hint=rules_sign_scripts.hint(parts, script)  # m^+, m^-: the margins
                        or "a superscript is a transpose (^T, ^\\top), a power (^2), "
                        "a step (^{(t)}) or a label (W^z)",
                    )

    # ---- expressions -------------------------------------------------------------------
    def term(self, node: ast.Node) -> t.Term:
        if (pad := rules_zero_pad.term(self, node)) is not None:
            return pad  # h_i^{(0)} = x_i \| \mathbf{0}: x_i padded with zeros
        if (forms := rules_flag_forms.term(self, node)) is not None:
            return forms  # u_t <- \begin{cases} .. \texttt{nesterov = True}: one of the forms
        if isinstance(node, rules_sinusoid.Encoding):
            return rules_sinusoid.term(self, node)  # sin(pos / 10000^{2i/d}) and its cos
        if (
            isinstance(node, ast.Sup)
            and isinstance(node.base, ast.Letter)
            and node.base.name == "e"
            and "e" not in self.known_values
        ):
            # e^{x}: Euler's number to the power x, the exponential (e is no symbol here)
            exponent = node.script.items[0] if isinstance(node.script, ast.ScriptList) else None
            body = exponent or node.script
            self.note(node.span, "exp", "e^{...} is the exponential: e is no symbol here")
            return t.Apply(node.span, "exp", (self.term(body),))
        if (axis_stat := rules_axis_stats.term(self, node)) is not None:
            return axis_stat  # \underset{C}{\mathbb{E}}[x]: the axis written under the E
        if (soft := rules_softmax_axis.word_axis(self, node)) is not None:
            return soft  # \underset{seq}{softmax}(S): its shape; code asks which axis
        if (
            isinstance(node, ast.Juxt | ast.Call)
            and (operator := rules_stats.head_statistic(self, node)) is not None
        ):
            try:
                mean = rules_stats.statistic(self, node, operator)
            except rules_stats.UnsaidAxis as unsaid:  # E[x], x declared nowhere
                mean = rules_norm_axis.statistic(self, node, operator, unsaid.arg)
            if mean is not None:
                return mean
            raise self.error(
                f"{operator} is {STATISTICS[operator]} over a distribution: papermath reads "
                "computations, not expectations",
                node.span,
                hint="write the estimate that is computed, e.g. \\frac{1}{m} \\sum_{i=1}^{m} x_i",
            )
        if isinstance(node, ast.Sup | ast.Call) and (power := rules_orders.order_power(self, node)):
            return power  # L^{k}, \beta^{k} under a sum over the orders k (rules_orders.py)
        if (eigen := rules_eigenvalue.term(self, node)) is not None:
            return eigen  # \lambda_{\max}(L), "the largest eigenvalue of $L$" (rules_eigenvalue)
        if (degrees := rules_degree_matrix.value(self, node)) is not None:
            return degrees  # L = D - A, D_{ii} = \sum_j A_{ij}: D = diag(d) (rules_degree_matrix)
        if is_symbolish(node):
            parts = self.symbol(node)
            if parts is not None:
                return self.sym_term(parts)
        if isinstance(node, EntryMatrix):  # [a_{ij}]_{i \in 1..N, j \in 1..D}
            return rules_entry_matrix.term(self, node)
        match node:
            case ast.Number(text=text):
                return t.Const(node.span, self.number(text, node.span))
            case ast.Paren(body=body):
                return self.term(body)
            case ast.Brace(items=items):
                raise self.error(
                    "a list in braces is not a value here",
                    node.span,
                    hint=f"braces group one expression; found {len(items)}",
                )
            case ast.Bracket(items=items):
                if len(items) == 1:
                    return self.term(items[0])
                if (heads := rules_blocks.repeated_calls(self, node)) is not None:
                    return heads  # [SA_1(z); \cdots; SA_k(z)]: k heads, side by side
                if (fam := rules_family_brackets.concat(self, node)) is not None:
                    return fam  # [head_1; \dots; head_h]: the family, side by side
                self.note(
                    node.span,
                    "concatenation",
                    "values in brackets separated by commas or semicolons are stacked in "
                    "the order written: vectors along the feature axis, matrices along their "
                    "rows (their first axis)",
                )
                return t.Concat(node.span, tuple(self.term(i) for i in items))
            case ast.Matrix(rows=rows):
                if all(len(r) == 1 for r in rows):
                    if len(rows) == 1:
                        return self.term(rows[0][0])
                    self.note(
                        node.span,
                        "concatenation",
                        "a one-column matrix of vectors stacks them along the feature axis",
                    )
                    return t.Concat(node.span, tuple(self.term(r[0]) for r in rows))
                raise self.error(
                    "block matrices with several columns are not read yet",
                    node.span,
                    hint="write a concatenation [a; b] of vectors",
                )
            case ast.BinOp(op=op, left=left, right=right):
                a, b = self.term(left), self.term(right)
                if op in ("+", "-"):
                    return t.Add(node.span, op, a, b)
                if op == "concat":
                    self.note(
                        node.op_span,
                        "concatenation",
                        "\\| between two values (inside brackets, or where no later bar "
                        "closes a norm: parse/bars.py) concatenates them along the feature "
                        "axis, as GAT writes [W h_i \\| W h_j] (not a norm)",
                    )
                    joined = (*(a.items if isinstance(a, t.Concat) and a.features else (a,)), b)
                    return t.Concat(node.span, joined, features=True)  # rules_bar_concat
                if op in ("/", "div"):
                    return t.Div(node.span, a, b)
                if op == "cup":
                    rules_sets.union_elsewhere(self, node)
                if op == "otimes" and self.out.directives.get("otimes") == rules_outer.OUTER:
                    return rules_outer.outer(self, node, a, b)  # as the source defines it
                if op == "otimes" and self.out.directives.get("otimes") != "hadamard":
                    raise self.error(
                        "\\otimes means an outer or Kronecker product in some papers and a "
                        "Hadamard product in others",
                        node.op_span,
                        hint="write \\odot for the Hadamard product (or say the source's "
                        "meaning in a line `% papermath: otimes is hadamard`); for the outer "
                        "product, write u v^\\top or define the operator beside the equations: "
                        "a \\otimes b = a b^\\top",
                    )
                return t.Product(node.span, op, a, b, node.op_span)
            case ast.Juxt(left=left, right=right):
                if (norm := rules_graph.degree_norm(self, node)) is not None:
                    return norm  # \tilde D^{-1/2} \tilde A \tilde D^{-1/2}
                if (norm := rules_degree_inverse.row_normalised(self, node)) is not None:
                    return norm  # D^{-1} A, D undefined: A's degree matrix (GCN's convention)
                fn = self.function_of(left)
                if fn is not None:
                    return self.apply(fn, (right,), node.span, left.span)
                if (chained := rules_row_chain.left_first(self, node)) is not None:
                    return chained  # x W (y V)^T: read left to right (read/rules_row_chain.py)
                return t.Product(
                    node.span,
                    "juxt",
                    self.term(left),
                    self.term(right),
                    Span(left.span.end, right.span.start),
                )
            case ast.Neg(body=body):
                return t.Neg(node.span, self.term(body))
            case ast.Call(func=func, args=args):
                return self.call(node, func, args)
            case ast.ApplyPrefix(func=func, arg=ast.Call(func=ast.Paren() as own, args=(after,))):
                # \exp(w) (a + b): the parenthesis right after \exp closes its argument, and
                # what follows multiplies its value (never \exp of w (a + b))
                applied = ast.ApplyPrefix(Span(node.span.start, own.span.end), func, own)
                self.note(
                    node.span,
                    "product after a function's parenthesis",
                    f"{self.source.snippet(applied.span)} ends at its closing parenthesis: "
                    f"{self.source.snippet(after.span)} after it multiplies its value",
                )
                return t.Product(
                    node.span,
                    "juxt",
                    self.term(applied),
                    self.term(after),
                    Span(own.span.end, after.span.start),
                )
            case ast.ApplyPrefix(func=func, arg=arg):
                args = (arg.body,) if isinstance(arg, ast.Paren) else (arg,)
                if (degree := rules_degree_word.degree_call(self, node, func, args)) is not None:
                    return degree  # \deg(i), i a node: the number of i's neighbours
                return self.apply(func.name, args, node.span, func.span)
            case ast.Norm(body=body):
                return t.Norm(node.span, self.term(body))
            case ast.Abs(body=body) if (count := rules_sets.degree(self, node)) is not None:
                return count  # |\mathcal{N}(i)|: the number of i's neighbours
            case ast.Abs(body=body):
                self.note(
                    node.span,
                    "abs",
                    "|...| of a value: the absolute value, entry by entry (not a norm or a size)",
                )
                return t.Apply(node.span, "abs", (self.term(body),))
            case ast.Frac(num=num, den=den):
                return t.Div(node.span, self.term(num), self.term(den))
            case ast.Sqrt(body=body):
                return t.Apply(node.span, "sqrt", (self.term(body),))
            case ast.Sub(base=ast.Sup(base=ast.Norm() as norm, script=raised), script=script):
                # \|x\|^2_2 (Equinox): the scripts in the other order, the same squared norm
                return self.term(ast.Sup(node.span, ast.Sub(node.span, norm, script), raised))
            case ast.Sub(base=ast.Norm() as norm, script=script):
                inner = self.term(norm)
                assert isinstance(inner, t.Norm)
                return t.Norm(node.span, inner.body, label_text(script) or "2")
            case ast.Sup(base=base, script=script):
                if (batch := rules_listed_batch.listed(self, node)) is not None:
                    return batch  # \{l_1, \dots, l_N\}^\top: the batch's l_n as a vector
                if (power := rules_orders.order_power(self, node)) is not None:
                    return power  # (\hat A)^{k} under a sum over the orders k
                return self.postfix_on_value(node, base, script)
            case ast.BigOp(op=op, sub=sub, body=body):
                return self.bigop(node, op, sub, body)
            case ast.FunctionName(name=name) | ast.Text(content=name):
                raise self.error(
                    f"{name} is a function and needs an argument",
                    node.span,
                    hint=f"write {name}(x)",
                )
        if isinstance(node, ast.Sub) and isinstance(node.base, ast.Bracket):
            raise rules_step_number.bracket_at_a_step(self, node)  # E[g^2]_t (ADADELTA)
        if (pick := rules_argmax.refusal(self, node)) is not None:
            raise pick  # \text{argmax}_j v_j: an index, not a value (read/rules_argmax.py)
        written = self.source.snippet(node.span).strip()
        if written in ("\\ldots", "\\dots", "\\cdots", "...") and (
            summed := continued_rows.sum_hint(self.source.text, node.span)
        ):
            hint = summed  # c_1 + ... + c_N: a sum written out (parse/continued_rows.py)
        elif written in ("\\ldots", "\\dots", "\\cdots", "..."):
            hint = (
                "entries elided with dots ([w_0, \\ldots, w_d]) are read only in the arguments "
                "of a known function (\\mathrm{Concat}(h_1, \\dots, h_H)) or a sum's range: "
                "for a vector of entries, declare the vector whole (w \\in \\mathbb{R}^{d+1})"
            )
        elif isinstance(node, ast.SetLiteral) and any(isinstance(x, ast.Dots) for x in node.items):
            hint = named_cells.sequence_hint(written)  # X = \{x_1, ..., x_T\}: the sequence
        elif (letters := rules_font_letters.hint(self, node)) is not None:
            hint = letters  # \boldsymbol{UX}: a product or one name (read/rules_font_letters.py)
        else:
            hint = "a value is a symbol, a number, or an operation or function applied to values"
        raise self.error(f"cannot read `{written}` as a value", node.span, hint=hint)

    def sym_term(self, parts: SymParts) -> t.Term:
        if parts.key in self.squared and parts.post and parts.post[0][:2] == ("power", 2.0):
            self.note(
                parts.span,
                f"the symbol {parts.key}^2",
                f"{self.source.snippet(parts.span)} is defined by an equation: one symbol (a "
                f"variance), key {parts.key}_sq, not the square of {parts.key}",
            )
            parts.post = parts.post[1:]
            parts.labels.append("sq")
        key = parts.key
        if parts.sup_labels and parts.base[:1].islower():
            up = [lab for lab, _ in parts.sup_labels]
            rest = [lab for lab in parts.labels if lab not in up]
            plain = "_".join([parts.base, *parts.decorations, *rest])
            if (
                plain in self.known_values
                and plain != key
                and not rules_declared_labels.declared_on_its_own(self, parts)  # b^{(1)} \in R^h
            ):
                label, span = parts.sup_labels[0]
                raise self.error(
                    f"{self.source.snippet(parts.span)}: {plain} is a value here, so ^{label} "
                    "is a power, a step or a label, and papermath does not guess which",
                    span,
                    hint=f"a power ^{{2}} (numbers), a step ^{{(t)}}, a label _{{{label}}}",
                )
        if key in self.subst:  # a parameter of the function being inlined: the argument
            out_sub = self.subst[key]
            if parts.element is not None:
                out_sub = t.Elem(parts.span, out_sub, parts.element)
            return self.post_ops(parts, out_sub)
        role = None
        if key in self.out.indices:
            role = f"the {self.out.indices[key].kind} index"
        elif key in self.out.step_labels:
            role = "a step label"
        elif key in self.out.sets:
            role = "a set of nodes"
        if role is not None:
            if (argument := rules_index_argument.refusal(self, key, role, parts.span)) is not None:
                raise argument  # \text{deg}(i): a value per node (rules_index_argument.py)
            raise self.error(
                f"{key} is {role} here, so it cannot also be a value",
                parts.span,
                hint=f"use another letter for the value, or write {key} only as a subscript",
            )
        if parts.base in ("nabla", "partial") and not parts.decorations:
            raise self.error(
                f"{self.source.snippet(parts.span)} is a derivative: papermath derives gradients "
                "itself (papermath grad) and reads the forward equations",
                parts.span,
                hint=rules_gradient_call.step_hint(self, parts.base)  # W^{i+1} = W^i - ...
                or "write the forward equations; `papermath grad FILE --wrt KEY` prints the "
                "gradients",
            )
        if (
            parts.base == "I"
            and key not in self.known_values
            and not (parts.step or parts.node or parts.element or parts.post)
            and len(parts.labels) <= 1
        ):
            size = parts.labels[0] if parts.labels else None
            self.note(
                parts.span,
                "identity matrix",
                f"{key} is the identity matrix{f' of size {size}' if size else ''}: a constant, "
                "not a learned parameter (declare I to use the letter otherwise)",
            )
            return t.Identity(parts.span, size)
        if (
            key in self.size_names
            and not (parts.step or parts.node or parts.element or parts.step_label)
            and not any(d.key == key for d in self.out.declarations)
        ):
            self.note(
                parts.span,
                f"the size {key}",
                f"{key} is a size used as a value: the number {key}, a constant "
                "(not a learnable parameter)",
            )
            return self.post_ops(parts, t.SizeValue(parts.span, key))
        self.out.first_span.setdefault(key, parts.span)
        for label in (parts.step_label or "").split(","):
            if label and label not in self.out.step_labels:
                self.out.step_labels[label] = parts.span
        node_over = None
        if parts.node is not None:
            node_over = parts.node
        offset = parts.offset
        if self.shift is not None and parts.step == self.shift[0]:
            offset += self.shift[1]
        out: t.Term = t.Sym(
            parts.span,
            key,
            parts.step,
            offset,
            parts.step_label,
            node_over,
            parts.example,
            parts.edge,
            parts.head,
            basis=parts.basis,
        )
        if parts.element is not None:
            out = t.Elem(parts.span, out, parts.element)
        if parts.picked is not None:  # f_{y_i} (read/rules_label_pick.py)
            picked = parts.picked  # y of y_i: one integer per example (batched as data)
            lab = t.Sym(picked.span, picked.key, node=picked.node, example=picked.example)
            looked_up = rules_table_rows.row(self, out, lab, parts.span)  # v_{w_I}: a row
            out = looked_up if looked_up is not None else t.Pick(parts.span, out, lab)
        return self.post_ops(parts, out)

    def post_ops(self, parts: SymParts, out: t.Term) -> t.Term:
        """Transposes and powers written on a symbol (``x^\\top``, ``a_i^2``)."""
        for what, value, _span in parts.post:
            whole = parts.span
            if what == "transpose":
                self.note(
                    whole,
                    "transpose",
                    "^T on a vector or matrix is a transpose (T is not "
                    "a step here: a step is written in parentheses, ^{(T)})",
                )
                out = t.Transpose(whole, out)
            elif what == rules_step_number.WHAT:  # \beta_1^t
                out = t.StepPower(whole, out, self.source.snippet(_span).strip("{} "))
            else:
                out = t.Power(whole, out, value)
        return out

    def postfix_on_value(self, node: ast.Sup, base: ast.Node, script: ast.Node) -> t.Term:
        body = self.term(base)
        if (
            isinstance(base, ast.Call)
            and len(base.args) == 1
            and isinstance(body, t.Product)
            and body.written == "juxt"
        ):
            # 0.5 (x - y)^2, W (x + b)^2: read as a product, the superscript binds to the
            # parenthesis before the product, as in print (never (0.5 (x - y))^2)
            where = Span(body.op_span.start, node.span.end)
            right = self.postfix_on_term(node, where, body.right, script)
            return t.Product(node.span, body.written, body.left, right, body.op_span)
        return self.postfix_on_term(node, node.span, body, script)

    def postfix_on_term(self, node: ast.Sup, span: Span, body: t.Term, script: ast.Node) -> t.Term:
        match script:
            case ast.Mark(mark="transpose") | ast.Letter(name="T"):
                return t.Transpose(span, body)
            case ast.Number(text=text):
                return t.Power(span, body, self.number(text, script.span))
            case ast.Neg(body=ast.Number(text=text)):
                return t.Power(span, body, -self.number(text, script.span))
            case ast.Letter(name=name) if self.index_kind(name) == "element":
                return t.Elem(span, body, name)  # (...)^j: its j-th entry (rules_units)
        if (power := rules_value_powers.latex_power(self, span, body, script)) is not None:
            return power  # (1+t)^\gamma: a power by a value (read/rules_value_powers.py)
        raise self.error(
            f"cannot read the superscript `{self.source.snippet(script.span)}` here",
            script.span,
            hint="on an expression, a superscript is a power (^2) or a transpose (^T)",
        )

    def call(self, node: ast.Call, func: ast.Node, args: tuple[ast.Node, ...]) -> t.Term:
        if isinstance(node, rules_whole_aggregate.WholeAggregate):
            return rules_whole_aggregate.term(self, node)  # AGGREGATE(X): X whole, shapes only
        if isinstance(node, rules_norm_update.NormUpdate):
            return rules_norm_update.term(self, node)  # h = \mathrm{norm}(h): a normalisation
        if isinstance(node, rules_gradient_updates.GradientOf):
            return rules_gradient_updates.term(self, node)  # dL/dw, L unwritten: w's shape
        if isinstance(node, rules_gradient_call.GradientCall):
            return rules_gradient_call.term(self, node)  # \nabla f(w): the gradient of f at w
        if (code := rules_losses.code_call(self, node, func, args)) is not None:
            return code  # mean(x), maximum(a, 0), square(x) written as code
        if (dropped := rules_cases.dropout(self, node, func, args)) is not None:
            return dropped  # h' = \begin{cases} 0 & with probability p ...: a random mask
        if (selected := rules_cases.piecewise(self, node, func, args)) is not None:
            return selected  # \begin{cases} A & if L < R \\ B & otherwise: a selection
        if (flagged := rules_flag_default.term(self, node, func, args)) is not None:
            return flagged  # \begin{cases} A & if reduction = 'mean' ...: the default's row
        if (batch := rules_listed_batch.reduction(self, node, func, args)) is not None:
            return batch  # \operatorname{mean}(L), L = \{l_1, \dots, l_N\}^\top: over the batch
        if (by_label := rules_label_cases.term(self, node, func, args)) is not None:
            return by_label  # \begin{cases} A & y_n = 1 \\ B & y_n = -1: a label selects
        if (degree := rules_degree_word.degree_call(self, node, func, args)) is not None:
            return degree  # \text{deg}(i), i a node: the number of i's neighbours
        fam = family_concat(node, lambda n: self.symbol(n, quiet=True))
        if fam is not None:
            key, count = fam
            head = next((i for i in self.out.indices.values() if i.kind == "head"), None)
            if head is None:
                raise self.error(
                    f"{key}_1, ..., {key}_{count} are concatenated, but no equation defines "
                    f"{key}_i",
                    node.span,
                    hint=f"define the family: {key}_i = ...",
                )
            self.note(
                node.span,
                f"concatenation of the family {key}",
                f"the {count} values {key}_1, ..., {key}_{count} side by side along the "
                f"feature (last) axis; {key}_{head.letter} is computed once per head "
                f"{head.letter} = 1..{count}, each with its own parameters",
            )
            member = t.Sym(node.span, key, head=head.letter)
            return t.HeadConcat(node.span, member, count)
        if (layer := rules_layers.sized_layer(self, node, func, args)) is not None:
            return layer
        fn = self.function_of(func)
        if fn is not None and (own := rules_functions.head_key(self, func)) in self.functions:
            return self.call_defined(node, self.functions[own], args)  # \sigma the source defines
        if fn is not None:
            return self.apply(fn, args, node.span, func.span)
        if not is_symbolish(func) and len(args) == 1:
            # `\frac{g_i}{\sigma} (a_i - \mu)`: a value then a parenthesis is a product
            return t.Product(
                node.span,
                "juxt",
                self.term(func),
                self.term(args[0]),
                Span(func.span.end, args[0].span.start),
            )
        parts = self.symbol(func) if is_symbolish(func) else None
        if parts is None or parts.post or parts.offset:
            raise self.error(f"cannot call `{self.source.snippet(func.span)}`", func.span)
        key = parts.key
        if key in self.functions:
            return self.call_defined(node, self.functions[key], args)
        if (called := rules_function_parameter.call(self, node, func, parts, args)) is not None:
            return called  # Swish_1(xW) beside Swish_\beta(x) = ...: beta = 1
        if (why := rules_layers.value_with_its_weights(self, node, key, args)) is not None:
            self.note(node.span, f"the value {key}, with what it is computed from", why)
            return self.sym_term(parts)
        if len(args) == 1 and (
            key in self.value_keys or rules_greek_product.is_weight(self, parts, args)
        ):
            # `W (x + b)`: W is used as a value elsewhere, so this is a product; \lambda (1 - T)
            return t.Product(
                node.span,
                "juxt",
                self.sym_term(parts),
                self.term(args[0]),
                Span(func.span.end, args[0].span.start),
            )
        calligraphic = isinstance(func, ast.Font) and func.font in ("mathcal", "mathscr")
        if len(args) == 1 and len(parts.base) == 1 and parts.base.isupper() and not calligraphic:
            self.note(
                func.span,
                "matrix product",
                f"{key}(...) with one argument: a capital letter is read as a matrix",
            )
            return t.Product(
                node.span,
                "juxt",
                self.sym_term(parts),
                self.term(args[0]),
                Span(func.span.end, args[0].span.start),
            )
        if (act := rules_wrapped.activation_around_affine(self, node, parts, args)) is not None:
            return act  # \mathcal{H}(W x + U h + b): the layer's (unnamed) nonlinearity
        if (loss := rules_named_loss.named_loss(self, node, key, func, args)) is not None:
            return loss  # "the loss function is $l$": l(o, y) a scalar (read/rules_named_loss.py)
        args = rules_functions.undefined_with_weights(self, key, args, func.span)  # H(x, W_H)
        if (att := rules_attention_named.standard(self, node, key, func, args)) is not None:
            return att  # Attention(Q, K, V), the prose naming scaled dot-product attention
        rules_attention_calls.refuse_undefined(self, key, func.span)  # Attention(...)
        rules_matrix_words.refuse(self, key, func.span)  # \text{diag}(d): no learnable function
        arity = self.out.learned.setdefault(key, len(args))
        if key in self.called_keys and key not in self.shared_calls:
            self.shared_calls.add(key)
            self.note(
                func.span,
                f"{key} called again",
                f"{key} is called more than once: one learnable function, the same weights at "
                f"every call (name them apart, {key}_1 and {key}_2, for separate weights)",
            )
        if arity != len(args):
            raise self.error(
                f"{key} is called with {len(args)} arguments here and {arity} elsewhere", node.span
            )
        if key not in self.called_keys:
            self.called_keys.add(key)
            why = (
                f"{key} is not a known function and takes {len(args)} arguments"
                if len(args) > 1
                else f"{key} is not a known function and is never used as a value"
            )
            self.note(
                func.span,
                "learnable function",
                f"{why}: a learnable function, by default an affine map of the "
                "concatenation of its arguments",
            )
        self.out.first_span.setdefault(key, func.span)
        if parts.step is not None:  # MLP^{(k)}: one function (its weights) per step k
            self.out.learned_steps[key] = parts.step
        return t.Learned(node.span, key, tuple(self.term(a) for a in args))

    def function_of(self, node: ast.Node) -> str | None:
        """The known function a call head names: ``\\sigma``, ``tanh``, ``\\operatorname{ReLU}``,
        and activations with a subscript (``\\sigma_g``), by the source's word or convention."""
        fn = function_of(node)
        if fn is None and (said := rules_said_activation.said(self, node)) is not None:
            return said  # `act` 表示激活函数: the activation, unnamed (rules_said_activation)
        if fn is None and (said := rules_prose_kinds.said_nonlinearity(self, node)) is not None:
            return said  # ":math:`f` is an element-wise non-linearity" (rules_prose_kinds)
        if (
            fn in (None, "sigma")
            and isinstance(node, ast.Letter)
            and node.name in self.out.activations
        ):
            # CGConv's "\sigma and g denote the sigmoid and softplus functions": g is softplus
            name = self.out.activations[node.name]
            self.note(node.span, name, f"the source says {node.name} is this")
            return name
        if isinstance(node, ast.Letter) and node.name in ("phi", "varphi"):
            if node.name in self.out.activations:
                return self.out.activations[node.name]
            return UNNAMED  # \phi: an activation, but which one the source does not say
        if fn is not None or not isinstance(node, ast.Sub):
            return fn
        parts = self.symbol(node, quiet=True)
        if parts is None or parts.base not in ACTIVATION_LETTERS or parts.step or parts.node:
            return None
        key = parts.key
        if key in self.out.activations:
            self.note(node.span, self.out.activations[key], f"the source says {key} is this")
            return self.out.activations[key]
        if key in ACTIVATION_ALIASES:
            name, why = ACTIVATION_ALIASES[key]
            self.note(
                node.span,
                name,
                f"{why} (the convention of Wikipedia's LSTM and GRU articles); not a learnable "
                f"function. Another reading: `% papermath: {key} is relu` (or any activation)",
            )
            return name
        return UNNAMED  # \sigma_y: an activation, but which one the source does not say

    def apply(self, fn: str, args: tuple[ast.Node, ...], span: Span, fn_span: Span) -> t.Term:
        if fn == UNNAMED:
            return rules_roles.unnamed_activation(self, args, span, fn_span)
        known = lookup(fn)
        if known is None:  # \det, \tr, diag: in the grammar, not read as functions yet
            words = {"det": "the determinant", "tr": "the trace", "diag": "a diagonal matrix"}
            raise self.error(
                f"{words.get(fn, fn)} ({self.source.snippet(fn_span)}) is not read yet",
                fn_span,
                hint="papermath reads elementwise functions, softmax, max and min",
            )
        if len(args) != known.arity:
            raise self.error(
                f"{known.name} takes {known.arity} argument{'s' if known.arity > 1 else ''}, "
                f"not {len(args)}",
                span,
            )
        self.note(fn_span, known.name, known.description)
        return t.Apply(span, known.name, tuple(self.term(a) for a in args))

    def bigop(self, node: ast.BigOp, op: str, sub: ast.Node | None, body: ast.Node) -> t.Term:
        if (aggregated := rules_set_builder.bigop(self, node, sub)) is not None:
            return aggregated  # \mathrm{aggregate}(\{h_j, j \in N(i)\}): unnamed
        if (readout := rules_range_aggregation.bigop(self, node)) is not None:
            return readout  # \text{AGG}_{v \in G}(\{h_v\}): every node, unnamed
        if op in rules_reductions.OPERATORS:  # \max_i a_i, \operatorname{logsumexp}_i a_i
            return rules_reductions.bigop(self, node, sub, body)
        if op not in ("sum", "prod"):
            raise self.error(f"\\{op} is not read yet", node.span)
        if sub is None:
            if (typo := rules_sums.index_on_the_line(self, node)) is not None:
                raise typo  # \sum i c_{ij}: the index written beside the sum
            raise self.error(
                "a sum needs what it ranges over", node.span, hint="write \\sum_{v \\in V} ..."
            )
        index = sub.left if isinstance(sub, ast.ScriptIn | ast.ScriptEq) else sub
        name = index_name(index)
        if name is None or name not in self.out.indices:
            raise self.error("cannot read what this sum ranges over", sub.span)
        info = self.out.indices[name]
        if op == "prod":
            if info.kind != "element":
                raise self.error(
                    f"\\prod over the {info.kind}s {name} is not read yet (a product over the "
                    "entries of a vector is)",
                    node.span,
                    hint=f"\\prod_{{{name}=1}}^{{n}} a_{name} multiplies the entries of a",
                )
            return self.index_sum(node, info, body, "prod")
        if info.kind == "step":
            read_body = self.term(body)
            if not any(isinstance(x, t.Sym) and x.step == name for x in t.walk(read_body)):
                raise self.error(
                    f"nothing in this sum depends on the step {name}",
                    node.span,
                    hint=f"index what is summed by the step, as in \\sum_{name} L_{name}",
                )
            return t.StepSum(node.span, name, read_body)
        if info.kind == "element":
            if (product := rules_entries.matrix_vector(self, node, name, body)) is not None:
                return product  # \sum_j U_{i,j} x_j: entry i of U x
            return self.index_sum(node, info, body)
        if info.kind == "batch":
            return self.batch_sum(node, info, body)
        if info.kind == rules_table_rows.KIND:  # \sum_{w=1}^{W} over a table's rows
            return rules_table_rows.table_sum(self, node, info, body)
        if info.kind == "relation":
            return self.relation_sum(node, info, body)
        if info.kind == rules_basis.KIND:  # \sum_{b=1}^{B} a_{rb} V_b
            return rules_basis.basis_sum(self, node, info, body)
        if info.kind == "order":  # \sum_{k=0}^{K} (\hat A)^{k} X \Theta_k
            return rules_orders.order_sum(self, node, info, body)
        if info.of is not None:
            return self.neighbour_sum(node, info, body)
        over = info.over or "V"
        read_body = self.term(body)
        index = ast.Letter(index.span, name)  # s' under the sum: its name with the prime
        if any(isinstance(x, t.NodeSum) and x.index == index.name for x in t.walk(read_body)):
            raise self.error(
                f"a sum over {index.name} inside a sum over {index.name}",
                node.span,
                hint="use another letter for the inner sum's nodes",
            )
        if not any(
            isinstance(x, t.Sym) and index.name in (x.node, x.edge) for x in t.walk(read_body)
        ):
            if (row := rules_row_sum.refusal(self, index.name, read_body)) is not None:
                raise row  # D_v = \sum_u A_{vu}: a row of A (read/rules_row_sum.py)
            raise self.error(
                f"nothing in this sum depends on the node {index.name}",
                node.span,
                hint=f"index what is summed by the node, as in \\sum_{{{index.name} \\in {over}}}"
                f" h_{index.name}",
            )
        if (pair := rules_row_sum.entry(index.name, read_body)) is not None:
            raise self.error(  # \sum_u A_{vu} h_u: the entry at (v, u), never a label "vu"
                f"entries with two indices ({pair[1]}) are not read yet: "
                f"{self.source.snippet(pair[0].span)} carries the sum's node {index.name}",
                pair[0].span,
                hint=TWO_INDEX_HINT,
            )
        self.note(
            node.span,
            "sum over nodes",
            f"the sum binds {index.name} and ranges over the nodes of {over}; its body is "
            f"'{' '.join(self.source.snippet(body.span).split())}' "
            "(a sum takes the whole product after it, "
            "up to the next + or -); vectorized, it is a sum over the node axis",
        )
        return t.NodeSum(node.span, index.name, over, read_body)

    def summed(
        self,
        node: ast.BigOp,
        body: ast.Node,
        depends: Callable[[t.Term], bool],
        what: str,
        example: str,
    ) -> t.Term:
        """The body of a sum, read; refused where nothing in it depends on the index."""
        read_body = self.term(body)
        if not any(depends(x) for x in t.walk(read_body)):
            raise self.error(
                f"nothing in this sum depends on {what}",
                node.span,
                hint=f"index what is summed, as in {example}",
            )
        return read_body

    def batch_sum(self, node: ast.BigOp, info: IndexInfo, body: ast.Node) -> t.Term:
        i = info.letter
        read_body = self.summed(
            node,
            body,
            lambda x: isinstance(x, t.Sym) and x.example == i,
            f"the example {i}",
            f"\\sum_{{{i}=1}}^{{m}} x_{i}",
        )
        self.note(
            node.span,
            f"sum over the batch {i}",
            f"the sum runs over the examples {i} = 1..{info.size} of the mini-batch: it reduces "
            f"the batch axis (one value for the whole batch, the same for every example); "
            f"{info.size} is the batch size",
        )
        return t.BatchSum(node.span, i, info.size, read_body)

    def neighbour_sum(self, node: ast.BigOp, info: IndexInfo, body: ast.Node) -> t.Term:
        # this sum's own neighbourhood (the letter u may be bound by several sums)
        sub = node.sub
        itself = rules_sets.with_itself(self, sub.right) if isinstance(sub, ast.ScriptIn) else None
        if isinstance(sub, ast.ScriptIn) and itself is not None:
            sub = ast.ScriptIn(sub.span, sub.left, itself)
        hood = neighbourhood_of(sub.right) if isinstance(sub, ast.ScriptIn) else None
        u, v = info.letter, info.of
        r, direction = (hood.relation, hood.direction) if hood else (None, "in")
        over = info.over
        if hood is not None and isinstance(sub, ast.ScriptIn):
            over = self.source.snippet(sub.right.span)
        assert v is not None
        if r is not None and r not in self.relations_open:
            raise self.error(
                f"{over} picks the edges of type {r}, but no sum over the types binds {r}",
                node.span,
                hint=f"sum over the types around it: \\sum_{{{r} \\in \\mathcal{{R}}}} "
                f"\\sum_{{{u} \\in {over}}} ...",
            )
        read_body = self.summed(
            node,
            body,
            lambda x: isinstance(x, t.Sym) and u in (x.node, x.edge),
            f"the neighbour {u}",
            f"\\sum_{{{u} \\in N({v})}} h_{u}",
        )
        typed = f" of type {r}" if r is not None else ""
        if direction == "out":
            edges = f"the edges{typed} out of {v} (source {v}, target {u})"
        else:
            edges = f"the edges{typed} into {v} (source {u}, target {v})"
        self.note(
            node.span,
            f"sum over the neighbours of {v}",
            f"for each node {v}, the sum runs over its neighbours {u} in {over} only (not "
            f"over every node), along {edges}; vectorized, a scatter-add along an edge list",
        )
        out = t.NeighbourSum(node.span, u, v, read_body, r, direction)
        if itself is not None:
            out = rules_sets.self_loops(self, node, out)
        return out

    def relation_sum(self, node: ast.BigOp, info: IndexInfo, body: ast.Node) -> t.Term:
        r = info.letter
        self.relations_open.add(r)
        try:
            read_body = self.summed(
                node,
                body,
                lambda x: isinstance(x, t.NeighbourSum) and x.relation == r,
                f"the edge type {r}",
                f"\\sum_{{{r} \\in \\mathcal{{R}}}} "
                f"\\sum_{{u \\in \\mathcal{{N}}_{r}(v)}} W_{r} h_u",
            )
        finally:
            self.relations_open.discard(r)
        self.note(
            node.span,
            f"sum over the edge types {r}",
            f"{r} runs over the {info.size} types of edges in {info.over}; what carries {r} "
            f"(W_{r}) is one per type, and the neighbours inside are those along edges of type "
            f"{r} (the edge list gives each edge's type: inputs['edge_types'])",
        )
        assert info.size is not None
        return t.RelationSum(node.span, r, info.size, read_body)

    def index_sum(
        self, node: ast.BigOp, info: IndexInfo, body: ast.Node, op: str = "sum"
    ) -> t.Term:
        i = info.letter
        word = {"sum": "sum", "prod": "product"}.get(op, op)
        read_body = self.summed(
            node,
            body,
            lambda x: isinstance(x, t.Elem) and x.index == i,
            i,
            f"\\sum_{{{i}=1}}^{{n}} a_{i}",
        )
        if any(isinstance(x, t.IndexSum) and x.index == i for x in t.walk(read_body)):
            raise self.error(
                f"a sum over {i} inside a sum over {i}",
                node.span,
                hint="use another letter for the inner sum",
            )
        where = f"{i} = 1..{info.size}" if info.size else f"every entry {i}"
        self.note(
            node.span,
            f"{word} over the entries {i}",
            f"the {word} binds {i} and runs over {where} of the vectors written with {i}; its "
            f"body is '{' '.join(self.source.snippet(body.span).split())}' (the whole product "
            f"after it, up to the next + or -); vectorized, a {word} over the feature axis",
        )
        return t.IndexSum(node.span, i, info.size, read_body, op)


# ---- helpers on syntax ---------------------------------------------------------------------


def index_name(node: ast.Node) -> str | None:
    """``s`` -> "s", ``s'`` -> "s'" (an index letter, primed or not)."""
    match node:
        case ast.Letter(name=name):
            return name
        case ast.Prime(base=ast.Letter(name=name), count=count):
            return name + "'" * count
    return None


def function_of(node: ast.Node) -> str | None:
    """The known function a call head names: ``\\sigma``, ``tanh``, ``\\operatorname{ReLU}``."""
    match node:
        case ast.FunctionName(name=name) if lookup(name):
            return name
        case ast.Text(content=content) if lookup(content):
            return content
        case ast.Letter(name="sigma"):
            return "sigma"
    return None


def leftmost(node: ast.Node) -> ast.Node:
    """The first factor of a juxtaposition."""
    while isinstance(node, ast.Juxt):
        node = node.left
    return node


def set_name(node: ast.Node) -> str | None:
    """The name of a set of nodes (``V``, ``\\mathcal{V}``); None for ``\\{1, \\dots, T\\}``."""
    match node:
        case ast.Letter(name=name) if name[0].isupper():
            return name
        case ast.Font(body=ast.Letter(name=name)):
            return name
    return None


def size_names(space: ast.Node) -> set[str]:
    """The size names a space declares: ``\\mathbb{R}^{k \\times (m+n)}`` -> {k, m, n}."""
    if not isinstance(space, ast.Sup):
        return set()
    out: set[str] = set()

    def visit(node: ast.Node) -> None:
        match node:
            case ast.Letter(name=name):
                out.add(name)
            case ast.Sub(base=ast.Letter(name=name), script=script):
                label = label_text(script)
                if label is not None:
                    out.add(f"{name}_{label}")
            case ast.BinOp(left=a, right=b) | ast.Juxt(left=a, right=b):
                visit(a)
                visit(b)
            case ast.Paren(body=body) | ast.Font(body=body):
                visit(body)

    for axis in split_axes(space.script):
        visit(axis)
    return out


def family_concat(
    node: ast.Node, symbol: Callable[[ast.Node], SymParts | None]
) -> tuple[str, str] | None:
    """``\\mathrm{Concat}(X_1, \\dots, X_h)`` -> (X's key, "h"); also ``[X_1; \\dots; X_h]``
    (read/rules_family_brackets.py); None for anything else."""
    if isinstance(node, ast.Bracket):
        return rules_family_brackets.members(node, symbol)
    if not isinstance(node, ast.Call) or len(node.args) != 3:
        return None
    head = symbol(node.func)
    if head is None or head.key.lower() != "concat" or not isinstance(node.args[1], ast.Dots):
        return None
    return rules_family_brackets.ends(node.args[0], node.args[2], symbol)


def parity_entry(item: ast.Node) -> bool:
    """``(pos, 2i)``, ``(pos, 2i+1)``, ``(2i)``: an entry at an even or odd index (the
    sinusoidal positional encoding's PE_{(pos,2i)})."""

    def even(node: ast.Node) -> bool:
        match node:
            case ast.Juxt(left=ast.Number(text="2"), right=ast.Letter()):
                return True
            case ast.BinOp(op="+", left=left, right=ast.Number(text="1")):
                return even(left)
        return False

    match item:
        case ast.Paren(body=ast.ScriptList(items=items)):
            return any(even(x) for x in items)
        case ast.Paren(body=body):
            return even(body)
    return False
