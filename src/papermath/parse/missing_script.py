r"""Notation rule ``missing-script-mark`` (a refusal): a letter followed by a braced parenthesis,
``z{(i)}``, where the same source writes that letter with the parenthesis as a superscript or a
subscript, ``z^{(i)}`` (labml's fast weights, line 2: ``z^{(i)} &= z{(i)} +
\phi(k^{(i)})``).

What it is: in LaTeX the braces only group, so ``z{(i)}`` is z times (i); but the source writes
``z^{(i)}`` (z at step i) everywhere else, so a ``^`` (or ``_``) is missing, and which step was
meant is not written either (here the previous one, ``z^{(i-1)}``, would make the line a
running sum; read literally it is z times the step number, or z defined by itself). A careful
reader asks, and papermath refuses at the letter and its braces, before anything is read: the
line is a typo, whatever else the source says.

Only a single letter (not a command's argument, ``\mathbf{z}``) directly followed by
``{(...)}``, and only where the same letter is written elsewhere with ``^`` or ``_`` before a
parenthesis (``z^{(i)}``, ``z_{(t)}``, ``z^(i)``).

Example refused: ``z^{(i)} = z{(i)} + k^{(i)}``.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

_BRACED = re.compile(r"(?<![\\A-Za-z])(?P<letter>[A-Za-z])\s*\{\s*\((?P<inner>[^(){}]*)\)\s*\}")


def refusal(text: str, statements: list[ast.Statement]) -> ParseError | None:
    """``z{(i)}`` beside ``z^{(i)}``: the first such typo, refused (see the module)."""
    for m in _BRACED.finditer(text):
        letter = m.group("letter")
        scripted = re.compile(rf"(?<![\\A-Za-z]){letter}\s*[\^_]\s*\{{?\s*\(")
        if scripted.search(text) is None:
            continue
        written = " ".join(m.group(0).split())
        inner = m.group("inner").strip()
        return ParseError(
            f"{written}: {letter} followed by braces, where the source writes "
            f"{letter}^{{({inner})}} elsewhere: a ^ (or _) is missing, or is it {letter} times "
            f"({inner})? papermath does not guess which value was meant",
            span=Span(m.start(), m.end()),
            hint=f"write the value meant: {letter}^{{({inner})}}, or the previous one "
            f"{letter}^{{({inner}-1)}} for a running sum",
        )
    return None
