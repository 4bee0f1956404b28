# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``order-coefficients``: a vector written as the list of its entries, whose
entries are the weights of a sum over the orders,

    p_w(L) = \sum_{i = 0}^d w_i L^i.
    Each polynomial of this form can alternately be represented by its vector of coefficients $w = [w_0, \ldots, w_d]$.

(Distill's "Understanding Convolutions on Graphs", a polynomial filter of the Laplacian L).

What it is: w lists its entries w_0, ..., w_d, the same first and last index as the sum over
the orders i = 0..d whose terms carry w_i: each w_i is one entry of a vector, a number, the
weight of the order i. The line names the stack; it computes nothing.

How papermath reads it: the line is read as the statement that each w_i is a number (what a
``w_i \in \mathbb{R}`` would say, for the key w: one number per order, stored stacked d+1 as
the sum over the orders stores what carries its index, read/rules_orders.py); the readings say
so. Only where a sum over a range of numbers from the list's first index to its last carries
w_i in its body; any other list with dots stays refused (read/reader.py: "declare the vector
whole").

Example (reads; L n x n, x n)::

    y = \sum_{i = 0}^d w_i \cdot (L)^i x, w = [w_0, \ldots, w_d], L \in \mathbb{R}^{n \times n}, x \in \mathbb{R}^{n}
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import size_text

if TYPE_CHECKING:
    from .reader import Reader

RULE = "order-coefficients"


def _alone(node: ast.Node | None) -> ast.Node | None:
    while isinstance(node, ast.Brace | ast.ScriptList) and len(node.items) == 1:
        node = node.items[0]
    return node


def _listed(s: ast.Statement) -> tuple[str, str, str] | None:
    """(w, first, last) for ``w = [w_{first}, \\ldots, w_{last}]``; else None."""
    if not (
        isinstance(s, ast.Definition)
        and isinstance(s.lhs, ast.Letter)
        and isinstance(s.rhs, ast.Bracket)
        and len(s.rhs.items) == 3
        and isinstance(s.rhs.items[1], ast.Dots)
    ):
        return None
    first, last = s.rhs.items[0], s.rhs.items[2]
    if not (isinstance(first, ast.Sub) and isinstance(last, ast.Sub)):
        return None
    name = s.lhs.name
    if not all(isinstance(x.base, ast.Letter) and x.base.name == name for x in (first, last)):
        return None
    a, b = _alone(first.script), _alone(last.script)
    if not isinstance(a, ast.Number) or b is None or (upper := size_text(b)) is None:
        return None
    return name, a.text, upper


def _summed(statements: list[ast.Statement], name: str, first: str, last: str) -> str | None:
    """The letter of a sum ``\\sum_{i=first}^{last}`` whose body carries ``name_i``."""
    for x in ast.walk([(s.rhs, s.claims) for s in statements if isinstance(s, ast.Definition)]):
        if not (isinstance(x, ast.BigOp) and x.op == "sum" and isinstance(x.sub, ast.ScriptEq)):
            continue
        i, start = x.sub.left, x.sub.right
        upper = _alone(x.sup)
        if not (
            isinstance(i, ast.Letter)
            and isinstance(start, ast.Number)
            and start.text == first
            and upper is not None
            and size_text(upper) == last
        ):
            continue
        if any(
            isinstance(y, ast.Sub)
            and isinstance(y.base, ast.Letter)
            and y.base.name == name
            and isinstance(_alone(y.script), ast.Letter)
            and _alone(y.script).name == i.name  # type: ignore[union-attr]
            for y in ast.walk(x.body)
        ):
            return i.name
    return None


def _weight(body: ast.Node, letter: str) -> ast.Sub | None:
    """``w_i`` of ``w_i L^i`` or ``w_i T_i(X)``: a weight carrying the sum's letter, before a
    term of the order i (a power written up, or a function with the subscript i)."""
    if not isinstance(body, ast.Juxt) or not isinstance(body.left, ast.Sub):
        return None
    weight, rest = body.left, body.right
    script = _alone(weight.script)
    if not (
        isinstance(weight.base, ast.Letter)
        and isinstance(script, ast.Letter)
        and script.name == letter
    ):
        return None
    for x in ast.walk(rest):
        scripts = [x.script] if isinstance(x, ast.Sup) else []
        if isinstance(x, ast.Call) and isinstance(x.func, ast.Sub):
            scripts.append(x.func.script)
        if any(
            isinstance(y, ast.Letter) and y.name == letter for z in scripts for y in ast.walk(z)
        ):
            return weight
    return None


def polynomial(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``\\sum_{i=1}^{d} w_i T_i(X)`` after words that call it a polynomial ("polynomial
    filters of the form:"): its weights w_i are a polynomial's coefficients, numbers (a
    declaration of w in the reals, noted); where nothing else declares w."""
    declared = ast.declared_letters(statements)
    added: list[ast.Statement] = []
    for s in statements:
        if not isinstance(s, ast.Definition):
            continue
        before = reader.source.text[max(0, s.span.start - 300) : s.span.start]
        words = re.findall(
            r"[^.:]*\bpolynomials?\b[^.:]*:?\s*(?:(?:<[^>]*>|\$\$|\\\[)\s*)*$", before
        )
        if not words:
            continue
        for x in ast.walk([s.rhs, s.claims]):
            if not (
                isinstance(x, ast.BigOp)
                and x.op == "sum"
                and isinstance(x.sub, ast.ScriptEq)
                and isinstance(x.sub.left, ast.Letter)
            ):
                continue
            weight = _weight(x.body, x.sub.left.name)
            if weight is None or not isinstance(weight.base, ast.Letter):
                continue
            name = weight.base.name
            if name in declared:
                continue
            said = " ".join(re.sub(r"<[^>]*>", " ", words[0]).split())
            reader.note(
                weight.span,
                "the coefficients of a polynomial",
                f"the source calls it a polynomial ('{said}'): the weights "
                f"{name}_{x.sub.left.name} of its terms are its coefficients, numbers (one per "
                "order)",
            )
            reals = ast.Font(weight.span, "mathbb", ast.Letter(weight.span, "R"))
            added.append(ast.Declaration(weight.span, (weight.base,), reals))
            declared.add(name)
    return statements + added


def coefficients(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``w = [w_0, \\ldots, w_d]`` beside ``\\sum_{i=0}^{d} w_i ...``: each w_i a number
    (a declaration of w in the reals, noted); other statements as they are."""
    out: list[ast.Statement] = []
    for s in statements:
        found = _listed(s)
        letter = _summed(statements, *found) if found is not None else None
        if found is None or letter is None:
            out.append(s)
            continue
        assert isinstance(s, ast.Definition)
        name, first, last = found
        reader.note(
            s.span,
            "the coefficients of a sum over the orders",
            f"{name} = [{name}_{first}, ..., {name}_{last}] lists the entries of {name}, the "
            f"same range as the sum over {letter} = {first}..{last} whose terms carry "
            f"{name}_{letter}: each {name}_{letter} is a number (an entry of a vector), the "
            f"weight of the order {letter}; the line names the stack and computes nothing",
        )
        reals = ast.Font(s.rhs.span, "mathbb", ast.Letter(s.rhs.span, "R"))
        out.append(ast.Declaration(s.span, (s.lhs,), reals))
    return out
