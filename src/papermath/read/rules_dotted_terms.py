r"""Notation rule ``dotted-sum-of-terms``: a sum written out with dots between its first and last
terms, ``w_{1}p_{1}(\xi)+\cdots+w_{n}p_{n}(\xi)`` (Distill's "Why Momentum Really Works", the
polynomial model), ``a_1 + a_2 + \dots + a_n``, ``x_0 + \ldots + x_N``.

What it says: the terms are one pattern written at the first value of an index (1, or 0), perhaps
the second (2), and the last (n); the dots stand for the values between. It is the sum
``\sum_{i=1}^{n}`` of the pattern at i, the index the pattern's subscripts carry.

How papermath reads it: as that sum, written with the index i (or j, k, m: the first letter the
statement does not use), then read as any sum (its range refused or read as ``\sum_{i=1}^{n}``
is). The index is none the statement writes and none another sum binds. Only where a run
of the chain of ``+`` is the pattern (terms before and after it stay): the first term, an
optional second, the dots (``\cdots``, ``\dots``, ``\ldots``, ``...``), the last; the terms
the same but for subscripts, each the first value (0 or 1) in the first term, the next in the
second, and one letter (the last value, n) in the last; n nowhere else in the last term. The
readings say so. Any other dots between terms (``a_1 + \cdots + b_n``, ``a_1 + \cdots +
a_{n-1}``, ``a_1 \cdot \ldots \cdot a_n``) stay refused at the dots (read/reader.py, the hint
giving ``\sum``).

Examples (read)::

    y = w_{1}x_{1} + \cdots + w_{n}x_{n}, w \in \mathbb{R}^{n}, x \in \mathbb{R}^{n}
    s = a_1 + a_2 + \dots + a_n, a \in \mathbb{R}^{n}

Refused at the dots (the last term is no member of the first's pattern)::

    s = a_1 + \cdots + b_n, a \in \mathbb{R}^{n}, b \in \mathbb{R}^{n}
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING

from ..letters import DOTTED_SUM_INDEX_LETTERS
from ..parse import ast
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader

RULE = "dotted-sum-of-terms"

__all__ = ["RULE", "rewrite"]


def _chain(node: ast.Node) -> list[tuple[ast.Node, Span | None]]:
    """The terms of a left-nested chain of ``+``, each with the span of the ``+`` before it."""
    if isinstance(node, ast.BinOp) and node.op == "+":
        return [*_chain(node.left), (node.right, node.op_span)]
    return [(node, None)]


def _join(items: list[tuple[ast.Node, Span | None]]) -> ast.Node:
    """The chain of ``+`` of ``items`` again (the inverse of ``_chain``)."""
    out = items[0][0]
    for term, op in items[1:]:
        assert op is not None
        out = ast.BinOp(Span(out.span.start, term.span.end), "+", out, term, op)
    return out


def _alone(node: ast.Node) -> ast.Node:
    while isinstance(node, ast.Brace | ast.ScriptList) and len(node.items) == 1:
        node = node.items[0]
    return node


def _same(a: object, b: object, last: str, values: dict[str, int], mark: list[int]) -> bool:
    """``a`` (a term at a number) and ``b`` (the last term) the same but where b's subscript is
    the letter ``last`` and a's is one number, the same number everywhere (``values``)."""
    if isinstance(a, ast.Node) and isinstance(b, ast.Node):
        if isinstance(a, ast.Sub) and isinstance(b, ast.Sub):
            sa, sb = _alone(a.script), _alone(b.script)
            if isinstance(sb, ast.Letter) and sb.name == last:
                if not (isinstance(sa, ast.Number) and sa.text.isdigit()):
                    return False
                if values.setdefault("n", int(sa.text)) != int(sa.text):
                    return False
                mark[0] += 1
                return _same(a.base, b.base, last, values, mark)
        if type(a) is not type(b):
            return False
        if isinstance(b, ast.Letter) and b.name == last:
            return False  # n elsewhere in the last term: not only the index
        return all(
            _same(getattr(a, f.name), getattr(b, f.name), last, values, mark)
            for f in fields(a)
            if f.name != "span" and f.name != "op_span"
        )
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(
            _same(x, y, last, values, mark) for x, y in zip(a, b, strict=True)
        )
    return bool(a == b)


