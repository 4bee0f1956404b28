r"""Rule ``prose-statistics-named`` (the words: parse/prose_stats.py): where the prose says a
formula's ``\mu`` and ``\sigma`` are the mean and standard deviation of x and names the layer
(batch norm, layer norm), each is read as the statistic written in the formula,
``\mathrm{E}[x]`` and ``\sqrt{\mathrm{Var}[x]}`` (a variance ``\mathrm{Var}[x]``), so
read/rules_stats.py and read/rules_norm_axis.py read them over the axis the name says, and the
readings say the prose decided it. Only symbols no equation defines, each a single letter, and
an x that is a symbol; every use of the symbol in the equations is the statistic.

Example that reads (a whole source)::

    .. math::

        y = \gamma \frac{x - \mu}{\sigma + \epsilon}

    Where :math:`\mu` and :math:`\sigma` are respectively the mean and standard deviation of
    ``x``. This module is a batch norm.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from ..parse import ast, prose_stats
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader

_HEAD = {"mean": "E", "variance": "Var", "standard deviation": "Var"}


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with each statistic the prose names written out (see the module)."""
    text = reader.source.text
    axis = prose_stats.named_axis(text)
    said = prose_stats.statistics(text) if axis is not None else []
    if not said:
        return statements
    defined = {
        s.lhs.name
        for s in statements
        if isinstance(s, ast.Definition) and isinstance(s.lhs, ast.Letter)
    }
    by_name: dict[str, prose_stats.Said] = {}
    for s in said:
        name = s.symbol.lstrip("\\")
        if name.isalpha() and name not in defined and s.of.lstrip("\\").isalpha():
            by_name[name] = s
    if not by_name:
        return statements
    x_at = {s.of: _where(text, s) for s in by_name.values()}

    def statistic(letter: ast.Letter) -> ast.Node:
        s = by_name[letter.name]
        span = letter.span
        x = ast.Letter(x_at[s.of], s.of.lstrip("\\"))
        stat = ast.Juxt(span, ast.Text(span, "mathrm", _HEAD[s.word]), ast.Bracket(span, (x,), ","))
        return ast.Sqrt(span, stat) if s.word == "standard deviation" else stat

    def rebuild(node: ast.Node) -> ast.Node:
        if isinstance(node, ast.Letter) and node.name in by_name:
            return statistic(node)
        changed: dict[str, Any] = {}
        for f in fields(node):
            old = getattr(node, f.name)
            if isinstance(old, ast.Node):
                new: object = rebuild(old)
            elif isinstance(old, tuple):
                items = tuple(rebuild(v) if isinstance(v, ast.Node) else v for v in old)
                new = old if all(a is b for a, b in zip(items, old, strict=True)) else items
            else:
                continue
            if new is not old:
                changed[f.name] = new
        return replace(node, **changed) if changed else node

    out: list[ast.Statement] = []
    used: set[str] = set()
    for st in statements:
        if isinstance(st, ast.Definition):
            rhs = rebuild(st.rhs)
            if rhs is not st.rhs:
                used |= {n.name for n in ast.walk(st.rhs) if isinstance(n, ast.Letter)}
                st = replace(st, rhs=rhs)
        out.append(st)
    for name, s in by_name.items():
        if name not in used:
            continue
        if s.word == "standard deviation":
            written = f"\\sqrt{{\\mathrm{{Var}}[{s.of}]}}"
        else:
            written = f"\\mathrm{{{_HEAD[s.word]}}}[{s.of}]"
        layer = axis[1] if axis is not None else ""
        reader.note(
            s.span,
            "statistic said in words",
            f"the prose says \\{name} is the {s.word} of {s.of}, and names the layer ({layer}): "
            f"read as the formula would write it, {written}, over the axis the name says",
        )
    return out


def _where(text: str, s: prose_stats.Said) -> Span:
    """Where the prose writes the value the statistic is of (its span in the sentence)."""
    at = text.rfind(s.of, s.span.start, s.span.end)
    return Span(at, at + len(s.of)) if at >= 0 else s.span
