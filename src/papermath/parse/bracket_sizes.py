r"""Notation rule ``prose-bracket-sizes`` (a refusal) and ``placeholder-dash``: CS231n's notes give
sizes in prose as ``[100x3072]`` ("Here, \\(W_1\\) could be, for example, a [100x3072] matrix",
"the matrix \\(W_2\\) would then be of size [10x100]") and name the nonlinearity with a dash for
its argument (``\\(max(0,-) \\)``).

How papermath reads them: the call with a dash for an argument is prose that names the function
(as ``$\sigma(\cdot)$`` is), blanked before parsing. A size in brackets said in the sentence of a
symbol the equations use is refused at the brackets: papermath does not read sizes from such
words (here an example's sizes), and without them the equations leave the sizes free, which is
not the model the prose describes; the hint declares each as the prose gives it.

Example refused: ``\\( s = W x \\). Here \\(W\\) is a [10x3072] matrix.``
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

# inline math as CS231n's markdown writes it (\\( \\)), as LaTeX does (\( \)), or $...$
_INLINE = re.compile(r"(?:\\\\\(|(?<!\\)\\\(|(?<![$\\])\$(?!\$))([^$\n]*?)(?:\\\\\)|\\\)|\$)")
# max(0,-), f(-), \max(0, -): a function named with a dash for its argument
_DASH_CALL = re.compile(r"\s*\\?[A-Za-z]+\s*\(\s*(?:[^(),$]*,\s*)?-\s*\)\s*")
_BRACKET = re.compile(r"\[\s*(\d+)\s*[x×X]\s*(\d+)\s*\]")


def blank_dash_calls(text: str, out: list[str]) -> None:
    """Blank each inline ``max(0,-)`` (a function named in prose), in ``out`` (same length)."""
    for m in _INLINE.finditer(text):
        if _DASH_CALL.fullmatch(m.group(1)):
            for i in range(m.start(), m.end()):
                out[i] = " "


def _written(statements: list[ast.Statement], text: str) -> set[str]:
    """The symbols the equations write, as typed (spaces removed)."""
    return {
        "".join(text[n.span.start : n.span.end].split())
        for n in ast.walk(statements)
        if isinstance(n, ast.Sub | ast.Letter)
    }


def check(text: str, statements: list[ast.Statement]) -> None:
    """Refuse at the first ``[AxB]`` said of a symbol the equations use (see the module)."""
    declared = {
        "".join(text[t.span.start : t.span.end].split())
        for s in statements
        if isinstance(s, ast.Declaration)
        for t in s.targets
    }
    written = _written(statements, text) - declared
    said: list[tuple[str, re.Match[str]]] = []
    for m in _BRACKET.finditer(text):
        start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        symbols = [
            "".join(s.group(1).split())
            for s in _INLINE.finditer(text, start, m.start())
            if "".join(s.group(1).split()) in written
        ]
        if symbols:
            said.append((symbols[-1], m))
    if not said:
        return
    symbol, first = said[0]
    declare = ", ".join(
        f"{sym} \\in \\mathbb{{R}}^{{{m.group(1)} \\times {m.group(2)}}}" for sym, m in said
    )
    raise ParseError(
        f"the prose gives the size of {symbol} as {first.group(0)}: papermath does not read "
        "sizes from such words, and without them the equations leave every size free",
        span=Span(first.start(), first.end()),
        hint=f"declare it beside the equations: {declare}",
    )
