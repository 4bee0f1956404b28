r"""Notation rule ``code-value-mention``: a sentence that names a value of a code name,
"When `gamma` = 0, there is no focal effect" (Keras' focal loss docstring): a condition said
in prose, not an equation.

How papermath reads it: a markdown code span holding one name (`` `gamma` ``), then ``=`` and
a number, after "when", "if", "for" or "with" and followed by more words of the sentence, is a
mention of a setting of that name; it defines nothing. The code span is blanked by the
normalisation already (parse/normalize.py: code is not mathematics); here the ``= 0`` after it
is blanked too, so the line is left as prose. An equation in a code span (`` `p = 0` ``), or
``= 0`` with no such word before the name, is untouched.

Example that reads (the prose line is left out)::

    `FL(p_t) = (1 - p_t) ** gamma * log(p_t)`

    When `gamma` = 0, there is no focal effect on the cross entropy.
"""

from __future__ import annotations

import re

RULE = "code-value-mention"
_MENTION = re.compile(
    r"\b(?:[Ww]hen|[Ii]f|[Ff]or|[Ww]ith)[ \t]+`[A-Za-z_]\w*`(?P<value>[ \t]*=[ \t]*-?\d+(?:\.\d+)?)"
    r"(?=[ \t]*,?[ \t]+[A-Za-z]{2,})"
)


def blank(text: str, out: list[str]) -> None:
    """Blank the ``= value`` of each such mention (see the module) in ``out``."""
    for m in _MENTION.finditer(text):
        for i in range(m.start("value"), m.end("value")):
            out[i] = " "
