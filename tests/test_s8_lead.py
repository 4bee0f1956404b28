# ruff: noqa: E501  (the sources are one line each, as typed)
"""Session 6's lead fixes, each against what the source forces (issue 24's "no size is ever
solved to a number the source does not force") or against the source's own reading."""

from __future__ import annotations

import papermath

CHEB_WITH_ROW_BIAS = r"""
S = \sum_{k=0}^{K-1} Z^{(k)} \Theta^{(k)}, Z^{(0)} = X, Z^{(1)} = \hat{L} X, Z^{(k)} = 2 \hat{L} Z^{(k-1)} - Z^{(k-2)}
Y = S + b
X \in \mathbb{R}^{N \times F}, b \in \mathbb{R}^{1 \times G}
"""


def test_a_row_bias_never_pins_the_rows_of_a_value_another_equation_computes() -> None:
    """S's rows come from its own equation (N, from X), found late (a sum over the orders
    of a recursion); `Y = S + b` with b a declared 1 x G row used to make S 1 x G first and
    then "solve" N = 1. The row is added to every row (broadcast), N stays N."""
    system = papermath.compile(CHEB_WITH_ROW_BIAS)
    shapes = dict(system.shapes)
    assert shapes["S"] == ("N", "G"), shapes
    assert shapes["Y"] == ("N", "G") and shapes["X"] == ("N", "F"), shapes
    assert shapes["L_hat"] == ("N", "N"), shapes
    assert not system.solved, system.solved


def test_the_same_sum_without_the_bias_reads_the_same_rows() -> None:
    """The oracle for the fix above: the system without its last equation (nothing to
    broadcast) gives S the rows N by itself."""
    alone = CHEB_WITH_ROW_BIAS.replace("Y = S + b\n", "").replace(
        r", b \in \mathbb{R}^{1 \times G}", ""
    )
    assert dict(papermath.compile(alone).shapes)["S"][0] == "N"


def test_ell_and_l_for_one_layer_index_read_as_one() -> None:
    """The UvA notebook's GraphConv writes its layer l once as \\ell; nothing binds \\ell,
    so it is l (said); the same equation written with l alone reads the same shapes."""
    ell = (
        r"\mathbf{x}_i^{(l+1)} = \mathbf{W}^{(l + 1)}_1 \mathbf{x}_i^{(l)} + "
        r"\mathbf{W}^{(\ell + 1)}_2 \sum_{j \in \mathcal{N}_i} \mathbf{x}_j^{(l)}"
    )
    one = papermath.compile(ell)
    plain = papermath.compile(ell.replace(r"\ell", "l"))
    assert dict(one.shapes) == dict(plain.shapes)
    assert dict(one.kinds) == dict(plain.kinds)
    assert any("script letter l" in r.reason for r in one.readings)


def test_a_greek_rate_before_a_parenthesis_is_a_number_times_it() -> None:
    """optax's `u_t = -\\alpha_t (g_t + \\mu m_t)`: \\alpha_t is a step size (a number), and
    the update is -alpha_t times the sum, as torch.optim.SGD's momentum step computes it;
    read as a learnable function it was another model (an affine map of the sum)."""
    system = papermath.compile(r"u_t = -\alpha_t (g_t + \mu m_t), g_t \in \mathbb{R}^{d}")
    assert "alpha_t" not in system.functions
    assert dict(system.shapes)["alpha_t"] == ()
    assert dict(system.shapes)["u_t"] == ("d",)


def test_a_step_zero_inside_a_script_is_no_zero_block() -> None:
    """`h^{(0)}_i = x_i^{(0)}`: the 0 of x's step is a step, not a zero block padding x; the
    refusal says what is open (x read at step 0), not "zeros before or between"."""
    import pytest

    with pytest.raises(papermath.ReadingError) as info:
        papermath.compile(r"h^{(0)}_i = x_i^{(0)}, h^{(l+1)}_i = \sigma(W h^{(l)}_i)")
    assert "step 0 as well" in info.value.message
    assert "zeros" not in info.value.message.split(":")[0]
