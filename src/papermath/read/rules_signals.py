r"""Notation rule ``undeclared-input-beside-declared-state``: where the source declares its
state's size (``x_k \in \mathbb{R}^N``) but not the size of the input that drives it through a
matrix (``x_k = \overline{A} x_{k-1} + \overline{B} u_k``, the discrete state-space model of
the Annotated S4), the input is not read as a vector by convention. Only in this notation
(the matrix B, the input u of a state-space model): an RNN's ``U x_t`` beside a declared
``h_t`` keeps the convention (x a vector of features).

A source that writes no sizes at all leaves every undeclared input to the convention (a vector
of its own size, the matrix before it a matrix): that is how RNN docstrings are read
(``h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})``). A source that declares the
state's size and is silent on the input's has said what it means elsewhere, and both readings
are common: a scalar sample per step (a 1-D signal, as in S4 and the state-space models after
it: then \overline{B} is a column of N entries and y_k a scalar) or a vector of m features
(\overline{B} an N x m matrix). papermath does not guess: the input is refused at its first use,
with the declaration that settles it as the hint. Declared, it reads.

Refused (the input has no size in the source)::

    $x_k \in \mathbb{R}^N$ the hidden state.
    $$x_{k} = \overline{A} x_{k-1} + \overline{B} u_k$$

Read (the input declared, a scalar sample)::

    $x_k \in \mathbb{R}^N$, $u_k \in \mathbb{R}$.
    $$x_{k} = \overline{A} x_{k-1} + \overline{B} u_k$$
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

_MATRIX_PRODUCTS = ("juxt", "cdot")
# the notation of state-space models, x_k = A x_{k-1} + B u_k, where the input u is as often
# one sample of a signal as a vector: the only notation this rule refuses
STATE_SPACE = ("B", "u")


def _capital(key: str) -> bool:
    return key[:1].isupper()


def undeclared_input(reader: Reader) -> None:
    """Refuse the first undeclared input that a matrix drives into a declared state."""
    declared = {d.key for d in reader.out.declarations}
    defined = {eq.lhs.key for eq in reader.out.equations}
    states = {
        eq.lhs.key
        for eq in reader.out.equations
        for x in t.walk(eq.rhs)
        if isinstance(x, t.Sym) and x.key == eq.lhs.key and x.offset < 0
    }
    declared_states = states & declared
    if not declared_states:
        return
    for eq in reader.out.equations:
        if eq.lhs.key not in declared_states:
            continue
        for x in t.walk(eq.rhs):
            if not (isinstance(x, t.Product) and x.written in _MATRIX_PRODUCTS):
                continue
            left, right = x.left, x.right
            if not (isinstance(left, t.Sym) and isinstance(right, t.Sym)):
                continue
            if not _capital(left.key) or left.key in declared | defined:
                continue
            if (left.key.split("_")[0], right.key.split("_")[0]) != STATE_SPACE:
                continue  # W x_t in an RNN: the input is a vector of features by convention
            if right.step is None or right.offset != 0 or _capital(right.key):
                continue
            if right.key in declared | defined | reader.size_names:
                continue
            if right.key in reader.out.role_inputs or right.key in reader.out.sampled:
                continue
            written = reader.source.snippet(right.span)
            state = reader.source.snippet(eq.lhs.span)
            matrix = reader.source.snippet(left.span)
            raise reader.error(
                f"{written} has no size in the source, while the state {state} it drives is "
                f"declared: {written} is a scalar sample per step (a 1-D signal, {matrix} a "
                f"column) or a vector of features ({matrix} a matrix); papermath does not "
                "guess which",
                right.span,
                hint=f"declare it: {written} \\in \\mathbb{{R}} for a scalar sample, "
                f"{written} \\in \\mathbb{{R}}^{{m}} for a vector of m features",
            )
