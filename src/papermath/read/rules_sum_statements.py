# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``statement-about-a-sum`` (a refusal): an equation whose left side is a sum or a
product, not a symbol,

    This can be addressed by using the fact that $\sum_{i=0}^{t-1} \beta^i = \frac{1 - \beta^t}{1 - \beta}$ to re-normalize terms.

(d2l's Adam section: the closed form of a geometric series, a fact the text uses), or
``\sum_j \alpha_{ij} = 1`` (a constraint: attention weights sum to one).

What it is: a statement about a sum, an identity or a constraint the text states; it defines
no value (nothing on its left is a name the equations could use). papermath reads ``name =
expression`` and does not guess whether the text means a fact to check, a constraint the
model keeps, or a value it computes: it refuses at the sum with what it is, instead of "the
left side must be one symbol", and the hint says both ways out (name the value if the model
computes it; delete a fact the text only states).

Refused (caret on the sum)::

    s = \beta, \sum_{i=0}^{K-1} \beta^i = \frac{1 - \beta^K}{1 - \beta}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

RULE = "statement-about-a-sum"


def refuse(reader: Reader, lhs: ast.Node) -> None:
    """Raise at a left side that is a sum or a product (``\\sum_i a_i = ...``)."""
    while isinstance(lhs, ast.Paren):
        lhs = lhs.body
    if not (isinstance(lhs, ast.BigOp) and lhs.op in ("sum", "prod")):
        return
    written = " ".join(reader.source.snippet(lhs.span).split())
    raise reader.error(
        f"{written} = ...: a statement about a {'product' if lhs.op == 'prod' else 'sum'} (an "
        "identity, such as its closed form, or a constraint the text states), not a "
        "definition: nothing on the left is a name the equations could use",
        lhs.span,
        hint=f"if the model computes it, name it (s = {written}); a fact the text only states "
        "can be deleted",
    )
