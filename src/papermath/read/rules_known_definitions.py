r"""Notation rule ``known-function-definition``: the source's own formula for a function
papermath knows, ``tanh(a)=(e^a-e^{-a})/(e^a+e^{-a})``, ``sigmoid(a)=1/(1+e^{-a})`` (the
Theano MLP tutorial, in prose beside the model).

How papermath reads it: a definition of the function, not an equation of the model:
papermath computes tanh, the logistic function, exp, relu and softplus by its own rows
(ops/elementwise.py). The source's formula is compiled on its own (``y = formula``, the
argument one number) and evaluated at nine points from -2 to 2; where it equals papermath's
function at every point (to 1e-9), the definition is left out and the readings say so. A
formula that differs (a scaled sigmoid), that cannot be computed alone, or a definition of
another known function (``\exp``, ``\log``: no check here) is refused at the left side, naming
the function. Before: "the left side of a definition must be one symbol".

Examples: ``tanh(a) = (e^a - e^{-a})/(e^a + e^{-a})`` beside ``y = tanh(W x)`` reads (the
definition left out); ``sigmoid(a) = 1/(1+e^{-2a})`` is refused at ``sigmoid(a)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..errors import PapermathError
from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

RULE = "known-function-definition"

__all__ = ["RULE", "leave_out", "refuse"]


def _logistic(a: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-a)))


KNOWN: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "sigmoid": _logistic,
    "sigm": _logistic,
    "exp": np.exp,
    "relu": lambda a: np.maximum(a, 0.0),
    "ReLU": lambda a: np.maximum(a, 0.0),
    "softplus": lambda a: np.log1p(np.exp(a)),
}
POINTS = np.linspace(-2.0, 2.0, 9)


def _definition(s: ast.Statement) -> tuple[ast.Call, str, str] | None:
    """``tanh(a) = ...``: the left side, the function's name and the argument's."""
    if not (isinstance(s, ast.Definition) and isinstance(s.lhs, ast.Call)):
        return None
    lhs = s.lhs
    if not (
        isinstance(lhs.func, ast.FunctionName)
        and len(lhs.args) == 1
        and isinstance(lhs.args[0], ast.Letter)
    ):
        return None
    return lhs, lhs.func.name, lhs.args[0].name


def _agrees(name: str, arg: str, formula: str) -> bool:
    """Whether ``formula`` (in ``arg``) is papermath's ``name`` at every point of POINTS."""
    from papermath import compile as compile_text  # the formula alone, as a system

    if name not in KNOWN or arg == "y":
        return False
    try:
        system = compile_text("y = " + formula)
        if set(system.shapes) != {"y", arg} or system.shapes["y"] or system.shapes[arg]:
            return False
        module = system.to_numpy({})
        got = []
        for point in POINTS:
            value = {arg: np.array(point)}
            if system.kinds[arg] == "parameter":
                out, _ = module.forward(value, {})
            else:
                out, _ = module.forward({}, value)
            got.append(float(np.ravel(out["y"])[0]))
    except (PapermathError, KeyError, ValueError, FloatingPointError):
        return False
    return bool(np.allclose(got, KNOWN[name](POINTS), rtol=1e-9, atol=1e-9))


def leave_out(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements without the definitions of known functions that agree with papermath's
    (see the module); the others stay, refused by :func:`refuse`."""
    out = []
    for s in statements:
        found = _definition(s)
        if found is not None and isinstance(s, ast.Definition):
            lhs, name, arg = found
            if _agrees(name, arg, reader.source.snippet(s.rhs.span)):
                reader.note(
                    s.span,
                    f"the source's definition of {name}, left out",
                    f"{reader.source.snippet(lhs.span)} = {reader.source.snippet(s.rhs.span)} "
                    f"is the {name} papermath computes (equal at {len(POINTS)} points from "
                    f"{POINTS[0]:g} to {POINTS[-1]:g}): a definition of the function, not an "
                    "equation of the model",
                )
                continue
        out.append(s)
    return out


def refuse(reader: Reader, lhs: ast.Node) -> None:
    """Refuse ``f(a) = ...`` where f is a function papermath knows (see the module)."""
    if not (isinstance(lhs, ast.Call) and isinstance(lhs.func, ast.FunctionName)):
        return
    name = reader.source.snippet(lhs.func.span).strip()
    raise reader.error(
        f"{reader.source.snippet(lhs.span)} = ...: the source's own formula for {name}, a "
        "function papermath knows, and not the one papermath computes (or one it cannot "
        "compute alone to compare); papermath does not read a second "
        f"{name} beside its own",
        lhs.span,
        hint=f"leave the definition out if it is the usual {name} (papermath computes it "
        "itself), or give the function another name",
    )
