"""The primitives of the IR, one :class:`Prim` object each (JAX's Autodidax: ``add_p``).

An :class:`~papermath.ir.program.Op` holds its primitive as one of these objects, and code
asks ``op.prim is add_p``. What each stage does with a primitive is a rule in one registry
per concern (:mod:`papermath.ir.rules`), registered right under the rule's function in
``papermath/ops/<family>.py``. ``PRIMS`` lists them by name (for readings that name a
product, and for tests).

>>> add_p
add
>>> PRIMS["matmul"].family
'linalg'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InternalError


@dataclass(frozen=True, eq=False)
class Prim:
    """One primitive: its name (as ``Op.__repr__`` prints it), what it computes in one line,
    the attributes its ops carry (``op.attrs``), and its family (the module of
    ``papermath/ops/`` that holds its rules)."""

    name: str
    doc: str
    family: str
    attrs: tuple[str, ...] = ()
    # a reduction over an index: the operator printed gradients write for an unnamed call of
    # it (\prod, \max, \operatorname{logsumexp}); its printed-gradient rule is latex_rules's
    tex: str | None = None

    def __repr__(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):  # a name left from before primitives were objects
            raise InternalError(f"compare primitives by identity (op.prim is {other}_p)")
        return self is other

    __hash__ = object.__hash__

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return prim, (self.name,)  # pickled or copied: the one object of that name


FAMILIES = (
    "arithmetic", "elementwise", "linalg", "structure", "reductions", "graph", "matrix",
    "positions",
)  # fmt: skip

# arithmetic: numbers and entry-by-entry arithmetic (``align``: for each operand, the operand
# axis of each result axis, None where it is broadcast)
const_p = Prim(
    "const", "a number (made from sizes: its LaTeX, as written)", "arithmetic", ("value", "latex")
)
add_p = Prim("add", "a + b, entry by entry, broadcast by align", "arithmetic", ("align",))
sub_p = Prim("sub", "a - b, entry by entry, broadcast by align", "arithmetic", ("align",))
mul_p = Prim("mul", "a * b, entry by entry (Hadamard, scaling)", "arithmetic", ("align",))
div_p = Prim("div", "a / b, entry by entry, broadcast by align", "arithmetic", ("align",))
neg_p = Prim("neg", "-a", "arithmetic")
maximum_p = Prim("maximum", "max(a, b), entry by entry", "arithmetic", ("align",))
minimum_p = Prim("minimum", "min(a, b), entry by entry", "arithmetic", ("align",))
pow_p = Prim("pow", "a ** exponent, entry by entry", "arithmetic", ("exponent",))
power_p = Prim("power", "a ** b, entry by entry, b a value (x^\\gamma), broadcast by align",
               "arithmetic", ("align",))  # fmt: skip
step_pow_p = Prim("step_pow", "a ** n, entry by entry, n the number of the step of a recurrence "
                "(1 at the first step; the initial state is step 0)", "arithmetic")  # fmt: skip
# elementwise: a function of ops/elementwise.py applied entry by entry
fn_p = Prim("fn", "f(a) entry by entry: sigmoid, tanh, relu, exp, log, ...", "elementwise",
            ("fn",))  # fmt: skip
# linalg: products
matmul_p = Prim("matmul", "(r, c) @ (c,) or (r, c) @ (c, k)", "linalg")
vecmat_p = Prim("vecmat", "(n,) @ (n, k)", "linalg")
dot_p = Prim("dot", "(n,) . (n,) -> ()", "linalg")
transpose_p = Prim("transpose", "(r, c) -> (c, r); (n,) -> (1, n)", "linalg")
affine_p = Prim("affine", "W x + b in one call (nn.Linear's addmm)", "linalg")
# structure: values put together or taken apart
concat_p = Prim("concat", "along per-example axis 0; a scalar counts as size 1", "structure")
slice_p = Prim("slice", "a block of rows or columns", "structure", ("axis", "start", "stop"))
take_p = Prim("take", "one of a stack of parameters, one per head (W_Q[i])", "structure",
              ("index",))  # fmt: skip
gather_p = Prim("gather", "the entry of a vector a at an integer label y, one per example: "
                "a_{y_i} (read/rules_label_pick.py), or the row of a table the examples share: "
                "v_{w_I} (read/rules_table_rows.py); operands (a, y)", "structure")  # fmt: skip
concat_last_p = Prim("concat_last", "a family's values (one per head) side by side along the "
                     "last axis; joined='bar': matrices joined by \\| (shapes/rules_bar_concat.py)",
                     "structure", ("joined",))  # fmt: skip
# reductions: over an axis, the batch or everything
sum_p = Prim("sum", "the sum over per-example axis 0: the entries i of \\sum_i a_i", "reductions")
prod_p = Prim("prod", "the product over per-example axis 0: \\prod_i a_i", "reductions",
               tex="\\prod")  # fmt: skip
max_p = Prim("max", "the largest entry over per-example axis 0: \\max_i a_i", "reductions",
              tex="\\max")  # fmt: skip
logsumexp_p = Prim("logsumexp", "log sum exp over per-example axis 0, the largest entry "
                   "taken out first: \\operatorname{logsumexp}_i a_i", "reductions",
                   tex="\\operatorname{logsumexp}")  # fmt: skip
norm_p = Prim("norm", "the L2 norm over every per-example axis -> ()", "reductions")
softmax_p = Prim("softmax", "the softmax over the last per-example axis", "reductions")
batchsum_p = Prim("batchsum", "the sum over the examples of a batch: one value for the batch",
                  "reductions")  # fmt: skip
count_p = Prim("count", "the number of examples in the batch (m in batch norm's 1/m)",
               "reductions")  # fmt: skip
# graph: nodes, edges and graphs
nodesum_p = Prim("nodesum", "the sum over the nodes of each graph", "graph")
neighbour_sum_p = Prim(
    "neighbour_sum",
    "for each node, the sum over its neighbours (edges: source -> target); relation: only "
    "the edges of type k; direction 'out': the edges reversed",
    "graph",
    ("relation", "direction"),
)
to_edges_p = Prim("to_edges", "a node's value on each edge, x[edges[side]]", "graph", ("side",))
edge_sum_p = Prim("edge_sum", "for each node, the sum of the values of the edges into it",
                  "graph")  # fmt: skip
edge_max_p = Prim(
    "edge_max",
    "for each node, the largest of the values of the edges into it, entry by entry (0 for a "
    "node no edge enters): \\max_{j \\in \\mathcal{N}(i)}",
    "graph",
)
to_nodes_p = Prim("to_nodes", "a value per graph, given to each of its nodes (x[batch])", "graph")
degree_p = Prim(
    "degree",
    "for each node, the number of its neighbours (the edges into it, |N(v)|), as a float; the "
    "operand is a value per node that gives the count's length and type; relation, direction "
    "as neighbour_sum's",
    "graph",
    ("relation", "direction"),
)
# matrix: functions of a whole square matrix (not entry by entry)
eye_p = Prim("eye", "the identity matrix I_n (a constant, no operand)", "matrix")
inv_p = Prim("inv", "the inverse X^{-1} of a square matrix", "matrix")
expm_p = Prim("expm", "the matrix exponential exp(X) of a square matrix", "matrix")
zeros_p = Prim("zeros", "a block of zeros (a constant, no operand): the 0 of x_i \\| 0", "matrix")

# positions: a number (a position in a sequence) encoded as a vector
sinusoid_p = Prim("sinusoid", "the sinusoidal encoding of a number a (a position) as a vector "
                  "of size d: entry 2i sin(a / base^{2i/d}), entry 2i+1 cos(a / base^{2i/d})",
                  "positions", ("base",))  # fmt: skip

PRIMS: dict[str, Prim] = {
    p.name: p
    for p in (
        const_p, add_p, sub_p, mul_p, div_p, neg_p, maximum_p, minimum_p, pow_p, step_pow_p,
        power_p,
        fn_p,
        matmul_p, vecmat_p, dot_p, transpose_p, affine_p,
        concat_p, slice_p, take_p, concat_last_p, gather_p,
        sum_p, prod_p, max_p, logsumexp_p, norm_p, softmax_p, batchsum_p, count_p,
        nodesum_p, neighbour_sum_p, to_edges_p, edge_sum_p, edge_max_p, to_nodes_p, degree_p,
        eye_p, inv_p, expm_p, zeros_p,
        sinusoid_p,
    )
}  # fmt: skip

# Primitives that take values per edge (j -> i) to a value per node i: sum, max.
EDGES_IN = frozenset({edge_sum_p, edge_max_p})

# Primitives whose result is the same for every example: they reduce the batch axis.
UNBATCHING = frozenset({batchsum_p, count_p})


def prim(name: str) -> Prim:
    """The primitive called ``name`` (a product's reading names one: ``"matmul"``)."""
    if name not in PRIMS:
        raise InternalError(f"no primitive {name!r}")
    return PRIMS[name]
