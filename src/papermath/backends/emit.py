"""Emit readable, vectorized Python from a :class:`~papermath.ir.Program`.

One emitter, two dialects (NumPy and torch): each primitive has one emit rule
(``ir.rules.emit_rules``, registered in ``papermath/ops/<family>.py``); what differs between
the libraries is a small table of spellings in :class:`Dialect`.

Layouts. The paper writes one example with column vectors; the emitted code runs a batch.
*sample-first* (default) puts the batch axis first (a batch of vectors is ``N x D``, as in
PyTorch); *dim-first* puts it last (``D x N``, as in many course notes). Sequences are
time-major in both (``T x N x D`` / ``T x D x N``). A per-example axis ``i`` of a value of
per-example rank ``r`` is array axis ``i - r`` in sample-first and ``i`` in dim-first, whether
or not the value is batched; that one fact drives every axis argument below.

Hygiene. Every emitted name is allocated by :class:`Names`, which knows every symbol key of
the source: a temporary can never shadow a user symbol, and a symbol never shadows a
library or a Python keyword.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
import unicodedata
from dataclasses import dataclass, field

import papermath.ops.families  # noqa: F401  (fills the registries of ir.rules)

from ..errors import PapermathError
from ..ir.prims import EDGES_IN, dot_p, matmul_p, nodesum_p, to_edges_p, to_nodes_p, vecmat_p
from ..ir.program import Op, Program, Value, edge_list_name
from ..ir.rules import emit_rules, rule
from ..ops import ELEMENTWISE
from ..ops.elementwise import DERIVATIVE_CALLS
from ..shapes.sizes import Shape, Size

__all__ = ["edge_list_name"]  # the generated code's names of edge lists (ir/program.py)

LAYOUTS = ("sample-first", "dim-first")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
RESERVED = {
    "np", "torch", "nn", "math", "F", "params", "inputs", "state", "outputs", "cache",
    "values", "forward", "init_params", "Model", "self", "batch", "num_graphs", "SIZES", "edges",
    "PARAM_SHAPES", "BOUNDS", "LAYOUT", "T", "N", "edge_types",
} | set(dir(builtins)) | set(keyword.kwlist)  # fmt: skip


def checked(name: str) -> str:
    """``name``, if it is a plain ASCII identifier; else an error (never an assert: the
    check stands under ``python -O`` too). The reader refuses such keys where they are
    written; this is the generator's own guard."""
    if not IDENT.fullmatch(name) or (name.startswith("__") and name.endswith("__")):
        raise PapermathError(f"{name[:40]!r} cannot be a name in generated code")
    return name


SIZE_TEXT = re.compile(r"[A-Za-z0-9_ +\-*/()]*")


def checked_size(size: str) -> str:
    """A size expression (``n + m``) for papermath's own text in generated code (a
    docstring): letters, digits, ``_``, spaces and arithmetic only, else an error."""
    if not SIZE_TEXT.fullmatch(size):
        raise PapermathError(f"the size {size[:40]!r} cannot be written in generated code")
    return size


KEY_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*")


def check_program_names(program: Program) -> None:
    """Every key the generated code quotes (``inputs["x_t"]``) is a plain ASCII name (dotted
    for a learnable function's weights), so writing it between quotes can never end the
    string, and every size name is one line: the generator's guarantee, whatever the reader
    passed."""
    keys = [p.key for p in program.params] + [i.key for i in program.inputs]
    keys += [s.key for s in program.states] + list(program.outputs)
    for key in keys:
        if not KEY_TEXT.fullmatch(key):
            raise PapermathError(f"{key[:40]!r} cannot be a name in generated code")
    for size in program.sizes:  # written by repr() and in comments (F' is a size): one line
        if safe_comment(size) != size:
            raise PapermathError(f"the size {size[:40]!r} cannot be written in generated code")


def safe_comment(text: str) -> str:
    """User text made safe for one ``#`` comment line: every line break (``\\n``, ``\\r``,
    U+2028, U+2029, U+0085, ...), NUL, other control and format character (bidirectional
    overrides included) becomes a space, and runs of spaces one."""
    kept = "".join(
        " " if unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp") else c
        for c in text
    )
    return " ".join(kept.split())


