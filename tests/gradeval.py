r"""An evaluator of *printed* gradient equations: the LaTeX that ``papermath grad`` prints,
read back character by character and computed with NumPy at given values.

This is the oracle of tests/test_grad_oracle.py: the printed equations (what a reader sees)
are evaluated on the forward values of the generated NumPy module, step by step backwards
through time, and the result for the parameter is compared with the generated backward
pass. It reads only the printed text and a table of symbol names (``h_{t-1}``: key ``h``
one step back), never papermath's derivation, so a wrong printed equation (a missing
transpose, a term dropped, a wrong step) is a difference, not a pass.

The printed language (dim-first, samples as columns), by precedence, loosest first:
``a + b``, ``a - b``; ``a \odot b``; juxtaposition ``A B`` (a matrix product, or a number
times a value); ``-a``; postfix ``^\top``, ``^{2}`` (entry by entry) and ``^{-1}`` (of a square
matrix: its inverse); atoms: a symbol, a gradient
``\frac{\partial \mathcal{L}}{\partial X}`` (with ``\Big|_{\text{direct}}``: the gradient
that reaches X from the loss directly), ``\mathbf{1}`` (ones over the samples), a number,
``\left(..\right)``, a concatenation ``\left[a, b\right]``, ``\frac{a}{b}``, ``\sigma``,
``\tanh``, ``\exp``, ``\operatorname{relu}``, ``\mathbb{1}\left[a > 0\right]`` and
``\mathbb{1}\left[a = y\right]`` (1 where a equals y: the entries of a maximum; also ``<``,
``\leq``, ``\geq``), ``\operatorname{LeakyReLU}`` (slope 0.01, PyTorch's),
``\max\left(a, b\right)`` and ``\min`` (entry by entry), ``\max\left(z\right)``,
``\prod``, ``\operatorname{logsumexp}`` (over the entries of each sample's vector),
``\operatorname{softmax}`` (the same) and ``\operatorname{softmax}_{\text{row}}`` (over each row),
``\operatorname{LayerNorm}``, ``\operatorname{mean}`` and ``\operatorname{Var}`` (of each
sample's vector), ``e^{A}`` (the matrix exponential), ``\int_{0}^{1} ... \, ds``
(Gauss-Legendre in s), ``\left\|a\right\|`` (the L2 norm of each column: each sample's
vector), ``\left\|a\right\|_{\text{row}}`` (of each row), ``\left\|A\right\|_{F}`` (of every entry),
``\left|a\right|``, ``\left[f\right]_{y}`` (each sample's entry of f at its integer label y),
``\operatorname{onehot}_{K}\left(y\right)`` (K rows, a 1 at each sample's label),
``\operatorname{sign}`` and
``\operatorname{heaviside}``, ``I_{n}`` (the identity, where the source names no such symbol),
``N`` (the number of samples, by the name ``Env.count`` gives it: ``x \mathbf{1} / N``),
a size used as a number (``d_{k}`` for d_k; where no printed symbol begins so).
A parameter's gradient opens with
``\sum_{t}``: the sum over the steps of what follows (inside an equation: of the next product).

Values per node (a graph's nodes v in V): a name written with a node letter (``h_v``) is
the column of its node, the letter bound by the equation's left side (``\frac{\partial
\mathcal{L}}{\partial h_v}``: computed for every node) or by ``\sum_{v \in V}`` (the sum
over every node of what follows: at the front of an equation, the rest of it; inside one,
the next product, V the nodes of the graph of a node bound around it, else a value per
graph; ``\sum_{v}``, v not the step letter, where the source names no set); a value per graph
(``h_G``) read where a node is bound is the column of that node's graph (the graph of each
node is given: ``Env.graph_of``).
``\sum_{u \in \mathcal{N}(v)}`` (v bound) sums the next product (juxtaposed factors) over
the sources u of the edges into v (``\max_{u \in \mathcal{N}(v)}``: its largest, entry by
entry); ``\sum_{w : u \in \mathcal{N}(w)}`` (u bound) over the
targets w of the edges out of u (the edge list is given: ``Env.edges``);
``\left|\mathcal{N}(v)\right|``: the number of edges into v.
A family of heads (multi-head attention): a name written with a head letter (``W_i^Q``,
``head_i``; ``Env.head_of``) is head i's entry of the stack of every head's value (the
generated module's W_Q, h x d_model x d_k), the letter bound by the equation's left side
(``\frac{\partial \mathcal{L}}{\partial W_i^Q}``: computed for every head, stacked) or by
``\sum_{i=1}^{h}`` (the next product at every head, summed) or
``\mathrm{Concat}_{i=1}^{h}\left(x\right)`` (x at every head, side by side along the
columns); ``\mathrm{Concat}\left(a, b\right)``: a and b side by side; a block of the columns
``\left[x\right]_{:, a:b}`` beside the rows' ``\left[x\right]_{a:b}``, whose bounds may
use the head letter (``\left(i - 1\right) d_v + 1:i d_v``; juxtaposition multiplies).
Anything else is :class:`Unsupported`, named, so the test says what it did not evaluate.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


class Unsupported(Exception):
    """A construct of the printed language this evaluator does not compute (named)."""


class _Zero:
    """The gradient of a value beyond the last step (or before the first): zero, of any
    shape. Products with it are zero; sums drop it."""

    def __repr__(self) -> str:
        return "ZERO"


ZERO: Any = _Zero()

Value = Any  # an ndarray, a float, or ZERO


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    r"\sigma": _sigmoid,
    r"\tanh": np.tanh,
    r"\exp": np.exp,
    r"\log": np.log,
    r"\operatorname{relu}": lambda x: np.maximum(x, 0.0),
    r"\operatorname{sigmoid}": _sigmoid,
    r"\operatorname{sign}": np.sign,
    # the Heaviside step of a definition by cases' mask (read/rules_cases.py): 1 where x > 0
    r"\operatorname{heaviside}": lambda x: np.where(x > 0, 1.0, 0.0),
    # PyTorch's default slope, as the printed notes say (docs/notation.md: leaky ReLU)
    r"\operatorname{LeakyReLU}": lambda x: np.where(x > 0, x, 0.01 * x),
    # over each row of a matrix (attention's scores); without the subscript, over the entries
    # of each sample's vector (a column); the longer name first
    r"\operatorname{softmax}_{\text{row}}": lambda x: _softmax(x, -1),
    r"\operatorname{softmax}": lambda x: _softmax(x, -2),
    # over each sample's vector (a column), epsilon 10^{-5} as PyTorch's layer_norm
    r"\operatorname{LayerNorm}": lambda x: np.asarray(
        (x - x.mean(axis=-2, keepdims=True)) / np.sqrt(x.var(axis=-2, keepdims=True) + 1e-5)
    ),
}


def _pick(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each column's entry at its label (the labels a row, or one number): a row."""
    flat = labels.reshape(-1).astype(np.int64)
    if x.ndim != 2 or len(flat) not in (1, x.shape[1]):
        raise Unsupported(f"the entries of {x.shape} at {labels.shape} labels")
    flat = np.broadcast_to(flat, (x.shape[1],))
    return x[flat, np.arange(x.shape[1])].reshape(1, -1)


