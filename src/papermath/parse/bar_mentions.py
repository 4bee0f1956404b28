r"""Notation rule ``presentation.bar-mention``: the bars of concatenation named alone in prose.

What people write: prose that names the operator it uses in its equations, with the operator
alone between dollars: "The operator $||$ represents the concatenation" (a GAT tutorial, after
``\mathbf{a}\left[\mathbf{W}h_i||\mathbf{W}h_j\right]``), also ``$\|$``, ``$\Vert$``,
``$\parallel$``.

How papermath reads it: a mention, not an expression (as ``$\odot$`` alone is, in
:mod:`papermath.parse.normalize`): blanked before parsing, with its dollars (the text keeps its
length). The bars where the equations use them are read by their own rule (between two values
inside brackets they concatenate: :mod:`papermath.parse.bars`); the mention changes nothing.

Real example (UvA DL course, tutorial 7, GNN overview): ``$$\alpha_{ij} = \frac{\exp\left(
\text{LeakyReLU}\left(\mathbf{a}\left[\mathbf{W}h_i||\mathbf{W}h_j\right]\right)\right)}{...}$$``
then "The operator $||$ represents the concatenation".

>>> out = list("The operator $||$ joins")
>>> blank("The operator $||$ joins", out)
>>> "".join(out)
'The operator      joins'
"""

from __future__ import annotations

import re

__all__ = ["blank"]

_ALONE = re.compile(
    r"(?<![\\$])\$\s*(?:\|\||\\\||\\Vert|\\parallel|\\mathbin\{\s*\|\|\s*\})\s*\$(?!\$)"
)


def blank(text: str, out: list[str]) -> None:
    """Blank each ``$||$`` (the bars alone in inline math) in ``out`` (same length)."""
    for m in _ALONE.finditer(text):
        for k in range(m.start(), m.end()):
            if out[k] != "\n":
                out[k] = " "
