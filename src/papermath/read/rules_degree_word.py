r"""Notation rule ``degree-word``: ``\text{deg}(i)``, ``\mathrm{deg}(j)``,
``\operatorname{degree}(v)`` with i a node index: the degree of node i, a value per node the
graph gives.

What people write (a project's notes on a GCN for power grids)::

    h_i^{(l+1)} = \sigma(W^{(l)} h_i^{(l)} + \sum_{j \in \mathcal{N}(i)}
        \frac{1}{\sqrt{\text{deg}(i) \cdot \text{deg}(j)}}
        W_e^{(l)} (h_j^{(l)} \odot M_{ij} e_{ij}))

How papermath reads it: the word ``deg`` (LaTeX's ``\deg``, or ``deg`` or ``degree`` in
``\text``, ``\mathrm``, ``\operatorname``, ``\textrm``) applied to one letter that is a node
index (bound by a sum over neighbours, or declared ``i \in V``) is the degree of that node: the
number of its neighbours, counted along the graph's edges into it (its in-degree, the same
count as ``|\mathcal{N}(i)|``), one number per node; graph data, not a parameter and not an
input to give. The readings say so. Another word applied to an index (``\text{size}(i)``), or
``\text{deg}`` of a step index, stays refused by read/rules_index_argument.py; ``\deg`` of
anything but a node index is refused here, at the call.

Examples that read::

    z_i = \sum_{j \in \mathcal{N}(i)} \frac{1}{\sqrt{\text{deg}(i) \cdot \text{deg}(j)}} W h_j
    z_i = \frac{1}{\mathrm{deg}(i)} \sum_{j \in \mathcal{N}(i)} W h_j
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

RULE = "degree-word"
WORDS = ("deg", "degree", "Deg", "Degree")
_FONTS = ("text", "mathrm", "operatorname", "textrm")


def degree_call(
    reader: Reader, node: ast.Node, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """``\\text{deg}(i)``, ``\\deg(i)`` with i a node index: the number of i's neighbours (the
    sum over the neighbours of 1, as ``|\\mathcal{N}(i)|``); None for anything else."""
    match func:
        case ast.Text(command=command, content=content) if command in _FONTS:
            word = content.strip()
        case ast.FunctionName(name=name):
            word = name
        case _:
            return None
    if word not in WORDS or len(args) != 1:
        return None
    arg = args[0]
    written = " ".join(reader.source.snippet(node.span).split())
    v = arg.name if isinstance(arg, ast.Letter) else None
    info = reader.out.indices.get(v) if v is not None else None
    if info is None or info.kind != "node":
        if isinstance(func, ast.FunctionName):  # \deg(x): LaTeX's degree, of no node
            what = " ".join(reader.source.snippet(arg.span).split())
            raise reader.error(
                f"{written}: the degree of a node, but {what} is no node index here (no sum "
                f"over its neighbours, no declaration {what} \\in V)",
                node.span,
                hint="write the degree of a node i bound by a sum over neighbours "
                "(\\sum_{j \\in \\mathcal{N}(i)}) or declared i \\in V",
            )
        return None  # \text{deg} of a step, or of no index: refused by rules_index_argument
    assert v is not None
    reader.note(
        node.span,
        f"the degree of node {v}",
        f"{written} is the degree of node {v} ({v} is the node index): the number of its "
        f"neighbours, counted along the graph's edges into {v} (its in-degree, as "
        f"|\\mathcal{{N}}({v})|), one number per node that the graph gives (not a parameter, "
        "not an input)",
    )
    return t.NeighbourSum(node.span, f"{v}'", v, t.Const(node.span, 1.0), None, "in")
