r"""Notation rule ``value-per-pair``: a value written with two indices that range over two
sets of vectors, one value per pair, as a capsule network's routing is written (Sabour et al.
2017, eqs. 1-3):

    v_j = \frac{||s_j||^2}{1+||s_j||^2} \frac{s_j}{||s_j||}
    \hat{u}_{j|i} = W_{ij} u_i, \quad s_j = \sum_i c_{ij} \hat{u}_{j|i}
    c_{ij} = \frac{\exp(b_{ij})}{\sum_k \exp(b_{ik})}

i runs over the capsules of the layer below (u_i one vector each), j over the capsules of the
layer above (s_j, v_j one vector each): ``W_{ij}`` is one matrix per pair (i, j),
``\hat{u}_{j|i} = W_{ij} u_i`` one vector per pair (einsum ``ijab,ib->ija``), ``c_{ij}`` one
number per pair, ``\sum_i`` a sum over the capsules below for each j (einsum
``ij,ija->ja``) and ``\sum_k \exp(b_{ik})`` a sum over the capsules above (k in j's place).
The shapes papermath gives are one member's (W is 16 x 8, c a number), as for any value
written with its index (h_v of a graph's nodes).

Read only where the source says the letters pick vectors, not entries: an equation defines a
value per pair (its left side carries both letters, ``\hat{u}_{j|i} = ...``), a sum binds one of
the two letters (``\sum_i``) over a value that carries it with the other, and a value that
carries one of the letters alone is a vector (inside a norm, ``||s_j||``, or declared in a
space of vectors, ``u_i \in \mathbb{R}^8``), so the letters are no entries of a matrix
(``\sum_j U_{i,j} x_j`` stays the matrix product, rules_entries). Code for values per pair is
not generated yet: shapes and the readings only (the lowering refuses with a hint; the source
names no number of members of either set, and none is solved).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import rules_pair_scalars
from .rules_entries import two_indices
from .rules_pair_transposes import transposed
from .rules_position_pairs import said_vectors
from .syntax import is_reals, is_symbolish, iter_nodes, symbols_in

if TYPE_CHECKING:
    from .reader import Reader, SymParts

# the lowering's refusal (shapes_only) for every value read by this rule
NO_CODE_HINT = (
    "code for values per pair of indices (a capsule layer's W_{ij} u_i, c_{ij}) is not "
    "generated yet: papermath reads them for shapes, explain and the readings only"
)


def _pairs(nodes: Iterable[ast.Node]) -> list[tuple[ast.Sub, tuple[str, str]]]:
    """The subscripts of two distinct lowercase letters among ``nodes``: (``c_{ij}``, (i, j))."""
    out = []
    for node in nodes:
        if isinstance(node, ast.Sub):
            pair = two_indices(node.script)
            if pair is not None and pair[0] != pair[1] and pair[0].islower() and pair[1].islower():
                out.append((node, pair))
    return out


def _summed(node: ast.BigOp) -> str | None:
    sub = node.sub
    if node.op == "sum" and isinstance(sub, ast.Letter) and node.sup is None:
        return sub.name
    return None


def _single(node: ast.Node) -> str | None:
    """``s_j`` -> j (a one-letter subscript), else None."""
    if isinstance(node, ast.Sub) and isinstance(node.script, ast.Letter):
        return node.script.name
    return None


def _in_sets(statements: list[ast.Statement]) -> set[str]:
    """The letters of ``j \\in \\mathcal{N}(i)`` anywhere (j and i): a set the source names."""
    out: set[str] = set()
    for node in iter_nodes(statements):
        if isinstance(node, ast.ScriptIn):
            out.update(n.name for n in ast.walk(node) if isinstance(n, ast.Letter))
    return out


def evidence(
    reader: Reader, statements: list[ast.Statement]
) -> tuple[dict[tuple[str, str], str], dict[str, str], dict[str, str]]:
    """What the source says of its letters: the pairs an equation defines (``(i, j)`` -> the
    left side ``c_{ij}``), the letters a value carries alone inside a norm or declared a vector
    (``j`` -> ``||s_j||``), the letters a sum binds over a value per pair (``i`` ->
    ``\\sum_i``). Also read by read/rules_pair_hints.py for the hints of the refusals."""

    def shown(node: ast.Node) -> str:
        return " ".join(reader.source.snippet(node.span).split())

    defined: dict[tuple[str, str], str] = {}  # the pair -> the left side that defines it
    for st in statements:
        if isinstance(st, ast.Definition) and isinstance(st.lhs, ast.Sub):
            pair = two_indices(st.lhs.script)
            if pair is not None and pair[0] != pair[1]:
                defined.setdefault(pair, shown(st.lhs))
    normed: dict[str, str] = {}  # letters on a vector -> the norm: ||s_j||
    for node in iter_nodes(statements):
        if isinstance(node, ast.Norm):
            for inner in ast.walk(node.body):
                if (letter := _single(inner)) is not None:
                    normed.setdefault(letter, shown(node))
    for st in statements:  # u_i \in \mathbb{R}^{8}: a vector per i, declared
        if isinstance(st, ast.Declaration) and isinstance(st.space, ast.Sup):
            if not is_reals(st.space) or shown(st.space.script) in ("1", "{1}"):
                continue
            for target in st.targets:
                if (letter := _single(target)) is not None:
                    normed.setdefault(letter, shown(st))
    for letter, said in said_vectors(reader, statements).items():  # "The output vectors are:"
        normed.setdefault(letter, said)
    for letter, said in transposed(reader, statements).items():  # {\mathbf{k}_j}^\top
        normed.setdefault(letter, said)
    summed: dict[str, str] = {}  # letters bound by a sum over a value per pair -> the sum
    for node in iter_nodes(statements):
        if not isinstance(node, ast.BigOp):
            continue
        letter = _summed(node)
        if letter is not None and any(letter in p for _, p in _pairs(ast.walk(node.body))):
            summed.setdefault(letter, f"\\sum_{letter}")
    return defined, normed, summed


def barred(reader: Reader, statements: list[ast.Statement], pair: tuple[str, str]) -> str | None:
    """The left side ``\\hat{u}_{j|i}`` of a definition whose two letters (either order) are
    ``pair`` and are written with a bar between them (``j|i``), as written; else None."""
    for st in statements:
        if not (isinstance(st, ast.Definition) and isinstance(st.lhs, ast.Sub)):
            continue
        script = st.lhs.script
        if isinstance(script, ast.Brace) and len(script.items) == 1:
            script = script.items[0]
        if not (isinstance(script, ast.ScriptList) and len(script.items) == 2):
            continue
        first, second = script.items
        if not (isinstance(first, ast.Letter) and isinstance(second, ast.Letter)):
            continue
        if {first.name, second.name} != set(pair) or first.name == second.name:
            continue
        between = reader.source.text[first.span.end : second.span.start]
        if between.strip() in ("|", "\\mid", "\\vert"):
            return f"{first.name}|{second.name}"
    return None


def index_sets(reader: Reader, statements: list[ast.Statement]) -> None:
    """Find the letters of values per pair (i and j of ``c_{ij}``; k of ``b_{ik}`` in j's
    place) and add each as a node index over its set; nothing where the rule does not apply."""
    reader.pair_letters = {}
    pairs = _pairs(iter_nodes(statements))
    if not pairs:
        return
    taken = reader.step_letters | set(reader.position_letters) | set(reader.relation_letters)

    defined, normed, summed = evidence(reader, statements)
    # the place each letter has on each base: (base, 0 or 1) -> letters
    places: dict[tuple[str, int], set[str]] = {}
    for node, pair in pairs:
        base = " ".join(reader.source.snippet(node.base.span).split())
        for k, letter in enumerate(pair):
            places.setdefault((base, k), set()).add(letter)
    found: dict[str, str] = {}
    why: dict[str, str] = {}
    for (a, b), lhs in defined.items():
        if {a, b} & taken:
            continue
        if {a, b} & summed.keys() and {a, b} & normed.keys():
            x = next(x for x in (a, b) if x in summed)
            y = next(y for y in (a, b) if y in normed)
            said = (
                f"{lhs} is defined by an equation (one value per pair {a}, {b}), {summed[x]} "
                f"sums over {x}, and {normed[y]} shows what carries {y} alone is a vector, not "
                "an entry"
            )
        elif {a, b} <= normed.keys() and not {a, b} & _in_sets(statements):
            # ||s_j|| and u_i \in \mathbb{R}^8: both sets of vectors (never beside j \in N(i):
            # a graph's nodes and edges, read by their own rules)
            said = (
                f"{lhs} is defined by an equation (one value per pair {a}, {b}), and "
                f"{normed[a]} and {normed[b]} show what carries {a} or {b} alone is a vector, "
                "not an entry"
            )
        elif (
            (bar := barred(reader, statements, (a, b))) is not None
            and {a, b} & normed.keys()
            and not {a, b} & _in_sets(statements)
        ):
            # \hat{u}_{j|i} = ...: "j given i", from capsule i to capsule j, no entry's subscript
            y = next(y for y in (a, b) if y in normed)
            said = (
                f"{lhs} is defined by an equation (one value per pair {a}, {b}), the bar "
                f"of _{{{bar}}} ({bar[0]} given {bar[-1]}: from {bar[-1]} to {bar[0]}, as capsules "
                f"write a prediction) is no subscript of a matrix's entry, and {normed[y]} shows "
                f"what carries {y} alone is a vector"
            )
        else:
            continue
        for letter in (a, b):
            found.setdefault(letter, letter)
            why.setdefault(letter, said)
    bases = [(" ".join(reader.source.snippet(n.base.span).split()), p) for n, p in pairs]
    scalars = rules_pair_scalars.members(reader, statements, bases, summed, taken)
    for letter, said in scalars.items():  # "W_{ij}, z_j and y_i are all scalars"
        found.setdefault(letter, letter)
        why.setdefault(letter, said)
    if not found:
        return
    # k of b_{ik} beside b_{ij}: the same set as j, when a sum binds it
    for (_, _), letters in places.items():
        sets = {found[x] for x in letters if x in found}
        if len(sets) == 1:
            (one,) = sets
            for x in letters:
                if x not in found and x in summed and x not in taken:
                    found[x] = one
                    why[x] = f"{summed[x]} binds it where {one} stands on the same value"
    for letter, owner in found.items():
        span = next(n.script.span for n, p in pairs if letter in p)
        same = "" if owner == letter else f", the same set as {owner} (in its place)"
        reader.add_index(
            letter,
            "node",
            f"it picks one member of a set{same} (values per pair): {why[letter]}",
            span,
            f"{SET_PREFIX}{owner}",
        )
    reader.pair_letters = found


def subscript(reader: Reader, parts: SymParts, script: ast.Node, quiet: bool) -> bool:
    """``c_{ij}``, ``\\hat{u}_{j|i}`` with i and j letters of this rule: one value per pair
    (True); False where the rule does not apply."""
    pair = two_indices(script)
    letters = getattr(reader, "pair_letters", {})
    if pair is None or pair[0] == pair[1] or not all(x in letters for x in pair):
        return False
    if any(reader.index_kind(x) != "node" for x in pair):
        return False
    parts.node, parts.edge = pair
    if not quiet:
        end = script.span.end + (reader.source.text[script.span.end : script.span.end + 1] == "}")
        span = Span(parts.span.start, end)
        reader.out.shapes_only.setdefault(parts.key, (span, NO_CODE_HINT))
        reader.out.per_pair.add(parts.key)
        a, b = pair
        reader.note(
            span,
            f"value per pair ({a}, {b})",
            f"{reader.source.snippet(span)}: one value for each {a} and each {b} (the shape "
            f"given is one pair's; stacked, the sets' sizes come first, as einsum reads "
            f"its indices)",
        )
    return True


# ---- the words explain uses for these sets (explain.py) --------------------------------------
SET_PREFIX = "the members "  # IndexInfo.over of a letter of this rule: "the members i"


def is_pair_set(over: str | None) -> bool:
    return over is not None and over.startswith(SET_PREFIX)


def index_meaning(letter: str, over: str) -> str:
    owner = over[len(SET_PREFIX) :]
    same = "" if owner == letter else f" (the same set as {owner})"
    return (
        f"{letter} picks one member of a set of vectors{same}: what is written with {letter} "
        f"alone is one value per member, with another index one value per pair"
    )


def sum_words(index: str, over: str) -> str:
    return f"sum over the members {index} of the set of {over[len(SET_PREFIX) :]}"


def vectorized(index: str, per: str) -> str:
    return (
        f"stack the body's values per member of {index} (and per member of the other index of "
        f"a pair) as one axis before the entries of one value ({per}); the sum over {index} is "
        f"a sum over that axis (einsum's output leaves {index} out), so the result has the size "
        "of one member's value"
    )


# the words that say an equation is the rule by which a value changes from one pass to the next
_UPDATE_WORDS = re.compile(r"\b(?:updat|iterat)[a-z]*|迭代|更新", re.IGNORECASE)


def _key(reader: Reader, node: ast.Node) -> str | None:
    parts = reader.symbol(node, quiet=True) if is_symbolish(node) else None
    return None if parts is None else parts.key


def _feeds(reader: Reader, statements: list[ast.Statement], key: str, rhs: ast.Node) -> list[str]:
    """The chain of definitions by which ``rhs`` reads ``key`` through other equations (v_j
    from s_j from c_{ij} from b_{ij}: ``[v, s, c]``); [] where it does not."""
    reads: dict[str, set[str]] = {}
    for st in statements:
        if isinstance(st, ast.Definition) and (lhs := _key(reader, st.lhs)) not in (None, key):
            found = {k for n in symbols_in(st.rhs) if (k := _key(reader, n)) is not None}
            reads.setdefault(str(lhs), set()).update(found)
    start = [k for n in symbols_in(rhs) if (k := _key(reader, n)) is not None and k != key]
    paths = [[k] for k in dict.fromkeys(start)]
    seen: set[str] = set()
    while paths:
        path = paths.pop(0)
        if key in reads.get(path[-1], set()):
            return path
        for nxt in sorted(reads.get(path[-1], set()) - seen):
            seen.add(nxt)
            paths.append([*path, nxt])
    return []


def routing_iteration(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Rule ``routing-iteration``: ``b_{ij} \\leftarrow b_{ij} + \\hat{u}_{j|i} \\cdot v_j``
    (or with ``=``), a value per pair of this rule updated from itself, read as one iteration
    of the routing loop: the left side is the value the next iteration starts from (written
    ``b'_{ij}``, key ``b_prime``, of b's shape), the right side's b and every other equation's
    b the value before the update. Only where the source says so: the update's right side is
    computed from b through the other equations (v_j from s_j from c_{ij} from b_{ij}: the
    update can only come after them), or the words call it an update or an iteration
    (更新, 迭代). Elsewhere the refusal (loop_hint) stands."""
    letters = getattr(reader, "pair_letters", {})
    if not letters:
        return statements
    primed = {_key(reader, n.base) for n in iter_nodes(statements) if isinstance(n, ast.Prime)}
    out: list[ast.Statement] = []
    for st in statements:
        if not (isinstance(st, ast.Definition) and isinstance(st.lhs, ast.Sub)):
            out.append(st)
            continue
        pair = two_indices(st.lhs.script)
        key = _key(reader, st.lhs)
        if (
            pair is None
            or pair[0] == pair[1]
            or not all(x in letters for x in pair)
            or key is None
            or key in primed
            or key not in {_key(reader, n) for n in symbols_in(st.rhs)}
        ):
            out.append(st)
            continue
        written = " ".join(reader.source.snippet(st.lhs.span).split())
        chain = _feeds(reader, statements, key, st.rhs)
        words = _UPDATE_WORDS.search(reader.source.text)
        if chain:
            why = (
                f"its right side is computed from {key} through the other equations ("
                + " from ".join([*chain, key])
                + f"), so it runs after them: they read {key} before the update"
            )
        elif words is not None:
            why = (
                f"the source calls it an update or an iteration ('{words.group()}'): the rule "
                f"by which {key} changes from one pass to the next; the other equations read "
                f"{key} before it"
            )
        else:
            out.append(st)
            continue
        base = st.lhs.base
        lhs = dataclasses.replace(st.lhs, base=ast.Prime(base.span, base, 1))
        out.append(dataclasses.replace(st, lhs=lhs, update=False))
        reader.out.tied_shapes[f"{key}_prime"] = key
        reader.note(
            st.lhs.span,
            "one routing iteration (routing-iteration)",
            f"{written} is updated from itself: {why}; read as one iteration of the routing "
            f"loop, the left side the value the next iteration starts from ({key}', of "
            f"{key}'s shape); the loop repeats the equations a number of times",
        )
    return out


def loop_hint(reader: Reader, key: str) -> str | None:
    """The hint of the refusal of ``b_{ij} = b_{ij} + \\hat{u}_{j|i} v_j`` (a value per pair
    updated from itself: routing by agreement's loop); None for any other value."""
    if key not in reader.out.per_pair:
        return None
    return (
        "routing by agreement repeats its equations a number of times (its iterations); "
        "papermath reads such an update as one iteration where the source shows it runs after "
        f"the others (its right side computed from {key} through them) or calls it an update or "
        "an iteration, and neither is so here: give the updated value its own name "
        f"({key}'_{{ij}} = {key}_{{ij}} + ...), or say in words that it is the update"
    )
