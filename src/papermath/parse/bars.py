r"""Rule ``concat-bar``: ``\|`` and ``\Vert`` between two values, where no norm closes.

What people write: graph papers and their libraries write concatenation with a double bar,
``\mathbf{h}_i^{(0)} = \mathbf{x}_i \, \Vert \, \mathbf{0}`` (PyG's gated graph conv), the
same bar that surrounds a norm ``\|w\|``. LaTeX itself says nothing: ``\|`` is one symbol.

How papermath reads it: a double bar right after a value opens a norm only if another bar
in the same statement can close it. Where none can (the statement ends first), the bar
cannot be a norm's: it is read as concatenation along the feature axis, as ``[a; b]`` is
(a reading says so). Where a closing bar follows and is itself followed by a value
(``x_i \| x_j \| e_{ji}``), the text reads both ways (``x_i`` times the norm of ``x_j`` times
``e_{ji}``, or three vectors concatenated): a refusal with the caret on the first bar. A
norm written as a norm (``\lambda \|w\|^2``, ``\|x - y\|``) reads as before.

Examples (each reads):

    h = x \, \Vert \, y

    h = [W x \| W y]
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import bar_chains

RULE = "concat-bar"

_BAR = re.compile(r"\\\||\\Vert(?![A-Za-z])|\|\|")
# where a statement ends: a blank line, a row break, an alignment tab, a relation, the end
# of the math
_END = re.compile(r"\n[ \t]*\n|\\\\|&|(?<![<>!\\])=|\$|\\\)|\\\]|\\end\{")
# what starts a value written right after a bar (juxtaposed, as a product would be)
_VALUE = re.compile(r"\s*(?:\\[,;:! ]\s*)*(?:[A-Za-z0-9(\[{]|\\(?!right|big|Big|,|;|quad)[A-Za-z])")


def decide(text: str, start: int, end: int) -> str:
    """``"concat"`` for a bar after a value at ``start:end`` that no later bar closes,
    ``"norm"`` where one closes it; an error where both read."""
    stop = _END.search(text, end)
    limit = stop.start() if stop else len(text)
    closing = _BAR.search(text, end, limit)
    if closing is None:
        return "concat"
    if _VALUE.match(text, closing.end()):
        if bar_chains.by_usage(text, start, closing):
            return "concat"  # x_i \| x_j \| e_{ji} beside \odot (parse/bar_chains.py)
        raise ParseError(
            "a double bar between values reads two ways here: a norm ("
            + text[start:end]
            + " ... "
            + text[closing.start() : closing.end()]
            + " around the middle value, times the values beside it) or a concatenation "
            "of the three values (graph papers write \\| for it); papermath does not guess",
            span=Span(start, end),
            hint="for a concatenation write [a \\| b \\| c] or [a; b; c]; for a norm times "
            "the values, write the product with \\cdot: a \\cdot \\|b\\| \\cdot c",
        )
    return "norm"
