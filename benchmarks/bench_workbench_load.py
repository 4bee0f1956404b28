"""The workbench under load: 20 requests at once, 1 in 5 slow. Good requests are the seed
LSTM (``catalog.latex("lstm")``, the full analysis: every pane); a slow request is a real
input that runs past the time limit: a 1000-layer chain ``h_{i} = \\tanh(W_{i} h_{i-1} +
b_{i})`` (42 KB of LaTeX, under the 64 KB limit), killed at the limit.

    python benchmarks/bench_workbench_load.py [--mode burst|sustained] [--seconds 30]
                                              [--time-limit 10] [--slow-every 5]

Starts the real server (the app `papermath serve` runs, under uvicorn, warmed the same way)
in a subprocess on a free loopback port, then sends the load from 20 client threads over
keep-alive HTTP connections:

- burst (the default): 20 requests at once (every fifth slow), all answered, then again,
  for ``--seconds``.
- sustained: for ``--seconds``, 16 clients send good requests and 4 send slow ones, each
  the next as soon as its last is answered: 20 in flight at every moment, 1 in 5 slow.

Prints the good requests' p50/p90/p99/max, what became of the slow ones, the count of 503s,
and the longest any request waited for its answer against the limit. Not a test; the
figures for the real 10 s limit are in docs/security.md. A shorter ``--time-limit`` gives a
quicker run, with figures that are not those.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass

from papermath import catalog
from papermath.serve.app import MAX_WORKERS, WORKERS

CLIENTS = 20
SLOW_EVERY = 5  # 1 in 5


def slow_source(layers: int = 1000) -> str:
    """A deep chain of layers, each feeding the next: legitimate, and slow to analyse."""
    lines = [
        f"h_{{{i}}} = \\tanh(W_{{{i}}} h_{{{i - 1 if i else 'in'}}} + b_{{{i}}})"
        for i in range(layers)
    ]
    return "\n".join(lines) + "\nh_{in} \\in \\mathbb{R}^{n}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_server(port: int, time_limit: float, workers: int, max_workers: int) -> None:
    """The server's side (this script run with --server): what `papermath serve` does, with
    the time limit and pool sizes as given."""
    import uvicorn

    from papermath.serve.app import create_app
    from papermath.serve.work import analyse

    analyse({"src": catalog.latex("lstm")})  # warm, as `papermath serve` does
    app = create_app(time_limit=time_limit, workers=workers, max_workers=max_workers)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False)


@dataclass
class Answer:
    kind: str  # "good" or "slow"
    status: int
    seconds: float
    message: str


class Client:
    """One keep-alive connection to the server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def post(self, kind: str, body: bytes) -> Answer:
        headers = {
            "Content-Type": "application/json",
            "Origin": f"http://127.0.0.1:{self.port}",  # as the page's own requests
        }
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request("POST", "/api/analyse", body=body, headers=headers)
                res = self.conn.getresponse()
                data = json.loads(res.read())
                break
            except (OSError, http.client.HTTPException) as exc:
                # the server closes a connection idle past its keep-alive (5 s): a new one
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    return Answer(kind, 0, time.perf_counter() - start, type(exc).__name__)
                start = time.perf_counter()
        seconds = time.perf_counter() - start
        if res.status == 200 and kind == "good" and not data.get("ok"):
            raise SystemExit(f"a good request failed: {data}")
        message = "" if res.status == 200 else data["error"]["message"]
        return Answer(kind, res.status, seconds, message)


def quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def load(port: int, mode: str, seconds: float, slow_every: int) -> list[Answer]:
    bodies = {
        "good": json.dumps({"src": catalog.latex("lstm")}).encode(),
        "slow": json.dumps({"src": slow_source()}).encode(),
    }
    answers: list[Answer] = []
    lock = threading.Lock()
    end = time.perf_counter() + seconds
    clients = [Client(port) for _ in range(CLIENTS)]

    def kind_of(i: int) -> str:
        return "slow" if slow_every and i % slow_every == 0 else "good"

    def sustained(i: int) -> None:
        kind = kind_of(i)
        while time.perf_counter() < end:
            got = clients[i].post(kind, bodies[kind])
            with lock:
                answers.append(got)

    def one(i: int) -> None:
        kind = kind_of(i)
        got = clients[i].post(kind, bodies[kind])
        with lock:
            answers.append(got)

    if mode == "sustained":
        threads = [threading.Thread(target=sustained, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        while time.perf_counter() < end:
            threads = [threading.Thread(target=one, args=(i,)) for i in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    for c in clients:
        c.conn.close()
    return answers


def report(answers: list[Answer], time_limit: float) -> None:
    good = [a for a in answers if a.kind == "good"]
    slow = [a for a in answers if a.kind == "slow"]
    ok = [a.seconds for a in good if a.status == 200]
    print(f"good requests: {len(good)}, answered 200: {len(ok)}, "
          f"statuses {dict(Counter(a.status for a in good))}")  # fmt: skip
    if ok:
        ms = [x * 1000 for x in ok]
        print(
            f"  good (200) latency: p50 {quantile(ms, 0.5):.0f} ms, p90 {quantile(ms, 0.9):.0f} "
            f"ms, p99 {quantile(ms, 0.99):.0f} ms, max {max(ms):.0f} ms "
            f"(mean {statistics.mean(ms):.0f} ms)"
        )
    print(f"slow requests: {len(slow)}, statuses {dict(Counter(a.status for a in slow))}")
    if slow:
        sec = [a.seconds for a in slow]
        print(f"  slow answered after {min(sec):.2f} s to {max(sec):.2f} s")
    for status, words in ((503, "503 (no worker in time)"), (504, "504 (killed at the limit)")):
        print(f"{words}: {sum(a.status == status for a in answers)}")
    worst = max(answers, key=lambda a: a.seconds)
    over = [a for a in answers if a.seconds > time_limit]
    print(
        f"longest wait for an answer: {worst.seconds:.2f} s ({worst.kind}, {worst.status}); "
        f"limit {time_limit:g} s; answered past the limit: {len(over)}"
        + (f" (by at most {max(a.seconds for a in over) - time_limit:.2f} s)" if over else "")
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", choices=("burst", "sustained"), default="burst")
    ap.add_argument("--seconds", type=float, default=30.0, help="how long to send the load")
    ap.add_argument("--time-limit", type=float, default=10.0, help="the server's limit (s)")
    ap.add_argument(
        "--slow-every", type=int, default=SLOW_EVERY, help="1 in N slow; 0: none (a control)"
    )
    ap.add_argument("--workers", type=int, default=WORKERS, help="warm workers at start")
    ap.add_argument("--max-workers", type=int, default=MAX_WORKERS, help="the pool's bound")
    ap.add_argument("--server", type=int, help=argparse.SUPPRESS)  # the server's side
    args = ap.parse_args()
    if args.server:
        run_server(args.server, args.time_limit, args.workers, args.max_workers)
        return
    port = free_port()
    cmd = [sys.executable, os.path.abspath(__file__), "--server", str(port),
           "--time-limit", str(args.time_limit), "--workers", str(args.workers),
           "--max-workers", str(args.max_workers)]  # fmt: skip
    server = subprocess.Popen(cmd)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        # one good request first, alone: the figure the load is compared with
        alone = [Client(port).post("good", json.dumps({"src": catalog.latex("lstm")}).encode())
                 for _ in range(5)]  # fmt: skip
        alone_ms = statistics.median(a.seconds for a in alone) * 1000
        print(f"one good request alone: median {alone_ms:.0f} ms")
        slow = f"1 in {args.slow_every}" if args.slow_every else "none"
        load1 = os.getloadavg()[0]
        print(f"{args.mode}: {CLIENTS} clients, {slow} slow, {args.seconds:g} s, "
              f"time limit {args.time_limit:g} s, workers {args.workers} to "
              f"{args.max_workers}, {os.cpu_count()} CPUs, load {load1:.1f}")  # fmt: skip
        start = time.perf_counter()
        answers = load(port, args.mode, args.seconds, args.slow_every)
        print(f"(ran {time.perf_counter() - start:.1f} s)")
        report(answers, args.time_limit)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
