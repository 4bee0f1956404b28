r"""Notation rule ``group-arrays-words``: the prose splits the input into groups and writes the
formula for one group, giving the shapes as tuples of code (Equinox's GroupNorm docstring)::

    `groups`-many arrays $x_i$ each of shape `(channels/groups, ...)`, and for each one
    computes
    $$\frac{x_i - \mathbb{E}[x_i]}{\sqrt{\text{Var}[x_i] + \varepsilon}} * \gamma_i + \beta_i$$
    where $\gamma_i$, $\beta_i$ have shape `(channels/groups,)` ...

What people mean: i picks one of the groups (``groups``-many arrays, "for each one"), and the
formula holds for each; ``\gamma_i``, ``\beta_i`` are group i's share of the learned scale and
shift, one number per channel of the group: channels/groups of them. How papermath reads it:

* i is the index of a family (one value per group; the shapes given are one group's), quoted
  in the readings (read/rules_group_arrays.py); ``\gamma_i``, ``\beta_i`` (parameter letters)
  are learned, one per group;
* the tuple ``(channels/groups,)`` said of symbols the equations write is their shape: one axis
  of channels/groups numbers, a size papermath names ``C_g`` (the source writes it as a
  quotient of two code names, which is one number here); the readings say so;
* the group's own tuple ``(channels/groups, ...)`` has further axes (``...``: the positions)
  that papermath does not read: it is not declared, x_i takes the channels' axis from the
  product with ``\gamma_i``, and its statistics are read over an axis the source does not say
  (read/rules_norm_axis.py: shapes, kinds and the diagram; code refused by name).

Read only where the words say "N-many arrays $x_i$" of the symbol whose tuple has the ``...``,
and a tuple without ``...`` names the shape of other symbols the equations write with the same
index; otherwise parse/shape_literals.py refuses at the tuple.

Example that reads (a whole source of five lines)::

    `groups`-many arrays $x_i$ each of shape `(channels/groups, ...)`, and for each one computes

    $$\frac{x_i - \mathbb{E}[x_i]}{\sqrt{\text{Var}[x_i] + \varepsilon}} * \gamma_i + \beta_i$$

    where $\gamma_i$, $\beta_i$ have shape `(channels/groups,)`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

__all__ = ["GroupWords", "declarations", "per_group_output", "read", "shape_span", "words"]

# "`groups`-many arrays $x_i$ each of shape `(channels/groups, ...)`"
_MANY = re.compile(
    r"`?(?P<n>[A-Za-z_]+)`?-many\s+arrays\s+\$(?P<sym>\\?[A-Za-z]+)_(?P<i>[a-z])\$\s+each\s+of\s+"
    r"shape\s+`\((?P<axes>[^`)]*?),\s*\.\.\.\s*\)`"
)
# "where $\gamma_i$, $\beta_i$ have shape `(channels/groups,)`"
_SHAPE = re.compile(
    r"(?P<syms>\$[^$]+\$(?:\s*,\s*(?:and\s+)?\$[^$]+\$)*)\s+(?:has|have)\s+shape\s+"
    r"`\((?P<axes>[^`)]*?),?\s*\)`"
)
_QUOTIENT = re.compile(r"\s*([A-Za-z_]+)\s*/\s*([A-Za-z_]+)\s*")
SIZE = "C_g"  # the name of channels/groups: one size


@dataclass(frozen=True)
class GroupWords:
    """The words read: the index letter, the group's symbol, the number of groups as written,
    the tuple with ``...`` (its span), and the sentence giving the others' shape."""

    index: str
    symbol: str
    count: str
    tuple_span: Span
    shape: re.Match[str]
    many: re.Match[str]


def words(text: str) -> GroupWords | None:
    """The group words of ``text`` (see the module), or None."""
    many = _MANY.search(text)
    if many is None or _QUOTIENT.fullmatch(many.group("axes")) is None:
        return None
    for shape in _SHAPE.finditer(text):
        if shape.group("axes").strip() != many.group("axes").strip():
            continue
        i = many.group("i")
        syms = re.findall(r"\$([^$]+)\$", shape.group("syms"))
        if syms and all(re.fullmatch(rf"\\?[A-Za-z]+_{i}", s.strip()) for s in syms):
            at = Span(many.start("axes") - 1, many.end() - 1)
            return GroupWords(i, many.group("sym"), many.group("n"), at, shape, many)
    return None


def shape_span(said: GroupWords) -> Span:
    """Where the declarations read from the shape sentence lie: its tuple, no backticks."""
    return Span(said.shape.start("axes") - 1, said.shape.end() - 1)


def read(said: GroupWords | None, statements: list[ast.Statement]) -> bool:
    """Were the shapes of the group words read (:func:`declarations` among ``statements``)?"""
    return said is not None and any(
        isinstance(s, ProseDeclaration) and s.span == shape_span(said) for s in statements
    )


def declarations(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``\\gamma_i \\in \\mathbb{R}^{C_g}`` for each symbol the shape sentence names and the
    equations write (see the module)."""
    said = words(text)
    if said is None:
        return []
    written = {
        re.sub(r"\s+", "", text[n.span.start : n.span.end])
        for s in statements
        if isinstance(s, ast.Definition)
        for n in ast.walk(s)
    }
    if f"{said.symbol}_{said.index}" not in written:
        return []
    shape = said.shape
    out: list[ast.Statement] = []
    for m in re.finditer(r"\$([^$]+)\$", shape.group("syms")):
        sym = m.group(1).strip()
        if re.sub(r"\s+", "", sym) not in written:
            return []
        start = shape.start("syms") + m.start(1)
        where = (shape_span(said).start, shape_span(said).end)
        decl = declaration_on_words(sym, SIZE, WordSpans((start, start + len(sym)), where))
        if decl is None:
            return []
        quoted = " ".join(shape.group(0).replace("$", "").split())
        out.append(
            ProseDeclaration(
                Span(*where),
                decl.targets,
                decl.space,
                said=(
                    f"said in words: '{quoted}': one axis of {shape.group('axes').strip()} "
                    f"numbers (one per channel of the group), a size named {SIZE} here (the "
                    "source writes it as a quotient of two code names) (group-arrays-words)"
                ),
            )
        )
    return out


def per_group_output(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The display's output that parse/output_display.py names (``y``), made one per group
    (``y_i``) where the group words are read (see the module): the formula is written for
    one group and computes that group's output. Nothing else changes."""
    from .output_display import OutputDefinition

    said = words(text)
    if said is None or not read(said, statements):
        return statements
    out: list[ast.Statement] = []
    for s in statements:
        if isinstance(s, OutputDefinition) and isinstance(s.lhs, ast.Letter):
            at = s.lhs.span
            lhs = ast.Sub(at, s.lhs, ast.Letter(at, said.index))
            s = dataclasses.replace(s, lhs=lhs)
        out.append(s)
    return out
