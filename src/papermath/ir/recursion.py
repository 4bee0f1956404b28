"""Lowering a recursion over orders, unrolled (read/rules_recursion.py): PyG's ChebConv,
``X' = \\sum_{k=1}^{K} Z^{(k)} \\Theta^{(k)}`` with ``Z^{(1)} = X``, ``Z^{(2)} = \\hat L X``,
``Z^{(k)} = 2 \\hat L Z^{(k-1)} - Z^{(k-2)}``.

The reader reads the recursion as a recurrence over the steps k (Z its state, X' a running
sum over the steps). Code computes it unrolled instead, as the formula says, with the number
of orders given in dims (K): the first values as written, then each further order from the
ones before it (``Z^{(k-1)}``, ``Z^{(k-2)}``: the values of the two orders before, kept), and
the sum over the orders added term by term; what carries k (``\\Theta^{(k)}``) is one per
order, stored stacked (K, ...), the order's one taken in its term. Everything is computed
once (no loop over steps), so the backends' forward and backward passes are the plain ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..errors import DeclarationError, ReadingError
from ..read import terms as t
from ..shapes.sizes import count as size_count
from ..source import Span
from .prims import fn_p, take_p
from .program import Input, Param, Program, Value

if TYPE_CHECKING:
    from .lower import Lowering


def program(low: Lowering) -> Program | None:
    """The program of a system whose only recurrence is a recursion over orders that a sum
    runs over; None for any other system (lowered as before)."""
    s = low.system
    read = s._read
    if read is None or not read.recursions:
        return None
    if len(read.recursions) != 1:
        return None
    letter, (key, first, count, firsts) = next(iter(read.recursions.items()))
    eqs = s.equations
    defined = {eq.lhs.key: eq for eq in eqs}
    stepped = [eq for eq in eqs if eq.lhs.step is not None]
    recursion = defined.get(key)
    sums = [eq for eq in stepped if eq is not recursion]
    if recursion is None or len(sums) != 1 or not _running_sum(sums[0], letter):
        raise ReadingError(
            f"the recursion over the orders {letter} beside other equations at the orders is "
            "not generated yet",
            s.source,
            stepped[0].span if stepped else eqs[0].span,
            hint=f"write one sum over the orders of {key} ({key}^{{({letter})}} inside it)",
        )
    total = sums[0]
    assert isinstance(total.rhs, t.Add)
    body = total.rhs.right
    sizes = low.sizes = low.numeric_sizes()
    number = size_count(count).evaluate(sizes)
    if number is None or number < 1:
        raise DeclarationError(
            f"{letter} runs over {count} orders: that number needs a value",
            s.source,
            total.span,
            hint="give the size in dims (K=3)",
        )
    if number < len(firsts):
        raise DeclarationError(
            f"{letter} runs over {count} = {number} orders, fewer than the {len(firsts)} first "
            f"values of {key}",
            s.source,
            total.span,
            hint=f"give {count} at least {len(firsts)} in dims",
        )
    data_kinds = {"input", "target"}
    explicit = any(len(s.typed_shapes[k]) >= 2 for k, kind in s.kinds.items() if kind in data_kinds)
    per_order = set(s.per_step_params)
    params: list[Param] = []
    inputs: list[Input] = []
    for k, kind in s.kinds.items():
        if k not in s.typed_shapes or k in defined:
            continue
        shape = s.typed_shapes[k]
        span = read.first_span.get(k)
        if kind in data_kinds or kind == "constant":
            value = Value(k, shape, not explicit and kind != "constant", span)
            inputs.append(Input(k, shape, value, None if kind != "constant" else "once"))
            low.env[k] = value
        elif kind == "parameter":
            stacked = (size_count(count), *shape) if k in per_order else shape
            value = Value(k, stacked, False)
            fan_in = shape[-1] if len(shape) == 2 else None
            params.append(
                Param(k, stacked, value, fan_in, False, count if k in per_order else None)
            )
            low.env[k] = value
        elif kind not in ("state", "identity", "index", "step_label", "set"):
            raise ReadingError(
                f"{k} ({kind}) beside a recursion over orders is not generated yet",
                s.source,
                span or eqs[0].span,
            )
    series: dict[int, Value] = {}
    taken: dict[tuple[str, int], Value] = {}

    def at(order: int, span: Span) -> Value:
        """Z at an order: a first value as written, else from the orders before it."""
        if order in series:
            return series[order]
        if order in firsts:
            value = low.env[firsts[order]]
        elif order < first:
            raise ReadingError(
                f"{key} at the order {order}, before its first value {first}",
                s.source,
                span,
            )
        else:
            outer = low.orders.get(letter)
            low.orders[letter] = order
            try:
                value = low.term(recursion.rhs)
            finally:
                if outer is None:
                    low.orders.pop(letter, None)
                else:
                    low.orders[letter] = outer
            if low.ops and low.ops[-1].out is value:
                value = low.rename(value, f"{key}_{order}")
        series[order] = value
        return value

    def resolve(sym: t.Sym) -> Value | None:
        if sym.step != letter or letter not in low.orders:
            return None
        order = low.orders[letter] + sym.offset
        if sym.key == key:
            return at(order, sym.span)
        if sym.key in per_order and sym.offset == 0:
            if (sym.key, order) not in taken:
                taken[(sym.key, order)] = low.emit(
                    take_p, (low.env[sym.key],), low.shape(sym), sym.span, index=order - first
                )
            return taken[(sym.key, order)]
        return None

    low.series = resolve
    outputs: dict[str, Value] = {}
    # the sum after every value its orders may read (the first values: Z_order1, ...), and
    # before what reads the sum
    after = {total.lhs.key}
    for eq in low.order(eqs, defined):
        if any(isinstance(x, t.Sym) and x.key in after for x in t.walk(eq.rhs)):
            after.add(eq.lhs.key)
    ordered = low.order(eqs, defined)
    ordered = [eq for eq in ordered if eq.lhs.key not in after] + [
        eq for eq in ordered if eq.lhs.key in after
    ]
    for eq in ordered:
        low.eq_index = eqs.index(eq)
        if eq is recursion:
            continue  # computed where the sum reads it, order by order
        if eq is total:
            shape = low.shape(eq.lhs)

            def parts() -> Iterator[Value]:
                for m in range(number):
                    low.orders[letter] = first + m
                    yield low.term(body)
                low.orders.pop(letter, None)

            value = low.added(parts(), shape, eq.span)
        else:
            value = low.term(eq.rhs)
        if low.ops and low.ops[-1].out is value:
            value = low.rename(value, eq.lhs.key)
        else:
            value = low.emit(fn_p, (value,), value.shape, eq.span, eq.lhs.key, fn="identity")
        low.env[eq.lhs.key] = value
        outputs[eq.lhs.key] = value
    low.series = None
    return Program(
        equations=[" ".join(s.source.snippet(eq.span).split()) for eq in eqs],
        params=params,
        inputs=inputs,
        states=[],
        static_ops=[],
        step_ops=low.ops,
        outputs=outputs,
        step_index=None,
        explicit_batch=explicit,
        sizes=sizes,
        nonnegative=frozenset(read.adjacency),
    )


def _running_sum(eq: t.Equation, letter: str) -> bool:
    """``X'_k = X'_{k-1} + body``: the running sum the reader made of ``X' = \\sum_k body``."""
    rhs = eq.rhs
    return (
        eq.lhs.step == letter
        and isinstance(rhs, t.Add)
        and rhs.op == "+"
        and isinstance(rhs.left, t.Sym)
        and rhs.left.key == eq.lhs.key
        and rhs.left.offset == -1
    )
