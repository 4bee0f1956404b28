# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``concat-call``: ``\mathrm{concat}(a, b)``, ``\mathrm{CONCAT}(a, b)``,
``\operatorname{Concat}(a, b, c)``: the concatenation of the values, written as a function
(DGL's SAGEConv docstring, GraphSAGE's Algorithm 1).

What people write::

    h_{i}^{(l+1)} = \sigma\left(W \cdot \mathrm{concat}(h_{i}^{l}, h_{\mathcal{N}(i)}^{l+1})\right)
    \mathbf{h}^{k}_{v} \leftarrow \sigma\left(\mathbf{W}^{k} \cdot \mathrm{CONCAT}(\mathbf{h}^{k-1}_{v}, \mathbf{h}^{k}_{\mathcal{N}(v)})\right)

How papermath reads it: as ``[a; b]``, the values stacked along the feature axis in the order
written (two d-vectors make one of 2d), as brackets with semicolons are read; the reading
says so. A function papermath does not know is otherwise read as a learnable one (an affine
map of its arguments), which concat is not. Only the word concat (any case) in roman type
(``\mathrm``, ``\operatorname``, ``\text``) with two or more arguments and no dots;
``\mathrm{Concat}(head_1, \dots, head_h)`` (a family) is read by the attention rules.

Example (reads; h and g vectors of d, W d x 2d)::

    y = W \mathrm{concat}(h, g), h \in \mathbb{R}^{d}, g \in \mathbb{R}^{d}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .rules_brace_typos import rewrite_statements

if TYPE_CHECKING:
    from .reader import Reader

RULE = "concat-call"


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Every ``\\mathrm{concat}(a, b, ...)`` as ``[a; b; ...]`` (noted)."""

    def fix(node: ast.Node) -> ast.Node:
        match node:
            case ast.Call(func=ast.Text(content=word) as func, args=args) if (
                word.strip().lower() == "concat"
                and len(args) >= 2
                and not any(isinstance(a, ast.Dots) for a in args)
            ):
                written = " ".join(reader.source.snippet(func.span).split())
                reader.note(
                    node.span,
                    "concatenation",
                    f"{written}(...) concatenates its {len(args)} arguments: read as [a; b], the "
                    "values stacked along the feature axis in the order written (not a "
                    "learnable function)",
                )
                return ast.Bracket(node.span, args, ";")
        return node

    return rewrite_statements(statements, fix)
