r"""Notation rule ``attention-undefined`` (a refusal): ``\text{Attention}(\mathbf{X}_q
\mathbf{W}^q_i, \mathbf{X}_k \mathbf{W}^k_i, \mathbf{X}_v \mathbf{W}^v_i)`` called in an excerpt
that does not define it (Lil'Log's multi-head attention, which defines it paragraphs earlier).

What papermath would read otherwise: a function the source defines nowhere is a learnable
function, by default an affine map of the concatenation of its arguments. An attention is no
such map: it multiplies its arguments (``\mathrm{softmax}(Q K^\top / \sqrt{d_k}) V``), and read
as an affine map its arguments would come out vectors and its output of a free size, another
model. So a call of a function named for attention (its name holds ``attention``, in any case)
that no equation defines is refused at the name, with the definition that settles it.

Where the prose names the scaled dot-product attention and the source declares the size d_k,
the call is read as that standard function instead (read/rules_attention_named.py).

Example refused: ``h = \mathrm{Attention}(Q, K, V)``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader


# the prose names the attention's form without writing it (the UvA DL tutorial's multi-head
# attention: "which we pass through the scaled dot product attention independently")
_NAMED = re.compile(r"scaled[ \t\n]+dot[- \t\n]product[ \t\n]+attention", re.IGNORECASE)


def refuse_undefined(reader: Reader, key: str, span: Span) -> None:
    """Refuse a call of an attention the source does not define (see the module)."""
    if "attention" not in key.lower().replace("_", ""):
        return
    written = " ".join(reader.source.snippet(span).split())
    named = _NAMED.search(reader.source.text)  # uvadlc: "the scaled dot product attention"
    said = (
        f'the prose names it ("{" ".join(named.group().split())}") but writes it nowhere, and '
        "papermath reads a function from its definition"
        if named is not None
        else "papermath does not guess its form"
    )
    raise reader.error(
        f"{written} is called and defined nowhere: an attention multiplies its arguments "
        "(softmax(Q K^T / sqrt(d_k)) V), so it is not the affine map papermath reads a "
        f"function the source does not define as, and {said}",
        span,
        hint=f"define it beside the equations as your source does: {written}(Q, K, V) = "
        "\\mathrm{softmax}\\left(\\frac{Q K^\\top}{\\sqrt{d_k}}\\right) V",
    )
