"""List every size papermath "solves" (a declared size it fixes to a number or to another
declared size) in every case that reads: tests/wild/cases, ../shared/corpus and
../shared/corpus_papers, with the text that forces it, so each can be judged against the
source (issue 24: no size is solved unless the source's own text forces it).

    .venv/bin/python scripts/solved_sizes.py
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (
    ROOT / "tests" / "wild" / "cases",
    ROOT.parent / "shared" / "corpus",
    ROOT.parent / "shared" / "corpus_papers",
)
os.environ.setdefault("PAPERMATH_KERNELS", "off")


def main() -> int:
    import papermath
    from papermath.cli import forced_by

    found = 0
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.toml")):
            case = tomllib.loads(path.read_text())
            dims = {k: v for k, v in case.get("dims", {}).items() if isinstance(v, int)}
            try:
                system = papermath.compile(case["latex"], dims or None)
            except papermath.PapermathError:
                continue
            for name, value in system.solved.items():
                print(f"{folder.name}/{path.stem}: {name} = {value}{forced_by(system, name)}")
                found += 1
    print(f"{found} solved sizes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
