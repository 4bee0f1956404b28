"""The printed gradient equations against the generated backward pass, at random values.

For every catalog network and every corpus case that reads, and every parameter, the
equations ``papermath grad`` prints (denominator layout, samples as columns) are evaluated
by tests/gradeval.py (which reads the printed LaTeX, not papermath's derivation) on the
forward values of the generated NumPy module, backwards through the steps, with a random
dL/d(output); the result must equal the generated backward's gradient of that parameter.
A family of heads is printed for one head i (dL/dW_i^Q): evaluated with i bound to every
head, the heads stacked, it must equal the generated backward's stacked W_Q. A program with
a matrix per sample (fast weights) is printed for one sample: it runs on a batch of one.

The equations are printed from the reverse pass over the IR (``passes/reverse.py``, printed
by ``report/gradients.py``). What the printer refuses yet, or the evaluator cannot compute,
is listed by name in UNSUPPORTED; the test fails if such a system starts evaluating (so the
list only shrinks) or if any other system is not evaluated.

A system whose source leaves an activation or an aggregator over the neighbours unnamed
(\\sigma_y, \\mathrm{AGGREGATE}_k) is run as ``papermath check`` runs it
(src/papermath/standin.py): once with each stand-in (each pair where both are unnamed), each
its own test (wild:d2l_birnn[tanh]), every step inside ``standing_in``.
"""

from __future__ import annotations

import copy
import itertools
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import papermath
from conftest import ROOT, corpus_cases
from gradeval import GRAD_OPEN, ZERO, Env, Unsupported, evaluate
from papermath import catalog
from papermath.backends.data import random_inputs
from papermath.check import default_dims
from papermath.ir.tree import NotPrinted
from papermath.ops.structure import label_inputs
from papermath.read import terms as t
from papermath.report.gradients import (
    derive,
    head_symbols,
    one_sample,
    printed_for_one_graph,
    render,
    source_samples,
    symbol,
)
from papermath.standin import AGGREGATORS, STAND_INS, _gaps, standing_in

os.environ.setdefault("PAPERMATH_KERNELS", "off")

TOLERANCE = 1e-9
PAPERS = ROOT.parent / "shared" / "corpus_papers"
WILD = ROOT / "tests" / "wild" / "cases"


class Missing(Exception):
    """A printed equation uses a gradient that no printed equation defines: a bug."""


# a system run with stand-ins (its id: wild:d2l_birnn[tanh]) -> the stand-ins, as
# ``papermath check`` runs it (src/papermath/standin.py)
STAND_IN: dict[str, tuple[str, ...]] = {}


def systems() -> list[tuple[str, papermath.System]]:
    """The catalog, the shared corpus, and every case of the papers' corpus and the wild
    corpus that reads (a refusal there is measured by their own tests). A case whose code is
    refused only where the source leaves an activation or an aggregator unnamed is run as
    ``papermath check`` runs it: once with each stand-in (each pair where both are unnamed),
    a fresh copy of the system per run, its program lowered with the stand-ins (STAND_IN)."""
    out = [(f"catalog:{name}", catalog.load(name)) for name in catalog.names()]
    for name, case in corpus_cases(readable_only=True):
        if case.get("expect", {}).get("error"):
            continue
        out.append((name, papermath.compile(case["latex"])))
    for prefix, folder in (("papers", PAPERS), ("wild", WILD)):
        for path in sorted(folder.glob("*.toml")):
            case = tomllib.loads(path.read_text())
            if case.get("expect", {}).get("error"):
                continue
            try:
                system = papermath.compile(case["latex"])
                dims = default_dims(system, None)
            except papermath.PapermathError:
                continue
            try:
                system.program(dims)
            except papermath.PapermathError:
                out += with_stand_ins(f"{prefix}:{path.stem}", system, dims)
                continue
            out.append((f"{prefix}:{path.stem}", system))
    return out


def with_stand_ins(
    name: str, system: papermath.System, dims: dict[str, int]
) -> list[tuple[str, papermath.System]]:
    """``system`` once per stand-in (each pair of them), as check_with_stand_ins runs it, where
    its code is refused only at what the source leaves unnamed; [] where it is refused for
    anything else (I_N, a statistic over an unsaid axis: measured by the corpus's own
    tests)."""
    try:
        gaps = _gaps(system, dims)
    except papermath.PapermathError:
        return []
    out = []
    kinds = [STAND_INS if gap == "activation" else AGGREGATORS for gap in gaps]
    for names in itertools.product(*kinds):
        stand_in = copy.copy(system)
        stand_in._programs = {}  # the cached programs keep the refusal
        with standing_in(*names):  # refused with one stand-in: an error here, never a skip
            stand_in.program(dims)  # cached: ROWS and the test read it
        key = f"{name}[{','.join(names)}]"
        STAND_IN[key] = names
        out.append((key, stand_in))
    return out


@dataclass
class Run:
    """One forward and backward run of the generated NumPy module (samples as columns)."""

    system: papermath.System
    of: str
    params: dict[str, Any]
    inputs: dict[str, Any]
    cache: dict[str, Any]
    g_of: Any
    grads: dict[str, Any]
    steps: int
    dims: dict[str, int]
    written: bool  # the source writes its samples; the module's batch axis leads
    rows: bool = False  # printed and computed with the samples as rows (sample-first)


def shifted_dims(system: papermath.System) -> dict[str, int]:
    """The numbers the run uses: ``papermath grad`` prints with the default numbers
    (check.default_dims), and the printed equations are evaluated with every size the source
    leaves free three larger, so a printed number that stands for a size (a mean's 3 where the
    source leaves d_N) is a difference, not a pass."""
    dims = default_dims(system, None)
    fixed = set(system.dims) | set(system.solved)  # given or forced by the source
    return {k: v if k in fixed else v + 3 for k, v in dims.items()}


