r"""The printed gradient equations of a family of heads (multi-head attention), per head i.

``papermath grad`` prints a family for one head i in the source's symbols (W_i^Q, head_i):
the block of W^O's rows head i meets written with i, the heads side by side
``\mathrm{Concat}_{i=1}^{h}``, and what every head sends a value they share summed over the
heads ``\sum_{i=1}^{h}``. tests/gradeval.py evaluates the printed text with i bound to every
head; stacked, it must equal the generated backward (tests/test_grad_oracle.py does this for
the papers' corpus; here, the variants the corpus does not write).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import papermath
from papermath.ir.tree import NotPrinted
from papermath.report.gradients import derive, render
from test_grad_oracle import assert_equals_backward, differentiated, printed_gradient, run

os.environ.setdefault("PAPERMATH_KERNELS", "off")

# only the values part of each head has its own weights (W^V_i, the label above first): the
# scores softmax(Q K^T) are computed once for every head, so what they get is summed over i
SHARED_SCORES = r"""
\mathrm{MultiHead}(Q, K, V) = \mathrm{Concat}(\mathrm{head}_1, \dots, \mathrm{head}_h) W^O
\mathrm{head}_i = \mathrm{softmax}\left(\frac{Q K^T}{\sqrt{d_k}}\right) V W^V_i
Q, K \in \mathbb{R}^{n \times d_k}, V \in \mathbb{R}^{n \times d_{model}}
W^V_i \in \mathbb{R}^{d_{model} \times d_v}, W^O \in \mathbb{R}^{h d_v \times d_{model}}
"""


def test_a_family_with_shared_scores_evaluates_per_head() -> None:
    """Every parameter and input: the printed equations for head i, at every head, equal the
    generated backward (the inputs' through the sum over the heads)."""
    system = papermath.compile(SHARED_SCORES)
    r = run(system)
    for wrt in [*differentiated(system), "Q", "K", "V"]:
        assert_equals_backward(r, wrt, printed_gradient(r, wrt))


def test_the_printed_heads_are_in_the_sources_symbols() -> None:
    """W^V_i is printed W_i^V, head i's value head_i, its block of W^O's rows with i; the
    header says that i numbers the heads."""
    d = derive(papermath.compile(SHARED_SCORES), "W_V")
    text = render(d)
    assert r"\frac{\partial \mathcal{L}}{\partial W_i^V} = " in text
    assert r"\left[W_O\right]_{\left(i - 1\right) d_v + 1:i d_v}^\top" in text
    assert r"\mathrm{Concat}_{i=1}^{h}\left(head_i\right)" in text
    assert "% for each head i = 1..h" in text


def test_heads_with_the_samples_moved_are_refused() -> None:
    """The source writes its samples (Q is n x d_k); the heads with the samples as columns
    are refused by name, with the layout that prints them as the hint."""
    with pytest.raises(NotPrinted) as e:
        derive(papermath.compile(SHARED_SCORES), "W_O", batch="dim-first")
    assert e.value.hint == "--batch sample-first"


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        (r"\sum_{i=1}^{h} ", ""),  # one head's gradient for the shared scores
        (r"\left(W_i^V\right)^\top", r"\left(W_i^V \odot W_i^V\right)^\top"),
    ],
)
def test_a_wrong_sum_over_the_heads_is_caught(wrong: str, right: str) -> None:
    """Q's gradient through the shared scores: with an edit it differs (or is refused: i
    read where no head is bound)."""
    from gradeval import Unsupported

    r = run(papermath.compile(SHARED_SCORES))
    want = np.asarray(r.grads["Q"])
    texts: list[str] = []

    def edit(text: str) -> str:
        texts.append(text)
        return text.replace(wrong, right)

    try:
        edited = printed_gradient(r, "Q", edit)
    except Unsupported:
        edited = None  # W_i^V outside every head: refused, not passed
    assert any(wrong in t for t in texts)
    assert edited is None or not np.allclose(edited, want, rtol=0, atol=1e-6)
