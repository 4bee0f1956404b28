r"""The shapes of the graph-data rules (read/rules_graph_data.py reads the words): where the
equations write ``X a`` with ``a`` the adjacency vector the prose names and ``x_j`` what each
vertex holds, X's columns are the vertices' ``x_j`` (rule ``adjacency-vector-words``); an
adjacency defined by a condition with two indices is square, a row and a column per node (rule
``edge-indicator``); ``x_v`` beside ``X \in \mathbb{R}^{m \times |V|}`` is X's column v (rule
``node-feature-columns``). Each reading is said, and a clash points at the words."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import edge_indicator
from ..read import terms as t
from ..read.reader import Reading
from .engine import Clash

if TYPE_CHECKING:
    from .infer import Inference


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


def node_columns(inf: Inference) -> None:
    """Rule ``node-feature-columns``: ``X \\in \\mathbb{R}^{m \\times |V|}`` (one axis the
    number of vertices) beside ``x_v``, the same letter in lowercase at a node v (CS224W's
    notes: "$$X\\in \\mathbb{R}^{m\\times\\rvert V \\rvert}$$ is the node feature matrix",
    "$$h^0_v = x_v$$. This is the node feature."): x_v is X's column (or row) v, so x has X's
    other axis. Only where that one axis is a set's size (|V|), x is declared nowhere and
    every x the equations write is at a node."""

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
