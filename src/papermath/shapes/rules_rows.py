# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``transposed-row``: a lowercase letter written transposed (``\mathbf{a}^{\top}``)
whose shape nothing else fixes is a vector, and its transpose a row (1 x n); a row before a
matrix or a vector is a matrix product (a row, then a number).

What people write (PyTorch Geometric's GATConv and GATv2Conv docstrings, GAT's ``\vec{a}^T``)::

    \mathbf{a}^{\top}_{s} \mathbf{\Theta}_{s}\mathbf{x}_i
    \mathbf{a}^{\top}\mathrm{LeakyReLU}\left(\mathbf{\Theta}_{s} \mathbf{x}_i + \mathbf{\Theta}_{t} \mathbf{x}_j\right)

How papermath reads them: a lowercase letter is by convention a vector; written transposed,
it is that vector's row. So ``a^T v`` with v a vector is their dot product (a number, as
``x^T y``), and ``a^T \Theta x`` is the row ``a^T \Theta`` (1 x k) times x: a number again,
never ``a`` made a matrix with one column nor ``(a^T \Theta)`` made a column and multiplied
elementwise by x. Where a declaration or an equation gives ``a`` a shape, that shape is read
instead (the rule speaks only while ``a``'s shape is open).

Examples (each reads; the score e is a number, a a vector)::

    e = \mathbf{a}^{\top} \mathrm{LeakyReLU}(W x), x \in \mathbb{R}^{n}
    e = a^{\top} W x, x \in \mathbb{R}^{n}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..letters import GREEK_LOWER
from ..read import terms as t
from ..read.reader import Reading
from .sizes import Size

if TYPE_CHECKING:
    from .infer import Inference

REASON = (
    "{a} is a lowercase letter transposed: by convention a vector, so {a}^T is a row (1 x n) "
    "(declare it to override)"
)


def open_transposed_vector(inf: Inference, term: t.Term) -> t.Sym | None:
    """The symbol of ``a^T`` where a is a lowercase Latin letter (by convention a vector)
    whose shape is still open; else None."""
    if not isinstance(term, t.Transpose) or not isinstance(term.body, t.Sym):
        return None
    sym = term.body
    letter = sym.key.split("_")[0]
    if len(letter) != 1 or not letter.islower() or letter in GREEK_LOWER:
        return None
    if inf.rank(sym) is not None or inf.rank(term) is not None:
        return None
    if sym.key in inf.defined:
        return None
    return sym


def bind_row(inf: Inference, tr: t.Term, at: t.Term) -> bool:
    """Bind ``a^T`` (an open lowercase letter, transposed) as the row of a vector: a is
    (n,) and a^T (1, n). False where the rule does not apply."""
    sym = open_transposed_vector(inf, tr)
    if sym is None:
        return False
    size = inf.engine.fresh_size()
    inf.bind(sym, (size,), at, "", "")
    inf.bind(tr, (Size.const(1), size), at, "", "")
    return True


def note_row(inf: Inference, sym: t.Sym | None) -> None:
    """Say the row reading of ``a^T`` once its product is decided and ``a`` is a vector (the
    trials of the other readings are undone, so only the product taken speaks)."""
    if sym is None or inf.rank(sym) != 1:
        return
    inf.read.readings.append(
        Reading(sym.span, inf.snip(sym), "shape by convention", REASON.format(a=sym.key))
    )


def row_convention(inf: Inference, p: t.Product, viable: list[str]) -> tuple[str, str] | None:
    """``a^T X`` with a an open lowercase letter: a matrix product of a^T (a row) and X."""
    if "matmul" not in viable or open_transposed_vector(inf, p.left) is None:
        return None
    assert isinstance(p.left, t.Transpose) and isinstance(p.left.body, t.Sym)
    return "matmul", REASON.format(a=p.left.body.key)
