"""Shapes are typed sizes from shape inference on (issue 23): lowering, the IR, the passes, the
backends and the checks carry :class:`~papermath.shapes.Size` objects and never read a size
back from text; text is how shapes print. Checked here: no ``Size.parse`` outside the shapes
package (the parser), every value of a lowered program has typed sizes, and the typed shapes
of every symbol, subterm, learnable function and solved size are the printed ones, read back
by the parser."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import papermath
from conftest import corpus_cases
from papermath import catalog
from papermath.check import default_dims
from papermath.errors import InternalError, PapermathError
from papermath.ir.program import Value
from papermath.shapes import Size

ROOT = Path(papermath.__file__).parent

# modules that still read sizes from text, by file name (none: grad.py's own expression
# language is gone, issue 23)
NOT_YET: set[str] = set()


def parse_calls(path: Path) -> list[int]:
    """The lines of ``path`` that call ``Size.parse``."""
    tree = ast.parse(path.read_text())
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "parse"
        and isinstance(node.value, ast.Name)
        and node.value.id == "Size"
    ]


def test_no_size_is_read_from_text_outside_the_shapes_package() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("shapes/") or rel in NOT_YET:
            continue
        found += [f"{rel}:{line}" for line in parse_calls(path)]
    assert not found, f"Size.parse outside papermath/shapes/: {found}"


def test_the_exceptions_are_still_needed() -> None:
    for name in NOT_YET:
        path = ROOT / name
        assert path.exists() and parse_calls(path), f"{name} reads no size from text: drop it"


def test_a_value_with_a_shape_of_text_is_papermath_s_own_slip() -> None:
    with pytest.raises(InternalError, match="sizes are Size"):
        Value("x", ("n",), True)  # type: ignore[arg-type]


def cases() -> list[tuple[str, str, dict[str, int]]]:
    out: list[tuple[str, str, dict[str, int]]] = [
        (name, catalog.latex(name), {}) for name in catalog.names()
    ]
    out += [(name, case["latex"], case.get("dims", {})) for name, case in corpus_cases()]
    return out


@pytest.mark.parametrize(("name", "latex", "dims"), cases())
def test_typed_shapes_are_the_printed_ones(name: str, latex: str, dims: dict[str, int]) -> None:
    try:
        system = papermath.compile(latex, dims)
    except PapermathError:
        pytest.skip("refused: no shapes")

    def typed(text: str) -> Size:
        return Size.parse(text)

    assert set(system.typed_shapes) == set(system.shapes)
    for key, shape in system.shapes.items():
        assert system.typed_shapes[key] == tuple(typed(s) for s in shape), key
    for key, (n_in, n_out) in system.functions.items():
        assert system.typed_functions[key] == (typed(n_in), typed(n_out)), key
    assert system.typed_solved == {k: typed(v) for k, v in system.solved.items()}
    result = system._shape
    assert result is not None and set(result.term_typed) == set(result.term_shapes)
    for k, shape in result.term_shapes.items():
        assert result.term_typed[k] == tuple(typed(s) for s in shape)


@pytest.mark.parametrize("name", catalog.names())
def test_lowered_programs_carry_typed_sizes(name: str) -> None:
    system = catalog.load(name)
    dims = default_dims(system, None)
    for fast in (False, True):
        program = system.program(dims, fast=fast)
        items = [*program.params, *program.inputs, *program.states]
        assert all(isinstance(s, Size) for x in items for s in x.shape)
        values = [op.out for op in program.ops()] + [v for op in program.ops() for v in op.inputs]
        assert all(isinstance(s, Size) for v in values for s in v.shape)
        for op in program.ops():
            for key in ("start", "stop"):  # a slice's block, as sizes
                if key in op.attrs:
                    assert isinstance(op.attrs[key], Size)
