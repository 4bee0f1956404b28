r"""Notation rule ``swapped-closers``: ``\exp{(\text{Score}(x, y)})`` (the PyTorch tutorial's CRF,
``P(y|x) = \frac{\exp{(\text{Score}(x, y)})}{\sum_{y'} \exp{(\text{Score}(x, y')})}``): a brace
and a parenthesis opened together, ``{(``, and closed together in the wrong order, ``})``.

What it says: the two openers are side by side, so whatever the closers close, the brace group
holds exactly the parenthesis; ``})`` typed for ``)}`` changes nothing else. LaTeX itself
would refuse the line; the reading is the only one that pairs each bracket with its own kind.

How papermath reads it: where a ``}`` closes while a ``(`` is open above the ``{`` it would
close, that ``(`` was opened right after that ``{`` (``{(``), and the ``)`` comes right after
the ``}`` (``})``), the two closers are swapped back, ``)}``, every other character in place;
the readings say so. Any other mismatch (a ``\}`` inside parentheses, cs224w's ``\pi(N(v)\})``)
stays refused where it stands.

Example that reads: ``y = \exp{(a^\top x})``, as ``y = \exp{(a^\top x)}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from ..read.reader import Reader

RULE = "swapped-closers"


def _sites(text: str) -> list[int]:
    """Where ``})`` closes a ``{(`` in the wrong order (the index of the ``}``)."""
    found: list[int] = []
    stack: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":  # \{, \}, \(, \): not groups; \left( is a parenthesis
            i += 2
            continue
        if c == "\n" and i + 1 < len(text) and text[i + 1] == "\n":
            stack = []  # a paragraph ends every group
        if c in "({[":
            stack.append((c, i))
        elif c in ")}]":
            want = {")": "(", "}": "{", "]": "["}[c]
            if (
                c == "}"
                and len(stack) >= 2
                and stack[-1][0] == "("
                and stack[-2][0] == "{"
                and stack[-1][1] == stack[-2][1] + 1
                and text[i + 1 : i + 2] == ")"
            ):
                found.append(i)
                stack = stack[:-2]
                i += 2
                continue
            if stack and stack[-1][0] == want:
                stack.pop()
            else:
                stack = []  # a mismatch of another kind: left to the parser's refusal
        i += 1
    return found


def rewrite(text: str, out: list[str]) -> None:
    """Each swapped ``})`` becomes ``)}`` (same length)."""
    for i in _sites(text):
        out[i], out[i + 1] = ")", "}"


def note(reader: Reader) -> None:
    """Say the reading at each pair of closers swapped back."""
    for i in _sites(reader.source.text):
        reader.note(
            Span(i, i + 2),
            "closers swapped back",
            "}) closes a {( opened side by side: the brace holds exactly the parenthesis, so "
            f"it is read as )}} (rule {RULE})",
        )
