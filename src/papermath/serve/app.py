"""The workbench's web app: one page and a JSON API over papermath's stages.

Starlette (with uvicorn) because the app is small and async: one page, a few JSON routes,
static files, no templates, no database, no sessions; Starlette gives exactly that, is
well kept, and its test client drives the app without a socket.

It answers only its own page: a request whose ``Host`` is not this server (DNS rebinding) is
refused with 421, one whose ``Origin`` is another site's with 403, and an analysis must be
posted as ``application/json`` (415 otherwise), which a page elsewhere cannot send without
the browser asking first. The server binds loopback unless told otherwise.

Each analysis runs in a warm worker process (forked, kept between requests). A request has
one deadline, ``time_limit`` from its arrival, queueing included: a worker still on it then
is killed (504; ``ANSWER_S`` early, so that the answer is sent within the limit), and a
request that no worker has taken with ``START_MARGIN`` of its limit left (at 8.9 s of 10)
gets a 503 then, since it could only start to be killed. The pool grows on
demand (a fork when every worker is busy, up to ``max_workers``) and shrinks back when
idle, and a worker still busy after ``NICE_AFTER_S`` runs at the lowest CPU priority, so a
few slow requests hold neither the workers nor the processors that quick ones need. The
request body is limited in size; every error comes back as data
(``{"ok": false, "error": {"line", "column", "message", "hint", ...}}``).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ipaddress
import json
import math
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import signal
import socket
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import catalog
from ..errors import PapermathError
from .seeds import SEEDS
from .work import MAX_SOURCE_BYTES, analyse

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
KATEX = HERE.parent / "report" / "katex"
MAX_BODY_BYTES = MAX_SOURCE_BYTES + 16 * 1024  # the LaTeX, dims and values as JSON
TIME_LIMIT_S = 10.0  # from a request's arrival to its answer, queueing included
WORKERS = 2  # warm workers at start, and the fewest kept
MAX_WORKERS = 8  # the most at once, forked on demand when every worker is busy
IDLE_S = 60.0  # a worker beyond WORKERS idle this long is stopped
START_MARGIN = 0.1  # a request not started with this part of its limit left: 503 then
ANSWER_S = 0.1  # of the limit, kept to stop a worker and send the answer
NICE_AFTER_S = 0.25  # busy this long (a good analysis takes 0.1 s), a worker drops to nice 19
WORKER_NICE = 5  # every worker below the server's process (which answers, and kills)
MAX_IN_FLIGHT = 64  # requests running or waiting for a worker; past it, a 503 at once
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
# the fields of an analysis request; each is text (or null, or left out), src is required
FIELDS = ("src", "dims", "values", "wrt", "layout")

Work = Callable[[dict[str, Any]], dict[str, Any]]


def request_error(message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error": {"kind": "request error", "message": message}},
        status_code=status,
        headers=headers,
    )


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server to this machine."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def exposure_warning(host: str, port: int) -> str | None:
    """The warning ``papermath serve --host`` prints for an address other than loopback."""
    if is_loopback(host):
        return None
    where = "every network interface" if host.strip("[]") in ("0.0.0.0", "::") else host
    return (
        f"warning: the workbench is listening on {where} (port {port}), not only this "
        "machine: anyone on the network who can reach that address can use it, and it runs "
        "their analyses on this computer. Use the default (--host 127.0.0.1) unless you "
        "mean that."
    )


def _host_name(name: str) -> str:
    """An address as it appears in a Host header: IPv6 in brackets, lower case."""
    name = name.strip("[]").lower()
    return f"[{name}]" if ":" in name else name


def split_host(value: str, scheme: str) -> tuple[str, int] | None:
    """A Host header's name and port (the scheme's default when none is given); None when
    it cannot be one."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value.partition("]")
        name += bracket
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    else:
        name, _, port = value.partition(":")
        if ":" in port:
            return None
    if not name:
        return None
    if not port:
        return name, 443 if scheme in ("https", "wss") else 80
    if not port.isdigit() or len(port) > 5:
        return None
    return name, int(port)


