"""Notation from papers beyond the seeds: layer recurrences with a parameter per layer,
sampled inputs, activation aliases, plain text. Each compiled module is compared with an
independent hand-written torch version (float64), and each reading is checked as a fact."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import papermath
from conftest import corpus_cases

CASES = dict(corpus_cases())
ATOL = 1e-10


def readings(system: papermath.System) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in system.readings:
        out.setdefault(r.reading, []).append(" ".join(r.subject.split()))
    return out


def test_layer_recursion_is_a_stack_of_layers() -> None:
    """h^{(l+1)} = ReLU(W^{(l)} h^{(l)} + b^{(l)}): L layers, each with its own W and b; the
    same as a hand-written loop over torch.nn.Linear layers."""
    case = CASES["mlp_layer_recursion"]
    system = papermath.compile(case["latex"])
    assert system.per_step_params == ("W", "b") and system.step_count == "L"
    assert system.recurrence is not None and system.recurrence.states == ("h",)
    assert "W^{(l)}" in readings(system)["parameter per step"]
    assert readings(system)["equation at step l"] == ["h^{(l+1)}"]
    L, d, n = 3, 4, 5
    module = system.to_torch({"L": L, "d": d}, dtype=torch.float64)
    assert dict(module.named_parameters())["W"].shape == (L, d, d)
    layers = [torch.nn.Linear(d, d, dtype=torch.float64) for _ in range(L)]
    with torch.no_grad():
        for i, layer in enumerate(layers):
            module.W[i].copy_(layer.weight)
            module.b[i].copy_(layer.bias)
    x = torch.randn(n, d, dtype=torch.float64)
    want = x
    for layer in layers:
        want = torch.relu(layer(want))
    got = module(h=x)["h"]
    assert got.shape == (L, n, d)
    torch.testing.assert_close(got[-1], want, atol=ATOL, rtol=0)
    loss = got[-1].square().sum()
    loss.backward()
    ref_loss = want.square().sum()
    ref_loss.backward()
    for i, layer in enumerate(layers):
        assert module.W.grad is not None and layer.weight.grad is not None
        torch.testing.assert_close(module.W.grad[i], layer.weight.grad, atol=ATOL, rtol=0)


def test_layer_count_must_be_given_for_code() -> None:
    system = papermath.compile(CASES["mlp_layer_recursion"]["latex"])
    with pytest.raises(papermath.PapermathError) as info:
        system.to_numpy({"d": 4})
    assert "L" in info.value.message and "W" in info.value.message


def test_dropout_mask_is_a_sampled_input() -> None:
    """Srivastava et al.: r ~ Bernoulli(p) is drawn, not learned; with a given mask the
    layer equals the hand-written computation, one w and b per layer."""
    case = CASES["dropout_srivastava2014"]
    system = papermath.compile(case["latex"], case["dims"])
    assert system.kinds["r"] == "input" and system.sampled["r"] == r"\mathrm{Bernoulli}(p)"
    assert system.kinds["w"] == system.kinds["b"] == "parameter"
    assert system.kinds["y"] == "input"
    L, n, N = 3, case["dims"]["n"], 2
    module = system.to_torch({"L": L, "n": n}, dtype=torch.float64)
    rng = np.random.default_rng(0)
    r = torch.as_tensor(rng.binomial(1, 0.5, size=(L, N, n)), dtype=torch.float64)
    y = torch.as_tensor(rng.normal(size=(L, N, n)))
    out = module(r=r, y=y)
    y_tilde = r * y
    torch.testing.assert_close(out["y_tilde"], y_tilde, atol=ATOL, rtol=0)
    for step in range(1, L):  # z^{(l+1)} reads layer l: z at step l from y_tilde at l-1
        want = module.w[step] * y_tilde[step - 1] + module.b[step]
        torch.testing.assert_close(out["z"][step], want, atol=ATOL, rtol=0)


@pytest.mark.parametrize(
    ("source", "key", "fn"),
    [
        (r"h_t = \sigma_g(W_z x_t + U_z h_{t-1} + b_z)", "sigma_g", "sigmoid"),
        (r"h_t = \phi_h(W_h x_t + U_h (r_t \odot h_{t-1}) + b_h)", "phi_h", "tanh"),
        (r"h_t = \sigma_c(W_c x_t)", "sigma_c", "tanh"),
        ("% \\sigma_y: softmax\nh_t = \\sigma_y(W_y x_t + b_y)", "sigma_y", "softmax"),
        ("% papermath: sigma_y is relu\nh_t = \\sigma_y(W_y x_t)", "sigma_y", "relu"),
    ],
)
def test_activation_aliases_are_not_learnable(source: str, key: str, fn: str) -> None:
    """Wikipedia's LSTM/GRU name activations sigma_g, sigma_c, phi_h: known functions (so
    W maps to the hidden size n, not to a free size), shown in the readings; the source can
    name any other."""
    system = papermath.compile(source + "\nx_t \\in \\mathbb{R}^{d}, h_t \\in \\mathbb{R}^{n}")
    assert key not in system.functions and system.kinds.get(key) != "function"
    assert any(r.reading == fn for r in system.readings)
    lhs = system.equations[0].lhs.key
    assert system.shapes[lhs] == ("n",), system.shapes


def test_unnamed_activation_is_refused_with_the_line_that_settles_it() -> None:
    """\\sigma_y is read (an elementwise nonlinearity the source does not name: shapes work);
    generated code needs to know which, and asks at the call."""
    system = papermath.compile(r"y_t = \sigma_y(W_{hy} h_t)")
    assert system.shapes["y_t"] == ("d1",) and system.shapes["W_hy"] == ("d1", "d2")
    with pytest.raises(papermath.ReadingError) as info:
        system.program({"d1": 3, "d2": 2})
    assert (info.value.line, info.value.column) == (1, 7)
    assert info.value.hint is not None and r"% \sigma_y: softmax" in info.value.hint


def test_plain_text_is_read_and_said() -> None:
    """The blog's plain text: C_t-1 is C at step t-1 (not C_t minus 1), W_xf is W_{xf},
    `in R^m` declares; each reading is shown."""
    case = CASES["seed_lstm_blog_plaintext"]
    system = papermath.compile(case["latex"])
    got = readings(system)
    assert "C_t-1" in got["C at step t-1"] and "h_t-1" in got["h at step t-1"]
    assert "W_xf" in got["label xf"]
    assert len(got["declaration"]) == 2
    assert system.recurrence is not None and set(system.recurrence.states) == {"h", "C"}


def test_plain_text_step_equals_braced_step() -> None:
    """`f_t * C_t-1` with braces elsewhere is still the step t-1, never (f_t * C_t) - 1."""
    plain = papermath.compile(
        "C_t = f_t * C_t-1 + x_t\nf_t = \\sigma(W_{f} h_{t-1})\nh_t = \\tanh(C_t)\n"
        "x_t, f_t, h_t \\in \\mathbb{R}^{n}"
    )
    braced = papermath.compile(
        "C_t = f_t * C_{t-1} + x_t\nf_t = \\sigma(W_{f} h_{t-1})\nh_t = \\tanh(C_t)\n"
        "x_t, f_t, h_t \\in \\mathbb{R}^{n}"
    )
    assert plain.shapes == braced.shapes and plain.kinds == braced.kinds
    assert plain.recurrence == braced.recurrence


def compiled(source: str, dims: dict[str, int]) -> tuple[papermath.System, torch.nn.Module]:
    system = papermath.compile(source, dims)
    return system, system.to_torch(dims, dtype=torch.float64)


def test_rmsnorm_equals_hand_written() -> None:
    """Zhang & Sennrich: RMS(a) defined, then called; a sum over i = 1..n of entries a_i."""
    case = CASES["rmsnorm_zhang2019"]
    system, module = compiled(case["latex"], {"n": 5})
    assert system.kinds["RMS"] == "function" and system.kinds["a"] == "input"
    assert any(r.reading == "the size n" for r in system.readings)  # 1/n: a number
    a = torch.randn(3, 5, dtype=torch.float64)
    g = dict(module.named_parameters())["g"]
    want = a / a.square().mean(-1, keepdim=True).sqrt() * g
    torch.testing.assert_close(module(a=a)["a_bar"], want, atol=ATOL, rtol=0)


LAYER_NORM = r"""
% inputs: a
\mu = \frac{1}{H} \sum_{i=1}^{H} a_i
\sigma = \sqrt{\frac{1}{H} \sum_{i=1}^{H} (a_i - \mu)^2}
h_i = \frac{g_i}{\sigma} (a_i - \mu) + b_i
a \in \mathbb{R}^{H}
"""


def test_layer_norm_of_ba_et_al_equals_nn_layernorm() -> None:
    """Ba, Kiros & Hinton 2016, eqs. 3-4 in index notation, against torch.nn.LayerNorm."""
    H = 6
    system, module = compiled(LAYER_NORM, {"H": H})
    assert system.shapes["mu"] == () and system.shapes["sigma"] == ()
    assert system.kinds["g"] == system.kinds["b"] == "parameter"
    ref = torch.nn.LayerNorm(H, eps=0.0, dtype=torch.float64)
    with torch.no_grad():
        ref.weight.uniform_(-1, 1)
        ref.bias.uniform_(-1, 1)
        module.g.copy_(ref.weight)
        module.b.copy_(ref.bias)
    a = torch.randn(4, H, dtype=torch.float64, requires_grad=True)
    got = module(a=a)["h"]
    want = ref(a)
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)
    (ga,) = torch.autograd.grad(got.sin().sum(), a)
    (wa,) = torch.autograd.grad(want.sin().sum(), a)
    torch.testing.assert_close(ga, wa, atol=1e-9, rtol=0)


def test_softmax_written_out_is_softmax() -> None:
    """Bahdanau et al. 2015 eq. 6 in one index: alpha_j = exp(e_j) / sum_k exp(e_k); j
    indexes the entries of e because k does under the sum."""
    src = "% inputs: e\n\\alpha_j = \\frac{\\exp(e_j)}{\\sum_{k=1}^{T_x} \\exp(e_k)}\n"
    system, module = compiled(src, {"T_x": 7})
    assert system.shapes["alpha"] == ("T_x",) and system.kinds["e"] == "input"
    e = torch.randn(3, 7, dtype=torch.float64)
    torch.testing.assert_close(module(e=e)["alpha"], torch.softmax(e, -1), atol=ATOL, rtol=0)


def test_scaled_dot_product_attention_equals_torch() -> None:
    """Vaswani et al. eq. 1: d_k is a declared size, so sqrt(d_k) is a number; the source
    says Q, K, V are inputs. Against F.scaled_dot_product_attention."""
    src = (
        "% inputs: Q, K, V\n"
        r"A = softmax(\frac{Q K^T}{\sqrt{d_k}}) V" + "\n"
        r"Q \in \mathbb{R}^{n \times d_k}, K \in \mathbb{R}^{m \times d_k}, "
        r"V \in \mathbb{R}^{m \times d_v}"
    )
    dims = {"n": 3, "m": 5, "d_k": 4, "d_v": 2}
    system, module = compiled(src, dims)
    assert {system.kinds[k] for k in "QKV"} == {"input"} and "d_k" not in system.kinds
    assert {r.subject[:1] for r in system.readings if r.reading == "input by role"} == set("QKV")
    q, k, v = (torch.randn(dims[r], dims[c], dtype=torch.float64) for r, c in
               [("n", "d_k"), ("m", "d_k"), ("m", "d_v")])  # fmt: skip
    want = torch.nn.functional.scaled_dot_product_attention(q, k, v)
    torch.testing.assert_close(module(Q=q, K=k, V=v)["A"], want, atol=ATOL, rtol=0)


def test_cross_entropy_in_index_notation() -> None:
    src = r"L = -\sum_{i=1}^{C} y_i \log \hat{y}_i" + "\n% inputs: y, y_hat\n"
    system, module = compiled(src, {"C": 4})
    assert system.shapes["L"] == () and system.shapes["y_hat"] == ("C",)
    p = torch.softmax(torch.randn(2, 4, dtype=torch.float64), -1)
    y = torch.eye(4, dtype=torch.float64)[[1, 3]]
    want = -(y * p.log()).sum(-1)
    torch.testing.assert_close(module(y=y, y_hat=p)["L"], want, atol=ATOL, rtol=0)


@pytest.mark.parametrize(
    ("source", "strict", "column", "words"),
    [
        ("y = \\sum_{i=1}^{n} x_i h\nx \\in R^n, h \\in R^m", False, 24, ("h", "no index i")),
        ("y = \\sum_{j} x_i\nx \\in R^n", False, 5, ("nothing", "j")),
        ("y = \\sum_{i=1}^{n} W_i x\nW \\in R^{n \\times n}", False, 20, ("entry", "vectors")),
        ("y = \\sum_{i=1}^{m} x_i\nx \\in R^n", True, 5, ("1..m", "n")),
    ],
)
def test_wrong_index_is_an_error_with_a_caret(
    source: str, strict: bool, column: int, words: tuple[str, ...]
) -> None:
    """A sum over i of something without i, or an entry of a matrix: refused, never guessed.
    (Without strict, a sum to m over a vector of size n answers m = n instead.)"""
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source, strict=strict)
    assert (info.value.line, info.value.column) == (1, column), info.value.render()
    for w in words:
        assert w in info.value.message, info.value.message


def test_gin_layer_equals_hand_written_message_passing() -> None:
    """Xu et al. 2019 (GIN), eq. 4.1: the sum runs over each node's neighbours (an edge
    list), MLP^{(k)} and epsilon^{(k)} are one per iteration. Against a hand-written loop of
    torch.nn.Linear layers with index_add along the edges, on two graphs in one batch."""
    case = CASES["gin_xu2019"]
    system = papermath.compile(case["latex"], case["dims"])
    assert system.recurrence is not None and system.recurrence.states == ("h",)
    assert set(system.per_step_params) == {"epsilon", "MLP.weight", "MLP.bias"}
    assert any(r.reading == "sum over the neighbours of v" for r in system.readings)
    K, d = 3, case["dims"]["d"]
    module = system.to_torch({"K": K, "d": d}, dtype=torch.float64)
    layers = [torch.nn.Linear(d, d, dtype=torch.float64) for _ in range(K)]
    eps = torch.randn(K, dtype=torch.float64)
    with torch.no_grad():
        for k, layer in enumerate(layers):
            module.MLP.weight[k].copy_(layer.weight)
            module.MLP.bias[k].copy_(layer.bias)
        module.epsilon.copy_(eps)
    # two graphs: nodes 0-2 (a path) and 3-6 (a star around 3), both directions
    pairs = [(0, 1), (1, 2), (3, 4), (3, 5), (3, 6)]
    edges = torch.tensor([[a for a, b in pairs] + [b for a, b in pairs],
                          [b for a, b in pairs] + [a for a, b in pairs]])  # fmt: skip
    h0 = torch.randn(7, d, dtype=torch.float64)
    batch = torch.tensor([0, 0, 0, 1, 1, 1, 1])
    got = module(h=h0, edges=edges, batch=batch)["h"]
    h = h0
    for k, layer in enumerate(layers):
        neighbours = torch.zeros_like(h).index_add(0, edges[1], h[edges[0]])
        h = layer((1 + eps[k]) * h + neighbours)
    torch.testing.assert_close(got[-1], h, atol=ATOL, rtol=0)


def test_luong_attention_equals_hand_written_softmax() -> None:
    """Luong et al. 2015, eqs. 7-8 (general score): score defined then called twice, a_t(s)
    one weight per source position, the softmax over s' written out. Two sentences of 3 and
    4 positions in one batch (positions are stacked like the nodes of graphs; h_t is one
    vector per sentence), against torch.softmax of h_t^T W_a \\bar h_s per sentence."""
    case = CASES["luong_attention"]
    system = papermath.compile(case["latex"], case["dims"])
    assert system.kinds["score"] == "function" and system.kinds["h_bar"] == "input"
    d = case["dims"]["d"]
    module = system.to_torch({"d": d}, dtype=torch.float64)
    W_a = dict(module.named_parameters())["W_a"]
    lengths = [3, 4]
    h_t = torch.randn(len(lengths), d, dtype=torch.float64)
    h_bar = torch.randn(sum(lengths), d, dtype=torch.float64)
    batch = torch.repeat_interleave(torch.arange(len(lengths)), torch.tensor(lengths))
    got = module(h_t=h_t, h_bar=h_bar, batch=batch)["a_t"]
    start = 0
    for sentence, n in enumerate(lengths):
        scores = h_bar[start : start + n] @ (W_a.T @ h_t[sentence])
        want = torch.softmax(scores, 0)
        torch.testing.assert_close(got[start : start + n], want, atol=ATOL, rtol=0)
        start += n


# Notation from papers, typed as the papers write it: (origin, LaTeX, dims, expected shapes).
# Each must read with these shapes, generate NumPy and torch code, and pass `papermath check`
# (float64 finite differences and torch autograd through the generated torch module).
OWN_CASES: dict[str, tuple[str, str, dict[str, int], dict[str, tuple[str, ...]]]] = {
    "layer_norm_ba2016": ("Ba, Kiros & Hinton 2016, eqs. 3-4", LAYER_NORM, {"H": 5},
                          {"mu": (), "sigma": (), "h": ("H",), "g": ("H",)}),
    "softmax_bahdanau2015": (
        "Bahdanau et al. 2015, eq. 6, one query",
        "% inputs: e\n\\alpha_j = \\frac{\\exp(e_j)}{\\sum_{k=1}^{T_x} \\exp(e_k)}",
        {"T_x": 5}, {"alpha": ("T_x",)}),
    "attention_vaswani2017": (
        "Vaswani et al. 2017, eq. 1",
        "% inputs: Q, K, V\nA = softmax(\\frac{Q K^T}{\\sqrt{d_k}}) V\n"
        "Q \\in \\mathbb{R}^{n \\times d_k}, K \\in \\mathbb{R}^{m \\times d_k}, "
        "V \\in \\mathbb{R}^{m \\times d_v}",
        {"n": 2, "m": 3, "d_k": 4, "d_v": 2}, {"A": ("n", "d_v")}),
    "ffn_vaswani2017": (
        "Vaswani et al. 2017, eq. 2: a function defined and never called",
        "\\mathrm{FFN}(x) = \\max(0, x W_1 + b_1) W_2 + b_2\n"
        "x \\in \\mathbb{R}^{d_{model}}, b_1 \\in \\mathbb{R}^{d_{ff}}, "
        "b_2 \\in \\mathbb{R}^{d_{model}}",
        {"d_model": 4, "d_ff": 6}, {"W_1": ("d_model", "d_ff"), "W_2": ("d_ff", "d_model")}),
    "cross_entropy": ("the cross-entropy of a softmax classifier",
                      "p = \\mathrm{softmax}(W x + b)\nL = -\\sum_{k=1}^{K} y_k \\log p_k\n"
                      "x \\in \\mathbb{R}^{d}, p \\in \\mathbb{R}^{K}", {"d": 3, "K": 4},
                      {"W": ("K", "d"), "L": (), "y": ("K",)}),
    "gru_wikipedia": (
        "the GRU as Wikipedia writes it (sigma_g, phi_h)",
        "z_t = \\sigma_g(W_z x_t + U_z h_{t-1} + b_z)\n"
        "r_t = \\sigma_g(W_r x_t + U_r h_{t-1} + b_r)\n"
        "\\hat{h}_t = \\phi_h(W_h x_t + U_h (r_t \\odot h_{t-1}) + b_h)\n"
        "h_t = (1 - z_t) \\odot h_{t-1} + z_t \\odot \\hat{h}_t\n"
        "x_t \\in \\mathbb{R}^{d}, h_t \\in \\mathbb{R}^{e}",
        {"d": 3, "e": 4}, {"W_z": ("e", "d"), "U_h": ("e", "e"), "h_hat": ("e",)}),
    "jordan_network": (
        "the Jordan network as Wikipedia writes it, the output activation named",
        "% \\sigma_y: softmax\nh_t = \\sigma_h(W_h x_t + U_h y_{t-1} + b_h)\n"
        "y_t = \\sigma_y(W_y h_t + b_y)\n"
        "x_t \\in \\mathbb{R}^{d}, h_t \\in \\mathbb{R}^{n}, y_t \\in \\mathbb{R}^{q}",
        {"d": 3, "n": 4, "q": 2}, {"U_h": ("n", "q"), "W_y": ("q", "n")}),
    "mgu_zhou2016": (
        "Zhou et al. 2016, the minimal gated unit",
        "f_t = \\sigma(W_f [h_{t-1}, x_t] + b_f)\n"
        "\\tilde{h}_t = \\tanh(W_h [f_t \\odot h_{t-1}, x_t] + b_h)\n"
        "h_t = (1 - f_t) \\odot h_{t-1} + f_t \\odot \\tilde{h}_t\n"
        "x_t \\in \\mathbb{R}^{m}, h_t \\in \\mathbb{R}^{n}",
        {"m": 3, "n": 4}, {"W_f": ("n", "m + n"), "W_h": ("n", "m + n")}),
    "indrnn_li2018": ("Li et al. 2018, IndRNN eq. 2",
                      "h_t = \\mathrm{ReLU}(W x_t + u \\odot h_{t-1} + b)\n"
                      "x_t \\in \\mathbb{R}^{m}, h_t \\in \\mathbb{R}^{n}",
                      {"m": 3, "n": 4}, {"W": ("n", "m"), "u": ("n",)}),
    "glu_dauphin2017": (
        "Dauphin et al. 2017, eq. 1 (their \\otimes is elementwise, as the directive says)",
        "% papermath: otimes is hadamard\n% inputs: X\n"
        "h = (X W + b) \\otimes \\sigma(X V + c)\n"
        "X \\in \\mathbb{R}^{n \\times m}, b \\in \\mathbb{R}^{k}, c \\in \\mathbb{R}^{k}",
        {"n": 3, "m": 4, "k": 2}, {"W": ("m", "k"), "V": ("m", "k"), "h": ("n", "k")}),
    "vae_reparameterization": (
        "Kingma & Welling 2014, the reparameterization trick",
        "% inputs: \\mu, \\sigma\n\\epsilon \\sim \\mathcal{N}(0, I)\n"
        "z = \\mu + \\sigma \\odot \\epsilon\n\\mu \\in \\mathbb{R}^{d}",
        {"d": 3}, {"epsilon": ("d",), "z": ("d",)}),
    "residual_he2016": ("He et al. 2016, a residual block (eq. 1 with F = W_2 relu(W_1 x))",
                        "y = W_2 \\mathrm{ReLU}(W_1 x) + x\nx \\in \\mathbb{R}^{d}", {"d": 4},
                        {"y": ("d",), "W_2": ("d", "d1"), "W_1": ("d1", "d")}),
    "ridge_regression": ("a squared loss with an L2 penalty",
                         "L = \\|y - W x\\|^2 + \\lambda \\|W\\|^2\n"
                         "x \\in \\mathbb{R}^{d}, y \\in \\mathbb{R}^{q}",
                         {"d": 3, "q": 2}, {"W": ("q", "d"), "lambda": ()}),
    "gcn_sum_aggregation": (
        "a graph convolution with sum aggregation, layer index in parentheses",
        "H_v^{(l+1)} = \\mathrm{ReLU}(W^{(l)} \\sum_{u \\in \\mathcal{N}(v)} H_u^{(l)})\n"
        "H_v^{(l)} \\in \\mathbb{R}^{d}",
        {"d": 3, "L": 2}, {"H": ("d",), "W": ("d", "d")}),
    "rmsnorm_with_epsilon": (
        "RMSNorm as implementations write it, entries over j, epsilon inside the root",
        "% inputs: x\ny_i = \\frac{x_i}{\\sqrt{\\frac{1}{d} \\sum_{j=1}^{d} x_j^2 + \\epsilon}} "
        "\\gamma_i\nx \\in \\mathbb{R}^{d}, \\gamma \\in \\mathbb{R}^{d}",
        {"d": 4}, {"y": ("d",), "epsilon": ()}),
    "gated_tanh_oord2016": ("van den Oord et al. 2016 (PixelCNN), the gated activation",
                            "y = \\tanh(W_f x) \\odot \\sigma(W_g x)\n"
                            "x \\in \\mathbb{R}^{d}, y \\in \\mathbb{R}^{k}",
                            {"d": 3, "k": 2}, {"W_f": ("k", "d"), "W_g": ("k", "d")}),
    "elman_plain_text": ("the Elman network typed as plain text",
                         "h_t = tanh(W_hh * h_t-1 + W_xh * x_t + b_h)\n"
                         "y_t = W_hy * h_t + b_y\nx_t in R^d, h_t in R^n, y_t in R^q",
                         {"d": 3, "n": 4, "q": 2}, {"W_hh": ("n", "n"), "W_hy": ("q", "n")}),
}  # fmt: skip


def test_own_cases_are_enough() -> None:
    assert len(OWN_CASES) >= 15


@pytest.mark.parametrize("name", sorted(OWN_CASES))
def test_own_paper_case(name: str) -> None:
    from papermath.check import check, default_dims

    _origin, latex, dims, shapes = OWN_CASES[name]
    system = papermath.compile(latex, dims)
    for key, shape in shapes.items():
        assert system.shapes.get(key) == shape, (key, system.shapes)
    dims = default_dims(system, dims)
    system.to_torch(dims, dtype=torch.float64)
    results = check(system, dims)
    assert results and all(r.ok for r in results), [r for r in results if not r.ok]
    for r in results:  # both oracles ran
        assert r.entries > 0 and r.torch_error is not None


BATCH_NORM = r"""
\mu_\mathcal{B} = \frac{1}{m} \sum_{i=1}^{m} x_i
\sigma_\mathcal{B}^2 = \frac{1}{m} \sum_{i=1}^{m} (x_i - \mu_\mathcal{B})^2
\hat{x}_i = \frac{x_i - \mu_\mathcal{B}}{\sqrt{\sigma_\mathcal{B}^2 + \epsilon}}
y_i = \gamma \hat{x}_i + \beta
x_i \in \mathbb{R}^{d}, \gamma, \beta \in \mathbb{R}^{d}
"""


def test_batch_norm_in_training_mode_equals_nn_batchnorm1d() -> None:
    """Ioffe & Szegedy 2015, Algorithm 1: i runs over the m examples of the mini-batch (x_i is
    declared a vector, so i picks examples, not entries): the sums reduce the batch axis, m is
    the batch size at run time, sigma_B^2 is one symbol. Against torch.nn.BatchNorm1d in
    training mode (biased variance, as the paper), values and gradients."""
    system = papermath.compile(BATCH_NORM, {"d": 4})
    assert system.shapes["mu_B"] == ("d",) and system.shapes["sigma_B_sq"] == ("d",)
    assert system.kinds["x"] == "input" and "m" not in system.kinds
    assert any(r.reading == "sum over the batch i" for r in system.readings)
    module = system.to_torch({"d": 4}, dtype=torch.float64)
    ref = torch.nn.BatchNorm1d(4, eps=1e-5, dtype=torch.float64).train()
    with torch.no_grad():
        ref.weight.uniform_(-1, 1)
        ref.bias.uniform_(-1, 1)
        module.gamma.copy_(ref.weight)
        module.beta.copy_(ref.bias)
    # epsilon is a constant the paper gives, not a parameter to train: the caller passes it
    assert system.kinds["epsilon"] == "constant"
    assert "epsilon" not in dict(module.named_parameters())
    eps = torch.tensor(1e-5, dtype=torch.float64)
    for batch in (5, 8):  # m is the batch size of each call
        x = torch.randn(batch, 4, dtype=torch.float64, requires_grad=True)
        got, want = module(x=x, epsilon=eps)["y"], ref(x)
        torch.testing.assert_close(got, want, atol=1e-10, rtol=0)
        (g1,) = torch.autograd.grad(got.sin().sum(), x)
        (g2,) = torch.autograd.grad(want.sin().sum(), x)
        torch.testing.assert_close(g1, g2, atol=1e-9, rtol=0)


def test_gcn_layers_of_kipf_welling_equal_hand_written() -> None:
    """Kipf & Welling 2017, eq. 2 with their renormalized adjacency given as the input \\hat A
    (\\tilde D^{-1/2} \\tilde A \\tilde D^{-1/2}, computed by the data pipeline): H^{(l+1)} =
    ReLU(\\hat A H^{(l)} W^{(l)}), one W per layer; against a hand-written torch loop."""
    src = (
        "% inputs: \\hat{A}\n"
        "H^{(l+1)} = \\mathrm{ReLU}(\\hat{A} H^{(l)} W^{(l)})\n"
        "H^{(l)} \\in \\mathbb{R}^{N \\times F}, \\hat{A} \\in \\mathbb{R}^{N \\times N}"
    )
    system = papermath.compile(src)
    assert system.kinds["A_hat"] == "input" and system.per_step_params == ("W",)
    N, F, L = 6, 3, 2
    module = system.to_torch({"N": N, "F": F, "L": L}, dtype=torch.float64)
    edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (0, 5), (1, 4)]
    A = torch.eye(N, dtype=torch.float64)  # \tilde A = A + I
    for a, b in edges:
        A[a, b] = A[b, a] = 1.0
    d = A.sum(1).rsqrt()
    A_hat = d[:, None] * A * d[None, :]
    H0 = torch.randn(N, F, dtype=torch.float64)
    # inside a layer recurrence the matrices are per example: a batch of one graph here
    got = module(A_hat=A_hat[None], H=H0[None])["H"]
    W = dict(module.named_parameters())["W"]
    H = H0
    for layer in range(L):
        H = torch.relu(A_hat @ H @ W[layer])
    torch.testing.assert_close(got[-1, 0], H, atol=ATOL, rtol=0)


def test_report_shows_the_functions_the_source_defines() -> None:
    """RMSNorm's line 1 defines RMS(a): the report typesets it with the equations."""
    from papermath.report import report_html

    page = report_html(papermath.compile(CASES["rmsnorm_zhang2019"]["latex"]), "rmsnorm")
    assert '<span class="lineno">line 1</span>' in page
    assert '<span class="lineno">line 2</span>' in page
    assert "1 defined functions" in page


