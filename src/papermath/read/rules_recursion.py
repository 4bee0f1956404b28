# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``recursion-over-orders``: a sum over the orders k of a value that a
recursion defines, order by order, from its first values (a Chebyshev basis),

    \mathbf{X}^{\prime} = \sum_{k=1}^{K} \mathbf{Z}^{(k)} \cdot \mathbf{\Theta}^{(k)}
    \mathbf{Z}^{(1)} = \mathbf{X}, \quad \mathbf{Z}^{(2)} = \mathbf{\hat{L}} \cdot \mathbf{X}
    \mathbf{Z}^{(k)} = 2 \cdot \mathbf{\hat{L}} \cdot \mathbf{Z}^{(k-1)} - \mathbf{Z}^{(k-2)}

(ChebConv, Defferrard et al. 2016, as PyG's docstring writes it: T_k(\hat L) X computed by the
Chebyshev recursion, one weight \Theta^{(k)} per order).

How papermath reads it: Z^{(k)} is defined at order k from its own values at the orders
before (k-1, k-2): a recursion over k, read as a recurrence over the steps k, Z its state.
The definitions at numbered orders (Z^{(1)}, Z^{(2)}: as many as the recursion reaches back)
are its first values, each a value of its own (keys ``Z_order1``, ``Z_order2``) with the shape
of Z (the recursion's value at every order has one shape). The sum over k = 1..K of what
carries k is the sum over the orders of the recursion (a sum over the steps: its first order
is the first value's); what carries k in parentheses (\Theta^{(k)}) is one per order. All of
this is said in the readings.

Shapes, kinds, explain and diagrams are read; code is generated unrolled, the number of
orders (K) given in dims (ir/recursion.py): the first values as written, each further order
from the ones before it, the sum added term by term, \Theta^{(k)} stored stacked (K, ...). An
upper limit that is not a size (``\sum_{k=1}^{2K}``) is read for its shapes, code refused.

Spektral writes the recursion's left side ``\T^{(k \ge 2)}``: the condition (blanked by
parse/order_conditions.py where the orders below it are defined) must start where the first
values end; the reading says so. A value that carries k beside the sum, outside its body
(``\b^{(k)} + \sum_{k=0}^{K-1} \T^{(k)} \W^{(k)}``), is refused there: which order it is, the
source does not say. Written as the sum's last term (Spektral's ``\sum_{k=0}^{K-1} \T^{(k)}
\W^{(k)} + \b^{(k)}``) it is read for its shapes inside the sum (read/rules_order_bias.py).

