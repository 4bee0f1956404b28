"""Run every stage on every case papermath reads (tests/wild/cases, ../shared/corpus,
../shared/corpus_papers): explain, the diagram's DOT, the HTML report, the NumPy module at
default sizes, and the printed gradients of up to two parameters. A stage may refuse (a
PapermathError, said with a caret); any other exception is a crash, printed with where it
happened. Exit 1 if anything crashed.

    .venv/bin/python scripts/every_stage.py
"""

from __future__ import annotations

import os
import sys
import tomllib
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (
    ROOT / "tests" / "wild" / "cases",
    ROOT.parent / "shared" / "corpus",
    ROOT.parent / "shared" / "corpus_papers",
)


def main() -> int:
    os.environ.setdefault("PAPERMATH_KERNELS", "off")
    sys.path.insert(0, str(ROOT / "tests"))
    import papermath
    from papermath.check import default_dims
    from papermath.diagram import to_dot
    from papermath.explain import explain
    from papermath.report import report_html
    from papermath.report.gradients import derive
    from wild.measure import case_latex

    files = sorted(p for folder in FOLDERS for p in folder.glob("*.toml"))
    read = crashes = 0
    for path in files:
        case = tomllib.loads(path.read_text())
        try:
            system = papermath.compile(case_latex(path.stem, case), case.get("dims"))
        except papermath.PapermathError:
            continue
        except Exception as exc:  # a crash is what this script looks for
            crashes += 1
            print(f"CRASH compile  {path.stem}: {type(exc).__name__}: {exc}"[:200])
            continue
        read += 1
        stages: dict[str, Callable[[Any], Any]] = {
            "explain": explain,
            "diagram": to_dot,
            "report": report_html,
            "numpy": lambda s: s.to_numpy(default_dims(s, None)),
            "grad": lambda s: [
                derive(s, k) for k in [k for k, v in s.kinds.items() if v == "parameter"][:2]
            ],
        }
        for stage, run in stages.items():
            try:
                run(system)
            except papermath.PapermathError:
                pass
            except Exception as exc:
                crashes += 1
                where = traceback.extract_tb(exc.__traceback__)[-1]
                print(
                    f"CRASH {stage:8s} {path.stem}: {type(exc).__name__}: {str(exc)[:100]} "
                    f"({Path(where.filename).name}:{where.lineno})"
                )
    print(f"{len(files)} cases, {read} read, every stage run: {crashes} crashed")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