def test_prose_names_the_activation_and_mentions_are_prose() -> None:
    """A paragraph as papers write it: the equations in $$...$$, the activation named in words
    ("where $\\sigma_y$ is the logistic sigmoid"), symbols mentioned in $...$ (not equations)."""
    src = (
        "$$f_t = \\sigma_y(W_f x_t + U_f h_{t-1})$$\n$$h_t = \\tanh(f_t)$$\n"
        "where $\\sigma_y$ is the logistic sigmoid, $h_{t-1}$ is the previous state, "
        "and $x_t \\in \\mathbb{R}^{d}$, $h_t \\in \\mathbb{R}^{n}$."
    )
    system = papermath.compile(src)
    assert "sigma_y" not in system.functions and system.shapes["W_f"] == ("n", "d")
    assert any(r.reading == "sigmoid" and "source says" in r.reason for r in system.readings)
    assert [eq.lhs.key for eq in system.equations] == ["f", "h"]


ELMAN_LOSS = r"""
h_t = \tanh(W h_{t-1} + U x_t)
y_t = V h_t
L = \sum_t \| y_t - d_t \|^2
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}, y_t \in \mathbb{R}^{k}
"""


def test_a_loss_summed_over_time_equals_a_hand_written_loop() -> None:
    """L = \\sum_t ||y_t - d_t||^2 is a running sum over the steps (said in the readings); its
    last value, and the gradients through it, equal a hand-written torch loop."""
    system = papermath.compile(ELMAN_LOSS)
    assert readings(system)["sum over the steps t"]
    assert system.kinds["L"] == "state" and system.shapes["L"] == ()
    m, n, k, T, N = 2, 3, 2, 4, 5
    module = system.to_torch({"m": m, "n": n, "k": k}, dtype=torch.float64)
    x = torch.randn(T, N, m, dtype=torch.float64)
    d = torch.randn(T, N, k, dtype=torch.float64)
    got = module(x=x, d=d)["L"]
    W, U, V = module.W, module.U, module.V
    h = torch.zeros(N, n, dtype=torch.float64)
    want = torch.zeros(N, dtype=torch.float64)
    for t in range(T):
        h = torch.tanh(h @ W.T + x[t] @ U.T)
        want = want + ((h @ V.T - d[t]) ** 2).sum(-1)
    torch.testing.assert_close(got[-1], want, atol=ATOL, rtol=0)
    (gW,) = torch.autograd.grad(got[-1].sum(), W)
    (wW,) = torch.autograd.grad(want.sum(), W)
    torch.testing.assert_close(gW, wW, atol=ATOL, rtol=0)


