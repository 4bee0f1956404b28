r"""Macro expansion, before parsing (as TeX does): ``\newcommand``, ``\renewcommand``, ``\def``.

>>> expand(r"\newcommand{\sq}[1]{#1^2} y = \sq{x}").strip()
'y = x^2'

Definitions are removed (blanked, so the lines of the rest stay where they were) and every
use is replaced by its body with the arguments substituted. A definition that uses itself
is an error after a bounded number of expansions, and so is an expansion that makes the text
longer than the reader's limit (a few nested macros can grow exponentially).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ParseError
from ..source import Span

DEFINERS = ("\\newcommand", "\\renewcommand", "\\providecommand", "\\def")
MAX_EXPANSIONS = 1000
MAX_EXPANDED_CHARS = 200_000  # the reader's limit on a source (system.MAX_SOURCE_CHARS)


@dataclass(frozen=True)
class Macro:
    name: str
    arity: int
    body: str
    span: Span  # its definition, in the text as given


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def argument(text: str, i: int) -> tuple[str, int]:
    """The argument at ``i``: a brace group (without its braces), a command, or one char."""
    i = _skip_space(text, i)
    if i >= len(text):
        raise ParseError(
            "a macro argument is missing at the end of the input", span=Span(max(0, i - 1), i)
        )
    if text[i] == "{":
        depth, j = 0, i
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    return text[i + 1 : j], j + 1
            j += 1
        raise ParseError("{ is never closed", span=Span(i, i + 1), hint="add the matching }")
    if text[i] == "\\":
        j = i + 1
        while j < len(text) and text[j].isalpha():
            j += 1
        return text[i : max(j, i + 2)], max(j, i + 2)
    return text[i], i + 1


def _command_at(text: str, i: int) -> str:
    j = i + 1
    while j < len(text) and text[j].isalpha():
        j += 1
    return text[i:j]


def expand(text: str, limit: int = MAX_EXPANDED_CHARS) -> str:
    from .sitemacros import arities, definitions  # `% macros: spektral` (sitemacros.py)

    site = definitions(text) if "macros" in text else {}
    takes = arities(text) if site else {}  # \norm[1] of the Deep Learning book's preamble
    if not site and not any(d in text for d in DEFINERS):
        return text
    # a site's macros first: the source's own definitions replace them
    macros = {
        name: Macro(name, takes.get(name, 0), body, span) for name, (body, span) in site.items()
    }
    out = list(text)
    i = 0
    while i < len(text):
        if text[i] == "%":  # a comment stays as written
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        if text[i] != "\\":
            i += 1
            continue
        command = _command_at(text, i)
        if command not in DEFINERS:
            i += max(1, len(command))
            continue
        start = i
        j = i + len(command)
        if command == "\\def":
            name, j = argument(text, j)
            params = ""
            while j < len(text) and text[j] == "#":
                params += text[j : j + 2]
                j += 2
            arity = params.count("#")
        else:
            name, j = argument(text, j)
            j = _skip_space(text, j)
            arity = 0
            if j < len(text) and text[j] == "[":
                close = text.find("]", j)
                if close < 0 or not text[j + 1 : close].strip().isdigit():
                    raise ParseError(
                        "cannot read the number of arguments of this macro", span=Span(j, j + 1)
                    )
                arity = int(text[j + 1 : close])
                j = close + 1
        body, j = argument(text, j)
        name = name.strip()
        if not name.startswith("\\") or not name[1:].isalpha():
            # TeX rejects it; a definition nothing uses (the notes' \newcommand{argmax})
            # is left out, one that is used is an error where it is defined
            used = name.isalpha() and f"\\{name}" in text[j:]
            # a control symbol (\def\1{\bm{1}}, the Deep Learning book's notation file):
            # left out where nothing uses it, refused below where something does
            symbol = len(name) == 2 and name[0] == "\\" and not name[1].isalpha()
            if symbol and name not in text[j:]:
                pass
            elif not name.isalpha() or used:
                raise ParseError(
                    f"cannot read the macro name `{name}`",
                    span=Span(start, j),
                    hint=f"a macro's name starts with a backslash: \\newcommand{{\\{name}}}"
                    if name.isalpha()
                    else "a macro's name is a backslash and letters: \\newcommand{\\name}",
                )
        else:
            macros[name] = Macro(name, arity, body, Span(start, j))
        for k in range(start, j):  # blank the definition, keep the lines
            out[k] = "\n" if text[k] == "\n" else " "
        i = j
    return _substitute("".join(out), macros, limit)


def _substitute(text: str, macros: dict[str, Macro], limit: int) -> str:
    count = 0
    i = 0
    while i < len(text):
        if text[i] != "\\":
            i += 1
            continue
        command = _command_at(text, i)
        macro = macros.get(command)
        if macro is None:
            i += max(1, len(command))
            continue
        count += 1
        if count > MAX_EXPANSIONS:
            raise ParseError(
                f"{command} keeps expanding (a macro that uses itself?)",
                span=Span(i, i + len(command)),
            )
        j = i + len(command)
        args = []
        for _ in range(macro.arity):
            arg, j = argument(text, j)
            args.append(arg)
        grown = len(macro.body) + sum(
            macro.body.count(f"#{n}") * (len(arg) - 2) for n, arg in enumerate(args, start=1)
        )  # the body's length with its arguments, known before it is built
        if len(text) - (j - i) + grown > limit:
            raise ParseError(
                f"expanding {command} makes the source longer than {limit:,} characters",
                span=macro.span,
                hint="macros that use each other several times grow exponentially; "
                "define fewer levels",
            )
        body = macro.body
        for n, arg in enumerate(args, start=1):
            body = body.replace(f"#{n}", arg)
        text = text[:i] + body + text[j:]  # expanded again: macros may use macros
    return text
