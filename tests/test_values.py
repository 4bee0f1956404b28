"""Values files: worked examples (per node too), worked gradients, claims, and bad values.

Oracles: torch (the GG-NN readout's h_g, the course notes' dL/dw by autograd), the arithmetic
of the Q&A answer done by hand, and the rule that no values file or --dims flag ends in a
traceback: each bad one is a located error with exit status 2.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from conftest import CORPUS
from papermath.cli import main
from test_grad_equations import MLP_ROWS as MLP_ROWS_LATEX

FORGET = r"""latex = '''
f_t = \sigma(W_f [h_{t-1}, x_t] + b_f)
'''
[values]
W_f = [[1, 2, 3, 4, 5, 6], [5, 6, 7, 8, 9, 10], [3, 4, 5, 6, 7, 8]]
b_f = [1, 2, 3]
h = [1, 2, 3]
x = [4, 5, 6]
"""

READOUT = (
    (CORPUS / "seed_ggnn_readout.toml").read_text().split("[dims]")[0]
    + r"""
[values]
h = [[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1]]
x = [[1, 0], [0, 1], [1, 1]]
"i.weight" = [[0.1, 0, 0, 0, 0.1, 0], [0, 0.1, 0, 0, 0, 0.1], [0, 0, 0.1, 0, 0.1, 0.1]]
"i.bias" = [0, 0, 0]
"j.weight" = [[0.2, 0, 0, 0, 0, 0], [0, 0.2, -0.3, 0, 0, 0], [0, 0, 0.2, 0, 0, 0]]
"j.bias" = [0.1, 0.1, 0.1]
"""
)

I_WEIGHT = [[0.1, 0, 0, 0, 0.1, 0], [0, 0.1, 0, 0, 0, 0.1], [0, 0, 0.1, 0, 0.1, 0.1]]
J_WEIGHT = [[0.2, 0, 0, 0, 0, 0], [0, 0.2, -0.3, 0, 0, 0], [0, 0, 0.2, 0, 0, 0]]

MLP_ROWS = (
    "latex = '''"
    + MLP_ROWS_LATEX
    + "'''\n"
    + r"""