def test_the_last_step_h_T_is_h_at_the_last_step() -> None:
    """y = V h_T beside h_{t-1}: h at the last step, never a new symbol h_T."""
    source = ELMAN_LOSS.replace("y_t = V h_t\nL = \\sum_t \\| y_t - d_t \\|^2", "y = V h_T")
    system = papermath.compile(source)
    assert "h_T" not in system.shapes and readings(system)["h at the last step"] == ["h_T"]
    module = system.to_torch({"m": 2, "n": 3, "k": 2}, dtype=torch.float64)
    x = torch.randn(4, 5, 2, dtype=torch.float64)
    out = module(x=x)
    torch.testing.assert_close(out["y"][-1], out["h"][-1] @ module.V.T, atol=ATOL, rtol=0)


def test_a_sum_over_steps_inside_an_expression_is_refused() -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(ELMAN_LOSS.replace("L = \\sum_t", "L = 2 \\sum_t"))
    assert "whole right side" in str(info.value)


GAT = r"""
e_{ij} = \mathrm{LeakyReLU}(\vec{a}^T [W \vec{h}_i \| W \vec{h}_j])
\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k \in \mathcal{N}_i} \exp(e_{ik})}
\vec{h}'_i = \sigma(\sum_{j \in \mathcal{N}_i} \alpha_{ij} W \vec{h}_j)
\vec{h}_i \in \mathbb{R}^{F}, \vec{h}'_i \in \mathbb{R}^{F'}
"""


