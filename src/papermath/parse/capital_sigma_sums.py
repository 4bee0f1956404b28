r"""Notation rule ``capital-sigma-sum``: the capital letter ``\Sigma`` typed as the summation
sign, with a subscript that binds a letter to a set, ``\Sigma_{j \in N_{i}}``, as DGL's
GatedGCNConv docstring writes it:

    norm_{ij}=\Sigma_{j\in N_{i}} \sigma\left(e_{ij}^{l+1}\right)+\varepsilon
    h_{i}^{l+1}=A^l h_{i}^{l}+\Sigma_{j \in N_{i}} \hat{e}_{ij}^{l+1} \odot B^l h_{j}^{l}

How papermath reads it: as ``\sum_{j \in N_{i}}``, the sum over the members j of the set. A
subscript ``j \in S`` binds j to the members of S: it is the range of a big operator, never a
label of a letter (a covariance ``\Sigma_x`` or ``\Sigma_{xy}`` names no set), and ``\Sigma``
is the letter the summation sign is drawn from. Rewritten in place (``\sum`` then two spaces;
parse/normalize.py never moves a character); the reader notes it (:func:`readings`). Only
where the subscript is one letter ``\in`` a set and a value follows (not ``=``, a relation, a
closing bracket or the end); ``\Sigma`` anywhere else stays the letter.

Example that reads (a sum over the neighbours of i)::

    h_i' = \Sigma_{j \in \mathcal{N}(i)} W h_j
"""

from __future__ import annotations

import re

from ..source import Span

__all__ = ["readings", "rewrite"]

RULE = "capital-sigma-sum"

# \Sigma_{j \in ...} then a value: the subscript a binder, braced, one level of braces inside
_SIGMA = re.compile(
    r"\\Sigma(?![A-Za-z])\s*_\s*\{\s*[A-Za-z]\s*\\in(?![A-Za-z])(?:[^{}]|\{[^{}]*\})+\}"
    r"(?=\s*(?:\\left|\\big|\\Big|[A-Za-z\\({\[]))(?!\s*\\(?:in|to|right|end)(?![A-Za-z]))"
)


def rewrite(text: str, out: list[str]) -> None:
    """``\\Sigma_{j \\in S} x`` -> ``\\sum  _{j \\in S} x`` in ``out`` (same length).

    >>> out = list(r"h = \\Sigma_{j \\in N_{i}} W h_j")
    >>> rewrite("".join(out), out)
    >>> "".join(out)
    'h = \\\\sum  _{j \\\\in N_{i}} W h_j'
    """
    for m in _SIGMA.finditer(text):
        start = m.start()
        out[start : start + 6] = list("\\sum  ")


def readings(text: str) -> list[tuple[Span, str, str]]:
    """(span, reading, why) for each ``\\Sigma`` read as the summation sign."""
    found = []
    for m in _SIGMA.finditer(text):
        sub = " ".join(text[m.start() + 6 : m.end()].split()).lstrip("_ ")
        found.append(
            (
                Span(m.start(), m.start() + 6),
                f"\\Sigma as the summation sign ({RULE})",
                f"\\Sigma_{sub}: the subscript binds a letter to a set, the range of a sum "
                "(never a label of a letter): read as \\sum",
            )
        )
    return found
