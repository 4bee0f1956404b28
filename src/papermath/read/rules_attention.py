"""Notation rules for values per edge written with two node indices (graph attention).

``edge-pair``: ``\\alpha_{i,j}``, ``e_{ij}``, ``e_{j,i}`` where i is a node whose neighbours
are summed (``\\sum_{j \\in \\mathcal{N}(i)}``) and j one of them: one value per edge, from the
neighbour j to the node i, whichever order the two letters are written in (PyG writes
``e_{j,i}``, "the edge weight from source node j to target node i"; GAT writes ``e_{ij}``).
Where both letters have neighbourhoods summed, the order is not settled by the sums, and the
written order (target first) stays the reading only as GAT writes it, ``e_{ij}``.

``edge-left-side``: ``e_{ij} = ...`` where e is read per edge elsewhere (``\\exp(e_{ik})``
under ``\\sum_{k \\in \\mathcal{N}_i}``) and j is bound by nothing: the equation defines e on
every edge (i, j), so j is a neighbour of i, as k is (Velickovic et al.'s GAT, eqs. 1-3, whose
``\\mathrm{softmax}_j`` names j only as the softmax's subscript).
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..parse import ast
from ..source import Span
from . import rules_pair_hints
from . import terms as t
from .rules_entries import two_indices
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader, ReadResult, SymParts


def neighbour_of(reader: Reader, letter: str) -> str | None:
    """The node whose neighbours ``letter`` runs over (j in ``\\sum_{j \\in N(i)}``), or None."""
    info = reader.out.indices.get(letter)
    return info.of if info is not None and info.kind == "node" else None


def edge_pair(reader: Reader, a: str, b: str) -> tuple[str, str, bool] | None:
    """Two node letters written on one value: (the edge's target node, its source neighbour,
    whether the written order is reversed), or None where they name no edge."""
    if a == b:
        return None
    if neighbour_of(reader, b) == a:
        return a, b, False  # e_{ij}, j in N(i)
    if neighbour_of(reader, a) == b and neighbour_of(reader, b) is None:
        return b, a, True  # e_{j,i}, j in N(i): the edge from j to i, written source first
    if reader.is_edge(a, b):
        return a, b, False
    return None


def edge_left_sides(reader: Reader, statements: list[ast.Statement]) -> None:
    """``e_{ij} = ...`` beside ``e_{ik}``, k a neighbour of i: j is a neighbour of i."""
    # base key -> the node letter of a per-edge use (e_{ik} with k in N(i))
    per_edge: dict[str, str] = {}
    for node in iter_nodes(statements):
        if not isinstance(node, ast.Sub):
            continue
        pair = two_indices(node.script)
        base = reader.symbol(node.base, quiet=True) if pair else None
        if pair is None or base is None:
            continue
        a, b = pair
        if neighbour_of(reader, b) == a:
            per_edge.setdefault(base.key, a)
    for st in statements:
        if not isinstance(st, ast.Definition) or not isinstance(st.lhs, ast.Sub):
            continue
        pair = two_indices(st.lhs.script)
        base = reader.symbol(st.lhs.base, quiet=True) if pair else None
        if pair is None or base is None:
            continue
        a, b = pair
        if per_edge.get(base.key) != a or b in reader.out.indices or a == b:
            continue
        used = next(
            letter
            for letter, info in reader.out.indices.items()
            if info.kind == "node" and info.of == a
        )
        hood = reader.out.indices[used].over or f"N({a})"
        reader.add_index(
            b,
            "node",
            f"{base.key}_{{{a}{b}}} = ... defines {base.key} on every edge ({a}, {b}), and "
            f"{base.key} is a value per edge elsewhere ({used} in {hood}): {b} runs over the "
            f"neighbours of {a} as {used} does",
            st.lhs.script.span,
            hood,
        )
        mine = reader.out.indices[used]
        reader.out.indices[b] = replace(
            reader.out.indices[b], of=a, relation=mine.relation, direction=mine.direction
        )


def edge_subscript(reader: Reader, parts: SymParts, script: ast.Node, quiet: bool) -> bool:
    """``\\alpha_{i,j}``, ``e_{ij}``, ``e_{j,i}`` with j a neighbour of i: the value on the edge
    from j to i (``parts.node`` the target i, ``parts.edge`` the neighbour j). False where the
    subscript is not two such letters."""
    pair = two_indices(script)
    if pair is None:
        return False
    found = edge_pair(reader, *pair)
    if found is None:
        return False
    node, edge, reversed_ = found
    parts.node, parts.edge = node, edge
    if not quiet:
        written = reader.source.snippet(script.span)
        order = (
            f" (written source first, {edge} then {node}, as the text's e_{{j,i}} is the "
            f"value from the source node {edge} to the target node {node})"
            if reversed_
            else ""
        )
        reader.note(
            Span(parts.span.start, script.span.end),
            f"value per edge ({node}, {edge})",
            f"{parts.key}_{{{written}}}: one value for each node {node} and each of its "
            f"neighbours {edge} (an edge from {edge} to {node}){order}; the edges are the "
            "graph's (inputs['edges'])",
        )
    return True


# ---- softmax-written-out: a chain's claim that a fraction is a softmax over j -------------
def same_tree(a: object, b: object, rename: dict[str, str]) -> bool:
    """Whether two syntax trees are written alike, spans aside, with the letters of ``a``
    renamed by ``rename`` (``e_{ij}`` against ``e_{ik}`` with j -> k)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, ast.Letter) and isinstance(b, ast.Letter):
        return rename.get(a.name, a.name) == b.name
    if isinstance(a, ast.Node):
        return all(
            same_tree(getattr(a, f.name), getattr(b, f.name), rename)
            for f in fields(a)
            if f.name not in ("span", "op_span")
        )
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same_tree(x, y, rename) for x, y in zip(a, b, strict=True))
    return a == b