def test_gat_layer_equals_hand_written_attention_over_neighbours() -> None:
    """Velickovic et al. 2018, eqs. 1-4 as typed: e_{ij} and alpha_{ij} are values per edge
    (j a neighbour of i), the softmax runs over each node's neighbours only. Against a
    hand-written torch version on an edge list (index_add), values and gradients."""
    system = papermath.compile(GAT)
    assert readings(system)["value per edge (i, j)"]
    module = system.to_torch({"F": 3, "F'": 2}, dtype=torch.float64)
    n = 6
    src = torch.tensor([0, 1, 2, 3, 4, 0, 5, 2, 1])
    dst = torch.tensor([1, 2, 0, 0, 0, 3, 4, 5, 5])  # node ... receives from src
    edges = torch.stack([src, dst])
    h = torch.randn(n, 3, dtype=torch.float64)
    got = module(h=h, edges=edges)
    W, a = module.W, module.a.reshape(-1)
    wh = h @ W.T
    e = torch.nn.functional.leaky_relu(torch.cat([wh[dst], wh[src]], 1) @ a, 0.01)
    denom = torch.zeros(n, dtype=torch.float64).index_add(0, dst, torch.exp(e))
    alpha = torch.exp(e) / denom[dst]
    out = torch.sigmoid(
        torch.zeros(n, 2, dtype=torch.float64).index_add(0, dst, alpha[:, None] * wh[src])
    )
    torch.testing.assert_close(got["e"], e, atol=ATOL, rtol=0)
    torch.testing.assert_close(got["alpha"], alpha, atol=ATOL, rtol=0)
    torch.testing.assert_close(got["h_prime"], out, atol=ATOL, rtol=0)
    (g_ours,) = torch.autograd.grad(got["h_prime"].square().sum(), W)
    (g_hand,) = torch.autograd.grad(out.square().sum(), W)
    torch.testing.assert_close(g_ours, g_hand, atol=ATOL, rtol=0)
    from papermath.check import check

    assert all(r.ok for r in check(system, {"F": 3, "F'": 2}))


