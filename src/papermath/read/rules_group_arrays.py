r"""Notation rule ``group-arrays-words`` (the reader's half; the words and the shapes are read by
parse/group_arrays.py): "`groups`-many arrays $x_i$ ..., and for each one computes" makes i
the index of a family, one group per i (the shapes given are one group's), as
read/rules_family.py reads "for each capsule $k$"; and ``\gamma_i``, ``\beta_i``, which the
words give one shape per group and whose letters name a layer's learned scale and shift, are
learned parameters, one per group (each group's share of the per-channel vectors), not input
data as an undefined symbol with an index would be. The readings quote the words.

Example that reads (a whole source of five lines)::

    `groups`-many arrays $x_i$ each of shape `(channels/groups, ...)`, and for each one computes

    $$\frac{x_i - \mathbb{E}[x_i]}{\sqrt{\text{Var}[x_i] + \varepsilon}} * \gamma_i + \beta_i$$

    where $\gamma_i$, $\beta_i$ have shape `(channels/groups,)`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.group_arrays import read, words
from ..source import Span
from .rules_pairs import SET_PREFIX
from .rules_prose_kinds import _free, _occurrences

if TYPE_CHECKING:
    from .reader import Reader

_PARAMETERS = frozenset({"gamma", "beta", "W", "b", "w"})


def index(reader: Reader, statements: list[ast.Statement]) -> None:
    """i of "`groups`-many arrays $x_i$" as the index of the groups (see the module)."""
    said = words(reader.source.text)
    if said is None or said.index in reader.out.indices:
        return
    if not read(said, statements):
        return  # the shapes were not read (parse/group_arrays.py): refused there
    m = said.many
    quoted = " ".join(reader.source.text[m.start() : m.end()].split())
    reader.add_index(
        said.index,
        "node",
        f"the prose says '{quoted}' and 'for each one computes': {said.index} picks one group "
        f"(`{said.count}` of them), and the formula holds for each (group-arrays-words)",
        Span(m.start("i"), m.end("i")),
        f"{SET_PREFIX}{said.index}",
    )
    reader.note(
        said.tuple_span,
        "a group's shape, in part",
        f"the prose gives {said.symbol}_{said.index} the shape "
        f"{reader.source.snippet(said.tuple_span)}: its first axis is the one of the scale and "
        f"shift (read from their own shape), and the further axes (...: the positions) are not "
        "read: the statistics over them and the first together (group normalization) are read "
        "over an axis the source does not say, so shapes and kinds hold, and code is refused "
        "(group-arrays-words)",
    )


def kinds(reader: Reader) -> None:
    """``\\gamma_i``, ``\\beta_i``: learned, one per group (see the module)."""
    said = words(reader.source.text)
    if said is None or said.index not in reader.out.indices:
        return
    text = reader.source.text
    for m in re.finditer(r"\$([^$]+)\$", said.shape.group("syms")):
        written = re.sub(r"\s+", "", m.group(1))
        letter = written.split("_")[0].lstrip("\\")
        if letter not in _PARAMETERS:
            continue
        for key, span in _occurrences(reader):
            if re.sub(r"[{}\s]", "", text[span.start : span.end]) != written.replace("{", ""):
                continue
            if not _free(reader, key) or key in reader.out.role_notes:
                continue
            reader.out.directives[key] = "parameter"
            reader.out.role_notes[key] = (
                f"{m.group(1)} is group {said.index}'s share of a learned per-channel vector "
                f"({letter} names a layer's learned scale or shift; the prose gives it one "
                f"shape per group): a parameter, one per group (group-arrays-words)"
            )
