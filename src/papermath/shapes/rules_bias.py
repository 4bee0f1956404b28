r"""Notation rule ``bias-of-a-product``: the bias letter ``b`` added to a matrix product whose
weight sits on one side, read as a vector added to every row (or every column).

What people write (Spektral's and PyTorch Geometric's docstrings, most GCN papers)::

    X' = \hat D^{-1/2} \hat A \hat D^{-1/2} X W + b

Nothing declares ``b``. Read by the sum alone, ``b`` would take the product's shape (an
N x F' matrix: one bias per node and feature, a parameter that grows with the graph). Every
such layer means one bias per output feature, added to each node's row, as its code does
(``output = A @ X @ W + b`` with ``b`` of shape ``(F',)``, NumPy's and PyTorch's broadcast).

How papermath reads it: a sum of a matrix product and the symbol ``b`` (the bias letter, a
lowercase letter: by convention a vector), where ``b`` is declared by nothing, defined by no
equation and indexed by no node, edge or example, and where exactly one outer factor of the
product is a weight letter (``W``, ``U``, ``V``, ``\Theta``; a bare symbol no equation
defines), or a sum of such products with their weights on one side (``X_t W_x + H_{t-1} W_h
+ b``): the weight on the right (``X W``, sample-first) makes ``b`` a vector of its
columns, added to every row; the weight on the left (``W X``, dim-first) makes ``b`` a
vector of its rows, added to every column. The reading says so. Where both outer factors,
or neither, are weight letters, or the product is square, the rule says nothing (the sum reads
as before); where another equation later makes the matrix square (its rows one size with its
columns), the sum is refused: the sizes no longer show the bias's axis.

A bias declared one row (``b \in \mathbb{R}^{1 \times h}``, d2l) is the row rule's
(``add_row_bias``); a declared vector or matrix keeps its declaration.

Examples (each reads):

    Y = X W + b

    Z = W X + b

    X' = \hat D^{-1/2} \hat A \hat D^{-1/2} X W + b
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..letters import BIAS_LETTERS, MATRIX_WEIGHT_LETTERS
from ..read import terms as t
from ..read.reader import Reading
from .sizes import shape_text

if TYPE_CHECKING:
    from .infer import Inference

RULE = "bias-of-a-product"


def _weight(inf: Inference, term: t.Term) -> bool:
    """A bare weight letter (W, W^{(k)}, \\Theta) that no equation defines."""
    if isinstance(term, t.Transpose):
        term = term.body
    return (
        isinstance(term, t.Sym)
        and term.key.split("_")[0] in MATRIX_WEIGHT_LETTERS
        and term.key not in inf.defined
    )


def _bias(inf: Inference, term: t.Term) -> bool:
    return (
        isinstance(term, t.Sym)
        and term.key.split("_")[0] in BIAS_LETTERS
        and term.key not in inf.defined
        and term.key not in inf.declared_shape
        and term.node is None
        and term.edge is None
        and term.example is None
        and term.head is None
        and inf.rank(term) is None
    )


def _weighted(inf: Inference, term: t.Term) -> tuple[bool, t.Term] | None:
    """(the weight is on the right, the weight) for a product with a weight letter as exactly
    one outer factor, or a sum of such products that agree on the side (``X_t W_x + H W_h``);
    else None."""
    if isinstance(term, t.Add):
        left, right = _weighted(inf, term.left), _weighted(inf, term.right)
        if left is None or right is None or left[0] != right[0]:
            return None
        return left
    if not isinstance(term, t.Product):
        return None
    on_right, on_left = _weight(inf, term.right), _weight(inf, term.left)
    if on_right == on_left:
        return None
    return on_right, term.right if on_right else term.left


def vector_bias(inf: Inference, a: t.Add) -> bool | None:
    """Bind the bias of ``X W + b`` to a vector of the weight's output size and the sum to
    the product's shape (True), or None where the rule does not apply."""
    from .engine import Stuck

    for side, other in ((a.left, a.right), (a.right, a.left)):
        if not _bias(inf, side):
            continue
        found = _weighted(inf, other)
        if found is None:
            continue
        on_right, weight = found
        shape = inf.shape(other)
        if shape is None:
            if inf.shape(a) is not None:
                return None  # the sum's shape is known (y_t \in R): it shapes the product
            raise Stuck  # the product decides its shape first, never the bias's
        if len(shape) != 2:
            continue
        rows, columns = (inf.engine.resolve_size(n) for n in shape)
        if rows == columns:
            continue  # square: which axis the bias runs along, the shapes cannot show
        axis = 1 if on_right else 0
        word = "sum" if a.op == "+" else "difference"
        what = f"the {word} {inf.snip(a)}"
        inf.bind(side, (shape[axis],), a, what, "")
        inf.unify(a, other, a, what, "")
        per = "row" if axis == 1 else "column"
        inf.read.readings.append(
            Reading(
                a.span,
                inf.snip(a),
                f"{RULE}: a bias vector added to every {per} (broadcast)",
                f"{inf.snip(side)} is the bias letter, declared by nothing: a vector (a "
                f"lowercase letter) with one entry per {'column' if axis == 1 else 'row'} of "
                f"the weight {inf.snip(weight)} (the layer's output features), added to every "
                f"{per} of the matrix {inf.snip(other)}, as the layer's code broadcasts it; "
                f"not a matrix of the product's shape (declare {inf.snip(side)} to override)",
            )
        )
        return True
    return None


def square_refusal(inf: Inference, x: t.Term) -> ShapeError | None:
    """After inference: a sum this rule read whose matrix came out square (its rows forced
    equal to its columns by another equation) is refused: the generated code could not tell
    the bias's axis by the sizes, and the reading no longer shows it."""
    if not isinstance(x, t.Add):
        return None
    if not any(r.span == x.span and r.reading.startswith(RULE) for r in inf.read.readings):
        return None
    shape = inf.shape(x)
    if shape is None or len(shape) != 2:
        return None
    rows, columns = (inf.engine.resolve_size(n) for n in shape)
    if rows != columns:
        return None
    side = next(
        (s for s in (x.right, x.left) if isinstance(s, t.Sym) and s.key[:1] in BIAS_LETTERS),
        x.right,
    )
    return ShapeError(
        f"{inf.snip(x)}: the bias {inf.snip(side)} was read as a vector added to every row or "
        f"column, but the matrix is square, {shape_text(shape)} (another equation makes its "
        "rows and columns one size), so its shape no longer says which",
        inf.source,
        x.span,
        hint=f"declare {inf.snip(side)} as one row (\\mathbb{{R}}^{{1 \\times n}}, added to "
        "every row) or as a matrix of the sum's shape",
    )
