r"""Notation rule ``self-loop-weight``: an edge weight on the self-loop of
``\mathcal{N}(i) \cup \{i\}``, given by the degree the source defines beside it
(``\hat{d}_i = 1 + \sum_{j \in \mathcal{N}(i)} e_{j,i}``).

What people write (PyG's GCNConv docstring, the node-wise form)::

    \mathbf{x}^{\prime}_i = \mathbf{\Theta}^{\top} \sum_{j \in \mathcal{N}(i) \cup \{ i \}}
        \frac{e_{j,i}}{\sqrt{\hat{d}_j \hat{d}_i}} \mathbf{x}_j
    with \hat{d}_i = 1 + \sum_{j \in \mathcal{N}(i)} e_{j,i}

The weights e_{j,i} are data on the graph's edges, and the edge list holds no self-loops, so
the term of i itself (j = i) needs e_{i,i}, which no edge carries. The source says what it is:
the degree it defines is the weighted degree over the same set, ``\mathcal{N}(i) \cup \{i\}``,
its constant 1 the weight of i's own edge (PyG adds the self-loops with that fill value).

How papermath reads it: where a value per node is defined as a number c plus the sum of the
same edge value over the neighbours (``c + \sum_{j \in \mathcal{N}(i)} e_{j,i}``), and that
value is used by the equations, e on the self-loop (i, i) is read as c, said in the readings.
Without such a definition e on the self-loop stays refused (read/rules_sets.py), and so it is
where two definitions give two different numbers.

Example that reads::

    x'_i = \sum_{j \in \mathcal{N}(i) \cup \{i\}} \frac{e_{j,i}}{\sqrt{\hat{d}_j \hat{d}_i}} W x_j,
    \hat{d}_i = 1 + \sum_{j \in \mathcal{N}(i)} e_{j,i}, e_{j,i} \in \mathbb{R}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

RULE = "self-loop-weight"


def _degree_constant(eq: t.Equation, key: str) -> float | None:
    """``c + \\sum_{j \\in N(i)} key_{j,i}`` (either order) with the left side a value per node i:
    c; else None."""
    rhs = eq.rhs
    if not (isinstance(rhs, t.Add) and rhs.op == "+") or eq.lhs.node is None:
        return None
    for const, summed in ((rhs.left, rhs.right), (rhs.right, rhs.left)):
        if not (isinstance(const, t.Const) and const.value > 0):
            continue
        if not isinstance(summed, t.NeighbourSum) or summed.itself:
            continue
        if summed.relation is not None or summed.direction != "in" or summed.of != eq.lhs.node:
            continue
        body = summed.body
        if (
            isinstance(body, t.Sym)
            and body.key == key
            and body.node == summed.of
            and body.edge == summed.index
        ):
            return const.value
    return None


def loop_weight(reader: Reader, term: t.Sym) -> t.Term | None:
    """``e_{i,i}`` on the self-loop, e data per edge: the constant of the degree the source
    defines as ``c + \\sum_{j \\in N(i)} e_{j,i}`` (used by the equations), or None."""
    found: dict[float, t.Equation] = {}
    for eq in reader.out.equations:
        c = _degree_constant(eq, term.key)
        if c is not None:
            found.setdefault(c, eq)
    if len(found) != 1:
        return None
    ((c, eq),) = found.items()
    used = any(
        isinstance(x, t.Sym) and x.key == eq.lhs.key
        for other in reader.out.equations
        if other is not eq
        for x in t.walk(other.rhs)
    )
    if not used:
        return None
    number = f"{c:g}"
    written = " ".join(reader.source.snippet(term.span).split())
    degree = " ".join(reader.source.snippet(eq.span).split())
    reader.note(
        term.span,
        f"{term.key} on the self-loop: {number}",
        f"{written} at j = {term.node} is the weight of {term.node}'s own edge, which the edge "
        f"list does not hold: read as {number}, as the source's degree {degree} counts it "
        f"(the weighted degree over \\mathcal{{N}}({term.node}) \\cup \\{{{term.node}\\}}, "
        f"its {number} the self-loop's weight)",
    )
    return t.Const(term.span, c)
