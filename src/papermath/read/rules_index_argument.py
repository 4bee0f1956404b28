r"""Rule ``index-as-argument``: a node's or step's index letter written as the argument of a
word (``\text{deg}(i)``), a value per node that papermath does not read.

What people write (a project's notes on a GCN for power grids)::

    h_i^{(l+1)} = \sigma(W^{(l)} h_i^{(l)} + \sum_{j \in \mathcal{N}(i)}
        \frac{1}{\sqrt{\text{deg}(i) \cdot \text{deg}(j)}}
        W_e^{(l)} (h_j^{(l)} \odot M_{ij} e_{ij}))

``\text{deg}(i)`` is the degree of node i: a number per node, a function of the graph. The
letter i is the node index (it is bound by the sum over \mathcal{N}(i)), so it is no value a
function could take; the reader's general refusal says so ("i is the node index here, so it
cannot also be a value") with a hint about letters that does not fit this construct.

How papermath reads it: ``deg`` of a node index is the node's degree and reads
(read/rules_degree_word.py). Any other word applied to an index (a value per node or per step)
is refused at the index, saying that it is not read, and the hint says what is: a symbol with
the node's subscript (``c_i``), declared.

Example (refused, caret on the i of ``\text{mass}(i)``):

    h_i = \sum_{j \in \mathcal{N}(i)} \frac{1}{\text{mass}(i)} W h_j
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader

RULE = "index-as-argument"
_CALL = re.compile(
    r"(?:\\(?:text|mathrm|operatorname|textrm|mathit)\s*\{\s*([A-Za-z]+)\s*\}|(?<![\\A-Za-z])"
    r"([A-Za-z]{2,}))\s*(?:\\left)?\s*\(\s*$"
)
_DEGREE = ("deg", "degree", "Deg", "Degree")


def refusal(reader: Reader, key: str, role: str, span: Span) -> ReadingError | None:
    """The refusal for ``word(i)`` with i an index, or None where the index is not written as
    the one argument of a word."""
    text = reader.source.text
    m = _CALL.search(text, 0, span.start)
    if m is None or not re.match(r"\s*(?:\\right)?\s*\)", text[span.end :]):
        return None
    word = m.group(1) or m.group(2)
    written = " ".join(text[m.start() : span.end].split()) + ")"
    degree = word in _DEGREE and "node" in role  # a node's degree reads (rules_degree_word)
    return reader.error(
        f"{written}: a word applied to {key}, {role} (a value per "
        f"{'node' if 'node' in role else 'index'}"
        + (", the degree of node " + key if degree else "")
        + "): papermath reads an index in subscripts and under sums, not as an argument",
        span,
        hint=(
            f"write the degree as the number of neighbours, |\\mathcal{{N}}({key})|, which "
            "papermath reads as a count"
            if degree
            else f"name the value per {key} with a subscript ({word[:1].lower()}_{key}) and "
            f"declare it: {word[:1].lower()}_{key} \\in \\mathbb{{R}}"
        ),
    )
