"""Every non-stretch case of ../shared/corpus: shapes, solved sizes, and errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

import papermath
from conftest import assert_shapes_match, corpus_cases

CASES = corpus_cases()
ACTIVE = [(name, case) for name, case in CASES if not case.get("stretch")]


def test_corpus_is_there() -> None:
    assert len(ACTIVE) >= 9


@pytest.mark.parametrize(("name", "case"), ACTIVE, ids=[n for n, _ in ACTIVE])
def test_corpus_case(name: str, case: dict[str, Any]) -> None:
    expect = case.get("expect", {})
    if expect.get("error"):
        with pytest.raises(papermath.PapermathError) as info:
            papermath.compile(case["latex"], case.get("dims"))
        err = info.value
        assert err.line == expect["error_line"], err.render()
        for word in expect["error_words"]:
            assert re.search(rf"(?<![A-Za-z_]){re.escape(word)}(?![A-Za-z_])", err.message), (
                f"{word!r} not in {err.message!r}"
            )
        return
    system = papermath.compile(case["latex"], case.get("dims"))
    declared = set(system.declared_sizes)
    assert_shapes_match(system.shapes, expect.get("shapes", {}), declared)
    for size, value in expect.get("solved", {}).items():
        assert system.solved.get(size) == value, f"{size}: solved {system.solved}"


def test_stretch_cases_are_marked() -> None:
    """Stretch cases are notation beyond this milestone; they must at least fail cleanly."""
    for _name, case in CASES:
        if case.get("stretch"):
            try:
                papermath.compile(case["latex"], case.get("dims"))
            except papermath.PapermathError as err:
                assert err.line is not None
