r"""Notation rule ``primed-sum-index``: a sum over a primed letter, ``\sum_{t'=1}^T``, beside the
unprimed one (labml's AFT: ``Y_t = \sigma(Q_t) \odot \frac{\sum_{t'=1}^T \exp(K_{t'} +
w_{t,t'}) \odot V_{t'}}{\sum_{t'=1}^T \exp(K_{t'} + w_{t,t'})}``).

What it says: ``t'`` is a letter of its own, the position the sum runs over, while ``t`` is the
position the equation is written for; the prime only keeps the two apart, as ``j`` beside ``i``
would. So ``t'`` is read as any other summed letter: inside the sum (its body and its limits)
every ``t'`` is that index, renamed to a fresh letter the source does not write (the readings
say which). What the sum then means (rows of a matrix, entries of a vector, a pair of positions
``w_{t,t'}``) is read, or refused, by the rules of sums, as for ``\sum_{j=1}^T``.

Only a primed single letter bound by the sum's own ``t' = ...`` is renamed, and only inside that
sum; a primed letter elsewhere (``h'``, a next state) is untouched.

Example that reads: ``y = \sum_{i'=1}^{n} a_{i'}``, as ``y = \sum_{j=1}^{n} a_j`` would.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

_FRESH = "jklmsuvpqrabcefg"  # tried in this order; one the source does not write


def _primed_letter(node: ast.Node) -> str | None:
    if isinstance(node, ast.Prime) and node.count == 1 and isinstance(node.base, ast.Letter):
        return node.base.name if len(node.base.name) == 1 else None
    return None


def _renamed(node: Any, letter: str, fresh: str) -> Any:
    """``node`` with every ``letter'`` replaced by the letter ``fresh`` (same span)."""
    if isinstance(node, tuple):
        return tuple(_renamed(x, letter, fresh) for x in node)
    if not isinstance(node, ast.Node):
        return node
    if _primed_letter(node) == letter:
        return ast.Letter(node.span, fresh)
    changes = {
        f.name: _renamed(getattr(node, f.name), letter, fresh)
        for f in fields(node)
        if f.name != "span"
    }
    if all(changes[k] is getattr(node, k) for k in changes):
        return node
    return replace(node, **changes)


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Each ``\\sum_{t'=...}``: its ``t'`` renamed to a fresh letter (see the module)."""
    written = set(re.findall(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])", reader.source.text))
    taken = set(written)
    out: list[ast.Statement] = []
    for s in statements:
        out.append(_sums(reader, s, taken))
    return out


def _sums(reader: Reader, node: Any, taken: set[str]) -> Any:
    if isinstance(node, tuple):
        return tuple(_sums(reader, x, taken) for x in node)
    if not isinstance(node, ast.Node):
        return node
    if (
        isinstance(node, ast.BigOp)
        and isinstance(node.sub, ast.ScriptEq)
        and (letter := _primed_letter(node.sub.left)) is not None
    ):
        fresh = next((c for c in _FRESH if c not in taken), None)
        if fresh is not None:
            taken.add(fresh)
            primed = reader.source.snippet(node.sub.left.span)
            reader.note(
                node.sub.span,
                f"summed index {primed}",
                f"{primed} is the letter the sum runs over, apart from {letter} (the prime only "
                f"keeps them apart): read as a letter of its own, written {fresh} in what "
                "papermath reads (rules_primed_index.py)",
            )
            node = _renamed(node, letter, fresh)
    changes = {
        f.name: _sums(reader, getattr(node, f.name), taken)
        for f in fields(node)
        if f.name != "span"
    }
    if all(changes[k] is getattr(node, k) for k in changes):
        return node
    return replace(node, **changes)