class Names:
    """Allocates Python names: user symbols keep their key where they can; the rest is fresh."""

    def __init__(self, user_keys: set[str]) -> None:
        self.taken = set(RESERVED) | set(user_keys)
        self.of: dict[int, str] = {}

    def fresh(self, hint: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "_", hint)
        if not base or not (base[0].isalpha() or base[0] == "_"):
            base = "_" + base
        if base.startswith("__") and base.endswith("__"):
            base = "v" + base  # never a dunder name
        name, k = base, 1
        while name in self.taken:
            k += 1
            name = f"{base}_{k}"
        self.taken.add(checked(name))
        return name

    def symbol(self, key: str) -> str:
        """The name of a user symbol: its key, unless that is a keyword or library name."""
        checked(key)
        if key in RESERVED:
            return self.fresh(key + "_")
        self.taken.add(key)
        return key


@dataclass(frozen=True)
class Dialect:
    """How one library spells what the rules write: its module, the axis keyword, its
    concatenation, each function (``fns``, with ``{x}``); and for a derivative written in a
    row (``ops.elementwise.derivative_code``) the functions it calls (``derivative_calls``:
    each of DERIVATIVE_CALLS), pi, and a comparison as a number (``{cmp}``, ``{x}``)."""

    name: str
    mod: str
    axis_kw: str
    cat: str
    fns: dict[str, str] = field(default_factory=dict)
    derivative_calls: dict[str, str] = field(default_factory=dict)
    pi: str = "np.pi"
    derivative_compare: str | None = None  # None: a comparison as it is


NUMPY = Dialect(
    "numpy",
    "np",
    "axis",
    "np.concatenate",
    {
        **{row.name: row.numpy for row in ELEMENTWISE.values()},
        "layernorm": "_layernorm({x}, {axis})",
    },
    derivative_calls={name: code.split("(")[0] for name, (code, _) in DERIVATIVE_CALLS.items()},
    pi="np.pi",
)
TORCH = Dialect(
    "torch",
    "torch",
    "dim",
    "torch.cat",
    {
        **{row.name: row.torch for row in ELEMENTWISE.values()},
        "layernorm": "_layernorm({x}, {axis})",
    },
    derivative_calls={name: f"torch.{name}" for name in DERIVATIVE_CALLS},  # torch.erf, ...
    pi=repr(math.pi),  # a number: torch.pi is no tensor
    derivative_compare="({cmp}).to({x}.dtype)",  # a bool tensor times 0.01 is float32
)
DIALECTS = {"numpy": NUMPY, "torch": TORCH}

