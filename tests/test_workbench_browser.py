"""The workbench in a real browser: `papermath serve`'s app on a loopback port, Debian's
Chromium driven by Playwright (never a browser download). Types into the editor, hovers a
symbol, switches the layout, opens a shared URL, sees an error inline; screenshots are
checked not blank."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

pytest.importorskip("starlette")
playwright = pytest.importorskip("playwright.sync_api")

from conftest import live  # noqa: E402
from papermath.serve.seeds import SEEDS  # noqa: E402

SEED = {s["name"]: s for s in SEEDS}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
READY = "['ready', 'error'].includes(document.body.dataset.state)"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    from papermath.serve.app import create_app

    with live(create_app()) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing on CI: make test installs it as root")
        pytest.skip("chromium is not installed (make test installs it as root)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert not errors, errors


def open_src(page: Any, server: str, src: str, dims: str = "", **extra: str) -> None:
    query = f"src={quote(src)}" + (f"&dims={quote(dims)}" if dims else "")
    query += "".join(f"&{k}={quote(v)}" for k, v in extra.items())
    page.goto(f"{server}/?{query}")
    wait_update(page, 0)


def wait_update(page: Any, before: int) -> None:
    page.wait_for_function(
        f"Number(document.body.dataset.updates) > {before} && {READY}", timeout=20000
    )


def updates(page: Any) -> int:
    return int(page.evaluate("Number(document.body.dataset.updates)"))


def not_blank(path: Path) -> None:
    from PIL import Image, ImageStat

    with Image.open(path) as im:
        stat = ImageStat.Stat(im.convert("L"))
        assert stat.stddev[0] > 10, f"{path.name} looks blank"


def test_a_shared_lstm_link_shows_math_shapes_and_the_diagram(
    page: Any, server: str, tmp_path: Path
) -> None:
    seed = SEED["lstm-qa"]
    open_src(page, server, seed["latex"], seed["dims"])
    assert page.evaluate("document.body.dataset.state") == "ready"
    assert page.locator("#equations .katex").count() == 6  # typeset by KaTeX
    shape = page.locator('#shapes tr[data-key="W_f"] .shape-cell')
    assert shape.get_attribute("data-shape") == "n x (m + n)"
    assert "n×(m+n)" in shape.inner_text().replace(" ", "").replace("\n", "")
    assert page.locator("#diagram svg g.node").count() > 20
    assert page.evaluate("workbench.view.state.doc.toString()") == seed["latex"]
    page.screenshot(path=tmp_path / "lstm.png", full_page=True)
    not_blank(tmp_path / "lstm.png")


def test_typing_updates_the_shapes_and_an_error_shows_inline(page: Any, server: str) -> None:
    open_src(page, server, "h = W x\nx \\in \\mathbb{R}^{3}")
    assert page.locator('#shapes tr[data-key="W"] .shape-cell').get_attribute("data-shape") == (
        "d1 x 3"
    )
    before = updates(page)
    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(", h \\in \\mathbb{R}^{5}")
    wait_update(page, before)
    assert page.locator('#shapes tr[data-key="W"] .shape-cell').get_attribute("data-shape") == (
        "5 x 3"
    )
    before = updates(page)
    page.keyboard.press("Control+End")
    page.keyboard.type("\ny = W +")
    wait_update(page, before)
    assert page.evaluate("document.body.dataset.state") == "error"
    box = page.locator("#error")
    assert box.is_visible() and "line 3" in box.inner_text() and "hint" in box.inner_text()
    assert page.locator(".cm-pm-error").count() >= 1  # the span is marked in the editor
    assert "stale" in (page.locator("#pane-shapes").get_attribute("class") or "")


def test_hovering_a_symbol_shows_its_shape_and_highlights_its_source(
    page: Any, server: str
) -> None:
    seed = SEED["lstm-qa"]
    open_src(page, server, seed["latex"], seed["dims"])
    # the first W_f in the editor: hover it
    box = page.evaluate(
        """() => { const v = workbench.view;
                   const c = v.coordsAtPos(v.state.doc.toString().indexOf('W_f') + 1);
                   return {x: c.left + 2, y: (c.top + c.bottom) / 2}; }"""
    )
    page.mouse.move(box["x"], box["y"])
    tip = page.locator(".pm-tip")
    tip.wait_for(timeout=5000)
    assert "n x (m + n)" in tip.inner_text() and "parameter" in tip.inner_text()
    assert page.locator(".cm-pm-highlight").first.inner_text() == "W_f"
    # hovering a reading note highlights its source span
    page.mouse.move(0, 0)
    assert not page.locator("#readings .reading").first.is_visible()  # folded by default
    page.click("#readings-box summary")
    page.locator("#readings .reading").first.hover()
    assert page.locator(".cm-pm-highlight").count() >= 1


def test_the_ggnn_readout_says_the_sum_takes_the_whole_product(page: Any, server: str) -> None:
    seed = SEED["ggnn-readout"]
    open_src(page, server, seed["latex"], seed["dims"])
    notes = page.locator("#readings").text_content() or ""  # folded: its text, not shown
    assert "sum over nodes" in notes and "the whole product" in notes
    assert page.locator("#diagram svg").count() == 1
    # the gradients over nodes print with the nodes as columns: shown, and the rows' refusal said
    grads = page.locator("#grads").inner_text()
    assert "Shown with samples as columns" in grads
    assert page.locator("#grads .katex-display").count() >= 1


def test_the_course_notes_gradients_switch_between_rows_and_columns(
    page: Any, server: str, tmp_path: Path
) -> None:
    seed = SEED["mlp-notes"]
    open_src(page, server, seed["latex"], seed["dims"])
    page.select_option("#wrt", "W")
    page.wait_for_function(READY)
    page.wait_for_timeout(200)
    wait_update(page, 0)
    rows = page.locator("#grads").inner_html()
    page.click('#batch button[data-batch="dim-first"]')
    cols = page.locator("#grads").inner_html()
    assert rows != cols and page.locator("#grads .katex-display").count() >= 1
    page.screenshot(path=tmp_path / "mlp.png", full_page=True)
    not_blank(tmp_path / "mlp.png")


def test_the_url_follows_the_editor_and_reopens_the_same_workbench(
    page: Any, server: str, browser: Any
) -> None:
    open_src(page, server, "h = W x", "")
    before = updates(page)
    page.fill("#dims", "d1=4")
    wait_update(page, before)
    url = page.url
    assert "src=h+%3D+W+x" in url or "src=h%20%3D%20W%20x" in url
    assert "dims=d1%3D4" in url
    other = browser.new_page()
    other.goto(url)
    wait_update(other, 0)
    assert other.evaluate("workbench.view.state.doc.toString()") == "h = W x"
    assert other.locator("#dims").input_value() == "d1=4"
    assert other.locator('#shapes tr[data-key="W"] .shape-cell').get_attribute("data-shape") == (
        "d1 x d2"
    )
    other.close()


def test_the_examples_menu_loads_a_seed_question(page: Any, server: str) -> None:
    open_src(page, server, "h = W x")
    before = updates(page)
    page.select_option("#seeds", "forget-gate-numbers")
    wait_update(page, before)
    assert "W_f [h_{t-1}, x_t]" in page.evaluate("workbench.view.state.doc.toString()")
    assert "177" in page.locator("#explanation").inner_text()  # the asker's numbers, worked


def test_every_seed_fits_1280_px_with_its_question_and_no_katex_error(
    browser: Any, server: str, tmp_path: Path
) -> None:
    """At 1280 px the workbench and the report of every seed are no wider than the window
    (a long formula or code line scrolls inside its pane), no formula fails to typeset (an
    `&` from an aligned source made red errors), the workbench says the question the seed
    answers, and the reading notes are folded."""
    import papermath
    from papermath.casefile import parse_dims
    from papermath.report import report_html

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for seed in SEEDS:
            extra = {"values": seed["values"]} if seed["values"] else {}
            open_src(page, server, seed["latex"], seed["dims"], **extra)
            assert page.evaluate("document.body.dataset.state") == "ready", seed["name"]
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1280, (seed["name"], width)
            assert page.locator(".katex-error").count() == 0, seed["name"]
            question = page.locator("#question")
            assert question.is_visible() and seed["question"] in question.inner_text()
            assert page.locator("#readings-box[open]").count() == 0
            labels = page.locator("#seeds option").all_inner_texts()  # the menu says them too
            assert any(seed["question"] in label for label in labels)
            system = papermath.compile(seed["latex"], parse_dims([seed["dims"]]))
            report = tmp_path / f"{seed['name']}.html"
            report.write_text(report_html(system, seed["title"]))
            page.goto(report.as_uri())
            page.wait_for_function("document.querySelectorAll('.typeset').length > 0")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1280, (seed["name"], "report", width)
            assert page.locator(".katex-error").count() == 0, seed["name"]
            assert page.locator("details[open]").count() == 0
    finally:
        page.close()
    assert not errors, errors
