r"""Notation rule ``pair-coefficient-scalar``: "the attention coefficients $$e_{vu}$$ across
pairs of nodes $$u, v$$" (cs224w's graph attention, where ``e_{vu} = a(W_kh_u^{k-1},
W_kh_v^{k-1})`` leaves the mechanism a unnamed, its output's width unsaid).

What it says: a coefficient is one number, a weight that scales; written with the indices of a
pair (``e_{vu}``: one per pair v, u), each e_{vu} is one number. How papermath reads it: a symbol
written right after the word "coefficient" or "coefficients" (after "attention", "normalized"
or no adjective), inside inline math, whose subscript is two letters (a pair: ``e_{vu}``,
``\alpha_{ij}``, ``\alpha_{i,j}``), is declared a scalar (``e_{vu} \in \mathbb{R}``), the span on
the words, the reading quoting them. A symbol without a pair's indices ("the coefficients $w$",
a polynomial's: a vector of them) is not read so, nor one the source declares itself.

Example that reads: "Let $$e_{vu}$$ be the attention coefficients" is NOT read (the word
comes after); "the attention coefficients $$e_{vu}$$" is.
"""

from __future__ import annotations

import re

from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

COEFFICIENT = re.compile(
    r"\bcoefficients?\s+(?:\$\$|\$|:math:`|\\\()\s*(?P<sym>\\?[A-Za-z]+_\{(?:[A-Za-z],?\s*"
    r"[A-Za-z])\})\s*(?:\^\s*\{\s*\(\s*[A-Za-z]\s*\)\s*\}\s*)?"  # a_{rb}^{(l)}: a layer's
    r"(?:\$\$|\$|`|\\\))",
    re.IGNORECASE,
)


def declarations(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The scalars the rule ``pair-coefficient-scalar`` reads (see the module)."""
    out: list[ast.Statement] = []
    declared = {
        re.sub(r"[{}\s]", "", text[t.span.start : t.span.end])
        for s in statements
        if isinstance(s, ast.Declaration)
        for t in s.targets
    }
    written = {
        re.sub(r"[{}\s]", "", text[n.span.start : n.span.end])
        for s in statements
        if isinstance(s, ast.Definition)
        for n in ast.walk(s)
        if isinstance(n, ast.Sub)
    }
    for m in COEFFICIENT.finditer(text):
        sym = m.group("sym")
        bare = re.sub(r"[{}\s]", "", sym)
        if bare not in written or bare in declared:
            continue
        decl = declaration_on_words(sym, None, WordSpans(m.span("sym"), m.span("sym")))
        if decl is None:
            continue
        words = " ".join(m.group(0).split())
        note = (
            f"said in words: '{words}': a coefficient is one number, and {sym} carries the "
            "indices of a pair, so each is a scalar (rule pair-coefficient-scalar)"
        )
        out.append(ProseDeclaration(Span(m.start(), m.end()), decl.targets, decl.space, said=note))
        declared.add(bare)
    return out
