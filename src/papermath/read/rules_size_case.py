r"""Notation rule ``size-case``: a sum runs to a size written in one case (``k``) while the
prose names the other case (``K``) as a count and the equations never write it: one size in
two cases, or two sizes? Refused, never a guess either way.

What people write (scikit-learn's MLP page, the softmax)::

    \text{softmax}(z)_i = \frac{\exp(z_i)}{\sum_{l=1}^k\exp(z_l)}

    where z_i represents the i th element of the input to softmax, which corresponds to
    class i, and K is the number of classes.

How papermath reads it: it does not. The sum runs to k, which nothing else names; K is the
number of classes, which no equation writes. A reader who takes k for K reads z as a vector
of K entries; the equations alone say k. Sizes are never solved to what the source does not
write, and a letter is not another letter, so papermath refuses at the limit, naming both and
the prose's words; the hint: write K in the sum (or say what k is). Only where the limit is
one letter that no declaration, prose or other equation names, and the prose calls the
letter of the other case "the number of", "the size of", ... and no equation writes it.
Where the prose also says what the summed vector's entries are counted by (scikit-learn's
full sentence: "z_i represents the i th element of the input to softmax, which corresponds to
class i, and K is the number of classes"), z has one entry per class, K of them (rule
``prose-sizes``, parse/prose_sizes.py): K is then written, and the sum over z's entries runs
to K (k = K, said in the readings).

Example (refused, caret on k)::

    s_i = \frac{\exp(z_i)}{\sum_{l=1}^k \exp(z_l)}, where $K$ is the number of classes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from .rules_prose_count import _SAID
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader

RULE = "size-case"


def _limit(node: ast.BigOp) -> ast.Letter | None:
    sup = node.sup
    while isinstance(sup, ast.Brace) and len(sup.items) == 1:
        sup = sup.items[0]
    return sup if isinstance(sup, ast.Letter) and len(sup.name) == 1 else None


def check(reader: Reader, statements: list[ast.Statement]) -> None:
    """Refuse a sum's limit whose other case the prose names as a count (see the module)."""
    text = reader.source.text
    said = {m.group("sym"): " ".join(m.group(0).split()) for m in _SAID.finditer(text)}
    if not said:
        return
    nodes = list(iter_nodes(statements))
    letters: dict[str, int] = {}
    for node in nodes:
        if isinstance(node, ast.Letter):
            letters[node.name] = letters.get(node.name, 0) + 1
    declared = {d.key for d in reader.out.declarations}
    for node in nodes:
        if not (isinstance(node, ast.BigOp) and node.op == "sum"):
            continue
        limit = _limit(node)
        if limit is None or not limit.name.isalpha():
            continue
        k = limit.name
        other = k.swapcase()
        if other == k or other not in said or k in said or letters.get(other, 0):
            continue
        if letters.get(k, 0) != 1 or k in declared or _named(text, k):
            continue  # k written or named elsewhere: a size of its own
        raise reader.error(
            f"this sum runs to {k}, which nothing else names, while the prose says "
            f"\u201c{said[other]}\u201d and no equation writes {other}: one size written in two "
            f"cases, or two sizes? papermath does not take one letter for another",
            limit.span,
            hint=f"write the limit as the prose names it (\\sum ...^{{{other}}}), or say what "
            f"{k} is",
        )


def _named(text: str, letter: str) -> bool:
    """Whether the prose writes ``letter`` alone in inline math (``$k$``, ``:math:`k```)."""
    pattern = rf"(?:\$|:math:`|\\\()\s*{re.escape(letter)}\s*(?:\$|`|\\\))"
    return re.search(pattern, text) is not None
