r"""Rule ``weighted-variant``: a source gives a model, then a second variant of it with a
weight more ("If a weight tensor on each edge is provided, the weighted graph convolution is
defined as: ... e_{ji} h_j ...", DGL's GINConv and SAGEConv docstrings).

What people write::

    h_i' = \mathrm{mean}(\{h_j, j \in \mathcal{N}(i)\})
    If a weight tensor on each edge is provided, the aggregation becomes:
    h_i' = \mathrm{mean}(\{e_{ji} h_j, j \in \mathcal{N}(i)\})

Two variants are otherwise read as parse/variants.py says: the first, the second left out.
Here the second is the first with a factor more in a product (``e_{ji} h_j`` for ``h_j``), a
value the first variant does not have: the first is the second with that factor 1 (every
edge weighted 1). The second variant holds both.

How papermath reads it: the second variant, in the first's place, and says so (the factor
and why); the first is what it computes with the factor 1. Read so only where every equation
of the second redefines one of the first, and each, with the new factors taken out of its
products, is the first's equation as written (the same symbols, in the same places); any other
difference is another model (parse/variants.py keeps the first).

Example (reads; the weights e_{ji}, one number per edge, are given)::

    h'_i = \mathrm{mean}(\{h_j, j \in \mathcal{N}(i)\}), h_i \in \mathbb{R}^{d}
    If a weight tensor on each edge is provided, the aggregation becomes:
    h'_i = \mathrm{mean}(\{e_{ji} h_j, j \in \mathcal{N}(i)\})
"""

from __future__ import annotations

import dataclasses
import functools
import re

from ..source import Span
from . import ast
from .primes import SteppedDefinition
from .variants import _CUE, second_variant

RULE = "weighted-variant"


@dataclasses.dataclass(frozen=True)
class WeightedVariant(SteppedDefinition):
    """The second variant's definition, read in the first's place (``said``: why)."""

    reading: str = "variant read (it holds the first)"


def _name(text: str, node: ast.Node) -> str:
    return re.sub(r"\s+", "", text[node.span.start : node.span.end])


def _symbols(text: str, node: ast.Node) -> set[str]:
    """The names of the symbols (a letter with its scripts) written in ``node``."""
    out: set[str] = set()
    if isinstance(node, ast.Sub | ast.Sup | ast.Letter | ast.Font | ast.Decorated | ast.Prime):
        out.add(_name(text, node))
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        for v in value if isinstance(value, tuple) else (value,):
            if isinstance(v, ast.Node):
                out |= _symbols(text, v)
    return out


def _without(text: str, node: ast.Node, extra: set[str], taken: list[str]) -> ast.Node:
    """``node`` with every factor of a product written by juxtaposition that is one of
    ``extra`` taken out (their names added to ``taken``)."""
    if isinstance(node, ast.Juxt) or (isinstance(node, ast.BinOp) and node.op == "code*"):
        left, right = node.left, node.right  # (code's *: weights[i] * (...), Torch7's BCE)
        if _name(text, left) in extra and not isinstance(left, ast.Juxt):
            taken.append(_name(text, left))
            return _without(text, right, extra, taken)
        if isinstance(left, ast.Neg) and _name(text, left.body) in extra:
            # -weights[class] * x[class] (Torch7's ClassNLLCriterion): code's unary minus binds
            # to the factor; taken out, the minus stays on the rest
            taken.append(_name(text, left.body))
            return ast.Neg(node.span, _without(text, right, extra, taken))
        if _name(text, right) in extra and not isinstance(right, ast.Juxt):
            taken.append(_name(text, right))
            return _without(text, left, extra, taken)
    return ast.map_children(node, lambda v: _without(text, v, extra, taken))


def _bare(node: ast.Node) -> ast.Node:
    """``node`` without its parentheses (the tree keeps the grouping they wrote): what a
    factor taken out leaves, ``weights[class] * (-x[class] + ...)`` (Torch7's
    CrossEntropyCriterion), is the first variant's ``-x[class] + ...``."""
    if isinstance(node, ast.Paren):
        return _bare(node.body)
    return ast.map_children(node, _bare)


