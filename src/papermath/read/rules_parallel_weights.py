r"""Notation rule ``weight-written-alike``: two terms of one sum, each a product that ends (or
starts) with a matrix one per step written alike (``{W^{(k)}}^T`` and ``{B^{(k)}}^T``), one of
them a weight by its letter: the other is a weight too, one per step.

What people write (Distill's "Understanding Convolutions on Graphs": the GCN update, the
neighbours' mean through W^{(k)} and the node's own embedding through B^{(k)})::

    h^{(k)} = D^{-1} A \cdot h^{(k - 1)} {W^{(k)}}^T + h^{(k - 1)} {B^{(k)}}^T

How papermath reads it: a symbol indexed by a step is, by the letter conventions, data given at
each step (an input, as x_t), unless its letter names a weight (W, U, V, \Theta: one per step,
learned). Here B^{(k)} stands where W^{(k)} stands: the last factor of a term of the same sum,
with the same step index and written the same way (both transposed, or neither), each
multiplying a value by the matrix product. The source gives the two one role: B^{(k)} is a
learned weight per step as W^{(k)} is (the readings say which weight it is written alike with;
`% papermath: B is input` says otherwise). The mirrored form reads the same (``W^{(k)} m +
B^{(k)} h``: the first factors).

Read only where the other symbol is defined nowhere, is a capital letter other than X, and is
used nowhere but in such places at that step; anything else keeps the letter conventions.

Examples (each reads; B a parameter per step)::

    h^{(k)} = h^{(k-1)} {W^{(k)}}^T + h^{(k-1)} {B^{(k)}}^T, h^{(k)} \in \mathbb{R}^{n \times d}
    h^{(k)} = \tanh(W^{(k)} h^{(k-1)} + B^{(k)} h^{(k-1)})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

RULE = "weight-written-alike"
WEIGHTS = frozenset({"W", "U", "V", "Theta"})  # the letters that name a weight per step


def _terms(x: t.Term) -> list[t.Term]:
    """The terms of a sum (``a + b - c``: a, b, c)."""
    if isinstance(x, t.Add):
        return [*_terms(x.left), *_terms(x.right)]
    return [x]


def _end(x: t.Term, side: str) -> tuple[t.Sym, bool] | None:
    """The factor at one end of a product (``h W^T``: W, transposed), if the product is a
    matrix product of two factors or more; else None."""
    if not isinstance(x, t.Product) or x.written not in ("juxt", "cdot"):
        return None
    while isinstance(x, t.Product) and x.written in ("juxt", "cdot"):
        x = x.right if side == "right" else x.left
    transposed = isinstance(x, t.Transpose)
    if transposed:
        assert isinstance(x, t.Transpose)
        x = x.body
    if not isinstance(x, t.Sym) or x.step is None or x.offset != 0:
        return None
    return x, transposed


def _sums(x: t.Term) -> list[t.Add]:
    """The sums of ``x`` (outermost first; a nested one's terms are its own)."""
    return [y for y in t.walk(x) if isinstance(y, t.Add)]


def alike(reader: Reader) -> None:
    """Give the kind parameter (noted) to each step-indexed capital letter written where a weight
    letter is, in another term of one sum."""
    defined = {eq.lhs.key for eq in reader.out.equations}
    found: dict[str, tuple[t.Sym, t.Sym]] = {}  # key -> (its use, the weight's use)
    for eq in reader.out.equations:
        for s in _sums(eq.rhs):
            terms = _terms(s)
            for side in ("right", "left"):
                ends = [e for e in (_end(x, side) for x in terms) if e is not None]
                weights = [(w, tr) for w, tr in ends if w.key.split("_")[0] in WEIGHTS]
                for sym, tr in ends:
                    letter = sym.key.split("_")[0]
                    if letter in WEIGHTS or not letter[:1].isupper() or letter in ("X", "I"):
                        continue
                    if sym.key in defined or sym.key in reader.out.directives:
                        continue
                    for w, wtr in weights:
                        if w.step == sym.step and wtr == tr:
                            found.setdefault(sym.key, (sym, w))
    for key, (sym, w) in found.items():
        uses = [
            x
            for eq in reader.out.equations
            for x in t.walk(eq.rhs)
            if isinstance(x, t.Sym) and x.key == key
        ]
        if any(x.step != sym.step or x.offset != 0 or x.node or x.edge for x in uses):
            continue
        written = " ".join(reader.source.snippet(sym.span).split())
        weight = " ".join(reader.source.snippet(w.span).split())
        reader.out.directives[key] = "parameter"
        reader.out.role_notes[key] = (
            f"{written} is written where the weight {weight} is, in another term of the same "
            f"sum (the end factor of a matrix product, one per step {sym.step}): a learned "
            f"weight per step as {weight} is, not data given at each step (another reading: "
            f"`% papermath: {key} is input`)"
        )
