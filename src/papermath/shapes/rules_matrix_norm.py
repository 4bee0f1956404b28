r"""Notation rule ``norm-of-a-matrix``: a matrix divided by ``\|Z\|`` of a matrix, with no
subscript that says which norm, is refused.

What people write (Spektral's GraphSAGE, after a layer's output)::

    \X' = \frac{\X'}{\|\X'\|}

Of a vector, ``\|x\|`` is its length (the 2-norm), and ``x / \|x\|`` scales it to length one.
Of a matrix, the same bars name three things: the spectral norm (the matrix 2-norm of linear
algebra), the Frobenius norm (every entry squared and summed, ``\|Z\|_F``), or, in graph and
embedding layers that normalise, the norm of each row (every node's features scaled to length
one: GraphSAGE's normalisation, ``l2_normalize(axis=-1)`` in its code). The shapes do not
tell them apart: the division broadcasts a number and a column of row norms alike.

How papermath reads it: a matrix divided by the norm of a matrix, written ``\|Z\|`` or
``\|Z\|_2``, has Z's shape under each of the three (a number and a column of row norms both
broadcast), so its shapes and kinds are read, said in the readings; code, which needs the norm,
is refused at the norm, with the hint that says how to write each (s7 GRAPHA: before, the
whole reading was refused); ``\|Z\|_F`` reads, as one number. Where
the norm is not a normaliser (a penalty ``\lambda \|W\|^2``, weight decay: the Frobenius norm
by the field's convention), or the matrix has one row or one column (``\|y - \hat y\|^2`` with
y of 1 x N, samples as columns: the three agree), it reads as before.

Examples (each reads):

    y = \frac{x}{\|x\|}, x \in \mathbb{R}^{n}

    Y = \frac{Z}{\|Z\|_F}, Z \in \mathbb{R}^{n \times m}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read import terms as t
from ..read.reader import Reading
from .sizes import Size

if TYPE_CHECKING:
    from .infer import Inference

RULE = "norm-of-a-matrix"


def shapes_only(inf: Inference, x: t.Term, refused: ShapeError) -> None:
    """The matrix divided by the norm of a matrix (``refused``: what :func:`refusal` said),
    read for its shapes: the readings say so, and code is refused with the refusal's hint."""
    assert isinstance(x, t.Div) and isinstance(x.right, t.Norm) and refused.span is not None
    inf.read.readings.append(
        Reading(
            refused.span,
            inf.snip(x.right),
            "norm of a matrix (which one not said)",
            f"{inf.snip(x.right.body)} is a matrix, and the bars do not say which norm divides "
            "it: the Frobenius norm or the spectral norm (one number each), or the norm of each "
            "row (every node's features scaled to length one); the quotient has the matrix's "
            "shape under each: read for shapes; code needs to know which",
        )
    )
    inf.read.shapes_only.setdefault(inf.snip(x), (refused.span, refused.hint or ""))


def refusal(inf: Inference, x: t.Term) -> ShapeError | None:
    """The refusal for a matrix divided by ``\\|Z\\|`` (or ``\\|Z\\|_2``) of a matrix Z, else
    None."""
    if not isinstance(x, t.Div) or not isinstance(x.right, t.Norm) or x.right.ord != "2":
        return None
    norm = x.right
    shape, top = inf.shape(norm.body), inf.shape(x.left)
    if shape is None or len(shape) != 2 or top is None or len(top) != 2:
        return None
    if any(inf.engine.resolve_size(n) == Size.const(1) for n in shape):
        return None  # one row or one column: the three norms agree
    body = inf.snip(norm.body)
    return ShapeError(
        f"{inf.snip(x)}: {body} is a matrix {inf.shown(norm.body)}, and the bars do not say "
        "which norm divides it: the Frobenius norm (every entry, one number), the spectral "
        "norm (the matrix 2-norm, one number) or the norm of each row (every row scaled to "
        "length one, as graph layers normalise each node's features); papermath does not guess",
        inf.source,
        norm.span,
        hint=f"write \\|{body}\\|_F for the Frobenius norm; for each row's norm, write the "
        "equation for one row (a vector: x_i' = \\frac{x_i}{\\|x_i\\|})",
    )
