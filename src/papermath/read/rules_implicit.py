"""Notation rule ``log-left-side``: ``\\log \\sigma^2 = W h + b`` (the VAE encoder of Kingma &
Welling) defines sigma through its log-variance: the left side is a function of one symbol,
not a new symbol. It is read as the definition that the equation forces,
``\\sigma = \\exp((W h + b) / 2)``; ``\\log x = e`` as ``x = \\exp(e)``.

Only the logarithm of a symbol, or of a positive power of a symbol, is read so: its inverse is
exact and unique among positive values, and the value it defines (a standard deviation, a
variance, a rate) is positive. Any other function on the left side is refused as before.

A tuple of symbols on the left side (ViT's ``[\\mathbf{q}, \\mathbf{k}, \\mathbf{v}] =
\\mathbf{z} \\mathbf{U}_{qkv}``) names consecutive blocks of the right side: read by
read/rules_blocks.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import terms as t

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
