r"""Notation rule ``delta-name``: ``\Delta w_t`` on a left side, the change of w (an update
step), one symbol: ADADELTA (Zeiler 2012) and optax's ``adadelta`` docstring::

    \Delta w_t = -\frac{\sqrt{E[\Delta w^2]_{t-1} + \epsilon}}{\sqrt{E[g^2]_t + \epsilon}} \cdot g_t

A capital Delta written before a symbol names a change of it (``\Delta w``, ``\Delta x``);
where an equation DEFINES ``\Delta w`` (it is a left side), the two are one name, never the
number Delta times w: key ``Delta_w`` (Greek by name, then the letter), with w's step and
labels (``\Delta w_t`` is Delta_w at step t). Every other ``\Delta w`` of the source is the same
name. Said in the readings (read/rules_running_average.py notes it). Where no equation
defines it, ``\Delta w`` stays as written (LoRA's ``\Delta W x`` in a claim, S4's ``\Delta``
a step size times a matrix).
"""

from __future__ import annotations

import dataclasses

from ..source import Span
from . import ast

DELTAS = ("Delta",)


@dataclasses.dataclass(frozen=True)
class DeltaName(ast.Text):
    """``\\Delta w``: one name, key ``Delta_w`` (the Text's content)."""


def _bottom(node: ast.Node) -> ast.Letter | None:
    """The letter under the scripts of ``w``, ``w_t``, ``w_t^2``; None otherwise."""
    while isinstance(node, ast.Sub | ast.Sup):
        node = node.base
    return node if isinstance(node, ast.Letter) and len(node.name) == 1 else None


def _name(node: ast.Node) -> str | None:
    """``\\Delta w_t`` (a Juxt) -> "Delta_w"; None otherwise."""
    if not (isinstance(node, ast.Juxt) and isinstance(node.left, ast.Letter)):
        return None
    letter = _bottom(node.right)
    if node.left.name not in DELTAS or letter is None:
        return None
    return f"{node.left.name}_{letter.name}"


def _named(node: ast.Node, delta: ast.Node, key: str) -> ast.Node:
    """``w_t^2`` with its letter the name ``key`` (its span from ``delta`` on)."""
    if isinstance(node, ast.Sub | ast.Sup):
        base = _named(node.base, delta, key)
        return dataclasses.replace(node, span=Span(delta.span.start, node.span.end), base=base)
    return DeltaName(Span(delta.span.start, node.span.end), "text", key)


def _renamed(node: ast.Node, names: set[str]) -> ast.Node:
    """``node`` with ``\\Delta w`` (a defined name) one symbol, wherever it stands."""
    key = _name(node)
    if key is not None and key in names and isinstance(node, ast.Juxt):
        return _named(node.right, node.left, key)
    if isinstance(node, ast.Juxt) and isinstance(node.left, ast.Juxt):  # (1 - \rho) \Delta w_t^2
        inner = ast.Juxt(
            Span(node.left.right.span.start, node.span.end), node.left.right, node.right
        )
        key = _name(inner)
        if key is not None and key in names:
            left = _renamed(node.left.left, names)
            return dataclasses.replace(node, left=left, right=_named(node.right, inner.left, key))
    changes: dict[str, object] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        new: object
        if isinstance(value, ast.Node):
            new = _renamed(value, names)
        elif isinstance(value, tuple) and any(isinstance(v, ast.Node) for v in value):
            new = tuple(_renamed(v, names) if isinstance(v, ast.Node) else v for v in value)
        else:
            continue
        if new is not value:
            changes[f.name] = new
    return dataclasses.replace(node, **changes) if changes else node  # type: ignore[arg-type]


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with every defined ``\\Delta w`` one name."""
    del text
    names = {
        found
        for s in statements
        if isinstance(s, ast.Definition) and (found := _name(s.lhs)) is not None
    }
    if not names:
        return statements
    out: list[ast.Statement] = []
    for s in statements:
        new = _renamed(s, names)
        if new is not s:
            new = ast.keep_attached(new, s)
        out.append(new)  # type: ignore[arg-type]
    return out
