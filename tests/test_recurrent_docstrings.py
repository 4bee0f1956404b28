"""Recurrent cells as library docstrings write them (issue 24, helper RR): a projected state
(parse/projections.py, checked against torch.nn.LSTM with proj_size), weights of one letter
(shapes/rules_siblings.py), a step written in braces without its underscore
(parse/braced_steps.py), and the sizes an argument list names (parse/prose_args.py)."""

from __future__ import annotations

import pytest
import torch

import papermath
from papermath import PapermathError
from papermath.parse import prose_args

ATOL = 1e-10

# PaddlePaddle's LSTMCell with proj_size, in the docstring's own layout (an RST math block,
# the sentence, the projection); the sizes declared so the test names them
LSTMP = r"""
.. math::

    i_{t} & = \sigma(W_{ii}x_{t} + b_{ii} + W_{hi}h_{t-1} + b_{hi})

    f_{t} & = \sigma(W_{if}x_{t} + b_{if} + W_{hf}h_{t-1} + b_{hf})

    o_{t} & = \sigma(W_{io}x_{t} + b_{io} + W_{ho}h_{t-1} + b_{ho})

    g_{t} & = \tanh(W_{ig}x_{t} + b_{ig} + W_{hg}h_{t-1} + b_{hg})

    c_{t} & = f_{t} * c_{t-1} + i_{t} * g_{t}

    h_{t} & = o_{t} * \tanh(c_{t})

If `proj_size` is specified, the dimension of hidden state :math:`h_{t}` will be projected
to `proj_size`:

.. math::

    h_{t} = h_{t}W_{proj\_size}

.. math::

    x_t \in \mathbb{R}^{I}, c_t \in \mathbb{R}^{H}
"""


def refusal(latex: str) -> PapermathError:
    with pytest.raises(PapermathError) as info:
        papermath.compile(latex)
    return info.value


def caret(err: PapermathError, latex: str) -> str:
    assert err.span is not None
    return latex[err.span.start : err.span.end]


# ---- state-projection --------------------------------------------------------------------


def test_projection_reads_the_state_as_projected() -> None:
    s = papermath.compile(LSTMP)
    shapes = dict(s.shapes)
    # the source: c is hidden_size (H), the projection maps H to proj_size, and the state
    # carried to the next step (h_{t-1} in the gates) is the projected one
    assert shapes["c"] == ("H",)
    assert shapes["h_breve"] == ("H",)
    (p,) = shapes["h"]
    assert p not in ("H", "I")
    assert shapes["W_proj_size"] == ("H", p)
    assert shapes["W_hi"] == ("H", p)
    assert shapes["W_ii"] == ("H", "I")
    assert dict(s.kinds)["h"] == "state"
    assert any("projected" in r.reason for r in s.readings)


def test_projection_equals_torch_lstm_with_proj_size() -> None:
    """The generated module against torch.nn.LSTM(proj_size=P): torch's h_t = W_hr (o_t *
    tanh(c_t)) is Paddle's h_t W_proj with W_proj = W_hr^T; gates i, f, g, o in torch's order."""
    torch.manual_seed(0)
    n_in, H, P, T, N = 3, 5, 2, 6, 4
    s = papermath.compile(LSTMP)
    (p,) = dict(s.shapes)["h"]
    ours = s.to_torch({"I": n_in, "H": H, p: P}, dtype=torch.float64)
    ref = torch.nn.LSTM(n_in, H, proj_size=P, dtype=torch.float64)
    w_ih, w_hh = ref.weight_ih_l0.detach(), ref.weight_hh_l0.detach()
    b_ih, b_hh = ref.bias_ih_l0.detach(), ref.bias_hh_l0.detach()
    params = dict(ours.named_parameters())
    with torch.no_grad():
        for k, gate in enumerate("ifgo"):
            rows = slice(k * H, (k + 1) * H)
            params[f"W_i{gate}"].copy_(w_ih[rows])
            params[f"W_h{gate}"].copy_(w_hh[rows])
            params[f"b_i{gate}"].copy_(b_ih[rows])
            params[f"b_h{gate}"].copy_(b_hh[rows])
        params["W_proj_size"].copy_(ref.weight_hr_l0.detach().T)
    x = torch.randn(T, N, n_in, dtype=torch.float64)
    h0 = torch.randn(1, N, P, dtype=torch.float64)
    c0 = torch.randn(1, N, H, dtype=torch.float64)
    want_h, (_, want_c) = ref(x, (h0, c0))
    got = ours(x=x, h=h0[0], c=c0[0])
    torch.testing.assert_close(got["h"], want_h, atol=ATOL, rtol=0)
    torch.testing.assert_close(got["c"][-1], want_c[0], atol=ATOL, rtol=0)


