r"""Rule ``graph-tuple``: a graph named by its parts, ``G = (V, E)``, in the prose's math.

What people write::

    Given a graph $$G = (V, A, X)$$ such that: ...           (CS224W's notes)
    Let $\mathcal{G} = (\mathcal{V}, \mathcal{E})$ be a graph with nodes ...
    a graph $G = (V, E)$ with $n = |V|$ nodes

The tuple names the sets and data that make the graph (its vertices, edges, adjacency,
features); it computes nothing. papermath otherwise refuses a tuple on a right side (its
items are no values it can read).

How papermath reads it: the math is left out (blanked in place) and a reading quotes it; the
parts keep whatever the rest of the source says of them (``X \in \mathbb{R}^{m \times |V|}``:
|V| the number of vertices, a size). Only a math whose whole content is the letter G
(``\mathcal{G}``) ``=`` a parenthesised list of two or more capital letters (each may be
calligraphic or bold), with the word "graph" in the words just before it.

Example (reads: the tuple left out)::

    Given a graph $G = (V, E)$, $$H = \tanh(A X W)$$
"""

from __future__ import annotations

import re

from ..source import Span
from .blanking import blank
from .edge_indicator import math_contents

__all__ = ["RULE", "find", "readings", "rewrite"]

RULE = "graph-tuple"

_FONT = r"\\(?:mathcal|mathbf|mathbb|boldsymbol)"
_CAP = rf"(?:{_FONT}\s*\{{\s*[A-Z]\s*\}}|\\(?:mathcal|mathbf)\s+[A-Z]|[A-Z])"
_WHOLE = re.compile(
    rf"\s*(?:\\mathcal\s*\{{\s*G\s*\}}|\\mathcal\s+G|G)\s*=\s*\(\s*{_CAP}(?:\s*,\s*{_CAP})+\s*\)"
    r"\s*[.,;]?\s*"
)
_GRAPH = re.compile(r"\bgraphs?\b", re.IGNORECASE)


def find(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each graph tuple's math content."""
    out = []
    for m, a, b in math_contents(text, _WHOLE, rst=False):
        before = text[max(0, m.start() - 60) : m.start()]
        if _GRAPH.search(before.split(".")[-1]):
            out.append((a, b))
    return out


def rewrite(text: str, out: list[str]) -> None:
    """Blank each graph tuple, every newline kept."""
    for a, b in find(text):
        blank(out, a, b)


def readings(text: str) -> list[tuple[Span, str, str]]:
    """(span, reading, why) for each graph tuple left out."""
    return [
        (
            Span(a, b),
            f"a graph named by its parts, left out ({RULE})",
            f"{' '.join(text[a:b].split())}: the prose names the graph by the sets and data "
            "that make it (its vertices, edges, adjacency, features); it computes no value, so "
            "the line is left out, and each part is what the rest of the source says of it",
        )
        for a, b in find(text)
    ]
