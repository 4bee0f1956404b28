r"""Notation rules for a graph's data said by a condition or in words (its adjacency, its last
layer, values for pairs of nodes).

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
    from .reader import Reader

__all__ = ["adjacency_vector_words", "indicator_inputs"]

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
