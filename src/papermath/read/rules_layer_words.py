r"""Notation rule ``prose-linear-layers``: the prose calls symbols linear layers (or linear
transformations, projections, maps), as DGL's GatedGCNConv docstring does:

    h_{i}^{l+1}=A^l h_{i}^{l}+\Sigma_{j \in N_{i}} \hat{e}_{ij}^{l+1} \odot B^l h_{j}^{l}

    where ... :math:`A^l, B^l, C^l, D^l, E^l` are linear layers.

How papermath reads it: the symbols of the inline math that is the subject of "is/are (a,
the) linear layer(s)" are learned weights: parameters (one per layer where they carry the
layer, ``A^l``), whatever their letter or indices would say by default (a matrix written with
the step, ``A^l``, is data per step by default unless its letter names a weight, as W does).
A symbol an equation defines, or a directive names, is never read so; "is not a linear layer"
is not read. The readings quote the words (``% papermath: A is input`` says otherwise).

Example that reads (A and B parameters)::

    h^{l+1} = A^l h^{l} + B^l x, where $A^l, B^l$ are linear layers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .rules_prose_kinds import _LIST, _free, _keys_within, _quoted, _subjects

if TYPE_CHECKING:
    from .reader import Reader

RULE = "prose-linear-layers"

_LAYERS = re.compile(
    rf"({_LIST})\s+(is|are|denotes?|represents?)\s+(?:(?:a|an|the|two|three|four|five)\s+)?"
    r"(?:linear|affine|fully[- ]connected|dense)\s+"
    r"(?:layers?|transformations?|projections?|maps?)\b",
    re.IGNORECASE,
)


def linear_layer_words(reader: Reader) -> None:
    """Symbols the prose calls linear layers are learned parameters (see the module)."""
    text = reader.source.text
    for m in _LAYERS.finditer(text):
        one = m.group(2).lower() != "are"
        start, end = _subjects(text, m.start(1), m.end(1), last=one)
        words = " ".join(text[start : m.end()].split())
        for key in _keys_within(reader, start, end):
            if not _free(reader, key):
                continue
            reader.out.directives[key] = "parameter"
            reader.out.role_notes[key] = (
                f"the prose calls {key} a linear layer (\u201c{_quoted(words, 80)}\u201d): a "
                f"learned weight, a parameter ({RULE}; another reading: `% papermath: {key} is "
                "input`)"
            )
