r"""A loss written for sample i as a function of the whole batch (parse/samples.py): PyTorch's
TripletMarginLoss docstring, ``L(a, p, n) = \max\{d(a_i, p_i) - d(a_i, n_i) + margin, 0\}``
"for each sample in the mini-batch". Shapes and kinds as the docstring says them (inputs of
shape (N, D): one sample a vector of D values; L one number per sample); values and
gradients judged by torch.nn.functional.triplet_margin_loss, not by papermath's own code.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError

torch = pytest.importorskip("torch")

os.environ.setdefault("PAPERMATH_KERNELS", "off")

PROSE = (
    "The shapes of all input tensors should be :math:`(N, D)`.\n\n"
    "The loss function for each sample in the mini-batch is:\n\n"
)
LOSS = (
    "    .. math::\n"
    "        L(a, p, n) = \\max \\{d(a_i, p_i) - d(a_i, n_i) + {\\rm margin}, 0\\}\n\n"
    "where\n\n"
    "    .. math::\n"
    "        d(x_i, y_i) = \\left\\lVert {\\bf x}_i - {\\bf y}_i \\right\\rVert_{NORM}\n"
)
TRIPLET = PROSE + LOSS.replace("{NORM}", "p")
# the same with the degree written out (p = 2, PyTorch's default): code is generated
TRIPLET_2 = PROSE + LOSS.replace("{NORM}", "2")


def test_the_triplet_loss_reads_per_sample() -> None:
    system = papermath.compile(TRIPLET)
    shapes = system.shapes
    assert shapes["L"] == ()
    assert len(shapes["a"]) == 1 and shapes["a"] == shapes["p"] == shapes["n"]
    assert {system.kinds[k] for k in "apn"} == {"input"}
    said = {r.reading: r.reason for r in system.readings}
    assert "for each sample" in said["one sample's loss"]


@pytest.mark.parametrize(
    "prose",
    [
        "The loss function is:\n\n",
        "对于每个小批量样本，损失值为：\n\n",
        "小批量中每个样本的损失函数为：\n\n",
    ],
    ids=["no per-sample sentence", "zh mindspore", "zh oneflow"],
)
def test_only_the_sentence_decides(prose: str) -> None:
    """Without "for each sample" a_i could be an entry of a vector a: the doubt stands, at
    a_i; the Chinese pages' sentences say it as the English one does."""
    source = prose + LOSS.replace("{NORM}", "p")
    if "每" in prose:
        assert papermath.compile(source).shapes["L"] == ()
        return
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert "a_i in the body" in err.message
    assert err.span is not None and source[err.span.start : err.span.end] == "a_i"


def test_a_row_beside_the_whole_is_not_a_sample() -> None:
    """L(a) = a_i + |a|: a is used as itself too, so a_i is no sample of it: not read per
    sample (whatever else reads it)."""
    source = "The loss for each sample is:\n\n$$L(a) = a_i + \\|a\\|$$\n"
    try:
        readings = papermath.compile(source).readings
    except PapermathError:
        return
    assert "one sample's loss" not in {r.reading for r in readings}


def test_code_for_the_p_norm_is_refused_at_the_norm() -> None:
    """p is the norm's degree (and the positive sample's name): the shapes read whatever p
    is, but norm code is the 2-norm, so code for degree p is refused, not computed as 2."""
    system = papermath.compile(TRIPLET)
    with pytest.raises(PapermathError) as info:
        system.to_numpy({})
    err = info.value
    assert "degree p" in err.message
    assert err.span is not None and "\\rVert_p" in TRIPLET[err.span.start : err.span.end]


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_the_generated_loss_equals_torch_triplet_margin_loss(backend: str) -> None:
    rng = np.random.default_rng(5)
    a, p, n = (rng.normal(size=(6, 4)) for _ in range(3))
    margin = 0.7
    m = np.full(6, margin)
    system = papermath.compile(TRIPLET_2)
    ta, tp, tn = (torch.tensor(x, requires_grad=True) for x in (a, p, n))
    want = torch.nn.functional.triplet_margin_loss(
        ta, tp, tn, margin=margin, p=2.0, eps=0.0, reduction="none"
    )
    g = rng.normal(size=6)
    (want * torch.tensor(g)).sum().backward()
    if backend == "numpy":
        gen = system.to_numpy({})
        outputs, cache = gen.forward({}, {"a": a, "p": p, "n": n, "margin": m})
        grads = gen.backward({}, cache, {"L": g})
        got, got_grads = outputs["L"], [grads[k] for k in "apn"]
    else:
        module = system.to_torch({}, dtype=torch.float64)
        xs = {k: torch.tensor(v, requires_grad=True) for k, v in zip("apn", (a, p, n), strict=True)}
        out = module(**xs, margin=torch.tensor(m))["L"]
        (out * torch.tensor(g)).sum().backward()
        got = out.detach().numpy()
        got_grads = [xs[k].grad.numpy() for k in "apn"]  # type: ignore[union-attr]
    np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-12, atol=1e-14)
    for ours, theirs in zip(got_grads, (ta.grad, tp.grad, tn.grad), strict=True):
        assert theirs is not None
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-12)
