r"""Notation rule ``input-axes-in-prose``: the prose gives the input's shape by the letters of
its axes and says what each letter is (MLX's normalisation layers):

    y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \gamma + \beta,

    The input shape is specified as ``NC`` or ``NLC``, where ``N`` is the batch, ``C`` is
    the number of features or channels, and ``L`` is the sequence length.

How papermath reads it: "the input" of a formula that normalises a value by its statistics is
that value, the one symbol the display's ``E[x]`` and ``Var[x]`` are of; its shape is the first
letters the prose gives (``NC``: the batch N by the features C), each letter a size, read as
``x \in \mathbb{R}^{N \times C}``, and the readings quote the words. The other shapes the
prose lists (``NLC``, ``NHWC``) put more axes between the batch and the features: the formula
is the same, and every shape it gives (the output, the scale and shift per feature) is the
same, so the first is read. Read only where every letter of that shape is one the prose says
(````N`` is ...``), one of them the batch, and the display's statistics are of one symbol;
else the letters stay a refusal (read/rules_norm_axis.py). Which axis the statistics run over
the prose does not say (the batch: batch norm; the features: layer norm): read for shapes,
code refused at the statistic (read/rules_norm_axis.py).

Example that reads (a whole source)::

    y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \gamma

    where :math:`\gamma` is a learned per feature dimension parameter.
    The input shape is specified as ``NC``, where ``N`` is the batch and ``C`` is the number
    of features.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..source import Span
from . import ast

__all__ = ["batch_sizes", "read"]

RULE = "input-axes-in-prose"

_SHAPE = re.compile(
    r"input\s+shape\s+is\s+(?:specified\s+as\s+|given\s+as\s+)?``(?P<size>[A-Za-z]{2,4})``",
    re.IGNORECASE,
)
_LETTER_SAID = re.compile(r"``(?P<name>[A-Za-z])``\s+is\s+the\s+(?P<what>[A-Za-z][A-Za-z ]*)")
_BATCH = re.compile(r"(?:mini-?)?batch\b", re.IGNORECASE)
# the value a display's statistic is of: E[x], \mathbb{E}[x], Var[x], \mathrm{Var}(x)
_STAT = re.compile(
    r"(?:\\mathbb\{E\}|\\mathrm\{E\}|\\operatorname\{E\}|(?<![A-Za-z\\])E"
    r"|\\mathrm\{Var\}|\\text\{Var\}|\\operatorname\{Var\}|(?<![A-Za-z\\])Var)"
    r"\}?\s*[\[(]\s*(?P<x>[A-Za-z])\s*[\])]"  # \underset{C}{\mathbb{E}}[x]: the brace
)


# "$B$ is the batch size", "``N`` is the batch", ":math:`m` is the mini-batch size"
_BATCH_SAID = re.compile(
    r"(?:\$|``|:math:`)\s*(?P<name>[A-Za-z])\s*(?:\$|``|`)\s+is\s+the\s+"
    r"(?:mini-?)?batch(?:\s+size)?\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def batch_sizes(text: str) -> frozenset[str]:
    """The one-letter sizes the prose says are the batch (``$B$ is the batch size``; used by
    shapes/rules_batch_rows.py and read/rules_norm_axis.py)."""
    return frozenset(m.group("name") for m in _BATCH_SAID.finditer(text))


def read(
    text: str, regions: tuple[tuple[str, bool], ...], written: set[str]
) -> tuple[list[ast.Declaration], list[tuple[int, int]]]:
    """The declaration of the input the prose shapes by its axes' letters (see the module), and
    the span of the words read; nothing where the rule does not apply."""
    from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

    m = _SHAPE.search(text)
    if m is None:
        return [], []
    letters = list(m.group("size"))
    said = {s.group("name"): " ".join(s.group("what").split()) for s in _LETTER_SAID.finditer(text)}
    if len(set(letters)) != len(letters) or not all(a in said for a in letters):
        return [], []
    if not any(_BATCH.match(said[a]) for a in letters):
        return [], []
    displays = " ".join(body for body, mixed in regions if not mixed)
    of = {s.group("x") for s in _STAT.finditer(displays)}
    if len(of) != 1:
        return [], []
    x = of.pop()
    if x not in written or x in letters:
        return [], []
    words = WordSpans(m.span("size"), m.span("size"))  # both onto the letters (NC)
    moved = declaration_on_words(x, " \\times ".join(letters), words)
    if moved is None:
        return [], []
    which = "; ".join(f"{a} is the {said[a]}" for a in letters)
    note = (
        f"said in words: the input's shape, ``{m.group('size')}`` ({which}), read as "
        f"{x} \\in R^{{{' x '.join(letters)}}}: the input is {x}, the value the display's "
        "statistics are of; the other shapes the prose lists put more axes between the batch "
        f"and the features, and give every symbol the same shape ({RULE})"
    )
    span = Span(m.start(), m.end())
    return [ProseDeclaration(span, moved.targets, moved.space, said=note)], [m.span()]
