"""Regenerate the generated parts of the docs (``make docs``); tests check they are current."""

from __future__ import annotations

import re
from pathlib import Path

import papermath
from papermath import catalog
from papermath.source import Source

ROOT = Path(__file__).resolve().parent.parent


def generated_lstm() -> str:
    system = papermath.compile(Source(catalog.latex("lstm"), "lstm.tex"))
    return system.numpy_source({"m": 3, "n": 4})


def grad_text(
    name: str,
    wrt: str,
    of: str | None = None,
    layout: str = "denominator",
    batch: str = "dim-first",
) -> str:
    from papermath.report.gradients import derive, render

    return render(derive(catalog.load(name), wrt, of, layout, batch)) + "\n"


GRAD_BLOCKS = {
    "grad mlp denominator dim-first": ("mlp", "W", None, "denominator", "dim-first"),
    "grad mlp numerator dim-first": ("mlp", "W", None, "numerator", "dim-first"),
    "grad mlp denominator sample-first": ("mlp", "W", None, "denominator", "sample-first"),
    "grad lstm W_f": ("lstm", "W_f", "h", "denominator", "dim-first"),
}


def replace_block(path: Path, marker: str, text: str) -> None:
    """Replace the fenced block that follows ``<!-- marker -->`` with ``text``."""
    doc = path.read_text()
    pattern = re.compile(rf"(<!-- {re.escape(marker)} -->\n```[a-z]*\n)(.*?)(```)", re.S)
    assert pattern.search(doc), f"{path} has no block {marker}"
    path.write_text(pattern.sub(lambda m: m.group(1) + text + m.group(3), doc))


def main() -> None:
    replace_block(ROOT / "docs" / "codegen.md", "generated: lstm numpy", generated_lstm())
    for marker, spec in GRAD_BLOCKS.items():
        replace_block(ROOT / "docs" / "gradients.md", f"generated: {marker}", grad_text(*spec))


if __name__ == "__main__":
    main()
