r"""Notation rule ``subscript-run-on-before-a-script``: ``W_kh_u^{k-1}`` (cs224w's graph
attention, ``e_{vu} = a(W_kh_u^{k-1}, W_kh_v^{k-1})``, ``\alpha_{vu}W_kh^{k-1}_u``).

In LaTeX a subscript without braces is one character, so ``W_kh_u^{k-1}`` is ``W_k`` times
``h_u^{k-1}``; the parser, which reads ``W_xf`` as the label xf (plain-text names), reads
``kh`` whole. Here the letters after it carry scripts of their own (``_u``, ``^{k-1}``): were
``kh`` one label, ``W_{kh}_u`` would be a double subscript, which LaTeX does not typeset. So the
source can only mean what LaTeX shows.

How papermath reads it: a subscript of two letters written without braces (``_kh``), followed
by another subscript (``_u``, also after a superscript: ``h^{k-1}_u``), is the subscript's first
letter (``W_k``) times the second letter with the scripts that follow (``h_u^{k-1}``); the
readings say so. A two-letter subscript with no second subscript after it (``W_xf x``,
``e_vu``, ``W_ij^2``: plain text's W_{ij} squared) is read as before.

Example that reads: ``y = W_kh_u`` beside ``h_u \in \mathbb{R}^{d}`` (W_k times h_u).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader


def _runon(reader: Reader, node: ast.Node) -> tuple[ast.Letter, ast.Letter] | None:
    """``W_kh``: the two letters of an unbraced two-letter subscript, else None."""
    if not isinstance(node, ast.Sub) or not isinstance(node.script, ast.Juxt):
        return None
    first, second = node.script.left, node.script.right
    if not (isinstance(first, ast.Letter) and isinstance(second, ast.Letter)):
        return None
    if len(first.name) != 1 or len(second.name) != 1:
        return None
    text = reader.source.text
    if text[node.script.span.start - 1 : node.script.span.start] != "_":
        return None  # W_{kh}: braced, a label (or a pair) as written
    if node.script.span.end - node.script.span.start != 2:
        return None
    return first, second


def _split(reader: Reader, node: ast.Node, found: list[Span]) -> ast.Node | None:
    """``Sup(Sub(Sub(W, kh), u), k-1)`` -> ``Juxt(Sub(W, k), Sup(Sub(h, u), k-1))``."""
    chain: list[ast.Sub | ast.Sup] = []
    cur = node
    while isinstance(cur, ast.Sub | ast.Sup):
        chain.append(cur)
        cur = cur.base
    # the run-on subscript is the innermost script; at least one script follows it
    if len(chain) < 2 or (letters := _runon(reader, chain[-1])) is None:
        return None
    if not any(isinstance(x, ast.Sub) for x in chain[:-1]):
        return None  # W_ij^2: a superscript alone after it is W_{ij}'s (plain text's) square
    inner = chain[-1]
    assert isinstance(inner, ast.Sub)
    first, second = letters
    weight = ast.Sub(Span(inner.span.start, first.span.end), inner.base, first)
    rebuilt: ast.Node = second
    for outer in reversed(chain[:-1]):
        rebuilt = replace(outer, span=Span(second.span.start, outer.span.end), base=rebuilt)
    found.append(Span(inner.span.start, node.span.end))
    return ast.Juxt(node.span, weight, rebuilt)


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each run-on subscript before a script split (see the module)."""
    out: list[ast.Statement] = []
    for s in statements:
        found: list[Span] = []

        def visit(node: ast.Node, found: list[Span] = found) -> ast.Node:
            new = _split(reader, node, found)
            if new is not None:
                return ast.map_children(new, visit)
            return ast.map_children(node, visit)

        new_s = ast.map_children(s, visit)
        for span in found:
            written = reader.source.snippet(span)
            reader.note(
                span,
                "subscript run into the next symbol",
                f"{written}: in LaTeX a subscript without braces is one character, and the "
                "letter after it carries scripts of its own (two subscripts in a row are not "
                "LaTeX): a product of two symbols, as LaTeX typesets it",
            )
        out.append(new_s)
    return out
