"""Example data shaped for a program: random inputs, initial states, graph batches.

Used by tests, ``papermath check`` and worked examples. Layouts as in emit.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ir.prims import degree_p
from ..ir.program import Program
from ..ops.structure import label_inputs
from ..shapes.sizes import Shape, Size


def array_shape(
    program: Program,
    shape: Shape,
    batched: bool,
    per: str | None,
    layout: str,
    T: int,
    N: int,
) -> tuple[int, ...]:
    # a size the program leaves open (the samples N of an explicitly batched notation)
    # takes the batch size
    nums = tuple(
        s.evaluate(
            {
                **program.sizes,
                **{
                    n: N
                    for n in s.names
                    if n not in program.sizes and len(Size.factors(n)) == 1  # h·d_v: from h, d_v
                },
            }
        )
        for s in shape
    )
    dims = tuple(int(n) for n in nums if n is not None)
    if not batched:
        return dims
    out = (N, *dims) if layout == "sample-first" else (*dims, N)
    return (T, *out) if per == "step" else out


def random_inputs(
    program: Program,
    rng: np.random.Generator,
    layout: str = "sample-first",
    T: int = 5,
    N: int = 3,
    graphs: tuple[int, ...] = (3, 5, 2),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Random inputs and non-zero initial states; for graphs, several graphs in one batch."""
    inputs: dict[str, Any] = {}
    n = sum(graphs) if program.per_node else N
    if program.step_count is not None and program.step_count in program.sizes:
        T = program.sizes[program.step_count]  # one parameter per step: as many steps
    for inp in program.inputs:
        if inp.per == "edge":
            continue  # drawn below, once the edges are
        per_graph = inp.per == "graph" or inp.key in program.graph_step_inputs
        rows = len(graphs) if per_graph else n  # one per graph, or per node
        shape = array_shape(program, inp.shape, inp.value.batched, inp.per, layout, T, rows)
        if inp.per == "once":  # a constant the source gives (epsilon, a step size): positive
            inputs[inp.key] = rng.uniform(0.5, 1.5, size=shape)
            continue
        if inp.key in program.nonnegative:  # an adjacency: positive weights, positive degrees
            inputs[inp.key] = rng.uniform(0.1, 1.0, size=shape)
        else:
            inputs[inp.key] = rng.normal(size=shape)
    if program.per_node:
        inputs["batch"] = np.repeat(np.arange(len(graphs)), graphs)
    if program.uses_edges:  # random edges inside each graph, some nodes with none
        start, edges = 0, []
        for size in graphs:
            for _ in range(2 * size):
                a, b = rng.integers(start, start + size, size=2)
                edges.append((a, b))
            start += size
        if any(op.prim is degree_p for op in program.ops()):
            # a program that divides by a degree (1/|N(v)|): every node has a neighbour
            for node in sorted(set(range(start)) - {b for _, b in edges}):
                first = int(np.searchsorted(np.cumsum(graphs), node, side="right"))
                low = int(sum(graphs[:first]))
                edges.append((int(rng.integers(low, low + graphs[first])), node))
        inputs["edges"] = np.array(edges, dtype=np.int64).T.reshape(2, -1)
    for inp in program.inputs:
        if inp.per == "edge":  # one per edge (an edge weight, edge features)
            rows = inputs["edges"].shape[1]
            shape = array_shape(program, inp.shape, True, inp.per, layout, T, rows)
            inputs[inp.key] = rng.normal(size=shape)
    if program.uses_edge_types:  # each edge a random type, every type present
        types = 1 + max(rel for rel, _ in program.edge_lists if rel is not None)
        count = inputs["edges"].shape[1]
        inputs["edge_types"] = (np.arange(count) + rng.integers(types)) % types
    for key, classes in label_inputs(program).items():  # y of f_{y_i}: integers in range
        count = classes.evaluate(program.sizes)
        inputs[key] = rng.integers(0, int(count) if count else 1, size=np.shape(inputs[key]))
    state = {
        s.key: rng.normal(size=array_shape(program, s.shape, True, None, layout, T, n))
        for s in program.states
        if s.init is None  # H^{0} = X: computed from the inputs, not given
    }
    return inputs, state


# The most memory one check or worked example may take (docs/security.md): sizes given with
# --dims or values that need more are refused with the number before anything is allocated.
MEMORY_BUDGET = 2 * 1024**3  # bytes


def memory_needed(program: Program, T: int, N: int) -> tuple[int, str]:
    """About how many bytes one forward pass with its cache keeps (every value, every step,
    float64), and the largest value's description."""
    total, biggest, what = 0, 0, ""
    step_values = {op.out for op in program.step_ops + program.back_ops + program.post_ops}
    values = [(p.key, p.value) for p in program.params]
    values += [(i.key, i.value) for i in program.inputs] + [(s.key, s.prev) for s in program.states]
    values += [(o.out.name, o.out) for o in program.ops()]
    for name, v in values:
        count = 1
        for s in v.shape:
            got = s.evaluate(program.sizes)
            count *= N if got is None else max(int(got), 1)
        count *= N if v.batched else 1
        count *= T if v in step_values else 1
        total += 8 * count
        if 8 * count > biggest:
            biggest, what = 8 * count, f"{name}, shape ({', '.join(s.text() for s in v.shape)})"
    return total, what


def within_budget(program: Program, what: str, T: int = 5, N: int = 3) -> None:
    """Refuse (with the number) a run whose values would not fit in MEMORY_BUDGET."""
    from ..errors import DeclarationError

    need, biggest = memory_needed(program, T, N)
    if need > MEMORY_BUDGET:
        raise DeclarationError(
            f"{what} would need about {need / 1024**3:,.1f} GiB of memory (the largest value: "
            f"{biggest}); papermath runs up to {MEMORY_BUDGET / 1024**3:g} GiB",
            hint="give smaller sizes (--dims m=3,n=4)",
        )
