"""The architecture, checked: the modules of the package import one another without cycles
(every import counts, at module level or inside a function, except those under
``if TYPE_CHECKING:``, which exist only for type annotations). Stages depend one way:
parse -> read -> shapes -> system -> ir -> passes -> backends, and the views (explain, grad,
diagram, report, check, values) sit on top."""

from __future__ import annotations

import ast
from pathlib import Path

import papermath

ROOT = Path(papermath.__file__).parent


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """The papermath modules ``path`` imports at run time."""
    tree = ast.parse(path.read_text())
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in ast.walk(node):
                guarded.add(id(sub))
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("papermath"):
                out.add(target)
                for alias in node.names:  # from . import terms: a submodule
                    if (
                        (ROOT.parent / (target + "." + alias.name).replace(".", "/"))
                        .with_suffix(".py")
                        .exists()
                    ):
                        out.add(f"{target}.{alias.name}")
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("papermath")}
    return out


def graph() -> dict[str, set[str]]:
    mods = {module_name(p): p for p in ROOT.rglob("*.py")}
    g: dict[str, set[str]] = {}
    for name, path in mods.items():
        targets = set()
        for imp in imports(path):
            # a package import runs its __init__; keep the edge to the module itself
            while imp and imp not in mods:
                imp = imp.rsplit(".", 1)[0] if "." in imp else ""
            if imp and imp != name and not name.startswith(imp + "."):
                targets.add(imp)
        g[name] = targets
    return g


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(g.get(n, ())):
            if state.get(m) == 1:
                return [*stack[stack.index(m) :], m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(g):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_no_import_cycles() -> None:
    g = graph()
    assert "papermath.system" in g and "papermath.ir.lower" in g
    cycle = find_cycle({k: v for k, v in g.items() if k != "papermath"})
    assert cycle is None, " -> ".join(cycle or [])


def test_the_core_does_not_import_the_views() -> None:
    """parse, read, shapes and the IR know nothing of explain, grad, diagram or report."""
    g = graph()
    views = {"papermath.explain", "papermath.diagram", "papermath.report"}
    for name, targets in g.items():
        if name.startswith(
            ("papermath.parse", "papermath.read", "papermath.shapes", "papermath.ir")
        ):
            assert not targets & views, (name, targets & views)
            assert "papermath.system" not in targets, name


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def letter_sets(source: str) -> list[str]:
    """Names bound to a literal set of letters (a tuple, set or frozenset of short strings) whose
    name says they are letters (``*LETTERS``, ``GREEK_LOWER``): a letter convention."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        value = node.value
        if isinstance(value, ast.Call) and value.args:  # frozenset({...})
            value = value.args[0]
        literal = isinstance(value, ast.Tuple | ast.Set | ast.List) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
        )
        found += [n for n in names if literal and (n.endswith("LETTERS") or "GREEK" in n)]
    return found


def test_letter_conventions_live_in_one_module() -> None:
    """Issue 24: the letter conventions (Greek scalars, index, node and parameter letters) in one
    place, papermath/letters.py, which imports nothing of papermath's; no other module writes
    its own set of letters (four copies of the parameter letters were kept in step by tests)."""
    elsewhere = {
        str(path.relative_to(ROOT)): found
        for path in sorted(ROOT.rglob("*.py"))
        if path.name != "letters.py" and (found := letter_sets(path.read_text()))
    }
    assert not elsewhere, elsewhere
    assert imports(ROOT / "letters.py") == set()
    from papermath import letters

    assert {c.name for c in letters.CONVENTIONS} == set(letters.__all__) - {
        "CONVENTIONS",
        "Convention",
    }
    # the detector finds what it looks for
    assert letter_sets('X_LETTERS = frozenset({"W", "U"})\nGREEK = ("alpha",)') == [
        "X_LETTERS",
        "GREEK",
    ]
