"""The four seed askers, end to end: each one's input as typed gets its answer from
``explain`` and from the report. Checked on the facts (the structured explanation, the
numbers, the diagram's DOT, the report's content), not on the wording.

Oracles: the corpus notes (what a correct reading says), torch for every number, and the
shape check of every printed gradient (tests/test_grad_equations.py).
"""

from __future__ import annotations

import pytest

import papermath
from conftest import CORPUS, corpus_cases
from papermath.diagram import to_dot
from papermath.explain import explain
from papermath.grad import derive
from papermath.report import report_html
from papermath.values import ValueSet

CASES = dict(corpus_cases())


def compile_case(name: str) -> papermath.System:
    case = CASES[name]
    return papermath.compile(case["latex"], case.get("dims"))


def answers(system: papermath.System, topic: str) -> list[tuple[str, ...]]:
    return [a.symbols for a in explain(system).answers if a.topic == topic]


# ---- 1. the GG-NN forum reader: what the sum ranges over, and how to vectorize it --------
def test_ggnn_reader_sum_scope_and_vectorization() -> None:
    system = compile_case("seed_ggnn_readout")
    (sm,) = explain(system).sums
    assert "\\odot" in sm.body and "tanh" in sm.body  # the whole Hadamard product is summed
    assert sm.body_shape == ("G",)
    assert "|V| x G" in sm.vectorized and "not a matrix product" in sm.vectorized
    page = report_html(system)
    assert "ranges over" in page and "|V| x G" in page


def test_ggnn_reader_gets_gradients_per_node() -> None:
    system = compile_case("seed_ggnn_readout")
    d = derive(system, "h")
    (eq,) = [e for e in d.equations if e.lhs.key == "h"]
    assert eq.lhs.node == "v" and eq.shape == ("D", "N")
    assert "W_{i}^\\top" in eq.latex and "W_{j}^\\top" in eq.latex  # through both i and j
    assert "_{1:D}" in eq.latex  # h_v's rows of [h_v, x_v]


# ---- 2. the Q&A asker: every size of the forget gate; must C and h have one size ----------
def test_forget_gate_sizes_and_the_state_sizes() -> None:
    system = compile_case("seed_lstm_colah")
    assert system.shapes["W_f"] == ("n", "m + n") and system.shapes["b_f"] == ("n",)
    assert system.shapes["f"] == ("n",) and system.shapes["x"] == ("m",)
    assert ("C", "h") in answers(system, "same size") or ("h", "C") in answers(system, "same size")
    concat = answers(system, "concatenation")
    assert ("W_f",) in concat  # W_f [h, x] = W_{f,h} h + W_{f,x} x: h does not grow
    ex = explain(system)
    sentence = next(a.sentence for a in ex.answers if a.symbols == ("W_f",))
    assert "W_{f,h}" in sentence and "W_{f,x}" in sentence
    sigmoid = next(f for f in ex.functions if f.name == "sigmoid")
    assert "deterministic" in sigmoid.description  # gates are not random decisions


def test_forget_gate_numbers_and_a_claimed_slip() -> None:
    case = CASES["seed_forget_gate_numbers"]
    system = papermath.compile(case["latex"])
    values = ValueSet(dict(case["values"]))
    import numpy as np

    from papermath.values import Claim

    values.claims.append(Claim("W_f [h_{t-1}, x_t] + b_f", np.array([92.0, 176, 136]), None))
    ex = explain(system, values)
    (claim,) = ex.claims
    assert not claim.ok and claim.computed.tolist() == [92, 177, 136]
    page = report_html(system, values=values)
    assert "the equations give [92, 177, 136]" in page and "Worked example" in page


# ---- 3. the course notes: forward and backward in both layouts ----------------------------
@pytest.mark.parametrize("name", ["seed_mlp_dim_first", "rows"])
def test_course_notes_solve_D_y_and_say_why(name: str) -> None:
    from test_grad_equations import MLP_ROWS

    system = compile_case(name) if name != "rows" else papermath.compile(MLP_ROWS)
    assert system.solved == {"D_y": "1"}
    (solved,) = [a for a in explain(system).answers if a.topic == "solved"]
    y_out = next(eq for eq in system.equations if eq.lhs.key == "y_out")
    assert solved.symbols == ("D_y", "1") and solved.line == y_out.line  # w . z (or z . w)
    assert "matrix product" in solved.sentence
    for layout in ("denominator", "numerator"):
        for batch in ("dim-first", "sample-first"):
            d = derive(system, "W", layout=layout, batch=batch)
            (dw,) = [e for e in d.equations if e.lhs.key == "W"]
            want = system.shapes["W"] if layout == "denominator" else system.shapes["W"][::-1]
            assert dw.shape == want


# ---- 4. the blogger: a diagram that teaches ------------------------------------------------
def test_blogger_diagram_and_answers() -> None:
    system = compile_case("seed_lstm_blog_plaintext")
    reads = {r.reading for r in system.readings}
    assert any("step t-1" in r for r in reads)  # h_t-1 is the previous step, said
    dot = to_dot(system)
    legend = dot.split("subgraph cluster_legend", 1)[1]
    for symbol in ("⊙", "σ", "tanh", "+ b", "W ·"):
        assert f">{symbol}</td>" in legend
    assert "input, or state from the previous step" in legend  # no hidden delays
    assert "<font point-size='9'>n</font>" in dot  # h, C and the gates carry n
    assert ("h",) in answers(system, "state size") and ("C",) in answers(system, "state size")
    page = report_html(system)
    assert "keeps one size" in page and "legend" in page


def test_every_asker_report_builds() -> None:
    for name in ("seed_ggnn_readout", "seed_lstm_colah", "seed_mlp_dim_first"):
        page = report_html(compile_case(name), name)
        assert "Answers" in page or name == "seed_ggnn_readout"
        assert "<h2>Gradient equations" in page, name
    assert (CORPUS / "seed_lstm_blog_plaintext.toml").exists()
