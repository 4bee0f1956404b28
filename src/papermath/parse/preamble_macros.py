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
from . import dlbook_notation

__all__ = ["notation_file", "refusal"]

_GREEK = (
    "alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu"
    "|xi|pi|rho|sigma|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma"
    "|Phi|Psi|Omega"
)
_MACRO = re.compile(rf"[A-Z](?:[A-Za-z]|{_GREEK})")


def refusal(name: str, written: str, span: Span, text: str = "") -> ParseError | None:
    """The refusal of ``\\Vx`` (``name`` "Vx"), a preamble's macro; None for another name.
    ``text``: the source, whose ``% macros: dlbook-zh`` line says the book's set was chosen
    (the set does not define this one: ``\\Vxi``)."""
    if not _MACRO.fullmatch(name):
        return None
    if re.search(r"^[ \t]*%[ \t]*macros[ \t]*:[ \t]*dlbook-zh\b", text, re.MULTILINE):
        return ParseError(
            f"unknown command {written}: the Deep Learning book's preamble (the macro set "
            f"dlbook-zh, {dlbook_notation.ORIGIN}) does not define it; papermath does not "
            "guess what it means",
            span=span,
            hint=f"write what it typesets (\\boldsymbol{{...}}), or define it before the "
            f"equations: \\newcommand{{{written}}}{{...}}",
        )
    return ParseError(
        f"unknown command {written}: not a LaTeX command, but a macro the source defines "
        "elsewhere (a book's preamble: \\Vx for a bold vector x, \\MW for a bold matrix W, in "
        "the Deep Learning book's notation); papermath does not guess what it means",
        span=span,
        hint=f"give the source's definitions: --macros FILE, a file of its \\newcommand lines "
        f"(\\newcommand{{{written}}}{{...}} as the source's preamble has it), or the same "
        "lines before the equations"
        + (
            "; for the Deep Learning book's Chinese edition, whose preamble papermath knows "
            "and defines it, a line `% macros: dlbook-zh` (or --macros dlbook-zh)"
            if written in dlbook_notation.table()
            else ""
        ),
    )


def notation_file(name: str, written: str, span: Span) -> ParseError | None:
    """The refusal of an unknown ``\\vx``, ``\\mW`` the Deep Learning book's public notation
    file (math_commands.tex) defines, saying so; None for a name it does not define."""
    if written not in dlbook_notation.english_table():
        return None
    body = dlbook_notation.english_table()[written][1]
    return ParseError(
        f"unknown command {written}: not a LaTeX command, but a macro of a preamble: the Deep "
        f"Learning book's notation file (goodfeli/dlbook_notation math_commands.tex, which "
        f"its authors publish for anyone to use) defines it as {body}; papermath does not guess "
        "that the text uses that file",
        span=span,
        hint="if the text uses the book's notation file, a line `% macros: dlbook` (or "
        f"--macros dlbook); else the source's own definition before the equations "
        f"(\\newcommand{{{written}}}{{...}})",
    )
