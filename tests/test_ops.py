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
from papermath.grad import derive
from papermath.ops import ELEMENTWISE
from papermath.read.functions import lookup

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

    program = papermath.compile(r"y = W x", {"d1": 2, "d2": 3}).program()
    typecheck(program)
    op = program.step_ops[-1]
    wrong = replace(op, out=Value(op.out.name, ("d2",), op.out.batched, op.out.span))
    with pytest.raises(InternalError) as info:
        typecheck(replace(program, step_ops=[*program.step_ops[:-1], wrong]))
    assert "type check" in info.value.message and info.value.kind == "internal error"
    source = Path(papermath.__file__).parent / "ir" / "typecheck.py"
    tree = ast.parse(source.read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