def default_of(system: papermath.System) -> str:
    """What ``papermath grad`` differentiates by default: the last scalar, else the last
    equation (documented in the CLI's help)."""
    scalars = [eq.lhs.key for eq in system.equations if system.shapes.get(eq.lhs.key) == ()]
    return scalars[-1] if scalars else system.equations[-1].lhs.key


def run(system: papermath.System, seed: int = 0, rows: bool = False, of: str | None = None) -> Run:
    dims = shifted_dims(system)
    program = system.program(dims)
    # where the source writes its samples (x is N x d), the equations are printed as written
    # and the module's own batch axis comes first (summed at the end); else samples as columns,
    # or as rows (``rows``: the other printed convention)
    written = source_samples(system)[0] is not None and not program.explicit_batch
    layout = "sample-first" if written or rows else "dim-first"
    gen = system.to_numpy(dims, layout)
    rng = np.random.default_rng(seed)
    params = gen.init_params(rng)
    # a matrix per sample (fast weights): the equations are printed for one sample, and
    # evaluated on a batch of one
    samples = 1 if not written and not program.per_node and one_sample(program) else 3
    # a parameter used once per graph and by every node: printed for one graph, run on one
    try:
        one_graph = printed_for_one_graph(system, program)
    except NotPrinted:  # the printer refuses its nodes by name: derive says so, a gap
        one_graph = False
    graphs = (5,) if one_graph else (3, 5, 2)
    inputs, state = random_inputs(program, rng, layout, N=samples, graphs=graphs)
    outputs, cache = gen.forward(params, inputs, state)
    if not all(np.all(np.isfinite(v)) for v in outputs.values()):
        # outside the equations' domain (Adam's second moment under a square root, beta_2
        # drawn negative): every real value drawn again in (0.05, 0.95), where rates, moments
        # and probabilities are defined; integer data (edges, labels) kept
        params, inputs, state = (
            {k: in_domain(v, rng) for k, v in d.items()} for d in (params, inputs, state)
        )
        outputs, cache = gen.forward(params, inputs, state)
        assert all(np.all(np.isfinite(v)) for v in outputs.values()), "nan in (0.05, 0.95)"
    of = of or default_of(system)
    # the printed equations differentiate `of` itself when it is a scalar (dL/dL = 1), else
    # <G, of> for a random G
    shape = np.shape(outputs[of])
    # a number per node or edge (alpha_{ij}) is no loss: a random G too (sum of alpha_{ij}
    # over j is 1, a constant with no gradient)
    per_node = program.per_node and (of in node_keys(system) or of in edge_keys(system))
    loss = system.shapes[of] == () and not per_node
    g_of = np.ones(shape) if loss else rng.normal(size=shape)
    grads = gen.backward(params, cache, {of: g_of})
    steps = len(cache["steps"]) if program.step_index is not None else 1
    return Run(system, of, params, inputs, cache, g_of, grads, steps, dims, written, rows)


def in_domain(value: Any, rng: np.random.Generator) -> Any:
    """A random array of the shape of ``value`` in (0.05, 0.95), or ``value`` itself where it
    holds integers (an edge list, class labels)."""
    array = np.asarray(value)
    if not np.issubdtype(array.dtype, np.floating):
        return value
    return rng.uniform(0.05, 0.95, size=array.shape)


def step_offsets(system: papermath.System) -> dict[str, int]:
    """The offset at which each parameter per step or input per step appears in the
    equations (W_{l-1} at step l: the stack's entry l is W_{l-1} there; an input h_{t-1}
    given for every step: its entry t)."""
    defined = {eq.lhs.key for eq in system.equations}
    out: dict[str, int] = {}
    for eq in system.equations:
        for x in t.walk(eq.rhs):
            if isinstance(x, t.Sym) and x.step is not None and x.key not in defined:
                out.setdefault(x.key, x.offset)
    for prm in system.program(default_dims(system, None)).params:
        if prm.per_step and prm.key not in system.kinds:  # MLP^{(k)}: W_{MLP,k} at step k
            out.setdefault(prm.key, 0)
    return out


def node_keys(system: papermath.System) -> dict[str, str]:
    """The keys the source writes with a node letter (h_v: a value per node), with it."""
    out: dict[str, str] = {}
    for eq in system.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if isinstance(x, t.Sym) and x.node and not x.edge:
                out.setdefault(x.key, x.node)
    return out


def edge_keys(system: papermath.System) -> dict[str, bool]:
    """The keys the source writes with two node letters (alpha_{ij}, e_{j,i}: a value per
    edge, from the neighbour j to the node i), each with whether the neighbour's letter
    comes first in the source's subscript (e_{j,i})."""
    out: dict[str, bool] = {}
    for eq in system.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if isinstance(x, t.Sym) and x.node and x.edge and x.key not in out:
                text = system.source.text[x.span.start : x.span.end]
                sub = text[text.rfind("_") + 1 :]
                out[x.key] = 0 <= sub.find(x.edge) < sub.find(x.node)
    return out


def node_letter(env: Env, head: str) -> str | tuple[str, str] | None:
    """The node letter of a printed left side (``\\frac{..}{\\partial h_v}``: v), or its
    edge's (target, source) letters (``\\alpha_{i,j}``: i, j), if any."""
    if not head.startswith(GRAD_OPEN) or not head.endswith("}"):
        return None
    name = head[len(GRAD_OPEN) : -1].strip()
    return env.edge_of.get(name) or env.node_of.get(name)


def head_letter(env: Env, head: str) -> str | None:
    """The head letter of a printed left side (``\\frac{..}{\\partial W_i^Q}``: i), if any."""
    if not head.startswith(GRAD_OPEN) or not head.endswith("}"):
        return None
    return env.head_of.get(head[len(GRAD_OPEN) : -1].strip())


def at_every_head(text: str, env: Env, letter: str, count: int) -> Any:
    """A printed right side for head i (its left side written with i), at every head,
    stacked along a first axis (as the generated module stacks W_Q)."""
    heads = [evaluate(text, env, None, heads={letter: k}) for k in range(count)]
    if any(h is ZERO for h in heads):
        raise Unsupported("a head's gradient beyond the steps")
    return np.stack([np.asarray(h, dtype=float) for h in heads])


