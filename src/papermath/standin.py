r"""Stand-ins for what the source leaves unnamed (an activation, an aggregator over the
neighbours), for ``papermath check`` only.

Wikipedia's Jordan network writes ``y_t = \sigma_y(W_y h_t + b_y)`` and Graves et al. write
``\mathcal{H}`` for "the hidden layer function": an elementwise nonlinearity the source does
not name (read/rules_roles.py, rule ``unnamed-activation``). GraphSAGE's Algorithm 1 writes
``\mathrm{AGGREGATE}_k(\{\mathbf{h}^{k-1}_{u}, \forall u \in \mathcal{N}(v)\})``: an aggregator
over the neighbours' values the paper leaves open (mean, LSTM or pooling; read/
rules_set_builder.py, rule ``set-builder-aggregation``). ``code`` refuses such a system (it
cannot know which function to write). ``check`` asks another question: is the generated
backward pass the derivative of the generated forward pass? That does not depend on which
function stands at the call, so ``check`` runs once with each of a small fixed set of
stand-ins in its place and says so:

- an unnamed activation: sigmoid, tanh and relu (elementwise, defined everywhere);
- an unnamed aggregator over the neighbours: mean, sum and max (the aggregations papermath
  computes; an LSTM or pooling aggregator is not among them, and the statement names only
  the ones run),

the same one at every unnamed call of its kind in a run, every pair where a source leaves
both open: "the source does not name \sigma_y; checked with sigmoid, tanh and relu standing
in: ...". It passes only if every run passes. Nothing is picked silently: outside
:func:`standing_in` the lowering refuses as before, and ``code`` never enters it.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ReadingError

if TYPE_CHECKING:
    from .check import SymbolCheck
    from .system import System

from .ir.standins import (  # noqa: F401  (re-exported: the stand-ins, with their state)
    AGGREGATE_WORDS,
    AGGREGATORS,
    STAND_INS,
    UNNAMED_WORDS,
    aggregator,
    current,
    lower_aggregate,
    standing_in,
)


def _gaps(system: System, dims: dict[str, int] | None) -> tuple[str, ...]:
    """What lowering ``system`` lacks, where it lacks only what stand-ins give: "activation",
    "aggregate" (each kind once, found by lowering with the stand-ins of those found before);
    () where it lowers as it is. Any other refusal is raised as it is."""
    found: list[str] = []
    while True:
        trial = copy.copy(system)
        trial._programs = {}
        names = [STAND_INS[0] if g == "activation" else AGGREGATORS[0] for g in found]
        try:
            with standing_in(*names):
                trial.program(dims)
        except ReadingError as err:
            gap = (
                "activation"
                if UNNAMED_WORDS in err.message
                else "aggregate"
                if AGGREGATE_WORDS in err.message
                else None
            )
            if gap is None or gap in found:
                raise
            found.append(gap)
            continue
        return tuple(found)


def unnamed_gap(system: System, dims: dict[str, int] | None) -> bool:
    """True where lowering ``system`` refuses only at what the source leaves unnamed (an
    activation, an aggregator over the neighbours); other refusals are raised as they are."""
    return bool(_gaps(system, dims))


def unnamed_names(system: System) -> list[str]:
    """The unnamed activations as the source writes them (``\\sigma_y``), in order."""
    from .read.functions import UNNAMED
    from .read.terms import Apply, children

    read = system._read
    table = read.unnamed if read is not None else {}
    names: list[str] = []

    # a pass that rebuilds a term leaves the table keyed by the old one: found by where the
    # call starts, the function's name being its first token
    by_start = {span.start: written for written, span in table.values() if span is not None}

    def visit(x: Any) -> None:
        if isinstance(x, Apply) and x.fn == UNNAMED:
            written = table.get(id(x), (by_start.get(x.span.start, "an activation"), None))[0]
            if written not in names:
                names.append(written)
        for c in children(x):
            visit(c)

    for eq in system.equations:
        visit(eq.rhs)
    return names or ["an activation"]


def unnamed_aggregators(system: System) -> list[str]:
    """The unnamed aggregators as the source writes them (``\\mathrm{AGGREGATE}_k``), in order."""
    from .read.terms import NeighbourAggregate, walk

    names: list[str] = []
    for eq in system.equations:
        for x in walk(eq.rhs):
            if isinstance(x, NeighbourAggregate) and x.written not in names:
                names.append(x.written)
    return names or ["an aggregator"]


@dataclass(frozen=True)
class StandInCheck:
    """``check`` run once per stand-in (per pair of stand-ins where the source leaves both an
    activation and an aggregator unnamed)."""

    written: tuple[str, ...]  # \sigma_y, \mathrm{AGGREGATE}_k: as the source writes them
    runs: tuple[tuple[str, tuple[SymbolCheck, ...]], ...]  # (stand-ins, its results)
    # per kind left unnamed: (as the source writes them, the stand-ins run for them)
    kinds: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    @property
    def ok(self) -> bool:
        return all(r.ok for _, results in self.runs for r in results)

    def statement(self) -> str:
        """The report's line: the source does not name \\sigma_y; checked with sigmoid, tanh
        and relu standing in: ok (worst relative error 3.1e-10)."""
        names = _and(list(self.written))
        kinds = self.kinds or ((self.written, tuple(name for name, _ in self.runs)),)
        if len(kinds) == 1:
            fns = _and(list(kinds[0][1]))
        else:  # each pair run: "sigmoid, tanh and relu for \sigma, mean, sum and max for A"
            fns = _and([f"{_and(list(run))} for {_and(list(w))}" for w, run in kinds])
            fns += " (each pair)"
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
    activation and each of :data:`AGGREGATORS` at every unnamed aggregator (every pair where
    both are unnamed; a fresh copy of ``system`` per run: its cached programs keep the
    refusal)."""
    from .check import check, default_dims

    dims = default_dims(system, dims)
    try:
        gaps = _gaps(system, dims) or ("activation",)
    except ReadingError:
        gaps = ("activation",)  # refused elsewhere too: the runs say where
    kinds = tuple(
        (tuple(unnamed_names(system)), STAND_INS)
        if g == "activation"
        else (tuple(unnamed_aggregators(system)), AGGREGATORS)
        for g in gaps
    )
    runs = []
    for names in itertools.product(*(fns for _, fns in kinds)):
        stand_in = copy.copy(system)
        stand_in._programs = {}
        with standing_in(*names):
            results = check(stand_in, dims, layout, seed, use_torch)
        runs.append((_and(list(names)), tuple(results)))
    written = tuple(w for ws, _ in kinds for w in ws)
    return StandInCheck(written, tuple(runs), kinds)


def check_or_stand_in(
    system: System,
    dims: dict[str, int] | None = None,
    layout: str = "sample-first",
    seed: int = 0,
    use_torch: bool = True,
) -> tuple[list[SymbolCheck], StandInCheck | None]:
    """``check``; where the only gaps are what the source leaves unnamed (an activation, an
    aggregator), the stand-in check instead (results [] and its :class:`StandInCheck`)."""
    from .check import check, default_dims

    if unnamed_gap(system, default_dims(system, dims)):
        return [], check_with_stand_ins(system, dims, layout, seed, use_torch)
    return check(system, dims, layout, seed, use_torch), None
