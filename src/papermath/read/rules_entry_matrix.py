r"""Notation rule ``entry-matrix``: the value of a matrix written by its entries
(parse/entry_matrix.py parses ``[body]_{i \in 1..N, j \in 1..D}``).

What people write (course notes: the backward pass of a layer, samples as rows)::

    \delta = g \odot \left[\frac{\partial z_{ij}}{\partial s_{ij}}\right]_{i \in 1..N, j \in 1..D}
    y = W \left[ a_{ij} \right]_{i \in 1..N, j \in 1..D}

How papermath reads it: the matrix of shape N x D (the ranges, rows first) whose entry
(i, j) is the body, where the body says which matrix that is:

- ``a_{ij}``, the entries of a symbol a: the matrix is a itself (N x D);
- ``\frac{\partial z_{ij}}{\partial s_{ij}}``, the derivative of each entry of z by the same
  entry of s (the elementwise derivative of z = f(s)): a value named ``dz_ds``. The source
  does not give f, so the value cannot be computed: it is read for its shape only, and code
  generation refuses it (hint: write z = f(s) and the derivative f'(s) as an equation).

Anything else (an entry that mixes indices, a sum) is refused at the body. The ranges are a
claim on the shape: a shape written above the matrix (``\overset{[N \times D]}{[...]}``) is
its declaration, and ranges that disagree with the shape the equations give are an error
naming both. A symbol's step (``z_{k-1,ij}``: layer k-1) is the matrix's step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.entry_matrix import EntryMatrix
from . import terms as t

if TYPE_CHECKING:
    from .reader import Reader

HINT = (
    "write the matrix's entry as a symbol's entry a_{ij} or an elementwise derivative "
    "\\frac{\\partial z_{ij}}{\\partial s_{ij}}, or give the matrix a name and a declaration"
)
NO_CODE_HINT = (
    "write the function as an equation (z_k = \\sigma(s_k)) and its derivative as one "
    "(\\sigma'(s_k)): papermath computes what the source gives"
)


def _entry(reader: Reader, node: ast.Node, letters: tuple[str, str]) -> tuple[str, object] | None:
    """``z_{k-1,ij}`` -> ("z", parts) where the entries' indices are ``letters``."""
    if not isinstance(node, ast.Sub):
        return None
    items = node.script.items if isinstance(node.script, ast.ScriptList) else (node.script,)
    rest = [i for i in items if _offset(i) is None]
    stepped = [i for i in items if _offset(i) is not None]
    written = "".join(reader.source.snippet(i.span).replace(" ", "") for i in rest)
    if written.replace(",", "") != "".join(letters) or len(stepped) > 1:
        return None
    base = reader.symbol(node.base)
    if base is None or base.post:
        return None
    if stepped:
        base.step, base.offset = _offset(stepped[0])  # type: ignore[misc]
    return base.key, base


def term(reader: Reader, node: EntryMatrix) -> t.Term:
    """The entry matrix as a value (see the module's docstring)."""

    letters = tuple(r.index.name for r in node.ranges if isinstance(r.index, ast.Letter))
    over = node.body if isinstance(node.body, ast.Overset) else None
    bracket = node.body.body if isinstance(node.body, ast.Overset) else node.body
    assert isinstance(bracket, ast.Bracket)
    body = bracket.items[0]
    if len(letters) != 2 or letters[0] == letters[1]:
        raise reader.error("the two index ranges must name two different indices", node.span, HINT)
    sizes = " \\times ".join(reader.source.snippet(r.size.span) for r in node.ranges)
    axes = tuple(r.size for r in node.ranges)
    got = None
    if isinstance(body, ast.Frac):
        num, den = (_partial_of(x) for x in (body.num, body.den))
        if num is not None and den is not None:
            z = _entry(reader, num, letters)
            s = _entry(reader, den, letters)
            if z is not None and s is not None:
                zp, sp = z[1], s[1]
                if (zp.step, zp.offset) == (sp.step, sp.offset):  # type: ignore[attr-defined]
                    got = (f"d{z[0]}_d{s[0]}", zp, "derivative")
    elif (e := _entry(reader, body, letters)) is not None:
        got = (e[0], e[1], "entries")
    if got is None:
        raise reader.error(
            f"a matrix by its entries is read where the entry is a symbol's entry or an "
            f"elementwise derivative; `{reader.source.snippet(body.span)}` is neither",
            body.span,
            HINT,
        )
    key, parts, what = got
    step, offset = parts.step, parts.offset  # type: ignore[attr-defined]
    if over is not None:  # the shape written above is the declaration, the ranges a claim
        reader.overset_declaration(key, over.over, node.body.span, False, offset)
        reader.out.range_claims.append((key, offset, axes, node.span))
    else:  # the ranges are the declaration
        first, second = axes
        times = ast.BinOp(node.span, "times", first, second, node.span)
        space = ast.Sup(node.span, ast.Letter(node.span, "R"), times)
        reader.declare(key, space, node.span, offset)
    reader.out.first_span.setdefault(key, node.span)
    if what == "derivative":
        reader.out.shapes_only.setdefault(key, (node.span, NO_CODE_HINT))
        reader.out.role_inputs.setdefault(
            key,
            "a matrix of derivatives written by its entries: no learned weight (read for its "
            "shape only)",
        )
        reader.note(
            node.span,
            "matrix of elementwise derivatives",
            f"[{reader.source.snippet(body.span)}] over {letters[0]}, {letters[1]} is the "
            f"matrix {sizes} of the derivative of each entry by the same entry: read as a "
            f"value {key} for its shape only (the source does not say z = f(s), so it "
            "cannot be computed; code generation refuses it)",
        )
    else:
        reader.note(
            node.span,
            "matrix by its entries",
            f"[{reader.source.snippet(body.span)}] over {letters[0]}, {letters[1]} is the "
            f"matrix {key} itself, {sizes} (rows {letters[0]}, columns {letters[1]})",
        )
    return t.Sym(node.span, key, step, offset)


def _offset(node: ast.Node) -> tuple[str, int] | None:
    """``k-1`` -> ("k", -1), ``k+1`` -> ("k", 1): a layer written with its offset."""
    if (
        isinstance(node, ast.BinOp)
        and node.op in ("+", "-")
        and isinstance(node.left, ast.Letter)
        and isinstance(node.right, ast.Number)
        and node.right.text.isdigit()
    ):
        k = int(node.right.text)
        return node.left.name, -k if node.op == "-" else k
    return None


def _partial_of(node: ast.Node) -> ast.Node | None:
    """``\\partial z_{ij}`` -> ``z_{ij}``."""
    if (
        isinstance(node, ast.Juxt)
        and isinstance(node.left, ast.Letter)
        and node.left.name == "partial"
    ):
        return node.right
    return None
