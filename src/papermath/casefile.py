"""Case files: a ``.toml`` with ``latex``, optional ``[dims]`` and ``[values]`` (the corpus format).

Accepted wherever a LaTeX file is. Anything else is read as LaTeX text.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CaseFileError


@dataclass
class Case:
    name: str
    latex: str
    dims: dict[str, int] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    strict: bool = False  # [options] strict = true: two declared sizes forced equal is an error
    raw: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the case file as written (for carets into its tables)


def load(path: str) -> Case:
    """Load a case file, a LaTeX file, or ``-`` (standard input)."""
    if path == "-":
        text = sys.stdin.read()
        name = "<stdin>"
    else:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CaseFileError(f"no such file: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CaseFileError(f"cannot read {path}: {exc}") from None
        name = str(p)
        if p.suffix == ".toml":
            return from_toml(text, name)
    return Case(name, text)


def from_toml(text: str, name: str = "<case>") -> Case:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseFileError(f"{name} is not valid TOML: {exc}") from None
    latex = data.get("latex")
    if not isinstance(latex, str):
        raise CaseFileError(f"{name} has no `latex` string")
    dims = data.get("dims", {})
    if not isinstance(dims, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in dims.values()
    ):
        raise CaseFileError(f"{name}: [dims] must map size names to integers")
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise CaseFileError(f"{name}: [values] must be a table")
    options = data.get("options", {})
    if not isinstance(options, dict) or set(options) - {"strict"}:
        raise CaseFileError(f"{name}: [options] may set only `strict = true|false`")
    strict = options.get("strict", False)
    if not isinstance(strict, bool):
        raise CaseFileError(f"{name}: [options] strict must be true or false")
    return Case(name, latex, dict(dims), dict(values), strict, data, text)


def parse_dims(items: list[str]) -> dict[str, int]:
    """``["m=3", "n=4"]`` (or ``"m=3,n=4"``) -> ``{"m": 3, "n": 4}``."""
    out: dict[str, int] = {}
    for item in items:
        for part in item.split(","):
            if not part.strip():
                continue
            name, eq, value = part.partition("=")
            if not eq or not value.strip().isdigit() or not name.strip():
                raise CaseFileError(f"cannot read the size {part!r}: write NAME=NUMBER")
            out[name.strip()] = int(value)
    return out
