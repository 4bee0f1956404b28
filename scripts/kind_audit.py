"""Audit what papermath reads each symbol as: for every case that reads (the wild corpus,
../shared/corpus_papers, ../shared/corpus), print each symbol that is not computed (its kind)
and each function the equations call (the known function chosen, or "learnable"), with the
source's prose lines and the case's notes that mention it, so that a reader can flag every
kind or function the source's own words contradict.

    .venv/bin/python scripts/kind_audit.py                 # every case
    .venv/bin/python scripts/kind_audit.py --only gcn      # cases whose name contains "gcn"
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PAPERMATH_KERNELS", "off")
FOLDERS = (
    ROOT / "tests" / "wild" / "cases",
    ROOT.parent / "shared" / "corpus_papers",
    ROOT.parent / "shared" / "corpus",
)
COMPUTED = {"intermediate", "output"}
_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")


def _prose(line: str) -> bool:
    """A line with words in it (not only LaTeX): at least three words outside commands."""
    bare = re.sub(r"\\[A-Za-z]+", " ", line)
    return len(_WORD.findall(bare)) >= 3


def _spellings(text: str) -> list[str]:
    """The ways a symbol's written form may be mentioned: its command (\\varepsilon) or letter."""
    out = re.findall(r"\\(?:var)?[A-Za-z]+", text)
    out = [
        c
        for c in out
        if c
        not in (
            "\\mathbf",
            "\\boldsymbol",
            "\\mathrm",
            "\\tilde",
            "\\hat",
            "\\bar",
            "\\mathcal",
            "\\operatorname",
            "\\text",
            "\\left",
            "\\right",
            "\\bm",
            "\\vec",
        )
    ]
    if out:
        return out[:1]
    letters = re.findall(r"[A-Za-z]+", text)
    return letters[:1]


def _mentions(lines: list[str], spelling: str) -> list[str]:
    pat = re.compile(rf"(?<![A-Za-z\\]){re.escape(spelling)}(?![A-Za-z])")
    if spelling.startswith("\\"):
        pat = re.compile(rf"{re.escape(spelling)}(?![A-Za-z])")
    return [ln.strip() for ln in lines if _prose(ln) and pat.search(ln)]


def audit(name: str, case: dict, out: list[str]) -> None:
    import papermath
    from papermath.parse.sitemacros import for_case
    from papermath.read import terms as t

    try:
        system = papermath.compile(for_case(case["latex"], case, name))
    except papermath.PapermathError:
        return
    except Exception as exc:
        out.append(f"== {name}: CRASH {type(exc).__name__}: {exc}")
        return
    text = system.source.text
    lines = text.splitlines()
    notes = case.get("notes", [])
    if isinstance(notes, str):
        notes = [notes]
    first: dict[str, str] = {}
    calls: list[tuple[str, str]] = []
    for eq in system.equations:
        for x in t.walk(eq.rhs):
            if isinstance(x, t.Sym):
                first.setdefault(x.key, text[x.span.start : x.span.end])
            elif isinstance(x, t.Apply):
                calls.append((x.fn, text[x.span.start : x.span.end][:40]))
            elif isinstance(x, t.Learned):
                calls.append((f"learnable {x.key}", text[x.span.start : x.span.end][:40]))
    out.append(f"== {name}")
    for key, kind in sorted(system.kinds.items(), key=lambda kv: (kv[1], kv[0])):
        if kind in COMPUTED:
            continue
        written = first.get(key, key)
        said = []
        for sp in _spellings(written):
            said += _mentions(lines, sp)
            said += [
                f"NOTE: {n}"
                for n in notes
                if re.search(rf"(?<![A-Za-z]){re.escape(sp.lstrip(chr(92)))}(?![A-Za-z])", n)
            ]
        why = [
            r.reading
            for r in system.readings
            if r.subject == written or (r.subject.startswith(written) and len(written) > 1)
        ]
        out.append(f"  {kind:10s} {key:14s} {written[:30]!s:32s} {'; '.join(why[:2])[:90]}")
        for s in dict.fromkeys(said):
            out.append(f"      | {s[:200]}")
    seen = set()
    for fn, snippet in calls:
        if (fn, snippet) in seen:
            continue
        seen.add((fn, snippet))
        head = re.match(r"\\?[A-Za-z]+", snippet.lstrip("\\"))
        out.append(f"  fn {fn:20s} {snippet}")
        sp = _spellings(snippet)
        for s in dict.fromkeys(_mentions(lines, sp[0]) if sp and head else []):
            out.append(f"      | {s[:200]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="cases whose name contains this")
    args = parser.parse_args()
    out: list[str] = []
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.toml")):
            if args.only and args.only not in path.stem:
                continue
            case = tomllib.loads(path.read_text())
            if "latex" not in case:
                continue
            audit(path.stem, case, out)
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
