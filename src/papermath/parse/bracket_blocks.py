r"""Rule ``bracket-blocks``: names side by side in square brackets, ``[W_{hx} W_{hh}]``, with
nothing else in the brackets, as NYU's Deep Learning course notes write an RNN's weight (week
6): ``W_h \dot= \left[ W_{hx} W_{hh}\right]``, "W_h can be written as two separate matrices".

Square brackets around names written side by side are a matrix of blocks placed beside each
other (as MATLAB writes ``[A B]``, an augmented matrix ``[A b]``), or a product in brackets:
the parser sees a product, and read so W_{hh} would be a matrix multiplying W_{hx}, which the
source does not say. Block matrices with several columns are not read yet.

How papermath reads it: refused at the brackets, with the hint to write a product without
brackets (``W_{hx} W_{hh}``) or to give the blocks as their own equations. Only where the
brackets stand as a value of their own (the whole right side of an equation, or a term of a
sum): brackets after a function's name (``\tanh[W x]``) or beside a value (``W[x]``) are left
to the other rules.

Example (refused, caret on the brackets)::

    W_h = [W_{hx} W_{hh}]
"""

from __future__ import annotations

from ..errors import ParseError
from ..source import Span
from . import ast

RULE = "bracket-blocks"


def _factors(node: ast.Node) -> list[ast.Node]:
    if isinstance(node, ast.Juxt):
        return _factors(node.left) + _factors(node.right)
    return [node]


def _name(node: ast.Node) -> bool:
    """A name: a letter, perhaps in a font, decorated, with a subscript or superscript."""
    while isinstance(node, ast.Font | ast.Decorated | ast.Sub | ast.Sup | ast.Prime):
        node = node.body if isinstance(node, ast.Font | ast.Decorated) else node.base
    return isinstance(node, ast.Letter)


def _blocks(node: ast.Node) -> bool:
    """``[A B]``: a bracket holding only two or more names side by side."""
    if not isinstance(node, ast.Bracket) or len(node.items) != 1:
        return False
    factors = _factors(node.items[0])
    return len(factors) >= 2 and all(_name(f) for f in factors)


def _standing(node: ast.Node) -> list[ast.Node]:
    """The values that stand on their own in ``node``: itself, and the terms of a sum."""
    if isinstance(node, ast.BinOp) and node.op in ("+", "-"):
        return _standing(node.left) + _standing(node.right)
    if isinstance(node, ast.Neg):
        return _standing(node.body)
    return [node]


def check(text: str, statements: list[ast.Statement]) -> None:
    """Refuse the first bracket of names side by side that stands as a value of its own."""
    for s in statements:
        if not isinstance(s, ast.Definition):
            continue
        for value in _standing(s.rhs):
            if _blocks(value):
                raw = text[value.span.start : value.span.end]
                written = " ".join(raw.replace("\\right", " ").replace("\\left", " ").split())
                raise ParseError(
                    f"{written}: names side by side in square brackets are a matrix of blocks "
                    "beside each other (as [A B] is written) or a product in brackets; papermath "
                    "does not guess, and block matrices with several columns are not read yet",
                    span=Span(value.span.start, value.span.end),
                    hint="for a product, write it without the brackets (A B); for blocks, give "
                    "each block its own equation",
                )
