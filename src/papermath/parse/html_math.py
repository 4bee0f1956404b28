r"""Notation rule ``presentation.html-math``: mathematics inside an HTML page.

What people write: an article's HTML, with its math in the tags its renderer reads and its
prose in tags of layout. Distill (``distill.pub``) writes display math as ``<d-math block>
... </d-math>`` and inline math as ``<d-math> ... </d-math>``, beside ``$...$``, with
``<d-cite key="..."></d-cite>``, ``<d-footnote>``, ``<span>``, ``<h3>``, ``<a href=...>``
around it.

How papermath reads it: ``<d-math block>`` opens display math as ``$$`` does and its
``</d-math>`` closes it as ``$$``; ``<d-math>`` and its ``</d-math>`` are ``$`` ... ``$``. Distill's
2017 template spells the same elements ``<dt-math block>`` and ``<dt-math>`` ("Why Momentum
Really Works": ``Since <dt-math>\nabla f(w)=Aw - b</dt-math>, the iterates are``): read alike. Every
other HTML tag (a known element of HTML, or a custom element, whose name has a hyphen:
``<d-cite>``, ``<d-footnote>``) is layout and blanked with its attributes; what a tag holds
stays (a footnote's prose, a link's words). Each tag becomes its delimiter followed by
spaces, so the text keeps its length and every caret points into the page as written. A
``<`` that opens no tag (``a < b``) is left to the reader, which refuses a comparison.

Real examples (Distill, "Understanding Convolutions on Graphs", 2021):
``<d-math block> \tilde{L} = \frac{2L}{\lambda_{\max}(L)} - I_n. </d-math>``,
``the square $n \times n$ matrix defined as: <d-math> L = D - A. </d-math>``,
``ChebNet <d-cite key="chebnet"></d-cite> refines this idea``.

>>> rewrite('<d-math block>\n  y = W x\n</d-math>')
'$$            \n  y = W x\n$$       '
>>> rewrite('where <d-math>x</d-math> and <b>bold</b>')
'where $       x$         and    bold    '
"""

from __future__ import annotations

import re

from .code_unicode import GREEK  # the Greek letters by their LaTeX names

__all__ = ["rewrite"]

# the elements of HTML that appear around math in pages and notebooks (a tag of another name,
# without a hyphen, is left alone: `<i, j>` in a pair, `a<b>c` are not tags)
_ELEMENTS = (
    "a|abbr|article|aside|b|big|blockquote|body|br|button|caption|center|cite|code|col|dd|del"
    "|details|dfn|div|dl|dt|em|figcaption|figure|font|footer|h[1-6]|head|header|hr|html|i|img"
    "|ins|kbd|label|li|main|mark|nav|ol|p|pre|q|s|samp|section|small|source|span|strong|sub"
    "|summary|sup|table|tbody|td|tfoot|th|thead|tr|tt|u|ul|var|video|iframe"
)
_TAG = re.compile(
    r"<(?P<close>/?)(?P<name>(?:" + _ELEMENTS + r")|[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)"
    r"(?P<attrs>\s[^<>$\\]*?)?/?>",
    re.IGNORECASE,
)
_BLOCK = re.compile(r"\sblock(?:\s|=|$)", re.IGNORECASE)


_SCRIPT = {"sup": "^{", "sub": "_{"}
# HTML's named entities for the Greek letters and operators people type in markdown math
# (`&eta;&nabla;E(w)`), each as its command and a space: never longer than the entity. The
# partial derivative's `&part;` is the character ∂ (the grammar reads it as \partial, which is
# longer than the entity), the script L's `&lagran;` (also `&Lscr;`) is TeX's `\cal L`. Any
# other entity whose command is longer is left as written, and refused.
# The Greek ones are the letters of code_unicode.GREEK: each LaTeX name is also HTML's entity.
_ENTITY_NAMES = [*dict.fromkeys(GREEK.values()), "sum", "prod", "nabla", "times"]
_ENTITY_COMMANDS = {
    **{name: "\\" + name for name in _ENTITY_NAMES},
    "sdot": "\\cdot",
    "middot": "\\cdot",
    "minus": "-",
    "isin": "\\in",
    "part": "∂",
    "lagran": "\\cal L",
    "Lscr": "\\cal L",
    "larr": "\\gets",  # w &larr; w - &eta;&middot;&part;L/&part;w: an update
    "le": "\\le",
    "ge": "\\ge",
}
_ENTITY = re.compile(r"&([A-Za-z]+);")


def _entities(text: str) -> str:
    """``&eta;`` -> ``\\eta`` and a space (same length): an HTML entity for a letter or an operator.

    >>> _entities("w - &eta;&nabla;E(w)")
    'w - \\\\eta \\\\nabla E(w)'
    """
    if "&" not in text:
        return text

    def command(m: re.Match[str]) -> str:
        said = _ENTITY_COMMANDS.get(m.group(1))
        return m.group(0) if said is None else said.ljust(len(m.group(0)))

    return _ENTITY.sub(command, text)


def _put(out: list[str], start: int, end: int, delimiter: str) -> None:
    """``out[start:end]`` becomes ``delimiter`` followed by spaces (newlines stay)."""
    for k in range(start, end):
        if out[k] != "\n":
            out[k] = " "
    out[start : start + len(delimiter)] = list(delimiter)


def rewrite(text: str) -> str:
    """The text with ``<d-math>`` tags as ``$``/``$$`` and other HTML tags blanked (same length).

    A ``</d-math>`` closes the ``<d-math>`` before it (display or inline, as it opened); one
    without an opening is blanked, as is an opening never closed (its math is not delimited).
    """
    text = _entities(text)
    if "<" not in text:
        return text
    out = list(text)
    opened: tuple[int, int, str] | None = None  # the open <d-math>: span and its delimiter
    for m in _TAG.finditer(text):
        name = m.group("name").lower()
        if name in ("sup", "sub") and not m.group("attrs"):  # w<sup>T</sup>x: a script
            _put(out, m.start(), m.end(), "}" if m.group("close") else _SCRIPT[name])
            continue
        if name not in ("d-math", "dt-math"):  # dt-math: Distill's 2017 template
            _put(out, m.start(), m.end(), "")
            continue
        if not m.group("close"):
            if opened is not None:  # a second opening before a close: the first is blanked
                _put(out, opened[0], opened[1], "")
            delimiter = "$$" if _BLOCK.search(m.group("attrs") or "") else "$"
            opened = (m.start(), m.end(), delimiter)
            continue
        if opened is None:
            _put(out, m.start(), m.end(), "")
            continue
        _put(out, opened[0], opened[1], opened[2])
        _put(out, m.start(), m.end(), opened[2])
        opened = None
    if opened is not None:
        _put(out, opened[0], opened[1], "")
    assert len(out) == len(text)
    return "".join(out)
