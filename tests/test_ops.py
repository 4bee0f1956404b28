"""Every operator row through every stage: adding a function is one row in papermath.ops.

For each elementwise function: the grammar reads its spellings; the reader knows it; the
generated NumPy and torch code agree with torch's own function (the oracle) and with the
row's reference; the generated backward passes `papermath check` (float64 finite
differences and torch autograd); the gradient equations print through it and pass their
shape check; the worked example evaluates it; the diagram draws it with a legend entry.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.check import check
from papermath.diagram import to_dot
from papermath.explain import explain
from papermath.ops import ELEMENTWISE
from papermath.read.functions import lookup
from papermath.report.gradients import derive

# torch's own function for each row (the independent oracle)
TORCH = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "sin": torch.sin,
    "cos": torch.cos,
    "sinh": torch.sinh,
    "cosh": torch.cosh,
    "abs": torch.abs,
    "sign": torch.sign,
    "heaviside": lambda x: torch.heaviside(x, torch.zeros_like(x)),
    "softplus": torch.nn.functional.softplus,
    "elu": torch.nn.functional.elu,
    "leakyrelu": torch.nn.functional.leaky_relu,
    "gelu": torch.nn.functional.gelu,
    "identity": lambda x: x,
}
POSITIVE = {"log", "sqrt"}  # defined for positive inputs: y = f(exp(W x))


def source(name: str) -> str:
    spelling = ELEMENTWISE[name].spellings[0]
    inner = "\\exp(W x)" if name in POSITIVE else "W x"
    declared = "x \\in \\mathbb{R}^{3}, y \\in \\mathbb{R}^{2}"
    return f"y = \\operatorname{{{spelling}}}({inner})\n{declared}"


def test_every_row_has_an_oracle() -> None:
    assert set(TORCH) == set(ELEMENTWISE)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_every_spelling_reads(name: str) -> None:
    """Each spelling names the row; as a word (tanh(x)), a command (\\tanh x) or inside
    \\operatorname{...}, wherever the grammar has it."""
    grammar = (Path(papermath.__file__).parent / "parse" / "grammar.lark").read_text()
    words = re.search(r"FUNCWORD\.2: /\((.*?)\)\(", grammar)
    commands = re.search(r"FUNC_CMD\.2: /\\\\\((.*?)\)\(", grammar)
    assert words is not None and commands is not None
    for spelling in ELEMENTWISE[name].spellings:
        known = lookup(spelling)
        assert known is not None and known.name == name
        forms = [f"\\operatorname{{{spelling}}}(W x)"]
        forms += [f"{spelling}(W x)"] if spelling in words.group(1).split("|") else []
        forms += [f"\\{spelling}(W x)"] if spelling in commands.group(1).split("|") else []
        for form in forms:
            system = papermath.compile(f"y = {form}\nx \\in \\mathbb{{R}}^{{3}}")
            assert system.shapes["W"] == ("d1", "3"), form


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_every_row_in_every_stage(name: str) -> None:
    system = papermath.compile(source(name))
    # code: torch module against torch's own function
    module = system.to_torch(dtype=torch.float64)
    x = torch.randn(4, 3, dtype=torch.float64)
    inner = x @ module.W.T
    if name in POSITIVE:
        inner = torch.exp(inner)
    want = TORCH[name](inner)
    torch.testing.assert_close(module(x=x)["y"], want, atol=1e-12, rtol=0)
    # the NumPy module and the row's reference agree too
    gen = system.to_numpy()
    params = {"W": module.W.detach().numpy()}
    out, _ = gen.forward(params, {"x": x.numpy()})
    np.testing.assert_allclose(out["y"], want.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(
        ELEMENTWISE[name].reference(inner.detach().numpy()), want.detach().numpy(), atol=1e-12
    )
    # the generated backward: finite differences and torch autograd
    results = check(system, seed=1)
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]
    # gradient equations (they pass the shape check or are refused)
    for layout in ("denominator", "numerator"):
        d = derive(system, "W", layout=layout)
        assert d.equations
    # the worked example, against torch
    values = {"W": [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], "x": [1.0, 0.5, -1.0]}
    ex = explain(system, values)
    got = dict((text, v) for _, text, v in ex.values)["y"]
    wx = torch.tensor(values["W"], dtype=torch.float64) @ torch.tensor(
        values["x"], dtype=torch.float64
    )
    np.testing.assert_allclose(
        got, TORCH[name](torch.exp(wx) if name in POSITIVE else wx).numpy(), atol=1e-12
    )
    # the diagram, with its legend
    dot = to_dot(system)
    symbol = ELEMENTWISE[name].symbol
    if name != "identity":
        assert f">{symbol}</td>" in dot.split("cluster_legend")[1]


def test_layernorm_as_a_function_equals_torch_and_passes_check() -> None:
    system = papermath.compile(
        "y = \\mathrm{LayerNorm}(W x)\nx \\in \\mathbb{R}^{3}, y \\in \\mathbb{R}^{4}"
    )
    module = system.to_torch(dtype=torch.float64)
    x = torch.randn(5, 3, dtype=torch.float64)
    want = torch.nn.functional.layer_norm(x @ module.W.T, (4,), eps=1e-5)
    torch.testing.assert_close(module(x=x)["y"], want, atol=1e-12, rtol=0)
    assert all(r.ok for r in check(system, seed=2))


def test_the_type_check_raises_an_internal_error_not_an_assert() -> None:
    """A program whose op claims a wrong shape is papermath's defect: an InternalError with
    the op, that stands under ``python -O`` (no assert in the type check)."""
    import ast
    from dataclasses import replace

    from papermath.errors import InternalError
    from papermath.ir import typecheck
    from papermath.ir.program import Value
    from papermath.shapes import Size

    program = papermath.compile(r"y = W x", {"d1": 2, "d2": 3}).program()
    typecheck(program)
    op = program.step_ops[-1]
    wrong = replace(op, out=Value(op.out.name, (Size.var("d2"),), op.out.batched, op.out.span))
    with pytest.raises(InternalError) as info:
        typecheck(replace(program, step_ops=[*program.step_ops[:-1], wrong]))
    assert "type check" in info.value.message and info.value.kind == "internal error"
    source = Path(papermath.__file__).parent / "ir" / "typecheck.py"
    tree = ast.parse(source.read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]


def test_every_pass_is_type_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pass that builds a wrong op is caught right after it runs, by the type check (an
    InternalError naming the op): the speed passes and sink_projections alike."""
    from dataclasses import replace

    import papermath.passes
    from papermath import catalog
    from papermath.errors import InternalError
    from papermath.ir.program import Program, Value

    def wrong(program: Program) -> Program:  # the last step op claims a scalar result
        op = program.step_ops[-1]
        bad = replace(op, out=Value(op.out.name, (), op.out.batched, op.out.span))
        return replace(program, step_ops=[*program.step_ops[:-1], bad])

    lstm = catalog.latex("lstm")
    monkeypatch.setattr(papermath.passes, "FAST", (*papermath.passes.FAST, wrong))
    with pytest.raises(InternalError, match="type check"):
        papermath.compile(lstm).program({"m": 2, "n": 3}, fast=True)
    monkeypatch.undo()
    monkeypatch.setattr(papermath.passes, "sink_projections", wrong)
    system = papermath.compile(lstm)
    with pytest.raises(InternalError, match="type check"):
        system.torch_source({"m": 2, "n": 3})


