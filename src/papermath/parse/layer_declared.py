r"""Notation rule ``layer-declared-widths``: a value declared at a layer with a width that
carries the layer index (``H^{(l)} \in \mathbb{R}^{n \times d_l}``, ``W^{(l)} \in
\mathbb{R}^{d_l \times d_{l+1}}``): one width per layer, read as the rule ``layer-widths``
reads sizes that carry the layer index.

What people write (a project's notes on a GCN for power grids, a bullet list after "Where:")::

    H^{(l+1)} = \sigma(\tilde{D}^{-\frac{1}{2}} \tilde{A} \tilde{D}^{-\frac{1}{2}} H^{(l)} W^{(l)})
    - $H^{(l)} \in \mathbb{R}^{n \times d_l}$ is the matrix of node features at layer $l$
    - $W^{(l)} \in \mathbb{R}^{d_l \times d_{l+1}}$ is the weight matrix for layer $l$

How papermath reads it: the declaration says the shape of the value at layer l; d_l and
d_{l+1} are the widths of two different layers (never solved equal). At another layer the
value has its declared shape moved by the layers between (``H^{(l+1)}`` is n x d_{l+1}, and in
the equation read one step earlier ``W^{(l-1)}`` is d_{l-1} x d_l), said in the readings ("a
value per layer l"); shapes, kinds, explain and diagrams work, and generated code is refused
(steps of one shape only). A width with the layer index declared for a value written without
that layer (``W \in \mathbb{R}^{d_l \times d_{l+1}}``) stays refused by parse/doubts.py.

Examples that read::

    H^{(l+1)} = \sigma(A H^{(l)} W^{(l)}), H^{(l)} \in \mathbb{R}^{n \times d_l},
        W^{(l)} \in \mathbb{R}^{d_l \times d_{l+1}}
"""

from __future__ import annotations

from . import ast

RULE = "layer-declared-widths"


def declared_at(declaration: ast.Declaration) -> set[str]:
    """The layer letters every target of ``declaration`` is written at in parentheses
    (``H^{(l)}``, ``W_2^{(l)}``: {"l"}); empty where a target carries none."""
    letters: set[str] | None = None
    for target in declaration.targets:
        own: set[str] = set()
        node = target
        while isinstance(node, ast.Sub | ast.Sup):
            script = node.script
            if (
                isinstance(node, ast.Sup)
                and isinstance(script, ast.Paren)
                and isinstance(script.body, ast.Letter)
            ):
                own.add(script.body.name)
            node = node.base
        letters = own if letters is None else letters & own
    return letters or set()
