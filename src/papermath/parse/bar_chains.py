r"""Notation rule ``bar-chain-by-usage``: ``\x_i \| \x_j \| \e_{ji}``, three vectors with double
bars between them, in a source that writes its elementwise products with ``\odot``.

What people write (Spektral's CrystalConv)::

    \x_i' = \x_i + \sum_{j \in \mathcal{N}(i)} \sigma(\z_{ij} \W^{(f)} + \b^{(f)}) \odot
        \g(\z_{ij} \W^{(s)} + \b^{(s)})

    where \(\z_{ij} = \x_i \| \x_j \| \e_{ji} \)

The bars read two ways (parse/bars.py): the three vectors concatenated, or ``x_i`` times the
norm of ``x_j`` times ``e_{ji}``. The second reading multiplies the two vectors ``x_i`` and
``e_{ji}`` (lowercase letters: vectors by convention; Spektral's bold macros) written side by
side with no operator, an elementwise product, while the same source writes its elementwise
product of vectors with ``\odot``: by the source's own usage, two vectors side by side are not
its product, and the bars are its concatenation (as graph libraries write it).

How papermath reads it: where the value before the first bar and the value after the bar that
would close the norm are both lowercase Latin letters (vectors by convention; ``\mathbf``,
``\boldsymbol`` or ``\vec`` allowed, with a subscript), and the source writes ``\odot``
elsewhere, the bars concatenate; the readings say why. Without ``\odot`` in the source, or with
a number beside the bars (``\lambda \|w\| v``: a Greek letter), it is refused as before.

Examples that read: ``y = \sigma(z W) \odot z``, ``z = x \| u \| e``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from ..read.reader import Reader

RULE = "bar-chain-by-usage"

_BOLD = (
    r"(?:\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*[a-z]\s*\}"
    r"|\\(?:mathbf|boldsymbol|bm|vec)\s+[a-z]|(?<![\\A-Za-z])[a-z])"
)
_SCRIPT = r"(?:_\{[^{}]*\}|_[A-Za-z0-9])?"
# a vector symbol just before the first bar, and just after the closing bar
_BEFORE = re.compile(_BOLD + _SCRIPT + r"(?:\s|\\[,;: !])*$")
_AFTER = re.compile(r"(?:\s|\\[,;: !])*" + _BOLD + _SCRIPT)
_ODOT = re.compile(r"\\odot(?![A-Za-z])")
_BAR = re.compile(r"\\\||\\Vert(?![A-Za-z])|\|\|")
# where a statement ends (parse/bars.py's _END: bars imports this module, not the reverse)
_END = re.compile(r"\n[ \t]*\n|\\\\|&|(?<![<>!\\])=|\$|\\\)|\\\]|\\end\{")


def by_usage(text: str, start: int, closing: re.Match[str]) -> bool:
    """Whether the bars at ``start`` and ``closing`` concatenate by the source's usage (see
    the module): vectors on both outer sides, and ``\\odot`` written elsewhere."""
    before = _BEFORE.search(text, max(0, start - 40), start)
    after = _AFTER.match(text, closing.end())
    return before is not None and after is not None and _ODOT.search(text) is not None


def note(reader: Reader) -> None:
    """Say in the readings which bars were read as concatenation by the source's usage."""
    text = reader.source.text
    if _ODOT.search(text) is None:
        return
    for first in _BAR.finditer(text):
        stop = _END.search(text, first.end())
        limit = stop.start() if stop else len(text)
        closing = _BAR.search(text, first.end(), limit)
        if closing is None or not _AFTER.match(text, closing.end()):
            continue
        if not by_usage(text, first.start(), closing):
            continue
        written = " ".join(text[first.start() : closing.end()].split())
        reader.note(
            Span(first.start(), closing.end()),
            "concatenation, by the source's usage",
            f"the bars of {written} could close a norm of the middle value, times the vectors "
            "beside it; but that product of two vectors side by side is one the source writes "
            "with \\odot elsewhere: the bars concatenate (as graph libraries write it)",
        )
