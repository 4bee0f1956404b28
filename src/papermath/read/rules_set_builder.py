# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``set-builder-aggregation``: an aggregator applied to the set of the
neighbours' values, written by a condition: ``\mathrm{mean}(\{h_j, j \in \mathcal{N}(i)\})``,
``\mathrm{aggregate}(\{h_j, \forall j \in \mathcal{N}(i)\})`` (DGL's SAGEConv and GINConv
docstrings), ``\mathrm{AGGREGATE}_k(\{\mathbf{h}^{k-1}_{u}, \forall u \in \mathcal{N}(v)\})``
(GraphSAGE's Algorithm 1), ``\max\{h_u \mid u \in \mathcal{N}(v)\}``.

What people write::

    h_{\mathcal{N}(i)}^{(l+1)} = \mathrm{aggregate}\left(\{h_{j}^{l}, \forall j \in \mathcal{N}(i) \}\right)

``\{h_j, j \in \mathcal{N}(i)\}`` (also with ``\forall j`` or ``\mid j`` before the condition)
is the multiset of the values h_j of the nodes j that satisfy the condition: for each node i,
one value per neighbour j (per edge j -> i). The parser reads it as a set by a condition
(parse/set_builder.py); this rule reads the aggregator around it.

How papermath reads it: as the aggregation over the neighbours that the graph rules already
read with the set under the operator, the reading saying which and why:

- ``\mathrm{mean}(\{x_j, j \in \mathcal{N}(i)\})``: ``\mathrm{mean}_{j \in \mathcal{N}(i)} x_j``,
  their sum divided by their number (0 for a node with no neighbours; read/rules_neighbour_mean.py);
- ``\mathrm{sum}(\{...\})``: ``\sum_{j \in \mathcal{N}(i)} x_j``;
- ``\max(\{...\})``, ``\max\{...\}``: ``\max_{j \in \mathcal{N}(i)} x_j``, entry by entry
  (read/rules_neighbour_max.py);
- an aggregator the source leaves unnamed (``\mathrm{aggregate}``, ``\mathrm{AGGREGATE}``,
  ``\mathrm{AGGREGATE}_k``, ``\mathrm{AGG}``: an argument of the layer, sum, mean, max or an
  LSTM): read for shapes, kinds, explain and the diagram as an aggregation over the
  neighbours whose value has the shape of one member (as a sum, a mean and a max have), and
  refused by ``code``, at the aggregator, which papermath does not guess; ``check`` runs
  once with each of mean, sum and max standing in and says so (src/papermath/standin.py).
  Write the one the model uses (``\mathrm{mean}``, ``\sum``, ``\max``) to generate code,
  or say it in a comment: ``% \mathrm{aggregate}: mean`` (also sum, max).

Refused: a set by a condition anywhere else (not the one argument of an aggregator), over
anything but a neighbourhood, with several members before the condition, or along the edges
of one type or outgoing edges; another aggregator word (min, an LSTM named) is refused by
name.

Examples (each reads; h a vector per node)::

    h'_i = \mathrm{mean}(\{W h_j, j \in \mathcal{N}(i)\}), h_i \in \mathbb{R}^{d}, h'_i \in \mathbb{R}^{e}
    h'_i = \mathrm{aggregate}(\{h_j, \forall j \in \mathcal{N}(i)\}), h_i \in \mathbb{R}^{d}
    h'_v = \max\{W h_u \mid u \in \mathcal{N}(v)\}, h_v \in \mathbb{R}^{d}, h'_v \in \mathbb{R}^{e}
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from ..parse import ast
from ..source import Span
from . import rules_whole_aggregate
from . import terms as t
from .rules_brace_typos import rewrite_statements
from .syntax import neighbourhood_of

if TYPE_CHECKING:
    from .reader import IndexInfo, Reader, SymParts

RULE = "set-builder-aggregation"
NAMED = {"mean": "mean", "sum": "sum", "max": "max"}
UNNAMED = frozenset({"aggregate", "AGGREGATE", "Aggregate", "AGG", "agg", "aggr", "Aggr", "AGGR"})
HINT_NAMED = (
    "write the aggregator the model uses: \\mathrm{mean}(\\{h_j, j \\in \\mathcal{N}(i)\\}), "
    "\\sum_{j \\in \\mathcal{N}(i)} h_j or \\max_{j \\in \\mathcal{N}(i)} h_j"
)


@dataclass(frozen=True)
class UnnamedAggregation(ast.BigOp):
    """``\\mathrm{aggregate}(\\{h_j, j \\in \\mathcal{N}(i)\\})`` as a big operator over the
    neighbours, the aggregator's name as written (``written``)."""

    written: str = ""


def aggregator(func: ast.Node) -> tuple[str, str] | None:
    """(how it is read: mean, sum, max or aggregate; the word) for an aggregator's name:
    ``\\mathrm{mean}``, ``\\max``, ``\\mathrm{AGGREGATE}_k`` (one per layer k); else None."""
    if isinstance(func, ast.Sub) and isinstance(func.script, ast.Letter | ast.ScriptList):
        found = aggregator(func.base)  # AGGREGATE_k: the layer's own, still unnamed
        return found if found is not None and found[0] == "aggregate" else None
    word = None
    if isinstance(func, ast.Text):
        word = func.content.strip()
    elif isinstance(func, ast.FunctionName):
        word = func.name
    if word is None:
        return None
    if word in NAMED:
        return NAMED[word], word
    if word in UNNAMED:
        return "aggregate", word
    return None


def _the_set(arg: ast.Node) -> ast.SetBuilder | None:
    while isinstance(arg, ast.Paren):
        arg = arg.body
    return arg if isinstance(arg, ast.SetBuilder) else None


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Every aggregator applied to a set by a condition over a neighbourhood, as the big
    operator over the neighbours it means (noted); a set by a condition left anywhere else is
    refused."""

    said = _said(statements)
    statements = [s for s in statements if not (isinstance(s, ast.Directive) and s in said[1])]

    def fix(node: ast.Node) -> ast.Node:
        match node:
            case ast.Call(func=func, args=(arg,)) | ast.ApplyPrefix(func=func, arg=arg):
                found = _the_set(arg)
                if found is not None:
                    return _aggregation(reader, node, func, found, said[0])
                if (what := aggregator(func)) is not None and what[0] == "aggregate":
                    if (whole := rules_whole_aggregate.mark(reader, node, func, arg)) is not None:
                        return whole  # AGGREGATE(X), X the node matrix whole
                    raise _not_a_set(reader, func, arg)
        return node

    out = rewrite_statements(statements, fix)
    for s in out:
        for node in _walk(s):
            if isinstance(node, ast.SetBuilder):
                raise reader.error(
                    "a set written by a condition is read only as what an aggregator takes "
                    "(the values of the neighbours, \\mathrm{mean}(\\{h_j, j \\in "
                    "\\mathcal{N}(i)\\})); here nothing aggregates it",
                    node.span,
                    hint=HINT_NAMED,
                )
    return out


def _not_a_set(reader: Reader, func: ast.Node, arg: ast.Node) -> Exception:
    """``\\textrm{AGGREGATE}(X)``: an aggregator the source leaves unnamed, applied to a value
    (the node features as a whole) rather than to a set of the neighbours' values."""
    name = " ".join(reader.source.snippet(func.span).split())
    value = " ".join(reader.source.snippet(arg.span).split())
    return reader.error(
        f"{name}({value}): an aggregation over each node's neighbours, applied to {value} "
        "as a whole (the values of every node at once): papermath reads an aggregation "
        "written for one node, over the set of its neighbours' values, not this form (and "
        "it is no learnable function)",
        func.span,
        hint=f"write it for one node over the set of its neighbours' values, {name}(\\{{x_j, "
        "j \\in \\mathcal{N}(i)\\}), or with the aggregation the model uses: \\sum_{j \\in "
        "\\mathcal{N}(i)} x_j, \\mathrm{mean}_{j \\in \\mathcal{N}(i)} x_j, \\max_{j \\in "
        "\\mathcal{N}(i)} x_j",
    )


def _walk(node: Any) -> list[ast.Node]:
    out: list[ast.Node] = []
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, ast.Node):
            out.append(x)
            stack.extend(getattr(x, f.name) for f in fields(x))
        elif isinstance(x, tuple):
            stack.extend(x)
    return out


