r"""Stand-ins for an activation the source does not name, for ``papermath check`` only.

Wikipedia's Jordan network writes ``y_t = \sigma_y(W_y h_t + b_y)`` and Graves et al. write
``\mathcal{H}`` for "the hidden layer function": an elementwise nonlinearity the source does
not name (read/rules_roles.py, rule ``unnamed-activation``). ``code`` refuses such a system
(it cannot know which function to write). ``check`` asks another question: is the generated
backward pass the derivative of the generated forward pass? That does not depend on which
elementwise function stands at the call, so ``check`` runs once with each of a small fixed set
of stand-ins in its place (sigmoid, tanh, relu; the same one at every unnamed call in a run)
and says so: "the source does not name \sigma_y; checked with sigmoid, tanh and relu standing
in: ...". It passes only if every stand-in passes. Nothing is picked silently: outside
:func:`standing_in` the lowering refuses as before, and ``code`` never enters it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ReadingError

if TYPE_CHECKING:
    from .check import SymbolCheck
    from .system import System

# elementwise, defined everywhere, with a derivative almost everywhere: any of them at the
# call exercises the same generated code around it
STAND_INS: tuple[str, ...] = ("sigmoid", "tanh", "relu")
# the refusal of ir/lower.py for an unnamed activation (its first words)
UNNAMED_WORDS = "names an activation function, but not which one"

_CURRENT: ContextVar[str | None] = ContextVar("papermath_stand_in", default=None)


def current() -> str | None:
    """The function standing in for every unnamed activation now; None outside a stand-in
    check (then lowering refuses the call)."""
    return _CURRENT.get()


@contextmanager
def standing_in(name: str) -> Iterator[None]:
    if name not in STAND_INS:
        raise ValueError(f"{name} is not one of the stand-ins {STAND_INS}")
    token = _CURRENT.set(name)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def unnamed_gap(system: System, dims: dict[str, int] | None) -> bool:
    """True where lowering ``system`` refuses only at an activation the source does not
    name (the first refusal is that one); other refusals are raised as they are."""
    try:
        system.program(dims)
    except ReadingError as err:
        if UNNAMED_WORDS in err.message:
            return True
        raise
    return False


def unnamed_names(system: System) -> list[str]:
    """The unnamed activations as the source writes them (``\\sigma_y``), in order."""
    from .read.functions import UNNAMED
    from .read.terms import Apply, children

    read = system._read
    table = read.unnamed if read is not None else {}
    names: list[str] = []

    def visit(x: Any) -> None:
        if isinstance(x, Apply) and x.fn == UNNAMED:
            written = table.get(id(x), ("an activation", None))[0]
            if written not in names:
                names.append(written)
        for c in children(x):
            visit(c)

    for eq in system.equations:
        visit(eq.rhs)
    return names or ["an activation"]


@dataclass(frozen=True)
class StandInCheck:
    """``check`` run once per stand-in, for a system whose source leaves activations unnamed."""

    written: tuple[str, ...]  # \sigma_y, \mathcal{H}: as the source writes them
    runs: tuple[tuple[str, tuple[SymbolCheck, ...]], ...]  # (stand-in, its results)

    @property
    def ok(self) -> bool:
        return all(r.ok for _, results in self.runs for r in results)

    def statement(self) -> str:
        """The report's line: the source does not name \\sigma_y; checked with sigmoid, tanh
        and relu standing in: ok (worst relative error 3.1e-10)."""
        names = _and(list(self.written))
        fns = _and([name for name, _ in self.runs])
        failed = [name for name, results in self.runs if not all(r.ok for r in results)]
        worst = max(
            (max(r.fd_error, r.torch_error or 0.0) for _, rs in self.runs for r in rs), default=0.0
        )
        verdict = (
            f"ok (worst relative error {worst:.1e})"
            if not failed
            else f"FAILED with {_and(failed)} (worst relative error {worst:.1e})"
        )
        return f"the source does not name {names}; checked with {fns} standing in: {verdict}"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def check_with_stand_ins(
    system: System,
    dims: dict[str, int] | None = None,
    layout: str = "sample-first",
    seed: int = 0,
    use_torch: bool = True,
) -> StandInCheck:
    """:func:`papermath.check.check` once with each of :data:`STAND_INS` at every unnamed
    activation (a fresh copy of ``system`` per run: its cached programs keep the refusal)."""
    from .check import check, default_dims

    dims = default_dims(system, dims)
    runs = []
    for name in STAND_INS:
        stand_in = copy.copy(system)
        stand_in._programs = {}
        with standing_in(name):
            results = check(stand_in, dims, layout, seed, use_torch)
        runs.append((name, tuple(results)))
    return StandInCheck(tuple(unnamed_names(system)), tuple(runs))


def check_or_stand_in(
    system: System,
    dims: dict[str, int] | None = None,
    layout: str = "sample-first",
    seed: int = 0,
    use_torch: bool = True,
) -> tuple[list[SymbolCheck], StandInCheck | None]:
    """``check``; where the only gap is an unnamed activation, the stand-in check instead
    (results [] and its :class:`StandInCheck`)."""
    from .check import check, default_dims

    if unnamed_gap(system, default_dims(system, dims)):
        return [], check_with_stand_ins(system, dims, layout, seed, use_torch)
    return check(system, dims, layout, seed, use_torch), None
