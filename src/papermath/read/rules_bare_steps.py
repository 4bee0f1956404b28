r"""Notation rule ``bare-step-on-the-left``: a superscript ``l+1`` (a letter plus or minus a
number, no parentheses) on the left side of an equation is the step (the layer) l+1, as
``^{(l+1)}`` is.

What people write (DGL's docstrings: APPNPConv, ChebConv, GatedGCNConv)::

    H^{l+1} = (1-\alpha)(\tilde{D}^{-1/2} \tilde{A} \tilde{D}^{-1/2} H^{l}) + \alpha H^{0}
    h_i^{l+1} = \sum_{k=0}^{K-1} W^{k, l} z_i^{k, l}
    h_{i}^{l+1} = A^l h_{i}^{l} + \Sigma_{j \in N_{i}} \hat{e}_{ij}^{l+1} \odot B^l h_{j}^{l}

How papermath reads it: the left side of an equation names the value it defines, and a value
is not defined raised to a power, so a letter with an offset there is the step of a
recurrence (the layer of a stack written as one), exactly as with parentheses; the
superscript ``l`` on the right sides is then the step l, as it is beside ``^{(l+1)}``
already (and on another left side, ``a^{l} = U h^{(l)}``: the equation at step l). The
reading says so. Only on a left side and only a letter plus or minus a number; on a right
side alone (``\beta^{t+1}``, a power of a number) nothing changes.

Examples (each reads; h is d, W d x d)::

    h_i^{l+1} = \sigma(W h_i^{l}), h_i^{l} \in \mathbb{R}^{d}
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader


def offset_step(script: ast.Node) -> bool:
    """``l+1``, ``t-1``: a letter plus or minus a number (no parentheses)."""
    return (
        isinstance(script, ast.BinOp)
        and script.op in ("+", "-")
        and isinstance(script.left, ast.Letter)
        and isinstance(script.right, ast.Number)
    )


def parenthesised(reader: Reader, lhs: ast.Node) -> ast.Node:
    """``lhs`` with a bare ``^{l+1}`` (on it, or on the base of its subscript) in parentheses."""
    match lhs:
        case ast.Sup(script=script) if offset_step(script):
            written = reader.source.snippet(script.span)
            reader.note(
                script.span,
                "step on the left side",
                f"^{{{written}}} on the left side of an equation: the step {written} (the "
                f"layer, as ^{{({written})}}); a value is not defined raised to a power",
            )
            return replace(lhs, script=ast.Paren(script.span, script))
        case ast.Sub(base=base):
            inner = parenthesised(reader, base)
            return lhs if inner is base else replace(lhs, base=inner)
    return lhs


def bare_steps(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Every definition whose left side carries a bare ``^{l+1}``, with it in parentheses."""
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition):
            lhs = parenthesised(reader, s.lhs)
            if lhs is not s.lhs:
                s = ast.keep_attached(replace(s, lhs=lhs), s)
        out.append(s)
    return out
