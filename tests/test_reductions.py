r"""``\max_i a_i`` and ``\operatorname{logsumexp}_i a_i`` (the primitives ``max`` and
``logsumexp``: papermath/ops/reductions.py; the notation: read/rules_reductions.py), judged
by oracles that are not papermath's: torch.amax and torch.logsumexp (values, and gradients
by autograd, ties included), float64 finite differences (papermath.check), and the printed
gradient equations evaluated by tests/gradeval.py against the generated backward.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import papermath
from papermath.check import check
from papermath.diagram import to_dot
from papermath.explain import explain
from papermath.ir.prims import PRIMS

torch = pytest.importorskip("torch")

os.environ.setdefault("PAPERMATH_KERNELS", "off")

MAX = "% inputs: a\ny = \\max_i a_i\na \\in \\mathbb{R}^{n}"
LOGSUMEXP = "% inputs: a\ny = \\operatorname{logsumexp}_i a_i\na \\in \\mathbb{R}^{n}"
# both, with parameters in front: for finite differences and the printed gradients
LAYER = (
    "% inputs: x\nh = \\tanh(W x + b)\n"
    "y = \\operatorname{logsumexp}_i h_i - \\max_{j} h_j\n"
    "x \\in \\mathbb{R}^{m}, h \\in \\mathbb{R}^{n}"
)
# the printed-gradient systems (as tests/test_grad_oracle.py runs the corpus)
PRINTED = {
    "max": "% inputs: x\nz = W x + b\ns = \\max_i z_i\nx \\in \\mathbb{R}^{m}, z \\in "
    "\\mathbb{R}^{n}",
    "logsumexp": "% inputs: x\nz = \\tanh(W x)\ns = \\operatorname{logsumexp}_i z_i\n"
    "x \\in \\mathbb{R}^{m}, z \\in \\mathbb{R}^{n}",
    # a reduction inside a larger expression is printed as written (\max_j h_j), which the
    # evaluator does not read: here each is named
    "both": "% inputs: x\nh = \\tanh(W x + b)\nu = \\operatorname{logsumexp}_i h_i\n"
    "s = \\max_{j} (h_j - u)\nx \\in \\mathbb{R}^{m}, h \\in \\mathbb{R}^{n}",
}
LAYOUTS = ("sample-first", "dim-first")
REFERENCES: list[tuple[str, Callable[..., Any]]] = [
    (MAX, torch.amax),
    (LOGSUMEXP, torch.logsumexp),
]


def entries(rng: np.random.Generator) -> np.ndarray:
    """A batch of 4 vectors of 5 entries (one per row): entries up to about 1000, so that
    exp overflows unless the largest is taken out first; ties for the largest in rows 0
    and 1 (row 1: all five tied)."""
    a = rng.normal(size=(4, 5)) * 300.0
    a[0, 1] = a[0, 3] = a[0].max() + 1.0
    a[1, :] = 2.0
    return a


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("source", "reference"), REFERENCES, ids=["max", "logsumexp"])
def test_the_numpy_module_equals_torch(source: str, reference: Any, layout: str) -> None:
    """Values and gradients of the generated NumPy module against torch's own reduction and
    autograd; a tie shares the gradient equally, as torch.amax's does."""
    rng = np.random.default_rng(0)
    a = entries(rng)
    g = rng.normal(size=4)
    gen = papermath.compile(source).to_numpy({"n": 5}, layout)
    x = a if layout == "sample-first" else a.T
    outputs, cache = gen.forward({}, {"a": x})
    grads = gen.backward({}, cache, {"y": g})
    at = torch.tensor(a, requires_grad=True)
    want = reference(at, dim=1)
    (want * torch.tensor(g)).sum().backward()
    assert at.grad is not None
    assert np.all(np.isfinite(outputs["y"]))
    np.testing.assert_allclose(outputs["y"], want.detach().numpy(), rtol=1e-12, atol=0)
    got = grads["a"] if layout == "sample-first" else grads["a"].T
    np.testing.assert_allclose(got, at.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_a_tie_shares_the_gradient_equally() -> None:
    """Stated on its own: the five tied entries of row 1 get a fifth each (torch.amax)."""
    gen = papermath.compile(MAX).to_numpy({"n": 5})
    _, cache = gen.forward({}, {"a": np.array([[2.0, 2.0, 2.0, 2.0, 2.0]])})
    grads = gen.backward({}, cache, {"y": np.array([1.0])})
    at = torch.full((1, 5), 2.0, dtype=torch.float64, requires_grad=True)
    torch.amax(at, dim=1).sum().backward()
    assert at.grad is not None
    np.testing.assert_allclose(grads["a"], at.grad.numpy(), rtol=0, atol=1e-15)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("source", "reference"), REFERENCES, ids=["max", "logsumexp"])
