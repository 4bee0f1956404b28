"""Differential testing (tests/difftest.py): every backend computes what the equations say.

A bounded number of random well-typed systems runs here (a campaign of thousands runs with
``python scripts/difftest.py --systems 20000``), then every minimised find as a fixed case.
"""

from __future__ import annotations

import pytest

from difftest import compare, random_system

SYSTEMS = 60


def test_random_systems_agree_on_every_path() -> None:
    outcomes = [compare(seed) for seed in range(SYSTEMS)]
    bad = [o for o in outcomes if o.status in ("disagree", "crash")]
    assert not bad, "\n\n".join(f"seed {o.seed}: {o.detail}\n{o.text}" for o in bad[:3])
    agreed = sum(o.status == "agree" for o in outcomes)
    assert agreed >= 0.85 * SYSTEMS, [o.detail for o in outcomes if o.status == "refused"]


def test_the_generator_writes_what_people_write() -> None:
    """States of several sizes, scalar inputs, concatenations, gates: all occur."""
    texts = [random_system(seed)[0] for seed in range(SYSTEMS)]
    joined = "\n".join(texts)
    for construct in ("_{t-1}", "\\odot", "[", "\\mathbb{R},", "\\sigma(", "\\gamma_"):
        assert construct in joined, construct
    assert any("\\mathbb{R}^{" in t and "\\mathbb{R}," in t for t in texts)


# minimised finds, each once a silent disagreement or a crash
FOUND = {
    # a value the same for every example (a batch mean, a parameter) in a concatenation with
    # data: broadcast to every example (it was refused as "not generated yet")
    "concat batch mean": (
        r"""z_i = W_{1} x_i
\mu = \frac{1}{B} \sum_{i=1}^{B} z_i
y_i = \tanh(W_{2} [\mu, z_i])
x_i \in \mathbb{R}^{m}, z_i \in \mathbb{R}^{k}""",
        {"m": 3, "k": 3},
    ),
    "concat parameter in a recurrence": (
        r"""h_t = \tanh(W [h_{t-1}, x_t, c])
x_t \in \mathbb{R}^{3}, h_t \in \mathbb{R}^{4}, c \in \mathbb{R}^{2}
% papermath: c is parameter""",
        {},
    ),
    "concat scalar constant": (
        r"""y = W [x, \beta]
x \in \mathbb{R}^{3}, y \in \mathbb{R}^{2}""",
        {},
    ),
    # the discretised state-space model: the torch module hoisted \bar{B} x_t for every step
    # at once as B_bar * x[:, None] and indexed it as one step (wrong when N equals n)
    "ssm": (
        r"""h_t = \bar{A} h_{t-1} + \bar{B} x_t
y_t = C h_t
x_t \in \mathbb{R}, y_t \in \mathbb{R}, h_t \in \mathbb{R}^{n}""",
        {"n": 3},
    ),
    "ssm n=5": (
        r"""h_t = \bar{A} h_{t-1} + \bar{B} x_t
y_t = C h_t
x_t \in \mathbb{R}, y_t \in \mathbb{R}, h_t \in \mathbb{R}^{n}""",
        {"n": 5},
    ),
    # MXNet's LSTM with a projection: the recurrent state r of another size than c
    "lstm projection": (
        r"""i_t = \sigma(W_{ix} x_t + W_{ir} r_{t-1} + b_i)
f_t = \sigma(W_{fx} x_t + W_{fr} r_{t-1} + b_f)
g_t = \tanh(W_{gx} x_t + W_{gr} r_{t-1} + b_g)
o_t = \sigma(W_{ox} x_t + W_{or} r_{t-1} + b_o)
c_t = f_t \odot c_{t-1} + i_t \odot g_t
h_t = o_t \odot \tanh(c_t)
r_t = W_{rh} h_t
x_t \in \mathbb{R}^{m}, c_t \in \mathbb{R}^{n}, r_t \in \mathbb{R}^{p}""",
        {"n": 3, "m": 2, "p": 2},
    ),
    "elman scalar output": (
        r"""h_t = \tanh(W_h h_{t-1} + W_x x_t + b_h)
y_t = \sigma(W_y h_t + b_y)
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}, y_t \in \mathbb{R}""",
        {"n": 3, "m": 2},
    ),
    "scalar gate": (
        r"""z_t = \sigma(w_z^T x_t + u_z^T h_{t-1})
h_t = z_t h_{t-1} + (1 - z_t) \tanh(W x_t + U h_{t-1})
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}""",
        {"n": 3, "m": 2},
    ),
    # a state of another width than the fused kernel's was kept as a "wide sum" (KeyError)
    "state of another width": (
        r"""f_t = \sigma(W_{1} x_t + W_{2} s_{t-1} - W_{3} s_{t-1})
s_t = s_{t-1} + b_{4}
y_t = f_t \odot f_t + f_t + b_{5}
x_t \in \mathbb{R}^{n}, s_t \in \mathbb{R}^{p}""",
        {"n": 3, "p": 2},
    ),
    # the torch backward of GELU called torch.sqrt on a float
    "gelu": (
        r"""s_t = \mathrm{GELU}(s_{t-1}) + b_{1}
x_t \in \mathbb{R}^{n}, s_t \in \mathbb{R}^{p}""",
        {"n": 3, "p": 2},
    ),
    # a scalar state (a loss summed over steps) in dim-first: zeros((, N))
    "scalar state": (
        r"""h_t = \tanh(W h_{t-1} + U x_t)
y_t = V h_t
L = \sum_t \| y_t - d_t \|^2
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}, y_t \in \mathbb{R}^{k}""",
        {"n": 3, "m": 2, "k": 2},
    ),
    # a scalar input per step in a learnable function's concatenation, computed for every
    # step at once: _v[:, None] put the new axis after time, not after the batch
    "scalar in a concatenation": (
        r"""f_t = \sigma(W_{1} s_{t-1})
s_t = \tanh(W_{2} s_{t-1})
y_t = \gamma_{3} (u_t + u_t)
x_t \in \mathbb{R}^{n}, u_t \in \mathbb{R}, s_t \in \mathbb{R}^{m}""",
        {"n": 2, "m": 3},
    ),
    "scalar input concatenated with a state": (
        r"""h_t = \tanh(W [h_{t-1}, u_t] + b)
u_t \in \mathbb{R}, h_t \in \mathbb{R}^{n}""",
        {"n": 3},
    ),
    # a learnable function of a sum of another width than the fused kernel's: the product
    # after the kernel read a value the kernel never wrote (KeyError)
    "learnable function of a wide sum": (
        r"""c_t = \tanh(\gamma_{1} (W_{2} u + W_{3} h_{t-1}))
h_t = \tanh((c_{t-1} \odot c_{t-1} \odot (h_{t-1} - c_{t-1})) \odot h_{t-1})
x_t \in \mathbb{R}^{n}, u \in \mathbb{R}^{n}, c_t \in \mathbb{R}^{k}, h_t \in \mathbb{R}^{k}""",
        {"n": 2, "k": 3},
    ),
    # a learnable function of a product (gamma_2 (W_3 s_{t-1} + b_4)): a product of a
    # product, read from a kernel that never wrote it (KeyError)
    "product of a product": (
        r"""s_t = \sigma(s_{t-1} + s_{t-1}) \odot s_{t-1} + \tanh(W_{1} x_t)
y_t = \gamma_{2} (W_{3} s_{t-1} + b_{4})
x_t \in \mathbb{R}^{n}, s_t \in \mathbb{R}^{k}""",
        {"n": 2, "k": 3},
    ),
    # plain text mutated (C_h-1: C at step h-1, an input per step of matrices): its product,
    # computed for every step at once in dim-first, had an einsum without the time axis
    "product of a matrix per step, dim-first": (
        "C_t = f_t * C_h-1 + i_t * tanh(W_xc * x_t + -1 )\nx_t in R^m, h_t in R^n\n",
        {},
    ),
    # a gradient that is exactly zero (x + b - x): finite differences' rounding noise was
    # judged against zero (relative error 0.02, a false alarm of `papermath check`)
    "zero gradient": (
        r"""h_t = \tanh(h_{t-1})
y_t = x_t + b_{1} - x_t
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}""",
        {"m": 3},
    ),
}


