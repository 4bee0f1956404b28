r"""Notation rule ``declared-layer-label``: a lowercase symbol with a superscript label,
``\mathbf{b}^{(1)}``, that the source declares on its own (``\mathbf{b}^{(1)} \in
\mathbb{R}^{1 \times h}``), beside a value ``\mathbf{b}`` that an equation defines (d2l's MLP:
"hidden-layer bias b^{(1)} in R^{1 x h} ... output-layer bias b^{(2)} in R^{1 x q}", and the
single layer it collapses to, ``\mathbf{b} = \mathbf{b}^{(1)} \mathbf{W}^{(2)} +
\mathbf{b}^{(2)}``).

What people write: the layers of an MLP as superscripts in parentheses, on the weights and on
the biases alike, and the collapsed model's own ``\mathbf{b}`` beside them.

How papermath reads it: where b is a value (an equation defines it), ``b^{(1)}`` could be a
power of b, b at a step, or a symbol of its own labelled (1). A declaration of ``b^{(1)}``
itself, with its own space, says which: the source names b^{(1)} as a symbol with a shape of
its own, so the superscript is a label (key ``b_1``), as the ``W^{(1)}`` beside it is; a
power or a step of b would need no declaration, and would have b's shape. The readings say
which declaration decided it. Without such a declaration the refusal stands (b is a value,
and ^{(1)} is a power, a step or a label).

Example (reads):

    b^{(1)} \in \mathbb{R}^{h}, b^{(2)} \in \mathbb{R}^{q}, W^{(2)} \in \mathbb{R}^{q \times h}
    b = W^{(2)} b^{(1)} + b^{(2)}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import is_reals

if TYPE_CHECKING:
    from .reader import Reader, SymParts

RULE = "declared-layer-label"


def declared_on_its_own(reader: Reader, parts: SymParts) -> bool:
    """Whether the source declares the labelled symbol ``parts`` itself (``b^{(1)} \\in
    \\mathbb{R}^{...}``); if so, note it (the label reading) and say True."""
    for s in reader.statements:
        if not isinstance(s, ast.Declaration) or not is_reals(s.space):
            continue
        for target in s.targets:
            if target.span == parts.span:
                continue
            other = reader.symbol(target, quiet=True)
            if other is None or other.key != parts.key or not other.sup_labels:
                continue
            label = parts.sup_labels[0][0]
            reader.note(
                parts.sup_labels[0][1],
                "a layer label",
                f"{reader.source.snippet(parts.span)}: ^{label} is a label (key {parts.key}): "
                f"the source declares {reader.source.snippet(target.span)} on its own "
                f"({' '.join(reader.source.snippet(s.span).split())}), a symbol with a shape of "
                "its own, not a power or a step of the value beside it "
                f"(rule {RULE})",
            )
            return True
    return False
