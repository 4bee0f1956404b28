"""The one-page report in a real browser (Debian's chromium, headless): the math is typeset
by KaTeX, the diagram is there, and the page is not blank. Diagrams via Graphviz's dot."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from papermath import catalog
from papermath.diagram import to_dot
from papermath.report import report_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CORPUS_PAPERS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus_papers"
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
    assert "<script src" not in text  # nothing loaded from elsewhere: the page works offline
    assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?https?:""", text)
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


# ---- the math typeset as read, not as typed (issue 24) -----------------------------------
@functools.cache
def readable_systems() -> list[tuple[str, Any]]:
    """Every catalog entry and every case papermath reads: the shared corpus, the papers'
    corpus and the real-world corpus (tests/wild)."""
    import tomllib

    import papermath
    from conftest import CORPUS, corpus_cases

    systems = [(n, catalog.load(n)) for n in catalog.names()]
    cases = corpus_cases(readable_only=True)
    papers = sorted(CORPUS_PAPERS.glob("*.toml"))
    wild = sorted((Path(__file__).parent / "wild" / "cases").glob("*.toml"))
    cases += [(p.stem, tomllib.loads(p.read_text())) for p in [*papers, *wild]]
    for name, case in cases:
        try:
            systems.append((name, papermath.compile(case["latex"], case.get("dims"))))
        except papermath.PapermathError:
            assert CORPUS.is_dir()  # refused: nothing typeset
    return systems


def test_plain_text_equations_are_typeset_as_read() -> None:
    """`W_xf * x_t + W_hf*h_t-1` is read as W_{xf} x_t + W_{hf} h_{t-1}; typeset as typed,
    KaTeX would show W_x f * x_t + W_h f * h_t - 1. The equations, the answers, the
    explanation and the workbench's pane all show the reading."""

    import papermath
    from conftest import CORPUS
    from papermath.report.typeset import Typesetter
    from papermath.serve.work import analyse

    for path in (CORPUS / "seed_lstm_blog_plaintext.toml", CORPUS_PAPERS / "gru_plaintext.toml"):
        case = __import__("tomllib").loads(path.read_text())
        assert "h_t-1" in case["latex"]  # typed as plain text
        system = papermath.compile(case["latex"], case.get("dims"))
        printed = [Typesetter(system).equation(eq) for eq in system.equations]
        assert any("h_{t-1}" in p for p in printed), printed
        assert not any("h_t-1" in p or "*" in p for p in printed), printed
        if "W_xf" in case["latex"]:
            assert any("W_{xf} x_t" in p and "W_{hf} h_{t-1}" in p for p in printed), printed
        page = report_html(system)
        shown = re.findall(r'data-tex="([^"]*)"', page)
        assert not [s for s in shown if "h_t-1" in s or "W_xf" in s or "W_hf" in s]
        assert any("h_{t-1}" in s for s in shown)
        answers = page.split("<h3>Answers</h3>", 1)[1].split("<h3>", 1)[0]
        quoted = re.findall(r'data-tex="([^"]*)"', answers)
        assert quoted and not [s for s in quoted if "*" in s or "h_t-1" in s], quoted
        assert any("\\odot" in s for s in quoted)  # o_t * tanh(C_t): a Hadamard product
        pane = analyse({"src": case["latex"], "dims": ""})
        assert pane["ok"]
        assert all("h_t-1" not in e["tex"] for e in pane["equations"])
        pane_tex = re.findall(r'data-tex="([^"]*)"', pane["explanation_html"])
        assert not [s for s in pane_tex if "h_t-1" in s]


