"""The workbench's web app: one page and a JSON API over papermath's stages.

Starlette (with uvicorn) because the app is small and async: one page, a few JSON routes,
static files, no templates, no database, no sessions; Starlette gives exactly that, is
well kept, and its test client drives the app without a socket.

Each analysis runs in a forked worker process that is killed past the time limit, so a
pathological input cannot hang the server; the request body is limited in size; every error
comes back as data (``{"ok": false, "error": {"line", "column", "message", "hint", ...}}``).
The server binds loopback unless told otherwise.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import multiprocessing.connection
import os
from collections.abc import Callable
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


def _child(
    work: Work, request: dict[str, Any], conn: multiprocessing.connection.Connection
) -> None:
    try:
        result = work(request)
    except Exception as exc:  # an internal failure is reported as data, not a hang
        result = {
            "ok": False,
            "error": {"kind": "internal error", "message": f"{type(exc).__name__}: {exc}"},
        }
    conn.send(result)
    conn.close()


def run_limited(work: Work, request: dict[str, Any], limit: float) -> dict[str, Any] | None:
    """``work(request)`` in a forked process; None when it ran past ``limit`` seconds (the
    process is killed)."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(work, request, send), daemon=True)
    process.start()
    send.close()
    try:
        if receive.poll(limit):
            try:
                result: dict[str, Any] = receive.recv()
            except EOFError:  # the worker died without an answer
                result = {
                    "ok": False,
                    "error": {"kind": "internal error", "message": "the worker stopped"},
                }
            return result
        return None
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join()


def create_app(work: Work = analyse, time_limit: float = TIME_LIMIT_S) -> Starlette:
    """The app; ``work`` and ``time_limit`` are parameters for tests."""

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
        result = await asyncio.to_thread(run_limited, work, data, time_limit)
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
    return Starlette(routes=routes)


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
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
