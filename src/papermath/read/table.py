r"""The notation rule table: every reading rule papermath applies, with the examples that are
its tests.

The rules themselves are in :mod:`papermath.read.rule_table`, one block each: what people
write, how papermath reads it (for a refusal, why), the module that implements it, and its
examples. docs/notation.md is generated from them (``python scripts/notation_doc.py``, with
the prose around the tables in docs/notation.in.md), and tests/test_notation_table.py runs
every example through papermath with :func:`problem`.

An :class:`Example` is a small source and what it must give: the shapes (and kinds) of some
symbols, words of one of its readings, or a refusal (words of the message, and the text under
the caret). The expected results are written from the notation's meaning, never copied from
papermath's own output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# the columns of each table of docs/notation.md
TABLES: dict[str, tuple[str, ...]] = {
    "layout": ("you write", "papermath reads"),
    "presentation": ("you write", "papermath reads"),
    "doubts": ("you write", "why it is refused"),
    "statements": ("form", "meaning"),
    "keys": ("written", "key", "why"),
    "functions": ("written", "reading"),
    "operators": ("written", "reading"),
    "sizes": ("written", "shape"),
    "conventions": ("convention", "example", "override"),
    "disagreements": (
        "notation",
        "papers that mean A",
        "papers that mean B",
        "papermath",
        "override",
    ),
}


@dataclass(frozen=True)
class Example:
    latex: str
    # symbol key -> its shape, axes joined by " x " ("" a scalar); "?" stands for a free size
    shapes: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    says: str = ""  # words that one reading (its subject, reading or reason) contains
    refused: tuple[str, ...] = ()  # the refusal's message contains these ("" any refusal)
    at: str = ""  # the text under the caret of the refusal starts with this
    dims: dict[str, int] = field(default_factory=dict)

    @property
    def is_refusal(self) -> bool:
        return bool(self.refused)


@dataclass(frozen=True)
class Rule:
    id: str
    table: str  # the table of docs/notation.md that lists it (a key of TABLES)
    cells: tuple[str, ...]  # its row: the table's columns, markdown
    where: str  # the module that implements it, relative to src/papermath
    examples: tuple[Example, ...] = ()


def ok(
    latex: str,
    says: str = "",
    kinds: dict[str, str] | None = None,
    dims: dict[str, int] | None = None,
    **shapes: str,
) -> Example:
    """An example that reads; ``shapes`` by symbol key (``W_f="n x m"``)."""
    return Example(latex, shapes=shapes, kinds=kinds or {}, says=says, dims=dims or {})


def refused(latex: str, *words: str, at: str = "") -> Example:
    """An example that is refused, its message holding ``words``, the caret under ``at``."""
    return Example(latex, refused=words or ("",), at=at)


def problem(example: Example) -> str | None:
    """What is wrong with ``example`` as papermath reads it now (None: it holds)."""
    from papermath import PapermathError, compile

    try:
        system = compile(example.latex, example.dims or None)
    except PapermathError as err:
        if not example.is_refusal:
            return f"refused: {err.message}"
        missing = [w for w in example.refused if w not in err.message]
        if err.span is None or err.source is None:
            return f"refused without a caret: {err.message}"
        under = err.source.snippet(err.span)
        if missing or not under.startswith(example.at):
            return (
                f"refused with {err.message!r} under {under!r}: expected {missing} / {example.at!r}"
            )
        return None
    if example.is_refusal:
        return f"read, though the rule refuses it: {system.shapes}"
    problems = []
    for key, want in example.shapes.items():
        got = system.shapes.get(key)
        axes = [] if want == "" else want.split(" x ")
        if got is None:
            problems.append(f"{key}: no such symbol (have {sorted(system.shapes)})")
        elif len(axes) != len(got) or any(
            a not in ("?", g) for a, g in zip(axes, got, strict=True)
        ):
            problems.append(f"{key}: {' x '.join(got) or 'scalar'}, expected {want or 'scalar'}")
    for key, want in example.kinds.items():
        if system.kinds.get(key) != want:
            problems.append(f"{key}: kind {system.kinds.get(key)}, expected {want}")
    said = (f"{r.subject} {r.reading} {r.reason}" for r in system.readings)
    if example.says and not any(example.says in s for s in said):
        problems.append(f"no reading says {example.says!r}")
    return "; ".join(problems) or None