NUMPY_HELPERS = """
def _sigmoid(x):
    # the logistic sigmoid 1 / (1 + exp(-x)), written with tanh so it never overflows
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))


def _erf(x):
    from math import erf
    return np.vectorize(erf, otypes=[float])(x)


def _gelu(x):
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def _layernorm(x, axis):
    mu = x.mean(axis=axis, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axis, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-5)


def _layernorm_vjp(g, x, axis):
    # (g - mean(g) - xhat mean(g xhat)) / sigma: the gradient through the normalisation
    def mean(v):
        return v.mean(axis=axis, keepdims=True)

    sigma = np.sqrt(mean((x - mean(x)) ** 2) + 1e-5)
    xhat = (x - mean(x)) / sigma
    return (g - mean(g) - xhat * mean(g * xhat)) / sigma


def _segment_sum(x, batch, num_graphs, axis):
    # sum the rows (sample-first) or columns (dim-first) of the nodes of each graph
    x = np.moveaxis(x, axis, 0)
    out = np.zeros((num_graphs,) + x.shape[1:], dtype=x.dtype)
    np.add.at(out, batch, x)
    return np.moveaxis(out, 0, axis)


def _neighbour_sum(x, edges, axis):
    # for each node, the sum over its neighbours: along every edge (source, target), the
    # source's row (sample-first) or column (dim-first) is added to the target's
    x = np.moveaxis(x, axis, 0)
    out = np.zeros_like(x)
    np.add.at(out, edges[1], x[edges[0]])
    return np.moveaxis(out, 0, axis)


def _prod_others(x, axis):
    # for each entry, the product of the other entries along the axis (exact with zeros)
    x = np.moveaxis(x, axis, 0)
    left = np.cumprod(np.concatenate([np.ones_like(x[:1]), x[:-1]]), axis=0)
    right = np.cumprod(np.concatenate([np.ones_like(x[:1]), x[::-1][:-1]]), axis=0)[::-1]
    return np.moveaxis(left * right, 0, axis)


def _edge_sum(x, edges, num_nodes, axis, side=1):
    # for each node, the sum of the values of its edges (those whose target it is)
    x = np.moveaxis(x, axis, 0)
    out = np.zeros((num_nodes,) + x.shape[1:], dtype=x.dtype)
    np.add.at(out, edges[side], x)
    return np.moveaxis(out, 0, axis)


def _edge_max(x, edges, num_nodes, axis):
    # for each node, the largest of the values of its edges (those whose target it is),
    # entry by entry; 0 for a node no edge enters (as DGL's and PyG's max aggregations)
    x = np.moveaxis(x, axis, 0)
    out = np.full((num_nodes,) + x.shape[1:], -np.inf, dtype=x.dtype)
    np.maximum.at(out, edges[1], x)
    out[np.bincount(edges[1], minlength=num_nodes) == 0] = 0
    return np.moveaxis(out, 0, axis)


def _edge_max_vjp(g, x, y, edges, axis):
    # each edge that holds its target's largest value gets the target's gradient; edges
    # tied for it share it equally
    g, x, y = (np.moveaxis(v, axis, 0) for v in (g, x, y))
    hit = (x == y[edges[1]]).astype(x.dtype)
    ties = np.zeros_like(y)
    np.add.at(ties, edges[1], hit)
    return np.moveaxis(g[edges[1]] * hit / ties[edges[1]], 0, axis)


def _degree(edges, like, axis):
    # for each node, the number of its neighbours: the edges whose target it is
    return np.bincount(edges[1], minlength=like.shape[axis]).astype(like.dtype)


def _expm(x):
    # the matrix exponential of each matrix (the last two axes): scaled down by 2^s until
    # its norm is at most 1/2, the Taylor series to 20 terms, then squared s times
    norm = float(np.abs(x).sum(axis=-2).max()) if x.size else 0.0
    s = int(np.log(norm) / np.log(2.0)) + 2 if norm > 0.5 else 0
    a = x / 2.0**s
    term = np.broadcast_to(np.eye(x.shape[-1], dtype=x.dtype), x.shape)
    out = term
    for k in range(1, 21):
        term = term @ a / k
        out = out + term
    for _ in range(s):
        out = out @ out
    return out


def _expm_vjp(x, g):
    # the gradient through exp(X): the upper right block of exp([[X^T, G], [0, X^T]])
    n = x.shape[-1]
    xt = np.swapaxes(x, -1, -2)
    top = np.concatenate([xt, g], axis=-1)
    bottom = np.concatenate([np.zeros_like(xt), xt], axis=-1)
    return _expm(np.concatenate([top, bottom], axis=-2))[..., :n, n:]
"""

TORCH_HELPERS = """
def _layernorm(x, dim):
    return F.layer_norm(x.movedim(dim, -1), x.movedim(dim, -1).shape[-1:]).movedim(-1, dim)


def _segment_sum(x, batch, num_graphs, dim):
    # sum the rows (sample-first) or columns (dim-first) of the nodes of each graph
    x = x.movedim(dim, 0)
    out = x.new_zeros((num_graphs,) + tuple(x.shape[1:]))
    return out.index_add(0, batch, x).movedim(0, dim)


def _neighbour_sum(x, edges, dim):
    # for each node, the sum over its neighbours: along every edge (source, target), the
    # source's row (sample-first) or column (dim-first) is added to the target's
    x = x.movedim(dim, 0)
    return torch.zeros_like(x).index_add(0, edges[1], x[edges[0]]).movedim(0, dim)


def _edge_sum(x, edges, num_nodes, dim):
    # for each node, the sum of the values of its edges (those whose target it is)
    x = x.movedim(dim, 0)
    out = x.new_zeros((num_nodes,) + tuple(x.shape[1:]))
    return out.index_add(0, edges[1], x).movedim(0, dim)


def _edge_max(x, edges, num_nodes, dim):
    # for each node, the largest of the values of its edges (those whose target it is),
    # entry by entry; 0 for a node no edge enters (as DGL's and PyG's max aggregations)
    x = x.movedim(dim, 0)
    index = edges[1].view(-1, *([1] * (x.dim() - 1))).expand_as(x)
    out = x.new_zeros((num_nodes,) + tuple(x.shape[1:]))
    return out.scatter_reduce(0, index, x, "amax", include_self=False).movedim(0, dim)


def _edge_max_vjp(g, x, y, edges, dim):
    # each edge that holds its target's largest value gets the target's gradient; edges
    # tied for it share it equally
    g, x, y = (v.movedim(dim, 0) for v in (g, x, y))
    hit = (x == y[edges[1]]).to(x.dtype)
    ties = torch.zeros_like(y).index_add(0, edges[1], hit)
    return (g[edges[1]] * hit / ties[edges[1]]).movedim(0, dim)


def _degree(edges, like, dim):
    # for each node, the number of its neighbours: the edges whose target it is
    return torch.bincount(edges[1], minlength=like.shape[dim]).to(like.dtype)
"""


