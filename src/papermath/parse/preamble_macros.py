r"""Notation rule ``preamble-macros``: a book's macros for bold vectors and matrices, ``\Vx``,
``\MW``, ``\Vtheta``, defined in its preamble and not in the text: refused, with the hint that
says how to give them.

What people write (the Deep Learning book, Goodfellow, Bengio and Courville, and its Chinese
edition ``exacity/deeplearningbook-chinese``, whose ``math_symbol.tex`` defines ``\Vx`` as a
bold italic x and ``\MW`` as a bold W)::

     \Va^{(t)} &= \Vb + \MW \Vh^{(t-1)} + \MU \Vx^{(t)}, \\
      \Vh^{(t)} &= \tanh(\Va^{(t)} ),

How papermath reads it: it does not guess a macro (``\Vx`` is a vector by the book's own
definition, which the text does not hold). An unknown command whose name is one capital letter
followed by one letter or a Greek letter's name is refused as a macro the source defines
elsewhere, the caret on it, with the hint to pass the source's definitions: ``--macros FILE``
(a file of its ``\newcommand`` lines, as the book's ``math_symbol.tex`` has them), or the same
lines before the equations. Given so, they read.

Example (refused)::

    \Vh^{(t)} = \tanh(\MW \Vh^{(t-1)} + \MU \Vx^{(t)})
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..source import Span

__all__ = ["refusal"]

_GREEK = (
    "alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu"
    "|xi|pi|rho|sigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma"
    "|Phi|Psi|Omega"
)
_MACRO = re.compile(rf"[A-Z](?:[A-Za-z]|{_GREEK})")


def refusal(name: str, written: str, span: Span) -> ParseError | None:
    """The refusal of ``\\Vx`` (``name`` "Vx"), a preamble's macro; None for another name."""
    if not _MACRO.fullmatch(name):
        return None
    return ParseError(
        f"unknown command {written}: not a LaTeX command, but a macro the source defines "
        "elsewhere (a book's preamble: \\Vx for a bold vector x, \\MW for a bold matrix W, in "
        "the Deep Learning book's notation); papermath does not guess what it means",
        span=span,
        hint=f"give the source's definitions: --macros FILE, a file of its \\newcommand lines "
        f"(\\newcommand{{{written}}}{{...}} as the source's preamble has it), or the same "
        "lines before the equations",
    )
