# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``degree-normalised-propagation``: the degree-normalised adjacency
``\tilde{D}^{-1/2} \tilde{A} \tilde{D}^{-1/2}`` written before node values is a matrix product
(the values propagated along the graph's edges), never an elementwise product.

What people write (DGL's APPNPConv and GCN2Conv docstrings, GCN in matrix form)::

    H^{(l+1)} = (1-\alpha)(\tilde{D}^{-1/2} \tilde{A} \tilde{D}^{-1/2} H^{(l)}) + \alpha X
    \mathbf{h}^{(l+1)} = (\mathbf{D}^{-1/2} \mathbf{\hat{A}} \mathbf{D}^{-1/2})\mathbf{h}^{(l)}

How papermath reads it: the normalised adjacency is an N x N operator on the node axis
(read/rules_graph.py reads it as A with entry (i, j) divided by sqrt(d_i d_j)); juxtaposed with
what follows, it multiplies it as a matrix, whatever else the shapes would allow. Without this
rule a state of a layer recurrence (``H^{(l)}``, whose shape is its own equation's) fits an
elementwise product with no new size (H made N x N), and the shapes alone took that reading:
another model, read without a word. Written with ``\odot`` it stays the elementwise product.

A symbol defined from it (ChebConv's scaled Laplacian ``\tilde{L} = \frac{2}{\lambda_{max}} (I -
D^{-1/2} A D^{-1/2}) - I``), square, reads the same before node values.

Examples (each reads; H is N x F, F free)::

    H^{(l+1)} = \tilde{D}^{-1/2} \tilde{A} \tilde{D}^{-1/2} H^{(l)}, \tilde{A} \in \mathbb{R}^{N \times N}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference

REASON = (
    "{written} is the degree-normalised adjacency, an N x N operator on the nodes: before node "
    "values it propagates them along the edges, a matrix product"
)


def propagation(inf: Inference, p: t.Product, viable: list[str]) -> tuple[str, str] | None:
    """``D^{-1/2} A D^{-1/2} H`` (juxtaposed): the matrix product; None for anything else."""
    left = p.left
    while isinstance(left, t.Product) and inf.rank(left.left) == 0:
        left = left.right  # (1 - \alpha) \hat D^{-1/2} \hat A \hat D^{-1/2} Z: a number first
    if p.written != "juxt" or "matmul" not in viable:
        return None
    if isinstance(left, t.DegreeNorm):
        return "matmul", REASON.format(written=inf.snip(left))
    if (norm := graph_operator(inf, left)) is not None:
        return "matmul", OPERATOR.format(written=inf.snip(left), norm=inf.snip(norm))
    return None


OPERATOR = (
    "{written} is defined from the degree-normalised adjacency {norm} (a graph Laplacian, an "
    "N x N operator on the nodes, read/rules_graph.py): before node values it propagates "
    "them along the edges, a matrix product"
)


def graph_operator(inf: Inference, term: t.Term) -> t.DegreeNorm | None:
    """The DegreeNorm in the definition of ``\\tilde{L}`` (``\\tilde{L} = \\frac{2}{\\lambda}
    (I - D^{-1/2} A D^{-1/2}) - I``: ChebConv's scaled Laplacian), a square matrix: the
    operator on the nodes that the symbol names; None for anything else."""
    if not isinstance(term, t.Sym) or term.key not in inf.defined:
        return None
    shape = inf.shape(term)
    if shape is None or len(shape) != 2 or shape[0] != shape[1]:
        return None
    for eq in inf.read.equations:
        if eq.lhs.key == term.key:
            return next((x for x in t.walk(eq.rhs) if isinstance(x, t.DegreeNorm)), None)
    return None
