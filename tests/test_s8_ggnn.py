r"""d2l's Adam section (issue 24, brief GGNN): read as the recurrence over t it writes.

- read/rules_initial_chain.py: ``\mathbf{v}_0 = \mathbf{s}_0 = 0`` (a chain) gives both states
  the first value zero, papermath's own initial state; ``v_0 = s_0`` alone stays refused.
- read/rules_stated_facts.py: "the fact that $\sum_{i=0}^{t-1} \beta^i = ...$" is an identity
  the text states, left out; the same sum with no such words stays refused.
- parse/prose.py, parse/examples.py: ``$\epsilon = 10^{-6}$`` in prose is the value the text
  gives a constant (an example, as ``$\beta_1 = 0.9$``), not an equation that makes every
  value it is added to a scalar.

Oracle: torch.optim.Adam stepped by hand on the same gradients (d2l's v, s are torch's
exp_avg, exp_avg_sq; its g' the step), NumPy and torch backends.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.parse.examples import example_pairs

CASES = Path(__file__).parent / "wild" / "cases"
D, T = 3, 5
ETA, B1, B2, EPS = 0.05, 0.8, 0.95, 1e-6


def _latex(name: str) -> str:
    return str(tomllib.loads((CASES / f"{name}.toml").read_text())["latex"])


def _said(system: papermath.System, reading: str) -> list[str]:
    return [r.reason for r in system.readings if r.reading == reading]


def test_d2l_adam_reads_as_the_recurrence_it_writes() -> None:
    system = papermath.compile(_latex("d2l_adam"))
    assert system.kinds["g"] == "input"
    assert {system.kinds[k] for k in ("v", "s", "x")} == {"state"}
    size = system.shapes["v"]
    assert len(size) == 1
    for key in ("s", "g", "v_hat", "s_hat", "g_prime", "x"):
        assert system.shapes[key] == size, key
    for key in ("beta_1", "beta_2", "eta", "epsilon"):
        assert system.shapes[key] == (), key
    assert system.kinds["epsilon"] == "constant"  # a value the text gives, not computed
    (chain,) = _said(system, "initial state, by a chain")
    assert "is zero too" in chain
    (fact,) = _said(system, "a fact the text states")
    assert "the fact that" in fact


def _torch_adam(x0: np.ndarray, g: np.ndarray) -> np.ndarray:
    p = torch.nn.Parameter(torch.tensor(x0, dtype=torch.float64))
    opt = torch.optim.Adam([p], lr=ETA, betas=(B1, B2), eps=EPS)
    out = []
    for t in range(g.shape[0]):
        p.grad = torch.tensor(g[t, 0], dtype=torch.float64)
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.stack(out)


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_d2l_adam_against_torch_optim_adam(backend: str) -> None:
    system = papermath.compile(_latex("d2l_adam"))
    (size,) = system.shapes["x"]
    rng = np.random.default_rng(0)
    g = rng.normal(size=(T, 1, D))
    x0 = rng.normal(size=D)
    betas = {"beta_1": np.array(B1), "beta_2": np.array(B2)}
    # "Common choices for them are $\beta_1 = 0.9$": constants, given (rules_constant_words)
    params = {k: v for k, v in betas.items() if system.kinds[k] == "parameter"}
    inputs = {"g": g, "eta": np.array(ETA), "epsilon": np.array(EPS)}
    inputs |= {k: v for k, v in betas.items() if k not in params}
    state = {"x": x0[None, :]}  # v_0 = s_0 = 0: the default initial state, not given
    if backend == "numpy":
        outputs, _ = system.to_numpy({size: D}).forward(params, inputs, state)
        ours = outputs["x"][:, 0]
    else:
        module = system.to_torch({size: D}, dtype=torch.float64)
        with torch.no_grad():
            for key, value in params.items():
                getattr(module, key).copy_(torch.tensor(value, dtype=torch.float64))
        tensors = {k: torch.tensor(v, dtype=torch.float64) for k, v in {**inputs, **state}.items()}
        ours = module(**tensors)["x"].detach().numpy()[:, 0]
    np.testing.assert_allclose(ours, _torch_adam(x0, g), rtol=1e-10, atol=1e-12)


def test_a_first_value_equal_to_a_state_given_no_value_stays_refused() -> None:
    source = "v_t = \\beta v_{t-1} + g_t\ns_t = \\beta s_{t-1} + g_t\nv_0 = s_0"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "v_0"
    assert "step 0" in err.message and err.hint


def test_a_chain_to_zero_reads_as_both_written_apart() -> None:
    rows = "v_t = \\beta v_{t-1} + g_t\ns_t = \\beta s_{t-1} + g_t^2\n"
    chained = papermath.compile(rows + "v_0 = s_0 = 0")
    apart = papermath.compile(rows + "v_0 = 0\ns_0 = 0")
    assert dict(chained.shapes) == dict(apart.shapes)
    assert dict(chained.kinds) == dict(apart.kinds)


def test_a_sum_the_prose_does_not_call_a_fact_stays_refused() -> None:
    source = "We have $\\sum_{i=0}^{t-1} \\beta^i = \\frac{1 - \\beta^t}{1 - \\beta}$ here.\n"
    source += "$$v_t = \\beta v_{t-1} + g_t$$"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    assert "a statement about a sum" in info.value.message
    said = source.replace("We have", "We use the fact that")
    system = papermath.compile(said)
    assert system.kinds["v"] == "state" and _said(system, "a fact the text states")


def test_a_power_of_ten_in_prose_is_an_example_value() -> None:
    (eps, eta) = example_pairs("we pick $\\epsilon = 10^{-6}$ and $\\eta = 2 \\times 10^{-3}$.")
    assert eps.left == "\\epsilon" and eps.numbers == (1e-6,)
    assert eta.left == "\\eta" and eta.numbers == (2e-3,)
    # added to a vector, the constant it names broadcasts (as an undefined epsilon does)
    body = "$$y_t = \\frac{v_t}{\\sqrt{v_t} + \\epsilon}, v_t = \\beta v_{t-1} + g_t$$\n"
    given = papermath.compile(body + "We pick $\\epsilon = 10^{-6}$.")
    bare = papermath.compile(body)
    assert given.shapes["v"] == bare.shapes["v"] and len(bare.shapes["v"]) == 1


# ---- a GRU cell by its name (read/rules_gru_cell.py) ------------------------------------------
# PyG's GatedGraphConv docstring as the case has it, but its first line (h^{(0)}, the input
# padded with zeros, is given here as the initial state, as the refusal's hint says)
PYG_STEPS = _latex("pyg_gatedgraphconv").split("\n", 2)[2]


def _gru_params(cell: torch.nn.GRUCell) -> dict[str, np.ndarray]:
    """torch.nn.GRUCell's weights by the names the reading gives them (rows r, z, n)."""
    out = {}
    for side, weight, bias in (
        ("i", cell.weight_ih, cell.bias_ih),
        ("h", cell.weight_hh, cell.bias_hh),
    ):
        for k, gate in enumerate("rzn"):
            rows = slice(k * cell.hidden_size, (k + 1) * cell.hidden_size)
            out[f"W_{side}{gate}"] = weight[rows].detach().double().numpy()
            out[f"b_{side}{gate}"] = bias[rows].detach().double().numpy()
    return out