def _said(statements: list[ast.Statement]) -> tuple[dict[str, str], list[ast.Directive]]:
    """The aggregators a line ``% \\mathrm{aggregate}: mean`` names (the word as a directive
    key -> mean, sum or max), and those directives."""
    names: dict[str, str] = {}
    used: list[ast.Directive] = []
    for s in statements:
        if not isinstance(s, ast.Directive):
            continue
        words = s.text.replace(" is ", " ").split()
        if len(words) != 2 or words[1] not in NAMED:
            continue
        key = words[0].removeprefix("mathrm").removeprefix("operatorname").removeprefix("text")
        if key in UNNAMED:
            names[key] = NAMED[words[1]]
            used.append(s)
    return names, used


def _aggregation(
    reader: Reader,
    node: ast.Node,
    func: ast.Node,
    found: ast.SetBuilder,
    said: dict[str, str] | None = None,
) -> ast.Node:
    written = " ".join(reader.source.snippet(node.span).split())
    what = aggregator(func)
    if what is not None and what[0] == "aggregate" and what[1] in (said or {}):
        chosen = (said or {})[what[1]]
        name = " ".join(reader.source.snippet(func.span).split())
        reader.note(
            func.span,
            f"aggregator named by a comment: {chosen}",
            f"{name} is an aggregator the equations leave unnamed; the line "
            f"`% {name.split('_')[0]}: {chosen}` says which: read as {chosen}",
        )
        what = (chosen, what[1])
    if what is None:
        name = " ".join(reader.source.snippet(func.span).split())
        raise reader.error(
            f"{name} of a set written by a condition: papermath reads a set of the neighbours' "
            "values under an aggregator (a mean, a sum, a max, or one the source leaves "
            "unnamed: \\mathrm{aggregate}), and does not guess what this one does",
            func.span,
            hint=HINT_NAMED,
        )
    how, word = what
    hood = neighbourhood_of(found.domain)
    index = found.items[-1]
    members = found.items[:-1]
    over = " ".join(reader.source.snippet(found.domain.span).split())
    if hood is None or not isinstance(index, ast.Letter):
        raise reader.error(
            f"a set written by a condition over {over}: papermath reads the set of the "
            "neighbours' values, \\{h_j, j \\in \\mathcal{N}(i)\\}, only",
            found.span,
            hint=HINT_NAMED,
        )
    if len(members) != 1:
        raise reader.error(
            "a set written by a condition with several values before the condition: "
            "papermath reads one value per member (\\{h_j, j \\in \\mathcal{N}(i)\\})",
            found.span,
            hint="put the values into one expression, [h_j; e_{ji}] (concatenated) or "
            "h_j + e_{ji}, as the source means",
        )
    body = members[0]
    j, v = index.name, hood.of
    script = ast.ScriptIn(Span(index.span.start, found.domain.span.end), index, found.domain)
    span = node.span
    member = " ".join(reader.source.snippet(body.span).split())
    holds = (
        f"{written}: the set holds the value {member} of each node {j} in {over}, the "
        f"neighbours of {v} (one per edge {j} -> {v})"
    )
    if how == "mean":
        total = ast.BigOp(span, "sum", script, None, body)
        count = ast.Abs(found.domain.span, found.domain)
        at_least_one = ast.Call(
            found.domain.span,
            ast.FunctionName(found.domain.span, "max"),
            (count, ast.Number(found.domain.span, "1")),
        )
        reader.note(
            span,
            "mean of a set of the neighbours' values",
            f"{holds}; their mean is \\mathrm{{mean}}_{{{j} \\in {over}}} {member}: their sum "
            f"divided by their number, \\frac{{1}}{{|{over}|}} \\sum_{{{j} \\in {over}}} "
            f"{member} (a node with no neighbours gets 0, as PyTorch Geometric's and DGL's mean "
            "aggregators give)",
        )
        return ast.Frac(span, total, at_least_one)
    if how == "sum":
        reader.note(
            span,
            "sum of a set of the neighbours' values",
            f"{holds}; their sum is \\sum_{{{j} \\in {over}}} {member}",
        )
        return ast.BigOp(span, "sum", script, None, body)
    if how == "max":
        reader.note(
            span,
            "max of a set of the neighbours' values",
            f"{holds}; its max is \\max_{{{j} \\in {over}}} {member}, entry by entry",
        )
        return ast.BigOp(span, "max", script, None, body)
    name = " ".join(reader.source.snippet(func.span).split())
    return UnnamedAggregation(span, "aggregate", script, None, body, written=name or word)