def head_count(r: Run) -> int:
    """The number of heads: the stack of a parameter per head, else the module's values of
    a family (head_1, head_2, ...)."""
    stacks = [np.shape(r.params[k])[0] for k in r.system.per_head_params if k in r.params]
    if stacks:
        return stacks[0]
    return len(family_values(r, next(iter(family_keys(r.system)), "")))


def family_keys(system: papermath.System) -> set[str]:
    """The values one per head of a family the source computes (head_i = ...)."""
    return {eq.lhs.key for eq in system.equations if eq.lhs.head}


def family_values(r: Run, key: str) -> list[Any]:
    """Every head's value of the family ``key``, as the generated module computes them."""
    step = r.cache["steps"][0] if r.cache["steps"] else {}
    out, k = [], 1
    while f"_{key}_{k}" in step:
        out.append(np.asarray(step[f"_{key}_{k}"], dtype=float))
        k += 1
    return out


def environment(r: Run, printed: dict[str, str], heads: dict[str, str] | None = None) -> Env:
    """The values and gradients the printed equations name; ``printed``: the right side of
    each printed dL/d(key) but the parameter's own."""
    heads = heads or {}  # the printed left side of each (its node letter)
    computed: dict[tuple[str, int | None], Any] = {}
    pending: set[tuple[str, int | None]] = set()
    system = r.system
    step = system.program(r.dims).step_index
    occurrences = [
        x for eq in system.equations for x in [eq.lhs, *t.walk(eq.rhs)] if isinstance(x, t.Sym)
    ]
    stepped = {x.key for x in occurrences if x.step is not None}
    if step is not None:  # computed at every step, where the source writes no step (i = ...)
        program = system.program(r.dims)
        step_outs = {op.out for op in program.step_ops}
        stepped |= {k for k, v in program.outputs.items() if v in step_outs}
    names: dict[str, tuple[str, int | None]] = {}
    for key in system.shapes:
        if key in system.functions:
            continue
        if step is not None and key in stepped:
            for k in range(-2, 3):
                names[symbol(key, step, k)] = (key, k)
        else:
            names[symbol(key)] = (key, None)
            for letter in {x.step for x in occurrences if x.key == key and x.step}:
                for k in range(-2, 3):  # x_t in a system without steps: one value
                    names[symbol(key, letter, k)] = (key, None)
    for prm in system.program(r.dims).params:  # a learnable function's: W_{i}, b_{i}
        if prm.key in system.kinds:
            continue
        if prm.per_step and step is not None:  # W_{\mathrm{MLP},k}
            for k in range(-2, 3):
                names[symbol(prm.key, step, k)] = (prm.key, k)
        names.setdefault(symbol(prm.key), (prm.key, None))
    per_node = node_keys(system) if system.program(r.dims).per_node else {}
    node_of: dict[str, str] = {}
    # a value per node, written with any node letter (the source's, or one a sum binds)
    letters = set(per_node.values()) | set("abcdefghijklmnopqrstuvwxyz")
    letters |= {f"{x}'" for x in letters}  # s' beside s (Luong's \sum_{s'})
    # (never in place of a name of the source: h_g, the readout, beside h_v)
    sources = set(names)
    for key, letter in ((k, x) for k in per_node for x in sorted(letters)):
        at = [(symbol(key, step, k, letter), k) for k in range(-2, 3)]
        for name, k in (
            at if step is not None and key in stepped else [(symbol(key, node=letter), None)]
        ):
            if name not in sources:
                names[name] = (key, k)
                node_of[name] = letter
    edge_of: dict[str, tuple[str, str]] = {}
    per_edge = edge_keys(system) if per_node or edge_keys(system) else {}
    for key, first in per_edge.items():  # alpha_{i,j}, e_{j,i}: target i, source j
        for a, b in ((a, b) for a in sorted(letters) for b in sorted(letters) if a != b):
            name = symbol(key, node=f"{b},{a}" if first else f"{a},{b}")
            if name not in sources:
                names[name] = (key, None)
                edge_of[name] = (a, b)
    offsets = step_offsets(system)
    letter_of_heads, per_head = head_symbols(system)
    family = family_keys(system)
    T = r.steps
    steps, initial = r.cache["steps"], r.cache["initial"]
    # states carried backwards (h_t from h_{t+1}): their given value is after the last step
    backward = {st.key for st in system.program(r.dims).states if st.backward}

    def column(a: Any) -> Any:
        a = np.asarray(a, dtype=float)
        return a[:, None] if a.ndim == 1 and not r.written else a  # a vector is a column

    single = (
        not r.written and not system.program(r.dims).per_node and one_sample(system.program(r.dims))
    )

    def row(key: str, a: Any) -> Any:
        """A value of a batch of one sample: its own (a vector: the column of the sample)."""
        a = _row(key, a)
        if single and np.ndim(a) == len(system.shapes.get(key, ())) + 1 and np.ndim(a) > 2:
            return np.asarray(a)[..., 0]  # W^{(i)}: the one sample's matrix
        return a

    def _row(key: str, a: Any) -> Any:
        """A number per sample, as a row over the samples (samples as columns)."""
        if not r.written and system.shapes.get(key) == () and np.ndim(a) == 1:
            return a[:, None] if r.rows else a[None, :]  # samples as rows: a column
        return a

    def value(key: str, index: int | None) -> Any:
        if key in family and key not in r.params:  # head_i: every head's, stacked
            values = family_values(r, key)
            if not values:
                raise Unsupported(f"no head's value of {key} in the module's cache")
            return np.stack(values)
        if key in r.params:
            if key in offsets:
                if index is None:
                    raise Unsupported(f"{key} without its step")
                i = index - offsets[key]
                return column(r.params[key][i]) if 0 <= i < T else ZERO
            return column(r.params[key])
        if key in r.inputs:
            if index is None:
                return row(key, np.asarray(r.inputs[key], dtype=float))
            i = index - offsets.get(key, 0)
            return row(key, np.asarray(r.inputs[key][i], dtype=float)) if 0 <= i < T else ZERO
        if index is None:
            out = np.asarray(r.cache["outputs"][key], dtype=float)
            if key in per_node or key in per_edge:  # a number per node or edge: a row of them
                return row(key, out)
            # a value the same for every sample (a batch mean): a column next to the samples;
            # a number per sample (y = f(w^T x)): a row over the samples, as inputs are
            return column(out) if out.ndim == len(system.shapes[key]) else row(key, out)
        if 0 <= index < T:
            at = steps[index]  # a key the code renames (F, a library's name: F_) by its code name
            return row(key, np.asarray(at[key if key in at else key + "_"], dtype=float))
        if index == -1 and key in initial and key not in backward:
            return row(key, np.asarray(initial[key], dtype=float))
        if index == T and key in initial and key in backward:  # h_{t+1} after the last step
            return row(key, np.asarray(initial[key], dtype=float))
        return ZERO

    def direct(key: str, index: int | None) -> Any:
        if key != r.of:
            return ZERO
        if index is None:
            return row(key, r.g_of) if key in per_node or key in per_edge else r.g_of
        return r.g_of[index] if 0 <= index < T else ZERO

    def grad(key: str, index: int | None) -> Any:
        if (key, index) in computed:
            return computed[(key, index)]
        if key in printed and (index is None or 0 <= index < T):
            # computed when first used: the printed order need not be an order of computation
            if (key, index) in pending:
                raise Missing(f"dL/d{key} at step {index} is defined through itself")
            pending.add((key, index))
            at_head = head_letter(env, heads.get(key, ""))
            if at_head is not None:  # dL/dhead_i: at every head, stacked
                computed[(key, index)] = at_every_head(printed[key], env, at_head, head_count(r))
            else:
                letter = node_letter(env, heads.get(key, ""))
                computed[(key, index)] = at_every_node(printed[key], env, index, letter)
            pending.discard((key, index))
            return computed[(key, index)]
        if key == r.of:
            return direct(key, index)
        if index is not None and not 0 <= index < T:
            return ZERO
        raise Missing(f"dL/d{key} at step {index}: no printed equation gives it")

    sample = source_samples(system)[0]
    if sample is not None:
        samples = int(sample) if sample.isdigit() else r.dims[sample]
    else:
        samples = next((np.shape(v)[-1] for v in r.cache["outputs"].values() if np.ndim(v) >= 2), 1)
        program = system.program(r.dims)
        batched = [i for i in program.inputs if i.value.batched and i.per in (None, "step")]
        if not r.rows and batched and not program.per_node:  # samples as the last axis
            samples = np.shape(r.inputs[batched[0].key])[-1]
        if r.rows:  # the batch of random_inputs, first (or after the steps)
            program = system.program(r.dims)
            first = next((i for i in program.inputs if i.value.batched), None)
            if first is not None:
                samples = np.shape(r.inputs[first.key])[1 if first.per == "step" else 0]
            elif initial:  # no input: the initial states carry the batch
                samples = np.shape(next(iter(initial.values())))[0]
    env = Env(names, value, grad, direct, np.ones((samples, 1)), T, r.dims, step)
    if per_head:  # W_i^Q, head_i: read with the head bound, never as the whole stack
        for key, name in per_head.items():
            names.pop(symbol(key), None)
            names[name] = (key, None)
            env.head_of[name] = str(letter_of_heads)
    if per_node:  # the graph of each node: the data's own (the module's ``batch``)
        env.node_of = node_of
        env.edge_of = edge_of
        env.graph_of = np.asarray(r.inputs["batch"])
        env.edges = r.inputs.get("edges")
        graph_inputs = {i.key for i in system.program(r.dims).inputs if i.value.batched}
        env.per_graph = (set(r.cache["outputs"]) | graph_inputs) - set(per_node) - set(per_edge)
        env.node_sets = tuple(
            {x.over for eq in system.equations for x in t.walk(eq.rhs) if isinstance(x, t.NodeSum)}
            or {"V"}
        )
    return env


