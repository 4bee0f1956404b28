r"""Notation rules for the range of a sum over entries.

``sum-counted-from-zero``: a sum over a range written from 0 to a size minus one,

    y = \sum_{i=0}^{n-1} a_i b_i

runs over the n entries of the vectors i indexes, counted from 0 as code counts: read as
``\sum_{i=1}^{n}`` (a sum over entries uses the index to pick entries, never as a number, so
only the count matters). Refused: ``\sum_{k=0}^{K}`` (K+1 values, no size to name them), and a
range from 0 whose letter is written up anywhere (``W^{k,l}``, ``(D^{-1/2} A D^{-1/2})^{k}``,
``\beta^i``): k then counts orders or powers (TAGConv's hops, ChebConv's Chebyshev orders, a
geometric series), not entries (the powers of a parenthesized matrix, ``(\hat A)^{k}``, of a
number, ``\beta^{k}``, and of a matrix written to a number elsewhere are read by
read/rules_orders.py).

``power-of-summed-index``: ``\beta^i`` with i bound by a sum over entries is beta (a lowercase
Greek letter: a number) to the power i, never the entry i of a vector beta; refused (no
primitive uses an index as a number), as ``\beta_1^t`` at the step t is.

``sum-index-on-the-line``: a sum with nothing under it whose body begins with a lone letter
that the body's own subscripts use as an index,

    s_j = \sum i c_{ij} \hat{u}_{j|i}

(a capsule-network walkthrough; the paper writes ``\sum_i``). Read literally, the sum binds no
index and ranges over nothing, and ``i`` multiplies ``c_{ij}``: papermath does not guess that
the letter was meant as the subscript. It refuses, with the caret on ``\sum i`` and a hint
that names the reading the text most likely means (``\sum_i``), so the writer confirms it. A
sum with nothing under it and no such letter keeps the general refusal ("a sum needs what it
ranges over").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from .rules_reductions import factors
from .syntax import size_text

if TYPE_CHECKING:
    from ..errors import ReadingError
    from .reader import Reader, SymParts


def subscript_letters(node: ast.Node) -> set[str]:
    """The letters written in the subscripts inside ``node`` (``i``, ``j`` of ``c_{ij}``)."""
    found: set[str] = set()
    for x in ast.walk(node):
        if isinstance(x, ast.Sub):
            found |= {y.name for y in ast.walk(x.script) if isinstance(y, ast.Letter)}
    return found


def index_on_the_line(reader: Reader, node: ast.BigOp) -> ReadingError | None:
    """The refusal of ``\\sum i c_{ij} ...`` (the index written beside the sum, not under
    it); None where the body does not begin with such a letter."""
    items = factors(node.body)
    first = items[0]
    if len(items) < 2 or not isinstance(first, ast.Letter) or len(first.name) != 1:
        return None
    letter = first.name
    if not any(letter in subscript_letters(x) for x in items[1:]):
        return None
    op = "\\prod" if node.op == "prod" else "\\sum"
    return reader.error(
        f"{op} {letter}: the sum has nothing under it, and the index {letter} of what it sums "
        f"is written on the line beside it; read literally, {letter} multiplies what follows "
        f"and the sum ranges over nothing. Is {op}_{letter} meant?",
        Span(node.span.start, first.span.end),
        hint=f"write the index under the sum: {op}_{letter} "
        f"{' '.join(reader.source.snippet(Span(items[1].span.start, node.body.span.end)).split())}",
    )


def power_of_summed_index(
    reader: Reader, parts: SymParts, name: str, span: Span, quiet: bool
) -> bool:
    """``\\beta^i`` with i bound by a sum (``\\sum_{i=0}^{t-1} \\beta^i``, d2l's geometric
    series): a lowercase Greek letter (a number by convention) to the power of the summed
    index, never the entry i of a vector beta. No primitive uses an index as a number, so it
    is refused (True where this rule applies; raised unless ``quiet``)."""
    from ..letters import GREEK_LOWER

    if parts.base not in GREEK_LOWER or reader.index_kind(name) != "element":
        return False
    if not quiet:
        raise reader.error(
            f"\\{parts.base}^{name}: {parts.base} to the power {name}, the index a sum runs over "
            f"(a geometric series), not the entry {name} of a vector: papermath has no primitive "
            "that uses an index as a number yet",
            Span(parts.span.start, span.end),
            hint=f"write the sum's value in closed form, or, if {name} picks an entry of a "
            f"vector, write it as a subscript: \\{parts.base}_{name}",
        )
    return True


def counted_from_zero(reader: Reader, sub: ast.ScriptEq, sup: ast.Node | None) -> str | None:
    """``\\sum_{i=0}^{n-1} a_i``: i runs over the n entries, counted from 0 (as code counts):
    the size n (a note says so); None where the range is not 0..n-1. Only the count matters
    to a sum over entries (the index is never used as a number), so 0..n-1 and 1..n are the
    same n entries; ``\\sum_{k=0}^{K}`` (K+1 values) stays refused."""
    first = sub.right
    if not (isinstance(first, ast.Number) and first.text == "0") or sup is None:
        return None
    if isinstance(sub.left, ast.Letter) and (up := written_up(reader, sub.left.name)):
        raise reader.error(
            f"{sub.left.name} = {first.text}..{reader.source.snippet(sup.span)} counts orders or "
            f"powers: {sub.left.name} is written up ({up}), so each term is the "
            f"{sub.left.name}-th power or order (a hop, a Chebyshev order, a geometric series), "
            "not an entry of a vector; a sum over orders is not read yet",
            sub.span,
            hint="papermath reads a sum over the entries of vectors (\\sum_{i=1}^{n} a_i or "
            "\\sum_{i=0}^{n-1} a_i) and a sum of the powers of a matrix written in parentheses "
            "((\\hat{A})^{k} X \\Theta_k, read/rules_orders.py), and a sum over the orders of "
            "a recursion with its first values on their own lines (\\sum_{k=0}^{K-1} Z^{(k)} "
            "\\Theta^{(k)}, Z^{(0)} = X, Z^{(1)} = \\hat{L} X, Z^{(k)} = 2 \\hat{L} Z^{(k-1)} - "
            "Z^{(k-2)}, X \\in \\mathbb{R}^{N \\times F}: read/rules_recursion.py, for its "
            "shapes), and the powers of a number (\\sum_{k=0}^{K} \\beta^{k}, \\beta a "
            "lowercase Greek letter) or of a matrix the source writes to a number elsewhere "
            "(L^{2} beside L^{k}); a sum whose terms carry the order among other labels "
            "(W^{k,l}) is not read yet",
        )
    upper = sup
    while isinstance(upper, ast.Brace | ast.ScriptList) and len(upper.items) == 1:
        upper = upper.items[0]
    if not (
        isinstance(upper, ast.BinOp)
        and upper.op == "-"
        and isinstance(upper.right, ast.Number)
        and upper.right.text == "1"
    ):
        return None
    size = size_text(upper.left)
    if size is None or not isinstance(sub.left, ast.Letter):
        return None
    i = sub.left.name
    reader.note(
        sub.span,
        "sum counted from 0",
        f"{i} = 0..{size}-1 is {size} values counted from 0: {i} runs over the {size} entries of "
        "the vectors it indexes (the count is what a sum over entries needs)",
    )
    return size


def written_up(reader: Reader, letter: str) -> str | None:
    """Where ``letter`` is written in a superscript (``\beta^i``, ``W^{k,l}``, ``(...)^{k}``,
    ``Z^{(k-1)}``): that superscripted expression as written, else None."""
    for x in ast.walk(reader.statements):
        if isinstance(x, ast.Sup) and any(
            isinstance(y, ast.Letter) and y.name == letter for y in ast.walk(x.script)
        ):
            return " ".join(reader.source.snippet(x.span).split())
    return None
