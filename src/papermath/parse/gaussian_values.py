r"""Rule ``gaussian-as-a-value``: a normal distribution written where a value is, ``N(0,
\sigma_t^2)``, as optax's noisy_sgd docstring writes its update::

    u_t \leftarrow -\alpha_t (g_t + N(0, \sigma_t^2)),

    where N(0, \sigma_t^2) represents Gaussian noise with zero mean and a variance of
    \sigma_t^2.

``N(0, v)`` (``\mathcal{N}``, ``\mathrm{N}``) with the number 0 as its first argument is the
normal distribution of mean 0 and variance v, and written in a sum it stands for a draw from
it (noise, drawn anew each time): not a function of its arguments. Read as a call, N would be
a learnable function (an affine map of 0 and v), another model.

How papermath reads it: refused at the call, with the hint to name the draw, as papermath
reads a draw: ``\epsilon_t \sim \mathcal{N}(0, I)`` (a sampled input), and the value as
``\sigma_t \epsilon_t``. A distribution after ``\sim`` is a sampling statement, read as before.

Example (refused, caret on the call)::

    u = -\alpha (g + N(0, \sigma^2))
"""

from __future__ import annotations

from ..errors import ParseError
from ..source import Span
from . import ast

RULE = "gaussian-as-a-value"


def _normal(node: ast.Node) -> bool:
    """``N(0, v)``, ``\\mathcal{N}(0, v)``: two arguments, the first the number 0."""
    if not isinstance(node, ast.Call) or len(node.args) != 2:
        return False
    func = node.func
    while isinstance(func, ast.Font):
        func = func.body
    first = node.args[0]
    return (
        isinstance(func, ast.Letter)
        and func.name == "N"
        and isinstance(first, ast.Number)
        and first.text.strip() in ("0", "0.0")
    )


def check(text: str, statements: list[ast.Statement]) -> None:
    """Refuse the first normal distribution written as a value in an equation."""
    for s in statements:
        if not isinstance(s, ast.Definition):
            continue
        for x in ast.walk((s.rhs, s.claims)):
            if _normal(x):
                written = " ".join(text[x.span.start : x.span.end].split())
                raise ParseError(
                    f"{written}: a normal distribution (mean 0) written as a value, a draw of "
                    "noise: papermath reads a draw as a symbol of its own, sampled (\\epsilon "
                    "\\sim \\mathcal{N}(0, I)), and read as a call N would be a learnable "
                    "function",
                    span=Span(x.span.start, x.span.end),
                    hint="name the draw, \\epsilon_t \\sim \\mathcal{N}(0, I), and write the noise "
                    "as its standard deviation times it, s_t \\epsilon_t, with s_t \\in "
                    "\\mathbb{R} (s_t^2 the variance)",
                )
