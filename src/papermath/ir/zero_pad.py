"""Lowering of ``x_i \\| \\mathbf{0}`` as a state's first value (read/rules_zero_pad.py): the
value concatenated with a block of zeros (``zeros``, ops/matrix.py) as wide as the state is
beyond it. A block that would be negative (the input wider than the state: PyG's docstring,
"the number of input channels ... needs to be less or equal than out_channels") is refused at
the construct, with the sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..read import terms as t
from . import prims

if TYPE_CHECKING:
    from ..shapes.sizes import Size
    from ..source import Span
    from ..system import System
    from .lower import Lowering
    from .program import Value


def padded(low: Lowering, body: Value, shape: tuple[Size, ...], span: Span) -> Value:
    """``body`` padded with zeros to ``shape`` (one axis)."""
    width = shape[0] - body.shape[0]
    known = width.evaluate(low.numeric_sizes())
    if (width.is_const and width.constant == 0) or known == 0:
        return body
    if known is not None and known < 0:
        sizes = low.numeric_sizes()
        state, value = shape[0], body.shape[0]
        raise ReadingError(
            f"the state is {state.text()} = {state.evaluate(sizes)} wide and the value padded "
            f"with zeros to it is {value.text()} = {value.evaluate(sizes)} wide: the block of "
            f"zeros would have {known} entries (the padded value must be no wider than the "
            "state)",
            low.system.source,
            span,
            hint=f"give {body.shape[0].text()} a size no larger than {shape[0].text()}'s",
        )
    zeros = low.emit(prims.zeros_p, (), (width,), span)
    return low.emit(prims.concat_p, (body, zeros), shape, span)


def widen(system: System, dims: dict[str, int], free: list[str]) -> None:
    """Default numbers (check.default_dims) that leave a zero block at least one wide: a state
    padded from a value at least as wide gets the value's width plus one, where its size is
    one of the ``free`` names given no number by the user."""
    for eq in system.equations:
        for x in t.walk(eq.rhs):
            if not isinstance(x, t.Padded):
                continue
            (state,), (body,) = system.typed_shape_of(x), system.typed_shape_of(x.body)
            want, have = body.evaluate(dims), state.evaluate(dims)
            name = state.names[0] if len(state.names) == 1 else None
            if want is None or have is None or name is None or name not in free:
                continue
            if have <= want and state.coeffs().get(name) == 1:
                dims[name] += want + 1 - have
