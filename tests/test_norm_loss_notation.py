r"""Normalisation layers and losses as libraries and blogs write them (issue 24, cluster RS).

- ``statistic-over-axis`` (read/rules_axis_stats.py): ``\underset{C}{\mathbb{E}}[x]`` over a
  vector declared in R^C reads as the mean over its entries; oracle: torch's own layer_norm.
  A 2-axis array (labml's X \in R^{B \times C}), an undeclared x and an axis x does not have
  are refused at the statistic.
- ``chain-sum-then-entry`` (parse/chain_levels.py): ``loss = \frac{1}{n}\sum_i z_i = <a formula
  of x_i>`` refused at the sum (the Jianshu copy of SmoothL1Loss); the hint's own rewrite reads
  and equals torch's smooth_l1_loss.
- ``multi-index-tuple`` (parse/index_tuples.py) and the sum under two conditions
  (parse/unexpected.py): refusals with the caret on the construct and a hint that reads.
- prose sizes (parse/prose.py): "$B$ is the batch size and $C$ is ..." declares no B in R^C.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import papermath
from papermath.check import check
from papermath.errors import PapermathError, ParseError, ReadingError
from papermath.parse import parse
from papermath.parse.normalize import normalize
from papermath.parse.prose import ProseDeclaration, read_prose

LAYER_NORM = (
    "x \\in \\mathbb{R}^{C}\n"
    "y = \\frac{x - \\underset{C}{\\mathbb{E}}[x]}{\\sqrt{\\underset{C}{Var}[x] + \\epsilon}}\n"
)


def caret(source: str, err: PapermathError) -> str:
    assert err.span is not None
    return source[err.span.start : err.span.end]


# ---- statistic-over-axis ---------------------------------------------------------------------


def test_axis_under_the_mean_reads_as_torch_layer_norm() -> None:
    system = papermath.compile(LAYER_NORM)
    assert system.shapes["x"] == ("C",) and system.shapes["y"] == ("C",)
    assert system.kinds["x"] == "input" and system.kinds["epsilon"] == "constant"
    said = [r for r in system.readings if r.reading == "statistic over the axis written under it"]
    assert len(said) == 2 and "C" in said[0].reason
    rng = np.random.default_rng(1)
    x = rng.normal(scale=3.0, size=(5, 6))
    out, _ = system.to_numpy({"C": 6}).forward({}, {"x": x, "epsilon": 1e-5})
    want = F.layer_norm(torch.tensor(x, dtype=torch.float64), (6,), eps=1e-5).numpy()
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)


def test_affine_layer_norm_over_an_axis_equals_torch_and_checks() -> None:
    source = LAYER_NORM.replace("}}\n", "}} \\odot \\gamma + \\beta\n") + (
        "\\gamma \\in \\mathbb{R}^{C}, \\beta \\in \\mathbb{R}^{C}\n"
    )
    system = papermath.compile(source)
    assert system.kinds["gamma"] == system.kinds["beta"] == "parameter"
    rng = np.random.default_rng(4)
    x, gamma, beta = rng.normal(size=(3, 6)), rng.normal(size=6), rng.normal(size=6)
    module = system.to_numpy({"C": 6})
    out, _ = module.forward({"gamma": gamma, "beta": beta}, {"x": x, "epsilon": 1e-5})
    t = [torch.tensor(v, dtype=torch.float64) for v in (x, gamma, beta)]
    want = F.layer_norm(t[0], (6,), weight=t[1], bias=t[2], eps=1e-5).numpy()
    np.testing.assert_allclose(out["y"], want, atol=1e-12, rtol=0)
    results = check(system, seed=3)  # the generated backward: finite differences and autograd
    assert results and all(r.ok for r in results), results


@pytest.mark.parametrize(
    ("source", "words"),
    [
        # (labml's layer norm, X a batch of embeddings with the mean over C of each row, reads:
        # read/rules_axis_stats.py, against torch.nn.LayerNorm in tests/test_s7_NORM.py)
        # x declared nowhere: its axes are unknown
        (
            "y = \\frac{x - \\underset{C}{\\mathbb{E}}[x]}{\\sqrt{\\underset{C}{Var}[x] + "
            "\\epsilon}}\n",
            ("declares x nowhere",),
        ),
        # an axis x does not have
        (
            "x \\in \\mathbb{R}^{D}\n"
            "y = \\frac{x - \\underset{C}{\\mathbb{E}}[x]}{\\sqrt{\\underset{C}{Var}[x] + "
            "\\epsilon}}\n",
            ("not one of the axes", "D"),
        ),
    ],
)
def test_axis_statistic_refusals(source: str, words: tuple[str, ...]) -> None:
    with pytest.raises(ReadingError) as info:
        papermath.compile(source)
    err = info.value
    assert caret(source, err).startswith("\\underset{C}{\\mathbb{E}}[")
    for word in words:
        assert word in err.message
    assert err.hint


def test_axis_statistic_hint_for_a_batch_reads() -> None:
    """The refusal of a B x C batch says to write one example's vector: that reads."""
    system = papermath.compile(
        "x \\in \\mathbb{R}^{C}\n"
        "y = \\frac{x - \\mathrm{E}[x]}{\\sqrt{\\mathrm{Var}[x] + \\epsilon}}\n"
    )
    assert system.shapes["y"] == ("C",)


