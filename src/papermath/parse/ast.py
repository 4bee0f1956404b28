"""The syntax tree: what was written, with a span on every node, before any reading.

Nodes are frozen dataclasses (as in lark's ``create_ast`` example). Meaning (matrix product or
Hadamard, index or label) is decided later by :mod:`papermath.read`; here ``W x`` is only a
:class:`Juxt` and ``\\cdot`` only a :class:`BinOp` with ``op="cdot"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from ..source import Span


@dataclass(frozen=True)
class Node:
    span: Span


# ---- symbols -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Letter(Node):
    """A letter or Greek letter by name: ``W``, ``alpha``, ``ell``."""

    name: str


@dataclass(frozen=True)
class Font(Node):
    """``\\mathbf{x}``, ``\\mathcal L``: a font does not change the name (``\\mathbb R`` aside)."""

    font: str
    body: Node


@dataclass(frozen=True)
class Decorated(Node):
    """``\\tilde{C}``, ``\\hat h``: a decoration makes a new variable (key ``C_tilde``)."""

    decor: str
    body: Node


@dataclass(frozen=True)
class Sub(Node):
    base: Node
    script: Node


@dataclass(frozen=True)
class Sup(Node):
    base: Node
    script: Node


@dataclass(frozen=True)
class Prime(Node):
    base: Node
    count: int


@dataclass(frozen=True)
class Text(Node):
    """``\\operatorname{ReLU}``, ``\\text{out}``: the words inside."""

    command: str
    content: str


@dataclass(frozen=True)
class FunctionName(Node):
    """A known function written as a word or command: ``tanh``, ``\\exp``."""

    name: str


# ---- atoms ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Number(Node):
    text: str

    @property
    def value(self) -> float:
        return float(self.text)


@dataclass(frozen=True)
class Dots(Node):
    pass


@dataclass(frozen=True)
class Paren(Node):
    body: Node


@dataclass(frozen=True)
class Bracket(Node):
    """``[a, b]`` (``sep=","``) or ``[a; b]`` (``sep=";"``), or ``[a]``."""

    items: tuple[Node, ...]
    sep: str


@dataclass(frozen=True)
class Brace(Node):
    """``{...}`` used for grouping."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class SetLiteral(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class SetBuilder(Node):
    """``\\{h_j, j \\in \\mathcal{N}(i)\\}`` (also with ``\\forall j`` or ``\\mid j``): a set
    written by a condition; ``items[-1]`` is the index, the items before it the members
    (parse/set_builder.py)."""

    items: tuple[Node, ...]
    domain: Node


@dataclass(frozen=True)
class Norm(Node):
    body: Node


@dataclass(frozen=True)
class Abs(Node):
    body: Node


@dataclass(frozen=True)
class Matrix(Node):
    rows: tuple[tuple[Node, ...], ...]


@dataclass(frozen=True)
class Frac(Node):
    num: Node
    den: Node


@dataclass(frozen=True)
class Overset(Node):
    """``\\overset{[a \\times b]}{X}``: X with its shape written above it."""

    over: Node
    body: Node


@dataclass(frozen=True)
class Sqrt(Node):
    body: Node


@dataclass(frozen=True)
class Call(Node):
    """``f(a, b)``; with one argument it may turn out to be a product (``W (x + b)``)."""

    func: Node
    args: tuple[Node, ...]


@dataclass(frozen=True)
class ApplyPrefix(Node):
    """``\\tanh x``, ``\\exp(x)``: a function command applied to what follows."""

    func: FunctionName
    arg: Node


# ---- operators -----------------------------------------------------------------------------
@dataclass(frozen=True)
class BinOp(Node):
    """``op`` is one of ``+ - odot circ otimes oplus cdot times ast star bullet div * / .``"""

    op: str
    left: Node
    right: Node
    op_span: Span


@dataclass(frozen=True)
class Juxt(Node):
    """Two factors written side by side: ``W x``, ``f_t c_{t-1}``, ``2n``."""

    left: Node
    right: Node


