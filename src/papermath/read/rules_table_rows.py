# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``table-row``: one vector per value of an index that counts items (the words
of a vocabulary), picked by a particular value of that index: an embedding lookup, ``v_{w_I}``.

What people write (Mikolov et al. 2013, eq. 2, the skip-gram softmax)::

    p(w_O | w_I) = \frac{\exp\left({v'_{w_O}}^\top v_{w_I}\right)}{\sum_{w=1}^{W} \exp\left({v'_w}^\top v_{w_I}\right)}
    v_w \in \mathbb{R}^{d}, v'_w \in \mathbb{R}^{d}

(``v_w`` and ``v'_w`` the input and output vectors of the word w, W the number of words;
``w_I``, ``w_O`` the input and the output word.)

How papermath reads it: a sum ``\sum_{w=1}^{W}`` (or a declaration ``w \in \{1, \dots,
W\}``) binds w to the values 1..W, and the source
writes that same letter with a label in a subscript (``v_{w_I}``, ``v'_{w_O}``): ``w_I`` is one
particular value of w (an integer in 1..W, one per example: an input), so ``v_{w_I}`` is the
member of the family ``v_w`` at that value. A family written ``v_w`` with w over 1..W is a
table of W members, stored as the rows of a W x d matrix (a parameter no equation defines,
as a word's vectors are); the shapes papermath gives are one member's (v is d), as for any
value written with its index (h_v of a graph's nodes). ``v_{w_I}`` is the row at the integer
w_I (the primitive ``gather``: ``V[w_I]``, an embedding lookup; its gradient a scatter-add into
the picked rows). Under the sum, ``{v'_w}^\top u`` (also ``u^\top v'_w``, ``v'_w \cdot u``) is
the dot product of every row with one vector u at once, the vector ``V' u`` of W entries,
and the sum adds up its entries (after ``\exp`` here: the softmax's denominator).

Refused: a member used under the sum in any other way (alone, ``\sum_w v_w``; in a product
with another member), a member outside a sum over its letter or a pick, and ``v_{w_I}`` where
nothing says the values w takes (the hint names the declaration).

Examples (each reads)::

    p(w_O | w_I) = \frac{\exp\left({v'_{w_O}}^\top v_{w_I}\right)}{\sum_{w=1}^{W} \exp\left({v'_w}^\top v_{w_I}\right)}, v_w \in \mathbb{R}^{d}, v'_w \in \mathbb{R}^{d}

    L = \log \sigma({v'_{w_O}}^\top v_{w_I}), v_w \in \mathbb{R}^{d}, v'_w \in \mathbb{R}^{d}, w \in \{1, \dots, W\}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t
from .rules_step_sets import counted
from .syntax import iter_nodes, size_text

if TYPE_CHECKING:
    from .reader import IndexInfo, Reader, SymParts

RULE = "table-row"
KIND = "table"  # the kind of an index that counts the members of a table (reader.IndexInfo)


def _labelled(node: ast.Node) -> str | None:
    """``w_I``, ``w_{O}``: the letter w of a letter with a one-letter uppercase label."""
    if (
        isinstance(node, ast.Sub)
        and isinstance(node.base, ast.Letter)
        and len(node.base.name) == 1
        and node.base.name.islower()
    ):
        script = node.script
        if isinstance(script, ast.Letter) and len(script.name) == 1 and script.name.isupper():
            return node.base.name
    return None


def _picked_letters(statements: list[ast.Statement]) -> set[str]:
    """The letters w of every ``X_{w_I}``: a letter with a label, in a symbol's subscript."""
    out: set[str] = set()
    for node in iter_nodes(statements):
        if isinstance(node, ast.Sub) and (letter := _labelled(node.script)) is not None:
            out.add(letter)
    return out


def bind(reader: Reader, sub: ast.Node, sup: ast.Node | None) -> bool:
    """``\\sum_{w=1}^{W}`` with ``X_{w_I}`` elsewhere: w counts the members of tables (1..W).
    True where it bound the letter."""
    if not (
        isinstance(sub, ast.ScriptEq)
        and isinstance(sub.left, ast.Letter)
        and isinstance(sub.right, ast.Number)
        and sub.right.text == "1"
        and sup is not None
    ):
        return False
    letter = sub.left.name
    if letter not in _picked_letters(reader.statements):
        return False
    size = size_text(sup)
    if size is None:
        return False
    reader.add_index(
        letter,
        KIND,
        f"the sum binds {letter} to 1..{size} and the source picks members by particular "
        f"values of {letter} ({letter} with a label in a subscript): {letter} counts the "
        f"{size} members of a table (rule {RULE})",
        sub.span,
        size=size,
    )
    return True


def declared(reader: Reader, target: ast.Node, space: ast.Node, span: Span) -> bool:
    """``w \\in \\{1, \\dots, W\\}`` with ``X_{w_I}`` elsewhere: w counts the members of
    tables (1..W), as a sum over that range says. True where it bound the letter."""
    if not isinstance(target, ast.Letter) or target.name not in _picked_letters(reader.statements):
        return False
    size = counted(space)
    if size is None:
        return False
    reader.add_index(
        target.name,
        KIND,
        f"it is declared in {{1, ..., {size}}} and the source picks members by particular "
        f"values of {target.name} ({target.name} with a label in a subscript): "
        f"{target.name} counts the {size} members of a table (rule {RULE})",
        span,
        size=size,
    )
    return True


def label_subscript(reader: Reader, parts: SymParts, item: ast.Node, quiet: bool) -> bool:
    """``v_{w_I}``: ``item`` (the subscript) is the table letter w with a label; ``parts`` (v)
    is the member of the table at that value. True where it read it so."""
    letter = _labelled(item)
    info = reader.out.indices.get(letter) if letter is not None else None
    if letter is None or info is None or info.kind != KIND or parts.picked is not None:
        return False
    label = reader.symbol(item, quiet=True)
    if label is None:
        return False
    parts.head, parts.picked = letter, label
    reader.out.role_inputs.setdefault(
        label.key,
        f"one value of {letter} (an integer in 1..{info.size}, one per example) that picks a "
        f"member of a table (rule {RULE})",
    )
    if not quiet:
        picked = reader.source.snippet(item.span)
        reader.out.first_span.setdefault(label.key, item.span)
        reader.note(
            Span(parts.span.start, item.span.end + 1),
            f"the member of {parts.key} at the word {picked}: a row of its table",
            f"{parts.key}_{letter} is one vector per value of {letter} = 1..{info.size} (a "
            f"table of {info.size} rows) and {picked} is one particular value of {letter} "
            f"(an integer input, one per example): {parts.key}_{{{picked}}} is the row at "
            f"{picked}, an embedding lookup (rule {RULE})",
        )
    return True


def hint(reader: Reader, parts: SymParts, item: ast.Node) -> str | None:
    """The hint where ``v_{w_I}`` is refused because nothing says the values w takes."""
    letter = _labelled(item)
    if letter is None or letter in reader.out.indices:
        return None
    picked = reader.source.snippet(item.span)
    return (
        f"if {picked} is one value of {letter} (an integer, as a word of a vocabulary is) that "
        f"picks a row of a table {reader.source.snippet(parts.span)}_{letter}, say how many "
        f"values {letter} takes: "
        f"{letter} \\in \\{{1, \\dots, W\\}}, or a sum \\sum_{{{letter}=1}}^{{W}} over them "
        f"(rule {RULE})"
    )


def row(reader: Reader, member: t.Term, label: t.Term, span: Span) -> t.Term | None:
    """The term for ``v_{w_I}`` where v is a table member (else None: another rule's pick)."""
    if not isinstance(member, t.Sym):
        return None
    info = reader.out.indices.get(member.head or "")
    if info is None or info.kind != KIND:
        return None
    return t.TableRow(span, member, label)


def _member(term: t.Term, letter: str) -> t.Sym | None:
    if isinstance(term, t.Sym) and term.head == letter:
        return term
    return None


def _free(term: t.Term, letter: str) -> list[t.Sym]:
    """The members of tables over ``letter`` in ``term`` that no pick or table holds."""
    if isinstance(term, t.TableRow | t.Table):
        return []
    if (m := _member(term, letter)) is not None:
        return [m]
    return [m for c in t.children(term) for m in _free(c, letter)]


def _rows_times(term: t.Term, letter: str, size: str) -> t.Term:
    """``{X_w}^\\top u``, ``u^\\top X_w``, ``X_w \\cdot u`` -> the table X times u: every
    member's dot product with u at once (a vector over w)."""
    if isinstance(term, t.Product):
        left, right = term.left, term.right
        pairs = []
        if isinstance(left, t.Transpose) and (m := _member(left.body, letter)) is not None:
            pairs.append((m, right))
        if isinstance(left, t.Transpose) and (m := _member(right, letter)) is not None:
            pairs.append((m, left.body))
        if term.written == "cdot":
            if (m := _member(left, letter)) is not None:
                pairs.append((m, right))
            elif (m := _member(right, letter)) is not None:
                pairs.append((m, left))
        for member, other in pairs:
            if not _free(other, letter):
                table = t.Table(member.span, member, size)
                product = t.Product(term.span, "juxt", table, other, term.op_span)
                return t.Elem(term.span, product, letter)  # its entries over w
    return t.mapped(term, lambda x: _rows_times(x, letter, size))


def table_sum(reader: Reader, node: ast.BigOp, info: IndexInfo, body: ast.Node) -> t.Term:
    """``\\sum_{w=1}^{W} f({v'_w}^\\top u)``: the sum of the entries of f(V' u)."""
    letter, size = info.letter, info.size or ""
    read_body = _rows_times(reader.term(body), letter, size)
    stray = _free(read_body, letter)
    if stray or not any(isinstance(x, t.Table) for x in t.walk(read_body)):
        at = stray[0].span if stray else node.span
        raise reader.error(
            f"{reader.source.snippet(at)} is one member of a table of {size} (one per value of "
            f"{letter}) under the sum over {letter}: papermath reads a member there in a dot "
            f"product with one vector ({{v_{letter}}}^\\top u: every row's at once)",
            at,
            hint=f"write the member's dot product with a vector the sum does not index: "
            f"\\sum_{{{letter}=1}}^{{{size}}} \\exp({{v_{letter}}}^\\top u)",
        )
    reader.note(
        node.span,
        f"sum over the {size} members of a table",
        f"the sum runs over {letter} = 1..{size}, the rows of the tables its body picks with "
        f"{letter}; each member's dot product with one vector is every row's at once (the "
        f"table times the vector), and the sum adds up the entries (rule {RULE})",
    )
    return t.IndexSum(node.span, letter, size, read_body)


def stray_members(reader: Reader) -> None:
    """A member of a table (``v_w``) outside a sum over w or a pick: refused where it stands."""
    letters = {i.letter for i in reader.out.indices.values() if i.kind == KIND}
    if not letters:
        return
    for eq in reader.out.equations:
        for letter in letters:
            for x in _free(eq.rhs, letter):
                raise reader.error(
                    f"{reader.source.snippet(x.span)} is one member of a table (one per value "
                    f"of {x.head}), used outside a sum over {x.head}",
                    x.span,
                    hint=f"pick one member with a particular value (v_{{{x.head}_I}}) or sum "
                    f"over {x.head}",
                )
        if eq.lhs.head in letters:
            raise reader.error(
                f"{reader.source.snippet(eq.lhs.span)}: a table's member defined by an equation "
                "is not read yet",
                eq.lhs.span,
            )


__all__ = ["bind", "declared", "hint", "label_subscript", "row", "stray_members", "table_sum"]
