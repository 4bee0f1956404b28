r"""R-GCN's basis decomposition ``W_r = \sum_{b=1}^{B} a_{rb} V_b`` (read/rules_basis.py,
basis-decomposition).

Oracle: the paper's arithmetic written by hand (Schlichtkrull et al. 2018, eqs 2-3): for each
edge type r, W_r = sum over b of a[r, b] V[b]; for each node i, sigma(sum over the types r
and the edges j -> i of type r of W_r h_j + W_0 h_i), as plain NumPy loops; gradients by torch
autograd through the same loops.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.errors import PapermathError

CASES = Path(__file__).resolve().parent / "wild" / "cases"
SOURCE = r"""
$$h_i' = \sigma(\sum_{r \in \mathcal{R}} \sum_{j \in \mathcal{N}_r(i)} W_r h_j + W_0 h_i)$$
$$W_r = \sum_{b=1}^{B} a_{rb} V_b$$
with coefficients $a_{rb}$, $h_i \in \mathbb{R}^{d}$.
"""
R, B, D, D_OUT, N = 3, 2, 4, 5, 5
EDGES = [(0, 1), (1, 2), (2, 0), (3, 2), (1, 1), (4, 3), (2, 4), (0, 4)]  # (source, target)
TYPES = [0, 2, 1, 0, 1, 2, 0, 1]


def _oracle(lib, a, v, w0, h):  # type: ignore[no-untyped-def]
    ws = [sum(a[r, b] * v[b] for b in range(B)) for r in range(R)]
    rows = []
    for i in range(N):
        total = w0 @ h[i]
        for (j, target), r in zip(EDGES, TYPES, strict=True):
            if target == i:
                total = total + ws[r] @ h[j]
        rows.append(1 / (1 + lib.exp(-total)))
    return lib.stack(rows)


def _setup(seed: int):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    p = {
        "a": rng.normal(size=(R, B)),
        "V": rng.normal(size=(B, D_OUT, D)),
        "W_0": rng.normal(size=(D_OUT, D)),
    }
    h = rng.normal(size=(N, D))
    ins = {
        "h": h,
        "edges": np.array(EDGES).T,
        "edge_types": np.array(TYPES),
    }
    return rng, p, h, ins


def _system() -> tuple[papermath.System, dict[str, int]]:
    system = papermath.compile(SOURCE)
    (out,) = system.shapes["h_prime"]
    return system, {"R": R, "B": B, "d": D, out: D_OUT}


def test_the_decomposition_reads_a_per_pair_and_v_per_member() -> None:
    system, _ = _system()
    assert system.kinds["W"] == "intermediate"  # computed, no longer a parameter
    assert system.kinds["a"] == system.kinds["V"] == "parameter"
    assert system.shapes["a"] == ()
    assert system.shapes["V"] == system.shapes["W"]
    assert system.per_basis_params == {"a": "B", "V": "B"}
    assert set(system.per_relation_params) == {"a"}


def test_numpy_and_torch_forward_against_the_hand_loop() -> None:
    system, dims = _system()
    _, p, h, ins = _setup(0)
    want = _oracle(np, p["a"], p["V"], p["W_0"], h)
    gen = system.to_numpy(dims)
    assert gen.PARAM_SHAPES["a"] == (R, B) and gen.PARAM_SHAPES["V"] == (B, D_OUT, D)
    outputs, _ = gen.forward(p, ins)
    np.testing.assert_allclose(outputs["h_prime"], want, rtol=1e-10, atol=1e-12)
    module = system.to_torch(dims, dtype=torch.float64)
    with torch.no_grad():
        for key, value in p.items():
            getattr(module, key).copy_(torch.tensor(value))
        got = module(**{k: torch.tensor(v) for k, v in ins.items()})["h_prime"].numpy()
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_the_generated_backward_against_torch_autograd_of_the_hand_loop() -> None:
    system, dims = _system()
    rng, p, h, ins = _setup(1)
    g = rng.normal(size=(N, D_OUT))
    gen = system.to_numpy(dims)
    _, cache = gen.forward(p, ins)
    grads = gen.backward(p, cache, {"h_prime": g})
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    th = torch.tensor(h, requires_grad=True)
    out = _oracle(torch, tp["a"], tp["V"], tp["W_0"], th)
    (out * torch.tensor(g)).sum().backward()
    for key, value in tp.items():
        assert value.grad is not None
        np.testing.assert_allclose(grads[key], value.grad.numpy(), rtol=1e-9, atol=1e-11)
    assert th.grad is not None
    np.testing.assert_allclose(grads["h"], th.grad.numpy(), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize(
    "decomposition",
    [
        r"W_r = \sum_{b=1}^{B} a_{r,b} V_b",  # a comma between the letters
        r"W_r = \sum_{b=1}^{B} V_b a_{rb}",  # the coefficient after the basis
        r"\mathbf{W}_r = \sum_{b=1}^{B} a_{rb} \mathbf{V}_b",  # bold matrices
    ],
)
def test_other_spellings_read_the_same(decomposition: str) -> None:
    source = SOURCE.replace(r"W_r = \sum_{b=1}^{B} a_{rb} V_b", decomposition)
    if "a_{r,b}" in decomposition:  # the prose writes it as the equation does
        source = source.replace("$a_{rb}$", "$a_{r,b}$")
    if r"\mathbf" in decomposition:
        source = source.replace("W_r h_j", r"\mathbf{W}_r h_j")
    system = papermath.compile(source)
    assert system.shapes["a"] == ()
    assert set(system.per_basis_params) == {"a", "V"}
    assert system.kinds["W"] == "intermediate"


@pytest.mark.parametrize(
    "decomposition",
    [
        r"W_r = \sum_{b=1}^{B} a_{rb}",  # no member of a basis: the entries of a matrix
        r"W_r = \sum_{b=0}^{B} a_{rb} V_b",  # from 0: how many members, not read
        r"W_r = \sum_{b=1}^{B} a_{rb} v_b",  # a lowercase member: not a matrix by convention
    ],
)
def test_near_misses_stay_refused(decomposition: str) -> None:
    source = SOURCE.replace(r"W_r = \sum_{b=1}^{B} a_{rb} V_b", decomposition)
    with pytest.raises(PapermathError):
        papermath.compile(source)


def test_without_the_coefficient_words_a_stays_undecided() -> None:
    source = SOURCE.replace("with coefficients $a_{rb}$, ", "with ")
    with pytest.raises(PapermathError):
        papermath.compile(source)


def test_the_dgl_docstring_reads_with_its_layer_labels() -> None:
    case = tomllib.loads((CASES / "dgl_relgraphconv.toml").read_text())
    system = papermath.compile(str(case["latex"]))
    for key, want in case["expect"]["shapes"].items():
        assert len(system.shapes[key]) == len(want), key
    assert system.shapes["a"] == ()
    assert system.shapes["V"] == system.shapes["W"] == system.shapes["W_0"]
    assert system.kinds["W"] == "intermediate"
    assert system.recurrence is not None and system.recurrence.states == ("h",)  # W not carried


def test_a_decomposition_that_is_not_the_whole_right_side_is_refused_with_the_form() -> None:
    source = SOURCE.replace(
        r"$$W_r = \sum_{b=1}^{B} a_{rb} V_b$$", r"$$U_r = c + \sum_{b=1}^{B} a_{rb} V_b$$"
    )
    with pytest.raises(PapermathError) as err:
        papermath.compile(source)
    assert "rb" in err.value.message
    assert r"W_r = \sum_{b=1}^{B} a_{rb} V_b" in str(err.value.hint)
