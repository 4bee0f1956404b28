# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``aggregator-over-a-range``: an aggregator with what it ranges over written
under it, applied to the set of the values it aggregates,

    h_G = \text{PREDICT}_G \Big( \text{AGG}_{v \in G}\left(\{ h_v \} \right) \Big)

(Distill's "Understanding Convolutions on Graphs", the readout of a graph: "aggregate the final
node embeddings and pass them through another neural network"). ``\{h_v\}`` is the set of the
values h_v, one per v of the range ``v \in G`` under the aggregator: the nodes of the graph G
(a set of nodes by its membership sign, as ``\sum_{v \in G}`` ranges over them), or a node's
neighbours (``\mathrm{AGG}_{u \in \mathcal{N}(v)}(\{h_u\})``).

How papermath reads it: as the same aggregation written with the range inside the set,

- over a node's neighbours: ``\mathrm{AGG}(\{h_u, u \in \mathcal{N}(v)\})``, as
  read/rules_set_builder.py reads it (a mean, a sum, a max, or one the source leaves
  unnamed);
- over every node of a graph: ``\sum_{v \in G} h_v`` for a sum; an aggregator the source
  leaves unnamed (``\text{AGG}``, ``\mathrm{aggregate}``: any order-invariant one) is read for
  shapes, kinds, explain and the diagram as an aggregation over the node axis whose value has
  the shape of one member (``t.NodeAggregate``), and ``code`` asks which
  (``% \text{AGG}: sum`` answers it, or ``\sum_{v \in G}`` written in its place). A mean or a
  max over every node is refused (not read yet), as is a set of more than one value or one
  whose value does not depend on the range's letter.

The readings say which set was read and why.

Examples (each reads; h_v d-dimensional)::

    h_G = \text{AGG}_{v \in G}(\{ h_v \}), h_v \in \mathbb{R}^{d}
    m_v = \mathrm{AGG}_{u \in \mathcal{N}(v)}(\{ h_u \}), h_u \in \mathbb{R}^{d}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .rules_brace_typos import rewrite_statements
from .rules_set_builder import _said, aggregator
from .syntax import neighbourhood_of

if TYPE_CHECKING:
    from .reader import Reader

RULE = "aggregator-over-a-range"


@dataclass(frozen=True)
class NodeAggregation(ast.BigOp):
    """``\\text{AGG}_{v \\in G}(\\{h_v\\})`` over every node of G, its aggregator unnamed
    (``written`` as the source writes it)."""

    written: str = ""


def _words(reader: Reader, node: ast.Node) -> str:
    return " ".join(reader.source.snippet(node.span).split())


def _member(arg: ast.Node) -> ast.Node | None:
    """The one value of ``\\{h_v\\}`` (parentheses around it peeled); None otherwise."""
    while isinstance(arg, ast.Paren):
        arg = arg.body
    if isinstance(arg, ast.SetLiteral) and len(arg.items) == 1:
        return arg.items[0]
    return None


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Every ``\\text{AGG}_{v \\in S}(\\{h_v\\})`` as the aggregation it means (module doc);
    run before read/rules_set_builder.py, which reads the neighbours' form it becomes."""
    said = _said(statements)[0]

    def fix(node: ast.Node) -> ast.Node:
        if not (
            isinstance(node, ast.Call)
            and len(node.args) == 1
            and isinstance(node.func, ast.Sub)
            and isinstance(node.func.script, ast.ScriptIn)
            and isinstance(node.func.script.left, ast.Letter)
            and (what := aggregator(node.func.base)) is not None
        ):
            return node
        sub = node.func.script
        assert isinstance(sub, ast.ScriptIn) and isinstance(sub.left, ast.Letter)
        member = _member(node.args[0])
        name = _words(reader, node.func.base)
        if member is None:
            raise reader.error(
                f"{name}_{{{_words(reader, sub)}}} of {_words(reader, node.args[0])}: papermath "
                f"reads an aggregator over {_words(reader, sub)} applied to the set of one "
                f"value per {sub.left.name}",
                node.args[0].span,
                hint=f"write the set of the values: {name}_{{{_words(reader, sub)}}}(\\{{h_"
                f"{sub.left.name}\\}})",
            )
        letter = sub.left.name
        if neighbourhood_of(sub.right) is not None:  # AGG_{u \in N(v)}({h_u}): the set's form
            reader.note(
                node.span,
                "aggregator over a range: the range inside the set",
                f"{_words(reader, node)}: the set holds {_words(reader, member)} for each {letter} "
                f"in {_words(reader, sub.right)}, written under the aggregator: read as "
                f"{name}(\\{{{_words(reader, member)}, {letter} \\in {_words(reader, sub.right)}\\}})",
            )
            builder = ast.SetBuilder(node.args[0].span, (member, sub.left), sub.right)
            return ast.Call(node.span, node.func.base, (builder,))
        how = said.get(what[1], what[0])
        over = _words(reader, sub.right)
        holds = (
            f"{_words(reader, node)}: the set holds the value {_words(reader, member)} of each "
            f"node {letter} of {over} (the range written under the aggregator; {over} a set of "
            f"nodes by the sign \\in, every node of it)"
        )
        if how == "sum":
            reader.note(node.span, "sum of the values of every node", f"{holds}; their sum")
            return ast.BigOp(node.span, "sum", sub, None, member)
        if how != "aggregate":
            raise reader.error(
                f"{name} over every node of {over}: a {how} over all the nodes of a graph is "
                "not read yet (a sum is, and an aggregator the source leaves unnamed, for its "
                "shapes)",
                node.func.span,
                hint=f"write the sum, \\sum_{{{letter} \\in {over}}} {_words(reader, member)}, "
                "if the model sums",
            )
        reader.note(
            node.span,
            "aggregation of the values of every node (aggregator unnamed)",
            f"{holds}; the source does not say how {name} aggregates them (any order-invariant "
            "aggregation: a sum, a mean, a max): read as an aggregation over the node axis whose "
            f"value has the shape of one member; code needs to know which (`% {name}: sum`, "
            f"or \\sum_{{{letter} \\in {over}}} in its place)",
        )
        return NodeAggregation(node.span, "aggregate", sub, None, member, written=name)

    return rewrite_statements(statements, fix)


def bigop(reader: Reader, node: ast.BigOp) -> t.Term | None:
    """The term of a :class:`NodeAggregation`; None for any other big operator."""
    if not isinstance(node, NodeAggregation):
        return None
    sub = node.sub
    assert isinstance(sub, ast.ScriptIn) and isinstance(sub.left, ast.Letter)
    letter = sub.left.name
    info = reader.out.indices.get(letter)
    over = _words(reader, sub.right)
    if info is None or info.kind != "node" or info.of is not None:
        raise reader.error(
            f"{node.written} over {over}: read over every node of a graph, or over the "
            "neighbours of a node",
            node.span,
            hint=f"write the range as a set of nodes: {node.written}_{{{letter} \\in V}}",
        )
    body = reader.term(node.body)
    if not any(isinstance(x, t.Sym) and letter in (x.node, x.edge) for x in t.walk(body)):
        raise reader.error(
            f"nothing in this set depends on the node {letter}",
            node.body.span,
            hint=f"write the nodes' values, as in \\{{h_{letter}\\}}",
        )
    return t.NodeAggregate(node.span, letter, over, body, node.written)
