# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``family-index-words`` (the reader's half; the words are found by
parse/family_words.py): a letter the prose says ranges over a family's members ("Loss for each
output capsule or class $k$ is,") and that an equation's left side carries
(``\mathcal{L}_k = T_k \max(0, m^{+} - \lVert\mathbf{v}_k\rVert)^2 + ...``) is the index of
that family: one value per member, the shapes given one member's (as read/rules_pairs.py
gives one capsule's), never a label (which would make ``T_k`` a learned parameter). The
reading quotes the words. Code is not generated for such a family yet (refused by name, as
for values per pair): the members are no graph's nodes, which is the only axis of members
the code generator lays out.

Example that reads (labml's margin loss)::

    Loss for each output capsule or class $k$ is,
    $$\mathcal{L}_k = T_k \max(0, m^{+} - \lVert\mathbf{v}_k\rVert)^2 + \lambda (1 - T_k) \max(0, \lVert\mathbf{v}_k\rVert - m^{-})^2$$
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.family_words import family_letters
from .rules_pairs import SET_PREFIX

NO_CODE_HINT = (
    "code for values per member of a family the prose names (one per capsule or class k) is "
    "not generated yet: papermath reads them for shapes, explain and the readings only"
)

if TYPE_CHECKING:
    from .reader import Reader


def index(reader: Reader, statements: list[ast.Statement]) -> None:
    """Add each letter the words say ranges over a family, where a left side carries it."""
    said = family_letters(reader.source.text)
    if not said:
        return
    for st in statements:
        if not (isinstance(st, ast.Definition) and isinstance(st.lhs, ast.Sub)):
            continue
        script = st.lhs.script
        if not isinstance(script, ast.Letter) or script.name not in said:
            continue
        letter = script.name
        if letter in reader.out.indices:
            continue
        _, words = said[letter]
        shown = " ".join(reader.source.snippet(st.lhs.span).split())
        reader.add_index(
            letter,
            "node",
            f"the prose says '{words}': {letter} picks one member of a family, and {shown} is "
            f"one value per member {letter} (family-index-words)",
            script.span,
            f"{SET_PREFIX}{letter}",
        )
        parts = reader.symbol(st.lhs, quiet=True)
        if parts is not None:
            reader.out.shapes_only.setdefault(parts.key, (st.lhs.span, NO_CODE_HINT))
