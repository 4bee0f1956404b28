r"""Notation rule ``semicolon-parameters`` (the reader's half; parse/param_semicolon.py finds and
blanks the parameters): ``f(x; \theta)``, f applied to x with its parameters named theta.

How papermath reads it: f is the learnable function of its arguments (an affine map of their
concatenation by default, its weights f.weight and f.bias in the code), and theta is the name of
those weights: a parameter (its kind), with no shape of its own (it names a set of arrays,
f's), said in the reading. Refused, naming theta: f a function the source names (\sigma) or
defines (its parameters are then in its body), theta also written as a value, one theta for
two functions (shared weights between different functions), two names for one function's
parameters.

Example (reads: theta a parameter, the parameters of f): ``s^{(t)} = f(s^{(t-1)}; \theta)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse.param_semicolon import ParamSet

if TYPE_CHECKING:
    from .reader import Reader


def hint(func: str) -> str:
    """What reads instead of ``func(x; theta)``."""
    return (
        f"write {func}(...) with its arguments alone ({func} then reads as a learnable "
        f"function, an affine map by default), or write what {func} computes with its "
        "parameters: s^{(t)} = \\tanh(W s^{(t-1)} + b)"
    )


def record(reader: Reader, d: ParamSet) -> None:
    """Keep ``d`` (theta the parameters of f) for :func:`check`, after the equations are read."""
    seen = reader.out.param_sets.get(d.param)
    if seen is not None and seen != d.func:
        raise reader.error(
            f"{d.param} names the parameters of both {seen} and {d.func}: one set of weights "
            "shared by two different functions is not read",
            d.span,
            hint="name each function's parameters apart (\\theta_f, \\theta_g), or call the "
            "same function",
        )
    other = [p for p, f in reader.out.param_sets.items() if f == d.func and p != d.param]
    if other:
        raise reader.error(
            f"{d.func} is given two names for its parameters, {other[0]} and {d.param}: "
            "papermath does not guess whether these are two functions",
            d.span,
            hint=f"call {d.func} with one name for its parameters, or name the functions apart",
        )
    reader.out.param_sets[d.param] = d.func
    reader.param_spans.setdefault(d.param, d.span)


def check(reader: Reader) -> None:
    """Each function called with named parameters is a learnable function the reader read,
    and its parameters' name is no value of the equations; the reading says so."""
    for param, func in reader.out.param_sets.items():
        span = reader.param_spans[param]
        if func not in reader.out.learned:
            raise reader.error(
                f"{func}(...; {param}): a semicolon names the parameters of {func}, but {func} "
                "is not read as a learnable function here (a function the source names or "
                "defines, a matrix, or a value of that name): "
                f"papermath does not guess what {param} is in it",
                span,
                hint=hint(func),
            )
        if param in reader.out.first_span or param in reader.out.indices:
            raise reader.error(
                f"{param} names the parameters of {func} (after the semicolon) and is also "
                f"written as a value: papermath does not guess how the two are related",
                span,
                hint=hint(func),
            )
        reader.note(
            span,
            f"{param}: the parameters of {func}",
            f"{func}(...; {param}): the semicolon separates {func}'s arguments from its "
            f"parameters; {func} is a learnable function (an affine map of its arguments by "
            f"default), and {param} names its weights ({func}.weight and {func}.bias)",
        )
