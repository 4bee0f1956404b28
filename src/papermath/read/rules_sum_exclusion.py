r"""Notation rule ``sum-exclusion``: a sum over every index but one, ``\sum_{j \neq y_i}``,
``\sum_{j=1, j \neq y_i}^{K}`` (parse/sum_exclusions.py parses it).

What people write (CS231n's multiclass SVM loss; PyTorch's MultiMarginLoss written out)::

    L_i = \sum_{j \neq y_i} \max(0, s_j - s_{y_i} + \Delta)

How papermath reads it: the sum over all j of the body, minus the body at j = y_i: the one
term the subscript skips, subtracted, is the same number as the term left out wherever that
term is finite. So the reading is the sum as written without the exclusion, less the body
with the skipped value in place of the index (``s_{y_i}`` for ``s_j``), read as the source
writes it there (``s_{y_i}``: the entry of s at the label y_i, operators.label-pick); every
later stage (shapes, code, gradients, explain) follows from those two terms, and the readings
say so. The range, where written, is the sum's as before (``\sum_{j=1}^{K}``).

Refused (at the sum): a product that skips a factor (dividing the factor out is not the same
number where it is 0), a skipped value that is not a symbol's entry ``y_i`` (``\sum_{j \neq
y}``, ``\sum_{j \neq i}``: a label with no example index, or another index, would be read as
a label of the body's symbols, not as the entry it stands for), and a body whose terms do not
write the index (nothing to skip).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..parse import ast
from ..parse.sum_exclusions import SumExclusion, letters
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader

RULE = "sum-exclusion"

__all__ = ["RULE", "rewrite"]


def _put(node: Any, name: str, value: ast.Node, where: Span) -> Any:
    """``node`` with every letter ``name`` replaced by ``value``, its other nodes placed at
    ``where`` (the subscript that skips: what explain and carets show for the skipped term,
    not the body's text, which would name the index)."""
    if isinstance(node, tuple):
        return tuple(_put(x, name, value, where) for x in node)
    if isinstance(node, ast.Letter) and node.name == name:
        return value
    if not isinstance(node, ast.Node):
        return node
    changes = {
        f.name: _put(getattr(node, f.name), name, value, where)
        for f in dataclasses.fields(node)
        if f.name != "span"
    }
    return dataclasses.replace(node, span=where, **changes)


def _entry(node: ast.Node) -> bool:
    """``y_i``: a symbol's entry at one letter index."""
    return (
        isinstance(node, ast.Sub)
        and isinstance(node.base, ast.Letter)
        and isinstance(node.script, ast.Letter)
    )


def _read(reader: Reader, big: ast.BigOp) -> ast.Node:
    sub = big.sub
    assert isinstance(sub, SumExclusion)
    assert isinstance(sub.index, ast.Letter)
    span = big.span
    if big.op != "sum":
        raise reader.error(
            f"a product that skips a factor (\\{big.op}_{{j \\neq ...}}) is not read: dividing "
            "the factor out is not the same number where that factor is 0",
            span,
            hint="write the product over the values it runs over, or as the exponential of "
            "a sum of logarithms",
        )
    if not _entry(sub.skipped):
        written = reader.source.snippet(sub.skipped.span)
        raise reader.error(
            f"the sum skips {sub.index.name} = {written}: papermath reads a skipped value "
            f"written as a label per example (\\sum_{{j \\neq y_i}}, y_i the class of example "
            f"i); {written} in place of {sub.index.name} in the body would read as a label of "
            "its symbols, not as the entry it stands for",
            sub.skipped.span,
            hint="write the label with the example's index (\\sum_{j \\neq y_i} s_j with "
            "s_i = ...), or the whole sum minus the term skipped, written as an entry",
        )
    if sub.index.name not in letters(big.body):
        raise reader.error(
            f"the sum skips a value of {sub.index.name}, which its body does not write",
            span,
            hint=f"write the body with the index {sub.index.name}",
        )
    whole = dataclasses.replace(big, sub=sub.start if sub.start is not None else sub.index)
    term = _put(big.body, sub.index.name, sub.skipped, sub.span)
    reader.note(
        sub.span,
        f"the sum over every {sub.index.name} but {reader.source.snippet(sub.skipped.span)}",
        f"read as the sum over all {sub.index.name} minus the term at "
        f"{sub.index.name} = {reader.source.snippet(sub.skipped.span)} (the same number, the "
        "term being finite)",
    )
    return ast.BinOp(span, "-", whole, term, sub.neq_span)


def _walk(reader: Reader, node: Any) -> Any:
    if isinstance(node, tuple):
        return tuple(_walk(reader, x) for x in node)
    if not isinstance(node, ast.Node):
        return node
    changes = {f.name: _walk(reader, getattr(node, f.name)) for f in dataclasses.fields(node)}
    node = dataclasses.replace(node, **changes)
    if isinstance(node, ast.BigOp) and isinstance(node.sub, SumExclusion):
        return _read(reader, node)
    return node


def _has(node: Any) -> bool:
    if isinstance(node, tuple):
        return any(_has(x) for x in node)
    if isinstance(node, SumExclusion):
        return True
    if not isinstance(node, ast.Node):
        return False
    return any(_has(getattr(node, f.name)) for f in dataclasses.fields(node))


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each sum that skips an index read as the whole sum less that term
    (see the module)."""
    return [_walk(reader, s) if _has(s) else s for s in statements]