def test_redefinition_without_the_sentence_stays_refused() -> None:
    latex = LSTMP.replace("will be projected\nto `proj_size`", "changes")
    err = refusal(latex)
    assert "defined twice" in err.message
    assert caret(err, latex).startswith("h_{t}")


def test_redefinition_that_is_no_product_of_itself_stays_refused() -> None:
    latex = LSTMP.replace(r"h_{t} = h_{t}W_{proj\_size}", r"h_{t} = c_{t}W_{proj\_size}")
    err = refusal(latex)
    assert "defined twice" in err.message


# ---- sibling-weights ---------------------------------------------------------------------

RNN = r"""
h_t = \tanh(w_{ih} * x_t + b_{ih}  +  w_{hh} * h_{t-1} + b_{hh})

% x_t \in \mathbb{R}^{d}, h_t \in \mathbb{R}^{H}
"""


def test_a_weight_beside_a_forced_sibling_is_a_matrix() -> None:
    # w_ih * x_t takes a d-vector to an H-vector: only a matrix does; w_hh, the same letter
    # before the same operator, is a matrix too (PyTorch 2017: `*` the matrix product)
    s = papermath.compile(RNN)
    assert dict(s.shapes)["w_ih"] == ("H", "d")
    assert dict(s.shapes)["w_hh"] == ("H", "H")
    assert any("sibling-weights" in r.reason for r in s.readings)


def test_the_sibling_rule_equals_torch_rnn_cell() -> None:
    torch.manual_seed(1)
    d, H, T, N = 3, 4, 5, 2
    ours = papermath.compile(RNN).to_torch({"d": d, "H": H}, dtype=torch.float64)
    ref = torch.nn.RNN(d, H, dtype=torch.float64)
    params = dict(ours.named_parameters())
    with torch.no_grad():
        params["w_ih"].copy_(ref.weight_ih_l0.detach())
        params["w_hh"].copy_(ref.weight_hh_l0.detach())
        params["b_ih"].copy_(ref.bias_ih_l0.detach())
        params["b_hh"].copy_(ref.bias_hh_l0.detach())
    x = torch.randn(T, N, d, dtype=torch.float64)
    h0 = torch.randn(1, N, H, dtype=torch.float64)
    want, _ = ref(x, h0)
    torch.testing.assert_close(ours(x=x, h=h0[0])["h"], want, atol=ATOL, rtol=0)


def test_without_a_forced_sibling_the_product_stays_undecided() -> None:
    # nothing fixes x's size apart from h's: w_ih * x_t could be elementwise; refused
    latex = RNN.replace(r"x_t \in \mathbb{R}^{d}, ", "")
    err = refusal(latex)
    assert "cannot decide" in err.message or "no product" in err.message


# ---- braced-step ---------------------------------------------------------------------------


def test_a_step_in_braces_without_its_underscore_is_refused() -> None:
    latex = (
        r"h_{t} = \mathrm{tanh}(W_{ih}x_{t} + b_{ih} + W_{hh}h{t-1} + b_{hh}) \\"
        "\n"
        r"y_{t} = h_{t}"
    )
    err = refusal(latex)
    assert "t-1" in err.message
    assert caret(err, latex) == "h{t-1}"
    assert err.hint is not None and "h_{t-1}" in err.hint


def test_braces_holding_no_step_are_not_this_rule() -> None:
    # t is no subscript anywhere: the braces are a group (a product), as LaTeX writes it
    s = papermath.compile(r"y = a{n+1}")
    assert "y" in dict(s.shapes)


# ---- size-argument (off until the wild cases name their sizes; see prose_args.ENABLED) ----

PYTORCH_RNN = r"""
    .. math::

        h_t = \tanh(w_{ih} * x_t + b_{ih}  +  w_{hh} * h_{(t-1)} + b_{hh})

    Args:
        input_size: The number of expected features in the input x
        hidden_size: The number of features in the hidden state h
"""


def test_an_argument_list_names_the_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prose_args, "ENABLED", True)
    s = papermath.compile(PYTORCH_RNN)
    shapes = dict(s.shapes)
    assert shapes["x"] == ("input_size",)
    assert shapes["h"] == ("hidden_size",)
    assert shapes["w_ih"] == ("hidden_size", "input_size")
    assert shapes["w_hh"] == ("hidden_size", "hidden_size")
    assert any("The number of expected features" in r.reason for r in s.readings)


def test_an_argument_that_names_no_symbol_declares_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prose_args, "ENABLED", True)
    latex = PYTORCH_RNN.replace("in the input x", "in the input").replace(
        "in the hidden state h", "in the hidden state"
    )
    refusal(latex)  # nothing sizes x apart from h: w_ih * x_t is undecided


# ---- italic-name-call ----------------------------------------------------------------------


