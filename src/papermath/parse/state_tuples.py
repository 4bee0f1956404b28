r"""Notation rule ``state-tuple``: a line that names values together, as an optimizer's state,
``S_t \leftarrow (m_t, v_t)`` (optax's Adam, AdaBelief, Yogi: "S_t ... the new state"), its
initial value ``S_0 := (m_0, v_0) = (0, 0)``.

What people write: an algorithm's last line gathers the values it carries to the next step
under one name (``S_t \leftarrow (m_t, v_t).``, also with ``=``, ``:=``, ``\gets``); the
prose gives the name's value at step 0 as a tuple of zeros.

How papermath reads it: the tuple on the right is a list of names, not arithmetic: the line
defines no value of its own, so it is left out (the readings say so), provided each name in
it is defined by another equation of the source (``m_t``, ``v_t``: the state the recurrence
carries already). ``S_0 := (m_0, v_0) = (0, 0)`` is read as its pairs, ``m_0 = 0`` and
``v_0 = 0`` (initial conditions, read/rules_initial.py), the name S_0 left out.

Still refused: a tuple whose items are computations (``S_t \leftarrow (m_t + 1, v_t)``), or
names that no equation defines (then the tuple is what defines them, and papermath does not
read a tuple of values); a tuple on the left side (parse/tuples.py).

Example that reads (S_t left out; m and v the state)::

    m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
    v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
    S_t \leftarrow (m_t, v_t)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ParseError
from ..source import Span
from . import ast, tuple_pairs

if TYPE_CHECKING:
    from ..read.reader import Reader

Parsed = tuple[list[ast.Statement], list[tuple[int, int]]]

# one symbol: a letter or a command, with subscripts, superscripts, decorations (no operators)
_CMD = r"\\[A-Za-z]+(?![A-Za-z])"  # a command, never split (no backtracking inside it)
_SYMBOL = (
    r"(?:" + _CMD + r"\s*)*\{?(?:" + _CMD + r"|[A-Za-z]+(?![A-Za-z]))\}?"
    r"(?:\s*[_^]\s*(?:\{[^{}+\-*/=()]*\}|[A-Za-z0-9]))*"
)
_LINE = re.compile(
    r"(?P<name>" + _SYMBOL + r")\s*&?\s*(?P<op>\\leftarrow|\\gets|:=|\\coloneqq|=)\s*&?\s*"
    r"\((?P<items>[^()]*)\)(?P<tail>[.,;]?)"
)
_ITEM = re.compile(r"^\s*" + _SYMBOL + r"\s*$")
_CHAIN = re.compile(r"^\s*=")
_ZEROS = re.compile(r"^\s*=\s*\(\s*0\s*(?:,\s*0\s*)+\)[.,;]?")


@dataclass(frozen=True)
class StateTuple(ast.Directive):
    """A line ``S_t \\leftarrow (m_t, v_t)`` left out: ``name`` as written, ``items`` the
    names of the tuple (nodes, parsed), ``zeros``: the tuple's value (0, 0) was read as
    its pairs."""

    name: str = ""
    items: tuple[ast.Node, ...] = ()
    item_spans: tuple[Span, ...] = ()
    zeros: bool = False


def after(exc: ParseError, text: str, parse: Callable[[str], Parsed], depth: int = 0) -> Parsed:
    """``text`` parsed again where ``exc`` refused a tuple on the right side of a line that
    only names values together: that line left out (a :class:`StateTuple` in its place).
    Raises ``exc`` where the line is not that form."""
    if exc.span is None or depth > 8 or not exc.message.startswith("a tuple on the right side"):
        raise exc
    at = exc.span.start
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at) % (len(text) + 1)
    found = next(
        (
            m
            for m in _LINE.finditer(text, line_start, line_end)
            if m.start("items") <= at < m.end("items")
        ),
        None,
    )
    if found is None:
        raise exc
    pieces = found.group("items").split(",")
    if len(pieces) < 2 or not all(_ITEM.match(p) for p in pieces):
        raise exc
    rest = text[found.end() :]
    zeros = _ZEROS.match(rest) if not found.group("tail") else None
    if _CHAIN.match(rest) and zeros is None:
        raise exc  # S_0 := (m_0, v_0) = (1, x): values, not the default zeros
    blank_to = found.end() + (zeros.end() if zeros else 0)
    blanked = text[: found.start()] + _spaces(text[found.start() : blank_to]) + text[blank_to:]
    items = _item_nodes(text, found)
    if items is None:
        raise exc
    try:
        got = parse(blanked)
    except ParseError as again:
        try:
            got = tuple_pairs.after(again, blanked, parse)
        except ParseError as still:
            got = after(still, blanked, parse, depth + 1)
    statements, comments = got
    line = StateTuple(
        Span(found.start(), blank_to),
        "",
        found.group("name").strip(),
        tuple(n for _, n in items),
        tuple(a for a, _ in items),
        zeros is not None,
    )
    return [*statements, line], comments


def _spaces(text: str) -> str:
    return "".join(c if c == "\n" else " " for c in text)


def _item_nodes(text: str, found: re.Match[str]) -> list[tuple[Span, ast.Node]] | None:
    """The tuple's items, each parsed alone (as the left side of ``item = 0``), with its
    span in ``text``; None where one is not one symbol."""
    from . import parse  # the whole pipeline, on the item alone

    out: list[tuple[Span, ast.Node]] = []
    start = found.start("items")
    for piece in found.group("items").split(","):
        lead = len(piece) - len(piece.lstrip())
        span = Span(start + lead, start + len(piece.rstrip()))
        start += len(piece) + 1
        try:
            got = parse(piece.strip() + " = 0")
        except ParseError:
            return None
        defs = [s for s in got if isinstance(s, ast.Definition)]
        if len(defs) != 1:
            return None
        out.append((span, defs[0].lhs))
    return out


def left_out(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements without the :class:`StateTuple` lines, each noted in the readings, or
    refused where a name in its tuple is not the left side of another equation (as written:
    ``m_t`` for ``m_t \\leftarrow ...``)."""
    lines = [s for s in statements if isinstance(s, StateTuple)]
    if not lines:
        return statements
    snip = reader.source.snippet
    others = [s for s in statements if not isinstance(s, StateTuple)]
    defined = {"".join(snip(s.lhs.span).split()) for s in others if isinstance(s, ast.Definition)}
    stems = {_stem(text) for text in defined}
    letters = {n.name for s in others for n in ast.walk(s) if isinstance(n, ast.Letter)}
    for line in lines:
        name = _stem(line.name)
        if name.lstrip("\\") in letters:
            raise reader.error(
                f"{line.name} names the tuple {snip(line.span)}, and {name} is used by another "
                "equation: a tuple as a value is not read",
                line.span,
                hint="write one equation for each value, and use the values by their names",
            )
        written = [snip(span) for span in line.item_spans]
        for span, text in zip(line.item_spans, written, strict=True):
            known = _stem(text) in stems if line.zeros else "".join(text.split()) in defined
            if not known:
                raise reader.error(
                    f"a tuple on the right side ({snip(line.span)}) names {text}, which no "
                    "equation defines: papermath does not read a tuple of values",
                    span,
                    hint="write one equation for each value; a line that only names values "
                    "the other equations define (S_t \\leftarrow (m_t, v_t)) is left out",
                )
        listed = ", ".join(written)
        if line.zeros:
            why = (
                f"{line.name} names ({listed}) together, and its value is zeros: the initial "
                "state, zeros as papermath's own default (the line is left out)"
            )
        else:
            why = (
                f"{line.name} names the values ({listed}) that other equations define "
                "(the state carried to the next step): the line defines no value and is left "
                "out"
            )
        reader.note(line.span, "a name for a tuple of values", why)
    return others


def _stem(text: str) -> str:
    """A symbol as written, without its subscript (``m`` of ``m_t`` and of ``m_0``; the
    letter of a font command: ``S`` of ``\\mathbf{S}_t``)."""
    head = "".join(text.split()).split("_")[0]
    font = re.fullmatch(r"\\(?:mathbf|boldsymbol|bm|mathrm|mathit)\{(\\?[A-Za-z]+)\}", head)
    return font.group(1) if font else head
