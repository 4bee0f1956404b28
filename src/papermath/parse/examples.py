r"""The examples a text gives in its prose, kept as data (not read as equations).

People illustrate their notation with numbers in inline math: the LSTM Q&A asker writes
``(for example, if $x_t=[1, 2, 3], h_{t-1}=[4, 5, 6]$, then $[x_t, h_{t-1}]=[1, 2, 3, 4, 5,
6]$)`` and ``(if $m=3$, and $n=3$ ..., then $w_f=3*3 $ matrix)``.
:func:`papermath.parse.prose.illustrations` blanks these so the parser never reads them as
equations of the model; this module reads the same spans as pairs ``LEFT = RIGHT``:

- ``x_t=[1, 2, 3]``: numbers in brackets, a vector the example gives a symbol;
- ``m=3``: one number (a size, where the equations use ``m`` as one);
- ``w_f=3*3``: a product of numbers, the size the example says a symbol has;
- ``[x_t, h_{t-1}]=[1, ..., 6]``: numbers for an expression (here a concatenation).

Nothing here is evaluated as code: the numbers are read with ``float`` from their digits.
What the pairs mean for a system (which symbol, which size) is :mod:`papermath.values`'s
:func:`~papermath.values.text_examples`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source import Span
from .prose import POWER_OF_TEN, illustrations

__all__ = ["ExamplePair", "example_pairs"]

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_DIMS = re.compile(r"^\d+(?:\s*(?:\*|×|\\times|x)\s*\d+)+$")
_DIM_SPLIT = re.compile(r"\s*(?:\*|×|\\times|x)\s*")
_TEN = re.compile(rf"^{POWER_OF_TEN}$")  # 10^{-6}, 1 \times 10^{-3}


@dataclass(frozen=True)
class ExamplePair:
    """One ``LEFT = RIGHT`` of an example, as written, with what its right side is."""

    left: str
    right: str
    span: Span  # the pair in the text
    numbers: tuple[float, ...] | None = None  # [1, 2, 3] or 3
    vector: bool = False  # written in brackets
    dims: tuple[int, ...] | None = None  # 3*3

    @property
    def line_text(self) -> str:
        return f"{self.left} = {self.right}"


def _top_level_commas(body: str) -> list[int]:
    depth = 0
    out = []
    for i, ch in enumerate(body):
        if ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(i)
    return out


def _pair(left: str, right: str, span: Span) -> ExamplePair:
    right = right.strip()
    if right.startswith("[") and right.endswith("]"):
        items = [x.strip() for x in re.split(r"[,;]", right[1:-1])]
        if items and all(_NUMBER.match(x) for x in items):
            return ExamplePair(left, right, span, tuple(float(x) for x in items), vector=True)
    elif _NUMBER.match(right):
        return ExamplePair(left, right, span, (float(right),))
    elif (ten := _TEN.match(right)) is not None:  # 10^{-6}: digits, read with float
        mantissa = float(ten.group(1)) if ten.group(1) else 1.0
        power = int(ten.group(2) or ten.group(3))
        return ExamplePair(left, right, span, (mantissa * 10.0**power,))
    elif _DIMS.match(right):
        dims = tuple(int(x) for x in _DIM_SPLIT.split(right))
        return ExamplePair(left, right, span, dims=dims)
    return ExamplePair(left, right, span)


def example_pairs(text: str) -> list[ExamplePair]:
    """Every ``LEFT = RIGHT`` of the inline examples of ``text``, in order."""
    found: list[ExamplePair] = []
    for start, end in illustrations(text):
        body_start = start + 1
        body = text[body_start : end - 1]
        cuts = [-1, *_top_level_commas(body), len(body)]
        pieces = [(cuts[i] + 1, cuts[i + 1]) for i in range(len(cuts) - 1)]
        # a piece with no '=' belongs to the pair before it
        merged: list[list[int]] = []
        for a, b in pieces:
            if "=" in body[a:b] or not merged:
                merged.append([a, b])
            else:
                merged[-1][1] = b
        for a, b in merged:
            piece = body[a:b]
            if "=" not in piece:
                continue
            left, right = piece.split("=", 1)
            lead = len(piece) - len(piece.lstrip())
            tail = len(piece.rstrip())
            span = Span(body_start + a + lead, body_start + a + tail)
            if left.strip():
                found.append(_pair(left.strip(), right, span))
    return found
