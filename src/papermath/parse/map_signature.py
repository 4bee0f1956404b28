r"""Notation rule ``map-signature`` (a refusal): ``f: R^D \rightarrow R^L``, a function's
signature, the sizes of its argument and of its value after a colon.

What people write (the Theano MLP tutorial, lisa-lab's ``doc/mlp.txt``; the role is split over
two lines in the source)::

    Formally, a one-hidden-layer MLP is a function :math:`f: R^D \rightarrow
    R^L`, where :math:`D` is the size of input vector :math:`x` ...

How papermath reads it: not yet. The signature says f takes D-vectors to L-vectors, which
papermath would need to tie to the argument written in ``f(x) = ...``; it does not, so it
refuses at the colon (before this rule: "a character papermath cannot read", with a hint to
read the docs), and the hint says how to write what the signature says: a declaration of the
argument, ``x \in \mathbb{R}^{D}``, beside the equations, in place of the signature.

Example (refused at the colon): ``f: \mathbb{R}^D \rightarrow \mathbb{R}^L``.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

RULE = "map-signature"

__all__ = ["RULE", "refusal"]

_NAME = re.compile(r"(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z0-9]+\}?)?\s*$")
_SPACE = r"(?:\\mathbb\{R\}|\\mathbf\{R\}|\\R|R)"
_SIZE = r"(?:\^\{[^{}]*\}|\^[A-Za-z0-9])?"
_AFTER = re.compile(
    rf"\s*{_SPACE}(?P<size>{_SIZE})\s*(?:\\rightarrow|\\to|\\longrightarrow)\s*{_SPACE}{_SIZE}"
)


def refusal(ch: str, span: Span, text: str) -> ParseError | None:
    """The refusal of the colon of ``f: R^D \\rightarrow R^L``; None for another colon."""
    if ch != ":" or not _NAME.search(text[: span.start]):
        return None
    m = _AFTER.match(text, span.end)
    if m is None:
        return None
    name = _NAME.search(text[: span.start])
    written = name.group(0).strip() if name else "f"
    size = m.group("size").lstrip("^").strip("{}") or "n"
    return ParseError(
        f"{written}: ... \\rightarrow ...: the signature of a function (the sizes of its "
        "argument and value) is not read yet",
        span=span,
        hint=f"declare the argument instead, beside the equations: x \\in \\mathbb{{R}}^{{{size}}} "
        f"(x the argument written in {written}(x) = ...)",
    )
