r"""Notation rule ``doubts.conditional-probability-table``: a sum over the values of a discrete
state of products of conditional probabilities, a hidden Markov model's message.

What people write (d2l's bidirectional RNN chapter, the HMM it starts from)::

    \pi_{t+1}(h_{t+1}) = \sum_{h_t} \pi_t(h_t) P(x_t \mid h_t) P(h_{t+1} \mid h_t)
    \rho_{t-1}(h_{t-1}) = \sum_{h_t} P(h_t \mid h_{t-1}) P(x_t \mid h_t) \rho_t(h_t)

What it is: ``P(a \mid b)`` is a table over the discrete values of b (and a), and the sum runs
over the values the state h_t can take: ``\pi_t`` is a vector over those values, ``P(h_{t+1}
\mid h_t)`` a transition matrix, ``P(x_t \mid h_t)`` the emission probabilities of the
observed x_t. papermath reads values computed by equations, not probability tables written as
functions of the values they are indexed by, so it is refused at the ``\mid`` (as every
conditional probability is), with the hint that says how the same message reads: its tables
as matrices and vectors. The generic refusal (parse/layout.py ``NOT_READ``) stays for a
conditional probability with no sum over its condition (``p(w_O \mid w_I)``).

Refused (the hint writes the message with a transition matrix B: the forward one as below,
the backward one one step later, ``\rho_t = B (e_{t+1} \odot \rho_{t+1})`` with ``B_{ij} =
P(h_{t+1} = j \mid h_t = i)``, a recurrence carried backwards that reads with code)::

    \pi_{t+1}(h_{t+1}) = \sum_{h_t} \pi_t(h_t) P(x_t \mid h_t) P(h_{t+1} \mid h_t)

Reads (the hint's form)::

    B \in \mathbb{R}^{k \times k}, e_t \in \mathbb{R}^{k}
    \pi_{t+1} = B (\pi_t \odot e_t)
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

__all__ = ["refusal"]

RULE = "doubts.conditional-probability-table"

# \sum_{h_t}, \sum_{h_{t}}: a sum whose subscript is a symbol (the values of a state), no "="
_SUM = re.compile(r"\\sum\s*_\s*(\{(?:[^{}=]|\{[^{}=]*\})*\}|[A-Za-z])")
# the condition after a bar of conditioning, up to the parenthesis that closes the call
_CONDITION = re.compile(r"\\mid\s*((?:[^()]|\([^()]*\))*?)\s*\)")
# the outcome before a bar of conditioning, from the parenthesis that opens the call
_OUTCOME = re.compile(r"\(\s*([^()]*?)\s*\\mid")
# the message on the left side: \rho_{t-1}(h_{t-1}) -> \rho
_MESSAGE = re.compile(r"^\s*(?:\$+\s*)?(\\[A-Za-z]+|[A-Za-z])\s*_")


def _squeeze(text: str) -> str:
    """``{h_{t}}`` and ``h_t`` alike: no braces, no blanks."""
    return re.sub(r"[\s{}]", "", text)


def refusal(name: str, span: Span, text: str) -> ParseError | None:
    """The refusal at a ``\\mid`` in a line that sums over a value it conditions on (see the
    module); None for any other command or line."""
    if name != "mid":
        return None
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    line = text[start : end if end >= 0 else len(text)]
    summed = {_squeeze(m.group(1)) for m in _SUM.finditer(line)}
    bars = [m for m in _CONDITION.finditer(line) if _squeeze(m.group(1)) in summed]
    if not bars:
        return None
    state = _squeeze(bars[0].group(1))
    at = start + bars[0].start()  # the bar whose condition the sum runs over
    # backwards (rho_{t-1} = \sum_{h_t} P(h_t \mid h_{t-1}) ...): the summed state is the
    # outcome of the transition, so the table's rows are the state it comes from
    backward = any(_squeeze(m.group(1)) == state for m in _OUTCOME.finditer(line))
    name = m.group(1) if (m := _MESSAGE.match(line)) else ("\\rho" if backward else "\\pi")
    if backward:
        hint = (
            "write the tables as matrices and the messages as vectors over the k values of "
            "the state: B \\in \\mathbb{R}^{k \\times k} with B_{ij} = P(h_{t+1} = j \\mid h_t = "
            "i), e_t \\in \\mathbb{R}^{k} the probabilities of x_t given each value, then the "
            f"backward message, one step later, reads as {name}_t = B (e_{{t+1}} \\odot "
            f"{name}_{{t+1}})"
        )
    else:
        hint = (
            "write the tables as matrices and the messages as vectors over the k values of "
            "the state: B \\in \\mathbb{R}^{k \\times k} with B_{ji} = P(h_{t+1} = j \\mid h_t = "
            "i), e_t \\in \\mathbb{R}^{k} the probabilities of x_t given each value, then the "
            f"forward message reads as {name}_{{t+1}} = B ({name}_t \\odot e_t)"
        )
    return ParseError(
        f"a sum over the values of {state} of a conditional probability P(a \\mid {state}) "
        "(a table over the discrete values of a state: a hidden Markov model's message), "
        "which papermath does not read: it reads values computed by equations",
        span=Span(at, at + len("\\mid")),
        hint=hint,
    )
