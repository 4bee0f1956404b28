r"""Rule ``quantifier-after-an-equation``: ``h_v = ..., \forall v \in \mathcal{V}``: an
equation written for one element, then the elements it holds for (GraphSAGE's Algorithm 1,
line 7: ``\mathbf{h}^{k}_{v} \leftarrow \mathbf{h}^{k}_{v} / \|\mathbf{h}^{k}_{v}\|_2, \forall
v \in \mathcal{V}``).

What people write::

    h'_v = W h_v, \forall v \in \mathcal{V}

papermath reads an equation with a node's letter as the equation of every node already;
``\forall v \in \mathcal{V}`` says the same. A ``\forall`` is otherwise refused ("a
quantifier is not read", with the hint to write the equation for one element, which the
source has done).

How papermath reads it: after a comma that ends an equation (outside every bracket), where a
letter in a set named by a capital (``v \in \mathcal{V}``, ``i \in V``) ends the statement,
the ``\forall`` is read as the word "for each": what follows is then read as a declaration
that v ranges over the set (a node index of the graph), as ``v \in \mathcal{V}`` written alone
is; the reading of v says so. A ``\forall`` anywhere else stays refused ("a quantifier is not
read": ``\forall i``, ``\forall t > 0``, ``\forall i \in \{1, \dots, n\}``); inside set
braces, parse/set_builder.py reads it.

Example (reads; v a node of V)::

    h'_v = W h_v, \forall v \in \mathcal{V}, h_v \in \mathbb{R}^{d}
"""

from __future__ import annotations

import re

RULE = "quantifier-after-an-equation"


# `v \in \mathcal{V}` (or `V`) and the end of the statement: a letter in a set named by a capital
_NODE_SET = re.compile(
    r"\s*[A-Za-z]\s*\\in\s*(?:\\mathcal\s*\{\s*[A-Z]\s*\}|[A-Z](?![A-Za-z_^{]))"
    r"\s*(?:$|[,;.\n]|\$|\\\\|\\\)|\\\])"
)


def after_equation(command: str, prev: str, text: str, end: int) -> bool:
    """``\\forall`` right after a comma outside brackets (the caller checks the brackets),
    followed by ``v \\in \\mathcal{V}`` and the end of the statement."""
    return command.strip() == "\\forall" and prev == "_COMMA" and bool(_NODE_SET.match(text, end))
