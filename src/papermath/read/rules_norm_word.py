r"""Notation rule ``norm-word``: ``\mathrm{norm}(x)``, the word norm written as a function.

What people write (DGL's SAGEConv docstring, whose ``norm`` argument is a normalisation
layer)::

    h_{i}^{(l+1)} = \mathrm{norm}(h_{i}^{(l+1)})

The word reads two ways: the norm of x, one number (``\|x\|``, NumPy's ``norm(x)``), or a
normalisation of x, a value of x's shape (``x / \|x\|``, a layer norm, a batch norm), whose
kind the source would have to name. A function papermath does not know is otherwise read as
a learnable one (an affine map, of any width), which neither is.

How papermath reads it: refused, with the caret on the word and a hint that writes each
reading the way papermath reads it.

Example (refused, caret on ``\mathrm{norm}``)::

    y = \mathrm{norm}(W x)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from .rules_brace_typos import rewrite_statements
from .rules_norm_update import NormUpdate

if TYPE_CHECKING:
    from .reader import Reader

RULE = "norm-word"


def _is_index(text: str, value: str) -> bool:
    """Whether ``value`` is one letter the source uses as an index: in a subscript (z_i,
    x_{ij}) or as the node of a neighbourhood (\\mathcal{N}(i))."""
    if not re.fullmatch(r"[A-Za-z]", value):
        return False
    v = re.escape(value)
    subscript = rf"_(?:{v}\b|\{{[^{{}}]*\b{v}\b)"
    neighbourhood = rf"\\mathcal\{{N\}}\(\s*{v}\s*\)"
    return re.search(f"{subscript}|{neighbourhood}", text) is not None


def check(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Refuse ``\\mathrm{norm}(x)``; the statements as they were otherwise."""

    def fix(node: ast.Node) -> ast.Node:
        if isinstance(node, NormUpdate):
            return node  # h = \mathrm{norm}(h): a normalisation (read/rules_norm_update.py)
        match node:
            case ast.Call(func=ast.Text(content=word) as func, args=(arg,)) if word.strip() in (
                "norm",
                "Norm",
            ):
                written = " ".join(reader.source.snippet(func.span).split())
                value = " ".join(reader.source.snippet(arg.span).split())
                if _is_index(reader.source.text, value):
                    return node  # norm(i), i an index: a value per node (rules_index_argument)
                raise reader.error(
                    f"{written}({value}) reads two ways: the norm of {value}, one number, or a "
                    f"normalisation of {value} (a value of its shape: divided by its norm, a "
                    "layer norm), whose kind the source does not name; papermath does not guess",
                    func.span,
                    hint=f"for the number write \\|{value}\\|; for the normalisation by the L2 "
                    f"norm write \\frac{{{value}}}{{\\|{value}\\|}}; a layer norm: "
                    f"\\mathrm{{LayerNorm}}({value})",
                )
        return node

    return rewrite_statements(statements, fix)