def letters_in(node: ast.Node) -> set[str]:
    return {n.name for n in iter_nodes([node]) if isinstance(n, ast.Letter)}  # type: ignore[list-item]


def exp_body(node: ast.Node) -> ast.Node | None:
    """``\\exp(x)``, ``\\exp x`` -> x."""
    match node:
        case ast.ApplyPrefix(func=ast.FunctionName(name="exp"), arg=ast.Paren(body=body)):
            return body
        case ast.ApplyPrefix(func=ast.FunctionName(name="exp"), arg=body):
            return body
    return None


def softmax_over(node: ast.Node) -> tuple[str, ast.Node] | None:
    """``\\mathrm{softmax}_j(x)`` -> (j, x)."""
    match node:
        case ast.Call(func=ast.Sub(base=base, script=ast.Letter(name=j)), args=(arg,)):
            named = (isinstance(base, ast.Text) and base.content.strip() == "softmax") or (
                isinstance(base, ast.FunctionName) and base.name == "softmax"
            )
            return (j, arg) if named else None
    return None


def softmax_written_out(claim: ast.Node, chosen: ast.Node) -> str | None:
    """Where a chain claims ``\\mathrm{softmax}_j(x_j)`` equals the fraction its last side
    writes out, ``\\frac{\\exp(x_j)}{\\sum_{k \\in S} \\exp(x_k)}`` (GAT's eq. 2), the claim
    holds by the definition of the softmax over j (j running over the set the sum names):
    the reason, said in a reading; None where the two sides are not that."""
    found = softmax_over(claim)
    if found is None or not isinstance(chosen, ast.Frac):
        return None
    j, x = found
    top = exp_body(chosen.num)
    den = chosen.den
    if top is None or not isinstance(den, ast.BigOp) or den.op != "sum":
        return None
    sub = den.sub
    k = None
    if isinstance(sub, ast.ScriptIn) and isinstance(sub.left, ast.Letter):
        k = sub.left.name
    if isinstance(sub, ast.Letter):
        k = sub.name
    bottom = exp_body(den.body)
    if k is None or k == j or bottom is None or j not in letters_in(x) or k in letters_in(x):
        return None
    if not same_tree(x, top, {}) or not same_tree(x, bottom, {j: k}):
        return None
    return (
        f"softmax_{j} is the exponential over the sum of the exponentials over the range of "
        f"{j}: the fraction written out beside it, whose sum over {k} names that range"
    )


