r"""Graves, Mohamed & Hinton (2013), eqs. 8-10: the bidirectional RNN reads (the backward layer
a state carried from t+1, read/rules_reverse.py) and generates (tests/test_bidirectional.py);
the hint papermath gave before it did stays right: the backward layer
written forwards and run on the reversed sequence, its outputs reversed back, is the backward
half of torch.nn.RNN(bidirectional=True) with the same weights (an independent oracle); and
the paper's \mathcal{H} (not named by the source) is refused by itself, with its own hint."""

from __future__ import annotations

import numpy as np
import pytest

import papermath

torch = pytest.importorskip("torch")

GRAVES = (
    r"\overrightarrow{h}_t = \mathcal{H}\left(W_{x\overrightarrow{h}} x_t + "
    r"W_{\overrightarrow{h}\overrightarrow{h}} \overrightarrow{h}_{t-1} + "
    r"b_{\overrightarrow{h}}\right)" + "\n"
    r"\overleftarrow{h}_t = \mathcal{H}\left(W_{x\overleftarrow{h}} x_t + "
    r"W_{\overleftarrow{h}\overleftarrow{h}} \overleftarrow{h}_{t+1} + "
    r"b_{\overleftarrow{h}}\right)" + "\n"
    r"y_t = W_{\overrightarrow{h}y} \overrightarrow{h}_t + W_{\overleftarrow{h}y} "
    r"\overleftarrow{h}_t + b_y" + "\n"
    r"x_t \in \mathbb{R}^{m}, \overrightarrow{h}_t \in \mathbb{R}^{n}, \overleftarrow{h}_t "
    r"\in \mathbb{R}^{n}, y_t \in \mathbb{R}^{q}"
)
DIMS = {"m": 3, "n": 4, "q": 2}
# one layer written forwards, with the activation named (the hint's form)
LAYER = "h_t = \\tanh(W x_t + U h_{t-1} + b)\nx_t \\in \\mathbb{R}^{m}, h_t \\in \\mathbb{R}^{n}"


def test_code_is_refused_only_at_the_unnamed_hidden_layer_function() -> None:
    """The backward layer generates (a second loop, from the last step down: P30,
    tests/test_bidirectional.py against torch's bidirectional RNN); what code still needs is
    the activation the paper does not name."""
    system = papermath.compile(GRAVES, DIMS)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy(DIMS)
    err = info.value
    assert err.span is not None and err.source is not None
    assert err.source.text[err.span.start : err.span.end] == r"\mathcal{H}"
    assert "% \\mathcal{H}: " in (err.hint or "")
    gen = papermath.compile("% \\mathcal{H}: tanh\n" + GRAVES, DIMS).to_numpy(DIMS)
    x = np.random.default_rng(0).normal(size=(5, 2, 3))  # T = 5 steps, a batch of 2
    outputs, _ = gen.forward(gen.init_params(np.random.default_rng(1)), {"x": x})
    assert np.shape(outputs["y"]) == (5, 2, 2) and np.all(np.isfinite(outputs["y"]))


def test_the_hint_gives_the_backward_half_of_a_bidirectional_rnn() -> None:
    """The layer written forwards, run on x reversed, outputs reversed back: torch's
    bidirectional RNN's backward direction (and the same layer on x as it is: the forward
    direction), each with its own weights."""
    dims = {"m": 3, "n": 4}
    gen = papermath.compile(LAYER, dims).to_numpy(dims)
    rng = np.random.default_rng(0)
    fwd, bwd = gen.init_params(rng), gen.init_params(rng)
    x = rng.normal(size=(6, 2, 3))  # T = 6 steps, a batch of 2
    ours_f = gen.forward(fwd, {"x": x})[0]["h"]
    ours_b = gen.forward(bwd, {"x": x[::-1].copy()})[0]["h"][::-1]
    rnn = torch.nn.RNN(3, 4, nonlinearity="tanh", bidirectional=True, dtype=torch.float64)
    with torch.no_grad():
        for suffix, p in (("", fwd), ("_reverse", bwd)):
            getattr(rnn, f"weight_ih_l0{suffix}").copy_(torch.tensor(p["W"]))
            getattr(rnn, f"weight_hh_l0{suffix}").copy_(torch.tensor(p["U"]))
            getattr(rnn, f"bias_ih_l0{suffix}").copy_(torch.tensor(p["b"]))
            getattr(rnn, f"bias_hh_l0{suffix}").zero_()
        want = rnn(torch.tensor(x))[0].numpy()  # (T, N, 2n): forward, then backward
    assert np.allclose(ours_f, want[..., :4])
    assert np.allclose(ours_b, want[..., 4:])


def test_the_unnamed_hidden_layer_function_is_refused_by_itself() -> None:
    """Written forwards, the paper's layer still needs \\mathcal{H} named (the source says
    'the hidden layer function'): refused at it, the hint naming how to say it."""
    source = (
        "h_t = \\mathcal{H}(W x_t + U h_{t-1} + b)\n"
        "x_t \\in \\mathbb{R}^{m}, h_t \\in \\mathbb{R}^{n}"
    )
    dims = {"m": 3, "n": 4}
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source, dims).to_numpy(dims)
    err = info.value
    assert err.span is not None and err.source is not None
    assert err.source.text[err.span.start : err.span.end] == "\\mathcal{H}"
    assert "% \\mathcal{H}: " in (err.hint or "")
    named = papermath.compile("% \\mathcal{H}: tanh\n" + source, dims)
    assert named.to_numpy(dims).INPUTS == {"x": "step"}


@pytest.mark.parametrize(
    "written, name, fn",
    [
        ("\\mathcal{H}", "tanh", np.tanh),
        ("\\phi", "relu", lambda v: np.maximum(v, 0.0)),
        ("\\sigma_y", "sigmoid", lambda v: 1.0 / (1.0 + np.exp(-v))),
    ],
)
def test_the_refusals_hint_names_the_activation(written: str, name: str, fn: object) -> None:
    """The hint of an unnamed activation (`% \\mathcal{H}: tanh`) is a comment the reader
    takes: the code then applies that function (computed here by hand in NumPy)."""
    source = f"h = {written}(W x + b)\nx \\in \\mathbb{{R}}^{{m}}, h \\in \\mathbb{{R}}^{{n}}"
    dims = {"m": 3, "n": 2}
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source, dims).to_numpy(dims)
    hint = info.value.hint or ""
    assert f"% {written}: " in hint
    gen = papermath.compile(f"% {written}: {name}\n" + source, dims).to_numpy(dims)
    rng = np.random.default_rng(4)
    params = gen.init_params(rng)
    x = rng.normal(size=(5, 3))
    got = gen.forward(params, {"x": x})[0]["h"]
    assert callable(fn)
    assert np.allclose(got, fn(x @ params["W"].T + params["b"]))


def test_a_prose_comment_is_no_activation() -> None:
    """`% Note: tanh` is prose (a bare word before the colon), not a directive."""
    source = "% Note: tanh\nh = \\tanh(W x + b)\nx \\in \\mathbb{R}^{m}, h \\in \\mathbb{R}^{n}"
    assert papermath.compile(source).shapes["W"] == ("n", "m")
