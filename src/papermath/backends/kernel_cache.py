"""The cache of built fused step kernels (``papermath kernels build | status | clean``), and
``papermath check``'s rule that it never builds one nor waits.

The kernels are built by the code every generated module with a fused step holds
(``steps.BUILD``: standalone, torch and the standard library only); this module runs that
same code in a namespace of its own, so the command line reads and cleans the cache exactly
as the modules write it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .steps import BUILD


def build_helpers() -> dict[str, Any]:
    """The kernels' build (``steps.BUILD``, the code every generated module with a fused step
    holds, standalone) run in a namespace of its own, for the command line: the cache is read
    and cleaned with the same code that the modules write it with."""
    import os
    import sys
    import time

    names: dict[str, Any] = {"os": os, "sys": sys, "time": time, "torch": None}
    names.update(_KERNEL_NAME="", _KERNEL_SOURCE="", _KERNEL_FUNCTIONS=[])
    exec(compile(BUILD, "<papermath kernel build>", "exec"), names)
    return names


@dataclass
class Cached:
    """One kernel's files in the cache (``stem``: its name and the hash of what it was built
    with): built, being built by a live process, failed, or what a killed build left."""

    stem: str
    built: int | None = None  # the module's size in bytes
    building: tuple[int, str] | None = None  # the builder (pid, host), live
    stale_lock: bool = False  # a lock whose holder is gone: broken at the next use
    failed: str | None = None  # why it could not be built
    leftovers: list[str] = field(default_factory=list)  # killed builds' directories, logs


def cache_dir() -> str:
    """Where the kernels are kept (PAPERMATH_KERNEL_CACHE, else TORCH_EXTENSIONS_DIR/papermath,
    else ~/.cache/papermath/kernels)."""
    return str(build_helpers()["_kernel_cache"]())


def cached() -> list[Cached]:
    """Every kernel in the cache, by stem."""
    import os

    helpers = build_helpers()
    root = helpers["_kernel_cache"]()
    if not os.path.isdir(root):
        return []
    entries: dict[str, Cached] = {}
    for name in sorted(os.listdir(root)):
        if not name.startswith("papermath_step_"):
            continue
        stem, _, end = name.partition(".")
        entry = entries.setdefault(stem, Cached(stem))
        path = os.path.join(root, name)
        if end == "so":
            entry.built = os.path.getsize(path)
        elif end == "lock":
            entry.building = helpers["_owner"](path)
            entry.stale_lock = entry.building is None
        elif end == "failed":
            with open(path, encoding="utf-8", errors="replace") as f:
                entry.failed = (f.read().strip() or "no reason given").splitlines()[0]
        elif end != "log":
            entry.leftovers.append(name)
    for entry in entries.values():
        if entry.building is not None:
            entry.leftovers = []  # the live build's own directory
    return list(entries.values())


def clean() -> tuple[int, list[Cached]]:
    """Remove every kernel's files but those of a build under way: the number of kernels whose
    files were removed, and those being built (kept)."""
    import os
    import shutil

    helpers = build_helpers()
    root = helpers["_kernel_cache"]()
    removed, kept = 0, []
    for entry in cached():
        if entry.building is not None:
            kept.append(entry)
            continue
        for name in os.listdir(root):
            if name.startswith(entry.stem + "."):
                path = os.path.join(root, name)
                if os.path.isdir(path):
                    helpers["_end_build_processes"](path)  # a killed build's compilers
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
        removed += 1
    return removed, kept


def build_now(module: Any) -> tuple[str, bool] | None:
    """Build a generated module's fused kernel now (or wait for the process building it; after
    a failure, try again): the path of the built module and whether it is there; None where
    the module has no fused kernel."""
    g = type(module).forward.__globals__
    if "_kernels_wait" not in g:
        return None
    kernels = g["_kernels_wait"](retry=True)
    return str(g["_kernel_files"]()["so"]), kernels is not None


def status_lines() -> list[str]:
    """What ``papermath kernels status`` prints."""
    rows = [f"kernel cache: {cache_dir()}"]
    for e in cached():
        if e.built is not None:
            rows.append(f"{e.stem}  built ({e.built / 1e6:.1f} MB)")
        if e.building is not None:
            rows.append(f"{e.stem}  being built by process {e.building[0]} on {e.building[1]}")
        if e.stale_lock:
            rows.append(f"{e.stem}  a dead builder's lock (broken at the next use)")
        if e.failed is not None:
            rows.append(f"{e.stem}  failed: {e.failed[:120]}")
        if e.leftovers:
            rows.append(f"{e.stem}  {len(e.leftovers)} killed build(s) left (kernels clean)")
    if len(rows) == 1:
        rows.append("no kernels")
    return rows


@contextmanager
def never_build() -> Iterator[None]:
    """While the block runs, generated modules use a kernel built before but never start a
    build nor wait for one (PAPERMATH_KERNELS=cached, unless it is off): ``papermath check``
    checks the mathematics, on the torch ops where no kernel is built yet."""
    import os

    before = os.environ.get("PAPERMATH_KERNELS")
    if before != "off":
        os.environ["PAPERMATH_KERNELS"] = "cached"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PAPERMATH_KERNELS", None)
        else:
            os.environ["PAPERMATH_KERNELS"] = before
