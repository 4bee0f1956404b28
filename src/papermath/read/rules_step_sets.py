r"""Notation rule ``step-count-from-set``: an index declared in a counted set, ``i \in \{1, \dots,
\text{output_dims}\}`` (as parse/prose_index.py declares MLX's Bilinear "i indexes the output
dimension"), numbers its values by the set's last element: the parameters one per i (``W_i``)
are ``output_dims`` of them, and the generated code asks for that size, not for a letter of
its own (``I``).

Example that reads: ``y_i = W_i x`` beside ``i \in \{1, \dots, O\}`` (O matrices W_i).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import size_text

if TYPE_CHECKING:
    from .reader import ReadResult


def counted(space: ast.Node) -> str | None:
    """``\\{1, \\dots, N\\}`` -> N (a size name or a number); None for any other set."""
    match space:
        case ast.SetLiteral(items=(ast.Number(text="1"), ast.Dots(), last)):
            if isinstance(last, ast.Text):
                word = last.content.strip()
                return word if word.replace("_", "").isalnum() else None
            return size_text(last)
    return None


def declared_count(result: ReadResult, index: str) -> str | None:
    """The size a step index's declaration counts it to, or None."""
    info = result.indices.get(index)
    return info.size if info is not None and info.kind == "step" else None
