# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``edge-left-summed``: a value written per edge on its left side,
``norm_{ij}``, whose right side sums over the same letter j (the neighbours of i), as DGL's
GatedGCNConv docstring writes its normaliser:

    norm_{ij}=\Sigma_{j\in N_{i}} \sigma\left(e_{ij}^{l+1}\right)+\varepsilon
    \hat{e}_{ij}^{l+1}=\sigma(e_{ij}^{l+1}) / norm_{ij}

How papermath reads it: the sum binds j, so the right side depends on i only (no j is left
outside the sum): one value per node i, the same for every edge (i, j) into it. Read as a
value per node, ``norm_i``; where the source writes it per edge (``/ norm_{ij}``) it is the
value at the edge's node i. The reading says so (the j of the left side is the sum's). Only
where every j of the right side is inside a sum over the neighbours of i that binds it.

Example that reads (n one value per node, e and e-hat one per edge)::

    h_i' = \sum_{j \in \mathcal{N}(i)} \hat{e}_{ij} W h_j, \hat{e}_{ij} = e_{ij} / n_{ij}, n_{ij} = \sum_{j \in \mathcal{N}(i)} e_{ij}, e_{ij} \in \mathbb{R}
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

RULE = "edge-left-summed"


def _free(term: t.Term, letter: str) -> bool:
    """Is ``letter`` written in ``term`` outside a sum over the neighbours that binds it?"""
    if isinstance(term, t.NeighbourSum) and term.index == letter:
        return False
    if isinstance(term, t.Sym) and letter in (term.node, term.edge):
        return True
    return any(_free(c, letter) for c in t.children(term))


def _binds(term: t.Term, i: str, j: str) -> bool:
    return any(isinstance(x, t.NeighbourSum) and x.index == j and x.of == i for x in t.walk(term))


def per_node(reader: Reader) -> None:
    """Every ``v_{ij} = ... \\sum_{j \\in N(i)} ...`` with no j outside the sum, read as a
    value per node i, and its uses per edge as the value at the edge's node (see the module)."""
    eqs = reader.out.equations
    keys: dict[str, str] = {}
    for n, eq in enumerate(eqs):
        lhs = eq.lhs
        if lhs.node is None or lhs.edge is None or (lhs.step is not None and lhs.offset):
            continue
        if not _binds(eq.rhs, lhs.node, lhs.edge) or _free(eq.rhs, lhs.edge):
            continue
        keys[lhs.key] = lhs.edge
        eqs[n] = dataclasses.replace(eq, lhs=dataclasses.replace(lhs, edge=None))
        i, j = lhs.node, lhs.edge
        reader.note(
            lhs.span,
            f"one value per node {i} ({RULE})",
            f"{reader.source.snippet(lhs.span)} is written per edge, but its right side sums "
            f"over the neighbours {j} of {i} and has no {j} outside the sum: it depends on "
            f"{i} only, one value per node {i}, the same for every edge into {i} (the {j} of "
            "the left side is the sum's); where it is used per edge, its value at the edge's "
            f"node {i}",
        )
    if not keys:
        return

    def fix(term: t.Term) -> t.Term:
        if isinstance(term, t.Sym) and term.key in keys and term.edge is not None:
            return dataclasses.replace(term, edge=None)
        return t.mapped(term, fix)

    for n, eq in enumerate(eqs):
        rhs = fix(eq.rhs)
        if rhs is not eq.rhs:
            eqs[n] = dataclasses.replace(eq, rhs=rhs)