def _expm(a: np.ndarray) -> np.ndarray:
    """The matrix exponential: scaled to a small norm, a Taylor series, squared back."""
    if a.ndim < 2:
        return np.asarray(np.exp(a))
    squarings = max(0, int(np.ceil(np.log2(max(np.abs(a).sum(axis=0).max(), 1e-300)))) + 4)
    x = a / 2.0**squarings
    term, total = np.eye(len(a)), np.eye(len(a))
    for k in range(1, 30):
        term = term @ x / k
        total = total + term
    for _ in range(squarings):
        total = total @ total
    return total


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return np.asarray(e / e.sum(axis=axis, keepdims=True))


def _logsumexp(x: np.ndarray) -> np.ndarray:
    m = x.max(axis=-2, keepdims=True)
    return np.asarray(np.log(np.exp(x - m).sum(axis=-2, keepdims=True)) + m)


# \max\left(a, b\right): the larger entry of two values; \max\left(z\right): the largest entry
# of each column of z (a vector per sample), a row over the samples
EXTREMES: dict[str, tuple[Callable[[Any, Any], Any] | None, Callable[[np.ndarray], Any]]] = {
    r"\max": (np.maximum, lambda x: x.max(axis=-2, keepdims=True)),
    r"\min": (np.minimum, lambda x: x.min(axis=-2, keepdims=True)),
    r"\prod": (None, lambda x: x.prod(axis=-2, keepdims=True)),
    r"\operatorname{logsumexp}": (None, _logsumexp),
    r"\operatorname{mean}": (None, lambda x: x.mean(axis=-2, keepdims=True)),
    r"\operatorname{Var}": (None, lambda x: x.var(axis=-2, keepdims=True)),  # 1/n, not 1/(n-1)
}
GRAD_OPEN = r"\frac{\partial \mathcal{L}}{\partial "
DIRECT = r"\Big|_{\text{direct}}"


@dataclass
class Env:
    """What the printed symbols stand for. ``names`` maps a printed name (``h_{t-1}``) to
    (key, offset); ``value(key, index)`` and ``grad(key, index)`` give the value and the
    gradient at a step index (None: the symbol has no step)."""

    names: dict[str, tuple[str, int | None]]
    value: Callable[[str, int | None], Value]
    grad: Callable[[str, int | None], Value]
    direct: Callable[[str, int | None], Value]
    ones: Value
    steps: int
    sizes: dict[str, int]
    step: str | None = None  # the letter of the step (t): ``t`` alone is its number, 1-based
    # values per node: the node letter of each printed name written with one (h_v -> v), the
    # keys of the values per graph (a column per graph), the graph of each node, the node sets
    node_of: dict[str, str] = field(default_factory=dict)
    per_graph: set[str] = field(default_factory=set)
    graph_of: Any = None
    node_sets: tuple[str, ...] = ("V",)
    edges: Any = None  # the edge list (2 x E: source, target): u is in N(v) for u -> v
    # a value per edge: the letters of its target and its source (alpha_{i,j}, e_{j,i}: i, j)
    edge_of: dict[str, tuple[str, str]] = field(default_factory=dict)
    # a value per head of a family (W_i^Q, head_i): the head letter of each printed name; its
    # value (and gradient) is the stack of every head's, one per head along the first axis
    head_of: dict[str, str] = field(default_factory=dict)
    # the number of samples, by the name the equations print it with (N in x 1 / N)
    count: dict[str, int] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return 0 if self.graph_of is None else len(self.graph_of)


