r"""Notation rule ``matrix-dots`` (a refusal): a named matrix written in part, its rows and
columns left out with ``\vdots``, ``\ddots`` (and ``\ldots`` along a row).

What people write (Distill's "Why Momentum Really Works": the Vandermonde matrix of polynomial
regression, m data points by n monomials)::

    Z=\left(\begin{array}{ccccc}
    1 & \xi_{1} & \xi_{1}^{2} & \ldots & \xi_{1}^{n-1}\\
    \vdots & \vdots & \vdots & \ddots & \vdots\\
    1 & \xi_{m} & \xi_{m}^{2} & \ldots & \xi_{m}^{n-1}
    \end{array}\right)

How papermath reads it: not. The dots stand for rows and columns the reader fills in by the
pattern of the ones written (here Z_{ij} = \xi_i^{j-1}: m rows, n columns); papermath reads a
matrix written in full and does not guess an entry's formula or the matrix's size from dots.
It refuses at the first ``\vdots`` (or ``\ddots``) with the matrix's name, and the hint says
what reads instead: the matrix's size declared (``Z \in \mathbb{R}^{m \times n}``, the rows
and columns the dots stand for), Z given as an input. A one-column stack
``[h_1; \vdots; h_h]`` is read (``vdots-family-column``); dots in a matrix with no name to its
left keep the general refusal (``layout.NOT_READ``).

Example (refused at the ``\vdots``, naming Z):
``Z = \begin{pmatrix} 1 & \xi_1 \\ \vdots & \vdots \\ 1 & \xi_m \end{pmatrix}``.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

RULE = "matrix-dots"

__all__ = ["RULE", "refusal"]

# `Z = \begin{pmatrix}`, `\mathbf{Z} = \left(\begin{array}{cc}` (rewritten to a pmatrix by
# parse/paren_arrays.py, spaces kept): the name left of the matrix that holds the dots
_OPENED = re.compile(
    r"(?P<name>\\[A-Za-z]+\s*\{\s*[A-Za-z]\s*\}|[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)\s*&?=\s*"
    r"\\begin\s*\{[bpvBV]?matrix\*?\}"
)


_CLOSED = re.compile(r"\\end\s*\{[bpvBV]?matrix\*?\}")
# what may follow the matrix that is the whole right side: an end of the equation
_ALONE = re.compile(r"\s*(?:\\right\s*[)\]]\s*)?[.,;]?\s*(?:$|\$|\\\\|\\end|\\\]|<|\n)")


def refusal(name: str, span: Span, text: str) -> ParseError | None:
    r"""The refusal of ``\vdots`` (``\ddots``) at ``span`` inside a matrix ``Z = \begin{..}``
    (see the module); None where the matrix has no name."""
    if name not in ("vdots", "ddots"):
        return None
    begin = text.rfind("\\begin", 0, span.start)
    if begin < 0 or "\\end" in text[begin : span.start]:
        return None
    m = None
    for found in _OPENED.finditer(text, max(0, begin - 80), begin + 40):
        m = found  # the last: the one whose \begin is the matrix's
    if m is None or not m.start() < begin < m.end():
        return None
    close = _CLOSED.search(text, span.end)
    if close is None or not _ALONE.match(text, close.end()):
        return None  # y = [..] x: the matrix is a factor, not the named value
    written = re.sub(r"\s+", "", m.group("name"))
    return ParseError(
        f"{written} is a matrix written in part: \\{name} stands for rows left out (and "
        "columns), which a reader fills in by the pattern of the entries written; papermath "
        f"reads a matrix written in full and does not guess {written}'s entries or its size "
        "from dots",
        span=span,
        hint=f"declare its size instead, {written} \\in \\mathbb{{R}}^{{m \\times n}} with the "
        "numbers of rows and columns the dots stand for, and give it as an input",
    )
