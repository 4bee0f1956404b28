r"""Generated code for states carried backwards in time (h_t from h_{t+1}, ir/lower.py's
``directions``, Program.back_ops): Graves, Mohamed & Hinton's bidirectional RNN (2013, eqs.
8-10) and a backward recurrence alone.

Oracles, none of them papermath's: ``torch.nn.RNN(bidirectional=True)`` with its weights
copied in (outputs and every gradient), ``torch.nn.RNN`` run on the reversed sequence, a hand
loop in NumPy, and float64 finite differences through the generated NumPy backward
(``papermath.check``, torch off). Sizes are tiny: the file runs in seconds.
"""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath.check import check
from papermath.errors import PapermathError
from test_backward_recurrence import GRAVES as PRINTED

# Graves 2013 eqs. 8-10 as the paper prints them, with the activation named
GRAVES = "% \\mathcal{H}: tanh\n" + PRINTED
DIMS = {"m": 3, "n": 4, "q": 2}
FWD, BACK = "h_overrightarrow", "h_overleftarrow"
ALONE = r"h_t = \tanh(W x_t + U h_{t+1} + b), x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n"


def torch_birnn(params: dict[str, np.ndarray], x: np.ndarray, h0: np.ndarray) -> dict:
    """nn.RNN(bidirectional=True) with papermath's weights copied in, and the output layer
    written by hand over its outputs: outputs and the gradients of sum(g * outputs)."""
    torch = pytest.importorskip("torch")
    rnn = torch.nn.RNN(3, 4, nonlinearity="tanh", bidirectional=True, dtype=torch.float64)
    copies = {
        "weight_ih_l0": "W_xh_overrightarrow",
        "weight_hh_l0": "W_h_overrightarrowh_overrightarrow",
        "bias_ih_l0": "b_h_overrightarrow",
        "weight_ih_l0_reverse": "W_xh_overleftarrow",
        "weight_hh_l0_reverse": "W_h_overleftarrowh_overleftarrow",
        "bias_ih_l0_reverse": "b_h_overleftarrow",
    }
    with torch.no_grad():
        for name, key in copies.items():
            getattr(rnn, name).copy_(torch.as_tensor(params[key]))
        rnn.bias_hh_l0.zero_()  # torch adds two biases where the paper writes one
        rnn.bias_hh_l0_reverse.zero_()
    out_w = {
        k: torch.tensor(params[k], requires_grad=True)
        for k in ("W_h_overrightarrowy", "W_h_overleftarrowy", "b_y")
    }
    xt = torch.tensor(x, requires_grad=True)
    h0t = torch.tensor(h0, requires_grad=True)
    out, _ = rnn(xt, h0t)  # (T, N, 2n): the forward direction's states, then the backward's
    fwd, back = out[..., :4], out[..., 4:]
    y = fwd @ out_w["W_h_overrightarrowy"].T + back @ out_w["W_h_overleftarrowy"].T + out_w["b_y"]
    return {
        "torch": torch,
        "rnn": rnn,
        "w": out_w,
        "x": xt,
        "h0": h0t,
        FWD: fwd,
        BACK: back,
        "y": y,
    }


