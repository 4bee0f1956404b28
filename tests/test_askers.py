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
from papermath.report import report_html
from papermath.report.gradients import derive
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
        assert "<h2>Gradient equations" in page  # the readout's: one per node (h_v)
    assert (CORPUS / "seed_lstm_blog_plaintext.toml").exists()


# ---- the Q&A asker's own bullets: sizes in words, examples in the prose --------------------
def test_qa_bullets_sizes_in_words_and_w_f_is_the_equations_W_f() -> None:
    """As typed: `$x_t$ is input of size $m*1$ vector`, `$w_f$ is weights of size $k*(m+n)$
    matrix`; the examples `$x_t=[1, 2, 3], ...$` are illustrations, not equations."""
    system = compile_case("seed_lstm_qa_bullets")
    assert [eq.lhs.key for eq in system.equations] == ["f"]  # no example read as an equation
    assert system.shapes["W_f"] == ("k", "m + n") and system.shapes["x"] == ("m",)
    notes = [r for r in system.readings if r.reading == "declaration"]
    said = {r.subject.split("$")[1]: r.reason for r in notes}
    assert set(said) == {"x_t", "h_{t-1}", "w_f", "b_f"}
    assert "w_f is W_f" in said["w_f"]  # the bullet's w_f matched to the equation's W_f, said
    assert "w_f is" not in said["b_f"]  # b_f is spelled as in the equation


def test_a_size_said_in_words_is_cited_where_it_was_said() -> None:
    """The explanation says W_f's size was declared by the bullet's words (line 5), and the
    report quotes those words as prose with their math typeset (no `$` inside a formula)."""
    import re

    from papermath.explain import explain

    system = compile_case("seed_lstm_qa_bullets")
    size = next(s for s in explain(system).sizes if s.key == "W_f")
    assert size.declared and size.line == 5 and "of size $k*(m+n)$" in size.forced_by
    page = report_html(system)
    assert not [t for t in re.findall(r'data-tex="([^"]*)"', page) if "$" in t]


def test_inline_examples_are_illustrations_and_sizes_read_only_as_said() -> None:
    from papermath.parse.prose import illustrations

    text = "if $x_t=[1, 2, 3], h_{t-1}=[4, 5, 6]$ and $k=3$, then $w_f=3*3 $ is a $3*1$ matrix"
    found = [text[a:b] for a, b in illustrations(text)]
    assert found == ["$x_t=[1, 2, 3], h_{t-1}=[4, 5, 6]$", "$k=3$", "$w_f=3*3 $", "$3*1$"]
    assert illustrations("where $h = W x$ and $y = 2 h$") == []  # equations stay equations
    system = papermath.compile(
        "where $W$ is a $n*m$ matrix and $x$ is a column vector of size $m$\n$$h = W x$$\n"
    )
    assert system.shapes["W"] == ("n", "m") and system.shapes["h"] == ("n",)


# ---- answers that name the real chain --------------------------------------------------
def test_k_equals_n_names_every_equation_of_the_chain() -> None:
    """The asker's bullets and the rest of his LSTM: k = n is forced through f_t (k rows of
    W_f), C_t = f_t (.) C_{t-1} + ..., then h_t = o_t (.) tanh(C_t), with h_{t-1} of size n."""
    rest = (
        "$$i_t = \\sigma(W_i \\cdot [h_{t-1}, x_t] + b_i)$$\n"
        "$$\\tilde{C}_t = \\tanh(W_C \\cdot [h_{t-1}, x_t] + b_C)$$\n"
        "$$C_t = f_t \\odot C_{t-1} + i_t \\odot \\tilde{C}_t$$\n"
        "$$o_t = \\sigma(W_o \\cdot [h_{t-1}, x_t] + b_o)$$\n"
        "$$h_t = o_t \\odot \\tanh(C_t)$$\n"
    )
    system = papermath.compile(CASES["seed_lstm_qa_bullets"]["latex"] + rest)
    assert system.solved == {"k": "n"}
    (answer,) = [a for a in explain(system).answers if a.topic == "solved"]
    assert answer.symbols == ("k", "n")
    line = {eq.lhs.key: eq.line for eq in system.equations}
    chain = [f"line {line[key]}," for key in ("f", "C", "h")]  # f, then f (.) C, then h
    where = [answer.sentence.index(said) for said in chain]
    assert where == sorted(where), answer.sentence
    assert "line 5" in answer.sentence and "line 3" in answer.sentence  # W_f's k, h's n


