r"""Notation rule ``operator-said-concatenation``: an operator named in prose between two
placeholders, ``$$[. \circ .]$$``, ``$[\cdot \circ \cdot]$``, and said there to be a
concatenation (Lil'Log's Transformer-XL: "The concatenation operation $$[. \circ .]$$ is along
the sequence length dimension", after ``\widetilde{\mathbf{h}}_{\tau+1}^{(n-1)} =
[\text{stop-gradient}(\mathbf{h}_{\tau}^{(n-1)}) \circ \mathbf{h}_{\tau+1}^{(n-1)}]``).

How papermath reads it: the mention with placeholders is prose that names the operator, not an
equation: blanked before parsing (the text keeps its length). Where its sentence says the
operator concatenates, every use of that operator in the equations is refused at the operator:
papermath reads ``\circ`` (and ``\odot``, ``\otimes`` where allowed) as a product, and reading it
so would give another model (a sequence of L rows joined to L rows is 2L rows, never L). A
mention whose sentence says nothing of concatenation is only blanked.

Examples: ``y = a \circ b`` beside "The concatenation operation $[. \circ .]$ joins the
rows" is refused at ``\circ``.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from . import ast

_OP = r"\\(?:circ|odot|otimes|oplus|cdot|times|bullet)"
_HOLE = r"(?:\.|\\cdot|\\ldots|\\dots|\\_|_|\\square|\\bullet)"
# $$[. \circ .]$$, $(\cdot \circ \cdot)$, $. \circ .$: the operator between two placeholders
_MENTION = re.compile(
    r"(\$\$?)\s*(?P<open>[\[(]|\\left[\[(])?\s*"
    + _HOLE
    + r"\s*(?P<op>"
    + _OP
    + r")\s*"
    + _HOLE
    + r"\s*(?:[\])]|\\right[\])])?\s*\1"
)
_CONCAT = re.compile(r"concatenat", re.IGNORECASE)


def _sentence(text: str, a: int, b: int) -> str:
    """The sentence around ``text[a:b]`` (to the nearest full stop or blank line)."""
    start = max(text.rfind(". ", 0, a), text.rfind("\n\n", 0, a)) + 1
    stops = [i for i in (text.find(". ", b), text.find("\n\n", b)) if i >= 0]
    return text[start : min(stops) if stops else len(text)]


def blank_mentions(text: str, out: list[str]) -> None:
    """Blank each mention of an operator between placeholders, in ``out`` (same length)."""
    for m in _MENTION.finditer(text):
        for i in range(m.start(), m.end()):
            if out[i] != "\n":
                out[i] = " "


def check(text: str, statements: list[ast.Statement]) -> None:
    """Refuse a use of an operator the prose says is a concatenation (see the module)."""
    said: dict[str, tuple[int, int]] = {}
    for m in _MENTION.finditer(text):
        if _CONCAT.search(_sentence(text, m.start(), m.end())):
            said.setdefault(m.group("op").lstrip("\\"), m.span())
    if not said:
        return
    for node in ast.walk(statements):
        if isinstance(node, ast.BinOp) and node.op in said:
            a, b = said[node.op]
            line = text.count("\n", 0, a) + 1
            mention = " ".join(text[a:b].replace("$", "").split())
            raise ParseError(
                f'\\{node.op} is a concatenation here (the prose, line {line}: "the '
                f'concatenation operation {mention}"): papermath reads \\{node.op} as a product, '
                "and a concatenation written with it is not read",
                span=node.op_span,
                hint="write it [a; b], with a and b declared as matrices of one row per position "
                "(\\mathbf{h}_{\\tau} \\in \\mathbb{R}^{L \\times d}): papermath stacks "
                "matrices along their rows (the sequence), and vectors along their features",
            )
