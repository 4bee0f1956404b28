r"""Notation rule ``prose-sizes``: the rank and size of a symbol said in a sentence of plain prose
(a page with no math delimiters around its letters), read as a declaration.

What people write (Microsoft's AI-For-Beginners, a perceptron in markdown with bare letters)::

    Suppose we have N features in our model, in which case the input vector would be a
    vector of size N. ... for each input vector x the output of our perceptron would be ...

and elsewhere "x is a vector of size N", "W is a matrix of size N x M", "the input vector x",
"a weights vector w". One grammar, three sentence forms:

- **named**: ``SYM is|denotes|represents (the|a|an) [up to three words] vector|matrix [of
  size|shape|dimension SIZE]`` ("x is a vector of size N", "W is a matrix of size N x M");
- **apposition**: ``(the|a|an|each|some) [up to three words] vector|matrix SYM`` ("the input
  vector x", "a weights vector w"): the words before the noun name a phrase ("input vector");
- **phrase sized**: ``(the|a|an) [up to three words] vector|matrix (is|would be|will be)
  (a|an) vector|matrix of size|shape|dimension SIZE`` ("the input vector would be a vector of
  size N"): the phrase has that size, and a symbol the prose names by the same phrase
  (apposition) has it.

Beside them, statements that say what a symbol is and no size: ``SYM is the (so-called)
learning rate|step size`` (a number: ``\eta \in \mathbb{R}``), ``of|some|by (initial|random)
weights|parameters|values SYM, SYM`` (the weights and their first values, AI-For-Beginners'
gradient descent), ``\nabla E(w) denotes the gradient of E``, ``we have N features``, ``K is
the number of classes``, and ``z_i represents the i th element of ..., which corresponds to
class i`` with ``K is the number of classes`` (scikit-learn's softmax: ``z \in \mathbb{R}^K``,
one entry per class).

A line of prose is read only where every symbol it mentions is inside one of these statements
(:func:`uncovered`); a line that also says something else of a symbol ("h is the hidden state")
stays refused as prose.

How papermath reads it: a symbol the equations write (a bare letter, optionally with a
subscript) said a vector of size ``N`` is declared ``x \in \mathbb{R}^{N}``, a matrix of size
``N x M`` is declared ``W \in \mathbb{R}^{N \times M}``; the declaration's spans lie on the words
(a clash points at them) and the reading quotes them. A symbol said a vector or a matrix with
no size is not declared here (its sizes are the equations'); a matrix so said decides a product
it stands first in (``functions.matrix-said``). Two sentences that give one symbol two
different sizes or ranks are refused by name, the caret on the second. The line of prose that
says it is then read (not refused as prose), as is a line that only says a symbol is an
activation function (``where f is a step activation function``: ``said-activation``).

Example (reads: x in R^N, w in R^N, y a scalar)::

    Suppose we have N features, in which case the input vector would be a vector of size N.
    For each input vector x the output is computed using the formula:

    y(x) = f(w^T x)

    where f is a step activation function
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import ParseError
from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

__all__ = ["RULE", "Said", "entry_declarations", "read_line", "says", "scan", "sum_refusal"]

RULE = "prose-sizes"

# a symbol written bare in prose: one letter (never the articles a, A, I), a subscript
_SYM = (
    r"(?<![\w\\$*`])(?P<sym>(?![aAI](?![_\w]))[A-Za-z]"
    r"(?:_(?:\{[^{}\s]{1,12}\}|[A-Za-z0-9]))?)(?![\w{(])"
)
_WORDS = r"(?P<words>(?:(?!(?:is|of|be|would|will|the|a|an|and|or|in|to)\b)[A-Za-z-]+\s+){0,3}?)"
_HEAD = r"(?P<head>[Vv]ector|[Mm]atrix)"
_SIZE = (
    r"(?:of\s+(?:the\s+)?)?(?:size|shape|dimensions?|length)\s+(?:of\s+)?"
    r"(?P<size>[A-Za-z0-9](?:_\{?\w{1,12}\}?)?(?:\s*(?:x|×|\*|\\times)\s*[A-Za-z0-9](?:_\{?\w{1,12}\}?)?)?)"
    r"(?![\w(])"
)
NAMED = re.compile(
    _SYM + r"\s+(?:is|denotes|represents)\s+(?:(?:the|an?)\s+)?" + _WORDS + _HEAD
    + r"\b(?:\s+" + _SIZE + r")?"
)  # fmt: skip
APPOSITION = re.compile(
    r"\b(?:the|an?|each|some|every)\s+" + _WORDS + _HEAD + r"\s+" + _SYM
    + r"(?!\s+(?:is|denotes|represents|would|will)\b)"
)  # fmt: skip
PHRASE = re.compile(
    r"\b(?:the|an?)\s+" + _WORDS + _HEAD + r"\s+(?:is|would\s+be|will\s+be)\s+(?:an?\s+)?"
    r"(?P<head2>[Vv]ector|[Mm]atrix)\s+" + _SIZE
)  # fmt: skip
# "where f is a step activation function": the rule said-activation reads it
ACTIVATION = re.compile(
    r"^\s*(?:where\s+|here,?\s+)?" + _SYM + r"\s+(?:is|denotes)\s+(?:the|an?)\s+"
    r"(?:[A-Za-z-]+\s+){0,2}?activation\s+function\.?\s*$",
    re.IGNORECASE,
)
_AXES = re.compile(r"\s*(?:x|×|\*|\\times)\s*")
# "the sum is taken on those training data points i that result in the wrong classification":
# a sum's range said in words, a subset chosen by a condition
SUM_SAID = re.compile(
    r"\b(?i:the\s+)?(?i:sum|summation)\s+(?:is\s+)?(?:taken|computed|runs|ranges)?\s*"
    r"(?:on|over)\s+(?:(?:all|those|the|only)\s+)*(?:[A-Za-z-]+\s+){0,3}?" + _SYM
    + r"\s+(?:that|which|where|such\s+that|for\s+which)\b[^.\n]*"
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Said:
    """What a sentence says of one symbol: its rank, its sizes (None where not said), the words
    and where they are (``sym``: the symbol as written; ``size``: the words of the size)."""

    sym: str
    rank: int
    sizes: tuple[str, ...] | None
    words: str
    sym_span: tuple[int, int]
    size_span: tuple[int, int]


def _phrase(words: str, head: str) -> str:
    """The phrase a noun names, its words singular: "weights vector" -> "weight vector"."""
    out = [re.sub(r"s$", "", w.lower()) if len(w) > 3 else w.lower() for w in words.split()]
    return " ".join([*out, head.lower()])


def _axes(size: str, head: str) -> tuple[str, ...] | None:
    axes = tuple(a.strip() for a in _AXES.split(size) if a.strip())
    if head == "vector" and len(axes) == 2 and "1" in axes:
        axes = tuple(a for a in axes if a != "1") or ("1",)
    if len(axes) != (1 if head == "vector" else 2):
        return None  # "a vector of size N x M", "a matrix of size N": not one reading
    return axes


def scan(text: str) -> list[Said]:
    """Every statement of the grammar in ``text`` (see the module), in the order written."""
    phrases: dict[str, tuple[tuple[str, ...], str, tuple[int, int]]] = {}
    for m in PHRASE.finditer(text):
        if m.group("head").lower() != m.group("head2").lower():
            continue
        axes = _axes(m.group("size"), m.group("head2").lower())
        if axes is not None and m.group("words").strip():
            key = _phrase(m.group("words"), m.group("head"))
            phrases.setdefault(key, (axes, " ".join(m.group(0).split()), m.span("size")))
    found: list[Said] = []
    for m in NAMED.finditer(text):
        head = m.group("head").lower()
        axes = _axes(m.group("size"), head) if m.group("size") else None
        if m.group("size") and axes is None:
            continue
        span = m.span("size") if m.group("size") else m.span("head")
        found.append(
            Said(m.group("sym"), 1 if head == "vector" else 2, axes,
                 " ".join(m.group(0).split()), m.span("sym"), span)
        )  # fmt: skip
    for m in APPOSITION.finditer(text):
        head = m.group("head").lower()
        key = _phrase(m.group("words"), head)
        sized = phrases.get(key) if m.group("words").strip() else None
        words = " ".join(m.group(0).split())
        if sized is not None:
            words = f"{sized[1]}; {words}"
        found.append(
            Said(m.group("sym"), 1 if head == "vector" else 2,
                 sized[0] if sized else None, words, m.span("sym"),
                 sized[2] if sized else m.span("head"))
        )  # fmt: skip
    return sorted(found, key=lambda s: s.sym_span)


# a symbol written in prose: bare, in $...$, :math:`...` or backticks
_W = r"(?:\$|:math:`|`)?\s*"
_WE = r"\s*(?:\$|`)?"
# "z_i represents the i th element of the input to softmax, which corresponds to class i"
ENTRY = re.compile(
    _W + r"(?P<sym>[A-Za-z])_\{?(?P<idx>[a-z])\}?" + _WE
    + r"\s+(?:is|represents|denotes)\s+the\s+" + _W + r"(?P=idx)" + _WE
    + r"\s*(?:-\s*)?(?:th|st)\s+(?P<entry>element|entry|component)\s+of\b"
    r"(?P<between>[^.;$`]{0,80}?),?\s+(?:which\s+)?corresponds\s+to\s+(?:the\s+)?"
    r"(?P<noun>class|category|label|token|word|node|feature|unit|output)\s+"
    + _W + r"(?P=idx)" + _WE
)  # fmt: skip
# "K is the number of classes"
COUNT = re.compile(
    _W + r"(?P<size>[A-Za-z])" + _WE
    + r"\s+(?:is|denotes)\s+the\s+(?:total\s+)?number\s+of\s+(?P<nouns>[a-z]+)\b"
)  # fmt: skip


def _plural(noun: str) -> str:
    """class -> classes, category -> categories, node -> nodes."""
    if noun.endswith("y"):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith("s") else "s")


def entry_declarations(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``z \\in \\mathbb{R}^{K}`` where the prose says z_i is the i-th element of something
    that "corresponds to class i" and "K is the number of classes" (the vector has one entry
    per class); [] where the equations declare z already, write it otherwise than as an
    entry, or the prose names no count of that noun."""
    counts: dict[str, list[re.Match[str]]] = {}
    for c in COUNT.finditer(text):
        counts.setdefault(c.group("nouns"), []).append(c)
    declared = {
        t.name
        for st in statements
        if isinstance(st, ast.Declaration)
        for t in st.targets
        if isinstance(t, ast.Letter)
    }
    out: list[ast.Statement] = []
    for m in ENTRY.finditer(text):
        sym, noun = m.group("sym"), m.group("noun")
        plural = _plural(noun)
        found = {c.group("size") for c in counts.get(plural, [])}
        if len(found) != 1 or sym in declared or sym in found:
            continue  # no count of that noun, two of them, or z declared: nothing said here
        count = next(c for c in counts[plural])
        size = count.group("size")
        moved = declaration_on_words(sym, size, WordSpans(m.span("sym"), count.span("size")))
        if moved is None:
            continue
        words = f"{' '.join(m.group(0).split())}; {' '.join(count.group(0).split())}"
        out.append(
            ProseDeclaration(
                Span(*m.span("sym")), moved.targets, moved.space,
                said=f"said in words: \u2018{words}\u2019: one entry of {sym} per {noun}, "
                f"read as {sym} \\in R^{{{size}}}",
            )
        )  # fmt: skip
    return out


