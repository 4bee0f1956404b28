r"""Notation rule ``running-average-name`` (the reading; the recognition is
parse/running_average.py): ``E[g^2]_t``, a running average named by its formula (ADADELTA,
optax's ``adadelta``), is one value per step, key ``E_g2``, with the shape of what it averages:
g^2 is g squared entry by entry, so ``E[g^2]`` has g's shape (tied, as a recursion's orders
are: read/rules_recursion.py). Where no equation of the source computes it (optax writes the
update of ``E[\Delta w^2]`` nowhere, though its words call it "the running average of squared
parameter updates"), it is read for its shape only: its value at step t-1 is the source's,
not an input, so generated code is refused, with the update to write.

Beside it, ``\Delta w_t`` defined by an equation (parse/delta_names.py): one name, key
``Delta_w``, said here.

Example that reads (optax's adadelta, the second average's update not written)::

    E[g^2]_t = \rho \cdot E[g^2]_{t-1} + (1-\rho) \cdot g_t^2 \\
    \Delta w_t = -\frac{\sqrt{E[\Delta w^2]_{t-1} + \epsilon}}{\sqrt{E[g^2]_t + \epsilon}} \cdot g_t
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast, running_average
from ..parse.delta_names import DeltaName
from ..source import Span
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader

RULE = "running-average-name"
# ":math:`g_t` is the gradient", "$g_t$ is the gradient": the gradient's symbol
_GRADIENT = re.compile(
    r"(?::math:`|\$)\s*(?P<sym>\\?[A-Za-z]+)\s*(?:_\s*\{?\s*t\s*\}?)?\s*(?:`|\$)\s+(?:is|are|denotes)"
    r"\s+the\s+gradient\b"
)


def _key(symbol: str) -> str:
    """``g`` -> g; ``\\Delta w`` -> Delta_w: the key of the symbol inside the bracket."""
    return "_".join(symbol.replace("\\", "").split())


def read(reader: Reader, statements: list[ast.Statement]) -> None:
    """Tie each running average to what it averages, say so; refuse code for one that no
    equation computes; say each ``\\Delta w`` read as one name."""
    seen: set[str] = set()
    for node in iter_nodes(statements):
        if isinstance(node, DeltaName) and node.content not in seen:
            seen.add(node.content)
            reader.out.convention_letters[node.content] = node.content.split("_", 1)[1]
            reader.note(
                node.span,
                f"the name {node.content}",
                f"{reader.source.snippet(node.span)} is defined by an equation: a Delta before "
                f"a symbol names its change (an update), one symbol {node.content}, not Delta "
                f"times it (by convention shaped as {node.content.split('_', 1)[1]} would be)",
            )
    gradient = _GRADIENT.search(reader.source.text)
    for node in iter_nodes(statements):
        if not isinstance(node, DeltaName) or gradient is None:
            continue
        g = "_".join(gradient.group("sym").replace("\\", "").split())
        if g in reader.out.first_span and node.content in reader.out.first_span:
            reader.out.role_vectors.append(
                (
                    (g, node.content),
                    f"{node.content} is the change of the parameters and {g} their gradient "
                    f'(the source: "{" ".join(gradient.group(0).split())}"): both have the '
                    "parameters' shape, vectors of one size (rule delta-name)",
                )
            )
            break
    for n in running_average.find(reader.source.text):
        key = f"E_{n.label}"
        if key in seen or key not in reader.out.first_span:
            continue
        seen.add(key)
        of = _key(n.symbol)
        span = Span(n.start, n.end)
        written = reader.source.snippet(span)
        bracket = written[written.index("[") : written.rindex("]") + 1]
        if of in reader.out.first_span:
            reader.out.tied_shapes[key] = of
        squared = bool(re.search(r"\^\s*\{?\s*2", bracket))
        shape = f", {of}'s shape ({bracket[1:-1]} entry by entry)" if squared else ""
        shape = shape if of in reader.out.first_span else ""
        defined = key in reader.defined_keys
        reader.note(
            span,
            "a running average, named by its formula",
            f"E{bracket} written at a step is one value per step, the running average of "
            f"{bracket[1:-1]} (not a mean over an axis), key {key}{shape}; "
            + (
                "the source defines it by an equation"
                if defined
                else "the source's words call it an average, and no equation computes it: read "
                "for its shape (code needs its update)"
            ),
        )
        if not defined:
            reader.out.shapes_only.setdefault(
                key,
                (
                    span,
                    f"write its update, as E{bracket}_t = \\rho E{bracket}_{{t-1}} + (1 - \\rho) "
                    f"{n.symbol}_t{'^2' if squared else ''} (ADADELTA's), beside the other "
                    "equations",
                ),
            )
