r"""Notation rule ``primed-next-state``: ``h' = \tanh(W_{ih} x + b_{ih} + W_{hh} h + b_{hh})``
(PyTorch's and Flax's cells), where the source's own text says that the prime marks the next
value of a state: the unprimed h is "the output of the previous time step" (Flax), the primed
h' is "the next hidden state" (PyTorch), or the prose calls the primed symbol the next (new,
updated) state of the unprimed one (Chainer's "GRU returns the next hidden vector :math:`h'`",
":math:`c'` is the next cell state"; a state, a hidden or cell state or vector: never a bare
"vector", which may be a layer's output), or the cell's "carry", or the docstring names the
system a recurrent cell ("A GRU(Gated Recurrent Unit) cell.", MindSpore's GRUCell: a cell's
primed value is its next state). Then the system is a
recurrence over a step t that the source leaves unwritten: h' is h at step t, h is h at step
t-1, every other defined value is at step t, and the input x is the input at step t (x_t);
the undefined others (the weights) stay as they were, shared by every step.

A value under an accent (Chainer's ``\bar{h}``) is stepped as a letter is. Where a right side
types a word in italics (Chainer's peephole LSTM, ``\tanh(upward x + lateral h)``, its Linear
links), the system is refused at the word: read as the product of its letters, its t would be
the step and its letters values.

Examples that read::

    Given an input vector $x$, GRU returns the next hidden vector $h'$ defined as
    $$z = \sigma(W_z x + U_z h), h' = (1 - z) \odot h + z \odot \tanh(W x + U h)$$

Without that text the doubt stands (parse/doubts.py): h' beside an h that nothing defines is
the next value of a state or a new variable, and papermath does not guess which. It does not
either where the system already writes a letter t, or defines a value with a subscript (the
steps would mix with the source's own scripts): those keep the refusal.

The rewrite happens here, before the doubts: each statement is rebuilt with the steps written
(zero-width scripts at the symbols' ends, so carets still point at the source), and the
primed definitions carry the sentence that licensed the reading (``said``), which the reader
notes.
"""

from __future__ import annotations

import dataclasses
import re

from ..errors import ParseError
from ..source import Span
from . import ast

STEP = "t"
# what a state is called: "hidden state", "cell state", "hidden vector", "state vector"; never
# a bare "vector" ("returns the new vector h'" may be a layer's output, not a next state)
_STATE = r"(?:(?:hidden|cell)\s+(?:state|vector)|state)(?:\s+vector)?\b"
# what stands between a word and the symbol it names: a space, rST's " :math:`", "$"
_ROLE = r"\s*(?::math:)?`?\$?"
_FONTS = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathit|mathrm|pmb|vec)\s*\{([^{}]*)\}")


@dataclasses.dataclass(frozen=True)
class SteppedDefinition(ast.Definition):
    """A definition of a primed next state, with the source's words that say so."""

    said: str = ""


def _name(text: str, node: ast.Node) -> str:
    if isinstance(node, ast.Decorated):
        return f"{node.decor}:{_name(text, node.body)}"
    return _FONTS.sub(r"\1", re.sub(r"\s+", "", text[node.span.start : node.span.end]))


def _plain(node: ast.Node) -> bool:
    """A letter, or a letter in a font or under an accent (Chainer's ``\\bar{h}``): a symbol
    the rewrite may step."""
    match node:
        case ast.Letter():
            return True
        case ast.Font(font=font, body=ast.Letter()):
            return font != "mathbb"
        case ast.Decorated(body=body):
            return _plain(body)
    return False


