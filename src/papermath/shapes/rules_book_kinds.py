r"""Notation rule ``book-kinds``: a symbol written with the Deep Learning book's macros, whose
kind the book states (``\Vtheta``, ``\vtheta``: a vector; ``\Sa``: a scalar), that nothing
declares or forces, where papermath's letter convention would give it another rank: refused.

What people write (the Deep Learning book, 8.3 and 8.7; its Chinese edition's preamble
defines ``\Vtheta`` as ``\boldsymbol{\theta}``)::

    % macros: dlbook-zh
    \Vtheta_{t+1} = \Vtheta_t + \epsilon^* \Vrho_t

The book's notation page says a bold lowercase letter is a vector and an italic one a scalar
(goodfeli/dlbook_notation ``notation.tex``: "a: A scalar", "\va: A vector", "\mA: A matrix");
its macro files group the macros so (``% Vector``, ``% Matrix``, ``% Scala``, ``% Random
Vector``, ...; the Chinese file's ``\V`` + Greek block has no heading, and is the ``\V`` family
of vectors by its name). papermath does not take a font as a declaration (NOTATION.md: fonts
do not change the name), so it reads ``\Vtheta`` as the letter theta, and where nothing shapes
it, theta's convention (a Greek letter: a scalar) would decide. That would contradict the
book, so papermath refuses, with the caret on the symbol and a hint to declare it. Where the
equations force a shape, or the letter's convention agrees with the book's kind (``\Vx`` a
vector, ``\MW`` a matrix), the rule says nothing.

Example (refused): ``% macros: dlbook-zh`` then ``\Vtheta_{t+1} = \Vtheta_t + \epsilon \Vrho_t``
(caret on ``\Vrho_t``: rho, a bold Greek letter, would be a scalar by convention).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..parse import dlbook_notation

if TYPE_CHECKING:
    from .infer import Inference

RULE = "book-kinds"

_CHOSEN = re.compile(r"^[ \t]*%[ \t]*macros[ \t]*:[ \t]*(dlbook-zh|dlbook)\b", re.MULTILINE)

# the file's section headings, and the rank each says (None: a tensor, more than 2 axes)
_SECTIONS: dict[str, tuple[str, int | None]] = {
    "Scala": ("a scalar", 0),
    "Vector": ("a vector", 1),
    "Matrix": ("a matrix", 2),
    "Tensor": ("a tensor", None),
    "Tensor Element": ("a scalar (an entry of a tensor)", 0),
    "Random Scala": ("a scalar random variable", 0),
    "Random Vector": ("a vector-valued random variable", 1),
    "Random Matrix": ("a matrix-valued random variable", 2),
    "Vectors": ("a vector", 1),
    "Elements of vectors": ("a scalar (an element of a vector)", 0),
    "Random variables": ("a scalar random variable", 0),
    "Random vectors": ("a vector-valued random variable", 1),
    "Elements of random vectors": ("a scalar (an element of a random vector)", 0),
    "Random matrices": ("a matrix-valued random variable", 2),
    "Elements of random matrices": ("a scalar (an entry of a random matrix)", 0),
    "Entries of a matrix": ("a scalar (an entry of a matrix)", 0),
    "entries of a tensor": ("a scalar (an entry of a tensor)", 0),
}
_FONT = re.compile(r"\\(?:boldsymbol|bm|mathbf|mathit|mathrm|textsf|textit|textbf|textnormal)\b")


@cache
def kinds(name: str) -> dict[str, tuple[str, str, int | None]]:
    """For the set ``name``: a macro's body as it stands in the text (outer braces off) ->
    (the macro, the book's kind in words, its rank); only bodies with a font command (a bare
    ``{a}`` is any a)."""
    table = dlbook_notation.table() if name == "dlbook-zh" else dlbook_notation.english_table()
    out: dict[str, tuple[str, str, int | None]] = {}
    for macro, (arity, body, section) in table.items():
        said = _SECTIONS.get(section)
        if said is None and name == "dlbook-zh" and re.fullmatch(r"\\V[a-z]+", macro):
            said = ("a vector (the file's \\V family)", 1)  # \Vtheta: the unheaded \V block
        if said is None or arity or not _FONT.search(body):
            continue
        shown = body[1:-1] if body.startswith("{") and body.endswith("}") else body
        out[shown] = (macro, *said)
    return out


def refusal(inf: Inference, key: str, rank: int) -> ShapeError | None:
    """The refusal of giving ``key`` its letter's ``rank`` where the book's macro it was
    written with says another kind (module docstring); None elsewhere."""
    text = inf.source.text
    chosen = _CHOSEN.search(text)
    span = inf.read.first_span.get(key)
    if chosen is None or span is None:
        return None
    written = text[span.start : span.end].lstrip("{ ")
    for body, (macro, kind, book_rank) in kinds(chosen.group(1)).items():
        if written.startswith(body) and book_rank != rank:
            words = {0: "a scalar", 1: "a vector", 2: "a matrix"}.get(rank, "?")
            return ShapeError(
                f"nothing declares or forces the shape of {key}, written {macro} in the Deep "
                f"Learning book's notation, which makes it {kind}; papermath reads fonts as "
                f"the letter, whose convention would make it {words}: papermath does not guess "
                "which",
                inf.source,
                span,
                hint=f"declare {key}: {key} \\in \\mathbb{{R}}^{{n}} (a vector of n), "
                f"{key} \\in \\mathbb{{R}} (a scalar) or {key} \\in \\mathbb{{R}}^{{m \\times n}}",
            )
    return None
