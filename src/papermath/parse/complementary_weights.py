r"""Notation rule ``complementary-weights``: a loss whose two terms are weighted by a value and
by one minus it, ``X \cdot A + (1 - X) \cdot B``, as the margin loss of capsule networks
(Sabour et al. 2017, eq. 4) and binary cross-entropy are written::

    L_k = T_k \max(0, m^+ - ||v_k||)^2 + \lambda(1-T_k)\max(0, ||v_k|| - m^-)^2

What people mean: X says which of the two terms applies (1 for the one, 0 for the other: the
class is present or not, the label is 1 or 0), or a probability between them; it is what the
loss compares the model's output with: the example's label, target data, never a learned
parameter nor an input the model computes from. How papermath reads it: X is target data
(as ``% inputs:`` lines and directives say roles), and where X carries the index of the loss's
own left side (``T_k`` in ``L_k``: one value of the loss per member k), X is one number per
member, ``T_k \in \mathbb{R}`` (a weight of a term, one per loss value; a capital letter's
convention, a matrix, does not hold for it). The readings say the form decided it. Where X
carries no such index (``y \log p + (1 - y) \log(1 - p)``), the rule leaves it to the other
rules (y in a loss is a target by its letter).

Read only where the left side is a loss (``L``, ``\mathcal{L}``, ``\ell``, ``J``), X is written
both bare, as a factor, and as ``1 - X``, no equation defines X, nothing declares it, and X is
no parameter's letter.

Example that reads (a whole source of two lines; without the rule T_k would be a matrix, by
a capital letter's convention, and an input)::

    Loss for each output capsule or class $k$ is,
    $$L_k = T_k \max(0, m^+ - ||v_k||)^2 + \lambda(1-T_k)\max(0, ||v_k|| - m^-)^2$$
"""

from __future__ import annotations

import re

from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

__all__ = ["declarations"]

_LOSSES = frozenset({"L", "ell", "J"})
_PARAMETERS = frozenset({"W", "U", "V", "w", "b", "theta", "Theta", "gamma", "beta"})


def _letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font | ast.Decorated | ast.Paren):
        node = node.body
    if isinstance(node, ast.Sub):
        return _letter(node.base)
    return node.name if isinstance(node, ast.Letter) else None


def _squeeze(text: str, span: Span) -> str:
    return re.sub(r"\s+", "", text[span.start : span.end])


def _script(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font | ast.Decorated):
        node = node.body
    if isinstance(node, ast.Sub) and isinstance(node.script, ast.Letter):
        return node.script.name
    return None


def declarations(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The role (and, per member, the shape) of each complementary weight (see the module)."""
    definitions = [s for s in statements if isinstance(s, ast.Definition)]
    defined = {_squeeze(text, d.lhs.span) for d in definitions}
    declared = {
        _squeeze(text, t.span)
        for s in statements
        if isinstance(s, ast.Declaration)
        for t in s.targets
    }
    out: list[ast.Statement] = []
    seen: set[str] = set()
    for d in definitions:
        if _letter(d.lhs) not in _LOSSES:
            continue
        nodes = list(ast.walk(d.rhs))
        for n in nodes:
            if not (
                isinstance(n, ast.BinOp)
                and n.op == "-"
                and isinstance(n.left, ast.Number)
                and n.left.text == "1"
            ):
                continue
            x = n.right
            shown = _squeeze(text, x.span)
            letter = _letter(x)
            if (
                letter is None
                or letter in _PARAMETERS
                or letter in _LOSSES
                or shown in defined
                or shown in declared
                or shown in seen
                or not isinstance(x, ast.Sub | ast.Letter | ast.Font)
            ):
                continue
            inside = {id(m) for m in ast.walk(x)}
            bare = [
                m
                for m in nodes
                if id(m) not in inside and type(m) is type(x) and _squeeze(text, m.span) == shown
            ]
            if not bare:
                continue
            seen.add(shown)
            span = Span(x.span.start, x.span.end)
            loss = " ".join(text[d.lhs.span.start : d.lhs.span.end].split())
            per_member = _script(x) is not None and _script(x) == _script(d.lhs)
            note = (
                f"read from the form: the loss {loss} weights one term by {shown} and another "
                f"by 1 - {shown}: {shown} says which term applies (the label, 1 or 0, or a "
                "probability between): target data (complementary-weights)"
            )
            if not per_member:
                continue  # the role alone would be said by no reading: left to the letters
            at = (span.start, span.end)
            decl = declaration_on_words(shown, None, WordSpans(at, at))
            if decl is None:
                continue
            note += f"; one number per member, as {loss} is one per member"
            out.append(ProseDeclaration(span, decl.targets, decl.space, said=note))
            out.append(ast.Directive(span, f"{shown} is target"))  # as written: its key
    return out
