# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``cases-label``: a value defined by cases on the value of a label.

What people write (PyTorch's HingeEmbeddingLoss docstring, the labels y_n in {1, -1})::

    l_n = \begin{cases} x_n, & \text{if}\; y_n = 1,\\
                        \max \{0, \Delta - x_n\}, & \text{if}\; y_n = -1, \end{cases}

How papermath reads it (parse/label_cases.py recognises the block): each row's value where the
label equals the row's number, a selection entry by entry: ``[y_n = 1] \odot x_n + [y_n = -1]
\odot \max\{0, \Delta - x_n\}``, with ``[y_n = a]`` the indicator of the label's value (1 where
it holds, 0 elsewhere; computed as ``1 - \operatorname{sign}(|y_n - a|)``, exact for any
number). A last row ``\text{otherwise}`` takes what no other row took (1 minus the other
indicators). The rows name every value the label takes (PyTorch documents its labels as 1 or
-1); a label of another value selects no row (0). The label is target data (what the cases
select on; it has no gradient); every value is computed everywhere. Each value and the label
have one shape (the selection is entry by entry); another shape is refused by the shapes.

Refused: a label that is a step or node index (``h_t = ... if t = 0``: a boundary condition, not
a label), read elsewhere or not at all.

Example (reads)::

    l_n = \begin{cases} x_n, & \text{if}\; y_n = 1,\\ \max \{0, \Delta - x_n\}, & \text{if}\; y_n = -1, \end{cases}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast, label_cases
from ..source import Span
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

RULE = "cases-label"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def indicator(span: Span, label: t.Term, value: float) -> t.Term:
    """``[y = a]``: 1 where the label equals a, else 0, as ``1 - sign(|y - a|)``."""
    diff = t.Add(span, "-", label, t.Const(span, value))
    off = t.Apply(span, "sign", (t.Apply(span, "abs", (diff,)),))
    return t.Add(span, "-", t.Const(span, 1.0), off)


def select(span: Span, label: t.Term, rows: list[tuple[float | None, t.Term, Span]]) -> t.Term:
    """``\\sum_k [y = a_k] \\odot A_k`` (a None value: otherwise, 1 minus the others)."""
    masks: list[t.Term] = []
    result: t.Term | None = None
    for value, piece, at in rows:
        if value is None:
            mask: t.Term = t.Const(label.span, 1.0)  # the readings show the label
            for m in masks:
                mask = t.Add(label.span, "-", mask, m)
        else:
            mask = indicator(label.span, label, value)
            masks.append(mask)
        product = "juxt" if isinstance(piece, t.Const) else "odot"
        term = t.Product(at, product, mask, piece, span)
        result = term if result is None else t.Add(span, "+", result, term)
    assert result is not None
    return result


def term(
    reader: Reader, node: ast.Call, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """The term of a ``\\text{@lab}(A_1, y, A_2, ...)`` call (parse/label_cases.py), else
    None."""
    if isinstance(func, ast.Text) and func.content == label_cases.CODE_MARK and len(args) == 4:
        return _code(reader, node, args)
    if not (isinstance(func, ast.Text) and func.content == label_cases.MARK):
        return None
    block = label_cases.at(reader.source.text, node.span.start)
    if block is None or len(args) != len(block.values) + 1:  # pragma: no cover - the rewrite
        raise reader.error("a definition by cases is not read here", node.span)
    whole = Span(block.start, block.end)
    written = args[1]
    label = reader.term(written)
    shown = " ".join(reader.source.snippet(written.span).split())
    sym = _label(reader, label, written)
    values = [args[0], *args[2:]]
    rows = [
        (number, reader.term(v), v.span) for number, v in zip(block.numbers, values, strict=True)
    ]
    _target(reader, sym)

    def words(n: ast.Node) -> str:
        return " ".join(reader.source.snippet(n.span).split())

    said = [
        f"{words(v)} where {shown} = {_number(n)}" if n is not None else f"{words(v)} otherwise"
        for n, v in zip(block.numbers, values, strict=True)
    ]
    formula = " + ".join(
        f"[{shown} = {_number(n)}] \\odot ({words(v)})"
        for n, v in zip(block.numbers, values, strict=True)
        if n is not None
    )
    reader.note(
        whole,
        "definition by cases on a label's value",
        f"{'; '.join(said)}: a selection by the label {shown} (target data, no gradient), "
        f"entry by entry, read as {formula}"
        + (" + (1 minus the others) \\odot the last" if block.numbers[-1] is None else "")
        + f", with [{shown} = a] 1 where the label equals a and 0 elsewhere (computed as "
        f"1 - sign(|{shown} - a|)); the rows name the label's values, and a label of another "
        f"value selects none; every value is computed everywhere (rule {RULE})",
    )
    return select(whole, label, rows)


def _label(reader: Reader, label: t.Term, written: ast.Node) -> t.Sym:
    """The symbol the cases select on (y, or y_n the entry n of y); refused where it is an
    index or a state (a boundary condition, not a label)."""
    sym = label.body if isinstance(label, t.Elem) else label  # y_n: the entry n of y
    if not isinstance(sym, t.Sym) or sym.key in reader.out.indices or sym.step is not None:
        shown = " ".join(reader.source.snippet(written.span).split())
        raise reader.error(
            f"a definition by cases on the value of {shown}, which is not a label (a "
            "symbol of the data)",
            written.span,
            hint="write each case as its own equation (a boundary condition: h_0 = 0)",
        )
    return sym


def _target(reader: Reader, sym: t.Sym) -> None:
    reader.out.directives.setdefault(sym.key, "target")
    reader.out.role_notes.setdefault(
        sym.key, f"{sym.key} is the label the cases select on (rule {RULE})"
    )


def _code(reader: Reader, node: ast.Call, args: tuple[ast.Node, ...]) -> t.Term:
    """``A if y == a else B`` written as code (parse/label_cases.py's ``code_select``)."""
    a, written, number, b = args
    label = reader.term(written)
    sym = _label(reader, label, written)
    plain = number.body if isinstance(number, ast.Neg) else number
    assert isinstance(plain, ast.Number)
    value = float(plain.text) * (-1 if isinstance(number, ast.Neg) else 1)
    _target(reader, sym)
    snip = reader.source.snippet
    shown = " ".join(snip(written.span).split())
    first, other = " ".join(snip(a.span).split()), " ".join(snip(b.span).split())
    reader.note(
        node.span,
        "a conditional on a label's value (code)",
        f"{first} where {shown} == {_number(value)}, else {other}: a selection by the label "
        f"{shown} (target data, no gradient), entry by entry, read as [{shown} = "
        f"{_number(value)}] \\odot ({first}) + (1 - [{shown} = {_number(value)}]) \\odot "
        f"({other}), with [{shown} = a] 1 where the label equals a and 0 elsewhere (computed "
        f"as 1 - sign(|{shown} - a|)); both values are computed everywhere (rule {RULE})",
    )
    rows = [(value, reader.term(a), a.span), (None, reader.term(b), b.span)]
    return select(node.span, label, rows)
