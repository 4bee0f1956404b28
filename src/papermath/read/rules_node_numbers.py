r"""Notation rule ``node-by-number`` (a refusal): a node's value picked by its number,
``h_1^{(L)}``, ``h_{|V|}``, beside the family of every node's values ``h_v`` (v a node index).

What people write: a graph readout over numbered nodes (``h_G = h_1^{(L)} + h_2^{(L)}``), GG-NN's
stack of every node's state ``[h_1^{(t-1)\top} \dots h_{|V|}^{(t-1)\top}]``. A careful reader
takes ``h_1`` as node 1's ``h``; read as a name, ``h_1`` is a value of its own (an input of
another size), a different model with no error: a silent misread. papermath reads the family
``h_v`` (every node at once) and does not pick one node by its number (which node is node 1
is the data's order, not the equations'), so it refuses at the first such symbol, naming both.

Only where the family's index is a node index (``\sum_{u \in \mathcal{N}(v)}``, ``v \in V``)
and the numbered symbol has the family's letter and only a number under it: ``W_1`` beside
``W_j`` with j not a node index, or ``h_1`` in a system with no node family, reads as before.

Example (refused at ``h_1^{(L)}``)::

    h_v^{(l+1)} = \sigma(W \sum_{u \in N(v)} h_u^{(l)})
    h_G = h_1^{(L)} + h_2^{(L)}
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

RULE = "node-by-number"

__all__ = ["RULE", "check"]

_NUMBERED = re.compile(r"(?P<base>.+)_(?P<number>[0-9]+)")


def check(reader: Reader) -> None:
    """Raise at the first symbol ``h_1`` whose letter is a family over nodes (``h_v``)."""
    families: dict[str, str] = {}
    for eq in reader.out.equations:
        for x in (eq.lhs, *t.walk(eq.rhs)):
            if isinstance(x, t.Sym) and x.node and reader.index_kind(x.node) == "node":
                families.setdefault(x.key, x.node)
    if not families:
        return
    for key, span in reader.out.first_span.items():
        m = _NUMBERED.fullmatch(key)
        if m is None or m.group("base") not in families:
            continue
        base, number = m.group("base"), m.group("number")
        node = families[base]
        written = reader.source.snippet(span)
        raise reader.error(
            f"{written} beside {base}_{node}, the {base} of every node {node}: node "
            f"{number}'s {base}, or a value of its own named {base}_{number}? papermath reads "
            f"the family {base}_{node} (every node at once) and does not pick a node by its "
            f"number (which node is node {number} is the data's order); read as a name, "
            f"{base}_{number} would be another input (rule {RULE})",
            span,
            hint=f"write what every node computes with {base}_{node} (a sum over the nodes, "
            f"\\sum_{{{node} \\in V}} {base}_{node}, or a readout of them all), or give the "
            f"value its own letter if it is not node {number}'s {base}",
        )
