"""Blanking a stretch of the text that a rule leaves out: each character becomes a space and
every newline stays, so the text keeps its length and its lines (carets keep their columns)."""

from __future__ import annotations


def blank(out: list[str], start: int, end: int) -> None:
    """Blank ``out[start:end]`` in place, newlines kept."""
    for i in range(start, end):
        if out[i] != "\n":
            out[i] = " "
