r"""Notation rule ``slice-mention-in-prose``: inline math in a sentence that only names a row or a
column of a value, with a colon in its subscript, ``$PE_{(pos,:)}$``, and states nothing (no
``=``, ``\in``, ``\sim``): a mention, as the UvA notebooks write "you can represent
$PE_{(pos+k,:)}$ as a linear function of $PE_{(pos,:)}$".

How papermath reads it: inline math that is only a term says nothing papermath reads (a mention
such as ``$W x$`` is passed over); one with a slice would stop the parser at the colon, which
is not the source's equation. So such a mention is blanked before parsing (the text keeps its
length), as a prose mention of a range is (parse/range_mentions.py). A slice in an equation
(``h = A_{v:} x``, display math, or inline math with ``=``) is untouched, and refused as before
(parse/index_slices.py).

Example that reads: ``$$y = W x$$`` after the sentence "the row $W_{(i,:)}$ is used".
"""

from __future__ import annotations

import re

# $...$ on one line, not $$ (a display)
_INLINE = re.compile(r"(?<![\$\\])\$(?!\$)(?P<body>[^$\n]+)\$(?!\$)")
_RELATION = re.compile(r"=|\\in(?![A-Za-z])|\\sim|\\leftarrow|\\gets|\\coloneqq|:=|<|>|\\le|\\ge")
# a subscript whose braces hold a colon: _{(pos,:)}, _{:, j}, _{v:}; or \cdot as the
# placeholder of the whole axis: W_{\cdot i}, the column i (the Theano MLP tutorial)
_SLICE = re.compile(r"_\s*\{[^{}]*(?::|\\cdot(?![A-Za-z]))[^{}]*\}")


def blank(text: str, out: list[str]) -> None:
    """Blank each inline mention of a slice (see the module) in ``out`` (same length)."""
    text = "".join(out)  # RST's :math:`..` roles are $..$ by now (normalize keeps positions)
    for m in _INLINE.finditer(text):
        body = m.group("body")
        if _SLICE.search(body) is None or _RELATION.search(body) is not None:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if not re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{2,}", line.replace(m.group(0), " ")):
            continue  # no sentence around it: not prose
        for i in range(m.start(), m.end()):
            out[i] = " "
