# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``order-value-after-the-sum``: a value that carries the order k of a sum over
the orders of a recursion, written after the sum, ``\sum_{k=0}^{K-1} \T^{(k)} \W^{(k)} +
\b^{(k)}``: read for its shapes, its code refused until the source says which it means.

What people write (Spektral's ChebConv docstring)::

    \X' = \sum \limits_{k=0}^{K - 1} \T^{(k)} \W^{(k)}  + \b^{(k)},

A sum's body ends at the next + or -, so ``\b^{(k)}`` stands outside the sum, where k is bound
by nothing. Two readings are left: one b per order, inside the sum (``\sum_k (\T^{(k)} \W^{(k)}
+ \b^{(k)})``, k written on purpose, the parentheses left out), or one bias added once after the
sum (``+ \b``, the k a slip; Spektral's layer has one bias). Both give b the same shape (a
vector of the output features, added to every row) and the same kind (a learned weight), and
the sum the same shape: they differ only in the code (K biases summed, or one).

How papermath reads it: for shapes, kinds, explain and the diagram, inside the sum (the only
place its k is bound): one b per order, a bias added to each term. ``code`` and ``check``
refuse at it by name: the hint says to write the parentheses where there is one per order (one
bias added once after a sum over the orders is not read yet). The readings say so. Only the last term of the sum's line, after a sum over the orders of a
recursion (read/rules_recursion.py) that carries the same k in parentheses; a value carrying k
elsewhere stays refused (which order, the source does not say).

Examples (each reads for its shapes; X N x F)::

    X' = \sum_{k=1}^{K} Z^{(k)} \Theta^{(k)} + b^{(k)}, Z^{(1)} = X, Z^{(2)} = L X, Z^{(k)} = 2 L Z^{(k-1)} - Z^{(k-2)}, X \in \mathbb{R}^{N \times F}
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from .syntax import is_symbolish

if TYPE_CHECKING:
    from .reader import Reader

RULE = "order-value-after-the-sum"


def _order_letter(node: ast.Node) -> str | None:
    """k of ``b^{(k)}`` (a symbol with one letter in parentheses written up); else None."""
    if not (isinstance(node, ast.Sup) and isinstance(node.script, ast.Paren)):
        return None
    if not is_symbolish(node.base) or not isinstance(node.script.body, ast.Letter):
        return None
    return node.script.body.name


def absorb(
    reader: Reader, statements: list[ast.Statement], letters: set[str]
) -> list[ast.Statement]:
    """``X' = \\sum_k T^{(k)} W^{(k)} + b^{(k)}`` (k a recursion's order letter in ``letters``)
    rewritten as ``X' = \\sum_k (T^{(k)} W^{(k)} + b^{(k)})``, b's code refused (noted); the
    rest as it was."""
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition) and (new := _absorbed(reader, s, letters)) is not None:
            out.append(ast.keep_attached(new, s))
        else:
            out.append(s)
    return out


def _absorbed(reader: Reader, s: ast.Definition, letters: set[str]) -> ast.Definition | None:
    rhs = s.rhs
    if not (isinstance(rhs, ast.BinOp) and rhs.op == "+"):
        return None
    total, value = rhs.left, rhs.right
    if not (isinstance(total, ast.BigOp) and total.op == "sum"):
        return None
    sub = total.sub
    if not (isinstance(sub, ast.ScriptEq) and isinstance(sub.left, ast.Letter)):
        return None
    k = sub.left.name
    if k not in letters or _order_letter(value) != k:
        return None
    assert isinstance(value, ast.Sup)
    parts = reader.symbol(value.base, quiet=True)
    if parts is None:
        return None
    body = ast.BinOp(
        span=Span(total.body.span.start, value.span.end),
        op="+",
        left=total.body,
        right=value,
        op_span=rhs.op_span,
    )
    whole = dataclasses.replace(total, span=Span(total.span.start, value.span.end), body=body)
    written = " ".join(reader.source.snippet(value.span).split())
    base = " ".join(reader.source.snippet(value.base.span).split())
    reader.note(
        value.span,
        f"{written} read inside the sum over {k}",
        f"{written} carries the order {k} of the sum before it but stands after the sum's body "
        f"(which ends at the +): read for its shapes inside the sum, one {parts.key} per order "
        f"added to each term (the only place {k} is bound); one {base} added once after the "
        f"sum (the {k} a slip) gives it the same shape and kind, so the shapes are read and "
        "the code asks which",
    )
    reader.out.shapes_only.setdefault(
        parts.key,
        (
            value.span,
            f"if there is one per order, put it inside the sum's parentheses (\\sum_{{{k}}} "
            f"(... + {written})); one {base} added once after a sum over the orders (the {k} a "
            "slip) is not read yet (a sum over the orders is read only as a whole right side)",
        ),
    )
    return dataclasses.replace(s, rhs=whole)
