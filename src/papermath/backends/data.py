"""Example data shaped for a program: random inputs, initial states, graph batches.

Used by tests, ``papermath check`` and worked examples. Layouts as in emit.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ir.program import Program
from ..shapes.sizes import Size


def array_shape(
    program: Program,
    shape: tuple[str, ...],
    batched: bool,
    per: str | None,
    layout: str,
    T: int,
    N: int,
) -> tuple[int, ...]:
    # a size the program leaves open (the samples N of an explicitly batched notation)
    # takes the batch size
    nums = tuple(
        Size.parse(s).evaluate(
            {
                **program.sizes,
                **{
                    n: N
                    for n in Size.parse(s).names
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
        rows = len(graphs) if inp.per == "graph" else n  # one per graph, or per node
        shape = array_shape(program, inp.shape, inp.value.batched, inp.per, layout, T, rows)
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
        inputs["edges"] = np.array(edges, dtype=np.int64).T.reshape(2, -1)
    if program.uses_edge_types:  # each edge a random type, every type present
        types = 1 + max(rel for rel, _ in program.edge_lists if rel is not None)
        count = inputs["edges"].shape[1]
        inputs["edge_types"] = (np.arange(count) + rng.integers(types)) % types
    state = {
        s.key: rng.normal(size=array_shape(program, s.shape, True, None, layout, T, n))
        for s in program.states
    }
    return inputs, state
