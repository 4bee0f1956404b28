"""The same notation in other papers' styles: each case is LaTeX as that source writes it,
with the shapes an expert reader gives (hand-derived, compared up to free-size renaming)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import papermath
from conftest import assert_shapes_match


@dataclass
class Style:
    name: str
    latex: str
    shapes: dict[str, list[str]]
    kinds: dict[str, str] = field(default_factory=dict)
    solved: dict[str, str] = field(default_factory=dict)
    readings: dict[str, str] = field(default_factory=dict)  # subject -> reading


STYLES = [
    Style(
        "gru_cho_2014",
        r"""
\begin{align}
r_t &= \sigma(W_r x_t + U_r h_{t-1}) \\
z_t &= \sigma(W_z x_t + U_z h_{t-1}) \\
\tilde{h}_t &= \tanh(W x_t + U (r_t \odot h_{t-1})) \\
h_t &= z_t \odot h_{t-1} + (1 - z_t) \odot \tilde{h}_t
\end{align}
where $x_t \in \mathbb{R}^{m}$ and $h_t \in \mathbb{R}^{n}$.
""",
        {
            "W_r": ["n", "m"],
            "U_r": ["n", "n"],
            "W": ["n", "m"],
            "U": ["n", "n"],
            "h_tilde": ["n"],
            "z": ["n"],
        },
        {"h": "state", "x": "input", "U": "parameter", "h_tilde": "intermediate"},
    ),
    Style(
        "lstm_peephole_graves_2013",
        r"""
i_t = \sigma(W_{xi} x_t + W_{hi} h_{t-1} + W_{ci} c_{t-1} + b_i)
f_t = \sigma(W_{xf} x_t + W_{hf} h_{t-1} + W_{cf} c_{t-1} + b_f)
c_t = f_t c_{t-1} + i_t \tanh(W_{xc} x_t + W_{hc} h_{t-1} + b_c)
o_t = \sigma(W_{xo} x_t + W_{ho} h_{t-1} + W_{co} c_t + b_o)
h_t = o_t \tanh(c_t)
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}
""",
        {"W_ci": ["n", "n"], "W_co": ["n", "n"], "c": ["n"], "W_xo": ["n", "m"]},
        {"c": "state", "h": "state"},
    ),
    Style(
        "lstm_peephole_hadamard",
        r"""
i_t = \sigma(W_{i} x_t + U_{i} h_{t-1} + p_i \odot c_{t-1} + b_i)
c_t = c_{t-1} + i_t \odot \tanh(W_c x_t + U_c h_{t-1} + b_c)
h_t = \tanh(c_t)
x_t \in \mathbb{R}^{d}, h_t \in \mathbb{R}^{k}
""",
        {"p_i": ["k"], "W_i": ["k", "d"], "U_i": ["k", "k"]},
    ),
    Style(
        "pytorch_docs_lstm",
        r"""
\begin{array}{ll}
i_t = \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) \\
f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \\
g_t = \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) \\
o_t = \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) \\
c_t = f_t \odot c_{t-1} + i_t \odot g_t \\
h_t = o_t \odot \tanh(c_t) \\
\end{array}
x_t \in \mathbb{R}^{I}, h_t \in \mathbb{R}^{H}
""",
        {
            "W_ii": ["H", "I"],
            "W_hi": ["H", "H"],
            "b_ii": ["H"],
            "b_hi": ["H"],
            "g": ["H"],
            "c": ["H"],
        },
    ),
    Style(
        "pytorch_docs_gru",
        r"""
\begin{array}{ll}
r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{(t-1)} + b_{hr}) \\
z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{(t-1)} + b_{hz}) \\
n_t = \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{(t-1)} + b_{hn})) \\
h_t = (1 - z_t) \odot n_t + z_t \odot h_{(t-1)}
\end{array}
x_t \in \mathbb{R}^{I}, h_t \in \mathbb{R}^{H}
""",
        {"W_in": ["H", "I"], "W_hn": ["H", "H"], "b_hn": ["H"], "n": ["H"], "r": ["H"]},
        {"h": "state"},
    ),
    Style(
        "attention_vector_form",
        r"""
