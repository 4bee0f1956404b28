r"""Normalisation before parsing: presentation out, mathematics in, every position kept.

People paste equations with the markup of wherever they found them: reStructuredText
docstrings, markdown notes, slides with colours and boxes. This stage turns that
presentation into the notation the grammar reads, so that the parser and the reader see
mathematics only. It **never changes the length of the text or moves a character**: what
it removes becomes spaces (a newline stays a newline), what it rewrites is rewritten in
place with the same number of characters. Every span the parser records is therefore a
span of the text as the user typed it, and every caret points at the right line and
column (as :mod:`papermath.parse.macros` blanks definitions).

>>> normalize(r"where :math:`x \in R^n`").text
'where       $x \\in R^n$'
>>> normalize(r"y = \boxed{W x}").text
'y =       {W x}'

What it does, and why (written -> becomes: why):

- ``\color{red}``, ``\Huge``, ``\large``, ``\textstyle`` -> blanked: colour and size change
  nothing.
- ``\phantom{..}``, ``\vphantom{..}``, ``\tag{..}``, ``\hspace{..}`` -> blanked with their
  argument: invisible spacing, an equation's number.
- ``\textcolor{red}{x}``, ``\colorbox{c}{x}``, ``\boxed{x}``, ``\smash{x}`` -> ``{x}``: the
  mathematics is kept exactly, with its braces (a group, so ``\boxed{a + b} c`` stays
  ``(a + b) c``); braces that hold a whole equation (``\boxed{h = W x}``) are blanked too.
- ``\mathop{x}`` -> ``x``: an operator name.
- ``\overbrace{x}^{..}``, ``\underbrace{x}_{..}`` -> ``{x}``: the words over or under the
  brace are about x, not mathematics (``\underbrace{W x}_{\text{logits}}`` keeps ``W x``).
- ``\mathtt{x}`` -> ``\mathrm{x}``: a font; ``\vert`` -> ``|``: the bar itself.
- ``\_``, ``\*`` -> `` _``, `` *``: markdown's escapes of ``_`` and ``*``.
- ``\text{where}``, ``\text{ and }`` (also ``for``, ``with``, ``if``, ...) -> the word: a prose
  word between two equations separates them, as it does outside ``\text``.
- ``\text{(Forget gate)}`` -> blanked: a remark in parentheses that names a row.
- ``$$x$$`` inside a line of prose -> `` $x$ ``: inline math written with ``$$`` (CS231n).
- a markdown fence ````` ```math ````` ... ````` ``` ````` -> ``$$`` ... ``$$``.
- a newline inside an environment (``align``, ``aligned``, ``array``, ``equation``, ...) ->
  a space, as LaTeX reads it: ``\\\\`` ends a row, and two rows without it are one row
  (refused at the second ``=``, never read as two equations).
- plain text (no ``$``): a line of prose (three words in a row, CJK, a heading) that holds no
  ``=`` and names no symbol is skipped; prose that names one ("where x is the input") is
  kept, so it is refused rather than read without what it says.
- reStructuredText: ``:math:`x``` -> ``      $x$``, ``.. math::`` and its indented block (one
  equation a paragraph, as Sphinx reads it) -> display math, LaTeX lines beside RST prose ->
  display math; a role on an operator alone (``:math:`*```, or ``$\odot$``) is prose that
  names it: blanked. What docstring prose says that would change the reading (a shape, ``*``
  as convolution) is refused by :mod:`papermath.parse.doubts`.

- a newline inside ``$$...$$`` or ``\[...\]`` (and between LaTeX lines beside RST prose) ->
  a space, as in LaTeX, unless the lines are separate equations: the next line is blank, or
  it has a relation of its own while the equation so far has one (``a = 1`` newline
  ``b = 2``); ``\\`` ends a row. A next line that starts with ``=`` continues a chain.
- code: a fenced block of another language (```` ```python ````, ```` ```java ````, a bare
  ```` ``` ````) and a markdown code span (`` `x ** 2` ``, outside RST) are blanked; where
  code holds the only ``=``, :func:`papermath.parse.parse` refuses at it (a formula written
  as code is not LaTeX). Web addresses, HTML tags (``<div class="fig">``) and the triple
  quotes of a Python docstring are blanked.
- ``![h = W x](https://math.jianshu.com/math?formula=...)`` (the alt text of an image from a
  formula renderer) -> `` $h = W x$ ``.
- ``$\odot$`` (an operator alone in inline math), ``($i = 1, \ldots, h$)`` (an index's range),
  ``$\sigma(\cdot)$`` (a function with a placeholder) -> blanked: prose that names them.
- ``{\rm margin}`` -> ``\rm{ margin}``: plain TeX's font switch on a word, a roman name.
- ``{\sum}_{k=0}^K`` -> `` \sum _{k=0}^K``: braces around the operator alone.
- ``\\( s = W x \\)`` on one line (markdown for MathJax) -> `` \( s = W x \)``.

Not normalised: ``\cancel`` (a struck-out term is a claim about the mathematics).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import (
    approx_remark,
    arrow_lead,
    bar_mentions,
    bracket_sizes,
    capital_sigma_sums,
    cases,
    code_value_mentions,
    condition_mentions,
    conditional_left,
    continued_rows,
    cut_start,
    dotted_sums,
    edge_indicator,
    entry_vectors,
    flag_default,
    flag_forms,
    graph_tuple,
    hbox,
    html_math,
    keras_shapes,
    label_cases,
    markdown_math,
    mid_bars,
    operator_words,
    paren_arrays,
    parity_cases,
    range_mentions,
    row_ranges,
    rst_literals,
    running_average,
    signatures,
    slice_mentions,
    step_ranges,
    swapped_closers,
    system_brace,
    text_digits,
    text_prose,
    vdots_stack,
)

__all__ = ["Normalized", "Region", "normalize"]


@dataclass(frozen=True)
class Region:
    """A part of the text read one way: the whole text with everything else blanked."""

    text: str
    mixed: bool  # prose with math in $...$ (else all math, a statement a line)
    soft_newlines: frozenset[int]  # newlines inside an equation: spaces


@dataclass(frozen=True)
class Normalized:
    text: str  # as long as the input, presentation blanked, roles as $...$
    regions: tuple[Region, ...]
    rst: tuple[int, int] | None = None  # the first RST role or `.. math::`, if any
    code: tuple[tuple[int, int], ...] = ()  # code (a ```python fence, `x ** 2`) holding an =
    said: tuple[tuple[int, int], ...] = ()  # prose lines kept as math: they name symbols


# ---- commands ------------------------------------------------------------------------------

# blanked, with this many brace arguments
_BLANK: dict[str, int] = {
    **dict.fromkeys(
        [
            "Huge",
            "huge",
            "LARGE",
            "Large",
            "large",
            "normalsize",
            "small",
            "footnotesize",
            "scriptsize",
            "tiny",
            "textstyle",
            "scriptstyle",
            "scriptscriptstyle",
            "mathstrut",
            "strut",
            "hfill",
        ],
        0,
    ),
    **dict.fromkeys(["color", "phantom", "vphantom", "hphantom", "tag", "hspace", "vspace"], 1),
}
# the last brace argument is the mathematics; this many arguments before it are blanked
_UNWRAP: dict[str, int] = {
    "textcolor": 1,
    "colorbox": 1,
    "fcolorbox": 2,
    "boxed": 0,
    "mathop": 0,
    "smash": 0,
    "overbrace": 0,
    "underbrace": 0,
}
# `\stackrel{note}{=}`, `\overset{def}{=}`: a note over a relation (the relation is kept)
_OVER_RELATION = re.compile(
    r"\s*\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}\s*\{\s*(=|:=|\\coloneqq|\\triangleq|\\equiv)\s*\}"
)
# rewritten in place, same length
_SAME_LENGTH = {"mathtt": "\\mathrm", "vert": "|    "}
# a prose word in a text command separates two equations (the grammar's `_PROSEWORD`)
_PROSE_WORDS = {"where", "and", "with", "for", "let", "given", "if"}
_TEXT_CMDS = {"text", "textrm", "mathrm", "mbox", "textnormal"}

_RELATION = re.compile(
    r"=|\\(?:in|sim|coloneqq|triangleq|equiv|leftarrow|gets|approx|propto|le|ge|leq|geq|neq)"
    r"(?![A-Za-z])"
)


def _blank(out: list[str], start: int, end: int) -> None:
    """Spaces in place of ``out[start:end]``; a newline stays, and so does any character
    the reader refuses (NUL, control and format characters): blanking never hides one."""
    for k in range(start, end):
        if out[k] != "\n" and (out[k].isprintable() or out[k] == "\t"):
            out[k] = " "


def _group_end(text: str, i: int) -> int | None:
    """The index after the brace group opening at ``i`` (``text[i] == "{"``), or None.

    The groups of the whole text are matched once (a stack, ``\\{`` skipped as escaped) and
    kept for the text: scanning forward from each ``{`` made a text of many unclosed groups
    (``\\text{\\text{...``) quadratic."""
    global _PAIRS
    last = _PAIRS
    if last is None or last[0] is not text:
        pairs: dict[int, int] = {}
        stack: list[int] = []
        j, n = 0, len(text)
        while j < n:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "{":
                stack.append(j)
            elif ch == "}" and stack:
                pairs[stack.pop()] = j + 1
            j += 1
        last = _PAIRS = (text, pairs)
    return last[1].get(i)


_PAIRS: tuple[str, dict[int, int]] | None = None  # the text's brace groups (_group_end)


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _has_relation(body: str) -> bool:
    """A relation (``=``, ``\\in``) outside any brackets of ``body``."""
    depth = 0
    i = 0
    while i < len(body):
        ch = body[i]
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif depth == 0 and _RELATION.match(body, i):
            return True
        i += 2 if ch == "\\" and body[i + 1 : i + 2] in "{}()[]" else 1
    return False


def _commands(text: str, out: list[str]) -> None:
    """Presentational commands, blanked or rewritten in ``out`` (same length as ``text``)."""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "%" and (i == 0 or text[i - 1] != "\\"):  # a comment stays as written
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch != "\\":
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        if nxt in ("_", "*"):  # markdown escapes
            out[i] = " "
            i += 2
            continue
        j = i + 1
        while j < n and text[j].isalpha():
            j += 1
        name = text[i + 1 : j]
        if not name:
            i += 2
            continue
        end = j + (1 if name == "tag" and text[j : j + 1] == "*" else 0)
        if name in _SAME_LENGTH:
            out[i:j] = list(_SAME_LENGTH[name])
        elif name in _BLANK:
            k = end
            for _ in range(_BLANK[name]):
                a = _skip_space(text, k)
                close = _group_end(text, a) if text[a : a + 1] == "{" else None
                if close is None:
                    break
                k = close
            _blank(out, i, k)
        elif name in ("stackrel", "overset") and _OVER_RELATION.match(text, j):
            # \stackrel{\tiny \downarrow}{=}: a note over a relation is presentation
            m = _OVER_RELATION.match(text, j)
            assert m is not None
            _blank(out, i, m.start(1))
            _blank(out, m.end(1), m.end())
        elif name in _UNWRAP:
            _unwrap(text, out, i, end, name)
        elif name in _TEXT_CMDS:
            a = _skip_space(text, j)
            close = _group_end(text, a) if text[a : a + 1] == "{" else None
            inner = text[a + 1 : close - 1].strip() if close is not None else ""
            if close is not None and inner.startswith("(") and inner.endswith(")"):
                # \text{(Forget gate)}: a remark in parentheses, the name of a row
                _blank(out, i, close)
            elif close is not None and inner in _PROSE_WORDS:
                word = text[a + 1 : close - 1]
                _blank(out, i, a + 1)
                _blank(out, close - 1, close)
                out[a + 1 : close - 1] = list(word)
        i = max(j, i + 2)


_BRACED_BIGOP = re.compile(r"\{\s*(\\(?:sum|prod))\s*\}")


def _braced_bigops(text: str, out: list[str]) -> None:
    """``{\\sum}_{k=0}^K`` (DGL's TAGConv): braces around the big operator alone group
    nothing: blanked, the sum keeps its limits.

    >>> normalize(r"{\\sum}_{k=0}^K x_k").text
    ' \\\\sum _{k=0}^K x_k'
    """
    for m in _BRACED_BIGOP.finditer(text):
        _blank(out, m.start(), m.start(1))
        _blank(out, m.end(1), m.end())


_OLD_FONT_WORD = re.compile(r"\{(\\rm)(\s+)([A-Za-z]+)\s*\}")


def _old_font_words(text: str, out: list[str]) -> None:
    """``{\\rm margin}`` (plain TeX's font switch on a word) -> ``\\rm{ margin}``: the word is a
    name set in roman, as ``\\mathrm{margin}`` (same length: the brace moves after ``\\rm``).

    >>> normalize(r"{\\rm margin}").text
    '\\\\rm{ margin}'
    """
    for m in _OLD_FONT_WORD.finditer(text):
        start = m.start()
        out[start : start + 4] = list("\\rm{")


_BAR_CMD = re.compile(r"\\([lr])vert(?![A-Za-z])|\$|\n")


def _bar_commands(text: str, out: list[str]) -> None:
    """``\\rvert N(v) \\rvert`` (CS224W's notes: ``\\rvert`` typed for both bars of a count):
    a ``\\rvert`` where no bar is open cannot close one, so it opens: rewritten ``\\lvert`` in
    place (same length) when a later ``\\rvert`` of the same math (a line, up to a ``$``)
    closes it. A ``\\rvert`` with no partner is left for the parser's error.

    >>> normalize(r"$\\rvert V \\rvert$").text
    '$\\\\lvert V \\\\rvert$'
    """
    segments: list[list[tuple[str, int]]] = [[]]
    for m in _BAR_CMD.finditer(text):
        if m.group(1) is None:
            segments.append([])
        elif out[m.start()] == "\\":  # not blanked by an earlier step
            segments[-1].append((m.group(1), m.start()))
    for bars in segments:
        depth = 0
        for k, (side, start) in enumerate(bars):
            if side == "l":
                depth += 1
            elif depth > 0:
                depth -= 1
            elif any(s == "r" for s, _ in bars[k + 1 :]):
                out[start + 1] = "l"
                depth = 1


def _unwrap(text: str, out: list[str], i: int, j: int, name: str) -> None:
    k = j
    for _ in range(_UNWRAP[name]):  # leading arguments (a colour)
        a = _skip_space(text, k)
        close = _group_end(text, a) if text[a : a + 1] == "{" else None
        if close is None:
            return  # not the form we know: leave it to the parser's error
        k = close
    a = _skip_space(text, k)
    close = _group_end(text, a) if text[a : a + 1] == "{" else None
    if close is None:
        return
    _blank(out, i, a)
    if name == "mathop" or _has_relation(text[a + 1 : close - 1]):
        _blank(out, a, a + 1)
        _blank(out, close - 1, close)
    if name in ("overbrace", "underbrace"):  # the words over or under the brace
        s = _skip_space(text, close)
        if text[s : s + 1] == ("^" if name == "overbrace" else "_"):
            b = _skip_space(text, s + 1)
            if text[b : b + 1] == "{":
                end = _group_end(text, b)
                if end is not None:
                    _blank(out, s, end)
            elif (cmd := re.match(r"\\[A-Za-z]+", text[b:])) is not None:
                # _\text{data loss}: a command and its one group (TeX's script argument)
                g = _skip_space(text, b + cmd.end())
                end = _group_end(text, g) if text[g : g + 1] == "{" else None
                _blank(out, s, end if end is not None else b + cmd.end())
            elif b < len(text):
                _blank(out, s, b + 1)


# ---- markup: RST roles, markdown fences, $$ inline ----------------------------------------

_ROLE = re.compile(r":math:`([^`]*)`")
_DIRECTIVE = re.compile(r"^([ \t]*)\.\.[ \t]+math::(.*)$", re.MULTILINE)
_FENCE = re.compile(r"^([ \t]*)```[ \t]*(math|latex|tex|katex)[ \t]*$", re.MULTILINE)
_FENCE_CLOSE = re.compile(r"^[ \t]*```[ \t]*$", re.MULTILINE)


# an operator alone in inline math is prose that mentions it ("where :math:`*` denotes ...");
# an arrow alone is prose too, with no values on either side (UvA's "a Linear$\to$ReLU$\to$Linear
# MLP": the order of the layers)
_OPERATOR_ALONE = re.compile(
    r"\s*(?:\*|\+|-|/|\\(?:ast|star|odot|circ|otimes|oplus|cdot|times|bullet|div"
    r"|to|rightarrow|longrightarrow|Rightarrow))\s*"
)


def _roles(text: str, out: list[str]) -> list[tuple[int, int]]:
    spans = []
    for m in _ROLE.finditer(text):
        start, end = m.start(), m.end()
        if _OPERATOR_ALONE.fullmatch(m.group(1)):
            _blank(out, start, end)  # :math:`*`: a mention of the operator, in prose
            continue
        _blank(out, start, start + 6)  # ":math:" -> spaces, the backticks -> $
        out[start + 6] = "$"
        out[end - 1] = "$"
        spans.append((start, end))
    return spans


_CODE_FENCE = re.compile(r"^[ \t]*```[ \t]*([\w+-]*)[ \t]*$", re.MULTILINE)
_MATH_LANGS = {"math", "latex", "tex", "katex"}
_CODE_SPAN = re.compile(r"(?<![`\\])`([^`\n]+)`(?!`)")


def _code(text: str, out: list[str], *, rst: bool) -> list[tuple[int, int]]:
    """Code is not mathematics: a fenced block of another language (```` ```python ````,
    ```` ``` ````) and, outside RST, a markdown code span (`` `y_true` ``) are blanked. The
    spans of code that holds an ``=`` (a formula written as code) are returned, for the
    refusal where nothing else is left to read.

    >>> normalize("Formula:\\n```python\\nloss = mean(x ** 2)\\n```").code
    ((9, 18),)
    """
    found: list[tuple[int, int]] = []
    pos = 0
    while (m := _CODE_FENCE.search(text, pos)) is not None:
        close = _CODE_FENCE.search(text, m.end())
        if m.group(1).lower() in _MATH_LANGS:  # display math (_fences)
            pos = close.end() if close is not None else m.end()
            continue
        if m.group(1) == "" and close is None:
            pos = m.end()
            continue
        end = close.end() if close is not None and close.group(1) == "" else len(text)
        if "=" in text[m.end() : end]:
            found.append((m.start() + m.group(0).index("`"), m.end()))
        _blank(out, m.start(), end)
        pos = end
    for start, body, end in rst_literals.assignments(text):  # * ``p := p - g``: code
        found.append((body, end))
        _blank(out, start, end + 2)
    if not rst:
        for m in _CODE_SPAN.finditer(text):
            if all(c == " " or c == "\n" for c in out[m.start() : m.end()]):
                continue  # inside a blanked fence
            if "=" in m.group(1):
                found.append(m.span())
            _blank(out, m.start(), m.end())
    return sorted(found)


# a formula as the alt text of an image from a formula renderer (Jianshu, CodeCogs, ...)
_FORMULA_URL = re.compile(r"https?://[^\s)]*(?:formula=|codecogs|cht=tx|render/math|latex)")
_URL = re.compile(r"<?https?://[^\s<>]*[^\s<>.,;:)\]]>?")


def _closing(text: str, i: int, opening: str, closing: str) -> int | None:
    """The index of the bracket that closes the one at ``i`` (nested ones counted)."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "\n":
            return None
        if text[j] == opening:
            depth += 1
        elif text[j] == closing:
            depth -= 1
            if depth == 0:
                return j
    return None


def _formula_images(text: str, out: list[str]) -> None:
    """``![h = W x](https://math.jianshu.com/math?formula=...)``: the alt text of a formula
    image is the formula, as inline math: `` $h = W x$ `` and the address blanked.

    >>> normalize("![h = W x](https://math.jianshu.com/math?formula=h)").text.rstrip()
    ' $h = W x$'
    """
    for m in re.finditer(r"!\[", text):
        close = _closing(text, m.start() + 1, "[", "]")
        if close is None or text[close + 1 : close + 2] != "(":
            continue
        end = _closing(text, close + 1, "(", ")")
        if end is None or not _FORMULA_URL.match(text, close + 2):
            continue
        out[m.start()] = " "
        out[m.start() + 1] = "$"
        out[close] = "$"
        _blank(out, close + 1, end + 1)


_HTML_TAG = re.compile(
    r"</?(?:div|img|p|br|span|figure|figcaption|center|a|table|tr|td|th|em|strong|details"
    r"|summary|hr|video|source|iframe|b|i|u)(?:\s[^<>\n]*)?/?>",
    re.IGNORECASE,
)


def _html(text: str, out: list[str]) -> None:
    """HTML in markdown (``<div class="fig">``, ``<img src=...>``) is layout: blanked."""
    for m in _HTML_TAG.finditer(text):
        _blank(out, m.start(), m.end())


def _urls(text: str, out: list[str]) -> None:
    """A web address is prose (a citation), never mathematics: blanked."""
    for m in _URL.finditer(text):
        if all(c == " " for c in out[m.start() : m.end()]):
            continue
        _blank(out, m.start(), m.end())


_DOCSTRING_QUOTES = re.compile(
    r"^[ \t]*([rRuUbB]?(?:\"\"\"|\'\'\'))|(\"\"\"|\'\'\')[ \t]*$", re.MULTILINE
)


def _docstring_quotes(text: str, out: list[str]) -> None:
    """The quotes that open or close a Python docstring (``r\"\"\"``) are not mathematics."""
    for m in _DOCSTRING_QUOTES.finditer(text):
        group = 1 if m.group(1) else 2
        _blank(out, m.start(group), m.end(group))


# `($l=1,\ldots,L$)`, `$i = 1, \dots, h$`: an index's range said in prose
_RANGE = re.compile(
    r"\s*[A-Za-z]\s*=\s*[0-9]\s*,\s*(?:\\[lc]?dots|\.\.\.)\s*,\s*[A-Za-z0-9_{}\\ ]+"
)
_SINGLE_DOLLAR = re.compile(r"(?<![\\$])\$(?!\$)")


def _inline_math(text: str) -> list[tuple[int, int]]:
    """The ``$...$`` of the text, each (the index of its ``$``, the index after its ``$``),
    paired in order within a paragraph (``$$`` and ``\\$`` are not these)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for para in re.split(r"(\n[ \t]*\n)", text):
        marks = [start + m.start() for m in _SINGLE_DOLLAR.finditer(para)]
        spans += [(a, b + 1) for a, b in zip(marks[::2], marks[1::2], strict=False)]
        start += len(para)
    return spans


# `$\sigma(\cdot)$`, `$\mathcal{S}(.)$`: a function named in prose, with a placeholder argument
_PLACEHOLDER_CALL = re.compile(
    r"\s*(?:\\[A-Za-z]+\s*\{?\s*[A-Za-z]\s*\}?|\\[A-Za-z]+|[A-Za-z])(?:_\{?[\w,]+\}?)?"
    r"\s*(?:\\left)?\(\s*(?:\\cdot|\.|\\,|\\;)?\s*(?:\\right)?\)\s*"
)


# `ReLU $(\cdot)^{+}$`: a placeholder with the script that makes it the function (NYU's notes)
_PLACEHOLDER_SCRIPT = re.compile(
    r"\s*(?:\\left)?[(\[]\s*(?:\\cdot|\.)\s*(?:\\right)?[)\]]\s*[_^]\s*(?:\{\s*\+\s*\}|\+)\s*"
)


def _placeholders(text: str, out: list[str]) -> None:
    """``where $\\sigma(\\cdot)$ is the sigmoid``: a function named in prose with a placeholder
    for its argument; blanked (what prose says of it is read by the words, if at all).

    >>> normalize(r"where $\\mathcal{S}(.)$ is shared").text
    'where                  is shared'
    """
    for a, b in _inline_math(text):
        inside = (text, a + 1, b - 1)
        if _PLACEHOLDER_CALL.fullmatch(*inside) or _PLACEHOLDER_SCRIPT.fullmatch(*inside):
            _blank(out, a, b)
    for m in _DDOLLAR_PAIR.finditer(text):  # $$\mathcal{S}(.)$$ in a line of prose (kramdown)
        if _PLACEHOLDER_CALL.fullmatch(text, m.start(1), m.end(1)):
            _blank(out, m.start(), m.end())


def _ranges(text: str, out: list[str]) -> None:
    """``($i = 1, \\ldots, h$)`` names the values an index runs over, in prose: blanked (the
    index is read where the equations use it).

    >>> normalize(r"head ($i = 1, \\ldots, h$)").text
    'head (                  )'
    """
    for a, b in _inline_math(text):
        if _RANGE.fullmatch(text, a + 1, b - 1):
            _blank(out, a, b)


# only \\( \\): a `\\\\[` in LaTeX is also a row break followed by a bracket (`\\\\[2pt]`)
_ESCAPED_DELIMITERS = re.compile(r"(?<!\\)\\(\\\()([^\n]*?)(?<!\\)\\(\\\))")


def _escaped_delimiters(text: str, out: list[str]) -> None:
    """Markdown for MathJax writes ``\\\\(x\\\\)`` (markdown eats one backslash): the math
    delimiters ``\\(x\\)``, on one line.

    >>> normalize(r"we compute \\\\( s = W x \\\\).").text
    'we compute  \\\\( s = W x  \\\\).'
    """
    for m in _ESCAPED_DELIMITERS.finditer(text):
        out[m.start()] = " "
        out[m.start(3) - 1] = " "


def _operator_mentions(text: str, out: list[str]) -> None:
    """``$\\odot$ is the Hadamard product``: an operator alone between dollars is named, in
    prose, not used; blanked (as a role ``:math:`*``` is), it is not read as an expression.

    >>> normalize(r"where $\\odot$ is elementwise").text
    'where         is elementwise'
    """
    for a, b in _inline_math(text):
        if _OPERATOR_ALONE.fullmatch(text, a + 1, b - 1):
            _blank(out, a, b)


def _fences(text: str, out: list[str]) -> None:
    pos = 0
    while True:
        m = _FENCE.search(text, pos)
        if m is None:
            return
        close = _FENCE_CLOSE.search(text, m.end())
        if close is None:
            return
        o = m.start() + len(m.group(1))
        _blank(out, m.start(), m.end())
        out[o : o + 2] = ["$", "$"]
        c = close.start() + close.group(0).index("`")
        _blank(out, close.start(), close.end())
        out[c : c + 2] = ["$", "$"]
        pos = close.end()


_DDOLLAR_PAIR = re.compile(r"(?<!\\)\$\$([^$\n]+?)(?<!\\)\$\$")


def _inline_ddollars(text: str, out: list[str]) -> None:
    """``$$x$$`` with prose beside it on its line is inline math: `` $x$ ``."""
    offset = 0
    for line in text.split("\n"):
        pairs = list(_DDOLLAR_PAIR.finditer(line))
        rest = _DDOLLAR_PAIR.sub("", line).strip()
        if pairs and rest:
            for m in pairs:
                s, e = offset + m.start(), offset + m.end()
                out[s] = " "
                out[e - 1] = " "
        offset += len(line) + 1


# ---- lines: prose or mathematics ------------------------------------------------------------

_TEXT_GROUP = re.compile(
    r"\\(?:operatorname\*?|text|mathrm|textrm|mbox|textnormal|mathit|textit|textsf|mathsf"
    r"|textbf)\s*\{[^{}]*\}"
)
_COMMAND = re.compile(r"\\[A-Za-z]+")
_WORD = r"(?<![\w\\^_{])[A-Za-z]{2,}(?![\w{^_])"
_WORD_RUN = re.compile(_WORD + r"(?:[\s,.;:()'\"`!?-]+" + _WORD + r"){2,}")
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_HEADING = re.compile(
    r"^\s*(?:[=\-~^#*:]{3,}\s*$|#{1,6}\s|\.\.\s+[\w:-]+::|>>>|\*\*[^*\n]+\*\*:?\s*$"
    # a docstring's sections and parameters: `Args:`, `hidden_size : int`, `x (Tensor): The`
    r"|(?:Args|Arguments|Parameters|Returns|Inputs|Outputs|Variables|Attributes|Examples?"
    r"|Raises|Notes?|Shape|References?)\s*:?\s*$"
    r"|[A-Za-z_]\w*\s+:\s+\w[\w.\[\], ]*$|[A-Za-z_]\w*\s*(?:\([^()\n]*\))?:\s+[A-Z][a-z]"
    # the Python around a docstring: `class TripletMarginLoss(_Loss):`, `def f(x):`
    r"|(?:class|def)\s+[A-Za-z_]\w*\s*(?:\([^()\n]*\))?\s*(?:->[^:\n]*)?:\s*$)"
)
_SIGNAL = re.compile(r"[\\=_^&{}+*/]")
_ANY_WORD = re.compile(_WORD)
# (the s of "It's", the t of "don't": a contraction's letter names nothing)
# (nor do the letters of "i.e." and "e.g.")
_MENTION = re.compile(
    r"(?<![\w\\])(?<!\w')(?<!\bi\.)(?<!\be\.)(?!i\.e\.|e\.g\.)(?![aAI](?![\w_]))[A-Za-z]"
    r"(?:_\{?\w+\}?)?(?![\w\\])"
)


def _strip_comment(line: str) -> str:
    m = re.search(r"(?<!\\)%", line)
    return line if m is None else line[: m.start()]


# `*bias*`, `**gradient descent**`: emphasis (RST, markdown) on words of two letters or more,
# words of the prose ("as the *bias* term." is a line of prose, not math)
_EMPHASIS = re.compile(r"(?<![\w*\\])\*{1,2}([A-Za-z]{2,}(?:[ \t]+[A-Za-z]{2,})*)\*{1,2}(?![\w*])")


def _words(line: str) -> str:
    return _COMMAND.sub(" ", _TEXT_GROUP.sub(" ", _EMPHASIS.sub(r" \1 ", line)))


def _is_prose_line(line: str, *, rst: bool) -> bool:
    code = _strip_comment(line)
    if not code.strip():
        return False
    words = _words(code)
    prose = bool(
        _WORD_RUN.search(words)
        or _CJK.search(code)
        or _HEADING.match(code)
        or (not _SIGNAL.search(code) and _ANY_WORD.search(words))
    )
    if rst:  # RST prose is the rule there, display math the exception
        return prose or "`" in code or not _SIGNAL.search(code)
    # prose that names a symbol ("where x is the input, h is the previous state") says what
    # it is: skipping it would read the equations without what the source says of them
    return prose and not _has_relation(code) and not _MENTION.search(words)


def _names_symbols(line: str) -> bool:
    """Prose (a run of words) that names a symbol and holds no relation: "where x is the
    input and h is the output of the previous time step" (kept, so it is refused)."""
    code = _strip_comment(line)
    words = _words(code)
    return (
        bool(_WORD_RUN.search(words)) and not _has_relation(code) and bool(_MENTION.search(words))
    )


def _display_lines(
    text: str, original: str, role_spans: list[tuple[int, int]], *, rst: bool
) -> tuple[list[bool], frozenset[int]]:
    """For each line: is it mathematics (True) or prose (False)? And the newlines inside one
    paragraph of a ``.. math::`` block (Sphinx reads a paragraph as one equation)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    display = [not _is_prose_line(line, rst=rst) for line in lines]
    if not rst:
        return display, frozenset()
    joined: set[int] = set()
    for s, e in role_spans:  # a line with inline math is prose around it
        for k, st in enumerate(starts):
            if st <= e and s <= st + len(lines[k]):
                display[k] = False
    # `.. math::` blocks: the directive line's own content, then the indented block
    for k, line in enumerate(original.split("\n")):
        m = _DIRECTIVE.match(line)
        if m is None:
            continue
        indent = len(m.group(1).expandtabs())
        display[k] = bool(m.group(2).strip())
        j = k + 1
        while j < len(lines):
            here = lines[j]
            if here.strip():
                if len(here) - len(here.lstrip()) <= indent:
                    break
                display[j] = not re.match(r"\s*:[a-z]+:", here)  # an option such as :label:
                if j + 1 < len(lines) and lines[j + 1].strip() and display[j]:
                    joined.add(starts[j] + len(here))
            j += 1
    return display, frozenset(joined)


def _directive_markers(text: str, out: list[str]) -> None:
    for m in _DIRECTIVE.finditer(text):
        _blank(out, m.start(), m.start(2))


# ---- newlines inside equations ----------------------------------------------------------------


_ENV = re.compile(
    r"\\(begin|end)\s*\{(align|equation|gather|multline|eqnarray|split|aligned|gathered"
    r"|flalign|alignat|array|displaymath|math)\*?\}"
)


def _soft_newlines(text: str, blocks: frozenset[int] = frozenset()) -> frozenset[int]:
    """Newlines that continue an equation (LaTeX reads a newline in math as a space).

    Inside an environment (``align``, ``aligned``, ``array``, ``equation``, ...) every
    newline is a space: ``\\\\`` ends a row, as in LaTeX (a row that lacks it runs into the
    next and is refused). ``blocks`` are newlines that are spaces for the same reason (inside
    one paragraph of an RST ``.. math::`` block). Elsewhere a newline still ends a statement
    (one statement a line, section 1 of docs/notation.md).
    """
    soft = set(blocks)
    pos = 0
    depth = 0
    for line in text.split("\n")[:-1]:
        for m in _ENV.finditer(_strip_comment(line)):
            depth = depth + 1 if m.group(1) == "begin" else max(0, depth - 1)
        pos += len(line)  # the newline's index
        if depth > 0:
            soft.add(pos)
        pos += 1
    return frozenset(soft)


_DISPLAY_BLOCK = re.compile(r"(?<!\\)\$\$(.*?)(?<!\\)\$\$|\\\[(.*?)\\\]", re.DOTALL)


def _continues(lines: list[str], k: int, *, opened: bool) -> bool:
    """Does the newline after ``lines[k]`` continue one equation (a space, as in LaTeX)?

    A newline in display math is a space, unless the lines are separate equations: the next
    line is blank, or it has a relation of its own (``=``, ``\\in``, outside brackets) while
    the equation so far already has one (``opened``): two equations a line, as people write
    them in ``$$...$$`` without ``\\\\``. A next line that begins with its relation
    (``= c``, ``&= c``) continues a chain ``a = b = c``.
    """
    nxt = _strip_comment(lines[k + 1]).strip() if k + 1 < len(lines) else ""
    if not nxt:
        return False
    if _RELATION.match(nxt.lstrip("&").lstrip()):
        return True
    return not (opened and _has_relation(nxt))


def _display_continuations(text: str) -> frozenset[int]:
    """The newlines inside ``$$...$$`` and ``\\[...\\]`` that continue an equation.

    >>> t = "$$y = W x\\n  + b$$ and $$a = 1\\nb = 2$$"
    >>> sorted(_display_continuations(t))
    [9]
    """
    soft: set[int] = set()
    for m in _DISPLAY_BLOCK.finditer(text):
        group = 1 if m.group(1) is not None else 2
        soft |= _continuing(text, m.start(group), m.end(group))
    return frozenset(soft)


def _continuing(text: str, start: int, end: int) -> set[int]:
    """The continuing newlines of ``text[start:end]``, display math a statement per equation."""
    lines = text[start:end].split("\n")
    soft: set[int] = set()
    pos = start
    opened = False
    for k, line in enumerate(lines[:-1]):
        code = _strip_comment(line)
        opened = opened or _has_relation(code)
        if code.rstrip().endswith("\\\\"):
            opened = False  # \\ ends the row: the next line starts an equation
        pos += len(line)
        if _continues(lines, k, opened=opened):
            soft.add(pos)
        else:
            opened = False
        pos += 1
    return soft


# ---- the stage ----------------------------------------------------------------------------


def _blank_lines(text: str, keep: list[bool]) -> str:
    out = list(text)
    pos = 0
    for line, kept in zip(text.split("\n"), keep, strict=True):
        if not kept:
            _blank(out, pos, pos + len(line))
        pos += len(line) + 1
    return "".join(out)


def _is_mixed(text: str) -> bool:
    return "$" in text or "\\[" in text or "\\(" in text


def normalize(text: str) -> Normalized:
    """The text with presentation normalised, and the regions to parse (see the module)."""
    text = html_math.rewrite(text)  # <d-math block>..</d-math>: $$..$$; HTML tags blanked
    text = markdown_math.rewrite(text)  # *f(x)=wx+b* in a page with no $: inline math
    text = hbox.rewrite(text)  # \hbox{(remark)}: \mbox, read as \text
    out = list(text)
    role, directive = _ROLE.search(text), _DIRECTIVE.search(text)
    marks = [role.span()] if role is not None else []
    if directive is not None:
        marks.append((directive.start() + len(directive.group(1)), directive.start(2)))
    rst = bool(marks)
    roles = _roles(text, out) if rst else []
    if rst:
        _directive_markers(text, out)
    cut_start.blank(text, out)  # $$ then a blank line, first: a cut display's close
    _escaped_delimiters(text, out)
    _operator_mentions(text, out)
    bar_mentions.blank(text, out)  # "the operator $||$ represents the concatenation"
    operator_words.blank_mentions(text, out)  # $$[. \circ .]$$: prose names it
    _ranges(text, out)
    dotted_sums.rewrite(text, out)  # sum_{i=1..d}: \sum_{i=1}^{d} (parse/dotted_sums.py)
    capital_sigma_sums.rewrite(text, out)  # \Sigma_{j \in N_i} x: the sum over j
    approx_remark.blank(text, out)  # b = f(x) \approx g(x): a remark after the equation
    range_mentions.blank(text, out)  # $u_i(i \in [6 * 6 * 32])$: prose
    slice_mentions.blank(text, out)  # "represent $PE_{(pos+k,:)}$ as ...": a mention
    condition_mentions.blank(text, out)  # "for subsequent inputs, $y_{t>1}$": a mention
    code_value_mentions.blank(text, out)  # "When `gamma` = 0, ...": a mention
    keras_shapes.blank(text, out)  # shape = `[batch_size, d0, .. dN]`: declared
    _placeholders(text, out)
    bracket_sizes.blank_dash_calls(text, out)  # \\(max(0,-) \\): prose names it
    _formula_images(text, out)
    _fences(text, out)
    _inline_ddollars(text, out)
    mid_bars.rewrite(text, out)  # \mid\mid s \mid\mid: a norm's bars
    text_prose.rewrite(text, out)  # \text{where head}_i: the word, then the name
    paren_arrays.rewrite(text, out)  # \left(\begin{array}..\end{array}\right): a pmatrix
    signatures.blank(text, out)  # $f: R^D \to R^L$: read/rules_signatures.py reads it
    entry_vectors.rewrite(text, out)  # [w_1 \\ w_2 \\ \vdots \\ w_n]: the vector w
    vdots_stack.rewrite(text, out)  # \begin{bmatrix}h_1\\\vdots\\h_h\end{bmatrix}
    continued_rows.blank(text, out)  # c &= a \\ & + b, \\ & + d: one sum over rows
    text_digits.blank(text, out)  # c_{\text{1}}: the number 1 (parse/text_digits.py)
    row_ranges.blank(text, out)  # s_t^n = ... \text{ for } n=1, \dots, N: the index's values
    step_ranges.blank(text, out)  # from $t = 1$ to $t = \tau$ (prose): the steps' values
    _commands(text, out)
    conditional_left.rewrite(text, out)  # p(w_O | w_I) = ...: p(w_O, w_I) on a left side
    swapped_closers.rewrite(text, out)  # \exp{(x}): \exp{(x)} (parse/swapped_closers.py)
    _old_font_words(text, out)
    _bar_commands(text, out)  # \rvert N(v) \rvert: the left bar typed \rvert
    _braced_bigops(text, out)
    code = tuple(_code(text, out, rst=rst))
    _urls(text, out)
    _html(text, out)
    _docstring_quotes(text, out)
    cases.rewrite(text, out)  # dropout written \begin{cases} 0 & with probability p ...
    system_brace.rewrite(text, out)  # \begin{cases} h &= ... \\ y &= ...: a brace; \dot=
    arrow_lead.rewrite(text, out)  # \{x_i\} \rightsquigarrow H = f(...): the equation
    edge_indicator.rewrite(text, out)  # A_{ij} = 1 \iff (i, j) \in E: data, left out
    graph_tuple.rewrite(text, out)  # a graph $G = (V, E)$: its parts named, left out
    parity_cases.rewrite(text, out)  # \begin{cases} sin(..) & i mod 2 = 0 \\ cos(..) & ...
    label_cases.rewrite(text, out)  # \begin{cases} A & y_n = 1 \\ B & y_n = -1 (label)
    flag_default.rewrite(text, out)  # \begin{cases} A & if reduction = 'mean': default
    flag_forms.rewrite(text, out)  # \begin{cases} A & \texttt{nesterov = False}: forms
    running_average.rewrite(text, out)  # E[g^2]_t: a running average's name (ADADELTA)
    norm = "".join(out)
    assert len(norm) == len(text)
    if not rst and _is_mixed(norm):
        soft = _soft_newlines(norm, _display_continuations(norm))
        return Normalized(norm, (Region(norm, True, soft),), code=code)
    display, joined = _display_lines(norm, text, roles, rst=rst)
    math = _blank_lines(norm, display)
    said: list[tuple[int, int]] = []
    pos = 0
    for line, shown in zip(norm.split("\n"), display, strict=True):
        if shown and not rst and _names_symbols(line):
            said.append((pos, pos + len(line)))
        pos += len(line) + 1
    regions = []
    if math.strip():
        if rst:  # LaTeX lines beside the prose: display math, a paragraph an equation
            joined |= _continuing(math, 0, len(math))
        regions.append(Region(math, False, _soft_newlines(math, joined)))
    if rst:
        prose = _blank_lines(norm, [not d for d in display])
        if _is_mixed(prose):
            regions.append(Region(prose, True, _soft_newlines(prose)))
    return Normalized(norm, tuple(regions), min(marks) if marks else None, code, tuple(said))
