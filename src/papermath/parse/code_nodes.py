"""The node of a definition written as code (parse/code.py reads it; rules beside it, such as
parse/code_labels.py, build their own kinds of it without importing the code reader)."""

from __future__ import annotations

import dataclasses

from . import ast


@dataclasses.dataclass(frozen=True)
class CodeDefinition(ast.Definition):
    """A definition written as code; ``where`` says how (a fenced block, a code span)."""

    where: str = ""
