r"""Evidence for the rule ``value-per-pair`` (read/rules_pairs.py): a value written with one index
and transposed, ``{\mathbf{k}_j}^\top`` or ``\mathbf{x}_j^\top``, is a vector (a number has no
transpose), so its letter picks vectors, not entries; and the same symbol written with another
letter alone (``\mathbf{x}_i`` beside ``\mathbf{x}_j^\top``) is one of the same vectors, so that
letter picks vectors too.

What people write (Lil'Log, "The Transformer Family": the score between positions i and j)::

    a_{ij} = \mathbf{q}_i {\mathbf{k}_j}^\top
           = (\mathbf{x}_i + \mathbf{p}_i)\mathbf{W}^q
             ((\mathbf{x}_j + \mathbf{p}_j)\mathbf{W}^k)^\top
           = \mathbf{x}_i\mathbf{W}^q {\mathbf{W}^k}^\top\mathbf{x}_j^\top + ...

How papermath reads it: ``a_{ij}`` defined by an equation is one value per pair (i, j); k_j and
x_j are transposed, so j picks vectors; x_i is the symbol x of x_j^T with i, so i picks vectors
of the same kind. Both letters pick vectors: one value per pair, as read/rules_pairs.py reads a
capsule layer's (its norm ``||s_j||`` or a declaration ``u_i \in \mathbb{R}^8`` is the same
evidence). Only ``^\top`` (a transpose mark) counts, not ``^T`` (a letter that may be a step or
a size), and only on a value with one letter as its subscript.

A chain's side is read again on its own to check it (chain_check.py): the evidence the whole
text gave is kept for it (by the source's text), since the letters mean the same on every side.

Example that reads (a one number per pair)::

    a_{ij} = \mathbf{q}_i {\mathbf{k}_j}^\top
    \mathbf{q}_i = \mathbf{x}_i \mathbf{W}^q, \quad \mathbf{k}_j = \mathbf{x}_j \mathbf{W}^k
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader

RULE = "pair-vectors-transposed"
# the evidence found in a source's whole text (every side of its chains), by the text: a side
# of a chain is read again on its own (chain_check.py), without the sides that showed it
_SEEN: dict[str, dict[str, str]] = {}


def _single(node: ast.Node) -> ast.Sub | None:
    """``x_j`` (or ``{x_j}``): the subscript node with one letter, else None."""
    if isinstance(node, ast.Brace) and len(node.items) == 1:
        node = node.items[0]
    if isinstance(node, ast.Sub) and isinstance(node.script, ast.Letter):
        return node
    return None


def transposed(reader: Reader, statements: list[ast.Statement]) -> dict[str, str]:
    """letter -> the words that show it picks vectors: a value with it alone transposed, or the
    symbol of such a value written with it alone."""

    def shown(node: ast.Node) -> str:
        return " ".join(reader.source.snippet(node.span).split())

    def key(node: ast.Sub) -> str | None:
        parts = reader.symbol(node.base, quiet=True)
        return None if parts is None else parts.key

    out: dict[str, str] = {}
    vectors: dict[str, str] = {}  # the key of a transposed value -> the transpose as written
    for node in iter_nodes(statements):
        if not (isinstance(node, ast.Sup) and isinstance(node.script, ast.Mark)):
            continue
        if node.script.mark != "transpose" or (sub := _single(node.base)) is None:
            continue
        assert isinstance(sub.script, ast.Letter)
        if (k := key(sub)) is None:
            continue
        vectors.setdefault(k, shown(node))
        out.setdefault(sub.script.name, f"{shown(node)} is transposed (a number has no transpose)")
    for node in iter_nodes(statements):
        if (sub := _single(node)) is None or node is not sub:
            continue
        assert isinstance(sub.script, ast.Letter)
        k = key(sub)
        if k is None or k not in vectors or sub.script.name in out:
            continue
        out[sub.script.name] = (
            f"{shown(sub)} is one of the values of {k}, and {vectors[k]} is transposed (a "
            "number has no transpose)"
        )
    seen = _SEEN.setdefault(reader.source.text, {})
    for letter, said in seen.items():
        out.setdefault(letter, said)  # a chain's other side, read alone (chain_check.py)
    seen.update(out)
    while len(_SEEN) > 32:
        del _SEEN[next(iter(_SEEN))]
    return out
