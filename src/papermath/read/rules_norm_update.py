r"""Notation rule ``norm-update``: ``h = \mathrm{norm}(h)``, a value replaced by the word norm
applied to itself: a normalisation of the value, whose kind the source does not name.

What people write (DGL's SAGEConv docstring, whose ``norm`` argument is "a normalization
layer" applied to the updated features)::

    h_{i}^{(l+1)} &= \sigma \left(W \cdot \mathrm{concat}
    (h_{i}^{l}, h_{\mathcal{N}(i)}^{l+1}) \right)

    h_{i}^{(l+1)} &= \mathrm{norm}(h_{i}^{(l+1)})

How papermath reads it: the word ``norm`` alone reads two ways (read/rules_norm_word.py: the
norm of x, one number, or a normalisation of x, x's shape), but here its value replaces the
value it is applied to (the left side is the argument, an update in place: one computation,
in order), so it has that value's shape: the number is ruled out, and what is left is a
normalisation (divided by its norm, a layer norm, a batch norm) that the source does not name.
Read so for shapes, kinds, explain and diagrams (the value keeps its argument's shape, as a
layer norm does); code and printed gradients need to know which normalisation and are refused
by name, with a hint naming the directive (``% \mathrm{norm}: layernorm``); the directive
reads the named function instead. Said in the readings.

Not read here: ``y = \mathrm{norm}(W x)`` (a left side of its own: nothing says the value keeps
its argument's shape), refused by read/rules_norm_word.py.

Examples that read: ``h_2 = \tanh(W h_1)`` then ``h_2 = \mathrm{norm}(h_2)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .functions import UNNORMED
from .rules_brace_typos import rewrite_statements

if TYPE_CHECKING:
    from .reader import Reader

RULE = "norm-update"
WORDS = ("norm", "Norm")


@dataclass(frozen=True)
class NormUpdate(ast.Call):
    """``\\mathrm{norm}(h)`` on the right of ``h = ...``: a normalisation of h (see the module)."""


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def mark(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Each definition ``x = \\mathrm{norm}(x)`` with its call marked a :class:`NormUpdate`;
    the statements as they were otherwise."""
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition):
            lhs = _squeezed(reader.source.snippet(s.lhs.span))

            def fix(node: ast.Node, lhs: str = lhs) -> ast.Node:
                match node:
                    case ast.Call(func=ast.Text(content=word), args=(arg,)) if (
                        word.strip() in WORDS and _squeezed(reader.source.snippet(arg.span)) == lhs
                    ):
                        return NormUpdate(node.span, node.func, node.args)
                return node

            s = rewrite_statements([s], fix)[0]
        out.append(s)
    return out


def term(reader: Reader, node: NormUpdate) -> t.Term:
    """The term of ``\\mathrm{norm}(x)`` in ``x = \\mathrm{norm}(x)``: the function a directive
    names (``% papermath: norm is layernorm``), else a normalisation the source does not name."""
    (arg,) = node.args
    written = " ".join(reader.source.snippet(node.func.span).split())
    value = " ".join(reader.source.snippet(arg.span).split())
    said = "".join(written.split()).lstrip("\\").replace("{", "").replace("}", "")
    for key in ("norm", said):
        if key in reader.out.activations:
            named = reader.out.activations[key]
            reader.note(node.func.span, named, f"the source says {written} is this")
            return t.Apply(node.span, named, (reader.term(arg),))
    reader.note(
        node.func.span,
        "normalisation (kind unnamed)",
        f"{written}({value}) replaces {value} (the left side is its argument: an update in "
        f"place), so its value has {value}'s shape: not the norm (one number) but a "
        "normalisation (divided by its norm, a layer norm, a batch norm), which the source does "
        f"not name: read with its argument's shape; code needs to know which (`% {written}: "
        "layernorm`)",
    )
    out = t.Apply(node.span, UNNORMED, (reader.term(arg),))
    reader.out.unnamed[id(out)] = (written, node.func.span)
    return out


def refuse_code(written: str) -> tuple[str, str]:
    """The message and hint of the refusal of code for an unnamed normalisation (ir/lower.py
    raises it at the word)."""
    return (
        f"{written} names a normalisation (the value keeps its shape), but not which one: code "
        "needs to know",
        f"say it in the source: `% {written}: layernorm` (a layer norm over the features), "
        "or write the normalisation out "
        f"(\\frac{{x}}{{\\|x\\|}} in place of {written}(x))",
    )
