r"""Notation rule ``example-tensors``: a loss's usage example, as PyTorch's documentation (and
the blogs that copy it) gives one under the formula, says how big its arguments are and that
their rows are the samples.

What people write (a blog's TripletMarginLoss, the formula in image alt text, then)::

    L(a, p, n) = \max \{d(a_i, p_i) - d(a_i, n_i) + {\rm margin}, 0\}

    triplet_loss = nn.TripletMarginLoss(margin=1.0, p=2)
    anchor = torch.randn(100, 128, requires_grad=True)
    positive = torch.randn(100, 128, requires_grad=True)
    negative = torch.randn(100, 128, requires_grad=True)
    output = triplet_loss(anchor, positive, negative)

How papermath reads it: the example calls the loss with as many tensors as the formula's
function ``L(a, p, n)`` takes, so they are its arguments, in order (anchor is a, ...). Each
is a matrix of samples (``torch.randn(100, 128)``: 100 rows of 128 entries, PyTorch's (N, D)),
and the formula's body writes each argument as a row ``a_i``: i is the sample, so the
formula is one sample's (parse/samples.py reads it so, the example its licence), and each
argument is one sample's vector of the example's width, ``a \in \mathbb{R}^{128}`` (the
size the example writes, said so in the readings; the 100 samples are the batch). Only
where exactly one call in the example passes that many tensors, every one made by
``torch.randn`` (``rand``, ``ones``, ``zeros``, ``empty``) with two numbers and the same
number of rows, and the body writes every argument as a row of one index.

Example (reads: a, p, n in R^128, L one sample's loss)::

    $$L(a, p, n) = \max \{\|a_i - p_i\| - \|a_i - n_i\| + 1, 0\}$$

    ```python
    anchor = torch.randn(100, 128)
    positive = torch.randn(100, 128)
    negative = torch.randn(100, 128)
    output = loss(anchor, positive, negative)
    ```
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

__all__ = ["Passed", "declarations", "passed"]

_TENSOR = re.compile(
    r"^[ \t]*(?P<name>[A-Za-z_]\w*)[ \t]*=[ \t]*torch\.(?:randn|rand|ones|zeros|empty)\("
    r"[ \t]*(?P<rows>\d+)[ \t]*,[ \t]*(?P<size>\d+)[ \t]*(?:,[ \t]*[A-Za-z_]\w*[ \t]*=[^)\n]*)?\)",
    re.MULTILINE,
)
_CALL = re.compile(
    r"^[ \t]*[A-Za-z_]\w*[ \t]*=[ \t]*[A-Za-z_][\w.]*\("
    r"(?P<args>[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)+)\)[ \t]*$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Passed:
    """One argument of the formula's function and the example's tensor passed for it."""

    param: str  # a
    tensor: str  # anchor
    rows: int  # 100
    size: int  # 128
    size_span: tuple[int, int]  # where the example writes 128
    name_span: tuple[int, int]  # where the example writes anchor
    line: str  # the tensor's line, for the reading
    call: str  # the call's line


def _letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def passed(text: str, lhs: ast.Node) -> list[Passed] | None:
    """The example's tensors passed for the arguments of ``lhs`` (``L(a, p, n)``), in order;
    None where the example does not pass exactly that many tensors in one call."""
    if not isinstance(lhs, ast.Call):
        return None
    params = [_letter(a) for a in lhs.args]
    if not params or any(p is None for p in params):
        return None
    tensors = {m.group("name"): m for m in _TENSOR.finditer(text)}
    calls = []
    for m in _CALL.finditer(text):
        args = [a.strip() for a in m.group("args").split(",")]
        if len(args) == len(params) and all(a in tensors for a in args):
            calls.append((m, args))
    if len(calls) != 1:
        return None
    call, args = calls[0]
    made = [tensors[a] for a in args]
    if len({int(t.group("rows")) for t in made}) != 1:
        return None
    return [
        Passed(
            str(p),
            a,
            int(t.group("rows")),
            int(t.group("size")),
            t.span("size"),
            t.span("name"),
            " ".join(t.group(0).split()),
            " ".join(call.group(0).split()),
        )
        for p, a, t in zip(params, args, made, strict=True)
    ]


def declarations(
    text: str, statements: list[ast.Statement], per_sample: Sequence[ast.Definition]
) -> list[ast.Statement]:
    """Each argument of a definition read per sample (``per_sample``: parse/samples.py's)
    declared with the width of the example's tensor passed for it (see the module)."""
    declared = ast.declared_letters(statements)
    out: list[ast.Statement] = []
    for s in per_sample:
        found = passed(text, s.lhs)
        if found is None:
            continue
        for p in found:
            if p.param in declared:
                continue
            decl = declaration_on_words(p.param, str(p.size), WordSpans(p.name_span, p.size_span))
            if decl is None:
                continue
            said = (
                f"said by the example: '{p.line}' is passed as {p.param} ('{p.call}'): "
                f"{p.rows} samples (its rows, the batch) of {p.size} entries, so one sample's "
                f"{p.param} \\in R^{{{p.size}}} (the width the example writes)"
            )
            a, b = p.size_span
            out.append(ProseDeclaration(Span(a, b), decl.targets, decl.space, said=said))
            declared.add(p.param)
    return out
