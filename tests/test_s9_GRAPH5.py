r"""The fifth batch's graph notes (issue 24, brief GRAPH5): cs224w's node classification loss
and graph attention.

- ``\sum_{v\in V} y_v \log(...) + (1-y_v)\log(...)``: the sum runs over both terms
  (read/rules_sum_scope.py); ``$$y_v \in \{0, 1\}$$ is the node class label``: y a scalar per
  node, the target (read/rules_number_sets.py); "if the label is positive ($$y_v=1$$)" names a
  case, not a constant (read/rules_constant_words.py).
- ``W_kh_u^{k-1}``: W_k times h_u^{k-1} as LaTeX typesets it (read/rules_script_runon.py);
  ``\sum_{k\in N(v)}`` beside the layer k: the sum's own letter (read/rules_sum_shadow.py);
  "the attention coefficients $$e_{vu}$$": one number per pair (parse/coefficient_words.py),
  so an unnamed mechanism a(.) computing it is refused at the call.

Oracles: the loss by hand in NumPy (a loop over the nodes), torch autograd of the same hand
formula for the gradient, finite differences (``papermath check``); the graph attention by a
hand loop over the edges.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.check import check
from papermath.errors import PapermathError

os.environ.setdefault("PAPERMATH_KERNELS", "off")

BATCH5 = Path(__file__).parent / "wild" / "cases"


def _latex(name: str) -> str:
    return str(tomllib.loads((BATCH5 / f"{name}.toml").read_text())["latex"])


def _sig(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


# ---- cs224w's node classification loss ------------------------------------------------------
def test_node_loss_reads_the_sum_over_both_terms() -> None:
    system = papermath.compile(_latex("cs224w_node_classification_loss"))
    d = system.shapes["z"][0]
    assert system.shapes["L"] == () and system.shapes["y"] == ()
    assert system.shapes["theta"] == (d,)
    assert system.kinds["y"] == "target" and system.kinds["theta"] == "parameter"
    said = {r.reading for r in system.readings}
    assert "a sum over every term that uses its index" in said
    assert "one number from a set" in said


def test_node_loss_code_against_the_formula_by_hand_and_torch() -> None:
    system = papermath.compile(_latex("cs224w_node_classification_loss"))
    d = system.shapes["z"][0]
    gen = system.to_numpy({d: 4})
    rng = np.random.default_rng(3)
    p = gen.init_params(rng)
    z = rng.normal(size=(6, 4))
    y = rng.integers(0, 2, size=6).astype(float)
    out, _ = gen.forward(p, {"z": z, "y": y})
    want = 0.0
    for v in range(6):  # the source's sum, node by node, both terms inside it
        s = _sig(z[v] @ p["theta"])
        want += y[v] * np.log(s) + (1 - y[v]) * np.log(1 - s)
    np.testing.assert_allclose(np.ravel(out["L"]), [want], rtol=1e-12)
    # the gradient with respect to theta: generated backward against torch autograd
    theta = torch.tensor(p["theta"], requires_grad=True)
    zt, yt = torch.tensor(z), torch.tensor(y)
    st = torch.sigmoid(zt @ theta)
    (yt * torch.log(st) + (1 - yt) * torch.log(1 - st)).sum().backward()
    assert theta.grad is not None
    out, cache = gen.forward(p, {"z": z, "y": y})
    grads = gen.backward(p, cache, {"L": np.ones_like(out["L"])})
    np.testing.assert_allclose(grads["theta"], theta.grad.numpy(), rtol=1e-10)


def test_node_loss_backward_checks() -> None:
    system = papermath.compile(_latex("cs224w_node_classification_loss"))
    results = check(system, {system.shapes["z"][0]: 3}, seed=2)
    assert results and all(r.ok for r in results), results


def test_node_loss_every_stage_runs(tmp_path: Path) -> None:
    from papermath.cli import main

    src = BATCH5 / "cs224w_node_classification_loss.toml"
    for args in (
        ["explain", str(src)],
        ["diagram", str(src), "-o", str(tmp_path / "d.dot")],
        ["grad", "--wrt", "theta", str(src)],
        ["code", "--dims", "d1=3", str(src)],
        ["code", "--target", "torch", "--dims", "d1=3", str(src)],
        ["report", str(src), "-o", str(tmp_path / "r.html")],
    ):
        assert main(args) == 0, args


@pytest.mark.parametrize(
    ("latex", "words", "at"),
    [
        # a later term without the sum's letter: not extended, the free y_v refused as before
        (r"L = \sum_{v \in V} y_v \log(z_v^T\theta) + c + (1 - y_v)", "not indexed by v", "y_v"),
        # a later term that writes no symbol of the body with v: not extended
        (r"L = \sum_{v \in V} z_v^T \theta + y_v", "not indexed by v", "y_v"),
        # after a minus sign: whether the sign covers the later term is not said
        (r"L = -\sum_{v \in V} y_v z_v^T\theta + (1 - y_v) z_v^T\theta", "not indexed", "y_v"),
    ],
)
def test_sum_scope_is_not_extended_where_the_source_does_not_say(
    latex: str, words: str, at: str
) -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(latex)
    assert words in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span).startswith(at)


def test_sum_scope_extends_over_every_later_term() -> None:
    # \sum_i a_i x_i + a_i: the sum over i of both (a hand sum as the oracle)
    system = papermath.compile(r"y = \sum_{v \in V} a_v^T x_v + a_v^T w, x_v \in \mathbb{R}^{3}")
    gen = system.to_numpy({})
    rng = np.random.default_rng(0)
    p = gen.init_params(rng)
    a, x = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    out, _ = gen.forward(p, {"a": a, "x": x})
    want = sum(a[v] @ x[v] + a[v] @ p["w"] for v in range(5))
    np.testing.assert_allclose(np.ravel(out["y"]), [want], rtol=1e-12)


def test_a_number_set_declares_only_subscripted_symbols() -> None:
    # a letter alone in a set of numbers is an index's range (steps), not a scalar value
    loss = "$$L = \\sum_{v \\in V} y_v \\log(\\sigma(z_v^T w))$$\n\n"
    system = papermath.compile(loss + "$$y_v \\in \\{-1, 1\\}$$")
    assert system.shapes["y"] == () and system.kinds["y"] != "target"  # no word "label"
    # a set with dots is a range of indices: not this rule's (y keeps its default, a vector)
    system = papermath.compile(loss + "$$y_v \\in \\{1, \\dots, K\\}$$")
    assert system.shapes["y"] != ()


# ---- cs224w's graph attention ---------------------------------------------------------------
def test_gat_reads_the_unnamed_mechanism_as_an_affine_map_to_one_number() -> None:
    """Session 10 (ENTRIES, shapes/rules_edge_score.py): a, defined nowhere, gives the number
    per edge the words call a coefficient: the learnable function's default affine map, to one
    number (tests/test_s10_ENTRIES.py checks its code against a hand loop)."""
    system = papermath.compile(_latex("cs224w_gat"))
    assert system.shapes["e"] == () and system.shapes["alpha"] == ()
    assert system.functions["a"][1] == "1"


GAT = (
    r"h_v^k = \sigma(\sum_{u\in N(v)} \alpha_{vu} W_kh^{k-1}_u), "
    r"\alpha_{vu} = \frac{\exp(e_{vu})}{\sum_{k\in N(v)}\exp(e_{vk})}, "
    r"e_{vu} = w^T [W_kh_u^{k-1} \| W_kh_v^{k-1}]"
)


def test_gat_with_a_written_mechanism_against_a_hand_loop() -> None:
    system = papermath.compile(GAT)
    d = system.shapes["h"][0]
    assert system.shapes["W"] == (d, d) and system.shapes["w"] == (f"2*{d}",)
    assert system.shapes["e"] == () and system.shapes["alpha"] == ()
    said = {r.reading for r in system.readings}
    assert "subscript run into the next symbol" in said
    assert "summed index k, apart from the step k" in said
    gen = system.to_numpy({d: 3, "K": 2})  # W is one per layer k (K of them)
    rng = np.random.default_rng(5)
    p = gen.init_params(rng)
    edges = np.array([[0, 1], [1, 0], [2, 0], [1, 2], [0, 2]])  # (source u, target v)
    h = rng.normal(size=(3, 3))
    inputs = {"edges": edges.T.copy()}
    out, _ = gen.forward(p, inputs, {"h": h})
    w = p["w"]
    hs = h
    steps = np.asarray(out["h"])
    assert steps.shape[0] == 2
    for k in range(steps.shape[0]):
        wk = p["W"][k]  # the layer k, by hand: a softmax over each v's neighbours
        new = np.zeros_like(hs)
        for v in range(3):
            nbrs = [int(u) for u, t in edges if t == v]
            e = np.array([w @ np.concatenate([wk @ hs[u], wk @ hs[v]]) for u in nbrs])
            a = np.exp(e) / np.exp(e).sum()
            new[v] = _sig(sum(a[i] * (wk @ hs[u]) for i, u in enumerate(nbrs)))
        hs = new
        np.testing.assert_allclose(steps[k], hs, rtol=1e-10, atol=1e-12)


def test_gat_with_a_written_mechanism_backward_checks() -> None:
    system = papermath.compile(GAT)
    results = check(system, {system.shapes["h"][0]: 3, "K": 2}, seed=4)
    assert results and all(r.ok for r in results), results


def test_coefficient_words_need_a_pair() -> None:
    # "the coefficients $w$" (a polynomial's): a vector of them, not declared a scalar
    system = papermath.compile("The coefficients $w$ of the polynomial.\n\n$$y = w^T x$$")
    assert len(system.shapes["w"]) == 1


# ---- refusals moved to the construct, and two presentation slips -----------------------------
@pytest.mark.parametrize(
    ("name", "words", "at"),
    [
        # AGG = ... names a value with no arguments: its call stays refused, at the call
        ("cs224w_graphsage_pool", "with no arguments", "AGG(\\{h_u^{k-1}"),
        # (x1, x2) = x: a split whose widths the docstring does not say
        ("cogdl_additive_coupling", "a tuple on the left side", "(x1, x2)"),
        # the partition function: a sum over every tag sequence y', past the swapped closers
        ("pytorch_tutorial_crf_probability", "what this sum ranges over", "y'"),
    ],
)
def test_batch5_refusals_at_the_construct(name: str, words: str, at: str) -> None:
    with pytest.raises(PapermathError) as err:
        papermath.compile(_latex(name))
    assert words in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span).startswith(at)


def test_swapped_closers_read_as_the_brace_around_the_parenthesis() -> None:
    system = papermath.compile(r"y = \exp{(a^\top x}), x \in \mathbb{R}^{3}")
    assert "closers swapped back" in {r.reading for r in system.readings}
    gen = system.to_numpy({})
    rng = np.random.default_rng(1)
    p = gen.init_params(rng)
    x = rng.normal(size=(4, 3))
    out, _ = gen.forward(p, {"x": x})
    np.testing.assert_allclose(np.ravel(out["y"]), np.exp(x @ p["a"]), rtol=1e-12)
    # any other mismatch stays refused where it stands
    with pytest.raises(PapermathError, match="does not match"):
        papermath.compile(r"y = \exp{(a^\top x)), x \in \mathbb{R}^{3}")


def test_conditional_left_side_on_the_directive_line() -> None:
    system = papermath.compile(
        ".. math::  P(y|x) = \\exp(a^\\top b)\n\n"
        "with :math:`a \\in \\mathbb{R}^{d}` and :math:`b \\in \\mathbb{R}^{d}`."
    )
    assert system.shapes["P"] == ()
    said = {r.reading for r in system.readings}
    assert any("conditional probability as a function" in r for r in said)


def test_a_run_on_subscript_splits_only_before_a_second_subscript() -> None:
    # W_ij^2 in plain text is W_{ij} squared: no second subscript, not split
    # (read as before: W's entries ij, which papermath refuses, not W_i times j^2)
    with pytest.raises(PapermathError, match=r"entries with two indices \(ij\)"):
        papermath.compile(r"L = \sum_{i=1}^{n} \sum_{j=1}^{m} W_ij^2")
    # W_kh^{k-1}_u: a subscript after h's superscript, W_{kh} would carry two: split
    system = papermath.compile(r"y_v = \sum_{u \in N(v)} W_kh^{2}_u, h_u \in \mathbb{R}^{3}")
    assert "subscript run into the next symbol" in {r.reading for r in system.readings}
    assert system.shapes["W_k"][1] == "3"


def test_one_outcome_against_a_softmax_without_its_index() -> None:
    # the case's own text: the left side one number, the right side a vector over the words
    with pytest.raises(PapermathError) as err:
        papermath.compile(_latex("pytorch_tutorial_cbow_missing_index"))
    assert "one outcome" in err.value.message and "Softmax" in err.value.message
    assert err.value.source is not None and err.value.span is not None
    assert err.value.source.snippet(err.value.span).startswith(r"\text{Softmax}(A(")
    # with the outcome's entry written, this refusal does not apply (the bar is refused as before)
    with pytest.raises(PapermathError, match="conditional probability"):
        papermath.compile(r"-\log p(w_i | C) = -\log \text{Softmax}(A x + b)_{w_i}")
