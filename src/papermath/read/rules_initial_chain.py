r"""Notation rule ``initial-zero-chain``: ``v_0 = s_0 = 0``, one chain giving two states the same
first value, zero.

What people write (d2l's Adam section, 12.10: "if we initialize $\mathbf{v}_0 = \mathbf{s}_0 =
0$", beside the updates of v_t and s_t)::

    \mathbf{v}_0 = \mathbf{s}_0 = 0

How papermath reads it: a chain claims every side equal (parse/chains.py), so it is the two
initial conditions ``s_0 = 0`` and ``v_0 = s_0``; the second's right side is the first value of
another state, itself zero by the first: both states start at zero, papermath's own initial
state (read/rules_initial.py: an argument of the generated code, zeros where none is given).
The readings say so. Only where the other state's first value is zero by an initial condition
of the source; ``v_0 = s_0`` alone (s_0 given by nothing) stays refused (a value read at step
0, before the steps the equations run).

Example that reads (v and s start at zero)::

    v_0 = s_0 = 0, v_t = \beta v_{t-1} + g_t, s_t = \beta s_{t-1} + g_t^2
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import is_symbolish, step_zero
from .syntax import is_zero as _is_zero

if TYPE_CHECKING:
    from .reader import Reader

RULE = "initial-zero-chain"


def _first_value_of(reader: Reader, node: ast.Node, stepped: set[str]) -> str | None:
    """The key of the state whose step-0 value ``node`` is (``s_0``: s), else None."""
    base = step_zero(node)
    if base is None or not is_symbolish(base):
        return None
    parts = reader.symbol(base, quiet=True)
    if parts is None or parts.key not in stepped or parts.node or parts.element:
        return None
    return parts.key


def zero_chains(
    reader: Reader, statements: list[ast.Statement], stepped: set[str]
) -> list[ast.Statement]:
    """``v_0 = s_0`` beside ``s_0 = 0`` rewritten as ``v_0 = 0`` (noted); the rest as it was."""
    zero: dict[str, ast.Node] = {}
    for s in statements:
        if isinstance(s, ast.Definition) and _is_zero(s.rhs):
            key = _first_value_of(reader, s.lhs, stepped)
            if key is not None:
                zero[key] = s.rhs
    if not zero:
        return statements
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition) and not s.claims:
            key = _first_value_of(reader, s.lhs, stepped)
            other = _first_value_of(reader, s.rhs, stepped)
            if key is not None and other is not None and other != key and other in zero:
                written = " ".join(reader.source.snippet(s.lhs.span).split())
                said = " ".join(reader.source.snippet(s.rhs.span).split())
                reader.note(
                    s.span,
                    "initial state, by a chain",
                    f"{written} = {said} = 0: a chain, every side equal; {said} is zero, so "
                    f"{written} (the value of the state {key} before the first step) is zero too",
                )
                s = dataclasses.replace(s, rhs=zero[other])
        out.append(s)
    return out