class Guard:
    """Refuses what is not a request from the workbench's own page or a local client: a
    ``Host`` that is not this server (421: DNS rebinding names the attacker's site there),
    and an ``Origin`` that is not this server's (403: a page elsewhere posting here). A
    request without ``Origin`` (curl, a same-origin GET) passes.

    ``allowed_hosts`` given: exactly those ``Host`` values. Otherwise the loopback names,
    ``host`` (the bound address) and the address the connection came in on, each at the
    port it came in on."""

    def __init__(self, app: ASGIApp, host: str, allowed_hosts: Collection[str] | None) -> None:
        self.app = app
        self.names = {*LOOPBACK_NAMES, _host_name(host)} - {"0.0.0.0", "[::]"}
        self.allowed = None if allowed_hosts is None else {h.lower() for h in allowed_hosts}

    def host_ok(self, scope: Scope, host: str) -> bool:
        if self.allowed is not None:
            return host.lower() in self.allowed
        server = scope.get("server")
        got = split_host(host, scope.get("scheme", "http"))
        if got is None or not server or server[1] is None:
            return False
        name, port = got
        names = set(self.names)
        with contextlib.suppress(ValueError):  # the address this connection came in on
            local = ipaddress.ip_address(server[0])
            names.add(_host_name(str(local)))
            if isinstance(local, ipaddress.IPv6Address) and local.ipv4_mapped:
                names.add(str(local.ipv4_mapped))  # bound to "::", reached over IPv4
        return name in names and port == server[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        refusal = None
        if not self.host_ok(scope, host):
            refusal = request_error(
                f"this server does not answer for the host {host[:100]!r}: open the workbench at "
                "the address it printed (127.0.0.1 or localhost)",
                421,
            )
        elif "origin" in headers:
            origin = headers["origin"].lower()
            if origin != f"{scope.get('scheme', 'http')}://{host.lower()}":
                refusal = request_error(
                    f"requests from another site ({headers['origin'][:100]}) are refused: the "
                    "workbench answers only its own page",
                    403,
                )
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _serve_forever(work: Work, conn: multiprocessing.connection.Connection) -> None:
    """A worker's loop: one request in, its answer out, until the server closes the pipe."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # its own process group: killed with whatever it started (dot)
    with contextlib.suppress(OSError):  # the server's own loop is never behind an analysis
        os.nice(WORKER_NICE)  # (its threads, started later, inherit it)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = work(request)
        except Exception as exc:  # an internal failure is reported as data, not a hang
            result = {
                "ok": False,
                "error": {"kind": "internal error", "message": f"{type(exc).__name__}: {exc}"},
            }
        conn.send(result)


STOPPED = {"ok": False, "error": {"kind": "internal error", "message": "the worker stopped"}}


class Worker:
    """A warm worker process, forked from the server (so the grammar and imports are loaded
    already) and kept between requests: its caches stay warm, and no request pays for a
    fork. One request at a time; at its deadline it is killed (with its process group), and
    the next request starts a fresh one. Still busy after ``nice_after`` seconds, it drops
    to the lowest CPU priority for the rest of that request, and is replaced after it."""

    def __init__(
        self, work: Work, killed: list[int], nice_after: float | None = NICE_AFTER_S
    ) -> None:
        self.work = work
        self.process: multiprocessing.process.BaseProcess | None = None
        self.conn: multiprocessing.connection.Connection | None = None
        self.killed = killed  # pids of workers stopped at a deadline (the pool's list)
        self.nice_after = nice_after
        self.niced = False
        self.last_used = time.monotonic()

    def start(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve_forever, args=(self.work, child), daemon=True)
        self.process.start()
        child.close()
        self.niced = False
        with contextlib.suppress(OSError):  # also here: no window before the child does it
            os.setpgid(self.process.pid or 0, self.process.pid or 0)

    def alive(self) -> bool:
        return self.process is not None and self.process.is_alive()

    def stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive() and self.process.pid is not None:
                with contextlib.suppress(OSError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    self.process.kill()
            self.process.join(0.05)
            if self.process.exitcode is None:
                # a killed process must still be scheduled to exit, and a worker at the
                # lowest priority on a busy machine may take seconds: reaped meanwhile,
                # not on the request's time
                threading.Thread(target=self.process.join, daemon=True).start()
        if self.conn is not None:
            self.conn.close()
        self.process = self.conn = None

    def _lower_priority(self) -> None:
        if self.process is not None and self.process.pid is not None:
            with contextlib.suppress(OSError, AttributeError):  # every thread of the group
                os.setpriority(os.PRIO_PGRP, self.process.pid, 19)
                self.niced = True

    def run(
        self,
        request: dict[str, Any],
        deadline: float,
        demoted: Callable[[], None] | None = None,
    ) -> dict[str, Any] | None:
        """The answer, or None when the work ran past ``deadline`` (``time.monotonic()``;
        then killed). ``demoted`` is called when it drops to the lowest priority."""
        if not self.alive():
            self.stop()
            self.start()
        assert self.conn is not None and self.process is not None
        try:
            self.conn.send(request)
            answered = False
            if self.nice_after is not None:
                answered = self.conn.poll(
                    max(0.0, min(self.nice_after, deadline - time.monotonic()))
                )
                if not answered and time.monotonic() < deadline:
                    self._lower_priority()
                    if self.niced and demoted is not None:
                        demoted()
            if not answered:
                answered = self.conn.poll(max(0.0, deadline - time.monotonic()))
            if answered:
                result: dict[str, Any] = self.conn.recv()
                return result
        except (EOFError, OSError):  # the worker died without an answer
            self.stop()
            return dict(STOPPED)
        if self.process.pid is not None:
            self.killed.append(self.process.pid)
        self.stop()
        return None


def _close_at_exit(pool: weakref.ref[Pool]) -> None:
    alive = pool()
    if alive is not None:
        alive.close()


class Busy(Exception):
    """No worker could take the request before its deadline (a 503)."""


class Pool:
    """Warm workers; a request takes a free one, else a new one is forked (up to
    ``max_size``), else it waits for one until it must start. At most ``max_active``
    requests (one a processor) run at normal priority at once: more would only share the
    processors and finish later together. A request still running after ``nice_after``
    drops to the lowest priority and gives its place up, so slow requests run in the
    background of quick ones. Workers beyond ``size`` are stopped after ``idle_s`` unused;
    one killed at a deadline or slowed down is replaced."""

    def __init__(
        self,
        work: Work,
        size: int = WORKERS,
        max_size: int = MAX_WORKERS,
        *,
        idle_s: float = IDLE_S,
        nice_after: float | None = NICE_AFTER_S,
        max_in_flight: int = MAX_IN_FLIGHT,
        max_active: int | None = None,
    ) -> None:
        self.work = work
        self.size, self.max_size = size, max(size, max_size, 1)
        self.max_active = max_active or max(2, os.cpu_count() or 2)
        self.active = 0  # requests running at normal priority
        self.idle_s, self.nice_after, self.max_in_flight = idle_s, nice_after, max_in_flight
        self.killed: list[int] = []
        self.cond = threading.Condition()
        self.workers: list[Worker] = []  # all of them, busy or free
        self.free: list[Worker] = []  # the most recently used last
        self.in_flight = 0
        self.forked = size  # workers started in all (for the benchmark's report)
        self.closed = False
        self.threads = ThreadPoolExecutor(max_in_flight, thread_name_prefix="papermath-request")
        # at exit, each worker's whole process group (multiprocessing would stop only the
        # worker itself, and leave a dot it started running)
        atexit.register(_close_at_exit, weakref.ref(self))
        for _ in range(size):
            w = self._new()
            w.start()
            self.free.append(w)

    def _new(self) -> Worker:
        w = Worker(self.work, self.killed, self.nice_after)
        self.workers.append(w)
        return w

    def _trim(self) -> list[Worker]:
        """Idle workers beyond ``size`` unused for ``idle_s`` (taken out; the caller stops
        them outside the lock)."""
        now = time.monotonic()
        old = [w for w in self.free if now - w.last_used > self.idle_s]
        old = old[: max(0, len(self.workers) - self.size)]
        for w in old:
            self.free.remove(w)
            self.workers.remove(w)
        return old

    def acquire(self, start_by: float) -> Worker | None:
        """A worker for a request, or None if none is free by ``start_by``."""
        fresh = None
        with self.cond:
            while fresh is None:
                if self.closed:
                    return None
                if self.active < self.max_active:
                    if self.free:
                        self.active += 1
                        return self.free.pop()
                    if len(self.workers) < self.max_size:
                        self.active += 1
                        fresh = self._new()
                        self.forked += 1
                        break
                remaining = start_by - time.monotonic()
                if remaining <= 0:
                    return None
                self.cond.wait(remaining)
        try:
            fresh.start()  # outside the lock: a fork takes milliseconds
        except OSError:
            with self.cond:
                self.workers.remove(fresh)
                self.active -= 1
                self.cond.notify_all()
            return None
        return fresh

    def demoted(self) -> None:
        """A running request dropped to the lowest priority: its place is free."""
        with self.cond:
            self.active -= 1
            self.cond.notify_all()

    def release(self, worker: Worker) -> None:
        niced = worker.niced
        if niced:  # lowest priority for good: a fresh one takes its place
            worker.stop()
        with self.cond:
            if not niced:
                self.active -= 1
            worker.last_used = time.monotonic()
            idle = self._trim()
            if not worker.alive() and len(self.workers) > self.size:
                self.workers.remove(worker)  # killed or slowed down, and extra: gone
            else:
                self.free.append(worker)
            self.cond.notify_all()
        for w in idle:
            w.stop()

    def run(
        self, request: dict[str, Any], deadline: float, start_by: float | None = None
    ) -> dict[str, Any] | None:
        """The answer; None when the work ran past ``deadline`` and was killed; Busy when
        no worker took it by ``start_by`` (default: the deadline)."""
        worker = self.acquire(deadline if start_by is None else min(start_by, deadline))
        if worker is None:
            raise Busy("no worker was free")
        try:
            return worker.run(request, deadline, self.demoted)
        finally:
            self.release(worker)

    def _run_counted(
        self, request: dict[str, Any], deadline: float, start_by: float | None
    ) -> dict[str, Any] | None:
        try:
            return self.run(request, deadline, start_by)
        finally:
            with self.cond:
                self.in_flight -= 1

    async def submit(
        self, request: dict[str, Any], deadline: float, start_by: float | None = None
    ) -> dict[str, Any] | None:
        """``run`` on a thread of the pool's own (not the event loop's few): the answer,
        None, or Busy (also at once when ``max_in_flight`` requests are in already)."""
        with self.cond:
            if self.in_flight >= self.max_in_flight or self.closed:
                raise Busy("too many requests are in already")
            self.in_flight += 1
        try:
            future = self.threads.submit(self._run_counted, request, deadline, start_by)
        except RuntimeError:  # shut down
            with self.cond:
                self.in_flight -= 1
            raise Busy("the server is stopping") from None
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()
            workers = list(self.workers)
        for w in workers:
            w.stop()
        self.threads.shutdown(wait=False, cancel_futures=True)


def parse_request(body: bytes) -> dict[str, Any] | str:
    """The analysis request in a body, or what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the request is not UTF-8 text: {exc}"
    try:
        data = json.loads(text)
    except RecursionError:
        return "the request's JSON is nested too deeply"
    except ValueError as exc:  # JSONDecodeError, or a number too long to convert
        return f"the request is not JSON: {exc}"
    if not isinstance(data, dict) or "src" not in data:
        return 'the request is JSON, but not {"src": "LaTeX", ...}'
    if not isinstance(data["src"], str):
        return f"src must be text (a JSON string), not {type(data['src']).__name__}"
    request: dict[str, Any] = {}
    for key in FIELDS:  # only these reach a worker; other keys are ignored
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            return f"{key} must be text (a JSON string) or null"
        if value is not None:
            request[key] = value
    return request


