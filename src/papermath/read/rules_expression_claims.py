r"""Notation rule ``expression-claim``: an expression with no left side followed by ``\in`` a
space, a claim about the shape of what the expression computes, read as a value of the model
whose shape is checked against the claim.

What people write (d2l, 11.3 and 11.5: the display states a computation and the shape of its
result, with no name for it; the first display below is one line in the book)::

    \mathrm{softmax}\left(\frac{\mathbf Q \mathbf K^\top }{\sqrt{d}}\right) \mathbf V
        \in \mathbb{R}^{n\times v}

    \mathbf W_o \begin{bmatrix}\mathbf h_1\\\vdots\\\mathbf h_h\end{bmatrix} \in \mathbb{R}^{p_o}

How papermath reads it: the expression is computed, as the right side of an equation is, into
a value the source leaves unnamed (``out``; ``out_2``, ... where the source writes ``out``
itself), and the space is the claim about its shape: read as the declaration of that value, so
a shape the expression does not have is an error at the claim (an assertion): of another rank,
or with sizes that meet it only if two declared sizes were one (``\mathbb{R}^{n \times d}``
claimed of an n x v expression: never read as v = d, as a named value's declaration would be
solved). The readings say so. Only a claim in the reals (``\mathbb{R}^{...}``) of
an expression that is no symbol is read so; ``x \in \mathbb{R}^n`` stays the declaration of x,
and a claim about a part of another equation's right side (``W x \in \mathbb{R}^m`` beside
``y = \tanh(W x + b)``) is no value of its own: it stays refused.

Example that reads: ``\mathrm{softmax}(Q K^\top) V \in \mathbb{R}^{n \times v}`` beside
``Q \in \mathbb{R}^{n \times d}, K \in \mathbb{R}^{m \times d}, V \in \mathbb{R}^{m \times v}``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..parse import ast
from .syntax import is_reals, is_symbolish

if TYPE_CHECKING:
    from ..shapes.infer import ShapeResult
    from .reader import Reader, ReadResult

NAME = "out"  # the name an unnamed claimed value is read into


def _unnamed(s: ast.Statement) -> bool:
    """A declaration in the reals of one target that is an expression, not a symbol."""
    return (
        isinstance(s, ast.Declaration)
        and len(s.targets) == 1
        and is_reals(s.space)
        and not is_symbolish(s.targets[0])
        and not isinstance(s.targets[0], ast.Text)
    )


def _squeezed(reader: Reader, node: ast.Node) -> str:
    return "".join(reader.source.snippet(node.span).split())


def claims(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``expr \\in \\mathbb{R}^{...}``: the definition of an unnamed value, its shape claimed."""
    if not any(_unnamed(s) for s in statements):
        return statements
    # a part of an equation's right side (W x in y = \tanh(W x + b)): a claim about a term of
    # another equation, not a value of its own; left as it is (refused)
    parts = [_squeezed(reader, s.rhs) for s in statements if isinstance(s, ast.Definition)]
    written = set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", reader.source.text))
    count = 0
    out: list[ast.Statement] = []
    for s in statements:
        if not _unnamed(s):
            out.append(s)
            continue
        assert isinstance(s, ast.Declaration)
        target = s.targets[0]
        if any(_squeezed(reader, target) in part for part in parts):
            out.append(s)
            continue
        count += 1
        name = NAME
        while name in written:
            count += 1
            name = f"{NAME}_{count}"
        written.add(name)
        lhs = ast.Text(target.span, "mathrm", name)
        reader.out.shape_claims[name] = (s.span, s.space.span)
        out.append(ast.Definition(s.span, lhs, target, s.space))
        reader.note(
            s.span,
            "claim about an expression",
            f"an expression with no left side followed by \\in a space: computed as a value "
            f"the source leaves unnamed (read as {name}), whose shape the space claims; a shape "
            "the expression does not have is an error (rules_expression_claims.py)",
        )
    return out


def check(result: ReadResult, shapes: ShapeResult) -> None:
    """After shapes: a claim the expression meets only by making two declared sizes one
    (``\\in \\mathbb{R}^{n \\times d}`` of an n x v expression: v = d) does not hold: it is
    refused at the claim, never read as the equality."""
    for key, (statement, space) in result.shape_claims.items():
        for size, span in shapes.solved_by.items():
            if not (statement.start <= span.start and span.end <= statement.end):
                continue
            value = shapes.solved.get(size, "?")
            raise ShapeError(
                f"this claim about the expression (read as {key}) holds only if {size} = {value}, "
                "which the source does not say: the shape the expression computes is not the "
                "one claimed",
                None,
                space,
                hint=f"check the claim and the declarations: the expression's shape has {size} "
                f"where the claim writes {value}",
            )
