r"""Notation rule ``listed-batch``: the vector of a batch's per-example values, listed.

What people write (every PyTorch loss docstring: the loss of each example, then the vector of
them, then its reduction)::

    l_n = \max \{0, \Delta - x_n\}
    L = \{l_1,\dots,l_N\}^\top
    \ell(x, y) = \operatorname{mean}(L)

How papermath reads it: ``\{l_1, \dots, l_N\}^\top`` lists the values l_1 to l_N and transposes
the list: a vector (a set is not transposed) whose n-th entry is l_n, so each l_n is one
number. Where another equation defines ``l_n`` (a left side ``l_n``, n a letter), n picks one
example of a batch of N (PyTorch's docstrings: "N is the batch size"): n is the batch index
(1..N; ``x_n``, ``y_n`` are one example's values), and L, the batch's values side by side, has
N entries: read for shapes, kinds, explain and diagrams; code for the vector itself is refused
(generated code computes one example at a time). ``\operatorname{mean}(L)`` and
``\operatorname{sum}(L)`` of such a vector are the mean and the sum over the batch,
``\frac{1}{N} \sum_{n=1}^{N} l_n`` and ``\sum_{n=1}^{N} l_n`` (one number for the batch).

Only the set braces with a transpose, the first member subscripted 1 and the last a letter
(N); with no equation for l_n it is not read (``\{x_1, \dots, x_T\}`` alone is a sequence the
prose names: parse/named_cells.py's hint).

Example (reads)::

    l_n = \max \{0, 1 - x_n\}, L = \{l_1,\dots,l_N\}^\top, J = \operatorname{mean}(L)
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .functions import LISTED_BATCH

if TYPE_CHECKING:
    from .reader import Reader

RULE = "listed-batch"


def no_code_hint(info: Listed) -> str:
    """The code refusal's hint: the reduction written over the batch, which generates."""
    b, n, count = info.base, info.index, info.count
    return (
        "the vector of a batch's values is read for its shape only (code computes one example "
        f"at a time): for code, write its reduction in its place, \\frac{{1}}{{{count}}} "
        f"\\sum_{{{n}=1}}^{{{count}}} {b}_{n} (or \\sum_{{{n}=1}}^{{{count}}} {b}_{n}), with one "
        f"example's value declared (an input x_{n} \\in \\mathbb{{R}})"
    )


@dataclass(frozen=True)
class Listed:
    """``L = \\{l_1, \\dots, l_N\\}^\\top``: L's key, the member's letter, its batch index, N."""

    key: str
    base: str
    index: str
    count: str


_LISTED: weakref.WeakKeyDictionary[Reader, dict[str, Listed]] = weakref.WeakKeyDictionary()


def _members(node: ast.Node) -> tuple[str, str] | None:
    r"""``\{l_1, \dots, l_N\}^\top``: (l, N); else None."""
    if not (isinstance(node, ast.Sup) and isinstance(node.base, ast.SetLiteral)):
        return None
    transposed = isinstance(node.script, ast.Mark) and node.script.mark == "transpose"
    if not (transposed or (isinstance(node.script, ast.Letter) and node.script.name == "T")):
        return None
    items = node.base.items
    if len(items) < 3 or not isinstance(items[-2], ast.Dots):
        return None
    first, last = items[0], items[-1]
    if not (
        isinstance(first, ast.Sub)
        and isinstance(first.base, ast.Letter)
        and isinstance(first.script, ast.Number)
        and first.script.text == "1"
        and isinstance(last, ast.Sub)
        and isinstance(last.base, ast.Letter)
        and last.base.name == first.base.name
        and isinstance(last.script, ast.Letter)
    ):
        return None
    return first.base.name, last.script.name


def index(reader: Reader, statements: list[ast.Statement]) -> None:
    """Bind n as the batch index where ``L = \\{l_1, \\dots, l_N\\}^\\top`` and ``l_n = ...``."""
    found = _LISTED.setdefault(reader, {})
    for st in statements:
        if not (isinstance(st, ast.Definition) and isinstance(st.lhs, ast.Letter)):
            continue
        members = _members(st.rhs)
        if members is None:
            continue
        base, count = members
        letters = {
            d.lhs.script.name
            for d in statements
            if isinstance(d, ast.Definition)
            and isinstance(d.lhs, ast.Sub)
            and isinstance(d.lhs.base, ast.Letter)
            and d.lhs.base.name == base
            and isinstance(d.lhs.script, ast.Letter)
        }
        if len(letters) != 1:
            continue
        (letter,) = letters
        if letter == count or letter in reader.out.indices:
            continue
        shown = " ".join(reader.source.snippet(st.rhs.span).split())
        reader.add_index(
            letter,
            "batch",
            f"{shown} lists {base}_1 to {base}_{count} as the entries of a vector: {letter} "
            f"picks one example of a batch of {count} (rule {RULE})",
            st.rhs.span,
            size=count,
        )
        reader.out.batch_counts.add(count)
        found[st.lhs.name] = Listed(st.lhs.name, base, letter, count)


def listed(reader: Reader, node: ast.Node) -> t.Term | None:
    """The term of ``\\{l_1, \\dots, l_N\\}^\\top`` (see :func:`index`), else None."""
    members = _members(node)
    if members is None:
        return None
    info = next((x for x in _LISTED.get(reader, {}).values() if (x.base, x.count) == members), None)
    if info is None:
        return None
    member = t.Sym(node.span, info.base, example=info.index)
    shown = " ".join(reader.source.snippet(node.span).split())
    reader.note(
        node.span,
        f"the vector of the batch's {info.base}_{info.index}",
        f"{shown}: the values {info.base}_1 to {info.base}_{info.count} side by side, a "
        f"vector of {info.count} entries (a set is not transposed), each {info.base}_"
        f"{info.index} one number, {info.index} the example of a batch of {info.count}; read "
        f"for its shape, code refused (rule {RULE})",
    )
    reader.out.shapes_only.setdefault(info.key, (node.span, no_code_hint(info)))
    # the batch size rides along as a size used as a number (the shape rule reads its name)
    return t.Apply(node.span, LISTED_BATCH, (member, t.SizeValue(node.span, info.count)))


def reduction(
    reader: Reader, node: ast.Call, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """``\\operatorname{mean}(L)``, ``\\operatorname{sum}(L)`` of a listed batch vector L: the
    mean (sum) over the batch; else None."""
    if len(args) != 1 or not isinstance(args[0], ast.Letter):
        return None
    info = _LISTED.get(reader, {}).get(args[0].name)
    if info is None:
        return None
    name = reader.source.snippet(func.span)
    word = next((w for w in ("mean", "sum") if name.endswith(("{" + w + "}", w))), None)
    if word is None or not name.startswith(("\\operatorname", "\\mathrm", "\\text")):
        return None
    span = node.span
    i, n = info.index, info.count
    member = t.Sym(args[0].span, info.base, example=i)
    total: t.Term = t.BatchSum(span, i, n, member)
    formula = f"\\sum_{{{i}=1}}^{{{n}}} {info.base}_{i}"
    if word == "mean":
        total = t.Div(span, total, t.SizeValue(span, n))
        formula = f"\\frac{{1}}{{{n}}} " + formula
    reader.note(
        span,
        f"the {word} over the batch",
        f"{reader.source.snippet(span)}: {info.key} lists the batch's {info.base}_{i}, so its "
        f"{word} is {formula}, one number for the batch (rule {RULE})",
    )
    return total