MULTI_HEAD = r"""
% inputs: Q, K, V
\mathrm{MultiHead}(Q, K, V) = \mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h) W^O
\mathrm{head}_i = \mathrm{Attention}(Q W_i^Q, K W_i^K, V W_i^V)
\mathrm{Attention}(Q, K, V) = \mathrm{softmax}(\frac{Q K^T}{\sqrt{d_k}}) V
Q \in \mathbb{R}^{n \times d_{model}}, K \in \mathbb{R}^{m \times d_{model}}
V \in \mathbb{R}^{m \times d_{model}}
W_i^Q \in \mathbb{R}^{d_{model} \times d_k}, W_i^K \in \mathbb{R}^{d_{model} \times d_k}
W_i^V \in \mathbb{R}^{d_{model} \times d_v}, W^O \in \mathbb{R}^{h d_v \times d_{model}}
"""


def test_multi_head_attention_equals_nn_multiheadattention() -> None:
    """Vaswani et al. 2017, section 3.2.2 as typed: head_i is a family of h heads, W_i^Q one
    per head (stacked), Concat(head_1, ..., head_h) side by side, h d_v a product of sizes.
    Against torch.nn.MultiheadAttention (no biases) with its weights mapped in."""
    system = papermath.compile(MULTI_HEAD)
    assert system.per_head_params == {"W_Q": "h", "W_K": "h", "W_V": "h"}
    assert readings(system)["head index i"] and system.shapes["W_O"] == ("d_v·h", "d_model")
    E, h, n, m = 8, 2, 3, 5
    dims = {"n": n, "m": m, "d_model": E, "d_k": E // h, "d_v": E // h, "h": h}
    module = system.to_torch(dims, dtype=torch.float64)
    assert module.W_Q.shape == (h, E, E // h)
    mha = torch.nn.MultiheadAttention(E, h, bias=False, dtype=torch.float64)
    wq, wk, wv = mha.in_proj_weight.detach().chunk(3)
    with torch.no_grad():
        for k in range(h):
            rows = slice(k * E // h, (k + 1) * E // h)
            module.W_Q[k].copy_(wq[rows].T)
            module.W_K[k].copy_(wk[rows].T)
            module.W_V[k].copy_(wv[rows].T)
        module.W_O.copy_(mha.out_proj.weight.T)
    q = torch.randn(n, E, dtype=torch.float64)
    kv = torch.randn(m, E, dtype=torch.float64)
    want, _ = mha(q, kv, kv, need_weights=False)
    torch.testing.assert_close(module(Q=q, K=kv, V=kv)["MultiHead"], want, atol=ATOL, rtol=0)
    from papermath.check import check

    assert all(r.ok for r in check(system, dims))


def test_a_product_over_entries_equals_torch_prod() -> None:
    r"""\prod_{i=1}^{n} a_i^2: the product of the entries (its gradient exact even with a zero
    entry: the product of the others)."""
    system = papermath.compile("% inputs: a\np = \\prod_{i=1}^{n} a_i^2\na \\in \\mathbb{R}^{n}")
    assert readings(system)["product over the entries i"]
    module = system.to_torch({"n": 4}, dtype=torch.float64)
    a = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    torch.testing.assert_close(module(a=a)["p"], (a**2).prod(-1), atol=ATOL, rtol=0)
    gen = system.to_numpy({"n": 4})
    x = np.array([[0.0, 2.0, 3.0, 1.0]])
    _, cache = gen.forward({}, {"a": x})
    grads = gen.backward({}, cache, {"p": np.ones(1)})
    np.testing.assert_allclose(grads["a"], [[0.0, 0.0, 0.0, 0.0]], atol=1e-12)  # one zero
    x = np.array([[0.5, 2.0, 3.0, 1.0]])
    t = torch.tensor(x, requires_grad=True)
    (t**2).prod(-1).sum().backward()
    _, cache = gen.forward({}, {"a": x})
    np.testing.assert_allclose(gen.backward({}, cache, {"p": np.ones(1)})["a"], t.grad.numpy())
    from papermath.check import check

    assert all(r.ok for r in check(system, {"n": 4}))


def test_ggnn_propagation_with_typed_edges_equals_a_dense_hand_written_version() -> None:
    """Li et al. 2016, eqs. 2-6 as kept beside examples/ggnn_babi.py: one matrix per edge
    type and direction (N_k(v) along the edges into v, N^out_k(v) out of it), then the GRU
    step, for T steps. Against a hand-written torch version with the paper's dense adjacency
    matrices (A_k[v, u] = 1 for an edge u -> v of type k; the outgoing direction is A_k^T),
    values and gradients of every parameter and of the initial state."""
    from conftest import ROOT

    system = papermath.compile((ROOT / "examples" / "ggnn_babi" / "propagation.tex").read_text())
    assert system.per_relation_params == {"P": "K", "Q": "K"}
    assert system.step_count == "T"
    D, K, T, n = 3, 2, 4, 7
    module = system.to_torch({"D": D, "K": K, "T": T}, dtype=torch.float64)
    src = torch.tensor([0, 1, 2, 3, 4, 0, 5, 2, 1, 6])
    dst = torch.tensor([1, 2, 0, 0, 0, 3, 4, 5, 5, 6])
    types = torch.tensor([0, 1, 1, 0, 0, 1, 0, 1, 0, 1])
    h0 = torch.randn(n, D, dtype=torch.float64, requires_grad=True)
    got = module(h=h0, edges=torch.stack([src, dst]), edge_types=types)["h"]
    assert got.shape == (T, n, D)

    A = torch.zeros(K, n, n, dtype=torch.float64)
    A.index_put_((types, dst, src), torch.ones(len(src), dtype=torch.float64), accumulate=True)
    m = module
    h = h0
    for _ in range(T):
        a_in = sum(A[k] @ h @ m.P[k].T for k in range(K))
        a_out = sum(A[k].T @ h @ m.Q[k].T for k in range(K))
        a = torch.cat([a_in, a_out], 1) + m.b
        z = torch.sigmoid(a @ m.W_z.T + h @ m.U_z.T)
        r = torch.sigmoid(a @ m.W_r.T + h @ m.U_r.T)
        h_tilde = torch.tanh(a @ m.W.T + (r * h) @ m.U.T)
        h = (1 - z) * h + z * h_tilde
    torch.testing.assert_close(got[-1], h, atol=ATOL, rtol=0)
    wrt = [h0, m.P, m.Q, m.W_z, m.U]
    ours = torch.autograd.grad(got[-1].square().sum(), wrt)
    hand = torch.autograd.grad(h.square().sum(), wrt)
    for g_ours, g_hand in zip(ours, hand, strict=True):
        torch.testing.assert_close(g_ours, g_hand, atol=ATOL, rtol=0)
    from papermath.check import check

    assert all(r.ok for r in check(system, {"D": D, "K": K, "T": T}))


def test_typed_neighbourhoods_read_and_refuse_as_they_should() -> None:
    """The spellings of a typed or outgoing neighbourhood; N_k(v) with nothing binding k
    is a located error, not a silent untyped sum."""
    for hood in ("\\mathcal{N}_k(v)", "\\mathcal{N}^k(v)", "\\mathcal{N}_v^k"):
        system = papermath.compile(
            f"a_v = \\sum_{{k \\in \\mathcal{{K}}}} \\sum_{{u \\in {hood}}} W_k h_u\n"
            "h_v \\in \\mathbb{R}^{d}, a_v \\in \\mathbb{R}^{d}"
        )
        assert system.per_relation_params == {"W": "K"}, hood
    out = papermath.compile(
        "a_v = \\sum_{u \\in \\mathcal{N}^{\\text{out}}(v)} W h_u\nh_v \\in \\mathbb{R}^{d}"
    )
    why = [r.reason for r in out.readings if r.reading == "sum over the neighbours of v"]
    assert len(why) == 1 and "along the edges out of v (source v, target u)" in why[0]
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(
            "a_v = \\sum_{u \\in \\mathcal{N}_k(v)} W_k h_u\nh_v \\in \\mathbb{R}^{d}"
        )
    assert "no sum over the types binds k" in str(info.value)
