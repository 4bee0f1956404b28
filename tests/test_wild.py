"""The wild corpus (tests/wild): equations copied verbatim from public sources, read by
papermath. A ratchet: the counts of tests/wild/baseline.json may only get better (more read
right, fewer read wrong, fewer crashes). After an improvement, record the new counts with
`.venv/bin/python scripts/wild_report.py --write-baseline`."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

WILD = Path(__file__).resolve().parent / "wild"


def load_measure() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wild_measure", WILD / "measure.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["wild_measure"] = module
    spec.loader.exec_module(module)
    return module


measure = load_measure()


@pytest.fixture(scope="module")
def results() -> list:
    return [measure.classify(name, case) for name, case in measure.load_cases()]


def test_every_case_is_well_formed() -> None:
    cases = measure.load_cases()
    assert len(cases) >= 100
    for name, case in cases:
        assert {"origin", "source", "latex", "notes"} <= set(case), name
        expect = case.get("expect", {})
        # something to check: shapes, kinds (a cut that declares no shape), or a refusal
        assert expect.get("shapes") or expect.get("kinds") or expect.get("error"), name
        for key, shape in expect.get("shapes", {}).items():
            for size in shape:
                measure.sym(size)  # every size parses
            assert isinstance(key, str) and key, name


def test_counts_never_get_worse(results: list) -> None:
    baseline = json.loads(measure.BASELINE.read_text())
    counts = measure.counts(results)
    wrong = [f"{r.name}: {r.detail}" for r in results if r.outcome == "read_wrong"]
    crashed = [f"{r.name}: {r.detail}" for r in results if r.outcome == "crashed"]
    assert counts["read_right"] >= baseline["read_right"], counts
    assert counts["read_wrong"] <= baseline["read_wrong"], "\n".join(wrong)
    assert counts["crashed"] <= baseline["crashed"], "\n".join(crashed)


def test_a_placeholder_name_renames_only_one_to_one() -> None:
    """An expected size the source never writes (a case's `d` for PyTorch's input_size) may
    stand for a size papermath names from the source's words; one the source writes may not,
    and the renaming stays one-to-one."""
    m = measure
    got = {"x": ("input_size",), "h": ("hidden_size",)}
    written = frozenset({"input_size", "hidden_size", "x", "h"})
    declared = {"input_size", "hidden_size"}
    assert m.shape_difference(got, {"x": ["d"], "h": ["H"]}, declared, written) is None
    # two placeholders cannot both be one size, nor one placeholder two sizes
    assert m.shape_difference(got, {"x": ["d"], "h": ["d"]}, declared, written) is not None
    # a name the source writes is compared as written
    assert m.shape_difference(got, {"x": ["hidden_size"]}, declared, written) is not None
    # without the source's words, a declared size is never renamed
    assert m.shape_difference(got, {"x": ["d"]}, declared) is not None


def test_every_refusal_has_a_caret_and_a_hint() -> None:
    """Issue 24: every refusal of the wild corpus and of the papers' corpus points at the
    construct (a span, drawn as a caret) and says what to write instead (a hint). Whether
    each hint is right is judged by reading them (scripts/wild_report.py --all)."""
    import papermath

    folders = [WILD / "cases", WILD.parent.parent.parent / "shared" / "corpus_papers"]
    missing = []
    for folder in folders:
        for name, case in measure.load_cases(folder):
            try:
                papermath.compile(measure.case_latex(name, case))
            except papermath.PapermathError as err:
                if err.span is None or not err.hint:
                    missing.append(f"{name}: {err.message[:80]}")
    assert not missing, "\n".join(missing)
