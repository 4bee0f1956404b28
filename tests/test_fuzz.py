"""Random and mutated LaTeX: papermath either reads it or raises a PapermathError. Any other
exception (an internal bug leaking out as a traceback) fails the test."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import papermath
from conftest import corpus_cases
from difftest import mutate
from papermath import catalog

TOKENS = [
    "h",
    "x",
    "W",
    "b",
    "C",
    "t",
    "v",
    "T",
    "V",
    "n",
    "m",
    "1",
    "2",
    "0.5",
    "_",
    "^",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    "=",
    ":=",
    "+",
    "-",
    "*",
    "/",
    ".",
    "'",
    "|",
    "&",
    "$",
    "$$",
    " ",
    "\n",
    "\\\\",
    "\\sigma",
    "\\tanh",
    "tanh",
    "relu",
    "\\odot",
    "\\circ",
    "\\cdot",
    "\\times",
    "\\otimes",
    "\\in",
    "\\mathbb{R}",
    "\\mathbb R",
    "R",
    "\\sum",
    "\\sum_{v \\in V}",
    "\\left(",
    "\\right)",
    "\\|",
    "\\tilde",
    "\\hat",
    "\\mathbf",
    "\\mathcal",
    "\\frac",
    "\\sqrt",
    "\\top",
    "^T",
    "^{(T)}",
    "_{t-1}",
    "^{(t-1)}",
    "\\begin{align}",
    "\\end{align}",
    "\\begin{bmatrix}",
    "\\end{bmatrix}",
    "where",
    "and",
    "%",
    "% papermath: x is input",
    "\\quad",
    "\\text{out}",
    "\\operatorname{ReLU}",
    "\\alpha",
    "\\{",
    "\\}",
    "\\dots",
    "x",
    "\\foo",
    "#",
    "@",
    "~",
    "\\,",
    "\\newcommand",
    "\\left.",
    "\\prime",
    "\\lVert",
    "\\rVert",
]
# the notation of papers beyond the seeds: index sums, defined functions, layers, samples
PAPERS = [
    "% inputs: a\n\\mu = \\frac{1}{H} \\sum_{i=1}^{H} a_i\n"
    "\\sigma = \\sqrt{\\frac{1}{H} \\sum_{i=1}^{H} (a_i - \\mu)^2}\n"
    "h_i = \\frac{g_i}{\\sigma} (a_i - \\mu) + b_i\na \\in \\mathbb{R}^{H}",
    "\\alpha_j = \\frac{\\exp(e_j)}{\\sum_{k=1}^{T_x} \\exp(e_k)}",
    "% inputs: Q, K, V\nA = softmax(\\frac{Q K^T}{\\sqrt{d_k}}) V\n"
    "Q \\in \\mathbb{R}^{n \\times d_k}, K \\in \\mathbb{R}^{m \\times d_k}",
    "\\epsilon \\sim \\mathcal{N}(0, I)\nz = \\mu + \\sigma \\odot \\epsilon\n"
    "\\mu \\in \\mathbb{R}^{d}",
    "\\mathrm{FFN}(x) = \\max(0, x W_1 + b_1) W_2 + b_2\nx \\in \\mathbb{R}^{d}",
]
SEEDS = (
    [case["latex"] for _, case in corpus_cases()]
    + [catalog.latex(n) for n in catalog.names()]
    + PAPERS
)


def check(text: str) -> None:
    try:
        papermath.compile(text)
    except papermath.PapermathError as err:
        err.render()  # rendering an error must not fail either


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_random_token_soup(tokens: list[str]) -> None:
    check(" ".join(tokens))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_random_text(text: str) -> None:
    check(text)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    return mutate(
        draw(st.sampled_from(SEEDS)),
        lambda options: draw(st.sampled_from(options)),
        lambda low, high: draw(st.integers(low, high)),
    )


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_corpus(text: str) -> None:
    check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_every_stage_on_mutated_corpus(text: str) -> None:
    """What compiles must also explain, draw, generate and run, or say why: a
    PapermathError, never another exception."""
    import numpy as np

    from papermath.backends.data import random_inputs
    from papermath.check import default_dims
    from papermath.diagram import to_dot
    from papermath.explain import explain, render

    try:
        system = papermath.compile(text)
    except papermath.PapermathError:
        return
    for stage in (
        lambda: render(explain(system)),
        lambda: to_dot(system),
        lambda: system.torch_source(default_dims(system, None)),
    ):
        with contextlib.suppress(papermath.PapermathError):
            stage()
    try:
        dims = default_dims(system, None)
        gen = system.to_numpy(dims)
        inputs, state = random_inputs(system.program(dims), np.random.default_rng(0))
        with np.errstate(all="ignore"):
            out, cache = gen.forward(gen.init_params(np.random.default_rng(1)), inputs, state)
            gen.backward(gen.init_params(np.random.default_rng(1)), cache, out)
    except papermath.PapermathError:
        pass


# Cases the fuzzer found, kept: each once ended in another exception than a PapermathError.
FOUND = [
    # a declaration that a macro leaves without a symbol of its own (KeyError in reading)
    "\\newcommand{\\overdim}[3]{\\overset{\\big[#1 \\times #2 \\big]}{#3}}\n$$\n"
    "\\overdim{N}{D_k}{s_k} = \\overdim{N}{D_{k-1}}{z_{k-1}} \\cdot "
    "\\overdim{D_{k-1}}{D}{k}_ {W}\n$$\n",
    # text after a space, a product read from a chain of letters, a 1 x 1 row times column
    "y = W h_t\nh_t \\in \\mathbb{R}^{d}h\n",
    "x \\in \\mathbb R^{times N}\ny = W x\n",
]


# a product of two parameters inside a recurrence (b_{ii}* read as b_ii times W_hi): hoisted
# out of the loop, it was unbound per step as if it were a sequence (torch only), and the
# generated Function had no gradient for it (KeyError)
HOISTED = [
    "i_t = \\sigma(W_{ii} x_t + b_{ii}* + W_{hi} h_{t-1} + b_{hi})\n"
    "c_t = i_t \\odot c_{t-1}\nh_t = \\tanh(c_t)\n"
    "x_t \\in \\mathbb{R}^{I}, h_t \\in \\mathbb{R}^{H}\n",
    # an input given once (x_{iz}, not per step) in a recurrence: its product was unbound
    # along the batch as if it were per step
    "n_t = \\tanh(W_{in} x_t)\nz_t = \\sigma(W_{iz} x_{iz} + W_{hz} h_{t-1})\n"
    "h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}\n"
    "x_t \\in \\mathbb{R}^{I}, h_t \\in \\mathbb{R}^{H}\n",
]
FOUND.extend(HOISTED)


@pytest.mark.parametrize("text", HOISTED)
def test_what_is_the_same_at_every_step_is_computed_once(text: str) -> None:
    """Hoisted out of the loop, a value that does not change with the step (a product of
    parameters, of an input given once) is read whole at every step: the torch module (the
    Function and the plain loop) equals the NumPy module there."""
    import numpy as np
    import torch

    from papermath.backends.data import random_inputs
    from papermath.check import default_dims

    system = papermath.compile(text)
    dims = default_dims(system, None)
    gen = system.to_numpy(dims)
    inputs, state = random_inputs(system.program(dims), np.random.default_rng(0), "sample-first")
    tensors = {k: torch.tensor(v) for k, v in {**inputs, **state}.items()}
    for steps in (True, False):
        module = system.to_torch(dims, dtype=torch.float64, steps=steps)
        params = {k: v.detach().numpy() for k, v in module.named_parameters()}
        want, _ = gen.forward(params, inputs, state)
        got = module(**tensors)
        for k in want:
            np.testing.assert_allclose(got[k].detach().numpy(), want[k], atol=1e-12)


@pytest.mark.parametrize("text", FOUND)
def test_cases_the_fuzzer_found(text: str) -> None:
    check(text)
    test_every_stage_on_mutated_corpus.hypothesis.inner_test(text)  # type: ignore[attr-defined]
