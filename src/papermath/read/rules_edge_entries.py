r"""Rule ``edge-entries``: the entries ``\alpha_{ij}`` of an N x N matrix, defined one by one
over a node's neighbours, where the layer is written with the whole matrix (``\alpha X W``).

What people write (Spektral's GATConv)::

    \X' = \mathbf{\alpha}\X\W + \b
    \mathbf{\alpha}_{ij} = \frac{\exp(\mathrm{LeakyReLU}(\a^{\top} [(\X\W)_i \| (\X\W)_j]))}
        {\sum_{k \in \mathcal{N}(i) \cup \{ i \}}
         \exp(\mathrm{LeakyReLU}(\a^{\top} [(\X\W)_i \| (\X\W)_k]))}

``\alpha_{ij}`` is one weight per edge (a softmax over the neighbours of i), and ``\alpha`` the
N x N matrix of them, zero off the edges. papermath reads a value per edge where an equation
sums it over the neighbours (``\sum_{j \in \mathcal{N}(i)} \alpha_{ij} W x_j``: PyTorch
Geometric's and DGL's form); a matrix given by its entries, with a mask of the graph, it does
not read yet, and the reader's refusal ("entries with two indices") then gave a hint about
matrix products and capsules that does not fit.

How papermath reads it: still refused at ``ij``, where the source names the neighbours of the
first index (``\mathcal{N}(i)``); the hint says what reads: the layer written per node, the
sum over the neighbours, ``\alpha_{ij}`` one value per edge.

Example (refused, caret on ``ij``):

    \alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k \in \mathcal{N}(i)} \exp(e_{ik})}
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reader import Reader

RULE = "edge-entries"


def hint(reader: Reader, pair: str | tuple[str, ...] | list[str]) -> str | None:
    """The hint for entries ``_{ij}`` refused where the source names the neighbours of i."""
    if len(pair) != 2 or pair[0] == pair[1]:
        return None
    i, j = pair[0], pair[1]
    neighbours = re.compile(r"\\mathcal\s*\{?\s*N\s*\}?\s*(?:\\left)?\s*\(\s*" + re.escape(i))
    if neighbours.search(reader.source.text) is None:
        return None
    per_node = (
        f"x_{i}' = \\sum_{{{j} \\in \\mathcal{{N}}({i}) \\cup \\{{{i}\\}}}} "
        f"\\alpha_{{{i}{j}}} W x_{j}"
    )
    return (
        f"_{{{i}{j}}} beside the neighbours \\mathcal{{N}}({i}) of the source: one value per "
        f"edge ({j} to {i}); write the layer per node, summing over the neighbours, as "
        f"{per_node} (PyTorch Geometric's and DGL's form, which papermath reads); a matrix "
        "written by its entries over the edges (\\alpha X W) is not read yet"
    )
