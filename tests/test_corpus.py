"""Every non-stretch case of ../shared/corpus: shapes, solved sizes, and errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

import papermath
from conftest import NOT_READ_YET, assert_shapes_match, corpus_cases
from papermath.check import check

CASES = corpus_cases()
# stretch cases too: papermath reads the one the corpus has (macros, \overset shapes)
ACTIVE = corpus_cases(readable_only=True)


def test_corpus_is_there() -> None:
    assert len([c for _, c in CASES if not c.get("stretch")]) >= 9


@pytest.mark.parametrize(("name", "case"), ACTIVE, ids=[n for n, _ in ACTIVE])
def test_corpus_case(name: str, case: dict[str, Any]) -> None:
    expect = case.get("expect", {})
    strict = case.get("options", {}).get("strict", False)
    if expect.get("error"):
        with pytest.raises(papermath.PapermathError) as info:
            papermath.compile(case["latex"], case.get("dims"), strict=strict)
        err = info.value
        assert err.line == expect["error_line"], err.render()
        for word in expect["error_words"]:
            assert re.search(rf"(?<![A-Za-z_]){re.escape(word)}(?![A-Za-z_])", err.message), (
                f"{word!r} not in {err.message!r}"
            )
        return
    system = papermath.compile(case["latex"], case.get("dims"), strict=strict)
    declared = set(system.declared_sizes) | {
        s.replace(" ", "")
        for shape in expect.get("shapes", {}).values()
        for s in shape
        if "{" in s  # D_{k-1}: a declared name, written with its index
    }
    assert_shapes_match(system.shapes, expect.get("shapes", {}), declared)
    for size, value in expect.get("solved", {}).items():
        assert system.solved.get(size) == value, f"{size}: solved {system.solved}"


@pytest.mark.parametrize("name", sorted(NOT_READ_YET))
def test_cases_not_read_yet_are_refused_not_misread(name: str) -> None:
    """Until papermath reads a case end to end, some stage refuses it with a PapermathError
    (a caret and a message, no traceback); a case that passes every stage leaves the list."""
    case = dict(CASES)[name]
    with pytest.raises(papermath.PapermathError):
        system = papermath.compile(case["latex"], case.get("dims"))
        dims = {**case.get("dims", {}), **system.dims_from_values(case.get("values", {}))}
        check(system, dims)
        system.to_torch(dims)


def test_overdim_says_which_reading_it_took() -> None:
    """k indexes layers; W has no k, so the reading says W is one parameter shared by all k."""
    case = dict(CASES)["seed_mlp_overdim"]
    system = papermath.compile(case["latex"])
    assert system.kinds["k"] == "index" and system.kinds["z"] == "input"
    shared = [r for r in system.readings if r.reading == "parameter shared across steps"]
    assert [r.subject for r in shared] == ["W"]
