r"""Notation rule ``tuple-left-side-blocks``: a tuple or a column of symbols on the left side
names the consecutive blocks of the right side.

What people write: ViT (Dosovitskiy et al. 2021, appendix A) ``[\mathbf{q}, \mathbf{k},
\mathbf{v}] = \mathbf{z} \mathbf{U}_{qkv}`` with ``\mathbf{U}_{qkv} \in \mathbb{R}^{D \times
3 D_h}``; Zaremba et al. (2014) ``\begin{pmatrix} i \\ f \\ o \\ g \end{pmatrix} =
\begin{pmatrix} \mathrm{sigm} \\ \mathrm{sigm} \\ \mathrm{sigm} \\ \tanh \end{pmatrix}
T_{2n,4n} (\dots)``.

How papermath reads it: one equation that defines k symbols. The right side is computed once
and cut along its last (feature) axis into k blocks of equal width, in the order written: the
i-th symbol is the i-th block. Where the right side starts with a column of k functions
(Zaremba's ``sigm, sigm, sigm, tanh``), the i-th function is applied to the i-th block (a
column of functions is not a matrix: it pairs each function with one block). Equal widths are
read only where the sizes allow them: the right side's width must be k times a size (``3
D_h``, ``4 n``), or the blocks' own sizes give it; otherwise it is an error naming the width.

Generated code computes the right side once and slices it (NumPy and torch ``x[..., a:b]``).

Near misses stay refused: a tuple with something other than symbols in it (``[q, 2k] = ...``),
a symbol named twice (``[q, q] = ...``), a column of functions with a different number of
rows, or one that names no known elementwise function. A tuple without brackets (``y_t, h_t =
f(...)``) is another rule's refusal (parse/tuples.py).

Examples that read::

    [q, k, v] = z U, \quad U \in \mathbb{R}^{D \times 3 d}, z \in \mathbb{R}^{N \times D}
    \begin{pmatrix} a \\ b \end{pmatrix} = \begin{pmatrix} \sigma \\ \tanh \end{pmatrix} W x, \quad
        a \in \mathbb{R}^n, x \in \mathbb{R}^m
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..source import Span
from . import terms as t
from .functions import lookup
from .syntax import is_symbolish, label_text

if TYPE_CHECKING:
    from .reader import Reader


def parts_of(lhs: ast.Node) -> tuple[ast.Node, ...] | None:
    """The symbols of ``[a, b, c]`` / ``[a; b]`` / a one-column matrix, or None."""
    match lhs:
        case ast.Bracket(items=items) if len(items) > 1:
            parts = items
        case ast.Matrix(rows=rows) if len(rows) > 1 and all(len(r) == 1 for r in rows):
            parts = tuple(r[0] for r in rows)
        case _:
            return None
    return parts if all(is_symbolish(x) for x in parts) else None


def defined_keys(reader: Reader, lhs: ast.Node) -> set[str]:
    """The keys a tuple left side defines (values, never sizes of the same name)."""
    parts = parts_of(lhs) or ()
    found = (reader.symbol(p, quiet=True) for p in parts)
    return {x.key for x in found if x is not None}


def _factors(node: ast.Node) -> list[ast.Node]:
    """The factors of a juxtaposition, left to right."""
    if isinstance(node, ast.Juxt):
        return [*_factors(node.left), *_factors(node.right)]
    return [node]


def _rebuild(factors: list[ast.Node]) -> ast.Node:
    out = factors[0]
    for f in factors[1:]:
        out = ast.Juxt(Span(out.span.start, f.span.end), out, f)
    return out


def function_column(reader: Reader, rhs: ast.Node, count: int) -> tuple[list[str], ast.Node] | None:
    """``\\begin{pmatrix} \\mathrm{sigm} \\\\ \\tanh \\end{pmatrix} T x``: the functions of
    the column (as known names) and what they apply to; None where the right side does not
    start with a column of functions. A column of the wrong length, or with something that is
    no known elementwise function, is an error."""
    if isinstance(rhs, ast.Call) and isinstance(rhs.func, ast.Matrix) and len(rhs.args) == 1:
        # \begin{pmatrix} \sigma \\ \tanh \end{pmatrix} \left( W x + b \right)
        inner = rhs.args[0]
        factors = [rhs.func, ast.Paren(Span(rhs.func.span.end, rhs.span.end), inner)]
    else:
        factors = _factors(rhs)
    first = factors[0]
    if len(factors) < 2 or not isinstance(first, ast.Matrix):
        return None
    rows = first.rows
    if not all(len(r) == 1 for r in rows):
        return None
    names = [reader.function_of(r[0]) for r in rows]
    if not any(n is not None and lookup(n) is not None for n in names):
        return None  # a column of values (a concatenation): not a column of functions
    for row, name in zip(rows, names, strict=True):
        known = lookup(name) if name is not None else None
        if known is None or known.arity != 1 or name == "softmax":
            raise reader.error(
                f"`{reader.source.snippet(row[0].span)}` in a column of functions: papermath "
                "reads a column of known elementwise functions (sigmoid, tanh, relu, ...)",
                row[0].span,
                hint="name an elementwise function in every row, or write one equation per block",
            )
    if len(rows) != count:
        raise reader.error(
            f"a column of {len(rows)} functions for {count} blocks on the left side: each "
            "function applies to one block",
            first.span,
            hint="write one function per symbol of the left side",
        )
    canonical = []
    for row, name in zip(rows, names, strict=True):
        known = lookup(name or "")
        assert known is not None
        reader.note(row[0].span, known.name, known.description)
        canonical.append(known.name)
    return canonical, _rebuild(factors[1:])


def tuple_left_side(reader: Reader, s: ast.Definition, written: ast.Node) -> bool:
    """Read ``[q, k, v] = rhs`` as ``q``, ``k``, ``v`` the blocks of rhs (one equation each);
    False where the left side is no tuple of symbols (the other rules decide)."""
    parts = parts_of(written)
    if parts is None:
        return False
    syms: list[t.Sym] = []
    for part in parts:
        sym = reader.term(part)
        if not isinstance(sym, t.Sym) or sym.offset != 0:
            raise reader.error(
                f"`{reader.source.snippet(part.span)}` in a tuple on the left side: each part "
                "must be one symbol at the equation's own step",
                part.span,
                hint="write the left side as a tuple of symbols ([q, k, v] = ...)",
            )
        if any(other.key == sym.key for other in syms):
            raise reader.error(
                f"{sym.key} is named twice in a tuple on the left side",
                part.span,
                hint="name each block once",
            )
        syms.append(sym)
    count = len(syms)
    column = function_column(reader, s.rhs, count)
    body_ast = column[1] if column else s.rhs
    body = reader.term(body_ast)
    names = ", ".join(x.key for x in syms)
    applied = (
        ", each through the function in its row of the column ("
        + ", ".join(f"{fn} for {x.key}" for fn, x in zip(column[0], syms, strict=True))
        + ")"
        if column
        else ""
    )
    reader.note(
        written.span,
        f"{count} blocks of the right side",
        f"({names}) = ... names {count} values at once: the right side, computed once, cut "
        f"along its last (feature) axis into {count} blocks of equal width, in the order "
        f"written{applied}",
    )
    line = reader.source.line_col(s.span.start)[0]
    for i, sym in enumerate(syms):
        rhs: t.Term = t.Block(body.span, body, i, count)
        if column:
            rhs = t.Apply(body.span, column[0][i], (rhs,))
        reader.out.equations.append(t.Equation(s.span, sym, rhs, line))
    return True


def repeated_calls(reader: Reader, node: ast.Bracket) -> t.Term | None:
    r"""Rule ``family-of-calls``: ``[\mathrm{SA}_1(z); \mathrm{SA}_2(z); \cdots;
    \mathrm{SA}_k(z)]`` (ViT's multi-head self-attention), with SA a function the source
    defines: the k heads side by side along the feature axis, as ``\mathrm{Concat}(head_1,
    \dots, head_h)``. As written, every head is the one function SA of the same z (the
    equations give SA one set of weights), so the k values are equal copies of SA(z); the
    readings say so, and how to write one set of weights per head. None where the bracket is
    not such a family (the other rules read it)."""
    items = node.items
    dots = [i for i, x in enumerate(items) if isinstance(x, ast.Dots)]
    if len(dots) != 1 or not 0 < dots[0] < len(items) - 1:
        return None
    calls = [x for x in items if not isinstance(x, ast.Dots)]
    heads: list[tuple[str, str, tuple[str, ...]]] = []
    for call in calls:
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Sub)):
            return None
        head = reader.symbol(call.func.base, quiet=True)
        label = label_text(call.func.script)
        args = tuple(" ".join(reader.source.snippet(a.span).split()) for a in call.args)
        if head is None or label is None:
            return None
        heads.append((head.key, label, args))
    key, _, args = heads[0]
    if key not in reader.functions or any((k, a) != (key, args) for k, _, a in heads):
        return None
    before = [label for _, label, _ in heads[: dots[0]]]
    if before != [str(i + 1) for i in range(len(before))]:
        return None  # SA_1, SA_2, ...: numbered from 1, in order
    count = heads[-1][1]
    if len(heads) - 1 != dots[0] or (count.isdigit() and int(count) <= len(before)):
        return None
    first = calls[0]
    assert isinstance(first, ast.Call)
    body = reader.call_defined(first, reader.functions[key], first.args)
    written = ", ".join(args)
    reader.note(
        node.span,
        f"the {count} heads of {key}, side by side",
        f"{key}_1({written}), ..., {key}_{count}({written}): the function {key} at each of "
        f"{count} heads, side by side along the feature (last) axis, as Concat(head_1, ..., "
        f"head_{count}); as written every head is the one {key} of the same {written}, with "
        f"the same weights, so the {count} values are equal (to give each head its own "
        f"weights, write them with the head: U_i)",
    )
    return t.Repeat(node.span, body, count)
