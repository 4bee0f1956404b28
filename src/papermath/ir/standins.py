"""The state of a stand-in check (src/papermath/standin.py): which function stands in for an
activation the source does not name, and which aggregation for an unnamed aggregator over the
neighbours, while ``papermath check`` runs with them; ir/lower.py reads it (and lowers the
aggregation with :func:`lower_aggregate`). Outside :func:`standing_in` nothing stands in and
the lowering refuses as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from ..errors import ReadingError

if TYPE_CHECKING:
    from ..read import terms as t
    from .lower import Lowering
    from .program import Value

# elementwise, defined everywhere, with a derivative almost everywhere: any of them at the
# call exercises the same generated code around it
STAND_INS: tuple[str, ...] = ("sigmoid", "tanh", "relu")
# the aggregations over the neighbours papermath computes (rules_set_builder.py reads them
# written: \mathrm{mean}, \mathrm{sum}, \max of the set of the neighbours' values)
AGGREGATORS: tuple[str, ...] = ("mean", "sum", "max")
# the refusal of ir/lower.py for an unnamed activation (its first words)
UNNAMED_WORDS = "names an activation function, but not which one"
# the refusal of ir/lower.py for an unnamed aggregator (words of it)
AGGREGATE_WORDS = "aggregates the neighbours' values, but the source does not say how"

_CURRENT: ContextVar[str | None] = ContextVar("papermath_stand_in", default=None)
_AGGREGATOR: ContextVar[str | None] = ContextVar("papermath_stand_in_aggregator", default=None)


def current() -> str | None:
    """The function standing in for every unnamed activation now; None outside a stand-in
    check (then lowering refuses the call)."""
    return _CURRENT.get()


def aggregator() -> str | None:
    """The aggregation (mean, sum, max) standing in for every unnamed aggregator over the
    neighbours now; None outside a stand-in check (then lowering refuses it)."""
    return _AGGREGATOR.get()


@contextmanager
def standing_in(*names: str) -> Iterator[None]:
    """Within it, each name stands in for what the source leaves unnamed of its kind: one
    of :data:`STAND_INS` for activations, one of :data:`AGGREGATORS` for aggregators."""
    activation = [n for n in names if n in STAND_INS]
    aggregate = [n for n in names if n in AGGREGATORS]
    if len(activation) + len(aggregate) != len(names) or len(activation) > 1 or len(aggregate) > 1:
        raise ValueError(
            f"{names}: at most one of the stand-ins {STAND_INS} and one of {AGGREGATORS}"
        )
    tokens = []
    if activation:
        tokens.append((_CURRENT, _CURRENT.set(activation[0])))
    if aggregate:
        tokens.append((_AGGREGATOR, _AGGREGATOR.set(aggregate[0])))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def lower_aggregate(lw: Lowering, term: t.NeighbourAggregate, shape: Any) -> Value:
    """The unnamed aggregator ``term`` with :func:`aggregator` standing in, as ir/lower.py
    lowers the aggregation written out: ``\\sum_{u \\in \\mathcal{N}(v)}`` (a scatter-add, or
    a sum of a value per edge), the mean as that sum over ``max(|\\mathcal{N}(v)|, 1)`` (0
    for a node with no neighbours, as rules_set_builder.py reads ``\\mathrm{mean}``), the
    max entry by entry over the edges into v (rules_neighbour_max.py)."""
    from ..read import terms as t
    from . import prims

    how = aggregator()
    assert how in AGGREGATORS
    u, v, body, span = term.index, term.of, term.body, term.span
    outer = lw.edge_ctx
    if how == "max":
        lw.edge_ctx = (v, u)  # the body: a value per edge u -> v
        try:
            value = lw.emit(prims.edge_max_p, (lw.term(body),), shape, span)
        finally:
            lw.edge_ctx = outer
        return lw.gather(v, value, span)
    per_edge = any(
        (isinstance(x, t.Sym) and (x.edge is not None or x.node == v))
        or (isinstance(x, t.NeighbourSum) and x.of == v)
        for x in t.walk(body)
    )
    if per_edge:  # a value per edge u -> v, summed into v
        lw.edge_ctx = (v, u)
        try:
            value = lw.emit(prims.edge_sum_p, (lw.term(body),), shape, span)
        finally:
            lw.edge_ctx = outer
    else:  # the neighbours' own values: one scatter-add
        lw.edge_ctx = None
        try:
            value = lw.emit(
                prims.neighbour_sum_p,
                (lw.term(body),),
                shape,
                span,
                relation=None,
                direction="in",
            )
        finally:
            lw.edge_ctx = outer
    if how == "mean":
        like = next(
            (x for x in [*lw.env.values(), *lw.prev.values()] if lw.level.get(x) == "node"), None
        )
        if like is None:  # rules_set_builder.py reads the aggregation over a node's neighbours
            raise ReadingError(
                "the number of neighbours needs a value per node to count them for",
                lw.system.source,
                span,
            )
        count = lw.emit(prims.degree_p, (like,), (), span, relation=None, direction="in")
        one = lw.emit(prims.const_p, (), (), span, value=1.0)
        count = lw.emit(prims.maximum_p, (count, one), (), span, align=((), ()))
        every = tuple(range(len(shape)))
        value = lw.emit(
            prims.div_p, (value, count), shape, span, align=(every, tuple(None for _ in shape))
        )
    return lw.gather(v, value, span)
