r"""Notation rule ``size-argument``: a library's argument list that says which symbol a size
argument measures, read as the declaration it is.

What people write (PyTorch's recurrent layers and cells, PaddlePaddle's Chinese API pages)::

    h_t = \tanh(w_{ih} * x_t + b_{ih}  +  w_{hh} * h_{(t-1)} + b_{hh})

    Args:
        input_size: The number of expected features in the input x
        hidden_size: The number of features in the hidden state h

    - **input_size** (int) - 输入 :math:`x` 的大小。
    - **hidden_size** (int) - 隐藏状态 :math:`h` 大小。

How papermath reads them: the argument names a size and the sentence names the symbol it
measures, so ``x \in \mathbb{R}^{input_size}`` and ``h \in \mathbb{R}^{hidden_size}``, each
size named by the argument's own word (the shapes table speaks the source's words); the
reading quotes the sentence. Then the shapes decide what the docstring leaves to them: in
``w_{ih} * x_t`` beside ``h_t`` the only product that takes an input_size vector to a
hidden_size vector is the matrix product (the two sizes are different names, and papermath
never solves one to the other), which is how PyTorch's 2017 docstring writes it.

Only these sentences, of a one-letter symbol the equations write (``x`` for ``x_t``):
``NAME: The number of [expected] features in the <input|hidden state|cell state|output> S``
and the Chinese ``**NAME** (int) - ... :math:`S` [的]大小`` ("the size of S"). An argument
that names no symbol (``proj_size``: "the size of the projection") declares nothing, nor does
one of a state the prose says is projected (``h`` with ``proj_size``: the argument measures
the value before the projection, :mod:`papermath.parse.projections`).
"""

from __future__ import annotations

import re

from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, declaration_on_words

__all__ = ["ENABLED", "read_args"]

# Off until the lead decides: read on, these sentences name the sizes by the arguments' words
# (input_size, hidden_size), and the wild corpus's PyTorch cases expect the names d and H for
# them, which its measure compares literally for a declared size (tests/wild/measure.py).
ENABLED = True

# "input_size: The number of expected features in the input x" (PyTorch's Args)
_ENGLISH = re.compile(
    r"^[ \t]*(?P<size>[A-Za-z][A-Za-z0-9_]*)[ \t]*:[ \t]*[Tt]he[ \t]+number[ \t]+of[ \t]+"
    r"(?:expected[ \t]+)?features[ \t]+in[ \t]+the[ \t]+"
    r"(?:input|hidden[ \t]+state|cell[ \t]+state|output)[ \t]+"
    r"(?:\$|``|`)?(?P<sym>[A-Za-z])(?:\$|``|`)?(?![\w'])",
    re.MULTILINE,
)
# "- **input_size** (int) - 输入 :math:`x` 的大小。" (PaddlePaddle's Chinese pages; :math: is $)
_CHINESE = re.compile(
    r"\*\*(?P<size>[A-Za-z][A-Za-z0-9_]*)\*\*[ \t]*\(int\)[ \t]*[-–]"
    r"[^\n$]{0,20}?"
    r"\$(?P<sym>[A-Za-z])\$[ \t]*的?大小"
)


def _projected(text: str, sym: str) -> bool:
    """Whether the prose says ``sym`` is projected (parse/projections.py): then the argument
    measures its value before the projection (PaddlePaddle's hidden_size with proj_size), not
    the state the equations call ``sym``, and it declares nothing."""
    from .projections import _SAYS

    for line in text.splitlines():
        if _SAYS.search(line) and re.search(rf"(?<![\\\w]){sym}(?![a-zA-Z])", line):
            return True
    return False


def _size_tex(word: str) -> str:
    return word if len(word) == 1 else "\\text{" + word + "}"


def read_args(
    text: str, regions: tuple[tuple[str, bool], ...]
) -> tuple[list[ast.Declaration], list[tuple[int, int]]]:
    """The declarations an argument list says (module docstring) of the symbols the
    equations write (``regions``: each region's text and whether it is prose), and the
    spans of the words read."""
    from .prose_shapes import _written

    if not ENABLED:
        return [], []

    # the equations' lines only: a plain region may hold the argument list itself
    equations = tuple(
        (body if mixed else "\n".join(ln for ln in body.split("\n") if "=" in ln), mixed)
        for body, mixed in regions
    )
    written = {s.split("_")[0] for s in _written(equations)}
    found: list[ast.Declaration] = []
    spans: list[tuple[int, int]] = []
    seen: set[str] = set()
    for pattern in (_ENGLISH, _CHINESE):
        for m in pattern.finditer(text):
            sym, size = m.group("sym"), m.group("size")
            if sym not in written or sym in seen or _projected(text, sym):
                continue
            moved = declaration_on_words(sym, _size_tex(size), m)
            if moved is None:
                continue
            seen.add(sym)
            words = " ".join(m.group(0).replace("$", " ").split())
            said = (
                f"said in words: '{words}' (an argument of the layer that measures {sym}) read "
                f"as {sym} \\in R^{{{size}}}"
            )
            found.append(
                ProseDeclaration(Span(m.start(), m.end()), moved.targets, moved.space, said=said)
            )
            spans.append(m.span())
    return found, spans
