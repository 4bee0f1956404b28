r"""Notation rule ``slice-in-a-subscript`` (a refusal): ``A_{v:}`` (Li et al. 2016, GG-NN's
eq. 2: the block row of the adjacency for node v), ``W_{:, j}``, ``X_{i,:}``: a colon inside a
subscript picks a whole row, column or block of a matrix (MATLAB's and NumPy's slices). It is
not read; the refusal is at the colon, and the hint says what papermath reads instead: the
product with the whole matrix (every node at once), or the entries summed over the index.
A block between bounds beside a whole axis (``\mathbf{a}_{:,:d/2}`` and
``\mathbf{a}_{:,d/2:}``, the halves of GAT's attention vector in UvA's tutorial) gets its own
hint: name the block and declare it, or keep the computation that uses the matrix whole.
The other hints say what the slice picks: ``X_{i,:}`` row i, ``W_{:, j}`` column j (as
NumPy's ``X[i, :]`` and ``W[:, j]``), ``x_{:k}`` the first k entries, ``x_{1:k}`` the entries
from 1 to k (where counting starts and whether k is in, which changes the size, the text does
not say), ``A_{v:}`` the part of A that belongs to v (GG-NN's two columns of blocks) or NumPy's
rows from v on (beside the stack of every node's state, ``A_{v:}^\top [h_1^\top \dots
h_{|V|}^\top]^\top``, the product reads: parse/block_slice.py).
A star for a whole axis (``U_{*,i}``, ``U_{i,\ast}``) is refused the same way,
at the star (:func:`star_in_script`).

Examples (refused)::

    y = W_{:, j} x
    y = U_{*,i} + b
"""

from __future__ import annotations

import re

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
    written = text[_base_start(text, i - 1) : end + 1 if end >= 0 else pos + 1].strip()
    script = text[i + 1 : end if end >= 0 else pos + 1]
    parts = [x.strip() for x in script.split(",")]
    hint = _hint(written[: written.rfind("_")], script, parts)
    bounded = [x for x in parts if ":" in x and x != ":"]
    if ":" in parts and bounded and all(re.fullmatch(r"[^:]*:[^:]*", x) for x in bounded):
        # a[:, :d/2]: every row, the columns up to d/2: a block between bounds
        base = written[: written.rfind("_")]
        hint = (
            f"{written} is a block of {base} between bounds (NumPy's slice {base}[{script}]): "
            f"give the block its own name and declaration ({base}_1 \\in \\mathbb{{R}}^{{...}}), "
            f"or, in a chain of equalities, keep the computation that uses {base} whole"
        )
        if any(re.fullmatch(r"[^:]+:[^:]+", x) for x in bounded):  # X_{:, 2:5}
            hint += (
                " (where the counting starts, 0 or 1, and whether the upper bound is in the "
                "block, the text does not say: the block's size depends on it)"
            )
    return ParseError(
        f"`{written}`: a colon in a subscript picks a whole row, column or block of a matrix "
        "(a slice), which papermath does not read",
        span=Span(pos, pos + 1),
        hint=hint,
    )


def _base_start(text: str, underscore: int) -> int:
    """Where the symbol before the ``_`` at ``underscore`` starts: ``\\mathbf{a}_``, ``W_``."""
    j = underscore - 1
    if j >= 0 and text[j] == "}":
        depth = 0
        while j >= 0:
            depth += {"}": 1, "{": -1}.get(text[j], 0)
            if depth == 0:
                break
            j -= 1
        k = j
        while k > 0 and text[k - 1].isalpha():
            k -= 1
        return k - 1 if k > 0 and text[k - 1] == "\\" else j
    while j > 0 and text[j - 1].isalpha() and text[j].isalpha():
        j -= 1
    return max(j - 1, 0) if j > 0 and text[j - 1] == "\\" else max(j, 0)


_WHOLE = (":", "*", "\\ast")


