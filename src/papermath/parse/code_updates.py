r"""Notation rule ``code-sequential-update``: assignments written as code that update values
in place, read in the order the lines run (an optimiser's step).

What people write (Lasagne's ``lasagne/updates.py`` docstrings, as RST literals)::

    * ``velocity := momentum * velocity - learning_rate * gradient``
    * ``param := param + velocity``

    learning_rate : float or symbolic scalar
    momentum : float or symbolic scalar, optional

As equations, ``velocity`` would depend on itself. Code is imperative: its lines run in the
order written, and a name on a right side is the value most recently assigned to it. So,
once a step: a name that a line ABOVE assigns is read as that line's new value (step t), and
a name that this line or a line below assigns is the value left by the previous run (step
t-1). Each assigned name is a state carried from step to step: ``velocity_t = momentum *
velocity_{t-1} - learning_rate * gradient``, ``param_t = param_{t-1} + velocity_t``.

Only where: every line is a definition written as code whose left side is one plain name,
each name assigned once, at least one line reads its own left side (an update in place), and
no name is ``t`` (the step). A numpydoc parameter line that gives a name's type as a number,
``learning_rate : float or symbolic scalar`` (``float``, ``int``, ``scalar``), declares
that name a scalar; the names such an update reads that it does not assign and that are not
declared scalars (``gradient``) are given anew at each step (an input per step,
``gradient_t``), as ``torch.optim``'s ``p.grad`` is (read/rules_code_updates.py).

Examples (each a whole source; param, velocity, gradient of one shape)::

    * ``param := param - learning_rate * gradient``

    learning_rate : float or symbolic scalar
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..source import Span
from . import ast
from .code_index import CodeKey
from .prose_nodes import ProseDeclaration

__all__ = ["SequentialDefinition", "rewrite"]

STEP = "t"


@dataclasses.dataclass(frozen=True)
class SequentialDefinition(ast.Definition):
    """A line of code that updates in place, read at step t (see the module)."""

    where: str = ""
    said: str = ""
    reading: str = "sequential update in code"
    # the names the update reads, assigns nowhere and that no parameter line says are numbers:
    # given at each step (read/rules_code_updates.py); and those said to be numbers
    given: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()


# "learning_rate : float or symbolic scalar" (numpydoc's Parameters section)
_SCALAR_ARG = re.compile(
    r"^[ \t]*(?P<sym>[A-Za-z_]\w*)[ \t]+:[ \t]+(?P<size>(?:float|int|scalar|number)\b[^\n]*)$",
    re.MULTILINE,
)
_NUMBER_TYPE = re.compile(r"(?:float|int|number)(?: or symbolic scalar)?(?:, optional)?|scalar")


def _name(node: ast.Node, text: str) -> str | None:
    if isinstance(node, CodeKey):  # updates[param]: one name (parse/code_index.py)
        return node.written
    if isinstance(node, ast.Letter) or (isinstance(node, ast.Text) and node.command == "text"):
        return text[node.span.start : node.span.end]
    return None


def _names(node: ast.Node, text: str) -> list[str]:
    """The names of the values ``node`` reads, as written (``learning_rate``, not its parts;
    a call's head is no value)."""
    if isinstance(node, ast.Letter | ast.Sub) or (
        isinstance(node, ast.Text) and node.command == "text"
    ):
        name = text[node.span.start : node.span.end]
        return [name] if re.fullmatch(r"[A-Za-z_]\w*(?:\[\w+\])?", name) else []  # a[k]
    if isinstance(node, ast.Call):
        return [n for a in node.args for n in _names(a, text)]
    return [n for c in _children(node) for n in _names(c, text)]


def _children(node: ast.Node) -> list[ast.Node]:
    out: list[ast.Node] = []

    def keep(child: ast.Node) -> ast.Node:
        out.append(child)
        return child

    ast.map_children(node, keep)
    return out


def _stepped(node: ast.Node, previous: bool) -> ast.Node:
    at = node.span  # the step is not written: its notes point at the name
    step: ast.Node = ast.Letter(at, STEP)
    if previous:
        step = ast.BinOp(at, "-", step, ast.Number(at, "1"), at)
    return ast.Sub(node.span, node, step)


def rewrite(
    text: str, statements: list[ast.Statement], symbol: Callable[[str, int], ast.Node]
) -> list[ast.Statement]:
    """The code's definitions read in order, as one step of an update (see the module);
    unchanged where the rule does not apply."""
    defs = [s for s in statements if isinstance(s, ast.Definition) and hasattr(s, "where")]
    if not defs or len(defs) != len(statements):
        return statements
    names = [_name(s.lhs, text) for s in defs]
    if None in names or len(set(names)) != len(names):
        return statements
    order = {n: k for k, n in enumerate(names) if n is not None}
    used = {_name(n, text) for s in defs for n in ast.walk(s.rhs)}
    if STEP in used or STEP in order:
        return statements
    if not any(names[k] in {_name(n, text) for n in ast.walk(s.rhs)} for k, s in enumerate(defs)):
        return statements  # nothing updated in place: equations as they are

    read = {n for s in defs for n in _names(s.rhs, text)}
    scalars = scalar_arguments(text, sorted(read - set(order)), symbol)
    numbers = tuple(sorted(text[d.span.start : d.span.end].split()[0] for d in scalars))
    given = {n for n in read - set(order) - set(numbers) if "_" not in n}  # a plain name
    out: list[ast.Statement] = []
    for k, s in enumerate(defs):

        def swap(node: ast.Node, k: int = k) -> ast.Node:
            name = _name(node, text)
            if name in order:
                return _stepped(node, previous=order[name] >= k)
            if name in given:  # gradient: given anew at each step
                return _stepped(node, previous=False)
            if isinstance(node, ast.Call):  # a call's head is no value
                return dataclasses.replace(node, args=tuple(swap(a) for a in node.args))
            return ast.map_children(node, swap)

        name = str(names[k])
        above = [str(n) for n in names[:k] if n in {_name(x, text) for x in ast.walk(s.rhs)}]
        said = (
            f"code runs in order: {name} := ... is read as {name}_t, from {name}_{{t-1}} "
            "(the value the previous step left)"
            + (f", and the new {', '.join(above)} (assigned above, at step t)" if above else "")
            + (f"; {', '.join(sorted(given))} given anew at step t" if given else "")
            + ": an update in place, one step of a recurrence (code-sequential-update)"
        )
        out.append(
            SequentialDefinition(
                s.span,
                _stepped(s.lhs, previous=False),
                swap(s.rhs),
                s.decl,
                where=str(getattr(s, "where", "")),
                said=said,
                given=tuple(sorted(given)),
                numbers=numbers,
            )
        )
    return out + scalars


def scalar_arguments(
    text: str, names: list[str], symbol: Callable[[str, int], ast.Node]
) -> list[ProseDeclaration]:
    """``name \\in \\mathbb{R}`` for each of ``names`` whose numpydoc parameter line gives
    a number type (``learning_rate : float or symbolic scalar``); ``symbol`` makes a
    code name's symbol (parse/code.py)."""

    out: list[ProseDeclaration] = []
    for m in _SCALAR_ARG.finditer(text):
        sym = m.group("sym")
        if sym not in names or not _NUMBER_TYPE.fullmatch(m.group("size").strip()):
            continue
        target = symbol(sym, m.start("sym"))
        at = Span(m.start("size"), m.end("size"))
        real = ast.Font(at, "mathbb", ast.Letter(at, "R"))
        out.append(
            ProseDeclaration(
                Span(m.start("sym"), m.end("size")),
                (target,),
                real,
                said=f"said in words: '{sym} : {m.group('size').strip()}': a number, a scalar "
                "(numpydoc's parameter type; code-sequential-update)",
            )
        )
    return out
