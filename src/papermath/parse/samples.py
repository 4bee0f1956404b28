r"""Notation rule ``per-sample-loss``: a loss written for sample i of a mini-batch as a
function of the whole batch, where the prose says so. PyTorch's TripletMarginLoss (and the
MindSpore and OneFlow pages translated from it) write::

    The loss function for each sample in the mini-batch is:

    .. math::
        L(a, p, n) = \max \{d(a_i, p_i) - d(a_i, n_i) + {\rm margin}, 0\}

The body uses a_i, p_i, n_i, never a, p, n: a_i is the sample i of the batch a (its rows,
the samples axis of an (N, D) input), and the sentence "for each sample in the mini-batch"
says the formula is the one of one sample. papermath's equations are per example already
(generated code batches the examples), so a_i is read as a itself, the example's value: the
body's ``a_i`` becomes ``a`` (a :class:`PerSampleDefinition`, whose ``said`` the reader
notes). A helper defined on samples, ``d(x_i, y_i) = \lVert x_i - y_i \rVert_p``, is read
as written (its parameters are x_i and y_i).

Without that sentence (a formula alone, or prose that does not say per sample) the doubt of
:mod:`papermath.parse.doubts` stands: a_i could be an entry of a vector a as well.

Example (a whole source that reads):

    The loss function for each sample in the mini-batch is:
    $$L(a, p, n) = \max \{d(a_i, p_i) - d(a_i, n_i) + {\rm margin}, 0\}$$
    where $$d(x_i, y_i) = \left\lVert {\bf x}_i - {\bf y}_i \right\rVert_p$$
"""

from __future__ import annotations

import dataclasses
import re

from . import ast
from .doubts import _bound

__all__ = ["PerSampleDefinition", "rewrite"]


@dataclasses.dataclass(frozen=True)
class PerSampleDefinition(ast.Definition):
    """``L(a, p, n) = ... a_i ...`` read per sample; ``said`` is the reading note."""

    said: str = ""
    reading: str = "one sample's loss"


# "The loss function for each sample in the mini-batch is", "for each sample", "per
# sample", and the Chinese pages' 对于每个小批量样本 / 小批量中每个样本 / 每个样本
_PER_SAMPLE = re.compile(
    r"(?:for\s+each|per|of\s+each)\s+(?:sample|example)(?:\s+in\s+the\s+mini-?\s*batch)?"
    r"|每个(?:小批量)?样本|小批量中每个样本",
    re.IGNORECASE,
)


def _letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def _replace(node: object, swap: dict[int, ast.Node]) -> object:
    """``node`` with every node whose id is in ``swap`` replaced."""
    if isinstance(node, ast.Node):
        if id(node) in swap:
            return swap[id(node)]
        changes = {f.name: _replace(getattr(node, f.name), swap) for f in dataclasses.fields(node)}
        return dataclasses.replace(node, **changes)  # type: ignore[arg-type]
    if isinstance(node, tuple):
        return tuple(_replace(x, swap) for x in node)
    return node


def rewrite(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Each ``L(a, ...) = body`` whose body uses ``a_i`` for every argument it uses (never
    ``a``), with one letter i that nothing binds, read per sample where the text before it
    says "for each sample" (see the module)."""
    out: list[ast.Statement] = []
    for s in statements:
        out.append(_per_sample(text, s) or s)
    return out


def _per_sample(text: str, s: ast.Statement) -> PerSampleDefinition | None:
    if not isinstance(s, ast.Definition) or not isinstance(s.lhs, ast.Call):
        return None
    params = {name for a in s.lhs.args if (name := _letter(a)) is not None}
    if len(params) != len(s.lhs.args) or not params:
        return None
    said = None
    for m in _PER_SAMPLE.finditer(text, 0, s.span.start):
        said = m  # the last such sentence before the definition
    if said is not None:
        licence = f'the text says the loss is for each sample ("{" ".join(said.group(0).split())}")'
    else:  # an example passes matrices of samples (parse/code_example.py)
        from .code_example import passed

        example = passed(text, s.lhs)
        if example is None:
            return None
        licence = f"the example passes matrices whose rows are samples ('{example[0].line}')"
    rows: dict[int, ast.Node] = {}
    letters: set[str] = set()
    in_rows: set[int] = set()  # the nodes inside a row a_i (its a and its i)
    for n in ast.walk(s.rhs):
        if (
            isinstance(n, ast.Sub)
            and _letter(n.base) in params
            and isinstance(n.script, ast.Letter)
        ):
            rows[id(n)] = dataclasses.replace(n.base, span=n.span)
            letters.add(n.script.name)
            in_rows |= {id(x) for x in ast.walk(n)}
    alone = any(
        isinstance(n, ast.Letter) and n.name in params and id(n) not in in_rows
        for n in ast.walk(s.rhs)
    )  # a used as itself beside a_i: a_i is then no sample of a
    if not rows or len(letters) != 1 or alone or letters & (params | _bound(s.rhs)):
        return None
    (i,) = letters
    names = ", ".join(sorted(params))
    note = (
        f"{licence}: "
        f"the body's {', '.join(f'{p}_{i}' for p in sorted(params))} are the samples {i} of the "
        f"batches {names}; per example (code batches the examples) {i} is dropped and "
        f"{names} are one example's values"
    )
    body = _replace(s.rhs, rows)
    assert isinstance(body, ast.Node)
    return PerSampleDefinition(s.span, s.lhs, body, s.decl, s.claims, s.update, said=note)
