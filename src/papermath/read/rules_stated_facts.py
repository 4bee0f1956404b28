# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``stated-fact``: inline math the prose calls a fact or an identity, with a sum
or a product on its left, is a fact the text uses in its argument, not an equation of the model.

What people write (d2l's Adam section, 12.10, on the bias of the moving averages)::

    This can be addressed by using the fact that $\sum_{i=0}^{t-1} \beta^i = \frac{1 - \beta^t}{1 - \beta}$ to re-normalize terms.

How papermath reads it: the words right before the math ("the fact that", "the identity") say
what it is: an identity the text states (here the closed form of a geometric series) to
justify a step of its argument. It defines no value (its left side is a sum, no name the
equations could use), so it is left out of the model, and the readings say so, quoting the
words. Only a left side that is a sum or a product is read so, and only where the words say
fact or identity; any other statement about a sum stays refused by
``statement-about-a-sum`` (read/rules_sum_statements.py), as does the same equation with no
such words (``\sum_j \alpha_{ij} = 1`` may be a constraint the model keeps).

Example that reads (the identity left out, v read as the recurrence over t)::

    We use the fact that $\sum_{i=0}^{t-1} \beta^i = \frac{1 - \beta^t}{1 - \beta}$ here. $$v_t = \beta v_{t-1} + g_t$$
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

RULE = "stated-fact"

# "the fact that $", "the identity $", "the identity that \(": the words right before the math
_SAID = re.compile(
    r"\b(?P<words>(?:the|a|an)\s+(?:fact|identity)(?:\s+that)?)\s*(?:\$|\\\()\s*$", re.IGNORECASE
)


def _sum_left(node: ast.Node) -> bool:
    while isinstance(node, ast.Paren):
        node = node.body
    return isinstance(node, ast.BigOp) and node.op in ("sum", "prod")


def drop(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements without the facts the prose states (noted)."""
    out: list[ast.Statement] = []
    text = reader.source.text
    for s in statements:
        if isinstance(s, ast.Definition) and _sum_left(s.lhs) and not s.claims:
            before = text[max(0, s.span.start - 60) : s.span.start]
            said = _SAID.search(before)
            if said is not None:
                words = " ".join(said.group("words").split())
                written = " ".join(reader.source.snippet(s.span).split())
                reader.note(
                    s.span,
                    "a fact the text states",
                    f"the prose calls {written} “{words}”: an identity the text uses in its "
                    "argument, not an equation of the model (it defines no value: its left "
                    "side is a sum); left out",
                )
                continue
        out.append(s)
    return out