def _evidence(text: str, names: set[str]) -> str | None:
    """The source's words that make the primes next states, if any."""
    for name in sorted(names):
        letter = re.escape(re.sub(r"\\[A-Za-z]+|[{}]", "", name))
        patterns = [
            rf"(?<![\w\\]){letter}(?![\w'])[^.\n$]{{0,60}}\bprevious\b[^.\n]{{0,30}}",
            rf"\bprevious\s+(?:hidden\s+)?state[^.\n]{{0,20}}(?<![\w\\]){letter}(?![\w'])",
            rf"(?<![\w\\]){letter}'[^.\n]{{0,80}}\bnext\s+(?:hidden\s+)?(?:state|value)\b",
            # the prose calls the primed symbol the next (new, updated) state of the unprimed
            # one: Chainer's "returns the next hidden vector :math:`h'`", ":math:`c'` is the
            # next cell state"
            rf"\b(?:next|new|updated)\s+{_STATE}{_ROLE}{letter}'",
            rf"(?<![\w\\]){letter}'`?\$?\s+(?:is|denotes)\s+(?:the\s+)?"
            rf"(?:next|new|updated)\s+{_STATE}",
            r"\bthe\s+carry\b[^.\n]{0,60}",
            # "A GRU(Gated Recurrent Unit) cell." (MindSpore): the source names a recurrent
            # cell, whose primed value is the next state of the unprimed one
            r"\b(?:GRU|LSTM|RNN)\b[^.\n]{0,40}?\bcell\b",
            r"(?i:\brecurrent\s+(?:unit|cell)\b)",
            # "hidden_size: The number of features in the hidden state h" (PyTorch's cells)
            rf"\b(?:hidden|cell)\s+state\s+(?::math:`)?{letter}(?![\w'])",
        ]
        for p in patterns:
            m = re.search(p, text)
            if m is not None:
                return " ".join(re.sub(r":math:|`", "", m.group(0)).split())
    return None


def _in_word(text: str, node: ast.Node) -> bool:
    """A letter typed inside a run of letters (the t of Chainer's ``lateral h``): a piece of
    a word, which later rules read or refuse as one (parse/italic_names.py), not a step."""
    before = text[node.span.start - 1 : node.span.start]
    after = text[node.span.end : node.span.end + 1]
    return before.isalpha() or after.isalpha()


def _outside_scripts(node: ast.Node) -> list[ast.Letter]:
    """The letters of ``node`` that no subscript or superscript holds (``W_{out}``: a label)."""
    match node:
        case ast.Letter():
            return [node]
        case ast.Sub() | ast.Sup():
            return _outside_scripts(node.base)
    found: list[ast.Letter] = []
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        for v in value if isinstance(value, tuple) else (value,):
            if isinstance(v, ast.Node):
                found.extend(_outside_scripts(v))
    return found


def _refuse_words(text: str, defs: list[ast.Definition]) -> None:
    """Where the primes are next states but a right side types a word in italics (Chainer's
    peephole LSTM, ``\\tanh(upward x + lateral h)``: its Linear links ``upward`` and
    ``lateral``), refuse at the word: LaTeX typesets it as the product of its letters, and
    read so its t would be the step and its letters values (``a``, ``i``, the cell's gates)."""
    for d in defs:
        letters = sorted(
            (n for n in _outside_scripts(d.rhs) if _in_word(text, n)),
            key=lambda n: n.span.start,
        )
        for n in letters:
            start, end = n.span.start, n.span.end
            while start > 0 and text[start - 1].isalpha():
                start -= 1
            while end < len(text) and text[end].isalpha():
                end += 1
            word = text[start:end]
            if len(word) < 3 or text[:start].endswith("\\"):
                continue
            raise ParseError(
                f"{word}: the letters {word} typed together in italics: a name (a layer or "
                f"matrix named {word}) or the product {' '.join(word)}; papermath does not "
                "guess which",
                span=Span(start, end),
                hint=f"write \\mathrm{{{word}}}(x) for a learnable map named {word} (by "
                f"default affine), a one-letter matrix with a label (W_{{{word}}} x) for a "
                f"matrix, or put spaces or \\cdot between {' '.join(word)} for a product",
            )


