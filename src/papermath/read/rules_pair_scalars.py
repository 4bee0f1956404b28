r"""Notation rule ``pair-scalars-said``: a layer written one neuron at a time, where the prose
says that the values with two indices and with one are numbers (scalars), as a capsule
walkthrough recalls a fully connected layer:

    The output of each neuron is computed from the output of the neurons from the previous
    layer:

    $$ z_j = \sum_i W_{ij} x_i, \quad y_j = ReLU(z_j) $$

    where $W_{ij}, z_j$ and $y_i$ are all scalars

How papermath reads it: the words say ``W_{ij}`` (a value with two indices) and ``z_j``,
``y_i`` (values with one of the two) are scalars, and a sum binds one of the letters (``\sum_i``)
over the value with two: i and j pick members of two sets (the neurons of two layers), one
number for each member (``z_j``, ``x_i``) and one for each pair (``W_{ij}``), as the rule
``value-per-pair`` (read/rules_pairs.py) reads capsules with one vector per member. The shapes
given are one member's and one pair's (numbers), as for any value written with its index
(``h_v`` of a graph's nodes); the values the prose names are declared numbers. Code for values
per pair is not generated (the rule ``value-per-pair``'s refusal, with its hint).

Only where the words name, in one sentence ending "are (all) scalars", the value with both
letters and a value with one of them alone, and a sum binds one of the two over the value with
both; letters that are steps, positions or graph nodes are not taken.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

RULE = "pair-scalars-said"

_SCALARS = re.compile(r"\b(?:are|is)\s+(?:all\s+)?(?:real\s+)?(?:numbers|scalar[a-z]*)\b", re.I)
_NAMED = re.compile(r"^\s*(\\?[A-Za-z]+)\s*_\s*(?:\{\s*([a-z])\s*,?\s*([a-z])?\s*\}|([a-z]))\s*$")


def said(reader: Reader) -> list[tuple[str, tuple[str, ...], str]]:
    """(the symbol's letter as written, its index letters, the words) for every symbol the
    prose lists in a sentence that ends "are (all) scalars": ``$W_{ij}, z_j$ and $y_i$ are
    all scalars`` -> [(W, (i, j), ...), (z, (j,), ...), (y, (i,), ...)]."""
    text = reader.source.text
    out: list[tuple[str, tuple[str, ...], str]] = []
    for m in _SCALARS.finditer(text):
        start = max(text.rfind(". ", 0, m.start()), text.rfind("\n\n", 0, m.start()), 0)
        sentence = text[start : m.end()]
        fragments = re.findall(r"\$([^$]+)\$", sentence)
        words = " ".join(sentence.strip(". \n").split())
        for fragment in fragments:
            for piece in fragment.split(","):
                named = _NAMED.match(piece)
                if named is None:
                    continue
                letters = tuple(x for x in named.groups()[1:] if x)
                out.append((named.group(1).lstrip("\\"), letters, words))
    return out


def members(
    reader: Reader,
    statements: list[ast.Statement],
    pairs: list[tuple[str, tuple[str, str]]],
    summed: dict[str, str],
    taken: set[str],
) -> dict[str, str]:
    """letter -> why, for the letters of values per pair the prose says are numbers (see the
    module); the values it names are declared numbers. ``pairs``: (the written base, its two
    letters) of every value with two indices."""
    named = said(reader)
    if not named:
        return {}
    alone = {(base, letters[0]): words for base, letters, words in named if len(letters) == 1}
    both = {(base, letters): words for base, letters, words in named if len(letters) == 2}
    out: dict[str, str] = {}
    for base, pair in pairs:
        words = both.get((base, pair))
        a, b = pair
        if words is None or a == b or {a, b} & taken or not {a, b} & summed.keys():
            continue
        said_one = [f"{x}_{letter}" for (x, letter) in alone if letter in pair]
        if not said_one:
            continue
        x = next(x for x in (a, b) if x in summed)
        why = (
            f"the words '{words}' say {base}_{{{a}{b}}} and {', '.join(sorted(said_one))} are "
            f"numbers, and {summed[x]} sums over {x}: {a} and {b} pick members of two sets (one "
            f"number each, one per pair), not the entries of vectors written whole "
            f"({RULE})"
        )
        out.setdefault(a, why)
        out.setdefault(b, why)
    if out:
        span = statements[0].span
        for base, letters, _ in named:
            if set(letters) <= out.keys():
                reals = ast.Font(span, "mathbb", ast.Letter(span, "R"))
                reader.declare(base, reals, span)
    return out
