"""The workbench's web app: one page and a JSON API over papermath's stages.

Starlette (with uvicorn) because the app is small and async: one page, a few JSON routes,
static files, no templates, no database, no sessions; Starlette gives exactly that, is
well kept, and its test client drives the app without a socket.

Each analysis runs in a warm worker process (forked once, kept between requests) that is
killed past the time limit and replaced, so a pathological input cannot hang the server;
the request body is limited in size; every error comes back as data
(``{"ok": false, "error": {"line", "column", "message", "hint", ...}}``).
The server binds loopback unless told otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import queue
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import catalog
from .seeds import SEEDS
from .work import MAX_SOURCE_BYTES, analyse

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
KATEX = HERE.parent / "report" / "katex"
MAX_BODY_BYTES = MAX_SOURCE_BYTES + 16 * 1024  # the LaTeX, dims and values as JSON
TIME_LIMIT_S = 10.0

Work = Callable[[dict[str, Any]], dict[str, Any]]


def request_error(message: str, status: int) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error": {"kind": "request error", "message": message}}, status_code=status
    )


def _serve_forever(work: Work, conn: multiprocessing.connection.Connection) -> None:
    """A worker's loop: one request in, its answer out, until the server closes the pipe."""
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


class Worker:
    """A warm worker process, forked from the server (so the grammar and imports are loaded
    already) and kept between requests: its caches stay warm, and no request pays for a
    fork. One request at a time; past the time limit it is killed, and the next request
    starts a fresh one."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self.process: multiprocessing.process.BaseProcess | None = None
        self.conn: multiprocessing.connection.Connection | None = None
        self.killed: list[int] = []  # pids of workers stopped past the limit

    def start(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve_forever, args=(self.work, child), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
        if self.conn is not None:
            self.conn.close()
        self.process = self.conn = None

    def run(self, request: dict[str, Any], limit: float) -> dict[str, Any] | None:
        """The answer, or None when the work ran past ``limit`` seconds (then killed)."""
        if self.process is None or not self.process.is_alive():
            self.stop()
            self.start()
        assert self.conn is not None and self.process is not None
        self.conn.send(request)
        if self.conn.poll(limit):
            try:
                result: dict[str, Any] = self.conn.recv()
                return result
            except EOFError:  # the worker died without an answer
                self.stop()
                return {"ok": False, "error": {"kind": "internal error",
                                              "message": "the worker stopped"}}  # fmt: skip
        if self.process.pid is not None:
            self.killed.append(self.process.pid)
        self.stop()
        return None


class Pool:
    """A few workers; a request takes a free one (or waits for one)."""

    def __init__(self, work: Work, size: int = 2) -> None:
        self.workers = [Worker(work) for _ in range(size)]
        self.free: queue.Queue[Worker] = queue.Queue()
        for w in self.workers:
            w.start()
            self.free.put(w)

    def run(self, request: dict[str, Any], limit: float) -> dict[str, Any] | None:
        worker = self.free.get()
        try:
            return worker.run(request, limit)
        finally:
            self.free.put(worker)

    def close(self) -> None:
        for w in self.workers:
            w.stop()


def create_app(work: Work = analyse, time_limit: float = TIME_LIMIT_S) -> Starlette:
    """The app; ``work`` and ``time_limit`` are parameters for tests. Its worker pool is
    ``app.state.pool``."""
    pool = Pool(work)

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def api_analyse(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return request_error(f"the request is larger than {MAX_BODY_BYTES // 1024} KB", 413)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                return request_error(f"the request is larger than {MAX_BODY_BYTES // 1024} KB", 413)
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return request_error(f"the request is not JSON: {exc}", 400)
        if not isinstance(data, dict) or not isinstance(data.get("src"), str):
            return request_error('the request is JSON, but not {"src": "LaTeX", ...}', 400)
        result = await asyncio.to_thread(pool.run, data, time_limit)
        if result is None:
            return request_error(
                f"the analysis took longer than {time_limit:g} s and was stopped", 504
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
    return app


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False) -> None:
    """Run the workbench until interrupted."""
    import uvicorn

    # warm the reader once: forked workers inherit the loaded grammar and imports
    analyse({"src": catalog.latex("lstm")})
    url = f"http://{host}:{port}/"
    print(f"papermath workbench on {url} (Ctrl-C stops it)", flush=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