def test_the_torch_module_equals_torch(source: str, reference: Any, layout: str) -> None:
    rng = np.random.default_rng(1)
    a = entries(rng)
    module = papermath.compile(source).to_torch({"n": 5}, dtype=torch.float64, layout=layout)
    at = torch.tensor(a, requires_grad=True)
    out = module(a=at if layout == "sample-first" else at.T)["y"]
    ref = torch.tensor(a, requires_grad=True)
    want = reference(ref, dim=1)
    g = torch.tensor(rng.normal(size=4))
    (out * g).sum().backward()
    (want * g).sum().backward()
    assert at.grad is not None and ref.grad is not None
    np.testing.assert_allclose(out.detach().numpy(), want.detach().numpy(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(at.grad.numpy(), ref.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_gradients_against_finite_differences_and_autograd(layout: str) -> None:
    """papermath check: the generated backward against float64 central differences and
    against torch autograd of the generated torch module, for every parameter and input."""
    results = check(papermath.compile(LAYER), {"m": 3, "n": 4}, layout=layout)
    assert {r.key for r in results} == {"W", "b", "x"}
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]


@pytest.mark.parametrize("name", sorted(PRINTED))
def test_the_printed_gradient_equations_equal_the_generated_backward(name: str) -> None:
    """The LaTeX ``papermath grad`` prints (1[z = s] over the tied count for a maximum,
    exp(z - s) for a log-sum-exp), read back by tests/gradeval.py at the forward values of
    the generated module: equal to the generated backward for every parameter."""
    from papermath.report.gradients import derive
    from test_grad_oracle import TOLERANCE, printed_gradient, run

    system = papermath.compile(PRINTED[name])
    r = run(system)
    printed = " ".join(eq.latex for eq in derive(system, "W", of=r.of).equations)
    if name in ("max", "both"):
        assert "\\mathbb{1}\\left[" in printed and "=" in printed.split("\\mathbb{1}")[1]
    if name in ("logsumexp", "both"):
        assert "\\exp\\left(" in printed
    for wrt in ("W", "b") if name != "logsumexp" else ("W",):
        want = np.asarray(r.grads[wrt], dtype=float)
        got = np.asarray(printed_gradient(r, wrt), dtype=float).reshape(want.shape)
        err = float(np.abs(got - want).max()) / max(float(np.abs(want).max()), 1e-8)
        assert err <= TOLERANCE, f"{name}: {wrt} differs by {err:.1e}"


# ---- the notation ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "prim"),
    [
        ("y = \\max_i a_i", "max"),
        ("y = \\max_{i} a_i", "max"),
        ("y = \\max_{i=1}^{n} a_i", "max"),
        ("y = \\max_i (a_i + b_i)", "max"),
        ("y = 2 \\max_i a_i b_i + c", "max"),
        ("y = \\operatorname{logsumexp}_i a_i", "logsumexp"),
        ("y = \\mathrm{logsumexp}_{j} a_j", "logsumexp"),
    ],
)
def test_the_ways_it_is_written(written: str, prim: str) -> None:
    system = papermath.compile(written + "\na \\in \\mathbb{R}^{n}")
    assert system.shapes["y"] == ()
    ops = [op.prim for op in system.program({"n": 3}).ops()]
    assert ops.count(PRIMS[prim]) == 1


def test_the_product_after_the_operator_is_its_body() -> None:
    """As for a sum: ``\\max_i a_i b_i`` is the maximum of the products, not (max a) b."""
    gen = papermath.compile("% inputs: a, b\ny = \\max_i a_i b_i\na \\in \\mathbb{R}^{n}")
    a, b = np.array([[1.0, -3.0, 2.0]]), np.array([[1.0, -3.0, 0.5]])
    outputs, _ = gen.to_numpy({"n": 3}).forward({}, {"a": a, "b": b})
    np.testing.assert_allclose(outputs["y"], [9.0])


def test_the_maximum_of_two_values_stays_the_elementwise_maximum() -> None:
    system = papermath.compile("y = \\max(a, b)\na \\in \\mathbb{R}^{n}")
    prims = {op.prim for op in system.program({"n": 3}).ops()}
    assert PRIMS["maximum"] in prims and PRIMS["max"] not in prims
    assert system.shapes["y"] == ("n",)


@pytest.mark.parametrize(
    ("source", "caret", "says"),
    [
        ("y = \\operatorname{logsumexp}(a)", "\\operatorname{logsumexp}(a)", "no index"),
        # a max over the neighbours reads (rules_neighbour_max.py), along outgoing edges not
        ("h_v = \\max_{u \\in \\mathcal{N}^{out}(v)} x_u",
         "\\max_{u \\in \\mathcal{N}^{out}(v)} x_u", "edges into a node only"),
    ],
)  # fmt: skip
def test_what_is_not_read_is_refused_where_it_is_written(
    source: str, caret: str, says: str
) -> None:
    with pytest.raises(papermath.PapermathError) as refused:
        papermath.compile(source)
    err = refused.value
    assert says in err.message and err.hint
    assert err.span is not None
    assert source[err.span.start : err.span.end] == caret


# ---- the views -------------------------------------------------------------------------
def test_explain_and_the_diagram_name_them() -> None:
    system = papermath.compile(LAYER)
    what = [f.what for f in explain(system).terms]
    assert "log-sum-exp over every entry i" in what and "maximum over every entry j" in what
    dot = to_dot(system)
    assert "logsumexp<sub>i</sub>" in dot and "max<sub>j</sub>" in dot
    assert "maximum over the entries j" in dot  # the legend
