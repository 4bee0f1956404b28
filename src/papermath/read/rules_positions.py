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
    found = {p: s for _, _, s, p in written if p in reader.collection_letters}
    places = {(b, place) for b, place, _, p in written if p in found}
    for b, place, step, position in written:
        if (b, place) in places:
            found.setdefault(position, step)
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
