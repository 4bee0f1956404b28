r"""Notation rule ``prose-word-in-text-name``: a prose word typed inside the ``\text`` of a name,
``\text{where head}_i = ...`` (Lil'Log's multi-head attention, the second row of an
``aligned``: "where head_i = Attention(...)"), is the word "where" before the name ``head_i``.

How papermath reads it: the word (where, and, with, let, given) and the spaces after
it are blanked inside the braces, before parsing, so ``\text{where head}_i`` reads as
``\text{head}_i``; the text keeps its length, every caret its place. Only a \text (or
\textrm, \mathrm, \mbox) that holds the word and then one name, followed by a subscript, a
superscript or ``=`` (a left side), is rewritten (``\text{if positive}`` is a condition);
``\text{where}`` alone is a prose word of its own (:mod:`papermath.parse.normalize`).

Example that reads: ``y = [\mathrm{head}_1; \dots; \mathrm{head}_h] W_O`` beside
``\text{where head}_i = W_i x``.
"""

from __future__ import annotations

import re

_WORD_THEN_NAME = re.compile(
    r"\\(?:text|textrm|mathrm|mbox)\s*\{\s*(?P<word>(?:where|and|with|let|given)\s+)"
    r"[A-Za-z][A-Za-z0-9-]*\s*\}"
    # a left side: the name then its subscript, superscript or the equals sign
    r"(?=\s*(?:[_^]|&?\s*=))"
)


def rewrite(text: str, out: list[str]) -> None:
    """Blank the prose word of each ``\\text{where head}``, in ``out`` (same length)."""
    for m in _WORD_THEN_NAME.finditer(text):
        a, b = m.span("word")
        out[a:b] = [" "] * (b - a)
