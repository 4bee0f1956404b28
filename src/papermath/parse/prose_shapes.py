r"""Notation rule ``shape-in-prose``: a symbol's shape said in the prose of a docstring, as
library documentation gives it, read as the declaration it is.

What people write (the prose names the symbol and lists its axes, or says it is a vector
over the features)::

    y = x W^\top + b

    where :math:`W` has shape ``[output_dims, input_dims]`` and :math:`b` has shape
    ``[output_dims]``.

    y = \frac{x - E[x]}{\sqrt{Var[x] + \epsilon}} \gamma + \beta,

    where :math:`\gamma` and :math:`\beta` are learned per feature dimension parameters ...

How papermath reads them (before the parser sees the prose; every position kept):

- ``:math:`W` has shape ``[a, b]```` (or ``(a, b)``): ``W \in \mathbb{R}^{a \times b}``, each
  size named by the word the source writes (``output_dims``), so the shapes table speaks the
  source's words. An empty axis (``(hidden_size, )``, a one-element tuple) is dropped. A
  first axis named for the batch (``[batch_size, input_dims]``, an input's rows) is the
  batch, not a size of one example: the equations are per example, so it is dropped, and
  the reading says so.
- ``:math:`\gamma` and :math:`\beta` are learned per feature dimension parameters``: each is a
  vector over the features, ``\gamma \in \mathbb{R}^{C}``, with C the size the prose names
  the number of features by (````C`` is the number of features or channels``) or, where it
  names none, ``C``.

Each becomes a :class:`papermath.parse.prose.ProseDeclaration` whose spans lie in the prose
(a clash points at the words) and whose reading note quotes them. Only a symbol the
equations write is declared so: a shape said of a symbol the equations write otherwise
(MLX's Bilinear lists ``W``'s three axes and writes ``W_i``) is read only where the prose
says what the index runs over (:mod:`papermath.parse.prose_index`), else it stays a refusal
(:mod:`papermath.parse.doubts`), as does a shape list with a word that is not a name, and
Paddle's Chinese ``形状为（hidden_size, input_size）...对应公式中的 :math:`W_{ih}``` (not read
yet: the same page's ``\mathrm{act}``, "the activation function", would then be read as a
learned map).
"""

from __future__ import annotations

import re

from ..source import Span
from . import ast, input_axes

__all__ = ["read_shapes"]

# `$W$ has shape ``[output_dims, input_dims]``` (RST's :math: role is `$...$` by now)
_SHAPE_LIST = re.compile(
    r"\$(?P<sym>[^$\n]+)\$\s+(?:has|have)\s+(?:the\s+)?shape\s+"
    r"``(?P<size>\[[^`\]\n]*\]|\([^`)\n]*\))``"
)
# `$\gamma$ and $\beta$ are learned per feature dimension parameters`
_PER_FEATURE = re.compile(
    # one separator between two symbols, never two optional spaces in a row (which backtrack
    # exponentially over a line of many $...$)
    r"\$(?P<sym>[^$\n]+)\$(?P<more>(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)\$[^$\n]+\$)*)\s+(?:is|are)\s+"
    r"(?:an?\s+|the\s+)?(?:learned\s+|learnable\s+)?"
    r"(?P<size>per[- ](?:feature|channel)(?:\s+dimension)?)",
    re.IGNORECASE,
)
# "``C`` is the number of features or channels"
_FEATURES_NAMED = re.compile(
    r"``(?P<name>[A-Za-z])``\s+is\s+the\s+number\s+of\s+(?:features|channels)", re.IGNORECASE
)
_SPACE = re.compile(r"\\mathbb\s*\{?R\}?\s*\^\s*(?:\{[^{}]*\}|\w)")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_BATCH = re.compile(r"(?:batch|batch_size|num_batches|n_batch)", re.IGNORECASE)
_TOKEN = re.compile(r"\\?[A-Za-z]+(?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?")


def _squeeze(text: str) -> str:
    return re.sub(r"[{}\s]", "", text)


def _quote(words: str) -> str:
    """The words read, for the reading: one line, the inline math's delimiters (``$``, and
    ``\\(`` ``\\)`` as MathJax pages write them) dropped."""
    for mark in ("$", "\\(", "\\)"):
        words = words.replace(mark, " ")
    return "'" + " ".join(words.split()) + "'"


def _size_tex(word: str) -> str:
    """A size word as LaTeX a declaration reads: ``n`` -> ``n``, ``hidden_size`` ->
    ``\\text{hidden_size}`` (a size named by the word)."""
    return word if len(word) == 1 else "\\text{" + word + "}"


