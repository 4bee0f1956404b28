r"""Notation rule ``elided-chain-side``: a side of a chain of equalities written with terms left
out, beside a side that computes the same value in full,

    p_w(L) = w_0 I_n + w_1 L + w_2 L^2 + \ldots + w_d L^d = \sum_{i = 0}^d w_i L^i

(Distill's "Understanding Convolutions on Graphs": a polynomial written out, then as its sum).

What it is: the side with ``\ldots`` (``\cdots``, ``\dots``) shows the first terms and the last
of the other side's sum; it cannot be computed as written (what the dots stand for is the
other side). A chain is read from its last computation (parse/chains.py) and every other
computation is a claim checked against it (papermath/chain_check.py).

How papermath reads it: the elided side is not checked (a reading says so, naming the side
the chain is read from); the chain reads from its full side as before. A chain whose only
computation is elided still reads nothing from it (the dots are refused where it is read).

Example (reads; the middle side is not checked)::

    y = a_1 + \ldots + a_n = \sum_{i=1}^{n} a_i, a \in \mathbb{R}^{n}
"""

from __future__ import annotations

from ..parse import ast

RULE = "elided-chain-side"


def elided(claim: ast.Node) -> bool:
    """Whether a chain's claim leaves terms out (``\\ldots`` in it)."""
    return any(isinstance(x, ast.Dots) for x in ast.walk(claim))


def reason(side: str, chosen: str) -> str:
    """What a reading says of an elided side."""
    return (
        f"{side} leaves terms out (the dots stand for the rest of the other side): it is not "
        f"checked; the chain is read from {chosen}, written in full"
    )
