r"""Notation rule ``sum-subscript-run-on``: ``\sum_kexp(b_{ik})`` (a Chinese CapsNet README's
routing softmax, ``c_{ij} = \frac{exp(b_{ij})}{\sum_kexp(b_{ik})}``): in LaTeX a subscript
without braces is one character, so this is ``\sum_k exp(b_{ik})``, the sum over k of the
exponential; the parser, which reads ``W_xf`` as the label xf, reads ``kexp`` whole.

How papermath reads it: a sum whose subscript is one letter run into a function's name
(``kexp``, ``jlog``), followed by the function's parenthesis, is the sum over that letter of
the function applied to the parenthesis, as LaTeX typesets it; the readings say so. Anything
else under a sum is read as before.

Example that reads: ``y = \sum_jexp(x_j)`` (the sum over j of exp(x_j)).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..parse import ast
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader


def _fixed(node: ast.BigOp) -> ast.BigOp | None:
    sub, body = node.sub, node.body
    if not (
        isinstance(sub, ast.Juxt)
        and isinstance(sub.left, ast.Letter)
        and isinstance(sub.right, ast.FunctionName)
        and isinstance(body, ast.Paren)
        and sub.right.span.end == body.span.start
    ):
        return None
    call = ast.Call(Span(sub.right.span.start, body.span.end), sub.right, (body.body,))
    return dataclasses.replace(node, sub=sub.left, body=call)


def _walk(node: Any, found: list[ast.BigOp]) -> Any:
    if isinstance(node, tuple):
        return tuple(_walk(x, found) for x in node)
    if not isinstance(node, ast.Node):
        return node
    changes = {f.name: _walk(getattr(node, f.name), found) for f in dataclasses.fields(node)}
    node = dataclasses.replace(node, **changes)
    if isinstance(node, ast.BigOp) and (fixed := _fixed(node)) is not None:
        found.append(fixed)
        return fixed
    return node


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each run-on subscript split (see the module)."""
    out: list[ast.Statement] = []
    for s in statements:
        found: list[ast.BigOp] = []
        new = _walk(s, found)
        for big in found:
            assert isinstance(big.sub, ast.Node) and isinstance(big.body, ast.Call)
            letter = reader.source.snippet(big.sub.span)
            name = reader.source.snippet(big.body.func.span)
            reader.note(
                Span(big.sub.span.start, big.body.func.span.end),
                "sum index run into a function",
                f"_{letter}{name}: in LaTeX a subscript without braces is one character, so "
                f"the sum runs over {letter} and {name}(...) is its body",
            )
        out.append(new if found else s)
    return out
