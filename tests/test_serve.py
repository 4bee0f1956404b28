"""The workbench's JSON API (Starlette's test client, no socket): the seed questions answered
through it, the limits (size, time, malformed JSON), errors as data; and the diagram's two
layout programs (Debian's dot, graphviz-pure)."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from papermath import catalog
from papermath.serve.app import MAX_BODY_BYTES, create_app
from papermath.serve.seeds import SEEDS

SEED = {s["name"]: s for s in SEEDS}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def analyse(client: TestClient, **request: Any) -> dict[str, Any]:
    res = client.post("/api/analyse", json=request)
    assert res.status_code == 200, res.text
    out: dict[str, Any] = res.json()
    return out


def test_the_lstm_question_shows_w_f_as_n_by_m_plus_n(client: TestClient) -> None:
    d = analyse(client, src=SEED["lstm-qa"]["latex"], dims="m=3, n=2")
    assert d["ok"]
    shapes = {s["key"]: s["shape"] for s in d["symbols"]}
    assert shapes["W_f"] == "n x (m + n)" and shapes["C"] == shapes["h"] == "n"
    assert [e["line"] for e in d["equations"]] == [1, 2, 3, 4, 5, 6]
    assert d["diagram_svg"].startswith("<svg") and "W" in d["diagram_svg"]
    assert "class Model(nn.Module)" in d["code"]["torch"] and "def forward" in d["code"]["numpy"]
    # the worked example runs at the default values the page shows (and lets the user edit)
    assert d["values"].startswith("[values]") and "W_f = [[" in d["values"]
    assert "worked" in d["explanation_html"].lower()
    # every hover target has a span inside the source and a shape
    src = SEED["lstm-qa"]["latex"]
    w_f = [t for t in d["terms"] if t["key"] == "W_f"]
    assert w_f and all(src[t["start"] : t["end"]] == "W_f" for t in w_f)
    assert all(t["shape"] == "n x (m + n)" and t["kind"] == "parameter" for t in w_f)


def test_the_ggnn_readout_sum_ranges_over_the_whole_product(client: TestClient) -> None:
    src = SEED["ggnn-readout"]["latex"]
    d = analyse(client, src=src, dims=SEED["ggnn-readout"]["dims"])
    sums = [r for r in d["readings"] if r["reading"] == "sum over nodes"]
    assert len(sums) == 1
    body = (
        "\\sigma \\left( i(h_v^{(T)}, x_v) \\right) \\odot tanh \\left( j(h_v^{(T)}, x_v) \\right)"
    )
    assert f"its body is '{body}'" in sums[0]["reason"]
    assert "the whole product" in sums[0]["reason"]
    assert "values_note" in d  # per-node values are typed by the user


def test_the_course_notes_show_gradients_in_both_layouts(client: TestClient) -> None:
    src = SEED["mlp-notes"]["latex"]
    d = analyse(client, src=src, dims=SEED["mlp-notes"]["dims"], wrt="W")
    assert d["grad_wrt"] == "W"
    rows = [e["tex"] for e in d["grads"]["sample-first"]["equations"]]
    cols = [e["tex"] for e in d["grads"]["dim-first"]["equations"]]
    assert rows and cols and rows != cols
    shapes = {e["shape_tex"] for e in d["grads"]["dim-first"]["equations"]}
    assert "D_z \\times D_x" in shapes  # dL/dW has W's shape
    numerator = analyse(client, src=src, dims="", wrt="W", layout="numerator")
    assert numerator["grad_layout"] == "numerator"
    assert numerator["grads"]["dim-first"]["equations"] != d["grads"]["dim-first"]["equations"]


def test_errors_come_back_as_data_with_line_column_and_hint(client: TestClient) -> None:
    d = analyse(client, src="f = W x\nh = W x +")
    assert not d["ok"]
    err = d["error"]
    assert (err["line"], err["column"]) == (2, 10) and err["hint"]
    assert err["kind"] == "parse error" and "^" in err["caret"]
    clash = analyse(
        client, src=catalog.latex("lstm").replace("x_t \\in", "x_t \\in") + "\nh_t = W x_t"
    )
    assert not clash["ok"] and clash["error"]["message"]
    unknown = analyse(client, src="h = W x", dims="q=3")
    assert not unknown["ok"] and "q" in unknown["error"]["message"]
    bad_values = analyse(
        client, src=SEED["forget-gate-numbers"]["latex"], values="[values]\nh = [1,"
    )
    assert bad_values["ok"] and "not valid TOML" in bad_values["values_error"]["message"]


def test_the_askers_worked_example_shows_their_numbers(client: TestClient) -> None:
    seed = SEED["forget-gate-numbers"]
    d = analyse(client, src=seed["latex"], values=seed["values"])
    assert d["ok"] and "values_error" not in d
    assert "92" in d["explanation_html"] and "177" in d["explanation_html"]


def test_request_limits(client: TestClient) -> None:
    big = client.post("/api/analyse", content=b'{"src": "' + b"x" * MAX_BODY_BYTES + b'"}')
    assert big.status_code == 413 and not big.json()["ok"]
    bad = client.post("/api/analyse", content=b"{not json")
    assert bad.status_code == 400 and "not JSON" in bad.json()["error"]["message"]
    wrong = client.post("/api/analyse", content=json.dumps(["h = W x"]))
    assert wrong.status_code == 400
    just_big = analyse(client, src="h = W x\n" + "%" * 70_000)
    assert not just_big["ok"] and "KB" in just_big["error"]["message"]


def slow(request: dict[str, Any]) -> dict[str, Any]:
    time.sleep(30)
    return {"ok": True}


def test_a_request_past_the_time_limit_is_stopped_and_its_worker_killed() -> None:
    app = create_app(work=slow, time_limit=0.5)
    client = TestClient(app)
    start = time.perf_counter()
    res = client.post("/api/analyse", json={"src": "h = W x"})
    assert res.status_code == 504 and "stopped" in res.json()["error"]["message"]
    assert time.perf_counter() - start < 5
    killed = [pid for w in app.state.pool.workers for pid in w.killed]
    assert len(killed) == 1
    alive = {p.pid for p in multiprocessing.active_children()}
    assert killed[0] not in alive  # the stuck worker is gone; the next request gets a new one
    app.state.pool.close()


def test_workers_are_kept_warm_between_requests(client: TestClient) -> None:
    pool = client.app.state.pool  # type: ignore[attr-defined]
    pids = {w.process.pid for w in pool.workers}
    for _ in range(3):
        assert analyse(client, src="h = W x")["ok"]
    assert {w.process.pid for w in pool.workers} == pids


def test_the_page_and_its_assets_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/vendor/codemirror.js" in page.text
    for path in ("/static/app.js", "/static/vendor/codemirror.js", "/katex/katex.min.js",
                 "/report.css"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    data = client.get("/api/catalog").json()
    assert {s["name"] for s in data["seeds"]} >= {"lstm-qa", "ggnn-readout", "mlp-notes"}
    assert {c["name"] for c in data["catalog"]} == set(catalog.names())


@pytest.mark.parametrize("program", ["dot", "graphviz-pure"])
def test_diagrams_render_with_dot_and_with_graphviz_pure(
    program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Debian's dot where installed; graphviz-pure (the diagrams extra) renders the same DOT
    with no system package."""
    from papermath.diagram import dot_program, render, to_dot

    beside = Path(sys.executable).parent / program  # a venv's scripts, PATH or not
    path = shutil.which(program) or (str(beside) if beside.exists() else None)
    if path is None:
        if program == "graphviz-pure":
            pytest.fail("graphviz-pure is a dev dependency (the diagrams extra)")
        pytest.skip(f"{program} is not installed")
    monkeypatch.setenv("PAPERMATH_DOT", path)
    assert dot_program() == path
    svg = render(to_dot(catalog.load("lstm")), "svg").decode()
    assert "<svg" in svg and svg.count('<g id="node') > 20
    png = render(to_dot(catalog.load("gru")), "png")
    assert png[:4] == b"\x89PNG"
