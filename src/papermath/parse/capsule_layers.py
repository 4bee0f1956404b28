# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``capsule-layer-widths``: an architecture listing gives the widths of two
capsule layers by the layers' names, in the order the data flows, beside the routing equations
of Sabour et al. (2017), which say which capsules are below and which above (a project's
README)::

    PrimaryCaps    32 types × 8D capsules, 9×9 conv stride 2 → [B, 1152, 8]
      ↓
    DigitCaps      10 capsules (one per class) × 16D

    $$\hat{u}_{j|i} = W_{ij} u_i, \quad s_j = \sum_i c_{ij} \hat{u}_{j|i}$$

What people mean: the capsules of the first layer listed (8D) feed the second (16D). The
equations say the same direction in their own notation: ``\hat{u}_{j|i}`` is capsule i's
prediction for capsule j, made from ``u_i``, and ``s_j`` sums the predictions over i: ``u_i``
is a capsule of the layer below, ``s_j`` (and everything per j: ``\hat{u}_{j|i}``, ``v_j``) of
the layer above. How papermath reads it: ``u_i \in \mathbb{R}^{8}`` and
``s_j \in \mathbb{R}^{16}``, declarations read from the words (the readings quote them), only
where the listing names exactly two capsule layers with one width each, an arrow between them
(the direction of the listing), and the equations hold one value per pair ``\hat{u}_{j|i}``
made from one lower vector ``u_i`` and a left side per upper capsule j (the first such,
``v_j`` or ``s_j``, is declared; the shapes carry the width to the others). Anything else
is left to parse/capsule_widths.py (refused at the width, with these declarations as the hint).

Example that reads (a whole source of four lines)::

    PrimaryCaps  32 types × 8D capsules
      ↓
    DigitCaps    10 capsules × 16D
    $$\hat{u}_{j|i} = W_{ij} u_i, \quad s_j = \sum_i c_{ij} \hat{u}_{j|i}, \quad c_{ij} = \frac{\exp(b_{ij})}{\sum_k \exp(b_{ik})}$$
"""

from __future__ import annotations

import re

from ..source import Span
from . import ast
from .capsule_widths import _SUBJECT, _lines, _widths
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

__all__ = ["declarations"]

_ARROW = re.compile(r"↓|→|->|\\downarrow|\\rightarrow|\\to\b")
_PARAMETERS = frozenset({"W", "U", "V", "w", "b"})


def _letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font | ast.Decorated):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def _squeeze(text: str, span: Span) -> str:
    return re.sub(r"\s+", "", text[span.start : span.end])


def _routing(text: str, statements: list[ast.Statement]) -> tuple[ast.Node, ast.Node] | None:
    """(lower, upper): ``u_i`` in ``\\hat{u}_{j|i} = W_{ij} u_i`` and the left side ``s_j`` of
    the first equation per upper capsule j; None where the equations hold no such pair."""
    definitions = [s for s in statements if isinstance(s, ast.Definition)]
    for d in definitions:
        lhs = d.lhs
        if not isinstance(lhs, ast.Sub):
            continue
        pair = re.search(r"_\{([a-z])\|([a-z])\}$", _squeeze(text, lhs.span))
        if pair is None:
            continue
        j, i = pair.groups()
        lower = [
            n
            for n in ast.walk(d.rhs)
            if isinstance(n, ast.Sub)
            and isinstance(n.script, ast.Letter)
            and n.script.name == i
            and _letter(n.base) not in (None, *_PARAMETERS)
        ]
        upper = [
            e.lhs
            for e in definitions
            if isinstance(e.lhs, ast.Sub)
            and isinstance(e.lhs.script, ast.Letter)
            and e.lhs.script.name == j
            and _letter(e.lhs.base) is not None
        ]
        if len(lower) == 1 and upper:
            return lower[0], upper[0]
    return None


def declarations(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The two declarations the listing and the routing equations make (see the module)."""
    said = [
        (line, widths[0])
        for line in _lines(text)
        if not _SUBJECT.match(line.group()) and len(widths := _widths(line)) == 1
    ]
    if len(said) != 2:
        return []
    (first, w1), (second, w2) = said
    if not _ARROW.search(text[first.end() : second.start()]):
        return []
    routing = _routing(text, statements)
    if routing is None:
        return []
    declared = {
        _squeeze(text, t.span)
        for s in statements
        if isinstance(s, ast.Declaration)
        for t in s.targets
    }
    if any(_squeeze(text, node.span) in declared for node in routing):
        return []
    out: list[ast.Statement] = []
    for node, line, width, layer in (
        (routing[0], first, w1, "below"),
        (routing[1], second, w2, "above"),
    ):
        symbol = _squeeze(text, node.span)
        where = (line.start() + width.start("size"), line.start() + width.end())
        at = (node.span.start, node.span.end)
        decl = declaration_on_words(symbol, width.group("size"), WordSpans(at, where))
        if decl is None:
            return []
        quoted = " ".join(line.group().split())
        out.append(
            ProseDeclaration(
                Span(*where),
                decl.targets,
                decl.space,
                said=(
                    f"said in words: '{quoted}': the listing gives the capsule layers in the "
                    f"order the data flows, and the routing equations make {symbol} a capsule "
                    f"of the layer {layer} (the prediction for capsule j is made from capsule i's "
                    "u_i): "
                    f"{symbol} is a vector of {width.group('size')} numbers "
                    "(capsule-layer-widths)"
                ),
            )
        )
    return out
