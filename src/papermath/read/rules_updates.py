"""Notation rule ``update-rule``: an algorithm's assignment written with an arrow,
``\\theta_t \\leftarrow \\theta_{t-1} - \\eta g_t`` (also ``\\gets``; Adam's Algorithm 1, optax,
d2l). An update rule defines the value on its left: written with the step (``m_t \\leftarrow
\\beta_1 m_{t-1} + (1 - \\beta_1) g_t``), it is the definition of the step's value from the
previous step's, a recurrence, exactly as ``=`` would be, and the reading says so.

An assignment in place, where the new value is computed from the same value at the same step
(``\\theta \\leftarrow \\theta - \\eta g``, GraphSAGE's ``h^k_v \\leftarrow h^k_v /
\\|h^k_v\\|_2``, PyG's ``x_j \\leftarrow \\sigma(W_3 x_j + b)``), is refused at its left side:
which value the other equations read (the one before or the one after) depends on where the
line runs in the algorithm, and the value before it is not named; as an equation it would be a
value that depends on itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import rules_pairs
from . import terms as t
from .syntax import is_symbolish, symbols_in

if TYPE_CHECKING:
    from .reader import Reader


def update_rule(reader: Reader, s: ast.Definition) -> None:
    """Refuse an assignment in place; note the reading of any other update rule."""
    if not s.update:
        return
    lhs = reader.symbol(s.lhs, quiet=True) if is_symbolish(s.lhs) else None
    if lhs is None:
        return  # the left side's own error (one symbol) comes from the definition
    written = " ".join(reader.source.snippet(s.lhs.span).split())
    for node in symbols_in(s.rhs):
        parts = reader.symbol(node, quiet=True)
        if parts is None or parts.key != lhs.key:
            continue
        if (parts.step, parts.offset) == (lhs.step, lhs.offset):
            at = f" at step {lhs.step}" if lhs.step else ""
            raise reader.error(
                f"an update in place: {written} \\leftarrow ... computes {lhs.key}{at} from "
                f"{lhs.key}{at} itself (the value before the assignment, which has no name "
                "of its own)",
                s.lhs.span,
                hint=rules_pairs.loop_hint(reader, lhs.key)  # b_{ij} <- b_{ij} + ...: routing
                or (
                    "write the step on both sides, x_t \\leftarrow f(x_{t-1}) (a "
                    "recurrence), or give the new value its own name (\\tilde{x}) and use "
                    "it where the new value is meant"
                ),
            )
    at = f" at step {lhs.step}" if lhs.step else ""
    reader.note(
        s.span,
        "update rule",
        f"read as the equation {written} = ...: the arrow assigns the value of {lhs.key}{at}",
    )


# letters that name weight matrices: never what an algorithm's loop is given per step
WEIGHT_MATRICES = frozenset({"W", "U", "V", "Theta"})


def given_per_step(reader: Reader, statements: list[ast.Statement]) -> None:
    """In a system written with update rules (an algorithm's loop body), a symbol that carries
    the step and that no equation defines is what the loop is given at each step (optax's
    ``\\theta_t``, the parameters an optimiser updates): an input per step, not a learned
    parameter per step as ``W^{(l)}`` in a stack of layers. A weight-matrix letter (W, U, V,
    \\Theta) keeps its default: GraphSAGE's Algorithm 1 writes ``\\mathbf{W}^{k} \\cdot
    \\mathrm{CONCAT}(...)`` in its loop, a learned matrix per depth k."""
    if not any(isinstance(s, ast.Definition) and s.update for s in statements):
        return
    for eq in reader.out.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if not isinstance(x, t.Sym) or not x.step or x.key in reader.defined_keys:
                continue
            if x.key in reader.out.role_inputs or x.key in reader.out.directives:
                continue
            if x.key.split("_")[0] in WEIGHT_MATRICES:
                continue  # GraphSAGE's W^k: a weight matrix per step (layer), learned
            reader.out.role_inputs[x.key] = (
                f"written at step {x.step} in update rules and defined by none: the value "
                "the algorithm is given at each step, not a parameter learned per step"
            )
