r"""Rule ``edge-indicator``: an entry of a graph's adjacency defined by a condition, ``A_{ij} = 1
\iff (i, j) \in E``, a display (or inline math) of its own.

What people write::

    \alpha_{j} \stackrel{\tiny \downarrow}{=} 1 \Leftrightarrow v_{j} \rightarrow v
        (NYU's Deep Learning course notes, week 13: the adjacency vector a of a vertex v)
    A_{ij} = 1 \iff (i, j) \in E        (an adjacency matrix, in many notes and docstrings)
    A[i, j] = 1 \iff (i, j) \in E
    a_{ij} = 1 \Leftrightarrow j \in \mathcal{N}(i)

The line says which entries of the graph's adjacency are 1: it defines data by a condition on
the graph's edges, and computes no value a model's equations could. An equivalence is
otherwise refused (it is not an equation, parse/layout.py).

How papermath reads it: the math is left out (blanked in place, its ``\tag`` too) and a
reading quotes it; the letter it defines (A, \alpha), where an equation uses it, is graph data,
an input (read/rules_graph_data.py), never a learned parameter. Only this form: a letter with
indices on the left, ``=`` (a note over it allowed) and the number 1, ``\Leftrightarrow`` or
``\iff``, and on the right an edge: ``x \rightarrow y`` (``\to``), ``(i, j) \in E``
(``\mathcal{E}``), or ``j \in N(i)`` (``\mathcal{N}``), and nothing else in the math. Any
other equivalence stays refused at the arrow.

Example (reads: the line left out, h = f(U x + V X a d^{-1}))::

    \alpha_{j} = 1 \Leftrightarrow v_{j} \rightarrow v
"""

from __future__ import annotations

import re

from ..source import Span
from .blanking import blank

__all__ = ["RULE", "find", "letter", "readings", "rewrite"]

RULE = "edge-indicator"

_FONT = r"(?:\\(?:mathbf|boldsymbol|bm|mathit|mathrm)\s*\{\s*)"
_GREEK = "alpha|beta|gamma|delta|epsilon|omega|phi|psi|theta|rho|tau|xi|eta|mu|nu|zeta|pi|chi"
_LETTER = rf"(?:[A-Za-z]|\\(?:{_GREEK}|sigma|kappa|lambda))"
_INDEX = r"(?:[a-z]|[a-z]\s*'|[a-z]\s*,\s*[a-z]|[a-z]{2})"
# alpha_{j}, A_{ij}, \mathbf{A}_{i,j}, A[i, j], (\mathbf{A})_{ij}
_LEFT = (
    rf"(?P<name>{_FONT}?(?P<letter>{_LETTER})\s*\}}?)"
    rf"\s*(?P<idx>_\s*(?:\{{\s*{_INDEX}\s*\}}|[a-z])|\[\s*{_INDEX}\s*\])"
)
_NOTE = r"\{(?:[^{}]|\{[^{}]*\})*\}"  # {\tiny \downarrow}, {\text{def}}
_EQUALS = rf"(?:=|\\(?:stackrel|overset)\s*{_NOTE}\s*\{{\s*=\s*\}})"
_ARROW = r"\\(?:Leftrightarrow|iff)(?![A-Za-z])"
_NODE = r"(?:[a-z](?:\s*_\s*(?:\{\s*[a-z]\s*\}|[a-z]))?)"
_EDGE = (
    rf"(?:{_NODE}\s*(?:\\rightarrow|\\to|→)(?![A-Za-z])\s*{_NODE}"
    rf"|\(\s*{_NODE}\s*,\s*{_NODE}\s*\)\s*\\in\s*(?:E|\\mathcal\s*\{{\s*E\s*\}}|\\mathcal\s*E)"
    rf"|{_NODE}\s*\\in\s*(?:N|\\mathcal\s*\{{\s*N\s*\}}|\\mathcal\s*N)\s*(?:_\s*\{{?\s*[a-z]\s*\}}?\s*|\(\s*{_NODE}\s*\)))"
)
_TAG = r"(?:\s*\\tag\s*\{[^{}]*\})?"
_WHOLE = re.compile(rf"\s*{_LEFT}\s*{_EQUALS}\s*1\s*{_ARROW}\s*{_EDGE}{_TAG}\s*[.,;]?\s*")
# math in prose: $$...$$, \[...\], $...$, :math:`...`, \(...\); then (group 6) the rest of an
# reStructuredText line `.. math:: ...`
_MATH = re.compile(
    r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|(?<![\\$])\$([^$\n]+?)\$|:math:`([^`]+)`|\\\((.+?)\\\)"
    r"|\.\. math::[ \t]*([^\n]+)",
    re.DOTALL,
)
_RST = 6


def math_contents(
    text: str, whole: re.Pattern[str], rst: bool = True
) -> list[tuple[re.Match[str], int, int]]:
    """Each math in prose whose content ``whole`` matches entirely: the match and the content's
    (start, end) without the spaces around it (``rst``: also a ``.. math::`` line)."""
    out = []
    for m in _MATH.finditer(text):
        group = next(i for i in range(1, _RST + 1) if m.group(i) is not None)
        if group == _RST and not rst:
            continue
        a, b = m.span(group)
        if not whole.fullmatch(text, a, b):
            continue
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append((m, a, b))
    return out


def find(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the content of each math that is an edge indicator, and nothing else."""
    return [(a, b) for _, a, b in math_contents(text, _WHOLE)]


def letter(text: str, span: tuple[int, int]) -> tuple[str, int]:
    """The letter an indicator defines, as a key's base (``alpha``, ``A``), and how many
    indices it writes (``A_{ij}``: 2, an adjacency matrix; ``\\alpha_j``: 1, a vector)."""
    m = _WHOLE.fullmatch(text, *span)
    assert m is not None
    letters = re.findall(r"[a-z]", re.sub(r"\\[A-Za-z]+", "", m.group("idx")))
    return m.group("letter").lstrip("\\"), len(letters)


def rewrite(text: str, out: list[str]) -> None:
    """Blank each indicator's math content, every newline kept."""
    for a, b in find(text):
        blank(out, a, b)


def readings(text: str) -> list[tuple[Span, str, str]]:
    """(span, reading, why) for each indicator left out."""
    found = []
    for a, b in find(text):
        said = " ".join(text[a:b].split())
        found.append(
            (
                Span(a, b),
                f"an adjacency's entries defined by a condition, left out ({RULE})",
                f"{said}: the entries that are 1 where the graph has an edge, data the graph "
                "gives (an equivalence, not an equation: it computes no value); the line is left "
                "out, and the letter it defines is an input where an equation uses it",
            )
        )
    return found
