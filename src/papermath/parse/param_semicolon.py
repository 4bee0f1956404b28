r"""Notation rule ``semicolon-parameters``: a function called with its parameters named after a
semicolon, ``f(x; \theta)``.

What people write (the Deep Learning book, eq. 10.1 and 10.5, and everyone who follows it)::

    s^{(t)} = f(s^{(t-1)}; \theta)
    h^{(t)} = f(h^{(t-1)}, x^{(t)}; \boldsymbol{\theta})
    Q(s, a; \theta),  F(Y_i; \Theta),  h(t; \theta)

The semicolon separates the function's arguments (what it is applied to) from its parameters
(what it learns): "f with the parameters theta". How papermath reads it: the call is the
learnable function of its arguments (``f(x)``: an affine map of their concatenation by
default, its weights f.weight and f.bias), and theta is the name the source gives those
parameters: theta is a parameter (its kind), the parameters of f, said in the reading. The
parameters are blanked before the parser (every position kept), and the reader checks the
rest (read/reader.py, ``param_sets``).

Only where the function is applied on a right side (not defined: ``f(x; W, b) = ...`` writes
its body with the parameters, and is refused as before, parse/unexpected.py), the name after
the semicolon is one symbol (a letter, Greek or Latin, in any font, with no script), and the
arguments hold no bar (``p(y | x; \theta)`` is a probability, refused). A function the source
names (\sigma, \tanh) or defines, two functions sharing one name for their parameters, or one
function given two names, are refused by the reader, naming theta.
"""

from __future__ import annotations

import dataclasses
import re

from ..source import Span
from . import ast
from .normalize import Normalized

RULE = "semicolon-parameters"

__all__ = ["RULE", "ParamSet", "blanked"]


@dataclasses.dataclass(frozen=True)
class ParamSet(ast.Directive):
    """``func`` called with its parameters named ``param`` (a key: ``theta``) after a
    semicolon; the span is the parameters' (read/reader.py reads it)."""

    func: str = ""
    param: str = ""


# the parameters: one letter, in a font or not, with no script: `\theta`, `\boldsymbol{\theta}`
_PARAM = re.compile(
    r";\s*(?P<param>(?:\\(?:boldsymbol|bm|mathbf|mathit|mathrm|vec|pmb)\s*\{\s*"
    r"(?P<inner>\\[A-Za-z]+|[A-Za-z])\s*\}|(?P<bare>\\[A-Za-z]+|[A-Za-z])))\s*\)"
)
# the function's name just before its parenthesis: a letter, \operatorname{name}, \mathrm{name}
_FUNC = re.compile(
    r"(?:(?P<letter>(?<![\\A-Za-z])[A-Za-z])|\\(?:operatorname|mathrm|text)\s*\{(?P<word>[A-Za-z]+)\})"
    r"\s*(?:\\left\s*)?\($"
)
# math inside prose: $...$, $$...$$, \[...\], an environment \begin{align} ... \end{align}
_MATH = re.compile(
    r"\$\$.*?\$\$|(?<!\\)\$[^$]*\$|\\\[.*?\\\]|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S
)


def _open_paren(text: str, end: int) -> int | None:
    """The position of the ``(`` that the ``)`` at ``end`` closes; None where unbalanced."""
    depth = 0
    for i in range(end, -1, -1):
        c = text[i]
        if c == ")":
            depth += 1
        elif c == "(":
            depth -= 1
            if depth == 0:
                return i
    return None


def _in_math(norm: Normalized, start: int, end: int) -> bool:
    """Whether ``start:end`` is math: in a region of math, or inside ``$...$`` of prose."""
    for r in norm.regions:
        if not r.text[start:end].strip() or r.text[start:end] != norm.text[start:end]:
            continue
        if not r.mixed:
            return True
        if any(m.start() < start and end <= m.end() for m in _MATH.finditer(r.text)):
            return True
    return False


def blanked(norm: Normalized) -> tuple[Normalized, list[ParamSet]]:
    """``norm`` with each ``; \\theta`` of a call ``f(x; \\theta)`` on a right side blanked
    (positions kept), and what each said; the rest as it was (see the module)."""
    text = norm.text
    found: list[ParamSet] = []
    spans: list[tuple[int, int]] = []
    for m in _PARAM.finditer(text):
        close = m.end() - 1
        if not _in_math(norm, m.start(), m.end()):
            continue  # prose: "f(x; y)" in words is not read
        start = _open_paren(text, close)
        if start is None:
            continue
        inside = text[start + 1 : m.start()]
        if "|" in inside or "\\mid" in inside or "\\vert" in inside or ";" in inside:
            continue  # p(y | x; \theta): a probability
        if "\n\n" in inside or "$" in inside:
            continue
        head = _FUNC.search(text, max(0, start - 40), start + 1)
        if head is None or not inside.strip():
            continue
        after = text[m.end() : m.end() + 12]
        if re.match(r"\s*(?:&\s*)?(?::=|=)", after):
            continue  # f(x; W) = ...: a definition, written with its parameters
        inner = m.group("inner") or m.group("bare")
        param = inner[1:] if inner.startswith("\\") else inner
        if inner.startswith("\\") and not param.isalpha():
            continue
        func = head.group("letter") or head.group("word")
        spans.append((m.start(), m.end() - 1))
        found.append(
            ParamSet(
                Span(m.start("param"), m.end("param")),
                f"{param} is the parameters of {func}",
                func=func,
                param=param,
            )
        )
    if not spans:
        return norm, []

    def blank(region: str) -> str:
        for a, b in spans:
            if region[a:b].strip():
                region = region[:a] + " " * (b - a) + region[b:]
        return region

    regions = tuple(dataclasses.replace(r, text=blank(r.text)) for r in norm.regions)
    return dataclasses.replace(norm, text=blank(text), regions=regions), found
