r"""Notation rule ``attention-named-in-prose``: ``\text{Attention}(QW_i^Q, KW_i^K, VW_i^V)``
called and defined by no equation, where the prose names the attention it is: "the scaled dot
product attention" (the UvA DL tutorial's multi-head attention).

What people write (UvA DL course, tutorial 6)::

    ... we transform those into $h$ sub-queries, sub-keys, and sub-values, which we pass
    through the scaled dot product attention independently. ...

    \text{Multihead}(Q,K,V) = \text{Concat}(\text{head}_1,...,\text{head}_h)W^{O}\\
    \text{where } \text{head}_i = \text{Attention}(QW_i^Q,KW_i^K, VW_i^V)

How papermath reads it: the prose names the function: scaled dot-product attention is one
standard function, as well known as the softmax (Vaswani et al. 2017, eq. 1)::

    \mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V

with Q the queries, K the keys, V the values, each a matrix of one row per query, key, value
(the rows of Q K^T are the queries, its columns the keys; the softmax runs over the keys, the
last axis), d_k the width of the queries and keys. So the call is read as that body with its
three arguments in place of Q, K, V (the readings say so, quoting the prose), and:

- the arguments are matrices: the first two have d_k columns (the width under the root), the
  third as many rows as the second (one value per key);
- d_k is the source's own size (tutorial 6: W^K in R^{D x d_k}), so the keys' width is checked
  against it by the shapes. Where the source declares no size d_k the call is refused at its
  name: which of the source's sizes is the keys' width is not guessed (the hint: declare it,
  or define the attention).

Read only where (1) the function's name is Attention (any case, any font: Attention, attention,
Attn, DotProductAttention, ScaledDotProductAttention), (2) no equation defines it, (3) it has
three arguments, and (4) the prose names "scaled dot product attention" (or "scaled
dot-product attention"). A call of an attention nothing names (Lil'Log's multi-head attention
excerpt, which defines Attention paragraphs earlier) stays refused (read/rules_attention_calls.py),
as does a name such as MultiHeadAttention: the standard function is the scaled dot-product
one, not any attention.

Every stage reads the body as the source had written it: shapes, NumPy and torch code, the
backward, ``papermath grad``, explain, the diagram and the report.

Example that reads (Q, K, V one row per query, key and value)::

    The scaled dot product attention ...
    $$h = \text{Attention}(Q W^Q, K W^K, V W^V)$$
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from ..parse import ast, parse
from . import terms as t
from .syntax import placed

if TYPE_CHECKING:
    from ..shapes.infer import Inference
    from .reader import Reader

RULE = "attention-named-in-prose"
NAMES = frozenset({"attention", "attn", "dotproductattention", "scaleddotproductattention"})
# "scaled dot product attention", "scaled dot-product attention"
NAMED = re.compile(r"scaled[ \t\n]+dot[- \t\n]product[ \t\n]+attention", re.IGNORECASE)
WIDTH = "d_k"
# the standard function; A, B, C the formals (queries, keys, values), bound to the arguments
_TEMPLATE = r"Z = \mathrm{softmax}\left(\frac{A B^\top}{\sqrt{d_k}}\right) C"
_FORMALS = ("A", "B", "C")
# how the template's products are written for the shapes: a matrix product only
# (shapes/infer.py PRODUCT_READINGS)
PRODUCT = "attention"


def _plain(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _projected(arg: t.Term) -> t.Term:
    """An argument written as a product ``Q W_i^Q`` (the queries times a weight): a matrix
    product, the matrix of queries times the weight; any other argument as it is."""
    if isinstance(arg, t.Product) and arg.written == "juxt" and isinstance(arg.right, t.Sym):
        return dataclasses.replace(arg, written=PRODUCT)
    return arg


def _matrix_products(term: t.Term, theirs: set[int]) -> t.Term:
    """The template's products (Q K^T, the weights times V) marked matrix products: the
    standard function says so; the arguments' own products (``QW_i^Q``) stay as written."""
    if id(term) in theirs:
        return term
    term = t.mapped(term, lambda c: _matrix_products(c, theirs))
    if isinstance(term, t.Product) and term.written == "juxt":
        return dataclasses.replace(term, written=PRODUCT)
    return term


def standard(
    reader: Reader, node: ast.Call, key: str, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """The call read as scaled dot-product attention (see the module), or None."""
    if _plain(key) not in NAMES or key in reader.functions or len(args) != 3:
        return None
    named = NAMED.search(reader.source.text)
    if named is None:
        return None
    words = " ".join(named.group().split())
    written = " ".join(reader.source.snippet(node.span).split())
    if WIDTH not in reader.size_names:  # the scale's width: the source must name it
        raise reader.error(
            f'{written}: the prose names the scaled dot-product attention ("{words}"), '
            f"softmax(Q K^T / sqrt(d_k)) V, whose scale is the root of the keys' width d_k; the "
            "source declares no size d_k, and papermath does not guess which of its sizes is "
            "the keys' width",
            func.span,
            hint="declare the keys' width as d_k where the source declares the weights "
            "(W^K \\in \\mathbb{R}^{D \\times d_k}), or define the attention beside the "
            f"equations: {written.split('(')[0]}(Q, K, V) = \\mathrm{{softmax}}\\left("
            "\\frac{Q K^\\top}{\\sqrt{d_k}}\\right) V",
        )
    (row,) = parse(_TEMPLATE)
    assert isinstance(row, ast.Definition)
    body = placed(row.rhs, func.span)
    assert isinstance(body, ast.Node)
    actual = tuple(_projected(reader.term(a)) for a in args)
    saved, reader.subst = reader.subst, dict(zip(_FORMALS, actual, strict=True))
    try:
        value = _matrix_products(reader.term(body), {id(x) for a in actual for x in t.walk(a)})
    finally:
        reader.subst = saved
    shown = ", ".join(
        f"{f} = {' '.join(reader.source.snippet(a.span).split())}"
        for f, a in zip(("Q", "K", "V"), args, strict=True)
    )
    width = f"{WIDTH} the source's own size (the keys' width, checked by the shapes)"
    reader.note(
        func.span,
        "scaled dot-product attention, named in the prose",
        f'{written}: no equation defines {key}, and the prose names it ("{words}"): the '
        "standard function softmax(Q K^T / sqrt(d_k)) V (Vaswani et al. 2017, eq. 1), "
        f"with {shown}; each argument a matrix of one row per query, key or value, the "
        f"softmax over the keys (each row), {width}",
    )
    reader.out.attention_args.append((actual, func.span, written))
    return t.FnCall(node.span, key, actual, value, 0)  # line 0: no definition in the source


def bind(inf: Inference) -> None:
    """The arguments of each attention read by :func:`standard`: matrices, Q and K of d_k
    columns, V of K's rows (their numbers of rows free sizes)."""
    from ..shapes.sizes import Size

    for (q, k, v), _span, written in inf.read.attention_args:
        width = Size.var(WIDTH)  # the source's d_k (declared), or a name the keys' width takes
        rows = inf.engine.fresh_size()
        hint = (
            f"{written} is read as scaled dot-product attention (the prose names it): its "
            "queries and keys are matrices of d_k columns, its values a matrix with a row per key"
        )
        what = "an argument of the scaled dot-product attention"
        for term, shape in (
            (q, (inf.engine.fresh_size(), width)),
            (k, (rows, width)),
            (v, (rows, inf.engine.fresh_size())),
        ):
            inf.bind(term, shape, term, what, hint)
