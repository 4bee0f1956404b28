r"""Notation rule ``family-in-brackets``: ``[\text{head}_1; \dots; \text{head}_h]`` (Lil'Log's
multi-head attention) is the concatenation of the family ``head_1, ..., head_h`` along the
features, as ``\mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h)`` (Vaswani et al.) is.

How papermath reads it: exactly as the ``Concat`` form: the first member written with 1, a row
of dots, the last with the count letter (h); an equation ``\text{head}_i = ...`` defines the
family, i indexes its heads (one value per head, each with its own parameters), and the
readings say so. Without an equation for ``head_i`` it is refused at the brackets.

Example that reads: ``y = [\mathrm{head}_1; \dots; \mathrm{head}_h] W_O`` beside
``\mathrm{head}_i = x W_i``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .syntax import label_text

if TYPE_CHECKING:
    from .reader import Reader, SymParts


def members(
    node: ast.Bracket, symbol: Callable[[ast.Node], SymParts | None]
) -> tuple[str, str] | None:
    """``[X_1; \\dots; X_h]`` -> (X's key, "h"); None for anything else."""
    if len(node.items) != 3 or not isinstance(node.items[1], ast.Dots):
        return None
    return ends(node.items[0], node.items[2], symbol)


def ends(
    first: ast.Node, last: ast.Node, symbol: Callable[[ast.Node], SymParts | None]
) -> tuple[str, str] | None:
    """The first and last members of a family written with dots (``X_1``, ``X_h``, in
    brackets or as Concat's arguments) -> (X's key, "h"); None unless one symbol runs from 1."""
    if not (isinstance(first, ast.Sub) and isinstance(last, ast.Sub)):
        return None
    a, b = symbol(first.base), symbol(last.base)
    if a is None or b is None or a.key != b.key:
        return None
    if not (isinstance(first.script, ast.Number) and first.script.text == "1"):
        return None
    count = label_text(last.script)
    return (a.key, count) if count else None


def concat(reader: Reader, node: ast.Bracket) -> t.Term | None:
    """The family's concatenation, or None where ``node`` is not ``[x_1; \\dots; x_h]``."""
    fam = members(node, lambda n: reader.symbol(n, quiet=True))
    if fam is None:
        return None
    key, count = fam
    head = next((i for i in reader.out.indices.values() if i.kind == "head"), None)
    if head is None:
        raise reader.error(
            f"{key}_1, ..., {key}_{count} are concatenated, but no equation defines {key}_i",
            node.span,
            hint=f"define the family: {key}_i = ...",
        )
    reader.note(
        node.span,
        f"concatenation of the family {key}",
        f"[{key}_1; ...; {key}_{count}]: the {count} values side by side along the feature "
        f"(last) axis; {key}_{head.letter} is computed once per head {head.letter} = "
        f"1..{count}, each with its own parameters",
    )
    return t.HeadConcat(node.span, t.Sym(node.span, key, head=head.letter), count)
