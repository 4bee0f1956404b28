"""Shared helpers: where the corpus is, and shape comparison up to renaming of free sizes."""

from __future__ import annotations

import contextlib
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wild.measure import shape_difference, sym

__all__ = ["assert_shapes_match", "sym"]  # sym: a size as sympy, for tests

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

# The fused step kernels (C++, about 25 s to build each cell's the first time) are built only
# by tests/test_kernels.py, which asks for them; everywhere else the steps run as torch ops.
os.environ.setdefault("PAPERMATH_KERNELS", "off")


def regenerate_docs() -> Any:
    """scripts/regenerate_docs.py as a module: the docs' generated blocks, made afresh."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("regen", ROOT / "scripts" / "regenerate_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Public corpus cases whose notation papermath does not yet read through every stage, with
# what is missing. Each must be refused with a PapermathError (tests/test_corpus.py), never
# misread; a case that starts to read fails that test until it is taken off this list.
# Shared cases whose expected shapes give a size that the source's own text does not force:
# papermath reads the system and leaves that size free (under its own name), as it must (a
# size is never solved to a value the source does not force). case -> (papermath's free size,
# the size the case expects in its place, why the source does not force it). The test checks
# the reading with that one size renamed, and that the size is free.
ASSUMED_SIZES: dict[str, tuple[str, str, str]] = {
    "seed_lstm_blog_one_line": (
        "d1",
        "n",
        "the one line ties C to f, i and W_xc x_t + W_hc h_{t-1} + b_c, never to h (no h_t = "
        "o_t * tanh(C_t) here): the cell's size is free; declare `C_t in R^n` to give it",
    ),
}

NOT_READ_YET: dict[str, str] = {}


def corpus_cases(*, readable_only: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """Every case of the shared corpus; ``readable_only`` leaves out NOT_READ_YET."""
    if not CORPUS.is_dir():
        raise RuntimeError(f"the shared corpus is missing: {CORPUS}")
    cases = [(p.stem, tomllib.loads(p.read_text())) for p in sorted(CORPUS.glob("*.toml"))]
    return [(n, c) for n, c in cases if not (readable_only and n in NOT_READ_YET)]


def assert_shapes_match(
    got: dict[str, tuple[str, ...]],
    expected: dict[str, list[str]],
    declared: set[str],
) -> None:
    """Every expected shape equals the computed one, up to a renaming of free sizes.

    Free sizes are the names the source does not declare; a renaming is a one-to-one map
    between ours and the expected ones, found from axes that are a single free name on
    both sides, then every axis is compared as a sympy expression (tests/wild/measure.py,
    which the real-world corpus's measure shares).
    """
    difference = shape_difference(got, expected, declared)
    assert difference is None, difference


@contextlib.contextmanager
def live(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread: its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def pytest_collection_finish(session: pytest.Session) -> None:
    """When tests/test_kernels.py is among the tests, build its fused kernels (30-90 s each
    on 2 cores) one after the other in a background process at the lowest priority, from the
    start of the run: they compile on the core the other tests leave idle, and test_kernels.py
    (PAPERMATH_KERNELS=wait) finds them built or waits on the builder's lock. Set
    PAPERMATH_TEST_PREBUILD=0 to leave the builds to test_kernels.py."""
    import shutil
    import subprocess
    import sys
    import tempfile

    if os.environ.get("PAPERMATH_TEST_PREBUILD", "1") == "0":
        return
    if shutil.which("g++") is None and shutil.which("c++") is None:
        return
    if not any(item.nodeid.startswith("tests/test_kernels.py") for item in session.items):
        return
    from test_kernels import CELLS

    folder = Path(tempfile.mkdtemp(prefix="papermath-prebuild-"))
    files = []
    for name, text in CELLS.items():
        (folder / f"{name}.tex").write_text(text)
        files.append(str(folder / f"{name}.tex"))
    subprocess.Popen(
        [sys.executable, "-m", "papermath.cli", "kernels", "build", *files],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: os.nice(19),
        env={**os.environ, "PAPERMATH_KERNELS": "wait"},
    )
