r"""Notation rule ``reduction-over-an-index``: an operator with an index under it, over the
entries of the vectors its body writes with that index, as papers print a maximum or a
log-sum-exp:

    \max_i a_i,  \max_{i} a_i,  \max_{i=1}^{n} a_i,  \max_i (a_i + b_i),
    \operatorname{logsumexp}_i a_i   (also \mathrm{logsumexp}_i a_i)

read like ``\sum_i a_i``: the index is bound by the operator, the body is the whole product
after it (up to the next + or -), and the result is one number, the read term ``IndexSum``
with the operator's primitive (``op``). ``OPERATORS`` maps the name as written to the
primitive's name; the primitive's rules (shape, code, gradient, printed gradient, words,
label) are in ``papermath/ops/reductions.py``.

The grammar has no big operator ``\max``: it parses ``\max_i a_i`` as the function name
``\max`` with a subscript, side by side with ``a_i``. :func:`rewrite` turns that into the big
operator ``\sum`` is (``ast.BigOp``), before the indices are found, so ``i`` is bound as a
sum binds it. ``\max(a, b)`` (no index: the larger of two values, entry by entry) is left
alone. Refused: a maximum over the nodes, the steps or the examples (not generated), and
``\operatorname{logsumexp}(a)`` without its index (which entries, when a is a matrix?).
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING, NamedTuple

from ..parse import ast
from ..source import Span
from . import terms as t
from .rules_neighbour_max import neighbour_max

if TYPE_CHECKING:
    from .reader import Reader

# the operator's name as written (\max, \operatorname{logsumexp}) -> the primitive's name
OPERATORS: dict[str, str] = {"max": "max", "logsumexp": "logsumexp"}


class Head(NamedTuple):
    """``\\max_{i=1}^{n}``: the operator's name and its limits as written."""

    name: str
    sub: ast.Node
    sup: ast.Node | None


def operator_name(node: ast.Node) -> str | None:
    """max of ``\\max``, logsumexp of ``\\operatorname{logsumexp}``; None for anything else."""
    match node:
        case ast.FunctionName(name=name) | ast.Text(content=name) if name in OPERATORS:
            return name
    return None


def head(node: ast.Node) -> Head | None:
    """``\\max_i`` or ``\\max_{i=1}^{n}``: an operator with an index under it."""
    match node:
        case ast.Sub(base=base, script=sub) if operator_name(base):
            return Head(operator_name(base) or "", sub, None)
        case ast.Sup(base=ast.Sub(base=base, script=sub), script=sup) if operator_name(base):
            return Head(operator_name(base) or "", sub, sup)
    return None


def factors(node: ast.Node) -> list[ast.Node]:
    """The factors of a product written side by side, left to right."""
    if isinstance(node, ast.Juxt):
        return [*factors(node.left), *factors(node.right)]
    return [node]


def side_by_side(items: list[ast.Node]) -> ast.Node:
    out = items[0]
    for item in items[1:]:
        out = ast.Juxt(Span(out.span.start, item.span.end), out, item)
    return out


def rewrite(r: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with every ``\\max_i body`` a big operator (``ast.BigOp``); a statement
    without one is returned as it is."""
    out: list[ast.Statement] = []
    for s in statements:
        out.append(_rewrite(r, s) if isinstance(s, ast.Definition) else s)  # type: ignore[arg-type]
    return out


def _rewrite(r: Reader, node: ast.Node) -> ast.Node:
    match node:
        case ast.Juxt():
            items = factors(node)
            for k, item in enumerate(items[:-1]):
                found = head(item)
                if found is not None:  # the operator binds the whole product after it
                    body = _rewrite(r, side_by_side(items[k + 1 :]))
                    big = ast.BigOp(
                        Span(item.span.start, body.span.end), found.name, found.sub, found.sup, body
                    )
                    return side_by_side([*(_rewrite(r, x) for x in items[:k]), big])
        case ast.Call(func=func, args=(arg,)) if head(func) is not None:  # \max_i (a_i + b_i)
            found = head(func)
            assert found is not None
            return ast.BigOp(node.span, found.name, found.sub, found.sup, _rewrite(r, arg))
        case ast.Call(func=func) if operator_name(func) == "logsumexp":
            raise r.error(
                "\\operatorname{logsumexp} is read over the entries an index runs over, and "
                "this one has no index",
                node.span,
                hint="write the index under it: \\operatorname{logsumexp}_i a_i",
            )
    changes: dict[str, object] = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, ast.Node):
            new = _rewrite(r, value)
            if new is not value:
                changes[f.name] = new
        elif isinstance(value, tuple) and any(isinstance(v, ast.Node) for v in value):
            items_new = tuple(_rewrite(r, v) if isinstance(v, ast.Node) else v for v in value)
            if any(a is not b for a, b in zip(items_new, value, strict=True)):
                changes[f.name] = items_new
    return replace(node, **changes) if changes else node  # type: ignore[arg-type]


def bigop(r: Reader, node: ast.BigOp, sub: ast.Node | None, body: ast.Node) -> t.Term:
    """``\\max_i body`` (after :func:`rewrite`): the reduction over the entries i."""
    written = r.source.snippet(node.span).split("_")[0].strip()
    index = sub.left if isinstance(sub, ast.ScriptIn | ast.ScriptEq) else sub
    name = index.name if isinstance(index, ast.Letter) else None
    info = r.out.indices.get(name) if name is not None else None
    if sub is None or info is None:
        raise r.error(
            f"cannot read what {written} ranges over",
            (sub or node).span,
            hint=f"write the index under it: {written}_i a_i",
        )
    if (got := neighbour_max(r, node, info, body)) is not None:
        return got  # \max_{j \in \mathcal{N}(i)} (read/rules_neighbour_max.py)
    if info.kind != "element":
        raise r.error(
            f"{written} over the {info.kind}s {info.letter} is not read yet (over the entries "
            "of a vector it is)",
            node.span,
            hint=f"{written}_{{i}} a_i takes it over the entries i of the vector a",
        )
    return r.index_sum(node, info, body, OPERATORS[node.op])
