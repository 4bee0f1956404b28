# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``conditional-left-side``: a conditional probability named on the left of its
own definition, ``p(w_O | w_I) = ...``.

What people write (Mikolov et al. 2013, eq. 2, the skip-gram softmax)::

    p(w_O | w_I) = \frac{\exp\left({v'_{w_O}}^\top v_{w_I}\right)}{\sum_{w=1}^{W} \exp\left({v'_w}^\top v_{w_I}\right)}

How papermath reads it: the left side names the value its right side computes, a probability of
the outcome w_O given the condition w_I, a value that depends on both (a number here; the
probabilities of every outcome where the right side is a vector, ``p(y | x) =
\mathrm{softmax}(W x + b)``). A definition's left
side is where a function's arguments are written (``\text{Softmax}(z_i) = ...``), so the bar of
conditioning there separates two arguments as a comma does: ``p(w_O | w_I)`` is read as
``p(w_O, w_I)`` (the function p of w_O and w_I, defined by the right side; never called, the
equation for its value, with w_O and w_I inputs), and the readings say so. The bar may be
written ``|``, ``\mid`` or ``\vert``; the rewrite keeps every character's position (the bar
becomes a comma and blanks).

Only on a left side: the call must open its statement (at the start of a line, a ``$`` or
``\\``) and be followed by ``=`` (or ``&=``), with one bar inside and no bracket, so a
probability used inside a right side (``y_i = p(c_i \vert c_1, \dots, x)``, an HMM's ``P(x_t
\mid h_t)``) stays refused by its own rules: there it is a value the source does not compute.

Example (reads; p a number, w_O and w_I inputs)::

    p(a | b) = \exp(a^\top b), a \in \mathbb{R}^{d}, b \in \mathbb{R}^{d}
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..source import Span

if TYPE_CHECKING:
    from ..read.reader import Reader

__all__ = ["note", "rewrite"]

RULE = "conditional-left-side"

# a name (p, P, \hat{P}, \mathrm{P}) then (outcome BAR condition) then = ; at a statement's start
_LEFT = re.compile(
    r"(?:^|(?<=\$)|(?<=\\\\)|(?<=\.\. math::))[ \t]*"
    r"(?P<name>(?:\\(?:hat|tilde|bar|mathrm|operatorname|mathbb|mathcal)\s*\{\s*[A-Za-z]\s*\}"
    r"|\\(?:hat|tilde|bar)\s+[A-Za-z]|[A-Za-z]))"
    r"\s*(?:\\left\s*)?\((?P<outcome>[^()|=$\n\\]*(?:\\[A-Za-z]+[^()|=$\n\\]*)*?)"
    r"(?P<bar>\\mid(?![A-Za-z])|\\vert(?![A-Za-z])|\|)"
    r"(?P<condition>[^()|=$\n\\]*(?:\\[A-Za-z]+[^()|=$\n\\]*)*?)(?:\\right\s*)?\)"
    r"\s*&?\s*=(?!=)",
    re.MULTILINE,
)


def _sites(text: str) -> list[re.Match[str]]:
    return [
        m
        for m in _LEFT.finditer(text)
        if m.group("outcome").strip() and m.group("condition").strip()
        and not re.search(r"\\(?:mid|vert)(?![A-Za-z])", m.group("outcome") + m.group("condition"))
    ]  # fmt: skip


def rewrite(text: str, out: list[str]) -> None:
    """Each bar of conditioning in a left side ``p(a | b) =`` becomes a comma (same length)."""
    for m in _sites(text):
        start, end = m.span("bar")
        out[start] = ","
        for k in range(start + 1, end):
            out[k] = " "


def note(reader: Reader) -> None:
    """Say the reading at each left side rewritten."""
    text = reader.source.text
    for m in _sites(text):
        name = " ".join(m.group("name").split())
        outcome, condition = m.group("outcome").strip(), m.group("condition").strip()
        start = m.start("name")
        span = Span(start, text.index(")", m.end("condition")) + 1)
        reader.note(
            span,
            f"{name}({outcome}, {condition}): the conditional probability as a function",
            f"{reader.source.snippet(span)} names the value its right side computes: the "
            f"probability of {outcome} given {condition}, a value that depends on both; on a "
            f"definition's left side the bar of conditioning separates two arguments as a "
            f"comma does, so it is read as {name}({outcome}, {condition}) "
            f"(rule {RULE})",
        )
