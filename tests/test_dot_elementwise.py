r"""``\cdot`` between vectors read as the elementwise product where the declared left side
leaves no other reading (shapes/rules_dot_elementwise.py): Highway Networks' eq. 3 (with H
defined, as the refusal of the paper's own text asks), an LSTM cell written with dots. The
generated torch module against the layer written here by hand in torch, and papermath check
(finite differences, torch autograd); near misses stay refused with the caret on the
construct."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import papermath
from papermath.check import check
from refusals import caret, refused

PAPER = Path(__file__).resolve().parents[2] / "shared" / "corpus_papers"
HIGHWAY = "\n".join(
    [
        r"\mathbf{y} = H(\mathbf{x}, \mathbf{W_H}) \cdot T(\mathbf{x}, \mathbf{W_T}) + "
        r"\mathbf{x} \cdot (1 - T(\mathbf{x}, \mathbf{W_T}))",
        r"T(\mathbf{x}) = \sigma(\mathbf{W_T}^T \mathbf{x} + \mathbf{b_T})",
        r"H(\mathbf{x}) = \tanh(\mathbf{W_H}^T \mathbf{x} + \mathbf{b_H})",
        r"\mathbf{x} \in \mathbb{R}^{n}, \mathbf{y} \in \mathbb{R}^{n}",
    ]
)
VECTORS = r"f_t \in \mathbb{R}^{H}, i_t \in \mathbb{R}^{H}, g_t \in \mathbb{R}^{H}"
ELEMENTWISE = "Hadamard (elementwise) product"


def test_highway_layer_with_h_defined_reads_elementwise_and_equals_torch() -> None:
    torch = pytest.importorskip("torch")
    system = papermath.compile(HIGHWAY)
    assert system.shapes["y"] == ("n",) and system.shapes["W_T"] == ("n", "n")
    said = [r for r in system.readings if r.reading == ELEMENTWISE]
    assert len(said) == 2
    assert all("cdot-elementwise-by-declaration" in r.reason for r in said)
    assert all("y is declared (n)" in r.reason for r in said)

    module = system.to_torch({"n": 4}, dtype=torch.float64)
    p = dict(module.named_parameters())
    with torch.no_grad():
        for v in p.values():
            v.normal_()
    x = torch.randn(5, 4, dtype=torch.float64)
    gate = torch.sigmoid(x @ p["W_T"] + p["b_T"])  # W_T^T x for each row x
    h = torch.tanh(x @ p["W_H"] + p["b_H"])
    want = h * gate + x * (1 - gate)
    assert torch.allclose(module(x=x)["y"], want, atol=1e-12)
    results = check(system, {"n": 4})
    assert results and all(r.ok for r in results)


def test_the_papers_own_text_reads_h_as_a_layer_of_its_weights() -> None:
    """p21 as printed: H is never defined (the paper leaves its form open); H(x, W_H) is read
    as papermath reads any function the source does not define, a learnable function of x,
    whose weights W_H names (said), and the dots read elementwise."""
    path = PAPER / "p21_highway_fn_srivastava2015.toml"
    if not path.exists():
        pytest.skip("../shared/corpus_papers is not here")
    system = papermath.compile(tomllib.loads(path.read_text())["latex"])
    assert system.functions["H"] == ("n", "n")
    assert any("a layer named with its weights" in r.reading for r in system.readings)
    products = [r.reading for r in system.readings if "product" in r.reading]
    assert products.count(ELEMENTWISE) == 2


def test_an_lstm_cell_written_with_dots_reads_elementwise() -> None:
    system = papermath.compile(
        "c_t = f_t \\cdot c_{t-1} + i_t \\cdot g_t\n" + r"c_t \in \mathbb{R}^{H}, " + VECTORS
    )
    assert system.shapes["c"] == ("H",)
    assert [r.reading for r in system.readings if "product" in r.reading] == [ELEMENTWISE] * 2


@pytest.mark.parametrize(
    ("text", "under"),
    [
        # another vector term: a dot product's number, broadcast, fits too
        (
            "c_t = f_t \\cdot c_{t-1} + i_t \\odot g_t\n" + r"c_t \in \mathbb{R}^{H}, " + VECTORS,
            r"f_t \cdot c_{t-1}",
        ),
        # under a function: the sum's shape says nothing of the product's
        (
            r"y = \sigma(a \cdot b), y \in \mathbb{R}^{n}, a \in \mathbb{R}^{n}, "
            r"b \in \mathbb{R}^{n}",
            r"\sigma(a \cdot b)",
        ),
        # vectors of another size than y: elementwise would make m = n
        (
            r"y = a \cdot b, y \in \mathbb{R}^{n}, a \in \mathbb{R}^{m}, b \in \mathbb{R}^{m}",
            r"a \cdot b",
        ),
    ],
)
def test_what_the_declarations_do_not_decide_stays_refused(text: str, under: str) -> None:
    assert caret(refused(text)) == under


def test_an_undeclared_left_side_keeps_the_dot_product() -> None:
    system = papermath.compile(r"y = a \cdot b, a \in \mathbb{R}^{n}, b \in \mathbb{R}^{n}")
    assert system.shapes["y"] == ()
    assert "dot product" in {r.reading for r in system.readings}
