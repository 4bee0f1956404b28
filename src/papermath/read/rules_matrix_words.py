r"""Rule ``matrix-words``: ``\text{diag}(d_i)``, ``\mathrm{det}(A)``, ``\mathrm{tr}(A)`` written
as words, the functions of linear algebra, never learnable functions.

What people write (NYU's Deep Learning course notes, on a GCN's degree matrix)::

    \boldsymbol{D} = \text{diag}(d_{i})

An unknown word applied to arguments (``\mathrm{MLP}(x)``, ``\textrm{AGGREGATE}(X)``) is read
as a learnable function, an affine map by default. ``diag``, ``det``, ``tr`` (``trace``),
``rank`` and ``vec`` are no such words: the diagonal matrix of a vector, the determinant, the
trace. Read as learnable, ``D = \text{diag}(d_i)`` would make D a vector computed by weights
from d: another model. Written as commands (``\det``, ``\operatorname{diag}``) they are refused
as "not read yet"; written as words they were not.

How papermath reads it: refused at the word, as the commands are, with the hint that says
what papermath reads instead (a diagonal matrix times a vector as the elementwise product
``d \odot x``).

Example (refused, caret on the word):

    D = \text{diag}(d)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader

RULE = "matrix-words"
WORDS = {
    "diag": "a diagonal matrix (the vector on its diagonal)",
    "det": "the determinant",
    "tr": "the trace",
    "trace": "the trace",
    "rank": "the rank",
    "vec": "a matrix stacked into a vector",
}


def refuse(reader: Reader, key: str, span: Span) -> None:
    """Raise where a word of linear algebra would be read as a learnable function."""
    what = WORDS.get(key)
    if what is None:
        return
    raise reader.error(
        f"{reader.source.snippet(span)}: {key} is {what}, a function of linear algebra, not a "
        "learnable function; papermath does not read it yet",
        span,
        hint="a diagonal matrix times a vector is the elementwise product (diag(d) x = "
        "d \\odot x); papermath reads elementwise functions, softmax, max and min",
    )
