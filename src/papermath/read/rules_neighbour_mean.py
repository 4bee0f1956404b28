# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``neighbour-mean``: ``\mathrm{mean}_{j \in \mathcal{N}(i)} x_j``, the mean over
the neighbours j of node i (GraphSAGE's mean aggregator, PyTorch Geometric's SAGEConv).

What people write::

    \mathbf{x}^{\prime}_i = \mathbf{W}_1 \mathbf{x}_i + \mathbf{W}_2 \cdot \mathrm{mean}_{j \in \mathcal{N}(i)} \mathbf{x}_j

How papermath reads it: the sum over the neighbours divided by their number,
``\frac{1}{|\mathcal{N}(i)|} \sum_{j \in \mathcal{N}(i)} x_j``, each read by the rules that
exist (a sum over neighbours, ``|\mathcal{N}(i)|`` the degree, ``\max(a, 1)``): so every stage
(shapes, code, gradients) has it. The body is the whole product that follows, up to the next
``+`` or ``-``, as a sum's body is. ``\mathrm{mean}`` (also ``\operatorname{mean}``, ``\text{mean}``) with a
neighbourhood under it only; a mean with any other subscript is read as before.

A node with no neighbours has no mean (0/0): it gets 0, as PyTorch Geometric's and DGL's mean
aggregators give, the number of neighbours counted as at least 1 (``\max(|\mathcal{N}(i)|,
1)``); the reading says so. (R-GCN's written ``\frac{1}{|\mathcal{N}_r(i)|}`` is read as
written.)

Examples (each reads; x' and x vectors, W_1 and W_2 matrices)::

    x'_i = W_1 x_i + W_2 \cdot \mathrm{mean}_{j \in \mathcal{N}(i)} x_j, x_i \in \mathbb{R}^{F}, x'_i \in \mathbb{R}^{G}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from ..parse import ast
from ..source import Span
from .rules_brace_typos import rewrite_statements
from .syntax import neighbourhood_of

if TYPE_CHECKING:
    from .reader import Reader

MEAN_WORDS = frozenset({"mean"})
PRODUCT_OPS = frozenset({"cdot", "times", "ast", "star", "*", "."})


def mean_over_hood(node: ast.Node) -> ast.ScriptIn | None:
    """The ``j \\in \\mathcal{N}(i)`` of ``\\mathrm{mean}_{j \\in \\mathcal{N}(i)}``, else None."""
    if not isinstance(node, ast.Sub) or not isinstance(node.script, ast.ScriptIn):
        return None
    head = node.base
    word = head.content.strip() if isinstance(head, ast.Text) else None
    if word not in MEAN_WORDS or not isinstance(node.script.left, ast.Letter):
        return None
    return node.script if neighbourhood_of(node.script.right) is not None else None


def factors(node: ast.Juxt) -> list[ast.Node]:
    """``a b c`` (left-nested) as [a, b, c]."""
    out: list[ast.Node] = []
    at: ast.Node = node
    while isinstance(at, ast.Juxt):
        out.append(at.right)
        at = at.left
    out.append(at)
    return out[::-1]


def chain(items: list[ast.Node]) -> ast.Node:
    out = items[0]
    for x in items[1:]:
        out = ast.Juxt(Span(out.span.start, x.span.end), out, x)
    return out


def mean_tail(node: ast.Node) -> tuple[Callable[[ast.Node], ast.Node], ast.Sub] | None:
    """A factor that ends in the mean operator: the operator itself, or a product written with
    an operator whose right side ends in it (``W \\cdot \\mathrm{mean}_{j \\in N(i)}``, which
    the grammar groups before the juxtaposition that follows). Returns a function that puts
    a node in the operator's place, and the operator; None where the factor does not end so."""
    if mean_over_hood(node) is not None:
        assert isinstance(node, ast.Sub)
        return (lambda repl: repl), node
    if isinstance(node, ast.BinOp) and node.op in PRODUCT_OPS:
        inner = mean_tail(node.right)
        if inner is not None:
            put, op = inner
            binop = node

            def put_here(repl: ast.Node) -> ast.Node:
                right = put(repl)
                return replace(binop, span=Span(binop.span.start, right.span.end), right=right)

            return put_here, op
    return None


def neighbour_means(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``\\mathrm{mean}_{j \\in \\mathcal{N}(i)} body`` -> ``\\frac{\\sum_{j \\in
    \\mathcal{N}(i)} body}{\\max(|\\mathcal{N}(i)|, 1)}`` in every right side, noted. A chain
    of factors is taken whole (outermost first): the body is every factor after the mean."""

    def mean_of(items: list[ast.Node]) -> ast.Node | None:
        at, tail = next(
            ((k, found) for k, x in enumerate(items[:-1]) if (found := mean_tail(x)) is not None),
            (None, None),
        )
        if at is None or tail is None:
            return None  # no mean, or a mean with nothing after it (refused as before)
        put, op = tail
        script = mean_over_hood(op)
        assert script is not None
        body = chain(items[at + 1 :])
        span = Span(op.span.start, body.span.end)
        hood = script.right
        total = ast.BigOp(span, "sum", script, None, body)
        count = ast.Abs(hood.span, hood)
        at_least_one = ast.Call(
            hood.span,
            ast.FunctionName(hood.span, "max"),
            (count, ast.Number(hood.span, "1")),
        )
        mean = ast.Frac(span, total, at_least_one)
        written = " ".join(reader.source.snippet(span).split())
        j = script.left.name if isinstance(script.left, ast.Letter) else "j"
        over = " ".join(reader.source.snippet(hood.span).split())
        reader.note(
            span,
            "mean over the neighbours",
            f"{written} is the mean over the neighbours {j} in {over}: their sum divided by "
            f"their number, \\frac{{1}}{{|{over}|}} \\sum_{{{j} \\in {over}}} (...); a node "
            "with no neighbours has no mean, and gets 0 (its number counted as at least 1, "
            "as the mean aggregators of PyTorch Geometric and DGL do)",
        )
        return chain([*items[:at], put(mean)])

    def fix(node: ast.Node) -> ast.Node:
        if not isinstance(node, ast.Juxt):
            return node
        items = factors(node)
        inner = [rebuild_outside_chains(x) for x in items]
        found = mean_of(inner)
        if found is not None:
            return found
        return node if all(a is b for a, b in zip(inner, items, strict=True)) else chain(inner)

    def rebuild_outside_chains(node: ast.Node) -> ast.Node:
        """``node`` with every chain of factors under it rewritten by ``fix``, outermost first."""
        if isinstance(node, ast.Juxt):
            return fix(node)
        changed: dict[str, Any] = {}
        for f in fields(node):
            old = getattr(node, f.name)
            if isinstance(old, ast.Node):
                new: object = rebuild_outside_chains(old)
            elif isinstance(old, tuple):
                items = tuple(
                    rebuild_outside_chains(x) if isinstance(x, ast.Node) else x for x in old
                )
                new = old if all(a is b for a, b in zip(items, old, strict=True)) else items
            else:
                continue
            if new is not old:
                changed[f.name] = new
        return replace(node, **changed) if changed else node

    return rewrite_statements(statements, rebuild_outside_chains, top_down=True)
