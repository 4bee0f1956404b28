r"""Notation rule ``output-size-argument``: a library's argument that says the size of the
layer's output, in a docstring's argument list, read as the declaration of the value the
equations compute last.

What people write (google/trax's SRU docstring, under its equations)::

    Args:
      n_units: output depth of the SRU layer.

How papermath reads it: the argument names a size (``n_units``) and says it is the output's
depth (size, dimension, width): the output is the value the equations define that no other
equation uses (the SRU's h_t; c_t is used by h_t), so ``h \in \mathbb{R}^{n_units}``, the size
named by the argument's own word; the reading quotes the words and says which value is the
output. Only where exactly one defined value is used by no other equation; otherwise the
line stays refused as prose that names symbols (parse/__init__.py), since which value it
measures is not said.

Example (reads)::

    f_t = \sigma(W_f x_t + b_f)
    c_t = f_t \times c_{t-1} + (1 - f_t) \times x_t
    h_t = \tanh(c_t)

    n_units: output depth of the layer.
"""

from __future__ import annotations

import re

from ..source import Span
from . import ast

__all__ = ["declaration", "says_size"]

_SAYS = re.compile(
    r"^[ \t]*(?P<size>[A-Za-z][A-Za-z0-9_]*)[ \t]*:[ \t]*(?:[Tt]he[ \t]+)?"
    r"(?P<words>[Oo]utput[ \t]+(?:depth|size|dimension|dimensionality|width)\b)[^\n$]*$"
)


def says_size(line: str) -> bool:
    """Whether a line of prose is an argument saying the output's size (see the module)."""
    return _SAYS.match(line) is not None


class _Where:
    """The spans the declaration is moved onto: its symbol onto the words "output depth",
    its size onto the argument's name."""

    def __init__(self, m: re.Match[str], offset: int) -> None:
        self._m, self._offset = m, offset

    def span(self, group: str | int = 0) -> tuple[int, int]:
        name = "words" if group == "sym" else group
        a, b = self._m.span(name)
        return a + self._offset, b + self._offset


def _base(node: ast.Node) -> str | None:
    if isinstance(node, ast.Sub | ast.Sup):
        node = node.base
    if isinstance(node, ast.Letter) and len(node.name) == 1:
        return node.name
    return None


def declaration(
    text: str, start: int, end: int, statements: list[ast.Statement]
) -> ast.Statement | None:
    """The declaration the line ``text[start:end]`` says of the equations' output, or None
    where the line says no output size or the output is not one value."""
    from .prose_nodes import ProseDeclaration, declaration_on_words

    m = _SAYS.match(text[start:end])
    if m is None:
        return None
    defs = [s for s in statements if isinstance(s, ast.Definition)]
    defined = {b for s in defs if (b := _base(s.lhs)) is not None}
    used = {
        n.name
        for s in defs
        for n in ast.walk(s.rhs)
        if isinstance(n, ast.Letter)  # the letters on right sides, at any step
    }
    outputs = sorted(defined - used)
    if len(outputs) != 1:
        return None
    out = outputs[0]
    size = m.group("size")
    tex = size if len(size) == 1 else "\\text{" + size + "}"
    moved = declaration_on_words(out, tex, _Where(m, start))
    if moved is None:
        return None
    words = " ".join(m.group(0).split())
    said = (
        f"said in words: '{words}' read as {out} \\in R^{{{size}}}: the argument {size} is "
        f"the size of the output, and {out} is the output (the one value the equations define "
        "that no other equation uses)"
    )
    return ProseDeclaration(Span(start, end), moved.targets, moved.space, said=said)
