r"""Notation rule ``slice-in-a-subscript`` (a refusal): ``A_{v:}`` (Li et al. 2016, GG-NN's
eq. 2: the block row of the adjacency for node v), ``W_{:, j}``, ``X_{i,:}``: a colon inside a
subscript picks a whole row, column or block of a matrix (MATLAB's and NumPy's slices). It is
not read; the refusal is at the colon, and the hint says what papermath reads instead: the
product with the whole matrix (every node at once), or the entries summed over the index.
"""

from __future__ import annotations

from ..errors import ParseError
from ..source import Span


def slice_in_script(text: str, pos: int) -> ParseError | None:
    """The refusal of a ':' at ``pos`` inside a subscript's braces (``A_{v:}``); None where
    the colon is elsewhere."""
    if not (0 <= pos < len(text)) or text[pos] != ":":
        return None
    depth, i = 0, pos - 1
    while i >= 0:  # the innermost open brace before the colon, and what precedes it
        c = text[i]
        if c == "}":
            depth += 1
        elif c == "{":
            if depth == 0:
                break
            depth -= 1
        elif c == "\n":
            return None
        i -= 1
    if i < 1 or text[i - 1] != "_":
        return None
    end = text.find("}", pos)
    written = text[i - 2 if i >= 2 else 0 : end + 1 if end >= 0 else pos + 1].strip()
    return ParseError(
        f"`{written}`: a colon in a subscript picks a whole row, column or block of a matrix "
        "(a slice), which papermath does not read",
        span=Span(pos, pos + 1),
        hint="write the product with the whole matrix (A h, for every node at once), or the "
        "entries summed over the index (\\sum_u A_{vu} h_u)",
    )
