# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``cdot-elementwise-by-declaration``: ``\cdot`` between vectors read as the
elementwise product where the declared shapes rule out every other reading.

What people write (Highway Networks, eq. 3; an LSTM's cell written with dots)::

    \mathbf{y} = H(\mathbf{x}) \cdot T(\mathbf{x}) + \mathbf{x} \cdot (1 - T(\mathbf{x}))
    c_t = f_t \cdot c_{t-1} + i_t \cdot g_t

By the conventions, ``\cdot`` between two vectors of one size is their dot product, one
number. Many papers write it for the elementwise product. Usually papermath cannot tell
which one is meant and refuses (shapes/rules_products.py). Sometimes the source's own
declarations decide it.

How papermath reads it: the equation's left side is declared a vector, and its right side
is ``a \cdot b``, or a sum whose terms are numbers and ``\cdot`` products of two vectors.
Reading every one of those ``\cdot`` as a dot product makes the right side one number,
which the declaration rules out. Reading one ``\cdot`` one way and another the other way
is no reading of one written operator. Matrix products and scalings need other shapes.
So the elementwise product is the only reading left. It is taken where it fits the shapes
as they are, and the readings say what decided it.

Still refused (rules_products.py): a sum with any other vector term (``f_t \cdot c_{t-1} +
i_t \odot g_t``: a dot product's number, broadcast, fits too); a left side not declared; a
``\cdot`` under a function or another product; operands whose shapes are not both vectors.

Examples (each reads; y, a, b vectors of one size)::

    y = a \cdot b, y \in \mathbb{R}^{n}, a \in \mathbb{R}^{n}, b \in \mathbb{R}^{n}
    c_t = f_t \cdot c_{t-1} + i_t \cdot g_t, c_t \in \mathbb{R}^{H}, f_t \in \mathbb{R}^{H}, i_t \in \mathbb{R}^{H}, g_t \in \mathbb{R}^{H}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..read import terms as t
from .engine import Stuck

if TYPE_CHECKING:
    from .infer import Inference

RULE = "cdot-elementwise-by-declaration"
WRITTEN = ("cdot", ".")


def _path(root: t.Term, target: t.Term) -> list[t.Term] | None:
    """The terms from ``root`` down to ``target`` (both included), or None."""
    if root is target:
        return [root]
    for c in t.children(root):
        below = _path(c, target)
        if below is not None:
            return [root, *below]
    return None


def _summands(term: t.Term) -> list[t.Term]:
    if isinstance(term, t.Add):
        return _summands(term.left) + _summands(term.right)
    if isinstance(term, t.Neg):
        return _summands(term.body)
    return [term]


def forced(inf: Inference, p: t.Product, early: bool = False) -> bool:
    """Take the elementwise reading of ``p`` where the declared left side rules out the dot
    product (module docstring); True where taken. ``early``: before the product's own
    readings are tried (two vectors: the dot product alone would fit it, and the sum clash
    after); else where no reading of ``\\cdot`` fits it (the sum shaped it first)."""
    if p.written not in WRITTEN:
        return False
    if early and (inf.rank(p.left), inf.rank(p.right)) != (1, 1):
        return False
    eq = next(
        (e for e in inf.read.equations if _path(e.rhs, p) is not None),
        None,
    )
    if eq is None or not isinstance(eq.lhs, t.Sym):
        return False
    by_role = any(eq.lhs.key in keys for keys, _ in inf.read.role_vectors)  # rules_running_average
    if eq.lhs.key not in inf.declared_by and not by_role:
        return False
    if inf.rank(eq.lhs) != 1:
        return False
    path = _path(eq.rhs, p)
    assert path is not None
    if not all(isinstance(x, t.Add | t.Neg) for x in path[:-1]):
        return False  # under a function or another product: its value is not the sum's term
    dots, unknown = [], False
    for term in _summands(eq.rhs):
        if inf.rank(term) == 0:
            continue  # a number: a dot product's sum with it is a number still
        if not (isinstance(term, t.Product) and term.written in WRITTEN):
            return False  # a vector term of its own: a dot product broadcast fits (refused)
        ranks = (inf.rank(term.left), inf.rank(term.right))
        if any(r not in (None, 1) for r in ranks):
            return False  # a scaling or a matrix product: not the question of this rule
        unknown = unknown or None in ranks
        dots.append(term)
    if unknown:  # x \cdot (1 - T(x)) before (1 - T(x)) is shaped: a scaling, if a number
        if inf.mode != "default" and not early:
            raise Stuck  # other rules may shape it first
        return False
    if not inf.fits(p, "hadamard", strict=True):
        return False
    lhs = inf.snip(eq.lhs)
    others = (
        "is the whole right side"
        if len(dots) == 1 and eq.rhs is p
        else "and the other terms of the sum are \\cdot products of two vectors or numbers"
    )
    reason = (
        f"{inf.snip(p)} {others}: read as dot products they give one number, but {lhs} is "
        f"{'a vector by its role' if by_role else 'declared ' + inf.shown(eq.lhs)}; a matrix "
        "product or a scaling needs other shapes, "
        "so the elementwise product is the only reading the declarations leave "
        f"(rule {RULE}, shapes/rules_dot_elementwise.py)"
    )
    inf.settle(p, "hadamard", reason)
    return True
