r"""Notation rules for values with two indices over the positions of a sequence (attention's
scores and weights, ``e_{i,j}``, ``a_{i,j}``), read as einsum reads its indices: one number per
pair of positions, the matrix of those numbers written whole where the prose says how.

Rule ``pair-vectors-said``: the words that introduce an equation call its left side vectors,
as CS231n's attention notes do:

    The output vectors are finally calculated as multiplications of the attention matrix and
    the input vectors:

    $$ y_j = \sum_{i} a_{i,j} x_i $$

The subject of the sentence just before the display ("The output vectors are ...", ending
with a colon) names what the display's one equation defines, ``y_j``: one vector per j, so j
picks vectors (members of a set), not the entries of a vector. This is evidence for the rule
``value-per-pair`` (read/rules_pairs.py), as a norm ``||s_j||`` or a declaration
``u_i \in \mathbb{R}^8`` is: with ``\sum_i`` over the value per pair ``a_{i,j}``, i and j are
read as the members of two sets, one number ``a_{i,j}`` per pair. Only the sentence's subject
counts (the words before its first "is" or "are"), and only where the display defines one
value written with one index letter.

Rule ``pair-matrix-whole``: the matrix of values per pair written whole, with a softmax the
prose says runs along its columns or rows (CS231n: "The attention matrix is obtained by
applying the softmax function column-wise to the alignment matrix"):

    \mathbf{a} = \text{softmax}(\mathbf{e})

where ``a_{i,j}`` and ``e_{i,j}`` are values per pair elsewhere: read per pair, as
``a_{i,j} = \mathrm{softmax}_i(e_{i,j})``. "Column-wise" normalises each column, so the softmax
runs over the first letter (the rows, i) for each j; "row-wise" over the second (j) for each i.
Where the prose names neither, the matrix written whole stays refused
(read/rules_pair_hints.py: the hint writes the softmax per pair). Values per pair are read
for shapes, explain and the readings; their code is not generated (read/rules_pairs.py).

Example that reads (one source; y and x vectors of D_x, a and e one number per pair)::

    The alignment scores are: $$ e_{i,j} = \frac{q_j \cdot x_i}{\sqrt{D_x}} $$
    The attention matrix is obtained by applying the softmax function column-wise to the
    alignment matrix. $$ \mathbf{a} = \text{softmax}(\mathbf{e}) $$
    The output vectors are the weighted sums of the input vectors:
    $$ y_j = \sum_{i} a_{i,j} x_i $$

Also here, a refusal's hint: ``w_{t,t'}`` where w is declared a square matrix (labml's AFT,
``w \in \mathbb{R}^{T \times T}`` "a learned matrix of pair-wise position biases") beside rows
``K_{t'}``, ``V_{t'}`` of other matrices: its entry at two positions, which papermath does not
read beside the rows they pair; the hint writes the sum over t' as a matrix product of the
whole matrices (:func:`entry_hint`).

Callable by other rules: :func:`said_vectors` (letters whose values the prose calls vectors)
and :func:`read_whole` (the whole-matrix softmax, per pair).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader

RULE_SAID = "pair-vectors-said"
RULE_WHOLE = "pair-matrix-whole"

# the subject of a sentence: up to three words, then "vectors", then "are" / "is"
_SUBJECT = re.compile(
    r"^(?:the\s+|our\s+|these\s+)?(?:[A-Za-z-]+\s+){0,3}vectors\s+(?:are|is)\b", re.IGNORECASE
)
_AXIS = re.compile(r"\b(column|row)[- ]?wise\b", re.IGNORECASE)


def _before(reader: Reader, statements: list[ast.Statement], k: int) -> str:
    """The text between statement k-1 (or the start) and statement k."""
    text = reader.source.text
    start = statements[k - 1].span.end if k else 0
    return text[start : statements[k].span.start]


def _last_sentence(words: str) -> str:
    words = words.rstrip().removesuffix("$$").removesuffix("\\[").rstrip()
    last = re.split(r"\.\s|\n\s*\n|\$\$|\\\]", words)[-1]
    return " ".join(last.split())


def said_vectors(reader: Reader, statements: list[ast.Statement]) -> dict[str, str]:
    """letter -> the words that call its value vectors: ``y_j`` defined by the display after
    "The output vectors are ...:" gives j (rule ``pair-vectors-said``)."""
    out: dict[str, str] = {}
    for k, st in enumerate(statements):
        if not isinstance(st, ast.Definition) or not isinstance(st.lhs, ast.Sub):
            continue
        if not isinstance(st.lhs.script, ast.Letter):
            continue
        sentence = _last_sentence(_before(reader, statements, k))
        if not sentence.endswith(":") or not _SUBJECT.match(sentence):
            continue
        nxt = statements[k + 1] if k + 1 < len(statements) else None
        if nxt is not None and "$$" not in _before(reader, statements, k + 1):
            continue  # the display defines more than this one value
        lhs = " ".join(reader.source.snippet(st.lhs.span).split())
        words = sentence if len(sentence) <= 60 else sentence[:57] + "..."
        out.setdefault(st.lhs.script.name, f"the words '{words}' before {lhs} = ...")
    return out


def _axis(reader: Reader, eq: t.Equation) -> tuple[str, str] | None:
    """("column", its words) where the prose between the previous statement and this
    equation says the softmax runs column-wise (or row-wise); None where it names neither or
    both."""
    text = reader.source.text
    start = max((s.span.end for s in reader.statements if s.span.end <= eq.span.start), default=0)
    found = list(_AXIS.finditer(text, start, eq.span.start))
    if len({m.group(1).lower() for m in found}) != 1:
        return None
    m = found[-1]
    begin = max(text.rfind(". ", start, m.start()) + 2, text.rfind("\n\n", start, m.start()) + 2)
    stop = text.find(".", m.end(), eq.span.start)
    words = " ".join(text[max(begin, start) : stop if stop >= 0 else eq.span.start].split())
    return m.group(1).lower(), words.removeprefix("$$").removesuffix("$$").strip()


def _pair_of(reader: Reader, key: str) -> tuple[str, str] | None:
    """The letters (i, j) the value per pair ``key`` is written with elsewhere."""
    for eq in reader.out.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if isinstance(x, t.Sym) and x.key == key and x.node and x.edge:
                return x.node, x.edge
    return None


def read_whole(reader: Reader) -> None:
    """Rewrite ``\\mathbf{a} = \\mathrm{softmax}(\\mathbf{e})`` of values per pair, where the
    prose says column-wise or row-wise, as the equation per pair (rule ``pair-matrix-whole``);
    any other equation is left as it is (refused by rules_pair_hints.whole where it applies)."""
    per_pair = reader.out.per_pair
    for n, eq in enumerate(reader.out.equations):
        rhs = eq.rhs
        if eq.lhs.key not in per_pair or eq.lhs.node is not None or eq.lhs.step is not None:
            continue
        if not (isinstance(rhs, t.Apply) and rhs.fn == "softmax" and len(rhs.args) == 1):
            continue
        (arg,) = rhs.args
        if not isinstance(arg, t.Sym) or arg.key not in per_pair or arg.node is not None:
            continue
        pair = _pair_of(reader, eq.lhs.key)
        if pair is None or pair != _pair_of(reader, arg.key):
            continue
        said = _axis(reader, eq)
        if said is None:
            continue
        axis, words = said
        i, j = pair
        over, each = (i, j) if axis == "column" else (j, i)
        lhs = dataclasses.replace(eq.lhs, node=i, edge=j)
        new_arg = dataclasses.replace(arg, node=i, edge=j)
        reader.out.equations[n] = dataclasses.replace(
            eq, lhs=lhs, rhs=dataclasses.replace(rhs, args=(new_arg,))
        )
        declared = {d.key for d in reader.out.declarations}
        for key, sym in ((eq.lhs.key, eq.lhs), (arg.key, arg)):
            if key not in declared:  # the matrix written whole: each value per pair an entry
                reals = ast.Font(sym.span, "mathbb", ast.Letter(sym.span, "R"))
                reader.declare(key, reals, sym.span)
        reader.note(
            eq.span,
            f"softmax of the matrix {arg.key}, {axis}-wise: over {over} for each {each}",
            f"{eq.lhs.key} and {arg.key} are values per pair ({eq.lhs.key}_{{{i}{j}}}) written "
            f"whole here, as the matrices of their values; the prose says the softmax runs "
            f"{axis}-wise ('{words}'): read per pair, {eq.lhs.key}_{{{i}{j}}} = "
            f"softmax over {over} of {arg.key}_{{{i}{j}}} for each {each}; the matrices' values "
            f"per pair are their entries, numbers (rule {RULE_WHOLE})",
        )


def _square(space: ast.Node) -> str | None:
    """``\\mathbb{R}^{T \\times T}`` -> "T" (a square matrix's size as written), else None."""
    if not isinstance(space, ast.Sup):
        return None
    script = space.script
    if isinstance(script, ast.Brace) and len(script.items) == 1:
        script = script.items[0]
    if isinstance(script, ast.BinOp) and script.op == "times":
        a, b = script.left, script.right
        if isinstance(a, ast.Letter) and isinstance(b, ast.Letter) and a.name == b.name:
            return a.name
    return None


def entry_hint(reader: Reader, key: str, items: tuple[ast.Node, ...]) -> str | None:
    """The hint of the refusal of ``w_{t,t'}`` where w is declared a square matrix
    (``w \\in \\mathbb{R}^{T \\times T}``, labml's AFT: pair-wise position biases): the entry
    at two positions, summed beside the rows it pairs; the whole-matrix form reads. None where
    the symbol is no declared square matrix."""
    if len(items) != 2:
        return None
    size = None
    for st in reader.statements:
        if isinstance(st, ast.Declaration) and (n := _square(st.space)) is not None:
            for target in st.targets:
                parts = reader.symbol(target, quiet=True)
                if parts is not None and key in (parts.key, parts.base):
                    size = n
    if size is None:
        return None
    a, b = (reader.source.snippet(i.span) for i in items)
    rows: list[str] = []  # what the source writes with b alone: K_{t'}, V_{t'}
    for node in iter_nodes(reader.statements):
        if isinstance(node, ast.Sub) and reader.source.snippet(node.script.span).strip("{} ") == b:
            parts = reader.symbol(node.base, quiet=True)
            if parts is not None and parts.key != key and parts.key not in rows:
                rows.append(parts.key)
    if not rows:
        return None
    x = rows[0]
    return (
        f"{key} is declared {size} x {size}: {key}_{{{a},{b}}} is its entry at the positions "
        f"{a} and {b}, one number per pair; papermath does not read a matrix's entries beside "
        f"the rows of other matrices they pair with ({x}_{{{b}}}, row {b} of {x}) yet: write "
        f"the sum over {b} with the whole matrices, as a matrix product (\\sum_{{{b}}} "
        f"{key}_{{{a},{b}}} {x}_{{{b}}} is row {a} of {key} {x}; \\sum_{{{b}}} "
        f"\\exp({key}_{{{a},{b}}} + {x}_{{{b}}}) is row {a} of \\exp({key}) \\exp({x})), "
        "with every matrix declared"
    )
