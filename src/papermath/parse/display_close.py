r"""Rule ``display-closes-environment``: an environment of equations still open where its
display's ``$$`` closes, and one opened at the end of an excerpt with nothing in it.

What people write (or copy): a markdown page whose display math opens ``$$`` and
``\begin{aligned}``, lists its rows, and reaches the closing ``$$`` without ``\end{aligned}``
(an excerpt that lost the line, a page whose figure replaced the rest: CS231n's LSTM notes as
copied, ``$$ \begin{aligned} f_t &= \sigma(...) \\ ... <div class="fig"> ... </div> $$``); and
an excerpt that ends right after a ``$$ \begin{aligned}`` whose rows it does not hold (only
HTML layout follows, which parse/html_math.py blanks).

How papermath reads it:
- the closing ``$$`` ends the math: no environment opened inside the display can go on past
  it, so an environment of equations (``aligned``, ``align``, ``gathered``, ``split``, ...)
  still open there ends there, with the rows written before it; the readings say so. The
  ``$$`` says where the formula ends, so nothing is guessed. A matrix or ``cases`` left open
  there (their rows and columns would be cut) is refused as before (``\begin{...} is never
  closed``).
- an environment of equations opened where nothing but blanks (and HTML layout) follows to
  the end of the text holds no row: there is nothing in it to read, so it is read as closed
  at the end (empty); the readings say so. An environment with rows open at the end is
  parse/cut_end.py's (or refused).

Example (reads; y = W x, the environment closed by the display's end)::

    $$
    \begin{aligned}
    y &= W x
    $$
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span
from . import cut, html_math
from .cut_end import EQUATION_ENVS

if TYPE_CHECKING:
    from lark import Token

    from ..read.reader import Reader

RULE = "display-closes-environment"

_ENV = re.compile(r"\\(begin|end)\s*\{\s*([A-Za-z]+\*?)\s*\}")
_DDOLLAR = re.compile(r"(?<!\\)\$\$")


def _name(tok: Token) -> str:
    return str(tok).split("{", 1)[1].split("}", 1)[0].strip()


def _ended_later(text: str, names: list[str], at: int) -> bool:
    """Whether an ``\\end`` after ``at`` is left for one of ``names`` (more ends than begins
    of that name follow): the environment goes on past the ``$$``, and is not closed there."""
    later = [(m.group(1), m.group(2)) for m in _ENV.finditer(text, at)]
    return any(later.count(("end", n)) > later.count(("begin", n)) for n in set(names))


def left_open(envs: list[Token], display_at: int, text: str, at: int) -> list[Token]:
    """The environments still open after the display that opened at ``display_at`` closes
    (its ``$$`` at ``at``): those opened inside it end with it where each is an environment
    of equations that no later ``\\end`` closes; else (a matrix, cases, an ``\\end`` after
    the ``$$``) nothing changes (the refusal comes as before)."""
    inside = [e for e in envs if (e.start_pos or 0) > display_at]
    names = [_name(e) for e in inside]
    if not inside or any(n not in EQUATION_ENVS for n in names) or _ended_later(text, names, at):
        return envs
    return [e for e in envs if (e.start_pos or 0) <= display_at]


def _scan(text: str) -> tuple[list[tuple[Span, str, int]], list[re.Match[str]]]:
    """The environments a display's ``$$`` closes (span of the \\begin, name, where the $$
    is), and the environments open where the text ends, as parse/layout.py reads them."""
    closed: list[tuple[Span, str, int]] = []
    stack: list[re.Match[str]] = []
    display_at: int | None = None
    orphan: int | None = None  # \end{aligned} $$: that $$ closes the env's math (parse/cut.py)
    marks = sorted(
        [(m.start(), "env", m) for m in _ENV.finditer(text)]
        + [(m.start(), "$$", m) for m in _DDOLLAR.finditer(text)],
        key=lambda x: x[0],
    )
    for pos, kind, m in marks:
        if kind == "$$":
            if pos == orphan:
                orphan = None
            elif display_at is None and not stack:
                display_at = pos
            elif display_at is not None:
                inside = [e for e in stack if e.start() > display_at]
                names = [e.group(2) for e in inside]
                if (
                    inside
                    and all(n in EQUATION_ENVS for n in names)
                    and not _ended_later(text, names, pos)
                ):
                    closed += [(Span(e.start(), e.end()), e.group(2), pos) for e in inside]
                    stack = [e for e in stack if e.start() <= display_at]
                if not stack:
                    display_at = None
        elif m.group(1) == "begin":
            stack.append(m)
        elif stack and stack[-1].group(2) == m.group(2):
            stack.pop()
            if not stack and display_at is None:
                orphan = cut.orphan_close(text, m.group(2), m.end())
        else:
            return closed, []
    return closed, stack


def empty_at_end(text: str) -> re.Match[str] | None:
    """The ``\\begin`` of the one environment of equations open where ``text`` ends with
    nothing but blanks and HTML layout after it; else None."""
    _, stack = _scan(text)
    if len(stack) != 1 or stack[0].group(2) not in EQUATION_ENVS:
        return None
    m = stack[0]
    if html_math.rewrite(text[m.end() :]).strip():
        return None
    return m


def closing(text: str) -> str:
    """What closes an empty environment open at the end (``\\n\\end{aligned}``), to read
    after the text's end; empty where there is none."""
    m = empty_at_end(text)
    return "" if m is None else f"\n\\end{{{m.group(2)}}}"


def note(reader: Reader) -> None:
    """Say in the readings which environments a display's end closed, and which empty one
    the text's end closed."""
    text = reader.source.text
    closed, _ = _scan(text)
    for span, name, at in closed:
        line = text.count("\n", 0, at) + 1
        reader.note(
            span,
            "an environment closed where its display ends",
            f"\\begin{{{name}}} has no \\end{{{name}}} before the $$ that closes its display "
            f"(line {line}): its rows end there, as the math does (rule {RULE})",
        )
    m = empty_at_end(text)
    if m is not None:
        reader.note(
            Span(m.start(), m.end()),
            "an empty environment at the end of the text",
            f"\\begin{{{m.group(2)}}} is open where the text ends with no row after it (an "
            f"excerpt cut after its \\begin): nothing in it to read (rule {RULE})",
        )
