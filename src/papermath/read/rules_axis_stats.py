r"""Notation rule ``statistic-over-axis``: a mean or variance with the axis it runs over written
under it, ``\underset{C}{\mathbb{E}}[x]`` and ``\underset{C}{Var}[x]`` (labml's layer norm).

What people write::

    x \in \mathbb{R}^{C}
    y = \frac{x - \underset{C}{\mathbb{E}}[x]}{\sqrt{\underset{C}{Var}[x] + \epsilon}}

The letter under the E names the axis the mean runs over. Where x is declared a vector whose
one axis is that size (``x \in \mathbb{R}^{C}``), the axis under the E says what the
declaration already does: the mean (and the biased variance) of x's C entries, read as the
rule ``mean-over-features`` reads ``\mathrm{E}[x]`` (read/rules_stats.py), and the readings say
that the axis under the E decided it.

Refused, with the caret on the statistic: the axis is not one of x's declared axes; x is
declared with more than one axis (``X \in \mathbb{R}^{B \times C}``, a batch of embeddings:
the mean over C of each row, broadcast back over the row, which papermath does not read
yet); x declared nowhere; anything other than E and Var under the axis.

Examples that read (each a whole source)::

    x \in \mathbb{R}^{C}
    y = \frac{x - \underset{C}{\mathbb{E}}[x]}{\sqrt{\underset{C}{Var}[x] + \epsilon}}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import rules_stats
from . import terms as t
from .functions import COL_MEAN, COL_VAR, ROW_MEAN, ROW_VAR
from .syntax import size_text, split_axes
from .syntax import statistic_of as written_statistic

if TYPE_CHECKING:
    from .reader import Reader

__all__ = ["over_axis", "term"]


def _operator(node: ast.Node) -> tuple[ast.Overset, str] | None:
    """The ``\\underset{C}{E}`` head of ``node`` and its statistic (E, Var, ...), else None."""
    match node:
        case ast.Juxt(left=ast.Overset() as head, right=ast.Bracket(items=(_,))):
            pass
        case _:
            return None
    operator = written_statistic(head.body) or rules_stats.italic_statistic(head.body)
    return (head, operator) if operator is not None else None


def declared_axes(reader: Reader, key: str) -> list[str | None] | None:
    """The sizes of the axes the source declares ``key`` with (``X \\in \\mathbb{R}^{B \\times
    C}`` -> [B, C]); None where it declares it nowhere in the reals."""
    from .syntax import is_reals

    for s in reader.statements:
        if not isinstance(s, ast.Declaration) or not is_reals(s.space):
            continue
        for target in s.targets:
            parts = reader.symbol(target, quiet=True)
            if parts is None or parts.key != key:
                continue
            if not isinstance(s.space, ast.Sup):
                return []
            return [size_text(a) for a in split_axes(s.space.script)]
    return None


def term(reader: Reader, node: ast.Node) -> t.Term | None:
    """The terms of ``\\underset{C}{\\mathbb{E}}[x]`` (see the module); None where ``node`` is
    not a statistic with an axis under it; an error where it is one this rule does not read."""
    found = _operator(node)
    if found is None:
        return None
    head, operator = found
    assert isinstance(node, ast.Juxt) and isinstance(node.right, ast.Bracket)
    arg = node.right.items[0]
    axis = size_text(head.over)
    tex = " ".join(reader.source.snippet(node.span).split())
    x = " ".join(reader.source.snippet(arg.span).split())
    word = {"E": "the mean", "Var": "the variance"}.get(operator)
    parts = reader.symbol(arg, quiet=True)
    axes = declared_axes(reader, parts.key) if parts is not None else None
    if word is None or axis is None:
        raise reader.error(
            f"{tex}: a statistic with an axis under it is read for E and Var over a named size "
            "(\\underset{C}{\\mathbb{E}}[x]); this one is not",
            node.span,
            hint="write the mean as a sum: \\frac{1}{C} \\sum_{c=1}^{C} x_c",
        )
    if axes is None or parts is None or parts.post or parts.element:
        raise reader.error(
            f"{tex}: {word} of {x} over its axis {axis}, but the source declares {x} nowhere, so "
            f"papermath does not know {x}'s axes",
            node.span,
            hint=f"declare {x} with the axis, as {x} \\in \\mathbb{{R}}^{{{axis}}}",
        )
    if axis not in axes:
        raise reader.error(
            f"{tex}: {word} of {x} over the axis {axis}, which is not one of the axes the source "
            f"declares {x} with ({' x '.join(a or '?' for a in axes) or 'a scalar'})",
            node.span,
            hint=f"write under the E a size of {x}'s declaration",
        )
    if len(axes) == 2 and axis in axes and axes[0] != axes[1]:
        return over_axis(reader, node, operator, arg, tex, axes, axis)
    if len(axes) != 1:
        others = " x ".join(a or "?" for a in axes if a != axis)
        raise reader.error(
            f"{tex}: {word} of {x} over its axis {axis}, for each index of its other axes "
            f"({others}), broadcast back over {axis}: a statistic over one axis of a "
            f"{len(axes)}-axis array is not read yet (papermath reads it over the entries of a "
            "vector)",
            node.span,
            hint=f"write the formula for one row: declare one example's vector, x \\in "
            f"\\mathbb{{R}}^{{{axis}}}, and write \\mathrm{{E}}[x], \\mathrm{{Var}}[x]",
        )
    plain = ast.Juxt(node.span, head.body, node.right)
    try:
        read = rules_stats.statistic(reader, plain, operator)
    except rules_stats.UnsaidAxis as unsaid:  # x declared, but not one vector: which axis?
        raise rules_stats.axis_not_said(reader, plain, operator, unsaid.arg) from None
    if read is None:
        raise reader.error(
            f"{tex}: {word} of {x} over its axis {axis}, in an equation that does not normalise "
            f"{x} by it ({x} - \\mathbb{{E}}[{x}]): papermath reads these statistics where they "
            "normalise",
            node.span,
            hint="write the estimate that is computed, e.g. \\frac{1}{C} \\sum_{c=1}^{C} x_c",
        )
    reader.note(
        node.span,
        "statistic over the axis written under it",
        f"{tex}: the axis {axis} written under the {operator} is the one axis of {x} (declared "
        f"in R^{axis}): {word} over its {axis} entries",
    )
    return read


def over_axis(
    reader: Reader,
    node: ast.Node,
    operator: str,
    arg: ast.Node,
    tex: str,
    axes: list[str | None],
    axis: str,
) -> t.Term:
    r"""Rule ``statistic-over-one-axis``: ``\underset{C}{\mathbb{E}}[X]`` with ``X \in
    \mathbb{R}^{B \times C}``: the mean of each row's C entries (the variance: their biased
    variance), one number per row, a vector over the B rows that ``X - ...`` and a fraction
    broadcast back over each row (labml's layer norm over a batch of embeddings); under the
    first axis (``\underset{B}{\mathbb{E}}[X]``), of each column's B entries likewise."""
    rows = axes[1] == axis
    other = axes[0] if rows else axes[1]
    fn = (ROW_MEAN if rows else COL_MEAN) if operator == "E" else (ROW_VAR if rows else COL_VAR)
    term = t.Apply(node.span, fn, (reader.term(arg),))
    reader.out.write(term, tex)
    x = " ".join(reader.source.snippet(arg.span).split())
    word = "mean" if operator == "E" else f"biased variance (divided by {axis}, not {axis} - 1)"
    line = "row" if rows else "column"
    reader.note(
        node.span,
        "statistic over the axis written under it",
        f"{tex}: the axis {axis} written under the {operator} is one of the axes {x} is "
        f"declared with ({axes[0]} x {axes[1]}): the {word} of each {line}'s {axis} entries, "
        f"one number per {line} ({other} of them), broadcast back over the {line} where the "
        "equation uses it",
    )
    return term
