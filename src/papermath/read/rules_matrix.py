# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
"""Rule ``matrix-functions``: the inverse and the exponential of a square matrix.

What people write: ``(I - \\Delta/2 \\cdot A)^{-1}`` (S4's bilinear discretisation),
``(\\Delta A)^{-1} (\\exp(\\Delta A) - I)`` (Mamba's zero-order hold), ``\\tilde{A} = A +
I_N`` (GCN's self-loops: the identity, read by the reader as ``t.Identity``).

How papermath reads them:

- ``X^{-1}`` with X a square matrix is X's inverse (never the reciprocal of each entry: a
  paper that means that writes ``1 / x`` of a vector or a ``\\oslash``); a product with an
  inverse is a matrix product (the inverse exists to multiply). Other powers of a matrix
  (``A^2``, ``A^{1/2}``) stay refused.
- ``\\exp(X)`` with X a square matrix is read entry by entry (as attention scores are), unless
  the system writes ``X^{-1} (\\exp(X) - I)`` with that very X (the argument written alike):
  the zero-order hold of a linear system (Mamba's ``(\\Delta A)^{-1} (\\exp(\\Delta A) - I)``),
  where only the matrix exponential makes sense; then every ``\\exp`` of X in the system is
  the matrix exponential. The reading says which, and why.

Examples (each reads; the first gives A_bar N x N, the second B_bar N x m)::

    \\bar{A} = (I - \\Delta/2 \\cdot A)^{-1}(I + \\Delta/2 \\cdot A), A \\in \\mathbb{R}^{N \\times N}, \\Delta \\in \\mathbb{R}
    \\bar{B} = (\\Delta A)^{-1} (\\exp(\\Delta A) - I) B, A \\in \\mathbb{R}^{N \\times N}, B \\in \\mathbb{R}^{N \\times m}, \\Delta \\in \\mathbb{R}

The primitives are ``eye``, ``inv`` and ``expm`` (papermath/ops/matrix.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from ..errors import ShapeError
from ..source import Source, Span
from . import terms as t
from .reader import Reading

ShapeOf = Callable[[t.Term], "Sequence[object] | None"]


def square(shape: Sequence[object] | None) -> bool:
    """Whether a shape is a square matrix's (its two sizes the same)."""
    return shape is not None and len(shape) == 2 and shape[0] == shape[1]


def is_inverse(x: t.Term, shape_of: ShapeOf) -> bool:
    """``X^{-1}`` with X a square matrix: X's inverse."""
    return isinstance(x, t.Power) and x.exponent == -1 and square(shape_of(x.body))


def structure(term: object) -> object:
    """A term as nested tuples of its fields, spans left out: two terms written alike (the
    X of ``X^{-1}`` and of ``\\exp(X)``) have the same structure."""
    if isinstance(term, Span):
        return None  # where it is written (span, op_span): not what it is
    if isinstance(term, t.Term):
        fields = [f.name for f in dataclasses.fields(term) if f.name != "span"]
        return (type(term).__name__, *(structure(getattr(term, f)) for f in fields))
    if isinstance(term, (tuple, list)):
        return tuple(structure(x) for x in term)
    return term


def zero_order_holds(equations: Sequence[t.Equation], shape_of: ShapeOf) -> set[object]:
    """The structures of the square matrices X the system writes as ``X^{-1} (\\exp(X) -
    I)``: the zero-order hold of a linear system, where exp can only be the matrix one."""
    out = set()
    for eq in equations:
        for x in t.walk(eq.rhs):
            if not (isinstance(x, t.Product) and isinstance(x.left, t.Power)):
                continue
            if not is_inverse(x.left, shape_of):
                continue
            right = x.right
            if (
                isinstance(right, t.Add)
                and right.op == "-"
                and isinstance(right.right, t.Identity)
                and isinstance(right.left, t.Apply)
                and right.left.fn == "exp"
                and len(right.left.args) == 1
                and structure(right.left.args[0]) == structure(x.left.body)
            ):
                out.add(structure(x.left.body))
    return out


def matrix_exponentials(equations: Sequence[t.Equation], shape_of: ShapeOf) -> set[int]:
    """The ids of the ``\\exp(X)`` terms read as the matrix exponential: X square, and the
    system writes ``X^{-1} (\\exp(X) - I)`` with the same X (written alike)."""
    held = zero_order_holds(equations, shape_of)
    if not held:
        return set()
    return {
        id(x)
        for eq in equations
        for x in t.walk(eq.rhs)
        if isinstance(x, t.Apply)
        and x.fn == "exp"
        and len(x.args) == 1
        and square(shape_of(x.args[0]))
        and structure(x.args[0]) in held
    }


INVERSE_PRODUCT = "{inverse} is a square matrix's inverse: it multiplies by the matrix product"


def reading(x: t.Term, text: str) -> Reading:
    """What a matrix function was read as, and why (for ``papermath shapes --readings``)."""
    if isinstance(x, t.Power):
        return Reading(
            x.span,
            text,
            "matrix inverse",
            "the power -1 of a square matrix is its inverse (not the reciprocal of each entry)",
        )
    return Reading(
        x.span,
        text,
        "matrix exponential",
        "the system writes X^{-1} (exp(X) - I) with this square X, the zero-order hold of a "
        "linear system: exp of the whole matrix, not of each entry",
    )


def say(readings: list[Reading], x: t.Term, text: str) -> None:
    """Add the reading of a matrix function; a matrix exponential replaces the reader's
    "exp, elementwise" of the same ``\\exp``."""
    if isinstance(x, t.Apply):
        readings[:] = [
            r
            for r in readings
            if not (
                r.span.start == x.span.start
                and r.span.end <= x.span.end
                and "elementwise" in r.reason
            )
        ]
    readings.append(reading(x, text))


# what `papermath explain` says of each (explain.py)
INVERSE_WORDS = "the inverse of a square matrix (not the reciprocal of each entry)"
EXPM_WORDS = "exp of the whole square matrix (the sum of its powers over k!), not of each entry"


def no_inverse(x: t.Power, shape: str, source: Source) -> ShapeError:
    """``W^{-1}`` of a matrix that is not square: it has no inverse."""
    body = x.body.key if isinstance(x.body, t.Sym) else "".join(source.snippet(x.body.span).split())
    if shape == "(free, free)":  # nothing says the sizes differ: nothing says they are equal
        return ShapeError(
            f"{body}^{{-1}}: the inverse needs a square matrix, and nothing in the source says "
            f"that {body}'s two sizes are equal (neither is declared or forced by another use)",
            source,
            x.span,
            hint=f"declare its shape ({body} \\in \\mathbb{{R}}^{{n \\times n}})"
            + degree_hint(body),
        )
    return ShapeError(
        f"{body} is {shape}, not square: it has no inverse (and the power -1 of a matrix is "
        "never the reciprocal of each entry)",
        source,
        x.span,
        hint="check the declaration; for the reciprocal of each entry write \\frac{1}{...} of "
        "a vector",
    )


def degree_hint(body: str) -> str:
    """More for a D: a degree matrix is read from the matrix whose degrees it holds (declaring
    only D's shape would leave D and that matrix learned parameters, by the letter conventions)."""
    if body.split("_")[0] != "D":
        return ""
    return (
        f"; if {body} is a degree matrix, say whose: define it, {body}_{{ii}} = \\sum_j A_{{ij}}, "
        f"or, undefined, write it just before that matrix named A, with the same decorations "
        f"({body}^{{-1}} A: GCN's convention, read/rules_degree_inverse.py)"
    )
