"""A state's first value tied to another value (issue 24, IC): ``H^{0} = X`` beside a
recurrence in H is the state's first value, computed once before the steps
(read/rules_initial_tie.py), and the generated code starts the loop from it; a step-0 value on a
right side (APPNP's teleport term) is that same value. Compiled modules are compared with
hand-written torch loops (float64), values and gradients through the first value into X;
``check`` compares the generated NumPy backward with finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import papermath
from graphfixtures import readings, wild
from papermath.check import check
from refusals import caret as under_caret
from refusals import refused as refusal

ATOL = 1e-10


def appnp_by_hand(x: torch.Tensor, a: torch.Tensor, alpha: torch.Tensor, steps: int) -> list:
    """APPNP's propagation written out: H^0 = X, H^{l+1} = (1-a) D^-1/2 A D^-1/2 H^l + a X,
    D the row sums of A (the degree matrix), one graph per example (x: (B, n, f))."""
    deg = a.sum(dim=-1)
    norm = a / torch.sqrt(deg[:, :, None] * deg[:, None, :])
    h, out = x, []
    for _ in range(steps):
        h = (1 - alpha) * (norm @ h) + alpha * x
        out.append(h)
    return out


def test_dgl_appnp_initial_value_against_a_hand_written_loop() -> None:
    """DGL's APPNPConv docstring: H^{0} = X read as the first value; values at every step and
    the gradients into X (through the first value and the teleport term) and alpha."""
    system = papermath.compile(wild("dgl_appnpconv"))
    said = readings(system)
    assert any("H_init" in why for why in said["initial value"])
    assert system.shapes["H"] == system.shapes["X"] == system.shapes["H_init"]
    assert system.kinds["X"] == "input"
    dims = {"d1": 5, "d2": 3, "L": 4}
    module = system.to_torch(dims, dtype=torch.float64)
    x = torch.randn(2, 5, 3, dtype=torch.float64, requires_grad=True)
    a = torch.rand(2, 5, 5, dtype=torch.float64) + 0.1  # positive degrees
    got = module(X=x, A_tilde=a)["H"]
    want = torch.stack(appnp_by_hand(x, a, module.alpha, 4))
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    weights = torch.randn_like(got)
    ours = torch.autograd.grad((got * weights).sum(), (x, module.alpha))
    hand = torch.autograd.grad((want * weights).sum(), (x, module.alpha))
    for g_ours, g_hand in zip(ours, hand, strict=True):
        torch.testing.assert_close(g_ours, g_hand, atol=ATOL, rtol=0)
    # the NumPy module: its forward and its own backward, against the same loop
    gen = system.to_numpy(dims)
    params = {"alpha": module.alpha.detach().numpy()}
    outputs, cache = gen.forward(params, {"X": x.detach().numpy(), "A_tilde": a.numpy()})
    np.testing.assert_allclose(outputs["H"], want.detach().numpy(), atol=ATOL, rtol=0)
    grads = gen.backward(params, cache, {"H": weights.numpy()})
    np.testing.assert_allclose(grads["X"], hand[0].numpy(), atol=ATOL, rtol=0)
    assert "H" not in grads  # no initial state argument: its gradient is X's
    assert all(r.ok for r in check(system, dims))


RNN = "h_0 = \\tanh(U x)\nh_t = \\tanh(W h_{t-1} + V z_t)"  # the first value written first


@pytest.mark.parametrize("steps", [True, False])
def test_rnn_started_from_a_map_of_an_input_against_torch_by_hand(steps: bool) -> None:
    """h_0 = tanh(U x): the recurrence (the generated autograd.Function, or autograd through
    the plain loop) starts from it; gradients reach U and x through the first state."""
    system = papermath.compile(RNN)
    assert system.shapes["h_init"] == system.shapes["h"]
    sizes = {key: system.shapes[key][0] for key in ("h", "x", "z")}
    dims = {sizes["h"]: 4, sizes["x"]: 3, sizes["z"]: 2}
    module = system.to_torch(dims, dtype=torch.float64, steps=steps)
    x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    z = torch.randn(6, 5, 2, dtype=torch.float64)
    got = module(x=x, z=z)["h"]
    h = torch.tanh(x @ module.U.T)
    want = []
    for t in range(6):
        h = torch.tanh(h @ module.W.T + z[t] @ module.V.T)
        want.append(h)
    torch.testing.assert_close(got, torch.stack(want), atol=ATOL, rtol=0)
    ours = torch.autograd.grad(got.sum(), (x, module.U))
    hand = torch.autograd.grad(torch.stack(want).sum(), (x, module.U))
    for g_ours, g_hand in zip(ours, hand, strict=True):
        torch.testing.assert_close(g_ours, g_hand, atol=ATOL, rtol=0)
    if steps:
        assert all(r.ok for r in check(system, dims))


def test_spektral_appnp_learnable_first_value_is_refused_until_declared() -> None:
    """Spektral's Z^{(0)} = MLP(X): capital letters, Z's rows mixed by the adjacency on its
    left, so the MLP maps each row of X (read/rules_row_states.py): Z N x F', X N x F. The same
    text in lowercase letters (z, x: one vector or a row per node?) stays refused at the call;
    with the shapes declared, the MLP maps each row and Z has the declared shape."""
    read = papermath.compile(wild("spektral_appnpconv") + "\n% macros: spektral")
    n, f_out = read.shapes["Z"]
    assert read.shapes["Z_init"] == (n, f_out) and read.shapes["A_hat"] == (n, n)
    assert read.shapes["X"][0] == n and read.shapes["X"][1] != f_out  # a width of its own
    assert read.kinds["X"] == "input" and read.kinds["MLP"] == "function"
    assert any("maps each row of X" in why for why in readings(read)["MLP applied to each row"])
    lower = wild("spektral_appnpconv").replace("\\Z", "\\mathbf{z}").replace("\\X", "\\mathbf{x}")
    err = refusal(lower + "\n% macros: spektral")
    assert under_caret(err) == r"\textrm{MLP}(\mathbf{x})"
    assert "declare" in (err.hint or "")
    system = papermath.compile(
        "X \\in \\mathbb{R}^{N \\times F}, Z \\in \\mathbb{R}^{N \\times H}\n"
        "Z^{(0)} = \\mathrm{MLP}(X)\n"
        "Z^{(K)} = (1-\\alpha) \\hat{D}^{-1/2} \\hat{A} \\hat{D}^{-1/2} Z^{(K-1)} + \\alpha Z^{(0)}"
    )
    assert system.shapes["Z"] == system.shapes["Z_init"] == ("N", "H")
    assert system.shapes["X"] == ("N", "F")
    dims = {"N": 4, "F": 3, "H": 2, "n_K": 3}
    module = system.to_torch(dims, dtype=torch.float64)
    params = dict(module.named_parameters())
    x = torch.randn(2, 4, 3, dtype=torch.float64, requires_grad=True)
    a = torch.rand(2, 4, 4, dtype=torch.float64) + 0.1
    got = module(X=x, A_hat=a)["Z"]
    z0 = x @ params["MLP.weight"].T + params["MLP.bias"]  # the MLP: one affine map per row
    deg = a.sum(dim=-1)
    norm = a / torch.sqrt(deg[:, :, None] * deg[:, None, :])
    z, want = z0, []
    for _ in range(3):
        z = (1 - module.alpha) * (norm @ z) + module.alpha * z0
        want.append(z)
    torch.testing.assert_close(got, torch.stack(want), atol=ATOL, rtol=0)
    ours = torch.autograd.grad(got.sum(), (x, params["MLP.weight"]))
    hand = torch.autograd.grad(torch.stack(want).sum(), (x, params["MLP.weight"]))
    for g_ours, g_hand in zip(ours, hand, strict=True):
        torch.testing.assert_close(g_ours, g_hand, atol=ATOL, rtol=0)
    assert all(r.ok for r in check(system, dims))


def test_arma_first_value_beside_weights_per_step_is_refused_at_the_left_side() -> None:
    """Spektral's ARMAConv: \\bar X^{(0)} = X, then \\bar X^{(t)} W^{(t)}: the first step's
    weights may change the width (the source glosses over it); refused at the left side."""
    err = refusal(wild("spektral_armaconv") + "\n% macros: spektral")
    assert under_caret(err) == r"\bar \mathbf{X}^{(0)}"
    assert "one per step" in str(err)


def test_a_first_value_whose_name_is_taken_stays_refused() -> None:
    """H_init written by the source itself: the first value cannot take that key."""
    err = refusal("H^{0} = X\nH^{l+1} = \\tilde{A} H^{l} + \\alpha H^{0} + H_{init}\nH_{init} = X")
    assert "initial condition" in str(err) or "H_init" in str(err)


def test_the_tools_around_the_code_start_from_the_first_value() -> None:
    """The worked example computes h_init from the inputs (by hand: tanh(U x)) and asks no
    value of h; gradient flow (which reruns the steps from a given state) and the printed
    gradient of the first value are refused, not wrong."""
    from papermath.explain import work_example
    from papermath.flow import gradient_flow
    from papermath.report.gradients import derive

    system = papermath.compile(RNN)
    u, x = np.array([[1.0, 0.5], [0.0, -1.0]]), np.array([0.2, 0.3])
    w, v, z = np.array([[0.5, 0.0], [0.1, 0.2]]), np.array([[1.0], [2.0]]), np.array([0.5])
    values = {"U": u, "x": x, "W": w, "V": v, "z": z}
    sizes = {system.shapes["h"][0]: 2, system.shapes["x"][0]: 2, system.shapes["z"][0]: 1}
    worked, _ = work_example(system, values, sizes)
    first = np.tanh(u @ x)
    shown = {text: value for _, text, value in worked}
    np.testing.assert_allclose(shown["h_init"], first, atol=1e-12)
    np.testing.assert_allclose(shown["h"], np.tanh(w @ first + v @ z), atol=1e-12)
    with pytest.raises(papermath.PapermathError, match="first value"):
        gradient_flow(system)
    with pytest.raises(papermath.PapermathError, match="first value"):
        derive(system, "x")
