r"""Notation rule ``pair-refusal-hints``: the refusals of a value written with two indices
(``e_{ij}``, ``W_{ij}``, ``a_{rb}``) say what the source lacks for the reading it most likely
means, instead of one hint for every case. A value with two indices is read where the source
says what its letters are: a value per edge (``j \in \mathcal{N}(i)``, read/rules_attention.py),
a value per pair of two sets of vectors (capsules, read/rules_pairs.py), the entries of a
matrix summed against a vector (``\sum_j U_{i,j} x_j``, read/rules_entries.py). Where it does
not, the refusal stays, and its hint names the construct that is missing or mis-typed:

- ``\Sigma_{j\in N_{i}}`` (DGL's GatedGCNConv): the capital letter Sigma with a subscript, not
  a sum, so nothing binds j to the neighbours of i: write ``\sum_{j \in \mathcal{N}(i)}``.
- ``\hat{u}_{j|i} = W_{ij} u_i`` with ``||s_j||`` but no sum over i and nothing that makes
  ``u_i`` a vector (a capsule experiment log): the letters may pick vectors (one value per pair)
  or a matrix's entries; the hint says which letter has evidence and asks for the declaration
  of the other (``u_i \in \mathbb{R}^{d}``).
- ``z_j = \sum_i W_{ij} x_i`` (a fully connected layer written per neuron): the sum runs over
  W's first index, so the layer is the matrix product ``W^\top x``: write it so.
- ``W_r = \sum_{b=1}^B a_{rb} V_b`` (R-GCN's basis decomposition): a sum over a family of
  matrices V_b, each scaled by one number per (relation, basis): not read yet.
- ``A_{ij} = x_i y_j`` with ``x \in \mathbb{R}^n`` declared whole: x_i is an entry, so A is a
  matrix defined one entry at a time: write it whole (``A = x y^\top``).

Also here: the refusal of a value per pair written whole (``\mathbf{a} =
\text{softmax}(\mathbf{e})`` beside ``y_j = \sum_i a_{i,j} x_i``), and the words of a softmax
of a value per pair whose set the source does not name. Examples (each refused, caret on the
construct):

    norm_{ij}=\Sigma_{j\in N_{i}} \sigma(e_{ij}) + \varepsilon
    z_j = \sum_i W_{ij} x_i
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..parse import ast
from ..source import Span
from . import rules_pairs
from . import terms as t
from .rules_entries import two_indices
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader, SymParts

RULE = "pair-refusal-hints"


def _shown(reader: Reader, node: ast.Node) -> str:
    return " ".join(reader.source.snippet(node.span).split())


def _bound_by(script: ast.Node) -> str | None:
    """``j \\in N_{i}`` or ``j`` under a big operator's subscript: the letter it binds."""
    if isinstance(script, ast.ScriptIn | ast.ScriptEq):
        script = script.left
    return script.name if isinstance(script, ast.Letter) else None


def _hood(reader: Reader, node: ast.Node | None) -> str:
    """``N_{i}``, ``N_i``, ``\\mathcal{N}(i)`` as ``\\mathcal{N}(i)``; anything else as written."""
    if node is None:
        return ""
    inner = node
    while isinstance(inner, ast.Font):
        inner = inner.body
    if (
        isinstance(inner, ast.Sub)
        and isinstance(inner.script, ast.Letter)
        and isinstance(inner.base, ast.Letter | ast.Font)
    ):
        return f"\\mathcal{{N}}({inner.script.name})"
    return _shown(reader, node)


def _capital_sigma(reader: Reader, pair: tuple[str, str]) -> str | None:
    for node in iter_nodes(reader.statements):
        if not (
            isinstance(node, ast.Sub)
            and isinstance(node.base, ast.Letter)
            and node.base.name == "Sigma"
        ):
            continue
        letter = _bound_by(node.script)
        if letter is None or letter not in pair:
            continue
        hood = node.script.right if isinstance(node.script, ast.ScriptIn) else None
        under = f"{letter} \\in {_hood(reader, hood)}" if hood is not None else letter
        edge = ""
        if hood is not None:
            other = pair[0] if pair[1] == letter else pair[1]
            edge = (
                f"; then a value written _{{{other}{letter}}} beside it is one value per edge "
                f"(from {letter} to {other}), as papermath reads \\alpha_{{ij}} beside "
                "\\sum_{j \\in \\mathcal{N}(i)}"
            )
        return (
            f"{_shown(reader, node)} is the capital letter \\Sigma with a subscript, not a sum, "
            f"so nothing binds {letter} here: write the sum as \\sum_{{{under}}}{edge}"
        )
    return None


