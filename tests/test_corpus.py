"""Every non-stretch case of ../shared/corpus: shapes, solved sizes, and errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

import papermath
from conftest import ASSUMED_SIZES, NOT_READ_YET, assert_shapes_match, corpus_cases
from papermath.check import check
from papermath.parse import ast, parse

CASES = corpus_cases()
# stretch cases too: papermath reads the one the corpus has (macros, \overset shapes)
ACTIVE = corpus_cases(readable_only=True)


def equation_number(err: papermath.PapermathError) -> int | None:
    """The number of the equation holding the error (the corpus README: "1-based line of the
    equation in latex"), counted with papermath's own parser over the text the error quotes
    (macros expanded, line for line); the error's text line where that text does not parse."""
    if err.source is None or err.span is None:
        return err.line
    try:
        statements = parse(err.source.text)
    except papermath.PapermathError:
        return err.line
    equations = [s for s in statements if isinstance(s, ast.Definition)]
    before = [s for s in equations if s.span.start <= err.span.start]
    return len(before) if before else err.line


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
        assert equation_number(err) == expect["error_line"], err.render()
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
    shapes = system.shapes
    if name in ASSUMED_SIZES:
        free, assumed, _ = ASSUMED_SIZES[name]
        assert free not in system.declared_sizes and free not in system.solved
        assert any(free in shape for shape in shapes.values())
        shapes = {k: tuple(assumed if s == free else s for s in v) for k, v in shapes.items()}
    assert_shapes_match(shapes, expect.get("shapes", {}), declared)
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
    """k indexes layers; W has no k but its size D_{k-1} x D_k names two layers' widths, so
    the reading says W is one matrix per layer (issue 25), not one shared by all k."""
    case = dict(CASES)["seed_mlp_overdim"]
    system = papermath.compile(case["latex"])
    assert system.kinds["k"] == "index" and system.kinds["z"] == "input"
    per_layer = [r for r in system.readings if r.reading == "one W per layer"]
    assert [r.subject for r in per_layer] == ["W"]
    assert not [r for r in system.readings if r.reading == "parameter shared across steps"]
