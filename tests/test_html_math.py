"""Math in an HTML page and the presentation around it (issue 24, brief DISTILL):
``<d-math block>`` as ``$$``, ``<d-math>`` as ``$``, other HTML tags blanked
(parse/html_math.py); ``\\hbox`` as ``\\mbox`` (parse/hbox.py); ``$||$`` named in prose
(parse/bar_mentions.py); ``$$`` never closed (parse/open_math.py); a row break after a comma
(parse/row_breaks.py); and the refusals the Distill pages then stop at: an eigenvalue as a
call (parse/eigenvalues.py), a row sum of entries (read/rules_row_sum.py), a sum over a
subset of the nodes (read/rules_node_subsets.py), the inverse of a
matrix whose sizes are unsaid (read/rules_matrix.py). Every rewrite keeps the text's length,
so each caret points into the text as written: the tests check the text under the caret
against the source itself.

The GAT layer that now reads (uvadlc_gat_layer) is checked against the formula computed by
hand, node by node, with torch's own leaky_relu, softmax and sigmoid, and its gradients
against torch autograd of that loop."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.errors import PapermathError
from papermath.parse import hbox, html_math, row_breaks
from papermath.parse.normalize import normalize
from papermath.source import Span

WILD = Path(__file__).parent / "wild" / "cases"


def latex_of(name: str) -> str:
    return str(tomllib.loads((WILD / f"{name}.toml").read_text())["latex"])


def refusal(text: str) -> tuple[str, str]:
    """The refusal's message and the text under its caret (from the source as written)."""
    with pytest.raises(PapermathError) as info:
        papermath.compile(text)
    span = info.value.span
    assert span is not None and span.end > span.start
    return str(info.value), text[span.start : span.end]


# ---- the rewrite ------------------------------------------------------------------------


def test_d_math_block_is_display_math_and_keeps_every_position() -> None:
    text = '<p>\n  <d-math block>\n    y = W x\n  </d-math>\n<d-cite key="k"></d-cite></p>'
    out = html_math.rewrite(text)
    assert len(out) == len(text)
    assert out.index("$$") == text.index("<d-math block>")
    assert out.rindex("$$") == text.index("</d-math>")
    assert out.count("$") == 4 and "<" not in out and ">" not in out
    assert out.index("y = W x") == text.index("y = W x")  # the math where it was written


def test_inline_d_math_is_inline_math() -> None:
    text = "the square <d-math>L = D - A</d-math> matrix"
    out = html_math.rewrite(text)
    assert out == "the square $       L = D - A$         matrix"


def test_a_comparison_and_a_pair_are_not_tags() -> None:
    for text in ("a < b and c > d", r"\langle x, y \rangle", "y = x_{t<1}", "<i, j> pairs"):
        assert html_math.rewrite(text) == text


def test_tags_keep_what_they_hold() -> None:
    text = '<a href="https://en.wikipedia.org/x">Chebyshev</a> and <h3>Title</h3>'
    out = html_math.rewrite(text)
    assert "Chebyshev" in out and "Title" in out and "href" not in out and "<" not in out
    assert len(out) == len(text)


def test_an_unclosed_or_unopened_d_math_is_blanked() -> None:
    assert html_math.rewrite("x </d-math> y") == "x           y"
    assert "$" not in html_math.rewrite("<d-math block> y = W x")


def test_hbox_is_mbox_in_place() -> None:
    text = r"y = W x + B \quad \hbox{(include $B$ optionally)}"
    assert hbox.rewrite(text) == text.replace(r"\hbox", r"\mbox")
    assert "$" not in normalize(text).text  # the remark, with its own inline math, blanked
    assert hbox.rewrite(r"\hboxed") == r"\hboxed"


def test_bars_named_alone_are_prose() -> None:
    text = "The operator $||$ represents the concatenation"
    assert normalize(text).text == "The operator      represents the concatenation"


# ---- reading a page ---------------------------------------------------------------------


def test_a_distill_page_reads_its_d_math() -> None:
    page = (
        "<p>The layer computes\n  <d-math block>\n    h = \\tanh(W x + b)\n  </d-math>\n"
        '</p>\n<p>where <d-math>x \\in \\mathbb{R}^m</d-math> <d-cite key="a"></d-cite> and\n'
        "  <d-math>h \\in \\mathbb{R}^n</d-math> <b>(the output)</b>.</p>"
    )
    system = papermath.compile(page)
    assert system.shapes["W"] == ("n", "m") and system.shapes["b"] == ("n",)
    assert system.kinds["W"] == "parameter" and system.kinds["x"] == "input"


def test_the_distill_cases_stop_at_their_math_with_carets_in_the_page() -> None:
    # before: "there is no equation to read" (at the first line) or at a `<`; four read now
    # (their shapes and kinds checked against their expectations by tests/test_wild.py, their
    # values by tests/test_s7_GRAPHB.py): the Laplacian's row sums, the Chebyshev filter with
    # the eigenvalue the prose names, the polynomial filter, the readout over every node
    for name in (
        "distill_gnn_graph_laplacian",
        "distill_gnn_chebnet_filter",
        "distill_gnn_polynomial_filter",
        "distill_gnn_pooling_readout",
    ):
        assert papermath.compile(latex_of(name)).shapes
    # the sparse form reads too: D beside A is A's degree matrix (rule inverse degree matrix),
    # so D^{-1}'s sizes are A's (before: refused at D^{-1}, its sizes unsaid)
    system = papermath.compile(latex_of("distill_gnn_gcn_sparse_form"))
    rows, width = system.shapes["h"]
    assert system.shapes["D"] == system.shapes["A"] == (rows, rows)
    assert system.shapes["W"] == system.shapes["B"] == (width, width)
    assert any(r.reading == "inverse degree matrix" for r in system.readings)
    said, under = refusal(latex_of("distill_gnn_node_classification_loss"))
    assert under == r"\text{Lab}(G)" and "neighbours;" in said and "subset" in said
    for name in ("distill_gnn_link_prediction_loss", "distill_gnn_random_walk_loss"):
        said, under = refusal(latex_of(name))
        assert "no equation" not in said and "<" not in under and "d-math" not in under


