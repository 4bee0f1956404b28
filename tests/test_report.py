"""The one-page report in a real browser (Debian's chromium, headless): the math is typeset
by KaTeX, the diagram is there, and the page is not blank. Diagrams via Graphviz's dot."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from papermath import catalog
from papermath.diagram import to_dot
from papermath.report import report_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need(tool: str | None, name: str) -> str:
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing on CI: .ci/run installs it")
        pytest.skip(f"{name} is not installed (make test installs it as root)")
    return tool


def browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = need(CHROMIUM, "chromium")
    return subprocess.run(
        [exe, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", catalog.names())
def test_report_renders_in_chromium(name: str, tmp_path: Path) -> None:
    need(shutil.which("dot"), "graphviz")
    from PIL import Image, ImageStat

    system = catalog.load(name)
    page = tmp_path / f"{name}.html"
    page.write_text(report_html(system, f"papermath: {name}"))
    text = page.read_text()
    assert "<script src" not in text and "http" not in text.split("<body>")[1][:2000]
    dom = browser(tmp_path, "--dump-dom", page.as_uri()).stdout
    typeset = dom.count('class="katex"')
    assert typeset >= len(system.equations) + len(system.shapes), typeset  # KaTeX ran
    assert 'class="katex-error"' not in dom  # no formula failed to typeset
    assert "<svg" in dom and ("tanh" in dom or "σ" in dom)  # the diagram is inline
    shot = tmp_path / "shot.png"
    browser(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri())
    image = Image.open(shot).convert("L")
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 10, "the screenshot is blank"
    dark = sum(image.histogram()[:128])
    assert dark > 2000, "too little ink: the page did not render"


def test_diagram_of_the_lstm_has_no_delay_lines() -> None:
    dot = to_dot(catalog.load("lstm"))
    # incoming state on the left, outgoing on the right, as explicit nodes
    assert "rank=source" in dot and "rank=sink" in dot
    assert "h<sub>t−1</sub>" in dot and "C<sub>t−1</sub>" in dot
    assert "<b>h<sub>t</sub></b>" in dot and "<b>C<sub>t</sub></b>" in dot
    assert "⊙" in dot and "σ" in dot and "[ , ]" in dot
    assert "W<sub>f</sub> ·" in dot and "+ b<sub>f</sub>" in dot  # parameters as labels
    assert dot.count("label=<[ , ]>") == 1  # the shared concatenation is drawn once


def test_diagram_has_a_legend_of_every_symbol_it_uses_and_sizes() -> None:
    """The blogger's complaint: unlabelled dots. Every operator symbol drawn is in the legend,
    and each arrow says the size of the value it carries (n into a gate, m+n out of [ , ])."""
    import re

    dot = to_dot(catalog.load("lstm"))
    legend = dot.split("subgraph cluster_legend", 1)[1]
    drawn = set(re.findall(r"label=<([^<>]+)>, shape=circle", dot.split("subgraph")[0]))
    drawn |= {"[ , ]", "W ·", "+ b"}
    for symbol in drawn:
        if symbol.startswith("+ b"):
            symbol = "+ b"
        assert f">{symbol}</td>" in legend, symbol
    for meaning in ("Hadamard", "logistic sigmoid", "concatenation", "matrix product"):
        assert meaning in legend
    assert "<font point-size='9'>m+n</font>" in dot  # [h, x] carries m + n
    assert "<font point-size='9'>n</font>" in dot
    quiet = to_dot(catalog.load("lstm"), sizes=False)
    assert "m+n</font>" not in quiet and "legend" in quiet


def test_diagram_cli_writes_svg_png_and_dot(tmp_path: Path) -> None:
    from papermath.cli import main

    need(shutil.which("dot"), "graphviz")
    src = tmp_path / "gru.tex"
    src.write_text(catalog.latex("gru_torch"))
    for ext in ("svg", "png", "dot"):
        out = tmp_path / f"gru.{ext}"
        assert main(["diagram", str(src), "-o", str(out)]) == 0
        assert out.stat().st_size > 100
    assert (tmp_path / "gru.png").read_bytes()[:4] == b"\x89PNG"


def test_system_renders_in_jupyter() -> None:
    html_text = catalog.load("mlp")._repr_html_()
    assert html_text.startswith("<!DOCTYPE html>") and "data-tex" in html_text


def layout_programs() -> list[str]:
    import sys

    found = [shutil.which("dot"), shutil.which("graphviz-pure")]
    beside = Path(sys.executable).parent / "graphviz-pure"
    found.append(str(beside) if beside.exists() else None)
    return list(dict.fromkeys(p for p in found if p))


def test_every_diagram_lays_out_with_every_graphviz_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """Debian's dot is stricter than graphviz-pure (an empty <font></font> label is a syntax
    error there): every catalog entry and corpus case lays out with each program found."""
    import papermath
    from conftest import corpus_cases
    from papermath.diagram import render

    programs = layout_programs()
    if not programs:
        pytest.skip("no Graphviz")
    systems = [catalog.load(n) for n in catalog.names()]
    for _, case in corpus_cases(readable_only=True):
        if "error" not in case.get("expect", {}):
            systems.append(papermath.compile(case["latex"], case.get("dims")))
    for program in programs:
        monkeypatch.setenv("PAPERMATH_DOT", program)
        for system in systems:
            assert b"<svg" in render(to_dot(system), "svg")