def test_a_state_computed_from_parameters_alone_is_refused() -> None:
    """c_t = tanh(u): the same for every example, while c_0 is one per example (it crashed
    in np.stack)."""
    text = r"""s_t = \tanh(W_{2} s_{t-1} + U x_t)
c_t = \tanh(u)
y_t = \cos(c_{t-1})
x_t \in \mathbb{R}^{m}, u \in \mathbb{R}, s_t \in \mathbb{R}^{m}, c_t \in \mathbb{R}"""
    got = compare(0, text, {})
    assert got.status == "refused" and "parameters alone" in got.detail and ":2:" in got.detail
    # ... or from an input given once (c_t = tanh(u), u per example): it was computed once,
    # outside the loop, and the backward looked for it per step (KeyError)
    once = r"""h_t = \tanh(u + c_{t-1})
c_t = \tanh(u)
x_t \in \mathbb{R}^{p}, u \in \mathbb{R}, h_t \in \mathbb{R}, c_t \in \mathbb{R}"""
    got = compare(0, once, {"T": 3})
    assert got.status == "refused" and "same at every step" in got.detail and ":2:" in got.detail


@pytest.mark.parametrize("name", list(FOUND))
def test_found_cases_agree(name: str) -> None:
    text, dims = FOUND[name]
    got = compare(0, text, dims)
    assert got.status == "agree", got.detail


def test_a_typo_in_an_edge_value_is_refused_not_broadcast() -> None:
    """GAT with \\alpha_j for \\alpha_{ij}: a located refusal (it was an einsum broadcast
    error in the generated NumPy)."""
    text = r"""e_{ij} = \mathrm{LeakyReLU}(a^T [W h_i, W h_j])
\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k \in \mathcal{N}(i)} \exp(e_{ik})}
h_i' = \sigma(\sum_{j \in \mathcal{N}(i)} \alpha_j W h_j)"""
    got = compare(0, text, {})
    assert got.status == "refused" and "per edge" in got.detail and ":3:" in got.detail
