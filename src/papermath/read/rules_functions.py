"""Notation rules for left sides that define a function with arguments.

``function-name-italic``: ``FFN(x, W_1, W_2, b_1, b_2) = \\max(0, x W_1 + b_1) W_2 + b_2``
(labml), ``\\mathop{Attention}(Q, K, V) = ...``: a name typed in italics, its letters side by
side with no space, directly before the parenthesis of a definition's left side, is one name,
the function the source defines (as ``\\mathrm{FFN}``). A left side is one symbol, so the letters
cannot be a product there. Where the same letters stand before a parenthesis elsewhere in the
source (``y = FFN(h, ...)``), they are a call of that function; letters that spell no name
defined so stay what they were.

``function-redefined``: ``\\sigma(x) = \\frac{1}{1 + e^{-x}}``, ``\\text{LN}(X) = \\gamma \\frac{X -
\\mathbb{E}[X]}{\\dots} + \\beta``: a definition whose head is a name papermath knows (sigma the
sigmoid, LN the natural log) is the source's own definition, and the source wins: each call
of that name in the source is the body, not the known function.

``function-parameters-as-arguments``: the arguments of a function are inputs, except those
written as weights (``W_1``, ``w``, ``\\theta``, and ``b`` with a label, ``b_1``): the labml FFN
lists its weights among its arguments and the source calls them learnable parameters.
"""

from __future__ import annotations

import itertools
from dataclasses import fields, replace
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from .rules_reductions import factors, side_by_side

if TYPE_CHECKING:
    from .reader import Reader

# argument names read as weights (a parameter of the model, not data given with the call)
WEIGHT_BASES = ("W", "w", "theta", "Theta")
LABELLED_WEIGHT_BASES = ("b",)  # b_1, b_f: a bias; a bare b may be data (d(a, b))


def is_weight_name(key: str) -> bool:
    base, _, label = key.partition("_")
    return base in WEIGHT_BASES or (base in LABELLED_WEIGHT_BASES and bool(label))


def _letters(items: list[ast.Node], text: str) -> tuple[str, Span] | None:
    """Letters side by side with no space between: their name and span."""
    if len(items) < 2 or not all(isinstance(x, ast.Letter) and len(x.name) == 1 for x in items):
        return None
    for a, b in itertools.pairwise(items):
        if a.span.end != b.span.start:
            return None
    name = "".join(x.name for x in items if isinstance(x, ast.Letter))
    return name, Span(items[0].span.start, items[-1].span.end)


def _as_call(items: list[ast.Node], text: str, names: set[str] | None) -> ast.Call | None:
    """``F F N(args)`` (the factors) as ``\\mathrm{FFN}(args)``; None if it is not one."""
    if not items or not isinstance(items[-1], ast.Call):
        return None
    last = items[-1]
    assert isinstance(last, ast.Call)
    if not isinstance(last.func, ast.Letter):
        return None
    found = _letters([*items[:-1], last.func], text)
    if found is None or (names is not None and found[0] not in names):
        return None
    name, span = found
    head = ast.Text(span, "mathrm", name)
    return ast.Call(Span(span.start, last.span.end), head, last.args)


def rewrite(r: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Italic names of functions the source defines, as one name (``\\mathrm{FFN}``)."""
    names: dict[str, Span] = {}
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition) and isinstance(s.lhs, ast.Juxt):
            call = _as_call(factors(s.lhs), r.source.text, None)
            if call is not None:
                names[_name(call)] = call.func.span
                r.note(
                    call.func.span,
                    f"the function {_name(call)}",
                    f"the letters {_name(call)}, side by side before the parenthesis of a "
                    "left side, are one name in italics: the function the source defines",
                )
                s = replace(s, lhs=call)
        out.append(s)
    if not names:
        return statements
    return [
        replace(s, rhs=_calls(s.rhs, r.source.text, set(names)))
        if isinstance(s, ast.Definition)
        else s
        for s in out
    ]


def _name(call: ast.Call) -> str:
    assert isinstance(call.func, ast.Text)
    return call.func.content


def _calls(node: ast.Node, text: str, names: set[str]) -> ast.Node:
    """``node`` with each run of letters spelling a defined name before ``(...)`` a call."""
    if isinstance(node, ast.Juxt):
        items = factors(node)
        for k in range(len(items)):
            for j in range(k + 2, len(items) + 1):
                call = _as_call(items[k:j], text, names)
                if call is not None:
                    new = [*items[:k], call, *items[j:]]
                    return side_by_side([_calls(x, text, names) for x in new])
    changes: dict[str, object] = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, ast.Node):
            new_value = _calls(value, text, names)
            if new_value is not value:
                changes[f.name] = new_value
        elif isinstance(value, tuple) and any(isinstance(v, ast.Node) for v in value):
            items_new = tuple(
                _calls(v, text, names) if isinstance(v, ast.Node) else v for v in value
            )
            if any(a is not b for a, b in zip(items_new, value, strict=True)):
                changes[f.name] = items_new
    return replace(node, **changes) if changes else node  # type: ignore[arg-type]


def head_key(r: Reader, func: ast.Node) -> str | None:
    """The name a call's head writes, also where papermath knows a function of that name
    (``\\sigma``: sigma; ``\\text{LN}``: LN)."""
    match func:
        case ast.Text(content=content):
            name = content.replace(" ", "")
            return name if name.replace("_", "").isalnum() else None
        case ast.Letter(name=name):
            return name
    return None
