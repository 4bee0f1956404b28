r"""Notation rule ``presentation.hbox``: plain TeX's ``\hbox{...}``, a box of text in math.

What people write: ``\hbox{...}`` where LaTeX writes ``\mbox{...}`` or ``\text{...}``: a remark
set in text beside an equation, which may hold its own inline math (``\hbox{(include $B$
optionally)}``), or a word used as a name (``\hbox{activation}(c_t)``).

How papermath reads it: as ``\mbox`` (rewritten in place, same length: ``\hbox`` and ``\mbox``
are both five characters), so the rules of ``\text`` apply: a remark in parentheses is blanked
with the ``$...$`` inside it (that ``$`` is the box's own inline math, not a delimiter of the
page), a prose word (``where``) separates two equations, and a word is a roman name.

Real example (google/trax, the SRU layer's docstring):
``y_t &= W x_t + B \quad \hbox{(include $B$ optionally)} \\``,
``h_t &= r_t \times \hbox{activation}(c_t) + (1 - r_t) \times x_t``.

>>> rewrite(r"y = W x + b \quad \hbox{(b optional)}")
'y = W x + b \\quad \\mbox{(b optional)}'
"""

from __future__ import annotations

import re

__all__ = ["rewrite"]

_HBOX = re.compile(r"(?<!\\)\\hbox(?![A-Za-z])")


def rewrite(text: str) -> str:
    """The text with every ``\\hbox`` written ``\\mbox`` (same length)."""
    return _HBOX.sub(r"\\mbox", text)
