"""Session 8, PROB: conditional probabilities on a left side (parse/conditional_left.py) and
the rows of a table picked by a word index (read/rules_table_rows.py, the primitive gather on
a table), judged by what is not papermath's: a NumPy loop written here, PyTorch's
F.embedding and autograd, and finite differences (papermath check)."""

from __future__ import annotations

import os
import tomllib

import numpy as np
import pytest

import papermath
from conftest import ROOT
from papermath.check import check

os.environ.setdefault("PAPERMATH_KERNELS", "off")
torch = pytest.importorskip("torch")
F = torch.nn.functional

P24 = ROOT.parent / "shared" / "corpus_papers" / "p24_skipgram_mikolov2013.toml"
SKIPGRAM = (
    r"p(w_O | w_I) = \frac{\exp\left({v'_{w_O}}^\top v_{w_I}\right)}{\sum_{w=1}^{W} "
    r"\exp\left({v'_w}^\top v_{w_I}\right)}"
    "\n"
    r"v_w \in \mathbb{R}^{d}, v'_w \in \mathbb{R}^{d}"
)
DIMS = {"d": 4, "W": 10}


def _case() -> dict:
    if not P24.exists():
        pytest.skip("the shared papers corpus is not here")
    return tomllib.loads(P24.read_text())


def test_p24_reads_with_the_expected_shapes_and_kinds() -> None:
    case = _case()
    system = papermath.compile(case["latex"])
    for key, want in case["expect"]["shapes"].items():
        assert [s.text() for s in system.typed_shapes[key]] == want, key
    assert system.kinds["v"] == system.kinds["v_prime"] == "parameter"
    assert system.kinds["w_O"] == system.kinds["w_I"] == "input"
    said = " ".join(r.reason for r in system.readings)
    assert "rule table-row" in said and "rule conditional-left-side" in said


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_skipgram_equals_a_loop_and_torch(layout: str) -> None:
    """p(w_O | w_I) per example equals the softmax over the vocabulary computed by a loop here;
    the gradients of the two tables equal torch's (F.embedding, autograd)."""
    gen = papermath.compile(SKIPGRAM).to_numpy(DIMS, layout)
    rng = np.random.default_rng(0)
    params = gen.init_params(rng)
    n = 7
    w_o = rng.integers(0, DIMS["W"], size=n)
    w_i = np.array([3, 3, 0, 9, 5, 3, 1])  # a repeated word: its row's gradient adds up
    outputs, cache = gen.forward(params, {"w_O": w_o, "w_I": w_i}, {})
    v, vp = params["v"], params["v_prime"]
    want = []
    for o, i in zip(w_o, w_i, strict=True):
        scores = [float(np.dot(vp[w], v[i])) for w in range(DIMS["W"])]
        want.append(np.exp(scores[o]) / sum(np.exp(s) for s in scores))
    np.testing.assert_allclose(outputs["p"], want, rtol=1e-12)

    tv = torch.tensor(v, requires_grad=True)
    tvp = torch.tensor(vp, requires_grad=True)
    u = F.embedding(torch.tensor(w_i), tv)  # (n, d): the input words' vectors
    logits = u @ tvp.T  # (n, W)
    p = torch.softmax(logits, dim=1)[torch.arange(n), torch.tensor(w_o)]
    np.testing.assert_allclose(outputs["p"], p.detach().numpy(), rtol=1e-12)
    g = rng.normal(size=n)
    (p * torch.tensor(g)).sum().backward()
    grads = gen.backward(params, cache, {"p": g})
    np.testing.assert_allclose(grads["v"], tv.grad.numpy(), rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(grads["v_prime"], tvp.grad.numpy(), rtol=1e-9, atol=1e-13)


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
def test_p24_check_passes(layout: str) -> None:
    """papermath check: word indices drawn in range, finite differences and torch agree."""
    case = _case()
    results = check(papermath.compile(case["latex"]), case["dims"], layout=layout)
    assert {r.key for r in results} == {"v", "v_prime"}  # the word indices have no gradient
    assert all(r.ok for r in results), results


def test_a_conditional_probability_on_a_left_side_is_its_function() -> None:
    system = papermath.compile(
        r"p(a \mid b) = \exp(a^\top b), a \in \mathbb{R}^{d}, b \in \mathbb{R}^{d}"
    )
    assert system.kinds["a"] == system.kinds["b"] == "input"
    assert system.typed_shapes["p"] == ()


@pytest.mark.parametrize(
    "latex, words, at",
    [
        # a conditional probability inside a right side: still a value the source does not compute
        (r"y = p(c \vert x) + 1", "bar", r"\vert"),
        # a member of the table alone under the sum: no dot product with one vector
        (
            r"s = \sum_{w=1}^{W} v_w + v_{w_I}, v_w \in \mathbb{R}^{d}",
            "one member of a table",
            "v_w",
        ),
    ],
)
def test_refusals_point_at_the_construct(latex: str, words: str, at: str) -> None:
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(latex)
    assert words in str(err.value)
    span = err.value.span
    assert span is not None and span.start == latex.index(at)  # the caret on the construct


def _hmm_latex(name: str) -> str:
    path = ROOT / "tests" / "wild" / "cases" / f"{name}.toml"
    return tomllib.loads(path.read_text())["latex"]


def test_the_backward_hmm_hint_reads_and_is_the_backward_message() -> None:
    """d2l's backward recursion stays refused (the number of values of h_t is in no line of
    it); the hint's form reads, with code, and is the message the source sums by hand:
    rho_t(i) = sum_j P(h_{t+1} = j | h_t = i) P(x_{t+1} | h_{t+1} = j) rho_{t+1}(j)."""
    from papermath.backends.data import random_inputs

    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(_hmm_latex("d2lzh_hmm_backward_recursion"))
    hint = err.value.hint or ""
    assert "B_{ij} = P(h_{t+1} = j \\mid h_t = i)" in hint
    form = "\\rho_t = B (e_{t+1} \\odot \\rho_{t+1})"
    assert form in hint
    system = papermath.compile(
        f"B \\in \\mathbb{{R}}^{{k \\times k}}, e_t \\in \\mathbb{{R}}^{{k}}\n{form}"
    )
    assert system.kinds["rho"] == "state"
    k = 3
    gen = system.to_numpy({"k": k})
    rng = np.random.default_rng(5)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program({"k": k}), rng, "sample-first", T=4)
    out, _ = gen.forward(params, inputs, state)
    B, rho = params["B"], np.asarray(state["rho"], float)  # rho at the last step, given
    e = np.asarray(inputs["e"], float)  # e[t]: what step t reads, the emissions at t+1
    for t in reversed(range(len(e))):  # the sum over the values j of h_{t+1}, by hand
        rho = np.array(
            [
                [sum(B[i, j] * e[t, n, j] * rho[n, j] for j in range(k)) for i in range(k)]
                for n in range(rho.shape[0])
            ]
        )
        np.testing.assert_allclose(out["rho"][t], rho, rtol=1e-12)