def at_every_node(
    text: str, env: Env, index: int | None, letter: str | tuple[str, str] | None
) -> Any:
    """A printed right side; for a value per node (its left side written with the node
    letter), at each node, side by side (a column per node); per edge (two letters: the
    target's and the source's), at each edge of the edge list."""
    if letter is None:
        return evaluate(text, env, index)
    if isinstance(letter, tuple):
        (a, b), (src, dst) = letter, np.asarray(env.edges)
        columns = [
            evaluate(text, env, index, {a: int(dst[e]), b: int(src[e])}, {letter: e})
            for e in range(len(src))
        ]
    else:
        columns = [evaluate(text, env, index, {letter: k}) for k in range(env.node_count)]
    # a number at a node (dL/dL_i = 1 where the loss sums the nodes' values) is its 1 x 1 column
    columns = [c if c is ZERO or np.ndim(c) else np.full((1, 1), c) for c in columns]
    if all(c is ZERO for c in columns):
        return ZERO  # beyond the steps
    shape = next(np.shape(c) for c in columns if c is not ZERO)
    if len(shape) != 2 or shape[-1] != 1:
        raise Unsupported(f"a node's gradient of shape {shape}, not a column")
    return np.concatenate([np.zeros(shape) if c is ZERO else c for c in columns], axis=-1)


