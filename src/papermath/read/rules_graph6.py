r"""Notation rules of session 10's graph helper (GRAPH6): a graph's adjacency said by a condition
or in words.

Rule ``edge-indicator`` (parse/edge_indicator.py leaves the line out): the letter the line
defines (``A`` of ``A_{ij} = 1 \iff (i, j) \in E``), where an equation uses it and none defines
it, is graph data, an input, never a learned parameter; the reading quotes the line.

Rule ``adjacency-vector-words``: the prose calls a lowercase letter the adjacency vector of a
vertex. What people write (NYU's Deep Learning course notes, week 13): "We represent these
directed edges with adjacency vector $\boldsymbol{a}$, where each element $\alpha_{j}$ is set
to $1$ if there is a directed edge from $v_{j}$ to $v$." How papermath reads it: the symbol
written in the inline math right after the words "adjacency vector" (one letter, defined by
no equation, not a weight letter w, b) is graph data, an input, as an adjacency matrix is
(read/rules_prose_kinds.py, ``graph-data-words``, which reads capital letters only).

Examples that read::

    $$h = f(U x + V X a d^{-1})$$ with $$d = \Vert a \Vert_{1}$$
    where $f$ is an element-wise non-linearity, the adjacency vector $a$

    $$A_{ij} = 1 \iff (i, j) \in E$$ $$H = \sigma(A X W)$$
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import edge_indicator
from . import terms as t

if TYPE_CHECKING:
    from ..errors import ReadingError
    from ..shapes.infer import Inference
    from .reader import Reader

__all__ = ["adjacency_vector_words", "indicator_inputs", "square_indicators", "stacked_columns"]

_VECTOR = re.compile(
    r"\badjacency\s+vectors?\s*(?:\$(?P<a>[^$]+)\$|:math:`(?P<b>[^`]+)`|\\\((?P<c>.+?)\\\))"
)
_ONE = re.compile(
    r"\s*(?:\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*(?P<x>[a-z])\s*\}|\\(?:mathbf|boldsymbol|bm|vec)\s+(?P<y>[a-z])|(?P<z>[a-z]))\s*"
)
_WEIGHTS = frozenset({"w", "b"})


def _used(reader: Reader) -> set[str]:
    keys = set()
    for eq in reader.out.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if isinstance(x, t.Sym):
                keys.add(x.key)
    return keys


def _mark(reader: Reader, key: str, why: str) -> None:
    if (
        key in reader.defined_keys
        or key in reader.out.directives
        or key in reader.out.learned
        or key in reader.out.indices
    ):
        return
    reader.out.role_inputs.setdefault(key, why)
    reader.out.adjacency.add(key)


def indicator_inputs(reader: Reader) -> None:
    """Rule ``edge-indicator``: the letter an indicator line defines is data where it is used."""
    text = reader.source.text
    used = _used(reader)
    for span in edge_indicator.find(text):
        key, _ = edge_indicator.letter(text, span)
        if key in used:
            said = " ".join(text[span[0] : span[1]].split())
            _mark(
                reader,
                key,
                f"graph data: {said} says which entries are 1 (where the graph has an edge); "
                f"not a learned parameter (another reading: `% papermath: {key} is parameter`)",
            )


def adjacency_vector_words(reader: Reader) -> None:
    """Rule ``adjacency-vector-words``: the letter the prose calls the adjacency vector is data."""
    text = reader.source.text
    used = _used(reader)
    for m in _VECTOR.finditer(text):
        inner = m.group("a") or m.group("b") or m.group("c") or ""
        one = _ONE.fullmatch(inner)
        if one is None:
            continue
        key = one.group("x") or one.group("y") or one.group("z")
        if key not in used or key in _WEIGHTS:
            continue
        said = " ".join(m.group(0).split())
        _mark(
            reader,
            key,
            f"graph data: the prose calls it the \u201c{said}\u201d (which vertices have an edge "
            f"into this one) and no equation defines it; not a learned parameter (another "
            f"reading: `% papermath: {key} is parameter`)",
        )


# x_j, x_{j}, \boldsymbol{x}_j, \boldsymbol{x}\_j (markdown's escaped underscore), \mathbf{x}_{j}
def _indexed_in_prose(letter: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?:\\(?:boldsymbol|mathbf|bm)\s*\{{\s*{letter}\s*\}}|(?<![\\A-Za-z]){letter})"
        r"\s*\\?_\s*(?:\{\s*[a-z]\s*\}|[a-z])"
    )


def _last_factor(term: t.Term) -> t.Term:
    while isinstance(term, t.Product):
        term = term.right
    return term


def stacked_columns(inf: Inference) -> None:
    """Rule ``adjacency-vector-words``, its shapes: ``X a``, a the adjacency vector over the
    vertices v_j and x_j what the prose says each vertex holds: X's columns are the vertices'
    x_j, so X has as many rows as x (one symbol x, one width) and a column per entry of a."""
    from ..read.reader import Reading
    from ..shapes.engine import Clash

    read = inf.read
    text = inf.source.text
    for eq in read.equations:
        for term in t.walk(eq.rhs):
            if not isinstance(term, t.Product) or not isinstance(term.right, t.Sym):
                continue
            a, left = term.right, _last_factor(term.left)
            if a.key not in read.adjacency or not a.key.islower() or not isinstance(left, t.Sym):
                continue
            big = left.key
            small = big.lower()
            if not (len(big) == 1 and big.isupper()) or small not in read.first_span:
                continue
            if not _indexed_in_prose(small).search(text):
                continue
            e = inf.engine
            vx, vs, va = inf.var_of_sym(big), inf.var_of_sym(small), inf.var_of_sym(a.key)
            ranks = (e.rank(vx), e.rank(vs), e.rank(va))
            if any(r not in (None, want) for r, want in zip(ranks, (2, 1, 1), strict=True)):
                continue  # declared otherwise: the equations' shapes decide, as before
            for v, at in ((vs, small), (va, a.key)):
                if e.rank(v) is None:
                    e.bind(v, (e.fresh_size(),), read.first_span[at])
            width, count = e.shape(vs), e.shape(va)
            assert width is not None and count is not None
            mark = e.mark()
            try:
                if e.rank(vx) is None:
                    e.bind(vx, (width[0], count[0]), left.span)
                else:
                    rows = e.shape(vx)
                    assert rows is not None
                    e.unify_size(rows[0], width[0], left.span)
                    e.unify_size(rows[1], count[0], left.span)
            except Clash:
                e.undo_to(mark)
                continue  # declared sizes that differ: X is not the vertices' x_j
            read.readings.append(
                Reading(
                    left.span,
                    inf.source.snippet(left.span),
                    "the vertices' vectors as columns",
                    f"{big} {a.key}: {a.key} is the adjacency vector (one entry per vertex v_j) "
                    f"and the prose writes {small} with a vertex's index ({small}_j): {big}'s "
                    f"columns are the vertices' {small}_j, as many rows as {small} has entries",
                )
            )
            return


def square_indicators(inf: Inference) -> None:
    """Rule ``edge-indicator``, its shapes: ``A_{ij} = 1 \\iff (i, j) \\in E`` writes A's
    entries for every pair of nodes (i and j both run over the nodes): A is square, N x N."""
    from ..read.reader import Reading

    text = inf.source.text
    for span in edge_indicator.find(text):
        key, indices = edge_indicator.letter(text, span)
        if indices != 2 or key not in inf.read.role_inputs or key not in inf.read.first_span:
            continue
        var = inf.var_of_sym(key)
        if inf.engine.rank(var) is not None:
            continue
        n = inf.engine.fresh_size()
        at = inf.read.first_span[key]
        inf.engine.bind(var, (n, n), at)
        inf.read.readings.append(
            Reading(
                at,
                inf.source.snippet(at),
                "an adjacency matrix, square",
                f"{' '.join(text[span[0] : span[1]].split())}: an entry for each pair of nodes, "
                f"so {key} has a row and a column per node",
            )
        )


def last_layer_up(reader: Reader, parts: object, name: str) -> bool:
    """Rule ``last-step-up``: ``h_v^{K}`` beside ``h_v^{k-1}`` (CS224W's notes: "$$z_v =
    h_v^{K}$$. This is the final embedding after $$K$$ layers"): the capital of the one step
    letter, written up where the source writes that symbol's steps up, is the last step, as
    ``h_T`` beside ``h_{t-1}`` is (read/reader.py). Only where the source writes the range of
    the step letter up to that capital (``k \\in \\{1, .., K\\}``, ``k = 1, \\dots, K``)."""
    if len(reader.step_letters) != 1 or not name.isupper() or name in reader.out.indices:
        return False
    step = next(iter(reader.step_letters))
    if name != step.upper():
        return False
    key = getattr(parts, "key", "")
    text = reader.source.text
    sub = r"(?:_\s*(?:\{[^{}]*\}|\w)\s*)?"  # h_v^{k-1}, h^{k-1}_u: a node's subscript
    up = re.compile(rf"(?<![A-Za-z\\]){re.escape(key)}\s*{sub}\^\s*\{{?\s*{step}\s*-\s*1")
    ranged = re.compile(
        rf"(?<![A-Za-z\\]){step}\s*(?:\\in\s*\\\{{\s*(?:0|1)\s*,\s*"
        rf"(?:\.\.|\\l?dots|\.\.\.)\s*,?\s*{name}\s*\\\}}"
        rf"|=\s*(?:0|1)\s*,\s*(?:\.\.\.|\\l?dots|\\cdots|\.\.)\s*,\s*{name}(?![A-Za-z]))"
    )
    return bool(up.search(text) and ranged.search(text))


def node_columns(inf: Inference) -> None:
    """Rule ``node-feature-columns``: ``X \\in \\mathbb{R}^{m \\times |V|}`` (one axis the
    number of vertices) beside ``x_v``, the same letter in lowercase at a node v (CS224W's
    notes: "$$X\\in \\mathbb{R}^{m\\times\\rvert V \\rvert}$$ is the node feature matrix",
    "$$h^0_v = x_v$$. This is the node feature."): x_v is X's column (or row) v, so x has X's
    other axis. Only where that one axis is a set's size (|V|), x is declared nowhere and
    every x the equations write is at a node."""
    from ..read.reader import Reading

    read = inf.read
    e = inf.engine
    for big in list(inf.declared_by):
        small = big.lower()
        if not (len(big) == 1 and big.isupper()) or small not in read.first_span:
            continue
        shape = e.shape(inf.var_of_sym(big))
        if shape is None or len(shape) != 2 or small in inf.declared_by:
            continue
        counts = [i for i, s in enumerate(shape) if any(n.startswith("|") for n, _ in s.terms)]
        if len(counts) != 1:
            continue
        uses = [
            x
            for eq in read.equations
            for x in [eq.lhs, *t.walk(eq.rhs)]
            if isinstance(x, t.Sym) and x.key == small
        ]
        if not uses or any(x.node is None for x in uses):
            continue
        var = inf.var_of_sym(small)
        if e.rank(var) is not None:
            continue
        other = shape[1 - counts[0]]
        at = read.first_span[small]
        e.bind(var, (other,), at)
        where = "column" if counts[0] == 1 else "row"
        read.readings.append(
            Reading(
                at,
                inf.source.snippet(at),
                f"a node's {where} of {big}",
                f"{big}'s {'second' if counts[0] == 1 else 'first'} axis counts the vertices and "
                f"{small} is written at a node ({small}_{uses[0].node}): {small}_{uses[0].node} is "
                f"{big}'s {where} {uses[0].node}, a vector of {big}'s other axis",
            )
        )


def node_pair_refusal(reader: Reader, a: str, b: str) -> ReadingError | None:
    """Rule ``node-pairs-said`` (a refusal): ``p_{vu} = \\sigma(y_v^T y_u)`` where the prose
    says v and u are nodes ("$e_{vu} = 1$ iff there is an edge between nodes $v$ and $u$",
    Distill's GNN article): a value for every pair of nodes, edge or not, which papermath does
    not read (it reads values per node and per edge into a node). The refusal says so, at the
    second of the two symbols, instead of asking what binds the letters (the prose does)."""
    from ..errors import ReadingError

    ia, ib = a.rpartition("_")[2], b.rpartition("_")[2]
    if len(ia) != 1 or len(ib) != 1 or ia == ib:
        return None
    text = reader.source.text
    letter = r"\$?\s*{}\s*\$?"
    said = re.search(
        rf"\bnodes?\s+{letter.format(ia)}\s+and\s+{letter.format(ib)}"
        rf"|\bnodes?\s+{letter.format(ib)}\s+and\s+{letter.format(ia)}",
        text,
    )
    pair = next(
        (k for k in reader.out.first_span if k.rpartition("_")[2] in (ia + ib, ib + ia)), None
    )
    if said is None or pair is None:
        return None
    base = a.rpartition("_")[0]
    pair = " ".join(reader.source.snippet(reader.out.first_span[pair]).split())
    return ReadingError(
        f"{a} and {b}: the prose says {ia} and {ib} are nodes "
        f"(\u201c{' '.join(said.group(0).split())}\u201d), and {pair} is one value for each "
        "pair of them, an edge or not: papermath reads "
        "values per node and per edge into a node (a neighbour in N(v)), not per pair of every "
        "two nodes",
        reader.source,
        reader.out.first_span[b],
        hint=f"write it with matrices: the {base}_{ia} as the rows of a matrix Y, the scores of "
        "every pair \\sigma(Y Y^\\top), the 0/1 edge indicators a matrix E (`% inputs: Y, E`)",
    )
