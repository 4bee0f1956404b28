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
from .source import Source, Span


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


MAX_NESTING = 16  # brackets inside brackets in a TOML file: arrays of rank 4 need 4
MAX_NUMBERS = 1_000_000  # numbers in one case or values file


def load_toml(text: str, name: str) -> dict[str, Any]:
    """A TOML document, with its nesting and its count of numbers bounded (a located error
    before the parser, which recurses, or the rest of papermath is given too much)."""
    source = Source(text, name)
    if (where := too_deep(text)) is not None:
        raise CaseFileError(
            f"{name} nests arrays or tables more than {MAX_NESTING} deep",
            source,
            Span(where, where + 1),
            hint="a value is a number, a list of numbers, or a list of equal-length lists",
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseFileError(f"{name} is not valid TOML: {exc}") from None
    except RecursionError:  # a safety net behind too_deep
        raise CaseFileError(f"{name} nests too deeply to read") from None
    count = 0
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            count += 1
    if count > MAX_NUMBERS:
        raise CaseFileError(
            f"{name} holds {count:,} values; papermath reads up to {MAX_NUMBERS:,}",
            source,
            Span(0, min(1, len(text))),
            hint="a worked example needs one example: a few numbers per symbol",
        )
    return data


def too_deep(text: str) -> int | None:
    """The offset of the first bracket nested deeper than MAX_NESTING outside TOML strings
    and comments, or None."""
    depth, i, quote = 0, 0, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1  # an escape in a basic string
            elif text.startswith(quote, i):
                i += len(quote) - 1
                quote = ""
        elif text.startswith('"""', i) or text.startswith("'''", i):
            quote = text[i : i + 3]
            i += 2
        elif c in "\"'":
            quote = c
        elif c == "#":
            while i < len(text) and text[i] != "\n":
                i += 1
        elif c in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return i
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def from_toml(text: str, name: str = "<case>") -> Case:
    data = load_toml(text, name)
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
    if not isinstance(options, dict) or set(options) - {"strict", "macros"}:
        raise CaseFileError(
            f'{name}: [options] may set only `strict = true|false` and `macros = "NAME"`'
        )
    strict = options.get("strict", False)
    if not isinstance(strict, bool):
        raise CaseFileError(f"{name}: [options] strict must be true or false")
    from .parse.sitemacros import for_case  # `origin` on Spektral's site: its macros

    latex = for_case(latex, data, name)
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
