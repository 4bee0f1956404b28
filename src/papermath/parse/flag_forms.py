r"""Notation rule ``forms-of-a-flag`` (the recognition; the reading is
read/rules_flag_forms.py): a value the source gives in several forms, one for each setting of
an argument of the code, where the source does not say which setting the model uses.

What people write (optax's ``sgd`` docstring)::

    u_t \leftarrow -\alpha_t g_t,

    Stochastic gradient descent with momentum takes two possible forms.

    \begin{align*}
      m_t &\leftarrow g_t + \mu m_{t-1} \\
      u_t &\leftarrow \begin{cases}
        -\alpha_t m_t & \text{ if } \texttt{nesterov = False} \\
        -\alpha_t (g_t + \mu m_t) & \text{ if } \texttt{nesterov = True}
        \end{cases} \\
      S_t &\leftarrow m_t,
    \end{align*}

Two constructs, one reading: (1) a ``\begin{cases}`` whose every row's condition is a flag of
the code with a value (``\text{ if } \texttt{nesterov = False}``), one flag, its values
distinct, and no default the source gives (with a default, parse/flag_default.py reads that
row); (2) a value defined again in a later display, the words between the two introducing
another form of the model ("with momentum", "takes two possible forms"), the later display
defining new values too (where it only redefines, parse/variants.py reads the first). Either
way the value is one of its forms, which the code's arguments choose.

Here (1) is rewritten in place before parsing, every character kept where it is:
``\text{@frm}(`` before the first row's value, ``,`` between the rows' values, ``)`` at the
block's end; (2) joins the definitions after parsing: the later definition's right side
becomes the list of every form (:class:`Forms`), the earlier definition dropped.
"""

from __future__ import annotations

import dataclasses
import re

from . import ast
from .cases import _BLOCK, _rows, _split, stripped
from .flag_default import find as defaults

MARK = "@frm"
_HEAD = "\\text{" + MARK + "}("
_CONDITION = re.compile(
    r"^\s*\\(?:text|textrm|mathrm)\s*\{\s*if\s*\}\s*\\(?:texttt|mathtt|text)\s*\{\s*"
    r"(?P<name>[A-Za-z_][A-Za-z_0-9]*)\s*=\s*(?P<value>[A-Za-z_0-9]+)\s*\}\s*[,.;]?\s*$"
)
# the words between two displays that introduce another form of the model
_CUE = re.compile(
    r"(?i)\b(?:with\s+momentum|(?:two|three|several|possible)\s+(?:possible\s+)?forms?|"
    r"alternatively|another\s+form)\b"
)


@dataclasses.dataclass(frozen=True)
class FlagBlock:
    """A cases block on a flag with no default: the rows' values and the flag's values."""

    start: int
    end: int
    values: tuple[tuple[int, int], ...]  # each row's value
    name: str  # nesterov
    settings: tuple[str, ...]  # False, True


def find(text: str) -> list[FlagBlock]:
    """The ``\\begin{cases}`` blocks of ``text`` on one flag of the code with no default."""
    given = {(f.start, f.end) for f in defaults(text)}
    out = []
    for m in _BLOCK.finditer(text):
        if (m.start(), m.end()) in given:
            continue
        rows = _rows(m.group("body"), m.start("body"))
        split = [_split(text, a, b) for a, b in rows]
        if len(split) < 2 or any(x is None for x in split):
            continue
        conds = [_CONDITION.match(x[1]) for x in split if x is not None]
        if any(c is None for c in conds):
            continue
        names = {c.group("name") for c in conds if c is not None}
        settings = tuple(c.group("value") for c in conds if c is not None)
        if len(names) != 1 or len(set(settings)) != len(settings):
            continue
        values = tuple(stripped(text, *x[0]) for x in split if x is not None)
        if any(a == b for a, b in values):
            continue
        out.append(FlagBlock(m.start(), m.end(), values, names.pop(), settings))
    return out


def rewrite(text: str, out: list[str]) -> None:
    """Each block becomes ``\\text{@frm}(V1, V2, ...)`` where it was."""
    for f in find(text):
        first = f.values[0][0]
        if first - f.start < len(_HEAD):
            continue  # no room for the call's head
        for i in range(f.start, f.end):
            if not any(a <= i < b for a, b in f.values) and out[i] != "\n":
                out[i] = " "
        for i, c in enumerate(_HEAD):
            out[first - len(_HEAD) + i] = c
        for _, b in f.values[:-1]:
            out[b] = ","  # the row's end: at least its "&" stands between the values
        out[f.end - 1] = ")"


def at(text: str, start: int) -> FlagBlock | None:
    """The block whose rewritten call starts at ``start`` (for the reader)."""
    for f in find(text):
        if f.values[0][0] - len(_HEAD) == start:
            return f
    return None


@dataclasses.dataclass(frozen=True)
class Forms(ast.Node):
    """The forms of one value, each a right side the source writes (in order), and the words
    that introduce the later ones."""

    items: tuple[ast.Node, ...]
    words: str


def _name(text: str, node: ast.Node) -> str:
    return re.sub(r"\s+", "", text[node.span.start : node.span.end])


def is_forms_call(node: ast.Node) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Text) and node.func.content == MARK
    )


def join(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """A value defined again in a later display, after words that introduce another form:
    one definition whose right side is every form (:class:`Forms`)."""
    firsts: dict[str, int] = {}
    out = list(statements)
    dropped: set[int] = set()
    for i, s in enumerate(statements):
        if not isinstance(s, ast.Definition):
            continue
        name = _name(text, s.lhs)
        if name not in firsts:
            firsts[name] = i
            continue
        j = firsts[name]
        first = statements[j]
        assert isinstance(first, ast.Definition)
        between = text[first.span.end : s.span.start]
        cue = _CUE.search(between)
        later = [t for t in statements[j + 1 :] if isinstance(t, ast.Definition)]
        new = {_name(text, t.lhs) for t in later} - set(firsts)
        if cue is None or not new or "\n\n" not in between.replace(" ", ""):
            return statements  # defined twice: refused as before (or another rule's)
        items = (first.rhs, s.rhs)  # the later may be a forms call itself: its rows are forms
        line = " ".join(between[between.rfind("\n", 0, cue.start()) + 1 :].split("\n")[0].split())
        forms = Forms(s.rhs.span, items, line)
        out[i] = ast.keep_attached(dataclasses.replace(s, rhs=forms), s)
        dropped.add(j)
        firsts[name] = i
    return [s for k, s in enumerate(out) if k not in dropped]
