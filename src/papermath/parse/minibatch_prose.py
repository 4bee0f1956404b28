r"""Notation rule ``minibatch-words``: PyTorch's documentation says what a loss's arguments are
with the words "1D mini-batch tensor": one number per example of the batch (a tensor of
shape (N)), as a blog quoting MarginRankingLoss keeps them::

    \text{loss}(x1, x2, y) = \max(0, -y * (x1 - x2) + \text{margin})

    - inputs :`x1`, `x2`, two 1D mini-batch `Tensors`;
    - `y`: a label 1D mini-batch tensor (containing 1 or -1);

How papermath reads it: the equations are per example, and a 1D mini-batch holds one number
per example, so each name the line lists (in backticks, before the words) is a number for
one example: ``x1 \in \mathbb{R}`` (``x1`` the name x_1 as code writes it). Where the line
calls it a label (``a label 1D mini-batch tensor``) it is what the output is compared with:
target data. Only a name the equations write is declared; the readings quote the words.

Example (reads: x_1, x_2 and y numbers, y the target):

    \text{loss}(x1, x2, y) = \max(0, -y * (x1 - x2))

    - inputs :`x1`, `x2`, two 1D mini-batch `Tensors`
    - `y`: a label 1D mini-batch tensor (containing 1 or -1)
"""

from __future__ import annotations

import re

from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

RULE = "minibatch-words"

_LINE = re.compile(r"^.*$", re.M)
_MINIBATCH = re.compile(r"\b1-?D\s+mini-?batch\b", re.I)
_NAME = re.compile(r"`(?P<name>[A-Za-z](?:\d+)?)`")
_LABEL = re.compile(r"\blabels?\b", re.I)


def _written(statements: list[ast.Statement], text: str) -> set[str]:
    """The names the equations write, as typed (``x1``, ``y``)."""
    out: set[str] = set()
    for s in statements:
        if not isinstance(s, ast.Definition):
            continue
        for n in ast.walk(s):
            if isinstance(n, ast.Letter) and len(n.name) == 1:
                out.add(n.name)
            elif isinstance(n, ast.Juxt) and isinstance(n.left, ast.Letter):
                out.add("".join(text[n.span.start : n.span.end].split()))
    return out


def declarations(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The declarations (and target directives) the words say (see the module)."""
    if _MINIBATCH.search(text) is None:
        return []
    written = _written(statements, text)
    out: list[ast.Statement] = []
    for line in _LINE.finditer(text):
        said = _MINIBATCH.search(text, line.start(), line.end())
        if said is None:
            continue
        for m in _NAME.finditer(text, line.start(), said.start()):
            name = m.group("name")
            if name not in written:
                continue
            head = name if len(name) == 1 else f"{name[0]}_{{{name[1:]}}}"
            words = (said.start(), said.end())
            decl = declaration_on_words(head, None, WordSpans(m.span("name"), words))
            if decl is None:
                continue
            label = _LABEL.search(text, m.end(), said.start()) is not None
            quoted = " ".join(text[line.start() : line.end()].split())
            note = (
                f"said in words: '{quoted}': a 1D mini-batch holds one number per example, "
                f"so {name} is a number for one example (the equations are per example)"
            )
            if label:
                note += "; a label: what the output is compared with (target data)"
            out.append(ProseDeclaration(Span(m.start("name"), m.end("name")), decl.targets,
                                        decl.space, said=note))  # fmt: skip
            if label:
                key = name if len(name) == 1 else f"{name[0]}_{name[1:]}"
                out.append(ast.Directive(Span(m.start("name"), m.end("name")), f"{key} is target"))
    return out
