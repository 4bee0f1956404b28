r"""Notation rule ``paren-array``: a matrix written as an ``array`` inside ``\left( ... \right)``
(or ``\left[ ... \right]``), the way LaTeX wrote matrices before amsmath's ``pmatrix``.

What people write (Distill's "Why Momentum Really Works", the Vandermonde matrix of polynomial
regression; old course notes)::

    Z=\left(\begin{array}{ccccc}
    1 & \xi_{1} & \xi_{1}^{2} & \ldots & \xi_{1}^{n-1}\\
    ...
    \end{array}\right).

How papermath reads it: as the matrix it typesets, ``\begin{pmatrix} ... \end{pmatrix}``
(``\begin{bmatrix}`` inside square brackets): the column specification (``{ccccc}``) only
aligns the columns. Rewritten in place, keeping the text's length (parse/normalize.py never
moves a character): ``\left(\begin{array}{ccccc}`` becomes ``\begin{pmatrix}`` and spaces,
``\end{array}\right)`` becomes ``\end{pmatrix}`` and spaces. The matrix is then read as any
written matrix is: its entries in full; rows left out with ``\vdots`` are refused there, with
the matrix's name (``matrix-dots``). Before this rule the ``array`` was taken for an
environment of equations, and the refusal ("unexpected the end of the line") stood on the
``\begin{array}``. An ``array`` not directly inside ``\left(`` or ``\left[`` stays an
environment of equations.

Example (reads): ``A = \left(\begin{array}{cc} a & b \\ c & d \end{array}\right)``, the
matrix of the four scalars, as ``A = \begin{pmatrix} a & b \\ c & d \end{pmatrix}``.
"""

from __future__ import annotations

import re

RULE = "paren-array"

__all__ = ["RULE", "rewrite"]

_OPEN = re.compile(
    r"\\left\s*(?P<bracket>\(|\[)\s*\\begin\s*\{array\}\s*(?:\{[^{}\n]*\})?", re.MULTILINE
)
_CLOSE = re.compile(r"\\end\s*\{array\}\s*\\right\s*(?P<bracket>\)|\])")
_KIND = {"(": "pmatrix", "[": "bmatrix"}
_CLOSER = {"(": ")", "[": "]"}


def _fits(out: list[str], start: int, end: int, written: str) -> bool:
    return end - start >= len(written) and "\n" not in "".join(out[start : start + len(written)])


def _put(out: list[str], start: int, end: int, written: str) -> None:
    """``written`` at ``start``, the rest of ``start:end`` blanked (newlines kept)."""
    out[start : start + len(written)] = list(written)
    for k in range(start + len(written), end):
        if out[k] != "\n":
            out[k] = " "


def rewrite(text: str, out: list[str]) -> None:
    r"""Each ``\left(\begin{array}...\end{array}\right)`` in ``out`` as a ``pmatrix``.

    >>> out = list(r"A = \left(\begin{array}{cc} a & b \\ c & d \end{array}\right)")
    >>> rewrite("".join(out), out)
    >>> "".join(out).split()
    ['A', '=', '\\begin{pmatrix}', 'a', '&', 'b', '\\\\', 'c', '&', 'd', '\\end{pmatrix}']
    """
    for m in _OPEN.finditer(text):
        close = _CLOSE.search(text, m.end())
        if close is None or close.group("bracket") != _CLOSER[m.group("bracket")]:
            continue
        if "\\begin" in text[m.end() : close.start()]:
            continue  # a nested environment: not the form this rule knows
        kind = _KIND[m.group("bracket")]
        opening, closing = f"\\begin{{{kind}}}", f"\\end{{{kind}}}"
        if _fits(out, m.start(), m.end(), opening) and _fits(
            out, close.start(), close.end(), closing
        ):
            _put(out, m.start(), m.end(), opening)
            _put(out, close.start(), close.end(), closing)