def _mul(a: Value, b: Value) -> Value:
    if a is ZERO or b is ZERO:
        return ZERO
    return a * b


def _add(a: Value, b: Value, sign: float = 1.0) -> Value:
    if b is ZERO:
        return a
    if a is ZERO:
        return b if sign > 0 else -b
    return a + b if sign > 0 else a - b


def _matmul(a: Value, b: Value) -> Value:
    if a is ZERO or b is ZERO:
        return ZERO
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return a * b  # a number times a value
    if np.ndim(b) == 1 and np.shape(a)[-1] == 1:
        return a * b  # a column times a row over the samples (a number per sample): outer
    if np.ndim(a) == 1 and np.shape(b)[-2] == 1:
        return a[:, None] * b  # a number per sample (samples as rows) times a row: outer
    if np.shape(a)[-1] != np.shape(b)[-2] and 1 in (np.shape(a)[-2], np.shape(b)[-2]):
        return a * b  # a number per sample (a row over the samples) times a value
    return a @ b


def _transpose(a: Value) -> Value:
    if a is ZERO or np.ndim(a) < 2:
        return a  # a scalar, or the vector of ones over the samples (a row when it stands left)
    return np.swapaxes(a, -1, -2)


class Parser:
    """Reads one printed right side at one step ``var`` of the printed step letter."""

    def __init__(
        self,
        text: str,
        env: Env,
        var: int | None,
        nodes: dict[str, int] | None = None,
        edge_at: dict[tuple[str, str], int] | None = None,
    ) -> None:
        self.s = text
        self.i = 0
        self.env = env
        self.var = var
        self.nodes = dict(nodes or {})  # the node letters bound here, each to a node
        # the edges bound here (a sum over neighbours binds the edge it walks): (target letter,
        # source letter) -> the edge's index in the edge list
        self.edge_at = dict(edge_at or {})
        self.bound: dict[str, float] = {}  # the variable of an integral (s), at one point
        self.heads: dict[str, int] = {}  # the head letters bound here, each to a head (from 0)
        self.largest = False  # the sum over neighbours just read is a \max over them

    def sub(self, text: str) -> Parser:
        inner = Parser(text, self.env, self.var, self.nodes, self.edge_at)
        inner.bound = dict(self.bound)
        inner.heads = dict(self.heads)
        return inner

    def sizes(self) -> dict[str, int]:
        """The sizes, and each head letter bound here as its head's number (from 1)."""
        return {**self.env.sizes, **{x: k + 1 for x, k in self.heads.items()}}

    def over_heads(self) -> tuple[str, int] | None:
        """``\\sum_{i=1}^{h}``, ``\\mathrm{Concat}_{i=1}^{h}`` (after the name): the head letter
        and the number of heads, consumed; else None."""
        self.ws()
        m = re.match(r"_\{([A-Za-z])=1\}\^\{([^{}]+)\}", self.s[self.i :])
        if m is None:
            return None
        if m.group(1) in self.heads:
            raise Unsupported(f"the head letter {m.group(1)} bound twice")
        self.i += m.end()
        return m.group(1), size(m.group(2), self.sizes())

    def at_node(self, name: str, key: str, value: Value) -> Value:
        """A value as read at the bound nodes: the column of its node (``h_v``), or of the
        node's graph (a value per graph); else the value itself."""
        if value is ZERO:
            return ZERO
        if name in self.env.head_of:  # W_i^Q: head i's of the stack
            letter = self.env.head_of[name]
            if letter not in self.heads:
                raise Unsupported(f"{name} where no head {letter} is bound")
            return np.asarray(value)[self.heads[letter]]
        if name in self.env.edge_of:  # alpha_{i,j}: the column of the edge j -> i
            pair = self.env.edge_of[name]
            if pair not in self.edge_at:
                raise Unsupported(f"{name} where no edge {pair[1]} -> {pair[0]} is bound")
            k = self.edge_at[pair]
            return np.asarray(value)[..., k : k + 1]
        if name in self.env.node_of:
            letter = self.env.node_of[name]
            if letter not in self.nodes:
                raise Unsupported(f"{name} where no node {letter} is bound")
            k = self.nodes[letter]
            return np.asarray(value)[..., k : k + 1]
        if key in self.env.per_graph and self.nodes:
            graphs = {int(self.env.graph_of[k]) for k in self.nodes.values()}
            if len(graphs) != 1:
                raise Unsupported(f"{name} read at nodes of two graphs")
            (g,) = graphs
            return np.asarray(value)[..., g : g + 1]
        return value

    def skip_product(self) -> None:
        """Past the next product, unread (a sum over no neighbours): up to the first ``+``,
        ``-``, ``\\odot``, ``,`` or relation outside every ``\\left..\\right`` and ``{..}``."""
        self.ws()
        if self.s.startswith("-", self.i):
            self.i += 1
        depth = 0
        stops = ("+", "-", r"\odot", ",", "=", ">", "<", r"\leq", r"\geq")
        while self.i < len(self.s):
            rest = self.s[self.i :]
            if depth == 0 and (rest.startswith(stops) or rest.startswith((r"\right", "}"))):
                return
            for word, step in ((r"\left", 1), (r"\right", -1), ("{", 1), ("}", -1)):
                if rest.startswith(word):
                    depth += step
                    self.i += len(word)
                    break
            else:
                self.i += 1

    def graph_sum(self, letter: str) -> Value:
        """``\\sum_{v \\in V}`` inside an equation, V the nodes of a graph: where a node is
        bound, over the nodes of its graph (a column); else a column for each graph."""
        start, graph_of = self.i, np.asarray(self.env.graph_of)
        graphs = {int(graph_of[k]) for k in self.nodes.values()}
        if len(graphs) > 1:
            raise Unsupported("a sum over the nodes of two graphs")
        columns: dict[int, Value] = {}
        for k in range(self.env.node_count):
            if graphs and int(graph_of[k]) not in graphs:
                continue
            self.i, self.nodes[letter] = start, k
            g = int(graph_of[k])
            columns[g] = _add(columns.get(g, ZERO), self.product())
        if not columns:
            raise Unsupported("a sum over a graph without nodes")
        del self.nodes[letter]
        if graphs:
            (g,) = graphs
            return columns[g]
        if any(v is ZERO for v in columns.values()):
            raise Unsupported("a sum over the nodes beyond the steps")
        count = int(graph_of.max()) + 1
        return np.concatenate([np.asarray(columns[g]) for g in range(count)], axis=-1)

    def over_nodes(self) -> tuple[str, str] | None:
        """``\\sum_{v \\in V}`` at this position: (v, V), consumed; else None."""
        self.ws()
        m = re.match(r"\\sum_\{([A-Za-z]'*)(?: \\in ([A-Za-z]+))?\}", self.s[self.i :])
        if m is None or self.env.graph_of is None:
            return None
        if m.group(2) is None and m.group(1) == self.env.step:
            return None  # \sum_{t}: over the steps
        if m.group(2) is not None and m.group(2) not in self.env.node_sets:
            return None
        if m.group(1) in self.nodes:
            raise Unsupported(f"the node letter {m.group(1)} bound twice")
        self.i += m.end()
        return m.group(1), m.group(2)

    def neighbours(
        self,
    ) -> tuple[str, list[tuple[int, int, tuple[str, str]]], tuple[str, str]] | None:
        """``\\sum_{u \\in \\mathcal{N}(v)}``: (u, the sources of the edges into v's node);
        ``\\sum_{w : u \\in \\mathcal{N}(w)}``: (w, the targets of the edges out of u's);
        each with the edge's index; and the (target, source) letters; consumed. Else None."""
        self.ws()
        rest = self.s[self.i :]
        # \max_{u \in \mathcal{N}(v)}: the largest of the next factor over v's neighbours
        self.largest = rest.startswith(r"\max_{")
        into = re.match(r"\\(?:sum|max)_\{([A-Za-z]'*) \\in \\mathcal\{N\}\(([A-Za-z]'*)\)\}", rest)
        out = re.match(
            r"\\sum_\{([A-Za-z]'*) : ([A-Za-z]'*) \\in \\mathcal\{N\}\(([A-Za-z]'*)\)\}", rest
        )
        if into is None and out is None:
            return None
        if self.env.edges is None:
            raise Unsupported("a sum over neighbours without an edge list")
        src, dst = (np.asarray(e) for e in self.env.edges)
        if into is not None:
            letter, at = into.group(1), into.group(2)
            found, side, other = into, dst, src
        else:
            assert out is not None
            letter, at = out.group(1), out.group(2)
            if out.group(3) != letter:
                raise Unsupported(f"the set N({out.group(3)}) in a sum over {letter}")
            found, side, other = out, src, dst
        if at not in self.nodes:
            raise Unsupported(f"the neighbours of {at}, where no node {at} is bound")
        if letter in self.nodes:
            raise Unsupported(f"the node letter {letter} bound twice")
        self.i += found.end()
        pair = (at, letter) if into is not None else (letter, at)
        walked = np.flatnonzero(side == self.nodes[at])
        return letter, [(int(other[e]), int(e), pair) for e in walked], pair

    # ---- characters -----------------------------------------------------------------
    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\n":
            self.i += 1

    def peek(self, word: str) -> bool:
        self.ws()
        return self.s.startswith(word, self.i)

    def take(self, word: str) -> bool:
        if self.peek(word):
            self.i += len(word)
            return True
        return False

    def need(self, word: str) -> None:
        if not self.take(word):
            raise Unsupported(f"expected {word!r} at {self.s[self.i : self.i + 30]!r}")

    def group(self) -> str:
        """The text of a ``{...}`` group (balanced)."""
        self.need("{")
        depth, start = 1, self.i
        while depth:
            if self.i >= len(self.s):
                raise Unsupported("an unclosed {")
            depth += {"{": 1, "}": -1}.get(self.s[self.i], 0)
            self.i += 1
        return self.s[start : self.i - 1]

    def done(self) -> bool:
        self.ws()
        return self.i >= len(self.s)

    # ---- grammar --------------------------------------------------------------------
    def expr(self) -> Value:
        value = self.hadamard()
        while True:
            if self.take("+"):
                value = _add(value, self.hadamard())
            elif self.peek("-") and not self.peek("->"):
                self.i += 1
                value = _add(value, self.hadamard(), -1.0)
            else:
                return value

    def hadamard(self) -> Value:
        value = self.product()
        while self.take(r"\odot"):
            value = _mul(value, self.product())
        return value

    def product(self) -> Value:
        value = self.unary()
        while self.starts_atom():
            value = _matmul(value, self.unary())
        return value

    def starts_atom(self) -> bool:
        self.ws()
        if self.i >= len(self.s):
            return False
        stops = (r"\odot", r"\right", "+", "-", ",", "}", "]", ">", "=", "<", r"\leq", r"\geq")
        return not any(self.peek(w) for w in stops)

    def unary(self) -> Value:
        if self.take("-"):
            value = self.unary()
            return ZERO if value is ZERO else -value
        return self.postfix(self.atom())

    def postfix(self, value: Value) -> Value:
        while True:
            if self.take(r"^\top"):
                value = _transpose(value)
            elif self.peek("^{"):
                self.i += 1
                power = self.group()
                if self.step_number(power) is not None:  # a^{t}, a^{t - 1}
                    value = ZERO if value is ZERO else value ** self.step_number(power)
                    continue
                if re.fullmatch(r"-?\d+(\.\d+)?", power.strip()) is None:
                    raise Unsupported(f"the power ^{{{power}}}")
                exponent = float(power)  # ^{2}, ^{-0.5}: entry by entry
                # a square matrix, or a stack of them (one per sample: A of a batch of graphs)
                square = np.ndim(value) >= 2 and np.shape(value)[-2] == np.shape(value)[-1] > 1
                if exponent == -1 and value is not ZERO and square:
                    value = np.linalg.inv(np.asarray(value, dtype=float))  # (I - A)^{-1}
                    continue
                value = ZERO if value is ZERO else np.asarray(value, dtype=float) ** exponent
            else:
                return value

    def atom(self) -> Value:
        if self.peek(GRAD_OPEN):
            self.i += len(GRAD_OPEN)
            name = self.name_until("}")
            key, offset = self.lookup(name)
            if self.take(DIRECT):
                return self.at_node(name, key, self.env.direct(key, self.index(offset)))
            return self.at_node(name, key, self.env.grad(key, self.index(offset)))
        if self.take(r"\left("):
            value = self.expr()
            self.need(r"\right)")
            return value
        if self.take(r"\sum"):
            heads = self.over_heads()
            if heads is None:
                self.i -= len(r"\sum")
            else:  # \sum_{i=1}^{h}: the next product at every head, summed
                letter, start, total = heads[0], self.i, ZERO
                for k in range(heads[1]):
                    self.i, self.heads[letter] = start, k
                    total = _add(total, self.product())
                del self.heads[letter]
                return total
        if self.take(r"\mathrm{Concat}"):  # side by side: along the columns (the last axis)
            heads = self.over_heads()
            self.need(r"\left(")
            if heads is None:
                items = [self.expr()]
                while self.take(","):
                    items.append(self.expr())
            else:  # \mathrm{Concat}_{i=1}^{h}(x_i): x at every head
                letter, start, items = heads[0], self.i, []
                for k in range(heads[1]):
                    self.i, self.heads[letter] = start, k
                    items.append(self.expr())
                del self.heads[letter]
            self.need(r"\right)")
            if any(v is ZERO for v in items):
                raise Unsupported("a concatenation beyond the steps")
            return np.concatenate([np.asarray(v) for v in items], axis=-1)
        if self.take(r"\left["):
            items = [self.expr()]
            while self.take(","):
                items.append(self.expr())
            self.need(r"\right]")
            if self.peek("_{"):
                self.i += 1
                rows = self.group()
                if ":" not in rows:  # [f]_{y}: each sample's entry of f at its label y
                    labels = self.sub(rows).whole()
                    if len(items) != 1 or items[0] is ZERO or labels is ZERO:
                        raise Unsupported(f"the entry [..]_{{{rows}}}")
                    return _pick(np.asarray(items[0]), np.asarray(labels))
                columns = rows.startswith(":, ")  # [x]_{:, a:b}: a block of the columns
                rows = rows.removeprefix(":, ")
                if len(items) != 1 or rows.count(":") != 1:
                    raise Unsupported(f"the block [..]_{{{rows}}}")
                first, last = (size(part, self.sizes()) for part in rows.split(":"))
                value = items[0]
                if value is ZERO:
                    return ZERO
                if columns:
                    return np.asarray(value)[..., first - 1 : last]
                return value[..., first - 1 : last, :]
            if len(items) == 1:
                raise Unsupported("[a] on its own")
            if any(v is ZERO for v in items):
                # a value beyond the steps (x_{t+1} at the last step): so is the concatenation,
                # and so is every use of it (terms of the step after the last, whose gradient
                # is zero); the blocks of a gradient beyond the steps: all zero
                return ZERO
            return np.concatenate([np.asarray(v) for v in items], axis=-2)
        degree = re.match(r"\\left\|\\mathcal\{N\}\(([A-Za-z])\)\\right\|", self.s[self.i :])
        if degree is not None:  # |N(v)|: the number of edges into v's node
            if degree.group(1) not in self.nodes or self.env.edges is None:
                raise Unsupported(f"|N({degree.group(1)})| where no node is bound")
            self.i += degree.end()
            into = np.asarray(self.env.edges)[1] == self.nodes[degree.group(1)]
            return np.array([[float(into.sum())]])
        if self.take(r"\left\|"):  # \|a\|: the L2 norm of each column (sample's vector)
            value = self.expr()
            self.need(r"\right\|")
            axis = -1 if self.take(r"_{\text{row}}") else None if self.take("_{F}") else -2
            if value is ZERO:
                return ZERO
            a = np.asarray(value, dtype=float)
            if axis is None or a.ndim < 2:  # \|A\|_F: of every entry
                return np.sqrt((a**2).sum())
            return np.sqrt((a**2).sum(axis=axis, keepdims=True))  # a row (of each row: a column)
        if self.take(r"\left|"):  # |a|, entry by entry
            value = self.expr()
            self.need(r"\right|")
            return ZERO if value is ZERO else np.abs(value)
        if self.take(r"\mathbf{1}"):
            if self.peek("_{"):
                self.i += 1
                return np.ones((size(self.group(), self.env.sizes), 1))  # a column of n ones
            return self.env.ones
        if self.take(r"\operatorname{onehot}_"):  # a 1 at each sample's label, K rows
            classes = size(self.group(), self.env.sizes)
            self.need(r"\left(")
            labels = self.expr()
            self.need(r"\right)")
            if labels is ZERO:
                raise Unsupported("the labels of a step beyond the steps")
            rows = np.arange(classes).reshape(-1, 1)
            return (rows == np.asarray(labels).reshape(1, -1)).astype(float)
        if self.take(r"\mathbb{1}\left["):
            value = self.expr()
            # 1[a = y]: where a equals y (a maximum's entries); 1[a > 0], 1[a \leq 0], ...
            # = : equal up to rounding (a maximum computed by the module, its operand here)
            equal = lambda a, b: np.isclose(a, b, rtol=1e-9, atol=1e-12)  # noqa: E731
            compare = {r"\leq": np.less_equal, r"\geq": np.greater_equal, "=": equal}
            compare |= {">": np.greater, "<": np.less}
            relation = next((w for w in compare if self.take(w)), None)
            if relation is None:
                raise Unsupported(f"a relation at {self.s[self.i : self.i + 20]!r}")
            threshold = self.expr()
            self.need(r"\right]")
            if value is ZERO or threshold is ZERO:  # a value beyond the steps: so is its use
                return ZERO
            return compare[relation](value, threshold).astype(float)
        if self.take(r"\frac{"):
            self.i -= 1
            num = self.sub(self.group()).whole()
            den = self.sub(self.group()).whole()
            if num is ZERO:
                return ZERO
            if den is ZERO:
                raise Unsupported("a division by a value beyond the steps")
            return num / den
        self.ws()
        named = [n for n in self.env.names if self.s.startswith(n, self.i)]
        for fn, f in FUNCTIONS.items():
            if any(len(n) > len(fn) for n in named):
                break  # \sigma_{B} is a symbol, not the function \sigma
            after = self.s[self.i + len(fn) :].lstrip()
            if fn in named and not after.startswith(r"\left("):
                break  # the symbol \sigma (a standard deviation), not \sigma\left(x\right)
            if self.take(fn):
                self.need(r"\left(")
                arg = self.expr()
                self.need(r"\right)")
                return ZERO if arg is ZERO else f(arg)
        for fn, (pair, over) in EXTREMES.items():  # \max(a, b) entry by entry; \max(z) over z
            if self.take(fn + r"\left("):
                args = [self.expr()]
                while self.take(","):
                    args.append(self.expr())
                self.need(r"\right)")
                if any(a is ZERO for a in args):
                    raise Unsupported(f"{fn} of a value beyond the steps")
                if len(args) == 2 and pair is not None:
                    return pair(args[0], args[1])
                if len(args) == 1:  # over the entries of each column (a vector per sample)
                    return over(np.asarray(args[0]))
                raise Unsupported(f"{fn} of {len(args)} values")
        if self.take(r"\int_{0}^{1}"):  # \int_0^1 ... \, ds: Gauss-Legendre in s
            end = self.s.index(r"\, ds", self.i)
            body, self.i = self.s[self.i : end], end + len(r"\, ds")
            points, weights = np.polynomial.legendre.leggauss(24)
            total: Value = ZERO
            for x, w in zip(points, weights, strict=True):
                inner = self.sub(body)
                inner.bound["s"] = 0.5 * (x + 1.0)
                total = _add(total, 0.5 * w * np.asarray(inner.whole()))
            return total
        if "e" not in self.env.names and self.peek("e^{"):  # e^{A}: the matrix exponential
            self.i += 1 + 1  # past e^
            exponent = self.sub(self.group()).whole()
            return _expm(np.asarray(0.0 if exponent is ZERO else exponent, dtype=float))
        for letter, at in self.bound.items():
            end = self.i + len(letter)
            if self.s.startswith(letter, self.i) and not (
                end < len(self.s) and (self.s[end].isalnum() or self.s[end] in "_'^{")
            ):
                self.i = end
                return at
        m = re.match(r"\\sum_\{([A-Za-z])\}", self.s[self.i :])
        if m is not None and m.group(1) == self.env.step and self.var is None:
            self.i += m.end()  # \sum_{t} inside an equation: of the next product, every step
            start, total = self.i, ZERO
            for step in range(self.env.steps):
                self.i, self.var = start, step
                total = _add(total, self.product())
            self.var = None
            return total
        if self.peek(r"\sqrt{"):
            self.i += len(r"\sqrt")
            inner = self.sub(self.group()).whole()
            return ZERO if inner is ZERO else np.sqrt(inner)
        if self.take(r"\textstyle\sum \left("):
            value = self.expr()  # the sum of every entry
            self.need(r"\right)")
            return ZERO if value is ZERO else np.sum(value)
        near = self.neighbours()
        if near is not None:  # the sum over neighbours of the next factor
            letter, start, total = near[0], self.i, ZERO
            largest = self.largest
            for k, e, pair in near[1]:
                self.i, self.nodes[letter], self.edge_at[pair] = start, k, e
                term = self.product()
                if not largest:
                    total = _add(total, term)
                elif term is not ZERO:  # entry by entry; a node no edge enters: 0
                    total = term if total is ZERO else np.maximum(total, term)
                del self.edge_at[pair]
            if not near[1]:  # a node without neighbours sums nothing: read past it
                self.i = start
                self.skip_product()
            self.nodes.pop(letter, None)
            return total
        over = self.over_nodes()
        if over is not None:  # the sum over a graph's nodes of the next product
            return self.graph_sum(over[0])
        if self.peek(r"\sum") or self.peek(r"\textstyle"):
            raise Unsupported(f"a sum inside an equation: {self.s[self.i : self.i + 30]!r}")
        self.ws()
        number = ""
        while self.i < len(self.s) and (self.s[self.i].isdigit() or self.s[self.i] == "."):
            number += self.s[self.i]
            self.i += 1
        if number:
            return float(number)
        step = self.env.step
        if step and self.s.startswith(step, self.i) and step not in self.env.names:
            end = self.i + len(step)
            if end >= len(self.s) or not (self.s[end].isalnum() or self.s[end] in "_'^{"):
                self.i = end  # t alone: the number of the step
                return float(self.step_number(step) or 0)
        m = re.match(r"I_\{([^{}]+)\}", self.s[self.i :])
        if m is not None and m.group(0) not in self.env.names:
            self.i += m.end()  # I_{n}: the identity of size n (no symbol of the source)
            return np.eye(size(m.group(1), self.env.sizes))
        for name, k in self.env.count.items():  # N: the number of samples
            end = self.i + len(name)
            whole = end >= len(self.s) or not (self.s[end].isalnum() or self.s[end] in "_'^{")
            if self.s.startswith(name, self.i) and name not in self.env.names and whole:
                self.i = end
                return float(k)
        counted = self.size_at()
        if counted is not None:  # a size used as a number (d_k of \sqrt{d_k}): its number
            return float(counted)
        at = self.i
        key, offset = self.symbol()
        name = self.s[at : self.i].strip()
        return self.at_node(name, key, self.env.value(key, self.index(offset)))

    def step_number(self, text: str) -> int | None:
        """``t``, ``t + 1``, ``t - 1``: the number of the step (the index plus one), or None
        when ``text`` is not the step letter."""
        m = re.fullmatch(r"\s*([A-Za-z])\s*(?:([+-])\s*(\d+))?\s*", text)
        if m is None or self.env.step is None or m.group(1) != self.env.step:
            return None
        if self.var is None:
            raise Unsupported("the step number outside a sum over the steps")
        k = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
        return self.var + 1 + k

    def index(self, offset: int | None) -> int | None:
        if offset is None:
            return None
        if self.var is None:
            raise Unsupported("a value at a step outside a sum over the steps")
        return self.var + offset

    def name_until(self, stop: str) -> str:
        """The text up to the matching ``stop`` (braces balanced), consumed with it."""
        depth, start = 0, self.i
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == stop and depth == 0:
                self.i += 1
                return self.s[start : self.i - 1].strip()
            depth += {"{": 1, "}": -1}.get(c, 0)
            self.i += 1
        raise Unsupported(f"no closing {stop!r}")

    def lookup(self, name: str) -> tuple[str, int | None]:
        if name not in self.env.names:
            raise Unsupported(f"the name {name!r}")
        return self.env.names[name]

    def size_at(self) -> int | None:
        """A size written here (``N``, ``d_{k}`` for d_k) and named by no printed symbol: its
        number (consumed); else None."""
        self.ws()
        for name, number in sorted(self.env.sizes.items(), key=lambda kv: -len(kv[0])):
            base, _, rest = name.partition("_")
            tex = f"{base}_{{{rest}}}" if rest else base
            end = self.i + len(tex)
            if not self.s.startswith(tex, self.i) or any(n.startswith(tex) for n in self.env.names):
                continue
            if end < len(self.s) and (self.s[end].isalnum() or self.s[end] in "_'^{"):
                continue
            self.i = end
            return int(number)
        return None

    def symbol(self) -> tuple[str, int | None]:
        """The longest printed name at this position."""
        self.ws()
        best = max(
            (n for n in self.env.names if self.s.startswith(n, self.i)), key=len, default=None
        )
        if best is None:
            raise Unsupported(f"cannot read {self.s[self.i : self.i + 30]!r}")
        end = self.i + len(best)
        if end < len(self.s) and (self.s[end].isalnum() or self.s[end] in "_'"):
            raise Unsupported(f"a longer name at {self.s[self.i : self.i + 30]!r}")
        self.i = end
        return self.env.names[best]

    def whole(self) -> Value:
        value = self.expr()
        if not self.done():
            raise Unsupported(f"cannot read {self.s[self.i : self.i + 40]!r}")
        return value


