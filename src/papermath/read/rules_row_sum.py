r"""Notation rule ``doubts.row-sum-of-entries`` (a refusal): a sum over a node of a matrix's
entries at two nodes, ``D_v = \sum_u A_{vu}``.

What people write: the degree of a node as the sum of a row of the adjacency matrix (Distill's
"Understanding Convolutions on Graphs": "the diagonal degree matrix $D$ of $G$ as:
``D_v = \sum_u A_{vu}``"), ``d_i = \sum_j W_{ij}``.

What it is: ``A_{vu}`` is one entry of the matrix A (row v, column u), and the sum over u adds a
row; papermath does not read entries with two indices yet, and the sum's letter u, written only
inside the pair ``vu``, is not a node index of any value it reads. Before this rule the refusal
said that "nothing in this sum depends on the node u", which is not so: A_{vu} does. Refused
at the entry, with what it is and what reads.

Example refused: ``D_v = \sum_{u \in V} A_{vu}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ReadingError
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

__all__ = ["entry", "refusal"]


def entry(index: str, body: t.Term) -> tuple[t.Sym, str] | None:
    """The first symbol of ``body`` read with a two-letter label holding the sum's node
    ``index`` (``A_{vu}`` under ``\\sum_u``: an entry of A, not a label), with its label."""
    for x in t.walk(body):
        if not isinstance(x, t.Sym) or "_" not in x.key:
            continue
        label = x.key.rsplit("_", 1)[1]
        if len(label) == 2 and label.isalpha() and index in label and label[0] != label[1]:
            return x, label
    return None


def refusal(reader: Reader, index: str, body: t.Term) -> ReadingError | None:
    """The refusal at an entry ``A_{vu}`` of the sum's ``body`` whose pair holds the sum's
    node ``index`` (see the module), or None."""
    for x in t.walk(body):
        if not isinstance(x, t.Sym) or "_" not in x.key:
            continue
        base, label = x.key.rsplit("_", 1)
        if len(label) == 2 and label.isalpha() and index in label and label[0] != label[1]:
            other = label.replace(index, "", 1)
            return reader.error(
                f"{reader.source.snippet(x.span)}: an entry of the matrix {base} at two nodes "
                f"({label[0]}, {label[1]}), summed over {index}: the sum of a row of {base} "
                f"(the degree of {other}, for an adjacency matrix); entries with two indices "
                "are not read yet",
                x.span,
                hint="the degree of a node is graph data: where it scales a sum over the "
                "neighbours, write \\text{deg}(v) (read/rules_degree_word.py), as in "
                "\\frac{1}{\\text{deg}(i)} \\sum_{j \\in \\mathcal{N}(i)} W h_j",
            )
    return None
