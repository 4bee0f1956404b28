r"""Notation rule ``mean-count``: the mean of a sum whose bound is not written.

What people write: ``L = \frac{1}{N} \sum_i L_i + \lambda R(W)`` (CS231n's full loss: "the
average over the N training examples"), ``J = \frac{1}{m} \sum_{i} \ell_i``. The sum names its
index and no range; the number before it divides by how many terms it has.

How papermath reads it: the letter in ``\frac{1}{N}`` right before a sum over one index with
no upper limit, where nothing defines or declares it, is the number of the sum's terms: a
size (its value given with the sizes, ``--dims N=4``), never a learned parameter. The
readings say so. Where the sum writes its range (``\sum_{i=1}^{N}``) its bound is a size
already; a letter defined by an equation, declared, or used elsewhere as a value keeps its
reading.

Examples that read (each a whole source)::

    J = \frac{1}{N} \sum_i e_i
    e_i = (w^\top x_i - y_i)^2
    x_i \in \mathbb{R}^{D}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader


def counts(r: Reader, statements: Sequence[ast.Node], taken: set[str]) -> set[str]:
    """The letters N of ``\\frac{1}{N} \\sum_i ...`` (no range written), none of ``taken``
    (defined or declared) and used nowhere else: each said in the readings."""
    found: dict[str, Span] = {}
    uses: dict[str, int] = {}
    for s in statements:
        for node in ast.walk(s):
            if isinstance(node, ast.Letter):
                uses[node.name] = uses.get(node.name, 0) + 1
            if not isinstance(node, ast.Juxt):
                continue
            frac, right = node.left, node.right
            if (
                isinstance(frac, ast.Frac)
                and isinstance(frac.num, ast.Number)
                and frac.num.text == "1"
                and isinstance(frac.den, ast.Letter)
                and isinstance(right, ast.BigOp)
                and right.op == "sum"
                and isinstance(right.sub, ast.Letter)
                and right.sup is None
                and frac.den.name != right.sub.name
            ):
                found.setdefault(frac.den.name, frac.den.span)
    out: set[str] = set()
    for name, span in found.items():
        if name in taken or uses.get(name, 0) != 1:
            continue  # defined, declared, or a value used elsewhere: its own reading
        r.note(
            span,
            f"the size {name}",
            f"{name} in \\frac{{1}}{{{name}}} before a sum that writes no range: the number of "
            f"the sum's terms (a size, its value given with the sizes: {name}=4), not a "
            "learned parameter (rule mean-count, read/rules_mean_count.py)",
        )
        out.add(name)
    return out
