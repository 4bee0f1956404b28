r"""Notation rule ``dot-product-width``: ``\frac{(W_3 x_i)^\top (W_4 x_j)}{\sqrt{d}}`` with d
declared nowhere, in a source whose text says the scores are dot products ("dot product
attention", "scaled dot-product"): d is the width of the two vectors whose dot product is
scaled.

What people write (PyG's TransformerConv docstring)::

    \alpha_{i,j} = \textrm{softmax} \left(
    \frac{(\mathbf{W}_3\mathbf{x}_i)^{\top} (\mathbf{W}_4\mathbf{x}_j)}{\sqrt{d}} \right)

after "the attention coefficients are computed via multi-head dot product attention".

How papermath reads it: scaled dot-product attention divides the dot product of a query and a
key by the root of their width (Vaswani et al.'s ``\sqrt{d_k}``, d_k the keys' dimension). Where
the source says the attention is a dot product, the numerator is the product of a transposed
vector and a vector (``a^\top b``), and d is declared nowhere, d is read as that width: a size
(a number in the formula, not a learned scalar), and the two vectors have d entries (here W_3
and W_4 map to d). The readings say what decided it. Without the words "dot product" in the
source, or where the numerator is no such product, d under the root stays refused (by
read/rules_attention.py, ``undeclared_root_size``).

Example that reads (with the sentence "the scores are dot products" beside it)::

    s = \frac{(W_q x)^\top (W_k y)}{\sqrt{d}}, x \in \mathbb{R}^{F}, y \in \mathbb{R}^{F}
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import ReadingError
from ..parse import ast
from . import terms as t
from .syntax import iter_nodes

if TYPE_CHECKING:
    from ..shapes.infer import Inference
    from .reader import Reader

RULE = "dot-product-width"
_SAYS = re.compile(r"dot[\s-]*products?", re.IGNORECASE)


def _transposed_product(node: ast.Node) -> bool:
    """``(a)^\\top (b)``, ``a^T b``: a transposed value times another (the AST's forms)."""
    match node:
        case ast.Call(func=ast.Sup() as sup, args=(_,)):
            head = sup
        case ast.Juxt(left=ast.Sup() as sup):
            head = sup
        case _:
            return False
    script = head.script
    if isinstance(script, ast.Mark):
        return script.mark == "transpose"
    return isinstance(script, ast.Letter) and script.name == "T"


def widths(reader: Reader, statements: list[ast.Statement]) -> None:
    """``\\frac{a^\\top b}{\\sqrt{d}}``, d declared nowhere, the text saying dot product: d read
    as a size, the width of a and b (bound by :func:`bind` once the shapes are inferred)."""
    if _SAYS.search(reader.source.text) is None:
        return
    for node in iter_nodes(statements):
        if not (isinstance(node, ast.Frac) and isinstance(node.den, ast.Sqrt)):
            continue
        body = node.den.body
        if isinstance(body, ast.Brace) and len(body.items) == 1:
            body = body.items[0]
        if not isinstance(body, ast.Letter | ast.Sub) or not _transposed_product(node.num):
            continue
        parts = reader.symbol(body, quiet=True)
        if parts is None or parts.base != "d" or parts.node or parts.step or parts.edge:
            continue
        key = parts.key
        if key in reader.size_names or key in reader.known_values:
            continue
        reader.size_names.add(key)
        reader.out.dot_widths[key] = body.span
        num = " ".join(reader.source.snippet(node.num.span).split())
        reader.note(
            body.span,
            f"the width {key} of the vectors of a dot product",
            f"{key} under the root is declared nowhere, and the source says the scores are dot "
            f"products: read as the width of the two vectors whose dot product {num} is "
            f"(scaled dot-product attention divides by the root of that width, as Vaswani et "
            f"al.'s \\sqrt{{d_k}}): a size, a number in the formula, not a learned scalar; the "
            f"vectors have {key} entries",
        )


def bind(inf: Inference) -> None:
    """Each width read by :func:`widths`: the two vectors of the dot product over its root
    have that many entries. A width whose dot product is not found as ``a^\\top b`` over
    ``\\sqrt{d}`` once read is refused there, as an undeclared d under a root is."""
    if not inf.read.dot_widths:
        return
    from ..shapes.sizes import Size

    found: set[str] = set()
    for eq in inf.read.equations:
        for x in t.walk(eq.rhs):
            if not (isinstance(x, t.Div) and isinstance(x.right, t.Apply)):
                continue
            root = x.right
            if root.fn != "sqrt" or len(root.args) != 1:
                continue
            (size,) = root.args
            if not isinstance(size, t.SizeValue) or size.name not in inf.read.dot_widths:
                continue
            top = x.left
            if not (isinstance(top, t.Product) and isinstance(top.left, t.Transpose)):
                continue
            found.add(size.name)
            width = (Size.var(size.name),)
            what = f"a vector of a dot product scaled by \\sqrt{{{size.name}}}"
            inf.engine.declared.add(size.name)
            inf.bind(top.left.body, width, top, what, "")
            inf.bind(top.right, width, top, what, "")
    for name, span in inf.read.dot_widths.items():
        if name not in found:
            raise ReadingError(
                f"{name} under a root is declared nowhere, and no dot product of two vectors "
                "is divided by its root: the width of which vectors? papermath does not guess",
                inf.source,
                span,
                hint=f"declare the size where a value or a weight has it, e.g. W \\in "
                f"\\mathbb{{R}}^{{{name} \\times F}}, or give it in dims",
            )