def size(text: str, sizes: dict[str, int]) -> int:
    """A printed size (``m + 1``) as a number: names, integers, + - * only."""

    def value(node: ast.expr) -> int:
        match node:
            case ast.Constant(value=int(n)):
                return n
            case ast.Name(id=name) if name in sizes:
                return sizes[name]
            case ast.BinOp(left=a, op=ast.Add(), right=b):
                return value(a) + value(b)
            case ast.BinOp(left=a, op=ast.Sub(), right=b):
                return value(a) - value(b)
            case ast.BinOp(left=a, op=ast.Mult(), right=b):
                return value(a) * value(b)
        raise Unsupported(f"the size {text!r}")

    # F' (a primed size): a name of its own
    sizes = {k.replace("'", "_prime"): v for k, v in sizes.items()}
    try:
        plain = text.replace(r"\left(", "(").replace(r"\right)", ")")
        plain = plain.replace("{", "").replace("}", "").replace("'", "_prime").strip()
        # juxtaposed, multiplied: \left(i - 1\right) d_v, i d_v
        plain = re.sub(r"(?<=[\w)])\s+(?=[\w(])", "*", plain)
        tree = ast.parse(plain, mode="eval")
    except SyntaxError as exc:
        raise Unsupported(f"the size {text!r}") from exc
    return value(tree.body)


