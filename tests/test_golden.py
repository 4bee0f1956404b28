"""Golden outputs: the generated source of every catalog network, and of a few small systems
that between them use every primitive, pinned byte for byte (tests/golden/).

A refactoring guard, not a correctness judge: it proves that moving the code generator around
(primitives as objects, rule registries) changes no generated line. Whether the generated code
is *right* is judged by the oracle tests (test_codegen.py, test_gradients.py, test_steps.py,
test_differential.py: PyTorch and finite differences).

Each case is generated for five targets: the NumPy module in both layouts, the default torch
module in both layouts (speed passes, the recurrence as a generated ``autograd.Function`` with
its fused C++ kernel source), and the plain torch module (``--readable``: no speed passes,
autograd through the loop). A target papermath refuses is pinned as its refusal.

When generated code changes on purpose, regenerate and review the diff::

    PAPERMATH_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py -q
    git diff tests/golden/
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import papermath
from papermath import catalog
from papermath.check import default_dims
from papermath.errors import PapermathError
from papermath.ir.prims import PRIMS

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("PAPERMATH_REGENERATE_GOLDEN") == "1"

FUNCTIONS_CELL = (
    "a_t = \\mathrm{gelu}(W x_t + U h_{t-1}) + \\mathrm{elu}(h_{t-1}) + \\sinh(h_{t-1}) "
    "- \\cosh(h_{t-1})\n"
    "h_t = \\tanh(\\mathrm{leakyrelu}(a_t) + \\mathrm{sign}(a_t) + |a_t| "
    "- \\sqrt{\\mathrm{softplus}(a_t)})\n"
    "x_t \\in \\mathbb{R}^{m}, h_t \\in \\mathbb{R}^{n}"
)

# Small systems for the primitives the catalog does not use (sources as the tests of
# test_papers.py write them).
SOURCES = {
    "neg_extrema": "% inputs: x\ny = \\max(0, W x) - \\min(x, 1) + (-x)\nx \\in \\mathbb{R}^{d}",
    "dot": "% inputs: x, z\nq = x \\cdot z\nx \\in \\mathbb{R}^{d}, z \\in \\mathbb{R}^{d}",
    "vecmat_ffn": "\\mathrm{FFN}(x) = \\max(0, x W_1 + b_1) W_2 + b_2\n"
    "x \\in \\mathbb{R}^{d_{model}}, b_1 \\in \\mathbb{R}^{d_{ff}}, "
    "b_2 \\in \\mathbb{R}^{d_{model}}",
    "luong_to_nodes": "\\mathrm{score}(h_t, \\bar{h}_s) = h_t^\\top W_a \\bar{h}_s\n"
    "a_t(s) = \\frac{\\exp(\\mathrm{score}(h_t, \\bar{h}_s))}{\\sum_{s'} "
    "\\exp(\\mathrm{score}(h_t, \\bar{h}_{s'}))}\n"
    "h_t \\in \\mathbb{R}^{d}, \\bar{h}_s \\in \\mathbb{R}^{d}",
    "prod": "% inputs: a\np = \\prod_{i=1}^{n} a_i^2\na \\in \\mathbb{R}^{n}",
    "max_logsumexp": "% inputs: x\nh = \\tanh(W x)\n"
    "y = \\operatorname{logsumexp}_i h_i - \\max_{j} h_j\n"
    "x \\in \\mathbb{R}^{m}, h \\in \\mathbb{R}^{n}",
    "batch_norm": "\\mu_\\mathcal{B} = \\frac{1}{m} \\sum_{i=1}^{m} x_i\n"
    "\\sigma_\\mathcal{B}^2 = \\frac{1}{m} \\sum_{i=1}^{m} (x_i - \\mu_\\mathcal{B})^2\n"
    "\\hat{x}_i = \\frac{x_i - \\mu_\\mathcal{B}}{\\sqrt{\\sigma_\\mathcal{B}^2 + \\epsilon}}\n"
    "y_i = \\gamma \\hat{x}_i + \\beta\n"
    "x_i \\in \\mathbb{R}^{d}, \\gamma, \\beta \\in \\mathbb{R}^{d}",
    "gat": "e_{ij} = \\mathrm{LeakyReLU}(\\vec{a}^T [W \\vec{h}_i \\| W \\vec{h}_j])\n"
    "\\alpha_{ij} = \\frac{\\exp(e_{ij})}{\\sum_{k \\in \\mathcal{N}_i} \\exp(e_{ik})}\n"
    "\\vec{h}'_i = \\sigma(\\sum_{j \\in \\mathcal{N}_i} \\alpha_{ij} W \\vec{h}_j)\n"
    "\\vec{h}_i \\in \\mathbb{R}^{F}, \\vec{h}'_i \\in \\mathbb{R}^{F'}",
    "multi_head": "% inputs: Q, K, V\n"
    "\\mathrm{MultiHead}(Q, K, V) = \\mathrm{Concat}(\\mathrm{head}_1, \\dots, "
    "\\mathrm{head}_h) W^O\n"
    "\\mathrm{head}_i = \\mathrm{Attention}(Q W_i^Q, K W_i^K, V W_i^V)\n"
    "\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}(\\frac{Q K^T}{\\sqrt{d_k}}) V\n"
    "Q \\in \\mathbb{R}^{n \\times d_{model}}, K \\in \\mathbb{R}^{m \\times d_{model}}\n"
    "V \\in \\mathbb{R}^{m \\times d_{model}}\n"
    "W_i^Q \\in \\mathbb{R}^{d_{model} \\times d_k}, W_i^K \\in \\mathbb{R}^{d_{model} \\times "
    "d_k}\n"
    "W_i^V \\in \\mathbb{R}^{d_{model} \\times d_v}, W^O \\in \\mathbb{R}^{h d_v \\times "
    "d_{model}}",
    "elman_loss": "h_t = \\tanh(W h_{t-1} + U x_t)\ny_t = V h_t\n"
    "L = \\sum_t \\| y_t - d_t \\|^2\n"
    "x_t \\in \\mathbb{R}^{m}, h_t \\in \\mathbb{R}^{n}, y_t \\in \\mathbb{R}^{k}",
    "gin": "h_v^{(k)} = \\mathrm{MLP}^{(k)}\\left( (1 + \\epsilon^{(k)}) \\cdot h_v^{(k-1)} + "
    "\\sum_{u \\in \\mathcal{N}(v)} h_u^{(k-1)} \\right)\nh_v^{(k)} \\in \\mathbb{R}^{d}",
    "cross_entropy": "p = \\mathrm{softmax}(W x + b)\nL = -\\sum_{k=1}^{K} y_k \\log p_k\n"
    "x \\in \\mathbb{R}^{d}, p \\in \\mathbb{R}^{K}",
    "attention_graph": "% inputs: Q, K, V\nA = softmax(\\frac{Q K^T}{\\sqrt{d_k}}) V\n"
    "Q \\in \\mathbb{R}^{n \\times d_k}, K \\in \\mathbb{R}^{m \\times d_k}, "
    "V \\in \\mathbb{R}^{m \\times d_v}",
    # a mean over the neighbours and the node itself (the degree |N(i)|, a self-loop)
    "graph_mean_self": "x'_i = \\frac{1}{|\\mathcal{N}(i)|} \\sum_{j \\in \\mathcal{N}(i) "
    "\\cup \\{i\\}} W x_j\nx_i \\in \\mathbb{R}^{F}",
    # a max over the neighbours (edge_max, read/rules_neighbour_max.py): DGL's EdgeConv
    "edge_conv": "h'_i = \\max_{j \\in \\mathcal{N}(i)} (\\Theta \\cdot (h_j - h_i) + "
    "\\Phi \\cdot h_i)\nh_i \\in \\mathbb{R}^{d}, h'_i \\in \\mathbb{R}^{d}",
    # the elementwise functions the other cases do not use, in one fused recurrence (the
    # fused kernel's C++ of each; tests/test_kernels.py builds this cell)
    "functions": FUNCTIONS_CELL,
    # the identity, a matrix inverse and a matrix exponential (papermath/ops/matrix.py):
    # Mamba's zero-order hold
    "ssm_zoh": "\\bar{A} = \\exp(\\Delta A)\n"
    "\\bar{B} = (\\Delta A)^{-1} (\\exp(\\Delta A) - I) \\cdot \\Delta B\n"
    "h_t = \\bar{A} h_{t-1} + \\bar{B} x_t\n"
    "A \\in \\mathbb{R}^{N \\times N}, B \\in \\mathbb{R}^{N}, x_t \\in \\mathbb{R}, "
    "\\Delta \\in \\mathbb{R}",
    # a state's first value tied to a value of the model (read/rules_initial_tie.py): computed
    # before the loop, which starts from it (no initial-state argument)
    "rnn_initial_value": "h_t = \\tanh(W h_{t-1} + V z_t)\nh_0 = \\tanh(U x)",
    # a first value per node padded with zeros to the state's width (zeros, ops/matrix.py;
    # read/rules_zero_pad.py): GatedGraphConv's h_i^{(0)} = x_i \| 0
    "zero_pad": "h_i^{(0)} = x_i \\| \\mathbf{0}\n"
    "h_i^{(l+1)} = \\tanh(\\sum_{j \\in \\mathcal{N}(i)} W h_j^{(l)})",
    # Adam's bias correction: a power of the step number (step_pow, read/rules_step_number.py)
    "adam": "g_t \\leftarrow \\nabla_\\theta f_t(\\theta_{t-1})\n"
    "m_t \\leftarrow \\beta_1 \\cdot m_{t-1} + (1 - \\beta_1) \\cdot g_t\n"
    "v_t \\leftarrow \\beta_2 \\cdot v_{t-1} + (1 - \\beta_2) \\cdot g_t^2\n"
    "\\hat{m}_t \\leftarrow m_t / (1 - \\beta_1^t)\n"
    "\\hat{v}_t \\leftarrow v_t / (1 - \\beta_2^t)\n"
    "\\theta_t \\leftarrow \\theta_{t-1} - \\alpha \\cdot \\hat{m}_t / (\\sqrt{\\hat{v}_t} + "
    "\\epsilon)\n"
    "\\theta_t \\in \\mathbb{R}^{d}",
    # the sinusoidal positional encoding (sinusoid, ops/positions.py): Vaswani et al. sec. 3.5
    "positional_encoding": "PE_{(pos,2i)} = sin(pos / 10000^{2i/d_{model}})\n"
    "PE_{(pos,2i+1)} = cos(pos / 10000^{2i/d_{model}})\n"
    "PE_{pos} \\in \\mathbb{R}^{d_{model}}",
    # a power by a value (power, read/rules_value_powers.py): the focusing factor of a focal loss
    "value_power": "% inputs: p\nL = -(1 - p)^\\gamma \\log(p)\np \\in \\mathbb{R}^{n}",
    # the entry of a vector at an integer label (gather, read/rules_label_pick.py): of a value
    # per example (p_{y_i}) and of a vector shared by the examples (c_{y_i})
    "label_pick": "f_i = W x_i\np_i = \\mathrm{softmax}(f_i)\nL_i = c_{y_i} - \\log p_{y_i}\n"
    "J = \\sum_i L_i\nx_i \\in \\mathbb{R}^{D}, W \\in \\mathbb{R}^{K \\times D}",
    # a bidirectional RNN (read/rules_reverse.py): a state carried backwards, h_t from
    # h_{t+1}, in a second loop from the last step down; y_t reads both (Graves 2013, eqs. 8-10)
    "birnn": "\\overrightarrow{h}_t = \\tanh(W_f x_t + U_f \\overrightarrow{h}_{t-1} + b_f)\n"
    "\\overleftarrow{h}_t = \\tanh(W_b x_t + U_b \\overleftarrow{h}_{t+1} + b_b)\n"
    "y_t = V_f \\overrightarrow{h}_t + V_b \\overleftarrow{h}_t + b_y\n"
    "x_t \\in \\mathbb{R}^{m}, \\overrightarrow{h}_t, \\overleftarrow{h}_t \\in \\mathbb{R}^{n}, "
    "y_t \\in \\mathbb{R}^{q}",
}

TARGETS = (
    "numpy_sample-first",
    "numpy_dim-first",
    "torch_sample-first",
    "torch_dim-first",
    "torch-readable_sample-first",
)


def system_of(case: str) -> papermath.System:
    if case in SOURCES:
        return papermath.compile(SOURCES[case])
    return catalog.load(case)


def generate(system: papermath.System, target: str) -> str:
    """The module papermath writes for ``target``, or its refusal."""
    dims = default_dims(system, None)
    kind, layout = target.split("_")
    try:
        if kind == "numpy":
            return system.numpy_source(dims, layout)
        if kind == "torch":
            return system.torch_source(dims, layout)
        return system.torch_source(dims, layout, fast=False, steps=False)
    except PapermathError as exc:
        return f"refused: {type(exc).__name__}: {exc}\n"


CASES = [*catalog.names(), *SOURCES]


@pytest.mark.parametrize("case", CASES)
def test_generated_code_is_unchanged(case: str) -> None:
    system = system_of(case)
    for target in TARGETS:
        path = GOLDEN / f"{case}.{target}.txt"
        got = generate(system, target)
        if REGENERATE:
            GOLDEN.mkdir(exist_ok=True)
            path.write_text(got, encoding="utf-8")
            continue
        assert path.exists(), f"no golden output {path.name}: see this module's docstring"
        want = path.read_text(encoding="utf-8")
        assert got == want, (
            f"{case} ({target}): the generated code changed; if on purpose, regenerate "
            "(PAPERMATH_REGENERATE_GOLDEN=1, see tests/test_golden.py) and review the diff"
        )


def test_the_cases_use_every_primitive() -> None:
    """The golden cases exercise every primitive (else a rule could change unseen)."""
    used = set()
    for case in CASES:
        system = system_of(case)
        dims = default_dims(system, None)
        for fast in (False, True):
            used |= {op.prim for op in system.program(dims, fast=fast).ops()}
    missing = [p.name for p in PRIMS.values() if p not in used]
    assert not missing, f"no golden case uses {missing}"


def test_no_golden_file_is_stale() -> None:
    """Every file under tests/golden/ belongs to a case and a target of this module."""
    expected = {f"{case}.{target}.txt" for case in CASES for target in TARGETS}
    stale = sorted(p.name for p in GOLDEN.glob("*.txt") if p.name not in expected)
    assert not stale, f"golden files of no case: {stale}"
