r"""Notation rule ``left-side-refusals``: left sides that are no symbol, refused where they are
written with what each one is, instead of "the left side must be one symbol".

A column of numbers on the left (CS231n's worked example ``\begin{bmatrix}0.3 \\ -0.1 \\ 0.9
\end{bmatrix} = f_W(W_{hh} \begin{bmatrix}0 \\ 0 \\ 0\end{bmatrix} + ...)``) is the value of
one step of a model worked through by hand, not an equation that defines a value: the model is
the recurrence with symbols, which the example does not write. A function defined with an
argument named with a digit after a space (``\text{loss}(x 1, x2) = ...``) reads ``x 1`` as x
times 1: no symbol a definition can bind (written together, ``x1`` is the name x_1:
read/rules_digit_names.py). Both are refused at the construct.

Refused (a worked example)::

    \begin{bmatrix}0.3 \\ -0.1 \end{bmatrix} = \tanh(W \begin{bmatrix}1 \\ 0 \end{bmatrix})

Refused (an argument x 1)::

    \text{loss}(x 1, x2) = \max(0, x 1 - x2)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader


def _number(node: ast.Node) -> bool:
    match node:
        case ast.Number():
            return True
        case ast.Neg(body=body) | ast.Paren(body=body):
            return _number(body)
    return False


def refuse(reader: Reader, lhs: ast.Node) -> None:
    """Refuse a left side of numbers, or a function with an argument like ``x1``."""
    if isinstance(lhs, ast.Matrix) and all(_number(x) for row in lhs.rows for x in row):
        raise reader.error(
            "a vector of numbers on the left side: the values of one step worked by hand (an "
            "example of the model), not an equation that defines a value",
            lhs.span,
            hint="write the model with symbols and its nonlinearity named, as h_t = "
            "\\tanh(W_{hh} h_{t-1} + W_{xh} x_t) (f_W(...) alone reads as a learnable map), and "
            "the numbers as an example of its values",
        )
    if isinstance(lhs, ast.Call):
        for arg in lhs.args:
            match arg:
                case ast.Juxt(left=ast.Letter(name=name), right=ast.Number(text=digits)):
                    written = reader.source.snippet(arg.span)
                    raise reader.error(
                        f"{written} in the arguments of "
                        f"{reader.source.snippet(lhs.func.span)}: a name with a digit "
                        f"reads as {name} times {digits}, which a definition cannot bind",
                        arg.span,
                        hint=f"write {name}_{digits} (or {name}_{{{digits}}}) for a name "
                        "with a number",
                    )
