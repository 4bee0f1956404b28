r"""Notation rule ``named-loss``: a function the prose calls the loss, called and defined
nowhere else.

What people write: a textbook names the loss function in a sentence and calls it, without
its formula (d2l 5.3, "Forward Propagation")::

    Assuming that the loss function is $l$ and the example label is $y$,
    we can then calculate the loss term for a single data example,

    $$L = l(\mathbf{o}, y).$$

How papermath reads it: ``l(\mathbf{o}, y)`` is a loss, one number (a scalar) computed from
its arguments, because the source's own words say so (``the loss function is $l$``,
``$l$ is the loss function``, ``a loss function $l$``); an undefined function is otherwise a
learnable affine map, whose output is a vector. Its arguments keep their own shapes (a loss
compares a prediction with a label of another shape, a class index against scores); an
argument that no equation defines and nothing indexes is what the output is compared with:
target data (the label), unless it is named as an input (``x``). Which loss the source does
not say, so shapes, kinds, explain and diagrams read, and ``code``/``check`` refuse by name
(define it with an equation beside the others, ``l = \frac{1}{2}\|o - y\|^2``).

Only a call whose head is written exactly as the prose writes the name between dollars is
read so; the readings say which sentence decided it.

Example (reads):

    Assuming that the loss function is $l$ and the label is $y$,
    $$L = l(o, y) + \lambda \|W\|^2, o = W x$$
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

NAMED_LOSS = "named_loss"  # the fn of the t.Apply: a loss the source names, not which

# the name between dollars: a letter, \ell, \mathcal{L}, \mathcal{l}
_NAME = r"\$\s*(?P<name>[A-Za-z]|\\ell|\\mathcal\s*\{\s*[A-Za-z]\s*\}|\\mathcal\s*[A-Za-z])\s*\$"
_SAYS = (
    # the loss function is $l$; a loss function $l$; the loss function, $l$,
    re.compile(r"\bloss\s+function\s*(?:is\s+|be\s+|,\s*|:\s*)?" + _NAME, re.I),
    # $l$ is the loss function; $l$ denotes a loss; let $l$ be (denote) the loss
    re.compile(_NAME + r"\s+(?:is|be|denotes?)\s+(?:the|a|our)\s+loss\b", re.I),
)


def _said(text: str, written: str) -> Span | None:
    """The sentence fragment of ``text`` that calls ``written`` the loss function, if any."""
    plain = "".join(written.split())
    for pattern in _SAYS:
        for m in pattern.finditer(text):
            if "".join(m.group("name").split()) == plain:
                return Span(m.start(), m.end())
    return None


def named_loss(
    reader: Reader, node: ast.Call, key: str, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """The term of ``l(o, y)`` where the prose calls ``l`` the loss function, else None."""
    written = reader.source.snippet(func.span)
    said = _said(reader.source.text, written)
    if said is None:
        return None
    if key in reader.out.learned:  # called before as a learnable function: not two readings
        return None
    what = "a loss the source names but does not define"
    if not any(r.span == node.span and r.reading == what for r in reader.out.readings):
        reader.note(
            node.span,
            what,
            f"the prose says so ({reader.source.snippet(said)!r}): {written} gives one number "
            "from its arguments (a scalar), not the vector of a learnable affine map; which loss "
            "it is the source does not say, so code needs an equation that defines it",
        )
    return t.Apply(node.span, NAMED_LOSS, tuple(reader.term(a) for a in args))
