r"""Notation rule ``outcome-against-a-softmax`` (a refusal): ``-\log p(w_i | C) = -\log
\text{Softmax}(A(\sum_{w \in C} q_w) + b)`` (the PyTorch tutorial's CBOW exercise).

What it says: the left side is the log-probability of ONE outcome, the word ``w_i`` (an outcome
written with its own index: one member, as Mikolov's ``p(w_O | w_I)``), one number; the right
side is the log of a softmax with no index, the probabilities of EVERY outcome (a vector over the
vocabulary). The entry of the outcome (``\text{Softmax}(...)_{w_i}``) is not written, and a
reader cannot make the two sides agree without writing it in.

How papermath reads it: it does not; refused at the softmax, the hint giving the indexed form.
Only where the bar of conditioning is inside ``\log p(...)`` (or ``P``) on the left of ``=``,
the outcome is a letter with a subscript, and the right side is the log of a softmax
(``\text{Softmax}``, ``\mathrm{softmax}``, ``\operatorname{softmax}``, ``softmax``) whose
parenthesis closes with no subscript after it; any other bar of conditioning is refused as
before (layout's ``p(a | b)`` refusal), and a left side ``p(y | x) = ...`` that opens its
statement is read (parse/conditional_left.py).
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

_LINE = re.compile(
    r"-?\s*\\log\s*(?P<p>[pP])\s*\(\s*(?P<outcome>\\?[A-Za-z]+_\{?[A-Za-z0-9]+\}?)\s*"
    r"(?P<bar>\||\\mid(?![A-Za-z])|\\vert(?![A-Za-z]))(?P<cond>[^()=\n]*)\)\s*=\s*-?\s*\\log\s*"
    r"(?P<soft>\\(?:text|mathrm|operatorname)\s*\{\s*[Ss]oftmax\s*\}|\\?[Ss]oftmax)\s*\("
)


def _close(text: str, start: int) -> int | None:
    """The index of the ``)`` that closes the ``(`` at ``start``."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
        elif text[i] == "\n":
            return None
    return None


def refusal(text: str, pos: int) -> ParseError | None:
    """The refusal where the bar near ``pos`` is such a left side's (see the module)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    for m in _LINE.finditer(text, start, end):
        if not (m.start("bar") <= pos <= m.end("cond") + 1):
            continue
        close = _close(text, m.end() - 1)
        if close is None or text[close + 1 : close + 2] == "_":
            return None  # Softmax(...)_{w_i}: the outcome's entry, written
        soft = " ".join(m.group("soft").split())
        outcome = m.group("outcome")
        return ParseError(
            f"-\\log {m.group('p')}({outcome} | ...) is the log-probability of one outcome, "
            f"{outcome} (one number), and {soft}(...) with no index the probabilities of every "
            f"outcome (a vector): the entry of {outcome} is not written, and papermath does not "
            "write it in",
            span=Span(m.start("soft"), close + 1),
            hint=f"index the softmax by the outcome: {soft}(...)_{{{outcome}}}, and name the "
            f"value: L = -\\log {soft}(...)_{{{outcome}}}",
        )
    return None