a = \operatorname{softmax}\left(\frac{K q}{\sqrt{d_k}}\right)
o = V^\top a
K \in \mathbb{R}^{n \times d_k}, \quad V \in \mathbb{R}^{n \times d_v}
""",
        {"a": ["n"], "q": ["d_k"], "o": ["d_v"]},
        readings={"d_k": "the size d_k"},  # a declared size is a number, not a parameter
    ),
    Style(
        "attention_matrix_form_vaswani",
        r"""
A = softmax(\frac{Q K^T}{\sqrt{d_k}}) V
Q \in \mathbb{R}^{n \times d_k}, K \in \mathbb{R}^{m \times d_k}, V \in \mathbb{R}^{m \times d_v}
""",
        {"A": ["n", "d_v"]},
        readings={"Q K^T": "matrix product"},
    ),
    Style(
        "layer_norm",
        r"""
y = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} \odot \gamma + \beta
x \in \mathbb{R}^{d}, \beta \in \mathbb{R}^{d}
""",
        {"y": ["d"], "gamma": ["d"], "beta": ["d"], "mu": [], "sigma": [], "epsilon": []},
        {"gamma": "parameter", "x": "input"},
    ),
    Style(
        "elman_in_prose",
        r"The hidden state is $h_t = \tanh(W h_{t-1} + U x_t + b)$, where "
        r"$x_t \in \mathbb{R}^{m}$ and $h_t \in \mathbb{R}^{n}$.",
        {"W": ["n", "n"], "U": ["n", "m"], "b": ["n"]},
    ),
    Style(
        "deep_learning_book_rnn",
        r"""
\begin{align*}
a^{(t)} &= b + W h^{(t-1)} + U x^{(t)} \\
h^{(t)} &= \tanh(a^{(t)}) \\
o^{(t)} &= c + V h^{(t)} \\
\hat{y}^{(t)} &= \mathrm{softmax}(o^{(t)})
\end{align*}
x^{(t)} \in \mathbb{R}^{m}, h^{(t)} \in \mathbb{R}^{n}, o^{(t)} \in \mathbb{R}^{q}
""",
        {"W": ["n", "n"], "U": ["n", "m"], "V": ["q", "n"], "y_hat": ["q"], "c": ["q"]},
        {"h": "state", "x": "input", "y_hat": "output"},
    ),
    Style(
        "bmatrix_concatenation",
        r"""
f_t = \sigma\left(W_f \begin{bmatrix} h_{t-1} \\ x_t \end{bmatrix} + b_f\right)
h_{t} = f_t \odot h_{t-1}
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}
""",
        {"W_f": ["n", "m + n"], "b_f": ["n"]},
    ),
    Style(
        "bold_symbols",
        r"""
\mathbf{h}_t = \tanh(\mathbf{W} \mathbf{h}_{t-1} + \mathbf{U} \mathbf{x}_t)
\mathbf{x}_t \in \mathbb{R}^{m}, \boldsymbol{h}_t \in \mathbb{R}^{n}
""",
        {"W": ["n", "n"], "U": ["n", "m"], "h": ["n"]},
    ),
    Style(
        "quadratic_form",
        r"""
E = \frac{1}{2} x^T A x
x \in \mathbb{R}^{n}
""",
        {"E": [], "A": ["n", "n"]},
        readings={r"\frac{1}{2} x^T A": "matrix product", "x^T": "transpose"},
    ),
    Style(
        "softmax_regression_loss",
        r"""
\hat{y} = softmax(W x + b)
\mathcal{L} = \| y - \hat{y} \|_2^2
x \in \mathbb{R}^{d}, y \in \mathbb{R}^{c}
""",
        {"W": ["c", "d"], "b": ["c"], "y_hat": ["c"], "L": []},
        {"y": "target", "L": "output", "W": "parameter"},
    ),
    Style(
        "graph_sum_of_linear_maps",
        r"""
h_G = \sum_{v \in \mathcal{V}} W h_v
h_v \in \mathbb{R}^{D}, h_G \in \mathbb{R}^{G}
""",
        {"W": ["G", "D"], "h_G": ["G"]},
        {"v": "index", "h": "input"},
    ),
    Style(
        "mlp_sample_first",
        r"""
