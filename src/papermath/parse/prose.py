r"""Prose with inline math, as people write it: sizes said in words, examples as illustrations.

A Q&A asker writes the sizes in bullets, not in notation::

    - $x_t$ is input of size $m*1$ vector
    - $w_f$ is weights of size $k*(m+n)$ matrix, where $k$ is the number of cell states
      (if $m=3$, and $n=3$ ..., then $w_f=3*3 $ matrix)
    - $[x_t, h_{t-1}]$ is a concatenation (for example, if $x_t=[1, 2, 3], ...$)

Two readings, both before the parser sees the prose (every position kept, as
:mod:`papermath.parse.normalize` keeps them):

- **Illustrations**: inline math whose right sides are numbers only (``$x_t=[1, 2, 3]$``,
  ``$k=3$``, ``$w_f=3*3 $``) or that is a number alone (``$3*1$``) is an example in the
  prose, not an equation of the model: blanked (:func:`illustrations`).
- **Sizes in words**: ``$SYM$ is ... of size $A*B$ [vector|matrix]`` and ``$SYM$ is a $A*B$
  matrix`` declare ``SYM \in \mathbb{R}^{A \times B}`` (a vector ``m*1`` or ``1*m`` is
  ``\mathbb{R}^{m}``): each becomes a :class:`ProseDeclaration` whose spans lie in the prose
  (its symbol on the symbol, its space on the size), so a clash points at the words.
  A symbol the equations spell otherwise only by case (the bullet's ``w_f``, the equation's
  ``W_f``, and no ``w_f`` in any equation) is the equation's: the declaration says so
  (``said``), and the reader notes it.

Only these shapes of sentence are read; anything else in the prose stays as it was (prose
that names a symbol without a size is left to the parser, which refuses what it cannot read).
"""

from __future__ import annotations

import dataclasses
import re

from ..source import Span
from . import ast, edge_normaliser
from .normalize import Normalized
from .prose_args import read_args
from .prose_index import read_index_shapes
from .prose_nodes import ProseDeclaration, declaration_on_words
from .prose_shapes import read_shapes
from .size_phrases import read_sizes

__all__ = ["ProseDeclaration", "illustrations", "read_prose"]


# inline math: $...$, not $$
_INLINE = re.compile(r"(?<![$\\])\$(?!\$)([^$\n]+?)(?<!\\)\$(?!\$)")
# a value written in an example: numbers in brackets, products of numbers (3*3)
_NUMBERS = r"[\s\d.,;\[\]()*×+-]*\d[\s\d.,;\[\]()*×+-]*(?:\\times[\s\d.*()]*)*"
_ILLUSTRATION = re.compile(rf"^(?:[^=]+=\s*{_NUMBERS})(?:,\s*[^=,]+=\s*{_NUMBERS})*$")
_NUMBER_ALONE = re.compile(rf"^{_NUMBERS}$")
# a value as a power of ten: $\epsilon = 10^{-6}$, $\eta = 1 \times 10^{-3}$
POWER_OF_TEN = (
    r"(?:(\d+(?:\.\d+)?)\s*(?:\\times|\\cdot)\s*)?10\s*\^\s*(?:\{\s*([+-]?\d{1,2})\s*\}|([+-]?\d))"
)
_TEN_POWER = re.compile(rf"^[^=]+=\s*{POWER_OF_TEN}\s*$")

