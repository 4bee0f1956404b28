r"""Notation rule ``font-letters`` (a refusal's hint): ``\boldsymbol{UX}``, ``\mathbf{VXAD}^{-1}``,
several letters set in one font command where a value stands.

What people write (NYU's Deep Learning course notes, a GCN in matrix form, whose other
equations write the same products letter by letter, ``\boldsymbol{U}\boldsymbol{x}``)::

    \boldsymbol{H}=f(\boldsymbol{UX}+ \boldsymbol{VXAD}^{-1})

How papermath reads it: not read. In LaTeX each letter in ``\boldsymbol{UX}`` is its own
symbol, set bold (a product U X, as the notes mean); in others' sources a bold or roman group of
letters is one name (``\mathbf{out}``, ``\mathrm{FFN}``), and which one the author meant the
letters alone do not say (and where a script follows, ``\boldsymbol{VXAD}^{-1}``, whether it
is on the last letter or the whole product). Refused at the group, as before, but with the
hint that names both readings and how to write each (the general hint said only "a value is
a symbol, a number, or an operation"): each letter in its own font command for a product,
``\text{UX}`` for one name.

Example (refused, caret on the group): ``H = f(\boldsymbol{UX} + b)``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast

if TYPE_CHECKING:
    from .reader import Reader

RULE = "font-letters"

__all__ = ["RULE", "hint"]

# the letters of the group, with its braces
_LETTERS = re.compile(r"\{\s*([A-Za-z]{2,8})\s*\}")


def hint(reader: Reader, node: ast.Node) -> str | None:
    """The hint for a group of letters in one font command (see the module), or None."""
    if not isinstance(node, ast.Font):
        return None
    written = reader.source.snippet(node.body.span).strip()
    m = _LETTERS.fullmatch(written) or re.fullmatch(r"([A-Za-z]{2,8})", written)
    if m is None:
        return None
    letters, font = m.group(1), node.font
    each = "".join(f"\\{font}{{{c}}}" for c in letters)
    return (
        f"several letters in one \\{font}: if they are symbols multiplied (as LaTeX sets "
        f"them), give each its own, {each}; if they are one name, write \\text{{{letters}}}"
    )
