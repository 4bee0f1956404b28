r"""Notation rule ``gate-weight-names``: a gate's weights written with the gate's letter and no
underscore, inside the gate's own equation, as plain-text docstrings write them (google/trax's
SRU: ``f_t &= \sigma(Wf x_t + bf)``, ``r_t &= \sigma(Wr x_t + br)``).

What people write: a weight letter (W, U, V, w, b) and the letter of the value the equation
defines, side by side with no space (``Wf``, ``bf``), in the right side of that value's own
equation. How papermath reads it: the name W_f (b_f), the gate's weight, as ``W_f`` would be
written. Read as a product, ``W f`` would use the value f in its own definition at the same
step (f depends on itself), which no system of equations means; the letter written on the
left side is what labels the weight. The readings say it. Written with a space (``W f``),
outside the equation of that letter, or in an equation of a value without a step (``h = Wh``,
``h \leftarrow Wh``: an update, W times the old h), it is not read so.

Example (reads)::

    f_t = \sigma(Wf x_t + bf)
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

_WEIGHTS = frozenset({"W", "U", "V", "w", "b"})


def _defined_letter(s: ast.Definition) -> str | None:
    """``f`` for ``f_t``: the one letter a definition's left side names at a step (an update
    ``h \\leftarrow Wh`` or ``h = Wh`` without a step may be W times the old h: not read)."""
    lhs = s.lhs
    if s.update or not isinstance(lhs, ast.Sub):
        return None
    if isinstance(lhs.base, ast.Letter) and len(lhs.base.name) == 1:
        return lhs.base.name
    return None


def _rewrite(node: ast.Node, gate: str, found: list[ast.Node]) -> ast.Node:
    match node:
        case ast.Juxt(left=ast.Letter(name=w) as weight, right=ast.Letter(name=g) as label):
            if w in _WEIGHTS and g == gate and weight.span.end == label.span.start:
                found.append(node)
                return ast.Sub(node.span, weight, label)
    return ast.map_children(node, lambda v: _rewrite(v, gate, found))


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each ``Wf`` in the equation of f read as the name W_f."""
    out: list[ast.Statement] = []
    found: list[ast.Node] = []
    for s in statements:
        gate = _defined_letter(s) if isinstance(s, ast.Definition) else None
        if gate is not None and gate not in _WEIGHTS:
            assert isinstance(s, ast.Definition)
            rhs = _rewrite(s.rhs, gate, found)
            if rhs is not s.rhs:
                s = replace(s, rhs=rhs)
        out.append(s)
    text = reader.source.text
    for node in found:
        written = text[node.span.start : node.span.end]
        reader.note(
            node.span,
            f"one name, {written[0]}_{written[1:]}",
            f"{written} in the equation of {written[1:]}: the weight {written[0]}_{written[1:]} "
            f"(the letter of the value defined, written beside the weight letter with no "
            f"space), not {written[0]} times {written[1:]}, which would use {written[1:]} in "
            "its own definition",
        )
    return out
