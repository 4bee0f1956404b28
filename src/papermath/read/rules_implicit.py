"""Notation rule ``log-left-side``: ``\\log \\sigma^2 = W h + b`` (the VAE encoder of Kingma &
Welling) defines sigma through its log-variance: the left side is a function of one symbol,
not a new symbol. It is read as the definition that the equation forces,
``\\sigma = \\exp((W h + b) / 2)``; ``\\log x = e`` as ``x = \\exp(e)``.

Only the logarithm of a symbol, or of a positive power of a symbol, is read so: its inverse is
exact and unique among positive values, and the value it defines (a standard deviation, a
variance, a rate) is positive. Any other function on the left side is refused as before.

A tuple of symbols on the left side (ViT's ``[\\mathbf{q}, \\mathbf{k}, \\mathbf{v}] =
\\mathbf{z} \\mathbf{U}_{qkv}``, Zaremba's column ``\\begin{pmatrix} i \\\\ f \\\\ o \\\\ g
\\end{pmatrix} = ...``) names consecutive blocks of the right side; it is not read yet, and is
refused at the left side with what to write instead (not with the hint for one symbol).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .syntax import is_symbolish

if TYPE_CHECKING:
    from .reader import Reader


def log_left_side(reader: Reader, lhs: t.Term) -> tuple[t.Sym, float] | None:
    """``(x, p)`` where ``lhs`` is ``\\log x^p`` (``p = 1`` for ``\\log x``) with ``x`` one
    symbol and ``p > 0``; None otherwise."""
    if not (isinstance(lhs, t.Apply) and lhs.fn == "log" and len(lhs.args) == 1):
        return None
    (arg,) = lhs.args
    if isinstance(arg, t.Sym):
        return arg, 1.0
    if isinstance(arg, t.Power) and isinstance(arg.body, t.Sym) and arg.exponent > 0:
        return arg.body, arg.exponent
    return None


def inverse(reader: Reader, lhs: t.Term, rhs: t.Term, written: str) -> tuple[t.Sym, t.Term]:
    """The definition ``x = \\exp(rhs / p)`` that ``\\log x^p = rhs`` forces."""
    found = log_left_side(reader, lhs)
    assert found is not None
    sym, p = found
    body = rhs if p == 1.0 else t.Div(rhs.span, rhs, t.Const(rhs.span, p))
    power = "" if p == 1.0 else f"^{p:g}"
    reader.note(
        lhs.span,
        f"{sym.key} defined through its logarithm",
        f"{written} = ... defines {sym.key}: {sym.key}{power} is the exponential of the right "
        f"side, so {sym.key} = exp((right side)"
        + ("" if p == 1.0 else f" / {p:g}")
        + ")"
        + (f", the positive root ({sym.key} is positive)" if p != 1.0 else ""),
    )
    return sym, t.Apply(rhs.span, "exp", (body,))


def refuse_tuple_left_side(reader: Reader, lhs: ast.Node) -> None:
    """``[q, k, v] = ...``, ``\\begin{pmatrix} i \\\\ f \\end{pmatrix} = ...``: refused, with
    one equation per part as the way to write it."""
    match lhs:
        case ast.Bracket(items=items) if len(items) > 1:
            parts = items
        case ast.Matrix(rows=rows) if len(rows) > 1 and all(len(r) == 1 for r in rows):
            parts = tuple(r[0] for r in rows)
        case _:
            return
    if not all(is_symbolish(x) for x in parts):
        return
    names = ", ".join(reader.source.snippet(x.span) for x in parts)
    raise reader.error(
        f"a tuple on the left side ({names}: blocks of the right side) is not read yet",
        lhs.span,
        hint="write one equation for each value it names (q = z U_q, k = z U_k, ...)",
    )
