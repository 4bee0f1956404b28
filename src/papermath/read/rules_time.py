# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``continuous-time`` (the reader's half; parse/continuous_time.py finds it):
``x'(t) = \boldsymbol{A}x(t) + \boldsymbol{B}u(t)``, the derivative of x in the time t.

How papermath reads it: t is the time, an index (every ``x(t)`` was rewritten ``x_t``, the
signal's value at t); the derivative ``x'(t)`` is a value of its own, ``x_prime``, with x's
shape; its code is refused by name (a differential equation needs a discretisation, which the
source does not give: write the discrete recurrence). The readings say so.

Example (reads; x in R^N, A N x N)::

    It maps a 1-D input signal $u(t)$ to an $N$-D latent state $x(t)$ and a 1-D output $y(t)$. $$x'(t) = \boldsymbol{A} x(t) + \boldsymbol{B} u(t)$$ $$y(t) = \boldsymbol{C} x(t) + \boldsymbol{D} u(t)$$
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.continuous_time import DerivativeDefinition

if TYPE_CHECKING:
    from .reader import Reader


def code_hint(x: str) -> str:
    return (
        "a differential equation in continuous time is read for its shapes: code needs it "
        "discretised (a step size and a rule, e.g. the bilinear \\bar{A}, \\bar{B}, which the "
        f"source does not give); write the discrete recurrence, {x}_k = \\bar{{A}} {x}_{{k-1}} + "
        "\\bar{B} u_k, for code"
    )


def derivatives(reader: Reader, statements: list[ast.Statement]) -> None:
    """Register the time letter of each ``x'(t) = ...`` as an index, tie ``x_prime``'s shape
    to x's, and refuse code for it by name."""
    for s in statements:
        if not isinstance(s, DerivativeDefinition):
            continue
        if s.time not in reader.out.indices:
            reader.add_index(
                s.time,
                "time",
                f"it is the time of the derivative {reader.source.snippet(s.lhs.span)} (a "
                "differential equation): every symbol written with it is a signal's value at "
                "that time",
                s.lhs.span,
            )
            reader.note(s.lhs.span, f"time {s.time}", reader.out.indices[s.time].reason)
        parts = reader.symbol(s.lhs, quiet=True)
        base = reader.symbol(s.lhs.base.base, quiet=True)  # type: ignore[attr-defined]
        if parts is None or base is None:
            continue
        reader.out.tied_shapes[parts.key] = base.key
        reader.out.shapes_only.setdefault(parts.key, (s.lhs.span, code_hint(base.key)))
