r"""Sizes and ranks said in plain prose (issue 24, brief PROSE6; parse/prose_sizes.py, rule
``prose-sizes``), and the products the prose decides or leaves open (shapes/rules_vector_said.py,
read/rules_matrix_prose.py).

Oracles: the sources' own words (AI-For-Beginners' perceptron: "the input vector would be a
vector of size N", so x has N entries and w^T x is one number; a Lazy Programmer course note:
"z is vector of size M ... W is a matrix of size DxM"), and a hand-written NumPy perceptron
run on the generated module's own random weights and inputs.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

import papermath
from papermath.backends.data import random_inputs
from papermath.errors import PapermathError
from papermath.parse import prose_sizes

os.environ.setdefault("PAPERMATH_KERNELS", "off")

CASES = Path(__file__).parent / "wild" / "cases"


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def _refusal(latex: str) -> PapermathError:
    with pytest.raises(PapermathError) as info:
        papermath.compile(latex)
    return info.value


PERCEPTRON = (
    "Suppose we have N features, in which case the input vector would be a vector of size N. "
    "For each input vector x the output is computed using the formula:\n\n"
    "y(x) = f(w^T x)\n\nwhere f is a step activation function\n"
)


def test_the_perceptron_case_reads_as_its_prose_says() -> None:
    system = papermath.compile(_latex("aifb_perceptron_model"))
    # "the input vector would be a vector of size N" + "each input vector x": x has N entries
    assert system.shapes["x"] == ("N",)
    assert system.shapes["w"] == ("N",)  # w^T x with x of N: a dot product
    assert system.shapes["y"] == ()  # "either +1 or -1": one number
    assert system.kinds["x"] == "input"


def test_the_reading_quotes_the_words() -> None:
    from papermath.parse import parse

    decls = [s for s in parse(PERCEPTRON) if getattr(s, "said", "")]
    assert len(decls) == 1
    said = decls[0].said  # type: ignore[attr-defined]
    assert "the input vector would be a vector of size N" in said
    assert "input vector x" in said


def test_perceptron_forward_against_numpy_by_hand() -> None:
    system = papermath.compile(PERCEPTRON + "% papermath: f is tanh\n")
    dims = {"N": 5}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    inputs, state = random_inputs(system.program(dims), rng, "sample-first", T=1)
    outputs, _ = gen.forward(params, inputs, state)
    x = np.asarray(inputs["x"]).reshape(-1, 5)[0]
    w = np.asarray(params["w"])
    want = np.tanh(sum(w[j] * x[j] for j in range(5)))  # the dot product, written out
    got = np.asarray(outputs["y"]).reshape(-1)[0]
    assert np.isclose(got, want)


def test_a_course_note_lists_every_size_in_one_sentence() -> None:
    # a course note's "z is vector of size M ... W is a matrix of size DxM" (no article)
    system = papermath.compile(
        "z = \\sigma(W^T x + b)\n\nwhere z is vector of size M, x is a vector of size D, "
        "W is a matrix of size DxM and b is a vector of size M.\n"
    )
    assert system.shapes["W"] == ("D", "M")
    assert system.shapes["x"] == ("D",)
    assert system.shapes["b"] == ("M",) and system.shapes["z"] == ("M",)


def test_a_matrix_said_in_plain_prose_decides_wx() -> None:
    system = papermath.compile(
        "f(x) = wx + b\n\nwhere w is the weight matrix and x is the input vector of size N.\n"
    )
    assert len(system.shapes["w"]) == 2 and system.shapes["w"][1] == "N"
    assert system.shapes["f"] == (system.shapes["w"][0],)


def test_a_weight_vector_before_a_vector_is_refused_by_name() -> None:
    err = _refusal(
        "f(x) = wx + b\n\nwhere w is the weights vector and x is the input vector of size N.\n"
    )
    assert "the prose calls w a vector" in err.message and "dot product" in err.message
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span) == "wx"


def test_two_sizes_for_one_symbol_are_refused() -> None:
    err = _refusal(
        "y = W x\n\nwhere x is a vector of size N and W is a matrix of size M x N.\n"
        "Here x is a vector of size K.\n"
    )
    assert "two things of x" in err.message


def test_a_sum_over_points_chosen_in_words_is_refused_by_name() -> None:
    err = _refusal(_latex("aifb_perceptron_criterion"))
    assert "which terms the sum takes" in err.message
    assert err.source is not None and err.span is not None
    assert err.source.snippet(err.span).startswith("the sum is taken on those training")


@pytest.mark.parametrize(
    ("line", "sym", "rank", "sizes"),
    [
        ("x is a vector of size N", "x", 1, ("N",)),
        ("W is a matrix of size N x M", "W", 2, ("N", "M")),
        ("V is a Matrix of size n x k", "V", 2, ("n", "k")),
        ("x is a a column vector of size Dx1", None, None, None),  # "a a": not the grammar
        ("we need to find a weights vector w that classifies", "w", 1, None),
        ("where w is the weight vector and x is the feature vector", "w", 1, None),
        ("a vector of size N x M", None, None, None),  # no symbol
    ],
)
def test_the_grammar(line: str, sym: str | None, rank: int | None, sizes: object) -> None:
    found = prose_sizes.scan(line)
    if sym is None:
        assert not found or all(s.sym != "x" or s.sizes is None for s in found)
        return
    first = found[0]
    assert (first.sym, first.rank, first.sizes) == (sym, rank, sizes)


def test_a_vector_of_two_sizes_is_not_read() -> None:
    # "a vector of size N x M" is no one reading of a vector: nothing declared
    assert all(s.sizes is None for s in prose_sizes.scan("x is a vector of size N x M"))


def test_the_sklearn_softmax_has_one_entry_per_class() -> None:
    # "z_i represents the i th element of the input to softmax, which corresponds to class i,
    # and K is the number of classes": z has K entries; the sum over z's entries runs to K
    system = papermath.compile(_latex("sklearn_mlp_softmax"))
    assert system.shapes["z"] == ("K",)
    gen = system.to_numpy({"K": 4})
    z = np.random.default_rng(1).normal(size=(2, 4))  # two samples, K = 4 entries each
    out, _ = gen.forward({}, {"z": z})
    want = np.exp(z) / sum(np.exp(z[:, [j]]) for j in range(4))  # the formula, by hand
    assert np.allclose(np.asarray(out["softmax"]), want)


def test_no_count_of_the_classes_no_declaration() -> None:
    text = (
        "s_i = \\frac{\\exp(z_i)}{\\sum_{l=1}^k \\exp(z_l)}\n\nwhere $z_i$ represents the $i$ "
        "th element of the input, which corresponds to class $i$.\n"
    )
    from papermath.parse import parse

    assert prose_sizes.entry_declarations(text, parse(text)) == []
    # two letters both said "the number of classes": which one, the prose does not say
    two = text + "Here $K$ is the number of classes and $C$ is the number of classes.\n"
    assert prose_sizes.entry_declarations(two, parse(text)) == []


def test_the_perceptron_descent_prose_is_read_and_eta_is_a_number() -> None:
    # "a function of weights w ... some initial weights w(0)" (what w is: no rank), "eta is the
    # so-called learning rate" (a number), "nabla E(w) denotes the gradient of E"
    system = papermath.compile(_latex("aifb_perceptron_gradient_descent"))
    assert system.shapes["eta"] == ()
    assert len(system.shapes["w"]) == 1
    from papermath.parse import parse

    said = [getattr(s, "said", "") for s in parse(_latex("aifb_perceptron_gradient_descent"))]
    assert any("learning rate" in w and "eta" in w for w in said)


def test_a_line_that_mentions_a_symbol_the_grammar_does_not_read_stays_refused() -> None:
    # "x is a vector of size N" is read, but "h is the hidden state" is not: the line is prose
    line = "where x is a vector of size N and h is the hidden state of the cell"
    assert prose_sizes.uncovered(line) and not prose_sizes.says(line)
    err = _refusal("h = \\tanh(W x)\n\n" + line + "\n")
    assert "prose" in err.message
    ok = "where x is a vector of size N and W is a matrix of size M x N"
    assert not prose_sizes.uncovered(ok) and prose_sizes.says(ok)


def test_the_gradient_descent_bullets_are_read_past_their_prose() -> None:
    # "Initialize parameters by some random values w(0), b(0)" is read as prose; the update's
    # &part;&lagran; is read since session 10 (CODE7: parse/html_math.py), so the bullets read
    system = papermath.compile(_latex("aifb_gradient_descent"))
    assert system.shapes["eta"] == ()
