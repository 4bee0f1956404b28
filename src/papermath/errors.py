"""One error family. Every error a user can cause is a :class:`PapermathError` that points at the
source: the line, a caret under the span, and (for clashes) both shapes and where each came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from .source import Source, Span


@dataclass(frozen=True)
class Note:
    """A secondary location: 'the other shape was fixed here'."""

    message: str
    span: Span | None = None


class PapermathError(Exception):
    """Base class of every error papermath reports about its input."""

    kind = "error"

    def __init__(
        self,
        message: str,
        source: Source | None = None,
        span: Span | None = None,
        *,
        notes: tuple[Note, ...] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.span = span
        self.notes = notes
        self.hint = hint

    @property
    def line(self) -> int | None:
        if self.source is None or self.span is None:
            return None
        return self.source.line_col(self.span.start)[0]

    @property
    def column(self) -> int | None:
        if self.source is None or self.span is None:
            return None
        return self.source.line_col(self.span.start)[1]

    def with_source(self, source: Source) -> PapermathError:
        """Attach the user's source where the raising code did not know it."""
        if self.source is None:
            self.source = source
        return self

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        head = f"{self.kind}: {self.message}"
        if self.source is not None and self.span is not None:
            line, col = self.source.line_col(self.span.start)
            head = f"{self.source.name}:{line}:{col}: {head}"
            parts = [head, self.source.caret(self.span)]
        else:
            parts = [head]
        for note in self.notes:
            if note.span is not None and self.source is not None:
                nline, _ = self.source.line_col(note.span.start)
                parts.append(f"  note: {note.message} (line {nline})")
                parts.append(self.source.caret(note.span))
            else:
                parts.append(f"  note: {note.message}")
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)


class ParseError(PapermathError):
    """The text is not notation papermath can read (syntax, unknown command, layout)."""

    kind = "parse error"


class ReadingError(PapermathError):
    """The text parses but its meaning cannot be decided (what a symbol or operator is)."""

    kind = "reading error"


class ShapeError(PapermathError):
    """Shapes clash, or cannot be decided from what the source declares."""

    kind = "shape error"


class DeclarationError(PapermathError):
    """A declaration or dimension contradicts another one, or is malformed."""

    kind = "declaration error"


class CaseFileError(PapermathError):
    """A case file (.toml) is malformed."""

    kind = "case file error"


class InternalError(PapermathError):
    """A defect in papermath itself (a generated module or program that fails its own
    checks), never the user's input: reported, never hidden."""

    kind = "internal error"