def sum_refusal(line: str, offset: int) -> ParseError | None:
    """The refusal of a line that says which terms a sum takes by a condition in words (the
    perceptron criterion's "the sum is taken on those training data points i that result in
    the wrong classification"); None for any other line."""
    m = SUM_SAID.search(line)
    if m is None:
        return None
    words = " ".join(m.group(0).split())
    sym = m.group("sym")
    return ParseError(
        f"the prose says which terms the sum takes (\u201c{words}\u201d): the {sym} chosen by a "
        f"condition, a subset the equation does not write; read over every {sym} the sum would "
        "be another sum, and papermath does not read the condition from words",
        span=Span(offset + m.start(), offset + m.end()),
        hint=f"write the subset under the sum, \\sum_{{{sym} \\in M}}, and declare M, or "
        f"write the condition as a factor (an indicator [{sym} misclassified])",
    )


# a symbol with a step or index written after it (w^{(0)}, x_{i}), as normalize leaves it
_STEP = r"(?:\s*[_^]\s*\{[^{}\n]{0,20}\}\s*)?"
_ANY = r"(?:\\[A-Za-z]+\s*|(?<![\w\\])[A-Za-z])" + _STEP  # \eta, w, w^{(0)}
# "a function of weights w", "some initial weights w^{(0)}", "random values w^{(0)}, b^{(0)}":
# what the symbols are (weights, their first values), no rank
ROLE = re.compile(
    r"\b(?:of|with|some|the|by)\s+(?:(?:initial|random|starting)\s+)?"
    r"(?:weights|parameters|values)\s+" + _ANY + r"(?:\s*,\s*" + _ANY + r")*"
)  # fmt: skip
# "\eta is the so-called **learning rate**": a scalar
SCALAR = re.compile(
    r"(?P<sym>\\[A-Za-z]+|(?<![\w\\])[A-Za-z])\s+(?:is|denotes)\s+(?:the\s+)?(?:so-called\s+)?"
    r"(?:\*\*)?(?P<size>learning\s+rate|step\s+size)(?:\*\*)?"
)  # fmt: skip
# "\nabla E(w) denotes the **gradient** of E": what \nabla E(w) means, as it is read
GRADIENT = re.compile(
    r"\\nabla\s*(?P<f>[A-Za-z])\s*\(\s*[A-Za-z]\s*\)\s+(?:is|denotes)\s+the\s+(?:\*\*)?"
    r"gradient(?:\*\*)?\s+of\s+(?P=f)\b"
)  # fmt: skip
# "we have N features": N counts them (a size)
HAVE = re.compile(r"\bwe\s+have\s+(?<![\w\\])[A-Za-z]\s+[a-z]+s\b")
# every symbol a line of prose mentions (not "i.e.", not the article "a")
_MENTION = re.compile(r"\\[A-Za-z]+|(?<![\w\\.])(?![aAI]\b)[A-Za-z](?![\w]|\.\w)")


