"""A differential-testing campaign: random well-typed systems through every backend.

    python scripts/difftest.py --systems 20000 [--start 0] [--jobs 2]
    python scripts/difftest.py --kernels 20 [--start 0]
    python scripts/difftest.py --mutate --systems 5000

The first runs every path but the fused C++ kernels (torch ops stand in, as without a
compiler); ``--kernels N`` runs N random systems whose step fuses, each with its kernel
built (30-90 s each: PAPERMATH_KERNELS=wait, in a cache of its own). Prints how many
systems agreed on every path, were refused (a PapermathError), disagreed (a bug) or
crashed (an exception outside PapermathError: a bug), and one example of each distinct
disagreement and crash. ``--mutate``: the corpus's own texts with random edits (as
tests/test_fuzz.py makes them) through the same comparison. The generator and the
comparison are tests/difftest.py.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
if "--kernels" not in sys.argv:
    os.environ.setdefault("PAPERMATH_KERNELS", "off")


MUTATE = "--mutate" in sys.argv  # mutated corpus texts instead of generated systems


def run(seed: int) -> tuple[int, str, str, str]:
    import warnings

    from difftest import compare, mutated_text

    warnings.filterwarnings("ignore")
    got = compare(seed, mutated_text(seed), {}) if MUTATE else compare(seed)
    return seed, got.status, got.detail, got.text


def signature(detail: str) -> str:
    """A disagreement or crash without its numbers and names: one line per kind."""
    first = detail.splitlines()[0] if detail else ""
    first = re.sub(r"\d+(\.\d+)?(e[-+]?\d+)?", "#", first)
    return re.sub(r"'[^']*'", "'…'", first)[:160]


def kernel_campaign(count: int, start: int) -> int:
    """``count`` random systems whose step fuses, each through its built kernel."""
    import tempfile
    import warnings

    os.environ["PAPERMATH_KERNELS"] = "wait"
    os.environ.setdefault("PAPERMATH_KERNEL_CACHE", tempfile.mkdtemp(prefix="difftest-kernels-"))
    warnings.filterwarnings("ignore")
    import papermath
    from difftest import compare, random_system

    counts: collections.Counter[str] = collections.Counter()
    seed = start
    began = time.perf_counter()
    while sum(counts.values()) < count:
        text, dims = random_system(seed)
        seed += 1
        try:
            system = papermath.compile(text)
            sizes = {**{n: dims.get(n, 3) for n in system.size_names()}, **system.dims}
            if "K.fwd" not in system.torch_source(sizes):
                continue  # no fused step: nothing for this campaign
        except papermath.PapermathError:
            continue
        got = compare(seed - 1, text, dims)
        counts[got.status] += 1
        print(f"seed {seed - 1}: {got.status} {got.detail[:300]}", flush=True)
        if got.status in ("disagree", "crash"):
            print(text, flush=True)
    took = time.perf_counter() - began
    print(f"{sum(counts.values())} fused systems (seeds {start}..{seed - 1}) in {took:.0f} s:")
    for status in ("agree", "refused", "disagree", "crash"):
        print(f"  {status:9} {counts[status]:6}")
    return 1 if counts["disagree"] or counts["crash"] else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", type=int, default=200)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--kernels", type=int, default=0, help="fused systems, kernels built")
    ap.add_argument("--mutate", action="store_true", help="mutated corpus texts instead")
    args = ap.parse_args()
    if args.kernels:
        return kernel_campaign(args.kernels, args.start)
    counts: collections.Counter[str] = collections.Counter()
    examples: dict[tuple[str, str], tuple[int, str, str]] = {}
    refusals: collections.Counter[str] = collections.Counter()
    began = time.perf_counter()
    seeds = range(args.start, args.start + args.systems)
    with multiprocessing.get_context("fork").Pool(args.jobs, maxtasksperchild=200) as pool:
        for seed, status, detail, text in pool.imap_unordered(run, seeds, chunksize=4):
            counts[status] += 1
            if status in ("disagree", "crash"):
                examples.setdefault((status, signature(detail)), (seed, detail, text))
            elif status == "refused":
                refusals[signature(detail.split(": ", 2)[-1])] += 1
    took = time.perf_counter() - began
    total = sum(counts.values())
    print(f"{total} systems (seeds {args.start}..{args.start + args.systems - 1}) in {took:.0f} s")
    for status in ("agree", "refused", "disagree", "crash"):
        print(f"  {status:9} {counts[status]:6}  ({100 * counts[status] / max(total, 1):.1f}%)")
    for (status, sig), (seed, detail, text) in sorted(examples.items()):
        print(f"\n{status} (seed {seed}): {sig}\n{detail[:400]}\n--- LaTeX ---\n{text}")
    if refusals:
        print("\nrefusals, most common first:")
        for sig, n in refusals.most_common(10):
            print(f"  {n:5}  {sig}")
    return 1 if counts["disagree"] or counts["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
