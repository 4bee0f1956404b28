r"""Notation rule ``otimes-said-elementwise``: the source's words say that ``\otimes`` is the
element-wise (Hadamard) product.

What people write: papers and notes on gated units write the gate's product with ``\otimes``
and say so in a sentence beside the formula: "where $\otimes$ is the element-wise product"
(GLU and SwiGLU write-ups), "$\otimes$ denotes element-wise multiplication", "$\otimes$ is the
element-by-element product", "the element-wise Hadamard product"; a case file's origin may say
it of the paper it copies ("the paper writes the component-wise product as \otimes").

How papermath reads it: every ``a \otimes b`` is ``a \odot b``, and the reading quotes the
sentence. The same papers use ``\otimes`` for the outer, Kronecker and tensor products, so only
a sentence that names the element-wise product reads; one that also names the outer, Kronecker,
tensor or dyadic product (or says only "the product") leaves ``\otimes`` refused, and so does a
source that also defines the operator as the outer product (``a \otimes b = a b^\top``:
read/rules_outer.py): the two disagree.

Examples that read: ``y = (a \otimes b) W`` beside "where $\otimes$ is the element-wise
product". Refused: the same beside "where $\otimes$ denotes the outer product".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse.otimes_words import HADAMARD, quote, said
from ..source import Span
from . import rules_outer

if TYPE_CHECKING:
    from .reader import Reader


def read_said(reader: Reader) -> None:
    """Set the Hadamard reading of ``\\otimes`` where the source's words say it (see the
    module); a source that also defines it as the outer product is refused."""
    text = reader.source.text
    where = said(text)
    if where is None or reader.out.directives.get("otimes") == HADAMARD:
        return
    span = Span(*where)
    if reader.out.directives.get("otimes") == rules_outer.OUTER:
        raise reader.error(
            "the words say \\otimes is the element-wise product, but an equation defines it as "
            "the outer product (a \\otimes b = a b^\\top)",
            span,
            hint="keep the one the source means: write \\odot for the element-wise product, "
            "or u v^\\top for the outer product",
        )
    reader.out.directives["otimes"] = HADAMARD
    reader.note(
        span,
        "\\otimes is the Hadamard product",
        f"the words say so (\u201c{quote(text[span.start : span.end])}\u201d): every "
        "a \\otimes b is read as a \\odot b, the element-wise product of two values of one shape",
    )
