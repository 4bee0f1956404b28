r"""Notation rule ``braced-step``: a step written in braces right after a letter, with the
underscore of its subscript dropped: ``h{t-1}`` where the source means ``h_{t-1}``.

What people write (an early PaddlePaddle ``SimpleRNNCell`` docstring, where every other
subscript has its underscore)::

    h_{t} & = \mathrm{tanh}(W_{ih}x_{t} + b_{ih} + W_{hh}h{t-1} + b_{hh})

How papermath reads it: it does not. Taken as LaTeX, ``h{t-1}`` is h times the group
``{t-1}`` (h times t minus 1), a product nobody writes so; meant, it is h at the step t-1.
Reading either would be a guess (and the literal reading makes t a learned parameter), so it
is refused with the caret on ``h{t-1}``, and the hint says what to write for each meaning.

Refused only where the braces follow a letter with no space, hold a letter plus or minus a
whole number (``{t-1}``, ``{k+1}``), and that letter is a script elsewhere in the source
(``x_{t}``, ``h_t``): then it is the source's step. ``2{n+1}`` (a number before) and
``h\,{t-1}`` are not this construct.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

# the braces' body: a letter, then + or - a whole number (t-1, k + 1)
_BODY = re.compile(r"\s*([A-Za-z])\s*[-+]\s*\d+\s*")


def check_juxt(text: str, left: ast.Node, right: ast.Node) -> None:
    """Refuse ``h{t-1}`` (see the module's docstring); ``left right`` is a juxtaposition."""
    while isinstance(left, ast.Juxt):  # W_{hh}h{t-1}: the letter next to the braces
        left = left.right
    if not isinstance(left, ast.Letter) or not text:
        return
    open_at = left.span.end
    if open_at >= len(text) or text[open_at] != "{":
        return
    close_at = text.find("}", open_at)
    if close_at < 0 or right.span.end > close_at + 1:
        return  # the braces are not the whole right factor
    body = _BODY.fullmatch(text, open_at + 1, close_at)
    if body is None:
        return
    step = body.group(1)
    scripted = re.search(rf"_\s*(?:\{{\s*{step}\s*(?:[-+]\s*\d+\s*)?\}}|{step}(?![A-Za-z]))", text)
    if scripted is None:
        return
    letter = text[left.span.start : left.span.end]
    inner = " ".join(text[open_at + 1 : close_at].split())
    raise ParseError(
        f"{letter}{{{inner}}}: braces right after {letter}, with the step {inner} inside and no "
        f"underscore: read as LaTeX it is {letter} times ({inner}), while the source writes "
        f"{step} as a subscript elsewhere (a step); papermath does not guess which is meant",
        span=Span(left.span.start, close_at + 1),
        hint=f"write {letter}_{{{inner}}} for {letter} at step {inner}, or "
        f"{letter} ({inner}) for a product",
    )