def _hint(base: str, script: str, parts: list[str]) -> str:
    """The hint for the slice ``base_{script}`` by its form: a row (``X_{i,:}``), a column
    (``W_{:,j}``, ``U_{*,i}``), GG-NN's ``A_{v:}``, a range (``x_{1:k}``)."""
    plain = [x for x in parts if x not in _WHOLE and ":" not in x]
    if len(parts) == 2 and len(plain) == 1 and (parts[0] in _WHOLE) != (parts[1] in _WHOLE):
        row = parts[1] in _WHOLE
        (i,) = plain
        what, numpy = ("row", f"{base}[{i}, :]") if row else ("column", f"{base}[:, {i}]")
        return (
            f"{base}_{{{script}}} is {what} {i} of {base} (NumPy's {numpy}); papermath does "
            f"not read one {what} picked out of a matrix: write the computation for every "
            f"{what} at once with the whole matrix ({base}, in a product), or declare the "
            f"{what}s as vectors of their own (one per {i}, with its size)"
        )
    if len(parts) == 1 and re.fullmatch(r"[^:]+:", parts[0]):
        v = parts[0][:-1].strip()
        return (
            f"{base}_{{{script}}} is the part of {base} that belongs to {v}: a row, a column "
            f"or a block of them (GG-NN's A_{{v:}} is the two columns of blocks for node v, "
            f"D|V| x 2D), or, as NumPy reads {base}[{script}], the rows from {v} to the end; "
            "the text does not say which, nor how large: write the product with the whole "
            f"matrix ({base} h, for every node at once), or, where {base} holds one block per "
            f"pair of nodes (GG-NN's, zero where no edge joins them), the sum over the "
            f"neighbours with one block per edge (\\sum_{{u \\in \\mathcal{{N}}({v})}} "
            f"{base}_{{{v}u}}^\\top h_u: the graph's edges list the pairs whose block is not zero)"
        )
    if len(parts) == 1 and re.fullmatch(r"[^:]+:[^:]+", parts[0]):
        lo, hi = (x.strip() for x in parts[0].split(":"))
        return (
            f"{base}_{{{script}}} is the entries (or rows) of {base} from {lo} to {hi}; where "
            f"the counting starts (0 or 1) and whether {hi} is in the block (MATLAB's 1:k "
            "holds k entries, NumPy's 1:k holds k-1) the text does not say: give the block "
            "its own name and declare its size"
        )
    if len(parts) == 1 and re.fullmatch(r":[^:]+", parts[0]):
        return (
            f"{base}_{{{script}}} is the first {parts[0][1:].strip()} entries (or rows) of "
            f"{base} (NumPy's {base}[{script}]): give the block its own name and declare its "
            "size, or keep the computation that uses the whole of it"
        )
    return (
        f"write the product with the whole matrix ({base} h, all at once), or the entries "
        f"summed over the index (\\sum_u {base}_{{iu}} h_u)"
    )


def star_in_script(text: str, pos: int) -> ParseError | None:
    """The refusal of ``U_{*,i}`` or ``U_{i,*}`` (a star for a whole axis, as the colon of
    ``U_{:,i}``), where the grammar stopped at ``pos`` (the comma after the star, or the star
    after the comma); None elsewhere."""
    m = None
    for found in re.finditer(r"_\{\s*(\*|\\ast)\s*,[^{}]*\}|_\{[^{}]*,\s*(\*|\\ast)\s*\}", text):
        star = found.start(1) if found.group(1) else found.start(2)
        if found.start() < pos < found.end():
            m = (found, star)
            break
    if m is None:
        return None
    found, star = m
    written = text[_base_start(text, found.start()) : found.end()].strip()
    script = text[found.start() + 2 : found.end() - 1]
    parts = [x.strip() for x in script.split(",")]
    return ParseError(
        f"`{written}`: a star in a subscript picks a whole row or column of a matrix (a "
        "slice), which papermath does not read",
        span=Span(star, star + (4 if text.startswith("\\ast", star) else 1)),
        hint=_hint(written[: written.rfind("_")], script, parts),
    )
