r"""Notation rule ``member-range``: a subscript that names the members 1 to h of a family of
heads, on a declaration, as UvA's Transformer tutorial declares multi-head attention's weights:

    \text{head}_i = \text{Attention}(QW_i^Q, KW_i^K, VW_i^V)
    ... the learnable parameters $W_{1...h}^{Q}\in\mathbb{R}^{D\times d_k}$

How papermath reads it: ``W_{1...h}^{Q}`` is every member W_1^Q, ..., W_h^Q of the family the
head index i runs over (``\mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)``: i = 1..h),
so the declaration declares each, as ``W_i^Q \in \mathbb{R}^{D \times d_k}`` does. Also
``1,\dots,h``, ``1, \ldots, h`` and ``1..h`` (the dots as written). Read only where the upper
end is the count of a family of heads the source defines; any other range in a subscript stays
refused ("cannot read the subscript").

Example that reads (W^Q one D x d_k matrix per head)::

    M = \mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h) W^O
    \mathrm{head}_i = Q W_i^Q
    W_{1...h}^{Q} \in \mathbb{R}^{D \times d_k}, Q \in \mathbb{R}^{n \times D}
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader, SymParts

# 1...h, 1,\dots,h, 1, \ldots, h, 1..h (the text of the subscript, spaces and braces dropped)
_RANGE = re.compile(r"1,?(?:\.\.\.?|\\l?dots|\\cdots|…),?([A-Za-z])")


def subscript(reader: Reader, parts: SymParts, item: ast.Node, quiet: bool) -> bool:
    """``W_{1...h}``: the members 1 to h of a family of heads (True: parts.head set); False
    where the rule does not apply."""
    written = re.sub(r"[\s{}]", "", reader.source.snippet(item.span))
    m = _RANGE.fullmatch(written)
    if m is None:
        return False
    head = next(
        (i for i in reader.out.indices.values() if i.kind == "head" and i.size == m.group(1)),
        None,
    )
    if head is None:
        return False
    parts.head = head.letter
    if not quiet:
        end = item.span.end + (reader.source.text[item.span.end : item.span.end + 1] == "}")
        reader.note(
            Span(parts.span.start, end),
            f"every member of the family ({head.letter} = 1..{head.size})",
            f"{reader.source.snippet(Span(parts.span.start, end))} names the members 1 to "
            f"{head.size} of the family the head index {head.letter} runs over: read as "
            f"{parts.base}_{head.letter}, one per head (a declaration of it declares each) "
            "(rule member-range)",
        )
    return True