[values]
x = [[1, 2], [3, 4]]
W = [[1, 0, -1], [0, 1, 1]]
w = [1, 2, 3]
y = [1, 2]
"""
)


def explain(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    case = tmp_path / "case.toml"
    case.write_text(text)
    code = main(["explain", str(case)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_wrong_claim_is_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the answer's slip: b_f added as [1, 1, 3] in the head, printed [92, 176, 136]
    claims = (
        '[claims]\n"W_f [h_{t-1}, x_t]" = [91, 175, 133]\n'
        '"W_f [h_{t-1}, x_t] + b_f" = [92, 176, 136]\n'
    )
    code, out = explain(tmp_path, FORGET + claims, capsys)
    assert code == 1  # a claim the equations contradict fails, like a failed check
    assert "ok: W_f [h_{t-1}, x_t] = [91, 175, 133]" in out
    assert "the answer printed [92, 176, 136]; the equations give [92, 177, 136]" in out


def test_right_claims_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = explain(tmp_path, FORGET + "[claims]\nf = [1, 1, 1]\n", capsys)
    assert code == 0 and "ok: f = [1, 1, 1]" in out


def test_node_sum_worked_example_per_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = explain(tmp_path, READOUT, capsys)
    assert code == 0, out
    h = torch.tensor([[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1]], dtype=torch.float64)
    x = torch.tensor([[1, 0], [0, 1], [1, 1]], dtype=torch.float64)
    i = torch.nn.Linear(6, 3).double()
    j = torch.nn.Linear(6, 3).double()
    with torch.no_grad():
        i.weight.copy_(
            torch.tensor([[0.1, 0, 0, 0, 0.1, 0], [0, 0.1, 0, 0, 0, 0.1], [0, 0, 0.1, 0, 0.1, 0.1]])
        )
        i.bias.zero_()
        j.weight.copy_(
            torch.tensor([[0.2, 0, 0, 0, 0, 0], [0, 0.2, -0.3, 0, 0, 0], [0, 0, 0.2, 0, 0, 0]])
        )
        j.bias.fill_(0.1)
        hx = torch.cat([h, x], dim=1)
        per_node = torch.sigmoid(i(hx)) * torch.tanh(j(hx))
        h_g = torch.tanh(per_node.sum(0))
    lines = {
        ln.rsplit(" = ", 1)[0].strip(): ln.rsplit(" = ", 1)[1]
        for ln in out.splitlines()
        if " = [" in ln
    }
    for node in range(3):
        key = next(
            k
            for k in lines
            if k.endswith(f"[v = node {node + 1}]") and "odot" in k and "sum" not in k
        )
        got = np.array(eval_list(lines[key]))
        np.testing.assert_allclose(got, per_node[node].numpy(), atol=1e-6)
    np.testing.assert_allclose(eval_list(lines["line 1: h_g"]), h_g.numpy(), atol=1e-6)


def eval_list(text: str) -> list[float]:
    return [float(v) for v in text.strip().strip("[]").split(",")]


def test_worked_gradients_match_torch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = explain(tmp_path, MLP_ROWS, capsys)
    assert code == 0, out
    x = torch.tensor([[1.0, 2], [3, 4]], dtype=torch.float64)
    W = torch.tensor([[1.0, 0, -1], [0, 1, 1]], dtype=torch.float64, requires_grad=True)
    w = torch.tensor([1.0, 2, 3], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([1.0, 2], dtype=torch.float64)
    loss = ((y - torch.relu(x @ W) @ w) ** 2).sum()
    loss.backward()
    assert w.grad is not None and W.grad is not None
    assert "gradients at these values" in out
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("dL/dw ="))
    np.testing.assert_allclose(eval_list(line.split("=", 1)[1]), w.grad.numpy())
    # and a claim on a gradient is checked too
    code, out = explain(tmp_path, MLP_ROWS + '[claims]\n"dL/dw" = [86, 124, 38]\n', capsys)
    assert code == 0 and "ok: dL/dw" in out


# ---- bad values files and flags: a located error, exit 2, never a traceback --------------
BAD_VALUES = {
    "a string": ('b_f = "one two"', "b_f", "not a number"),
    "a boolean": ("b_f = [true, false, true]", "b_f", "not a number"),
    "ragged rows": ("W_f = [[1, 2, 3, 4, 5, 6], [1, 2]]", "W_f", "not a number"),
    "wrong rank": ("b_f = [[1, 2, 3]]", "b_f", "axes"),
    "a scalar for a vector": ("h = 3", "h", "axes"),
    "wrong size": ("b_f = [1, 2, 3, 4]", "b_f", "disagree"),
    "sizes disagree": ("x = [4, 5, 6, 7]", "x", "disagree"),
    "unknown key": ("g_f = [1, 2, 3]", "g_f", "not a symbol"),
    "a function as a key": ("sigma = [1]", "sigma", "not a symbol"),
    "a learned weight where none is": ('"W_f.weight" = [1]', "W_f.weight", "not a symbol"),
}


def bad_case(line: str) -> str:
    """The forget-gate case with ``line`` replacing the value of its key, or added."""
    key = line.split(" =")[0]
    rows = FORGET.splitlines()
    if any(r.split(" =")[0] == key for r in rows):
        return "\n".join(line if r.split(" =")[0] == key else r for r in rows) + "\n"
    return FORGET + line + "\n"


@pytest.mark.parametrize("name", sorted(BAD_VALUES))
def test_bad_values_are_located_errors(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line, key, words = BAD_VALUES[name]
    code, out = explain(tmp_path, bad_case(line), capsys)
    assert code == 2, out
    assert "Traceback" not in out and words in out, out
    assert f"| {line.split(' =')[0]}" in out or f"| {key}" in out  # the caret line shows the key
    assert "^" in out


X_NODES = "x = [[1, 0], [0, 1], [1, 1]]"
BAD_FILES = {
    "claim of nothing": (FORGET + '[claims]\n"W_f h" = [1, 2, 3]\n', "names nothing"),
    "claim not numbers": (FORGET + '[claims]\nf = "yes"\n', "not a number"),
    "values not a table": (FORGET.split("[values]")[0] + "values = 3\n", "must be a table"),
    "invalid TOML": (FORGET + "W_f = [\n", "not valid TOML"),
    "per-node value as a vector": (
        READOUT.replace("x = [[1, 0], [0, 1], [1, 1]]", "x = [1, 0]"),
        "one row per node",
    ),
    "values against [dims]": (READOUT + "[dims]\nD = 5\n", "D is 5"),
    "nodes disagree": (
        READOUT.replace("x = [[1, 0], [0, 1], [1, 1]]", "x = [[1, 0], [0, 1]]"),
        "number of nodes",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_errors(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, words = BAD_FILES[name]
    code, out = explain(tmp_path, text, capsys)
    assert code == 2, out
    assert "Traceback" not in out and words in out, out


BAD_DIMS = {
    "no number": ("d1", "NAME=NUMBER"),
    "not a number": ("d1=x", "NAME=NUMBER"),
    "no name": ("=3", "NAME=NUMBER"),
    "negative": ("d1=-2", "NAME=NUMBER"),
    "zero": ("d1=0", "positive"),
    "not a size": ("foo=3", "not a size"),
}


@pytest.mark.parametrize("name", sorted(BAD_DIMS))
def test_bad_dims_flags(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flag, words = BAD_DIMS[name]
    src = tmp_path / "wx.tex"
    src.write_text("y = W x\n")
    code = main(["code", str(src), "--dims", flag])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err, err


def test_dims_sets_free_sizes_by_their_printed_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table prints d1, d2 for sizes the source leaves free; --dims d1=2,d2=3 sets them
    (it used to rename them d2, d3 and ask again)."""
    src = tmp_path / "wx.tex"
    src.write_text("y = W x\n")
    assert main(["code", str(src), "--dims", "d1=2"]) == 2
    assert "give d2=" in capsys.readouterr().err
    assert main(["code", str(src), "--dims", "d1=2,d2=3"]) == 0
    assert "SIZES = {'d1': 2, 'd2': 3}" in capsys.readouterr().out


def test_worked_example_is_the_generated_code() -> None:
    """The worked example runs the generated NumPy forward: a softmax of a 2 x 3 matrix
    normalises each row, as the code (and torch) does, not all six entries."""
    import papermath
    from papermath.explain import explain as explain_facts

    system = papermath.compile(
        "% inputs: X\nA = \\mathrm{softmax}(X)\nX \\in \\mathbb{R}^{2 \\times 3}"
    )
    ex = explain_facts(system, {"X": [[1, 2, 3], [0, 0, 0]]})
    got = dict((text, v) for _, text, v in ex.values)["A"]
    want = torch.softmax(torch.tensor([[1.0, 2, 3], [0, 0, 0]], dtype=torch.float64), dim=-1)
    np.testing.assert_allclose(got, want.numpy(), atol=1e-12)
