r"""Notation rule ``example-bound``: a sum whose upper limit the prose calls the number of
examples runs over the examples of a batch, not over the entries of a vector.

What people write (Udacity's deep-learning course, the mean squared loss)::

    \ell = \frac{1}{2n}\sum_i^n{\left(y_i - \hat{y}_i\right)^2}

    where $n$ is the number of training examples, $y_i$ are the true labels, and
    $\hat{y}_i$ are the predicted labels.

How papermath reads it: the prose says what the limit n counts: the training examples. The
sum's index i then picks one example (``y_i`` is the label of example i, ``\hat{y}_i`` its
prediction: one example's values, a batch of n of them), as batch norm's ``\sum_{i=1}^{m}
x_i`` does (i the batch index, 1..n; n the number of examples the batch has when it runs, the
n of ``\frac{1}{2n}``). Without these words, ``\sum_i^n y_i`` sums the n entries of a vector
y (read/reader.py), which is the other reading; the readings quote the words.

Only a sum written ``\sum_i^n`` or ``\sum_{i=1}^{n}`` (n one letter, or a letter with a
label), and prose that says of that very letter "$n$ is (denotes, represents) the (total)
number of (training, data, input) examples (samples, data points, observations,
instances)". A range counted from 0 (``\sum_{i=0}^{n}``: n + 1 terms for n examples) is not
read here (refused, read/reader.py).

Example (reads: y and \hat{y} one example's values, i the batch index)::

    \ell = \frac{1}{2n}\sum_i^n (y_i - \hat{y}_i)^2
    where $n$ is the number of training examples.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..parse import ast
from ..source import Span
from .syntax import iter_nodes, size_text

if TYPE_CHECKING:
    from .reader import Reader

RULE = "example-bound"

# "$n$ is the number of training examples", ":math:`N` denotes the number of samples"
_SAID = re.compile(
    r"(?:\$|:math:`|``|\\\()\s*(?P<sym>[A-Za-z](?:_(?:\{[A-Za-z]+\}|[A-Za-z]))?)\s*"
    r"(?:\$|``|`|\\\))\s+(?:is|denotes|represents)\s+(?:the\s+)?(?:total\s+)?number\s+of\s+"
    r"(?:(?:training|train|data|input)\s+)?"
    r"(?P<what>examples|samples|data\s+points|observations|instances)\b",
    re.IGNORECASE,
)


def _said(reader: Reader, size: str) -> str | None:
    """The prose's words that call ``size`` the number of examples; None if none does."""
    squeezed = size.replace("{", "").replace("}", "")
    for m in _SAID.finditer(reader.source.text):
        if m.group("sym").replace("{", "").replace("}", "") == squeezed:
            return " ".join(m.group(0).split())
    return None


def bind(reader: Reader, sub: ast.Node, sup: ast.Node | None) -> bool:
    """Bind the index of ``\\sum_i^n`` or ``\\sum_{i=1}^{n}`` as the batch index where the prose
    calls n the number of examples (see the module); whether it did."""
    if sup is None:
        return False
    if isinstance(sub, ast.Letter):
        letter = sub.name
    elif (
        isinstance(sub, ast.ScriptEq)
        and isinstance(sub.left, ast.Letter)
        and isinstance(sub.right, ast.Number)
        and sub.right.text == "1"
    ):
        letter = sub.left.name
    else:
        return False
    size = size_text(sup)
    if size is None or letter in reader.out.indices or letter == size:
        return False
    words = _said(reader, size)
    if words is None:
        return False
    written = " ".join(reader.source.snippet(sub.span).split())
    why = (
        f"the prose says \u201c{words}\u201d: the sum over {written} up to {size} runs over the "
        f"examples, {letter} = 1..{size} picks one example (a_{letter} is example "
        f"{letter}'s value of a), not an entry of a vector (rule {RULE})"
    )
    reader.add_index(letter, "batch", why, sub.span, size=size)
    reader.out.batch_counts.add(size)
    reader.note(sub.span, f"{letter} picks one of the {size} examples", why)
    return True


def zero_to_size(reader: Reader, sub: ast.ScriptEq, sup: ast.Node | None) -> ReadingError | None:
    """The refusal of ``\\sum_{i=0}^{n}`` (n a size): it counts n + 1 terms, 0..n, which is
    not n of anything the source names (the n samples of a mean ``\\frac{1}{n}``, the n
    entries of a vector); an off-by-one papermath does not settle either way. None where
    the range is not 0 to a size."""
    first = sub.right
    if sup is None or not (isinstance(first, ast.Number) and first.text == "0"):
        return None
    size = size_text(sup)
    if size is None or not isinstance(sub.left, ast.Letter):
        return None
    i = sub.left.name
    return reader.error(
        f"{i} = 0..{size} counts {size} + 1 terms, one more than the size {size} it runs to: "
        f"papermath reads a range of {size} terms (1..{size} or 0..{size}-1) and does not "
        f"guess whether the source means {size} terms or {size} + 1",
        sub.span,
        hint=f"write \\sum_{{{i}=1}}^{{{size}}} (or \\sum_{{{i}=0}}^{{{size}-1}}) for {size} "
        f"terms, or \\sum_{{{i}=1}}^{{{size}+1}} if there are {size} + 1 of them",
    )


# "$y_i$ are the true labels", "$\hat{y}_i$ are the predicted labels", "$y_n$ is the label"
_LABEL_SAID = re.compile(
    r"(?:\$|:math:`|\\\()(?P<sym>[^$`\n]{1,40}?)(?:\$|`|\\\))\s+(?:is|are|denotes|represents)\s+"
    r"(?:the\s+|a\s+)?(?:(?:true|predicted|target|correct|actual|ground[- ]truth)\s+)?"
    r"labels?\b(?!\s+(?:vectors?|matrix|matrices|sets?|distributions?)\b)",
    re.IGNORECASE,
)


def _squeeze(text: str) -> str:
    return re.sub(r"[{}\s\\]", "", text)


def labels(reader: Reader, statements: list[ast.Statement]) -> None:
    """``y_i`` that the prose calls the labels (true or predicted), i the batch index of this
    rule: the label of one example, one number (a class, a value): declared a scalar (see the
    module). A key something else declares is left alone."""
    batch = {k for k, info in reader.out.indices.items() if info.kind == "batch"}
    if not batch:
        return
    said = {
        _squeeze(m.group("sym")): (" ".join(m.group(0).split()), Span(m.start(), m.end()))
        for m in _LABEL_SAID.finditer(reader.source.text)
    }
    if not said:
        return
    declared = {d.key for d in reader.out.declarations}
    done: set[str] = set()
    for node in iter_nodes(statements):
        if not (isinstance(node, ast.Sub) and isinstance(node.script, ast.Letter)):
            continue
        if node.script.name not in batch:
            continue
        found = said.get(_squeeze(reader.source.snippet(node.span)))
        if found is None:
            continue
        words, span = found
        parts = reader.symbol(node, quiet=True)
        if parts is None or parts.example != node.script.name:
            continue
        key = parts.key
        if key in declared or key in done:
            continue
        done.add(key)
        reals = ast.Font(span, "mathbb", ast.Letter(Span(span.start, span.start), "R"))
        reader.declare(key, reals, span)
        reader.note(
            span,
            "one example's label: a scalar",
            f"the prose says \u201c{words}\u201d and {node.script.name} picks one example: the "
            f"label of one example is one number (a class, a value), so {key} is a scalar "
            f"(rule {RULE}; declare it, {key} \\in \\mathbb{{R}}^{{k}}, for a vector)",
        )