Z = \operatorname{ReLU}(X W_1 + b_1)
Y = Z W_2 + b_2
X \in \mathbb{R}^{N \times D}, W_1 \in \mathbb{R}^{D \times H}, W_2 \in \mathbb{R}^{H \times C}
b_1 \in \mathbb{R}^{H}, b_2 \in \mathbb{R}^{C}
""",
        {"Z": ["N", "H"], "Y": ["N", "C"], "b_1": ["H"]},
        {"X": "input"},
    ),
    Style(
        "mlp_dim_first_with_bias",
        r"""
s = W x + b
x \in \mathbb{R}^{D \times N}, W \in \mathbb{R}^{H \times D}, b \in \mathbb{R}^{H}
""",
        {"s": ["H", "N"]},
    ),
    Style(
        "cdot_and_star_products",
        r"""
h_t = tanh(W_h \cdot h_{t-1} + W_x * x_t)
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}
""",
        {"W_h": ["n", "n"], "W_x": ["n", "m"]},
    ),
    Style(
        "greek_scalar_gate",
        r"""
h_t = \alpha h_{t-1} + (1 - \alpha) \tilde{h}_t
\tilde{h}_t = \tanh(W x_t)
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}
""",
        {"alpha": [], "W": ["n", "m"], "h_tilde": ["n"]},
        readings={r"\alpha h_{t-1}": "scaling by a scalar"},
    ),
    Style(
        "coloneqq_left_right_semicolon",
        r"""
f_t := \sigma\left(W_f \left[h_{t-1}; x_t\right] + b_f\right)
c_t := f_t \odot c_{t-1}
h_t := \tanh(c_t)
x_t \in \mathbb{R}^{m}, h_{t-1} \in \mathbb{R}^{n}
""",
        {"W_f": ["n", "m + n"], "c": ["n"]},
    ),
    Style(
        "declarations_in_comments",
        r"""
h_t = \tanh(W h_{t-1} + U x_t)  % the Elman network
% x_t \in \mathbb{R}^{m}
% h_t \in \mathbb{R}^{n}
""",
        {"W": ["n", "n"], "U": ["n", "m"]},
    ),
    Style(
        "directive_overrides_kind",
        r"""
y = W x
% papermath: W is input
x \in \mathbb{R}^{m}, y \in \mathbb{R}^{k}
""",
        {"W": ["k", "m"]},
        {"W": "input"},
    ),
    Style(
        "transpose_and_step_label_together",
        r"""
y = W^T h^{(T)}
W \in \mathbb{R}^{n \times q}, h^{(T)} \in \mathbb{R}^{n}
""",
        {"y": ["q"], "h": ["n"]},
        {"T": "step_label"},
    ),
    Style(
        "macros_with_arguments",
        r"""
\newcommand{\gate}[2]{\sigma(W_{#1} #2 + b_{#1})}
\def\state{h_{t-1}}
f_t = \gate{f}{[\state, x_t]}
h_t = f_t \odot \state
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}
""",
        {"W_f": ["n", "m + n"], "b_f": ["n"], "f": ["n"]},
        {"h": "state"},
    ),
    Style(
        "row_vector_solves_size",
        r"""
y = w z
w \in \mathbb{R}^{1 \times k}, z \in \mathbb{R}^{k \times N}, y \in \mathbb{R}^{D_y \times N}
""",
        {"y": ["1", "N"]},
        solved={"D_y": "1"},
    ),
]


@pytest.mark.parametrize("style", STYLES, ids=[s.name for s in STYLES])
def test_style(style: Style) -> None:
    system = papermath.compile(style.latex)
    assert_shapes_match(system.shapes, style.shapes, set(system.declared_sizes))
    for key, kind in style.kinds.items():
        assert system.kinds.get(key) == kind, f"{key}: {system.kinds.get(key)}"
    assert system.solved == style.solved | {
        k: v for k, v in system.solved.items() if k not in style.solved
    }
    for key, value in style.solved.items():
        assert system.solved[key] == value
    readings = {" ".join(r.subject.split()): r.reading for r in system.readings}
    for subject, reading in style.readings.items():
        assert readings.get(subject) == reading, f"{subject}: {readings.get(subject)}"


def test_at_least_fifteen_styles() -> None:
    assert len(STYLES) >= 15
