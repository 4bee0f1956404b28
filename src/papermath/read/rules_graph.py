"""Notation rule ``degree-normalisation``: GCN's ``\\tilde{D}^{-1/2} \\tilde{A} \\tilde{D}^{-1/2}``
(Kipf & Welling 2017, also ``^{-\\frac{1}{2}}``). D is the degree matrix of A, diagonal with
``D_ii = \\sum_j A_ij``; a diagonal matrix's power is the power of its diagonal, so the product
is A with entry (i, j) divided by ``\\sqrt{d_i d_j}``, d the row sums of A. It is read as that
(lowered to a sum, a power and two products that broadcast: primitives that exist), never as
an elementwise power of a full matrix (whose zeros would become infinities).

D is read so where the source defines it as A's degrees (``\\tilde{D}_{ii} = \\sum_j
\\tilde{A}_{ij}``) or, defining nothing, writes it with A's letter decorations (``\\tilde{D}``
beside ``\\tilde{A}``, ``D`` beside ``A``), the paper's own convention. A matrix whose degrees
are taken is a graph's adjacency: data (an input), not a learned parameter; so is the A of
``\\tilde{A} = A + I_N`` (A with self-loops). Any other power of a matrix stays refused.

The definition of D may write its sum with a lower limit only, counted from 0 (PyTorch
Geometric's GCNConv docstring: ``\\hat{D}_{ii} = \\sum_{j=0} \\hat{A}_{ij}``): j runs over
every column of A, read as ``\\sum_j`` (:func:`open_degree_sums`). A sum elsewhere with no
upper limit stays refused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t
from .rules_entries import two_indices
from .syntax import is_symbolish

if TYPE_CHECKING:
    from .reader import Reader, SymParts


def minus_half(script: ast.Node) -> bool:
    """``-1/2``, ``-\\frac{1}{2}``, ``-{1/2}``."""
    match script:
        case ast.ScriptList(items=(item,)) | ast.Brace(items=(item,)):
            return minus_half(item)
        case ast.Neg(body=body):
            return half(body)
        case ast.BinOp(op="/", left=ast.Neg(body=ast.Number(text="1")), right=ast.Number(text="2")):
            return True
    return False


def half(node: ast.Node) -> bool:
    match node:
        case ast.ScriptList(items=(item,)) | ast.Brace(items=(item,)):
            return half(item)
        case ast.Frac(num=ast.Number(text="1"), den=ast.Number(text="2")):
            return True
        case ast.BinOp(op="/", left=ast.Number(text="1"), right=ast.Number(text="2")):
            return True
    return False


def degree_parts(reader: Reader, node: ast.Node) -> SymParts | None:
    """D of ``D^{-1/2}``: a plain symbol (no index, no step) under the power -1/2."""
    if not (isinstance(node, ast.Sup) and minus_half(node.script)):
        return None
    parts = reader.symbol(node.base, quiet=True)
    if parts is None or parts.post or parts.step or parts.node or parts.element or parts.labels:
        return None
    return parts


def degree_norm(reader: Reader, node: ast.Juxt) -> t.Term | None:
    """``D^{-1/2} A D^{-1/2}`` (the left part of a longer product) as a DegreeNorm, or None."""
    inner = node.left
    if not isinstance(inner, ast.Juxt):
        return None
    prefix = None  # (1-\alpha) \hat D^{-1/2} \hat A \hat D^{-1/2}: a factor before it
    if isinstance(inner.left, ast.Juxt) and degree_parts(reader, inner.left.right) is not None:
        prefix, first_d = inner.left.left, inner.left.right
        inner = ast.Juxt(Span(first_d.span.start, inner.span.end), first_d, inner.right)
        node = ast.Juxt(Span(inner.span.start, node.span.end), inner, node.right)
    first, second = degree_parts(reader, inner.left), degree_parts(reader, node.right)
    if first is None or second is None or first.key != second.key:
        return None
    if not is_symbolish(inner.right):
        return None
    adjacency = reader.symbol(inner.right, quiet=True)
    if adjacency is None or adjacency.post or adjacency.step or adjacency.node:
        return None
    key = first.key
    defined = degree_definition(reader, key)
    if defined is not None and defined != adjacency.key:
        raise reader.error(
            f"{key} is defined as the degrees of {defined}, but normalises {adjacency.key} here",
            node.span,
            hint=f"write {key}^{{-1/2}} {defined} {key}^{{-1/2}} (the matrix whose degrees "
            f"{key} holds), or define {key} from the matrix it normalises: {key}_{{ii}} = "
            f"\\sum_j {reader.source.snippet(inner.right.span).strip()}_{{ij}} (the degrees of "
            f"{adjacency.key})",
        )
    same_look = first.decorations == adjacency.decorations and first.base == "D"
    if defined is None and (key in reader.defined_keys or not same_look):
        return None
    reader.out.degrees[key] = adjacency.key
    reader.out.first_span.setdefault(key, inner.left.span)
    how = (
        f"defined as {adjacency.key}'s degrees"
        if defined is not None
        else f"not defined: the degree matrix of {adjacency.key}, as the letter D with "
        f"{adjacency.key}'s decoration says (GCN's convention)"
    )
    reader.note(
        node.span,
        "degree normalisation",
        f"{key} is diagonal, {how}: {key}_ii = \\sum_j {adjacency.key}_ij; its power -1/2 is "
        f"the power of its diagonal, so {' '.join(reader.source.snippet(node.span).split())} is "
        f"{adjacency.key} with entry (i, j) divided by sqrt(d_i d_j), d the row sums of "
        f"{adjacency.key} (not an elementwise power of a matrix)",
    )
    mark_adjacency(reader, adjacency.key)
    norm = t.DegreeNorm(node.span, reader.term(inner.right), key)
    if prefix is None:
        return norm
    gap = Span(prefix.span.end, node.span.start)
    return t.Product(Span(prefix.span.start, node.span.end), "juxt", reader.term(prefix), norm, gap)


def degree_definition(reader: Reader, key: str) -> str | None:
    """The A of ``D_{ii} = \\sum_j A_{ij}`` (the statement that defines D as A's degrees)."""
    for statement in reader.statements:
        found = degree_statement(reader, statement)
        if found is not None and found[0] == key:
            return found[1]
    return None


def degree_statement(reader: Reader, statement: ast.Statement) -> tuple[str, str] | None:
    """(D, A) where ``statement`` is ``D_{ii} = \\sum_j A_{ij}``; else None."""
    if not isinstance(statement, ast.Definition) or not isinstance(statement.lhs, ast.Sub):
        return None
    pair = two_indices(statement.lhs.script)
    if pair is None or pair[0] != pair[1]:
        return None
    i = pair[0]
    rhs = statement.rhs
    if not (isinstance(rhs, ast.BigOp) and rhs.op == "sum" and isinstance(rhs.sub, ast.Letter)):
        return None
    j = rhs.sub.name
    body = rhs.body
    if not isinstance(body, ast.Sub) or two_indices(body.script) != (i, j):
        return None
    d = reader.symbol(statement.lhs.base, quiet=True)
    a = reader.symbol(body.base, quiet=True)
    if d is None or a is None:
        return None
    return d.key, a.key


def open_degree_sums(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``\\hat{D}_{ii} = \\sum_{j=0} \\hat{A}_{ij}`` (PyG's GCNConv docstring): a sum with a
    lower limit only, in the statement that defines a diagonal D as A's row sums, runs over
    every column j of A (the nodes, counted from 0 or from 1): read as ``\\sum_j``. Only there;
    a sum elsewhere with no upper limit stays refused (its range is not written)."""
    out: list[ast.Statement] = []
    for s in statements:
        rhs = s.rhs if isinstance(s, ast.Definition) else None
        if (
            isinstance(s, ast.Definition)
            and isinstance(rhs, ast.BigOp)
            and rhs.op == "sum"
            and rhs.sup is None
            and isinstance(rhs.sub, ast.ScriptEq)
            and isinstance(rhs.sub.left, ast.Letter)
            and isinstance(rhs.sub.right, ast.Number)
            and rhs.sub.right.text in ("0", "1")
        ):
            opened = replace(rhs, sub=rhs.sub.left)
            candidate = replace(s, rhs=opened)
            found = degree_statement(reader, candidate)
            if found is not None:
                j, first = rhs.sub.left.name, rhs.sub.right.text
                reader.note(
                    rhs.sub.span,
                    "sum over all the columns",
                    f"\\sum_{{{j}={first}}} has no upper limit, in the definition of the "
                    f"diagonal {found[0]} as the row sums of {found[1]}: {j} runs over every "
                    f"column of {found[1]} (its nodes, counted from {first}), as \\sum_{j} does",
                )
                s = ast.keep_attached(candidate, s)
        out.append(s)
    return out


def mark_adjacency(reader: Reader, key: str) -> None:
    """A matrix whose degrees are taken is data; so is the A of ``\\tilde{A} = A + I_N``."""
    if key not in reader.defined_keys:
        reader.out.role_inputs.setdefault(
            key, "a graph's adjacency matrix (its degree matrix is taken)"
        )
        reader.out.adjacency.add(key)
        return
    for statement in reader.statements:
        if not isinstance(statement, ast.Definition):
            continue
        lhs = reader.symbol(statement.lhs, quiet=True)
        rhs = statement.rhs
        if lhs is None or lhs.key != key or not isinstance(rhs, ast.BinOp) or rhs.op != "+":
            continue
        for side, other in ((rhs.left, rhs.right), (rhs.right, rhs.left)):
            parts = reader.symbol(side, quiet=True) if identity_like(other) else None
            if parts is not None and parts.key not in reader.defined_keys:
                reader.out.adjacency.add(parts.key)
                reader.out.role_inputs.setdefault(
                    parts.key,
                    f"a graph's adjacency matrix ({key} is it with self-loops, and the "
                    "degrees of that are taken)",
                )


def identity_like(node: ast.Node) -> bool:
    """``I``, ``I_N``, ``\\mathbf{I}``."""
    match node:
        case ast.Letter(name="I"):
            return True
        case ast.Sub(base=base) | ast.Font(body=base):
            return identity_like(base)
    return False


def unused_degree_statements(reader: Reader) -> None:
    """``D_{ii} = \\sum_j A_{ij}`` is read only as the D of ``D^{-1/2} A D^{-1/2}``."""
    for statement in reader.statements:
        found = degree_statement(reader, statement)
        if found is not None and found[0] not in reader.out.degrees:
            assert isinstance(statement, ast.Definition)
            raise reader.error(
                f"{found[0]} is defined as the degrees of {found[1]} (a diagonal matrix), which "
                f"papermath reads only inside {found[0]}^{{-1/2}} {found[1]} {found[0]}^{{-1/2}}",
                statement.lhs.span,
                hint="a diagonal matrix as a value of its own needs a primitive papermath does "
                "not have yet",
            )
