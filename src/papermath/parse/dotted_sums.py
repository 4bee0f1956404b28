r"""Notation rule ``dotted-sum-range``: a sum whose range is written with two dots in its
subscript, ``sum_{i=1..d}``, ``\sum_{k=0..K}``, as plain-text docstrings and notes type it.

What people write: StellarGraph's link embedding docstring (``method``: "``ip`` or ``dot`` --
inner product, :math:`ip(u,v) = sum_{i=1..d}{u_i*v_i}`"): the word ``sum`` without a backslash,
the index's first and last value joined by ``..`` (inclusive, as ``1..d`` is read in prose
and in ``[a_{ij}]_{i \in 1..N}``), the body in braces.

How papermath reads it: as ``\sum_{i=1}^{d}``, the sum over i from the first value to the last
(both included): rewritten in place, keeping the text's length (parse/normalize.py never moves
a character): the word ``sum`` takes the backslash from the space before it, and the two dots
become ``}^`` with the last value (braced where there is room). A range that cannot be rewritten
in its room (no space before a plain ``sum``, a last value too long) is left as written, and
the parser refuses it at the dots.

Examples that read: ``s = \sum_{i=1..d} u_i v_i``; ``ip(u,v) = sum_{i=1..d}{u_i*v_i}``.
"""

from __future__ import annotations

import re

__all__ = ["dotted_range", "rewrite"]

# sum_{i=1..d}, \sum_{k = 0 .. K}: a sum's index, its first value, two dots, its last value
_DOTTED = re.compile(
    r"(?<![A-Za-z])(?P<slash>\\)?sum(?![A-Za-z])\s*_\{\s*(?P<index>[A-Za-z](?:_\w)?)\s*=\s*"
    r"(?P<first>[^{}.\s]+)\s*\.\.(?!\.)\s*(?P<last>[^{}.\s]+)\s*\}"
)


def rewrite(text: str, out: list[str]) -> None:
    """Rewrite each dotted sum range in ``out`` (same length; see the module).

    >>> out = list(r"ip(u,v) = sum_{i=1..d}{u_i*v_i}")
    >>> rewrite("".join(out), out)
    >>> "".join(out)
    'ip(u,v) =\\\\sum_{i=1}^d {u_i*v_i}'
    """
    for m in _DOTTED.finditer(text):
        start, end = m.span()
        if any(out[k] != text[k] for k in range(start, end)):
            continue  # another rewrite took part of it
        head = f"\\sum_{{{m['index']}={m['first']}}}^"
        last = m["last"]
        for body in (f"{{{last}}}", last if len(last) == 1 else None):
            if body is None:
                continue
            new = head + body
            room = end - start
            before = start
            if not m["slash"]:  # the backslash takes the space before the word
                if start == 0 or text[start - 1] not in " \t" or out[start - 1] != " ":
                    break
                before = start - 1
                room += 1
            if len(new) <= room:
                out[before:end] = list(new.ljust(room))
                break


def dotted_range(text: str) -> tuple[str, str] | None:
    """The first and last value of a dotted range a sum's text opens with (``sum_{i=1..d}``:
    ("1", "d")), or None: how the typesetting writes it back as ``\\sum_{i=1}^{d}``."""
    m = _DOTTED.match(text.strip())
    return (m.group("first"), m.group("last")) if m else None
