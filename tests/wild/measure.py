"""The wild corpus measure: load every case of tests/wild/cases, compile it, and classify it.

read-right: compiles, every expected shape matches up to a one-to-one renaming of free sizes,
and every expected kind matches (or, for a case that expects an error, it is refused with a
message that names every one of its error_words and, where it gives error_at, with the caret
on one of those constructs; refused for another reason is "refused").
read-wrong: compiles, but a shape or a kind differs (or it compiles where a refusal is due).
refused: papermath.PapermathError. crashed: any other exception.

The shape comparison is the one of tests/conftest.py (assert_shapes_match), made to return
the first difference instead of failing a test.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sympy

CASES_DIR = Path(__file__).resolve().parent / "cases"
BASELINE = Path(__file__).resolve().parent / "baseline.json"
OUTCOMES = ("read_right", "read_wrong", "refused", "crashed")
# kinds papermath spells apart that the sources do not: a computed value used by no other
# equation is an "output", one used by another an "intermediate"; both are "computed"
SAME_KIND = {"output": "intermediate"}


@dataclass
class Result:
    name: str
    source: str
    outcome: str
    detail: str = ""
    blocker: str = ""
    construct: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def load_cases(folder: Path = CASES_DIR) -> list[tuple[str, dict[str, Any]]]:
    return [(p.stem, tomllib.loads(p.read_text())) for p in sorted(folder.glob("*.toml"))]


_CARD = re.compile(r"\|([A-Za-z])\|")  # |V|: a size papermath prints as the count


def sym(expr: str) -> sympy.Expr:
    """A size as a sympy expression; every name a plain symbol, D_{k-1} one name."""
    expr = expr.replace("'", "_prime")  # F' (the paper's name for the output width)
    expr = expr.replace("·", "*")  # D_h·k: one name for a product of sizes (shapes/sizes.py)
    expr = re.sub(r"_\{([^}]*)\}", lambda m: "_" + re.sub(r"\W", "_", m.group(1)), expr)
    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", expr))
    return sympy.parse_expr(expr, local_dict={n: sympy.Symbol(n) for n in names})


def shape_difference(
    got: dict[str, tuple[str, ...]],
    expected: dict[str, list[str]],
    declared: set[str],
    written: frozenset[str] = frozenset(),
) -> str | None:
    """None when every expected shape equals the computed one up to a one-to-one renaming
    of free sizes (as tests/conftest.py assert_shapes_match); else the first difference.
    An expected name the source never writes (``written``: the case's LaTeX and prose) is
    the case's placeholder for a size the source names in words (PyTorch's ``d`` for its
    ``input_size``): it renames one-to-one to the size papermath read, declared or not.
    A count ``|V|`` (the number of nodes of V) is one name, ``card_V``."""
    got = {k: tuple(_CARD.sub(r"card_\1", s) for s in v) for k, v in got.items()}
    declared = {_CARD.sub(r"card_\1", s) for s in declared}
    rename: dict[str, str] = {}
    for key, want in expected.items():
        if key not in got:
            return f"{key}: no such symbol (have {', '.join(sorted(got))})"
        have = tuple(got[key])
        if len(have) != len(want):
            return f"{key}: got {have}, expected {tuple(want)}"
        for h, w in zip(have, want, strict=True):
            placeholder = bool(written) and w not in written and w not in declared
            free = (h not in declared or placeholder) and w not in declared
            if free and h.isidentifier() and w.isidentifier() and rename.setdefault(h, w) != w:
                return f"{key}: free size {h} would be both {rename[h]} and {w}"
    if len(set(rename.values())) != len(rename):
        return f"renaming is not one-to-one: {rename}"
    subs = {sympy.Symbol(k): sympy.Symbol(v) for k, v in rename.items()}
    for key, want in expected.items():
        for h, w in zip(got[key], want, strict=True):
            try:
                diff = sym(h).subs(subs, simultaneous=True) - sym(w)
                same = sympy.simplify(diff) == 0
            except (sympy.SympifyError, SyntaxError, TypeError) as exc:
                return f"{key}: cannot compare {h!r} with {w!r} ({exc})"
            if not same:
                return f"{key}: got {tuple(got[key])}, expected {tuple(want)}"
    return None


def kind_difference(got: dict[str, str], expected: dict[str, str]) -> str | None:
    for key, want in expected.items():
        have = got.get(key)
        if SAME_KIND.get(have or "", have) != SAME_KIND.get(want, want):
            return f"{key}: kind {have}, expected {want}"
    return None


def first_words(message: str, n: int = 6) -> str:
    """The error's first words, with quoted or backticked particulars blanked out."""
    text = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"", "…", message.split("\n")[0])
    text = re.sub(r"\\[A-Za-z]+|\d+", "…", text)
    words = text.replace(":", " :").split()
    return " ".join(words[:n])


