r"""Notation rule ``italic-name-call``: three or more letters typed together in math italics
before an argument list, ``lin_x^i(x_t)`` (labml's LSTM cell, its ``nn.Linear`` layers),
``FFN(x)``, ``act(x)``.

What people write::

    i_t &= lin_x^i(x_t) + lin_h^i(h_{t-1})

How papermath reads it: it does not guess. LaTeX typesets ``lin`` as the product l i n (each
letter a symbol), and read so the last letter is called: ``n_x^i(x_t)``, with ``i`` a factor
of itself (labml's gate i), or ``FFN(x)`` as F F N(x). The source means a function named
``lin``; what the function is (an affine map, an activation, a network) the name alone does
not say. Refused with the caret on the letters and their arguments; the hint says how to
write each meaning: ``\mathrm{lin}_x^i(x_t)`` a function named lin (papermath reads an
unknown named function as a learnable one, by default an affine map), or spaces or
``\cdot`` between the letters for a product (for ``sqrt``, ``abs``, ``sum``, ``mean`` and
``prod`` the hint gives LaTeX's own notation, ``\sqrt{...}``, ``|...|``, ``\sum_i``).

Only runs of three or more Latin letters with nothing between them, the last one called
(with or without scripts); two letters (``ab(x)``, ``Wx(t)``) stay a product, and function
names papermath knows (``tanh``, ``softmax``, ``relu``) are not letters. Only on right sides:
a left side that names a function (``FFN(x) = ...``) defines it, and its calls are the
source's own function, not refused here; a left side that writes the letters alone
(``AGG = \gamma(...)``, cs224w's GraphSAGE) names a value with no arguments, and a call of it
stays refused (the refusal says so).
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

RUN = 3  # the fewest letters read as a name typed in italics
# names of what LaTeX writes with its own notation: the hint says that notation
NOTATION = {
    "sqrt": "\\sqrt{...}",
    "abs": "|...|",
    "sum": "\\sum_i ... (a sum over the entries i)",
    "mean": "\\frac{1}{n} \\sum_i ... (a mean over the entries i)",
    "prod": "\\prod_i ... (a product over the entries i)",
}


def _called_letter(node: ast.Node) -> ast.Letter | None:
    """The letter a call applies to, through its scripts (``n`` of ``n_x^i(x_t)``)."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    while isinstance(func, ast.Sub | ast.Sup):
        func = func.base
    return func if isinstance(func, ast.Letter) else None


def _single(text: str, node: ast.Node) -> bool:
    """A one-letter Latin symbol typed as itself (not ``\\alpha``, not in a font)."""
    return (
        isinstance(node, ast.Letter)
        and node.span.end - node.span.start == 1
        and text[node.span.start : node.span.end].isalpha()
        and text[node.span.start : node.span.end].isascii()
    )


def check(text: str, statements: list[ast.Statement]) -> None:
    """Refuse ``lin(x)`` on the right side of a definition (module docstring). A left side
    that names a function (``FFN(x, W_1) = ...``) defines the name: not this rule's, and a
    run whose name a left side writes is not refused either."""
    defined = [
        re.sub(r"\s", "", text[s.lhs.span.start : s.lhs.span.end])
        for s in statements
        if isinstance(s, ast.Definition)
    ]
    for s in statements:
        if not isinstance(s, ast.Definition):
            continue
        for root in (s.rhs, *s.claims):
            for node in ast.walk(root):
                if isinstance(node, ast.Juxt):
                    check_juxt(text, node.left, node.right, defined)


def check_juxt(
    text: str, left: ast.Node, right: ast.Node, defined: list[str] | None = None
) -> None:
    """Refuse ``lin(x)`` (see the module's docstring); ``left right`` is a juxtaposition."""
    called = _called_letter(right)
    if called is None or not text or not _single(text, called):
        return
    letters: list[ast.Node] = [called]
    node = left
    while True:
        last = node.right if isinstance(node, ast.Juxt) else node
        if not _single(text, last) or last.span.end != letters[0].span.start:
            break
        letters.insert(0, last)
        if not isinstance(node, ast.Juxt):
            break
        node = node.left
    if len(letters) < RUN:
        return
    run = text[letters[0].span.start : called.span.end]
    if any(d.startswith(run) and d != run for d in defined or ()):
        return  # FFN(x) = ... defines FFN: the source names the function
    # AGG = ... (cs224w's GraphSAGE) names a value, with no arguments: its call stays refused
    as_value = any(d == run for d in defined or ())
    assert isinstance(right, ast.Call)
    start = letters[0].span.start
    name = text[start : called.span.end]
    head = text[start : right.func.span.end]
    scripts = head[len(name) :]
    if name in NOTATION:
        meant = f"write {NOTATION[name]} for the {name} of the argument"
    else:
        meant = (
            f"write \\mathrm{{{name}}}{scripts}(...) for a function named {name} (a function "
            "papermath does not know is read as learnable, by default an affine map of its "
            "arguments)"
        )
    raise ParseError(
        f"{text[start : right.span.end]}: the letters {name} typed together in italics before "
        f"an argument list: a function named {name}, or the product "
        f"{' '.join(name)} with {name[-1]} called; papermath does not guess which"
        + (
            f" (a left side writes {name} = ... with no arguments: a value, not a function "
            "of these)"
            if as_value
            else ""
        ),
        span=Span(start, right.span.end),
        hint=f"{meant}, or put spaces or \\cdot between {' '.join(name)} for a product",
    )
