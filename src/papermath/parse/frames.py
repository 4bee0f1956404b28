r"""Notation rule ``state-one-step-ahead``: ``h_{t + 1} = (1 - z_t) \odot n_t + z_t \odot h_t``
(MLX's GRU and LSTM): the state is defined at step t+1 from its value at t, and every other
equation is at step t and reads the state at t. It is the recurrence papermath reads as
``h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}``: the same equations in the frame of the step
they define, the state's t+1 read as t and its t as t-1, every other value kept at t.

Read so only where the frame is one: each equation defines a value at t or at t+1; the values
defined at t+1 (the states) are read at t+1 only on the left and in equations at t+1 (MLX's
``h_{t + 1} = o_t \text{tanh}(c_{t + 1})``) and at t on a right side (their previous value);
nothing is read at t-1 or at t+2. A source that also writes t-1, or reads a state's t+1 in an
equation at t (a gate that sees the future), mixes frames: the doubt stands (parse/doubts.py,
refused at the state read at t). A value defined at t+1 that no equation reads at t (seq2seq's
prediction ``\hat y_{t+1} = f(s_t)``) is not a state, and the rule does not fire.

Example (MLX's GRU, read as the recurrence over t with the state h)::

    r_t = \sigma(W_{xr} x_t + W_{hr} h_t + b_r) \\
    h_{t + 1} = (1 - r_t) \odot \tanh(W_{xn} x_t) + r_t \odot h_t

The rewrite is on the syntax tree, before the doubts: each state's step script becomes t or
t-1, spans kept, and the definitions at t+1 carry the sentence the reader notes (``said``).
"""

from __future__ import annotations

import dataclasses
import re

from ..source import Span
from . import ast
from .doubts import STEP
from .doubts import step_offset as _step
from .primes import SteppedDefinition


@dataclasses.dataclass(frozen=True)
class AheadDefinition(SteppedDefinition):
    """A state's definition one step ahead, read in its own frame (``said``: why)."""

    reading: str = "state one step ahead"


def _name(text: str, node: ast.Node) -> str:
    return re.sub(r"\s+", "", text[node.span.start : node.span.end])


def _at(text: str, node: ast.Node) -> tuple[str, int] | None:
    """(name, step) of a symbol written with the step in its subscript: ``h_{t+1}``."""
    if isinstance(node, ast.Sub) and (k := _step(node.script)) is not None:
        return _name(text, node.base), k
    return None


def _uses(text: str, node: ast.Node) -> list[tuple[str, int]]:
    return [u for n in ast.walk(node) if (u := _at(text, n)) is not None]


def _letters(node: ast.Node) -> list[str]:
    return [n.name for n in ast.walk(node) if isinstance(n, ast.Letter)]


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements in the frame of the states' step, where the frame is one (see the
    module's docstring); otherwise the statements as they were."""
    defs = [s for s in statements if isinstance(s, ast.Definition)]
    lhs = {id(d): _at(text, d.lhs) for d in defs}
    ahead = {u[0] for u in lhs.values() if u is not None and u[1] == 1}
    if not ahead:
        return statements
    now: set[str] = set()
    for d in defs:
        u = lhs[id(d)]
        if u is None or u[1] not in (0, 1):
            return statements  # a left side without the step, or at another step
        if u[1] == 0:
            now.add(u[0])
        for name, k in _uses(text, d.rhs):
            if k not in (0, 1) or (k == 1 and (name not in ahead or u[1] != 1)):
                return statements  # t-1 beside t+1, or a state's future read at t
        # a step letter anywhere else (a script t that is not a symbol's step): leave it
        stepped = sum(1 for _ in _uses(text, d.lhs)) + sum(1 for _ in _uses(text, d.rhs))
        if _letters(d).count(STEP) != stepped:
            return statements
    if ahead & now:
        return statements  # defined at t and at t+1
    read_now = {name for d in defs for name, k in _uses(text, d.rhs) if k == 0}
    if not ahead <= read_now:
        return statements  # \hat y_{t+1} = f(s_t): a prediction, not a state
    states = ", ".join(sorted(ahead))
    out: list[ast.Statement] = []
    for s in statements:
        if not isinstance(s, ast.Definition):
            out.append(s)
            continue
        new = dataclasses.replace(s, lhs=_shift(text, s.lhs, ahead), rhs=_shift(text, s.rhs, ahead))
        if lhs[id(s)] is not None and lhs[id(s)][1] == 1:  # type: ignore[index]
            name = lhs[id(s)][0]  # type: ignore[index]
            said = (
                f"{_name(text, s.lhs)} = ... defines the state {name} one step ahead, from "
                f"{name}_t, and every other equation is at step t: read in the frame of the "
                f"step it defines, {name}_{STEP} = ... {name}_{{{STEP}-1}} ... (the states "
                f"{states} at t+1 read as t, at t as t-1; every other value at t)"
            )
            new = AheadDefinition(
                new.span, new.lhs, new.rhs, new.decl, new.claims, new.update, said=said
            )
        out.append(new)
    return out


def _script(where: Span, offset: int) -> ast.Node:
    letter = ast.Letter(where, STEP)
    if offset == 0:
        return letter
    return ast.BinOp(where, "-", letter, ast.Number(where, str(-offset)), where)


def _shift(text: str, node: ast.Node, states: set[str]) -> ast.Node:
    if isinstance(node, ast.Sub) and (u := _at(text, node)) is not None and u[0] in states:
        return dataclasses.replace(node, script=_script(node.span, u[1] - 1))  # as primes.py
    return ast.map_children(node, lambda v: _shift(text, v, states))
