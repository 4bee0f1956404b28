# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``continuous-time``: a differential equation in Lagrange's notation, the
signals written as functions of the time t, and the prose that gives their sizes.

What people write (the Annotated S4's state space model)::

    It maps a 1-D input signal $u(t)$ to an $N$-D latent state $x(t)$
    before projecting to a 1-D output signal $y(t)$.
    $$
      \begin{aligned}
        x'(t) &= \boldsymbol{A}x(t) + \boldsymbol{B}u(t) \\
        y(t) &= \boldsymbol{C}x(t) + \boldsymbol{D}u(t)
      \end{aligned}
    $$

How papermath reads it: ``x'(t)`` on a left side, with ``x(t)`` on a right side, is the
derivative of x in the time t (Lagrange's prime), not a new variable; then t is the continuous
time, and every symbol written with the argument t alone (``x(t)``, ``u(t)``, ``y(t)``) is that
signal's value at the time t, not a learnable function of t. The derivative ``x'(t)`` is a
value of its own (key ``x_prime``) with x's shape (a derivative in time has the value's shape).
The prose ``a 1-D ... signal $u(t)$`` declares u a number at each t, ``an $N$-D ... $x(t)$``
declares x in R^N (at most three words between the size and the symbol). The readings say all
this; generated code is refused by name for the derivative (a differential equation needs a
discretisation, which the source does not give here).

Not read here: a derivative with no ``x(t)`` on a right side, a second derivative ``y''(t)``,
an argument other than one letter, and plain text (no LaTeX command anywhere), where ``x'``
beside ``x`` may be a transpose as in MATLAB-style notes (read/reader.py): parse/doubts.py
refuses those at the derivative, as before.

Example (reads; A N x N, B a column of N, C a row, D a number)::

    It maps a 1-D input signal $u(t)$ to an $N$-D latent state $x(t)$ and a 1-D output $y(t)$. $$x'(t) = \boldsymbol{A} x(t) + \boldsymbol{B} u(t)$$ $$y(t) = \boldsymbol{C} x(t) + \boldsymbol{D} u(t)$$
"""

from __future__ import annotations

import dataclasses
import re

from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, declaration_on_words

# `a 1-D input signal $u(t)$`, `an $N$-D latent state $x(t)$`
_SIZED = re.compile(
    r"\ban?\s+(?:\$(?P<size>[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)\$|(?P<one>1))-D\s+"
    r"(?:[A-Za-z]+\s+){0,3}?\$(?P<sym>\\?[A-Za-z]+|\\[A-Za-z]+\{[A-Za-z]\})\((?P<t>[a-z])\)\$"
)


@dataclasses.dataclass(frozen=True)
class DerivativeDefinition(ast.Definition):
    """``x'(t) = ...`` read as the derivative of x at the time t (``said``: the reading)."""

    said: str = ""
    reading: str = "derivative in continuous time"
    time: str = "t"
    of: str = ""  # the key of the value differentiated (x)


def _name(text: str, node: ast.Node) -> str:
    return re.sub(r"\s+", "", text[node.span.start : node.span.end])


def _plain(node: ast.Node) -> bool:
    """A letter, or a letter in a font or decorated: a symbol, not a function's name."""
    match node:
        case ast.Letter():
            return True
        case ast.Font(body=body) | ast.Decorated(body=body):
            return _plain(body)
    return False


def _derivative(stmt: ast.Statement) -> tuple[ast.Prime, str] | None:
    """``x'(t) = ...``: the primed symbol and the time letter; else None."""
    if not isinstance(stmt, ast.Definition):
        return None
    lhs = stmt.lhs
    if not (isinstance(lhs, ast.Call) and isinstance(lhs.func, ast.Prime)):
        return None
    if lhs.func.count != 1 or not _plain(lhs.func.base) or len(lhs.args) != 1:
        return None
    arg = lhs.args[0]
    return (lhs.func, arg.name) if isinstance(arg, ast.Letter) else None


def _at_time(node: ast.Node, text: str, signals: set[str], time: str) -> ast.Node:
    """``x(t)`` -> ``x_t`` for each signal x, everywhere in ``node``."""
    if (
        isinstance(node, ast.Call)
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Letter)
        and node.args[0].name == time
        and _name(text, node.func) in signals
    ):
        return ast.Sub(span=node.span, base=node.func, script=node.args[0])
    return ast.map_children(node, lambda v: _at_time(v, text, signals, time))


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with every signal of time t written at t (``x(t)`` as ``x_t``), each
    derivative ``x'(t) = ...`` a :class:`DerivativeDefinition`, and the declarations the prose
    says (``an $N$-D latent state $x(t)$``); unchanged where no derivative in time is written."""
    found = [(s, d) for s in statements if (d := _derivative(s)) is not None]
    if not found or "\\" not in text:
        return statements  # plain text: x' beside x may be a transpose (MATLAB's), refused
    times = {t for _, (_, t) in found}
    if len(times) != 1:
        return statements
    time = times.pop()
    # the signals: every plain symbol called with the time alone
    signals: set[str] = set()
    for s in statements:
        if not isinstance(s, ast.Definition):
            continue
        for n in ast.walk(s):
            if (
                isinstance(n, ast.Call)
                and len(n.args) == 1
                and isinstance(n.args[0], ast.Letter)
                and n.args[0].name == time
                and _plain(n.func)
            ):
                signals.add(_name(text, n.func))
    for _, (prime, _) in found:
        if _name(text, prime.base) not in signals:
            return statements  # x'(t) with no x(t): refused by parse/doubts.py
    out: list[ast.Statement] = []
    for s in statements:
        if not isinstance(s, ast.Definition):
            out.append(s)
            continue
        d = _derivative(s)
        rhs = _at_time(s.rhs, text, signals, time)
        if d is None:
            out.append(dataclasses.replace(s, lhs=_at_time(s.lhs, text, signals, time), rhs=rhs))
            continue
        prime, _ = d
        name = _name(text, prime.base)
        lhs = ast.Sub(span=s.lhs.span, base=prime, script=ast.Letter(s.lhs.span, time))
        said = (
            f"{_name(text, s.lhs)} is the derivative of {name} in the time {time} (Lagrange's "
            f"prime, {name}({time}) on a right side): a value of its own with {name}'s shape; "
            f"every symbol written with ({time}) is that signal's value at the time {time}"
        )
        fields = {f.name: getattr(s, f.name) for f in dataclasses.fields(s)}
        fields.update(lhs=lhs, rhs=rhs)
        out.append(DerivativeDefinition(**fields, said=said, time=time, of=name))
    out.extend(_prose_sizes(text, signals, time))
    return sorted(out, key=lambda s: s.span.start)


def _prose_sizes(text: str, signals: set[str], time: str) -> list[ast.Statement]:
    """``a 1-D input signal $u(t)$``: u a number at each t; ``an $N$-D ... $x(t)$``: x in
    R^N; for the signals of the equations only."""
    out: list[ast.Statement] = []
    for m in _SIZED.finditer(text):
        sym = m.group("sym")
        if sym not in signals or m.group("t") != time:
            continue
        group = "one" if m.group("one") else "size"

        class _Where:  # declaration_on_words wants the symbol's and the size's spans
            def span(self, name: str, m: re.Match[str] = m, group: str = group) -> tuple[int, int]:
                return m.span("sym") if name == "sym" else m.span(group)

        moved = declaration_on_words(
            f"{sym}_{time}", None if m.group("one") else m.group("size"), _Where()
        )
        if moved is None:
            continue
        words = " ".join(m.group(0).split())
        what = "a number at each time" if m.group("one") else f"in R^{m.group('size')}"
        out.append(
            ProseDeclaration(
                Span(m.start(), m.end()),
                moved.targets,
                moved.space,
                said=f"said in words: '{words}' read as {sym}({time}) {what}",
            )
        )
    return out
