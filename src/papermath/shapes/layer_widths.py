"""The shapes side of the rule ``layer-widths`` (read/rules_layer_widths.py): a value written
at several layers (delta_{k-1}, delta_k) whose declared size carries the layer index has one
shape per layer, each the other moved by the layers between; the ranges of a matrix written by
its entries (read/rules_entry_matrix.py) are checked against the shape it gets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import Note, PapermathError, ShapeError
from ..read import terms as t
from ..read.reader import Declared, Reading, ReadResult
from ..read.rules_layer_widths import different_layers, layer_of
from ..source import Source
from .sizes import Shape, Size, shape_text

if TYPE_CHECKING:
    from .infer import Inference


def layer_slot(key: str, offset: int, layered: set[str]) -> str:
    """The shape variable of ``key`` written at ``offset``: one per layer offset for a value
    whose widths carry the layer index (delta_{k-1} is N x D_{k-1}, delta_k is N x D_k)."""
    return f"{key}@{offset}" if key in layered and offset else key


def _steps_of(inf: Inference) -> dict[str, set[tuple[str, int]]]:
    """key -> the (step letter, offset) pairs it is written with in the equations."""
    out: dict[str, set[tuple[str, int]]] = {}
    for eq in inf.read.equations:
        for x in [eq.lhs, *t.walk(eq.rhs)]:
            if isinstance(x, t.Sym) and x.step is not None:
                out.setdefault(x.key, set()).add((x.step, x.offset))
    return out


def _layer_letters(shape: Shape) -> set[str]:
    return {lay[1] for s in shape for n in s.names if (lay := layer_of(n)) is not None}


def layered_keys(inf: Inference, parsed: list[tuple[Declared, Shape]]) -> set[str]:
    """Keys written at a layer k whose declared shape names a size of that layer (D_k)."""
    steps = _steps_of(inf)
    out: set[str] = set()
    for d, shape in parsed:
        letters = {step for step, _ in steps.get(d.key, ())}
        # the offset it is declared at counts (W^{(l)} declared, read at l-1 one step earlier)
        offsets = {off for _, off in steps.get(d.key, ())} | {d.offset}
        if len(letters) == 1 and letters & _layer_letters(shape) and len(offsets) > 1:
            out.add(d.key)  # written at two layers or more (delta_{k-1}, delta_k)
    return out


def shifted(shape: Shape, letter: str, by: int) -> Shape:
    """``(N, D_k)`` one layer back (by=-1): ``(N, D_{k-1})``."""
    if by == 0:
        return shape
    table: dict[str, Size] = {}
    for s in shape:
        for n in s.names:
            lay = layer_of(n)
            if lay is not None and lay[1] == letter:
                off = lay[2] + by
                name = f"{lay[0]}_{letter}" if off == 0 else f"{lay[0]}_{{{letter}{off:+d}}}"
                table[n] = Size.var(name)
    return tuple(s.substitute(table) for s in shape)


def framed(d: Declared, shape: Shape) -> Shape:
    """A shape written above a symbol in an equation read one step earlier (``z_{k+1} = f(z_k)``
    read as ``z_k = f(z_{k-1})``): its layer sizes move with it (D_{k+1} read as D_k)."""
    if d.frame is None:
        return shape
    letter, by = d.frame
    return shifted(shape, letter, by)


def bind_other_layers(inf: Inference, parsed: list[tuple[Declared, Shape]]) -> None:
    """A layered value's shape at the layers it is written at but not declared at: its
    declared shape moved by the layers between (delta_{k-1} declared, delta_k one on)."""
    steps = _steps_of(inf)
    for key in sorted(inf.layered):
        declared = [(d.offset, shape, d.span) for d, shape in parsed if d.key == key]
        at, shape, span = declared[0]
        letter = next(iter(sorted(step for step, _ in steps[key])))
        offsets = {off for _, off in steps[key]} | {0}
        for off in sorted(offsets - {o for o, _, _ in declared}):
            moved = shifted(shape, letter, off - at)
            inf.engine.declared |= {n for s in moved for n in s.names}
            inf.engine.bind(inf.var_of_sym(layer_slot(key, off, inf.layered)), moved, span)
        at_text = letter if at == 0 else f"{letter}{at:+d}"
        inf.read.readings.append(
            Reading(
                span,
                inf.source.snippet(span),
                f"a value per layer {letter}",
                f"{key}'s size {shape_text(shape)} at layer {at_text} carries the layer "
                f"index: {key} has the width of its layer at each {letter} ({key}_{letter} "
                f"is {shape_text(shifted(shape, letter, -at))}, {key}_{{{letter}-1}} is "
                f"{shape_text(shifted(shape, letter, -at - 1))})",
            )
        )
        inf.read.shapes_only.setdefault(
            key,
            (
                span,
                f"{key} has a width per layer ({shape_text(shifted(shape, letter, -at))} at "
                f"layer {letter}): papermath generates code for steps of one shape",
            ),
        )


def per_layer(key: str, shape: Shape, letter: str) -> str | None:
    """W (no layer index) of size D_{k-1} x D_k: one W per layer k, and why (else None)."""
    if letter not in _layer_letters(shape):
        return None
    return (
        f"{key} carries no layer index {letter}, but its size {shape_text(shape)} names the "
        f"widths of layers: read as one {key} per layer {letter} ({key}_{letter}), the weights "
        f"between layer {letter}-1 and layer {letter}"
    )


def check_range_claims(inf: Inference) -> None:
    """``[a_{ij}]_{i \\in 1..N, j \\in 1..D}``: the ranges must give the shape the equations
    give (a shape written above the matrix, or its place in the products)."""
    for key, offset, axes, span in inf.read.range_claims:
        claimed = tuple(inf.size_expr(a) for a in axes)
        got = inf.engine.shape(inf.var_of_sym(layer_slot(key, offset, inf.layered)))
        if got is None or len(got) != len(claimed):
            continue
        if any(inf.engine.resolve_size(a) != b for a, b in zip(claimed, got, strict=True)):
            raise ShapeError(
                f"the ranges under the matrix say it is {shape_text(claimed)}, but it is "
                f"{shape_text(got)} (by the shape written above it, or the products it is "
                "in)",
                inf.source,
                span,
                hint="make the ranges and the shape agree: one of them is a slip",
            )


def annotation_error(
    make: Callable[..., Inference],
    source: Source,
    read: ReadResult,
    dims: dict[str, int],
    err: ShapeError,
) -> ShapeError | None:
    """An equation whose left side is annotated with a layer's width (delta_{k-1} over
    N x D_k) and whose right side is another layer's (N x D_{k-1}): read once more without
    that annotation; where the equations then give the left side a shape that differs from
    the annotation only in widths of different layers, the error says both, at the
    annotation (None otherwise: the first error stands)."""
    if err.span is None:
        return None
    for eq in read.equations:
        if not (eq.span.start <= err.span.start < eq.span.end):
            continue
        key, offset = eq.lhs.key, eq.lhs.offset
        own = [
            d
            for d in read.declarations
            if d.key == key and d.offset == offset and eq.span.start <= d.span.start < eq.span.end
        ]
        if len(own) != 1:
            return None
        declared = own[0]
        without = dataclasses.replace(
            read,
            declarations=[d for d in read.declarations if d is not declared],
            readings=list(read.readings),
            range_claims=[],
            shapes_only=dict(read.shapes_only),
        )
        trial = make(source, without, dict(dims))
        try:
            trial.run()
        except PapermathError:
            return None
        got = trial.engine.shape(trial.var_of_sym(layer_slot(key, offset, trial.layered)))
        said = framed(declared, trial.space_shape(declared.space))
        if got is None or got == said or len(got) != len(said):
            return None
        pairs = [
            (a, b)
            for a, b in zip(said, got, strict=True)
            if a != b and len(a.names) == 1 == len(b.names)
        ]
        layers = [(a, b) for a, b in pairs if different_layers(a.names[0], b.names[0])]
        if not layers:
            return None  # not two layers' widths: the first error stands
        why = (
            ": "
            + ", ".join(f"{a.names[0]} and {b.names[0]}" for a, b in layers)
            + " are the widths of two different layers, never equal"
        )
        written = " ".join(source.snippet(eq.lhs.span).split())
        return ShapeError(
            f"{written} is annotated {shape_text(said)}, but its right side is "
            f"{shape_text(got)}{why}",
            source,
            declared.span,
            notes=(Note(f"the right side is {shape_text(got)}", eq.rhs.span),),
            hint=f"the annotation of {written} or a factor of the right side is a slip: "
            f"make them agree ({shape_text(got)} by the right side)",
        )
    return None
