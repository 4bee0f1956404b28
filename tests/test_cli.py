"""The command line, as a user runs it: tables, JSON, stdin, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS
from papermath.cli import main


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "papermath", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_shapes_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shapes", str(CORPUS / "seed_lstm_colah.toml")]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:] if line.strip()}
    assert rows["W_f"] == ["parameter", "n", "x", "(m", "+", "n)"]
    assert rows["C"] == ["state", "n"]
    assert "recurrence over t" in out and "h, C" in out


def test_shapes_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shapes", str(CORPUS / "seed_mlp_dim_first.toml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"shapes", "solved", "solved_by", "kinds"}
    assert data["solved"] == {"D_y": "1"}
    assert data["shapes"]["L"] == []
    assert data["shapes"]["y"] == ["1", "N"]
    assert data["kinds"]["y"] == "target"


def test_stdin_and_readings() -> None:
    proc = run("shapes", "-", "--readings", stdin="y_t = W_{hy} h_t\nh_t \\in \\mathbb{R}^{n}")
    assert proc.returncode == 0, proc.stderr
    assert "W_hy" in proc.stdout
    assert "readings:" in proc.stdout and "matrix product" in proc.stdout


def test_dims_flag_checks_consistency(tmp_path: Path) -> None:
    case = tmp_path / "mlp.toml"
    case.write_text((CORPUS / "seed_mlp_dim_first.toml").read_text())
    proc = run("shapes", str(case), "--dims", "D_y=3")
    assert proc.returncode == 2
    assert "D_y" in proc.stderr and "Traceback" not in proc.stderr


def test_error_exit_status_and_no_traceback() -> None:
    proc = run("shapes", str(CORPUS / "error_cell_hidden_mismatch.toml"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "error_cell_hidden_mismatch.toml:1:" in proc.stderr
    assert "^^^" in proc.stderr and "(n)" in proc.stderr and "(k)" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [["shapes", "/no/such/file.tex"], ["catalog", "nope"], ["shapes", "-", "--dims", "m=x"]],
)
def test_user_mistakes_exit_2(args: list[str]) -> None:
    proc = run(*args, stdin="y = W x")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.strip()


def test_bad_toml_case(tmp_path: Path) -> None:
    case = tmp_path / "bad.toml"
    case.write_text("latex = ")
    proc = run("shapes", str(case))
    assert proc.returncode == 2 and "not valid TOML" in proc.stderr


def test_demo_shows_the_lstm() -> None:
    proc = run("demo")
    assert proc.returncode == 0, proc.stderr
    assert "W_f" in proc.stdout and "n x (m + n)" in proc.stdout
    assert "readings:" in proc.stdout and "Hadamard" in proc.stdout


def test_catalog_lists_and_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog"]) == 0
    listing = capsys.readouterr().out
    for name in ("lstm", "lstm_graves", "lstm_torch", "gru", "gru_torch", "ggnn_readout", "mlp"):
        assert name in listing
    assert main(["catalog", "gru"]) == 0
    assert r"\tilde{h}_t" in capsys.readouterr().out


def test_every_catalog_entry_reads() -> None:
    from papermath import catalog

    for name in catalog.names():
        system = catalog.load(name)
        assert system.shapes, name


def test_code_numpy_to_file_runs(tmp_path: Path) -> None:
    out = tmp_path / "lstm_gen.py"
    latex = tmp_path / "lstm.tex"
    latex.write_text(run("catalog", "lstm").stdout)
    proc = run("code", str(latex), "--dims", "m=3,n=4", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    check = (
        "import importlib.util, numpy as np\n"
        f"spec = importlib.util.spec_from_file_location('g', {str(out)!r})\n"
        "g = importlib.util.module_from_spec(spec); spec.loader.exec_module(g)\n"
        "p = g.init_params(np.random.default_rng(0))\n"
        "out, cache = g.forward(p, {'x': np.ones((5, 2, 3))})\n"
        "assert out['h'].shape == (5, 2, 4), out['h'].shape\n"
    )
    subprocess.run([sys.executable, "-c", check], check=True, timeout=60)


def test_code_torch_and_dim_first() -> None:
    proc = run(
        "code",
        str(CORPUS / "seed_mlp_dim_first.toml"),
        "--target",
        "torch",
        "--dims",
        "D_x=4,D_z=5",
    )
    assert proc.returncode == 0, proc.stderr
    assert "class Model(nn.Module)" in proc.stdout and "s_z = W @ x" in proc.stdout
    proc = run("code", str(CORPUS / "elman_rnn.toml"), "--layout", "dim-first")
    assert proc.returncode == 0, proc.stderr
    assert "W_hh @ h_prev" in proc.stdout  # D x N: the matrix on the left, as on paper


def test_code_without_numbers_for_sizes_is_a_clear_error() -> None:
    proc = run(
        "code", str(CORPUS / "seed_lstm_colah.toml").replace("colah", "graves"), "--dims", "m=3"
    )
    assert proc.returncode == 0  # the case file's [dims] gives n
    proc = run("code", "-", stdin="y = W x")
    assert proc.returncode == 2 and "dims" in proc.stderr and "Traceback" not in proc.stderr


def test_solved_sizes_and_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The shared mismatch case asks for strict sizes ([options]): an error. The same
    equations without it answer k = n, with the equation that forces it; --strict errs."""
    case = CORPUS / "error_cell_hidden_mismatch.toml"
    assert main(["shapes", str(case)]) == 2
    loose = tmp_path / "loose.toml"
    loose.write_text(
        "\n".join(line for line in case.read_text().splitlines() if "strict" not in line)
    )
    capsys.readouterr()
    assert main(["shapes", str(loose)]) == 0
    out = capsys.readouterr().out
    assert "solved: k = n  (forced by line 1: o_t \\odot \\tanh(C_t))" in out
    assert main(["shapes", str(loose), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["solved"] == {"k": "n"} and data["solved_by"]["k"]["line"] == 1
    assert main(["shapes", str(loose), "--strict"]) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('latex = "y = x"\n[options]\nstrict = "yes"\n')
    assert main(["shapes", str(bad)]) == 2


READING_COMMANDS = {
    "shapes": [],
    "code": [],
    "explain": [],
    "diagram": ["-o", "{tmp}/d.dot"],
    "report": ["-o", "{tmp}/r.html"],
    "grad": ["--wrt", "W_f"],
    "check": ["--no-torch"],
}


@pytest.mark.parametrize("command", list(READING_COMMANDS))
def test_every_reading_command_takes_dims_and_strict(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README says every command that reads takes --dims and --strict: each one does
    what they say (strict sizes are an error; --dims naming no size is an error)."""
    case = CORPUS / "error_cell_hidden_mismatch.toml"
    loose = tmp_path / "loose.toml"
    loose.write_text(
        "\n".join(line for line in case.read_text().splitlines() if "strict" not in line)
    )
    extra = [a.format(tmp=tmp_path) for a in READING_COMMANDS[command]]
    assert main([command, str(loose), "--strict", *extra]) == 2
    assert "k" in capsys.readouterr().err
    assert main([command, str(loose), "--dims", "nosuch=3", *extra]) == 2
    assert "--dims names 'nosuch'" in capsys.readouterr().err


def test_missing_sizes_are_named_at_once(tmp_path: Path) -> None:
    latex = tmp_path / "free.tex"
    latex.write_text("y = \\tanh(W x + U h)\n")
    proc = run("code", str(latex))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "the sizes d1, d2, d3 have no number: give d1=..., d2=..., d3=..." in proc.stderr


def test_a_port_in_use_is_an_error_not_a_greeting() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run("serve", "--port", str(port))
    assert proc.returncode == 2, proc.stderr
    assert "workbench on" not in proc.stdout
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr and "Traceback" not in proc.stderr