def evaluate(
    text: str,
    env: Env,
    var: int | None,
    nodes: dict[str, int] | None = None,
    edge_at: dict[tuple[str, str], int] | None = None,
    heads: dict[str, int] | None = None,
) -> Value:
    """The printed right side ``text`` at step ``var`` (and at the ``nodes`` bound: a node
    letter's node; at the ``heads`` bound: a head letter's head, from 0); ``\\sum_{t}`` in
    front: the sum of the rest over every step; ``\\sum_{v \\in V}`` in front: the sum of
    the rest over every node; ``\\sum_{i=1}^{h}``: of the next product over the heads."""
    text = text.strip()

    def parser(body: str, at: int | None, bound: dict[str, int] | None) -> Parser:
        out = Parser(body, env, at, bound, edge_at)
        out.heads = dict(heads or {})
        return out

    if re.match(r"\\sum_\{[A-Za-z]=1\}", text):  # \sum_{i=1}^{h}: the parser's
        return parser(text, var, nodes).whole()
    front = parser(text, var, nodes)
    over = front.over_nodes()
    if over is not None:
        body = text[front.i :]
        total: Value = ZERO
        for k in range(env.node_count):
            bound = {**(nodes or {}), over[0]: k}
            total = _add(total, evaluate(body, env, var, bound, edge_at, heads))
        return total
    if text.startswith(r"\sum_{") and front.neighbours() is None:
        close = text.index("}")
        body = text[close + 1 :]
        total = ZERO
        for step in range(env.steps):
            total = _add(total, evaluate(body, env, step, nodes, edge_at, heads))
        return total
    return parser(text, var, nodes).whole()
