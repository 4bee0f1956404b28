r"""Notation rule ``said-activation``: a function written by a name of its own (``\mathrm{act}``,
``act``) that the source's prose calls "the activation function", without saying which.

What people write: PaddlePaddle's SimpleRNNCell pages, ``h_{t} = \mathrm{act}(W_{ih}x_{t} +
b_{ih} + W_{hh}h_{t-1} + b_{hh})`` with "其中的 `act` 表示激活函数" ("where act denotes the
activation function"; tanh or relu by the layer's ``activation`` argument), and in English
"where `act` is the activation function".

How papermath reads it: as the unnamed activation of :mod:`papermath.read.rules_roles` (an
elementwise nonlinearity the source does not name: shapes, explain, diagrams and gradients
work; code asks which, ``% act: tanh``), never as a learnable function, which an unknown name
called with one argument is otherwise. Only where the prose names the function (in backticks,
inline math or bare) immediately followed by "is/denotes the activation function" or
"表示激活函数"; the readings quote the words.
A function named by the word itself, ``\hbox{activation}(c_t)`` (google/trax's SRU docstring),
is read so with no more words: its name says it is an activation and not which.

Examples that read::

    h_t = \mathrm{act}(W x_t + U h_{t-1} + b)

    where `act` is the activation function.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from .functions import UNNAMED

if TYPE_CHECKING:
    from .reader import Reader

_SAID = (
    r"(?:`{name}`|\$\s*(?:\\(?:mathrm|operatorname|text)\s*\{{)?{name}\}}?\s*\$|(?<![\w\\]){name})"
    r"\s*(?:(?:is|denotes)\s+(?:the|an)\s+activation\s+function\b|表示激活函数)"
)


def _name(node: ast.Node) -> str | None:
    """``act`` for ``\\mathrm{act}``, ``\\operatorname{act}`` or ``act`` typed as one name."""
    match node:
        case ast.Text(content=name) | ast.Font(body=ast.Text(content=name)):
            return name
        case ast.Font(body=ast.Letter(name=name)) | ast.Letter(name=name) if len(name) > 1:
            return name
    return None


def said_activation(reader: Reader, node: ast.Node) -> str | None:
    """The words that call the function ``node`` names "the activation function"; None where
    the source does not."""
    name = _name(node)
    if name is None or not re.fullmatch(r"[A-Za-z]{2,}", name):
        return None
    if name.lower() == "activation":  # \hbox{activation}(c_t) (trax's SRU): the word says it
        return f"the function is named {name}"
    m = re.search(_SAID.format(name=re.escape(name)), reader.source.text)
    return None if m is None else " ".join(m.group(0).split())


def said(reader: Reader, node: ast.Node) -> str | None:
    """The function ``node`` names where the prose calls it the activation function: the one
    a directive names (``% act: tanh``), else the unnamed activation; None otherwise."""
    words = said_activation(reader, node)
    if words is None:
        return None
    name = _name(node)
    assert name is not None
    # `% act: tanh`, or as written, `% \mathrm{act}: tanh` (the directive drops \ { })
    written = re.sub(r"[\\{}\s]", "", reader.source.snippet(node.span))
    # \hbox{act}, \text{act}: a directive may write either (parse/hbox.py reads \hbox as \mbox)
    for key in (name, written, *(f"{cmd}{name}" for cmd in ("text", "mbox", "hbox"))):
        if key in reader.out.activations:
            return reader.out.activations[key]
    if not any(r.span == node.span for r in reader.out.readings):
        reader.note(
            node.span,
            "the activation function, as the prose says",
            f"the source says '{words}': an elementwise nonlinearity it does not name, not a "
            f"learnable function (`% {name}: tanh` says which, or relu, sigmoid, identity)",
        )
    return UNNAMED
