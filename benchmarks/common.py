"""Helpers for the benchmarks: side-by-side timing in one process, peak memory per process."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

# The benchmarks time the fused step kernels: each is built (or its build waited for) at its
# first use, before timing; elsewhere a first use runs as torch ops while it builds in the
# background. Their subprocesses (peak memory) inherit this.
os.environ.setdefault("PAPERMATH_KERNELS", "wait")


def timeit(
    fns: dict[str, Callable[[], object]], repeat: int = 7, warmup: int = 2
) -> dict[str, float]:
    """Median seconds per call; the candidates alternate, so drift hits all of them alike."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in samples.items()}


def timeit_apart(
    fns: dict[str, Callable[[], object]], rounds: int = 3, runs: int = 3, pause: float = 0.3
) -> dict[str, float]:
    """Median seconds per call for candidates on different thread pools (NumPy's OpenBLAS,
    torch's OpenMP): each runs ``runs`` times in a block of its own, after a pause that lets
    the other pool's threads stop spinning; the blocks alternate for ``rounds``. Calls
    alternating one by one made each pool's spinning threads slow the other down: nn.LSTM
    took 160-175 ms next to NumPy calls against 110 ms on its own."""
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            time.sleep(pause)
            fn()  # warm
            for _ in range(runs):
                start = time.perf_counter()
                fn()
                samples[name].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in samples.items()}


PEAK = """
import os, sys
def rss(field):
    for line in open('/proc/self/status'):
        if line.startswith(field):
            return int(line.split()[1]) * 1024
{setup}
run()  # warm up: allocator caches, lazy initialisation
with open('/proc/self/clear_refs', 'w') as f:
    f.write('5')  # reset the peak (VmHWM) to the current size
base = rss('VmRSS:')
run()
print(rss('VmHWM:') - base)
"""


def peak_memory(setup: str) -> int:
    """Bytes above the resting size during one call of ``run()`` defined by ``setup``.

    The process runs with glibc's mmap threshold fixed at 128 KiB: every large block is
    mapped on allocation and returned on free, so the resident size follows the live tensors.
    Left dynamic, glibc keeps freed blocks in its heap and the peak above resting measured how
    the warm-up call's blocks happened to be reused (the same code moved by 12 MiB when one
    (T, N, 4H) temporary went away), not what the call holds."""
    code = PEAK.replace("{setup}", setup)
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "131072"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        env=env,
    )
    return int(out.stdout.strip().splitlines()[-1])


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
