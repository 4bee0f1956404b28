"""Values files: numbers for a worked example, and the results an answer claims.

A values file (or a case file) holds two tables:

- ``[values]``: numbers by symbol key (``W_f``, ``h``), or by a learnable function's weight
  and bias (``i.weight``, ``i.bias``). A value per node (``h_v``) is a matrix with one row
  per node. Each must be numbers, with the rank of the symbol and sizes that agree with the
  equations and with each other.
- ``[claims]``: what someone printed for a symbol or a subexpression, written as in the
  equations (``"W_f [h_{t-1}, x_t] + b_f" = [92, 176, 136]``). papermath recomputes each
  and says where the claim and the equations differ.

Every problem is a :class:`CaseFileError` with a caret at the key in the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .casefile import load_toml
from .errors import CaseFileError, DeclarationError
from .read import terms as t
from .shapes.sizes import Shape, Size, shape_text
from .source import Source, Span

if TYPE_CHECKING:
    from .system import System

TABLES = ("values", "claims")


@dataclass
class Claim:
    key: str
    value: np.ndarray
    span: Span | None


@dataclass
class ValueSet:
    numbers: dict[str, Any] = field(default_factory=dict)  # as written (lists, numbers)
    claims: list[Claim] = field(default_factory=list)
    source: Source | None = None  # the file the tables came from, for carets
    spans: dict[str, Span] = field(default_factory=dict)  # where each [values] key is

    def __bool__(self) -> bool:
        return bool(self.numbers or self.claims)

    def error(self, message: str, key: str | None, hint: str | None = None) -> CaseFileError:
        span = self.spans.get(key) if key is not None else None
        return CaseFileError(message, self.source, span, hint=hint)

    def merged(self, other: ValueSet) -> ValueSet:
        """These values, with ``other``'s (a --values file) taking precedence."""
        if not other:
            return self
        out = ValueSet(
            {**self.numbers, **other.numbers},
            [c for c in self.claims if c.key not in {o.key for o in other.claims}] + other.claims,
            other.source or self.source,
            {**self.spans, **other.spans},
        )
        return out


def locate(text: str, table: str, key: str) -> Span | None:
    """Where ``key = ...`` is written in ``[table]`` of a TOML text (the key's characters)."""
    section = ""
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            section = stripped.strip("[]").strip()
        elif section == table and "=" in line:
            name = line.split("=", 1)[0].strip()
            if name.strip("\"'") == key:
                start = offset + line.index(name)
                return Span(start, start + len(name))
        offset += len(line)
    return None


def from_tables(data: dict[str, Any], text: str, name: str) -> ValueSet:
    """The ``[values]`` and ``[claims]`` of a parsed TOML document (``text`` for carets)."""
    source = Source(text, name)
    values = data.get("values", {})
    claims = data.get("claims", {})
    for table, got in (("values", values), ("claims", claims)):
        if not isinstance(got, dict):
            raise CaseFileError(f"[{table}] must be a table of numbers by symbol key", source)
    spans = {k: s for k in values if (s := locate(text, "values", k)) is not None}
    out = ValueSet(dict(values), [], source, spans)
    for key, value in claims.items():
        span = locate(text, "claims", key)
        array = numbers(value)
        if array is None:
            raise CaseFileError(
                f"the claim for {key} is not a number or an array of numbers", source, span
            )
        out.claims.append(Claim(key, array, span))
    for key, value in values.items():
        if numbers(value) is None:
            raise out.error(
                f"the value of {key} is not a number or an array of numbers",
                key,
                hint="write a number, a list of numbers, or a list of equal-length lists",
            )
    return out


