r"""GatedGraphConv's first value ``h_i^{(0)} = x_i \| \mathbf{0}`` (issue 24, brief GGNN2).

read/rules_zero_pad.py reads the state's first value, one per node, as the input padded with
zeros to the state's width (the zero block is the state's width minus the input's); the
code concatenates ``x`` with a ``zeros`` block (ir/zero_pad.py, ops/matrix.py).

Oracles: a hand loop (pad with zeros, sum the messages over the edges, torch.nn.GRUCell)
against the generated NumPy and torch forward, torch autograd through that loop against the
generated backward, and ``check`` (finite differences).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

import papermath
from papermath.check import check

CASES = Path(__file__).parent / "wild" / "cases"
EDGES = np.array([[0, 1, 2, 3, 1, 2], [1, 2, 3, 0, 0, 0]])  # (source j, target i)
N_NODES, STEPS, F_IN, HIDDEN, F_MSG = 4, 3, 2, 5, 3


def _case(name: str) -> papermath.System:
    from papermath.parse.sitemacros import for_case

    data = tomllib.loads((CASES / f"{name}.toml").read_text())
    return papermath.compile(for_case(str(data["latex"]), data, name))


def _said(system: papermath.System, reading: str) -> list[str]:
    return [r.reason for r in system.readings if r.reading == reading]


def _gru_params(cell: torch.nn.GRUCell) -> dict[str, np.ndarray]:
    """torch's GRUCell weights as the per-gate W_i*, W_h*, b_i*, b_h* (rules_gru_cell)."""
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


def _hand_loop(
    x: torch.Tensor, e: torch.Tensor, theta: torch.Tensor, cell: torch.nn.GRUCell, rows: bool
) -> torch.Tensor:
    """Pad x with zeros to the state's width, then per step m_i = sum over the edges j -> i
    of e_ji Theta h_j (Spektral's rows: h_j W), h = GRUCell(m, h)."""
    h = torch.cat([x, torch.zeros(x.shape[0], HIDDEN - x.shape[1], dtype=x.dtype)], dim=1)
    out = []
    for _ in range(STEPS):
        m = [torch.zeros(F_MSG, dtype=x.dtype) for _ in range(N_NODES)]
        for k in range(EDGES.shape[1]):
            j, i = EDGES[:, k]
            m[i] = m[i] + e[k] * (h[j] @ theta if rows else theta @ h[j])
        h = cell(torch.stack(m), h)
        out.append(h)
    return torch.stack(out)


def test_pyg_gatedgraphconv_reads_the_padded_first_value() -> None:
    system = _case("pyg_gatedgraphconv")
    (hidden,), (width,), (msg,) = system.shapes["h"], system.shapes["x"], system.shapes["m"]
    assert len({hidden, width, msg}) == 3  # three free sizes: nothing forces two equal
    assert system.shapes["h_init"] == (hidden,)
    assert system.shapes["Theta"] == (msg, hidden)
    assert system.kinds["x"] == "input" and system.kinds["h"] == "state"
    (said,) = _said(system, "padded with zeros")
    assert "state's width minus" in said
    assert _said(system, "initial value")