def test_bidirectional_rnn_against_torch_nn_rnn() -> None:
    system = papermath.compile(GRAVES, DIMS)
    gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(0)
    params = gen.init_params(rng)
    T, N = 5, 2
    x = rng.normal(size=(T, N, 3))
    h0 = rng.normal(size=(2, N, 4))  # the forward's first state, the backward's after the last
    state = {FWD: h0[0], BACK: h0[1]}
    outputs, cache = gen.forward(params, {"x": x}, state)
    ref = torch_birnn(params, x, h0)
    torch = ref["torch"]
    for key in (FWD, BACK, "y"):
        np.testing.assert_allclose(outputs[key], ref[key].detach().numpy(), rtol=1e-12, atol=1e-12)
    grads_out = {k: rng.normal(size=outputs[k].shape) for k in (FWD, BACK, "y")}
    total = sum((ref[k] * torch.as_tensor(g)).sum() for k, g in grads_out.items())
    total.backward()
    ours = gen.backward(params, cache, grads_out)
    rnn = ref["rnn"]
    want = {
        "W_xh_overrightarrow": rnn.weight_ih_l0.grad,
        "W_h_overrightarrowh_overrightarrow": rnn.weight_hh_l0.grad,
        "b_h_overrightarrow": rnn.bias_ih_l0.grad,
        "W_xh_overleftarrow": rnn.weight_ih_l0_reverse.grad,
        "W_h_overleftarrowh_overleftarrow": rnn.weight_hh_l0_reverse.grad,
        "b_h_overleftarrow": rnn.bias_ih_l0_reverse.grad,
        **{k: w.grad for k, w in ref["w"].items()},
        "x": ref["x"].grad,
        FWD: ref["h0"].grad[0],
        BACK: ref["h0"].grad[1],
    }
    assert set(want) == set(ours)
    for key, g in want.items():
        np.testing.assert_allclose(ours[key], g.numpy(), rtol=1e-10, atol=1e-12, err_msg=key)
    # the generated torch module (autograd through its loops) gives torch's outputs too
    module = system.to_torch(DIMS, dtype=torch.float64)
    with torch.no_grad():
        for k, p in module.named_parameters():
            p.copy_(torch.as_tensor(params[k]))
    got = module(x=torch.as_tensor(x), **{k: torch.as_tensor(v) for k, v in state.items()})
    for key in (FWD, BACK, "y"):
        np.testing.assert_allclose(got[key].detach().numpy(), outputs[key], rtol=1e-12)


def test_bidirectional_rnn_gradients_against_finite_differences() -> None:
    system = papermath.compile(GRAVES, DIMS)
    for layout in ("sample-first", "dim-first"):
        results = check(system, DIMS, layout=layout, use_torch=False)
        assert {r.key for r in results} >= {"x", FWD, BACK, "b_y"}
        assert all(r.ok and r.entries > 0 for r in results), [r for r in results if not r.ok]
        # the backward state's given value comes after the last step, the forward one's before
        what = {r.key: r.what for r in results}
        assert (what[FWD], what[BACK]) == ("initial state", "state after the last step")


def test_backward_recurrence_alone_against_a_hand_loop_and_torch() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(ALONE)
    dims = {"m": 3, "n": 4}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    x = rng.normal(size=(6, 2, 3))
    last = rng.normal(size=(2, 4))  # h after the last step
    got = gen.forward(params, {"x": x}, {"h": last})[0]["h"]
    h, want = last, np.zeros((6, 2, 4))
    for t in reversed(range(6)):  # by hand: from the last step down
        h = np.tanh(x[t] @ params["W"].T + h @ params["U"].T + params["b"])
        want[t] = h
    np.testing.assert_allclose(got, want, rtol=1e-12)
    zeros = gen.forward(params, {"x": x}, {})[0]["h"]  # zeros after the last step
    rnn = torch.nn.RNN(3, 4, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.as_tensor(params["W"]))
        rnn.weight_hh_l0.copy_(torch.as_tensor(params["U"]))
        rnn.bias_ih_l0.copy_(torch.as_tensor(params["b"]))
        rnn.bias_hh_l0.zero_()
    reversed_run = rnn(torch.as_tensor(x).flip(0))[0].flip(0)  # torch on the sequence reversed
    np.testing.assert_allclose(zeros, reversed_run.detach().numpy(), rtol=1e-12)
    assert all(r.ok for r in check(system, dims, use_torch=False))


def test_a_value_computed_from_the_backward_state_at_its_step() -> None:
    # an intermediate inside the backward loop (a_t reads h_{t+1}, h_t reads a_t), an output
    # after both loops (z_t reads only the backward state), a forward value read by the
    # backward loop at the same step (u_t): each loop reads what earlier ones computed
    source = "\n".join(
        [
            r"u_t = \tanh(P x_t + R u_{t-1})",
            r"a_t = U h_{t+1} + V u_t",
            r"h_t = \tanh(W x_t + a_t)",
            r"z_t = \sigma(h_t) \odot u_t",
            r"x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}, u_t \in \mathbb{R}^{n}",
        ]
    )
    system = papermath.compile(source)
    program = system.program({"m": 3, "n": 2})
    loops = [{op.out.name for op in ops} for ops in (program.step_ops, program.back_ops)]
    after = {op.out.name for op in program.post_ops}
    assert "u" in loops[0] and {"a", "h"} <= loops[1] and "z" in after
    assert not ({"u", "a", "h"} & after)
    results = check(system, {"m": 3, "n": 2})
    assert all(r.ok and r.torch_error is not None for r in results), results


