"""The rule registries (papermath.ir.rules) are complete: every primitive has a rule in every
required registry, each registered by the family module its primitive names, and every
elementwise function either has C++ for the fused kernels or says why not. A missing rule
fails here by the primitive's name and the registry's, before any program meets it."""

from __future__ import annotations

import pytest

import papermath.ops.families  # noqa: F401  (fills the registries)
from papermath.errors import InternalError
from papermath.ir.prims import FAMILIES, PRIMS, Prim, add_p
from papermath.ir.rules import (
    OVER_INDEX,
    REQUIRED,
    cpp_rules,
    emit_rules,
    forward_tree_rules,
    rule,
    shape_rules,
    vjp_rules,
    vjp_tree_rules,
)
from papermath.ops import ELEMENTWISE
from papermath.read.rules_reductions import OPERATORS

# the primitives a read term IndexSum names: \sum_i and \prod_i (the grammar's big operators),
# and the operators of read/rules_reductions.py (\max_i, \operatorname{logsumexp}_i)
OVER_AN_INDEX = [PRIMS["sum"], PRIMS["prod"], *(PRIMS[name] for name in OPERATORS.values())]


def missing_rules() -> list[str]:
    """Each registry without a rule some primitive needs: "registry: name, name"."""
    out = []
    for name, registry in REQUIRED.items():
        missing = [p.name for p in PRIMS.values() if p not in registry]
        out += [f"{name} has no rule for {', '.join(missing)}"] if missing else []
    for name, registry in OVER_INDEX.items():  # explain, diagram and grad read these
        missing = [p.name for p in OVER_AN_INDEX if p not in registry]
        out += [f"{name} has no rule for {', '.join(missing)}"] if missing else []
    return out


@pytest.mark.parametrize("registry", sorted(REQUIRED))
def test_every_primitive_is_in_every_required_registry(registry: str) -> None:
    missing = [p.name for p in PRIMS.values() if p not in REQUIRED[registry]]
    assert not missing, f"{registry} has no rule for {', '.join(missing)}"


def test_every_rule_of_every_primitive_is_there() -> None:
    """Every primitive has a shape, an emit and a VJP rule; every reduction over an index
    (what IndexSum names) a printed gradient, a noun and a diagram label as well."""
    assert not missing_rules(), missing_rules()


