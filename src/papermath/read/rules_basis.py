r"""Notation rule ``basis-decomposition``: a family of matrices built as a weighted sum of a
shared basis, ``W_r = \sum_{b=1}^{B} a_{rb} V_b``.

What people write: R-GCN (Schlichtkrull et al. 2018, eq. 3) ``W_r^{(l)} = \sum_{b=1}^{B}
a_{rb}^{(l)} V_b^{(l)}``, "a linear combination of basis transformations V_b with coefficients
a_{rb} such that only the coefficients depend on r"; DGL's RelGraphConv docstring copies it;
the same with a comma, ``a_{r,b}``, or with the coefficient after the basis, ``V_b a_{rb}``.

How papermath reads it: the sum's letter b runs over the members 1..B of a basis (B as the
upper limit writes it); ``V_b`` (a capital: a matrix) is one parameter per member, stored
stacked (B, ...); ``a_{rb}`` carries b and the letter r of a family the text already reads (an
edge type r under ``\sum_{r \in \mathcal{R}}`` with ``\mathcal{N}_r``, a head i): one per pair
(r, b), stored stacked (R, B, ...). The left side ``W_r`` is then not a parameter but the value
the sum computes, one per member r of the family (what uses ``W_r`` under the sum over r uses
type r's). Unrolled in the code (B terms, r's family unrolled as before). What ``a_{rb}`` is
(a number or a matrix), the sum does not say: the prose must (R-GCN's "coefficients a_{rb}",
parse/coefficient_words.py), else its shape is refused as undecided.

Read only where the sum is the whole right side of an equation whose left side carries the
family letter (``W_r = ...``), from 1 to its upper limit, and its body is the product of the
two (``a_{rb} V_b``, in either order). A symbol with b used outside the sum is refused by the code
(ir/lower.py); a sum over b without a member of the family (``\sum_b a_{rb}``) is another rule's
(an entry sum, refused at the two indices).

Example that reads::

    h_i = \sigma(\sum_{r \in \mathcal{R}} \sum_{j \in \mathcal{N}^r(i)} W_r h_j + W_0 h_i)
    W_r = \sum_{b=1}^{B} a_{rb} V_b, where the coefficients $a_{rb}$ ...
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, cast

from ..parse import ast
from . import terms as t
from .syntax import size_text

if TYPE_CHECKING:
    from .reader import IndexInfo, Reader, SymParts

KIND = "basis"
FAMILY = ("relation", "head")

_OPEN: weakref.WeakKeyDictionary[Reader, set[str]] = weakref.WeakKeyDictionary()


def _open(reader: Reader) -> set[str]:
    return _OPEN.setdefault(reader, set())


def _bare(node: ast.Node) -> ast.Node:
    """``a_{rb}^{(l)}``: the layer's superscript set aside (the subscripted symbol)."""
    while isinstance(node, ast.Sup) and isinstance(node.script, ast.Paren):
        node = node.base
    return node


def _letters(script: ast.Node) -> tuple[str, ...] | None:
    """``b`` -> (b,); ``rb`` / ``r,b`` -> (r, b); anything else None."""
    match script:
        case ast.Letter(name=n):
            return (n,)
        case ast.Juxt(left=ast.Letter(name=x), right=ast.Letter(name=y)):
            return (x, y)
        case ast.ScriptList(items=(ast.Letter(name=x), ast.Letter(name=y))):
            return (x, y)
    return None


def _capital(reader: Reader, base: ast.Node) -> bool:
    """V, \\mathbf{V}: a capital letter (a matrix, by the usual convention)."""
    letters = [x for x in ast.walk(base) if isinstance(x, ast.Letter)]
    return len(letters) == 1 and letters[0].name[:1].isupper() and len(letters[0].name) == 1


def _roles(reader: Reader, body: ast.Node, b: str) -> tuple[str, ast.Node, ast.Node] | None:
    """The family letter r, the coefficient a_{rb} and the member V_b of ``a_{rb} V_b``."""
    if not isinstance(body, ast.Juxt):
        return None
    for coef, member in ((body.left, body.right), (body.right, body.left)):
        c, m = _bare(coef), _bare(member)
        if not (isinstance(c, ast.Sub) and isinstance(m, ast.Sub)):
            continue
        pair, own = _letters(c.script), _letters(m.script)
        if pair is None or len(pair) != 2 or own != (b,) or b not in pair:
            continue
        r = pair[0] if pair[1] == b else pair[1]
        if r == b or reader.index_kind(r) not in FAMILY or not _capital(reader, m.base):
            continue
        return r, coef, member
    return None


def basis_range(reader: Reader, sub: ast.ScriptEq, sup: ast.Node | None) -> bool:
    """``\\sum_{b=1}^{B} a_{rb} V_b`` as the whole right side of ``W_r = ...``: registers b
    as the index of a basis (its size B) and returns True; False otherwise."""
    if not isinstance(sub.left, ast.Letter) or sup is None:
        return False
    if not (isinstance(sub.right, ast.Number) and sub.right.text == "1"):
        return False
    size = size_text(sup)
    if size is None:
        return False
    b = sub.left.name
    for statement in reader.statements:
        if not isinstance(statement, ast.Definition):
            continue
        rhs = statement.rhs
        if not (isinstance(rhs, ast.BigOp) and rhs.op == "sum" and rhs.sub is sub):
            continue
        roles = _roles(reader, rhs.body, b)
        lhs = _bare(statement.lhs)
        if roles is None or not isinstance(lhs, ast.Sub) or _letters(lhs.script) != roles[:1]:
            return False
        r, coef, member = roles
        reader.add_index(
            b,
            KIND,
            f"it is bound by the sum {b} = 1..{size} whose body scales the matrices "
            f"{reader.source.snippet(_bare(member).span)} (one per {b}) by "
            f"{reader.source.snippet(_bare(coef).span)} (one per pair of the family letter {r} "
            f"and {b}): {b} runs over the members of a basis, not the entries of a vector",
            sub.span,
            size=size,
        )
        return True
    return False


