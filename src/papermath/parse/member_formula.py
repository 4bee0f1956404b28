# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``member-formula``: one equation whose left side carries a subscript letter
and whose right side computes from values that all carry the same letter, and nothing else
(labml's capsule squash, Sabour et al. 2017 eq. 1)::

    $$\mathbf{v}_j = \frac{{\lVert \mathbf{s}_j \rVert}^2}{1 + {\lVert \mathbf{s}_j \rVert}^2} \frac{\mathbf{s}_j}{\lVert \mathbf{s}_j \rVert}$$

What people mean: the formula is written for one member j of a family (one capsule), and
holds for every j: j is the family's index. Read as a label (as f in ``h_f``), the right side
would hold no input at all: every value in it would be learned (a letter that no equation
defines and no step or node indexes is a parameter), so the equation would compute a constant
from learned values alone, which no source writes as a formula of its model. So where
*every* value on the right side carries the left side's letter (numbers, norms, powers by
numbers and named functions around them), none is a parameter's letter (``W_j``, ``b_j``
are a parameter per label as readily as per member), and a norm shows that what carries the
letter is a vector (``\lVert \mathbf{s}_j \rVert``; without it, ``p_i = \exp(z_i)`` may be
the entries of two vectors, and stays refused), the letter is read as the index of the
family: one value per member, the shapes given are one member's (read/rules_member_formula.py).
A right side with any other value (``W x_j``, ``\sigma(s_j) + c``) leaves the question open
and stays refused (parse/doubts.py: the index of a family or a label), and so does a letter
the source declares, binds in a sum or uses as a value.

Example that reads (labml's squash, a whole source)::

    $$\mathbf{v}_j = \frac{{\lVert \mathbf{s}_j \rVert}^2}{1 + {\lVert \mathbf{s}_j \rVert}^2} \frac{\mathbf{s}_j}{\lVert \mathbf{s}_j \rVert}$$
"""

from __future__ import annotations

import dataclasses

from ..letters import PARAMETER_LETTERS
from . import ast

__all__ = ["member_letter"]

# the letters the reader takes as learned parameters: papermath/letters.py


def _letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font | ast.Decorated):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def member_letter(definition: ast.Definition) -> str | None:
    """The letter j where ``definition`` is ``v_j = f(s_j, ...)`` with every value of the
    right side carrying j (see the module); None otherwise."""
    lhs = definition.lhs
    if not (isinstance(lhs, ast.Sub) and isinstance(lhs.script, ast.Letter)):
        return None
    if _letter(lhs.base) is None:
        return None
    j = lhs.script.name
    found: list[str] = []

    def ok(n: object) -> bool:
        if isinstance(n, ast.Sub):
            letter = _letter(n.base)
            if letter is None or not isinstance(n.script, ast.Letter):
                return False
            if n.script.name != j or letter in PARAMETER_LETTERS or letter == j:
                return False
            found.append(letter)
            return True
        if isinstance(n, ast.Sup):  # a power by a number: ||s_j||^2
            return isinstance(n.script, ast.Number) and ok(n.base)
        if isinstance(n, ast.Letter | ast.BigOp | ast.Text | ast.Dots | ast.Prime):
            return False  # another value, a sum (binds letters), prose
        if isinstance(n, ast.Call):
            return isinstance(n.func, ast.FunctionName) and all(ok(a) for a in n.args)
        if isinstance(n, ast.Node):
            return all(ok(getattr(n, f.name)) for f in dataclasses.fields(n) if f.name != "span")
        if isinstance(n, tuple | list):
            return all(ok(item) for item in n)
        return True  # a number's text, an operator's name

    if not ok(definition.rhs) or not found:
        return None
    normed = any(  # ||s_j||: what carries j is a vector, not an entry of one
        isinstance(m, ast.Sub) and isinstance(m.script, ast.Letter) and m.script.name == j
        for n in ast.walk(definition.rhs)
        if isinstance(n, ast.Norm)
        for m in ast.walk(n.body)
    )
    return j if normed else None
