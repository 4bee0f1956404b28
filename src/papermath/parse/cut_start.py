r"""Rule ``cut-start``: an excerpt that begins with the ``$$`` closing a display it cut.

What people write (or copy): a blog post quoted from just after a formula, so that its first
line is the ``$$`` that closed that formula (Lil'Log's "The Transformer Family", the ACT
section)::

    $$

    ACT enables the above RNN setup to perform a variable number of steps at each input
    element. ... a sequence of intermediate states $$(s_t^1, \dots, s_t^{N(t)})$$ ...

How papermath reads it: a ``$$`` that is the first thing in the text, alone on its line, with
a blank line after it, opens nothing: display math cannot hold a blank line (TeX stops with
"Display math should end with $$", and Markdown's math ends its block there), so this ``$$``
is the close of a display the excerpt begins after. It is left out, and the ``$$`` pairs
after it are read as written (``$$x$$`` in a line of prose is inline math). Before this rule
the ``$$`` opened math that ran through the prose, and the refusal came at the next ``$$``,
paragraphs later. The readings say so.

Example (reads)::

    $$

    The output is $$y = W x$$ for each input.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from ..read.reader import Reader

RULE = "cut-start"

__all__ = ["RULE", "blank", "leading_close", "note"]

# the text's first thing: `$$` alone on its line, then a blank line
_LEADING = re.compile(r"[ \t\n]*+(\$\$)[ \t]*+\n[ \t]*+\n")


def leading_close(text: str) -> Span | None:
    """The ``$$`` that closes a display cut before the excerpt (see the module), or None."""
    m = _LEADING.match(text)
    if m is None or text[m.end(1) : m.end(1) + 1] == "$":
        return None
    return Span(m.start(1), m.end(1))


def blank(text: str, out: list[str]) -> None:
    """Blank the leading ``$$`` that closes a cut display."""
    span = leading_close(text)
    if span is not None and "".join(out[span.start : span.end]) == "$$":
        out[span.start] = out[span.start + 1] = " "


def note(reader: Reader) -> None:
    """Say in the readings that the first ``$$`` was left out."""
    span = leading_close(reader.source.text)
    if span is None:
        return
    reader.note(
        span,
        "the close of a display the excerpt cut",
        "the text begins with $$ alone on its line and a blank line after it: display math "
        "holds no blank line, so this $$ opens nothing; it closes a display that begins before "
        "the excerpt, and is left out",
    )
