r"""Notation rule ``size-phrases``: a symbol's size said in a sentence that binds it to that one
symbol, in two phrasings the other prose rules do not read.

What people write:

- CS231n's notes (neural-networks-1): ``\\(W_1\\) could be, for example, a [100x3072] matrix``
  and ``the matrix \\(W_2\\) would then be of size [10x100]``: the symbol, then ``is`` or
  ``could`` / ``would`` / ``will`` ... ``be`` (optionally ``for example``), then ``a [AxB]
  matrix`` or ``of size [AxB]``, the sizes numbers.
- PaddlePaddle's Chinese API pages: a bullet per parameter, ``形状为（hidden_size, input_size）。
  对应公式中的 :math:`W_{ih}```: "its shape is (hidden_size, input_size); it is W_{ih} in the
  formula", the sizes words in full-width (or ASCII) parentheses or brackets, ``（hidden_size, ）``
  a one-element tuple.

How papermath reads them: as the declaration they say, ``W_1 \in \mathbb{R}^{100 \times 3072}``
and ``W_{ih} \in \mathbb{R}^{\text{hidden_size} \times \text{input_size}}``, the spans on the
words (a clash points at them) and the reading quoting them. Only where one sentence names the
symbol and its size together with nothing between them but those words (no other symbol), and
only for a symbol the equations write. A first axis named for the batch (``[batch_size,
input_size]``, an input's rows) is the batch, not a size of one example: dropped, as
:mod:`papermath.parse.prose_shapes` does, and the reading says so. The CS231n sizes are the
example the prose works (CIFAR-10's 3072 inputs and 10 classes): read as the sizes of that
example, and said so. Any other bracket size near a symbol stays refused
(:mod:`papermath.parse.bracket_sizes`), as does a Chinese shape list that names no symbol of
the equations (:mod:`papermath.parse.doubts`).

Examples that read::

    An example network computes \\( s = W_2 \max(0, W_1 x) \\). Here, \\(W_1\\) could be, for
    example, a [100x3072] matrix. Finally, the matrix \\(W_2\\) would then be of size [10x100].
"""

from __future__ import annotations

import re

from . import ast
from .prose_shapes import _BATCH, _TOKEN, _WORD, _declare, _quote, _squeeze, _written

__all__ = ["read_sizes"]

# inline math: \\( \\) (markdown-escaped), \( \), or $ $
_OPEN = r"(?:\\\\\(|(?<!\\)\\\(|(?<![$\\])\$(?!\$))"
_CLOSE = r"(?:\\\\\)|\\\)|\$)"
_EXAMPLE = re.compile(
    _OPEN
    + r"\s*(?P<sym>[^$\n]{1,30}?)\s*"
    + _CLOSE
    + r"\s+(?:is|(?:could|would|will|can|may|might)\s+(?:then\s+)?be),?\s+"
    r"(?:for\s+example,?\s+)?"
    r"(?:a\s+(?P<size>\[\s*\d+\s*[x×]\s*\d+\s*\])\s+matrix\b"
    r"|of\s+size\s+(?P<size2>\[\s*\d+\s*[x×]\s*\d+\s*\]))"
)
_CHINESE = re.compile(
    r"形状为\s*(?P<size>[（(\[][^）)\]\n$]*[）)\]])[，,。;；\s]{0,4}对应公式中的\s*"
    r"\$(?P<sym>[^$\n]+)\$"
)
# an inline equation written \\( ... = ... \\) (CS231n's markdown)
_INLINE_EQ = re.compile(r"(?:\\\\\(|(?<!\\)\\\()([^\n]*?=[^\n]*?)(?:\\\\\)|\\\))")


class _Match:
    """A match with its size in ``size`` (``of size [AxB]`` writes it in another group)."""

    def __init__(self, m: re.Match[str], group: str) -> None:
        self._m, self._group = m, group

    def span(self, group: str | int = 0) -> tuple[int, int]:
        return self._m.span(self._group if group == "size" else group)

    def start(self, group: str | int = 0) -> int:
        return self.span(group)[0]

    def end(self, group: str | int = 0) -> int:
        return self.span(group)[1]

    def group(self, group: str | int = 0) -> str:
        return self._m.group(self._group if group == "size" else group)


def read_sizes(
    text: str, regions: tuple[tuple[str, bool], ...]
) -> tuple[list[ast.Declaration], list[tuple[int, int]]]:
    """The declarations the two phrasings of ``text`` say (module docstring), and the spans
    of the words read (to blank)."""
    written = _written(regions) | {
        _squeeze(t.group(0)) for m in _INLINE_EQ.finditer(text) for t in _TOKEN.finditer(m.group(1))
    }
    found: list[ast.Declaration] = []
    spans: list[tuple[int, int]] = []
    for m in _EXAMPLE.finditer(text):
        match = _Match(m, "size" if m.group("size") else "size2")
        a, b = re.findall(r"\d+", match.group("size"))
        decl = _numbers(m.group("sym").strip(), a, b, match, written, _quote(m.group(0)))
        if decl is not None:
            found.append(decl)
            spans.append(m.span())
    for m in _CHINESE.finditer(text):
        listed = m.group("size")
        words = [w.strip() for w in re.split(r"[,，]", listed[1:-1])]
        words = [w for w in words if w]  # （hidden_size, ）: a one-element tuple
        if not words or not all(_WORD.fullmatch(w) for w in words):
            continue
        note = ""
        if len(words) > 1 and _BATCH.fullmatch(words[0]):
            note = f"; {words[0]}, the first axis, is the batch (the equations are per example)"
            words = words[1:]
        decl = _declare(m.group("sym").strip(), words, m, written, _quote(m.group(0)), note)
        if decl is not None:
            found.append(decl)
            spans.append(m.span())
    return found, spans


def _numbers(
    sym: str, a: str, b: str, m: _Match, written: set[str], quoted: str
) -> ast.Declaration | None:
    """``sym \\in \\mathbb{R}^{a \\times b}`` (two numbers) on the words; None where the symbol
    is not one the equations write."""
    from ..source import Span
    from .prose_nodes import ProseDeclaration, declaration_on_words

    if not _TOKEN.fullmatch(re.sub(r"\s", "", sym)) or _squeeze(sym) not in written:
        return None
    moved = declaration_on_words(sym, f"{a} \\times {b}", m)
    if moved is None:
        return None
    said = (
        f"said in words: {quoted} read as {sym} \\in R^{{{a} x {b}}}; the sizes of the example "
        "the prose works, as it gives them"
    )
    return ProseDeclaration(Span(m.start(), m.end()), moved.targets, moved.space, said=said)
