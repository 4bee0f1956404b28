r"""Notation rule ``vdots-family-column``: a one-column matrix whose rows are the first member of a
family, a column of dots and the last member, ``\begin{bmatrix}\mathbf h_1\\\vdots\\\mathbf
h_h\end{bmatrix}`` (d2l 11.5, "the concatenation of the h heads"), is the family stacked: the
same value as ``[\mathbf h_1; \dots; \mathbf h_h]`` and ``\mathrm{Concat}(h_1, \dots, h_h)``.

How papermath reads it: before parsing, the column is rewritten in place (every position kept,
so carets stay where they were) to the bracket form ``[h_1; \dots; h_h]``, which
:mod:`papermath.read.rules_family_brackets` reads: the first member written with the number 1,
the last with a letter (the count), an equation ``h_i = ...`` defining the family (refused at
the brackets where none does). Only a ``bmatrix``, ``pmatrix`` or ``matrix`` of exactly three
rows, one column, the middle one ``\vdots`` alone, is rewritten; any other ``\vdots`` (rows of
a matrix written in part, a column of dots beside others) stays refused as rows left out.

Example that reads: ``y = W \begin{bmatrix}h_1\\\vdots\\h_h\end{bmatrix}`` beside ``h_i = U_i x``.
"""

from __future__ import annotations

import re

# a row: text and commands up to the next \\ or \end (possessive: a command's letters and the
# text after it are never split two ways, which backtracked exponentially on \abc\abc...)
_ROW = r"[^&\\]*+(?:\\(?!\\|end)[A-Za-z]++[^&\\]*+)*+"
_COLUMN = re.compile(
    r"(?P<open>\\begin\{(?P<env>[bp]?matrix)\})"
    rf"(?P<first>{_ROW})"
    r"(?P<sep1>\\\\)\s*(?P<dots>\\vdots)\s*(?P<sep2>\\\\)"
    rf"(?P<last>{_ROW})"
    r"(?P<close>\\end\{(?P=env)\})"
)


def _put(out: list[str], start: int, end: int, text: str) -> None:
    """Write ``text`` at ``start`` and blank the rest up to ``end`` (same length)."""
    assert len(text) <= end - start
    out[start:end] = list(text) + [" "] * (end - start - len(text))


def rewrite(text: str, out: list[str]) -> None:
    """``\\begin{bmatrix}a_1\\\\\\vdots\\\\a_h\\end{bmatrix}`` -> ``[a_1; \\dots; a_h]``."""
    for m in _COLUMN.finditer(text):
        if "\n\n" in m.group(0):
            continue
        if any(out[k] != text[k] for k in range(m.start(), m.end())):
            continue  # [w_1 \\ \vdots \\ w_n], no family w_i: the vector w (entry_vectors)
        _put(out, *m.span("open"), "[")
        _put(out, *m.span("sep1"), ";")
        _put(out, *m.span("dots"), "\\dots")
        _put(out, *m.span("sep2"), ";")
        a, b = m.span("close")
        _put(out, a, b, "")
        out[b - 1] = "]"  # at the block's last character: the brackets span the whole block
