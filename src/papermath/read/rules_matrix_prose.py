r"""Notation rule ``matrix-said``: the prose calls a symbol a matrix, "$w$ is the weight
matrix", "*W* is a matrix of weights", and an equation writes it before a vector with nothing
between (``f(x) = wx + b``).

What people write (Microsoft's AI-for-Beginners, a perceptron's linear model in markdown
italics): ``*f(x)=wx+b* (here *w* is the weight matrix, *x* is the vector of input features,
and *b* is bias vector)``. A lowercase ``w`` is by convention a vector, so ``wx`` fits a
Hadamard product, a scaling, a matrix product or a row times a matrix, and papermath refuses
it. The prose decides: w is a matrix, so ``w x`` is its product with x.

How papermath reads it: a symbol written alone in inline math (``$w$``, ``*w*``, ``$W_f$``)
followed by "is" or "denotes" and "the"/"a"/"an", up to three words, then "matrix" (not
"matrices of", not "a row of the matrix"), is said to be a matrix; where it stands first in a
product whose reading is open and the matrix product is one of the readings that fit, that is
the reading, and the readings quote the prose. Nothing else changes: the matrix's sizes are
the equations' (free where nothing declares them), and a declaration or a shape that rules
the matrix product out wins.

Example (reads: w a matrix, x a vector)::

    $f(x) = wx + b$ (here $w$ is the weight matrix, $x$ is the vector of input features)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import prose_sizes
from .rules_prose_roles import keys_written

if TYPE_CHECKING:
    from .reader import Reader

RULE = "matrix-said"

__all__ = ["RULE", "scan"]

_SAID = re.compile(
    r"(?P<open>\$|\*)(?P<sym>[^$*\n]{1,40}?)(?P=open)\s+(?:is|denotes)\s+(?:the|a|an)\s+"
    r"(?P<words>(?:[A-Za-z-]+\s+){0,3}?)matrix\b(?!\s+of\b)",
    re.IGNORECASE,
)


def scan(reader: Reader) -> None:
    """Record, for each symbol the prose calls a matrix, the words that say so."""
    for m in _SAID.finditer(reader.source.text):
        keys = keys_written(reader, m.group("sym"))
        if len(keys) != 1:
            continue  # not a symbol of the equations, or more than one: nothing said
        reader.out.matrix_words.setdefault(keys[0], " ".join(m.group(0).split()))
    # the same said in plain prose, bare letters: "W is the weight matrix", "the weight matrix
    # W" (the grammar of parse/prose_sizes.py, rule prose-sizes)
    for said in prose_sizes.scan(reader.source.text):
        keys = keys_written(reader, said.sym)
        if len(keys) == 1:
            words = reader.out.matrix_words if said.rank == 2 else reader.out.vector_words
            words.setdefault(keys[0], said.words)
