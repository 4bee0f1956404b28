"""Source text and spans: every node of every stage points back at the characters it came from."""

from __future__ import annotations

from dataclasses import dataclass

CARET_WIDTH = 100  # the most characters of a line an error shows


@dataclass(frozen=True)
class Span:
    """Half-open character range ``[start, end)`` into a :class:`Source`'s text."""

    start: int
    end: int

    def __or__(self, other: Span) -> Span:
        return Span(min(self.start, other.start), max(self.end, other.end))

    def __repr__(self) -> str:
        return f"Span({self.start}, {self.end})"


@dataclass(frozen=True)
class Source:
    """The text a user gave, with a name for messages (a file name or ``<string>``)."""

    text: str
    name: str = "<string>"

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset.

        >>> Source("a = b\\nc = d").line_col(6)
        (2, 1)
        """
        offset = max(0, min(offset, len(self.text)))
        line = self.text.count("\n", 0, offset) + 1
        line_start = self.text.rfind("\n", 0, offset) + 1
        return line, offset - line_start + 1

    def line_text(self, line: int) -> str:
        lines = self.text.split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def snippet(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def caret(self, span: Span) -> str:
        """The line of ``span`` with a caret under it, as compilers draw it.

        >>> print(Source("h = W x").caret(Span(4, 7)))
          1 | h = W x
            |     ^^^
        """
        line, col = self.line_col(span.start)
        text = self.line_text(line)
        end_line, end_col = self.line_col(max(span.start, span.end - 1))
        width = (end_col - col + 1) if end_line == line else max(1, len(text) - col + 1)
        if len(text) > CARET_WIDTH:  # a long line: a window around the caret, marked ...
            first = max(0, min(col - 1 - CARET_WIDTH // 3, len(text) - CARET_WIDTH))
            last = first + CARET_WIDTH
            width = min(width, last - (col - 1))
            text = ("..." if first else "") + text[first:last] + ("..." if last < len(text) else "")
            col -= first - (3 if first else 0)
        gutter = f"{line:>3} | "
        pad = " " * (len(gutter) - 2) + "| "
        # keep tabs so the caret lines up under them
        lead = "".join("\t" if ch == "\t" else " " for ch in text[: col - 1])
        return f"{gutter}{text}\n{pad}{lead}{'^' * max(1, width)}"
