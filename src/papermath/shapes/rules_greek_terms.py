r"""Notation rule ``greek-constant-terms``: arithmetic of constant Greek letters and numbers
(``\delta^2``, ``0.5 \delta^2``, ``\lambda \mu``) beside a value in a sum is a number, as one
such letter is (``x - \mu``: the rule ``greek-scalar`` of shapes/infer.py).

What people write (Keras' Huber docstring, as code)::

    loss.append(delta * abs(x) - 0.5 * delta^2)

How papermath reads it: a lowercase Greek letter that no equation defines and nothing
indexes is by convention a number (a rate, a margin, a small constant); powers, products,
quotients and sums of such letters and numbers are numbers too, so beside a value of
another shape in a sum they broadcast, and never take the value's shape (which would make
``\delta`` a vector of the entries' size). The readings say it where it decides a shape.

Example (reads: delta a scalar, error a vector):

    ```python
    loss = mean(abs(error) - 0.5 * delta**2, axis=-1)
    ```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..letters import GREEK_LOWER, LEARNED_GREEK
from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference

_ARITHMETIC = (t.Const, t.Sym, t.Power, t.Product, t.Div, t.Add, t.Neg)


def greek_constants(inf: Inference, term: t.Term) -> bool:
    """Whether ``term`` (not one symbol alone) is arithmetic of numbers and constant
    lowercase Greek letters (no equation defines them, none is sampled, nothing indexes them,
    none has a shape other than a number's), with one letter at least."""

    if isinstance(term, t.Sym):
        return False
    letters = 0
    for x in t.walk(term):
        if not isinstance(x, _ARITHMETIC):
            return False
        if isinstance(x, t.Sym):
            indexed = x.step or x.node or x.offset or x.step_label or x.example or x.edge
            letter = x.key.split("_")[0]
            if indexed or x.head or letter not in GREEK_LOWER or letter in LEARNED_GREEK:
                return False
            if any(eq.lhs.key == x.key for eq in inf.read.equations):
                return False
            if x.key in inf.read.sampled or inf.rank(x) not in (None, 0):
                return False  # \epsilon \sim N(0, I), a declared vector: not by its letter
            letters += 1
    return letters > 0