# "$x_t$ is input of size $m*1$ vector", "$w_f$ is weights of size $k*(m+n)$ matrix",
# "$b_f$ is a $3*1$ vector", "$W$ is an $n \times m$ matrix", "$h$ has size $n$"
_SIZE_SAID = re.compile(
    r"\$(?P<sym>[^$\n]+)\$[ \t]+(?:is|are|has|denotes)[ \t]+"
    # never "the same shape as $x$" (x is no size: shapes/same_shape.py ties the shapes)
    r"(?P<words>(?:(?!\$|same\b)[^\n,;.(]){0,60}?)"
    r"(?:(?:of[ \t]+)?(?:size|shape|dimension|dimensions)[ \t]+(?:of[ \t]+)?)?"
    # not after "and": "$B$ is the batch size and $C$ is ..." names a second symbol, no size
    r"(?<!\band )(?<!\bor )\$(?P<size>[^$\n]+)\$"
    r"(?:[ \t]+(?P<noun>vector|matrix|tensor|column vector|row vector))?",
    re.IGNORECASE,
)
# the words that make the inline math after them a size: "of size", "has shape", "dimension"
_SIZE_WORD = re.compile(r"\b(?:size|shape|dimensions?)\b", re.IGNORECASE)
# "$e_{j,i}$ denotes the edge weight from source node j to target node i" (PyG): a weight on an
# edge is one number, so the symbol is declared a scalar (one per edge, as its indices say);
# also "$e_{ji}$ is the (scalar) weight on the edge from node j to node i" (DGL)
_EDGE_WEIGHT_SAID = re.compile(
    r"\$(?P<sym>[^$\n]+)\$[ \t]+(?:denotes|is)[ \t]+(?:the|an?)[ \t]+(?P<size>edge[ \t]+weight"
    r"|(?:scalar[ \t]+)?weight[ \t]+on[ \t]+the[ \t]+edge)\b",
    re.IGNORECASE,
)
_AXIS_SPLIT = re.compile(r"\s*(?:\*|\\times|×|(?<=[\w)])\s*x\s*(?=[\w(]))\s*")
_SIZE_ATOM = re.compile(r"^(?:\d+|[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?|\([^()]*\)|[\w+\- ()]+)$")
_TOKEN = re.compile(r"\\?[A-Za-z]+(?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?")


def illustrations(text: str) -> list[tuple[int, int]]:
    """The spans (with their ``$``) of inline math that is an example, not an equation."""
    found = []
    for m in _INLINE.finditer(text):
        body = m.group(1).strip()
        if _ILLUSTRATION.match(body) or _NUMBER_ALONE.match(body) or _TEN_POWER.match(body):
            found.append(m.span())
    return found


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    out = list(text)
    for start, end in spans:
        for i in range(start, end):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def _axes(size: str, noun: str | None) -> list[str] | None:
    """``m*1`` (a vector) -> [m]; ``k*(m+n)`` -> [k, m+n]; ``n`` -> [n]; else None."""
    size = size.strip()
    axes = [a.strip() for a in _AXIS_SPLIT.split(size) if a.strip()]
    if not axes or not all(_SIZE_ATOM.match(a) for a in axes):
        return None
    axes = [a[1:-1].strip() if a.startswith("(") and a.endswith(")") else a for a in axes]
    if noun and "vector" in noun.lower() and len(axes) == 2 and "1" in axes:
        axes = [a for a in axes if a != "1"] or ["1"]
    if len(axes) > 3:
        return None
    return axes


def _symbols(text: str) -> set[str]:
    """Symbols written in ``text`` (braces dropped): ``W_{f}`` -> ``W_f``."""
    return {re.sub(r"[{}\s]", "", m.group(0)) for m in _TOKEN.finditer(text)}