def _same(text: str, a: object, b: object) -> bool:
    """The same tree, spans aside; a symbol is the same where it is written the same."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(text, x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, ast.Node) and isinstance(b, ast.Node):
        if type(a) is not type(b):
            return False
        if isinstance(a, ast.Letter | ast.Number | ast.Text | ast.FunctionName):
            return _name(text, a) == _name(text, b)
        return all(
            _same(text, getattr(a, f.name), getattr(b, f.name))
            for f in dataclasses.fields(a)
            if not isinstance(getattr(a, f.name), Span)  # where it is written: not what
        )
    return a == b


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with a later variant in the first's place, where the source gives one
    that is the first with factors more (noted); otherwise the statements as they were."""
    seen: dict[str, int] = {}
    start = None
    for i, s in enumerate(statements):
        if isinstance(s, ast.Definition):
            name = _name(text, s.lhs)
            if name in seen and name in _symbols(text, s.rhs):
                continue  # h = h / ||h||: an update of the value (parse/in_place.py)
            if name in seen:
                start = i
                break
            seen[name] = i
    if start is None or start == 0:
        return statements
    end = len(statements)  # declarations, directives after it: kept, after it
    while end > start and isinstance(statements[end - 1], ast.Declaration | ast.Directive):
        end -= 1
    later = statements[start:end]
    if not later or not all(isinstance(s, ast.Definition) for s in later):
        return statements
    names = [_name(text, s.lhs) for s in later if isinstance(s, ast.Definition)]
    if len(set(names)) != len(names) or not all(n in seen for n in names):
        return statements
    between = text[statements[start - 1].span.end : later[0].span.start]
    cue = _CUE.search(between)
    if cue is None:
        return statements
    where = f"{second_variant(text, between, cue, later)}, which redefines {', '.join(names)}"
    both = general(text, statements[:end], start, seen, where)
    return statements if both is None else [*both, *statements[end:]]


def general(
    text: str, statements: list[ast.Statement], start: int, seen: dict[str, int], said: str
) -> list[ast.Statement] | None:
    """The statements with the later variant (from ``start``) in the first's place, where it
    is the first with factors more (``said``: where the variants are); else None."""
    later = statements[start:]
    first = statements[:start]
    known: set[str] = set()
    for s in first:
        if isinstance(s, ast.Definition):
            known |= _symbols(text, s.lhs) | _symbols(text, s.rhs)
    taken: list[str] = []
    pairs: list[tuple[int, ast.Definition]] = []
    for s in later:
        if not isinstance(s, ast.Definition):
            return None
        target = statements[seen[_name(text, s.lhs)]]
        if not isinstance(target, ast.Definition) or type(target).__name__ not in (
            "Definition",
            "CodeDefinition",  # a line of code (parse/code.py)
        ):
            return None
        extra = _symbols(text, s.rhs) - known
        stripped = _without(text, s.rhs, extra, taken)
        if not _same(text, _bare(stripped), _bare(target.rhs)) or not _same(
            text, s.lhs, target.lhs
        ):
            return None
        pairs.append((seen[_name(text, s.lhs)], s))
    if not taken:
        return None
    factors = ", ".join(dict.fromkeys(taken))
    out = list(first)
    for at, s in pairs:
        made = WeightedVariant(
            s.span,
            s.lhs,
            s.rhs,
            s.decl,
            s.claims,
            s.update,
            said=f"{said}; the second is the first with the factor {factors} more (the first "
            f"is the second with {factors} = 1): the second is read, in the first's place, "
            "and holds both"
            + (f"; {later_said}" if (later_said := getattr(s, "said", "")) else ""),
        )
        if hasattr(s, "where"):  # a line of code stays one (parse/code.py): read as code
            made = _code_variant()(**{**made.__dict__, "where": s.where})
        out[at] = made
    return out


@functools.cache
def _code_variant() -> type[WeightedVariant]:
    """A weighted variant written as code (Torch7's BCECriterion): both kinds of definition."""
    from .code import CodeDefinition

    @dataclasses.dataclass(frozen=True)
    class CodeWeightedVariant(WeightedVariant, CodeDefinition):
        pass

    return CodeWeightedVariant
