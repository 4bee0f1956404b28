"""Emit readable, vectorized Python from a :class:`~papermath.ir.Program`.

One emitter, two dialects (NumPy and torch): each primitive has one emitting method here;
what differs between the libraries is a small table of spellings in :class:`Dialect`.

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

from ..errors import PapermathError
from ..ir.program import Op, Program, Value
from ..ops import ELEMENTWISE
from ..shapes.sizes import Size

LAYOUTS = ("sample-first", "dim-first")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
RESERVED = {
    "np", "torch", "nn", "math", "F", "params", "inputs", "state", "outputs", "cache",
    "values", "forward", "init_params", "Model", "self", "batch", "num_graphs", "SIZES", "edges",
    "PARAM_SHAPES", "BOUNDS", "LAYOUT", "T", "N", "edge_types",
} | set(dir(builtins)) | set(keyword.kwlist)  # fmt: skip


def edge_list_name(relation: int | None, direction: str) -> str:
    """The generated code's name of an edge list: ``edges`` (every edge, source -> target),
    ``edges_2`` (the edges of type 2), ``edges_out`` / ``edges_2_out`` (reversed)."""
    base = "edges" if relation is None else f"edges_{relation}"
    return base + ("_out" if direction == "out" else "")


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
    name: str
    mod: str
    axis_kw: str
    cat: str
    fns: dict[str, str] = field(default_factory=dict)


NUMPY = Dialect(
    "numpy",
    "np",
    "axis",
    "np.concatenate",
    {
        **{row.name: row.numpy for row in ELEMENTWISE.values()},
        "layernorm": "_layernorm({x}, {axis})",
    },
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
        self.graph_level: set[Value] = set()  # values after a sum over nodes
        for op in program.ops():
            if op.prim == "to_nodes":
                continue  # given to the nodes: a value per node again
            if op.prim == "nodesum" or any(v in self.graph_level for v in op.inputs):
                self.graph_level.add(op.out)
        for inp in program.inputs:
            if inp.per == "graph":
                self.graph_level.add(inp.value)
        self.edge_level: set[Value] = set()  # values per edge (GAT's e_ij): (edges, ...)
        for op in program.ops():
            if op.prim == "to_edges" or (
                op.prim != "edge_sum" and any(v in self.edge_level for v in op.inputs)
            ):
                self.edge_level.add(op.out)
        self.lines: list[str] = []

    # ---- sizes and shapes --------------------------------------------------------------
    def size(self, s: str) -> int:
        got = Size.parse(s).evaluate(self.p.sizes)
        if got is None:
            free = [n for n in Size.parse(s).names if n not in self.p.sizes]
            raise PapermathError(
                f"the size {s} has no number: give "
                + ", ".join(f"{n}=..." for n in free)
                + " in dims (papermath code FILE --dims ...)",
            )
        return got

    def numeric(self, shape: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.size(s) for s in shape)

    def shown(self, v: Value) -> str:
        """The array shape of a value in this layout, for comments: ``(N, m + n)``."""
        axes = list(v.shape)
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
        getattr(self, f"emit_{op.prim}")(op, indent)

    def emit_const(self, op: Op, indent: int) -> None:
        value = float(op.attrs["value"])
        if not math.isfinite(value):  # the reader refuses such numbers; never emit `inf`
            raise PapermathError(f"the constant {value!r} is not a finite number")
        self.expr[op.out] = repr(value) if value >= 0 else f"({value!r})"

    def _binary(self, op: Op, indent: int, sym: str) -> None:
        a, b = op.inputs
        al, bl = op.attrs["align"]
        self.bind(op, f"{self.operand(a, al, op.out)} {sym} {self.operand(b, bl, op.out)}", indent)

    def emit_add(self, op: Op, indent: int) -> None:
        self._binary(op, indent, "+")

    def emit_sub(self, op: Op, indent: int) -> None:
        self._binary(op, indent, "-")

    def emit_mul(self, op: Op, indent: int) -> None:
        self._binary(op, indent, "*")

    def emit_div(self, op: Op, indent: int) -> None:
        self._binary(op, indent, "/")

    def _extremum(self, op: Op, indent: int, which: str) -> None:
        a, b = op.inputs
        al, bl = op.attrs["align"]
        x, y = self.operand(a, al, op.out), self.operand(b, bl, op.out)
        if self.d.name == "numpy":
            self.bind(op, f"np.{which}({x}, {y})", indent)
            return
        consts = [v for v in (a, b) if not v.shape and not v.batched]
        if consts:  # torch.maximum needs two tensors; clamp takes a number
            other = y if consts[0] is a else x
            bound = "min" if which == "maximum" else "max"
            self.bind(op, f"torch.clamp({other}, {bound}={self.expr[consts[0]]})", indent)
        else:
            self.bind(op, f"torch.{which}({x}, {y})", indent)

    def emit_maximum(self, op: Op, indent: int) -> None:
        self._extremum(op, indent, "maximum")

    def emit_minimum(self, op: Op, indent: int) -> None:
        self._extremum(op, indent, "minimum")

    def emit_neg(self, op: Op, indent: int) -> None:
        self.bind(op, f"-{self.expr[op.inputs[0]]}", indent)

    def emit_fn(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        fn = op.attrs["fn"]
        axis = self.axis(x, len(x.shape) - 1) if x.shape else -1
        self.bind(op, self.d.fns[fn].format(x=self.expr[x], axis=axis), indent)

    def emit_softmax(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        axis = self.axis(x, len(x.shape) - 1)
        if self.d.name == "numpy":
            self.bind(op, f"_softmax({self.expr[x]}, axis={axis})", indent)
        else:
            self.bind(op, f"torch.softmax({self.expr[x]}, dim={axis})", indent)

    def emit_pow(self, op: Op, indent: int) -> None:
        e = float(op.attrs["exponent"])
        shown = str(int(e)) if e.is_integer() else repr(e)
        self.bind(op, f"{self.expr[op.inputs[0]]} ** {shown}", indent)

    def emit_matmul(self, op: Op, indent: int) -> None:
        a, b = op.inputs
        x, y = self.expr[a], self.expr[b]
        if not op.out.shape and not b.shape[1:]:
            self.einsum(op, indent)  # a row times a column: a scalar, not a 1-vector
        elif not a.batched and not b.batched:
            self.bind(op, f"{x} @ {y}", indent)
        elif not a.batched and len(b.shape) == 1:
            # a matrix times a batch of vectors: one matrix product for the whole batch
            self.bind(op, f"{y} @ {x}.T" if self.sf else f"{x} @ {y}", indent)
        elif not a.batched and self.sf:
            self.bind(op, f"{x} @ {y}", indent)  # (r, c) @ (N, c, k) broadcasts over N
        else:
            self.einsum(op, indent)

    def emit_vecmat(self, op: Op, indent: int) -> None:
        self.einsum(op, indent)

    def emit_dot(self, op: Op, indent: int) -> None:
        a, b = op.inputs
        axis = self.axis(self._vec_like(op), 0)
        al = (0,)
        prod = (
            f"{self.operand(a, al, self._vec_like(op))} * {self.operand(b, al, self._vec_like(op))}"
        )
        self.bind(op, f"({prod}).sum({self.d.axis_kw}={axis})", indent)

    def _vec_like(self, op: Op) -> Value:
        a, b = op.inputs
        return Value("_", a.shape, a.batched or b.batched)

    def einsum_specs(self, op: Op) -> tuple[str, str, str]:
        """Index strings of a product for einsum, with ``z`` for the batch axis."""
        a, b = op.inputs
        sa, sb = {
            "matmul": ("ab", "b" if len(b.shape) == 1 else "bc"),
            "vecmat": ("a", "ab"),
            "dot": ("a", "a"),
        }[op.prim]
        out_axes = {("ab", "b"): "a", ("ab", "bc"): "ac", ("a", "ab"): "b", ("a", "a"): ""}[
            (sa, sb)
        ]
        if op.prim == "matmul" and len(op.out.shape) == 0:
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

    def emit_transpose(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        name = self.expr[x]
        if not x.shape:  # a scalar is its own transpose
            self.bind(op, name, indent)
            return
        if len(x.shape) == 1:  # a vector becomes a row, 1 x n: a new axis before it
            if not x.batched:
                self.bind(op, f"{name}[None, :]", indent)
            else:
                self.bind(op, f"{name}[:, None, :]" if self.sf else f"{name}[None]", indent)
            return
        i, j = self.axis(x, 0), self.axis(x, 1)
        if not x.batched:
            self.bind(op, f"{name}.T", indent)
        elif self.d.name == "numpy":
            self.bind(op, f"np.swapaxes({name}, {i}, {j})", indent)
        else:
            self.bind(op, f"{name}.transpose({i}, {j})", indent)

    def emit_concat(self, op: Op, indent: int) -> None:
        batched = op.out.batched
        parts = []
        for v in op.inputs:
            if batched and not v.batched:
                raise PapermathError(
                    "concatenating a parameter with data is not generated yet: "
                    f"{v.name} has no batch axis"
                )
            name = self.expr[v]
            if not v.shape:  # a scalar counts as size 1 (a leading time axis or none)
                if batched and v.batched:
                    name = f"{name}[..., None]" if self.sf else f"{name}[..., None, :]"
                else:
                    name = f"{name}[None]"
            parts.append(name)
        axis = self.axis(op.out, 0)
        self.bind(op, f"{self.d.cat}([{', '.join(parts)}], {self.d.axis_kw}={axis})", indent)

    def emit_norm(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        axes = tuple(self.axis(x, i) for i in range(len(x.shape)))
        shown = axes[0] if len(axes) == 1 else axes
        sq = (
            f"({self.expr[x]} ** 2).sum({self.d.axis_kw}={shown})"
            if axes
            else f"{self.expr[x]} ** 2"
        )
        self.bind(op, f"{self.d.mod}.sqrt({sq})", indent)

    def emit_affine(self, op: Op, indent: int) -> None:
        w, x, b = op.inputs
        wn, xn, bn = self.expr[w], self.expr[x], self.expr[b]
        col = bn if b.batched else f"{bn}[:, None]"  # dim-first: a bias for every column
        if self.d.name == "torch" and op.out not in self.sequences:  # addmm is 2-D only
            if self.sf:
                self.bind(op, f"torch.addmm({bn}, {xn}, {wn}.T)", indent)
            else:
                self.bind(op, f"torch.addmm({col}, {wn}, {xn})", indent)
        elif self.sf and self.d.name == "torch" and not b.batched:
            # every step at once: F.linear flattens the leading axes into one addmm
            self.bind(op, f"{self.linear}({xn}, {wn}, {bn})", indent)
        elif self.sf:
            self.bind(op, f"{xn} @ {wn}.T + {bn}", indent)
        else:
            self.bind(op, f"{wn} @ {xn} + {col}", indent)

    def emit_slice(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        k = self.axis(x, op.attrs["axis"])
        start, stop = self.size(op.attrs["start"]), self.size(op.attrs["stop"])
        index = f"..., {start}:{stop}" + ", :" * (-k - 1)
        self.bind(op, f"{self.expr[x]}[{index}]", indent)

    def emit_sum(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        self.bind(op, f"{self.expr[x]}.sum({self.d.axis_kw}={self.axis(x, 0)})", indent)

    def emit_prod(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        self.bind(op, f"{self.expr[x]}.prod({self.d.axis_kw}={self.axis(x, 0)})", indent)

    def emit_neighbour_sum(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        edges = edge_list_name(op.attrs.get("relation"), op.attrs.get("direction", "in"))
        self.bind(op, f"_neighbour_sum({self.expr[x]}, {edges}, {self.batch_axis})", indent)

    def emit_to_edges(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        side = int(op.attrs["side"])  # 0: the edge's source node, 1: its target
        index = f"edges[{side}]"
        self.bind(op, f"{self.expr[x]}[{index if self.sf else '..., ' + index}]", indent)

    def emit_take(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        self.bind(op, f"{self.expr[x]}[{int(op.attrs['index'])}]", indent)

    def emit_concat_last(self, op: Op, indent: int) -> None:
        parts = ", ".join(self.expr[v] for v in op.inputs)
        axis = self.axis(op.out, len(op.out.shape) - 1)
        self.bind(op, f"{self.d.cat}([{parts}], {self.d.axis_kw}={axis})", indent)

    def emit_edge_sum(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        self.bind(op, f"_edge_sum({self.expr[x]}, edges, len(batch), {self.batch_axis})", indent)

    def emit_batchsum(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        self.bind(op, f"{self.expr[x]}.sum({self.d.axis_kw}={self.batch_axis})", indent)

    def emit_count(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        self.bind(op, f"float({self.expr[x]}.shape[{self.batch_axis}])", indent)

    def emit_to_nodes(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        self.bind(op, f"{self.expr[x]}[{'batch' if self.sf else '..., batch'}]", indent)

    def emit_nodesum(self, op: Op, indent: int) -> None:
        (x,) = op.inputs
        self.bind(op, f"_segment_sum({self.expr[x]}, batch, num_graphs, {self.batch_axis})", indent)


def bound_for(program: Program, key: str, shape: tuple[int, ...], fan_in: int | None) -> float:
    """PyTorch's default initialisation: U(-1/sqrt(n), 1/sqrt(n)).

    n is the hidden (state) size for recurrent systems, as in ``nn.LSTM``/``nn.GRU``;
    otherwise the fan-in, as in ``nn.Linear``.
    """
    if program.states:
        n = math.prod(Size.parse(s).evaluate(program.sizes) or 1 for s in program.states[0].shape)
    elif fan_in is not None:
        n = fan_in
    else:
        n = shape[-1] if shape else 1
    return 1.0 / math.sqrt(max(1, n))
