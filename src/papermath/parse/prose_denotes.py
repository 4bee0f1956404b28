r"""Notation rule ``definition-in-prose``: a docstring's prose that says what a symbol of the
equations stands for with a formula, read as the definition it is.

What people write (PyG's ChebConv, after the equations that use \mathbf{\hat{L}})::

    and :math:`\mathbf{\hat{L}}` denotes the scaled and normalized Laplacian
    :math:`\frac{2\mathbf{L}}{\lambda_{\max}} - \mathbf{I}`.

How papermath reads it: ``$S$ denotes [the|a|an] <a few words> $FORMULA$`` with S one
symbol the equations write and FORMULA an expression (an operator in it, not one symbol
alone: that would be a second name, not a definition) is the definition ``S = FORMULA``, its
spans on the words (a clash points at the prose). The reading says it was read from the prose.

Only this sentence is read: ``is`` (``$\tilde{A}$ is $A$ + $I$``, split over several roles),
a symbol the equations do not write, or words that run past a sentence are left as prose.

Example (reads; \hat{L} is then defined from L)::

    $$X' = \hat{L} X W$$ where $\hat{L}$ denotes the scaled Laplacian $\frac{2 L}{\lambda} - I$.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..errors import PapermathError
from ..source import Span
from . import ast
from .normalize import Normalized
from .prose_nodes import _remap

__all__ = ["definitions"]

# `$\hat{L}$ denotes the scaled and normalized Laplacian $\frac{2L}{\lambda} - I$`: a few
# words (no sentence end, no other math) between the symbol and the formula
_DENOTES = re.compile(
    r"\$(?P<sym>[^$\n]+)\$[ \t]+denotes[ \t]+(?:the[ \t]+|an?[ \t]+)?"
    r"(?P<words>[A-Za-z][A-Za-z \t,\-]{0,80}?)\s*\$(?P<rhs>[^$\n]+)\$"
)
# words that end the noun phrase "denotes" names: another clause, or a size said in words
_CLAUSE = re.compile(
    r"\b(?:is|are|was|where|which|that|while|with|for|if|when|of\s+size|size|shape|"
    r"dimensions?|number)\b",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"\s+(?:is|are|was|denotes|denote|has|have|holds?)\b")
_MATH = re.compile(r"\$\$?([^$]+?)\$\$?")
_OPERATOR = re.compile(r"[-+*/]|\\frac|\\cdot|\\odot|\\sqrt")


@dataclasses.dataclass(frozen=True)
class ProseDefinition(ast.Definition):
    """A definition said in words; ``said`` is the reading note (read/reader.py notes it)."""

    said: str = ""
    reading: str = "definition said in the prose"


def _mover(
    head: int, sym: int, sym_start: int, rhs_start: int, whole: Span
) -> Callable[[Span], Span]:
    """Spans of ``S = FORMULA`` as parsed -> spans in the prose: the symbol onto the symbol,
    the formula onto the formula, the whole onto the sentence."""

    def where(span: Span) -> Span:
        if span.start >= head:
            return Span(rhs_start + span.start - head, rhs_start + span.end - head)
        if span.end <= sym:
            return Span(sym_start + span.start, sym_start + span.end)
        return whole

    return where


def definitions(norm: Normalized) -> list[ast.Statement]:
    """The definitions ``$S$ denotes ... $FORMULA$`` in the prose says, for each S the
    equations (the regions that are all math) write."""
    from . import _parse_text

    text = norm.text
    plain = " ".join(r.text for r in norm.regions if not r.mixed)  # math alone: equations
    out: list[ast.Statement] = []
    for m in _DENOTES.finditer(text):
        sym, rhs = m.group("sym").strip(), m.group("rhs").strip()
        # the equations: the math-only regions, and the math in the prose that holds an =
        # (display math inline, $$...$$), outside this sentence
        inline = " ".join(
            e.group(1)
            for e in _MATH.finditer(text)
            if "=" in e.group(1) and (e.end() <= m.start() or e.start() >= m.end())
        )
        written = re.sub(r"\s", "", plain + " " + inline)
        bare = re.sub(r"\s", "", sym)
        if not _OPERATOR.search(rhs) or _OPERATOR.search(sym) or bare not in written:
            continue
        if _CLAUSE.search(m.group("words")) or re.search(re.escape(bare) + r"&?=", written):
            continue  # "... of size $m-1$": a size, not a formula; S defined by an equation
        if _SUBJECT.match(text, m.end()):
            continue  # "... and $m-1$ is the width": the formula begins another clause
        head = f"{sym} = "
        try:
            found, _ = _parse_text(head + rhs, mixed=False)
        except PapermathError:
            continue  # not a formula: left as prose
        defs = [s for s in found if isinstance(s, ast.Definition)]
        if len(found) != 1 or len(defs) != 1:
            continue
        sym_start = m.start("sym") + (len(m.group("sym")) - len(m.group("sym").lstrip()))
        rhs_start = m.start("rhs") + (len(m.group("rhs")) - len(m.group("rhs").lstrip()))
        moved: ast.Definition = _remap(
            defs[0], _mover(len(head), len(sym), sym_start, rhs_start, Span(m.start(), m.end()))
        )
        words = " ".join(m.group(0).split())
        said = (
            f"the prose says '{words}': read as the definition {sym} = {rhs} (a symbol of the "
            "equations, said to denote a formula)"
        )
        fields = {f.name: getattr(moved, f.name) for f in dataclasses.fields(moved)}
        out.append(ProseDefinition(**fields, said=said))
    return out
