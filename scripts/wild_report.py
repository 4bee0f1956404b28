"""Read every case of tests/wild (equations as public sources type them) and say how many
papermath reads right, reads wrong, refuses, or crashes on; list the misreads and rank what
blocks the refused ones.

    .venv/bin/python scripts/wild_report.py            # the report
    .venv/bin/python scripts/wild_report.py --json     # counts, machine-readable
    .venv/bin/python scripts/wild_report.py --write-baseline   # tests/wild/baseline.json
    .venv/bin/python scripts/wild_report.py --dir ../shared/corpus_papers   # the papers
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PAPERMATH_KERNELS", "off")


def load_measure() -> ModuleType:
    path = ROOT / "tests" / "wild" / "measure.py"
    spec = importlib.util.spec_from_file_location("wild_measure", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["wild_measure"] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--write-baseline", action="store_true", help="write baseline.json")
    parser.add_argument("--all", action="store_true", help="list every case's outcome")
    parser.add_argument(
        "--check",
        action="store_true",
        help="also run papermath check on every case with [dims] (values and gradients)",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        help="measure another folder of cases (e.g. ../shared/corpus_papers) instead",
    )
    args = parser.parse_args(argv)
    measure = load_measure()
    if args.write_baseline and args.dir is not None:
        parser.error("--write-baseline records tests/wild only")
    folder = args.dir if args.dir is not None else measure.CASES_DIR
    cases = measure.load_cases(folder)
    results = [measure.classify(name, case) for name, case in cases]
    counts = measure.counts(results)
    total = len(results)
    sources = sorted({r.source for r in results})
    if args.write_baseline:
        data = {"cases": total, "sources": len(sources), **counts}
        measure.BASELINE.write_text(json.dumps(data, indent=2) + "\n")
    if args.json:
        data = {"cases": total, "sources": len(sources), **counts}
        data["by_case"] = {r.name: r.outcome for r in results}
        print(json.dumps(data, indent=2))
        return 0
    print(f"{total} systems from {len(sources)} sources ({folder})\n")
    for outcome in measure.OUTCOMES:
        n = counts[outcome]
        pct = 100.0 * n / total if total else 0.0
        print(f"  {outcome.replace('_', '-'):11s} {n:4d}  {pct:5.1f}%")
    wrong = [r for r in results if r.outcome == "read_wrong"]
    if wrong:
        print("\nread-wrong (compiles, but a shape or kind differs):")
        for r in wrong:
            print(f"  {r.name}: {r.detail}")
    crashed = [r for r in results if r.outcome == "crashed"]
    if crashed:
        print("\ncrashed:")
        for r in crashed:
            print(f"  {r.name}: {r.detail}")
    refused = [r for r in results if r.outcome == "refused"]
    if refused:
        print("\nblockers of the refused cases, by the error's first words:")
        groups: dict[str, list] = defaultdict(list)
        for r in refused:
            groups[r.blocker].append(r)
        for blocker, rs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"  {len(rs):3d}  {blocker}")
            under = Counter(r.construct for r in rs)
            shown = ", ".join(f"`{c}` x{n}" if n > 1 else f"`{c}`" for c, n in under.most_common(6))
            print(f"         under the caret: {shown}")
        print("\nconstructs under the caret (all refusals):")
        for construct, n in Counter(r.construct for r in refused).most_common(15):
            print(f"  {n:3d}  `{construct}`")
    if args.check:
        print("\npapermath check on the cases with [dims]:")
        passed, failed = check_cases(cases)
        print(f"  {passed} of {passed + len(failed)} pass")
        for name, why in failed:
            print(f"  {name}: {why}")
    if args.all:
        print("\nevery case:")
        for r in results:
            print(f"  {r.outcome:10s} {r.name}: {r.detail}")
    by_source = defaultdict(Counter)
    for r in results:
        by_source[r.source][r.outcome] += 1
    print("\nby source (right/wrong/refused/crashed):")
    for s in sources:
        c = by_source[s]
        print(f"  {s:28s} {c['read_right']}/{c['read_wrong']}/{c['refused']}/{c['crashed']}")
    return 0


def check_cases(cases: list[tuple[str, dict]]) -> tuple[int, list[tuple[str, str]]]:
    """How many cases with [dims] pass `papermath check`; the others with the reason."""
    import papermath
    from papermath.parse.sitemacros import for_case
    from papermath.standin import check_or_stand_in

    passed, failed = 0, []
    for name, case in cases:
        if "dims" not in case or case.get("expect", {}).get("error"):
            continue
        try:
            results, stand_in = check_or_stand_in(
                papermath.compile(for_case(case["latex"], case, name)), case["dims"]
            )
        except papermath.PapermathError as err:
            failed.append((name, err.message.split("\n")[0][:80]))
            continue
        if stand_in is not None:  # an activation the source does not name: said, every stand-in
            print(f"  {name}: {stand_in.statement()}")
            if stand_in.ok:
                passed += 1
            else:
                failed.append((name, "values or gradients differ with a stand-in"))
        elif all(r.ok for r in results):
            passed += 1
        else:
            failed.append((name, "values or gradients differ"))
    return passed, failed


if __name__ == "__main__":
    raise SystemExit(main())