def test_the_forward_hmm_hint_is_unchanged() -> None:
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(_hmm_latex("d2lzh_hmm_forward_recursion"))
    assert "\\pi_{t+1} = B (\\pi_t \\odot e_t)" in (err.value.hint or "")


NEGATIVE = (
    r"L = \log \sigma({v'_{w_O}}^\top v_{w_I}), v_w \in \mathbb{R}^{d}, v'_w \in \mathbb{R}^{d}"
)


def test_a_declared_range_makes_the_table_without_a_sum() -> None:
    """w \\in \\{1, \\dots, W\\} says the values w takes: log sigma(v'_{w_O} . v_{w_I}) per
    example (skip-gram's positive term with negative sampling), as a loop computes it."""
    system = papermath.compile(NEGATIVE + r", w \in \{1, \dots, W\}")
    gen = system.to_numpy(DIMS)
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    w_o, w_i = rng.integers(0, DIMS["W"], size=6), rng.integers(0, DIMS["W"], size=6)
    outputs, _ = gen.forward(params, {"w_O": w_o, "w_I": w_i}, {})
    v, vp = params["v"], params["v_prime"]
    want = [-np.log1p(np.exp(-np.dot(vp[o], v[i]))) for o, i in zip(w_o, w_i, strict=True)]
    np.testing.assert_allclose(outputs["L"], want, rtol=1e-12)
    assert all(r.ok for r in check(system, DIMS))


def test_a_word_index_with_no_range_is_refused_with_the_declaration_as_hint() -> None:
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(NEGATIVE)
    assert err.value.span is not None and NEGATIVE[err.value.span.start :].startswith("w_O")
    assert "w \\in \\{1, \\dots, W\\}" in (err.value.hint or "")
