r"""Notation rule ``step-and-position``: a value written with two indices, one a step and one a
position of a sequence that a sum runs over, as Bahdanau et al. (2015, appendix A.1.2) write
the alignment model:

    e_{ij} = v_a^\top \tanh(W_a s_{i-1} + U_a h_j)
    \alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k=1}^{T_x} \exp(e_{ik})}
    c_i = \sum_{j=1}^{T_x} \alpha_{ij} h_j

i carries an offset (``s_{i-1}``): it is the step (the decoder's). j and k are bound by sums
(``\sum_{j=1}^{T_x}``) and written beside the step on one value (``\alpha_{ij}``,
``e_{ik}``): they run over the positions of a sequence (the T_x annotations h_j), not over the
entries of a vector, and not over the examples of a batch. So ``e_{ij}`` is one number per
step i and position j (at each step, a vector over the positions: a column of the T_x x T_y
matrix of entries), ``\sum_{k=1}^{T_x}`` sums over the positions (the softmax's
denominator), and ``\sum_j \alpha_{ij} h_j`` is, at each step, the weights times the stacked
annotations: the matrix product that einsum writes ``ij,jd->id``.

Read only where the other index carries an offset somewhere (a step), the sum that binds the
position letter runs from 1 (``\sum_{j=1}^{T_x}``) or has no limits (``\sum_j``), and the
letter picks one vector of a declared collection (``h_j \in \mathbb{R}^{2n}``) or stands in the
place such a letter has on the same value (k of ``e_{ik}`` beside ``e_{ij}``). A summed letter
beside a step that picks entries (``\sum_{i=1}^{n} z_{t,i} \log y_{t,i}``, no vector declared
per i) is no position, and two indices that are neither a step nor a graph's edge
(``W_{ij}``, ``e_{i,j}`` of two positions) stay refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import rules_attention
from . import terms as t
from .rules_entries import two_indices
from .syntax import iter_nodes, size_text

if TYPE_CHECKING:
    from .reader import Reader, SymParts


def position_letters(reader: Reader, statements: list[ast.Statement]) -> dict[str, str]:
    """letter -> the step letter it is written beside (j -> i of ``\\alpha_{ij}``): the
    letters bound by a sum that a value carries together with a step index, and that pick one
    vector of a declared collection (h_j with ``h_j \\in \\mathbb{R}^{2n}``), or stand in the
    place such a letter has on the same value (k of ``e_{ik}`` beside ``e_{ij}``). A letter
    that picks entries (``z_{t,i}`` with no vector declared per i) is not a position."""
    summed: set[str] = set()
    for node in iter_nodes(statements):
        if isinstance(node, ast.BigOp) and node.op == "sum" and node.sub is not None:
            sub = node.sub
            if isinstance(sub, ast.ScriptEq):
                sub = sub.left
            if isinstance(sub, ast.Letter):
                summed.add(sub.name)
    steps = reader.step_letters
    # (the value's letters as written, the position's place, the step, the position)
    written: list[tuple[str, int, str, str]] = []
    for node in iter_nodes(statements):
        if not isinstance(node, ast.Sub):
            continue
        pair = two_indices(node.script)
        if pair is None or pair[0] == pair[1]:
            continue
        base = " ".join(reader.source.snippet(node.base.span).split())
        for place, (step, position) in enumerate((pair[::-1], pair)):
            if step in steps and position not in steps and position in summed:
                written.append((base, place, step, position))
    vectors = reader.collection_letters | bold_letters(statements)
    found = {p: s for _, _, s, p in written if p in vectors}
    places = {(b, place) for b, place, _, p in written if p in found}
    for b, place, step, position in written:
        if (b, place) in places:
            found.setdefault(position, step)
    return found


BOLD = ("mathbf", "boldsymbol", "bm", "bold", "pmb")


def bold_letters(statements: list[ast.Statement]) -> set[str]:
    """Letters that subscript, alone, a bold lowercase letter (``\\mathbf{x}_i``): the bold
    marks one vector of a collection (x_i the i-th vector; its entries would be the italic
    x_i), as a declaration ``\\mathbf{x}_i \\in \\mathbb{R}^F`` does (Set2Set's
    ``\\mathbf{r}_t = \\sum_{i=1}^N \\alpha_{i,t} \\mathbf{x}_i``; rule
    ``operators.step-and-position``)."""
    found: set[str] = set()
    for node in iter_nodes(statements):
        if not (isinstance(node, ast.Sub) and isinstance(node.script, ast.Letter)):
            continue
        base = node.base
        if (
            isinstance(base, ast.Font)
            and base.font in BOLD
            and isinstance(base.body, ast.Letter)
            and len(base.body.name) == 1
            and base.body.name.islower()
        ):
            found.add(node.script.name)
    return found


def bind(reader: Reader, sub: ast.Node, sup: ast.Node | None) -> bool:
    """``\\sum_{j=1}^{T_x}`` or ``\\sum_j`` over a position letter: j a node index over the
    positions (True); False where this rule does not apply."""
    letter = sub.left if isinstance(sub, ast.ScriptEq) else sub
    if not isinstance(letter, ast.Letter) or letter.name not in reader.position_letters:
        return False
    size = None
    if isinstance(sub, ast.ScriptEq):
        first = sub.right
        if not (isinstance(first, ast.Number) and first.text == "1") or sup is None:
            return False  # refused as any sum over a range is
        size = size_text(sup)
        if size is None:
            return False
    elif sup is not None:
        return False
    step = reader.position_letters[letter.name]
    count = f" ({letter.name} = 1..{size})" if size else ""
    reader.add_index(
        letter.name,
        "node",
        f"it is bound by a sum{count} and written beside the step {step} on one value: it runs "
        "over the positions of a sequence (one number per step and position), not over the "
        "entries of a vector",
        sub.span,
        "the positions",
        size=size,
    )
    return True


def subscript(
    reader: Reader, parts: SymParts, item: ast.Node, pair: list[str], quiet: bool
) -> bool:
    """``\\alpha_{ij}`` with i a step and j a position: the value at step i and position j
    (True); False where the two letters are not a step and a position."""
    if len(pair) != 2:
        return False
    kinds = [reader.index_kind(x) for x in pair]
    if kinds == ["step", "node"]:
        step, position = pair
    elif kinds == ["node", "step"]:
        position, step = pair
    else:
        return False
    info = reader.out.indices[position]
    if info.over != "the positions" or position not in reader.position_letters:
        return False
    parts.step, parts.offset, parts.node = step, 0, position
    if not quiet:
        end = item.span.end + (reader.source.text[item.span.end : item.span.end + 1] == "}")
        reader.note(
            Span(parts.span.start, end),
            f"value per step {step} and position {position}",
            f"{parts.key}_{{{pair[0]}{pair[1]}}}: one number for each step {step} and each "
            f"position {position} of the sequence (at each step a vector over the positions; "
            f"the entry ({pair[0]}, {pair[1]}) of a matrix, read as einsum reads its indices)",
        )
    return True


def position_softmax(reader: Reader, lhs: t.Sym, rhs: t.Term) -> t.Term:
    """``\\alpha_{i,t} = \\mathrm{softmax}(\\mathbf{x}_i \\cdot \\mathbf{q}_t)`` (Set2Set), the
    left side one number per position i and step t: a softmax of one number would be 1, so it
    runs over the positions i at each step t (the only index of the left side that is not the
    step, which is sequential), read written out as ``\\frac{\\exp(s_i)}{\\sum_{i'} \\exp(s_{i'})}``
    (Bahdanau's form, read by this rule). The score must be one number per position
    (``ReadResult.edge_softmax``'s check after shapes refuses a vector: over its entries, or
    over the positions?). Elsewhere the right side is returned unchanged."""
    position = lhs.node
    if (
        position is None
        or lhs.step is None
        or lhs.edge is not None
        or position not in reader.position_letters
        or position not in reader.out.indices
        or reader.out.indices[position].over != "the positions"
    ):
        return rhs
    over = reader.out.indices[position].over or "the positions"

    def visit(term: t.Term) -> t.Term:
        if isinstance(term, t.Apply) and term.fn == "softmax" and len(term.args) == 1:
            (x,) = term.args
            if not rules_attention.mentions(x, position):
                return term
            other = position + "'"  # a letter of no source: the positions summed over
            top = t.Apply(term.span, "exp", (x,))
            bottom = t.NodeSum(
                term.span,
                other,
                over,
                t.Apply(term.span, "exp", (rules_attention.renamed_node(x, position, other),)),
            )
            reader.out.readings[:] = [
                r
                for r in reader.out.readings
                if not (r.reading == "softmax" and term.span.start <= r.span.start < term.span.end)
            ]
            reader.note(
                term.span,
                f"softmax over the positions {position}",
                f"{lhs.key} is one number per position {position} and step {lhs.step}: the "
                f"softmax of its score runs over the positions {position} at each step "
                f"{lhs.step} (a softmax of one number would be 1): exp of the score over the sum "
                f"of the exps of the scores at every position",
            )
            reader.out.edge_softmax.append(term.span)
            return t.Div(term.span, top, bottom)
        return t.mapped(term, visit)

    return visit(rhs)


def entry_hint(reader: Reader, pair: tuple[str, ...] | list[str]) -> str | None:
    """The hint of the refusal of ``\\alpha_{i,t}`` where t is a step and a sum binds i, but
    nothing shows that what i subscripts alone is a vector (DGL's Set2Set writes ``x_i``
    italic, undeclared): the declaration or the bold that makes i a position. None elsewhere."""
    if len(pair) != 2 or pair[0] == pair[1]:
        return None
    steps = [x for x in pair if x in reader.step_letters]
    if len(steps) != 1:
        return None
    step = steps[0]
    position = pair[1] if pair[0] == step else pair[0]
    bound = None
    for node in iter_nodes(reader.statements):
        if isinstance(node, ast.BigOp) and node.op == "sum" and node.sub is not None:
            sub = node.sub.left if isinstance(node.sub, ast.ScriptEq) else node.sub
            if isinstance(sub, ast.Letter) and sub.name == position:
                bound = " ".join(reader.source.snippet(node.span).split()[:1])
                break
    if bound is None:
        return None
    alone = next(
        (
            (reader.source.snippet(node.span), reader.source.snippet(node.base.span))
            for node in iter_nodes(reader.statements)
            if isinstance(node, ast.Sub)
            and isinstance(node.script, ast.Letter)
            and node.script.name == position
            and not (isinstance(node.base, ast.Font) and node.base.font in ("mathcal", "mathscr"))
        ),
        None,
    )
    if alone is None:
        return None
    written, base = alone
    return (
        f"{step} is a step ({step}-1 is written) and {bound} binds {position}: if {position} "
        f"picks one vector of a sequence ({written} a vector), the value is one number per step "
        f"{step} and position {position} and the sum runs over the positions; if {written} is "
        f"an entry, {position} picks entries. Nothing says which: declare {written} \\in "
        f"\\mathbb{{R}}^{{d}} or write it bold (\\mathbf{{{base}}}_{position}), and papermath "
        "reads one number per step and position (read/rules_positions.py)"
    )
