"""A recursion over orders (read/rules_recursion.py) and a definition said in the prose
(parse/prose_denotes.py): PyG's ChebConv, ``X' = \\sum_{k=1}^{K} Z^{(k)} \\Theta^{(k)}`` with
``Z^{(1)} = X``, ``Z^{(2)} = \\hat L X``, ``Z^{(k)} = 2 \\hat L Z^{(k-1)} - Z^{(k-2)}``.

The shapes are checked against a Chebyshev loop computed here by hand in NumPy (dense
\\hat L): the shape of every value it computes is the shape papermath reads. Code for the
recursion is refused by name, and the form its hint gives (the sum unrolled) generates code
equal to the hand loop. Near misses keep their refusals."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from refusals import caret, refused

WILD = Path(__file__).parent / "wild" / "cases"
CHEB = (
    "X' = \\sum_{k=1}^{K} Z^{(k)} \\Theta^{(k)}\n"
    "Z^{(1)} = X\n"
    "Z^{(2)} = L X\n"
    "Z^{(k)} = 2 L Z^{(k-1)} - Z^{(k-2)}\n"
    "X \\in \\mathbb{R}^{N \\times F}, X' \\in \\mathbb{R}^{N \\times G}"
)
N, F, G, K = 5, 3, 2, 4


def chebyshev_by_hand(lap: np.ndarray, x: np.ndarray, thetas: list[np.ndarray]) -> dict:
    """T_k(L) X for k = 1..K by the three-term recursion, and the weighted sum."""
    z = [x, lap @ x]
    while len(z) < len(thetas):
        z.append(2 * lap @ z[-1] - z[-2])
    out = sum(zk @ th for zk, th in zip(z, thetas, strict=True))
    return {"Z": z, "X_prime": out}


def test_chebyshev_shapes_are_those_of_the_hand_loop() -> None:
    rng = np.random.default_rng(0)
    lap, x = rng.normal(size=(N, N)), rng.normal(size=(N, F))
    thetas = [rng.normal(size=(F, G)) for _ in range(K)]
    got = chebyshev_by_hand(lap, x, thetas)
    sizes = {"N": N, "F": F, "G": G}
    system = papermath.compile(CHEB)
    shapes = {k: tuple(sizes.get(s, s) for s in v) for k, v in system.shapes.items()}
    assert all(shapes["Z"] == z.shape for z in got["Z"])  # one shape at every order
    assert shapes["Z_order1"] == shapes["Z_order2"] == got["Z"][0].shape
    assert shapes["X_prime"] == got["X_prime"].shape
    assert shapes["Theta"] == thetas[0].shape
    assert shapes["X"] == x.shape
    assert shapes["L"] == lap.shape
    assert system.kinds["Theta"] == "parameter" and system.kinds["X"] == "input"
    said = {r.reading for r in system.readings}
    assert "sum over the orders of Z" in said
    assert "first value of a recursion over k" in said


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (CHEB, 1),  # PyG: orders 1..K, Z^{(1)} = X
        (  # Spektral: orders 0..K-1, T^{(0)} = X, the recursion written from order 2 on
            CHEB.replace("k=1}^{K}", "k=0}^{K-1}")
            .replace("Z^{(1)}", "Z^{(0)}")
            .replace("Z^{(2)}", "Z^{(1)}")
            .replace("Z^{(k)} = 2", "Z^{(k \\ge 2)} = 2"),
            0,
        ),
    ],
)
def test_chebyshev_code_equals_the_hand_loop(text: str, first: int) -> None:
    """The generated module (the recursion unrolled, K in dims) against the Chebyshev loop
    by hand; its gradients against torch autograd of the same loop."""
    torch = pytest.importorskip("torch")
    gen = papermath.compile(text + "\n% papermath: L is input").to_numpy(
        {"K": K, "N": N, "F": F, "G": G}
    )
    rng = np.random.default_rng(1 + first)
    params = gen.init_params(rng)
    assert params["Theta"].shape == (K, F, G)  # one Theta per order, stacked
    lap, x = rng.normal(size=(N, N)), rng.normal(size=(N, F))
    outputs, cache = gen.forward(params, {"X": x, "L": lap})
    thetas = [params["Theta"][m] for m in range(K)]
    want = chebyshev_by_hand(lap, x, thetas)["X_prime"]
    np.testing.assert_allclose(outputs["X_prime"], want, rtol=1e-12, atol=1e-12)

    g = rng.normal(size=want.shape)
    grads = gen.backward(params, cache, {"X_prime": g})
    lt = torch.tensor(lap, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    tt = torch.tensor(params["Theta"], requires_grad=True)
    z = [xt, lt @ xt]
    while len(z) < K:
        z.append(2 * lt @ z[-1] - z[-2])
    out = sum(z[m] @ tt[m] for m in range(K))
    (out * torch.tensor(g)).sum().backward()
    for key, tensor in (("Theta", tt), ("L", lt), ("X", xt)):
        np.testing.assert_allclose(grads[key], tensor.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_pyg_chebconv_passes_check(layout: str) -> None:
    """papermath check: the generated backward pass against finite differences and torch."""
    from papermath.check import check

    case = tomllib.loads((WILD / "pyg_chebconv.toml").read_text())
    system = papermath.compile(case["latex"])
    n, f_in, f_out = system.shapes["Z"] + system.shapes["X_prime"][1:]
    results = check(system, {"K": 3, n: 4, f_in: 3, f_out: 2}, layout=layout)
    assert {r.key for r in results} >= {"Theta", "L", "X"}
    assert all(r.ok for r in results), [(r.key, r.fd_error, r.torch_error) for r in results]


def test_chebyshev_needs_the_number_of_orders() -> None:
    system = papermath.compile(CHEB)
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"N": N, "F": F, "G": G})
    assert "K" in info.value.message
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"K": 1, "N": N, "F": F, "G": G})  # fewer orders than first values
    assert "first values" in info.value.message


def test_the_unrolled_form_reads_and_equals_the_hand_loop() -> None:
    """The sum written out (Z_1, Z_2, Z_3 named apart): the same numbers."""
    unrolled = (
        "Z_1 = X, Z_2 = L X, Z_3 = 2 L Z_2 - Z_1, X' = Z_1 \\Theta_1 + Z_2 \\Theta_2 + Z_3 "
        "\\Theta_3, X \\in \\mathbb{R}^{N \\times F}, L \\in \\mathbb{R}^{N \\times N}, "
        "X' \\in \\mathbb{R}^{N \\times G}\n% papermath: L is input"
    )
    gen = papermath.compile(unrolled).to_numpy({"N": N, "F": F, "G": G})
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    lap, x = rng.normal(size=(N, N)), rng.normal(size=(N, F))
    outputs, _ = gen.forward(params, {"X": x, "L": lap})
    want = chebyshev_by_hand(lap, x, [params[f"Theta_{i}"] for i in (1, 2, 3)])
    np.testing.assert_allclose(outputs["X_prime"], want["X_prime"], rtol=1e-12, atol=1e-12)


def test_pyg_chebconv_reads_with_the_laplacian_from_the_prose() -> None:
    case = tomllib.loads((WILD / "pyg_chebconv.toml").read_text())
    system = papermath.compile(case["latex"])
    s = system.shapes
    n = s["X"][0]
    assert s["L_hat"] == s["L"] == s["I"] == (n, n)
    assert s["Z"] == s["X"] and s["Theta"] == (s["X"][1], s["X_prime"][1])
    assert s["lambda_max"] == ()
    prose = [r for r in system.readings if r.reading == "definition said in the prose"]
    assert len(prose) == 1 and "denotes the scaled and normalized Laplacian" in prose[0].reason
    sentence = case["latex"].index(":math:`\\mathbf{\\hat{L}}` denotes")
    assert sentence <= prose[0].span.start < case["latex"].index("denotes")  # on the words


def test_prose_denotes_needs_a_formula_and_a_symbol_of_the_equations() -> None:
    base = (
        "$$y = \\hat{L} x$$\n\nwhere $x \\in \\mathbb{R}^{n}$ and $\\hat{L}$ denotes the scaled "
        "Laplacian $"
    )
    read = papermath.compile(base + "2 L - I$.")
    assert read.shapes["L"] == read.shapes["L_hat"]  # read as L_hat = 2 L - I
    alone = papermath.compile(base + "L$.")  # one symbol: a second name, not a definition
    assert "L" not in alone.shapes and alone.kinds["L_hat"] != "intermediate"
    other = papermath.compile(
        "$$y = W x$$\n\nwhere $x \\in \\mathbb{R}^{n}$ and $M$ denotes the matrix $2 L - I$."
    )
    assert "M" not in other.shapes and "L" not in other.shapes  # M is in no equation


@pytest.mark.parametrize(
    ("text", "under"),
    [
        # no first values: the recursion starts nowhere
        (
            "X' = \\sum_{k=1}^{K} Z^{(k)} \\Theta^{(k)}\nZ^{(k)} = 2 L Z^{(k-1)} - Z^{(k-2)}",
            "k-1",
        ),
        # one first value for a recursion that reaches back two orders
        (
            "X' = \\sum_{k=1}^{K} Z^{(k)} \\Theta^{(k)}\nZ^{(1)} = X\n"
            "Z^{(k)} = 2 L Z^{(k-1)} - Z^{(k-2)}",
            "k-1",
        ),
    ],
)
def test_near_misses_keep_their_refusal(text: str, under: str) -> None:
    err = refused(text)
    assert "element index" in err.message and "step index" in err.message
    assert caret(err) == under


def test_sum_from_another_order_than_the_first_value_is_not_read() -> None:
    err = refused(
        "X' = \\sum_{k=0}^{K} Z^{(k)} \\Theta^{(k)}\nZ^{(1)} = X\nZ^{(2)} = L X\n"
        "Z^{(k)} = 2 L Z^{(k-1)} - Z^{(k-2)}"
    )
    assert "counts orders or powers" in err.message and caret(err) == "k=0"


SPEKTRAL_FORM = (
    "X' = \\sum_{k=0}^{K-1} T^{(k)} W^{(k)}\n"
    "T^{(0)} = X\n"
    "T^{(1)} = L X\n"
    "T^{(k \\ge 2)} = 2 L T^{(k-1)} - T^{(k-2)}\n"
    "X \\in \\mathbb{R}^{N \\times F}"
)


def test_a_condition_where_the_first_values_end_reads() -> None:
    system = papermath.compile(SPEKTRAL_FORM)
    rng = np.random.default_rng(2)
    lap, x = rng.normal(size=(N, N)), rng.normal(size=(N, F))
    want = chebyshev_by_hand(lap, x, [rng.normal(size=(F, G)) for _ in range(K)])
    sizes = {"N": N, "F": F}
    assert tuple(sizes.get(d, d) for d in system.shapes["T"]) == want["Z"][2].shape
    assert "the recursion from order 2 on" in {r.reading for r in system.readings}


@pytest.mark.parametrize(
    "changed",
    [
        ("k \\ge 2", "k \\ge 3"),  # the condition does not start where the first values end
        ("X' = \\sum_{k=0}^{K-1} T^{(k)} W^{(k)}\n", "X' = T^{(0)} W\n"),  # no sum over k
    ],
)
def test_a_condition_that_is_not_read_is_refused_at_it(changed: tuple[str, str]) -> None:
    err = refused(SPEKTRAL_FORM.replace(*changed))
    assert caret(err) == "\\ge"
    assert "condition" in err.message


def test_a_value_with_the_order_outside_the_sum_is_refused_there() -> None:
    # b^{(k)} after the sum's body: its shapes read (one b per order, or one b once with k a
    # slip: the same shape either way), and the code refuses there, asking which
    text = SPEKTRAL_FORM.replace("T^{(k)} W^{(k)}\n", "T^{(k)} W^{(k)} + b^{(k)}\n")
    outside = papermath.compile(text)
    assert outside.shapes["b"] == (outside.shapes["X_prime"][1],)
    assert any("b^{(k)} read inside the sum" in r.reading for r in outside.readings)
    with pytest.raises(papermath.PapermathError) as info:
        outside.to_numpy({"N": 3, "F": 2, outside.shapes["b"][0]: 2, "K": 3})
    err = info.value
    assert caret(err) == "b^{(k)}" and "cannot be generated" in err.message
    assert err.hint is not None and "inside the sum's parentheses" in err.hint
    # the hint's first form reads: the bias inside the sum, one per order
    inside = SPEKTRAL_FORM.replace("T^{(k)} W^{(k)}\n", "(T^{(k)} W^{(k)} + b^{(k)})\n")
    shapes = papermath.compile(inside).shapes
    assert shapes["b"] == (shapes["X_prime"][1],)  # a bias per output feature, every node


def test_a_state_two_steps_back_is_not_generated_and_the_hint_is() -> None:
    """h_{t-2} was generated as h_{t-1}: now refused; the hint's form (g_t = h_{t-1}, g_{t-1}
    for h_{t-2}) generates the recurrence computed here by hand."""
    two = "h_t = \\tanh(W h_{t-1} + U h_{t-2} + x_t), x_t \\in \\mathbb{R}^{n}"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(two).to_numpy({"n": 3})
    assert caret(info.value) == "h_{t-2}"
    carried = "g_t = h_{t-1}\nh_t = \\tanh(W h_{t-1} + U g_{t-1} + x_t), x_t \\in \\mathbb{R}^{n}"
    gen = papermath.compile(carried).to_numpy({"n": 3})
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    xs = rng.normal(size=(5, 2, 3))  # T x batch x n
    outputs, _ = gen.forward(params, {"x": xs})
    w, u = params["W"], params["U"]
    older = prev = np.zeros((2, 3))  # h_{-1} = h_0 = 0
    for t in range(5):
        h = np.tanh(prev @ w.T + older @ u.T + xs[t])
        np.testing.assert_allclose(outputs["h"][t], h, rtol=1e-12, atol=1e-12)
        older, prev = prev, h


SSM = (
    "It maps a 1-D input signal $u(t)$ to an $N$-D latent state $x(t)$ and a 1-D output "
    "$y(t)$.\n$$x'(t) = \\boldsymbol{A} x(t) + \\boldsymbol{B} u(t)$$\n"
    "$$y(t) = \\boldsymbol{C} x(t) + \\boldsymbol{D} u(t)$$\n"
)


def test_a_differential_equation_reads_its_shapes_as_numpy_computes_them() -> None:
    """The state space model x' = A x + B u, y = C x + D u, evaluated by hand at one time:
    the shapes papermath reads are those NumPy computes (u and y numbers, x in R^N)."""
    system = papermath.compile(SSM)
    number = {"N": N, "1": 1}
    s = {k: tuple(number.get(d, d) for d in v) for k, v in system.shapes.items()}
    rng = np.random.default_rng(4)
    a, b, c, d = (rng.normal(size=s[k]) for k in "ABCD")
    x, u = rng.normal(size=s["x"]), rng.normal(size=s["u"])
    dx = a @ x + b * u
    y = c @ x + d * u
    assert s["x"] == (N,) and dx.shape == s["x_prime"] == s["x"]
    assert y.size == 1 and s["y"] == s["u"] == ()
    assert {system.kinds[k] for k in "ABCD"} == {"parameter"} and system.kinds["u"] == "input"
    said = {r.reading for r in system.readings}
    assert "derivative in continuous time" in said and "declaration" in said
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"N": N})
    assert caret(info.value) == "x'(t)" and "discrete recurrence" in (info.value.hint or "")


def test_a_second_derivative_stays_refused() -> None:
    err = refused("$$x''(t) = \\boldsymbol{A} x(t)$$")
    assert caret(err) == "x''(t)" and "derivative" in err.message


def test_the_wild_state_space_model_reads() -> None:
    case = tomllib.loads((WILD / "annotated_s4_continuous_ssm.toml").read_text())
    system = papermath.compile(case["latex"])
    n = system.shapes["x"][0]
    assert system.shapes["A"] == (n, n) and system.shapes["C"] == ("1", n)
    assert system.shapes["x_prime"] == (n,) and system.shapes["D"] == ()


@pytest.mark.parametrize(
    "prose",
    [
        "$W$ denotes the weights and $m-1$ is the width",  # the formula begins a clause
        "$W$ denotes a matrix of size $m-1$",  # a size in words, not a formula
        "$W$ denotes the matrix $2 L - I$",  # W has its own equation already
    ],
)
def test_prose_that_denotes_no_formula_is_left_as_prose(prose: str) -> None:
    text = f"$$y = W x$$\n\n$$W = U V$$\n\nwhere {prose}.\n"
    system = papermath.compile(text)
    assert "L" not in system.shapes and "m" not in system.shapes
    assert not any(r.reading == "definition said in the prose" for r in system.readings)


def test_a_one_step_recursion_from_order_0_is_the_sum_of_powers() -> None:
    """Z^{(0)} = X, Z^{(k)} = A Z^{(k-1)}: Z^{(k)} is A^k X, so the sum over k = 0..K (K+1
    orders) is TAGConv's sum of powers, computed here with np.linalg.matrix_power."""
    text = (
        "H = \\sum_{k=0}^{K} Z^{(k)} W^{(k)}\nZ^{(0)} = X\nZ^{(k)} = A Z^{(k-1)}\n"
        "X \\in \\mathbb{R}^{N \\times F}, H \\in \\mathbb{R}^{N \\times G}\n"
        "% papermath: A is input"
    )
    gen = papermath.compile(text).to_numpy({"K": 2, "N": N, "F": F, "G": G})
    rng = np.random.default_rng(5)
    params = gen.init_params(rng)
    assert params["W"].shape == (3, F, G)  # 0..K: K + 1 orders
    a, x = rng.normal(size=(N, N)), rng.normal(size=(N, F))
    outputs, _ = gen.forward(params, {"X": x, "A": a})
    want = sum(np.linalg.matrix_power(a, k) @ x @ params["W"][k] for k in range(3))
    np.testing.assert_allclose(outputs["H"], want, rtol=1e-12, atol=1e-12)


def test_a_sum_from_order_2_reads_its_shapes_and_refuses_code_by_name() -> None:
    text = CHEB.replace("k=1}^{K}", "k=2}^{K}").replace("Z^{(2)} = L", "Z^{(3)} = L")
    system = papermath.compile(text.replace("Z^{(1)} = X", "Z^{(2)} = X"))
    assert system.shapes["Z"] == system.shapes["X"]
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"K": 4, "N": N, "F": F, "G": G})
    assert "shape only" in info.value.message and "1..K" in (info.value.hint or "")
