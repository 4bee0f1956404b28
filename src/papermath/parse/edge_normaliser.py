r"""Notation rule ``edge-normaliser-said``: ``:math:`e_{j,i}` is the normalizer``, the prose
saying that a value written on an edge (two node indices) is a normaliser: one number per edge.

What people write (DGL's RelGraphConv docstring)::

    h_i^{(l+1)} = \sigma(\sum_{r\in\mathcal{R}}
    \sum_{j\in\mathcal{N}^r(i)}e_{j,i}W_r^{(l)}h_j^{(l)}+W_0^{(l)}h_i^{(l)})

    where ... :math:`e_{j,i}` is the normalizer.

How papermath reads it: a normaliser (a normalising constant, R-GCN's ``1/c_{i,r}``) divides or
scales: one number, here one per edge (its two indices). The words declare the symbol a scalar,
as "the edge weight" does (parse/prose.py): ``e_{j,i} W_r h_j`` is then the number times the
matrix-vector product, never a row vector e times W (the misread of issue 24: the normaliser
read as a vector and the product elementwise). Only for a symbol with two indices (an edge's,
``e_{j,i}``, ``c_{ij}``) and the words "is/denotes the/a normalizer" (normaliser, normalizing
or normalization constant, normalization factor); the reading quotes the words.

Examples that read: ``h'_i = \sum_{j \in \mathcal{N}(i)} e_{j,i} W h_j`` with
"where $e_{j,i}$ is the normalizer."
"""

from __future__ import annotations

import re

# "$e_{j,i}$ is the normalizer" (DGL's RelGraphConv), "$c_{ij}$ denotes a normalization constant"
SAID = re.compile(
    r"\$(?P<sym>\\?[A-Za-z]+_\{\s*[A-Za-z]\s*,?\s*[A-Za-z]\s*\})\$[ \t]+(?:is|denotes)[ \t]+"
    r"(?:the|an?)[ \t]+(?:(?:edge|scalar)[ \t]+)?(?P<size>normali[sz]er"
    r"|normali[sz](?:ing|ation)[ \t]+(?:constant|factor))\b",
    re.IGNORECASE,
)
