"""Notation rule ``cases-dropout`` (the reading; the recognition is parse/cases.py): ``h' =
\\begin{cases} 0 & \\textrm{with probability } p \\\\ \\frac{h}{1-p} & \\textrm{otherwise}
\\end{cases}`` is ``m \\odot \\frac{h}{1-p}``, with m a random mask of the value's shape whose
entries are 1 with probability 1 - p, drawn independently: a sampled input (drawn, not learned,
as ``r \\sim \\mathrm{Bernoulli}(1 - p)``), one per step or node where the value is.

Notation rule ``cases-comparison`` (the reading; the recognition is parse/cases.py): ``z_i =
\\begin{cases} A & \\text{if } L < R \\\\ B & \\text{otherwise} \\end{cases}`` is the selection
``m \\odot A + (1 - m) \\odot B``, entry by entry, with ``m = H(R - L)`` the Heaviside step
of the comparison (1 where it holds, 0 elsewhere; ``\\le`` as ``1 - H(L - R)``). Both values
are computed everywhere (as in generated code that selects with a mask): a value that is not
finite where it is not selected (a log of a negative number) would spoil the sum, and the
reading says so. Its gradient is m (or 1 - m) into each value and zero into the comparison.
A value is selected entry by entry, so it has the comparison's shape, or is a number (which
scales the mask); a scalar symbol beside a vector comparison is refused by the shapes.
Example (PyTorch's smooth L1 loss, per entry)::

    z = \\begin{cases} 0.5 (x - y)^2, & \\text{if } |x - y| < 1 \\\\
    |x - y| - 0.5, & \\text{otherwise} \\end{cases}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast, cases, code, code_loops
from ..source import Span
from . import rules_losses
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


def piecewise(
    reader: Reader, node: ast.Call, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """The term of a ``\\text{@lt1}(A, L, R, B)`` call (parse/cases.py), else None."""
    if not isinstance(func, ast.Text):
        return None
    mark = cases.PIECEWISE.fullmatch(func.content)
    if mark is None:
        return None
    block: cases.Piecewise | code_loops.Loop | None = cases.piecewise_at(
        reader.source.text, node.span.start
    ) or code.loop_at(reader.source.text, node.span.start)  # for x in e: if ... (code)
    if block is None or len(args) != 4:  # pragma: no cover - the rewrite makes both
        raise reader.error("a definition by cases is not read here", node.span)
    if isinstance(block, code_loops.Loop):  # for x in error: ... (parse/code_loops.py)
        reader.note(Span(block.start, block.end), *block.reading())
    op, first = mark.group(1), mark.group(2) == "1"
    a, left, right, b = args if first else (args[1], args[2], args[3], args[0])
    span = Span(left.span.start, right.span.end)  # the comparison: where the mask is read
    value, other = reader.term(a), reader.term(b)
    lhs, rhs = reader.term(left), reader.term(right)
    if isinstance(block, code_loops.Loop):  # E, where x stands for its entries: given data
        for x in (x for p in (value, other, lhs, rhs) for x in t.walk(p)):
            if isinstance(x, t.Sym) and x.span.start == block.over_at:
                why = f"the loop of code runs over its entries (for {block.variable} in ...)"
                reader.out.role_inputs.setdefault(x.key, why)
    step: t.Term
    if op in ("lt", "ge"):  # L < R: H(R - L); L >= R: 1 - H(R - L)
        step = t.Apply(span, "heaviside", (t.Add(span, "-", rhs, lhs),))
    else:  # L > R: H(L - R); L <= R: 1 - H(L - R)
        step = t.Apply(span, "heaviside", (t.Add(span, "-", lhs, rhs),))
    if op in ("ge", "le"):
        step = t.Add(span, "-", t.Const(span, 1.0), step)
    rest = t.Add(span, "-", t.Const(span, 1.0), step)
    shown = {"lt": "<", "gt": ">", "le": "\\le", "ge": "\\ge"}[op]
    snip = reader.source.snippet

    def words(n: ast.Node) -> str:
        return " ".join(snip(n.span).split())

    reader.note(
        Span(block.start, block.end),
        "definition by cases",
        f"{words(a)} where {words(left)} {shown} {words(right)}, {words(b)} otherwise: a "
        f"selection entry by entry, read as m \\odot ({words(a)}) + (1 - m) \\odot "
        f"({words(b)}) with m = 1 where {words(left)} {shown} {words(right)} and 0 elsewhere "
        "(the comparison entry by entry); both values are computed everywhere",
    )
    whole = Span(block.start, block.end)

    def times(written: ast.Node, mask: t.Term, piece: t.Term) -> t.Term:
        # a number scales the mask; any other value is selected entry by entry (equal shapes)
        product = "juxt" if isinstance(piece, t.Const) else "odot"
        return t.Product(written.span, product, mask, piece, span)

    result = t.Add(whole, "+", times(a, step, value), times(b, rest, other))
    if isinstance(block, code_loops.Loop):  # shown as a cases block where mean(...) shows it
        done = rules_losses.printed(reader)
        tex = code_loops.cases_tex((a, left, right, b), shown, done, code.latex)
        done[id(node)] = tex
        reader.out.write(result, tex)
    return result
