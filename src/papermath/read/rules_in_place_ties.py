"""The shape of a value replaced in place (parse/in_place.py, rule
``update-of-an-input-first``): ``x_j \\leftarrow \\sigma(W_3 x_j + b)`` keeps x's name, so the new
value (key ``x_breve``) has x's shape: W_3 maps x's width to x's width. The reading of the
update says so; the shapes tie the two keys (as read/rules_recursion.py ties a recursion's
orders)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.in_place import UpdatedInput

if TYPE_CHECKING:
    from .reader import Reader


def tie(reader: Reader, statements: list[ast.Statement]) -> None:
    """Each update of an input: its new value's key takes the input's shape."""
    for s in statements:
        if not isinstance(s, UpdatedInput):
            continue
        new = reader.symbol(s.lhs, quiet=True)
        old = _unbreved(s.lhs)
        before = reader.symbol(old, quiet=True) if old is not None else None
        if new is not None and before is not None and new.key != before.key:
            reader.out.tied_shapes[new.key] = before.key


def _unbreved(node: ast.Node) -> ast.Node | None:
    """``\\breve{x}_j`` as ``x_j``: the breve on the letter taken off."""
    match node:
        case ast.Sub() | ast.Sup() | ast.Prime():
            base = _unbreved(node.base)
            return None if base is None else dataclasses.replace(node, base=base)
        case ast.Decorated(decor="breve", body=body):
            return body
    return None
