r"""An index the prose says runs over an axis, with shapes listed that axis first
(parse/prose_index.py: MLX's Bilinear, ``y_i = x_2^\top W_i x_1 + b_i``, "i indexes the output
dimension"): ``W_i`` is one slice of W. Oracle: ``torch.nn.functional.bilinear``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.backends.data import random_inputs
from papermath.errors import PapermathError

CASE = Path(__file__).parent / "wild" / "cases" / "mlx_bilinear.toml"
LATEX = tomllib.loads(CASE.read_text())["latex"]


def test_the_slices_read_as_the_docstring_says() -> None:
    system = papermath.compile(LATEX)
    assert system.shapes["W"] == ("input2_dims", "input1_dims")
    assert system.shapes["b"] == () and system.shapes["y"] == ()
    assert system.shapes["x_1"] == ("input1_dims",) and system.shapes["x_2"] == ("input2_dims",)
    said = [r.reason for r in system.readings if "indexes the output dimension" in r.reason]
    assert said and "slice i of W" in " ".join(said)


def test_values_against_torch_bilinear() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(LATEX)
    # output_dims numbers the values of i (read/rules_step_sets.py): one equation per output
    dims = {"output_dims": 3, "input1_dims": 4, "input2_dims": 2}
    assert system.step_count == "output_dims"
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(0)
    params = gen.init_params(rng)
    assert params["W"].shape == (3, 2, 4)  # MLX's [output_dims, input2_dims, input1_dims]
    inputs, state = random_inputs(system.program(dims), rng, "sample-first")
    outputs, _ = gen.forward(params, inputs, state)
    x1, x2 = (torch.tensor(np.asarray(inputs[k])) for k in ("x_1", "x_2"))
    want = torch.nn.functional.bilinear(
        x2, x1, torch.tensor(params["W"]), torch.tensor(params["b"])
    ).numpy()
    np.testing.assert_allclose(outputs["y"], want.T, rtol=1e-12, atol=1e-12)  # (outputs, N)


def test_check_passes() -> None:
    from papermath.check import check

    results = check(
        papermath.compile(LATEX), {"output_dims": 3, "input1_dims": 4, "input2_dims": 2}
    )
    assert results and all(r.ok for r in results), results


def test_another_axis_first_stays_refused_at_the_shape_list() -> None:
    source = LATEX.replace("the output dimension", "the input dimension")
    with pytest.raises(PapermathError) as err:
        papermath.compile(source)
    assert "the prose gives the shape of W" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span).startswith("[output_dims")


def test_a_symbol_also_written_whole_is_not_sliced() -> None:
    # W x_1 beside W_i: W is the whole 3-axis tensor (parse/prose_shapes.py), no product fits
    with pytest.raises(PapermathError) as err:
        papermath.compile(LATEX.replace("+ b_i", "+ b_i + W x_1"))
    assert "output_dims, input2_dims, input1_dims" in err.value.message