def read_prose(norm: Normalized) -> tuple[Normalized, list[ast.Statement]]:
    """``norm`` with the prose's illustrations and sizes-in-words blanked, and the
    declarations those words make (see the module's docstring)."""
    # sizes an argument list says (parse.prose_args), in prose or beside a docstring's math
    args, args_spans = read_args(norm.text, tuple((r.text, r.mixed) for r in norm.regions))
    if not any(r.mixed for r in norm.regions) and not args:
        return norm, []
    text = norm.text
    examples = illustrations(text)
    # shapes said in a docstring's prose (parse.prose_shapes)
    shaped, shaped_spans = read_shapes(text, tuple((r.text, r.mixed) for r in norm.regions))
    indexed, indexed_spans = read_index_shapes(text, tuple((r.text, r.mixed) for r in norm.regions))
    shaped, shaped_spans = shaped + indexed, shaped_spans + indexed_spans  # parse.prose_index
    shaped, shaped_spans = shaped + args, shaped_spans + args_spans
    sized, sized_spans = read_sizes(text, tuple((r.text, r.mixed) for r in norm.regions))
    shaped, shaped_spans = shaped + sized, shaped_spans + sized_spans  # parse.size_phrases
    if not (
        examples
        or shaped
        or _SIZE_SAID.search(text)
        or _EDGE_WEIGHT_SAID.search(text)
        or edge_normaliser.SAID.search(text)  # "$e_{j,i}$ is the normalizer": a number
    ):
        return norm, []
    blanked = _blank(text, examples)
    statements: list[ast.Statement] = list(shaped)
    said_spans: list[tuple[int, int]] = list(shaped_spans)
    for m in _SIZE_SAID.finditer(blanked):
        if any(a < m.start("size") and m.end("sym") < b for a, b in examples):
            continue  # "$T_k$ is $1$ if the class $k$ ...": the words are about the example
        if not (m.group("noun") or _SIZE_WORD.search(blanked, m.end("sym"), m.start("size"))):
            continue  # "$c$ are cleared with a forget gate $f$" (labml): no size is said
        axes = _axes(m.group("size"), m.group("noun"))
        sym = m.group("sym").strip()
        if axes is None or not _TOKEN.fullmatch(sym.replace(" ", "")):
            continue
        elsewhere = _symbols(_blank(blanked, [m.span()]))
        declared = _spelling(sym, elsewhere)
        decl = _declaration(declared, axes, m, sym)
        if decl is None:
            continue
        statements.append(decl)
        said_spans.append(m.span())
    for m in (*_EDGE_WEIGHT_SAID.finditer(blanked), *edge_normaliser.SAID.finditer(blanked)):
        sym = m.group("sym").strip()
        if not _TOKEN.fullmatch(sym.replace(" ", "")):
            continue
        decl = _declaration(sym, [], m, sym)
        if decl is not None:
            statements.append(decl)  # the words stay: they name no other symbol
    if not examples and not statements:
        return norm, []
    gone = examples + said_spans
    regions = tuple(
        dataclasses.replace(r, text=_blank(r.text, gone)) if r.mixed else r for r in norm.regions
    )
    return dataclasses.replace(norm, text=_blank(text, gone), regions=regions), statements


def _spelling(sym: str, elsewhere: set[str]) -> str:
    """The symbol as the equations write it: ``w_f`` is ``W_f`` where only ``W_f`` is
    written elsewhere (one match up to case)."""
    bare = re.sub(r"[{}\s]", "", sym)
    if bare in elsewhere:
        return sym
    same = [s for s in elsewhere if s.lower() == bare.lower()]
    return same[0] if len(same) == 1 else sym


def _declaration(
    declared: str, axes: list[str], m: re.Match[str], written: str
) -> ProseDeclaration | None:
    """``declared \\in \\mathbb{R}^{axes}`` parsed, its spans moved onto the prose."""
    sizes = " \\times ".join(f"({a})" if re.search(r"[\s+-]", a) else a for a in axes)
    moved = declaration_on_words(declared, sizes if axes else None, m)
    if moved is None:
        return None
    words = " ".join(m.group(0).split())
    alias = re.sub(r"[{}\s]", "", written) != re.sub(r"[{}\s]", "", declared)
    shape = " x ".join(f"({a})" if re.search(r"[\s+-]", a) else a for a in axes)
    space = f"R^{{{shape}}}" if axes else "R (a scalar: one number per edge)"
    said = f"said in words: '{words}' read as {declared} \\in {space}" + (
        f"; {written} is {declared}, the only symbol of that name (up to case) in the equations"
        if alias
        else ""
    )
    return ProseDeclaration(Span(m.start(), m.end()), moved.targets, moved.space, said=said)
