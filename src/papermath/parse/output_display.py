r"""Notation rule ``computed-display``: a display formula with no left side that the prose just
before it says a layer computes (Equinox's docstrings):

    Given an input array $x$, this layer computes

    $$\frac{x - \mathbb{E}[x]}{\sqrt{\text{Var}[x] + \varepsilon}} * \gamma + \beta$$

The words "this layer computes" (also "the layer computes", "it computes", "for each one
computes", "computes:") name
what the display is: the layer's output, which the source does not name. papermath reads the
display as the equation ``y = ...`` (``y``, or ``z`` or ``o`` where the source uses y), the
name standing where the display opens, and the readings say the name is papermath's, not the
source's. Every other span stays where it is typed (the name takes the place of the blank
before the display's ``$$``).

Only a display on its own (a blank before its ``$$``) right after those words is read; any other
expression with no ``=`` stays refused (parse/unexpected.py: "the formula ends before an `=`").

Example that reads (a whole source)::

    Given an input $x$, this layer computes

    $$W x + b$$
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..errors import ParseError
from ..source import Span
from . import ast

Parsed = tuple[list[ast.Statement], list[tuple[int, int]]]

# "this layer computes", "the module computes:", "it computes" at the end of the prose before
# (also "and for each one computes": Equinox's GroupNorm, the layer computing it for each group)
_COMPUTES = re.compile(
    r"\b(?:(?:this|the)\s+(?:layer|module|cell)|it|for\s+each\s+(?:one|group))\s+computes"
    r"(?:\s+the\s+following)?\s*:?\s*$",
    re.IGNORECASE,
)
_NAMES = ("y", "z", "o")


@dataclasses.dataclass(frozen=True)
class OutputDefinition(ast.Definition):
    """The display the prose says a layer computes, with the name papermath gave it."""


def _free_name(text: str) -> str | None:
    for name in _NAMES:
        if not re.search(rf"(?<![A-Za-z\\]){name}(?![A-Za-z])", text):
            return name
    return None


def after(exc: ParseError, text: str, again: Callable[[str], Parsed]) -> Parsed:
    """Parse ``text`` again with each display the prose says a layer computes named (see the
    module); re-raise ``exc`` where that does not apply or the text still does not parse."""
    named: list[int] = []
    current, error = text, exc
    for _ in range(8):  # a few displays in one region at most
        where = _display(current, error)
        if where is None:
            raise exc if not named else error
        opened, name = where
        current = current[: opened - 2] + "$$" + name + "=" + current[opened + 2 :]
        named.append(opened)
        try:
            found, comments = again(current)
        except ParseError as still:
            error = still
            continue
        return _marked(found, named), comments
    raise exc


def _display(text: str, error: ParseError) -> tuple[int, str] | None:
    """Where the display that ``error`` stops at opens, and the name it gets; None where the
    rule does not apply."""
    if "the formula ends before an `=`" not in error.message or error.span is None:
        return None
    close = error.span.start
    if not text.startswith("$$", close):
        return None
    opened = text.rfind("$$", 0, close)
    if opened < 2 or text[opened - 2 : opened].strip():
        return None  # no blank before the $$ to hold the name
    if _COMPUTES.search(text[:opened].rstrip()) is None:
        return None
    name = _free_name(text)
    return (opened, name) if name is not None else None


def _marked(found: list[ast.Statement], named: list[int]) -> list[ast.Statement]:
    """The definitions of the named displays, as OutputDefinitions whose name has an empty
    span where the display's formula starts (the source does not write it: what shows the
    equation prints the name, never the ``$$`` the name stood on while parsing)."""
    out: list[ast.Statement] = []
    for s in found:
        if type(s) is ast.Definition and s.lhs.span.start in named:
            at = s.rhs.span.start
            fields = {f.name: getattr(s, f.name) for f in dataclasses.fields(s)}
            fields |= {
                "span": Span(at, s.span.end),
                "lhs": dataclasses.replace(s.lhs, span=Span(at, at)),
            }
            s = OutputDefinition(**fields)
        out.append(s)
    return out


def readings(statements: list[ast.Statement]) -> list[tuple[Span, str, str]]:
    """The reading notes of the displays named by this rule: (span, reading, reason)."""
    out = []
    for s in statements:
        if not isinstance(s, OutputDefinition):
            continue
        name = getattr(s.lhs, "name", "y")
        out.append(
            (
                s.rhs.span,
                "the output of the layer, named",
                f"the display has no left side, and the prose before it says the layer computes "
                f"it: read as the layer's output, which the source does not name; papermath "
                f"names it {name} (not a symbol of the source)",
            )
        )
    return out
