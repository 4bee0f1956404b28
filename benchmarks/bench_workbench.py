"""Typing latency of the workbench: how long after the debounce an update for the seed LSTM
(the Q&A's six equations) is on the page: the request, the analysis in a warm worker
(reading, shapes, explanation, worked example, diagram, NumPy and torch code, gradients in
both layouts), the answer, and every pane drawn with KaTeX.

    python benchmarks/bench_workbench.py [--edits 30]

Runs `papermath serve`'s app on a loopback port, drives Debian's Chromium with Playwright,
types one character at a time into the editor, and reads the time the page measured for
each update (from the request leaving to the panes drawn). Also times the API alone over
HTTP for the same source. Prints medians and the 90th percentile. Not a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import threading
import time
import urllib.request
from urllib.parse import quote

from papermath.serve.app import create_app
from papermath.serve.seeds import SEEDS
from papermath.serve.work import analyse


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def quantiles(xs: list[float]) -> str:
    xs = sorted(xs)
    p90 = xs[min(len(xs) - 1, round(0.9 * (len(xs) - 1)))]
    return f"median {statistics.median(xs):6.1f} ms, p90 {p90:6.1f} ms, max {xs[-1]:6.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edits", type=int, default=30)
    args = ap.parse_args()
    import uvicorn
    from playwright.sync_api import sync_playwright

    seed = next(s for s in SEEDS if s["name"] == "lstm-qa")
    analyse({"src": seed["latex"]})  # warm, as `papermath serve` does before serving
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"

    api = []
    body = json.dumps({"src": seed["latex"], "dims": seed["dims"]}).encode()
    for _ in range(args.edits):
        req = urllib.request.Request(
            f"{base}/api/analyse", body, {"Content-Type": "application/json"}
        )
        start = time.perf_counter()
        with urllib.request.urlopen(req) as res:
            assert json.loads(res.read())["ok"]
        api.append(1000 * (time.perf_counter() - start))

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    page_ms = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/?src={quote(seed['latex'])}&dims={quote(seed['dims'])}")
        page.wait_for_function("document.body.dataset.state === 'ready'")
        page.locator(".cm-content").click()
        page.keyboard.press("Control+End")
        for i in range(args.edits):
            before = int(page.evaluate("Number(document.body.dataset.updates)"))
            page.keyboard.type(" " if i % 2 == 0 else "%")  # a space, or a comment mark
            page.wait_for_function(
                f"Number(document.body.dataset.updates) > {before} && "
                "document.body.dataset.state === 'ready'"
            )
            page_ms.append(float(page.evaluate("Number(document.body.dataset.ms)")))
        browser.close()
    server.should_exit = True
    print(f"seed LSTM (6 equations), {args.edits} edits, one at a time")
    print(f"  API over HTTP (analysis in a warm worker process): {quantiles(api)}")
    print(f"  page, after the debounce until every pane is drawn: {quantiles(page_ms)}")


if __name__ == "__main__":
    main()