def read_file(path: str) -> ValueSet:
    """A values file given by ``--values``: ``[values]`` and ``[claims]``, or a bare table."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise CaseFileError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"cannot read {path}: {exc}") from None
    data = load_toml(text, path)
    if not any(k in data for k in TABLES):
        data = {"values": data}  # a bare table of numbers
        text = "[values]\n" + text
    unknown = sorted(set(data) - set(TABLES) - {"latex", "dims", "options", "origin", "notes"})
    if unknown:
        raise CaseFileError(
            f"{path}: unknown table {unknown[0]!r}", hint="a values file has [values] and [claims]"
        )
    return from_tables(data, text, path)


def numbers(value: Any) -> np.ndarray | None:
    """``value`` as a float array, or None if it is not numbers (strings, booleans, ragged)."""

    def plain(v: Any) -> bool:
        if isinstance(v, bool):
            return False
        if isinstance(v, int | float):
            return True
        return isinstance(v, list) and all(plain(x) for x in v)

    if not plain(value):
        return None
    try:
        return np.asarray(value, dtype=float)
    except ValueError:  # ragged lists
        return None


def node_keys(system: System) -> set[str]:
    """Symbols written with a node (position) index: a value per node."""
    return {
        x.key
        for eq in system.equations
        for x in t.walk(eq.rhs)
        if isinstance(x, t.Sym) and x.node is not None
    } | {eq.lhs.key for eq in system.equations if eq.lhs.node is not None}


def validate(system: System, vs: ValueSet) -> dict[str, int]:
    """Check every value against the equations; return the sizes the values show.

    Unknown keys, wrong ranks and sizes that disagree are errors at the key in the file."""
    per_node = node_keys(system)
    learned: dict[str, Shape] = {
        f"{fn}.{part}": shape
        for fn, (n_in, n_out) in system.typed_functions.items()
        if system._read is not None and fn in system._read.learned
        for part, shape in (("weight", (n_out, n_in)), ("bias", (n_out,)))
    }
    one_example: dict[str, Any] = {}
    for key, value in vs.numbers.items():
        if key in system.typed_shapes and system.kinds.get(key) not in ("function", "index"):
            want = system.typed_shapes[key]
        elif key in learned:
            want = learned[key]
        else:
            symbols = [k for k, v in system.kinds.items() if v not in ("function", "index")]
            raise vs.error(
                f"{key!r} is not a symbol of these equations",
                key,
                hint="keys: " + ", ".join([*symbols, *learned]),
            )
        array = numbers(value)
        assert array is not None
        rank = len(want) + (1 if key in per_node else 0)
        if array.ndim != rank:
            what = shape_text(want) if want else "a scalar"
            if key in per_node:
                what += ", one per node: a matrix with one row per node"
            raise vs.error(
                f"the value of {key} has {array.ndim} axes {array.shape}; {key} is {what}",
                key,
            )
        if key in system.shapes:
            one_example[key] = array[0] if key in per_node else array
    counts = {k: len(numbers(v)) for k, v in vs.numbers.items() if k in per_node}  # type: ignore[arg-type]
    first = next(iter(counts), None)
    for key, n in counts.items():
        if first is not None and n != counts[first]:
            raise vs.error(
                f"the values per node disagree on the number of nodes: {key} has {n}, "
                f"{first} has {counts[first]}",
                key,
            )
    # sizes: solve them from the values in order, so the first key that disagrees is blamed
    keys = list(one_example)
    for i in range(len(keys)):
        try:
            system.dims_from_values({k: one_example[k] for k in keys[: i + 1]})
        except DeclarationError as exc:
            partner = next(
                (k for k in keys[:i] if not _agree(system, one_example, k, keys[i])), None
            )
            other = f" and of {partner}" if partner else " and earlier values"
            message = exc.message.replace("the values disagree on a size", "a size")
            raise vs.error(
                f"the values of {keys[i]}{other} disagree: {message}",
                keys[i],
                hint="check the number of rows and columns of each value against the equations",
            ) from None
    dims = {**system.dims, **system.dims_from_values(one_example)}
    for key, want in learned.items():  # a learned map's weight shows its sizes too
        if key in vs.numbers:
            got = np.shape(np.asarray(vs.numbers[key], dtype=float))
            for size, n in zip(want, got, strict=False):
                names = size.names
                if len(names) == 1 and size == Size.var(names[0]):
                    dims.setdefault(names[0], n)
    dims.update({k: v.constant for k, v in system.typed_solved.items() if v.is_const})
    for key, value in vs.numbers.items():
        want = system.typed_shapes.get(key) or learned.get(key) or ()
        array = numbers(value)
        assert array is not None
        got = array.shape[1:] if key in per_node else array.shape
        for axis, (size, n) in enumerate(zip(want, got, strict=True)):
            expected = size.evaluate(dims)
            if expected is not None and expected != n:
                raise vs.error(
                    f"the value of {key} has {n} entries on axis {axis + 1}, but {size.text()} is "
                    f"{expected} here (the shape of {key} is {shape_text(want)})",
                    key,
                )
    return {k: v for k, v in dims.items() if k not in system.dims}


def _agree(system: System, values: dict[str, Any], a: str, b: str) -> bool:
    try:
        system.dims_from_values({a: values[a], b: values[b]})
    except DeclarationError:
        return False
    return True


def compare(vs: ValueSet, computed: list[tuple[str, np.ndarray]]) -> list[ClaimResult]:
    """Each claim against the value the equations give (matched by symbol key or by the
    subexpression as written, spaces ignored)."""
    by_text: dict[str, np.ndarray] = {}
    for text, value in computed:
        by_text.setdefault(" ".join(text.split()), value)
    out = []
    for claim in vs.claims:
        got = by_text.get(" ".join(claim.key.split()))
        if got is None:
            raise CaseFileError(
                f"the claim {claim.key!r} names nothing the equations compute",
                vs.source,
                claim.span,
                hint="name a symbol key (f, W_f), a worked gradient (dL/dW) or a "
                "subexpression exactly as the equations write it",
            )
        got = np.asarray(got, dtype=float)
        same = got.shape == claim.value.shape or got.size == claim.value.size
        ok = same and bool(
            np.allclose(got.reshape(claim.value.shape), claim.value, atol=5e-3, rtol=1e-3)
        )
        out.append(ClaimResult(claim, got, ok))
    return out


@dataclass
class ClaimResult:
    claim: Claim
    computed: np.ndarray
    ok: bool

    def sentence(self) -> str:
        claimed = show(self.claim.value)
        if self.ok:
            return f"{self.claim.key} = {claimed}: right (the equations give {show(self.computed)})"
        return (
            f"{self.claim.key}: the answer printed {claimed}; the equations give "
            f"{show(self.computed)}"
        )


def show(value: np.ndarray) -> str:
    """``[22, 43, 64]``, ``0.731059``: numbers as a person writes them."""

    def one(x: Any) -> str:
        if isinstance(x, list):
            return "[" + ", ".join(one(i) for i in x) + "]"
        x = float(x)
        if not math.isfinite(x):
            return str(x)  # inf, -inf, nan: shown as such
        return str(round(x)) if abs(x - round(x)) < 1e-9 and abs(x) < 1e15 else f"{x:.6g}"

    return one(np.asarray(value, dtype=float).tolist())


@dataclass
class TextExamples:
    """What a text's own inline examples give a system (:mod:`papermath.parse.examples`):
    numbers for its symbols, numbers for its sizes, and what the example claims, checked."""

    values: dict[str, np.ndarray] = field(default_factory=dict)  # key -> numbers
    written: dict[str, str] = field(default_factory=dict)  # key -> "x_t = [1, 2, 3]"
    sizes: dict[str, int] = field(default_factory=dict)  # m -> 3
    line: int | None = None  # where the first example is
    notes: list[str] = field(default_factory=list)  # spellings matched, claims checked

    def __bool__(self) -> bool:
        return bool(self.values)

    def dims(self, system: System) -> dict[str, int]:
        """The sizes the example gives (``$m=3$``) and those its vectors' lengths show
        (``x_t = [1, 2, 3]`` where x is an m-vector: m = 3)."""
        out = dict(self.sizes)
        for key, value in self.values.items():
            shape = system.typed_shapes[key]
            one_name = len(shape) == 1 and len(shape[0].names) == 1
            if one_name and shape[0].text() == shape[0].names[0]:
                out.setdefault(shape[0].names[0], len(value))
        return out


def _example_key(written: str, system: System) -> tuple[str | None, str]:
    """The symbol key ``written`` names, and how (``w_f`` -> ``W_f``, "the only symbol of
    that name up to case"); None where it names none."""
    import re

    bare = re.sub(r"\\(?:mathbf|boldsymbol|mathrm|bm)\{([^{}]*)\}", r"\1", written)
    bare = re.sub(r"[{}\s]", "", bare)
    base, _, sub = bare.partition("_")
    step = system.recurrence.index if system.recurrence else "t"
    keys = [k for k in system.shapes if system.kinds.get(k) not in ("function", "index")]
    options = [bare]
    if sub and re.fullmatch(rf"{re.escape(step)}(?:[+-]\d+)?", sub):
        options.insert(0, base)  # x_t, h_{t-1}: the value of x, h at a step
    for option in options:
        if option in keys:
            return option, ""
    for option in options:
        same = [k for k in keys if k.lower() == option.lower()]
        if len(same) == 1:
            return same[0], f"${written}$ is ${same[0]}$, the only symbol of that name up to case"
    return None, ""


def text_examples(system: System) -> TextExamples:
    """The numbers a text's inline examples give (``$x_t=[1, 2, 3]$``, ``$m=3$``), matched to
    the system's symbols and sizes; what the examples claim (``$w_f=3*3$``,
    ``$[x_t, h_{t-1}]=[1, ..., 6]$``) is checked against the equations in ``notes``."""
    from .parse.examples import example_pairs

    text = system.source.text
    out = TextExamples()
    pairs = example_pairs(text)
    if not pairs:
        return out
    out.line = system.source.line_col(pairs[0].span.start)[0]
    size_names = {n for shape in system.typed_shapes.values() for s in shape for n in s.names}
    claims = []
    for p in pairs:
        if p.numbers is not None and not p.vector and p.left in size_names:
            value = p.numbers[0]
            if value == int(value) and value > 0 and p.left not in system.solved:
                out.sizes[p.left] = int(value)
            continue
        if p.left.startswith("["):
            claims.append(p)
            continue
        key, said = _example_key(p.left, system)
        if key is None:
            continue
        if said and said not in out.notes:
            out.notes.append(said)
        if p.dims is not None:
            claims.append(p)
        elif p.numbers is not None and len(system.typed_shapes[key]) == (1 if p.vector else 0):
            out.values[key] = np.asarray(p.numbers if p.vector else p.numbers[0], dtype=float)
            out.written[key] = p.line_text
    sizes = {**system.dims, **out.dims(system)}
    for p in claims:
        out.notes.append(_check_example_claim(p, system, out, sizes))
    return out


def _check_example_claim(p: Any, system: System, ex: TextExamples, sizes: dict[str, int]) -> str:
    """``w_f = 3*3`` against W_f's shape at the example's sizes; ``[a, b] = [...]`` against
    the example's values of a and b stacked."""
    if p.dims is not None:
        key, _ = _example_key(p.left, system)
        assert key is not None
        shape = system.typed_shapes[key]
        got = [s.evaluate(sizes) for s in shape]
        said = " x ".join(str(d) for d in p.dims)
        if len(shape) == 1 and len(p.dims) == 2 and 1 in p.dims:
            want = tuple(d for d in p.dims if d != 1) or (1,)
        else:
            want = p.dims
        if None in got:
            return (
                f"the example's ${p.line_text}$ is not checked: {shape_text(shape)} has no "
                "numbers here"
            )
        shown = " x ".join(str(g) for g in got)
        at = ", ".join(f"${n} = {sizes[n]}$" for s in shape for n in s.names if n in sizes)
        if tuple(got) == want:
            return (
                f"the example's ${p.line_text}$: right (${key}$ is ${shape_text(shape)}$ = {shown})"
            )
        return (
            f"the example's ${p.line_text}$ does not fit the equations: ${key}$ is "
            f"${shape_text(shape)}$, which is {shown} at {at}, not {said}"
        )
    inner = p.left.strip()[1:-1]
    parts = [x.strip() for x in inner.split(",")] if inner.strip() else []
    keys = [_example_key(x, system)[0] for x in parts]
    if parts and all(k is not None and k in ex.values for k in keys):
        stacked = np.concatenate([np.atleast_1d(ex.values[k]) for k in keys])  # type: ignore[index]
        claimed = np.asarray(p.numbers or (), dtype=float)
        if stacked.shape == claimed.shape and np.allclose(stacked, claimed):
            shown = ", ".join(f"${x}$" for x in parts)
            return f"the example's ${p.line_text}$: right ({shown} stacked in that order)"
        return (
            f"the example's ${p.line_text}$ does not follow from its values: "
            + ", ".join(f"${x}$" for x in parts)
            + f" stacked in that order is {show(stacked)}"
        )
    return (
        f"the example's ${p.line_text}$ is not checked: it names values the example does not give"
    )
