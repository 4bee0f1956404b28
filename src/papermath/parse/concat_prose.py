r"""Notation rule ``concatenated-blocks``: prose that says a weight of the equations is several
matrices concatenated into one, so its first axis is a multiple of the parts' size: refused
with the caret on the words, never read at a free size.

What people write (the Theano LSTM tutorial's implementation note, ``doc/lstm.txt`` of
lisa-lab's DeepLearningTutorials)::

    It is achieved by concatenating the four matrices :math:`W_*` into a single weight matrix
    :math:`W` and performing the same concatenation on the weight matrices :math:`U_*` to
    produce the matrix :math:`U` and the bias vectors :math:`b_*` to produce the vector
    :math:`b`. Then, the pre-nonlinearity activations can be computed with:

        z = W x_t + U h_{t-1} + b

    The result is then sliced to obtain the pre-nonlinearity activations for :math:`i`,
    :math:`f`, :math:`\widetilde{C_t}`, and :math:`o` ...

The equation alone reads z at a free size; the prose says W stacks four blocks, one per gate,
so z has four times a gate's size (4H, each gate of H units): another model than a free size,
and one papermath does not read from prose (the gates' size is in equations the cut does not
hold).

How papermath reads it: it refuses, the caret on ``concatenating the four matrices``, where
the prose says "concatenat..." of a number of matrices or vectors (a number word or digits)
"into" a matrix or vector written as a symbol (``:math:`W``` or ``$W$``) that the equations
write and no declaration shapes. The hint says to declare the concatenated weight with its
blocks, ``W \in \mathbb{R}^{4H \times D}`` (H the size of one block), which then reads.
Concatenation written in the math (``[h; x]``, ``\Vert``) is other rules' and untouched.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

__all__ = ["refusal"]

_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_CONCAT = re.compile(
    r"(?P<words>concatenat\w*\s+(?:the\s+)?(?P<n>two|three|four|five|six|seven|eight|\d+)\s+"
    r"(?:[a-z-]+\s+)?(?:matrices|vectors))"
    r"(?:\s*(?::math:`[^`\n]*`|\$[^$\n]*\$))?\s+into\s+(?:an?\s+)?(?:[a-z-]+\s+){0,3}?"
    r"(?:matrix|vector)\s+(?::math:`(?P<sym>[^`\n]+)`|\$(?P<sym2>[^$\n]+)\$)",
    re.IGNORECASE,
)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def refusal(text: str, statements: list[ast.Statement]) -> ParseError | None:
    """The refusal for the first concatenation the prose says (module docstring), or None."""
    written = {
        _squeeze(text[n.span.start : n.span.end])
        for n in ast.walk(statements)
        if isinstance(n, ast.Letter)
    }
    declared = {
        _squeeze(text[tg.span.start : tg.span.end])
        for s in statements
        if isinstance(s, ast.Declaration)
        for tg in s.targets
    }
    for m in _CONCAT.finditer(text):
        symbol = (m.group("sym") or m.group("sym2") or "").strip()
        if _squeeze(symbol) not in written or _squeeze(symbol) in declared:
            continue
        n = _NUMBERS.get(m.group("n").lower()) or int(m.group("n"))
        line = text.count("\n", 0, m.start()) + 1
        return ParseError(
            f"the prose says {symbol} is {n} matrices or vectors concatenated into one (line "
            f"{line}): its first axis is {n} times the size of one part, which papermath does "
            "not read from prose, and the equations alone leave it free",
            span=Span(m.start("words"), m.end("words")),
            hint=f"declare {symbol} beside the equations with its {n} blocks, e.g. {symbol} "
            f"\\in \\mathbb{{R}}^{{{n}H \\times D}} (H the size of one block, D its input's)",
        )
    return None
