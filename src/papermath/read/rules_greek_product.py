# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``greek-weight-times-parenthesis``: a Greek letter that names a weight or a
step size (``\lambda``, ``\eta``) written before a parenthesised sum or difference is that
number times the parenthesis, never a learnable function of it.

What people write (the capsule network's margin loss, Sabour et al. 2017 eq. 4, as labml and
project READMEs type it; a step size before a difference)::

    \mathcal{L} = T \max(0, m^{+} - \lVert v \rVert)^2 + \lambda (1 - T) \max(0, \lVert v \rVert - m^{-})^2

and an optimiser's step, with a step size or a rate at the step (optax's SGD with
momentum; Distill's gradient step ``w^{k} - \alpha (Aw^{k} - b)``)::

    u_t = -\alpha_t (g_t + \mu m_t)

How papermath reads it: ``\lambda (1 - T)`` is the product of the weight \lambda (a number,
the down-weighting of absent classes) and ``1 - T``; the reading says so. The letters are the
Greek letters that name numbers by convention (rates, weights, coefficients, momenta:
\alpha, \beta, \gamma, \epsilon, \eta, \kappa, \lambda, \mu, \nu, \tau), with no
decoration, at a step or with a label or neither (``\alpha_t``, ``\beta_1``), before one
parenthesised sum or difference (``(1 - T)``, ``(a + b)``); read as a function they would be a
learnable map of the parenthesis, another model. ``\lambda(A)`` of one symbol (an eigenvalue
of A) is left to the other rules; \phi, \psi, \sigma, \rho name functions as often as numbers
and are left to them too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..letters import NUMBER_GREEK
from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader, SymParts


def is_weight(reader: Reader, parts: SymParts, args: list[ast.Node] | tuple[ast.Node, ...]) -> bool:
    """``\\lambda (1 - T)``: True where the letter is a weight times the parenthesis (noted)."""
    if len(args) != 1 or parts.base not in NUMBER_GREEK or parts.decorations:
        return False
    if parts.key in reader.functions or parts.node is not None:
        return False
    arg = args[0]
    while isinstance(arg, ast.Paren):
        arg = arg.body
    if not (isinstance(arg, ast.BinOp) and arg.op in ("+", "-")):
        return False
    reader.note(
        parts.span,
        "a number times the parenthesis (greek-weight-times-parenthesis)",
        f"\\{parts.base} names a weight or a step size, and a sum or difference follows it in "
        f"parentheses: the product of the number {parts.key} and the parenthesis, not a "
        "learnable function",
    )
    return True
