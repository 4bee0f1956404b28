r"""Notation rule ``doubts.eigenvalue-call`` (a refusal): the largest (or smallest) eigenvalue
of a matrix, written as a function of it: ``\lambda_{\max}(L)``.

What people write: ChebNet's rescaled Laplacian, ``\tilde{L} = \frac{2L}{\lambda_{\max}(L)} -
I_n`` ("the normalized Laplacian defined using the largest eigenvalue of $L$"; Distill's
"Understanding Convolutions on Graphs", PyG's ChebConv), also ``\lambda_{\text{max}}(L)``,
``\lambda_{max}(A)``, ``\lambda_{\min}(M)``.

What it is: one number computed from the whole matrix by an eigendecomposition, which
papermath does not read; a letter applied to a value is otherwise read as a learnable function
(an affine map of its argument), which would make the eigenvalue a learned layer of L and give
another model. Refused at the call, with the hint that reads it: the eigenvalue as a given
number, ``\lambda_{\max}`` without its argument (a constant scalar, supplied with L).

Example refused: ``M = \frac{2L}{\lambda_{\max}(L)} - I_n``.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span
from . import ast

__all__ = ["refusal"]

_EIGENVALUE = re.compile(
    r"\\lambda\s*_\s*\{\s*(?:\\(?:max|min)|\\(?:text|mathrm|operatorname)\s*\{\s*(?:max|min)\s*\}"
    r"|max|min)\s*\}\s*(?:\\left)?\(\s*[^()]*\)"
)


def said_eigenvalue(text: str, matrix: str) -> str | None:
    """The prose's words that name the eigenvalue of ``matrix`` ("the largest eigenvalue of
    $L$", the matrix written as in the call), or None: where the source says it,
    read/rules_eigenvalue.py reads the call (for its shapes)."""
    written = r"\s*".join(re.escape(c) for c in "".join(matrix.split()))
    m = re.search(
        r"\b(?:largest|smallest|maximum|minimum|max|min)\s+eigenvalue\s+of\s+\$\s*"
        + written
        + r"\s*\$",
        text,
    )
    return None if m is None else " ".join(m.group(0).split())


def refusal(text: str, statements: list[ast.Statement]) -> ParseError | None:
    """The first eigenvalue written as a call inside an equation (see the module), or None."""
    for statement in statements:
        if not isinstance(statement, ast.Definition):
            continue
        m = _EIGENVALUE.search(text, statement.span.start, statement.span.end)
        if m is None:
            continue
        matrix = m.group()[m.group().index("(") + 1 : -1]  # the argument, as written
        if said_eigenvalue(text, matrix):  # read: read/rules_eigenvalue.py
            continue
        return ParseError(
            f"{m.group()}: an eigenvalue of a matrix (one number, from an eigendecomposition) "
            "is not read; a letter applied to a value would be read as a learnable function "
            "of it, another model",
            span=Span(m.start(), m.end()),
            hint="write the eigenvalue as a given number, without its argument (\\lambda_{\\max},"
            " a constant supplied with the matrix)",
        )
    return None
