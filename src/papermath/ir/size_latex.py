r"""Numbers computed from sizes, written as the source writes them.

A size used as a value (N in ``\frac{1}{N}``, d_k in ``\sqrt{d_k}``) is a number in the
generated code, folded with the numbers around it. The printed equations (``papermath grad``)
keep the sizes: each folded number made from a size carries its LaTeX (``\frac{1}{N}``,
``\frac{1}{\sqrt{d_{k}}}``); a number made from numbers alone stays a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import prims
from .prims import Prim


def size_name(name: str) -> str:
    """A size as LaTeX: ``N``, ``d_k`` -> ``d_{k}``, ``d_model`` -> ``d_{model}``."""
    base, _, rest = name.partition("_")
    return f"{base}_{{{rest}}}" if rest else base


def expression_latex(size: Any) -> str | None:
    """A size expression (a ``shapes.sizes.Size``: ``dN``, ``m + n``, ``2 n - 1``, ``d_v h``)
    as LaTeX with its names written as the source writes them; None for a plain number."""
    if not size.terms:
        return None
    out: list[str] = []
    for name, k in size.terms:
        tex = " ".join(size_name(f) for f in type(size).factors(name))
        term = tex if abs(k) == 1 else f"{abs(k)} {tex}"
        out.append(("- " if k < 0 else "+ ") + term if out else ("-" if k < 0 else "") + term)
    if size.constant:
        out.append(f"{'-' if size.constant < 0 else '+'} {abs(size.constant)}")
    return " ".join(out)


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _atom(tex: str) -> str:
    """``tex`` as a factor: in parentheses where it is a sum or a negation."""
    return f"\\left({tex}\\right)" if any(c in tex for c in "+-") else tex


def size_latex(
    prim: Prim,
    texts: Sequence[str | None],
    attrs: dict[str, object],
    constants: Mapping[Any, float],
    inputs: Sequence[Any],
) -> str | None:
    """The LaTeX of a number ``prim`` folds from its inputs, where one of them is made from a
    size (``texts``: each input's LaTeX, None for a plain number); None where none is, or the
    operation has no printed form here (the number is printed instead)."""
    if all(t is None for t in texts):
        return None
    xs = [t if t is not None else _number(constants[v]) for t, v in zip(texts, inputs, strict=True)]
    if prim is prims.div_p:
        return f"\\frac{{{xs[0]}}}{{{xs[1]}}}"
    if prim is prims.mul_p:
        return f"{_atom(xs[0])} {_atom(xs[1])}"
    if prim is prims.add_p:
        return f"{xs[0]} + {xs[1]}"
    if prim is prims.sub_p:
        return f"{xs[0]} - {_atom(xs[1])}"
    if prim is prims.neg_p:
        return f"-{_atom(xs[0])}"
    if prim is prims.fn_p and attrs.get("fn") == "sqrt":
        return f"\\sqrt{{{xs[0]}}}"
    if prim is prims.pow_p:
        k = float(attrs["exponent"])  # type: ignore[arg-type]
        if k == 0.5:
            return f"\\sqrt{{{xs[0]}}}"
        if k == -0.5:
            return f"\\frac{{1}}{{\\sqrt{{{xs[0]}}}}}"
        if k == -1:
            return f"\\frac{{1}}{{{xs[0]}}}"
        return f"{_atom(xs[0])}^{{{_number(k)}}}"
    return None