# ---- edge-softmax: a softmax in an equation over edges -------------------------------------
def renamed_node(term: t.Term, old: str, new: str) -> t.Term:
    """The term with the node letter ``old`` read as ``new`` (x_j -> x_k, e_{ij} -> e_{ik}),
    except under a sum that binds ``old`` again."""
    if isinstance(term, t.Sym):
        return replace(
            term,
            node=new if term.node == old else term.node,
            edge=new if term.edge == old else term.edge,
        )
    if isinstance(term, t.NeighbourSum | t.NodeSum) and term.index == old:
        return renamed_node(term, "\x01", "\x01")  # bound again inside: a copy, unchanged
    changes: dict[str, object] = {}
    if isinstance(term, t.NeighbourSum) and term.of == old:
        changes["of"] = new
    for f in fields(term):
        value = getattr(term, f.name)
        if isinstance(value, t.Term):
            changes[f.name] = renamed_node(value, old, new)
        elif isinstance(value, tuple) and value and all(isinstance(v, t.Term) for v in value):
            changes[f.name] = tuple(renamed_node(v, old, new) for v in value)
    return replace(term, **changes)  # type: ignore[arg-type]  # a copy: terms key by identity


def mentions(term: t.Term, letter: str) -> bool:
    return any(isinstance(x, t.Sym) and letter in (x.node, x.edge) for x in t.walk(term))


def edge_softmax(reader: Reader, lhs: t.Sym, rhs: t.Term) -> t.Term:
    """``\\alpha_{i,j} = \\mathrm{softmax}(s_{ij})`` (PyG's TransformerConv), in an equation
    over the edges (i, j), j a neighbour of i: the softmax runs over the neighbours j of each
    node i, as GAT's ``\\mathrm{softmax}_j`` does, so it is read written out,
    ``\\frac{\\exp(s_{ij})}{\\sum_{k \\in \\mathcal{N}(i)} \\exp(s_{ik})}``. A softmax over the
    entries of one edge's value would be 1 for the scalar a graph's attention score is; the
    lowering checks that the score is a scalar (``ReadResult.edge_softmax``) and refuses a
    vector per edge (over its entries or over the neighbours?)."""
    if lhs.node is None or lhs.edge is None:
        for x in t.walk(rhs):
            if isinstance(x, t.NeighbourSum):
                for y in t.walk(x.body):
                    if isinstance(y, t.Apply) and y.fn == "softmax" and mentions(y, x.index):
                        raise reader.error(
                            "a softmax of a value per edge inside a sum over the neighbours: "
                            "over its entries, or over the edges into each node? papermath "
                            "does not guess",
                            y.span,
                            hint=f"define it per edge (\\alpha_{{{x.of}{x.index}}} = ...) and "
                            f"write it out over the neighbours: \\frac{{\\exp(e_{{{x.of}"
                            f"{x.index}}})}}{{\\sum_{{k \\in \\mathcal{{N}}({x.of})}} "
                            f"\\exp(e_{{{x.of}k}})}}",
                        )
        return rhs
    i, j = lhs.node, lhs.edge

    def visit(term: t.Term) -> t.Term:
        if isinstance(term, t.Apply) and term.fn == "softmax" and len(term.args) == 1:
            (x,) = term.args
            if not mentions(x, j):
                return term
            k = j + "'"  # a letter of no source: the neighbours summed over
            hood = reader.out.indices[j].over if j in reader.out.indices else None
            top = t.Apply(term.span, "exp", (x,))
            bottom = t.NeighbourSum(
                term.span, k, i, t.Apply(term.span, "exp", (renamed_node(x, j, k),))
            )
            reader.out.readings[:] = [
                r
                for r in reader.out.readings
                if not (r.reading == "softmax" and term.span.start <= r.span.start < term.span.end)
            ]
            if not rules_pair_hints.pair_softmax(reader, lhs.key, i, j, term.span):
                reader.note(
                    term.span,
                    f"softmax over the neighbours {j} of {i}",
                    f"{lhs.key}_{{{i}{j}}} is a value per edge, and the softmax of its score "
                    f"runs over the neighbours {j} of each node {i} "
                    f"({hood or 'its neighbourhood'}), as GAT's softmax_{j}: exp of the score "
                    f"over the sum of the exps of the scores of every edge into {i} (a softmax "
                    "over one edge's scalar would be 1)",
                )
            reader.out.edge_softmax.append(term.span)
            return t.Div(term.span, top, bottom)
        return t.mapped(term, visit)

    return visit(rhs)


