r"""Notation rule ``tuple-left-side`` (a refusal): ``(h_t, c_t) = \text{LSTM}(x_t, (h_{t-1},
c_{t-1}))`` (a seq2seq notebook): one equation that names several values. It is not read yet
(a tuple of as many values, ``a, b = x, y``, is: :mod:`papermath.parse.tuple_pairs`, which
parses the line again where this refusal comes); the refusal is at the
whole left side, and its hint says what to write for the right side as the source writes it:
a tuple of as many values, one equation for each (``a^{(i)} = W_a x^{(i)}``); one call, the
equations of the function that returns the values (a cell the source does not write out).
"""

from __future__ import annotations

import itertools
import re

from ..errors import ParseError
from ..source import Span
from . import named_cells

_LEAD = re.compile(r"\s*(?:\$\$|\\\[|\$)?\s*&?\s*")
_TAIL = re.compile(r"(?:\\\\|\$\$|\\\]|\$|[,.;\s])*$")


def _top(text: str, chars: str) -> list[int]:
    """Where ``chars`` occur in ``text`` outside brackets and braces."""
    out, depth, i = [], 0, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            m = re.match(r"\\(?:left|right|big|Big)\s*([()\[\]])?", text[i:])
            i += len(m.group(0)) if m and m.group(1) else 2
            if m and m.group(1):
                depth += m.group(1) in "(["
                depth -= m.group(1) in ")]"
            continue
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0 and c in chars:
            out.append(i)
        i += 1
    return out


_BARE = re.compile(r"(?<![\w\\^_}])\{([^{}]*)\}")  # {W_a}: a group left by a colour command


def _split(text: str) -> list[str]:
    cuts = [-1, *_top(text, ","), len(text)]
    pieces = (" ".join(text[a + 1 : b].split()) for a, b in itertools.pairwise(cuts))
    return [_BARE.sub(r"\1", p) for p in pieces]


def left_tuple(text: str, start: int) -> ParseError | None:
    """The refusal of a tuple on the left side of the line that starts at ``start``."""
    end = text.find("\n", start)
    line = text[start : end if end >= 0 else len(text)]
    lead = _LEAD.match(line)
    a = lead.end() if lead else 0
    eqs = [i for i in _top(line, "=") if i >= a]
    if not eqs:
        return None
    eq = eqs[0]
    b = eq - 1 if eq > 0 and line[eq - 1] == "&" else eq
    lhs = line[a:b].rstrip()
    if not lhs:
        return None
    inner = lhs[1:-1] if lhs.startswith("(") and lhs.endswith(")") else lhs
    names = _split(inner)
    if len(names) < 2:
        return None
    rhs = line[eq + 1 :]
    rhs = rhs[: _TAIL.search(rhs).start()].strip()  # type: ignore[union-attr]
    values = _split(rhs)
    if len(values) == len(names):
        each = "; ".join(f"{n} = {v}" for n, v in zip(names, values, strict=True))
        hint = f"write one equation for each value: {each}"
    else:
        call = re.match(r"(\\[A-Za-z]+\s*\{[^{}]*\}|[A-Za-z]+)", rhs)
        head = call.group(0) if call else "the right side"
        hint = named_cells.hint(head, names) or (  # \text{EncoderLSTM}: an LSTM's equations
            f"{head} returns {len(names)} values and the source does not say how: write the "
            f"equations that compute each ({names[0]} = ..., {names[1]} = ...)"
        )
    written = " ".join(lhs.split())
    return ParseError(
        f"a tuple on the left side ({written} = ...): one equation naming {len(names)} values "
        "is not read yet",
        span=Span(start + a, start + a + len(lhs)),
        hint=hint,
    )
