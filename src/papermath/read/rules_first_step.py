r"""Notation rule ``first-value-at-step-one``: ``h_v^{(1)} = ...`` beside equations at step t
that read the state at t-1: the source numbers its steps from 1, and this is the state's first
value.

What people write (Li et al. 2016, GG-NN, eqs. 1-6: the first value, then the propagation
steps t = 2, ..., T)::

    h_v^{(1)} = [x_v^\top, \mathbf{0}]^\top
    h_v^{(t)} = (1 - z_v^t) \odot h_v^{(t-1)} + z_v^t \odot \widetilde{h_v^{(t)}}

How papermath reads it: papermath numbers the value before the first step 0; a state written
at step (1) on the left of an equation of its own, with no value at step 0 anywhere, is that
value under the source's numbering (the steps the equations compute are the source's 2, 3,
...). It is read as the initial condition ``h_v^{(0)} = ...`` (read/rules_initial.py: zero is
the default initial state, a value of a whole state is tied by read/rules_initial_tie.py, any
other refused there with its hint), and the readings say so. Only where the numbering cannot
matter: the step letter appears nowhere but in the step scripts of the states the equations
define (no ``\beta^t``, no input ``x_t`` whose step 1 would be the first input), and only a
step written in parentheses (``^{(1)}``; ``h_1`` is a node or an entry, ``W^1`` a power or a
layer).

Example that reads (h starts at zero)::

    h^{(1)} = 0, h^{(t)} = \tanh(W h^{(t-1)})
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import is_symbolish, iter_nodes, step_zero

if TYPE_CHECKING:
    from .reader import Reader

RULE = "first-value-at-step-one"


def _at_one(node: ast.Node) -> ast.Node | None:
    """``node`` at step (1) written at step 0 (``h_v^{(1)}`` -> ``h_v^{(0)}``), else None."""
    match node:
        case ast.Sub(base=ast.Sup() as sup, script=index):  # h^{(1)}_i
            inner = _at_one(sup)
            return None if inner is None else dataclasses.replace(node, base=inner, script=index)
        case ast.Sup(base=base, script=ast.Paren(body=ast.Number(text="1") as one) as paren):
            if is_symbolish(base):
                zero = dataclasses.replace(one, text="0")
                return dataclasses.replace(node, script=dataclasses.replace(paren, body=zero))
    return None


def _key(reader: Reader, node: ast.Node) -> str | None:
    base = step_zero(node)
    if base is None:
        return None
    parts = reader.symbol(base, quiet=True)
    return None if parts is None else parts.key


def _scripts_of_states_only(
    reader: Reader, statements: list[ast.Statement], keys: set[str]
) -> bool:
    """Whether every step letter stands only in the scripts of the states ``keys``."""
    letters = set(reader.step_letters)
    if not letters:
        return False
    inside: set[int] = set()
    for node in iter_nodes(statements):
        if not isinstance(node, ast.Sub | ast.Sup):
            continue
        script = list(ast.walk(node.script))
        if not any(isinstance(n, ast.Letter) and n.name in letters for n in script):
            continue
        parts = reader.symbol(node, quiet=True) if is_symbolish(node) else None
        if parts is None or parts.key not in keys:
            return False  # \beta^t, x_t: the step as a number, or an input's step
        inside |= {id(n) for n in script}
    return all(
        id(n) in inside
        for n in iter_nodes(statements)
        if isinstance(n, ast.Letter) and n.name in letters
    )


def first_values(
    reader: Reader, statements: list[ast.Statement], stepped: set[str]
) -> list[ast.Statement]:
    """``h^{(1)} = ...`` read as ``h^{(0)} = ...`` where the source numbers its steps from 1."""
    found: dict[str, ast.Definition] = {}
    for s in statements:
        if isinstance(s, ast.Definition) and (zero := _at_one(s.lhs)) is not None:
            key = _key(reader, zero)
            if key is not None and key in stepped:
                if key in found:
                    return statements  # two first values: left as they are
                found[key] = s
    if not found:
        return statements
    for s in statements:
        if isinstance(s, ast.Definition) and _key(reader, s.lhs) in found:
            return statements  # a value at step 0 too: the steps are numbered from 0
    if not _scripts_of_states_only(reader, statements, stepped):
        return statements

    def moved(node: ast.Node) -> ast.Node:
        zero = _at_one(node)
        if zero is not None and _key(reader, zero) in found:
            return zero
        return ast.map_children(node, moved)

    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition):
            s = dataclasses.replace(s, lhs=moved(s.lhs), rhs=moved(s.rhs))
        out.append(s)
    for key, s in found.items():
        written = " ".join(reader.source.snippet(s.lhs.span).split())
        reader.note(
            s.lhs.span,
            "first value at step 1",
            f"{written} = ...: the source numbers its steps from 1, and this is the first "
            f"value of the state {key} (the equations at step t read t-1: they compute the "
            "source's steps 2, 3, ...); read as papermath's step 0, the value before the "
            "first step (the step number is used nowhere as a number, so nothing else moves)",
        )
    return out
