r"""Rule ``step-range-prose``: "from $t = 1$ to $t = \tau$" in a sentence: the values a step
index runs over, said in words around two pieces of inline math.

What people write (the Deep Learning book, 10.2, before the RNN's update equations; its
Chinese edition writes the same words as ``从$t= 1$到$t = \tau$``)::

    From $t = 1$ to $t = \tau$, we apply the following update equations:
    \Va^{(t)} = \Vb + \MW \Vh^{(t-1)} + \MU \Vx^{(t)}

How papermath reads it: the words ``from`` (``从``), an inline ``$t = 1$`` (a letter, ``=``, a
number), ``to`` (``到``, ``至``) and an inline ``$t = \tau$`` (the same letter, ``=``, a letter,
a Greek letter or a number), where the letter is a step of the text's equations (written
with an offset in a subscript or a superscript: ``h^{(t-1)}``, ``h_{t-1}``), say which steps
the equations hold at: the pieces are left out (they do not give t a value) and t is read
where the equations use it; the readings quote them. Anything else in either piece
(``$t = 1, \dots, T$`` is ``normalize._ranges``' own), two different letters, or a letter
the text never writes as a step (an entry index i: its range may be a size) is not this
rule's, and stays as it was read before (``t = 1`` as an equation, which is refused where t
is a step).

Example (reads): ``From $t = 1$ to $t = T$: $h_t = \tanh(W h_{t-1} + U x_t)$``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from ..read.reader import Reader

RULE = "step-range-prose"

__all__ = ["RULE", "blank", "note", "ranges"]

_LAST = r"(?:[0-9]+|[A-Za-z]|\\[A-Za-z]+)"
_RANGE = re.compile(
    r"(?:\b[Ff]rom|从)[ \t]*+"
    r"(\$[ \t]*+([A-Za-z])[ \t]*+=[ \t]*+([0-9]+)[ \t]*+\$)"
    r"[ \t]*+(?:to\b|到|至)[ \t]*+"
    rf"(\$[ \t]*+([A-Za-z])[ \t]*+=[ \t]*+({_LAST})[ \t]*+\$)"
)


def _used_as_step(text: str, letter: str) -> bool:
    """Whether ``text`` writes ``letter`` with an offset in a subscript or superscript
    (``h_{t-1}``, ``h^{(t-1)}``, ``x_{t+1}``): a step of a recurrence."""
    step = rf"(?<![A-Za-z\\]){letter}[ \t]*[-+][ \t]*[0-9]"
    return re.search(rf"[_^][ \t]*+\{{[ \t(]*{step}", text) is not None


def ranges(text: str) -> list[tuple[Span, Span, str]]:
    """Each range said in words: the spans of its two inline pieces, and the words, cleaned."""
    out: list[tuple[Span, Span, str]] = []
    if "$" not in text:
        return out
    for m in _RANGE.finditer(text):
        letter = m.group(2)
        if m.group(5) != letter or m.group(6) == letter or not _used_as_step(text, letter):
            continue
        words = f"from {letter} = {m.group(3)} to {letter} = {m.group(6)}"
        out.append((Span(m.start(1), m.end(1)), Span(m.start(4), m.end(4)), words))
    return out


def blank(text: str, out: list[str]) -> None:
    """Blank both pieces of each range (they are prose, not equations)."""
    for first, last, _ in ranges(text):
        for span in (first, last):
            if "".join(out[span.start : span.end]) == text[span.start : span.end]:
                for i in range(span.start, span.end):
                    out[i] = " "


def note(reader: Reader) -> None:
    """Say in the readings which ranges were left out, and why."""
    for first, last, words in ranges(reader.source.text):
        reader.note(
            Span(first.start, last.end),
            "the steps an index runs over, said in words",
            f"'{words}' in the prose says at which steps the equations hold: each holds at "
            "every step of the range; the pieces are left out (they give the index no value) "
            "and the index is read where the equations use it",
        )