def check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise PapermathError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")


class Emitter:
    """Writes the body of ``forward``; the backends wrap it into a module or a class."""

    def __init__(
        self, program: Program, dialect: Dialect, layout: str, user_keys: set[str]
    ) -> None:
        check_layout(layout)
        check_program_names(program)
        self.p = program
        self.d = dialect
        self.sf = layout == "sample-first"
        # what computes an affine map of every step's input at once (torch, sample-first):
        # F.linear, or the fused recurrence's _Linear (its products on the kernels' GEMM)
        self.linear = "F.linear"
        self.names = Names(user_keys)
        self.expr: dict[Value, str] = {}  # value -> its name (or a literal)
        self.input_names: dict[str, str] = {}  # input key -> the name of the whole array
        # values for every step at once (T first); a hoisted value that is the same at every
        # step (a product of parameters) is no sequence: it is read whole
        self.sequences = {op.out for op in program.pre_ops if op.out.batched}
        self.step_inputs = {i.value for i in program.inputs if i.per == "step"}
        self.graph_level: set[Value] = {  # inputs per graph, values after a sum over nodes
            inp.value
            for inp in program.inputs
            if inp.per == "graph" or inp.key in program.graph_step_inputs
        }
        for op in program.ops():
            if op.prim is to_nodes_p:
                continue  # given to the nodes: a value per node again
            if op.prim is nodesum_p or any(v in self.graph_level for v in op.inputs):
                self.graph_level.add(op.out)
        self.edge_level: set[Value] = set()  # values per edge (GAT's e_ij): (edges, ...)
        self.edge_level |= {i.value for i in program.inputs if i.per == "edge"}
        for op in program.ops():
            if op.prim is to_edges_p or (
                op.prim not in EDGES_IN and any(v in self.edge_level for v in op.inputs)
            ):
                self.edge_level.add(op.out)
        self.lines: list[str] = []

    # ---- sizes and shapes --------------------------------------------------------------
    def size(self, s: Size) -> int:
        got = s.evaluate(self.p.sizes)
        if got is None:
            free = [n for n in s.names if n not in self.p.sizes]
            raise PapermathError(
                f"the size {s.text()} has no number: give "
                + ", ".join(f"{n}=..." for n in free)
                + " in dims (papermath code FILE --dims ...)",
            )
        return got

    def numeric(self, shape: Shape) -> tuple[int, ...]:
        return tuple(self.size(s) for s in shape)

    def shown(self, v: Value) -> str:
        """The array shape of a value in this layout, for comments: ``(N, m + n)``."""
        axes = [s.text() for s in v.shape]
        if v.batched:
            n = "N"
            if self.p.per_node:
                n = "graphs" if v in self.graph_level else "nodes"
                n = "edges" if v in self.edge_level else n
            axes = [n, *axes] if self.sf else [*axes, n]
            if v in self.sequences:
                axes = ["T", *axes]
        shown = ", ".join(safe_comment(str(a)) for a in axes) + ("," if len(axes) == 1 else "")
        return f"({shown})"  # written in comments: one line, whatever the sizes

    def timed(self, v: Value, out: Value) -> bool:
        """Whether ``v`` has a leading time axis where ``out`` is computed: ``out`` is computed
        for every step at once, and ``v`` is too (or is it, or a per-step input read whole)."""
        return out in self.sequences and (v is out or v in self.sequences or v in self.step_inputs)

    @property
    def batch_axis(self) -> int:
        """The array axis of the samples (or nodes): first (sample-first) or last."""
        return 0 if self.sf else -1

    def axis(self, v: Value, i: int) -> int:
        """The array axis of per-example axis ``i`` of ``v`` (see the module docstring),
        counted from the end, so a leading time axis (values computed for every step at
        once) changes nothing."""
        return i - len(v.shape) - (0 if self.sf or not v.batched else 1)

    # ---- lines -------------------------------------------------------------------------
    def line(self, text: str, indent: int) -> None:
        self.lines.append("    " * indent + text)

    def comment(self, text: str, indent: int) -> None:
        self.line(f"# {safe_comment(text)}", indent)  # never a newline: it stays a comment

    def bind(self, op: Op, text: str, indent: int) -> None:
        if op.out.name in self.p.outputs and self.p.outputs[op.out.name] is op.out:
            name = self.names.symbol(op.out.name)  # a defined symbol keeps its key
        else:
            name = self.names.fresh("_" + op.out.name)  # temporaries start with _
        self.expr[op.out] = name
        pad = max(1, 44 - len(name) - len(text) - 3)
        self.line(f"{name} = {text}{' ' * pad}# {self.shown(op.out)}", indent)

    # ---- operands ----------------------------------------------------------------------
    def operand(
        self, v: Value, align: tuple[int | None, ...], out: Value, name: str | None = None
    ) -> str:
        """``v`` indexed so that it broadcasts against ``out`` (None where it is missing).

        ``name`` stands in for ``v``'s own name (a gradient laid out like ``v``)."""
        name = name or self.expr[v]
        res_axes: list[int | str | None] = list(align)
        if out.batched:
            res_axes = ["batch", *res_axes] if self.sf else [*res_axes, "batch"]
        index = []
        for a in res_axes:
            if a == "batch":
                index.append(":" if v.batched else "None")
            else:
                index.append(":" if a is not None else "None")
        if not v.shape and not v.batched:
            return name  # a scalar broadcasts anywhere
        if self.timed(v, out):
            index = [":", *index]  # every step at once: the time axis comes first, kept whole
        # numpy-style broadcasting adds missing leading axes by itself
        while index and index[0] == "None":
            index.pop(0)
        order_ok = [a for a in align if a is not None] == sorted(a for a in align if a is not None)
        assert order_ok, "operands are never permuted by broadcasting"
        if all(i == ":" for i in index):
            return name
        return f"{name}[{', '.join(index)}]"

    # ---- ops ---------------------------------------------------------------------------
    def op(self, op: Op, indent: int) -> None:
        """Bind ``op``'s result: its primitive's emit rule (papermath/ops/)."""
        rule(emit_rules, "emit", op.prim)(self, op, indent)

    def einsum_specs(self, op: Op) -> tuple[str, str, str]:
        """Index strings of a product for einsum, with ``z`` for the batch axis."""
        a, b = op.inputs
        sa, sb = {
            matmul_p: ("ab", "b" if len(b.shape) == 1 else "bc"),
            vecmat_p: ("a", "ab"),
            dot_p: ("a", "a"),
        }[op.prim]
        out_axes = {("ab", "b"): "a", ("ab", "bc"): "ac", ("a", "ab"): "b", ("a", "a"): ""}[
            (sa, sb)
        ]
        if op.prim is matmul_p and len(op.out.shape) == 0:
            out_axes = ""  # a row times a column

        def sub(v: Value, s: str) -> str:
            if v.batched:
                s = "z" + s if self.sf else s + "z"
            if self.timed(v, op.out):  # every step at once: time comes first
                s = "t" + s
            return s

        return sub(a, sa), sub(b, sb), sub(op.out, out_axes)

    def einsum(self, op: Op, indent: int) -> None:
        a, b = op.inputs
        spa, spb, res = self.einsum_specs(op)
        spec = f"{spa},{spb}->{res}"
        self.bind(op, f'{self.d.mod}.einsum("{spec}", {self.expr[a]}, {self.expr[b]})', indent)


def bound_for(program: Program, key: str, shape: tuple[int, ...], fan_in: int | None) -> float:
    """PyTorch's default initialisation: U(-1/sqrt(n), 1/sqrt(n)).

    n is the hidden (state) size for recurrent systems, as in ``nn.LSTM``/``nn.GRU``;
    otherwise the fan-in, as in ``nn.Linear``.
    """
    if program.states:
        n = math.prod(s.evaluate(program.sizes) or 1 for s in program.states[0].shape)
    elif fan_in is not None:
        n = fan_in
    else:
        n = shape[-1] if shape else 1
    return 1.0 / math.sqrt(max(1, n))