def printed_gradient(
    r: Run,
    wrt: str,
    edit: Callable[[str], str] = lambda text: text,
    derive: Callable[..., Any] = derive,
) -> Any:
    # samples as columns, as the generated module lays them out; a source that writes its
    # samples itself (x is N x d) is printed and computed as written
    batch = None if r.written or r.system.program(r.dims).explicit_batch else "dim-first"
    if r.rows:
        batch = "sample-first"
    d = derive(r.system, wrt, of=r.of, layout="denominator", batch=batch)
    rhs = {id(eq): edit(eq.latex.split(" = ", 1)[1]) for eq in d.equations}
    printed = {eq.lhs.key: rhs[id(eq)] for eq in d.equations if eq.lhs.key != wrt}
    env = environment(r, printed, {eq.lhs.key: eq.latex.split(" = ", 1)[0] for eq in d.equations})
    env.count = {d.samples: len(env.ones)}  # N of a batch's mean: the number of samples
    # printed in an order of computation: a gradient used at the same step is printed before
    heads = [eq.latex.split(" = ", 1)[0] for eq in d.equations]
    for i, eq in enumerate(d.equations):
        for later in heads[i + 1 :]:
            assert later not in rhs[id(eq)], f"{heads[i]} uses {later}, printed after it"
    last = d.equations[-1]
    assert last.lhs.key == wrt, f"the last printed equation is for {last.lhs.key}, not {wrt}"
    at_head = head_letter(env, heads[-1])
    if at_head is not None:  # dL/dW_i^Q: at every head, stacked as the module's W_Q
        return at_every_head(rhs[id(last)], env, at_head, head_count(r))
    if last.lhs.step is None:
        letter = node_letter(env, heads[-1])
        return at_every_node(rhs[id(last)], env, None, letter)
    # a parameter per step: dL/dW_l at each l, W_l being entry l - offset of the stack
    offset = step_offsets(r.system)[wrt]
    stack = np.zeros(np.shape(r.grads[wrt]))
    for var in range(-2, r.steps + 2):
        if 0 <= var - offset < r.steps:
            value = evaluate(rhs[id(last)], env, var)
            if value is not ZERO:
                if r.written and np.ndim(value) == stack.ndim:
                    value = np.sum(value, axis=0)  # the module's own batch: its losses add
                stack[var - offset] = np.reshape(value, stack.shape[1:])
    return stack


def assert_equals_backward(r: Run, wrt: str, got: Any) -> None:
    """The printed gradient of ``wrt`` (evaluated) equals the generated backward's."""
    want = np.asarray(r.grads[wrt], dtype=float)
    got = np.zeros_like(want) if got is ZERO else np.asarray(got, dtype=float)
    if got.size == want.size and got.shape != want.shape and got.ndim == want.ndim + 1:
        got = got.reshape(want.shape)  # X 1 (or X^T 1): a column for the bias's vector
    if got.shape == (1, 1) and want.shape == ():
        got = got.reshape(())  # 1^T X 1: a number printed as a 1 x 1 matrix
    if r.written and got.ndim == want.ndim + 1:
        got = got.sum(axis=0)  # the module's own batch: a sum of the per-batch losses
    assert got.shape == want.shape, f"{wrt}: printed {got.shape}, backward {want.shape}"
    scale = max(float(np.abs(want).max(initial=0.0)), 1e-8)
    err = float(np.abs(got - want).max(initial=0.0)) / scale
    assert err <= TOLERANCE, f"{wrt}: printed gradient differs from the backward by {err:.1e}"


def assert_an_edit_is_caught(
    r: Run, wrt: str, wrong: str, right: str, refused_is_caught: bool = False
) -> None:
    """The oracle can fail: the printed gradient of ``wrt`` equals the backward, and with the
    printed ``wrong`` (which must be printed) replaced by ``right`` it differs, or, where
    ``refused_is_caught``, the evaluator refuses it (a letter read where none is bound)."""
    want = np.asarray(r.grads[wrt])
    assert np.allclose(printed_gradient(r, wrt), want, rtol=0, atol=1e-12)
    texts: list[str] = []

    def edit(text: str) -> str:
        texts.append(text)
        return text.replace(wrong, right)

    try:
        edited = printed_gradient(r, wrt, edit)
    except Unsupported:
        if not refused_is_caught:
            raise
        edited = None
    assert any(wrong in text for text in texts), f"{wrong!r} is not printed"
    assert edited is None or not np.allclose(edited, want, rtol=0, atol=1e-6)


def differentiated(system: papermath.System) -> list[str]:
    """The parameters (a learnable function's too: i.weight), and in a program over nodes
    the inputs per node (dL/dh_v)."""
    program = system.program(default_dims(system, None))
    params = [k for k, v in system.kinds.items() if v == "parameter"]
    params += [p.key for p in program.params if p.key not in system.kinds]
    if program.per_node:
        labels = label_inputs(program)  # y of f_{y_i}: integers, no gradient
        params += [i.key for i in program.inputs if i.per == "node" and i.key not in labels]
    if not params:  # a loss or a function with nothing learned: its inputs' gradients
        labels = label_inputs(program)
        params = [
            i.key
            for i in program.inputs
            if system.kinds.get(i.key) == "input" and i.key not in labels
        ]
    return params


SYSTEMS = systems()


