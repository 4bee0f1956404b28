"""The nodes that prose makes (parse.prose, parse.prose_shapes): a declaration said in words,
and moving a parsed node's spans onto the words it was read from."""

from __future__ import annotations

import dataclasses
from typing import Any

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