def test_typeset_equations_read_back_to_the_same_system() -> None:
    """The oracle is papermath's own reader: the source with every equation replaced by its
    typeset form reads to the same shapes and kinds (nothing was lost or changed)."""
    import papermath
    from papermath.report import upright
    from papermath.report.typeset import Typesetter

    for name, system in readable_systems():
        ts = Typesetter(system)
        if any(r.reading in ("read as code", "sequential update in code") for r in system.readings):
            # a formula written as code typesets its reductions as `\max_i [..]_i`, an entry
            # of an expression, which papermath does not read back yet; RST code updates
            # (``param := ...``) typeset as LaTeX inside the code literal: not compared (a gap)
            continue
        text = system.source.text
        # one written line may read as several equations (a, b = x, y; [q, k, v] = z U):
        # the span is replaced once, by each equation's typeset form with \\ between
        groups: list[list[int | list[str]]] = []  # [start, end, forms], spans that overlap
        for eq in sorted(system.equations, key=lambda e: e.span.start):
            form = upright(ts.equation(eq))
            if groups and eq.span.start < groups[-1][1]:  # type: ignore[operator]
                groups[-1][1] = max(groups[-1][1], eq.span.end)  # type: ignore[call-overload]
                groups[-1][2].append(form)  # type: ignore[union-attr]
            else:
                groups.append([eq.span.start, eq.span.end, [form]])
        for start, end, forms in reversed(groups):
            joined = " \\\\ ".join(dict.fromkeys(forms))  # type: ignore[arg-type]
            text = text[:start] + joined + text[end:]  # type: ignore[index,misc]
        again = papermath.compile(text, system.dims or None)
        assert again.shapes == system.shapes, (name, text)
        assert again.kinds == system.kinds, name


def test_every_formula_on_every_page_typesets_in_katex(tmp_path: Path) -> None:
    """Every data-tex of the report (equations, answers, explanation, shapes, gradients) of
    every readable case renders in KaTeX with throwOnError: one page, one browser."""
    import html
    import json

    from papermath.report import katex_assets

    formulas: set[str] = set()
    for _, system in readable_systems():
        page = report_html(system)
        formulas.update(html.unescape(m) for m in re.findall(r'data-tex="([^"]*)"', page))
    _, js = katex_assets()
    probe = tmp_path / "probe.html"
    probe.write_text(
        f"<!DOCTYPE html><html><head><script>{js}</script></head><body><pre id=out></pre>"
        f"<script>const all = {json.dumps(sorted(formulas))}; const bad = [];"
        "for (const f of all) { try { katex.renderToString(f, {throwOnError: true}); }"
        " catch (e) { bad.push(f + ' :: ' + e.message); } }"
        "document.getElementById('out').textContent = 'RESULT ' + all.length + ' ' + "
        "JSON.stringify(bad);</script></body></html>"
    )
    dom = browser(tmp_path, "--dump-dom", probe.as_uri()).stdout
    found = re.search(r"RESULT (\d+) (.*?)</pre>", dom, re.S)
    assert found, dom[-500:]
    assert int(found.group(1)) == len(formulas) > 500
    assert html.unescape(found.group(2)) == "[]"


def test_explanation_prose_has_no_raw_latex() -> None:
    """Prose quotes math as $...$, typeset: outside the formulas, the explanation's text has
    no LaTeX command (`\\sigma \\left( i(h_v^{(T)}, ...` was shown raw)."""
    import html

    from papermath.explain import explain
    from papermath.report import explanation_html

    for name, system in readable_systems():
        page = explanation_html(explain(system))
        page = re.sub(r'data-tex="[^"]*"', "", page)
        words = html.unescape(re.sub(r"<[^>]+>", " ", page))
        assert not re.search(r"\\[A-Za-z]+|[_^]\{\(", words), (name, words)


def test_report_page_order_title_and_folded_notes() -> None:
    """The diagram comes right after the shapes, the reading notes (one per decision, about
    60 for an LSTM) after the explanation and folded; a title that only names a file says
    what the equations define instead, the file named below it."""
    system = catalog.load("lstm")
    page = report_html(system, "papermath: ../shared/corpus/seed_lstm_colah.toml")
    body = page.split("<body>", 1)[1]
    order = [
        body.index(h)
        for h in (
            "<h2>Shapes",
            "<h2>Dataflow",
            "<h2>Explanation",
            "Reading notes</h2>",
            "<h2>Generated",
        )
    ]
    assert order == sorted(order)
    notes = body.split("Reading notes</h2>", 1)[1].split("<h2", 1)[0]
    assert notes.lstrip().startswith("<details>") and "<details open" not in notes
    assert notes.count("<tr>") == len(system.readings) + 1
    heading = body.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "shared/corpus" not in heading and heading.startswith("What ")
    assert heading.count("data-tex") == len({eq.lhs.key for eq in system.equations})
    assert "seed_lstm_colah.toml" in body.split("</h1>", 1)[1][:300]
    assert "<title>papermath: " in page and ".toml" not in page.split("</title>")[0]
    named = report_html(system, "Blog: the LSTM typed as plain text")
    assert "<h1>Blog: the LSTM typed as plain text</h1>" in named
