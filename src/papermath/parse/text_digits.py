r"""Rule ``upright-digits``: a number written in a text font, ``c_{\text{1}}``, is the number.

What people write (Chainer's TreeLSTM docstring, the children's cell states)::

    c_{\text{1}}, c_{\text{2}}, \dots, c_{\text{N}}
    & + c_{\text{1}} \text{sigmoid}(f_{\text{1}}), \\

How papermath reads it: digits are typeset upright in mathematics whatever the font, so
``\text{1}`` (also ``\textrm``, ``\mathrm``, ``\mbox``) around digits alone prints exactly as
``1`` does: it is the number 1 (``c_{\text{1}}`` is ``c_1``, the member 1 of the family c).
Before this rule the digits were read as a name in roman type and refused ("\text{1} cannot
be a variable's name"), with a hint to rename it. Letters in a text font keep their reading
(``W_{\text{out}}`` a label).

Example (reads): ``y = c_{\text{1}} + c_{\text{2}}``.
"""

from __future__ import annotations

import re

RULE = "upright-digits"

__all__ = ["RULE", "blank"]

# \text{12}, \mathrm{ 3 }: digits alone in a text or roman font
_DIGITS = re.compile(r"\\(?:text|textrm|mathrm|mbox)\s*+\{\s*+(\d++)\s*+\}")


def blank(text: str, out: list[str]) -> None:
    """Keep the digits of each ``\\text{<digits>}``; blank the command and its braces."""
    for m in _DIGITS.finditer(text):
        if "".join(out[m.start() : m.end()]) != m.group():
            continue  # an earlier stage rewrote it
        for i in range(m.start(), m.end()):
            if not m.start(1) <= i < m.end(1):
                out[i] = " "