def unnamed(reader: Reader, node: UnnamedAggregation, info: IndexInfo, body: ast.Node) -> t.Term:
    """The term of an aggregator the source leaves unnamed (after :func:`rewrite`)."""
    sub = node.sub
    assert isinstance(sub, ast.ScriptIn)
    hood = neighbourhood_of(sub.right)
    over = " ".join(reader.source.snippet(sub.right.span).split())
    name = node.written
    if hood is None or info.kind != "node" or info.of is None:
        raise reader.error(
            f"{name} over {over}: read over the neighbours of a node only",
            node.span,
            hint=HINT_NAMED,
        )
    u, v = info.letter, info.of
    if hood.relation is not None or hood.direction != "in":
        raise reader.error(
            f"{name} over {over}: an aggregation is read along the edges into a node only, not "
            "along the edges of one type or outgoing edges",
            node.span,
            hint=HINT_NAMED,
        )
    read_body = reader.term(body)
    if not any(isinstance(x, t.Sym) and u in (x.node, x.edge) for x in t.walk(read_body)):
        raise reader.error(
            f"nothing in this set depends on the neighbour {u}",
            node.span,
            hint=f"write the neighbours' values, as in \\{{h_{u}, {u} \\in {over}\\}}",
        )
    member = " ".join(reader.source.snippet(body.span).split())
    reader.note(
        node.span,
        "aggregation of the neighbours' values (aggregator unnamed)",
        f"{name} takes the set of the values {member} of the neighbours {u} in {over} of each "
        f"node {v} (one per edge {u} -> {v}), but the source does not say how it aggregates "
        "them (a sum, a mean, a max: an argument of the layer): read as an aggregation whose "
        "value has the shape of one member, as each of those has; code needs to know which "
        f"(`% {name.split('_')[0]}: mean`, or sum, max; or \\mathrm{{mean}}, \\sum, \\max in its place)",
    )
    return t.NeighbourAggregate(node.span, u, v, read_body, name)


