r"""Notation rule ``prose-statistics-named``: the prose says which statistics of the input a
formula's Greek letters are, and names the layer, whose name says the axis they run over
(Sonnet's BatchNorm docstring):

    \d{outputs} = \d{scale} \dfrac{x - \mu}{\sigma + \epsilon} + \d{offset}

    Where :math:`\mu` and :math:`\sigma` are respectively the mean and standard deviation of
    ``x``. Note that this module automatically uses the fused batch norm op ...

Read as if the formula wrote them: ``\mu`` is ``\mathrm{E}[x]`` and ``\sigma`` is
``\sqrt{\mathrm{Var}[x]}`` (a variance: ``\mathrm{Var}[x]``), over the axis the name says
(batch normalisation: the examples of the mini-batch, one value per feature; layer or RMS
normalisation: the features of one example; read/rules_norm_axis.py). Where no layer is named,
or several are, the prose does not say the axis and the statements stay refused
(parse/doubts.py: "the prose says \mu is the mean ..., but not over which axis").

This module finds the sentences and the name (the words); read/rules_prose_stats.py puts the
statistics in the equations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source import Span

_SYM = r"(?::math:`|\$)([^`$]+)(?:`|\$)"
_X = r"(?:``([^`]+)``|:math:`([^`]+)`|\$([^$]+)\$)"
_WORD = r"(mean|average|variance|standard\s+deviation)"
_PAIR = re.compile(
    rf"{_SYM}\s+and\s+{_SYM}\s+are\s+(?:respectively\s+)?the\s+{_WORD}\s+and\s+"
    rf"(?:the\s+)?{_WORD}\s+of\s+{_X}",
    re.IGNORECASE,
)
_ONE = re.compile(rf"{_SYM}\s+is\s+the\s+{_WORD}\s+of\s+{_X}", re.IGNORECASE)

# the layers whose statistics run over the features of one example, by the names people give
FEATURES = re.compile(
    r"\b(?:layer[\s-]?norm(?:ali[sz]ation)?|LayerNorm|RMS[\s-]?norm(?:ali[sz]ation)?|RMSNorm)\b",
    re.IGNORECASE,
)
BATCH = re.compile(r"\bbatch[\s-]?norm(?:ali[sz]ation)?\b|\bBatchNorm", re.IGNORECASE)
# the layers whose statistics run over another axis (a channel's positions, a group)
OTHERS = re.compile(
    r"\b(?:instance|group)[\s-]?norm(?:ali[sz]ation)?\b|\b(?:Instance|Group)Norm", re.IGNORECASE
)


@dataclass(frozen=True)
class Said:
    """One statistic the prose names: the symbol as written (``\\mu``), the statistic (mean,
    variance, standard deviation), the value it is of (``x``), where the words are."""

    symbol: str
    word: str
    of: str
    span: Span


def named_axis(text: str) -> tuple[str, str] | None:
    """("features" or "batch", the name as written) where the text names exactly one kind of
    normalisation whose name says the axis; None otherwise."""
    features, batch = FEATURES.search(text), BATCH.search(text)
    if OTHERS.search(text) or (features is None) == (batch is None):
        return None
    if features is not None:
        return "features", " ".join(features.group(0).split())
    assert batch is not None
    return "batch", " ".join(batch.group(0).split())


def statistics(text: str) -> list[Said]:
    """The statistics the prose names (``:math:`\\mu` and :math:`\\sigma` are respectively the
    mean and standard deviation of ``x``)."""
    out: list[Said] = []
    for m in _PAIR.finditer(text):
        of = (m.group(5) or m.group(6) or m.group(7)).strip()
        span = Span(m.start(), m.end())
        out.append(Said(m.group(1).strip(), _word(m.group(3)), of, span))
        out.append(Said(m.group(2).strip(), _word(m.group(4)), of, span))
    for m in _ONE.finditer(text):
        of = (m.group(3) or m.group(4) or m.group(5)).strip()
        out.append(Said(m.group(1).strip(), _word(m.group(2)), of, Span(m.start(), m.end())))
    return out


def _word(text: str) -> str:
    word = " ".join(text.lower().split())
    return "mean" if word == "average" else word


def read(text: str) -> bool:
    """Does the text name statistics and the layer whose name says their axis (this rule reads
    them, so the refusal of parse/doubts.py does not apply)?"""
    return named_axis(text) is not None and bool(statistics(text))
