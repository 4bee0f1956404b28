# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``edge-softmax-index``: a softmax with an index, ``\mathrm{softmax}_j`` or
``\mathrm{softmax_i}`` (the index inside the roman font, as DGL's docstrings write it), that
defines a value per edge of a graph: ``\alpha_{ij} = \mathrm{softmax_i}(e_{ij})`` beside a sum
over the neighbours ``\sum_{j \in \mathcal{N}(i)} \alpha_{i,j} W h_j``.

What people write (DGL's GATConv docstring; GAT's paper writes ``\mathrm{softmax}_j``)::

    h_i^{(l+1)} = \sum_{j\in \mathcal{N}(i)} \alpha_{i,j} W^{(l)} h_j^{(l)}
    \alpha_{ij}^{l} = \mathrm{softmax_i} (e_{ij}^{l})

How papermath reads it: a softmax of one number per edge keeps the shape of its argument (one
number per edge) whichever way it runs, so the shapes, kinds, explain and diagrams read it.
The index says which way:

- the neighbour's letter (``\mathrm{softmax}_j`` of ``\alpha_{ij}``, j in
  ``\mathcal{N}(i)``): over the neighbours j of each node i, GAT's softmax, read as the
  softmax of an edge's score (read/rules_attention.py writes it out, every stage reads it);
- the node's letter (``\mathrm{softmax_i}``): the softmax at node i (over its neighbours j, as
  DGL's edge_softmax normalises the edges into each node) or over the nodes i for each j, as
  GAT's subscript would mean? The source does not say in the equation, so the shapes are read
  and code is refused by name, with the form that settles it.

Only where the softmax's argument is a value with the same two indices as the left side and
the source sums over the neighbours of the first (``j \in \mathcal{N}(i)``); elsewhere an
indexed softmax is read as before.

Examples (read; alpha and e one number per edge, h d, W d x d, a 2d)::

    h_i' = \sum_{j \in \mathcal{N}(i)} \alpha_{ij} W h_j, \alpha_{ij} = \mathrm{softmax}_j(e_{ij}), e_{ij} = a^T [W h_i \| W h_j]
    h_i' = \sum_{j \in \mathcal{N}(i)} \alpha_{ij} W h_j, \alpha_{ij} = \mathrm{softmax_i}(e_{ij}), e_{ij} = a^T [W h_i \| W h_j]
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import ast
from .rules_entries import two_indices

if TYPE_CHECKING:
    from .reader import Reader

RULE = "edge-softmax-index"


def _indexed(func: ast.Node) -> tuple[str, ast.Node] | None:
    """``\\mathrm{softmax_i}`` or ``\\mathrm{softmax}_j`` -> (the letter, the plain name)."""
    match func:
        case ast.Text(content=content) if re.fullmatch(r"softmax_\{?[a-z]\}?", content.strip()):
            letter = content.strip()[-1] if content.strip()[-1] != "}" else content.strip()[-2]
            return letter, replace(func, content="softmax")
        case ast.Sub(base=ast.Text(content="softmax") as base, script=ast.Letter(name=letter)):
            return letter, base
        case ast.Sub(base=ast.FunctionName(name="softmax") as base, script=ast.Letter(name=letter)):
            return letter, base
    return None


def _pair(node: ast.Node) -> tuple[str, str] | None:
    while isinstance(node, ast.Sup):
        node = node.base
    return two_indices(node.script) if isinstance(node, ast.Sub) else None


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Every ``\\alpha_{ij} = \\mathrm{softmax}_x(e_{ij})`` over a graph's edges, with the plain
    softmax (then read over the neighbours, read/rules_attention.edge_softmax); for x the node's
    letter, code refused by name (see the module)."""
    out: list[ast.Statement] = []
    for s in statements:
        if not (
            isinstance(s, ast.Definition)
            and isinstance(s.rhs, ast.Call)
            and len(s.rhs.args) == 1
            and (found := _indexed(s.rhs.func)) is not None
            and (pair := _pair(s.lhs)) is not None
            and pair[0] != pair[1]
            and _pair(s.rhs.args[0]) == pair
        ):
            out.append(s)
            continue
        letter, plain = found
        i, j = pair
        hood = re.compile(
            rf"(?<![A-Za-z]){re.escape(j)}\s*\\in\s*\\mathcal\s*\{{?\s*N\s*\}}?\s*(?:\\left)?\s*\(\s*{re.escape(i)}\s*(?:\\right)?\)"
        )
        if letter not in pair or hood.search(reader.source.text) is None:
            out.append(s)
            continue
        written = " ".join(reader.source.snippet(s.rhs.func.span).split())
        if letter == j:
            reader.note(
                s.rhs.func.span,
                f"softmax over the neighbours {j} ({RULE})",
                f"{written}: the softmax over the neighbours {j} of each node {i} "
                f"(j \\in \\mathcal{{N}}({i})), GAT's softmax_{j}",
            )
        else:
            reader.note(
                s.rhs.func.span,
                f"softmax at the node {i}: which way is not said ({RULE})",
                f"{written} of a value per edge ({i}, {j}): at the node {i} over its "
                f"neighbours {j} (DGL's edge_softmax: the edges into {i}), or over the nodes "
                f"{i} for each {j}? Either keeps one number per edge, so the shapes are read; "
                "code, which needs the way, is refused",
            )
            reader.out.shapes_only.setdefault(
                written,
                (
                    s.rhs.func.span,
                    f"write \\mathrm{{softmax}}_{j} (over the neighbours {j} of each {i}, as the "
                    f"sum over {j} \\in \\mathcal{{N}}({i}) aggregates) or write it out: "
                    f"\\frac{{\\exp(e_{{{i}{j}}})}}{{\\sum_{{k \\in \\mathcal{{N}}({i})}} "
                    f"\\exp(e_{{{i}k}})}}",
                ),
            )
        rhs = replace(s.rhs, func=plain)
        out.append(ast.keep_attached(replace(s, rhs=rhs), s))
    return out