def test_math_never_closed_is_refused_at_its_opening() -> None:
    text = "The weights are:\n\n$$\n\\alpha = W x\n"
    said, under = refusal(text)
    assert under == "$$" and "never closed" in said
    said, under = refusal(latex_of("uvadlc_attention_pseudo_math"))
    assert under == "$$" and "never closed" in said


def test_a_row_break_after_a_comma_is_refused_at_the_comma() -> None:
    # a comma before a row that goes on with `& +` now reads (rule continued-row: the comma
    # separates nothing), c = a + b + d, values checked; the refusal at the comma stays for a
    # row break the grammar cannot take after a comma (parse/row_breaks.py)
    text = "c &= a \\\\\n  & + b, \\\\\n  & + d\nh &= c"
    system = papermath.compile(text)
    said = [r for r in system.readings if r.reading == "a row continued"]
    assert any("a comma and a row break" in r.reason for r in said)
    a, b, d = np.array([1.0, 2.0]), np.array([10.0, 20.0]), np.array([100.0, 200.0])
    out, _ = system.to_numpy({"d1": 2}).forward({"a": a, "b": b, "d": d}, {})
    np.testing.assert_array_equal(out["c"], a + b + d)
    np.testing.assert_array_equal(out["h"], a + b + d)
    at = text.index("\\\\", text.index(","))
    err = row_breaks.refusal("\\\\", Span(at, at + 2), text)
    assert err is not None and err.span is not None
    assert text[err.span.start : err.span.end] == "," and "comma" in err.message
    # Chainer's TreeLSTM: its rows join; it stops at the elided terms `...`, not a command
    said_, under = refusal(latex_of("chainer_tree_lstm"))
    assert under == "..." and "unknown command" not in said_


def test_the_declaration_the_inverse_hint_asks_for_reads() -> None:
    system = papermath.compile(
        r"h^{(k)} = D^{-1} A \cdot h^{(k - 1)} {W^{(k)}}^T + h^{(k - 1)} {B^{(k)}}^T, "
        r"D \in \mathbb{R}^{n \times n}"
    )
    assert system.shapes["D"] == ("n", "n") and system.shapes["A"] == ("n", "n")


def test_an_eigenvalue_named_without_its_argument_reads() -> None:
    system = papermath.compile(r"M = \frac{2L}{\lambda_{\max}} - I_n")
    assert system.shapes["L"] == ("n", "n") and system.shapes["lambda_max"] == ()


def test_a_break_in_sru_hbox_no_longer_hides_the_display() -> None:
    # the display is found, and the SRU reads (read/rules_gate_weights.py, tests/test_s7_LOSS.py)
    assert papermath.compile(latex_of("trax_sru")).shapes["h"]


# ---- the GAT layer that reads, against torch ----------------------------------------------

SRC = np.array([1, 2, 0, 0, 3, 2, 1])  # j: the edge j -> i
DST = np.array([0, 0, 1, 2, 2, 3, 3])  # i


def test_the_gat_layer_reads_and_computes_the_formula() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(latex_of("uvadlc_gat_layer"))
    assert system.kinds["a"] == "parameter" and system.kinds["h"] == "input"
    d_in, d_msg = 4, 3
    gen = system.to_numpy({"d1": d_msg, "d2": d_in}, "sample-first")
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    h = rng.normal(size=(4, d_in))
    outputs, cache = gen.forward(params, {"h": h, "edges": np.stack([SRC, DST])})

    ht = torch.tensor(h, requires_grad=True)
    wt = torch.tensor(params["W"], requires_grad=True)
    at = torch.tensor(params["a"], requires_grad=True)
    rows = []
    for i in range(4):
        js = [j for j, t in zip(SRC, DST, strict=True) if t == i]
        scores = torch.stack(
            [
                torch.nn.functional.leaky_relu(at @ torch.cat([wt @ ht[i], wt @ ht[j]]))[0]
                for j in js
            ]
        )
        alpha = torch.softmax(scores, dim=0)
        rows.append(torch.sigmoid(sum(alpha[k] * (wt @ ht[j]) for k, j in enumerate(js))))
    want = torch.stack(rows)
    np.testing.assert_allclose(outputs["h_prime"], want.detach().numpy(), rtol=1e-10)

    g = rng.normal(size=want.shape)
    grads = gen.backward(params, cache, {"h_prime": g})
    (want * torch.tensor(g)).sum().backward()
    assert ht.grad is not None and wt.grad is not None and at.grad is not None
    np.testing.assert_allclose(grads["h"], ht.grad.numpy(), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(grads["W"], wt.grad.numpy(), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(grads["a"], at.grad.numpy(), rtol=1e-8, atol=1e-12)