@pytest.mark.parametrize(
    "source",
    [
        # a loss summed over the steps: a forward sum (L_t from L_{t-1}) of what reads the
        # backward state, carried in the loop after both
        "\n".join(
            [
                r"h_t = \tanh(W x_t + U h_{t+1})",
                r"y_t = V h_t",
                r"L = \sum_t \| y_t - d_t \|^2",
                r"x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}, y_t \in \mathbb{R}^{k}",
            ]
        ),
        # a forward state that reads the backward one at its step (a second layer upwards)
        r"h_t = \tanh(V x_t + Q h_{t+1}), g_t = \tanh(W x_t + U g_{t-1} + R h_t), "
        r"x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n, g_t \in \mathbb{R}^k",
        # a gated state carried backwards (two states, c and h, from t+1)
        "\n".join(
            [
                r"f_t = \sigma(W_f x_t + U_f h_{t+1})",
                r"c_t = f_t \odot c_{t+1} + (1 - f_t) \odot \tanh(W_c x_t)",
                r"h_t = \tanh(c_t)",
                r"x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}",
            ]
        ),
    ],
)
def test_more_systems_with_a_backward_state_pass_check(source: str) -> None:
    system = papermath.compile(source)
    program = system.program({"m": 3, "n": 2, "k": 2})
    assert program.bidirectional and program.back_ops
    for layout in ("sample-first", "dim-first"):
        results = check(system, {"m": 3, "n": 2, "k": 2}, layout=layout)
        assert all(r.ok and r.torch_error is not None for r in results), results


@pytest.mark.parametrize(
    "source, caret, words",
    [
        # a forward state that reads the backward one and is read by it: a loop each way
        (
            r"g_t = \tanh(U g_{t-1} + R h_{t+1}), h_t = \tanh(V x_t + Q h_{t+1} + g_t), "
            r"x_t \in \mathbb{R}^n",
            "g_t",
            "cannot run both ways",
        ),
        # beside a backward state, a value read at the step before (y_t from g_{t-1})
        (
            r"g_t = \tanh(W x_t + U g_{t-1}), h_t = \tanh(V x_t + Q h_{t+1}), "
            r"y_t = g_{t-1} + h_t, x_t \in \mathbb{R}^n",
            "g_{t-1}",
            "not generated yet",
        ),
    ],
)
def test_what_is_not_generated_is_refused_at_the_symbol(
    source: str, caret: str, words: str
) -> None:
    system = papermath.compile(source)
    with pytest.raises(PapermathError) as info:
        system.to_numpy({"n": 2})
    err = info.value
    assert words in err.message, err.message
    assert err.span is not None and source[err.span.start : err.span.end] == caret


def test_printed_gradients_run_backwards_and_the_fused_path_says_why_not() -> None:
    """The printed gradient of a state carried backwards takes what the step before it
    sends (h<-_{t+1} is read at step t, so dL/dh<-_t gets step t-1's term); that the
    printed equations equal the generated backward is tests/test_grad_oracle.py's check."""
    from papermath import flow
    from papermath.backends.kernels import plans
    from papermath.backends.steps import unsupported
    from papermath.report import gradients

    system = papermath.compile(GRAVES, DIMS)
    d = gradients.derive(system, "W_h_overleftarrowh_overleftarrow")
    assert any(r"\overleftarrow{h}_{t+1}" in line for line in d.forward)  # as the source
    (state,) = [eq.latex for eq in d.equations if eq.lhs.key == "h_overleftarrow"]
    assert r"\partial \overleftarrow{h}_{t-1}}" in state, state
    program = system.program(DIMS, fast=True)
    assert program.bidirectional
    assert "carried backwards" in (unsupported(program, "sample-first") or "")
    assert "carried backwards" in str(plans(program, [], []))
    with pytest.raises(PapermathError) as refused:  # it reruns the steps from a later start
        flow.gradient_flow(system, DIMS)
    assert "backwards" in refused.value.message
