r"""Notation rule ``argmax``: ``\text{argmax}_j v_j`` (also ``\operatorname{arg\,max}``,
``\arg\max``, ``argmin``), the index of the largest (smallest) entry: refused by name.

What people write (PyTorch's NLP tutorial, the LSTM tagger's prediction)::

    \hat{y}_i = \text{argmax}_j \  (\log \text{Softmax}(Ah_i + b))_j

How papermath reads it: it does not. The value is a position (which tag), not a number computed
from the entries; it has no gradient, and generated code would need an integer output that
the rest of the pipeline (backward, printed gradients) does not carry. Refused at the
construct with a message that names it, instead of "cannot read ... as a value"; the hint:
write the scores the argmax is taken over as the output (``s_i = \log\text{Softmax}(A h_i +
b)``), which reads.

Example (refused)::

    \hat{y} = \text{argmax}_j (W x)_j
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

RULE = "argmax"

_ARG = re.compile(
    r"^\s*(?:\\(?:text|operatorname|mathrm|textrm)\s*\{\s*arg\s*(?:\\[,;!]\s*|\s)*(?P<a>max|min)"
    r"\s*\}|\\arg\s*\\(?P<b>max|min)\b|\\(?P<c>argmax|argmin)\b)",
)


def refusal(reader: Reader, node: ast.Node) -> ReadingError | None:
    """The refusal of a value written with an argmax (argmin) first; None otherwise."""
    written = reader.source.snippet(node.span)
    m = _ARG.match(written)
    if m is None:
        return None
    which = m.group("a") or m.group("b") or (m.group("c") or "argmax")[3:]
    largest = "largest" if which == "max" else "smallest"
    return reader.error(
        f"arg{which} is the index of the {largest} entry (a position: which one), not a value "
        f"computed from the entries: it has no gradient and papermath does not read it",
        node.span,
        hint=f"write the values the arg{which} is taken over as the output (s = ... for the "
        f"scores), and pick the {largest} entry outside the equations",
    )
