"""Every case of ../shared/corpus_papers (systems as papers print them): each reads with its
expected shapes and kinds and, where it gives [dims], passes ``check`` (the generated
backward against float64 finite differences and torch autograd); or it is listed in
PAPERS_NOT_READ_YET and refused with a located PapermathError (a span, so a caret), never
misread."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import numpy as np
import pytest

import papermath
from conftest import ROOT, assert_shapes_match
from papermath.check import check, default_dims
from papermath.parse.sitemacros import for_case
from papermath.standin import check_or_stand_in
from wild.measure import kind_difference

PAPERS = ROOT.parent / "shared" / "corpus_papers"

# Cases papermath does not read yet, with what is missing. Each must be refused with a
# located error (test_case_not_read_yet_is_refused); a case that starts to read fails that
# test until it is taken off this list.
PAPERS_NOT_READ_YET: dict[str, str] = {
    "p29_mlp_ng_dimfirst": "`a^{[2] (i)}`, `y^{(i)}`: one example's column of A^{[2]}, "
    "summed over the m examples",
}


def paper_cases() -> list[tuple[str, dict[str, Any]]]:
    if not PAPERS.is_dir():
        raise RuntimeError(f"the papers' corpus is missing: {PAPERS}")
    return [(p.stem, tomllib.loads(p.read_text())) for p in sorted(PAPERS.glob("*.toml"))]


CASES = paper_cases()
NAMES = [n for n, _ in CASES]


def test_every_case_is_loaded() -> None:
    assert len(CASES) >= 42
    assert set(PAPERS_NOT_READ_YET) <= set(NAMES), set(PAPERS_NOT_READ_YET) - set(NAMES)


def latex_of(name: str, case: dict[str, Any]) -> str:
    """The LaTeX as ``papermath shapes CASE.toml`` reads it: with what the case's options and
    origin choose (parse/sitemacros.for_case: a macro set; the paper's own word for \\otimes)."""
    return for_case(case["latex"], case, name)


def reads_as_expected(name: str, case: dict[str, Any]) -> papermath.System | None:
    """Compile the case and compare it with its expectations: None where it expects (and
    gets) a refusal; the system otherwise. Fails the test on a misread."""
    expect = case.get("expect", {})
    if expect.get("error"):
        with pytest.raises(papermath.PapermathError) as info:
            papermath.compile(latex_of(name, case), case.get("dims"))
        err = info.value
        assert err.span is not None, err.render()
        assert err.line == expect["error_line"], err.render()
        for word in expect["error_words"]:
            assert re.search(rf"(?<![A-Za-z_]){re.escape(word)}(?![A-Za-z_])", err.message)
        return None
    system = papermath.compile(latex_of(name, case), case.get("dims"))
    declared = set(system.declared_sizes) | {
        s.replace(" ", "") for shape in expect.get("shapes", {}).values() for s in shape if "{" in s
    }
    assert_shapes_match(dict(system.shapes), expect.get("shapes", {}), declared)
    difference = kind_difference(dict(system.kinds), expect.get("kinds", {}))
    assert difference is None, difference
    return system


def passes_check(system: papermath.System, case: dict[str, Any]) -> None:
    """``papermath check`` passes; where the source leaves an activation or an aggregator
    unnamed (p11, p14, p30), it passes with every stand-in (sigmoid, tanh, relu; mean, sum,
    max), as ``papermath check`` itself says."""
    dims = default_dims(system, case["dims"])
    results, stand_in = check_or_stand_in(system, dims)
    runs = [results] if stand_in is None else [list(r) for _, r in stand_in.runs]
    assert runs
    for results in runs:
        assert results and all(r.ok for r in results), [r for r in results if not r.ok]
        assert all(r.entries > 0 and r.torch_error is not None for r in results)  # both oracles


@pytest.mark.parametrize(
    ("name", "case"),
    [(n, c) for n, c in CASES if n not in PAPERS_NOT_READ_YET],
    ids=[n for n in NAMES if n not in PAPERS_NOT_READ_YET],
)
def test_case_reads(name: str, case: dict[str, Any]) -> None:
    system = reads_as_expected(name, case)
    if system is not None and "dims" in case:
        passes_check(system, case)


@pytest.mark.parametrize("name", sorted(PAPERS_NOT_READ_YET))
def test_case_not_read_yet_is_refused(name: str) -> None:
    """Until papermath reads a case through every stage, some stage refuses it with a
    PapermathError that points at the source (a span); where it compiles, what it read so
    far is right (shapes and kinds), so the refusal is never a misread that a later stage
    happened to stop."""
    case = dict(CASES)[name]
    with pytest.raises(papermath.PapermathError) as info:
        system = reads_as_expected(name, case)
        assert system is not None
        dims = default_dims(system, case.get("dims"))
        check(system, dims)
        system.to_torch(dims)
    assert info.value.span is not None, info.value.render()


def compiled(name: str) -> tuple[papermath.System, dict[str, Any]]:
    case = dict(CASES)[name]
    return papermath.compile(latex_of(name, case), case.get("dims")), case


def test_layernorm_mean_and_variance_are_torchs() -> None:
    """E[x] and Var[x] over the features: the generated module against torch's layer_norm
    (the biased variance), an independent oracle."""
    torch = pytest.importorskip("torch")
    system, case = compiled("p05_layernorm_torch_doc")
    module = system.to_torch(case["dims"], dtype=torch.float64)
    params = dict(module.named_parameters())
    with torch.no_grad():
        params["gamma"].normal_()
        params["beta"].normal_()
    # epsilon is a constant the documentation gives: passed in, not a parameter
    assert system.kinds["epsilon"] == "constant" and "epsilon" not in params
    eps = torch.tensor(1e-3, dtype=torch.float64)
    x = torch.randn(7, case["dims"]["H"], dtype=torch.float64) * 3 + 1
    want = torch.nn.functional.layer_norm(
        x, (x.shape[-1],), params["gamma"], params["beta"], eps=1e-3
    )
    assert torch.allclose(module(x=x, epsilon=eps)["y"], want, atol=1e-12)
    readings = {r.reading for r in system.readings}
    assert {"mean over the features", "variance over the features"} <= readings


@pytest.mark.parametrize(
    ("latex", "where"),
    [
        (r"y = \mathrm{E}[x] \\ x \in \mathbb{R}^{n}", "E"),  # no x - E[x]: no normalisation
        (r"y = x - \mathrm{E}[W x] \\ x \in \mathbb{R}^{n}", "E"),  # an expression
        (r"y = X - \mathrm{E}[X] \\ X \in \mathbb{R}^{n \times m}", "E"),  # a matrix
        (r"y = x - \mathrm{Cov}[x] \\ x \in \mathbb{R}^{n}", "Cov"),
    ],
)
def test_statistics_this_rule_does_not_read_stay_refused(latex: str, where: str) -> None:
    # x declared nowhere (y = x - E[x]): read for shapes, code refused (tests/test_s5_norm.py)
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(latex.replace(r" \\ ", "\n"))
    err = info.value
    assert err.span is not None
    assert where in err.source.text[err.span.start : err.span.end], err.render()


def test_mask_added_in_a_weightless_function_is_an_input() -> None:
    """p01: M is data given with Attention's arguments; a directive overrides; a weight
    letter added (b) stays a parameter."""
    system, _ = compiled("p01_attention_masked_vaswani2017")
    assert system.kinds["M"] == "input"
    assert any(r.subject == "M" and "mask" in r.reason for r in system.readings)
    case = dict(CASES)["p01_attention_masked_vaswani2017"]
    told = papermath.compile("% papermath: M is parameter\n" + case["latex"])
    assert told.kinds["M"] == "parameter"
    assert papermath.compile("f(x) = x + b\nx \\in \\mathbb{R}^{n}").kinds["b"] == "parameter"
    weighted = papermath.compile("f(x) = W x + c\nx \\in \\mathbb{R}^{n}")
    assert weighted.kinds["c"] == "parameter"  # W is a weight: the function is learned


def test_layers_named_by_their_size_are_layers_of_their_own() -> None:
    """minGRU's two Linear_{d_h}: two layers with their own weights, each to d_h entries."""
    pytest.importorskip("torch")
    system, case = compiled("p18_mingru_feng2024")
    assert system.functions["Linear_1"][1] == system.functions["Linear_2"][1] == "d_h"
    names = {n.split(".")[0] for n, _ in system.to_torch(case["dims"]).named_parameters()}
    assert {"Linear_1", "Linear_2"} <= names
    with pytest.raises(papermath.PapermathError) as info:  # the size written is the output's
        papermath.compile(
            "y = \\text{Linear}_{k}(x) + b\nx \\in \\mathbb{R}^{n}, b \\in \\mathbb{R}^{m}",
            {"k": 2},
            strict=True,  # else m = k is an answer, reported as solved
        )
    assert info.value.span is not None


def test_unnamed_activation_reads_through_every_stage_but_code() -> None:
    """Jordan's sigma_y: shapes, explain and the diagram; generated code and the gradient
    equations (printed from the IR's reverse pass) ask which function, at the call."""
    from papermath import diagram, explain
    from papermath.report import gradients as grad

    system, case = compiled("p14_jordan_rnn_wikipedia")
    with pytest.raises(papermath.ReadingError):  # its derivative depends on which function
        grad.derive(system, "W_y")
    assert "activation" in explain.render(explain.explain(system))
    assert "σ<sub>y</sub>" in diagram.to_dot(system)
    with pytest.raises(papermath.ReadingError) as info:
        system.to_torch(case["dims"])
    assert info.value.source is not None and info.value.span is not None
    assert info.value.source.text[info.value.span.start : info.value.span.end] == "\\sigma_y"
    told = papermath.compile("% \\sigma_y: softmax\n" + case["latex"], case["dims"])
    assert all(r.ok for r in check(told, case["dims"]))
    assert "W_y" in grad.render(grad.derive(told, "W_y"))
    with pytest.raises(papermath.ReadingError):  # \phi x: an activation, or phi times x?
        papermath.compile("y = \\phi x\nx \\in \\mathbb{R}^{n}")


def test_unit_superscript_needs_the_source_to_say_so() -> None:
    """Chung's (...)^j selects the j-th unit; a superscript letter with no such evidence stays
    a refusal (a power, a step or a label?)."""
    system, _ = compiled("p17_gru_chung2014")
    assert system.kinds["j"] == "index" and "h_j" not in system.shapes
    assert any(r.reading == "entry index j" for r in system.readings)
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile("y = W h^j\nh \\in \\mathbb{R}^{n}")
    assert info.value.span is not None


def test_entries_summed_over_j_are_the_matrix_product() -> None:
    """sum_j U_{i,j} x_j is entry i of U x, sum_j U_{j,i} x_j of U^T x: against NumPy on
    random values; two matrices' entries (U_{i,j} V_{j,k}) stay refused."""
    for written, transposed in ((r"U_{i,j}", False), (r"U_{j,i}", True), (r"U_{ij}", False)):
        system = papermath.compile(
            rf"y_i = \tanh\left(\sum_j {written} x_j\right) + x_i"  # x_i: i indexes entries
            "\n"
            r"x \in \mathbb{R}^{n}"
        )
        assert system.shapes["U"] == ("n", "n") and system.shapes["y"] == ("n",)
        gen = system.to_numpy({"n": 3})
        rng = np.random.default_rng(0)
        params = gen.init_params(rng)
        x = rng.normal(size=(5, 3))
        u = params["U"]
        want = (np.tanh(x @ u) if transposed else np.tanh(x @ u.T)) + x
        assert np.allclose(gen.forward(params, {"x": x}, {})[0]["y"], want)
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(r"y_i = \sum_j U_{i,j} V_{j,i} + x_i" "\n" r"x \in \mathbb{R}^{n}")
    assert info.value.span is not None


def test_a_value_named_with_its_weights() -> None:
    """ResNet's F(x, {W_i}) with F defined without arguments: the value F; the torch module
    (whose fused affine must keep F, an output) agrees with F = W_2 sigma(W_1 x) by hand.
    Weights that F's definition does not use stay refused."""
    torch = pytest.importorskip("torch")
    system, case = compiled("p22_resnet_he2016")
    assert any(r.reading == "the value F, with what it is computed from" for r in system.readings)
    module = system.to_torch(case["dims"], dtype=torch.float64)
    p = dict(module.named_parameters())
    x = torch.randn(3, case["dims"]["d"], dtype=torch.float64)
    out = module(x=x)
    f = torch.sigmoid(x @ p["W_1"].T) @ p["W_2"].T
    assert torch.allclose(out["F"], f) and torch.allclose(out["y"], f + x)
    other = case["latex"].replace("\\{W_i\\}", "\\{V_i\\}")
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(other)
    assert info.value.span is not None


def test_batchnorm_statistics_per_dimension_are_over_the_batch() -> None:
    """Ioffe's E[x^{(k)}], Var[x^{(k)}]: (k) a component, the statistics over the mini-batch
    (biased variance): the generated module against torch's batch_norm in training mode."""
    torch = pytest.importorskip("torch")
    system, case = compiled("p06_batchnorm_kth_ioffe2015")
    assert system.kinds["k"] == "index"
    module = system.to_torch(case["dims"], dtype=torch.float64)
    p = dict(module.named_parameters())
    with torch.no_grad():
        p["gamma"].normal_()
        p["beta"].normal_()
    x = torch.randn(9, case["dims"]["d"], dtype=torch.float64) * 2 + 1
    want = torch.nn.functional.batch_norm(  # the source has no epsilon: torch's smallest
        x, None, None, p["gamma"], p["beta"], training=True, eps=1e-300
    )
    assert torch.allclose(module(x=x)["y"], want, atol=1e-10)


def test_a_recurrence_backwards_in_time_is_read_and_generated_backwards() -> None:
    """h_{t+1} on the right of h_t = ...: never read as a value of the same step (which gave
    h the kind "intermediate"): a state carried backwards (read/rules_reverse.py), whose code
    runs from the last step down: against a hand loop (tests/test_bidirectional.py has the
    torch oracles)."""
    system = papermath.compile(
        "h_t = \\tanh(W x_t + U h_{t+1})\nx_t \\in \\mathbb{R}^{m}, h_t \\in \\mathbb{R}^{n}"
    )
    assert system.kinds["h"] == "state"
    assert system.recurrence is not None and system.recurrence.backward == ("h",)
    gen = system.to_numpy({"m": 2, "n": 3})
    rng = np.random.default_rng(0)
    params = gen.init_params(rng)
    x = rng.normal(size=(4, 2, 2))
    h, want = np.zeros((2, 3)), np.zeros((4, 2, 3))
    for t in (3, 2, 1, 0):  # zeros after the last step
        h = want[t] = np.tanh(x[t] @ params["W"].T + h @ params["U"].T)
    np.testing.assert_allclose(gen.forward(params, {"x": x})[0]["h"], want, rtol=1e-12)


def test_degree_normalisation_is_gcns() -> None:
    """D~^{-1/2} A~ D~^{-1/2}, D~ the degree matrix of A~: the generated NumPy forward against
    the product of explicit diagonal matrices (np.diag), an independent computation; A~ is
    data (an input, drawn with positive weights for checks)."""
    system = papermath.compile(
        "Y = \\mathrm{ReLU}(\\tilde{D}^{-1/2} \\tilde{A} \\tilde{D}^{-1/2} X W)\n"
        "X \\in \\mathbb{R}^{N \\times C}, \\tilde{A} \\in \\mathbb{R}^{N \\times N}, "
        "W \\in \\mathbb{R}^{C \\times F}"
    )
    assert system.kinds["A_tilde"] == "input" and system.shapes["D_tilde"] == ("N", "N")
    dims = {"N": 4, "C": 3, "F": 2}
    gen = system.to_numpy(dims)
    rng = np.random.default_rng(1)
    params = gen.init_params(rng)
    a = rng.uniform(0.1, 1.0, size=(4, 4))  # X's N rows are the nodes: no batch axis
    x = rng.normal(size=(4, 3))
    got = gen.forward(params, {"A_tilde": a, "X": x}, {})[0]["Y"]
    d = np.diag(a.sum(axis=1) ** -0.5)
    assert np.allclose(got, np.maximum(d @ a @ d @ x @ params["W"], 0.0))
    assert all(r.ok for r in check(system, dims))
    with pytest.raises(papermath.PapermathError) as info:  # a power of another matrix
        papermath.compile("Y = B^{-1/2} X\nB \\in \\mathbb{R}^{N \\times N}")
    assert info.value.span is not None


def test_numbered_layers_and_unused_arguments() -> None:
    """Kipf's W^{(0)}, W^{(1)}: two matrices (no recurrence); f(X, A) whose body never uses A:
    A is no symbol of the system. A number in parentheses beside a step (h^{(0)} with
    h^{(t)}) is the state's first value (read/rules_initial_tie.py), not a second matrix."""
    system, _ = compiled("p09_gcn_model_kipf2017")
    assert system.shapes["W_0"] == ("C", "H") and system.shapes["W_1"] == ("H", "F")
    assert "A" not in system.shapes and system.recurrence is None
    assert any(r.reading == "argument not used" for r in system.readings)
    first = papermath.compile(
        "h^{(t)} = \\tanh(W h^{(t-1)})\nh^{(0)} = x\nh^{(t)} \\in \\mathbb{R}^{n}"
    )
    assert first.shapes["h_init"] == first.shapes["x"] == ("n",)
    assert any(r.reading == "initial value" for r in first.readings)
