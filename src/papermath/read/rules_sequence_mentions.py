r"""Notation rule ``sequence-mentions``: lines of prose that say what a recurrence's sequence
is, which compute nothing: the sequence named as the set of its steps' values, an example
token at one step given as a word, and the last state named again.

What people write (bentrevett's seq2seq notebook 1, around ``h_t = \text{EncoderRNN}(e(x_t),
h_{t-1})``): "Here, we have ``X = \{x_1, x_2, ..., x_T\}``, where ``x_1 = \text{<sos>},
x_2 = \text{guten}``, etc." and "we use the final hidden state, ``h_T``, as the context vector,
i.e. ``h_T = z``", with ``s_0 = z = h_T`` later.

How papermath reads them (each left out of the equations, the readings say so):

- ``X = \{x_1, x_2, ..., x_T\}``: a set of one symbol's values at numbered steps, with dots,
  is the sequence of that symbol, read through its value at each step (``x_t``); the name X
  is left out when no other line uses it.
- ``x_1 = \text{<sos>}``: a word (``\text{...}``) given as a symbol's value at one numbered
  step, the symbol used elsewhere at the step (``x_t``) and defined by no equation (an input):
  an example of the input at that step (a token of the sentence), not an equation.
- ``h_T = z`` where another equation defines ``z = h_T``: the same statement read backwards,
  left out (h is defined by its own recurrence).

Anything else stays as before: a set with dots used as a value is refused
(parse/named_cells.py's hint), a word as a value is refused, ``h_T = z`` with no ``z = h_T``
beside it is read as an equation of h.

Example that reads (the set and the token left out; x the input, h the state)::

    $$h_t = \tanh(W h_{t-1} + U x_t)$$
    Here, we have $X = \{x_1, x_2, ..., x_T\}$, where $x_1 = \text{<sos>}$.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

RULE = "sequence-mentions"


def _members(node: ast.Node) -> str | None:
    """The base letter of ``\\{x_1, x_2, ..., x_T\\}``: every item but dots ``x`` with a
    number or letter subscript, dots among them; None otherwise."""
    if not isinstance(node, ast.SetLiteral):
        return None
    dots = [x for x in node.items if isinstance(x, ast.Dots)]
    rest = [x for x in node.items if not isinstance(x, ast.Dots)]
    if not dots or len(rest) < 2:
        return None
    bases = set()
    for x in rest:
        if not (
            isinstance(x, ast.Sub)
            and isinstance(x.base, ast.Letter)
            and isinstance(x.script, ast.Number | ast.Letter)
        ):
            return None
        bases.add(x.base.name)
    return bases.pop() if len(bases) == 1 else None


def _at_letter_step(nodes: list[ast.Node], base: str) -> bool:
    """``x_t`` (a letter subscript) occurs among ``nodes``."""
    return any(
        isinstance(n, ast.Sub)
        and isinstance(n.base, ast.Letter)
        and n.base.name == base
        and isinstance(n.script, ast.Letter)
        for n in nodes
    )


def _defined_bases(statements: list[ast.Statement]) -> set[str]:
    out = set()
    for s in statements:
        if isinstance(s, ast.Definition) and not isinstance(s.rhs, ast.Text):  # tokens
            lhs = s.lhs.base if isinstance(s.lhs, ast.Sub) else s.lhs
            if isinstance(lhs, ast.Letter):
                out.add(lhs.name)
    return out


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements less the sequence mentions, each noted in the readings."""
    snippet = reader.source.snippet
    drop: set[int] = set()
    for k, s in enumerate(statements):
        if not isinstance(s, ast.Definition) or s.decl is not None or s.claims:
            continue
        others = [n for j, o in enumerate(statements) if j != k for n in ast.walk(o)]
        base = _members(s.rhs)
        if base is not None and isinstance(s.lhs, ast.Letter):
            name = s.lhs.name
            if _at_letter_step(others, base) and not any(
                isinstance(n, ast.Letter) and n.name == name for n in others
            ):
                drop.add(k)
                reader.note(
                    s.span,
                    "the sequence named, left out",
                    f"{name} lists the values of {base} at the steps ({snippet(s.rhs.span)}): "
                    f"the sequence, read through {base} at each step; {name} is used nowhere "
                    "else, so the line computes nothing",
                )
                continue
        lhs = s.lhs
        if (
            isinstance(lhs, ast.Sub)
            and isinstance(lhs.base, ast.Letter)
            and isinstance(lhs.script, ast.Number)
            and isinstance(s.rhs, ast.Text)
            and s.rhs.command == "text"
            and _at_letter_step(others, lhs.base.name)
            and lhs.base.name not in _defined_bases([o for j, o in enumerate(statements) if j != k])
        ):
            drop.add(k)
            reader.note(
                s.span,
                "an example token, left out",
                f"{snippet(s.rhs.span)} is a word given as the input {lhs.base.name} at step "
                f"{lhs.script.text}: an example of the sequence, not an equation",
            )
            continue
        if isinstance(lhs, ast.Sub) and isinstance(s.rhs, ast.Letter):
            back = [
                o
                for j, o in enumerate(statements)
                if j != k
                and isinstance(o, ast.Definition)
                and isinstance(o.lhs, ast.Letter)
                and o.lhs.name == s.rhs.name
                and "".join(snippet(o.rhs.span).split()) == "".join(snippet(lhs.span).split())
            ]
            if back:
                drop.add(k)
                reader.note(
                    s.span,
                    "the same equation read backwards, left out",
                    f"{snippet(s.span)} says again what {snippet(back[0].span)} defines",
                )
    return [s for k, s in enumerate(statements) if k not in drop]
