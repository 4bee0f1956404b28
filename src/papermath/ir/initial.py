"""The initial state tied to a value (``H^{0} = X``, read/rules_initial_tie.py): each state
whose first value the source gives starts the loop from that value, computed once before the
steps (a static op), instead of from an argument of the generated code."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..errors import ReadingError
from .program import State, Value

if TYPE_CHECKING:
    from ..system import System


def initial_values(
    s: System, states: list[State], outputs: dict[str, Value], step_keys: set[str]
) -> list[State]:
    """The states, each with its first value where the source ties it (``H_init``)."""
    tied = s._read.initial_values if s._read else {}
    out = []
    for st in states:
        key = tied.get(st.key)
        if key is None:
            out.append(st)
            continue
        value = outputs.get(key)
        eq = next((eq for eq in s.equations if eq.lhs.key == key), None)
        if value is None or key in step_keys or not value.batched:
            span = eq.span if eq is not None else s.equations[0].span
            raise ReadingError(
                f"the first value of the state {st.key} ({key}) is not computed once before "
                "the steps from the inputs: not generated yet",
                s.source,
                span,
                hint=f"give {st.key}'s first value from the inputs alone",
            )
        out.append(dataclasses.replace(st, init=value))
    return out