def subscript(reader: Reader, parts: SymParts, script: ast.Node, quiet: bool) -> bool:
    """``V_b``, ``a_{rb}``: one per member b of a basis (and per r of the family)."""
    letters = _letters(script)
    if letters is None:
        return False
    kinds = [reader.index_kind(x) for x in letters]
    if KIND not in kinds:
        return False
    b = letters[kinds.index(KIND)]
    if len(letters) == 2:
        r = letters[1 - kinds.index(KIND)]
        if reader.index_kind(r) not in FAMILY:
            return False
        parts.head = r
    parts.basis = b  # outside the sum over b: the code refuses it (ir/lower.py)
    return True


def basis_sum(reader: Reader, node: ast.BigOp, info: IndexInfo, body: ast.Node) -> t.Term:
    """``\\sum_{b=1}^{B} a_{rb} V_b``: the sum over the basis, unrolled in the code."""
    b = info.letter
    _open(reader).add(b)
    try:
        read_body = reader.term(body)
    finally:
        _open(reader).discard(b)
    carried = [x for x in t.walk(read_body) if isinstance(x, t.Sym) and x.basis == b]
    members = sorted({x.key for x in carried if x.head is None})
    pairs = sorted({x.key for x in carried if x.head is not None})
    assert info.size is not None and carried
    reader.note(
        node.span,
        f"sum over the basis {b}",
        f"{b} runs over the {info.size} members of a basis: what carries {b} alone "
        f"({', '.join(members) or 'nothing'}) is one per member, what carries {b} and a family "
        f"letter ({', '.join(pairs) or 'nothing'}) is one per pair; the left side is computed, "
        "one per member of the "
        f"family (not a parameter); unrolled in the code ({info.size} terms, the size given "
        "in dims)",
    )
    return t.BasisSum(node.span, b, info.size, read_body)


def _labelled(node: ast.Node) -> tuple[ast.Sub, str] | None:
    """``W_r^{(l)}``: the subscripted symbol and the label's letter."""
    if (
        isinstance(node, ast.Sup)
        and isinstance(node.script, ast.Paren)
        and isinstance(node.script.body, ast.Letter)
        and isinstance(node.base, ast.Sub)
    ):
        return node.base, node.script.body.name
    return None


def layer_labels(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """R-GCN's ``W_r^{(l)} = \\sum_{b=1}^{B} a_{rb}^{(l)} V_b^{(l)}`` beside ``h^{(l+1)} =
    f(W_r^{(l)} h^{(l)})``: the layer's matrices computed from the layer's own parameters
    only. papermath reads a weight written ``W^{(l)}`` in a recurrence over the layers as one
    parameter shared by every layer; the decomposition is then computed once from the shared
    a and V, so its ``^{(l)}`` (on W wherever it is written, on a and V in the sum) names the
    layer it belongs to, not a value carried from layer to layer. Read without it."""
    names: dict[str, str] = {}  # W -> l
    parts: set[str] = set()  # a, V
    defined = set()
    for s in statements:
        if isinstance(s, ast.Definition):
            lhs = _labelled(s.lhs)
            defined.add(reader.source.snippet((lhs[0] if lhs else _bare(s.lhs)).span))
    for s in statements:
        if not (isinstance(s, ast.Definition) and isinstance(s.rhs, ast.BigOp)):
            continue
        lhs, body = _labelled(s.lhs), s.rhs.body
        if lhs is None or s.rhs.op != "sum" or not isinstance(body, ast.Juxt):
            continue
        sides = [_labelled(body.left), _labelled(body.right)]
        if any(x is None or x[1] != lhs[1] for x in sides):
            continue
        bases = [reader.source.snippet(x[0].base.span) for x in sides if x is not None]
        if any(reader.source.snippet(x[0].span) in defined for x in sides if x is not None):
            continue  # a value the text computes: a step of its own
        names[reader.source.snippet(lhs[0].base.span)] = lhs[1]
        parts.update(bases)
    if not names:
        return statements
    # W written at another label anywhere (W^{(l+1)}): a value per layer, left as it is
    for node in ast.walk(statements):
        if isinstance(node, ast.Sup) and isinstance(node.base, ast.Sub):
            base = reader.source.snippet(node.base.base.span)
            got = _labelled(node)
            if base in names and (got is None or got[1] != names[base]):
                return statements
    label = next(iter(names.values()))

    def strip(node: ast.Node) -> ast.Node:
        got = _labelled(node)
        if got is not None and got[1] == label:
            base = reader.source.snippet(got[0].base.span)
            if base in names or base in parts:
                return ast.map_children(got[0], strip)
        return ast.map_children(node, strip)

    out = [cast("ast.Statement", strip(s)) for s in statements]
    if out != statements:
        reader.note(
            next(s.span for s in statements if isinstance(s, ast.Definition)),
            f"{', '.join(sorted(names))} of the layer",
            f"{', '.join(sorted(names))}^{{({label})}} is computed from the layer's parameters "
            f"({', '.join(sorted(parts))}) only: read, as a weight written with the layer's "
            f"label is, as one value shared by every layer (computed once), not a value "
            f"carried from layer {label} to the next",
        )
    return out
