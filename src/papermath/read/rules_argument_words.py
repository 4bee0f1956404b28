r"""Notation rule ``argument-words``: the prose says a symbol is one of the arrays a function is
given (a piece the input array is split into, the previous cell state passed in): that symbol
is data (an input), never a learned weight, though nothing in the equations defines it.

What people write (Chainer's ``lstm`` and ``slstm`` docstrings, functions with no
parameters)::

    Let the previous cell state ``c_prev`` and the input array ``x``.
    First, the input array ``x`` is split into four arrays :math:`a, i, f, o` of the same
    shapes along the second axis.

    It gets four arguments, previous cell states ``c_prev1`` and ``c_prev2``, and input
    arrays ``x1`` and ``x2``. First both input arrays ``x1`` and ``x2`` are split into eight
    arrays :math:`a_1, i_1, f_1, o_1`, and :math:`a_2, i_2, f_2, o_2`.

How papermath reads it: every symbol listed in the inline math right after "split into ...
arrays", in a sentence about the input array(s), and every ````name```` the sentence calls
a previous (cell) state, is an input, as a ``% inputs:`` line would say; the readings quote
the words. Without such words a symbol that nothing defines keeps its default (a learned
parameter, where it is added or multiplied as weights are). A weight letter (W, b,
\theta) and a symbol a directive names are never read so.

Example that reads: ``c = \tanh(a) \sigma(i)`` after "the input array ``x`` is split into two
arrays :math:`a, i`": a and i are inputs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader

RULE = "argument-words"

WEIGHTS = frozenset({"W", "w", "b", "theta", "Theta"})
# "the input array ``x`` is split into four arrays :math:`a, i, f, o`" (to the sentence's end)
SPLIT = re.compile(r"\binput\s+arrays?\b[^.]*?\bsplit\s+into\b[^.]*?\barrays?\b([^.]*)", re.S)
MATH = re.compile(r":math:`([^`]*)`|\$([^$]*)\$")
# "the previous cell state ``c_prev``", "previous cell states ``c_prev1`` and ``c_prev2``"
PREVIOUS = re.compile(
    r"\bprevious\s+(?:cell\s+|hidden\s+)?states?\s+((?:``[^`]+``(?:,\s*|\s+and\s+)?)+)"
)
NAME = re.compile(r"``([^`]+)``")


def _key(text: str) -> str:
    """A listed symbol's key as the reader writes it: ``a_1`` -> a_1, ``i_{2}`` -> i_2."""
    return re.sub(r"[{}\s\\]", "", text.strip())


def argument_words(reader: Reader) -> None:
    """Mark as inputs the symbols the prose calls pieces of the input or previous states."""
    text = reader.source.text
    found: list[tuple[str, str, Span]] = []
    for m in SPLIT.finditer(text):
        at = Span(m.start(), m.end())
        for math in MATH.finditer(m.group(1)):
            inner = math.group(1) if math.group(1) is not None else math.group(2)
            found += [
                (_key(x), "a piece the input array is split into", at) for x in inner.split(",")
            ]
    for m in PREVIOUS.finditer(text):
        at = Span(m.start(), m.end())
        found += [(_key(x), "a previous state, given", at) for x in NAME.findall(m.group(1))]
    used = reader.out.first_span  # the symbols the equations write
    for key, why, at in found:
        if (
            not key
            or key not in used
            or key in reader.defined_keys
            or key in reader.out.directives
            or key.split("_")[0] in WEIGHTS
            or key in reader.out.role_inputs
        ):
            continue
        reader.out.role_inputs[key] = f"{why}, as the prose says"
        reader.note(
            at,
            f"input ({why}, named in the prose)",
            f"the prose says {key} is {why}: data the function is given, not a learned weight "
            f"(another reading: `% papermath: {key} is parameter`)",
        )
