"""Notation rule ``initial-condition``: ``h_0 = 0``, ``H^{0} = X``, ``h^{(0)} = x``, ``h_i^{0} =
[x_i \\| \\mathbf{0}]`` beside a recurrence in h: the state's value before the first step, not
an equation of a new symbol ``h_0`` (nor a power ``H^0``).

A state's value before the first step is, in papermath, the initial state of the generated
code: an argument, zeros where none is given. So an initial condition to zero (``h_0 = 0``,
``\\mathbf{0}``) says what papermath already does: it is read so, and noted. An initial
condition to another value of a whole state (APPNP's ``H^{0} = X``) is read by
read/rules_initial_tie.py (the state's first value, computed before the steps;
GatedGraphConv's zero-padded ``x_i``, one per node, by read/rules_zero_pad.py); any other is
refused at the left side, with why and what to write instead. So is a step-0 value used on a
right side beside an initial condition to zero (the first state read at every step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .rules_first_step import first_values
from .rules_initial_chain import zero_chains
from .rules_initial_tie import tied_statements, untied
from .syntax import is_symbolish, iter_nodes, step_zero
from .syntax import is_zero as _is_zero

if TYPE_CHECKING:
    from .reader import Reader


def _one_step_ahead(node: ast.Node) -> ast.Node | None:
    """``H^{l+1}``, ``h_i^{t+1}``, ``h_{t+1}``: a symbol written one step after a letter."""
    match node:
        case ast.Sub(base=base, script=script) | ast.Sup(base=base, script=script):
            if isinstance(script, ast.Paren):
                script = script.body
            match script:
                case ast.BinOp(op="+", left=ast.Letter(), right=ast.Number(text="1")):
                    return base if is_symbolish(base) else None
    return None


def initial_conditions(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements without the initial conditions to zero (noted); any other refused."""
    stepped: set[str] = set()
    for s in statements:
        if isinstance(s, ast.Definition) and is_symbolish(s.lhs) and step_zero(s.lhs) is None:
            parts = reader.symbol(s.lhs, quiet=True)
            if parts is not None and parts.step is not None:
                stepped.add(parts.key)
            elif (base := _one_step_ahead(s.lhs)) is not None:  # H^{l+1}, h_i^{t+1}
                ahead = reader.symbol(base, quiet=True)
                if ahead is not None:
                    stepped.add(ahead.key)
    if not stepped:
        return statements
    statements = first_values(reader, statements, stepped)  # h^{(1)}: from step 1
    statements = zero_chains(reader, statements, stepped)  # v_0 = s_0 = 0: both zero
    statements = tied_statements(reader, statements, stepped)  # H^{0} = X: a value of its own
    out: list[ast.Statement] = []
    for s in statements:
        base = step_zero(s.lhs) if isinstance(s, ast.Definition) else None
        parts = reader.symbol(base, quiet=True) if base is not None else None
        if base is None or parts is None or parts.key not in stepped:
            out.append(s)
            continue
        assert isinstance(s, ast.Definition)
        written = " ".join(reader.source.snippet(s.lhs.span).split())
        key = parts.key
        if not _is_zero(s.rhs):  # not tied by rules_initial_tie: why, said
            raise untied(reader, s, written, key, statements)
        out.append(s)  # kept until the uses are checked below
    kept: list[ast.Statement] = []
    for s in out:
        if isinstance(s, ast.Definition) and (base := step_zero(s.lhs)) is not None:
            parts = reader.symbol(base, quiet=True)
            if parts is not None and parts.key in stepped:
                _refuse_uses(reader, statements, parts.key)
                written = " ".join(reader.source.snippet(s.lhs.span).split())
                reader.note(
                    s.span,
                    "initial state",
                    f"{written} = 0 is the value of the state {parts.key} before the first "
                    "step: the initial state of the generated code, zeros where none is given "
                    "(read so; not an equation of its own)",
                )
                continue
        kept.append(s)
    return kept


def _refuse_uses(reader: Reader, statements: list[ast.Statement], key: str) -> None:
    """A step-0 value on a right side (the first state read at every step) is refused."""
    for s in statements:
        if not isinstance(s, ast.Definition):
            continue
        for node in iter_nodes([s.rhs]):  # type: ignore[list-item]
            base = step_zero(node)
            if base is None:
                continue
            parts = reader.symbol(base, quiet=True)
            if parts is not None and parts.key == key:
                raise reader.error(
                    f"{reader.source.snippet(node.span)} is the first value of the state {key}, "
                    "used in an equation: papermath does not keep a state's first value through "
                    "the steps yet",
                    node.span,
                    hint="give that value its own name (an input) and use the name here",
                )
