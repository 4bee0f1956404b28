r"""Notation rule ``gradient-call``: ``\nabla f(w)``, the gradient of a function f at a point,
used as a value in an update (an optimiser's step), or defined by an equation.

What people write (Distill's "Why Momentum Really Works", Goh 2017)::

    w^{k+1} = w^k-\alpha\nabla f(w^k).

    z^{k+1}=\beta z^{k}+\nabla f(w^{k}) \\ w^{k+1}=w^{k}-\alpha z^{k+1}

    Since \nabla f(w)=Aw - b, the iterates are w^{k+1}=w^{k}- \alpha (Aw^{k} - b).

How papermath reads it: ``\nabla`` followed by a call of a one-letter function, ``f(x)``, is
one value: the gradient of f at x. The nabla of a function is its gradient, defined for a
function with one number as its value (the objective being minimised; a vector-valued map has
a Jacobian instead), so the value has the shape of the point x: read so for shapes, kinds,
explain and diagrams. Where an equation defines it (``\nabla f(w) = A w - b``), the left side
is a function named ``grad_f`` of its argument (as ``\mathrm{FFN}(x) = ...``) and every
``\nabla f(...)`` of the source calls it. Where none does, f is the objective the source
does not write, and code and printed gradients need it: refused by name (ir/lower.py), with a
hint to write f or its gradient as an equation. Said in the readings.

An argument written without the step beside a step (``L(\theta)`` beside ``\theta^{(t)}``)
reads: the gradient has its shape at every step and no code is made from an unwritten f; the
readings say so (read/rules_gradient_updates.py, ``point_term``, which also reads the
gradient of a loss written ``\frac{\partial L}{\partial w}`` or ``\nabla L_w``).

``\nabla_\theta f(\theta^{(t)})``, the subscript the letter of the one argument, is the same
gradient, with respect to the variable f is a function of (PyTorch's tutorial: ``\theta^{(t+1)}
= \theta^{(t)} - \eta \nabla_\theta L(\theta)``; a whole right side ``g_t \leftarrow
\nabla_\theta f_t(\theta_{t-1})`` is read/rules_given_gradient.py's).

Not read here: ``\nabla_W f(x)`` (with respect to another letter), ``\nabla f`` with no
argument, ``\nabla`` before anything but a one-letter call (refused as a derivative), and a
function f the source defines itself (``f(w) = ...``): papermath derives that gradient
(``papermath grad``), refused as before.

Examples that read: ``w^{k+1} = w^k-\alpha\nabla f(w^k)`` (w a vector, code refused), and
``\nabla f(w)=Aw - b`` beside ``w^{k+1}=w^{k}- \alpha \nabla f(w^{k})`` (code reads).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import rules_gradient_updates
from . import terms as t
from .functions import GRADIENT
from .rules_brace_typos import rebuild

if TYPE_CHECKING:
    from .reader import Reader

__all__ = ["GRADIENT", "GradientCall", "mark", "refuse_code", "term"]

RULE = "gradient-call"


@dataclasses.dataclass(frozen=True)
class GradientCall(ast.Call):
    """``\\nabla f(x)`` where no equation defines the gradient of f (see the module)."""


def _base(node: ast.Node) -> str | None:
    """The base letter of a symbol (``\\theta`` of ``\\theta_{t-1}``, of ``\\theta^{(t)}``)."""
    while isinstance(node, ast.Sub | ast.Sup | ast.Font | ast.Decorated):
        node = node.base if isinstance(node, ast.Sub | ast.Sup) else node.body
    return node.name if isinstance(node, ast.Letter) else None


def _gradient(left: ast.Node, right: ast.Node) -> str | None:
    """The letter f of ``\\nabla`` (``left``) before ``f(x)`` (``right``); None otherwise.
    ``\\nabla_x f(x)`` too, the subscript the letter of the argument (``\\nabla_\\theta
    L(\\theta^{(t)})``): the gradient with respect to the variable f is a function of."""
    wrt: str | None = None
    if isinstance(left, ast.Sub) and isinstance(left.script, ast.Letter):
        wrt = left.script.name
        left = left.base
    if not (isinstance(left, ast.Letter) and left.name == "nabla"):
        return None
    match right:
        case ast.Call(func=ast.Letter(name=name), args=(arg,)) if len(name) == 1:
            if wrt is not None and _base(arg) != wrt:
                return None  # \nabla_W f(x): with respect to another letter (refused)
            return name
    return None


def _name(call: ast.Call, nabla: ast.Node, letter: str) -> ast.Text:
    return ast.Text(Span(nabla.span.start, call.func.span.end), "operatorname", f"grad_{letter}")


def _fold(node: ast.Node, defined: set[str], skip: set[str]) -> ast.Node:
    """``node`` with ``\\nabla f(x)`` one call (``a \\nabla f(x)`` too, which parses as
    ``(a \\nabla) f(x)``)."""
    if not isinstance(node, ast.Juxt) or not isinstance(node.right, ast.Call):
        return node
    call = node.right
    if (letter := _gradient(node.left, call)) is not None:
        nabla, before = node.left, None
    elif isinstance(node.left, ast.Juxt) and (letter := _gradient(node.left.right, call)):
        nabla, before = node.left.right, node.left.left
    else:
        return node
    if letter in skip:
        return node
    span = Span(nabla.span.start, call.span.end)
    kind = ast.Call if letter in defined else GradientCall
    folded = kind(span, _name(call, nabla, letter), call.args)
    if before is None:
        return folded
    return ast.Juxt(node.span, before, folded)


def mark(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each ``\\nabla f(x)`` one value (module docstring)."""
    del reader
    defined = {
        letter
        for s in statements
        if isinstance(s, ast.Definition)
        and isinstance(s.lhs, ast.Juxt)
        and (letter := _gradient(s.lhs.left, s.lhs.right)) is not None
    }
    functions = {  # f(w) = ...: papermath derives its gradient itself (refused as before)
        s.lhs.func.name
        for s in statements
        if isinstance(s, ast.Definition)
        and isinstance(s.lhs, ast.Call)
        and isinstance(s.lhs.func, ast.Letter)
    }
    functions |= {  # L = \\|W x\\|^2: a value the source computes, papermath derives its gradient
        s.lhs.name
        for s in statements
        if isinstance(s, ast.Definition) and isinstance(s.lhs, ast.Letter)
    }
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, ast.Definition):
            lhs = rebuild(s.lhs, lambda n: _fold(n, defined, functions))
            rhs = rebuild(s.rhs, lambda n: _fold(n, defined, functions))
            if lhs is not s.lhs or rhs is not s.rhs:
                assert isinstance(lhs, ast.Node) and isinstance(rhs, ast.Node)
                new = dataclasses.replace(s, lhs=lhs, rhs=rhs)
                s = ast.keep_attached(new, s)
        out.append(s)
    return out