@pytest.mark.parametrize(
    ("registry", "prim"),
    [("emit_rules", "max"), ("vjp_rules", "logsumexp"), ("shape_rules", "max")]
    + [(registry, prim) for registry in OVER_INDEX for prim in ("max", "logsumexp")],
)
def test_a_removed_rule_fails_by_the_primitive_s_name(
    registry: str, prim: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The completeness check can fail: with one rule taken out, it names the primitive
    and the registry."""
    table = {**REQUIRED, **OVER_INDEX}[registry]
    monkeypatch.delitem(table, PRIMS[prim])
    assert missing_rules() == [f"{registry} has no rule for {prim}"]


def test_the_reader_s_reductions_are_primitives_of_the_reductions_family() -> None:
    assert all(PRIMS[name].family == "reductions" for name in OPERATORS.values())


@pytest.mark.parametrize("registry", sorted({**REQUIRED, **OVER_INDEX}))
def test_every_rule_belongs_to_a_primitive(registry: str) -> None:
    """No rule is registered for something that is not one of PRIMS (a stale primitive)."""
    strays = [k for k in {**REQUIRED, **OVER_INDEX}[registry] if k not in PRIMS.values()]
    assert not strays, f"{registry} has rules for {strays}, which are not primitives"


def test_each_rule_sits_in_its_primitive_s_family_module() -> None:
    """A primitive's code rules (and the trees of its printed gradient) live in
    papermath/ops/<family>.py (the fn primitive's, whose rows are elementwise.py, in
    functions.py): where a newcomer looks for them. (Shape rules
    are shared: most say "the shape of the operand".)"""
    home = {family: f"papermath.ops.{family}" for family in FAMILIES}
    home["elementwise"] = "papermath.ops.functions"
    registries = {"emit_rules": emit_rules, "vjp_rules": vjp_rules, "cpp_rules": cpp_rules}
    registries["latex_rules"] = OVER_INDEX["latex_rules"]
    # the printed gradients' trees (papermath grad): optional, but under the family's rules
    registries |= {"forward_tree_rules": forward_tree_rules, "vjp_tree_rules": vjp_tree_rules}
    wrong = []
    for name, registry in registries.items():
        for p, fn in registry.items():
            module = fn.value.__module__ if name == "cpp_rules" else fn.__module__
            if module != home[p.family]:
                wrong.append(f"{name}[{p.name}] in {module}, not {home[p.family]}")
    assert not wrong, wrong


def test_primitive_names_and_families() -> None:
    assert all(PRIMS[name].name == name for name in PRIMS)
    assert all(p.family in FAMILIES for p in PRIMS.values())
    assert all(p.doc and "\n" not in p.doc for p in PRIMS.values())


def test_a_primitive_compares_by_identity_never_with_a_name() -> None:
    """``op.prim == "add"`` (left from when primitives were names) is an error, not False."""
    assert add_p is PRIMS["add"] and add_p == add_p and add_p != PRIMS["sub"]
    with pytest.raises(InternalError, match="identity"):
        _ = add_p == "add"
    with pytest.raises(InternalError, match="identity"):
        _ = add_p in ("sub", "add")


def test_a_missing_rule_says_the_primitive_and_the_registry() -> None:
    stray = Prim("stray", "a primitive no family registered", "arithmetic")
    with pytest.raises(InternalError, match="no shape rule for the primitive stray"):
        rule(shape_rules, "shape", stray)


def test_every_elementwise_function_has_cpp_or_a_reason() -> None:
    """A function without C++ would silently keep its cell off the fused kernel: each row
    has C++ (value and derivative), or says why not."""
    unexplained = [
        row.name for row in ELEMENTWISE.values() if row.cpp is None and not row.no_cpp.strip()
    ]
    assert not unexplained, f"no C++ and no reason for {unexplained}"
    for row in ELEMENTWISE.values():
        if row.cpp is not None:
            value, derivative = row.cpp
            assert "{x}" in value, row.name
            assert "{x}" in derivative or "{y}" in derivative or "scalar_t" in derivative


def test_the_kernel_planner_names_a_function_without_cpp(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell whose function has no C++ is refused by name (the reason the step keeps)."""
    import dataclasses

    import papermath
    from papermath.backends.steps import StepFunction

    system = papermath.compile(
        "h_t = \\tanh(W h_{t-1} + U x_t)\nx_t \\in \\mathbb{R}^{m}, h_t \\in \\mathbb{R}^{n}"
    )
    program = system.program({"m": 2, "n": 3}, fast=True)
    assert StepFunction(program, set(system.kinds)).not_fused is None  # tanh fuses
    row = dataclasses.replace(ELEMENTWISE["tanh"], cpp=None, no_cpp="a test's reason")
    monkeypatch.setitem(ELEMENTWISE, "tanh", row)
    got = StepFunction(program, set(system.kinds)).not_fused
    assert got is not None and "tanh" in got and "a test's reason" in got


def test_each_family_module_imports_first() -> None:
    """Whichever module a program imports first, the registries fill without an import
    cycle (a family module imports the IR, whose type check imports every family)."""
    import subprocess
    import sys

    first = [f"papermath.ops.{f}" for f in FAMILIES if f != "elementwise"] + [
        "papermath.ops.functions"
    ]
    check = (
        "from papermath.ir.rules import REQUIRED as R; "
        "assert all(len(r) == {n} for r in R.values())"
    )
    runs = {
        m: subprocess.Popen(
            [sys.executable, "-c", f"import {m}; " + check.format(n=len(PRIMS))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for m in first
    }
    failed = {m: p.communicate()[1][-300:] for m, p in runs.items() if p.wait() != 0}
    assert not failed, failed


def test_the_type_check_refuses_an_attribute_its_primitive_does_not_declare() -> None:
    from dataclasses import replace

    import papermath
    from papermath.ir import typecheck

    program = papermath.compile(r"y = \tanh(W x)", {"d1": 2, "d2": 3}).program()
    typecheck(program)
    op = program.step_ops[-1]
    wrong = replace(op, attrs={**op.attrs, "axis": 0})  # fn declares only "fn"
    with pytest.raises(InternalError, match="no attribute"):
        typecheck(replace(program, step_ops=[*program.step_ops[:-1], wrong]))


def test_a_primitive_pickled_or_copied_is_the_same_object() -> None:
    """Identity is what ``op.prim is add_p`` asks: a program sent to another process, or
    deep-copied, keeps the registered objects."""
    import copy
    import pickle

    import papermath

    program = papermath.compile(r"y = \tanh(W x + b)", {"d1": 2, "d2": 3}).program()
    for again in (pickle.loads(pickle.dumps(program)), copy.deepcopy(program)):
        assert [op.prim for op in again.ops()] == [op.prim for op in program.ops()]
        assert all(a.prim is b.prim for a, b in zip(again.ops(), program.ops(), strict=True))


def test_max_and_logsumexp_live_in_four_places() -> None:
    """Issue 23: adding \\max_i or \\operatorname{logsumexp} touches at most four places: the
    primitive (ir/prims.py), its rules (ops/reductions.py), the notation
    (read/rules_reductions.py) and the generated code's vocabulary (backends/verify.py). No
    other module names either in its code (comments and docstrings aside; read/rule_table.py
    holds the notation's documented examples, which docs/notation.md is generated from)."""
    import ast
    from pathlib import Path

    import papermath

    root = Path(papermath.__file__).parent
    allowed = {"ir/prims.py", "ops/reductions.py", "read/rules_reductions.py", "backends/verify.py"}
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).as_posix() == "read/rule_table.py":
            continue
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            named = (
                isinstance(node, ast.Name | ast.alias)
                and (node.id if isinstance(node, ast.Name) else node.name)
                in ("max_p", "logsumexp_p")
            ) or (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and "logsumexp" in node.value
            )
            if named:
                found.setdefault(str(path.relative_to(root)), set()).add(type(node).__name__)
    assert set(found) <= allowed, sorted(set(found) - allowed)
    assert {"ir/prims.py", "ops/reductions.py"} <= set(found)