def says_next_state(line: str) -> bool:
    """Whether a line of prose says a symbol is the previous (or next) state, or the carry:
    then it is the line that licenses the primed reading (parse/__init__.py reads it as
    prose, where a line naming symbols would otherwise be refused)."""
    letters = set(re.findall(r"(?<![\w\\])([A-Za-z])(?![\w])'?", line))
    return any(_evidence(line, {letter}) for letter in letters)


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with the steps written, where the source says the primes are next
    states; otherwise the statements as they were."""
    defs = [s for s in statements if isinstance(s, ast.Definition)]
    primed: set[str] = set()
    for d in defs:
        if isinstance(d.lhs, ast.Prime) and d.lhs.count == 1 and _plain(d.lhs.base):
            primed.add(_name(text, d.lhs.base))
    if not primed:
        return statements
    defined = {_name(text, d.lhs) for d in defs if _plain(d.lhs)}
    used = {_name(text, n) for d in defs for n in ast.walk(d.rhs) if _plain(n)}
    states = {p for p in primed if p in used and p not in defined}
    if not states:
        return statements
    said = _evidence(text, states)
    if said is None:
        return statements  # the doubt stands (parse/doubts.py)
    for d in defs:
        if not (_plain(d.lhs) or (isinstance(d.lhs, ast.Prime) and _plain(d.lhs.base))):
            return statements  # a left side with a script: the steps would mix with it
        words = {id(n) for n in _outside_scripts(d) if _in_word(text, n)}
        if any(
            isinstance(n, ast.Letter) and n.name == STEP and id(n) not in words for n in ast.walk(d)
        ):
            return statements  # the source writes t itself (not the t of `lateral h`)
    _refuse_words(text, defs)  # upward x: a word in italics, which the steps would misread
    inputs = {
        _name(text, n)
        for d in defs
        for n in ast.walk(d.rhs)
        if _plain(n) and _name(text, n) in ("x", "X") and _name(text, n) not in defined
    }
    out: list[ast.Statement] = []
    for s in statements:
        if not isinstance(s, ast.Definition):
            out.append(s)
            continue
        lhs = s.lhs.base if isinstance(s.lhs, ast.Prime) else s.lhs
        new_lhs = _at(lhs, 0, s.lhs.span)
        rhs = _step(text, s.rhs, states, defined, inputs)
        if isinstance(s.lhs, ast.Prime):
            out.append(
                SteppedDefinition(
                    s.span, new_lhs, rhs, s.decl, s.claims, s.update, said=_note(text, s, said)
                )
            )
        else:
            out.append(dataclasses.replace(s, lhs=new_lhs, rhs=rhs))
    return out


def _note(text: str, s: ast.Definition, said: str) -> str:
    assert isinstance(s.lhs, ast.Prime)
    name = _name(text, s.lhs.base)
    return (
        f"{name}' is {name} at the next step: the source says so ('{said}'); read as the "
        f"recurrence {name}_{STEP} = ... {name}_{{{STEP}-1}} ..., every value at step {STEP}, "
        f"the input x at each step"
    )


def _at(node: ast.Node, offset: int, span: Span | None = None) -> ast.Node:
    """``node`` written at step t (offset 0) or t-1 (offset -1); the step, which the source
    does not write, takes the span of what is written (``span``: ``h'`` for h' itself)."""
    where = span or node.span
    script: ast.Node = ast.Letter(where, STEP)
    if offset:
        script = ast.BinOp(where, "-", script, ast.Number(where, str(-offset)), where)
    return ast.Sub(where, node, script)


def _step(
    text: str, node: ast.Node, states: set[str], defined: set[str], inputs: set[str]
) -> ast.Node:
    if isinstance(node, ast.Prime) and _plain(node.base) and _name(text, node.base) in states:
        return _at(node.base, 0, node.span)
    if _plain(node):
        name = _name(text, node)
        if name in states:
            return _at(node, -1)
        if name in defined or name in inputs:
            return _at(node, 0)
        return node
    if isinstance(node, ast.Sub | ast.Sup):
        # a script is not rewritten (W_{hh}: h is a label there); a base may be (h^2)
        return dataclasses.replace(node, base=_step(text, node.base, states, defined, inputs))
    changes: dict[str, object] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, ast.Node):
            new = _step(text, value, states, defined, inputs)
            if new is not value:
                changes[f.name] = new
        elif isinstance(value, tuple) and any(isinstance(v, ast.Node) for v in value):
            items = tuple(
                _step(text, v, states, defined, inputs) if isinstance(v, ast.Node) else v
                for v in value
            )
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[f.name] = items
    return dataclasses.replace(node, **changes) if changes else node  # type: ignore[arg-type]
