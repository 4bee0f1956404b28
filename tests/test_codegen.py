"""Generated code against independent references: torch.nn.LSTM / nn.GRU, a hand-written
GGNN readout, and NumPy against torch on every corpus case. float64, atol 1e-10."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest
import torch

import papermath
from conftest import ROOT, corpus_cases, regenerate_docs
from papermath import catalog
from papermath.backends.data import random_inputs
from papermath.catalog.interop import load_torch_rnn
from papermath.ir.program import GRAPH_KEYS

ATOL = 1e-10
T, N = 6, 4  # sequence length >= 5, batch >= 3


def t64(a: Any) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a), dtype=torch.float64)


def run_torch(module: torch.nn.Module, inputs: dict[str, Any], state: dict[str, Any]) -> dict:
    kwargs = {k: (torch.as_tensor(v) if k in GRAPH_KEYS else t64(v)) for k, v in inputs.items()}
    kwargs.update({k: t64(v) for k, v in state.items()})
    return {k: v.detach().numpy() for k, v in module(**kwargs).items()}


@pytest.mark.parametrize("name", ["lstm", "lstm_graves", "lstm_torch"])
def test_lstm_entries_equal_torch_lstm(name: str) -> None:
    torch.manual_seed(0)
    m, n = 3, 5
    system = catalog.load(name)
    dims = {"I": m, "H": n} if name == "lstm_torch" else {"m": m, "n": n}
    ours = system.to_torch(dims, dtype=torch.float64)
    ref = torch.nn.LSTM(m, n, dtype=torch.float64)
    load_torch_rnn(name, ours, ref)
    x = torch.randn(T, N, m, dtype=torch.float64)
    h0, c0 = torch.randn(1, N, n, dtype=torch.float64), torch.randn(1, N, n, dtype=torch.float64)
    want_h, (_, want_cn) = ref(x, (h0, c0))
    cell = "C" if name == "lstm" else "c"
    got = ours(x=x, h=h0[0], **{cell: c0[0]})
    assert got["h"].shape == (T, N, n)
    torch.testing.assert_close(got["h"], want_h, atol=ATOL, rtol=0)
    torch.testing.assert_close(got[cell][-1], want_cn[0], atol=ATOL, rtol=0)


def test_gru_torch_equals_torch_gru() -> None:
    torch.manual_seed(1)
    m, n = 4, 3
    ours = catalog.load("gru_torch").to_torch({"I": m, "H": n}, dtype=torch.float64)
    ref = torch.nn.GRU(m, n, dtype=torch.float64)
    load_torch_rnn("gru_torch", ours, ref)
    x = torch.randn(T, N, m, dtype=torch.float64)
    h0 = torch.randn(1, N, n, dtype=torch.float64)
    want, _ = ref(x, h0)
    torch.testing.assert_close(ours(x=x, h=h0[0])["h"], want, atol=ATOL, rtol=0)


def test_numpy_lstm_equals_torch_lstm() -> None:
    """The NumPy backend against torch.nn.LSTM, through the same weight mapping."""
    torch.manual_seed(2)
    module = catalog.load("lstm").to_torch({"m": 3, "n": 4}, dtype=torch.float64)
    ref = torch.nn.LSTM(3, 4, dtype=torch.float64)
    load_torch_rnn("lstm", module, ref)
    params = {k: v.detach().numpy() for k, v in module.named_parameters()}
    gen = catalog.load("lstm").to_numpy({"m": 3, "n": 4})
    rng = np.random.default_rng(0)
    x, h0, c0 = rng.normal(size=(T, N, 3)), rng.normal(size=(N, 4)), rng.normal(size=(N, 4))
    out, _ = gen.forward(params, {"x": x}, {"h": h0, "C": c0})
    want, _ = ref(t64(x), (t64(h0)[None], t64(c0)[None]))
    np.testing.assert_allclose(out["h"], want.detach().numpy(), atol=ATOL, rtol=0)


def hand_written_readout(
    i: torch.nn.Linear,
    j: torch.nn.Linear,
    h: torch.Tensor,
    x: torch.Tensor,
    batch: torch.Tensor,
    graphs: int,
) -> torch.Tensor:
    """Li et al. 2016, eq. 7 by hand: h_G = tanh(sum_v sigma(i(h_v, x_v)) * tanh(j(h_v, x_v)))."""
    hx = torch.cat([h, x], dim=1)
    gated = torch.sigmoid(i(hx)) * torch.tanh(j(hx))
    summed = torch.zeros(graphs, gated.shape[1], dtype=gated.dtype).index_add(0, batch, gated)
    return torch.tanh(summed)


def test_ggnn_readout_equals_hand_written_on_a_batch_of_graphs() -> None:
    torch.manual_seed(3)
    D, K, G = 4, 2, 3
    ours = catalog.load("ggnn_readout").to_torch({"D": D, "K": K, "G": G}, dtype=torch.float64)
    i = torch.nn.Linear(D + K, G, dtype=torch.float64)
    j = torch.nn.Linear(D + K, G, dtype=torch.float64)
    with torch.no_grad():
        ours.i.weight.copy_(i.weight), ours.i.bias.copy_(i.bias)
        ours.j.weight.copy_(j.weight), ours.j.bias.copy_(j.bias)
    sizes = [3, 7, 1, 5]
    batch = torch.repeat_interleave(torch.arange(len(sizes)), torch.tensor(sizes))
    h = torch.randn(sum(sizes), D, dtype=torch.float64)
    x = torch.randn(sum(sizes), K, dtype=torch.float64)
    want = hand_written_readout(i, j, h, x, batch, len(sizes))
    got = ours(h=h, x=x, batch=batch)["h_G"]
    assert got.shape == (len(sizes), G)
    torch.testing.assert_close(got, want, atol=ATOL, rtol=0)


def case_dims(case: dict[str, Any], system: papermath.System) -> dict[str, int]:
    dims = dict(case.get("dims", {}))
    dims.update(system.dims_from_values(case.get("values", {})))
    for name in {s for shape in system.shapes.values() for s in shape} | set(system.solved):
        for free in papermath.shapes.Size.parse(name).names:
            dims.setdefault(free, 3)
    if system.step_count is not None:  # parameters per step (per layer): how many steps
        dims.setdefault(system.step_count, 3)
    return dims


ACTIVE = [
    (n, c)
    for n, c in corpus_cases(readable_only=True)
    if not c.get("stretch") and "error" not in c.get("expect", {})
]


@pytest.mark.parametrize("layout", ["sample-first", "dim-first"])
@pytest.mark.parametrize(("name", "case"), ACTIVE, ids=[n for n, _ in ACTIVE])
def test_numpy_and_torch_agree_on_the_corpus(name: str, case: dict, layout: str) -> None:
    system = papermath.compile(case["latex"], case.get("dims"))
    dims = case_dims(case, system)
    gen = system.to_numpy(dims, layout)
    params = gen.init_params(np.random.default_rng(0))
    inputs, state = random_inputs(system.program(dims), np.random.default_rng(1), layout)
    want, _ = gen.forward(params, inputs, state)
    module = system.to_torch(dims, dtype=torch.float64, layout=layout)
    with torch.no_grad():
        for key, p in module.named_parameters():
            p.copy_(t64(params[key]))
    got = run_torch(module, inputs, state)
    assert set(got) == set(want) == {eq.lhs.key for eq in system.equations}
    for key in want:
        np.testing.assert_allclose(got[key], want[key], atol=ATOL, rtol=0, err_msg=key)


@pytest.mark.parametrize("name", ["lstm", "gru_torch", "ggnn_readout", "mlp"])
def test_layouts_agree(name: str) -> None:
    """dim-first is sample-first with every batch axis moved to the end."""
    system = catalog.load(name)
    dims = {"m": 3, "n": 4, "I": 3, "H": 4, "D": 4, "K": 2, "G": 3, "D_x": 4, "D_z": 5}
    program = system.program({k: v for k, v in dims.items() if k in system.declared_sizes})
    sf = system.to_numpy(program.sizes, "sample-first")
    df = system.to_numpy(program.sizes, "dim-first")
    params = sf.init_params(np.random.default_rng(0))
    inputs, state = random_inputs(program, np.random.default_rng(1), "sample-first")
    if program.explicit_batch:
        inputs["x"] = np.random.default_rng(2).normal(size=(4, 6))
        inputs["y"] = np.random.default_rng(3).normal(size=(1, 6))
    want, _ = sf.forward(params, inputs, state)

    def to_df(key: str, a: np.ndarray, per_step: bool) -> np.ndarray:
        if program.explicit_batch or key in GRAPH_KEYS:
            return a
        return np.moveaxis(a, 1 if per_step else 0, -1)

    per = {i.key: i.per == "step" for i in program.inputs}
    got, _ = df.forward(
        params,
        {k: to_df(k, v, per.get(k, False)) for k, v in inputs.items()},
        {k: to_df(k, v, False) for k, v in state.items()},
    )
    for key in want:
        per_step = program.step_index is not None and want[key].ndim >= 3
        np.testing.assert_allclose(to_df(key, want[key], per_step), got[key], atol=ATOL)


def test_equivalent_corpus_pairs() -> None:
    """seed_ggnn_readout_split equals seed_ggnn_readout with the same i, j; Graves' LSTM
    equals Colah's with W_f = [W_hf, W_xf] (columns in the order of the concatenation)."""
    cases = dict(corpus_cases())
    # GGNN: same parameter keys (i.weight, ...), so the same params must give the same h_g
    a = papermath.compile(cases["seed_ggnn_readout"]["latex"])
    b = papermath.compile(cases["seed_ggnn_readout_split"]["latex"])
    dims = dict(cases["seed_ggnn_readout"]["dims"])
    ga, gb = a.to_numpy(dims), b.to_numpy(dims)
    params = ga.init_params(np.random.default_rng(0))
    inputs, _ = random_inputs(a.program(dims), np.random.default_rng(1))
    np.testing.assert_allclose(
        ga.forward(params, inputs)[0]["h_g"], gb.forward(params, inputs)[0]["h_g"], atol=ATOL
    )
    # LSTM: Graves (sum form) against Colah (concatenation form; note the mixed orders)
    graves = papermath.compile(cases["seed_lstm_graves"]["latex"])
    colah = papermath.compile(cases["seed_lstm_colah"]["latex"])
    dims = {"m": 3, "n": 3}
    gg, gc = graves.to_numpy(dims), colah.to_numpy(dims)
    pg = gg.init_params(np.random.default_rng(2))
    pc = {
        "W_f": np.hstack([pg["W_hf"], pg["W_xf"]]),  # [h_{t-1}, x_t]
        "W_i": np.hstack([pg["W_xi"], pg["W_hi"]]),  # [x_t, h_{t-1}]
        "W_C": np.hstack([pg["W_xc"], pg["W_hc"]]),
        "W_o": np.hstack([pg["W_xo"], pg["W_ho"]]),
        "b_f": pg["b_f"], "b_i": pg["b_i"], "b_C": pg["b_c"], "b_o": pg["b_o"],
    }  # fmt: skip
    inputs, state = random_inputs(graves.program(dims), np.random.default_rng(3))
    out_g, _ = gg.forward(pg, inputs, state)
    out_c, _ = gc.forward(pc, inputs, {"h": state["h"], "C": state["c"]})
    np.testing.assert_allclose(out_g["h"], out_c["h"], atol=ATOL)
    np.testing.assert_allclose(out_g["c"], out_c["C"], atol=ATOL)


