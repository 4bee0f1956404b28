r"""``papermath check`` where the source leaves an activation unnamed (src/papermath/standin.py):
Wikipedia's Jordan network, ``y_t = \sigma_y(W_y h_t + b_y)``. The check runs once with each
stand-in (sigmoid, tanh, relu) and says so; ``code`` keeps refusing. The oracles are the
check's own (float64 finite differences of the generated forward, torch autograd) and, for
the stand-in itself, a NumPy loop written here by hand."""

from __future__ import annotations

import numpy as np
import pytest

import papermath
from papermath import standin
from papermath.cli import main
from papermath.errors import ReadingError
from papermath.ir.prims import fn_p
from papermath.ir.rules import vjp_rules

JORDAN = "\n".join(
    [
        r"h_t = \sigma_h(W_h x_t + U_h y_{t-1} + b_h)",
        r"y_t = \sigma_y(W_y h_t + b_y)",
        r"x_t \in \mathbb{R}^{d}, h_t \in \mathbb{R}^{n}, y_t \in \mathbb{R}^{q}",
    ]
)
DIMS = {"d": 3, "n": 4, "q": 2}


def test_an_unnamed_activation_passes_check_with_every_stand_in_said() -> None:
    pytest.importorskip("torch")  # the second oracle: torch autograd through the module
    system = papermath.compile(JORDAN)
    results, stand_in = standin.check_or_stand_in(system, DIMS)
    assert results == [] and stand_in is not None
    assert all(r.torch_error is not None for _, run in stand_in.runs for r in run)
    assert [name for name, _ in stand_in.runs] == ["sigmoid", "tanh", "relu"]
    assert all(r.ok for _, run in stand_in.runs for r in run) and stand_in.ok
    assert {r.key for r in stand_in.runs[0][1]} >= {"W_h", "U_h", "b_h", "W_y", "b_y", "x", "y"}
    said = stand_in.statement()
    assert said.startswith(
        r"the source does not name \sigma_y; checked with sigmoid, tanh and relu standing in: ok"
    )


def test_a_system_with_every_function_named_is_checked_as_before() -> None:
    named = JORDAN.replace(r"\sigma_y(", r"\tanh(")
    results, stand_in = standin.check_or_stand_in(papermath.compile(named), DIMS, use_torch=False)
    assert stand_in is None and results and all(r.ok for r in results)


def test_code_still_refuses_and_no_stand_in_is_left_behind() -> None:
    system = papermath.compile(JORDAN)
    standin.check_with_stand_ins(system, DIMS, use_torch=False)
    assert standin.current() is None
    for make in (system.numpy_source, system.torch_source):
        with pytest.raises(ReadingError, match=standin.UNNAMED_WORDS):
            make(DIMS)


def test_the_stand_in_is_the_function_it_names() -> None:
    """With tanh standing in, the generated forward is the hand-written loop with tanh at
    \\sigma_y (and \\sigma_h tanh, as the convention of Wikipedia's articles reads it)."""
    stand_in = papermath.compile(JORDAN)
    with standin.standing_in("tanh"):
        gen = stand_in.to_numpy(DIMS)
    rng = np.random.default_rng(3)
    params = gen.init_params(rng)
    steps, batch = 5, 2
    x = rng.normal(size=(steps, batch, 3))
    y0 = rng.normal(size=(batch, 2))
    out, _ = gen.forward(params, {"x": x}, {"y": y0})
    y = y0
    for t in range(steps):
        pre = x[t] @ params["W_h"].T + y @ params["U_h"].T + params["b_h"]
        h = np.tanh(pre)
        y = np.tanh(h @ params["W_y"].T + params["b_y"])
        np.testing.assert_allclose(out["y"][t], y, rtol=1e-10, atol=1e-12)


def test_a_broken_backward_fails_for_the_stand_in_it_breaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    right = vjp_rules[fn_p]

    def broken(bw, op, g):  # type: ignore[no-untyped-def]
        if op.attrs["fn"] == "relu":
            bw.add(op.inputs[0], f"2.0 * {g}")  # relu' is 0 or 1, never 2
            return
        right(bw, op, g)

    monkeypatch.setitem(vjp_rules, fn_p, broken)
    got = standin.check_with_stand_ins(papermath.compile(JORDAN), DIMS, use_torch=False)
    verdicts = {name: all(r.ok for r in run) for name, run in got.runs}
    assert verdicts == {"sigmoid": True, "tanh": True, "relu": False}
    assert not got.ok
    assert "FAILED with relu" in got.statement()


def test_cli_check_says_the_stand_ins(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "jordan.tex"  # type: ignore[operator]
    path.write_text(JORDAN + "\n")
    code = main(["check", str(path), "--no-torch", "--dims", "d=3,n=4,q=2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "with relu standing in:" in out
    assert r"the source does not name \sigma_y; checked with sigmoid, tanh and relu" in out


def test_wild_report_counts_a_stand_in_pass_only_with_its_statement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """scripts/wild_report.py --check: the Jordan network counts as passing, and the line that
    says which functions stood in is printed beside it."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "wild_report.py"
    spec = importlib.util.spec_from_file_location("standin_wild_report", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    passed, failed = script.check_cases([("jordan", {"latex": JORDAN, "dims": DIMS})])
    assert (passed, failed) == (1, [])
    said = capsys.readouterr().out
    assert r"jordan: the source does not name \sigma_y; checked with sigmoid, tanh and relu" in said
