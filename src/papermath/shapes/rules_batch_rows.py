r"""Notation rule ``per-feature-over-batch``: a vector of a batch's features times the batch,
``\gamma X`` with ``X \in \mathbb{R}^{B \times C}``, ``\gamma \in \mathbb{R}^{C}``, where the
prose says the first axis is the batch (``$B$ is the batch size``, ```N`` is the batch``).

What people write (labml's layer norm; MLX's batch norm, whose input is ``NC``)::

    When input $X \in \mathbb{R}^{B \times C}$ is a batch of embeddings,
    where $B$ is the batch size and $C$ is the number of features.
    $\gamma \in \mathbb{R}^{C}$ and $\beta \in \mathbb{R}^{C}$.
    $$\text{LN}(X) = \gamma \frac{X - \underset{C}{\mathbb{E}}[X]}{\sqrt{\underset{C}{Var}[X]
    + \epsilon}} + \beta$$

How papermath reads it: each row of X is one example (the prose says so), and a vector over
the features (one entry per column) scales every example's features: the Hadamard product of
the vector with each row, broadcast over the batch (as NumPy's ``gamma * X`` and PyTorch's
layer weights do), a value of X's shape. As a matrix product ``\gamma X`` would need C = B, and
as a row times the matrix it would give one number per example: both make the batch's size
a feature count, which the prose rules out. Read only where the operator allows the
elementwise product (juxtaposition, ``\odot``, ``*``), the vector's size is the matrix's last
axis, and the matrix's first axis is the size the prose calls the batch; without the prose
the product stays refused (shapes/infer.py: "a vector that scales each row of a matrix").

Example that reads (a whole source)::

    Where $B$ is the batch size.
    $$Y = \gamma X$$
    $X \in \mathbb{R}^{B \times C}, \gamma \in \mathbb{R}^{C}$
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse.input_axes import batch_sizes
from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference

RULE = "per-feature-over-batch"


def per_feature(inf: Inference, p: t.Product, readings: tuple[str, ...]) -> bool:
    """Read ``p`` as a per-feature vector times each example of a batch (see the module);
    False where the rule does not apply. ``readings``: those its operator allows."""
    if "hadamard" not in readings:
        return False
    said = batch_sizes(inf.source.text)
    if not said:
        return False
    left, right = inf.shape(p.left), inf.shape(p.right)
    if left is None or right is None or sorted((len(left), len(right))) != [1, 2]:
        return False
    vector, matrix = (left, right) if len(left) == 1 else (right, left)
    e = inf.engine
    rows, features = e.resolve_size(matrix[0]), e.resolve_size(matrix[1])
    if e.resolve_size(vector[0]) != features or rows == features:
        return False
    if len(rows.names) != 1 or rows.names[0] not in said or rows.text() != rows.names[0]:
        return False
    what = f"the per-feature product {inf.snip(p)}"
    inf.bind(p, matrix, p, what, "")
    inf.decided[id(p)] = "hadamard"
    side = p.left if len(left) == 1 else p.right
    batch = rows.names[0]
    inf.reasons[id(p)] = (
        f"{inf.snip(side)} has one entry per feature ({features.text()}) and the prose says "
        f"{batch}, the other's first axis, is the batch: each example's features are scaled, "
        f"broadcast over the {batch} rows ({RULE})"
    )
    return True


def over_row_statistic(inf: Inference, d: t.Div) -> bool:
    r"""Rule ``row-by-its-statistic``: a matrix over a denominator that holds a statistic of
    each of its rows (``\frac{X - \underset{C}{\mathbb{E}}[X]}{\sqrt{\underset{C}{Var}[X] +
    \epsilon}}``, read/rules_axis_stats.py): one number per row, each row divided by its own,
    a value of the matrix's shape; of each column (``\underset{N}{Var}[X]``) likewise. False
    where the denominator holds no such statistic or the shapes are not a matrix over a vector
    of its rows (columns)."""
    from ..read.functions import COL_MEAN, COL_VAR, ROW_MEAN, ROW_VAR

    fns = {x.fn for x in t.walk(d.right) if isinstance(x, t.Apply)}
    per_row, per_column = fns & {ROW_MEAN, ROW_VAR}, fns & {COL_MEAN, COL_VAR}
    if bool(per_row) == bool(per_column):
        return False
    top, bottom = inf.shape(d.left), inf.shape(d.right)
    if top is None or bottom is None or len(top) != 2 or len(bottom) != 1:
        return False
    e = inf.engine
    rows, cols = e.resolve_size(top[0]), e.resolve_size(top[1])
    if rows == cols or e.resolve_size(bottom[0]) != (rows if per_row else cols):
        return False
    inf.bind(d, top, d, f"the division {inf.snip(d)}", "")
    return True
