"""Notation that parses but is not read soundly yet (papermath.parse.doubts): each is refused
with a caret on the construct, and the near misses that read (or fail elsewhere) are not."""

from __future__ import annotations

import pytest

from papermath.errors import ParseError
from papermath.parse import parse
from papermath.source import Source

REFUSED = [
    # PyTorch's 2017 GRUCell: h' from h, h no equation (h would be a learned parameter)
    (r"h' = (1 - z) * n + z * h", "h'", ("h'", "defined from h", "recurrence")),
    # Flax's SimpleCell, in an array environment of an RST block
    (
        ".. math::\n\n    \\begin{array}{ll}\n    h' = \\tanh(W_i x + b_i + W_h h)\n"
        "    \\end{array}\n",
        "h'",
        ("h'",),
    ),
    # S4's continuous state space model: x'(t) is the derivative of x(t)
    (r"x'(t) = A x(t) + B u(t)", "x'(t)", ("derivative",)),
    # the prose calls * convolution (Flax's and Haiku's ConvLSTM)
    (
        "i_t = \\sigma(W_{ii} * x_t + W_{hi} * h_{t-1} + b_i)\n\n"
        "where * denotes the convolution operator;",
        "*",
        ("convolution",),
    ),
    (
        "i_t = \\sigma(W_{ii} * x_t + b_i)\n\nwhere :math:`*` denotes the convolution operator;",
        "*",
        ("convolution",),
    ),
    # an older Paddle GRU page: the previous input where the previous state is meant
    (
        "r_t = \\sigma(W_{ir} x_t + W_{hr} x_{t-1})\nh_t = r_t \\odot h_{t-1}",
        "x_{t-1}",
        ("x_{t-1}", "earlier step"),
    ),
    # gates at t read h_t, h defined at t+1, and h_{t-1} read too: two frames mixed (MLX's
    # one frame, without the t-1, reads: parse/frames.py, tests/test_states_and_frames.py)
    (
        "i_t = \\sigma(W_{xi} x_t + W_{hi} h_t)\nq_t = U h_{t-1}\nh_{t+1} = i_t \\odot h_t + q_t",
        "h_t",
        ("two frames", "h_{t+1}"),
    ),
    # shapes and per-feature parameters said in docstring prose, of a symbol the equations
    # write otherwise (W_i, \gamma_k): not read as its declaration (parse/prose_shapes.py)
    (
        "    y = x W_i^\\top + b\n\nwhere :math:`W` has shape ``[output_dims, input_dims]``.",
        "[output_dims, input_dims]",
        ("shape of W",),
    ),
    (
        "    y = \\gamma_k x\n\nwhere :math:`\\gamma` is a learned per feature dimension parameter",
        "per feature dimension",
        ("per feature",),
    ),
    # the triplet loss of PyTorch's docs: a function of the batch, its body per sample
    (
        r"L(a, p, n) = \max \{d(a_i, p_i) - d(a_i, n_i) + m, 0\}",
        "a_i",
        ("a_i", "never a itself"),
    ),
    # labml's capsule squash with a value without j beside s_j: j declared nowhere (the
    # squash alone reads: every value carries j, parse/member_formula.py)
    (
        r"\mathbf{v}_j = \frac{\lVert \mathbf{s}_j \rVert^2}{1 + \lVert \mathbf{s}_j \rVert^2} + c",
        r"\mathbf{s}_j",
        ("carries the j", "learned parameter"),
    ),
    # a GCN's widths per layer, d_l and d_{l+1}, on a W written without the layer (W^{(l)}
    # declared so reads since s5 GA: parse/layer_declared.py)
    (
        "H^{(l+1)} = \\sigma(A H^{(l)} W)\n"
        "H^{(l)} \\in \\mathbb{R}^{n \\times d_l}, W \\in \\mathbb{R}^{d_l \\times d_{l+1}}",
        "d_{l+1}",
        ("changes with the layer l",),
    ),
    # Sonnet's and Haiku's norms: the statistics are said in prose
    (
        ".. math::\n\n   y = \\frac{x - \\mu}{\\sigma}\n\nWhere :math:`\\mu` and "
        ":math:`\\sigma` are respectively the mean and standard\ndeviation of ``x``.",
        "mean",
        ("mean", "\\mu"),
    ),
    # "对应公式中的 :math:`W_{ih}`" (it is W_{ih} in the formula) is read since s5 REC
    # (parse/size_phrases.py); a line that names the symbol otherwise ("参见", see) is not
    (
        ".. math::\n\n        h_t = W_{ih} x_t\n\n"
        "- **weight_ih** (Parameter) - 形状为（hidden_size, input_size）。参见 "
        ":math:`W_{ih}`。",
        "（hidden_size, input_size）",
        ("shape of W_{ih}",),
    ),
]


@pytest.mark.parametrize(("text", "caret", "words"), REFUSED)
def test_refused_at_the_construct(text: str, caret: str, words: tuple[str, ...]) -> None:
    with pytest.raises(ParseError) as info:
        parse(Source(text))
    err = info.value
    assert err.span is not None
    assert text[err.span.start : err.span.end] == caret
    assert text.find(caret) == err.span.start
    for w in words:
        assert w in err.message
    assert err.hint


def test_hint_names_each_size_once() -> None:
    text = "y = W_k h\n\n:math:`W` has shape ``[hidden, hidden]``"
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.hint is not None
    assert "\\mathbb{R}^{m \\times m} (m for hidden)" in info.value.hint


NOT_REFUSED = [
    # a graph layer's output X' from its input X: X is an input by its letter
    r"X' = \hat{A} X W",
    r"\mathbf{x}' = W \mathbf{x}",
    # a value per node, h_i' from h_j
    r"h_i' = \sigma(\sum_{j \in \mathcal{N}(i)} W h_j)",
    # x' used, not defined: a new variable
    r"y = x' + x",
    # h' defined, h defined too: two variables
    "h = W x\nh' = \\tanh(h)",
    # layers at l+1 beside an equation at l (dropout): read per equation
    "z^{(l+1)} = w^{(l+1)} y^{(l)}\ny^{(l+1)} = f(z^{(l+1)})\n\\tilde{y}^{(l)} = r^{(l)} y^{(l)}",
    # an equation at t+1 read by no equation at t
    "h_{t+1} = \\tanh(W h_t + U x_t)",
    # * with no prose about convolution; convolution said of nothing written with *
    "y = W * x",
    "y = W x\n\nwhere the convolution is omitted",
    # the mean said in prose, and written as an equation too
    "$$y = x - \\mu$$\n$$\\mu = \\frac{1}{n} \\sum_{i=1}^{n} x_i$$\nwhere $\\mu$ is the mean of x",
    # a label shared with parameters' letters (forward: f); an index that is declared
    r"h_f = \tanh(W_f x + b_f)",
    "v_j = s_j^2\nj \\in \\{1, \\dots, J\\}",
    # one width for every layer
    "H^{(l+1)} = \\sigma(A H^{(l)} W^{(l)})\nH^{(l)} \\in \\mathbb{R}^{n \\times d}",
    # a function whose body sums over the entries of its argument (RMSNorm)
    r"\mathrm{RMS}(a) = \sqrt{\frac{1}{n} \sum_{i=1}^{n} a_i^2}",
    # a function whose body uses its argument
    r"f(a) = \max \{a_i, 0\} + a",
    # the previous input, where x has an equation (DDPM's x_{t-1} from x_t)
    "x_{t-1} = a x_t + b",
]


@pytest.mark.parametrize("text", NOT_REFUSED)
def test_not_refused_by_these_rules(text: str) -> None:
    parse(text)
