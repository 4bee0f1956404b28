"""The nodes that prose makes (parse.prose, parse.prose_shapes): a declaration said in words,
and moving a parsed node's spans onto the words it was read from."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..errors import PapermathError
from ..source import Span
from . import ast


@dataclasses.dataclass(frozen=True)
class ProseDeclaration(ast.Declaration):
    """A declaration said in words; ``said`` is the reading note (what was read and why)."""

    said: str = ""


def _remap(node: Any, where: Any) -> Any:
    """``node`` with every span mapped by ``where`` (a function of a Span)."""
    if isinstance(node, Span):
        return where(node)
    if isinstance(node, tuple):
        return tuple(_remap(x, where) for x in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: _remap(getattr(node, f.name), where) for f in dataclasses.fields(node)}
        return dataclasses.replace(node, **changes)
    return node


class WordSpans:
    """Where the words of a declaration read from prose are, for :func:`declaration_on_words`:
    the symbol as written (``sym``) and the words that give its size (``size``)."""

    def __init__(self, sym: tuple[int, int], size: tuple[int, int]) -> None:
        self._spans = {"sym": sym, "size": size}

    def span(self, group: str) -> tuple[int, int]:
        return self._spans[group]


def declaration_on_words(head: str, sizes: str | None, m: Any) -> ast.Declaration | None:
    """``head \\in \\mathbb{R}^{sizes}`` (``\\mathbb{R}`` where ``sizes`` is None) parsed,
    its spans moved onto the words it was read from: inside the symbol onto ``m``'s ``sym``
    group, the rest onto its ``size`` group (``m`` a match, or a :class:`WordSpans`).
    None where the words make no declaration of one symbol."""
    from . import _parse_text

    space = "\\mathbb{R}" if sizes is None else f"\\mathbb{{R}}^{{{sizes}}}"
    try:
        found, _ = _parse_text(f"{head} \\in {space}", mixed=False)
    except PapermathError:  # words that do not make a declaration: left as prose
        return None
    decls = [s for s in found if isinstance(s, ast.Declaration)]
    if len(decls) != 1 or len(decls[0].targets) != 1:
        return None
    sym_start, sym_end = m.span("sym")
    size_start, size_end = m.span("size")

    def where(span: Span) -> Span:
        if span.end <= len(head):  # inside the symbol: onto the symbol as written
            start = min(sym_start + span.start, sym_end - 1)
            return Span(start, max(start + 1, min(sym_end, sym_start + span.end)))
        return Span(size_start, size_end)

    moved: ast.Declaration = _remap(decls[0], where)
    return moved