def _normalized(line: str) -> str:
    """The line as the parser sees it (HTML entities and tags as LaTeX), same length."""
    from .normalize import normalize

    text = normalize(line).text
    return text if len(text) >= len(line) else line


def uncovered(line: str) -> list[tuple[int, int]]:
    """The symbols a line of prose mentions that no statement of the grammar covers."""
    text = _normalized(line)
    covered = [
        m.span()
        for pattern in (NAMED, APPOSITION, PHRASE, ROLE, SCALAR, GRADIENT, HAVE, COUNT, ENTRY)
        for m in pattern.finditer(text)
    ]
    return [
        m.span()
        for m in _MENTION.finditer(text[: len(line)])
        if not any(a <= m.start() and m.end() <= b for a, b in covered)
    ]


def says(line: str) -> bool:
    """Whether a line of prose says what its symbols are in the grammar, every symbol it
    mentions covered, or only that a symbol is an activation function."""
    if ACTIVATION.match(line):
        return True
    text = _normalized(line)
    said = any(p.search(text) for p in (NAMED, APPOSITION, ROLE, SCALAR))
    return said and not uncovered(line)


def _written(statements: list[ast.Statement]) -> set[str]:
    """The symbols the equations write: ``x``, ``x_i`` (and its base ``x``)."""
    out: set[str] = set()
    for st in statements:
        if not isinstance(st, ast.Definition | ast.Declaration):
            continue
        for node in ast.walk(st):
            if isinstance(node, ast.Letter):
                out.add(node.name)
            elif isinstance(node, ast.Sub) and isinstance(node.base, ast.Letter):
                script = node.script
                if isinstance(script, ast.Letter):
                    out.add(f"{node.base.name}_{script.name}")
                elif isinstance(script, ast.Number):
                    out.add(f"{node.base.name}_{script.text}")
    return out