Not read here (the refusals of read/reader.py stand): a recursion without its first values,
first values that are not consecutive orders from the sum's first order, or that are fewer
than the orders the recursion reaches back, a sum over other orders than the recursion's, and
the order among other labels (DGL's ``Z^{k, l}``, with the layer l).

Examples (each reads; X N x F)::

    X' = \sum_{k=1}^{K} Z^{(k)} \Theta^{(k)}, Z^{(1)} = X, Z^{(2)} = L X, Z^{(k)} = 2 L Z^{(k-1)} - Z^{(k-2)}, X \in \mathbb{R}^{N \times F}
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.order_conditions import condition_of
from ..source import Span
from . import rules_order_bias
from .syntax import is_symbolish, iter_nodes, size_text

if TYPE_CHECKING:
    from .reader import Reader

CODE_HINT = (
    "a recursion over orders is generated where its sum counts the orders from 0 or 1 to a "
    "size (1..K, 0..K-1, 0..K); this range is read for its shapes only: write it so, or the "
    "sum over the orders unrolled (Z_1 = X, Z_2 = \\hat{L} X, Z_3 = 2 \\hat{L} Z_2 - Z_1, "
    "X' = Z_1 \\Theta_1 + Z_2 \\Theta_2 + Z_3 \\Theta_3), for code"
)


def first_key(key: str, order: int) -> str:
    """The key of the recursion's value at a numbered order (``Z`` at 1 -> ``Z_order1``)."""
    return f"{key}_order{order}"


def _order(node: ast.Node) -> tuple[ast.Node, ast.Node] | None:
    """``Z^{(k)}`` -> (Z, k), ``Z^{(k-1)}`` -> (Z, k-1), ``Z^{(1)}`` -> (Z, 1): a symbol with
    one order in parentheses written up; else None."""
    if not isinstance(node, ast.Sup) or not isinstance(node.script, ast.Paren):
        return None
    if not is_symbolish(node.base):
        return None
    return node.base, node.script.body


def _offset(script: ast.Node, letter: str) -> int | None:
    """``k`` -> 0, ``k-1`` -> -1 (for the letter k); None for anything else."""
    if isinstance(script, ast.Letter) and script.name == letter:
        return 0
    if (
        isinstance(script, ast.BinOp)
        and script.op == "-"
        and isinstance(script.left, ast.Letter)
        and script.left.name == letter
        and isinstance(script.right, ast.Number)
        and script.right.text.isdigit()
    ):
        return -int(script.right.text)
    return None


@dataclasses.dataclass
class _Recursion:
    key: str
    letter: str
    lags: set[int]
    firsts: dict[int, ast.Definition]
    span: Span
    sup: ast.Node | None = None  # the upper limit of the sum over the orders


def _count(first: int, sup: ast.Node | None) -> str | None:
    """How many orders the sum runs over, as a size's text: 1..K is K, 0..K-1 is K, 0..K is
    K + 1; None where the limit is not a size."""
    while isinstance(sup, ast.Brace | ast.ScriptList) and len(sup.items) == 1:
        sup = sup.items[0]
    if sup is None or first not in (0, 1):
        return None  # 2..K: not counted here (the code is refused, the shapes read)
    if first == 0 and isinstance(sup, ast.BinOp) and sup.op == "-":
        if isinstance(sup.right, ast.Number) and sup.right.text == "1":
            return size_text(sup.left)
        return None
    last = size_text(sup)
    if last is None:
        return None
    return last if first == 1 else f"{last} + 1"


def _name(reader: Reader, node: ast.Node) -> str:
    """The symbol as written, spaces dropped (``\\mathbf{Z}``): how the rule matches a
    recursion's values before the reader knows its indices."""
    return "".join(reader.source.snippet(node.span).split())


def _recursions(reader: Reader, statements: list[ast.Statement]) -> list[_Recursion]:
    """Each ``Z^{(k)} = f(Z^{(k-1)}, ...)`` with its first values ``Z^{(1)} = ...``."""
    found: list[_Recursion] = []
    for s in statements:
        if not isinstance(s, ast.Definition) or (got := _order(s.lhs)) is None:
            continue
        base, script = got
        if not isinstance(script, ast.Letter):
            continue
        key, letter = _name(reader, base), script.name
        lags: set[int] = set()
        for n in iter_nodes([s.rhs]):  # type: ignore[list-item]
            inner = _order(n)
            if inner is None or _name(reader, inner[0]) != key:
                continue
            off = _offset(inner[1], letter)
            if off is None or off >= 0:
                return []  # Z^{(k)} from Z^{(k)} or Z^{(2)}: not a recursion read here
            lags.add(-off)
        if not lags:
            continue
        firsts: dict[int, ast.Definition] = {}
        for other in statements:
            if not isinstance(other, ast.Definition) or (at := _order(other.lhs)) is None:
                continue
            if not isinstance(at[1], ast.Number) or not at[1].text.isdigit():
                continue
            if _name(reader, at[0]) == key:
                if int(at[1].text) in firsts:
                    return []  # two definitions of one first value
                firsts[int(at[1].text)] = other
        if not firsts:
            continue
        orders = sorted(firsts)
        if orders != list(range(orders[0], orders[0] + len(orders))) or len(orders) < max(lags):
            continue  # gaps, or fewer first values than the recursion reaches back
        found.append(_Recursion(key, letter, lags, firsts, s.lhs.span))
    return found


def _sum_over(reader: Reader, statements: list[ast.Statement], rec: _Recursion) -> bool:
    """A sum ``\\sum_{k=a}^{b}`` over the recursion's letter whose body reads Z^{(k)}, from
    the first value's order a. What carries k in parentheses beside the sum, outside it
    (Spektral's ``\\sum_k T^{(k)} W^{(k)} + b^{(k)}``), is refused there."""
    for s in statements:
        if isinstance(s, ast.Definition) and _sum_in(reader, [s], rec):
            _outside(reader, s, rec)
            return True
    return False


def _outside(reader: Reader, s: ast.Definition, rec: _Recursion) -> None:
    sums = [n for n in iter_nodes([s.rhs]) if isinstance(n, ast.BigOp)]  # type: ignore[list-item]
    for n in iter_nodes([s.rhs]):  # type: ignore[list-item]
        if not (isinstance(n, ast.Sup) and isinstance(n.script, ast.Paren)):
            continue
        if _offset(n.script.body, rec.letter) is None:
            continue
        if any(b.span.start <= n.span.start and n.span.end <= b.span.end for b in sums):
            continue
        written = " ".join(reader.source.snippet(n.span).split())
        raise reader.error(
            f"{written} carries the order {rec.letter} of the sum over the orders, but is "
            "outside that sum (a sum's body ends at the next + or -): which order it is, the "
            "source does not say",
            n.span,
            hint=f"put it inside the sum's parentheses (\\sum_{{{rec.letter}}} (... + "
            f"{written})): one per order, added at every order; or, if one value is added once "
            f"after the sum, write it without the order: "
            f"{' '.join(reader.source.snippet(n.base.span).split())}",
        )


def _sum_in(reader: Reader, statements: list[ast.Statement], rec: _Recursion) -> bool:
    first = min(rec.firsts)
    for n in iter_nodes(statements):
        if not isinstance(n, ast.BigOp) or not isinstance(n.sub, ast.ScriptEq):
            continue
        sub = n.sub
        if not (isinstance(sub.left, ast.Letter) and sub.left.name == rec.letter):
            continue
        if not (isinstance(sub.right, ast.Number) and sub.right.text == str(first)):
            return False
        if n.sup is None:
            return False
        rec.sup = n.sup
        return any(
            (o := _order(x)) is not None
            and _name(reader, o[0]) == rec.key
            and _offset(o[1], rec.letter) == 0
            for x in iter_nodes([n])  # type: ignore[list-item]
        )
    return False


def recursions(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The first values of each recursion over orders rewritten as values of their own
    (``Z^{(1)}`` -> ``Z_order1``), the recursion's letter registered for its sum; the rest as
    it was."""
    renamed: dict[int, ast.Node] = {}  # id of a first value's left side -> its new name
    read: set[int] = set()  # the spans' starts of the recursions read
    letters = {rec.letter for rec in _recursions(reader, statements)}
    statements = rules_order_bias.absorb(reader, statements, letters)  # \sum_k T W + b^{(k)}
    for rec in _recursions(reader, statements):
        if not _sum_over(reader, statements, rec) or rec.letter in reader.recursion_letters:
            continue
        if not _condition_agrees(reader, rec):
            continue
        read.add(rec.span.start)
        parts = reader.symbol(_order(rec.firsts[min(rec.firsts)].lhs)[0], quiet=True)  # type: ignore[index]
        if parts is None or parts.labels or parts.post:
            continue  # Z_a^{(k)}: a label beside the order is not read here
        rec.key = parts.key
        reader.recursion_letters[rec.letter] = (rec.key, min(rec.firsts))
        count = _count(min(rec.firsts), rec.sup)
        if count is None:  # \sum_{k=1}^{2K}: how many orders, the code cannot say
            reader.out.shapes_only.setdefault(rec.key, (rec.span, CODE_HINT))
        else:  # generated unrolled (ir/recursion.py)
            firsts = {n: first_key(rec.key, n) for n in rec.firsts}
            reader.out.recursions[rec.letter] = (rec.key, min(rec.firsts), count, firsts)
        for order, s in rec.firsts.items():
            got = _order(s.lhs)
            assert got is not None
            name = first_key(rec.key, order)
            renamed[id(s.lhs)] = ast.Sub(
                span=s.lhs.span,
                base=got[0],
                script=ast.Text(span=s.lhs.span, command="mathrm", content=f"order{order}"),
            )
            reader.out.tied_shapes[name] = rec.key
            written = " ".join(reader.source.snippet(s.lhs.span).split())
            reader.note(
                s.lhs.span,
                f"first value of a recursion over {rec.letter}",
                f"{written} is {rec.key} at the order {order}, one of the first values the "
                f"recursion {rec.key}^{{({rec.letter})}} (from its values at "
                + ", ".join(f"{rec.letter}-{lag}" for lag in sorted(rec.lags))
                + f") starts from: read as a value of its own, {name}, with the shape of "
                f"{rec.key}",
            )
    for st in statements:  # T^{(k \ge 2)} blanked (parse/order_conditions.py) but not read
        if isinstance(st, ast.Definition) and st.lhs.span.start not in read:
            written = reader.source.snippet(st.lhs.span)
            if condition_of(written) is not None:
                at = written.index("\\ge")
                raise reader.error(
                    "\\ge inside a superscript: a condition on an order (the equation holds "
                    "for those orders only), read only on a recursion over orders that a sum "
                    "runs over, whose first values are the orders it leaves out",
                    Span(st.lhs.span.start + at, st.lhs.span.start + at + 3),
                    hint="write the index alone (^{(k)}) and say the condition in prose; the "
                    "first values (the cases the condition leaves out) go on their own lines",
                )
    if not renamed:
        return statements
    return [
        dataclasses.replace(s, lhs=renamed[id(s.lhs)])
        if isinstance(s, ast.Definition) and id(s.lhs) in renamed
        else s
        for s in statements
    ]


def _condition_agrees(reader: Reader, rec: _Recursion) -> bool:
    """``T^{(k \\ge 2)}`` on the recursion's left side: the condition must start where the
    first values end (said in the readings); True where none is written."""
    written = reader.source.snippet(rec.span)
    got = condition_of(written)
    if got is None:
        return True
    letter, n = got
    if letter != rec.letter or n != max(rec.firsts) + 1:
        return False
    reader.note(
        rec.span,
        f"the recursion from order {n} on",
        f"{' '.join(written.split())}: the condition {letter} \\ge {n} says the equation holds "
        f"for the orders from {n} on; the orders before it are the first values, on their own "
        "lines",
    )
    return True


def bound(reader: Reader, sub: ast.Node, sup: ast.Node | None) -> bool:
    """``\\sum_{k=1}^{K}`` over the orders of a recursion (``recursions`` found it): k is the
    recursion's step index (its offsets say so); the range is said in the readings."""
    if not (isinstance(sub, ast.ScriptEq) and isinstance(sub.left, ast.Letter)):
        return False
    got = reader.recursion_letters.get(sub.left.name)
    if got is None or sup is None:
        return False
    key, first = got
    reader.note(
        sub.span,
        f"sum over the orders of {key}",
        f"{sub.left.name} = {first}..{' '.join(reader.source.snippet(sup.span).split())} runs over the orders of the recursion "
        f"that defines {key}^{{({sub.left.name})}}, from its first value: a sum over the steps "
        f"{sub.left.name} of that recursion, not over the entries of a vector",
    )
    return True
