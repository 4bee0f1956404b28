# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``ell-and-l``: ``l`` and ``\ell`` both written as step indices in one
source.

What people write (the UvA deep learning notebooks' GraphConv)::

    \mathbf{x}_i^{(l+1)} = \mathbf{W}^{(l + 1)}_1 \mathbf{x}_i^{(l)} + \mathbf{W}^{(\ell + 1)}_2 \sum_{j \in \mathcal{N}_i} \mathbf{x}_j^{(l)}

``\ell`` is the script letter l. Here it is the same layer index spelled two ways: the left
side is written at ``l`` (x at layer l+1), and ``\ell`` is bound by nothing (no left side is
written at it, no sum runs over it, no declaration names it), so a second index would be
free in an equation whose steps are l: it can only be l. How papermath reads it: where
``\ell`` appears only in superscripts on the right sides (``^{(\ell + 1)}``) and the left
sides are written at ``l``, ``\ell`` is ``l`` (one index), said in the readings. Where
``\ell`` is written on a left side, under a sum or in a declaration (two indices may be
meant: a layer l and a position \ell), papermath refuses, with the caret on the second
index and a hint to write one letter for one index (or two distinct letters for two).

Example (reads):

    x^{(l+1)} = W^{(l+1)} x^{(l)} + U^{(\ell+1)} x^{(l)}

Example (refused, the caret on the second index, l+1):

    x^{(\ell+1)} = W^{(l+1)} x^{(\ell)}, h^{(l+1)} = U h^{(l)}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

RULE = "ell-and-l"


def _letters(node: object, name: str) -> list[ast.Letter]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Letter) and n.name == name]


def _in_superscripts(node: object, name: str) -> list[ast.Letter]:
    """The letters ``name`` inside the superscripts of ``node`` (``^{(\\ell + 1)}``)."""
    return [x for n in ast.walk(node) if isinstance(n, ast.Sup) for x in _letters(n.script, name)]


def _same(node: ast.Node) -> ast.Node:
    if isinstance(node, ast.Letter) and node.name == "ell":
        return ast.Letter(node.span, "l")
    return ast.map_children(node, _same)


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``\\ell`` read as ``l`` where it is the same index spelled two ways (see the module):
    every equation's left side written at ``l`` (not ``\\ell``), every ``\\ell`` of the source
    in a superscript of a right side; else the statements as they are (and the refusal of
    :func:`refusal` where both are step indices)."""
    eqs = [s for s in statements if isinstance(s, ast.Definition)]
    if len(eqs) != len(statements) or not eqs:
        return statements  # a declaration or prose beside them: \ell may be declared there
    ells = [x for s in eqs for x in _letters(s, "ell")]
    if not ells or any(_letters(s.lhs, "ell") for s in eqs):
        return statements
    if not all(_in_superscripts(s.lhs, "l") for s in eqs):
        return statements  # every left side at l (x^{(l+1)}): the steps are l
    if len(ells) != sum(len(_in_superscripts(s.rhs, "ell")) for s in eqs):
        return statements  # \sum_{\ell}, x_\ell: an index of its own may be meant
    spans = [x.span for x in ells]
    reader.note(
        spans[0],
        "\\ell is l",
        "\\ell (the script letter l) is written where the equations' steps are l (their "
        "left sides are at l) and nothing binds it (no left side, sum or declaration): the "
        "same index spelled two ways, read as l",
    )
    return [_same(s) for s in statements]  # type: ignore[misc]


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
