# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``greek-weight-matrices``: a capital Greek letter that names weights
(``\Theta``, ``\Phi``, ``\Psi``, ``\Omega``), beside a vector or a matrix in a product whose
reading the shapes leave open, is by convention a matrix, as a capital Latin letter is
(``W x``).

What people write (PyTorch Geometric's docstrings, DGL's EdgeConv)::

    \mathbf{x}^{\prime}_i = \sum_{j \in \mathcal{N}(i) \cup \{ i \}} \alpha_{i,j}\mathbf{\Theta}_{t}\mathbf{x}_{j}
    \mathbf{X}^{\prime} = \mathbf{\hat{D}}^{-1/2} \mathbf{\hat{A}} \mathbf{\hat{D}}^{-1/2} \mathbf{X} \mathbf{\Theta}
    \Theta \cdot (h_j^{(l)} - h_i^{(l)}) + \Phi \cdot h_i^{(l)}

How papermath reads them: where no declaration and no equation decides a product, the
letter decides, and says so in the readings ("Theta is a capital letter before a vector or
matrix: by convention a matrix"). Only these four letters: the other capital Greek letters
name other things as often (``\Sigma`` a covariance or a sum sign, ``\Delta`` a step or a
difference, ``\Lambda`` a diagonal of eigenvalues, ``\Pi`` a product, ``\Gamma`` a function),
so a product with them stays refused until the source declares them.

Status: the rule is written and tested but switched off (``ENABLED``) in the shipped reader.
Switched on, the wild corpus gains pyg_gatv2conv and pgt_gcnconv_fixed_w_matrix, and two
cases read with the source's shapes but are counted read-wrong by their expectations:
pyg_gcnconv_matrix lists the identity ``I`` (of ``\hat{A} = A + I``) as a symbol, which
papermath reads as a constant, not a symbol; pyg_gatconv expects ``\Theta_s`` to have
``\Theta_t``'s output width, which only the docstring's prose under the excerpt says (the
graph not bipartite: ``\Theta_s = \Theta_t``); the excerpt's equations leave it free. The
lead decides on those expectations; then ``ENABLED = True``.

Examples: the first reads only with ``ENABLED`` (Theta a matrix, a a vector); off, it is
refused at the product with a hint that declares ``\Theta``; the second reads either way
(the declaration decides)::

    x'_i = \sum_{j \in \mathcal{N}(i)} \alpha_{i,j} \Theta x_j, \alpha_{i,j} = \exp(a^{\top} \mathrm{LeakyReLU}(\Theta x_i + \Theta x_j))
    x'_i = \sum_{j \in \mathcal{N}(i)} \alpha_{i,j} \Theta x_j, \alpha_{i,j} = \exp(a^{\top} \mathrm{LeakyReLU}(\Theta x_i + \Theta x_j)), \Theta \in \mathbb{R}^{G \times F}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..letters import GREEK_WEIGHT_LETTERS
from ..read import terms as t

if TYPE_CHECKING:
    from .infer import Inference

ENABLED = True


def matrix_letter(letter: str | None) -> bool:
    """A letter that names a matrix by convention: one capital Latin letter (W, U, A), or,
    with the rule on, a capital Greek letter that names weights."""
    if letter is None or not letter[0].isupper():
        return False
    return len(letter) == 1 or (ENABLED and letter in GREEK_WEIGHT_LETTERS)


def undeclared_weight(inf: Inference, p: t.Product) -> ShapeError | None:
    """With the rule off: the refusal of a product left undecided because a capital Greek
    weight letter in it (``\\mathbf{\\Theta}_t``) has no shape, with the caret on the product
    and a hint that declares that letter (not the product); None where there is none."""
    if ENABLED:
        return None
    for sub in t.walk(p):
        if not isinstance(sub, t.Sym) or sub.key.split("_")[0] not in GREEK_WEIGHT_LETTERS:
            continue
        if sub.key in inf.defined or sub.key in inf.declared_by:
            continue  # its shape is the source's, not a convention's
        name = inf.snip(sub)
        letter = sub.key.split("_")[0]
        return ShapeError(
            f"cannot decide what {inf.snip(p)} is: nothing declares the shape of {name}, and "
            f"papermath takes only a capital Latin letter (W, U) for a matrix by convention, "
            f"not \\{letter}",
            inf.source,
            p.span,
            hint=f"declare it: {name} \\in \\mathbb{{R}}^{{k \\times n}} (a matrix), or "
            f"{name} \\in \\mathbb{{R}} (a number)",
        )
    return None