def bigop(reader: Reader, node: ast.BigOp, sub: ast.Node | None) -> t.Term | None:
    """The term of an :class:`UnnamedAggregation`; None for any other big operator."""
    if not isinstance(node, UnnamedAggregation):
        return None
    index = sub.left if isinstance(sub, ast.ScriptIn) else None
    info = reader.out.indices.get(index.name) if isinstance(index, ast.Letter) else None
    if info is None:
        raise reader.error(f"cannot read what {node.written} ranges over", node.span)
    return unnamed(reader, node, info, node.body)


def hood_subscript(reader: Reader, parts: SymParts, item: ast.Node, quiet: bool) -> bool:
    """``h_{\\mathcal{N}(i)}`` (DGL's SAGEConv, GraphSAGE's ``\\mathbf{h}^k_{\\mathcal{N}(v)}``):
    the value of node i's neighbourhood, one per node i (the label N, key ``h_N``); True where
    ``item`` is such a subscript and ``parts`` took it."""
    hood = neighbourhood_of(item)
    if hood is None or hood.relation is not None or hood.direction != "in":
        return False
    info = reader.out.indices.get(hood.of)
    if info is None or info.kind != "node" or parts.node not in (None, hood.of):
        return False
    parts.labels.append("N")
    parts.node = hood.of
    if not quiet:
        written = " ".join(reader.source.snippet(item.span).split())
        reader.note(
            Span(parts.span.start, item.span.end),
            f"value of the neighbourhood of {hood.of}",
            f"{parts.base}_{{{written}}}: one value per node {hood.of}, for its neighbourhood "
            f"{written} (what is aggregated over its neighbours), a symbol of its own (key "
            f"{parts.base}_N), not {parts.base} at a node",
        )
    return True