def sigma_hint(reader: Reader, parts: SymParts, item: ast.Node) -> str | None:
    """``\\Sigma_{j \\in N_{i}}`` refused as a subscript of the letter Sigma: say it is no sum."""
    letter = _bound_by(item)
    if parts.base != "Sigma" or not isinstance(item, ast.ScriptIn) or letter is None:
        return None
    return (
        f"\\Sigma is the capital letter Sigma, not a sum: write the sum as "
        f"\\sum_{{{letter} \\in {_hood(reader, item.right)}}}"
    )


def _first_index_summed(reader: Reader, pair: tuple[str, str]) -> str | None:
    """``\\sum_i W_{ij} x_i``: the sum over W's first index against a vector's entries."""
    for node in iter_nodes(reader.statements):
        if not isinstance(node, ast.BigOp) or node.op != "sum":
            continue
        s = _bound_by(node.sub) if node.sub is not None else None
        body = node.body
        if s is None or s != pair[0] or not isinstance(body, ast.Juxt):
            continue
        if not isinstance(body.left, ast.Sub) or two_indices(body.left.script) != pair:
            continue
        right = body.right
        if not (isinstance(right, ast.Sub) and isinstance(right.script, ast.Letter)):
            continue
        if right.script.name != s:
            continue
        matrix, vector = _shown(reader, body.left.base), _shown(reader, right.base)
        return (
            f"\\sum_{s} {_shown(reader, body)} sums over the first index of {matrix} against "
            f"the entries of {vector}: entry {pair[1]} of the matrix product {matrix}^\\top "
            f"{vector}; write the product whole ({matrix}^\\top {vector}), which papermath "
            f"reads; if {s} and {pair[1]} pick vectors of two sets instead (one matrix "
            f"{matrix}_{{{s}{pair[1]}}} per pair, a capsule layer), declare "
            f"{_shown(reader, right)} \\in \\mathbb{{R}}^{{d}} (read/rules_pairs.py)"
        )
    return None


def _basis(reader: Reader, pair: tuple[str, str]) -> str | None:
    """``\\sum_{b=1}^B a_{rb} V_b``: one number per (family member, b) scaling matrices V_b."""
    kinds = [reader.index_kind(x) for x in pair]
    if "element" not in kinds or not {"relation", "head"} & set(kinds):
        return None
    b = pair[kinds.index("element")]
    for node in iter_nodes(reader.statements):
        if not isinstance(node, ast.BigOp) or node.op != "sum" or node.sub is None:
            continue
        if _bound_by(node.sub) != b:
            continue
        for inner in ast.walk(node.body):
            if (
                isinstance(inner, ast.Sub)
                and isinstance(inner.script, ast.Letter)
                and inner.script.name == b
                and (base := _shown(reader, inner.base))[:1].isupper()
            ):
                return (
                    f"{_shown(reader, node)} sums over a family of matrices ({base}_{b}), each "
                    f"scaled by one number per pair ({pair[0]}, {pair[1]}) (a basis "
                    "decomposition): read only as the whole right side of an equation for "
                    f"the family's member, W_{pair[0]} = \\sum_{{{b}=1}}^{{B}} "
                    f"a_{{{pair[0]}{b}}} {base}_{b}, with {base} a capital (a matrix) and the "
                    f"sum from 1 (read/rules_basis.py); else give each matrix it builds as its "
                    "own parameter (drop the decomposition)"
                )
    return None


def _capsule_evidence(reader: Reader, pair: tuple[str, str]) -> str | None:
    """A value per pair defined, but the evidence of read/rules_pairs.py incomplete."""
    defined, normed, summed = rules_pairs.evidence(reader, reader.statements)
    a, b = pair
    lhs = defined.get((a, b)) or defined.get((b, a))
    if lhs is None:
        return None
    have = [x for x in (a, b) if x in normed]
    missing = [x for x in (a, b) if x not in normed]
    bound = [x for x in (a, b) if x in summed]
    if have and bound:
        return None  # read/rules_pairs.py reads it: something else refuses
    alone: dict[str, str] = {}
    whole: dict[str, str] = {}  # letter -> a vector declared whole that it picks entries of
    declared = {
        _shown(reader, target)
        for st in reader.statements
        if isinstance(st, ast.Declaration)
        for target in st.targets
    }
    for node in iter_nodes(reader.statements):
        if isinstance(node, ast.Sub) and isinstance(node.script, ast.Letter):
            if isinstance(node.base, ast.Font) and node.base.font in ("mathcal", "mathscr"):
                continue  # \mathcal{N}_i: a set (the neighbours of i), never a vector to declare
            alone.setdefault(node.script.name, _shown(reader, node))
            if _shown(reader, node.base) in declared:
                whole.setdefault(node.script.name, _shown(reader, node.base))
    if a in whole or b in whole:
        x = a if a in whole else b
        return (
            f"{lhs} is defined one entry ({a}, {b}) at a time, and {whole[x]} is declared whole, "
            f"so {alone[x]} is its entry {x}: the entries of a matrix defined one at a time are "
            "not read; write the matrix whole (an outer product x y^\\top, a product of "
            "matrices), which papermath reads"
        )
    wanted = [x for x in (bound or missing) if x in alone and x in missing]
    if not wanted:
        return None
    join = " or " if bound else " and "
    asks = join.join(f"{alone[x]} \\in \\mathbb{{R}}^{{d}}" for x in wanted)
    said = (
        f"{', '.join(normed[x] for x in have)} shows what carries {' and '.join(have)} alone is "
        f"a vector, but nothing says the same of {' and '.join(missing)}"
        if have
        else f"{summed[bound[0]]} binds {bound[0]}, but nothing shows that what carries either "
        "letter alone is a vector (a norm ||s_j||, a declaration)"
        if bound
        else "no sum binds either letter, and nothing shows that what carries either letter "
        "alone is a vector (a norm ||s_j||, a declaration)"
    )
    return (
        f"{lhs} is defined one pair ({a}, {b}) at a time: {a} and {b} pick vectors of two sets "
        f"(one value per pair, as a capsule layer's \\hat u_{{j|i}}) or the entries of a "
        f"matrix; {said}: if they pick vectors, declare {asks} (papermath then reads one value "
        "per pair, read/rules_pairs.py); if they are a matrix's entries, write the matrix whole"
    )