def test_compiled_lstm_trains() -> None:
    """A compiled LSTM fits a small sequence task: the loss falls by at least 10x."""
    torch.manual_seed(0)
    model = catalog.load("lstm").to_torch({"m": 2, "n": 8})
    readout = torch.nn.Linear(8, 1)
    opt = torch.optim.Adam([*model.parameters(), *readout.parameters()], lr=0.03)
    x = torch.randn(8, 32, 2)
    target = x[:, :, :1].cumsum(0)[-1] * 0.5  # the running sum of the first input channel

    def loss_now() -> torch.Tensor:
        return ((readout(model(x=x)["h"][-1]) - target) ** 2).mean()

    first = loss_now().item()
    for _ in range(300):
        opt.zero_grad()
        loss = loss_now()
        loss.backward()
        opt.step()
    assert loss_now().item() < first / 10, (first, loss_now().item())


def test_parameters_are_registered_under_symbol_keys() -> None:
    module = catalog.load("lstm_graves").to_torch({"m": 3, "n": 4})
    names = dict(module.named_parameters())
    assert {"W_xi", "W_hi", "b_i", "W_xc", "b_o"} <= set(names)
    assert names["W_xi"].shape == (4, 3) and names["W_hi"].shape == (4, 4)
    bound = 1 / np.sqrt(4)  # nn.LSTM's U(-1/sqrt(hidden), 1/sqrt(hidden))
    assert all(float(p.detach().abs().max()) <= bound for p in names.values())
    readout = catalog.load("ggnn_readout").to_torch({"D": 4, "K": 2, "G": 3})
    assert {"i.weight", "i.bias", "j.weight", "j.bias"} == set(dict(readout.named_parameters()))


