r"""Notation rule ``width-named-by-its-vectors``: ``\frac{Q K^\top}{\sqrt{d_k}}`` with d_k declared
nowhere, where the subscript of d names a factor of the product over the root (k for K): d_k
is the width of that factor's vectors, the size the product sums over.

What people write (labml's multi-head attention, Vaswani et al.'s eq. 1 as typed everywhere)::

    \mathop{Attention}(Q, K, V) =
        \underset{seq}{\mathop{softmax}}\Bigg(\frac{Q K^\top}{\sqrt{d_k}}\Bigg)V

How papermath reads it: a ``d`` with a subscript is the dimension of what the subscript names
(``d_k`` the keys', ``d_v`` the values', ``d_{model}`` the model's); where the subscript is the
letter of one factor of the product the root divides (K or k for ``d_k``, in ``Q K^\top`` or
``q^\top k``), that factor's vectors have d_k entries: a capital letter a matrix whose rows are
such vectors (K is m x d_k), a lowercase one a vector (k in R^{d_k}). So d_k is a size, a
number in the formula (scaled dot-product attention divides by the root of the width), not a
learned scalar. The readings say what decided it.

The same for a capital ``D`` (CS231n's ``\frac{q_j \cdot x_i}{\sqrt{D_x}}``: D_x the width of
the vectors x_i), and for a factor written with one index (``x_i``, one vector of a set:
read/rules_position_pairs.py) or joined by ``\cdot`` (the dot product of two vectors).

Read only where the factor is declared nowhere (a declaration gives its shape and the width
with it) and d with that subscript is declared nowhere, defined by no equation and given in no
dims. A subscript that names no factor (``\sqrt{d}``, ``\sqrt{d_h}`` over ``Q K^\top``) stays
refused by ``undeclared_root_size`` (read/rules_attention.py), unless the prose says the
scores are dot products (read/rules_dot_width.py).

Example that reads: ``A = \mathrm{softmax}\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import is_reals, iter_nodes

if TYPE_CHECKING:
    from ..shapes.infer import Inference
    from .reader import Reader


def _factors(node: ast.Node) -> list[ast.Node]:
    """The factors of a product as written: ``Q K^\\top`` -> [Q, K] (a transpose dropped)."""
    match node:
        case ast.Juxt(left=left, right=right):
            return _factors(left) + _factors(right)
        case ast.Sup(base=base, script=ast.Mark(mark="transpose")):
            return [base]
        case ast.Sup(base=base, script=ast.Letter(name="T")):
            return [base]
        case ast.BinOp(op="cdot", left=left, right=right):  # q_j \cdot x_i (CS231n)
            return _factors(left) + _factors(right)
        case ast.Sub(base=ast.Letter() | ast.Font() as base, script=ast.Letter()):
            return [base]  # x_i: the vector x of member i (read/rules_position_pairs.py)
    return [node]


def _declared(reader: Reader, statements: list[ast.Statement]) -> set[str]:
    keys: set[str] = set()
    for s in statements:
        if isinstance(s, ast.Declaration) and is_reals(s.space):
            for target in s.targets:
                parts = reader.symbol(target, quiet=True)
                if parts is not None:
                    keys.add(parts.key)
    return keys


def widths(reader: Reader, statements: list[ast.Statement]) -> None:
    """``\\frac{Q K^\\top}{\\sqrt{d_k}}``: d_k the width of K's vectors (see the module)."""
    declared: set[str] | None = None
    for node in iter_nodes(statements):
        if not (isinstance(node, ast.Frac) and isinstance(node.den, ast.Sqrt)):
            continue
        body = node.den.body
        if isinstance(body, ast.Brace) and len(body.items) == 1:
            body = body.items[0]
        if not (isinstance(body, ast.Sub) and isinstance(body.base, ast.Letter)):
            continue
        if body.base.name not in ("d", "D") or not isinstance(body.script, ast.Letter):
            continue  # d_k, or CS231n's D_x
        size = f"{body.base.name}_{body.script.name}"
        if size in reader.size_names or size in reader.known_values:
            continue
        factors = _factors(node.num)
        if len(factors) < 2:
            continue
        named = [
            f
            for f in factors
            if isinstance(f, ast.Letter | ast.Font)
            and (parts := reader.symbol(f, quiet=True)) is not None
            and not parts.labels
            and parts.base.lower() == body.script.name.lower()
        ]
        if len(named) != 1:
            continue
        parts = reader.symbol(named[0], quiet=True)
        assert parts is not None
        if declared is None:
            declared = _declared(reader, statements)
        if parts.key in declared:
            continue
        reader.size_names.add(size)
        reader.out.key_widths[size] = parts.key
        num = " ".join(reader.source.snippet(node.num.span).split())
        rows = "a matrix whose rows are vectors" if parts.key[0].isupper() else "a vector"
        reader.note(
            body.span,
            f"the width {size} of {parts.key}",
            f"{size} under the root is declared nowhere; {body.base.name} with the subscript "
            f"{body.script.name} is the dimension of {parts.key}, a factor of {num}: "
            f"{parts.key} is {rows} of {size} entries, the size the product sums over "
            "(scaled dot-product attention divides by the root of that width): a size, a "
            "number in the formula, not a learned scalar",
        )


def bind(inf: Inference) -> None:
    """Each width read by :func:`widths`: its symbol's vectors have that many entries."""
    from ..shapes.sizes import Size

    for size, key in inf.read.key_widths.items():
        if key not in inf.read.first_span:
            continue  # a parameter of a function's definition, Attention(Q, K, V) = ...
        var = inf.var_of_sym(key)
        if inf.engine.rank(var) is not None:
            continue
        inf.engine.declared.add(size)
        width = Size.var(size)
        shape = (inf.engine.fresh_size(), width) if key[0].isupper() else (width,)
        inf.engine.bind(var, shape, inf.read.first_span[key])
