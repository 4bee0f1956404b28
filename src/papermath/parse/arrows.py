r"""Rule ``edge-arrow``: an arrow between two indices in a subscript names an edge.

What people write: Spektral's edge-conditioned convolution writes the feature of the edge
from node j to node i as ``\e_{j \rightarrow i}``; others write ``e_{j \to i}``. An arrow is
not an equation, but between two index letters of a subscript it says which way the edge
runs: from the first to the second.

How papermath reads it: ``e_{j \rightarrow i}`` as ``e_{j,i}``, the value on the edge from
the source j to the target i (the reading of ``e_{j,i}`` says so); the arrow's span stays
the separator's, so a caret on it points at the arrow. An arrow anywhere else (between
values, under a sum, ``\sum_{v_j \to v}``) is still refused: it is not an equation.

Example (reads):

    e_{j \rightarrow i} \in \mathbb{R}^{S}
    m_i = \sum_{j \in \mathcal{N}(i)} W e_{j \rightarrow i}
"""

from __future__ import annotations

import re

RULE = "edge-arrow"

ARROWS = ("\\rightarrow", "\\to", "\\longrightarrow")
# a subscript that is the range of a sum or a reduction, not an index pair
_BIGOP_SUB = re.compile(
    r"\\(?:sum|prod|bigcup|bigoplus|max|min|limits|operatorname\*?\{[^}]*\})\s*_\s*$"
)
_AFTER = re.compile(r"\s*[A-Za-z]\s*\}")


def is_edge(text: str, arrow: str, brace: int, end: int) -> bool:
    """Is the arrow ``arrow`` (ending at ``end``), inside the subscript brace at ``brace``,
    between two index letters (``_{j \\rightarrow i}``)?"""
    if arrow.strip() not in ARROWS:
        return False
    if _BIGOP_SUB.search(text, 0, brace):
        return False
    inner = text[brace + 1 : end - len(arrow)]
    return re.fullmatch(r"\s*[A-Za-z]\s*", inner) is not None and bool(_AFTER.match(text, end))