@dataclass(frozen=True)
class Neg(Node):
    body: Node


@dataclass(frozen=True)
class BigOp(Node):
    """``\\sum_{v \\in V} body``; ``sub``/``sup`` are the limits as written."""

    op: str
    sub: Node | None
    sup: Node | None
    body: Node


# ---- inside scripts ------------------------------------------------------------------------
@dataclass(frozen=True)
class ScriptIn(Node):
    """``v \\in V`` under a sum."""

    left: Node
    right: Node


@dataclass(frozen=True)
class ScriptEq(Node):
    """``i=1`` under a sum."""

    left: Node
    right: Node


@dataclass(frozen=True)
class ScriptList(Node):
    """``_{i,j}``"""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Mark(Node):
    """A mark in a script: ``\\top`` (``transpose``), ``*`` (``star``), ``\\prime``, empty."""

    mark: str


# ---- statements ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Definition(Node):
    """``lhs = rhs`` (or ``:=``), optionally followed by ``\\in`` a space for the lhs.

    From a chain ``a = b = c`` (:mod:`papermath.parse.chains`), ``claims`` are the other
    sides that are computations: equal to ``lhs`` by the source's claim, checked, not read.
    """

    lhs: Node
    rhs: Node
    decl: Node | None
    claims: tuple[Node, ...] = ()
    # written with an arrow, ``x_t \leftarrow ...`` (also ``\gets``): an update rule
    update: bool = False


@dataclass(frozen=True)
class Declaration(Node):
    """``x_t \\in \\mathbb{R}^m``, ``x, y \\in R^n``, ``v \\in V``."""

    targets: tuple[Node, ...]
    space: Node


@dataclass(frozen=True)
class Sampling(Node):
    """``\\epsilon \\sim \\mathcal{N}(0, I)``, ``r^{(l)} \\sim \\mathrm{Bernoulli}(p)``."""

    targets: tuple[Node, ...]
    distribution: Node


@dataclass(frozen=True)
class Directive(Node):
    """``% papermath: ...`` inside a comment."""

    text: str


Statement = Definition | Declaration | Sampling | Directive


N = TypeVar("N", bound="Node")


def map_children(node: N, f: Callable[[Node], Node]) -> N:
    """``node`` with ``f`` applied to each child (a field that is a node, or a tuple of them,
    item by item), rebuilt only where a child changed: the same object otherwise. The one
    walker of the rewrites that replace a construct wherever it appears."""
    changes: dict[str, object] = {}
    for fld in fields(node):
        value = getattr(node, fld.name)
        if isinstance(value, Node):
            new = f(value)
            if new is not value:
                changes[fld.name] = new
        elif isinstance(value, tuple) and any(isinstance(v, Node) for v in value):
            items = tuple(f(v) if isinstance(v, Node) else v for v in value)
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[fld.name] = items
    return replace(node, **changes) if changes else node  # type: ignore[arg-type]


def walk(node: object) -> Iterator[Node]:
    """Every node under ``node`` (itself first), in the order of the dataclass fields; a
    tuple or list of nodes is walked item by item."""
    if isinstance(node, Node):
        yield node
        for f in fields(node):
            yield from walk(getattr(node, f.name))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from walk(item)


def declared_letters(statements: Iterable[Node]) -> set[str]:
    """The one-letter symbols a declaration names (``x \\in \\mathbb{R}^{n}``: x), by name."""
    return {
        target.name
        for s in statements
        if isinstance(s, Declaration)
        for target in s.targets
        if isinstance(target, Letter)
    }


def keep_attached(new: N, old: Node) -> N:
    """``new`` (a rebuilt ``old``) with what the parse stages attached to ``old`` beside its
    fields (``said``, ...), which ``dataclasses.replace`` does not carry over."""
    names = {f.name for f in fields(old)}
    for k, v in vars(old).items():
        if k not in names:
            object.__setattr__(new, k, v)
    return new