def _last_letters(node: ast.Node) -> set[str]:
    """The letters that stand alone as a subscript in ``node``."""
    return {
        s.name
        for x in ast.walk(node)
        if isinstance(x, ast.Sub) and isinstance(s := _alone(x.script), ast.Letter)
    }


def _index_in(node: ast.Node, last: str, index: ast.Letter) -> ast.Node:
    """``node`` with each subscript that is the letter ``last`` alone replaced by ``index``."""

    def f(x: ast.Node) -> ast.Node:
        if isinstance(x, ast.Sub):
            script = _alone(x.script)
            if isinstance(script, ast.Letter) and script.name == last:
                return ast.keep_attached(
                    ast.Sub(x.span, f(x.base), ast.Letter(script.span, index.name)), x
                )
        return ast.map_children(x, f)

    return f(node)


def _sum(reader: Reader, node: ast.BinOp, used: set[str]) -> ast.Node | None:
    """The chain ``node`` as a sum, or None where it is not such a chain (see the module)."""
    items = _chain(node)
    terms = [x for x, _ in items]
    dots = [n for n, x in enumerate(terms) if isinstance(x, ast.Dots)]
    if len(dots) != 1 or not 1 <= dots[0] <= len(terms) - 2:
        return None
    d = dots[0]
    last = terms[d + 1]
    shapes = [(d - 2, terms[d - 1 : d]), (d - 1, [])] if d >= 2 else [(d - 1, [])]
    for (at_first, middle), n in ((x, n) for x in shapes for n in sorted(_last_letters(last))):
        first = terms[at_first]
        values: dict[str, int] = {}
        mark = [0]
        if not _same(first, last, n, values, mark) or mark[0] == 0:
            continue
        start = values["n"]
        if start not in (0, 1):
            continue
        ok = True
        for step, term in enumerate(middle, start=1):
            again: dict[str, int] = {}
            if not (_same(term, last, n, again, [0]) and again.get("n") == start + step):
                ok = False
        if not ok:
            continue
        letter = next((x for x in DOTTED_SUM_INDEX_LETTERS if x not in used), None)
        if letter is None:
            return None
        at = terms[dots[0]].span
        index = ast.Letter(at, letter)
        upper = next(
            _alone(x.script)
            for x in ast.walk(last)
            if isinstance(x, ast.Sub)
            and isinstance(_alone(x.script), ast.Letter)
            and _alone(x.script).name == n  # type: ignore[attr-defined]
        )
        written = " ".join(reader.source.snippet(Span(first.span.start, last.span.end)).split())
        reader.note(
            Span(first.span.start, last.span.end),
            f"the sum over {letter} = {start}..{n}",
            f"{written}: the same term at {start}, then dots, then at {n}, the subscripts "
            f"the only difference: the sum \\sum_{{{letter}={start}}}^{{{n}}} of the term at "
            f"{letter} (the dots stand for the terms between)",
        )
        whole = Span(first.span.start, last.span.end)
        summed = ast.BigOp(
            whole,
            "sum",
            ast.ScriptEq(at, index, ast.Number(at, str(start))),
            upper,
            _index_in(last, n, index),
        )
        before, after = items[:at_first], items[d + 2 :]
        return _join([*before, (summed, items[at_first][1]), *after])
    return None


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Each dotted sum of terms in a right side read as the sum it writes out."""
    out: list[ast.Statement] = []
    bound = {  # the letters other sums bind (\sum_{i=1}^{m}): an index is one letter's
        x.sub.left.name
        for x in ast.walk(statements)
        if isinstance(x, ast.BigOp)
        and isinstance(x.sub, ast.ScriptEq | ast.ScriptIn)
        and isinstance(x.sub.left, ast.Letter)
    }
    for s in statements:
        if not isinstance(s, ast.Definition) or not any(
            isinstance(x, ast.Dots) for x in ast.walk(s.rhs)
        ):
            out.append(s)
            continue
        used = {x.name for x in ast.walk(s) if isinstance(x, ast.Letter)} | bound

        def f(x: ast.Node, used: set[str] = used) -> ast.Node:
            if isinstance(x, ast.BinOp) and x.op == "+" and (summed := _sum(reader, x, used)):
                return summed
            return ast.map_children(x, f)

        rhs = f(s.rhs)
        out.append(s if rhs is s.rhs else ast.keep_attached(replace(s, rhs=rhs), s))
    return out
