"""Kernels never block and never hang (the kernel build in backends/steps.py's BUILD, which
every generated module with a fused step holds): a first use runs at once as torch ops while
the kernel builds in a detached process; papermath's own lock (pid, host, creation, the
process's start) is broken, not waited on, when its holder is dead or old; a build runs in a
private directory and is renamed into place, so a build killed halfway leaves nothing that
blocks; the cache is keyed by the compiler, flags, torch, Python and the CPU.

One test builds one kernel (30-90 s on 2 cores) in an empty cache of its own; the others use
a compiler that fails at once (CXX=false) or no build at all."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from papermath import catalog
from papermath.backends import kernel_cache as kernels
from papermath.check import check

DIMS = {"m": 3, "n": 4}

# A fresh process: to_torch() and a forward and backward of the catalog's LSTM, timed, and
# their values against the plain loop under autograd (the oracle) with the same weights.
CHILD = """
import json, time
import torch
from papermath import catalog
start = time.perf_counter()
system = catalog.load("lstm")
module = system.to_torch({"m": 3, "n": 4}, dtype=torch.float64)
x = torch.randn(6, 5, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
out = module(x=x)
grads = torch.autograd.grad(sum((v * v).sum() for v in out.values()), list(module.parameters()))
took = time.perf_counter() - start
kernels = module.forward.__globals__["_KERNELS"]
oracle = system.to_torch({"m": 3, "n": 4}, dtype=torch.float64, steps=False)
oracle.load_state_dict(module.state_dict())
ref = oracle(x=x)
ref_grads = torch.autograd.grad(sum((v * v).sum() for v in ref.values()),
                                list(oracle.parameters()))
diff = max([(out[k] - ref[k]).abs().max().item() for k in ref]
           + [(a - b).abs().max().item() for a, b in zip(grads, ref_grads)])
print(json.dumps({"took": took, "fused": bool(kernels) and kernels[0] is not None,
                  "diff": diff}))
"""


def child(env: dict[str, str]) -> tuple[dict[str, Any], list[str], float]:
    """Run CHILD: what it printed, its lines on stderr from papermath, its whole wall time."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120
    )
    wall = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("papermath:")]
    return json.loads(done.stdout.splitlines()[-1]), said, wall


def holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def at_work_in(path: Path) -> list[int]:
    """The processes whose working directory is in ``path`` (a build's: ninja, compilers)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if cwd == str(path.resolve()) or cwd.startswith(str(path.resolve()) + os.sep):
            found.append(int(proc.name))
    return found


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    """An empty kernel cache of the test's own; any builder still running at the end (a
    failed test) is killed with its compilers, never left behind."""
    yield tmp_path
    for lock in tmp_path.glob("*.lock"):
        pid = holder(lock)
        if pid is not None and not gone(pid) and pid != os.getpid():
            os.killpg(pid, signal.SIGKILL)
    for pid in at_work_in(tmp_path):
        if pid != os.getpid():
            os.kill(pid, signal.SIGKILL)


def needs_compiler() -> None:
    if shutil.which(os.environ.get("CXX", "c++")) is None:
        pytest.skip("no C++ compiler")


def lstm() -> tuple[torch.nn.Module, dict[str, Any]]:
    module = catalog.load("lstm").to_torch(DIMS, dtype=torch.float64)
    return module, module.forward.__globals__


def test_a_fresh_process_runs_at_once_and_a_killed_build_blocks_nothing(
    cache: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Empty cache: to_torch() and a forward and backward return in under 5 s, as torch ops
    equal to the oracle, and one line says the kernel builds in the background. The builder
    killed halfway (with its compiler) leaves its lock and directory: the next process
    returns as soon, breaks the dead lock and starts a build of its own; `papermath kernels
    build` waits for that one; the process after uses the kernel from its first call, its
    values those of the torch ops. In one process, a module that ran as torch ops takes the
    kernel up at a later call once it is on disk."""
    needs_compiler()
    env = {**os.environ, "PAPERMATH_KERNEL_CACHE": str(cache), "PAPERMATH_KERNELS": "on"}
    first, said, wall = child(env)
    print(f"fresh process, empty cache: {first['took']:.2f} s in the call, {wall:.2f} s in all")
    assert first["took"] < 5 and not first["fused"] and first["diff"] <= 1e-12
    assert len(said) == 1 and "in the background" in said[0], said
    (lock,) = cache.glob("*.lock")
    pid = holder(lock)
    assert pid is not None and not gone(pid)
    deadline = time.monotonic() + 60  # halfway: once the compiler runs
    while not list(cache.glob("*.build-*/build.ninja")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)
    os.killpg(pid, signal.SIGKILL)  # the builder is its session's leader: ninja, g++ too
    while not gone(pid):
        time.sleep(0.05)
    assert lock.exists() and holder(lock) == pid and not list(cache.glob("*.so"))
    (killed,) = cache.glob("*.build-*")
    orphans = at_work_in(killed)  # its compiler, in a process group of ninja's, runs on
    assert orphans

    second, said, wall = child(env)
    print(f"after a killed build: {second['took']:.2f} s in the call, {wall:.2f} s in all")
    assert second["took"] < 5 and not second["fused"] and second["diff"] <= 1e-12
    assert len(said) == 1 and "in the background" in said[0], said
    assert holder(lock) not in (None, pid) and not killed.exists()
    assert all(gone(p) for p in orphans)  # the killed build's compiler ended with it

    start = time.monotonic()
    build = subprocess.run(
        [sys.executable, "-m", "papermath", "kernels", "build", "--catalog", "lstm"],
        env={**env, "PAPERMATH_KERNELS": "off"},  # the command waits, whatever the mode
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(f"the build after: waited {time.monotonic() - start:.0f} s")
    assert build.returncode == 0 and "lstm: ready" in build.stdout, build.stdout + build.stderr
    assert "waiting for process" in build.stderr
    assert [p.suffix for p in cache.iterdir() if p.suffix != ".log"] == [".so"]

    third, said, _ = child(env)
    assert third["took"] < 5 and third["fused"] and third["diff"] <= 1e-12 and said == []

    later = tmp_path_factory.mktemp("later")
    monkeypatch.setenv("PAPERMATH_KERNEL_CACHE", str(later))
    monkeypatch.setenv("PAPERMATH_KERNELS", "cached")  # never builds: the copy below does
    module, g = lstm()
    x = torch.randn(4, 2, 3, dtype=torch.float64)
    module(x=x)
    assert g["_KERNELS"] == []
    (built,) = cache.glob("*.so")
    shutil.copy(built, later / built.name)
    module(x=x)  # within a second of the last look: not looked for yet
    assert g["_KERNELS"] == []
    time.sleep(1.1)
    module(x=x)
    assert g["_KERNELS"][0] is not None


def test_a_dead_builder_s_lock_is_broken_not_waited_on(
    cache: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A lock whose process is dead: even PAPERMATH_KERNELS=wait breaks it and builds (here
    with a compiler that fails at once), then runs as torch ops."""
    monkeypatch.setenv("PAPERMATH_KERNEL_CACHE", str(cache))
    monkeypatch.setenv("PAPERMATH_KERNELS", "wait")
    monkeypatch.setenv("CXX", "false")
    module, g = lstm()
    files = g["_kernel_files"]()
    dead = subprocess.Popen(["true"])
    dead.wait()
    g["_write_owner"](files["lock"], dead.pid)
    start = time.monotonic()
    module(x=torch.randn(4, 2, 3, dtype=torch.float64))
    assert time.monotonic() - start < 60 and g["_KERNELS"] == [None]
    said = [line for line in capfd.readouterr().err.splitlines() if "papermath:" in line]
    assert "waiting for process" not in said[0] and "the steps run as torch ops" in said[-1], said
    assert not os.path.exists(files["lock"]) and os.path.exists(files["failed"])
    assert not list(cache.glob("*.build-*"))


def test_a_live_builder_is_never_waited_on_by_a_first_use(
    cache: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Another process building the kernel: a first use says so and runs as torch ops at
    once, starting nothing; it looks on disk again at most once a second."""
    monkeypatch.setenv("PAPERMATH_KERNEL_CACHE", str(cache))
    monkeypatch.setenv("PAPERMATH_KERNELS", "on")
    module, g = lstm()
    os.makedirs(cache, exist_ok=True)
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        g["_write_owner"](g["_kernel_files"]()["lock"], sleeper.pid)
        x = torch.randn(4, 2, 3, dtype=torch.float64)
        start = time.monotonic()
        for _ in range(3):
            module(x=x)
        assert time.monotonic() - start < 2 and g["_KERNELS"] == []
        said = [line for line in capfd.readouterr().err.splitlines() if "papermath:" in line]
        assert len(said) == 1 and f"being built by process {sleeper.pid}" in said[0], said
        assert not list(cache.glob("*.build-*"))
    finally:
        sleeper.kill()
        sleeper.wait()


def test_who_holds_a_lock(tmp_path: Path) -> None:
    """A holder is live while its process is (the same process: its start is recorded, so a
    reused number is no holder) and for at most _STALE_S; on another host, until then."""
    _, g = lstm()
    owner, lock = g["_owner"], str(tmp_path / "k.lock")
    host = socket.gethostname()
    assert owner(lock) is None  # none
    g["_write_owner"](lock, os.getpid())
    assert owner(lock) == (os.getpid(), host)
    assert not g["_take_lock"](lock)  # held: not taken
    pid, _, created, started = Path(lock).read_text().split()
    cases = {
        f"{pid} {host} {created} 1": None,  # the number now another process's
        f"{pid} {host} {float(created) - 2 * g['_STALE_S']} {started}": None,  # too old
        f"{pid} elsewhere {created} {started}": (int(pid), "elsewhere"),  # cannot look: live
        f"{pid} elsewhere {float(created) - 2 * g['_STALE_S']} {started}": None,
        "not a lock": None,
    }
    for text, want in cases.items():
        Path(lock).write_text(text)
        assert owner(lock) == want, text
    assert g["_take_lock"](lock)  # a stale lock is broken and taken
    assert owner(lock) == (os.getpid(), host)


def test_the_cache_key_holds_the_compiler_the_flags_and_the_cpu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two CPUs (or compilers, or flags) sharing a cache never load each other's kernel."""
    _, g = lstm()
    key = g["_kernel_key"]()
    assert key == g["_kernel_key"]()
    g["_FLAGS"] = [*g["_FLAGS"], "-DOTHER"]
    flags = g["_kernel_key"]()
    g["_kernel_isa"] = lambda: "another CPU"
    isa = g["_kernel_isa"]() and g["_kernel_key"]()
    monkeypatch.setenv("CXX", "false")
    compiler = g["_kernel_key"]()
    assert len({key, flags, isa, compiler}) == 4
    assert "flags" in lstm()[1]["_kernel_isa"]() or sys.platform != "linux"


def test_check_never_builds_nor_waits(
    cache: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """`papermath check` checks the mathematics: on an empty cache, even with
    PAPERMATH_KERNELS=wait, it runs the torch ops at once and starts no build."""
    monkeypatch.setenv("PAPERMATH_KERNEL_CACHE", str(cache))
    monkeypatch.setenv("PAPERMATH_KERNELS", "wait")
    start = time.monotonic()
    results = check(catalog.load("lstm"), DIMS)
    assert time.monotonic() - start < 30 and all(r.ok for r in results)
    assert all(r.torch_error is not None for r in results)
    assert list(cache.iterdir()) == [] and os.environ["PAPERMATH_KERNELS"] == "wait"
    assert "papermath:" not in capfd.readouterr().err


def test_kernels_status_and_clean(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`papermath kernels status` says what the cache holds; `clean` removes all of it but a
    build under way. The command line reads the cache with the modules' own code."""
    from papermath.cli import main

    monkeypatch.setenv("PAPERMATH_KERNEL_CACHE", str(cache))
    _, g = lstm()
    assert kernels.cache_dir() == g["_kernel_cache"]() == str(cache)
    stems = [str(cache / f"papermath_step_{c * 16}-{c * 16}") for c in "abc"]
    Path(stems[0] + ".so").write_bytes(b"\0" * 1000)
    dead = subprocess.Popen(["true"])
    dead.wait()
    g["_write_owner"](stems[1] + ".lock", dead.pid)
    os.mkdir(stems[1] + ".build-x")
    g["_write_owner"](stems[1] + ".build-x/owner", dead.pid)
    g["_write_owner"](stems[2] + ".lock", os.getpid())  # a live build
    os.mkdir(stems[2] + ".build-y")
    status = kernels.status_lines()
    assert status[0] == f"kernel cache: {cache}"
    assert any("built" in s for s in status) and any("dead builder" in s for s in status)
    assert any(f"being built by process {os.getpid()}" in s for s in status)
    assert any("killed build(s) left" in s for s in status)
    assert main(["kernels", "clean"]) == 0
    assert sorted(p.name for p in cache.iterdir()) == [
        os.path.basename(stems[2]) + ".build-y",
        os.path.basename(stems[2]) + ".lock",
    ]
    os.unlink(stems[2] + ".lock")
    assert main(["kernels", "clean"]) == 0 and list(cache.iterdir()) == []
    assert main(["kernels", "status"]) == 0