def _written(regions: tuple[tuple[str, bool], ...]) -> set[str]:
    """The symbols the equations write: display math, and inline math that is an equation."""
    out: set[str] = set()
    for body, mixed in regions:
        if mixed:
            for m in re.finditer(r"(?<![$\\])\$(?!\$)([^$\n]+?)\$", body):
                if "=" in m.group(1):
                    out |= {_squeeze(t.group(0)) for t in _TOKEN.finditer(m.group(1))}
        else:
            out |= {_squeeze(t.group(0)) for t in _TOKEN.finditer(body)}
    return out


def read_shapes(
    text: str, regions: tuple[tuple[str, bool], ...]
) -> tuple[list[ast.Declaration], list[tuple[int, int]]]:
    """The declarations the prose of ``text`` says (module docstring), and the spans of the
    words read (to blank). ``regions``: each region's text and whether it is prose."""
    written = _written(regions)
    found: list[ast.Declaration] = []
    spans: list[tuple[int, int]] = []
    for m in _SHAPE_LIST.finditer(text):
        sym = m.group("sym").strip()
        listed = m.group("size")
        words = [w.strip() for w in listed[1:-1].split(",")]
        words = [w for w in words if w]  # (hidden_size, ): a one-element tuple
        if not words or not all(_WORD.fullmatch(w) for w in words):
            continue
        note = ""
        if len(words) > 1 and _BATCH.fullmatch(words[0]):
            note = f"; {words[0]}, the first axis, is the batch (the equations are per example)"
            words = words[1:]
        decl = _declare(sym, words, m, written, _quote(m.group(0)), note)
        if decl is not None:
            found.append(decl)
            spans.append(m.span())
    # C as a size (x \in \mathbb{R}^{C}) is the features' size; as a symbol, another thing
    regions_unsized = tuple((re.sub(_SPACE, " ", body), mixed) for body, mixed in regions)
    named = _FEATURES_NAMED.search(text)
    features = named.group("name") if named is not None else "C"
    for m in _PER_FEATURE.finditer(text):
        symbols = [(m.group("sym"), m.span("sym"))]
        more = m.group("more")
        for s in re.finditer(r"\$([^$\n]+)\$", more):
            at = m.start("more") + s.start(1)
            symbols.append((s.group(1), (at, at + len(s.group(1)))))
        if named is None and features in _written(regions_unsized):
            continue  # C is a symbol of the equations: the features need another name
        why = (
            f"``{features}`` is the number of features, as the prose says"
            if named is not None
            else f"{features} names the number of features (the prose names no size)"
        )
        decls = []
        for sym, (start, end) in symbols:
            sub = _Span(m, start, end)
            quoted = _quote(m.group(0))
            note = f": a vector over the features, one entry per feature; {why}"
            decl = _declare(sym.strip(), [features], sub, written, quoted, note)
            if decl is None:
                break
            decls.append(decl)
        else:
            found.extend(decls)
            spans.append(m.span())
    axes, axes_spans = input_axes.read(text, regions, written)  # ``NC``: parse/input_axes.py
    return found + axes, spans + axes_spans


class _Span:
    """A match-like view of one symbol of a sentence that names several (``$\\gamma$ and
    $\\beta$ are ...``): its own symbol span, the sentence's size span and extent."""

    def __init__(self, m: re.Match[str], start: int, end: int) -> None:
        self._m, self._sym = m, (start, end)

    def span(self, group: str | int = 0) -> tuple[int, int]:
        return self._sym if group == "sym" else self._m.span(group)

    def start(self, group: str | int = 0) -> int:
        return self.span(group)[0]

    def end(self, group: str | int = 0) -> int:
        return self.span(group)[1]


def _declare(
    sym: str,
    words: list[str],
    m: re.Match[str] | _Span,
    written: set[str],
    quoted: str,
    note: str,
) -> ast.Declaration | None:
    """``sym \\in \\mathbb{R}^{words}`` parsed, its spans moved onto the prose; None where the
    symbol is not one the equations write, or the words do not make a declaration."""
    from .prose_nodes import ProseDeclaration, declaration_on_words

    bare = _squeeze(sym)
    if not _TOKEN.fullmatch(re.sub(r"\s", "", sym)) or bare not in written:
        return None
    moved = declaration_on_words(sym, " \\times ".join(_size_tex(w) for w in words), m)
    if moved is None:
        return None
    shape = " x ".join(words)
    said = f"said in words: {quoted} read as {sym} \\in R^{{{shape}}}{note}"
    return ProseDeclaration(Span(m.start(), m.end()), moved.targets, moved.space, said=said)
