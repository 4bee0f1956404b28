"""Notation rules for sets of nodes in the range of a sum.

``self-loops``: ``\\sum_{j \\in \\mathcal{N}(i) \\cup \\{i\\}} body`` (PyG's GCNConv and
GATConv docstrings) sums over the neighbours of i **and i itself**: the sum over the
neighbours, plus the body at j = i (every j in the body read as i). A value per edge in the
body (``\\alpha_{i,j}``) is then needed on the self-loop (i, i): where an equation defines it
over the edges, that equation is read at j = i (its right side with j as i, node values only);
a value per edge that no equation defines (an edge weight given as data, ``e_{j,i}``) has no
value on a self-loop the edge list does not hold, and is refused there. So every stage reads
it with the primitives of a sum over neighbours (``neighbour_sum``, ``to_edges``,
``edge_sum``) and node values.

A union with anything else (``\\mathcal{N}(v) \\cup \\{i\\}`` with v not i, a typo of
PyTorch Geometric Temporal's docstring; ``\\cup`` outside a sum's range) is refused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import ast
from . import rules_loop_weight
from . import terms as t
from .rules_attention import renamed_node
from .syntax import neighbourhood_of

if TYPE_CHECKING:
    from .reader import Reader


def with_itself(reader: Reader, node: ast.Node) -> ast.Node | None:
    """``\\mathcal{N}(i) \\cup \\{i\\}`` -> the neighbourhood ``\\mathcal{N}(i)``; None where
    ``node`` is no union. A union of anything else is refused."""
    if not (isinstance(node, ast.BinOp) and node.op == "cup"):
        return None
    hood = neighbourhood_of(node.left)
    written = " ".join(reader.source.snippet(node.span).split())
    if hood is None:
        raise reader.error(
            f"a union of sets ({written}) is read only as a node's neighbours and the node itself",
            node.op_span,
            hint="write \\mathcal{N}(i) \\cup \\{i\\}",
        )
    items = node.right.items if isinstance(node.right, ast.SetLiteral) else ()
    if len(items) != 1 or not isinstance(items[0], ast.Letter) or items[0].name != hood.of:
        other = " ".join(reader.source.snippet(node.right.span).split())
        raise reader.error(
            f"{written} joins the neighbours of {hood.of} with {other}: read only as "
            f"the neighbours of a node and that node itself (\\mathcal{{N}}({hood.of}) \\cup "
            f"\\{{{hood.of}\\}}), and {other} is not the node {hood.of}",
            node.span,
            hint=f"write \\mathcal{{N}}({hood.of}) \\cup \\{{{hood.of}\\}}, or name the node "
            "by one letter throughout",
        )
    return node.left


def union_elsewhere(reader: Reader, node: ast.BinOp) -> None:
    """``\\cup`` anywhere but the range of a sum over neighbours: refused."""
    raise reader.error(
        "a union of sets is read only in the range of a sum over neighbours "
        "(\\sum_{j \\in \\mathcal{N}(i) \\cup \\{i\\}})",
        node.op_span,
        hint="write the node's own term apart: \\sum_{j \\in \\mathcal{N}(i)} (...) + (the term "
        "for j = i)",
    )


def expand(reader: Reader) -> None:
    """Every sum over ``\\mathcal{N}(i) \\cup \\{i\\}`` (``reader.self_loop_sums``) becomes the
    sum over the neighbours plus its body at j = i, in every equation."""
    if not reader.self_loop_sums:
        return
    per_edge = {
        eq.lhs.key: eq
        for eq in reader.out.equations
        if eq.lhs.node is not None and eq.lhs.edge is not None
    }

    def at_node(term: t.Term, j: str, i: str, seen: tuple[str, ...]) -> t.Term:
        """The body of a sum over the neighbours j of i, read at j = i: node values only."""
        body = renamed_node(term, j, i)
        return inline_loops(body, seen)

    def inline_loops(term: t.Term, seen: tuple[str, ...]) -> t.Term:
        """Values on the self-loop (i, i) replaced by their equations read there."""
        if isinstance(term, t.Sym) and term.edge is not None and term.edge == term.node:
            eq = per_edge.get(term.key)
            if eq is None and (weight := rules_loop_weight.loop_weight(reader, term)) is not None:
                return weight  # \hat{d}_i = 1 + \sum_j e_{j,i}: the self-loop's weight is 1
            if eq is None or eq.lhs.node is None or eq.lhs.edge is None:
                raise reader.error(
                    f"{reader.source.snippet(term.span)} on the self-loop ({term.node}, "
                    f"{term.node}) of \\mathcal{{N}}({term.node}) \\cup \\{{{term.node}\\}}: "
                    f"{term.key} is a value per edge that no equation defines (data on the "
                    "graph's edges), and the edge list has no self-loops to carry it",
                    term.span,
                    hint=f"write the node's own term apart, with the value it has there: "
                    f"\\sum_{{{term.node}' \\in \\mathcal{{N}}({term.node})}} (...) + (the term "
                    f"for {term.node} itself)",
                )
            if term.key in seen:
                raise reader.error(f"{term.key} on a self-loop depends on itself", term.span)
            rhs = renamed_node(eq.rhs, eq.lhs.edge, "\0")  # j first, so i -> v cannot clash
            rhs = renamed_node(rhs, eq.lhs.node, term.node)
            rhs = renamed_node(rhs, "\0", term.node)
            return expand_term(rhs, (*seen, term.key))
        return t.mapped(term, lambda x: inline_loops(x, seen))

    def expand_term(term: t.Term, seen: tuple[str, ...]) -> t.Term:
        if isinstance(term, t.NeighbourSum) and term.itself:
            inner = expand_term(term.body, seen)
            summed = replace(term, body=inner, itself=False)
            body = " ".join(reader.source.snippet(term.body.span).split())
            # printed (papermath grad) as the sum over the neighbours only, the node's own
            # term beside it
            reader.out.write(
                summed, f"\\sum_{{{term.index} \\in \\mathcal{{N}}({term.of})}} {body}"
            )
            own = at_node(inner, term.index, term.of, seen)
            return t.Add(term.span, "+", summed, own)
        return t.mapped(term, lambda x: expand_term(x, seen))

    reader.out.equations[:] = [
        replace(eq, rhs=expand_term(eq.rhs, (eq.lhs.key,))) for eq in reader.out.equations
    ]


def self_loops(reader: Reader, node: ast.BigOp, summed: t.NeighbourSum) -> t.NeighbourSum:
    """A sum over ``\\mathcal{N}(i) \\cup \\{i\\}``, marked (expanded by :func:`expand`)."""
    u, v = summed.index, summed.of
    where = node.sub if node.sub is not None else node
    if summed.relation is not None or summed.direction != "in":
        raise reader.error(
            "a node itself beside its neighbours along typed or outgoing edges is not read yet",
            where.span,
            hint=f"write the node's own term apart: + (the term for {u} = {v})",
        )
    summed = replace(summed, itself=True)
    reader.self_loop_sums.append(summed)
    written = (
        " ".join(reader.source.snippet(where.right.span).split())
        if isinstance(where, ast.ScriptIn)
        else ""
    )
    reader.note(
        where.span,
        f"the neighbours of {v} and {v} itself",
        f"{written} is the neighbours of {v} and {v} itself (a self-loop): read as the sum over "
        f"the neighbours plus the body at {u} = {v} (every {u} read as {v}; a value per edge "
        f"there is its equation read at ({v}, {v}))",
    )
    return summed


def degree(reader: Reader, node: ast.Abs) -> t.Term | None:
    """``|\\mathcal{N}(i)|``, ``|\\mathcal{N}_r(i)|`` (R-GCN's normaliser): the number of i's
    neighbours (along the edges of type r), one number per node, read as the sum over the
    neighbours of 1. None where the bars hold no neighbourhood."""
    hood = neighbourhood_of(node.body)
    if hood is None:
        return None
    v, r = hood.of, hood.relation
    info = reader.out.indices.get(v)
    written = " ".join(reader.source.snippet(node.span).split())
    if info is None or info.kind != "node":
        raise reader.error(
            f"{written}: the number of neighbours of {v}, but {v} is no node here (no sum over "
            f"its neighbours, no declaration {v} \\in V)",
            node.span,
            hint=f"sum over the neighbours of {v} somewhere, or declare {v} \\in V",
        )
    typed = f" along the edges of type {r}" if r else ""
    reader.note(
        node.span,
        f"the number of neighbours of {v}",
        f"{written} is the size of the set of {v}'s neighbours{typed}: its degree, one number "
        f"per node (counted along the edge list, as the sum over the neighbours of 1)",
    )
    return t.NeighbourSum(node.span, f"{v}'", v, t.Const(node.span, 1.0), r, hood.direction)
