r"""Notation rule ``learned-first-rows``: a state's first value from a learnable function of a
capital letter, ``\mathbf{Z}^{(0)} = \textrm{MLP}(\mathbf{X})``, where the state is a capital
letter whose rows a matrix on its left mixes (``\hat{A} Z^{(K-1)}``): the function maps each
row of X.

What people write (Spektral's APPNPConv docstring, the personalised propagation of Klicpera et
al. 2019)::

    \Z^{(0)} = \textrm{MLP}(\X); \\
    \Z^{(K)} = (1 - \alpha) \hat \D^{-1/2} \hat \A \hat \D^{-1/2} \Z^{(K - 1)} + \alpha \Z^{(0)}

How papermath reads it: X and Z are capital letters, by the letter conventions matrices; Z is
multiplied on its left by a matrix (the normalised adjacency), so its rows are the items that
matrix mixes (the graph's nodes), and its first value MLP(X) has those rows. A learnable
function maps a vector; given the matrix X for a value with one row per node, it maps each
row of X (one node's features) to the row of Z: X is N x F, Z is N x F' (F' a width of its own,
the function's output), one map shared by the rows, as ``torch.nn.Linear`` on an N x F tensor
(papermath's sample-first layout: rows are the items). Mapping each column instead would mix
the nodes, which a map written for one value does not do. The readings say so.

Read only where nothing is declared, the function is called with one argument, a capital Latin
letter (no index, step or label) that nothing defines, and the state is a capital letter
written on the right of a product somewhere; anything else keeps the refusal of
read/rules_initial_tie.py (X one vector, or one row per node?).

Examples (each reads; Z N x F', X N x F)::

    Z^{(0)} = \mathrm{MLP}(X), Z^{(k)} = \hat{A} Z^{(k-1)}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import is_symbolish, iter_nodes

if TYPE_CHECKING:
    from .reader import Reader

RULE = "learned-first-rows"


def _capital(reader: Reader, node: ast.Node) -> str | None:
    """The key of a capital Latin letter written alone (``\\mathbf{X}``, ``\\hat{A}``, no
    index, step, label or power); else None."""
    if not is_symbolish(node):
        return None
    parts = reader.symbol(node, quiet=True)
    if parts is None or parts.post or parts.step or parts.node or parts.element or parts.labels:
        return None
    if len(parts.base) != 1 or not parts.base.isupper():
        return None
    return parts.key


def _end(node: ast.Node, side: str) -> ast.Node:
    while isinstance(node, ast.Juxt):
        node = node.right if side == "right" else node.left
    return node


def _mixed_rows(reader: Reader, state: str) -> str | None:
    """A product with the state on its right and a capital letter just before it (``\\hat{A}
    Z^{(K-1)}``, ``D^{-1/2} Z``): the words that quote it; else None."""
    for n in iter_nodes(reader.statements):
        if not isinstance(n, ast.Juxt):
            continue
        right = _end(n.right, "left")
        left = _end(n.left, "right")
        if not (is_symbolish(right) and is_symbolish(left)):
            continue
        r = reader.symbol(right, quiet=True)
        lp = reader.symbol(left, quiet=True)
        if r is None or lp is None or r.key != state:
            continue
        if len(lp.base) == 1 and lp.base.isupper():
            return " ".join(reader.source.snippet(n.span).split())
    return None


def rows(reader: Reader, s: ast.Definition, call: ast.Call, name: str, key: str) -> bool:
    """``Z^{(0)} = MLP(X)`` as above: the function ``name`` is marked as applied to each row
    (read by shapes/rules_row_states.py) and the reading noted; False where the rule does not
    apply (the caller refuses)."""
    if len(call.args) != 1 or len(key) != 1 or not key.isupper():
        return False
    arg = _capital(reader, call.args[0])
    if arg is None or any(
        isinstance(st, ast.Definition) and _capital(reader, st.lhs) == arg
        for st in reader.statements
    ):
        return False
    mixed = _mixed_rows(reader, key)
    if mixed is None:
        return False
    written = " ".join(reader.source.snippet(s.span).split())
    why = (
        f"{written}: {arg} and {key} are capital letters (matrices by convention), and {key} "
        f"is multiplied on its left ({mixed}), so its rows are the items that matrix mixes "
        f"(the graph's nodes); {name} is a learnable function of a vector, so it maps each row "
        f"of {arg} (one node's features, {arg} N x F) to a row of {key} (N x F', F' the "
        f"function's output width): one map shared by the rows, as torch.nn.Linear on an "
        f"N x F tensor (mapping each column would mix the nodes)"
    )
    reader.out.row_maps[name] = why
    reader.note(call.span, f"{name} applied to each row", why)
    return True
