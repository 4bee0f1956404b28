r"""Notation rule ``map-definition``: a function defined by where it sends its argument,
``f = x \mapsto g(x)``, the same definition as ``f(x) = g(x)``.

What people write (Distill's "Why Momentum Really Works": the monomials of polynomial
regression, beside the model that uses them)::

    \text{model}(\xi)=w_{1}p_{1}(\xi)+\cdots+w_{n}p_{n}(\xi)\qquad p_{i}=\xi\mapsto\xi^{i-1}

How papermath reads it: ``name = argument \mapsto body`` as a statement of its own is the
definition ``name(argument) = body`` (read/functions.py: a function the source defines, its
calls its body with the arguments in place); the argument is one symbol. A ``\mapsto``
anywhere else (``f: x \mapsto y`` after a colon, a map inside an expression) stays refused
where it stands (``layout.NOT_READ``): a map that is not the right side of a definition names
no function to call.

Example (reads): ``g = x \mapsto x^{2}`` beside ``y = g(z)``: y is z squared.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

RULE = "map-definition"

__all__ = ["RULE", "allowed", "definition"]

_SYMBOL = r"(?:\\[A-Za-z]+(?:\s*\{[^{}]*\})?|[A-Za-z])(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?"
# `p_{i}=\xi` just before the \mapsto: a name, an equals sign, the argument, at a statement's
# start (after a line's start, a math delimiter, a separator or spacing)
_BEFORE = re.compile(rf"(?:^|[\n$&,;]|\\\\|\\q?quad|\\\[|\\\(|\s)\s*{_SYMBOL}\s*=\s*{_SYMBOL}\s*$")


def allowed(text: str, pos: int) -> bool:
    """Whether the ``\\mapsto`` at ``pos`` is the map of a definition ``f = x \\mapsto ...``."""
    return _BEFORE.search(text, max(0, pos - 80), pos) is not None


def definition(span: Span, name: ast.Node, argument: ast.Node, body: ast.Node) -> ast.Definition:
    """``name = argument \\mapsto body`` as ``name(argument) = body``."""
    if not isinstance(argument, (ast.Letter, ast.Sub, ast.Font)):
        raise ParseError(
            "the argument of a map x \\mapsto f(x) is one symbol",
            span=argument.span,
            hint="write the function as f(x) = ...",
        )
    call = ast.Call(Span(name.span.start, argument.span.end), name, (argument,))
    return ast.Definition(span, call, body, None)
