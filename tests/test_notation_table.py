"""The notation rule table (src/papermath/read/rule_table.py): every example of every rule holds
as papermath reads it now, every rule has one, and docs/notation.md is generated from the table.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from papermath.read.rule_table import RULES
from papermath.read.table import TABLES, Example, problem

EXAMPLES = [(r.id, i, e) for r in RULES for i, e in enumerate(r.examples)]
PACKAGE = ROOT / "src" / "papermath"
# parse/ modules that hold no notation rule: the package, the tree, its builder, prose nodes
INFRASTRUCTURE = {"__init__", "ast", "transform", "prose_nodes", "blanking", "code_nodes"}


def test_every_rule_has_an_example_and_a_unique_id() -> None:
    assert [r.id for r in RULES if not r.examples] == []
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert {r.table for r in RULES} == set(TABLES)
    for r in RULES:
        assert len(r.cells) == len(TABLES[r.table]), r.id
        assert (PACKAGE / r.where).is_file(), f"{r.id}: no module {r.where}"


def test_every_rule_module_is_in_the_table() -> None:
    """A module of reading rules (read/rules_*.py, and every stage of parse/ but its
    infrastructure) is the ``where`` of a rule, or named by one: its notation is documented
    with an example."""
    modules = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.glob("read/rules_*.py"))
    modules += sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.glob("parse/*.py")
        if p.stem not in INFRASTRUCTURE
    )
    named = {r.where for r in RULES} | {m for r in RULES for m in modules if m in " ".join(r.cells)}
    assert [m for m in modules if m not in named] == []


@pytest.mark.parametrize(
    "example", [e for _, _, e in EXAMPLES], ids=[f"{r}-{i}" for r, i, _ in EXAMPLES]
)
def test_example(example: Example) -> None:
    assert problem(example) is None, problem(example)


def test_an_example_that_does_not_hold_is_caught() -> None:
    """The check can fail: a wrong shape, a wrong kind, a refusal that reads."""
    from papermath.read.table import ok, refused

    latex = r"y = W x, x \in \mathbb{R}^m, y \in \mathbb{R}^n"
    assert problem(ok(latex, W="n x m")) is None
    assert "expected m x n" in (problem(ok(latex, W="m x n")) or "")
    assert "kind" in (problem(ok(latex, kinds={"W": "input"})) or "")
    assert "read, though" in (problem(refused(latex, "x")) or "")


def test_the_doc_is_generated_from_the_table() -> None:
    script = ROOT / "scripts" / "notation_doc.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