def test_a_gru_call_reads_as_torch_gru_cell() -> None:
    system = papermath.compile(r"h_t = \mathrm{GRU}(x_t, h_{t-1})")
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"
    (hidden,), (width,) = system.shapes["h"], system.shapes["x"]
    assert system.shapes["W_ir"] == (hidden, width) and system.shapes["W_hn"] == (hidden, hidden)
    assert _said(system, "a GRU cell by its name, PyTorch's equations")
    assert "GRU" not in system.shapes  # not a learnable affine map of [x; h]
    torch.manual_seed(0)
    cell = torch.nn.GRUCell(2, 3).double()
    rng = np.random.default_rng(0)
    x, h0 = rng.normal(size=(4, 5, 2)), rng.normal(size=(5, 3))
    want, h = [], torch.tensor(h0)
    with torch.no_grad():
        for t in range(4):
            h = cell(torch.tensor(x[t]), h)
            want.append(h.numpy())
    sizes = {hidden: 3, width: 2}
    outputs, _ = system.to_numpy(sizes).forward(_gru_params(cell), {"x": x}, {"h": h0})
    np.testing.assert_allclose(outputs["h"], np.stack(want), rtol=1e-10, atol=1e-12)
    module = system.to_torch(sizes, dtype=torch.float64)
    with torch.no_grad():
        for key, value in _gru_params(cell).items():
            getattr(module, key).copy_(torch.tensor(value))
        got = module(x=torch.tensor(x), h=torch.tensor(h0))["h"].numpy()
    np.testing.assert_allclose(got, np.stack(want), rtol=1e-10, atol=1e-12)


