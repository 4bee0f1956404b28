r"""Notation rule ``capsule-width-words``: the prose of a capsule network gives the width of its
capsules as ``8D`` ("32 types x 8D capsules", "10 capsules x 16D", "表示PrimaryCaps的某个8D的
Capsule": an 8-dimensional capsule), a size the equations themselves do not write.

How papermath reads it (before the reader; every position kept):

* a line that says what one symbol is (a bullet or a line that starts with the inline math
  of one symbol, ``- $u_i(i \in [6 * 6 * 32])$： 表示PrimaryCaps的某个8D的Capsule``: u_i
  with its range) and gives one width ``8D`` on a line that names capsules: the symbol is a
  vector of that width, ``u_i \in \mathbb{R}^{8}`` (a declaration read from the words; the
  readings quote them). A range after the symbol (``(i \in [...])``) is the range of its
  index, not a width.
* a width on a line that names capsules but says it of no symbol (an architecture listing:
  ``PrimaryCaps  32 types × 8D capsules``, ``DigitCaps  10 capsules (one per class) × 16D``)
  and that no declaration gives: refused at the width, since which of the equations' vectors
  it is the size of is said by the layers' names only; read without it, the vectors would
  come out of free size where the source gives a number. The hint names the declarations.

Examples: the line ``- $u_i(i \in [6 * 6 * 32])$： 表示PrimaryCaps的某个8D的Capsule`` beside
``\hat{u}_{j|i} = W_{ij}u_i`` reads u_i in R^8; ``PrimaryCaps 32 types × 8D capsules``
beside the routing equations is refused with the hint ``u_i \in \mathbb{R}^{8}``.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

__all__ = ["check", "declarations"]

_LINE = re.compile(r"^.*$", re.M)
_CAPSULE = re.compile(r"caps", re.IGNORECASE)  # capsule(s), PrimaryCaps, DigitCaps
# 8D, 16D, 8-D (not 2D convolution words: a width before "conv" is no capsule's)
_WIDTH = re.compile(
    r"(?<![A-Za-z0-9_.\\])(?P<size>\d+)\s?-?D(?![A-Za-z0-9])(?!\s*conv)", re.IGNORECASE
)
# a line that starts with the inline math of one symbol: `- $u_i(...)$`, `$s_j$:`
_SUBJECT = re.compile(
    r"^\s*(?:[-*+]\s+)?\$(?P<sym>\\?[A-Za-z]+_(?:\{[A-Za-z]\}|[A-Za-z]))\s*(?:\([^$]*\))?\s*\$"
)


def _lines(text: str) -> list[re.Match[str]]:
    return [m for m in _LINE.finditer(text) if _CAPSULE.search(m.group())]


def _widths(line: re.Match[str]) -> list[re.Match[str]]:
    """The widths of a line outside its inline math (``8D``, not ``6 * 6 * 32``)."""
    text = line.group()
    outside = re.sub(r"\$[^$]*\$", lambda m: " " * len(m.group()), text)
    return [w for w in _WIDTH.finditer(outside)]


def declarations(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``u_i \\in \\mathbb{R}^{8}`` for each line that says a symbol is an 8D capsule."""
    if not any(isinstance(s, ast.Definition) for s in statements):
        return []
    out: list[ast.Statement] = []
    for line in _lines(text):
        subject = _SUBJECT.match(line.group())
        widths = _widths(line)
        if subject is None or len(widths) != 1:
            continue
        size = widths[0]
        sym = (line.start() + subject.start("sym"), line.start() + subject.end("sym"))
        where = (line.start() + size.start("size"), line.start() + size.end())
        decl = declaration_on_words(subject.group("sym"), size.group("size"), WordSpans(sym, where))
        if decl is None:
            continue
        quoted = " ".join(line.group().split())
        out.append(
            ProseDeclaration(
                Span(*sym),
                decl.targets,
                decl.space,
                said=(
                    f"said in words: '{quoted}': {size.group()} is the width of the capsule "
                    f"{subject.group('sym')}, a vector of {size.group('size')} numbers "
                    "(capsule-width-words)"
                ),
            )
        )
    return out


def _declared_sizes(text: str, statements: list[ast.Statement]) -> set[str]:
    return {
        re.sub(r"\D", "", text[s.space.span.start : s.space.span.end])
        for s in statements
        if isinstance(s, ast.Declaration)
    }


def _vectors(text: str, statements: list[ast.Statement]) -> list[str]:
    """The symbols with one letter index the equations write (u_i, v_j), in order."""
    seen: list[str] = []
    for s in statements:
        if not isinstance(s, ast.Definition):
            continue
        for n in ast.walk(s):
            if isinstance(n, ast.Sub) and isinstance(n.script, ast.Letter):
                shown = re.sub(r"\s+", "", text[n.span.start : n.span.end])
                if re.fullmatch(r"[a-z]_\{?[a-z]\}?", shown) and shown not in seen:
                    seen.append(shown)
    return seen


def check(text: str, statements: list[ast.Statement]) -> None:
    """Refuse at the first capsule width the prose says of no symbol (see the module)."""
    if not any(
        isinstance(n, ast.Sub) and "|" in text[n.script.span.start : n.script.span.end]
        for s in statements
        if isinstance(s, ast.Definition)
        for n in ast.walk(s)
    ):
        return  # no value per pair of capsules (\hat{u}_{j|i}) among the equations
    declared = _declared_sizes(text, statements)
    untied: list[tuple[int, int, str]] = []
    for line in _lines(text):
        if _SUBJECT.match(line.group()):
            continue  # said of a symbol: read (declarations) or left to it
        for w in _widths(line):
            if w.group("size") not in declared:
                untied.append((line.start() + w.start(), line.start() + w.end(), w.group("size")))
    if not untied:
        return
    start, end, size = untied[0]
    sizes = list(dict.fromkeys(u[2] for u in untied))
    vectors = _vectors(text, statements)
    example = (
        ", ".join(
            f"{v} \\in \\mathbb{{R}}^{{{n}}}"
            for v, n in zip(
                [v for v in vectors if v[0] == "u"][:1] + [v for v in vectors if v[0] == "v"][:1],
                sizes,
                strict=False,
            )
        )
        or f"u_i \\in \\mathbb{{R}}^{{{size}}}"
    )
    widths = ", ".join(f"{n}D" for n in sizes)
    raise ParseError(
        f"the prose gives capsule widths ({widths}) by the names of layers only, not of the "
        "symbols the equations write: papermath does not tie an architecture listing to the "
        "equations, and without it the capsule vectors would be of free size",
        span=Span(start, end),
        hint=f"declare the capsule vectors beside the equations, as {example} (where the "
        "capsules of the layer below, u_i, have the first width and those above, v_j, the "
        "second)",
    )