@pytest.mark.parametrize("name", ["pyg_gatedgraphconv", "spektral_gatedgraphconv"])
def test_gated_graph_conv_against_a_hand_loop_and_gru_cell(name: str) -> None:
    system = _case(name)
    weight = "Theta" if name.startswith("pyg") else "W"
    rows = weight == "W"  # Spektral's h_j W
    (hidden,), (width,), (msg,) = system.shapes["h"], system.shapes["x"], system.shapes["m"]
    sizes = {hidden: HIDDEN, width: F_IN, msg: F_MSG, "L": STEPS}
    rng = np.random.default_rng(3)
    x = rng.normal(size=(N_NODES, F_IN))
    e = rng.normal(size=EDGES.shape[1]) if "e" in system.shapes else np.ones(EDGES.shape[1])
    theta = rng.normal(size=(HIDDEN, F_MSG) if rows else (F_MSG, HIDDEN))
    torch.manual_seed(3)
    cell = torch.nn.GRUCell(F_MSG, HIDDEN).double()
    xt = torch.tensor(x, requires_grad=True)
    tt = torch.tensor(theta, requires_grad=True)
    want = _hand_loop(xt, torch.tensor(e), tt, cell, rows)

    params = {weight: theta, **_gru_params(cell)}
    inputs = {"x": x, "edges": EDGES, "steps": STEPS}
    if "e" in system.shapes:
        inputs["e"] = e
    gen = system.to_numpy(sizes)
    outputs, cache = gen.forward(params, inputs)  # no initial state: h starts at h_init
    np.testing.assert_allclose(outputs["h"], want.detach().numpy(), rtol=1e-10, atol=1e-12)

    g = rng.normal(size=tuple(want.shape))
    grads = gen.backward(params, cache, {"h": g})
    (want * torch.tensor(g)).sum().backward()
    assert xt.grad is not None and tt.grad is not None
    np.testing.assert_allclose(grads["x"], xt.grad.numpy(), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(grads[weight], tt.grad.numpy(), rtol=1e-8, atol=1e-12)

    module = system.to_torch(sizes, dtype=torch.float64)
    with torch.no_grad():
        for key, value in params.items():
            getattr(module, key).copy_(torch.tensor(value))
        args = {k: torch.tensor(v) for k, v in inputs.items() if k not in ("edges", "steps")}
        got = module(**args, edges=torch.tensor(EDGES), steps=STEPS)["h"].numpy()
    np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_check_passes_with_a_zero_block_at_least_one_wide() -> None:
    system = _case("pyg_gatedgraphconv")
    results = check(system)  # the default sizes leave the state wider than x (check.py)
    assert results and all(r.ok for r in results)
    assert any(r.key == "x" for r in results)  # the gradient through the padding


def test_an_input_wider_than_the_state_is_refused_at_the_padding() -> None:
    system = _case("pyg_gatedgraphconv")
    (hidden,), (width,), (msg,) = system.shapes["h"], system.shapes["x"], system.shapes["m"]
    with pytest.raises(papermath.PapermathError) as err:
        system.to_numpy({hidden: 2, width: 3, msg: 2, "L": 2})
    assert "no wider than the state" in err.value.message
    assert err.value.span is not None and err.value.source is not None
    assert err.value.source.text[err.value.span.start : err.value.span.end].endswith(r"\mathbf{0}")


STEPS_V = r"h_v^{(t)} = \tanh(\sum_{u \in \mathcal{N}(v)} W h_u^{(t-1)})"


@pytest.mark.parametrize(
    "first",
    [r"h_v^{(1)} = [x_v^\top, \mathbf{0}]^\top", r"h_v^{(1)} = [x_v \| \mathbf{0}]"],
)
def test_the_papers_transposed_row_reads_as_the_same_padding(first: str) -> None:
    system = papermath.compile(first + "\n\n" + STEPS_V)
    (hidden,), (width,) = system.shapes["h"], system.shapes["x"]
    assert hidden != width and system.shapes["W"] == (hidden, hidden)
    assert _said(system, "padded with zeros")
    rng = np.random.default_rng(5)
    x, w = rng.normal(size=(N_NODES, F_IN)), rng.normal(size=(HIDDEN, HIDDEN))
    h = np.concatenate([x, np.zeros((N_NODES, HIDDEN - F_IN))], axis=1)
    want = []
    for _ in range(STEPS):
        m = np.zeros((N_NODES, HIDDEN))
        for k in range(EDGES.shape[1]):
            u, v = EDGES[:, k]
            m[v] += w @ h[u]
        h = np.tanh(m)
        want.append(h)
    gen = system.to_numpy({hidden: HIDDEN, width: F_IN, "T": STEPS})
    outputs, _ = gen.forward({"W": w}, {"x": x, "edges": EDGES, "steps": STEPS})
    np.testing.assert_allclose(outputs["h"], np.stack(want), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "first",
    [r"h_i^{(0)} = \mathbf{0} \| x_i", r"h_i^{(0)} = [\mathbf{0}; x_i]"],
)
def test_zeros_before_the_value_stay_refused(first: str) -> None:
    source = first + "\n\n" + r"h_i^{(l+1)} = \tanh(\sum_{j \in \mathcal{N}(i)} W h_j^{(l)})"
    with pytest.raises(papermath.PapermathError) as err:
        papermath.compile(source)
    assert "zeros before or between" in err.value.message


def test_printed_gradients_refuse_by_name_not_as_a_bug() -> None:
    """The message e_{ji} \\Theta is a matrix per edge: its printed gradient is refused by
    name (the generated backward is checked above); h_init's through the padding too."""
    from papermath.report.gradients import derive

    system = _case("pyg_gatedgraphconv")
    for wrt in ("Theta", "x"):
        with pytest.raises(papermath.PapermathError) as err:
            derive(system, wrt, layout="denominator", batch="dim-first")
        assert "papermath bug" not in str(err.value)
        assert "not printed yet" in err.value.message
