"""Notation rule ``code-sequential-update`` (its reading side; the rule is
parse/code_updates.py): in an update written as code and read in order (Lasagne's ``param :=
param - learning_rate * gradient``), the names it reads but assigns nowhere are given at each
step (``gradient``, as ``torch.optim`` is given ``p.grad``): inputs; the names a numpydoc
parameter line says are numbers (``learning_rate : float or symbolic scalar``) are constants
the caller gives, not values to learn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from ..parse.code_index import CodeKey
from ..parse.code_updates import SequentialDefinition

if TYPE_CHECKING:
    from .reader import Reader


def roles(reader: Reader, statements: list[ast.Statement]) -> None:
    """Set the kinds of the names a sequential update reads (see the module)."""
    text = reader.source.text
    for s in statements:
        if not isinstance(s, SequentialDefinition):
            continue
        for node in ast.walk(s.rhs):
            name = text[node.span.start : node.span.end]
            if name not in s.numbers and not (
                name in s.given and isinstance(node, ast.Letter | ast.Text | CodeKey)
            ):
                continue  # the given name itself, not the step the rule put on it
            parts = reader.symbol(node, quiet=True)
            if parts is None or parts.key in reader.out.directives:
                continue
            if name in s.given and isinstance(node, CodeKey):  # updates[param]
                reader.out.role_inputs.setdefault(
                    parts.key,
                    f"given at each step of the update (read by it, assigned by none of its "
                    f"lines: the value the dictionary holds for {name[name.index('[') + 1 : -1]}, "
                    "a step its parameter line says the caller gives; code-sequential-update)",
                )
            elif name in s.given:
                reader.out.role_inputs.setdefault(
                    parts.key,
                    "given at each step of the update (read by it, assigned by none of its "
                    "lines: the gradient an optimiser is given; code-sequential-update)",
                )
            else:
                reader.out.directives[parts.key] = "constant"
                reader.out.role_notes[parts.key] = (
                    f"{parts.key} is a number its parameter line says the caller gives "
                    "(code-sequential-update)"
                )