# system -> why its printed equations (papermath.report.gradients: the reverse pass over the
# Program) are not evaluated: what the printer refuses yet (by name), or the evaluator's gaps
UNSUPPORTED: dict[str, str] = {
    # e_{j,i} \cdot \Theta \cdot h_j read left to right: a matrix per edge (GGNN2)
    "wild:pyg_gatedgraphconv": "refused by name: gradient equations through a matrix per sample",
    # A_{v:}^T [h_1^T ... h_|V|^T]^T read as one block A_{vu} per pair: a matrix per edge
    # (GGNN3, session 10); the generated backward checked against torch autograd of the
    # paper's dense A in tests/test_s10_GGNN3.py
    "papers:ggnn_propagation_li2016": "refused by name: gradient equations through a matrix "
    "per sample",
    # systems with nothing learned, differentiated with respect to their inputs: the
    # sinusoid of a position (the printer refuses it by name; a position is an integer, whose
    # gradient nobody asks for), and a power by a value (the evaluator reads powers by numbers)
    "papers:p04_posenc_vaswani2017": "refused by name: the sinusoid of a position",
    "wild:uvadlc_positional_encoding": "refused by name: the sinusoid of a position",
    "wild:keras_generalized_cross_entropy": "the evaluator reads no power by a value (^{q - 1})",
    # layers over a graph's nodes (GRAPH6, session 10): a parameter's printed gradient sums
    # over the nodes as samples, with no node bound for \sum_{u \in \mathcal{N}(v)} inside it
    # (generated backward checked against torch in tests/test_s10_GRAPH6.py); x's gradient
    # (h's first value, h^0_v = x_v) is refused by name by the printer
    "wild:cs224w_gcn_mean_nodewise": "the evaluator binds no node in a per-layer gradient",
    # graph attention per layer (ENTRIES, session 10): the score e_{vu} one number per edge and
    # layer; the evaluator names no value per edge and step (e_{v,u,k}). The same equations
    # without the layers evaluate (W, a.weight, h equal the backward; a.bias's gradient is 0,
    # the softmax over the neighbours unchanged by a shift), and the generated backward is
    # checked by finite differences and torch in tests/test_s10_ENTRIES.py
    "wild:cs224w_gat": "the evaluator names no value per edge and step (e_{v,u,k})",
}
# the same, for a system run with stand-ins (STAND_IN): every stand-in's run
BACKWARDS = "refused by name: gradient equations through a state carried backwards in time"
UNSUPPORTED_WITH_STAND_INS: dict[str, str] = {}
UNSUPPORTED |= {
    name: UNSUPPORTED_WITH_STAND_INS[name.split("[")[0]]
    for name in STAND_IN
    if name.split("[")[0] in UNSUPPORTED_WITH_STAND_INS
}
# system -> a wrong printed gradient (or one failing its own shape check) this test found and
# that is not fixed yet; the test fails when one of them starts to pass (strict xfail)
GRAD_BUGS: dict[str, str] = {}


@pytest.mark.parametrize(
    ("name", "system"),
    [
        pytest.param(n, s, marks=pytest.mark.xfail(strict=True, reason=GRAD_BUGS[n]))
        if n in GRAD_BUGS
        else (n, s)
        for n, s in SYSTEMS
    ],
    ids=[n for n, _ in SYSTEMS],
)
def test_printed_gradients_equal_the_generated_backward(name: str, system: Any) -> None:
    """The printed equations, evaluated from their text, equal the generated backward
    (samples as columns, and as rows where the source does not write them); a system whose
    source leaves an activation or an aggregator unnamed, with the stand-ins of its id."""
    with standing_in(*STAND_IN.get(name, ())):
        evaluate_printed_gradients(name, system)


def evaluate_printed_gradients(name: str, system: Any) -> None:
    params = differentiated(system)
    if not params:
        pytest.skip("no parameter and no input")
    runs = [run(system)]
    if (name, system) in ROWS:
        runs.append(run(system, rows=True))
    gaps = []
    for r in runs:
        for wrt in params:
            try:
                got = printed_gradient(r, wrt)
            except Unsupported as gap:
                gaps.append(f"{wrt}: {gap}")
                continue
            except papermath.PapermathError as refusal:
                assert "papermath bug" not in str(refusal), refusal.render()
                if "does not depend on" in refusal.message:
                    continue
                gaps.append(f"{wrt}: refused: {refusal.message}")
                continue
            assert_equals_backward(r, wrt, got)
    if name in UNSUPPORTED:
        assert gaps, f"{name} evaluates now: remove it from UNSUPPORTED"
        pytest.skip(UNSUPPORTED[name])
    assert not gaps, "not evaluated:\n" + "\n".join(gaps)


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        (r"\odot f_t \odot \left(1 - f_t\right)", r"\odot f_t"),  # sigma' dropped
        (r"\left[h_{t-1}, x_t\right]^\top", r"\left[h_t, x_t\right]^\top"),  # a step off
        (r"W_o^\top", r"W_f^\top"),  # another gate's weight
    ],
)
def test_a_wrong_printed_equation_is_caught(wrong: str, right: str) -> None:
    """The oracle can fail: the LSTM's printed equations with one edit differ."""
    assert_an_edit_is_caught(run(catalog.load("lstm")), "W_f", wrong, right)


ROWS = [
    (n, s)
    for n, s in SYSTEMS
    if n not in GRAD_BUGS
    and n not in UNSUPPORTED
    and not s.program(default_dims(s, None)).per_node
    and not s.program(default_dims(s, None)).explicit_batch
    and source_samples(s)[0] is None
    and not one_sample(s.program(default_dims(s, None)))  # printed for one sample: columns
]


@pytest.mark.parametrize(
    "source",
    [
        "% inputs: x\nu = W_1 x + b_1\ny = W_2 \\max(0, u) + b_2\n"
        "x \\in \\mathbb{R}^{m}, u \\in \\mathbb{R}^{n}, y \\in \\mathbb{R}^{k}",
        "% inputs: x\ny = W_2 \\max(0, W_1 x + b_1) + b_2\n"
        "x \\in \\mathbb{R}^{m}, b_1 \\in \\mathbb{R}^{n}, y \\in \\mathbb{R}^{k}",
    ],
    ids=["named", "unnamed"],
)
def test_printed_max_of_two_values(source: str) -> None:
    """max(0, u), the FFN's ReLU as written: its printed gradient (1[u > 0], from the
    rule of the maximum) equals the generated backward, samples as columns and as rows."""
    system = papermath.compile(source)
    for rows in (False, True):
        r = run(system, rows=rows)
        for wrt in ("W_1", "b_1", "W_2", "b_2"):
            assert_equals_backward(r, wrt, printed_gradient(r, wrt))


MEAN_SELF = (
    "x'_i = \\frac{1}{|\\mathcal{N}(i)|} \\sum_{j \\in \\mathcal{N}(i) \\cup \\{i\\}} W x_j\n"
    "x_i \\in \\mathbb{R}^{F}"
)


