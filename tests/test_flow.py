"""Gradient flow through time (papermath flow): the Jacobian norms against oracles that do
not use the generated backward pass: powers of W for a linear recurrence (closed form), and
central finite differences of the generated forward for an LSTM."""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath import catalog
from papermath.backends.data import random_inputs
from papermath.check import default_dims
from papermath.cli import main
from papermath.flow import gradient_flow


def test_a_linear_recurrence_multiplies_by_w_at_every_step() -> None:
    """h_t = W h_{t-1} + U x_t: dh_T/dh_(T-k) = W^k, so its norm is that of W^k."""
    system = papermath.compile("h_t = W h_{t-1} + U x_t\nh_t \\in \\mathbb{R}^{4}")
    flow = gradient_flow(system, {"d1": 3} if "d1" in system.size_names() else None, steps=6)
    dims = default_dims(system, None)
    gen = system.to_numpy(dims, "sample-first")
    W = gen.init_params(np.random.default_rng(0))["W"]
    want = [np.linalg.norm(np.linalg.matrix_power(W, k), 2) for k in range(6)]
    (h,) = flow.states
    np.testing.assert_allclose(h.norms, want, rtol=1e-10)
    assert any("W^\\top" in p for p in h.path)


def test_lstm_norms_equal_finite_differences_of_the_forward() -> None:
    system = catalog.load("lstm")
    steps = 5
    flow = gradient_flow(system, steps=steps, seed=3)
    dims = default_dims(system, None)
    program = system.program(dims)
    gen = system.to_numpy(dims, "sample-first")
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    inputs, state = random_inputs(program, rng, "sample-first", T=steps, N=1)
    _, cache = gen.forward(params, inputs, state)
    keys = [s.key for s in program.states]
    for s in flow.states:
        for k in range(1, steps):
            t = steps - 1 - k
            start = {key: np.array(cache["steps"][t][key], dtype=float) for key in keys}
            suffix = {"x": inputs["x"][t + 1 :]}
            n = start[s.key].size
            jac = np.empty((n, n))
            eps = 1e-6
            for j in range(n):
                cols = []
                for sign in (1, -1):
                    bumped = {key: v.copy() for key, v in start.items()}
                    bumped[s.key].reshape(-1)[j] += sign * eps
                    out, _ = gen.forward(params, suffix, bumped)
                    cols.append(np.asarray(out[s.key])[-1].reshape(-1))
                jac[:, j] = (cols[0] - cols[1]) / (2 * eps)
            assert s.norms[k] == pytest.approx(np.linalg.norm(jac, 2), rel=1e-6)
    cell = next(s for s in flow.states if s.key == "C")
    assert cell.path == [r"\frac{\partial \mathcal{L}}{\partial C_{t+1}} \odot f_{t+1}"]
    assert [fn for fn, _, _ in flow.derivatives] == ["sigmoid", "tanh"]


def test_flow_command(capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = tmp_path / "rnn.tex"
    case.write_text("h_t = \\tanh(W h_{t-1} + U x_t)\nh_t \\in \\mathbb{R}^{3}\n")
    assert main(["flow", str(case), "--steps", "4", "--dims", "d1=2"]) == 0
    out = capsys.readouterr().out
    assert "state h" in out and "k =  3" in out and "at most 1, at x = 0" in out
    plain = tmp_path / "mlp.tex"
    plain.write_text("y = W x\n")
    assert main(["flow", str(plain)]) == 2
    assert "no gradient flow through time" in capsys.readouterr().err
