"""The functions of a whole square matrix (papermath/ops/matrix.py, read/rules_matrix.py):
the identity I_N, the inverse X^{-1} and the matrix exponential exp(X).

Oracles: PyTorch's own torch.eye, torch.linalg.inv and torch.linalg.matrix_exp (values), and
finite differences in float64 plus torch autograd (gradients, through papermath.check).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import papermath
from papermath.check import check
from papermath.errors import PapermathError

torch = pytest.importorskip("torch")
os.environ.setdefault("PAPERMATH_KERNELS", "off")

S4 = r"""
x_k = \overline{A} x_{k-1} + \overline{B} u_k, \qquad \overline{A} = (I - \Delta/2 \cdot A)^{-1}(I + \Delta/2 \cdot A)
y_k = \overline{C} x_k, \qquad \overline{B} = (I - \Delta/2 \cdot A)^{-1} \Delta B, \qquad \overline{C} = C
A \in \mathbb{R}^{N \times N}, B \in \mathbb{R}^{N \times 1}, C \in \mathbb{R}^{1 \times N}, u_k \in \mathbb{R}, \Delta \in \mathbb{R}
"""  # noqa: E501  (S4, eq. 3, as the paper types it)

MAMBA = r"""
\bar{A} = \exp(\Delta A)
\bar{B} = (\Delta A)^{-1} (\exp(\Delta A) - I) \cdot \Delta B
h_t = \bar{A} h_{t-1} + \bar{B} x_t
y_t = C h_t
A \in \mathbb{R}^{N \times N}, B \in \mathbb{R}^{N \times 1}, C \in \mathbb{R}^{1 \times N}, x_t \in \mathbb{R}, \Delta \in \mathbb{R}
"""  # noqa: E501  (Mamba, eqs. 2a-2b and 4)

GCN = r"""
\tilde{A} = A + I_N
Y = \tilde{A} X W
A \in \mathbb{R}^{N \times N}, X \in \mathbb{R}^{N \times F}, W \in \mathbb{R}^{F \times H}
"""

# a matrix per example and step (batched): the batch axis moved in front of the matrix
# where the layout puts it last
BATCHED = r"""
h_t = \tanh(M_t^{-1} \cdot (\exp(M_t) - I) x_t + W h_{t-1})
M_t \in \mathbb{R}^{n \times n}, x_t \in \mathbb{R}^{n}, h_t \in \mathbb{R}^{n}
"""


def readings(system: papermath.System) -> dict[str, str]:
    return {r.subject: r.reading for r in system.readings}


def worst(system: papermath.System, dims: dict[str, int], layout: str) -> float:
    results = check(system, dims, layout=layout)
    assert all(r.torch_error is not None for r in results)  # torch autograd was compared
    return max(max(r.fd_error, r.torch_error or 0.0) for r in results)


# ---- reading ---------------------------------------------------------------------------
def test_the_inverse_of_a_square_matrix_is_read_as_its_inverse() -> None:
    system = papermath.compile(S4)
    said = readings(system)
    assert said[r"(I - \Delta/2 \cdot A)^{-1}"] == "matrix inverse"
    assert said[r"(I - \Delta/2 \cdot A)^{-1}(I + \Delta/2 \cdot A)"] == "matrix product"
    shapes = {k: tuple(v) for k, v in system.shapes.items()}
    assert shapes["A_bar"] == ("N", "N") and shapes["B_bar"] == ("N",)


def test_exp_beside_the_inverse_of_the_same_matrix_is_the_matrix_exponential() -> None:
    said = readings(papermath.compile(MAMBA))
    assert said[r"\exp(\Delta A)"] == "matrix exponential"
    assert said[r"(\Delta A)^{-1}"] == "matrix inverse"
    assert "exp" not in said.values()  # no "exp, elementwise" of the same \exp left


def test_exp_of_a_matrix_nothing_inverts_stays_elementwise() -> None:
    """The near miss: exp of a square matrix alone (attention scores) is read entry by entry,
    and the reading says so."""
    system = papermath.compile(
        r"""
        P = \exp(Q K^T) V
        Q \in \mathbb{R}^{n \times d}, K \in \mathbb{R}^{n \times d}, V \in \mathbb{R}^{n \times d}
        """
    )
    said = readings(system)
    assert said[r"\exp(Q K^T)"] == "elementwise exp"
    program = system.program({"n": 3, "d": 2})
    assert "expm" not in {op.prim.name for op in program.ops()}


def test_a_matrix_power_other_than_minus_one_is_still_refused() -> None:
    with pytest.raises(PapermathError, match="matrix power") as err:
        papermath.compile(
            r"Y = A^{2} X" + "\n" + r"A \in \mathbb{R}^{n \times n}, X \in \mathbb{R}^{n \times m}"
        )
    assert err.value.span is not None  # a caret under A^{2}


def test_the_power_minus_one_of_a_vector_is_still_each_entry_s_reciprocal() -> None:
    system = papermath.compile(r"y = x^{-1}" + "\n" + r"x \in \mathbb{R}^{n}")
    prims = {op.prim.name for op in system.program({"n": 3}).ops()}
    assert "pow" in prims and "inv" not in prims


# ---- values against torch --------------------------------------------------------------
def test_s4_discretisation_matches_torch_linalg_inv() -> None:
    system = papermath.compile(S4)
    gen = system.to_numpy({"N": 4})
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    a, b, d = (torch.tensor(np.asarray(params[k], dtype=float)) for k in ("A", "B", "Delta"))
    eye = torch.eye(4, dtype=torch.float64)
    a_bar = torch.linalg.inv(eye - d / 2 * a) @ (eye + d / 2 * a)
    b_bar = torch.linalg.inv(eye - d / 2 * a) @ (d * b.reshape(4))
    u = rng.normal(size=(3, 2))  # T = 3 steps, a batch of 2
    x0 = rng.normal(size=(2, 4))
    out, _ = gen.forward(params, {"u": u}, {"x": x0})
    x = torch.tensor(x0)
    for k in range(3):
        x = x @ a_bar.T + torch.tensor(u[k])[:, None] * b_bar
    np.testing.assert_allclose(np.asarray(out["x"])[-1], x.numpy(), rtol=1e-10, atol=1e-12)


def test_mamba_discretisation_matches_torch_linalg_matrix_exp() -> None:
    system = papermath.compile(MAMBA)
    gen = system.to_numpy({"N": 3})
    rng = np.random.default_rng(2)
    params = gen.init_params(rng)
    params["A"] = rng.normal(size=(3, 3)) * 2.0  # a norm above 1/2: scaled and squared
    a, b, d = (torch.tensor(np.asarray(params[k], dtype=float)) for k in ("A", "B", "Delta"))
    da = d * a
    a_bar = torch.linalg.matrix_exp(da)
    b_bar = torch.linalg.inv(da) @ (a_bar - torch.eye(3, dtype=torch.float64)) @ (d * b.reshape(3))
    x_in = rng.normal(size=(2, 1))
    h0 = rng.normal(size=(1, 3))
    out, _ = gen.forward(params, {"x": x_in}, {"h": h0})
    h = torch.tensor(h0)
    for k in range(2):
        h = h @ a_bar.T + torch.tensor(x_in[k])[:, None] * b_bar
    np.testing.assert_allclose(np.asarray(out["h"])[-1], h.numpy(), rtol=1e-9, atol=1e-12)


def test_the_expm_helper_against_torch_for_large_and_stacked_matrices() -> None:
    """The NumPy module's own exponential (scaling and squaring, Taylor terms) and its
    gradient (a block matrix's exponential) against torch.linalg.matrix_exp and autograd."""
    gen = papermath.compile(MAMBA).to_numpy({"N": 3})  # the module that calls them
    expm, expm_vjp = gen._expm, gen._expm_vjp
    rng = np.random.default_rng(3)
    for scale in (0.01, 1.0, 7.0):
        x = rng.normal(size=(2, 4, 4)) * scale
        g = rng.normal(size=(2, 4, 4))
        xt = torch.tensor(x, requires_grad=True)
        y = torch.linalg.matrix_exp(xt)
        (y * torch.tensor(g)).sum().backward()
        np.testing.assert_allclose(expm(x), y.detach().numpy(), rtol=1e-11, atol=1e-12)
        np.testing.assert_allclose(expm_vjp(x, g), xt.grad.numpy(), rtol=1e-9, atol=1e-10)


def test_the_identity_matches_torch_eye() -> None:
    system = papermath.compile(GCN)
    dims = {"N": 4, "F": 3, "H": 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(4)
    params = gen.init_params(rng)
    x = rng.normal(size=(4, 3))
    out, _ = gen.forward(params, {"X": x}, {})
    a, w = (torch.tensor(np.asarray(params[k], dtype=float)) for k in ("A", "W"))
    want = (a + torch.eye(4, dtype=torch.float64)) @ torch.tensor(x) @ w
    np.testing.assert_allclose(np.asarray(out["Y"]), want.numpy(), rtol=1e-12)


# ---- gradients: finite differences and torch autograd ----------------------------------
@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
@pytest.mark.parametrize(
    ("latex", "dims"),
    [
        (S4, {"N": 3}),
        (MAMBA, {"N": 3}),
        (GCN, {"N": 3, "F": 2, "H": 2}),
        (BATCHED, {"n": 3}),
    ],
    ids=["s4", "mamba", "identity", "batched"],
)
def test_gradients_through_the_matrix_functions(
    latex: str, dims: dict[str, int], layout: str
) -> None:
    assert worst(papermath.compile(latex), dims, layout) < 1e-6


def test_explain_names_the_matrix_functions() -> None:
    """What ``papermath explain`` says of each term: the inverse and the exponential of the
    whole matrix, never "power -1" or "exponential, elementwise"."""
    from papermath.explain import explain, render

    text = render(explain(papermath.compile(MAMBA)))
    assert r"(\Delta A)^{-1}  ->  matrix inverse" in text
    assert r"\exp(\Delta A)  ->  matrix exponential" in text
    assert "power -1" not in text and "exponential, elementwise" not in text


def test_an_inverse_alone_does_not_make_exp_a_matrix_exponential() -> None:
    """The near miss: the system inverts A, but never writes A^{-1} (exp(A) - I): exp(A) is
    still read entry by entry."""
    said = readings(
        papermath.compile(r"y = \exp(A) x + A^{-1} x" + "\n" + r"A \in \mathbb{R}^{n \times n}")
    )
    assert said[r"\exp(A)"] == "elementwise exp"
    assert said[r"A^{-1}"] == "matrix inverse"


def test_the_inverse_of_a_matrix_that_is_not_square_is_refused_at_it() -> None:
    source = r"y = W^{-1} x" + "\n" + r"W \in \mathbb{R}^{m \times n}, x \in \mathbb{R}^{n}"
    with pytest.raises(PapermathError, match="not square: it has no inverse") as err:
        papermath.compile(source)
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span) == "W^{-1}"