def test_printed_gradients_over_neighbours_and_degrees() -> None:
    """A mean over N(i) u {i} (tests/test_graph_sets.py): the printed sums over neighbours,
    the sums back along the reversed edges and the degrees |N(u)| equal the generated
    backward, for the weight and for every node's input."""
    system = papermath.compile(MEAN_SELF)
    r = run(system)
    for wrt in differentiated(system):
        assert_equals_backward(r, wrt, printed_gradient(r, wrt))


@pytest.mark.parametrize(
    ("source", "wrt", "wrong", "right"),
    [
        # the gradient of a neighbour's sum goes back along the edges reversed, not forward
        ("gin", "MLP.weight", r"\sum_{u : v \in \mathcal{N}(u)}", r"\sum_{u \in \mathcal{N}(v)}"),
        ("gin", "MLP.weight", r"h_{u,k+1}", r"h_{v,k+1}"),  # the neighbour's, not the node's
        ("mean", "x", r"\left|\mathcal{N}(u)\right|", r"\left|\mathcal{N}(i)\right|"),
        ("ggnn", "i.weight", r"h_G^{2}", r"h_G"),  # tanh' dropped
        ("ggnn", "h", r"_{1:D}", r"_{2:D + 1}"),  # the rows of x_v's block, shifted
        ("graphconv", "x", r" \odot e_{i,u}", ""),  # the edge's weight dropped
        # the edges walked the other way: their values are read at edges not bound (refused)
        ("graphconv", "x", r"\sum_{u : i \in \mathcal{N}(u)}", r"\sum_{u \in \mathcal{N}(i)}"),
    ],
)
def test_a_wrong_printed_equation_over_nodes_is_caught(
    source: str, wrt: str, wrong: str, right: str
) -> None:
    """The per-node evaluation can fail: a printed equation with one edit differs."""
    if source == "gin":
        case = tomllib.loads((ROOT.parent / "shared/corpus/gin_xu2019.toml").read_text())
        system = papermath.compile(case["latex"])
    elif source == "graphconv":
        system = papermath.compile(
            tomllib.loads((WILD / "pyg_graphconv.toml").read_text())["latex"]
        )
    else:
        system = papermath.compile(MEAN_SELF) if source == "mean" else catalog.load("ggnn_readout")
    # read at an edge the sum does not walk: refused, not passed
    assert_an_edit_is_caught(run(system), wrt, wrong, right, refused_is_caught=True)


def test_printed_gradients_over_edges_with_degrees_at_both_ends() -> None:
    """DGL's GraphConv, 1/c_{ji} with c_{ji} = sqrt(|N(j)|) sqrt(|N(i)|): differentiated at
    its layer's output h (its default, c, depends on no parameter), the printed equations
    (the degrees of both ends of each edge, the edges reversed for h_j) equal the generated
    backward."""
    system = papermath.compile(tomllib.loads((WILD / "dgl_graphconv.toml").read_text())["latex"])
    r = run(system, of="h")
    for wrt in differentiated(system):
        assert_equals_backward(r, wrt, printed_gradient(r, wrt))


def test_a_parameters_term_free_of_the_neighbour_counts_once_per_edge() -> None:
    """EdgeConv summed: Phi h_i sits inside the sum over the neighbours j, so Phi's gradient
    (and Theta's, through the h_i of h_j - h_i) takes h_i once per edge into i. The printer
    once put the sum around the parts written with j only, dropping |N(i)|; and the largest
    value over the edges (DGL's own \\max) shares a tie as the generated backward does (the
    random graph here has repeated edges)."""
    source = (WILD / "dgl_edgeconv.toml").read_text()
    for latex in (source, source.replace(r"\max_{j", r"\sum_{j")):
        system = papermath.compile(tomllib.loads(latex)["latex"])
        r = run(system)
        assert len({tuple(e) for e in np.asarray(r.inputs["edges"]).T}) < len(
            np.asarray(r.inputs["edges"]).T
        ), "the graph has a repeated edge (a tie for the largest value)"
        for wrt in differentiated(system):
            assert_equals_backward(r, wrt, printed_gradient(r, wrt))


def paper(name: str) -> papermath.System:
    return papermath.compile(tomllib.loads((PAPERS / f"{name}.toml").read_text())["latex"])


@pytest.mark.parametrize(
    ("source", "wrt", "wrong", "right"),
    [
        # every head reads the first head's block of W^O's rows
        ("multihead_vaswani2017", "W_Q", r"\left(i - 1\right) d_v + 1:i d_v", "1:d_v"),
        (
            "multihead_vaswani2017",
            "W_V",
            r"\left(i - 1\right) d_v + 1:i d_v",
            r"\left(h - i\right) d_v + 1:\left(h - i + 1\right) d_v",
        ),  # the heads reversed
        ("multihead_vaswani2017", "W_Q", "W_i^K", "W_i^Q"),  # another weight of the head
        (
            "multihead_vaswani2017",
            "W_O",
            r"\left(head_i\right)",
            r"\left(head_i \odot head_i\right)",
        ),
        # the heads' sum dropped: the shared input's gradient reads a head never bound
        ("multihead_vaswani2017", "Q", r"\sum_{i=1}^{h} ", ""),
        ("p02_vit_msa_dosovitskiy2021", "U_qkv", r"\sum_{i=1}^{k} ", ""),  # one head's block
        (
            "p02_vit_msa_dosovitskiy2021",
            "U_qkv",
            r"\partial k}, \frac{\partial \mathcal{L}}{\partial v}",
            r"\partial v}, \frac{\partial \mathcal{L}}{\partial k}",
        ),
    ],
)
def test_a_wrong_printed_equation_per_head_is_caught(
    source: str, wrt: str, wrong: str, right: str
) -> None:
    """The heads' evaluation can fail: an equation printed for head i (its block of W^O's
    rows, its own weights, the sum over the heads) with one edit differs from the stacked
    backward, or is refused (a head letter read where no head is bound)."""
    # W_i^Q outside every head: refused, not passed
    assert_an_edit_is_caught(run(paper(source)), wrt, wrong, right, refused_is_caught=True)


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        (r" \odot W_{i+1} \odot \left(1 - W_{i+1}\right)", ""),  # sigma' dropped
        (r"\odot W_{i+1} \odot \left(1 - W_{i+1}\right)", r"\odot W_i \odot \left(1 - W_i\right)"),
        (r"x_i^\top", r"b_i^\top"),  # another vector of the same size
    ],
)
def test_a_wrong_printed_equation_for_one_sample_is_caught(wrong: str, right: str) -> None:
    """labml's fast weights, W^{(i)} a matrix per sample: the equations printed for one
    sample, evaluated on a batch of one, differ from the backward with one edit."""
    system = papermath.compile(
        tomllib.loads((WILD / "labml_fast_weights.toml").read_text())["latex"]
    )
    assert_an_edit_is_caught(run(system), "W_a", wrong, right)


