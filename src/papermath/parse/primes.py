r"""Notation rule ``primed-next-state``: ``h' = \tanh(W_{ih} x + b_{ih} + W_{hh} h + b_{hh})``
(PyTorch's and Flax's cells), where the source's own text says that the prime marks the next
value of a state: the unprimed h is "the output of the previous time step" (Flax), the primed
h' is "the next hidden state" (PyTorch), or the cell's "carry", or the docstring names the
system a recurrent cell ("A GRU(Gated Recurrent Unit) cell.", MindSpore's GRUCell: a cell's
primed value is its next state). Then the system is a
recurrence over a step t that the source leaves unwritten: h' is h at step t, h is h at step
t-1, every other defined value is at step t, and the input x is the input at step t (x_t);
the undefined others (the weights) stay as they were, shared by every step.

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

from ..source import Span
from . import ast

STEP = "t"
_FONTS = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathit|mathrm|pmb|vec)\s*\{([^{}]*)\}")


@dataclasses.dataclass(frozen=True)
class SteppedDefinition(ast.Definition):
    """A definition of a primed next state, with the source's words that say so."""

    said: str = ""


def _name(text: str, node: ast.Node) -> str:
    return _FONTS.sub(r"\1", re.sub(r"\s+", "", text[node.span.start : node.span.end]))


def _plain(node: ast.Node) -> bool:
    """A letter, or a letter in a font: a symbol the rewrite may step."""
    match node:
        case ast.Letter():
            return True
        case ast.Font(font=font, body=ast.Letter()):
            return font != "mathbb"
    return False


def _evidence(text: str, names: set[str]) -> str | None:
    """The source's words that make the primes next states, if any."""
    for name in sorted(names):
        letter = re.escape(re.sub(r"\\[A-Za-z]+|[{}]", "", name))
        patterns = [
            rf"(?<![\w\\]){letter}(?![\w'])[^.\n$]{{0,60}}\bprevious\b[^.\n]{{0,30}}",
            rf"\bprevious\s+(?:hidden\s+)?state[^.\n]{{0,20}}(?<![\w\\]){letter}(?![\w'])",
            rf"(?<![\w\\]){letter}'[^.\n]{{0,80}}\bnext\s+(?:hidden\s+)?(?:state|value)\b",
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
                return " ".join(m.group(0).split())
    return None


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
        if any(isinstance(n, ast.Letter) and n.name == STEP for n in ast.walk(d)):
            return statements  # the source writes t itself
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
