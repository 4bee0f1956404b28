r"""Notation rule ``index-said-in-prose``: the prose says which axis an index runs over, and gives
the shapes of the symbols it indexes with that axis first; each symbol written with the index
is one slice (MLX's Bilinear docstring)::

    y_i = x_2^\top W_i x_1 + b_i

    where:
    :math:`W` has shape ``[output_dims, input2_dims, input1_dims]``, :math:`b` has shape
    ``[output_dims]``, and :math:`i` indexes the output dimension.

How papermath reads it (before the parser sees the prose; every position kept): "``i`` indexes
the output dimension" with a shape list whose first word names that dimension
(``output_dims``: the word starts with ``output``) declares ``i \in \{1, \dots,
\text{output_dims}\}`` (an index over the outputs: one equation per i) and, for each symbol
the equations write only with ``i`` (``W_i``, ``b_i``), the slice with the rest of the list:
``W_i \in \mathbb{R}^{\text{input2_dims} \times \text{input1_dims}}``, ``b_i \in \mathbb{R}``
(a number per i). The readings quote the words. A shape list whose first word names another
axis, or a symbol the equations also write without the index, is left to the refusal of
:mod:`papermath.parse.doubts` ("the prose gives the shape of W").

Example that reads: the Bilinear docstring above.
"""

from __future__ import annotations

import re

from ..errors import PapermathError
from ..source import Span
from . import ast

__all__ = ["read_index_shapes"]

# `$i$ indexes the output dimension` (RST's :math: role is `$...$` by now)
_INDEX_SAID = re.compile(
    r"\$(?P<sym>[a-z])\$\s+(?:indexes|indices|runs\s+over)\s+(?:the\s+)?"
    r"(?P<what>[A-Za-z]+)\s+(?:dimension|axis|dimensions)",
    re.IGNORECASE,
)
_SHAPE_LIST = re.compile(
    r"\$(?P<sym>[^$\n]+)\$\s+(?:has|have)\s+(?:the\s+)?shape\s+``(?P<size>\[[^`\]\n]*\])``"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_LETTER = re.compile(r"\\?[A-Za-z]+")


def _size_tex(word: str) -> str:
    return word if len(word) == 1 else "\\text{" + word + "}"


def _parsed(head: str, space: str) -> ast.Declaration | None:
    from . import _parse_text

    try:
        found, _ = _parse_text(f"{head} \\in {space}", mixed=False)
    except PapermathError:
        return None
    decls = [s for s in found if isinstance(s, ast.Declaration)]
    return decls[0] if len(decls) == 1 and len(decls[0].targets) == 1 else None


def _on(decl: ast.Declaration, span: tuple[int, int]) -> ast.Declaration:
    """``decl`` with every span moved onto the words at ``span``."""
    from .prose_nodes import _remap

    moved: ast.Declaration = _remap(decl, lambda _: Span(*span))
    return moved


def _math(regions: tuple[tuple[str, bool], ...]) -> str:
    return " ".join(body for body, mixed in regions if not mixed)


def read_index_shapes(
    text: str, regions: tuple[tuple[str, bool], ...]
) -> tuple[list[ast.Declaration], list[tuple[int, int]]]:
    """The declarations the words say (see the module), and the spans of the words read."""
    from .prose_nodes import ProseDeclaration

    said = _INDEX_SAID.search(text)
    if said is None:
        return [], []
    index, what = said.group("sym"), said.group("what").lower()
    math = _math(regions)
    found: list[ast.Declaration] = []
    spans: list[tuple[int, int]] = []
    count: str | None = None
    for m in _SHAPE_LIST.finditer(text):
        sym = m.group("sym").strip()
        words = [w.strip() for w in m.group("size")[1:-1].split(",")]
        if not words or not all(_WORD.fullmatch(w) for w in words):
            continue
        if not words[0].lower().startswith(what) or (count not in (None, words[0])):
            continue
        if not _LETTER.fullmatch(sym):
            continue
        uses = list(re.finditer(rf"(?<![A-Za-z\\]){re.escape(sym)}(?![A-Za-z])", math))
        indexed = re.compile(rf"\s*_\s*(?:\{{\s*{index}\s*\}}|{index})(?![A-Za-z0-9])")
        if not uses or not all(indexed.match(math, u.end()) for u in uses):
            continue  # the equations write it without the index, or not at all
        rest = words[1:]
        space = (
            "\\mathbb{R}"
            if not rest
            else "\\mathbb{R}^{" + " \\times ".join(_size_tex(w) for w in rest) + "}"
        )
        decl = _parsed(f"{sym}_{index}", space)
        if decl is None:
            continue
        shape = f"R^{{{' x '.join(rest)}}}" if rest else "R (a number)"
        note = (
            f"said in words: '{' '.join(m.group(0).replace('$', ' ').split())}' and "
            f"'{' '.join(said.group(0).replace('$', ' ').split())}': {sym}_{index} is the slice "
            f"{index} of {sym} along its first axis ({words[0]}), read as {sym}_{index} \\in "
            f"{shape}"
        )
        moved = _on(decl, m.span("size"))
        found.append(ProseDeclaration(Span(*m.span()), moved.targets, moved.space, said=note))
        spans.append(m.span())
        count = words[0]
    if not found or count is None:
        return [], []
    decl = _parsed(index, f"\\{{1, \\dots, {_size_tex(count)}\\}}")
    if decl is None:
        return [], []
    note = (
        f"said in words: '{' '.join(said.group(0).replace('$', ' ').split())}': {index} runs "
        f"over the {count} outputs, one equation for each"
    )
    moved = _on(decl, said.span())
    found.append(ProseDeclaration(Span(*said.span()), moved.targets, moved.space, said=note))
    spans.append(said.span())
    return found, spans
