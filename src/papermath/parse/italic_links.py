r"""Notation rule ``italic-linear-link``: a word typed in italics before a value, ``upward x``,
where the docstring lists that word as a Linear layer (Chainer's peephole LSTM).

What people write (chainer.links.StatefulPeepholeLSTM)::

    a &=& \tanh(upward x + lateral h), \\
    i &=& \sigma(upward x + lateral h + peep_i c), \\

    Attributes:
        upward (~chainer.links.Linear): Linear layer of upward connections.
        lateral (~chainer.links.Linear): Linear layer of lateral connections.
        peep_i (~chainer.links.Linear): Linear layer of peephole connections

LaTeX typesets ``upward`` as the product u p w a r d, and without words papermath refuses it
(parse/primes.py, parse/italic_names.py: a name or a product?). Here the docstring's own
attribute list names ``upward`` (with its type, a Linear layer): the letters are that name,
and ``upward x`` is the layer applied to x, its weight matrix times x (the equation writes no
bias, so none is read).

How papermath reads it: a run of three or more letters typed together in italics (a whole
word, with the subscript written right after it: ``peep_i``) that an attribute line of the
source's prose lists as ``NAME (...Linear): ...`` is read as one symbol NAME (key ``upward``,
``peep_i``), and a product with it on the left is a matrix product (shapes/infer.py, the
convention of the Linear layer, said in the readings with the attribute line). A word the
prose does not list so stays refused as before. The name written upright (``\mathrm{upward} x``,
as papermath's own typesetting writes it) is read the same way.

Example (reads: upward n x m, lateral n x n)::

    $$a = \tanh(upward x_t + lateral h_{t-1}), h_t = a$$

    Attributes:
        upward (~chainer.links.Linear): Linear layer of upward connections.
        lateral (~chainer.links.Linear): Linear layer of lateral connections.
"""

from __future__ import annotations

import dataclasses
import re

from ..source import Span
from . import ast

RULE = "italic-linear-link"
RUN = 3  # the fewest letters read as a word typed in italics
# an attribute line: `upward (~chainer.links.Linear): Linear layer of upward connections.`
_ATTRIBUTE = re.compile(
    r"(?m)^[ \t]*(?P<name>[A-Za-z][A-Za-z0-9_]*)[ \t]*\([ \t]*~?(?:[A-Za-z_][\w]*\.)*"
    r"Linear[ \t]*\)[ \t]*:[ \t]*(?P<words>[^\n]*)"
)


@dataclasses.dataclass(frozen=True)
class LinearLink(ast.Directive):
    """``key`` is a Linear layer the prose lists (``said``: its attribute line): a product
    with it on the left is its weight matrix times the value (read/reader.py)."""

    key: str = ""
    said: str = ""


def listed(text: str) -> dict[str, tuple[str, Span]]:
    """The names an attribute line lists as a Linear layer: name -> (the line, its span)."""
    return {
        m.group("name"): (" ".join(m.group(0).split()), Span(m.start("name"), m.end()))
        for m in _ATTRIBUTE.finditer(text)
    }


def _letter(text: str, node: ast.Node) -> bool:
    """A one-letter Latin symbol typed as itself."""
    return (
        isinstance(node, ast.Letter)
        and node.span.end - node.span.start == 1
        and text[node.span.start : node.span.end].isascii()
        and text[node.span.start : node.span.end].isalpha()
    )


def _factors(node: ast.Node) -> list[ast.Node]:
    """The factors of a left-nested juxtaposition, in order."""
    if isinstance(node, ast.Juxt):
        return [*_factors(node.left), node.right]
    return [node]


def _word_at(
    text: str, factors: list[ast.Node], k: int, names: dict[str, tuple[str, Span]]
) -> tuple[int, ast.Node] | None:
    """Where a listed word starts at ``factors[k]``: (how many factors it takes, its node)."""
    run: list[ast.Node] = []
    for f in factors[k:]:
        base = f.base if isinstance(f, ast.Sub) else f
        if not _letter(text, base) or (run and run[-1].span.end != base.span.start):
            break
        run.append(f)
        if isinstance(f, ast.Sub):
            break  # the subscript ends the word: peep_i
    start = run[0].span.start if run else 0
    if len(run) < RUN or (start > 0 and (text[start - 1].isalpha() or text[start - 1] == "\\")):
        return None
    for n in range(len(run), RUN - 1, -1):
        last = run[n - 1]
        base = last.base if isinstance(last, ast.Sub) else last
        end = base.span.end
        if end < len(text) and text[end].isalpha():
            continue  # not a whole word
        word = text[start:end]
        name = ast.Text(Span(start, end), "mathit", word)
        if isinstance(last, ast.Sub):
            script = text[last.script.span.start : last.script.span.end].strip("{} ")
            if f"{word}_{script}" in names:
                return n, dataclasses.replace(last, span=Span(start, last.span.end), base=name)
        elif word in names:
            return n, name
    return None


def _rewrite(
    text: str, node: ast.Node, names: dict[str, tuple[str, Span]], used: set[str]
) -> ast.Node:
    if isinstance(node, ast.Juxt):
        factors = _factors(node)
        out: list[ast.Node] = []
        k = 0
        while k < len(factors):
            found = _word_at(text, factors, k, names)
            typed = _upright(text, factors[k], names)
            if found is None and typed is not None:  # \mathrm{upward}: the name, typeset
                used.add(typed)
                out.append(factors[k])
                k += 1
                continue
            if found is None:
                out.append(_rewrite(text, factors[k], names, used))
                k += 1
                continue
            n, word = found
            used.add(text[word.span.start : word.span.end].replace("{", "").replace("}", ""))
            out.append(word)
            k += n
        if len(out) == len(factors) and all(a is b for a, b in zip(out, factors, strict=True)):
            return node
        result = out[0]
        for f in out[1:]:
            result = ast.Juxt(Span(result.span.start, f.span.end), result, f)
        return result
    return ast.map_children(node, lambda v: _rewrite(text, v, names, used))


def _upright(text: str, node: ast.Node, names: dict[str, tuple[str, Span]]) -> str | None:
    """The listed name a factor writes upright (``\\mathrm{upward}``, ``\\mathrm{peep}_i``: as
    papermath's own typesetting writes it), or None."""
    base, script = (node.base, node.script) if isinstance(node, ast.Sub) else (node, None)
    if not (isinstance(base, ast.Text) and base.command in ("mathrm", "text", "operatorname")):
        return None
    name = base.content.strip()
    if script is not None:
        name += "_" + text[script.span.start : script.span.end].strip("{} ")
    return name if name in names else None


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each listed word read as one name (module docstring), and a
    :class:`LinearLink` for each name read; else the statements as they were."""
    names = listed(text)
    if not names:
        return statements
    used: set[str] = set()
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition):
            rhs = _rewrite(text, s.rhs, names, used)
            if rhs is not s.rhs:
                s = dataclasses.replace(s, rhs=rhs)
        out.append(s)
    for key in sorted(used):
        line, span = names[key]
        out.append(LinearLink(span, f"{key} is linear", key=key, said=line))
    return out
