r"""Rule ``cut-end``: an environment still open where the text ends (an excerpt cut short).

What people write (or copy): a docstring or a page quoted up to its last equation, cut before
the environment's ``\end`` (optax's docstrings, an RST ``.. math::`` block whose
``\begin{align*}`` rows run to the end of the excerpt)::

    .. math::

      \begin{align*}
        m_t &\leftarrow \beta_1 \cdot m_{t-1} + (1-\beta_1) \cdot g_t \\
        u_t &\leftarrow -\alpha_t \cdot m_t

How papermath reads it: where exactly one environment is open when the text ends, it is an
environment of equations (``align``, ``align*``, ``aligned``, ``equation``, ``gather``,
``eqnarray``, ``multline``, ``split``) with rows after its ``\begin``, and it opens the block
of an RST ``.. math::`` directive (a docstring's math, whose block the indentation ends: the
excerpt ends inside it), the environment closes where the text ends (read as if
``\end{align*}`` followed the text); the readings say so. Anything else (two environments
open, a matrix or ``cases`` left open, an environment that no ``.. math::`` opens, as a
formula typed without its ``\end``) is refused as before: ``\begin{...} is never closed``.

Example (reads):

    .. math::

      \begin{align*}
        y &= W x
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from ..read.reader import Reader

RULE = "cut-end"

EQUATION_ENVS = frozenset(
    {
        *("align", "align*", "aligned", "equation", "equation*", "gather", "gather*"),
        *("gathered", "eqnarray", "eqnarray*", "multline", "multline*", "split"),
    }
)
# the RST directive whose indented block holds the math: the excerpt's block, cut short
_DIRECTIVE = re.compile(r"\.\.\s+math::.*")
_ENV = re.compile(r"\\(begin|end)\s*\{\s*([A-Za-z]+\*?)\s*\}")


def closes_at_end(text: str, name: str, begin_end: int, open_count: int) -> bool:
    """Whether ``\\begin{name}`` (ending at ``begin_end``), open where ``text`` ends with
    ``open_count`` environments open in all, reads as closed at the end of the text."""
    if open_count != 1 or name not in EQUATION_ENVS:
        return False
    begin = text.rfind("\\begin", 0, begin_end)
    before = text[:begin].rstrip().rsplit("\n", 1)[-1].strip()
    return bool(text[begin_end:].strip()) and _DIRECTIVE.fullmatch(before) is not None


def open_at_end(text: str) -> tuple[Span, str] | None:
    """The ``\\begin`` (its span, its name) of the one environment of ``text`` that is open
    where the text ends and reads as closed there (for the reader's note), else None."""
    stack: list[re.Match[str]] = []
    for m in _ENV.finditer(text):
        if m.group(1) == "begin":
            stack.append(m)
        elif stack and stack[-1].group(2) == m.group(2):
            stack.pop()
        else:
            return None
    if len(stack) != 1:
        return None
    m = stack[0]
    if not closes_at_end(text, m.group(2), m.end(), 1):
        return None
    return Span(m.start(), m.end()), m.group(2)


def closing(text: str) -> str:
    """What closes the environment the excerpt was cut in (``\\n\\end{align*}``), to read
    after the text's end; empty where none is (see the module)."""
    found = open_at_end(text)
    return "" if found is None else f"\n\\end{{{found[1]}}}"


def note(reader: Reader) -> None:
    """Say in the readings that the environment closes where the text ends."""
    found = open_at_end(reader.source.text)
    if found is None:
        return
    span, name = found
    reader.note(
        span,
        "an environment closed where the text ends",
        f"\\begin{{{name}}} opens a .. math:: block and has no \\end{{{name}}}: its rows run "
        "to the end of the text, an excerpt cut before the \\end, read as if it closed there",
    )
