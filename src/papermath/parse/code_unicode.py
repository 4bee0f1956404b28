r"""Notation rule ``code-unicode-greek``: Unicode Greek letters and the Unicode minus in a
formula written as code, read as the names and the operator they stand for.

What people write (the Element-Research rnn README, Lua pseudo-code in a ```lua fence)::

    ```lua
    z[t] = σ(W[x->z]x[t] + W[s->z]s[t−1] + b[1->z])
    ```

How papermath reads it: a Greek letter typed as itself (``σ``, ``α``, ``β``) in code is the
letter LaTeX spells ``\sigma``, ``\alpha``, ``\beta`` (the name ``sigma`` in code), and
``−`` (U+2212, MINUS SIGN) is ``-``: typeset characters of the same formula, not other
symbols. Any other character outside ASCII stays refused where it stands.

A LaTeX command inside code other than ``\sum`` (``\frac{1}{n}`` in a ```lua block) is
refused with the caret on the whole command: the line mixes two notations, and papermath
reads a line as one or the other. ``\sum`` alone, as the Torch nn docs write it (``loss(x, y)
= 1/n \sum |x_i - y_i|``), reads: parse/code_sums.py.

Examples (each a whole source)::

    ```lua
    y = σ(a − b)
    ```
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

__all__ = ["GREEK", "MINUS", "latex_command", "token"]

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda",
    "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}  # fmt: skip
MINUS = "\u2212"


def token(char: str) -> tuple[str, str] | None:
    """The token a character outside ASCII stands for in code, (kind, text); None: refused.

    >>> token("σ"), token("\u2212"), token("é")
    (('name', 'sigma'), ('op', '-'), None)
    """
    if char in GREEK:
        return "name", GREEK[char]
    if char == MINUS:
        return "op", "-"
    return None


_COMMAND = re.compile(r"\\[A-Za-z]+")


def latex_command(text: str, pos: int) -> ParseError | None:
    """The refusal of a LaTeX command (``\\sum``) at ``pos`` inside code, else None."""
    m = _COMMAND.match(text, pos)
    if m is None:
        return None
    return ParseError(
        f"a LaTeX command ({m.group()}) inside a formula written as code: the line mixes "
        "LaTeX and code, and papermath reads a line as one or the other",
        span=Span(m.start(), m.end()),
        hint="write the line as LaTeX between $$ ... $$ (\\sum_{i=1}^{n}, x_i), or as code "
        "(sum(abs(x - y)) / n)",
    )
