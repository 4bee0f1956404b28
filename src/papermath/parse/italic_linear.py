r"""Notation rule ``italic-linear-name``: a name typed in italics before an argument list,
``lin_x^i(x_t)``, where the prose says the calls are linear transformations and the name is
the start of the word "linear".

What people write (labml's LSTM cell)::

    i_t &= lin_x^i(x_t) + lin_h^i(h_{t-1})

    Intermediate values and gates are computed as linear transformations of the hidden
    state and input.

How papermath reads it: as ``\mathrm{lin}_x^i(x_t)``, a function named lin with the labels x
and i (one function per label: ``lin_x_i``), which papermath reads as learnable, by default an
affine map: the linear transformation the prose says (labml's code: ``nn.Linear``). Without
the words the letters stay refused (:mod:`papermath.parse.italic_names`: a function named
lin, or the product l i n with n called). Only where the letters (three or more, typed
together, the last one called) are the start of "linear" (``lin``, ``linear``) and the text
says the values are "computed as" (by, with, through, using) or "are" "linear
transformation(s)" (layers, maps, projections); the readings quote the words.

Examples that read::

    $$i_t = lin_x^i(x_t) + lin_h^i(h_{t-1})$$

    The gates are computed as linear transformations of the hidden state and input.
"""

from __future__ import annotations

import dataclasses
import re

from ..source import Span
from . import ast
from .italic_names import RUN, _called_letter, _single

_KIND = r"linear\s+(?:transformations?|layers?|maps?|projections?)\b"
# "computed as linear transformations" (labml), "are linear layers"; never "never goes through
# a linear transformation" (the same page, of c)
_SAID = re.compile(
    r"\b(?:(?:computed|obtained|given|calculated)\s+(?:as|by|with|through|using)|are|is)\s+"
    r"(?:an?\s+|the\s+)?" + _KIND,
    re.I,
)


@dataclasses.dataclass(frozen=True)
class LinearNamed(ast.Definition):
    """A definition whose right side calls ``lin`` typed in italics, read as
    ``\\mathrm{lin}`` because the prose says so (``said``, noted by the reader)."""

    said: str = ""
    reading: str = "italic name read as a linear map"


def _run(text: str, node: ast.Juxt) -> tuple[int, ast.Letter] | None:
    """Where ``node`` is exactly a run of single letters then a called letter (``l i
    n_x^i(x_t)``): the run's start and the called letter; None otherwise."""
    called = _called_letter(node.right)
    if called is None or not _single(text, called):
        return None
    letters: list[ast.Node] = [called]
    left: ast.Node = node.left
    while True:
        last = left.right if isinstance(left, ast.Juxt) else left
        if not _single(text, last) or last.span.end != letters[0].span.start:
            return None  # something else before the letters: left to italic_names
        letters.insert(0, last)
        if not isinstance(left, ast.Juxt):
            break
        left = left.left
    return (letters[0].span.start, called) if len(letters) >= RUN else None


def _named(node: ast.Node, called: ast.Letter, name: ast.Node) -> ast.Node:
    """``node`` (the call's head) with the letter ``called`` replaced by ``name``."""
    if node is called:
        return name
    if isinstance(node, ast.Sub | ast.Sup):  # its span from the name's start: lin_x^i
        span = Span(name.span.start, node.span.end)
        return dataclasses.replace(node, span=span, base=_named(node.base, called, name))
    return node


def _rewrite(text: str, node: ast.Node) -> ast.Node:
    if isinstance(node, ast.Juxt) and (found := _run(text, node)) is not None:
        start, called = found
        word = text[start : called.span.end]
        if "linear".startswith(word.lower()):
            assert isinstance(node.right, ast.Call)
            name = ast.Text(Span(start, called.span.end), "mathrm", word)
            func = _named(node.right.func, called, name)
            return ast.Call(node.span, func, node.right.args)
    return ast.map_children(node, lambda v: _rewrite(text, v))


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with ``lin_x^i(x_t)`` read as ``\\mathrm{lin}_x^i(x_t)`` where the prose
    says the calls are linear transformations (module docstring); else as they were."""
    m = _SAID.search(text)
    if m is None:
        return statements
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition):
            rhs = _rewrite(text, s.rhs)
            if rhs is not s.rhs and type(s) is ast.Definition:
                why = (
                    f"the letters typed together before an argument list name a function (the "
                    f"start of 'linear'): the source says the values are '"
                    f"{' '.join(m.group(0).split())}', read as learnable affine maps, one per label"
                )
                fields = {f.name: getattr(s, f.name) for f in dataclasses.fields(s)}
                s = LinearNamed(**{**fields, "rhs": rhs}, said=why)
            elif rhs is not s.rhs:
                s = dataclasses.replace(s, rhs=rhs)
        out.append(s)
    return out