@pytest.mark.parametrize("name", ["seed_mlp_dim_first", "rows"])
def test_D_y_is_1_because_w_has_one_row(name: str) -> None:
    from test_grad_equations import MLP_ROWS

    system = compile_case(name) if name != "rows" else papermath.compile(MLP_ROWS)
    (answer,) = [a for a in explain(system).answers if a.topic == "solved"]
    w_line = next(
        system.source.line_col(d.span.start)[0]
        for d in system._read.declarations  # type: ignore[union-attr]
        if d.key == "w"
    )
    word = "row" if name != "rows" else "column"  # samples as columns: w is 1 x D_z
    assert f"$w$ has one {word}" in answer.sentence and f"line {w_line})" in answer.sentence


def test_ggnn_worked_example_labels_each_step_of_a_learnable_function() -> None:
    """i(h_v^{(T)}, x_v) is a concatenation, a product and a bias: one row each, labelled by
    the step it shows (all three were labelled i(h_v^{(T)}, x_v)); numbers by NumPy."""
    import numpy as np

    system = compile_case("seed_ggnn_readout")
    h, x = np.array([[1.0, 2, 0, 1], [0, 1, 2, 1]]), np.array([[1.0, 0], [2, 1]])
    w, b = np.arange(18.0).reshape(3, 6) / 10, np.array([0.5, -1, 2])
    given = {"h": h, "x": x, "i.weight": w, "i.bias": b, "j.weight": w, "j.bias": b}
    ex = explain(system, ValueSet({k: v.tolist() for k, v in given.items()}))
    rows = [(text, value) for _, text, value in ex.values if "node 1]" in text]
    labels = [text.split("  [")[0] for text, _ in rows]
    stacked, product, whole = (
        "[h_v^{(T)}, x_v]",
        "i.weight [h_v^{(T)}, x_v]",
        "i(h_v^{(T)}, x_v)",
    )
    assert labels.index(stacked) < labels.index(product) < labels.index(whole)
    got = dict(zip(labels, (v for _, v in rows), strict=False))
    cat = np.concatenate([h[0], x[0]])
    assert np.allclose(got[stacked], cat) and np.allclose(got[product], w @ cat)
    assert np.allclose(got[whole], w @ cat + b)


def test_the_bloggers_one_line_reads_with_the_cells_size_left_free() -> None:
    """The blogger's one typed equation, as typed (`*`, `C_t-1`, `tanh` without a backslash),
    with the sizes of x and h only: `f_t * C_t-1` and `i_t * tanh(...)` are elementwise, the
    W's are matrices from m and n entries; nothing ties C to h, so C's size stays free (one
    free size shared by f, i, C, W_xc, W_hc and b_c), never solved to n. A product whose
    sides are both unknown waits for the others (it was refused as 'no product fits')."""
    system = compile_case("seed_lstm_blog_one_line")
    s = system.shapes
    (free,) = s["C"]
    assert free not in system.declared_sizes and free not in system.solved
    assert s["f"] == s["i"] == s["b_c"] == (free,)
    assert s["W_xc"] == (free, "m") and s["W_hc"] == (free, "n")
    assert system.kinds["C"] == "state"
    products = {r.subject: r.reading for r in system.readings}
    assert products["f_t * C_t-1"].startswith("Hadamard")
    assert products["W_xc * x_t"].startswith("matrix product")
    # with C declared, every size is forced: the reader who adds `C_t in R^n` gets n
    case = CASES["seed_lstm_blog_one_line"]
    declared = papermath.compile(case["latex"] + "C_t in R^n\n")
    assert declared.shapes["W_hc"] == ("n", "n") and declared.shapes["f"] == ("n",)
