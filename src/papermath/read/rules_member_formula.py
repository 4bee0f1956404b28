# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``member-formula`` (the reader's half; the equation's form is found by
parse/member_formula.py): one equation ``v_j = f(s_j)`` whose right side holds no value but
ones carrying the left side's letter is written for one member j of a family and holds for
every j: j is the family's index (one value per member; the shapes given are one member's), as
read/rules_family.py reads a letter the prose says ranges over capsules. Read as a label, the
right side would hold no input, every value in it learned: no source writes that as a formula
of its model. The reading says so. Code is not generated for such a family yet (refused by
name, as for read/rules_family.py's): the members are no graph's nodes.

Example that reads (labml's capsule squash, a whole source)::

    $$\mathbf{v}_j = \frac{{\lVert \mathbf{s}_j \rVert}^2}{1 + {\lVert \mathbf{s}_j \rVert}^2} \frac{\mathbf{s}_j}{\lVert \mathbf{s}_j \rVert}$$
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.doubts import STEP
from ..parse.member_formula import member_letter
from .rules_pairs import SET_PREFIX

if TYPE_CHECKING:
    from .reader import Reader


def index(reader: Reader, statements: list[ast.Statement]) -> None:
    """Add the letter of a lone equation ``v_j = f(s_j)`` as a family's index (the module)."""
    definitions = [s for s in statements if isinstance(s, ast.Definition)]
    if len(definitions) != 1 or any(isinstance(s, ast.Declaration) for s in statements):
        return  # as parse/doubts.py asks: other equations or declarations decide j
    st = definitions[0]
    letter = member_letter(st)
    if (
        letter is None
        or letter == STEP  # h_t = o_t \odot \tanh(C_t): the step's letter, its own rules
        or letter in reader.out.indices
        or not isinstance(st.lhs, ast.Sub)
    ):
        return
    shown = " ".join(reader.source.snippet(st.lhs.span).split())
    reader.add_index(
        letter,
        "node",
        f"every value the right side of {shown} uses carries {letter}: the formula is written "
        f"for one member {letter} of a family and holds for each (read as a label, the right "
        "side would hold no input, only learned values) (member-formula)",
        st.lhs.script.span,
        f"{SET_PREFIX}{letter}",
    )
