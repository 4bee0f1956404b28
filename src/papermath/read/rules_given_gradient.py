r"""Notation rule ``given-gradient``: an optimizer's first line, the gradient of an objective
the source does not define, ``g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})`` (Kingma & Ba
2015, Adam's Algorithm 1: "Get gradients w.r.t. stochastic objective at timestep t").

What people write: an update rule whose whole right side is ``\nabla_x F(...)``, the gradient
with respect to x of a function F at a value of x (``\nabla_\theta f_t(\theta_{t-1})``,
``\nabla_{\theta} L(\theta_{t-1})``), F written nowhere else as a left side: the objective of
the model being trained, which the optimizer does not know.

How papermath reads it: the value on the left is the gradient the algorithm is **given** at
each step (an input, as ``torch.optim`` reads ``p.grad``, computed by backpropagation through
the model outside the optimizer), not a computation of these equations: the line is left out
and the readings say so; the other update rules read the value as an input per step
(read/rules_updates.py). Its shape comes from the equations that use it.

Read (g an input per step)::

    g_t \leftarrow \nabla_\theta f_t(\theta_{t-1}) \\
    \theta_t \leftarrow \theta_{t-1} - \alpha g_t

Still refused: a gradient of a function the source defines (``L = \ldots``, then ``\nabla_W
L``: papermath derives it, ``papermath grad``), a gradient inside a larger expression, and a
gradient with respect to a letter that is not the function's argument.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import is_symbolish

if TYPE_CHECKING:
    from .reader import Reader


def _letter(node: ast.Node) -> str | None:
    """The base letter of a symbol (``\\theta`` of ``\\theta_{t-1}``, ``f`` of ``f_t``)."""
    while isinstance(node, ast.Sub | ast.Sup | ast.Font | ast.Decorated):
        node = node.base if isinstance(node, ast.Sub | ast.Sup) else node.body
    return node.name if isinstance(node, ast.Letter) else None


def _given(s: ast.Statement, defined: set[str]) -> bool:
    """Whether ``s`` is ``g \\leftarrow \\nabla_x F(..x..)`` with F defined nowhere."""
    if not (isinstance(s, ast.Definition) and s.update and is_symbolish(s.lhs) and not s.claims):
        return False
    match s.rhs:
        case ast.Juxt(
            left=ast.Sub(base=ast.Letter(name="nabla"), script=wrt),
            right=ast.Call(func=func, args=args),
        ) if is_symbolish(func):
            name = _letter(func)
            return (
                name is not None
                and name not in defined
                and _letter(wrt) is not None
                and any(is_symbolish(a) and _letter(a) == _letter(wrt) for a in args)
            )
    return False


def given_gradients(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements without each ``g_t \\leftarrow \\nabla_\\theta f_t(\\theta_{t-1})``
    whose function the source does not define; the readings say what was left out."""
    defined = {
        name
        for s in statements
        if isinstance(s, ast.Definition)
        for name in [_letter(s.lhs.func if isinstance(s.lhs, ast.Call) else s.lhs)]
        if name is not None
    }
    out: list[ast.Statement] = []
    for s in statements:
        if not _given(s, defined):
            out.append(s)
            continue
        assert isinstance(s, ast.Definition)
        snip = reader.source.snippet
        lhs, grad = snip(s.lhs.span), snip(s.rhs.span)
        reader.note(
            s.span,
            "a gradient given at each step",
            f"{lhs} is {grad}, the gradient of a function the source does not define (the "
            "objective of the model being trained): it is computed outside these equations "
            "(by backpropagation through that model) and given to the algorithm at each step, "
            f"an input, as torch.optim reads p.grad; the line is left out",
        )
    return out