def hint(
    reader: Reader, pair: str | tuple[str | None, ...] | list[str] | tuple[ast.Node, ...]
) -> str | None:
    """The hint of the refusal of ``_{ij}`` where this module knows what the source lacks
    (``pair``: the two letters, or the items of the subscript ``{j|i}``)."""
    letters: list[str] = []
    for x in pair:
        if isinstance(x, ast.Letter):
            letters.append(x.name)
        elif isinstance(x, str):
            letters.append(x)
    if len(letters) != 2 or letters[0] == letters[1]:
        return None
    two = (letters[0], letters[1])
    for rule in (_capital_sigma, _capsule_evidence, _first_index_summed, _basis):
        found = rule(reader, two)
        if found is not None:
            return found
    return None


def whole(reader: Reader, eq: t.Equation, x: t.Term) -> ReadingError | None:
    """``\\mathbf{a} = \\text{softmax}(\\mathbf{e})`` where a and e are values per pair
    elsewhere (``a_{i,j}``): the matrix of the values written whole, refused with the form that
    reads (the softmax per pair, over the letter the sum names)."""
    if not isinstance(x, t.Sym) or x.key not in reader.out.per_pair or x.node is not None:
        return None
    i, j = "i", "j"
    for n in iter_nodes(reader.statements):
        if isinstance(n, ast.Sub) and (p := two_indices(n.script)) is not None:
            parts = reader.symbol(n, quiet=True)
            if parts is not None and parts.key == x.key:
                i, j = p
                break
    arg = None
    if isinstance(eq.rhs, t.Apply) and eq.rhs.fn == "softmax" and len(eq.rhs.args) == 1:
        (only,) = eq.rhs.args
        arg = only.key if isinstance(only, t.Sym) else None
    fix = (
        f"{eq.lhs.key}_{{{i}{j}}} = \\frac{{\\exp({arg}_{{{i}{j}}})}}{{\\sum_k "
        f"\\exp({arg}_{{k{j}}})}} (a softmax over {i}, the first letter) or the same with "
        f"\\sum_k \\exp({arg}_{{{i}k}}) (over {j})"
        if arg is not None
        else f"{x.key}_{{{i}{j}}} = ..."
    )
    return reader.error(
        f"{x.key} is a value per pair elsewhere ({x.key}_{{{i}{j}}}), and here it is written "
        "whole, as the matrix of its values: a function of that whole matrix (a softmax along "
        "one of its letters) is not read yet",
        x.span,
        hint=f"write the equation per pair, with the sum that names the set: {fix}",
    )


def pair_softmax(reader: Reader, key: str, i: str, j: str, span: Span) -> bool:
    """Say the reading of ``c_{ij} = \\mathrm{softmax}(b_{ij})`` where c is a value per pair of
    two sets' members (read/rules_pairs.py), not per edge of a graph (True); False for any other
    value (read/rules_attention.py says the edge's words)."""
    if key not in reader.out.per_pair:
        return False
    reader.note(
        span,
        f"softmax over the members {j} for each {i}",
        f"{key}_{{{i}{j}}} is a value per pair, and a softmax of one pair's number runs over "
        f"one of its letters: read over the second, {j}, for each {i} (as softmax_{j}; a "
        f"capsule layer's coupling c_{{ij}} runs over the capsules above); the source does not "
        "name the set, which changes no shape (code for values per pair is not generated)",
    )
    return True
