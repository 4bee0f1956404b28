# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``ell-and-l`` (a refusal): ``l`` and ``\ell`` both written as step indices
in one source.

What people write (the UvA deep learning notebooks' GraphConv)::

    \mathbf{x}_i^{(l+1)} = \mathbf{W}^{(l + 1)}_1 \mathbf{x}_i^{(l)} + \mathbf{W}^{(\ell + 1)}_2 \sum_{j \in \mathcal{N}_i} \mathbf{x}_j^{(l)}

``\ell`` is the script letter l. Here it is the same layer index spelled two ways, but a
source may also mean two indices (a layer ``l`` and a position ``\ell``). Two step indices
are otherwise refused with the hint for a deep RNN ("l and t are layers and time steps"),
which is no help here.

How papermath reads it: it refuses, with the caret on the second index, saying that ``\ell``
may be ``l`` written as a script letter, and the hint says to write one letter for the index
everywhere (or two distinct letters if two indices are meant). Nothing is guessed: which one
is meant decides whether the equation is one recurrence or two.

Example (refused, caret on ``\ell + 1``)::

    x^{(l+1)} = W^{(l+1)} x^{(l)} + U^{(\ell+1)} x^{(l)}
"""

from __future__ import annotations

RULE = "ell-and-l"


def refusal(letters: tuple[str, str]) -> tuple[str, str] | None:
    """(message, hint) where the two step letters are ``l`` and ``\\ell``; else None."""
    if set(letters) != {"l", "ell"}:
        return None
    return (
        "l and \\ell are both written as step indices: \\ell is the script letter l, so this "
        "may be one index spelled two ways, or two indices (a layer and another step); "
        "papermath does not guess which",
        "write one letter for the index everywhere (l or \\ell) where one index is meant; "
        "two letters that differ (l and t) where two are",
    )