def test_unknown_input_is_a_clear_error() -> None:
    module = catalog.load("lstm").to_torch({"m": 3, "n": 4})
    with pytest.raises(TypeError, match="unknown inputs"):
        module(x=torch.zeros(5, 2, 3), y=torch.zeros(1))


def test_missing_dims_is_a_clear_error() -> None:
    with pytest.raises(papermath.PapermathError, match=r"m=\.\.\."):
        catalog.load("lstm").numpy_source({"n": 4})


def test_numpy_path_needs_no_torch() -> None:
    code = (
        "import sys, numpy as np, papermath\n"
        "from papermath import catalog\n"
        "g = catalog.load('lstm').to_numpy({'m': 2, 'n': 3})\n"
        "p = g.init_params(np.random.default_rng(0))\n"
        "g.forward(p, {'x': np.zeros((5, 2, 2))})\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_generated_numpy_is_standalone_and_hygienic() -> None:
    """Symbols named like a library (np) or a keyword (lambda) cannot break the code."""
    system = papermath.compile(r"""
\text{np} = \tanh(W \text{np}_{prev})
\lambda = \sigma(W_x x) \odot \text{np}
x \in \mathbb{R}^{2}, \text{np}_{prev} \in \mathbb{R}^{3}, \text{np} \in \mathbb{R}^{3}
""")
    source = system.numpy_source({})
    assert "papermath" not in source.split('"""', 2)[2]  # no import of papermath
    namespace: dict[str, Any] = {}
    exec(compile(source, "<generated>", "exec"), namespace)
    params = namespace["init_params"](np.random.default_rng(0))
    inputs = {"x": np.ones((4, 2)), "np_prev": np.ones((4, 3))}
    out, _ = namespace["forward"](params, inputs)
    assert set(out) == {"np", "lambda"}
    assert out["lambda"].shape == (4, 3)
    assert "np_ = np.tanh(" in source and "lambda_ = " in source


def test_docs_show_the_current_generated_lstm() -> None:
    regen = regenerate_docs()
    doc = (ROOT / "docs" / "codegen.md").read_text()
    shown = doc.split("<!-- generated: lstm numpy -->\n```python\n", 1)[1].split("```", 1)[0]
    assert shown == regen.generated_lstm(), "docs/codegen.md is stale: run `make docs`"


@pytest.mark.parametrize("name", catalog.names())
def test_speed_passes_preserve_results(name: str) -> None:
    """The fast pipeline (split, merge, lift, hoist) computes what the plain one does,
    forward and backward, in both layouts."""
    from papermath.check import default_dims

    system = catalog.load(name)
    dims = default_dims(system, None)
    for layout in ("sample-first", "dim-first"):
        plain = system.to_torch(dims, dtype=torch.float64, layout=layout, fast=False)
        fast = system.to_torch(dims, dtype=torch.float64, layout=layout, fast=True)
        fast.load_state_dict(plain.state_dict())
        program = system.program(dims)
        inputs, state = random_inputs(program, np.random.default_rng(5), layout)
        kwargs = {
            k: (torch.as_tensor(v) if k in GRAPH_KEYS else t64(v))
            for k, v in {**inputs, **state}.items()
        }
        a, b = plain(**kwargs), fast(**kwargs)
        for key in a:
            torch.testing.assert_close(a[key], b[key], atol=1e-12, rtol=0)
        sum(v.sum() for v in a.values()).backward()
        sum(v.sum() for v in b.values()).backward()
        for (k, p), q in zip(plain.named_parameters(), fast.parameters(), strict=True):
            torch.testing.assert_close(p.grad, q.grad, atol=1e-10, rtol=0, msg=k)


def test_fast_lstm_has_one_product_per_step() -> None:
    program = catalog.load("lstm").program({"m": 3, "n": 4}, fast=True)
    products = ("matmul", "affine")
    step = [op.prim for op in program.step_ops if op.prim.name in products]
    pre = [op.prim for op in program.pre_ops if op.prim.name in products]
    assert len(step) == 1  # the four gates' recurrent products, merged into one
    assert len(pre) == 1  # W_x x_t + b for every step at once, hoisted out of the loop
    only_h = catalog.load("lstm").to_torch({"m": 3, "n": 4})(x=torch.zeros(5, 2, 3), returns=["h"])
    assert set(only_h) == {"h"}


def test_a_scalar_state_starts_at_zeros_in_both_layouts() -> None:
    """L = \\sum_t ...: a scalar carried over the steps; dim-first once wrote `zeros((, N))`."""
    from papermath.check import check

    system = papermath.compile(
        r"""
h_t = \tanh(W h_{t-1} + U x_t)
y_t = V h_t
L = \sum_t \| y_t - d_t \|^2
x_t \in \mathbb{R}^{m}, h_t \in \mathbb{R}^{n}, y_t \in \mathbb{R}^{k}
"""
    )
    for layout in ("sample-first", "dim-first"):
        assert all(r.ok for r in check(system, layout=layout)), layout


def test_a_module_carries_only_the_helpers_it_calls() -> None:
    """The NumPy LSTM calls _sigmoid alone; GELU brings _gelu and the _erf it calls; every
    helper a module defines is called in it (issue 23: no unused helpers)."""
    import ast
    import re

    lstm = catalog.load("lstm", {"m": 3, "n": 4}).numpy_source()
    defined = {n.name for n in ast.parse(lstm).body if isinstance(n, ast.FunctionDef)}
    assert defined == {"_sigmoid", "init_params", "forward", "backward"}
    gelu = papermath.compile(r"y = \mathrm{GELU}(W x)", {"d1": 2, "d2": 3}).numpy_source()
    helpers = {n.name for n in ast.parse(gelu).body if isinstance(n, ast.FunctionDef)}
    assert {"_gelu", "_erf"} <= helpers and "_sigmoid" not in helpers
    for text in (lstm, gelu):
        for name in re.findall(r"^def (_\w+)\(", text, re.M):
            assert len(re.findall(rf"\b{name}\(", text)) >= 2, name  # defined and called


def test_the_readable_torch_module_and_no_endless_lines() -> None:
    """`papermath code --target torch --readable`: the plain loop (autograd differentiates
    it), about 125 lines for the LSTM; the default module's kernel source is wrapped, a line
    of C++ a line."""
    import tempfile
    from pathlib import Path

    from papermath.cli import main

    path = Path(tempfile.mkdtemp()) / "lstm.tex"
    path.write_text(catalog.latex("lstm"))
    out = path.with_suffix(".py")
    args = ["code", str(path), "--target", "torch", "--readable", "--dims", "m=3,n=4"]
    assert main([*args, "-o", str(out)]) == 0
    readable = out.read_text()
    assert "_Steps" not in readable and "for t in range(T):" in readable
    assert len(readable.splitlines()) < 150
    fast = catalog.load("lstm", {"m": 3, "n": 4}).torch_source()
    assert max(len(line) for line in fast.splitlines()) < 300  # the C++ was one 12 KB line
