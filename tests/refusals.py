"""Shared by the reading tests: a text papermath must refuse, and the text under the refusal's
caret (the construct it points at)."""

from __future__ import annotations

import pytest

import papermath
from papermath.errors import PapermathError


def refused(text: str) -> PapermathError:
    """The error compiling ``text`` raises (the test fails if it reads)."""
    with pytest.raises(PapermathError) as info:
        papermath.compile(text)
    return info.value


def caret(err: PapermathError) -> str:
    """The source text under the error's caret."""
    assert err.source is not None and err.span is not None
    return err.source.text[err.span.start : err.span.end]