def test_every_row_s_cpp_equals_its_reference_and_derivative(tmp_path: Path) -> None:
    """Each row's C++ (the fused kernels' f(x) and f'(x)), compiled alone with g++ as the
    kernels are (-O3 -ffast-math), against the row's NumPy reference for the value and a
    central finite difference of it for the derivative, in double precision."""
    import shutil
    import subprocess

    compiler = shutil.which("g++") or shutil.which("c++")
    if compiler is None:
        pytest.skip("no C++ compiler")
    xs = [-2.3, -0.7, -0.05, 0.04, 0.6, 1.9]
    rows = [row for row in ELEMENTWISE.values() if row.cpp is not None]
    lines = ["#include <cmath>", "#include <cstdio>", "typedef double scalar_t;", "int main() {"]
    lines.append("  const double xs[] = {" + ", ".join(map(repr, xs)) + "};")
    lines.append(f"  for (int i = 0; i < {len(xs)}; ++i) {{")
    lines.append("    const double x = xs[i];")
    for k, row in enumerate(rows):
        assert row.cpp is not None
        value, derivative = row.cpp
        lines.append(f"    const double y{k} = {value.format(x='x')};")
        lines.append(f"    const double d{k} = {derivative.format(x='x', y=f'y{k}')};")
        lines.append(f'    std::printf("%.17g %.17g\\n", y{k}, d{k});')
    lines += ["  }", "  return 0;", "}"]
    (tmp_path / "rows.cpp").write_text("\n".join(lines))
    flags = ["-O3", "-ffast-math", "-o", str(tmp_path / "rows"), str(tmp_path / "rows.cpp")]
    subprocess.run([compiler, *flags], check=True, capture_output=True)
    out = subprocess.run([str(tmp_path / "rows")], check=True, capture_output=True, text=True)
    got = iter(out.stdout.split("\n"))
    h = 1e-6
    for x in xs:
        for row in rows:
            y, d = map(float, next(got).split())
            if row.name in ("sqrt", "log") and x <= 0:
                continue  # outside the domain
            want = float(row.reference(np.float64(x)))
            fd = float(
                (row.reference(np.float64(x + h)) - row.reference(np.float64(x - h))) / (2 * h)
            )
            assert y == pytest.approx(want, rel=1e-12, abs=1e-12), (row.name, x)
            assert d == pytest.approx(fd, rel=1e-6, abs=1e-7), (row.name, x)