def test_letters_typed_together_before_a_call_are_refused() -> None:
    latex = r"i_t = lin_x^i(x_t) + lin_h^i(h_{t-1})"
    err = refusal(latex)
    assert "lin" in err.message and "does not guess" in err.message
    assert caret(err, latex) == "lin_x^i(x_t)"
    assert err.hint is not None and r"\mathrm{lin}_x^i" in err.hint


def test_the_hint_reads() -> None:
    # labml's LSTM cell as the hint says to write it: lin a learnable function (labml's code:
    # nn.Linear), the gates pre-activations of the cell's width, x of its own width
    latex = r"""
\begin{align}
c_t &= \sigma(f_t) \odot c_{t-1} + \sigma(i_t) \odot \tanh(g_t) \\
h_t &= \sigma(o_t) \odot \tanh(c_t)
\end{align}
\begin{align}
i_t &= \mathrm{lin}_x^i(x_t) + \mathrm{lin}_h^i(h_{t-1}) \\
f_t &= \mathrm{lin}_x^f(x_t) + \mathrm{lin}_h^f(h_{t-1}) \\
g_t &= \mathrm{lin}_x^g(x_t) + \mathrm{lin}_h^g(h_{t-1}) \\
o_t &= \mathrm{lin}_x^o(x_t) + \mathrm{lin}_h^o(h_{t-1})
\end{align}
"""
    s = papermath.compile(latex)
    shapes, kinds = dict(s.shapes), dict(s.kinds)
    (d_h,) = shapes["c"]
    assert all(shapes[k] == (d_h,) for k in "hifgo")
    assert shapes["x"] != (d_h,)
    assert kinds["c"] == kinds["h"] == "state" and kinds["x"] == "input"


def test_a_function_the_left_side_names_is_not_this_rule() -> None:
    # FFN(x) = ... defines FFN (labml's FFN): the source names the function, so neither the
    # left side nor a call of FFN on a right side is refused as letters typed together
    latex = "FFN(x) = W_2 x \\\\\ny = FFN(z)"
    try:
        papermath.compile(latex)
    except PapermathError as err:
        assert "typed together" not in err.message, err.message


def test_two_letters_before_a_call_stay_a_product() -> None:
    err = refusal(r"y = ab(x)")
    assert "typed together" not in err.message


# ---- prose that names two symbols says no size -------------------------------------------


def test_prose_without_a_size_word_declares_nothing() -> None:
    # labml: "some features of $c$ are cleared with a forget gate $f$" names two symbols, it
    # says no size: c is not declared of size f
    latex = (
        "In the update, some features of $c$ are cleared with a forget gate $f$.\n"
        "$$c_t = f_t \\odot c_{t-1} + x_t$$\n"
    )
    s = papermath.compile(latex)
    assert dict(s.shapes)["c"] != ("f",)
    said = "$h$ has size $n$.\n$$h_t = \\tanh(W h_{t-1} + x_t)$$\n"
    assert dict(papermath.compile(said).shapes)["h"] == ("n",)


# ---- \cdot of two vectors where a vector is due (dot-added-to-a-vector) -------------------


def test_cdot_of_a_state_is_asked_not_a_generic_clash() -> None:
    # a French README's c_t = f_t \cdot c_{t-1} + i_t * g_t: the dot product (a number) does
    # not fit the state; the elementwise product is what LSTMs mean, but \cdot does not say it
    latex = "c_t = f_t \\cdot c_{t-1} + g_t\n% f_t \\in \\mathbb{R}^n, g_t \\in \\mathbb{R}^n"
    err = refusal(latex)
    assert "does not guess" in err.message
    assert caret(err, latex) == "f_t \\cdot c_{t-1}"
    assert err.hint is not None and "f_t \\odot c_{t-1}" in err.hint
    # and the hint reads: with \odot it is the elementwise product of two n-vectors
    fixed = latex.replace("\\cdot", "\\odot")
    assert dict(papermath.compile(fixed).shapes)["c"] == ("n",)


def test_an_argument_of_a_projected_state_declares_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # with proj_size, hidden_size measures h before the projection (c's width), not the
    # projected state h: declared so, h would be read hidden_size wide, which it is not
    monkeypatch.setattr(prose_args, "ENABLED", True)
    latex = LSTMP + (
        "\nArgs:\n    input_size: The number of expected features in the input x\n"
        "    hidden_size: The number of features in the hidden state h\n"
    )
    latex = latex.replace(r"x_t \in \mathbb{R}^{I}, ", "")
    shapes = dict(papermath.compile(latex).shapes)
    assert shapes["x"] == ("input_size",)
    assert shapes["h"] != ("hidden_size",)
    assert shapes["W_proj_size"] == ("H", shapes["h"][0])
