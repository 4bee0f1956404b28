"""Each asker's text pasted as typed (the shared seed cases' LaTeX, prose included, written to
a plain file with nothing added) into the CLI and into the workbench: the facts of that
asker's answer come out of both (issue 25's Done-when)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT
from papermath.cli import main
from papermath.serve.work import analyse

os.environ.setdefault("PAPERMATH_KERNELS", "off")

SEEDS = ROOT.parent / "shared" / "corpus"


def typed(name: str) -> str:
    return tomllib.loads((SEEDS / f"{name}.toml").read_text())["latex"]


def as_file(tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.tex"
    path.write_text(typed(name))
    return str(path)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    got = capsys.readouterr()
    return code, got.out + got.err


def shapes_of(out: dict) -> dict[str, str]:
    return {s["key"]: s["shape"] for s in out["symbols"]}


def test_the_qa_askers_bullets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = as_file(tmp_path, "seed_lstm_qa_bullets")
    code, out = cli(capsys, "explain", path)
    assert code == 0, out
    # the sizes said in words, and the bullet's w_f read as the equation's W_f
    assert "W_f: a k x (m + n) matrix" in out
    assert "x: a vector of size m" in out and "b_f: a vector of size k" in out
    assert "w_f is W_f, the only symbol of that name up to case" in out
    # the asker's own numbers worked through, and the asker's own slip pointed at
    assert "line 8: [h_{t-1}, x_t] = [4., 5., 6., 1., 2., 3.]" in out
    assert "w_f = 3*3 does not fit the equations: W_f is (k, m + n), which is 3 x 6" in out
    wb = analyse({"src": typed("seed_lstm_qa_bullets")})
    assert wb["ok"], wb
    assert shapes_of(wb)["W_f"] == "k x (m + n)" and shapes_of(wb)["x"] == "m"
    assert "x = [1.0, 2.0, 3.0]" in wb["values"]


def test_the_bloggers_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = as_file(tmp_path, "seed_lstm_blog_one_line")
    code, out = cli(capsys, "explain", path)
    assert code == 0, out
    assert "W_xc: a d1 x m matrix" in out and "W_hc: a d1 x n matrix" in out
    assert "d1, the size of C, f, i, b_{c}" in out and "is free" in out
    code, said = cli(capsys, "diagram", path, "-o", str(tmp_path / "blog.svg"))
    assert code == 0, said
    assert (tmp_path / "blog.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    wb = analyse({"src": typed("seed_lstm_blog_one_line")})
    assert wb["ok"], wb
    assert shapes_of(wb)["C"] == "d1" and shapes_of(wb)["W_xc"] == "d1 x m"
    assert "is free" in wb["explanation_html"] and wb["diagram_svg"].startswith("<svg")


def test_the_forum_answers_tanh_of_a_bar_dot_b_bar_is_refused_with_both_sizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = as_file(tmp_path, "seed_ggnn_answer_tanh_AB")
    code, out = cli(capsys, "shapes", path)
    assert code != 0 and "Traceback" not in out
    assert ":3:" in out and "(|V|, G)" in out
    wb = analyse({"src": typed("seed_ggnn_answer_tanh_AB")})
    assert not wb["ok"]
    assert wb["error"]["line"] == 3 and wb["error"]["message"].count("(|V|, G)") == 2


def test_the_notes_backward_pass_typo_is_found_with_line_and_sizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = as_file(tmp_path, "seed_mlp_backward_samplefirst")
    code, out = cli(capsys, "shapes", path)
    assert code != 0 and "Traceback" not in out
    assert ":8:" in out and "(N, D_k)" in out and "(N, D_{k-1})" in out
    wb = analyse({"src": typed("seed_mlp_backward_samplefirst")})
    assert not wb["ok"]
    assert wb["error"]["line"] == 8 and "(N, D_{k-1})" in wb["error"]["message"]


def test_the_notes_derivation_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = as_file(tmp_path, "seed_mlp_derivation_check")
    code, out = cli(capsys, "check", path)
    assert code == 0, out
    claim = "d\\mathcal L/dz = \\frac{\\partial \\mathcal L}{\\partial y_{out}} \\cdot w"
    assert f"line 14: {claim}" in out
    assert "right: equal to the gradient at random values (N x D_z)" in out
    wb = analyse({"src": typed("seed_mlp_derivation_check")})
    assert wb["ok"], wb
    page = wb["explanation_html"]
    assert "The derivation&#x27;s claims" in page or "The derivation's claims" in page
    assert "right: equal to the gradient at random values" in page
    assert shapes_of(wb)["W"] == "D_z x D_x"
