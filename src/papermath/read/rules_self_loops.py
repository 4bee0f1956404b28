# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``self-loops``: ``(A + (1 + \epsilon) I) X``: the matrix A, plus a multiple
of the identity, propagating node values is a graph's adjacency (data).

What people write (PyTorch Geometric's GINConv docstring, the matrix form of GIN, Xu et al.
2019; GCN's ``A + I`` written in the product)::

    \mathbf{X}^{\prime} = h_{\mathbf{\Theta}} \left( \left( \mathbf{A} + (1 + \epsilon) \cdot \mathbf{I} \right) \cdot \mathbf{X} \right)

How papermath reads it: ``A + c I`` (the identity, or a number times it: ``(1 + \epsilon)
\cdot I``) before a matrix of node values (a capital letter: ``X``, ``H^{(l)}``), with A the
letter graph papers give the adjacency and defined by no equation, is the graph's adjacency
with self-loops of weight c: A is data (an input, drawn with nonnegative weights by
``check``), not a learned parameter, and the readings say so (``% papermath: A is
parameter`` overrides). A sum with the identity that multiplies nothing or a vector (a state
space's ``(A + I) x``), or another letter (``(W + I) X``, a weight plus a skip), is not read
so.

Examples::

    Y = (A + I) X W, X \in \mathbb{R}^{N \times F}, W \in \mathbb{R}^{F \times H}
    Y = (A + (1 + \epsilon) \cdot I) X W, X \in \mathbb{R}^{N \times F}, W \in \mathbb{R}^{F \times H}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..letters import GREEK_LOWER
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader


def _number_like(term: t.Term) -> bool:
    """``1 + \\epsilon``, ``2``, ``\\lambda``: numbers and lowercase Greek letters only."""
    match term:
        case t.Const():
            return True
        case t.Sym(key=key):
            return key in GREEK_LOWER
        case t.Add(left=a, right=b) | t.Product(left=a, right=b):
            return _number_like(a) and _number_like(b)
        case t.Neg(body=b):
            return _number_like(b)
    return False


def _scaled_identity(term: t.Term) -> bool:
    """``I``, ``I_N``, ``c I``, ``(1 + \\epsilon) \\cdot I``."""
    match term:
        case t.Identity():
            return True
        case t.Product(left=a, right=b):
            return (isinstance(b, t.Identity) and _number_like(a)) or (
                isinstance(a, t.Identity) and _number_like(b)
            )
    return False


def _adjacency_letter(s: t.Sym) -> bool:
    """A, \\mathbf{A}: the letter of the adjacency, with no step, node or edge index."""
    return s.key == "A" and not (s.step or s.node or s.edge or s.example or s.head)


def _leftmost(term: t.Term) -> t.Term:
    while isinstance(term, t.Product):
        term = term.left
    return term


def _node_matrix(term: t.Term) -> bool:
    """``X``, ``H^{(l)}``, ``X W``: a capital letter first, the nodes' features as a matrix
    (a lowercase vector after ``(A + I)``, a state space's ``(A + I) x``, is not read so)."""
    first = _leftmost(term)
    return isinstance(first, t.Sym) and first.key[:1].isupper()


def mark(reader: Reader) -> None:
    """Mark the A of ``(A + c I) X`` as a graph's adjacency (an input), and say so."""
    for eq in reader.out.equations:
        for term in t.walk(eq.rhs):
            if not (isinstance(term, t.Product) and isinstance(term.left, t.Add)):
                continue
            if not _node_matrix(term.right):
                continue
            total = term.left
            if total.op != "+":
                continue
            for a, other in ((total.left, total.right), (total.right, total.left)):
                if not (isinstance(a, t.Sym) and _adjacency_letter(a) and _scaled_identity(other)):
                    continue
                if a.key in reader.defined_keys or a.key in reader.out.directives:
                    continue
                if a.key in reader.out.role_inputs:
                    continue
                reader.out.adjacency.add(a.key)
                reader.out.role_inputs[a.key] = (
                    f"a graph's adjacency matrix: ${reader.source.snippet(total.span).strip()}$ "
                    f"adds a multiple of the identity (self-loops) to ${a.key}$, the adjacency's "
                    "letter, and propagates the values it multiplies; data, not a learned "
                    f"parameter (`% papermath: {a.key} is parameter` to learn it)"
                )