def _bare(sym: str) -> str:
    return re.sub(r"[{}\s]", "", sym)


def read_line(
    text: str, start: int, end: int, statements: list[ast.Statement]
) -> list[ast.Statement] | None:
    """The declarations the line ``text[start:end]`` says (sizes may come from a sentence
    elsewhere in ``text`` naming the same phrase); [] for a line that says only ranks or an
    activation; None where the line says nothing the grammar reads of the equations' symbols.
    Two readings of one symbol that disagree are refused (ParseError)."""
    line = text[start:end]
    if ACTIVATION.match(line):
        return []
    if uncovered(line):
        return None  # a symbol the line mentions that the grammar does not read: prose
    written = _written(statements)
    every = scan(text)
    mine = [s for s in every if start <= s.sym_span[0] < end and _bare(s.sym) in written]
    out: list[ast.Statement] = list(_scalars(line, start, written))
    for s in mine:
        earlier = [o for o in every[: every.index(s)] if _bare(o.sym) == _bare(s.sym)]
        clash = next((o for o in earlier if not _agrees(o, s)), None)
        if clash is not None:
            raise ParseError(
                f"the prose says two things of {s.sym}: \u201c{clash.words}\u201d and "
                f"\u201c{s.words}\u201d; papermath does not choose between them",
                span=Span(*s.sym_span),
                hint=f"declare it in the notation ({s.sym} \\in \\mathbb{{R}}^{{...}})",
            )
        if s.sizes is None or any(o.sizes is not None for o in earlier):
            continue  # a rank alone, or a size an earlier sentence already declared
        sizes = " \\times ".join(s.sizes)
        moved = declaration_on_words(s.sym, sizes, WordSpans(s.sym_span, s.size_span))
        if moved is None:
            continue
        shape = " x ".join(s.sizes)
        out.append(
            ProseDeclaration(
                Span(s.sym_span[0], s.sym_span[1]), moved.targets, moved.space,
                said=f"said in words: \u2018{s.words}\u2019 read as {s.sym} \\in R^{{{shape}}}",
            )
        )  # fmt: skip
    return out


def _scalars(line: str, offset: int, written: set[str]) -> list[ast.Statement]:
    """``\\eta \\in \\mathbb{R}`` for "\\eta is the so-called learning rate" (a number)."""
    out: list[ast.Statement] = []
    for m in SCALAR.finditer(_normalized(line)):
        sym = m.group("sym").strip()
        if sym.lstrip("\\") not in written:
            continue
        where = WordSpans(
            (offset + m.start("sym"), offset + m.end("sym")),
            (offset + m.start("size"), offset + m.end("size")),
        )
        moved = declaration_on_words(sym, None, where)
        if moved is not None:
            words = " ".join(line[m.start() : m.end()].split())
            out.append(
                ProseDeclaration(
                    Span(*where.span("sym")), moved.targets, moved.space,
                    said=f"said in words: \u2018{words}\u2019 read as {sym} \\in R (a number)",
                )
            )  # fmt: skip
    return out


def _agrees(a: Said, b: Said) -> bool:
    """Whether two readings of one symbol agree (rank, and sizes where both say them)."""
    if a.rank != b.rank:
        return False
    return a.sizes is None or b.sizes is None or a.sizes == b.sizes
