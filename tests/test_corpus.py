"""Every non-stretch case of ../shared/corpus: shapes, solved sizes, and errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

import papermath
from conftest import assert_shapes_match, corpus_cases

CASES = corpus_cases()
# stretch cases too: papermath reads the one the corpus has (macros, \overset shapes)
ACTIVE = list(CASES)


def test_corpus_is_there() -> None:
    assert len([c for _, c in CASES if not c.get("stretch")]) >= 9


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
    declared = set(system.declared_sizes) | {
        s.replace(" ", "")
        for shape in expect.get("shapes", {}).values()
        for s in shape
        if "{" in s  # D_{k-1}: a declared name, written with its index
    }
    assert_shapes_match(system.shapes, expect.get("shapes", {}), declared)
    for size, value in expect.get("solved", {}).items():
        assert system.solved.get(size) == value, f"{size}: solved {system.solved}"


def test_overdim_says_which_reading_it_took() -> None:
    """k indexes layers; W has no k, so the reading says W is one parameter shared by all k."""
    case = dict(CASES)["seed_mlp_overdim"]
    system = papermath.compile(case["latex"])
    assert system.kinds["k"] == "index" and system.kinds["z"] == "input"
    shared = [r for r in system.readings if r.reading == "parameter shared across steps"]
    assert [r.subject for r in shared] == ["W"]