def papermath_key(key: str) -> str:
    """An expected key as the source writes it when that is no identifier: ``W[x->i]`` (the
    Element-Research README's weight from x to i) is papermath's symbol ``W_x_to_i``, the key
    parse/code_index.py gives the name so written; any other key as it is."""
    from papermath.parse.code_index import written_key

    return written_key(key) or key


def case_latex(name: str, case: dict[str, Any]) -> str:
    """The LaTeX papermath reads for a case, as ``papermath shapes CASE.toml`` reads it: with
    the site macros its ``[options] macros`` or its ``origin`` choose (parse/sitemacros.py),
    as a user pasting from that site says with ``--macros NAME``; the rest as written."""
    from papermath.parse.sitemacros import for_case

    return for_case(case["latex"], case, name)


def classify(name: str, case: dict[str, Any]) -> Result:
    import papermath

    source = case.get("source", "?")
    expect = case.get("expect", {})
    try:
        system = papermath.compile(case_latex(name, case))
    except papermath.PapermathError as err:
        words = expect.get("error_words", [])
        said = all(
            re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", err.message) for w in words
        )
        construct = ""
        if err.source is not None and err.span is not None:
            construct = err.source.text[err.span.start : err.span.end]
        construct = " ".join(construct.split())
        # where the case names the construct a careful reader refuses at (error_at), the
        # caret must be on one of them: a refusal elsewhere is a refusal, not the one expected
        at = expect.get("error_at", [])
        placed = not at or any(" ".join(a.split()) in construct for a in at)
        if expect.get("error") and said and placed:
            return Result(name, source, "read_right", "refused as expected")
        construct = construct[:40]
        return Result(
            name,
            source,
            "refused",
            err.message.split("\n")[0],
            blocker=f"{type(err).__name__}: {first_words(err.message)}",
            construct=construct,
        )
    except Exception as exc:  # a crash is what this measure counts
        return Result(name, source, "crashed", f"{type(exc).__name__}: {exc}"[:200])
    if expect.get("error"):
        return Result(name, source, "read_wrong", "read without an error; the source is wrong")
    shapes = {papermath_key(k): v for k, v in expect.get("shapes", {}).items()}
    kinds = {papermath_key(k): v for k, v in expect.get("kinds", {}).items()}
    declared = set(getattr(system, "declared_sizes", ()) or ()) | {
        s.replace(" ", "") for shape in shapes.values() for s in shape if "{" in s
    }
    written = frozenset(re.findall(r"[A-Za-z][A-Za-z0-9_]*", case["latex"]))
    diff = shape_difference(dict(system.shapes), shapes, declared, written)
    if diff is None:
        diff = kind_difference(dict(system.kinds), kinds)
    if diff is not None:
        return Result(name, source, "read_wrong", diff)
    return Result(name, source, "read_right")


def counts(results: list[Result]) -> dict[str, int]:
    out = {k: 0 for k in OUTCOMES}
    for r in results:
        out[r.outcome] += 1
    return out