def test_gated_graph_propagation_against_hand_loops_and_gru_cell() -> None:
    system = papermath.compile(PYG_STEPS)
    (width,), (hidden,) = system.shapes["m"], system.shapes["h"]
    assert system.kinds["Theta"] == "parameter" and system.kinds["e"] == "input"
    n_nodes, steps = 4, 3
    edges = np.array([[0, 1, 2, 3, 1], [1, 2, 3, 0, 0]])  # (source, target)
    rng = np.random.default_rng(1)
    e, h0 = rng.normal(size=edges.shape[1]), rng.normal(size=(n_nodes, 3))
    theta = rng.normal(size=(2, 3))
    torch.manual_seed(1)
    cell = torch.nn.GRUCell(2, 3).double()
    want, h = [], h0.copy()
    for _ in range(steps):  # m_i = sum over the edges j -> i of e_ji Theta h_j; h = GRU(m, h)
        m = np.zeros((n_nodes, 2))
        for k in range(edges.shape[1]):
            j, i = edges[:, k]
            m[i] += e[k] * theta @ h[j]
        with torch.no_grad():
            h = cell(torch.tensor(m), torch.tensor(h)).numpy()
        want.append(h)
    gen = system.to_numpy({width: 2, hidden: 3, "L": steps})
    params = {"Theta": theta, **_gru_params(cell)}
    inputs = {"e": e, "edges": edges, "steps": steps}
    outputs, _ = gen.forward(params, inputs, {"h": h0})
    np.testing.assert_allclose(outputs["h"], np.stack(want), rtol=1e-10, atol=1e-12)


def test_a_gru_call_that_is_not_the_cell_form_is_left_as_before() -> None:
    # the second argument is not the state: a learnable function of two values, as before
    system = papermath.compile(r"h_t = \mathrm{GRU}(x_t, y_t)")
    assert not _said(system, "a GRU cell by its name, PyTorch's equations")


@pytest.mark.parametrize(
    ("source", "words"),
    [
        # a generated name the source uses itself: never the affine map instead
        ("h_t = \\mathrm{GRU}(x_t, h_{t-1})\ny_t = W_{ir} h_t", "writes W_ir itself"),
        # two cells would share one set of generated names
        (
            "h_t = \\mathrm{GRU}(x_t, h_{t-1})\ng_t = \\mathrm{GRU}(h_t, g_{t-1})",
            "a second GRU cell",
        ),
    ],
)
def test_a_gru_cell_papermath_cannot_write_out_is_refused_at_its_name(
    source: str, words: str
) -> None:
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "\\mathrm{GRU}"
    assert words in err.message and err.hint


# ---- the GG-NN paper (Li et al. 2016): its refusals' hints read --------------------------------
PAPER = Path(__file__).resolve().parents[2] / "shared" / "corpus_papers"


def test_the_block_row_hint_reads_with_the_papers_shapes() -> None:
    case = tomllib.loads((PAPER / "ggnn_propagation_li2016.toml").read_text())
    latex = str(case["latex"])
    # the paper's A_{v:} beside the stack of every node reads (parse/block_slice.py); the
    # slice alone, not beside it, is refused at its colon with the hint
    alone = latex.replace(
        "\\left[ h_1^{(t-1)\\top} \\dots h_{|V|}^{(t-1)\\top} \\right]^\\top", "h_v^{(t-1)}"
    )
    assert alone != latex
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(alone)
    err = info.value
    assert err.span is not None and alone[err.span.start : err.span.end] == ":" and err.hint
    form = "\\sum_{u \\in \\mathcal{N}(v)} A_{vu}^\\top h_u"
    assert form in err.hint
    # the form the hint gives, in the paper's step and node letters (its first value, at
    # step 1, left out: given as the initial state): the paper's expected shapes
    rows = latex.strip().split("\n")
    rows[1] = "a_v^{(t)} = \\sum_{u \\in \\mathcal{N}(v)} A_{vu}^\\top h_u^{(t-1)} + b"
    system = papermath.compile("\n".join(rows[1:]))
    for key, want in case["expect"]["shapes"].items():
        assert system.shapes[key] == tuple(want), key
    paper = papermath.compile(latex)  # the paper as written: the same shapes as the hint's form
    rename: dict[str, str] = {}  # free sizes are named in reading order: the same up to names
    for key, shape in system.shapes.items():
        assert len(paper.shapes[key]) == len(shape), key
        for mine, theirs in zip(paper.shapes[key], shape, strict=True):
            assert rename.setdefault(mine, theirs) == theirs, key