# ---- scale-by-root-size: \sqrt{d} with d declared nowhere ----------------------------------
def undeclared_root_size(reader: Reader, statements: list[ast.Statement]) -> None:
    """``\\frac{(W_3 x_i)^\\top (W_4 x_j)}{\\sqrt{d}}`` (PyG's TransformerConv) with d declared
    nowhere: attention scales its scores by the root of a width (Vaswani et al.'s
    ``\\sqrt{d_k}``, a size), but nothing here says d is one; read as a symbol, d would be a
    learned scalar. Refused at d, with the declaration that settles it. A ``d`` (``d_k``)
    declared as a size, given in dims, or defined by an equation is read as before."""
    for node in iter_nodes(statements):
        if not isinstance(node, ast.Sqrt):
            continue
        body = node.body
        if isinstance(body, ast.Brace) and len(body.items) == 1:
            body = body.items[0]
        parts = reader.symbol(body, quiet=True) if isinstance(body, ast.Letter | ast.Sub) else None
        if parts is None or parts.base != "d" or parts.node or parts.step or parts.edge:
            continue
        if parts.key in reader.size_names or parts.key in reader.known_values:
            continue
        written = reader.source.snippet(body.span)
        raise reader.error(
            f"{written} under a root is declared nowhere: the width of the vectors whose "
            f"products the scores are (a size, as \\sqrt{{d_k}} in attention) or a learned "
            f"scalar? papermath does not guess",
            body.span,
            hint=f"declare the size where a value or a weight has it, e.g. K \\in "
            f"\\mathbb{{R}}^{{m \\times {written}}} (the keys) or W \\in \\mathbb{{R}}^{{{written} "
            "\\times F}, or give it in dims",
        )


def check_edge_softmax(result: ReadResult, term_shapes: dict[int, tuple[str, ...]]) -> None:
    """After shapes: a softmax read over the neighbours (:func:`edge_softmax`) whose score is
    not one number per edge is refused (over the entries of each edge's vector, or over the
    neighbours?). ``term_shapes``: the inferred shape of each term, by ``id``."""
    if not result.edge_softmax:
        return
    for eq in result.equations:
        for x in t.walk(eq.rhs):
            if not (isinstance(x, t.Div) and x.span in result.edge_softmax):
                continue
            if term_shapes.get(id(x.left), ()) != () and isinstance(x.right, t.NodeSum):
                raise ReadingError(  # alpha_{t,i} = softmax(...): read/rules_positions.py
                    "a softmax of a vector per step and position: over its entries, or over "
                    "the positions? papermath does not guess",
                    None,
                    x.span,
                    hint="write it out over the positions, \\frac{\\exp(e_{ti})}{\\sum_{k=1}^{N} "
                    "\\exp(e_{tk})}, with a score that is one number per position",
                )
            if term_shapes.get(id(x.left), ()) != ():
                raise ReadingError(
                    "a softmax of a vector per edge: over its entries, or over the edges into "
                    "each node (the neighbours)? papermath does not guess",
                    None,
                    x.span,
                    hint="write it out over the neighbours, \\frac{\\exp(e_{ij})}{\\sum_{k "
                    "\\in \\mathcal{N}(i)} \\exp(e_{ik})}, or declare the score a scalar",
                )
