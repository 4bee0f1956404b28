r"""Notation rule ``learned-value-beside-a-vector``: a vector written beside the value of a
learnable function whose output the source does not give, with no product sign.

What people write (Spektral's ECCConv, edge-conditioned convolutions)::

    x_i' = x_i W_{root} + \sum_{j \in \mathcal{N}(i)} x_j \textrm{MLP}(e_{j \rightarrow i}) + b

The prose says MLP "outputs an edge-specific weight": a matrix per edge, that the row x_j
multiplies (F inputs to F' outputs). papermath reads an undeclared learnable function's value
as a vector (an affine map of its arguments, by default); beside a vector, with nothing
between them, that default would make the product elementwise, the output as wide as the
input: a gate, another model. The shapes fit the gate only because of the default, so they
cannot decide.

How papermath reads it: it refuses, with the caret on the product, where a juxtaposed product
(no ``\odot``, ``\cdot``, ``*``) of a vector and the value of a learnable function whose
output size nothing writes (``\mathrm{Linear}_{d_h}`` writes one) would be read as the
elementwise product. ``x_j \odot \mathrm{MLP}(e_{ji})`` (the gate, said with its sign) and
``W \mathrm{MLP}(x)`` (a matrix times the function's vector) read as before.

Examples (each reads):

    h_i = x_i \odot \mathrm{MLP}(e_i)

    y = W \mathrm{MLP}(x)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference

RULE = "learned-value-beside-a-vector"


def refusal(inf: Inference, p: t.Product, reading: str) -> ShapeError | None:
    """The refusal for ``x_j MLP(e)`` read elementwise by the default vector output of the
    learnable function, or None."""
    if reading != "hadamard" or p.written != "juxt":
        return None
    for fn, other in ((p.left, p.right), (p.right, p.left)):
        if not isinstance(fn, t.Learned) or fn.key in inf.read.learned_sizes:
            continue
        if inf.rank(other) != 1:
            continue
        name = fn.key
        return ShapeError(
            f"{inf.snip(p)}: the vector {inf.snip(other)} beside the value of the learnable "
            f"function {name}, whose output the source does not give: papermath takes such a "
            "value to be a vector (an affine map, by default), which would make this an "
            f"elementwise product (a gate, as wide as {inf.snip(other)}); a function that "
            f"outputs a weight matrix ({inf.snip(other)} times it, as edge-conditioned "
            "convolutions do) or a number reads otherwise, and papermath does not guess",
            inf.source,
            p.span,
            hint=f"for an elementwise gate write {inf.snip(other)} \\odot "
            f"{inf.snip(fn)}; for a function whose value is a weight matrix, say so in a line "
            f"of prose, `where ${name}$ is a network that outputs a weight` "
            "(read/rules_weight_output.py: shapes read, code not generated yet)",
        )
    return None
