r"""Chains of equalities ``a = b = c``: which side defines, which sides are names for it, and
which are claims to check.

A chain claims that every side is equal. It is read as one definition, from the **last side
that is a computation** (``\hat Y = A^{[2]} = \sigma(Z^{[2]})``: from ``\sigma(Z^{[2]})``),
of the nearest name before it (``A^{[2]}``). Every other side that is a **name** (a symbol,
``h^{(l)}``, ``A^{[2]}``, or a function of names written with a one-letter function,
``f(X, A)``) is defined as that value too (``\hat Y = A^{[2]}``), so each name means what the
chain says. Every other side that is a **computation** (``W_0 x + \Delta W x`` in LoRA's
``h = W_0 x + \Delta W x = W_0 x + B A x``, the rows of an ``aligned`` derivation continued
with ``&=``) is a claim: kept on the definition (:attr:`papermath.parse.ast.Definition.claims`)
and checked after the shapes are inferred (:mod:`papermath.chain_check`): it must read, with the
shape of the left side; a mismatch is an error naming both shapes. It is never read into the
model.

>>> from papermath.parse import parse
>>> [(s.lhs.span, s.rhs.span, len(s.claims)) for s in parse(r"h = W x + U x = (W + U) x")]
[(Span(0, 1), Span(16, 25), 1)]
"""

from __future__ import annotations

from ..errors import ParseError
from ..source import Span
from . import ast, chain_levels

__all__ = ["is_name", "resolve"]


def is_name(node: ast.Node) -> bool:
    """A side that names a value rather than computes one.

    >>> from papermath.parse import parse
    >>> [is_name(s.rhs) for s in parse("a = h^{(l)}\\nb = x^2\\nc = f(X, A)\\nd = W x")]
    [True, False, True, False]
    """
    if isinstance(node, ast.Letter | ast.Text):
        return True
    if isinstance(node, ast.Font | ast.Decorated):
        return is_name(node.body)
    if isinstance(node, ast.Prime):
        return is_name(node.base)
    if isinstance(node, ast.Sub):
        return is_name(node.base)
    if isinstance(node, ast.Sup):
        # h^{(l)}, A^{[2]}, W^Q: a label or a step; x^2, W^T, W^\top, D^{-1}: a computation
        script = node.script
        label = isinstance(script, ast.Paren | ast.Bracket) or (
            isinstance(script, ast.Letter) and script.name not in ("T", "t")
        )
        return label and is_name(node.base)
    if isinstance(node, ast.Call):
        func = node.func
        while isinstance(func, ast.Sub | ast.Font):
            func = func.base if isinstance(func, ast.Sub) else func.body
        # f(X, A): a one-letter function of names; \mathrm{softmax}_j(e_{ij}) computes
        return isinstance(func, ast.Letter) and all(is_name(a) for a in node.args)
    return False


def resolve(
    span: Span, sides: list[ast.Node], decl: ast.Node | None, text: str
) -> list[ast.Definition]:
    """The definitions a chain ``sides[0] = sides[1] = ...`` stands for (see the module).

    A side that runs over a line break into what is the left side of the next ``=`` is two
    equations whose row break (``\\\\``) is missing, not a chain: refused, naming it.
    """
    for side in sides[1:-1]:
        written = text[side.span.start : side.span.end]
        cut = written.rfind("\n")
        if cut >= 0 and written[cut:].strip():
            start = side.span.start + cut + 1
            start += len(text[start : side.span.end]) - len(text[start : side.span.end].lstrip())
            second = " ".join(text[start : side.span.end].split())
            raise ParseError(
                f"two equations on one row: {second} = ... follows the equation before it "
                "with no \\\\ between them (a line break inside one equation is a space, as in "
                "LaTeX, so the two read as one chain a = b = c)",
                span=Span(start, side.span.end),
                hint=f"end the row before {second} with \\\\, or leave a blank line between them",
            )
    chain_levels.check(sides, text)  # a = \sum_i z_i = f(x_i): a sum equated with an entry
    computing = [k for k in range(1, len(sides)) if not is_name(sides[k])]
    chosen = computing[-1] if computing else len(sides) - 1
    names = [0] + [k for k in range(1, len(sides)) if k != chosen and is_name(sides[k])]
    target = max(k for k in names if k < chosen)
    claims = tuple(sides[k] for k in computing if k != chosen)
    out = [
        ast.Definition(
            Span(sides[target].span.start, span.end),
            sides[target],
            sides[chosen],
            decl if target == 0 else None,
            claims,
        )
    ]
    for k in names:
        if k == target:
            continue
        a, b = sides[k], sides[target]
        out.append(
            ast.Definition(
                Span(min(a.span.start, b.span.start), max(a.span.end, b.span.end)),
                a,
                b,
                decl if k == 0 else None,
            )
        )
    return out
