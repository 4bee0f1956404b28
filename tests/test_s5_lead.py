"""Integration of session 5 (lead): pieces the prose names as the function's arguments are
inputs (read/rules_argument_words.py), checked against the documented function written by
hand; without the words, nothing changes."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

import papermath
from conftest import ROOT

WILD = ROOT / "tests" / "wild" / "cases"


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def test_chainer_lstm_pieces_of_the_input_are_inputs_and_compute_chainers_lstm() -> None:
    case = tomllib.loads((WILD / "chainer_lstm_activation.toml").read_text())
    system = papermath.compile(case["latex"])
    assert {system.kinds[k] for k in ("a", "i", "f", "o", "c_prev")} == {"input"}
    n = system.shapes["c"][0]
    gen = system.to_numpy({n: 3}, "sample-first")
    rng = np.random.default_rng(0)
    x = {k: rng.normal(size=(4, 3)) for k in ("a", "i", "f", "o", "c_prev")}
    out, _ = gen.forward(gen.init_params(rng), x, {})
    # chainer.functions.lstm, as its docstring writes it
    c = np.tanh(x["a"]) * _sigmoid(x["i"]) + x["c_prev"] * _sigmoid(x["f"])
    assert np.allclose(out["c"], c) and np.allclose(out["h"], np.tanh(c) * _sigmoid(x["o"]))


def test_without_the_words_the_pieces_keep_their_default() -> None:
    source = "c = \\tanh(a) \\odot \\sigma(i) + d \\odot \\sigma(f)\n"
    system = papermath.compile(source)
    assert system.kinds["a"] == "parameter"
    said = "The input array ``x`` is split into two arrays :math:`a, i`.\n\n    " + source
    system = papermath.compile(said)
    assert system.kinds["a"] == system.kinds["i"] == "input" and system.kinds["f"] == "parameter"


def test_a_node_index_a_sum_binds_is_never_part_of_a_label() -> None:
    """``\\sum_u A_{vu} h_u``: A_{vu} is the entry of A at (v, u), not a matrix labelled "vu"
    (it used to read as a learned d1 x d2 matrix, silently): refused at the subscript."""
    text = "z_v = \\sum_u A_{vu} h_u\n"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(text)
    err = info.value
    assert err.span is not None and text[err.span.start : err.span.end] == "A_{vu}"
    assert "two indices" in err.message and err.hint


def test_an_entry_beside_a_vector_declared_whole_is_not_a_symbol_of_its_own() -> None:
    """``y_i = (u_i - v_i)^2`` beside ``u \\in R^d``: u_i is u's entry i or a symbol of its own;
    it used to read as a learned vector u_i beside an unused u. Refused at u_i, the hint
    naming the vector form; without the declaration the doubt was already raised."""
    text = "y_i = (u_i - v_i)^2\nu \\in \\mathbb{R}^{d}\n"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(text)
    err = info.value
    assert err.span is not None and text[err.span.start : err.span.end] == "u_i"
    assert err.hint is not None and "declared whole" in err.hint
