"""Notation rule ``cases-dropout`` (the reading; the recognition is parse/cases.py): ``h' =
\\begin{cases} 0 & \\textrm{with probability } p \\\\ \\frac{h}{1-p} & \\textrm{otherwise}
\\end{cases}`` is ``m \\odot \\frac{h}{1-p}``, with m a random mask of the value's shape whose
entries are 1 with probability 1 - p, drawn independently: a sampled input (drawn, not learned,
as ``r \\sim \\mathrm{Bernoulli}(1 - p)``), one per step or node where the value is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast, cases
from ..source import Span
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

MASK = "dropout_mask"


def dropout(
    reader: Reader, node: ast.Call, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """The term of a ``\\text{@drop}(V)`` call (parse/cases.py), else None."""
    if not (isinstance(func, ast.Text) and func.content == cases.MARK):
        return None
    block = cases.at(reader.source.text, node.span.start)
    if block is None or len(args) != 1:  # pragma: no cover - the rewrite makes both
        raise reader.error("a definition by cases is not read here", node.span)
    span = Span(block.start, block.end)
    value = reader.term(args[0])
    step = node_letter = None
    for x in t.walk(value):
        if isinstance(x, t.Sym) and x.offset == 0:
            step = step or x.step
            node_letter = node_letter or x.node
    if MASK in reader.out.first_span and MASK not in reader.out.sampled:
        raise reader.error(
            f"{MASK} is a symbol of the source: the dropout mask needs the name",
            node.span,
        )
    if MASK in reader.out.sampled:
        raise reader.error(
            "a second dropout by cases: papermath reads one (each needs its own mask)",
            span,
            hint="write the second as m_2 \\odot h / (1 - p) with m_2 \\sim "
            "\\mathrm{Bernoulli}(1 - p)",
        )
    p = block.probability
    reader.out.sampled[MASK] = f"\\mathrm{{Bernoulli}}(1 - {p})"
    reader.out.first_span.setdefault(MASK, span)
    written = " ".join(reader.source.snippet(args[0].span).split())
    reader.note(
        span,
        "dropout (a definition by cases)",
        f"each entry is 0 with probability {p} and the entry of {written} otherwise: read as "
        f"{MASK} \\odot {written}, with {MASK} a random input of the same shape whose entries "
        f"are 1 with probability 1 - {p}, drawn independently (a sampled input, not a learned "
        "parameter; generated code takes it as an input)",
    )
    mask = t.Sym(span, MASK, step=step, node=node_letter)
    return t.Product(span, "odot", mask, value, span)