LABEL_PICKS = {
    # CS231n's softmax loss of example i
    "softmax": "L_i = -\\log\\left(\\frac{e^{f_{y_i}}}{ \\sum_j e^{f_j} }\\right)",
    # a logistic loss of the label's score: its gradient reads the picked entry itself
    "logistic": "L_i = \\log\\left(1 + e^{-f_{y_i}}\\right)",
}


@pytest.mark.parametrize(
    ("loss", "wrong", "right"),
    [
        (
            "softmax",
            r"\operatorname{onehot}_{K}\left(y_i\right)",
            r"\operatorname{onehot}_{K}\left(0\right)",
        ),
        (
            "logistic",
            r"\operatorname{onehot}_{K}\left(y_i\right)",
            r"\operatorname{onehot}_{K}\left(0\right)",
        ),
        ("logistic", r"\left[f_i\right]_{y_i}", r"\left[f_i\right]_{0}"),  # class 0's entry
    ],
)
def test_printed_gradients_through_the_entry_at_a_label(loss: str, wrong: str, right: str) -> None:
    """The entry of f at an integer label (f_{y_i}: the primitive gather): the printed
    ``\\left[f_i\\right]_{y_i}`` and ``\\operatorname{onehot}_{K}\\left(y_i\\right)`` equal the
    generated backward for every parameter and input; an edit of either is caught."""
    system = papermath.compile(
        f"f_i = W x_i + b\n{LABEL_PICKS[loss]}\nJ = \\sum_i L_i\n"
        "x_i \\in \\mathbb{R}^{D}, W \\in \\mathbb{R}^{K \\times D}"
    )
    r = run(system)
    for wrt in differentiated(system):
        assert_equals_backward(r, wrt, printed_gradient(r, wrt))
    assert_an_edit_is_caught(r, "W", wrong, right)


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        (r"2 \lambda W + ", ""),  # the regularisation's term dropped
        (r"2 \lambda W", r"\lambda W"),  # the square's 2 dropped
        (r"+ \sum_{i} ", r"- \sum_{i} "),  # the examples' terms subtracted
    ],
)
def test_a_parameter_used_once_and_by_every_example_is_printed_for_one_graph(
    wrong: str, right: str
) -> None:
    """CS231n's W, in the regularisation R(W) (once per batch) and in every example's scores
    f_i = W x_i + b (the examples read as the nodes of one graph): printed for one graph
    (said), the two terms evaluate to the generated backward; an edit is caught."""
    system = paper("p25_softmax_xent_cs231n")
    r = run(system)
    assert np.asarray(r.inputs["batch"]).max() == 0  # one graph, as printed
    d = derive(system, "W", of=r.of, layout="denominator", batch="dim-first")
    assert d.one_graph and "for one graph" in render(d)
    assert_equals_backward(r, "W", printed_gradient(r, "W"))
    assert_an_edit_is_caught(r, "W", wrong, right)


@pytest.mark.parametrize(
    ("stand_in", "wrong", "right"),
    [
        ("relu", r"\mathbb{1}\left[W_y h_t + b_y > 0\right]", r"\left(1 - y_t^{2}\right)"),
        ("tanh", r"\left(1 - y_t^{2}\right)", r"y_t \odot \left(1 - y_t\right)"),
        ("sigmoid", r"y_t \odot \left(1 - y_t\right)", r"\left(1 - y_t^{2}\right)"),
    ],
)
def test_a_wrong_printed_equation_with_a_stand_in_is_caught(
    stand_in: str, wrong: str, right: str
) -> None:
    """Wikipedia's Jordan network, sigma_y unnamed, run with a stand-in: the printed
    equations with another stand-in's derivative at sigma_y differ from the backward."""
    name = f"papers:p14_jordan_rnn_wikipedia[{stand_in}]"
    system = dict(SYSTEMS)[name]
    with standing_in(*STAND_IN[name]):
        assert_an_edit_is_caught(run(system), "W_h", wrong, right)


@pytest.mark.parametrize(
    ("wrt", "wrong", "right"),
    [
        # what reaches h<-_t from the step that reads it: the step before (t-1), not after
        (
            "W_h_overleftarrowh_overleftarrow",
            r"\partial \overleftarrow{h}_{t-1}} \odot",
            r"\partial \overleftarrow{h}_{t+1}} \odot",
        ),
        # the backward state's weight meets the state one step later (h<-_{t+1})
        (
            "W_h_overleftarrowh_overleftarrow",
            r"\overleftarrow{h}_{t+1}^\top",
            r"\overleftarrow{h}_{t-1}^\top",
        ),
    ],
)
def test_a_wrong_printed_equation_through_a_backward_state_is_caught(
    wrt: str, wrong: str, right: str
) -> None:
    """Graves's bidirectional RNN (h<-_t from h<-_{t+1}), tanh standing in for H: the printed
    equations with a step turned the other way differ from the backward."""
    name = "papers:p30_birnn_graves2013[tanh]"
    system = dict(SYSTEMS)[name]
    with standing_in(*STAND_IN[name]):
        assert_an_edit_is_caught(run(system), wrt, wrong, right)
