# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``sum-of-powers``: a sum over the orders k of a matrix raised to the power k,

    H = \sum_{k=0}^{K} (D^{-1/2} A D^{-1/2})^{k} X \Theta_k

(TAGConv, Du et al. 2017, as DGL's docstring writes it: one hop per order, one weight per hop).
k is written up as the whole exponent of a parenthesized matrix, so each term is the k-th
power of that matrix, not an entry of a vector: papermath reads k as an order, running over
the numbers the range says (0..K is K+1 orders, 0..K-1 and 1..K are K), and unrolls the sum
in the generated code (K given in dims): the k-th power is the matrix multiplied by itself k
times (the 0-th the identity: ``(\hat A)^0 X`` is X). What carries k as a subscript
(``\Theta_k``) is one per order, stored stacked. The readings say so.

The powers of a number read the same way (issue 24): ``\beta^{k}`` with k the whole exponent
of a lowercase Greek letter (a number by convention, as read/syntax.py's letter conventions
say; a geometric series, d2l's ``\sum_{i=0}^{t-1} \beta^i``), or ``(a)^{k}`` of a declared
number: the k-th power is the number to the power k (the 0-th is 1), a weight per order beside a
matrix power (``\Theta_k``) stored stacked, the sum unrolled as before. Where a number's are the sum's
only powers, a value carrying k as a subscript (``\gamma^k r_k``) is refused at it: the k-th
entry of r (a discounted sum) or one r per order, the source does not say. A matrix written without
parentheses, ``L^{k}``, is read as its k-th power where the source writes that very symbol to
a number in a right side elsewhere (Distill's ``w_0 I_n + w_1 L + w_2 L^2 + \ldots =
\sum_{i=0}^d w_i L^i``: ``L^2`` is a power, so is ``L^i``); the readings quote which.

Refused as before (read/rules_sums.py): an order written up anywhere else (``W^{k,l}``,
``Z^{(k)}``: a Chebyshev recursion, whose terms come from the previous two; ``A^{k}`` without
parentheses and with no power of A written elsewhere, where k could as well be a label of A;
the powers of each entry of a vector), and a range that starts elsewhere than 0 or 1.

Examples (each reads; X N x F, A N x N)::

    H = \sum_{k=0}^{K} (D^{-1/2} A D^{-1/2})^{k} X \Theta_k, X \in \mathbb{R}^{N \times F}, H \in \mathbb{R}^{N \times G}
    Y = \sum_{k=1}^{K} (S)^{k} X W_k, S \in \mathbb{R}^{N \times N}, X \in \mathbb{R}^{N \times F}, Y \in \mathbb{R}^{N \times G}
    s = \sum_{i=0}^{K-1} \beta^i
    H = \sum_{k=0}^{K} \beta^k \cdot (S)^{k} X \Theta_k, S \in \mathbb{R}^{N \times N}, X \in \mathbb{R}^{N \times F}, H \in \mathbb{R}^{N \times G}

Refused at the value (the index used as a number, or one value per order?)::

    G = \sum_{k=0}^{K} \gamma^k r_k
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..letters import GREEK_LOWER
from ..parse import ast
from ..source import Span
from . import terms as t
from .syntax import size_text

if TYPE_CHECKING:
    from .reader import IndexInfo, Reader, SymParts


def _alone(node: ast.Node) -> ast.Node:
    """``{k}`` -> ``k`` (braces and one-item script lists peeled)."""
    while isinstance(node, ast.Brace | ast.ScriptList) and len(node.items) == 1:
        node = node.items[0]
    return node


def order_exponent(node: ast.Node, letter: str) -> bool:
    """``(...)^{k}``: a parenthesized value to the power of the letter k alone."""
    if not isinstance(node, ast.Sup) or not isinstance(node.base, ast.Paren):
        return False
    script = _alone(node.script)
    return isinstance(script, ast.Letter) and script.name == letter


def _plain_symbol(node: ast.Node) -> bool:
    """``L``, ``\\beta``, ``\\hat{A}``, ``\\mathbf{S}``: one letter, perhaps decorated, no scripts."""
    while isinstance(node, ast.Decorated):
        node = node.body
    return isinstance(node, ast.Letter)


def _words(reader: Reader, node: ast.Node) -> str:
    return " ".join(reader.source.snippet(node.span).split())


def order_shift(script: ast.Node, letter: str) -> int | None:
    """The exponent ``k`` (0), ``k-1`` (-1), ``k+2`` (2): the order letter alone or plus or
    minus a whole number; None for any other exponent."""
    script = _alone(script)
    if isinstance(script, ast.Letter):
        return 0 if script.name == letter else None
    if (
        isinstance(script, ast.BinOp)
        and script.op in ("+", "-")
        and isinstance(script.left, ast.Letter)
        and script.left.name == letter
        and isinstance(script.right, ast.Number)
        and script.right.text.isdigit()
    ):
        return int(script.right.text) * (1 if script.op == "+" else -1)
    return None


def bare_power(reader: Reader, node: ast.Sup, letter: str) -> str | None:
    """``\\beta^{i}`` or ``L^{i}`` (no parentheses) with i the summed letter alone as the
    exponent: why it is a power (the reading says it), or None where it may be a label.
    A lowercase Greek letter is a number by convention (``\\beta^i``: a geometric series); a
    matrix is raised to the order where the source writes that very symbol to a number
    elsewhere (``w_2 L^2`` beside ``\\sum_{i=0}^{d} w_i L^i``: powers, not labels)."""
    shift = order_shift(node.script, letter)
    if shift is None or not _plain_symbol(node.base):
        return None
    base = _words(reader, node.base)
    if _number(node.base):
        return f"{base} is a lowercase Greek letter, a number by convention: its powers"
    if shift != 0:
        return None  # L^{k-1}: a matrix's power is read with the order alone as its exponent
    rights = [(s.rhs, s.claims) for s in reader.statements if isinstance(s, ast.Definition)]
    for x in ast.walk(rights):  # a right side (a chain's too): L^{2} = ... names another symbol
        if (
            isinstance(x, ast.Sup)
            and x is not node
            and _words(reader, x.base) == base
            and isinstance(power := _alone(x.script), ast.Number)
            and power.text.isdigit()
            and int(power.text) >= 2
        ):
            return (
                f"{base} is written to a power elsewhere ({_words(reader, x)}), so "
                f"{base}^{letter} is its {letter}-th power, not a label"
            )
    return None


def _number(node: ast.Node) -> bool:
    """``\\beta``: a lowercase Greek letter, a number by convention."""
    return isinstance(node, ast.Letter) and node.name in GREEK_LOWER


def entries_of_numbers(reader: Reader, letter: str, up: ast.Sup) -> None:
    """``\\sum_{k=0}^{K} \\gamma^k r_k``: where the sum's only powers are a number's, a value
    carrying k as a subscript is the k-th entry of a vector (a discounted sum, the index used
    as a number) or one value per order: the source does not say which, and papermath reads
    an index as a number nowhere else; refused at it."""
    numbers = {
        _words(reader, name)
        for s in reader.statements
        if isinstance(s, ast.Declaration) and _reals(s.space)
        for name in s.targets
    }
    rights = [s.rhs for s in reader.statements if isinstance(s, ast.Definition)]
    lefts = [s.lhs for s in reader.statements if isinstance(s, ast.Definition)]
    family = {  # p_{i}(\xi) = \xi^{i-1}: a function the source defines, one per order
        _words(reader, f.base)
        for left in lefts
        if isinstance(f := left.func if isinstance(left, ast.Call) else left, ast.Sub)
    }
    called = {id(x.func) for x in ast.walk(rights) if isinstance(x, ast.Call)}
    for x in ast.walk(rights):
        if isinstance(x, ast.Sub) and any(
            isinstance(y, ast.Letter) and y.name == letter for y in ast.walk(x.script)
        ):
            base = _words(reader, x.base)
            if base in numbers or (id(x) in called and base in family):
                continue  # w \in \mathbb{R} (a polynomial's coefficients): one number per order
            written = _words(reader, x)
            if letter not in _words(reader, x.script):  # w_{n} of w_1 + \cdots + w_n: at i
                written += f" (the term at {letter} of the sum written out with dots)"
            raise reader.error(
                f"{written} carries {letter}, the order of the powers "
                f"{_words(reader, up)} of a number: the {letter}-th entry of {base} (the "
                f"index used as a number, as in a discounted sum) or one {base} per order? "
                "papermath does not read an index as a number",
                x.span,
                hint="write the sum in closed form; a weight per order is read beside the "
                "powers of a matrix (\\sum_{k=0}^{K} \\beta^{k} \\cdot (S)^{k} X \\Theta_k)",
            )


def _reals(space: ast.Node) -> bool:
    """``\\mathbb{R}``: the numbers (no exponent)."""
    return (
        isinstance(space, ast.Font)
        and space.font == "mathbb"
        and isinstance(space.body, ast.Letter)
        and space.body.name == "R"
    )


_CHEBYSHEV = (
    r"\$\s*{name}\s*_\s*\{{?\s*{letter}\s*\}}?\s*\$\s*(?:is|denotes)\s+the\s+"
    r"(?:degree-?\s*\$?\s*{letter}\s*\$?\s+)?(?:<[^>]*>\s*)?Chebyshev\s+polynomial"
)


def chebyshev_said(reader: Reader, node: ast.Node, letter: str) -> str | None:
    """``T_i(X)`` where the prose says "$T_i$ is the degree-$i$ Chebyshev polynomial" (Distill's
    ChebNet): the words, or None."""
    if not (
        isinstance(node, ast.Call)
        and len(node.args) == 1
        and isinstance(node.func, ast.Sub)
        and isinstance(node.func.base, ast.Letter)
        and isinstance(script := _alone(node.func.script), ast.Letter)
        and script.name == letter
    ):
        return None
    pattern = _CHEBYSHEV.format(name=re.escape(node.func.base.name), letter=re.escape(letter))
    m = re.search(pattern, reader.source.text, re.IGNORECASE)
    return None if m is None else " ".join(re.sub(r"<[^>]*>", "", m.group(0)).split())


def order_range(reader: Reader, sub: ast.ScriptEq, sup: ast.Node | None) -> bool:
    """``\\sum_{k=0}^{K}`` whose k is written up only as the whole exponent of a
    parenthesized matrix (``(\\hat A)^{k}``): k counts orders. Registers k as an order index
    (its size the number of orders: K+1 for 0..K) and returns True; False where the sum is
    not such a sum (the refusals of read/rules_sums.py stand)."""
    if not isinstance(sub.left, ast.Letter) or sup is None:
        return False
    k = sub.left.name
    first = sub.right
    if not (isinstance(first, ast.Number) and first.text in ("0", "1")):
        return False
    upper = _alone(sup)
    start = int(first.text)
    last = size_text(upper)
    count = f"{last} + 1" if start == 0 else last  # 0..K: K+1 orders; 1..K: K
    if (
        start == 0
        and isinstance(upper, ast.BinOp)
        and upper.op == "-"
        and isinstance(upper.right, ast.Number)
        and upper.right.text == "1"
    ):
        count = size_text(upper.left)  # 0..K-1: K orders
        last = f"{count}-1"
    if last is None or count is None:
        return False
    ups = [
        x
        for x in ast.walk(reader.statements)
        if isinstance(x, ast.Sup)
        and any(isinstance(y, ast.Letter) and y.name == k for y in ast.walk(x.script))
    ]
    bare = [x for x in ups if not order_exponent(x, k)]
    whys = [bare_power(reader, x, k) for x in bare]
    chebs = [x for x in ast.walk(reader.statements) if chebyshev_said(reader, x, k)]
    if not (ups or chebs) or None in whys:
        return False
    if any(start + (order_shift(x.script, k) or 0) < 0 for x in bare):
        return False  # \beta^{k-1} from k = 0: a negative power at the first order
    why = "".join(f"; {w}" for w in dict.fromkeys(w for w in whys if w))
    if ups and len(bare) == len(ups) and all(_number(x.base) for x in bare) and not chebs:
        entries_of_numbers(reader, k, ups[0])  # \gamma^k r_k: r_k an entry? refused
    if chebs:
        said = chebyshev_said(reader, chebs[0], k)
        why += f"; {_words(reader, chebs[0])} is the degree-{k} Chebyshev polynomial of its matrix, as the source says ('{said}')"
    first_use = ups[0] if ups else chebs[0]
    reader.add_index(
        k,
        "order",
        f"it is bound by the sum {k} = {start}..{last} and written up only as an exponent or "
        f"a degree ({' '.join(reader.source.snippet(first_use.span).split())}): each term is "
        f"the {k}-th power (or polynomial) of a matrix or a number's power, not an entry of a "
        f"vector{why}",
        sub.span,
        size=count,
    )
    reader.order_starts[k] = start
    for statement in reader.statements:  # H^{K} = \sum_{k=0}^{K} ...: K names the extent
        if not isinstance(statement, ast.Definition):
            continue
        lhs = statement.lhs
        if (
            isinstance(lhs, ast.Sup)
            and any(x is sub for x in ast.walk(statement.rhs))
            and size_text(_alone(lhs.script)) == size_text(upper)
            and (base := reader.symbol(lhs.base, quiet=True)) is not None
        ):
            reader.order_extents[base.key] = size_text(upper) or ""
    return True


def extent_label(reader: Reader, key: str, label: str, span: Span, quiet: bool) -> bool:
    """``H^{K}`` where H is defined by a sum over the orders 0..K (``H^{K} = \\sum_{k=0}^{K}
    ...``, DGL's TAGConv): K names the sum's extent (H after K hops), not another symbol H_K:
    read as H (True; said in the readings)."""
    if reader.order_extents.get(key) != label:
        return False
    if not quiet:
        reader.note(
            span,
            f"{key}^{{{label}}} is {key}",
            f"the superscript {label} is the number of hops of the sum over the orders that "
            f"defines {key} ({key}^{{{label}}} = \\sum_{{k=0}}^{{{label}}} ...): it names the "
            f"sum's extent, not a second symbol {key}_{label}",
        )
    return True


def order_sum(reader: Reader, node: ast.BigOp, info: IndexInfo, body: ast.Node) -> t.Term:
    """``\\sum_{k=0}^{K} (\\hat A)^{k} X \\Theta_k``: the sum over the orders, unrolled."""
    k = info.letter
    reader.orders_open.add(k)
    try:
        read_body = reader.term(body)
    finally:
        reader.orders_open.discard(k)
    if not any(isinstance(x, t.OrderPower) and x.index == k for x in t.walk(read_body)):
        raise reader.error(
            f"nothing in this sum is a power of the order {k}",
            node.span,
            hint=f"\\sum_{{{k}=0}}^{{K}} (\\hat{{A}})^{{{k}}} X \\Theta_{k}",
        )
    start = reader.order_starts[k]
    assert info.size is not None
    reader.note(
        balanced(reader, node.span),
        f"sum over the orders {k}",
        f"{k} runs over the orders {start}, {start + 1}, ... ({info.size} of them): each term "
        f"holds the {k}-th power of a matrix (the 0-th is the identity) or of a number (the "
        f"0-th is 1); what carries {k} as a "
        f"subscript is one per order; unrolled in the code ({info.size} terms, the size given "
        "in dims)",
    )
    return t.OrderSum(balanced(reader, node.span), k, start, info.size, read_body)


def inside_the_sum(reader: Reader, parts: SymParts, item: ast.Node) -> None:
    """``\\Theta_k`` read outside the sum over the orders k (``\\sum_{k=0}^{K} ... + b_k``:
    the sum's body ends at the +): which order it is, the source does not say; refused."""
    assert isinstance(item, ast.Letter)
    if item.name in reader.orders_open:
        return
    raise reader.error(
        f"{parts.key}_{item.name} carries the order {item.name} of a sum over orders, but is "
        f"outside that sum (a sum's body ends at the next + or -): which order it is, the "
        "source does not say",
        Span(parts.span.start, item.span.end),
        hint=f"put it inside the sum's parentheses (\\sum_{{{item.name}=0}}^{{K}} (... + "
        f"{parts.key}_{item.name})), or write it without {item.name} if there is one",
    )


def balanced(reader: Reader, span: Span) -> Span:
    """``span`` widened back to the ``{`` of a braced operator (``{\\sum}_{k=0}^K ...``,
    DGL's TAGConv), so that what the reading quotes has its braces matched."""
    text = reader.source.snippet(span)
    start = span.start
    missing = text.count("}") - text.count("{")
    while missing > 0 and start > 0:
        start -= 1
        missing -= reader.source.text[start] == "{"
    return Span(start, span.end)


def order_power(reader: Reader, node: ast.Sup | ast.Call) -> t.Term | None:
    """``(\\hat A)^{k}`` with k an order index: the k-th power of the matrix (a square one);
    None for any other power."""
    if isinstance(node, ast.Call):  # T_k(X), the source's degree-k Chebyshev polynomial
        func = node.func
        letter = _alone(func.script) if isinstance(func, ast.Sub) else None
        info = reader.out.indices.get(letter.name) if isinstance(letter, ast.Letter) else None
        if info is None or info.kind != "order" or not chebyshev_said(reader, node, info.letter):
            return None
        return t.OrderPower(node.span, reader.term(node.args[0]), info.letter, chebyshev=True)
    script = _alone(node.script)
    letter = script.left if isinstance(script, ast.BinOp) else script
    if not isinstance(letter, ast.Letter):
        return None
    if not (isinstance(node.base, ast.Paren) or _plain_symbol(node.base)):
        return None
    info = reader.out.indices.get(letter.name)
    shift = order_shift(script, letter.name)
    if info is None or info.kind != "order" or shift is None:
        return None
    if shift != 0 and not _number(node.base):
        return None  # (\hat A)^{k-1}: a matrix's power with the order alone only
    return t.OrderPower(
        node.span, reader.term(node.base), letter.name, _number(node.base), shift=shift
    )
