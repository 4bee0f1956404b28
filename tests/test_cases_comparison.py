r"""Definitions by cases under a comparison (parse/cases.py, read/rules_cases.py): ``z =
\begin{cases} A & \text{if } L < R \\ B & \text{otherwise} \end{cases}`` read as a selection
entry by entry. Oracles: PyTorch's own functions (smooth_l1_loss, leaky_relu, relu, a hinge by
clamp) on the generated NumPy and torch code; ``papermath check`` (finite differences and torch
autograd) for the generated backward. Conditions that are no comparison stay refused."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import papermath
from papermath.check import check
from papermath.errors import PapermathError, ParseError

# PyTorch's SmoothL1Loss docstring (beta = 1), per entry: the rows as the docstring writes them
SMOOTH_L1 = (
    "$$z = \\begin{cases} 0.5 (x - y)^2, & \\text{if } |x - y| < 1 \\\\ "
    "|x - y| - 0.5, & \\text{otherwise } \\end{cases}$$\n% inputs: x, y\n"
    "$$x \\in \\mathbb{R}^{n}, y \\in \\mathbb{R}^{n}$$\n"
)
CASES: list[tuple[str, Callable[..., torch.Tensor]]] = [
    (SMOOTH_L1, lambda x, y: F.smooth_l1_loss(x, y, reduction="none", beta=1.0)),
    # leaky ReLU by cases, `>`
    (
        "$$z = \\begin{cases} x & \\text{if } x > 0 \\\\ 0.01 x & \\text{otherwise} "
        "\\end{cases}$$\n% inputs: x\n$$x \\in \\mathbb{R}^{n}$$\n",
        lambda x: F.leaky_relu(x, 0.01),
    ),
    # ReLU with "otherwise" first and `\ge`
    (
        "$$z = \\begin{cases} 0, & \\text{otherwise} \\\\ x, & \\text{if } x \\ge 0 "
        "\\end{cases}$$\n% inputs: x\n$$x \\in \\mathbb{R}^{n}$$\n",
        torch.relu,
    ),
    # a hinge by cases, `\le`, compared with a number on the right
    (
        "$$z = \\begin{cases} 1 - x & \\text{if } x \\le 1 \\\\ 0 & \\text{otherwise} "
        "\\end{cases}$$\n% inputs: x\n$$x \\in \\mathbb{R}^{n}$$\n",
        lambda x: torch.clamp(1 - x, min=0),
    ),
]


@pytest.mark.parametrize(("source", "oracle"), CASES)
def test_selection_equals_torch(source: str, oracle: Callable[..., torch.Tensor]) -> None:
    system = papermath.compile(source)
    assert system.shapes["z"] == ("n",)
    dims = {"n": 7}
    names = [k for k in ("x", "y") if k in system.shapes]
    assert all(system.kinds[k] == "input" for k in names)
    rng = np.random.default_rng(0)
    inputs = {k: rng.normal(scale=2.0, size=(5, 7)) for k in names}
    inputs["x"][0, :3] = [1.0, 0.0, -1.0]  # on the boundaries: the comparison decides exactly
    if "y" in inputs:
        inputs["y"][0, :3] = [0.0, 1.0, 0.0]
    want = oracle(*(torch.tensor(inputs[k], dtype=torch.float64) for k in names)).numpy()
    out, _ = system.to_numpy(dims).forward({}, inputs)
    np.testing.assert_allclose(out["z"], want, atol=1e-12, rtol=0)
    module = system.to_torch(dims, dtype=torch.float64)
    got = module(**{k: torch.tensor(v, dtype=torch.float64) for k, v in inputs.items()})["z"]
    np.testing.assert_allclose(got.detach().numpy(), want, atol=1e-12, rtol=0)
    said = [r for r in system.readings if r.reading == "definition by cases"]
    assert said and "otherwise" in said[0].reason


def test_check_passes_on_the_smooth_l1_loss() -> None:
    system = papermath.compile(SMOOTH_L1)
    results = check(system, seed=3)
    assert results and all(r.ok for r in results), results


@pytest.mark.parametrize(
    "source",
    [
        # (a label's value, HingeEmbeddingLoss's y_n = 1 / y_n = -1, now reads: rule
        # cases-label, tests/test_s8_loss2.py)
        # a flag alone as the condition: words, not values (optax's two settings written out,
        # nesterov = False / True, now read for shapes: rule forms-of-a-flag, below)
        "$$u = \\begin{cases} -a m & \\text{ if } \\texttt{nesterov} \\\\ "
        "-a (g + m) & \\text{ otherwise } \\end{cases}$$",
        # two comparisons and no "otherwise"
        "$$z = \\begin{cases} x & \\text{if } x > 0 \\\\ 0 & \\text{if } x < 0 \\end{cases}$$",
    ],
)
def test_other_conditions_stay_refused(source: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert "definition by cases" in err.message
    assert err.span is not None and source[err.span.start :].startswith("\\begin{cases}")


FLAG_SETTINGS = (
    "$$u = \\begin{cases} -a m & \\text{ if } \\texttt{nesterov = False} \\\\ "
    "-a (g + m) & \\text{ if } \\texttt{nesterov = True} \\end{cases}$$"
)


def test_a_flag_with_its_settings_reads_for_shapes_and_code_is_refused() -> None:
    # rule forms-of-a-flag: each form is read, and every form has the value's shape
    system = papermath.compile(FLAG_SETTINGS)
    assert system.shapes["u"] == system.shapes["m"] == system.shapes["g"]
    assert system.shapes["a"] == system.shapes["u"]
    said = [r for r in system.readings if "forms" in r.reading]
    assert said and "nesterov = False" in said[0].reason and "nesterov = True" in said[0].reason
    # which form the model uses, the source does not say: code is refused at the cases
    with pytest.raises(PapermathError) as info:
        system.to_torch({d: 3 for shape in system.shapes.values() for d in shape})
    err = info.value
    assert "code needs to know which" in err.message
    assert err.span is not None and FLAG_SETTINGS[err.span.start :].startswith("\\begin{cases}")
