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


# a: R^{F'} \times R^{F'} \rightarrow R (GAT's shared attentional mechanism): several
# arguments, one number
_PRODUCT = re.compile(
    rf"\s*{_SPACE}{_SIZE}(?:\s*\\times\s*{_SPACE}{_SIZE})+\s*"
    rf"(?:\\rightarrow|\\to|\\longrightarrow)\s*{_SPACE}(?![\^A-Za-z])"
)


def _product_refusal(written: str, span: Span, text: str) -> ParseError:
    """``a: R^{F'} \\times R^{F'} \\rightarrow R``: a function of several arguments giving one
    number, refused at the colon; the hint declares the number the source computes with it
    (``e_{ij} = a(...)`` nearby: ``e_{ij} \\in \\mathbb{R}``), which reads
    (functions.edge-score-function)."""
    call = re.search(rf"([^\s=$&]+)\s*&?=\s*{re.escape(written)}\s*\(", text[span.end :])
    value = call.group(1) if call else "e_{ij}"
    return ParseError(
        f"{written}: ... \\times ... \\rightarrow \\mathbb{{R}}: the signature of a function of "
        "several arguments is not read yet",
        span=span,
        hint=f"it says {written} gives one number: declare the value it computes instead, beside "
        f"the equations ({value} \\in \\mathbb{{R}}); papermath then reads {written}, defined "
        "nowhere, as a learned affine map of its arguments to that number",
    )


def refusal(ch: str, span: Span, text: str) -> ParseError | None:
    """The refusal of the colon of ``f: R^D \\rightarrow R^L``; None for another colon."""
    if ch != ":" or not _NAME.search(text[: span.start]):
        return None
    if _PRODUCT.match(text, span.end):
        name = _NAME.search(text[: span.start])
        return _product_refusal(name.group(0).strip() if name else "f", span, text)
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
