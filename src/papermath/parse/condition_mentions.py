r"""Notation rule ``condition-mention-in-prose``: inline math in a sentence that only names a
value at the steps a condition picks, ``$y_{t>1}$``, and states nothing: a mention, as
bentrevett's seq2seq notebook writes "for subsequent inputs, $y_{t>1}$, we will sometimes use
the actual, ground truth next word".

How papermath reads it: inline math that is only a symbol with a comparison in its subscript
(``y_{t>1}``, ``x_{i \neq j}``, ``h_{t \geq 2}``) names values in prose; it defines nothing.
It would stop the parser at the comparison (a subscript holds an index or a label), which is
not the source's equation, so it is blanked before parsing (the text keeps its length), as a
prose mention of a slice is (parse/slice_mentions.py). A condition in a script of an equation
(display math, or inline math with ``=``) is untouched and refused as before
(parse/unexpected.py, parse/script_conditions.py).

Example that reads: ``$$y_t = W x_t$$`` after the sentence "for the later inputs, $y_{t>1}$,
we use the prediction".
"""

from __future__ import annotations

import re

RULE = "condition-mention-in-prose"
_CMP = r"(?:<|>|\\(?:neq|ne|geq|ge|leq|le|lt|gt)(?![A-Za-z]))"
# $y_{t>1}$, $\hat{y}_{t > 1}$, $\mathbf{x}_{i \neq j}$: one symbol, its subscript a comparison
_MENTION = re.compile(
    r"(?<![\$\\])\$\s*(?:\\[A-Za-z]+\s*\{\s*\\?[A-Za-z]+\s*\}|\\?[A-Za-z]+)\s*"
    r"_\s*\{\s*[A-Za-z]\s*" + _CMP + r"\s*(?:[0-9]+|[A-Za-z])\s*\}\s*\$(?!\$)"
)


def blank(text: str, out: list[str]) -> None:
    """Blank each inline mention of values under a condition (see the module) in ``out``."""
    for m in _MENTION.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if not re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{2,}", line.replace(m.group(0), " ")):
            continue  # no sentence around it: not prose
        for i in range(m.start(), m.end()):
            out[i] = " "
