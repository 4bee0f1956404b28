r"""Notation rule ``map-signature``: ``f: R^D \rightarrow R^L``, a function's signature, the
sizes of its argument and of its value after a colon; read/rules_signatures.py reads it.

What people write (the Theano MLP tutorial, lisa-lab's ``doc/mlp.txt``; the role is split over
two lines in the source)::

    Formally, a one-hidden-layer MLP is a function :math:`f: R^D \rightarrow
    R^L`, where :math:`D` is the size of input vector :math:`x` ...

This module finds a signature that is the whole of its inline math (``$f: \mathbb{R}^D \to
\mathbb{R}^L$``, a ``:math:`` role) and blanks it before parsing (same length: the text
keeps every position); the reader ties it to the definition ``f(x) = ...``. A signature
anywhere else (inside a display, beside other math) is left for the parser, which refuses it
at the colon (parse/map_signature.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source import Span

__all__ = ["Signature", "blank", "find"]

_NAME = r"(?P<name>\\[A-Za-z]+|[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)"
_SPACE = r"(?:\\mathbb\s*\{R\}|\\mathbf\s*\{R\}|\\R(?![A-Za-z])|R)(?:\^\{[^{}$`]*\}|\^[A-Za-z0-9])?"
_ARROW = r"(?:\\rightarrow|\\to|\\longrightarrow)(?![A-Za-z])"
# the whole inline math: `$f: R^D \to R^L$`, :math:`f: R^D \rightarrow R^L`
_SIGNATURE = re.compile(
    rf"(?P<open>\$|:math:`)\s*{_NAME}\s*:\s*(?P<arg>{_SPACE})\s*{_ARROW}\s*(?P<value>{_SPACE})"
    r"\s*(?P<close>\$|`)"
)


@dataclass(frozen=True)
class Signature:
    """``f: R^D \\to R^L``: ``name`` f, the spans of the two spaces and of the whole."""

    name: str
    span: Span
    arg: Span
    value: Span


def find(text: str) -> list[Signature]:
    """Every signature that is the whole of its inline math (see the module)."""
    out = []
    for m in _SIGNATURE.finditer(text):
        if (m.group("open") == "$") != (m.group("close") == "$"):
            continue
        out.append(
            Signature(
                re.sub(r"\s+", "", m.group("name")),
                Span(m.start("name"), m.end("value")),
                Span(*m.span("arg")),
                Span(*m.span("value")),
            )
        )
    return out


def blank(text: str, out: list[str]) -> None:
    r"""Blank each signature in ``out`` (newlines kept), its math left empty.

    >>> out = list(r"a function $f: \mathbb{R}^D \to \mathbb{R}^L$ with")
    >>> blank("".join(out), out)
    >>> "".join(out).split()
    ['a', 'function', '$', '$', 'with']
    """
    for sig in find(text):
        for k in range(sig.span.start, sig.span.end):
            if out[k] != "\n":
                out[k] = " "