# ---- chain-sum-then-entry --------------------------------------------------------------------

JIANSHU_SMOOTH_L1 = (
    "$$\\text{loss}(x, y) = \\frac{1}{n} \\sum_{i} z_{i}= \\begin{cases} 0.5 (x_i - y_i)^2, & "
    "\\text{if } |x_i - y_i| < 1 \\\\ |x_i - y_i| - 0.5, & \\text{otherwise } \\\\ "
    "\\end{cases}$$\n"
)


@pytest.mark.parametrize(
    ("source", "summed", "entry"),
    [
        (JIANSHU_SMOOTH_L1, "\\frac{1}{n} \\sum_{i} z_{i}", "x_i"),
        ("L = \\sum_{k} e_{k} = |x_k - y_k|\n", "\\sum_{k} e_{k}", "x_k"),
    ],
)
def test_sum_equated_with_an_entry_is_refused(source: str, summed: str, entry: str) -> None:
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert caret(source, err) == summed
    assert entry in err.message and "cannot be equal" in err.message
    assert err.hint and "= ..." in err.hint


@pytest.mark.parametrize(
    "source",
    [
        "L = \\sum_{i} l_{i} = \\sum_{i} (x_i - y_i)^2\n",  # both sides sum over i
        "h_i = \\sum_{j} a_{j} x_{j} = b_i\n",  # i free on the left: per i on every side
        "L = \\sum_{i} a_{i} = \\max_{i} b_{i}\n",  # \\max_i binds its own i
    ],
)
def test_chains_that_keep_the_level_parse(source: str) -> None:
    parse(source)


def test_the_hints_rewrite_equals_torch_smooth_l1() -> None:
    source = (
        "$$z = \\begin{cases} 0.5 (x - y)^2, & \\text{if } |x - y| < 1 \\\\ |x - y| - 0.5, & "
        "\\text{otherwise } \\end{cases}$$\n"
        "$$\\text{loss} = \\frac{1}{n} \\sum_{i=1}^{n} z_{i}$$\n"
        "$$x \\in \\mathbb{R}^{n}, y \\in \\mathbb{R}^{n}$$\n% inputs: x, y\n"
    )
    system = papermath.compile(source)
    assert system.shapes["loss"] == () and system.shapes["x"] == ("n",)
    rng = np.random.default_rng(2)
    x, y = rng.normal(scale=2.0, size=(2, 4, 9))
    out, _ = system.to_numpy({"n": 9}).forward({}, {"x": x, "y": y})
    tx, ty = torch.tensor(x), torch.tensor(y)
    want = F.smooth_l1_loss(tx, ty, reduction="none", beta=1.0).mean(dim=-1).numpy()
    np.testing.assert_allclose(out["loss"], want, atol=1e-12, rtol=0)


# ---- refusals with the caret on the construct ------------------------------------------------


def test_multi_index_tuple_is_refused_as_one() -> None:
    source = "$\\hat{x}_i = x_i$ where\n$i = (i_N, i_C, i_H, i_W)$ is a 4-d vector for indexing\n"
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    err = info.value
    assert caret(source, err) == "i = (i_N,"
    assert "multi-index" in err.message
    # the hint's formula reads
    system = papermath.compile("x \\in \\mathbb{R}^{C}\n\\mu = \\frac{1}{C} \\sum_{c=1}^{C} x_c\n")
    assert system.shapes["mu"] == ()


def test_an_optimiser_state_tuple_keeps_its_refusal() -> None:
    with pytest.raises(PapermathError) as info:
        papermath.compile("S_t = (m_t, v_t)\n")
    assert "multi-index" not in info.value.message


def test_sum_skipping_a_bare_label_is_refused_at_the_label() -> None:
    # a range and the index it skips read (operators.sum-exclusion, tests/test_s9_MISC.py),
    # where the value skipped is a label per example (y_i); a bare y would make x_y a label
    source = "L = \\frac{1}{N} \\sum_{i=0, i \\neq y}^{n} x_i\n"
    with pytest.raises(PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert caret(source, err) == "y"
    assert "label per example" in err.message and err.hint
    source = "L = \\frac{1}{N} \\sum_{i=0, j=1}^{n} x_i\n"  # two conditions, no exclusion
    with pytest.raises(ParseError) as info:
        papermath.compile(source)
    assert caret(source, info.value) == "=" and "two conditions" in info.value.message


# (cases on a label's value, y_n = 1 / y_n = -1, now read: rule cases-label,
# tests/test_s8_loss2.py against torch's HingeEmbeddingLoss)


# ---- sizes said in prose ---------------------------------------------------------------------


def test_and_between_two_subjects_declares_no_size() -> None:
    text = "where $B$ is the batch size and $C$ is the number of features.\n"
    _, said = read_prose(normalize(text))
    assert not [s for s in said if isinstance(s, ProseDeclaration)]
    # a size said of one symbol still is, "and" inside the words included
    for text in ("where $h$ has size $n$.\n$y = h$\n", "$h$ is the state and has size $n$\n"):
        _, said = read_prose(normalize(text))
        assert [s for s in said if isinstance(s, ProseDeclaration)], text
