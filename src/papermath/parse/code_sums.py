r"""Notation rule ``code-sums``: a sum written inside a formula written as code, as LaTeX's
``\sum`` or as ``sum_i``, and absolute value bars (the Torch nn docs' ```lua blocks).

What people write (Torch7's ``doc/criterion.md``)::

    ```lua
    loss(x, y)  = 1/n \sum |x_i - y_i|
    loss(x, target) = 1/n \sum(target_i * (log(target_i) - x_i))
    loss(o, t) = - 1/n sum_i (t[i] * log(o[i]) + (1 - t[i]) * log(1 - o[i]))
    ```

How papermath reads it: the line is code with one LaTeX command, ``\sum`` (``sum_i``: the
same, typed without the backslash), a sum over what follows up to the next ``+`` or ``-``
(as LaTeX's sum takes the product after it). Its index is the one written (``\sum_j``,
``sum_i``) or, where none is, the one letter the body indexes its names with (``x_i``,
``t[i]``): a sum over all the entries. Where the sum is the right factor of ``1/n`` (``-
1/n``) and writes no range, n counts its terms: the sum runs from 1 to n (the mean; Torch's
words "the sum operation still operates over all the elements, and divides by n"). ``|a|``
is the absolute value.

Refused, with the caret on the sum: a sum with no written index whose body indexes with no
letter or with several (``\sum x``, ``\sum x_i y_j``); any other LaTeX command in code.

Examples (each a whole source)::

    ```lua
    loss(x, y) = 1/n \sum |x_i - y_i|
    ```
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

__all__ = ["bounded", "index_letters", "is_sum", "sum_index"]

# sum_i: a sum over i typed without the backslash
_SUM_NAME = re.compile(r"sum_([A-Za-z])")


def is_sum(kind: str, text: str) -> bool:
    """Whether a token starts a sum: ``\\sum`` or ``sum_i``."""
    return (kind == "op" and text == "\\sum") or (
        kind == "name" and bool(_SUM_NAME.fullmatch(text))
    )


def sum_index(text: str) -> str | None:
    """The index of ``sum_i`` (``i``); None for ``\\sum``."""
    m = _SUM_NAME.fullmatch(text)
    return m.group(1) if m else None


def index_letters(body: ast.Node) -> list[str]:
    """The letters the body indexes names with (``x_i``, ``t[i]``), in order, once each."""
    found: list[str] = []
    for node in ast.walk(body):
        letter = node.script if isinstance(node, ast.Sub) else None
        if isinstance(letter, ast.Letter) and letter.name not in found:
            found.append(letter.name)
    return found


def implicit_index(body: ast.Node, at: Span) -> str:
    """The index of a sum that writes none: the one letter its body indexes with."""
    letters = index_letters(body)
    if len(letters) != 1:
        raise ParseError(
            "a sum with no index in a formula written as code, whose body indexes "
            + ("with no letter" if not letters else f"with several letters ({', '.join(letters)})")
            + ": papermath does not guess which index it runs over",
            span=at,
            hint="write the index: \\sum_i, or sum_i in code",
        )
    return letters[0]


def _count(left: ast.Node) -> ast.Letter | None:
    """n of ``1/n`` (or ``-1/n``)."""
    if not (isinstance(left, ast.BinOp) and left.op == "/"):
        return None
    num = left.left.body if isinstance(left.left, ast.Neg) else left.left
    if isinstance(num, ast.Number) and num.text == "1" and isinstance(left.right, ast.Letter):
        return left.right
    return None


def bounded(left: ast.Node, right: ast.Node) -> ast.Node:
    """The sum on the right of ``1/n`` with no range written: from 1 to n (see the module);
    ``right`` unchanged otherwise."""
    count = _count(left)
    if count is None or not isinstance(right, ast.BigOp) or right.sup is not None:
        return right
    sub = right.sub
    if not isinstance(sub, ast.Letter):
        return right
    one = ast.Number(sub.span, "1")
    eq = ast.ScriptEq(sub.span, sub, one)
    return ast.BigOp(right.span, right.op, eq, ast.Letter(count.span, count.name), right.body)


# "If `x` and `y` are `d`-dimensional `Tensor`s with a total of `n` elements, the sum
# operation still operates over all the elements, and divides by `n`." (AbsCriterion)
_COUNT_LINE = re.compile(
    r"(?P<names>`[A-Za-z]\w*`(?:\s*(?:,|and)\s*`[A-Za-z]\w*`)*)\s+(?:are|is)\b[^.\n]*?"
    r"\bwith a total of\s+`?(?P<n>[A-Za-z])`?\s+elements\b[^.\n]*\bdivides by\s+`?(?P=n)`?"
)


def says_count(line: str) -> bool:
    """Whether a prose line says how many entries a sum runs over and divides by (above)."""
    return _COUNT_LINE.search(line) is not None


def count_line(line: str, offset: int, statements: list[ast.Statement]) -> ast.Statement | None:
    """The declaration such a line says (``x, y \\in \\mathbb{R}^{n}``: the tensors read as
    their n entries, which the sum over all the elements adds), where the code's sum runs from
    1 to that n; else None."""
    m = _COUNT_LINE.search(line)
    if m is None:
        return None
    n = m.group("n")
    runs = any(
        isinstance(node, ast.BigOp) and isinstance(node.sup, ast.Letter) and node.sup.name == n
        for st in statements
        for node in ast.walk(st)
    )
    if not runs:
        return None
    targets: list[ast.Node] = []
    for name in re.finditer(r"`([A-Za-z]\w*)`", m.group("names")):
        at = Span(
            offset + m.start("names") + name.start(1), offset + m.start("names") + name.end(1)
        )
        targets.append(
            ast.Letter(at, name.group(1))
            if len(name.group(1)) == 1
            else ast.Text(at, "text", name.group(1))
        )
    at = Span(offset + m.start("n"), offset + m.end("n"))
    space = ast.Sup(at, ast.Font(at, "mathbb", ast.Letter(at, "R")), ast.Letter(at, n))
    return ast.Declaration(Span(offset + m.start(), offset + m.end()), tuple(targets), space)


def roles(text: str, statements: list[ast.Statement]) -> list[ast.Directive]:
    """``y is target`` for an argument of a loss written as code, ``loss(x, y) = ...``, that
    the prose calls the target (``target `y```), or that is named ``target`` (Torch's own word
    for a criterion's second argument: ``forward(input, target)``)."""
    out: list[ast.Directive] = []
    for st in statements:
        lhs = st.lhs if isinstance(st, ast.Definition) else None
        if not isinstance(lhs, ast.Call):
            continue
        for arg in lhs.args:
            name = text[arg.span.start : arg.span.end]
            said = re.search(rf"\btarget\s+`{re.escape(name)}`", text) or re.search(
                rf"`{re.escape(name)}(?:\[\w\])?` can be either 0 or 1", text
            )  # "Note `t[i]` can be either 0 or 1": a label, the target (BCECriterion)
            if said is not None:
                out.append(ast.Directive(Span(said.start(), said.end()), f"{name} is target"))
            elif name == "target" and re.search(r"\bforward\(input, target\)", text):
                out.append(ast.Directive(arg.span, "target is target"))
    # "the weights argument": given by the caller, not learned (the directive points at its
    # last use, after the definitions, where the variants of parse/variants.py look for none)
    used = {
        text[n.span.start : n.span.end]: n.span
        for st in statements
        if isinstance(st, ast.Definition)
        for n in ast.walk(st.rhs)
    }
    for m in re.finditer(r"\bthe `?([A-Za-z]\w*)`? argument\b", text):
        if m.group(1) in used and len(m.group(1)) > 1:
            out.append(ast.Directive(used[m.group(1)], f"{m.group(1)} is input"))
    return list({d.text: d for d in out}.values())  # once each
