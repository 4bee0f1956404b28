"""A derivation is a claim: gradient equations a source writes are read apart from the model
and judged against the gradient torch autograd computes through the generated module."""

from __future__ import annotations

import pytest

import papermath
from conftest import CORPUS
from papermath.cli import main
from papermath.derivation import check, split
from papermath.derivation import plain as plain_words

pytest.importorskip("torch")

MODEL = r"""\begin{align}
x &\in \mathbb R^{D_x \times N} \\
W &\in \mathbb R^{D_z \times D_x} \\
w &\in \mathbb R^{1 \times D_z} \\
s_z &:= W\cdot x \\
z &:= relu(s_z) \\
y_{out} &:= w\cdot z \\
\mathcal L &:= \|y-y_{out}\|^2
\end{align}
"""


def verdicts(claims: str) -> list[tuple[str, str]]:
    system = papermath.compile(MODEL + claims)
    return [(c.verdict, plain_words(c.detail)) for c in check(system, {"D_x": 4, "D_z": 5, "N": 6})]


def test_the_notes_derivation_is_right() -> None:
    """The shared case: dL/dz = dL/dy_out . w in the notes' rows layout (N x 1 . 1 x D_z)."""
    case = (CORPUS / "seed_mlp_derivation_check.toml").read_text()
    import tomllib

    data = tomllib.loads(case)
    system = papermath.compile(data["latex"])
    assert system.shapes["z"] == ("D_z", "N") and system.solved == {"D_y": "1"}
    got = check(system, data["dims"])
    assert [(c.line, c.verdict) for c in got] == [
        (12, "right"),  # dL/dy_out declared N x 1: the transpose of y_out's 1 x N
        (13, "not comparable"),  # a Jacobian dy_out/dz
        (14, "right"),
    ]
    assert "Jacobian" in got[1].detail


DZ = r"\frac{\partial \mathcal L}{\partial z}"
DY = r"\frac{\partial \mathcal L}{\partial y_{out}}"


@pytest.mark.parametrize(
    ("claim", "verdict", "words"),
    [
        # columns layout (the shape of the variable): dL/dz = w^T dL/dy_out
        (rf"{DZ} = w^T {DY}", "right", "D_z x N"),
        # a factor of 2 too many
        (rf"{DZ} = 2 w^T {DY}", "wrong", "differs"),
        # a transpose missing: the shapes say so, with both
        (rf"{DZ} = w {DY}", "wrong", "1 x D_z times 1 x N"),
        # the shape declared wrong
        (
            r"\frac{\partial \mathcal L}{\partial y_{out}} \in \mathbb R^{N \times D_z}",
            "wrong",
            "not N x D_z",
        ),
        # the gradient of dL/dW in columns layout: dL/ds_z x^T
        (
            r"\frac{\partial \mathcal L}{\partial W} = "
            r"\frac{\partial \mathcal L}{\partial s_z} x^T",
            "right",
            "D_z x D_x",
        ),
    ],
)
def test_claims_are_judged(claim: str, verdict: str, words: str) -> None:
    ((got, detail),) = verdicts(f"$$\n{claim}\n$$\n")
    assert got == verdict, detail
    assert words in detail


def test_split_keeps_every_other_line_and_column() -> None:
    text = MODEL + "$$\n\\frac{\\partial \\mathcal L}{\\partial z} = 0\n$$\ny = 1\n"
    model, claims = split(text)
    assert len(model) == len(text) and model.count("\n") == text.count("\n")
    assert model.splitlines()[-1] == "y = 1" and len(claims) == 1
    assert "partial" not in model


def test_check_command_exits_1_on_a_wrong_claim(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.tex"
    bad.write_text(
        MODEL + "$$\n\\frac{\\partial \\mathcal L}{\\partial z} = 2 w^T "
        "\\frac{\\partial \\mathcal L}{\\partial y_{out}}\n$$\n"
    )
    assert main(["check", str(bad), "--dims", "D_x=4,D_z=5,N=6", "--no-torch"]) == 1
    out = capsys.readouterr().out
    assert "line 11: d\\mathcal L/dz" in out and "wrong" in out