# ---- a first value at step 1 (read/rules_first_step.py) ---------------------------------------
def test_a_first_value_at_step_one_is_the_value_before_the_first_step() -> None:
    system = papermath.compile("h^{(1)} = x\nh^{(t)} = \\tanh(W h^{(t-1)})")
    assert system.kinds["h"] == "state" and system.kinds["x"] == "input"
    assert _said(system, "first value at step 1")
    (size,) = system.shapes["h"]
    rng = np.random.default_rng(2)
    w, x = rng.normal(size=(3, 3)), rng.normal(size=(2, 3))
    outputs, _ = system.to_numpy({size: 3, "T": 4}).forward({"W": w}, {"x": x})
    want, h = [], x  # the source's steps 2, 3, 4, 5 from its first value h^{(1)} = x
    for _ in range(4):
        h = np.tanh(h @ w.T)
        want.append(h)
    np.testing.assert_allclose(outputs["h"], np.stack(want), rtol=1e-12)


@pytest.mark.parametrize(
    "source",
    [
        "h^{(1)} = 0\nh^{(t)} = \\beta^t \\tanh(W h^{(t-1)})",  # the step number as a number
        "h^{(1)} = 0\nh^{(t)} = \\tanh(W h^{(t-1)} + U x^{(t)})",  # the first input: step 1?
    ],
)
def test_a_value_at_step_one_where_the_numbering_matters_is_not_moved(source: str) -> None:
    try:
        system = papermath.compile(source)
    except papermath.PapermathError:
        return
    assert not _said(system, "first value at step 1")


# ---- DGL's W_{e_{ij}} (read/rules_edge_typed.py): refused, the hint's form reads ---------------
def test_a_weight_chosen_by_an_edge_is_refused_with_a_form_that_reads() -> None:
    source = "a_{i}^{t} = \\sum_{j\\in\\mathcal{N}(i)} W_{e_{ij}} h_{j}^{t}\n"
    source += "h_{i}^{t+1} = \\tanh(a_{i}^{t} + h_{i}^{t})"
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(source)
    err = info.value
    assert err.span is not None and source[err.span.start : err.span.end] == "e_{ij}"
    form = "\\sum_{r \\in \\mathcal{R}} \\sum_{j \\in \\mathcal{N}_r(i)} W_r h_j"
    assert err.hint is not None and form in err.hint
    written = source.replace(
        "\\sum_{j\\in\\mathcal{N}(i)} W_{e_{ij}} h_{j}^{t}",
        "\\sum_{r \\in \\mathcal{R}} \\sum_{j \\in \\mathcal{N}_r(i)} W_r h_{j}^{t}",
    )
    system = papermath.compile(written)
    (size,) = system.shapes["h"]
    assert system.shapes["W"] == (size, size) and system.kinds["W"] == "parameter"

    # DGL's own update, GRU(a, h), beside the hint's form: its relation letter is not r (the
    # cell's reset gate), and both read
    dgl = _latex("dgl_gatedgraphconv").split("\n", 2)[2]
    with pytest.raises(papermath.PapermathError) as info:
        papermath.compile(dgl)
    (hinted,) = re.findall(r"\\sum_\{k .*? W_k h_j", info.value.hint or "")
    system = papermath.compile(
        dgl.replace(
            "\\sum_{j\\in\\mathcal{N}(i)} W_{e_{ij}} h_{j}^{t}", hinted.replace("h_j", "h_{j}^{t}")
        )
    )
    assert _said(system, "a GRU cell by its name, PyTorch's equations")
    (width,), (hidden,) = system.shapes["a"], system.shapes["h"]
    assert system.shapes["W_ir"] == (hidden, width)
