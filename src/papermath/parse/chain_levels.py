r"""Notation rule ``chain-sum-then-entry``: a chain of equalities whose middle side sums over an
index and whose next side is the formula for ONE value of that index, refused.

What people write (a blog's copy of PyTorch's SmoothL1Loss, where the docstring has two
lines, ``\text{loss}(x, y) = \frac{1}{n} \sum_{i} z_{i}`` and ``z_{i} = ...``, run into one)::

    \text{loss}(x, y) = \frac{1}{n} \sum_{i} z_{i} = \begin{cases} 0.5 (x_i - y_i)^2, & ...

Read literally, the chain says the mean of z over i (one value for all i together) equals a
formula of x_i and y_i (one value for each i): two things of different kinds cannot be
equal, and no reading of the chain is the one the author meant without guessing which side
was meant to define z_i. papermath refuses, with the caret on the sum and the message naming
its summand, and the hint to write the per-entry value as its own equation.

It fires only where the index is bound by a sum (or product) on one side, free in a later
side (``x_i`` with no sum over i there), and free nowhere on the left side (``h_i = \sum_j
a_{ij} x_j = ...`` keeps i on the left: per i on every side, read as usual). A chain whose
sides all sum over i (``L = \sum_i l_i = \sum_i (x_i - y_i)^2``) reads as before.

Examples (refused)::

    \text{loss}(x, y) = \frac{1}{n} \sum_{i} z_{i} = (x_i - y_i)^2
    L = \sum_{k} e_{k} = |x_k - y_k|
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

__all__ = ["check"]


def _index(node: ast.Node | None) -> str | None:
    """The letter of a subscript ``i``, ``{i}``; None for anything else."""
    while isinstance(node, ast.Brace) and len(node.items) == 1:
        node = node.items[0]
    return node.name if isinstance(node, ast.Letter) else None


def _letter(node: ast.Node) -> str | None:
    """The letter of a symbol through its fonts: ``\\mathbf{z}`` -> ``z``."""
    while isinstance(node, ast.Font | ast.Decorated):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def _bound(node: ast.Node) -> set[str]:
    """Index letters a sum or product under ``node`` binds (``\\sum_i``, ``\\sum_{i=1}^n``), or an
    operator written with its index (``\\max_i``, ``\\mathrm{softmax}_j``)."""
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Sub) and isinstance(n.base, ast.FunctionName | ast.Text):
            letter = _index(n.script)
            if letter is not None:
                out.add(letter)
        if isinstance(n, ast.BigOp) and n.sub is not None:
            sub = n.sub.left if isinstance(n.sub, ast.ScriptEq | ast.ScriptIn) else n.sub
            letter = _index(sub)
            if letter is not None:
                out.add(letter)
    return out


def _free(node: ast.Node) -> dict[str, ast.Sub]:
    """Index letters written as a subscript under ``node`` (``x_i``) that no sum there binds,
    each with its first such symbol."""
    bound = _bound(node)
    out: dict[str, ast.Sub] = {}
    for n in ast.walk(node):
        if isinstance(n, ast.Sub):
            letter = _index(n.script)
            if letter is not None and letter not in bound:
                out.setdefault(letter, n)
    return out


def _summand(node: ast.Node, i: str) -> ast.Sub | None:
    """The first ``z_i`` under a sum over i in ``node``."""
    for n in ast.walk(node):
        if isinstance(n, ast.BigOp) and i in _bound(n):
            for m in ast.walk(n.body):
                if isinstance(m, ast.Sub) and _index(m.script) == i:
                    return m
    return None


def check(sides: list[ast.Node], text: str) -> None:
    """Refuse a chain ``a = \\sum_i z_i = f(x_i)`` (see the module)."""

    def shown(node: ast.Node) -> str:
        return " ".join(text[node.span.start : node.span.end].split())

    left = _free(sides[0])
    for k in range(1, len(sides) - 1):
        for i in sorted(_bound(sides[k])):
            summand = _summand(sides[k], i)
            if summand is None or i in left or i in _free(sides[k]):
                continue
            for later in sides[k + 1 :]:
                entry = _free(later).get(i)
                if entry is None:
                    continue
                z = _letter(summand.base) or re.sub(r"[{}\s]", "", shown(summand.base))
                raise ParseError(
                    f"the chain says {shown(sides[k])}, a sum over {i} (one value for all "
                    f"{i} together), equals a formula of {shown(entry)}, one value for each "
                    f"{i}: they cannot be equal; the formula is presumably that of "
                    f"{shown(summand)}, the entries of {z}, run into the line that sums them",
                    span=Span(sides[k].span.start, sides[k].span.end),
                    hint=f"write the entries as their own equation, {shown(summand)} = ..., "
                    f"and the sum on its own line, {shown(sides[0])} = {shown(sides[k])}, with "
                    f"the range of {i} written (\\sum_{{{i}=1}}^{{n}}) and the vectors "
                    "declared (x \\in \\mathbb{R}^{n})",
                )
