"""The workbench's JSON API (Starlette's test client, no socket): the seed questions answered
through it, the limits (size, time, malformed JSON), errors as data; the server's guards
(Host, Origin, Content-Type, the deadline that counts queueing, the --host warning), some
through a real socket; and the diagram's two layout programs (Debian's dot,
graphviz-pure)."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from conftest import live
from papermath import catalog
from papermath.serve.app import MAX_BODY_BYTES, create_app, exposure_warning
from papermath.serve.seeds import SEEDS

SEED = {s["name"]: s for s in SEEDS}
# the test client's requests carry this Host (its default, "testserver", is refused)
BASE = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def client() -> TestClient:
    # no drop in priority: on a busy machine a small analysis may take the 0.25 s after which
    # a worker is reniced and then replaced, and the test of warm workers counts pids
    return TestClient(create_app(nice_after=None), base_url=BASE)


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


JSON = {"Content-Type": "application/json"}


def test_request_limits(client: TestClient) -> None:
    big = client.post(
        "/api/analyse", content=b'{"src": "' + b"x" * MAX_BODY_BYTES + b'"}', headers=JSON
    )
    assert big.status_code == 413 and not big.json()["ok"]
    bad = client.post("/api/analyse", content=b"{not json", headers=JSON)
    assert bad.status_code == 400 and "not JSON" in bad.json()["error"]["message"]
    wrong = client.post("/api/analyse", content=json.dumps(["h = W x"]), headers=JSON)
    assert wrong.status_code == 400
    just_big = analyse(client, src="h = W x\n" + "%" * 70_000)
    assert not just_big["ok"] and "KB" in just_big["error"]["message"]


def slow(request: dict[str, Any]) -> dict[str, Any]:
    time.sleep(30)
    return {"ok": True}


def test_a_request_past_the_time_limit_is_stopped_and_its_worker_killed() -> None:
    app = create_app(work=slow, time_limit=0.5)
    client = TestClient(app, base_url=BASE)
    start = time.perf_counter()
    res = client.post("/api/analyse", json={"src": "h = W x"})
    assert res.status_code == 504 and "stopped" in res.json()["error"]["message"]
    assert time.perf_counter() - start < 5
    killed = app.state.pool.killed
    assert len(killed) == 1
    # the stuck worker is gone (SIGKILL at once; reaped in the background, which a busy
    # machine may take a few seconds to schedule); the next request gets a new one
    deadline = time.monotonic() + 15
    while killed[0] in {p.pid for p in multiprocessing.active_children()}:
        assert time.monotonic() < deadline, "the killed worker is still alive after 15 s"
        time.sleep(0.05)
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


# ---- the server accepts only its own page --------------------------------------------------


def echo(request: dict[str, Any]) -> dict[str, Any]:
    """A work function that answers at once with what reached the worker."""
    return {"ok": True, "request": request}


def naps(request: dict[str, Any]) -> dict[str, Any]:
    """A work function that sleeps as many seconds as its dims say (30 unless given)."""
    time.sleep(float(request.get("dims") or 30))
    return {"ok": True, "slept": request.get("dims")}


@pytest.fixture(scope="module")
def guarded() -> Iterator[TestClient]:
    with TestClient(create_app(work=echo), base_url=BASE) as c:
        yield c


def refused(res: Any, status: int, words: str) -> None:
    assert res.status_code == status, res.text
    body = res.json()
    assert body["ok"] is False and body["error"]["kind"] == "request error"
    assert words in body["error"]["message"]


def test_a_same_origin_json_post_is_answered(guarded: TestClient) -> None:
    for headers in ({"Origin": BASE}, {}, {"Content-Type": "application/json; charset=UTF-8"}):
        res = guarded.post("/api/analyse", json={"src": "h = W x", "dims": "n=2"}, headers=headers)
        assert res.status_code == 200, res.text
        assert res.json() == {"ok": True, "request": {"src": "h = W x", "dims": "n=2"}}


def test_a_cross_origin_post_is_refused(guarded: TestClient) -> None:
    for origin in ("http://attacker.example", "http://127.0.0.1:9999", "https://127.0.0.1:8765",
                   "null"):  # fmt: skip
        res = guarded.post("/api/analyse", json={"src": "h = W x"}, headers={"Origin": origin})
        refused(res, 403, "another site")
    # the classic "simple" request a page elsewhere can send without a preflight
    simple = guarded.post(
        "/api/analyse",
        content='{"src": "h = W x"}',
        headers={"Origin": "http://attacker.example", "Content-Type": "text/plain"},
    )
    refused(simple, 403, "another site")
    # reads are refused cross-origin too; the same origin and no Origin at all are fine
    refused(guarded.get("/api/catalog", headers={"Origin": "http://attacker.example"}), 403, "")
    assert guarded.get("/api/catalog", headers={"Origin": BASE}).status_code == 200
    assert guarded.get("/?src=h%20%3D%20W%20x").status_code == 200  # a shared link opens


def test_a_post_that_is_not_json_is_refused(guarded: TestClient) -> None:
    body = '{"src": "h = W x"}'
    for ctype in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                  "application/jsonx", "application/json; charset=latin-1"):  # fmt: skip
        res = guarded.post("/api/analyse", content=body, headers={"Content-Type": ctype})
        refused(res, 415, "JSON")
    bare = guarded.post("/api/analyse", content=body.encode())  # no Content-Type at all
    refused(bare, 415, "application/json")


def test_a_foreign_host_is_misdirected(guarded: TestClient) -> None:
    for host in ("attacker.example", "attacker.example:8765", "127.0.0.1:9999", "localhost",
                 "127.0.0.1.attacker.example:8765", "[::1]:8765:1", ""):  # fmt: skip
        res = guarded.post("/api/analyse", json={"src": "h = W x"}, headers={"Host": host})
        refused(res, 421, "does not answer for the host")
        refused(guarded.get("/", headers={"Host": host}), 421, "host")
    for host in ("127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765", "[::1]:8765"):
        assert guarded.get("/", headers={"Host": host}).status_code == 200, host
        origin = {"Host": host, "Origin": f"http://{host}"}
        res = guarded.post("/api/analyse", json={"src": "h = W x"}, headers=origin)
        assert res.status_code == 200, (host, res.text)
    # bound beyond loopback (--host), the bound address is accepted too, and no other name
    app = create_app(work=echo, host="workbench.lan")
    try:
        lan = TestClient(app, base_url="http://workbench.lan:8765")
        assert lan.get("/api/catalog").status_code == 200
        refused(lan.get("/", headers={"Host": "attacker.example:8765"}), 421, "host")
    finally:
        app.state.pool.close()
    # the test client's own name is no default: it is allowed only when a test says so
    refused(TestClient(guarded.app).get("/api/catalog"), 421, "testserver")
    app = create_app(work=echo, allowed_hosts={"testserver"})
    try:
        assert TestClient(app).get("/api/catalog").status_code == 200
        refused(TestClient(app, base_url=BASE).get("/"), 421, "127.0.0.1:8765")
    finally:
        app.state.pool.close()


def test_malformed_and_deeply_nested_json_is_a_400_with_a_json_body(
    guarded: TestClient,
) -> None:
    cases = {
        b"[" * 60_000: "nested too deeply",
        b'{"src": "h = W x", "values": ' + b"[" * 30_000 + b"]" * 30_000 + b"}": "nested",
        b'{"src": "h = W x",': "not JSON",
        b"": "not JSON",
        b'{"src": "h = W \xff x"}': "not UTF-8",
        '{"src": "h = W x"}'.encode("utf-16"): "not UTF-8",
        b'{"src": "h = W x", "n": ' + b"1" * 5000 + b"}": "not JSON",  # past int's digits
        b'["h = W x"]': 'not {"src"',
        b'"h = W x"': 'not {"src"',
        b'{"dims": "n=2"}': 'not {"src"',
        b'{"src": ["h = W x"]}': "src must be text",
        b'{"src": 3}': "src must be text",
        b'{"src": "h = W x", "dims": {"n": 2}}': "dims must be text",
        b'{"src": "h = W x", "values": [[[1]]]}': "values must be text",
    }
    for body, words in cases.items():
        res = guarded.post("/api/analyse", content=body, headers=JSON)
        refused(res, 400, words)
    # the "[" * 100000 is past the size limit before it is parsed
    refused(guarded.post("/api/analyse", content=b"[" * 100_000, headers=JSON), 413, "KB")
    # unknown keys do not reach the worker; null is "not given"
    res = guarded.post(
        "/api/analyse", json={"src": "h = W x", "wrt": None, "extra": [[1]]}, headers=JSON
    )
    assert res.json() == {"ok": True, "request": {"src": "h = W x"}}


def test_a_request_that_cannot_start_in_time_gets_a_503_at_once() -> None:
    """One worker at most, a 2 s limit: the first request holds it (and is killed at its
    deadline: 504); the second, queued right behind it, cannot start with a tenth of its
    limit left, so it gets a 503 then, within its limit; the next one is answered."""
    app = create_app(work=naps, time_limit=2.0, workers=1, max_workers=1)
    answers: dict[str, tuple[int, dict[str, Any], dict[str, str], float]] = {}
    with TestClient(app, base_url=BASE) as c:

        def post(name: str, dims: str) -> None:
            start = time.perf_counter()
            res = c.post("/api/analyse", json={"src": "h = W x", "dims": dims})
            answers[name] = (res.status_code, res.json(), dict(res.headers),
                             time.perf_counter() - start)  # fmt: skip

        first = threading.Thread(target=post, args=("slow", "30"))
        first.start()
        time.sleep(0.05)  # the slow one has the only worker
        post("queued", "0")
        first.join()
        post("after", "0")
    status, body, headers, took = answers["queued"]
    assert status == 503 and body["ok"] is False and "busy" in body["error"]["message"]
    assert headers["retry-after"] == "2" and headers["content-type"] == "application/json"
    assert 1.7 < took < 2.0  # at 1.8 s of its 2: before the slow one is stopped
    status, body, _, took = answers["slow"]
    assert status == 504 and "stopped" in body["error"]["message"] and took < 3
    assert len(app.state.pool.killed) == 1
    assert answers["after"][:2] == (200, {"ok": True, "slept": "0"})


def test_the_pool_grows_so_a_quick_request_passes_a_slow_one() -> None:
    """With the warm worker busy on a slow request, a quick one gets a freshly forked
    worker and its answer at once; with both busy, the next waits for one (and is answered,
    its wait counted in its limit); the pool keeps its bound, and shrinks back."""
    app = create_app(work=naps, time_limit=2.0, workers=1, max_workers=2, nice_after=None)
    pool = app.state.pool
    got: dict[str, tuple[int, float]] = {}
    with TestClient(app, base_url=BASE) as c:

        def post(name: str, dims: str) -> None:
            start = time.perf_counter()
            res = c.post("/api/analyse", json={"src": "h = W x", "dims": dims})
            got[name] = (res.status_code, time.perf_counter() - start)

        threads = [threading.Thread(target=post, args=("slow", "30"))]
        threads[0].start()
        time.sleep(0.2)
        post("quick", "0.01")  # a second worker is forked for it
        assert got["quick"][0] == 200 and got["quick"][1] < 0.6
        assert len(pool.workers) == 2 and pool.forked == 2
        threads.append(threading.Thread(target=post, args=("1 s", "1")))
        threads[1].start()  # holds the second worker 1 s
        time.sleep(0.1)
        post("waits", "0.01")  # both busy: waits about 0.9 s for the second
        for t in threads:
            t.join()
    assert {k: s for k, (s, _) in got.items()} == {
        "slow": 504, "quick": 200, "1 s": 200, "waits": 200
    }  # fmt: skip
    assert 0.6 < got["waits"][1] < 1.6
    assert pool.forked == 2
    assert len(pool.workers) == 1  # the one killed at its deadline was an extra: gone


def test_a_worker_busy_past_a_quarter_second_runs_at_the_lowest_priority_then_goes() -> None:
    import os

    from papermath.serve.app import WORKER_NICE

    app = create_app(work=naps, time_limit=5.0, workers=1, max_workers=1)
    pool = app.state.pool
    (worker,) = pool.workers
    pid = worker.process.pid
    got: list[int] = []
    with TestClient(app, base_url=BASE) as c:
        assert c.post("/api/analyse", json={"src": "x", "dims": "0"}).status_code == 200
        # below the server (relative to it: the suite may itself run under nice)
        own = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(own + WORKER_NICE, 19)
        thread = threading.Thread(
            target=lambda: got.append(
                c.post("/api/analyse", json={"src": "x", "dims": "1.2"}).status_code
            )
        )
        thread.start()
        time.sleep(0.9)
        assert os.getpriority(os.PRIO_PROCESS, pid) == 19
        thread.join()
        assert got == [200]  # answered: slowed, not stopped
        assert worker.process is None  # and replaced: the next request gets a fresh one
        assert c.post("/api/analyse", json={"src": "x", "dims": "0"}).status_code == 200
        fresh = pool.workers[0].process
        assert fresh is not None and fresh.pid != pid
        assert os.getpriority(os.PRIO_PROCESS, fresh.pid) == min(own + WORKER_NICE, 19)


def test_a_slow_request_gives_its_place_up_to_a_quick_one_once_demoted() -> None:
    """One request at normal priority at a time (max_active=1): a quick request behind a
    slow one starts as soon as the slow one drops to the lowest priority (0.2 s), not when
    it ends; the places are all given back at the end."""
    from papermath.serve.app import Pool

    pool = Pool(naps, 2, 3, nice_after=0.2, max_active=1)
    try:
        start = time.monotonic()
        slow = threading.Thread(target=pool.run, args=({"dims": "30"}, start + 1.5))
        slow.start()
        time.sleep(0.05)
        assert pool.run({"dims": "0"}, time.monotonic() + 1.5) == {"ok": True, "slept": "0"}
        assert 0.15 < time.monotonic() - start < 0.8
        slow.join()
        assert len(pool.killed) == 1 and pool.active == 0
    finally:
        pool.close()


def http(base: str, method: str, path: str, body: str = "", **headers: str) -> tuple[int, Any]:
    """One request over a real socket (http.client: it sends the Host it is given)."""
    import http.client

    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path, body=body.encode(), headers=headers)
        res = conn.getresponse()
        return res.status, json.loads(res.read())
    finally:
        conn.close()


def test_a_real_socket_checks_the_host_and_origin_at_its_own_port() -> None:
    with live(create_app(work=echo)) as base:
        port = base.rsplit(":", 1)[1]
        here = {"Host": f"127.0.0.1:{port}", "Content-Type": "application/json"}
        status, body = http(base, "POST", "/api/analyse", '{"src": "h = W x"}',
                            **here, Origin=base)  # fmt: skip
        assert status == 200 and body == {"ok": True, "request": {"src": "h = W x"}}
        status, body = http(base, "GET", "/api/catalog", Host=f"localhost:{port}")
        assert status == 200 and body["seeds"]
        for host in ("attacker.example", f"attacker.example:{port}", "127.0.0.1:1"):
            status, body = http(base, "GET", "/api/catalog", Host=host)
            assert status == 421 and body["ok"] is False, host
        simple = {"Host": here["Host"], "Origin": "http://evil.example",
                  "Content-Type": "text/plain"}  # fmt: skip
        status, body = http(base, "POST", "/api/analyse", '{"src": "h = W x"}', **simple)
        assert status == 403 and body["ok"] is False


def test_serve_warns_when_bound_beyond_loopback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import papermath.serve.app as server
    from papermath.cli import main

    started: list[tuple[str, int, bool]] = []
    monkeypatch.setattr(server, "serve", lambda *args: started.append(args))
    assert main(["serve", "--host", "0.0.0.0", "--port", "9000"]) == 0
    err = capsys.readouterr().err
    assert "every network interface" in err and "anyone on the network" in err
    assert started == [("0.0.0.0", 9000, False)]
    for host in ("127.0.0.1", "localhost", "::1"):
        assert main(["serve", "--host", host]) == 0
        assert capsys.readouterr().err == ""
    assert main(["serve"]) == 0 and capsys.readouterr().err == ""
    assert "192.168.1.5" in (exposure_warning("192.168.1.5", 8765) or "")
    assert exposure_warning("myhost.local", 8765)  # a name may resolve to anything
    assert exposure_warning("127.0.0.2", 8765) is None and exposure_warning("[::1]", 1) is None


def test_serve_on_every_interface_prints_a_url_this_machine_can_open(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bound to 0.0.0.0, the URL printed (and opened by --open) is loopback's, which the
    Host check accepts; uvicorn gets the address and no proxy headers."""
    import uvicorn

    from papermath.serve.app import serve

    ran: list[dict[str, Any]] = []

    def run(app: Any, **kwargs: Any) -> None:
        ran.append(kwargs)
        client = TestClient(app, base_url="http://127.0.0.1:9001")
        assert client.get("/api/catalog").status_code == 200
        app.state.pool.close()

    monkeypatch.setattr(uvicorn, "run", run)
    serve("0.0.0.0", 9001)
    assert "http://127.0.0.1:9001/" in capsys.readouterr().out
    assert ran == [{"host": "0.0.0.0", "port": 9001, "log_level": "warning",
                    "proxy_headers": False}]  # fmt: skip
