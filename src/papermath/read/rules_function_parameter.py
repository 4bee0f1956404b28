r"""Notation rule ``function-subscript-parameter``: a function the source defines with a
parameter written in its subscript, called with a number there.

What people write: Shazeer's GLU variants define ``\mathrm{Swish}_\beta(x) = x \sigma(\beta x)``
and use ``\mathrm{Swish}_1(xW)``; activations are written the same way (``\mathrm{ELU}_\alpha``,
``\mathrm{Soft}_\tau(z) = \tanh(z / \tau)`` beside ``\mathrm{Soft}_2``).

How papermath reads it: the call is the defined function with the subscript's letter set to
the number written (``\mathrm{Swish}_1(xW)`` is ``xW \sigma(1 \cdot xW)``), as the definition's
body says; the reading quotes both. Only where the definition's subscript is one letter that
its body uses and that is not one of its arguments, and the call's subscript is a whole
number (a decimal subscript, ``_{0.01}``, is not read as a subscript at all): a call with a
letter there (``\mathrm{Swish}_\gamma``) is another name, and is read as such.

Examples that read: ``f_\beta(x) = x \sigma(\beta x)`` with ``y = f_1(W h)``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t

if TYPE_CHECKING:
    from .reader import FnDef, Reader, SymParts

_NUMBER = re.compile(r"\d+")


def _uses(body: ast.Node, letter: str) -> bool:
    return any(isinstance(n, ast.Letter) and n.name == letter for n in ast.walk([body]))


def _number(node: ast.Node) -> str | None:
    """The whole number a call's subscript writes (``_1``, ``_{2}``), else None."""
    script = node.script if isinstance(node, ast.Sub) else None
    while isinstance(script, ast.Brace) and len(script.items) == 1:
        script = script.items[0]
    if isinstance(script, ast.Number) and _NUMBER.fullmatch(str(script.text)):
        return str(script.text)
    return None


def definition(reader: Reader, parts: SymParts) -> tuple[FnDef, str] | None:
    """The function ``base_letter`` the source defines for a call ``base_number``, with its
    letter; None where there is none (or more than one)."""
    if len(parts.labels) != 1 or not _NUMBER.fullmatch(parts.labels[0]):
        return None
    prefix = "_".join([parts.base, *parts.decorations]) + "_"
    found = []
    for fd in reader.functions.values():
        letter = fd.key[len(prefix) :] if fd.key.startswith(prefix) else ""
        if letter and "_" not in letter and letter not in fd.formals and _uses(fd.body, letter):
            found.append((fd, letter))
    return found[0] if len(found) == 1 else None


def call(
    reader: Reader, node: ast.Call, func: ast.Node, parts: SymParts, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """``\\mathrm{Swish}_1(xW)`` beside ``\\mathrm{Swish}_\\beta(x) = ...`` (see the module)."""
    found = definition(reader, parts)
    number = _number(func)
    if found is None or number is None:
        return None
    fd, letter = found
    value = float(number)
    reader.note(
        func.span,
        f"{fd.key} with {letter} = {number}",
        f"the function {fd.key} defined on line {fd.line} writes its parameter {letter} in the "
        f"subscript; this call writes {number} there, so {letter} = {number} in its body",
    )
    where = func.script.span if isinstance(func, ast.Sub) else func.span
    return reader.call_defined(node, fd, args, extra={letter: t.Const(where, value)})
