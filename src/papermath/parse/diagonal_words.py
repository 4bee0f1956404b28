r"""Rule ``diagonal-words``: prose that says a weight matrix of the equations is diagonal,
as Graves (2013) says of the LSTM's peepholes::

    i_t = \sigma(W_{xi} x_t + W_{hi} h_{t-1} + W_{ci} c_{t-1} + b_i)
    ...
    The weight matrices from the cell to gate vectors (e.g. $W_{ci}$) are diagonal, so
    element $m$ in each gate vector only receives input from element $m$ of the cell vector.

Read as a full matrix, ``W_{ci} c_{t-1}`` would be another model (every entry of the cell
feeding every gate). How papermath reads it: each weight the sentence names, written before
a factor (``W_{ci} c_{t-1}``), is the square matrix times the identity entry by entry,
``(W_{ci} \odot I)``: only its diagonal is used and trained (the entries off it take no
gradient), the model the source gives. Where the name follows "e.g." (an example of a
family), the family is every weight with the same letter whose subscript starts as the named
one's (``W_{ci}``: ``W_{cf}``, ``W_{co}``) and that multiplies the same value (the cell c);
none other. The identity's text is the word "diagonal" (explain, readings). Refused where the
source writes a name ``I`` of its own (the identity could not be told from it).

Written as code, the Element-Research README's ``diagonal `W[c->s]``` is
parse/code_index.py's :func:`~papermath.parse.code_index.diagonal`.

Example (the peepholes read as diagonal)::

    $$i_t = \sigma(W_{xi} x_t + W_{ci} c_{t-1})$$ $$c_t = i_t c_{t-1}$$
    The weight matrices from the cell to gate vectors (e.g. $W_{ci}$) are diagonal.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

RULE = "diagonal-words"

# a sentence that says "... (e.g. $W_{ci}$) are diagonal" (or "$W$ is diagonal")
_NAME = r"\$\s*(?P<base>[A-Za-z])_\{?(?P<sub>[A-Za-z0-9]+)\}?\s*\$"
_SENTENCE = re.compile(r"[^.$]*(?:\$[^$]*\$[^.$]*)*")


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding offset ``at`` starts: after the last full stop (not the
    stops of "e.g." and "i.e."), blank line or display's end before it."""
    stops = [
        m.end()
        for m in re.finditer(r"\.\s|\n\s*\n|\$\$\s", text[:at])
        if not re.search(r"\b(?:e\.g|i\.e)$", text[max(0, m.start() - 3) : m.start()])
    ]
    return stops[-1] if stops else 0


def _said(text: str) -> list[tuple[str, str, bool, int]]:
    """(base, subscript, family?, offset of "diagonal") for each name a sentence of the prose
    says is diagonal: the name and the word in one sentence, the name before the word."""
    out = []
    for word in re.finditer(r"\bdiagonal\b", text):
        start = _sentence_start(text, word.start())
        before = text[start : word.start()]
        if "$$" in before or not re.search(r"\b(?:are|is)\s+(?:all\s+)?$", before):
            continue  # "... are diagonal": the words say it of the names before them
        for m in re.finditer(_NAME, before):
            family = bool(re.search(r"\be\.\s?g\.?\s*,?\s*$", before[: m.start()]))
            out.append((m["base"], m["sub"], family, word.start()))
    return out


def _script(text: str, node: ast.Node) -> str:
    return re.sub(r"[{}\s]", "", text[node.span.start : node.span.end])


def _name_of(text: str, node: ast.Node) -> str | None:
    """The letter of a factor (``c_{t-1}``: c), else None."""
    while isinstance(node, ast.Font | ast.Sub):
        node = node.body if isinstance(node, ast.Font) else node.base
    return node.name if isinstance(node, ast.Letter) else None


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``W_{ci} c_{t-1}`` -> ``(W_{ci} \\odot I) c_{t-1}`` for the weights the prose says are
    diagonal (see the module's docstring); every other statement as it is."""
    said = _said(text)
    if not said:
        return statements

    def diagonal(weight: ast.Node, factor: ast.Node) -> int | None:
        """The offset of the word "diagonal" that says ``weight`` (before ``factor``) is."""
        if not (isinstance(weight, ast.Sub) and isinstance(weight.base, ast.Letter)):
            return None
        sub = _script(text, weight.script)
        for base, named, family, at in said:
            if weight.base.name != base:
                continue
            if sub == named:
                return at
            same = family and sub[:1] == named[:1] and len(sub) == len(named)
            if same and _name_of(text, factor) == named[:1]:  # W_{cf} c: multiplies c
                return at
        return None

    found: list[ast.Node] = []

    def masked(node: ast.Node) -> ast.Node:
        node = ast.map_children(node, masked)
        if not isinstance(node, ast.Juxt):
            return node
        left = node.left
        last = left.right if isinstance(left, ast.Juxt) else left
        at = diagonal(last, node.right)
        if at is None:
            return node
        found.append(last)
        identity = ast.Letter(Span(at, at + len("diagonal")), "I")
        product = ast.Paren(last.span, ast.BinOp(last.span, "odot", last, identity, identity.span))
        if isinstance(left, ast.Juxt):
            return ast.Juxt(node.span, ast.Juxt(left.span, left.left, product), node.right)
        return ast.Juxt(node.span, product, node.right)

    out = [ast.keep_attached(ast.map_children(s, masked), s) for s in statements]
    if not found:
        return statements
    if any(isinstance(n, ast.Letter) and n.name == "I" for s in statements for n in ast.walk(s)):
        first = found[0]
        raise ParseError(
            f"the prose says {text[first.span.start : first.span.end]} is diagonal, read as the "
            "matrix times the identity I entry by entry; but the source writes a name I of its "
            "own",
            span=first.span,
            hint="write the product with the diagonal as a vector, entry by entry: "
            "w_{ci} \\odot c_{t-1} (a vector w_{ci} of the gate's size)",
        )
    return out


def note(text: str, node: ast.Node) -> str | None:
    """What the readings say of ``(W_{ci} \\odot I)`` that :func:`rewrite` wrote."""
    if not (
        isinstance(node, ast.BinOp)
        and node.op == "odot"
        and isinstance(node.right, ast.Letter)
        and node.right.name == "I"
        and text[node.right.span.start : node.right.span.end] == "diagonal"
        and not text[node.left.span.start : node.left.span.end].endswith("]")  # code_index
    ):
        return None
    start = _sentence_start(text, node.right.span.start)
    sentence = " ".join(text[start : node.right.span.end].split())
    return (
        f"the prose says it is diagonal ('{sentence}'): "
        f"{' '.join(text[node.left.span.start : node.left.span.end].split())} is read as a "
        "square matrix times the identity entry by entry (W \\odot I), so only its diagonal is "
        "used and trained"
    )