def create_app(
    work: Work = analyse,
    time_limit: float = TIME_LIMIT_S,
    *,
    host: str = "127.0.0.1",
    allowed_hosts: Collection[str] | None = None,
    workers: int = WORKERS,
    max_workers: int = MAX_WORKERS,
    nice_after: float | None = NICE_AFTER_S,
) -> Starlette:
    """The app. ``host`` is the address the server binds (accepted in ``Host`` besides the
    loopback names, at the port a request came in on); ``allowed_hosts`` replaces that rule
    with exactly these ``Host`` values. ``work``, ``time_limit`` and the pool's sizes are
    parameters for tests and the benchmark. Its worker pool is ``app.state.pool``."""
    pool = Pool(work, workers, max_workers, nice_after=nice_after)
    retry_after = str(max(1, math.ceil(time_limit)))

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def api_analyse(request: Request) -> Response:
        arrival = time.monotonic()
        # one deadline from arrival, queueing included; the work stops a moment before it,
        # which leaves the time to kill a worker and send the answer within the limit
        deadline = arrival + time_limit - min(ANSWER_S, time_limit / 20)
        # started with less than START_MARGIN of the limit left, it would only be killed
        start_by = deadline - START_MARGIN * time_limit
        media, _, params = request.headers.get("content-type", "").partition(";")
        if media.strip().lower() != "application/json":
            return request_error(
                "an analysis is posted as JSON (Content-Type: application/json)", 415
            )
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
                "utf-8",
                "utf8",
            ):
                return request_error("the request's JSON must be UTF-8 (charset=utf-8)", 415)
        too_big = f"the request is larger than {MAX_BODY_BYTES // 1024} KB"
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return request_error(too_big, 413)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                return request_error(too_big, 413)
        job = parse_request(body)
        if isinstance(job, str):
            return request_error(job, 400)
        try:
            result = await pool.submit(job, deadline, start_by)
        except Busy:
            waited = time.monotonic() - arrival
            return request_error(
                f"the server is busy: no worker was free for this request ({waited:.1f} s "
                f"of its {time_limit:g} s); try again",
                503,
                headers={"Retry-After": retry_after},
            )
        if result is None:
            return request_error(
                f"the analysis did not finish within the {time_limit:g} s limit and was stopped",
                504,
            )
        return JSONResponse(result)

    async def api_catalog(request: Request) -> Response:
        entries = [
            {"name": name, "title": catalog.describe(name), "latex": catalog.latex(name)}
            for name in catalog.names()
        ]
        return JSONResponse({"catalog": entries, "seeds": SEEDS})

    async def report_css(request: Request) -> Response:
        from ..report import PAGE_CSS

        return Response(PAGE_CSS, media_type="text/css")

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", index),
        Route("/favicon.ico", favicon),
        Route("/report.css", report_css),
        Route("/api/analyse", api_analyse, methods=["POST"]),
        Route("/api/catalog", api_catalog),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        Mount("/katex", StaticFiles(directory=KATEX), name="katex"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        pool.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.pool = pool
    app.add_middleware(Guard, host=host, allowed_hosts=allowed_hosts)
    return app


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False) -> None:
    """Run the workbench until interrupted."""
    import uvicorn

    # warm the reader once: forked workers inherit the loaded grammar and imports
    analyse({"src": catalog.latex("lstm")})
    # bound to every interface, this machine still reaches it (and its Host check passes)
    # at loopback
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host.strip("[]"), host)
    url = f"http://{_host_name(shown)}:{port}/"
    # try the address first, then say where: a port in use is an error, not a greeting
    # followed by a traceback
    bare = host.strip("[]")
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((bare, port))
        except OSError as exc:
            raise PapermathError(
                f"cannot listen on {host}:{port}: {exc.strerror}",
                hint="another program may use that port: papermath serve --port N",
            ) from None
    print(f"papermath workbench on {url} (Ctrl-C stops it)", flush=True)
    if open_browser:
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # no proxy in front: the scheme and client are the connection's own
    app = create_app(host=host)
    uvicorn.run(app, host=bare, port=port, log_level="warning", proxy_headers=False)
