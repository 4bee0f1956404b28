r"""Two notation rules read from the words around a capsule network's margin loss (labml's
annotated CapsNet, Sabour et al. 2017 eq. 4)::

    Loss for each output capsule or class $k$ is,
    $$\mathcal{L}_k = T_k \max(0, m^{+} - \lVert\mathbf{v}_k\rVert)^2 +
    \lambda (1 - T_k) \max(0, \lVert\mathbf{v}_k\rVert - m^{-})^2$$
    $T_k$ is $1$ if the class $k$ is present and $0$ otherwise.

Rule ``family-index-words``: the prose says a letter ranges over the capsules or classes:
"for each output capsule or class $k$", "for every capsule $j$", "capsule $j$" (what people
write before an equation written per member; other words, a graph's nodes or a sequence's
steps, are left to their own rules). How papermath reads it: the letter is the index
of the family (one value per member: ``\mathcal{L}_k``, ``T_k``, ``\mathbf{v}_k`` one each per
k, the shapes given are one member's), never a label; the readings quote the words
(read/rules_family.py). Without such words ``s_j`` beside ``v_j`` alone stays refused
(parse/doubts.py: the index of a family or a label).

Rule ``indicator-words``: the prose says a symbol is 1 under a condition and 0 otherwise
("$T_k$ is $1$ if the class $k$ is present and $0$ otherwise"). How papermath reads it: the
symbol is one number (``T_k \in \mathbb{R}``); where the condition names the class or the
label of the example ("class", "label", "target", "ground truth"), it is the example's label,
what the loss compares the output with: target data. Another condition ("$m_t$ is $1$ if the
step is padding and $0$ otherwise": a mask) gives the number only.
"""

from __future__ import annotations

import re

from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

__all__ = ["family_letters", "indicators"]

# "for each output capsule or class $k$", "for every capsule $j$", "capsule $j$": the words
# name capsules or classes (a graph's nodes, a sequence's steps have their own rules)
_FOR_EACH = re.compile(
    r"(?:\bfor\s+(?:each|every)\s+[^$.\n]{0,40}?\b(?:capsules?|class(?:es)?)\b[^$.\n]{0,20}?"
    r"|\b(?:capsule|class)\s+)\$\s*(?P<letter>[a-z])\s*\$",
    re.IGNORECASE,
)
# "$T_k$ is $1$ if the class $k$ is present and $0$ otherwise"
_INDICATOR = re.compile(
    r"\$(?P<sym>\\?[A-Za-z]+(?:_(?:\{[A-Za-z]\}|[A-Za-z]))?)\$\s+is\s+\$\s*1\s*\$\s+"
    r"(?P<cond>(?:if|when)\s+[^.\n]{0,120}?)\s+and\s+\$\s*0\s*\$\s+otherwise"
)
_LABEL_WORDS = re.compile(r"\b(?:class|label|target|ground\s+truth)\b", re.IGNORECASE)


def family_letters(text: str) -> dict[str, tuple[Span, str]]:
    """The letters the prose says range over a family's members: letter -> (the letter's
    span, the words)."""
    out: dict[str, tuple[Span, str]] = {}
    for m in _FOR_EACH.finditer(text):
        words = " ".join(m.group().split())
        out.setdefault(m.group("letter"), (Span(m.start("letter"), m.end("letter")), words))
    return out


def indicators(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``T_k \\in \\mathbb{R}`` (and ``T is target`` where the condition names the class)
    for each "$T_k$ is $1$ if ... and $0$ otherwise" whose symbol the equations write."""
    written = {
        re.sub(r"\s+", "", text[n.span.start : n.span.end])
        for s in statements
        if isinstance(s, ast.Definition)
        for n in ast.walk(s)
    }
    out: list[ast.Statement] = []
    for m in _INDICATOR.finditer(text):
        sym = m.group("sym")
        if sym not in written:
            continue
        decl = declaration_on_words(sym, None, WordSpans(m.span("sym"), m.span("cond")))
        if decl is None:
            continue
        label = _LABEL_WORDS.search(m.group("cond")) is not None
        quoted = " ".join(m.group().split())
        note = f"said in words: '{quoted}': {sym} is one number, 1 or 0 (indicator-words)"
        if label:
            note += (
                "; the condition names the class of the example: its label, what the loss "
                "compares the output with (target data)"
            )
        span = Span(m.start("sym"), m.end("sym"))
        out.append(ProseDeclaration(span, decl.targets, decl.space, said=note))
        if label:
            base = re.sub(r"_.*$", "", sym).lstrip("\\")
            out.append(ast.Directive(span, f"{base} is target"))
    return out
