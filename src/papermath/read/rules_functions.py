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

``weights-named-in-a-call``: ``T(\\mathbf{x}, \\mathbf{W_T})`` where the source defines
``T(\\mathbf{x}) = \\sigma(\\mathbf{W_T}^T \\mathbf{x} + \\mathbf{b_T})`` (Highway Networks): the
call names the layer's weights after its input. Extra arguments at the end of a call are read
so only where each is written as a weight and is a symbol the definition's body uses (not one
of its parameters): the call is the function of its other arguments, said in the readings.
Any other count of arguments is refused as before. A function the source does not define,
called with weights as its last arguments (Highway's ``H(\\mathbf{x}, \\mathbf{W_H})``), is the
learnable function papermath reads for any function the source does not define (by default an
affine map), of the arguments before the weights: the weights are its own, not a second input
concatenated to x (said in the readings, with the hint to define the layer's form).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import fields, replace
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from .rules_reductions import factors, side_by_side
from .syntax import is_symbolish, symbols_in

if TYPE_CHECKING:
    from .reader import FnDef, Reader

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
    start, end = items[0].span.start, items[-1].span.end
    wrapper = re.search(r"\\mathop\s*\{\s*$", text[:start])
    closing = re.match(r"\s*\}", text[end:])
    if wrapper is not None and closing is not None:
        # \mathop{Attention} (labml): the name with its wrapper, so that what quotes the
        # name (typeset equations, carets) holds both braces
        return name, Span(wrapper.start(), end + closing.end())
    return name, Span(start, end)


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
                s = replace(s, span=Span(min(s.span.start, call.span.start), s.span.end), lhs=call)
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


def weights_named(r: Reader, fd: FnDef, args: tuple[ast.Node, ...]) -> tuple[ast.Node, ...]:
    """The arguments of a call of ``fd`` without the weights it names after them
    (``T(x, W_T)`` with ``T(x)`` defined by a body that uses ``W_T``); ``args`` unchanged
    where the extra arguments are not all such weights."""
    n = len(fd.formals)
    if len(args) <= n:
        return args
    used = {
        parts.key
        for node in symbols_in(fd.body)
        for parts in [r.symbol(node, quiet=True)]
        if parts is not None
    } - set(fd.formals)
    used = {k for k in used if is_weight_name(k)}
    extra = args[n:]
    keys: list[str] = []
    for arg in extra:
        parts = r.symbol(arg, quiet=True) if is_symbolish(arg) else None
        if parts is None or parts.post or parts.key not in used - set(keys):
            return args
        keys.append(parts.key)
    r.note(
        Span(extra[0].span.start, extra[-1].span.end),
        f"weights of {fd.key} named in the call",
        f"{', '.join(keys)} {'is' if len(keys) == 1 else 'are'} the weights the definition of "
        f"{fd.key} (line {fd.line}) uses, written after its argument"
        f"{'s' * (n != 1)}: the call is {fd.key} of its first {n}, not a second input",
    )
    return args[:n]


def undefined_with_weights(
    r: Reader, key: str, args: tuple[ast.Node, ...], span: Span
) -> tuple[ast.Node, ...]:
    """``H(x, W_H)`` with H defined nowhere: a layer named with its weights (Highway
    Networks' ``H(x, W_H)``, ``T(x, W_T)``), not an affine map of the concatenation [x; W_H].
    Read as papermath reads a function the source does not define, a learnable function,
    of the arguments before the weights; the weights are the ones it learns (said). Returns the
    arguments without the weights (``args`` unchanged where no trailing argument names
    weights)."""
    if len(args) < 2:
        return args
    first = len(args)
    for i in range(len(args) - 1, 0, -1):
        parts = r.symbol(args[i], quiet=True) if is_symbolish(args[i]) else None
        if parts is None or parts.post or not is_weight_name(parts.key):
            break
        first = i
    if first == len(args):
        return args
    written = r.source.snippet(Span(args[first].span.start, args[-1].span.end))
    r.note(
        span,
        f"{key}: a layer named with its weights",
        f"{key} is not defined and {written} after its input names its weights: {key} is read "
        f"as a learnable function of the argument{'s' * (first != 1)} before them (by default "
        f"an affine map) whose weights are {written} (in code {key}.weight and {key}.bias), "
        f"not a function of {written} (define {key} beside the equations, as "
        f"{key}(x) = \\sigma(W x + b), to give its form)",
    )
    return args[:first]
