r"""Notation rule ``presentation.markdown-italic-math``: math set in markdown italics, in a page
that has no ``$``; a markdown quote's ``>``.

What people write (Microsoft's AI-For-Beginners lessons, math in prose lines with HTML
``<sup>``/``<sub>`` and entities, no LaTeX delimiters)::

    function *f* was defined as a linear function *f(x)=wx+b* (here *w* is the weight
    matrix, *x* is the vector of input features, and *b* is bias vector).
    > In the case of classification, ... the function *f* becomes *f(x)=&sigma;(wx+b)*

How papermath reads it: in a text with no ``$`` (and no RST role or directive, no ``\[``,
``\(``), an italic span ``*...*`` that is one symbol (``*w*``, ``*w_1*``) or holds a sign of
mathematics (``=``, ``+``, ``^``, ``_``, ``(``, ``,``, a command) and no word of three letters
or more (commands aside) is inline math, where no line of math (an ``=`` outside such spans,
on a line that is not prose) stands beside them (else the lines are read line by line as
before): its two ``*`` become ``$`` (same length, every caret in place), so the line is prose
around inline math and is read as such (prose that names symbols is still refused by what the
prose says). Emphasis on words (``*bias*``, ``**error**``)
stays prose. A ``>`` that opens a line (a markdown quote) is blanked: markup, not a comparison.

A markdown list marker (``*``, ``-`` or ``+`` and a blank, opening a line after its indent)
before a line that holds an ``=`` is blanked too, in such a text: markup, not a product or a
sign (AI-For-Beginners' ``* z<sub>1</sub>=w<sub>1</sub>x+b<sub>1</sub>`` and
``    - w<sup>(i+1)</sup> = w<sup>(i)</sup>-&eta;...``: ``- w^{(i+1)}`` would be a negated left
side). A marker before a line without ``=`` is left as it was (prose, or a line that continues
an expression: ``a = b`` then ``  - c``).

Example (refused at the product wx: the prose says w is a matrix, which papermath does not
read; the line was refused at the prose's first comma before)::

    function *f* was defined as *f(x)=wx+b* (here *w* is the weight matrix, *x* is the vector)
"""

from __future__ import annotations

import re

__all__ = ["RULE", "rewrite"]

RULE = "presentation.markdown-italic-math"

_ITALIC = re.compile(r"(?<![*\w\\])\*(?=[^\s*])([^*\n]{1,120}?)(?<=[^\s*\\])\*(?![*\w])")
_SYMBOL = re.compile(r"[A-Za-z](?:_\{?\w+\}?)?")
_SIGN = re.compile(r"[=+^_(,\\]")
_LONG_WORD = re.compile(r"[A-Za-z]{3,}")
_COMMAND = re.compile(r"\\[A-Za-z]+")
_PROSE = re.compile(r"[A-Za-z]{2,}(?:[\s,.;:()]+[A-Za-z]{2,}){2,}")  # three words in a row
_QUOTE = re.compile(r"^([ \t]*)>(?=[ \t])", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*([-*+])[ \t]+(?=[^\n]*=)", re.MULTILINE)
_OTHER_MATH = re.compile(r"\$|\\\[|\\\(|:math:`|\.\.[ \t]+math::|\\begin\s*\{")


def _is_math(body: str) -> bool:
    if _SYMBOL.fullmatch(body.strip()):
        return True
    return bool(_SIGN.search(body)) and not _LONG_WORD.search(_COMMAND.sub(" ", body))


def rewrite(text: str) -> str:
    """The text with markdown italic math as ``$...$`` and quote markers blanked (same length).

    >>> rewrite("a linear function *f(x)=wx+b* (here *w* is the *weight* matrix)")
    'a linear function $f(x)=wx+b$ (here $w$ is the *weight* matrix)'
    >>> rewrite("> the function *f*")
    '  the function $f$'
    >>> rewrite("    - w = v - u")
    '      w = v - u'
    """
    if not any(c in text for c in "*>-+"):
        return text
    if _OTHER_MATH.search(text):
        return text  # LaTeX's own delimiters: the italics there are prose
    out = list(text)
    spans = [m.span() for m in _ITALIC.finditer(text) if _is_math(m.group(1))]
    rest = list(text)
    for start, end in spans:
        rest[start:end] = " " * (end - start)
    lines = "".join(rest).split("\n")
    if not any("=" in line and not _PROSE.search(line) for line in lines):
        # else a line of math stands outside the italics (z_1 = w_1 x + b_1, a bullet): the
        # lines are read as lines, not as prose around $...$
        for start, end in spans:
            out[start] = "$"
            out[end - 1] = "$"
    for m in _QUOTE.finditer(text):
        out[m.end() - 1] = " "
    for m in _BULLET.finditer(text):
        out[m.start(1)] = " "
    return "".join(out)