def term(reader: Reader, node: GradientCall) -> t.Term:
    """The term of ``\\nabla f(x)``, f defined nowhere: the gradient of the objective f at x, a
    value of x's shape; code refused (ir/lower.py)."""

    (arg,) = node.args
    written = " ".join(reader.source.snippet(node.func.span).split())
    value = " ".join(reader.source.snippet(arg.span).split())
    # L(\theta) beside \theta^{(t)}: shapes do not depend on the step (code is refused)
    point = rules_gradient_updates.point_term(reader, arg, f"{written}({value})", node.span)
    letter = written.split()[-1] if written.split() else "f"
    reader.note(
        node.span,
        "gradient of an objective the source does not write",
        f"{written}({value}): the gradient of {letter} at {value}; a gradient (nabla) is of a "
        f"function whose value is one number (the objective minimised), so it has the shape "
        f"of {value}; no equation writes {letter} or its gradient: code needs one",
    )
    out = t.Apply(node.span, GRADIENT, (point,))
    reader.out.unnamed[id(out)] = (written, node.span)
    return out


def step_hint(reader: Reader, base: str) -> str | None:
    """The hint of the refusal of a ``\\nabla`` this rule does not read, in a recurrence (an
    optimiser's step, ``W^{i+1} = W^i - \\epsilon \\nabla {Loss}_{W}^{i}``): the form it reads;
    None outside a recurrence or for ``\\partial``."""
    if base != "nabla" or not getattr(reader, "step_letters", None):
        return None
    return (
        "in an optimiser's step, write the gradient of the objective as a call at the point "
        "it is taken: \\nabla L(w^{k}) or \\nabla_w L(w^{k}) (the gradient of L at w^{k}, "
        "w's shape: read for shapes, and for code with an equation \\nabla L(w) = ...)"
    )


def refuse_code(written: str) -> tuple[str, str]:
    """The message and hint of the refusal of code for the gradient of an unwritten objective
    (ir/lower.py raises it)."""
    letter = written.split()[-1] if written.split() else "f"
    return (
        f"{written} is the gradient of {letter}, an objective the source does not write: code "
        "needs to know it",
        f"write its gradient as an equation beside the others: {written}(w) = ... (A w - b "
        "for a quadratic)",
    )
