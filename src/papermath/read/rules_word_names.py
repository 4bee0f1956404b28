# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``italic-word-defined``: a word typed in math italics with a subscript on its
last letter, defined by an equation (the whole left side), ``norm_{ij} = ...``, as DGL's
GatedGCNConv docstring writes it:

    norm_{ij}=\Sigma_{j\in N_{i}} \sigma\left(e_{ij}^{l+1}\right)+\varepsilon
    \hat{e}_{ij}^{l+1}=\sigma(e_{ij}^{l+1}) / norm_{ij}

How papermath reads it: one value named ``norm`` (as ``\mathrm{norm}_{ij}``), wherever the
same letters are typed together with the same subscript. LaTeX typesets the word as the
product n o r m of four letters, but a left side names the one value an equation defines (a
product of four unknowns is not defined by an equation), and the source then uses that name:
``\sigma(e_{ij}) / norm_{ij}`` divides by it (not by n alone, the rest multiplied after). The
reading says so. Only runs of three or more Latin letters typed with nothing between them,
the last one with a subscript, that are a definition's whole left side; names papermath
knows as functions (``exp``, ``tanh``) are not runs of letters. A run called with arguments
on a right side (``lin_x(x)``) is parse/italic_names.py's.

Example that reads (norm one value per edge, as e)::

    h_i' = \sum_{j \in \mathcal{N}(i)} \frac{e_{ij}}{norm_{ij}} W h_j, norm_{ij} = \sum_{k \in \mathcal{N}(i)} e_{ik}, e_{ij} \in \mathbb{R}
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from ..parse import ast
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader

RULE = "italic-word-defined"
RUN = 3


def _factors(node: ast.Node) -> list[ast.Node]:
    """A juxtaposition flattened: ``((a b) c)`` -> [a, b, c]."""
    if isinstance(node, ast.Juxt):
        return [*_factors(node.left), *_factors(node.right)]
    return [node]


def _rightmost(node: ast.Node) -> ast.Node:
    """The last leaf written of ``node``: the right operand of a division, or of a product."""
    while isinstance(node, ast.Juxt | ast.BinOp):
        node = node.right
    return node


def _swap_rightmost(node: ast.Node, new: ast.Node) -> ast.Node:
    if isinstance(node, ast.Juxt | ast.BinOp):
        right = _swap_rightmost(node.right, new)
        return replace(node, right=right, span=Span(node.span.start, new.span.end))
    return new


def _run(text: str, letters: list[ast.Node]) -> tuple[str, ast.Node] | None:
    """(the word, the subscript) where ``letters`` are single Latin letters typed together,
    the last one with a subscript; None otherwise."""
    if len(letters) < RUN or not isinstance(letters[-1], ast.Sub):
        return None
    last = letters[-1]
    chars = [*letters[:-1], last.base]
    word = ""
    for k, node in enumerate(chars):
        if not (isinstance(node, ast.Letter) and len(node.name) == 1 and node.name.isascii()):
            return None
        if text[node.span.start : node.span.end] != node.name:
            return None  # \alpha, a command
        if k and chars[k - 1].span.end != node.span.start:
            return None  # a space between: a product
        word += node.name
    return word, last.script


def _node(x: object) -> ast.Node:
    assert isinstance(x, ast.Node)
    return x


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Every word typed in italics that a left side defines (see the module), read as one
    name wherever it is typed the same way."""
    text = reader.source.text
    words: dict[tuple[str, str], str] = {}  # (word, its subscript as written) -> the left side
    for s in statements:
        if isinstance(s, ast.Definition) and isinstance(s.lhs, ast.Juxt):
            found = _run(text, _factors(s.lhs))
            if found is not None:
                word, script = found
                words[(word, text[script.span.start : script.span.end])] = text[
                    s.lhs.span.start : s.lhs.span.end
                ]
    if not words:
        return statements

    def named(letters: list[ast.Node]) -> ast.Node | None:
        found = _run(text, letters)
        if found is None:
            return None
        word, script = found
        key = (word, text[script.span.start : script.span.end])
        if key not in words:
            return None
        start, end = letters[0].span.start, letters[-1].span.end
        base = letters[-1].base if isinstance(letters[-1], ast.Sub) else letters[-1]
        name = ast.Text(Span(start, base.span.end), "mathrm", word)
        reader.note(
            Span(start, end),
            f"the name {word} ({RULE})",
            f"{words[key]} is the left side of an equation: the letters typed together are "
            f"one name, {word} (as \\mathrm{{{word}}}), not the product of {len(word)} "
            "letters; read so wherever they are typed the same way",
        )
        return ast.Sub(Span(start, end), name, script)

    def fix(node: object) -> object:
        if isinstance(node, tuple):
            items = tuple(fix(x) for x in node)
            return node if all(a is b for a, b in zip(items, node, strict=True)) else items
        if not isinstance(node, ast.Node):
            return node
        if isinstance(node, ast.Juxt):
            factors = _factors(node)
            spans = [(a, b) for a in range(len(factors)) for b in range(a + 1, len(factors))]
            for k, end in spans:
                # the run starts at factor k, or at the last leaf of factor k (x / n o r m_ij)
                for first in (factors[k], _rightmost(factors[k])):
                    name = named([first, *factors[k + 1 : end + 1]])
                    if name is None:
                        continue
                    head = [_node(fix(f)) for f in factors[:k]]
                    if first is not factors[k]:
                        head.append(_swap_rightmost(_node(fix(factors[k])), name))
                    else:
                        head.append(name)
                    head += [_node(fix(f)) for f in factors[end + 1 :]]
                    out = head[0]
                    for f in head[1:]:
                        out = ast.Juxt(Span(out.span.start, f.span.end), out, f)
                    return out
        changed: dict[str, Any] = {}
        for fld in fields(node):
            old = getattr(node, fld.name)
            new = fix(old)
            if new is not old:
                changed[fld.name] = new
        return replace(node, **changed) if changed else node

    out: list[ast.Statement] = []
    for s in statements:
        new = fix(s)
        if new is not s:
            assert isinstance(new, type(s))
            new = ast.keep_attached(new, s)
            out.append(new)
        else:
            out.append(s)
    return out
