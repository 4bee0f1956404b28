"""A size the source leaves free while it declares others is answered in words: which
symbols carry it, that papermath names it and does not guess, and the declaration that
would give it (the blogger's one line: the cell's size is not tied to h's n)."""

from __future__ import annotations

import tomllib

from conftest import ROOT
from papermath import compile
from papermath.explain import explain
from papermath.source import Source

BLOG = ROOT.parent / "shared" / "corpus" / "seed_lstm_blog_one_line.toml"


def blog_text() -> str:
    return tomllib.loads(BLOG.read_text())["latex"]


def free_answers(text: str) -> list[str]:
    ex = explain(compile(Source(text, "blog")))
    return [a.sentence for a in ex.answers if a.topic == "free size"]


def test_the_blog_cells_free_size_is_answered() -> None:
    (sentence,) = free_answers(blog_text())
    assert sentence.startswith("d1, the size of $C$, $f$, $i$, $b_{c}$")
    assert "a side of $W_{xc}$, $W_{hc}$" in sentence
    assert "declared size ($m$, $n$)" in sentence
    assert "C_t \\in \\mathbb{R}^{n}$ if $C$ has as many entries as $h$" in sentence


def test_declaring_the_cell_removes_the_free_size() -> None:
    text = blog_text() + "C_t in R^n\n"
    assert free_answers(text) == []
    system = compile(Source(text, "blog"))
    assert system.shapes["C"] == ("n",) and system.shapes["W_hc"] == ("n", "n")


def test_no_answer_where_every_size_is_free() -> None:
    """Nothing declared: every size free is the expected state, not a question."""
    assert free_answers("h_t = \\tanh(W h_{t-1} + U x_t)") == []
