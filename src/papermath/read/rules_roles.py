"""Notation rules that decide a symbol's role (input or parameter) from how a function the
source defines uses it.

Rule ``data-added-in-weightless-function``: ``\\mathrm{Attention}(Q, K, V) =
\\mathrm{softmax}(QK^\\top / \\sqrt{d_k} + M) V``. A function written with its arguments whose
body multiplies by no weight of its own (every symbol it uses besides its arguments is only
added or subtracted, never multiplied, divided by, or a function's argument alone) has no
learned part: a symbol it adds (the attention mask M) is data given with the arguments, an
input. A weight letter (W, b, ...) is never read so: ``f(x) = x + b`` keeps b a parameter.

Rule ``unnamed-activation``: ``y_t = \\sigma_y(W_y h_t + b_y)`` (Wikipedia's RNN article),
``\\phi(x)``: a subscripted sigma or a phi that the source calls "an activation function"
without saying which. Read as an elementwise nonlinearity the source does not name: shapes,
explain, the diagram and the gradient equations (with its derivative written \\sigma_y') work;
generated code refuses at the call and asks which one (`% \\sigma_y: softmax`). Never a
learnable function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..letters import PARAMETER_LETTERS
from ..parse import ast
from ..source import Span
from . import terms as t
from .functions import UNNAMED

if TYPE_CHECKING:
    from .reader import Reader


def added_data(
    body: t.Term, arguments: set[int] | set[str], known: set[str], by_key: bool
) -> list[t.Sym]:
    """The symbols of ``body`` that the rule reads as data: [] unless every free symbol
    (not an argument, not ``known``: defined or a size) is a direct operand of + or -, and
    none is a weight letter. ``arguments`` are the arguments' keys (``by_key``) or the ids
    of the argument terms (a call, where the arguments are substituted)."""
    additive: list[t.Sym] = []
    other = False

    def is_argument(x: t.Term) -> bool:
        if by_key:
            return isinstance(x, t.Sym) and x.key in arguments
        return id(x) in arguments

    def visit(x: t.Term, added: bool) -> None:
        nonlocal other
        if is_argument(x):
            return
        if isinstance(x, t.Sym):
            if x.key in known:
                return
            if added and not (x.step or x.node or x.edge or x.head or x.example):
                additive.append(x)
            else:
                other = True
            return
        if isinstance(x, t.Add):
            visit(x.left, True)
            visit(x.right, True)
            return
        for c in t.children(x):
            visit(c, False)

    visit(body, False)
    if other or not additive:
        return []
    if any(x.key.split("_")[0] in PARAMETER_LETTERS for x in additive):
        return []
    return additive


def unnamed_activation(
    reader: Reader, args: tuple[ast.Node, ...], span: Span, fn_span: Span
) -> t.Term:
    """``\\sigma_y(x)``: an elementwise nonlinearity the source does not name."""
    written = " ".join(reader.source.snippet(fn_span).split())
    after = reader.source.text[fn_span.end : span.end].lstrip()
    if not after.startswith(("(", "\\left(", "\\big(", "\\Big(", "\\bigl(")):
        # \phi x: an activation applied, or a number phi times x? only a call says
        raise reader.error(
            f"{written} names an activation function in most papers, but not which one (and "
            f"{written} x without parentheses could be a number times x)",
            fn_span,
            hint=f"say it in the source, e.g. `% {written}: tanh` (or relu, sigmoid, identity)",
        )
    if len(args) != 1:
        raise reader.error(f"{written} takes one argument, not {len(args)}", span)
    reader.note(
        fn_span,
        "activation (unnamed)",
        f"{written} names an activation function, but the source does not say which: read as "
        "an elementwise nonlinearity (the shape of its argument); code needs to know which "
        f"(`% {written}: tanh`, or sigmoid, relu, softmax, identity)",
    )
    term = t.Apply(span, UNNAMED, (reader.term(args[0]),))
    reader.out.unnamed[id(term)] = (written, fn_span)
    return term
