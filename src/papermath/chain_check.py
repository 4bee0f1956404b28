r"""The claims of a chain of equalities, checked: ``h = W_0 x + \Delta W x = W_0 x + B A x``
is read from its last computation (:mod:`papermath.parse.chains`); every other computation of
the chain is a claim that it equals the left side. A claim is checked by reading the system
with the claim in place of the computation: it must read, and every symbol the two readings
share (the left side first) must have the same shape, up to a renaming of sizes nothing
fixes. A claim that does not fit is an error naming both shapes; a claim is never read into
the model (its new symbols, such as ``\Delta W``, are not parameters of it).
"""

from __future__ import annotations

import dataclasses
import re

from .errors import Note, PapermathError, ReadingError, ShapeError
from .parse import ast
from .read import ReadResult, read, rules_attention, rules_elided_side, terms
from .read.reader import Reading
from .shapes import ShapeResult, infer
from .source import Source

__all__ = ["check"]


def check(
    statements: list[ast.Statement],
    source: Source,
    dims: dict[str, int],
    result: ReadResult,
    shapes: ShapeResult,
    *,
    strict: bool = False,
) -> None:
    """Raise where a claim of a chain does not read or does not have the shapes of the model."""
    plain = [
        dataclasses.replace(s, claims=()) if isinstance(s, ast.Definition) and s.claims else s
        for s in statements
    ]
    for k, s in enumerate(statements):
        if not isinstance(s, ast.Definition):
            continue
        for claim in s.claims:
            if rules_elided_side.elided(claim):  # a_1 + \ldots + a_n = \sum_i a_i: terms left out
                said, chosen = source.snippet(claim.span), source.snippet(s.rhs.span)
                left_out = rules_elided_side.reason(
                    " ".join(said.split()), " ".join(chosen.split())
                )
                result.readings.append(Reading(claim.span, said, "terms left out", left_out))
                continue
            why = rules_attention.softmax_written_out(claim, s.rhs)
            if why is not None:  # \mathrm{softmax}_j(e_{ij}) = \frac{\exp(e_{ij})}{\sum_k ...}
                said = source.snippet(claim.span)
                result.readings.append(Reading(claim.span, said, "a softmax written out", why))
                continue
            target = next(
                (key for key, at in result.definition_spans.items() if at == s.span), None
            )
            _check_one(plain, k, s, claim, source, dims, shapes, strict, target)


def _check_one(
    plain: list[ast.Statement],
    k: int,
    s: ast.Definition,
    claim: ast.Node,
    source: Source,
    dims: dict[str, int],
    shapes: ShapeResult,
    strict: bool,
    target: str | None,
) -> None:
    lhs = " ".join(source.snippet(s.lhs.span).split())
    side = " ".join(source.snippet(claim.span).split())
    chosen = " ".join(source.snippet(s.rhs.span).split())
    variant = list(plain)
    variant[k] = dataclasses.replace(s, rhs=claim, claims=())
    try:
        seen = read(variant, source, frozenset(dims))
        other = infer(source, seen, dims, strict=strict)
    except PapermathError as err:
        raise type(err)(
            f"the chain claims {lhs} = {side}, and that side does not read: {err.message}",
            source,
            err.span if err.span is not None else claim.span,
            notes=(*err.notes, Note(f"{lhs} is read from {chosen}", s.rhs.span)),
            hint=err.hint,
        ) from None
    only = sorted(_members(seen) & (set(other.shapes) - set(shapes.shapes)))
    if only:  # q_i {k_j}^\top = (x_i + p_i) W^q (...)^\top: q, k in this side alone
        names = ", ".join(only)
        raise ReadingError(
            f"the chain claims {lhs} = {side}, and {names} appear in that side alone: no "
            f"equation defines {names}, and the chain says only that the two sides are equal, "
            f"not what {'each is' if len(only) > 1 else 'it is'} (papermath reads {lhs} from "
            "its last side and checks the others against it)",
            source,
            claim.span,
            notes=(Note(f"{lhs} is read from {chosen}", s.rhs.span),),
            hint=f"define {names} by equations of their own beside the chain (as the source "
            "means them), or leave that side out",
        )
    declared = set(shapes.declared_sizes) | set(other.declared_sizes) | set(dims)
    rename: dict[str, str] = {}
    keys = sorted(set(shapes.shapes) & set(other.shapes))
    for key in ([target] if target in keys else []) + keys:
        mine, theirs = shapes.shapes[key], other.shapes[key]
        if not _same(mine, theirs, rename, declared):
            shown = [_show(theirs, rename)]
            raise ShapeError(
                f"the chain claims {lhs} = {side}, but the two sides do not have one shape: "
                f"read from {chosen}, {key} is ({', '.join(mine)}); read from {side}, it is "
                f"({', '.join(shown[0])})",
                source,
                claim.span,
                notes=(Note(f"{lhs} is read from {chosen}", s.rhs.span),),
                hint="a chain claims every side is equal: correct the side that is wrong, "
                "or keep one computation",
            )


def _members(result: ReadResult) -> set[str]:
    """The keys written with a member's index (q_i, k_j: one value per node or per pair): the
    values of the model's sets. A claim's other symbols (LoRA's \\Delta W in
    ``h = W_0 x + \\Delta W x = W_0 x + B A x``) are checked, not read, as before."""
    return {
        x.key
        for eq in result.equations
        for x in [eq.lhs, *terms.walk(eq.rhs)]
        if isinstance(x, terms.Sym) and (x.node or x.edge)
    }


def _same(
    mine: tuple[str, ...], theirs: tuple[str, ...], rename: dict[str, str], declared: set[str]
) -> bool:
    """Equal up to a renaming of the claim's free sizes (kept consistent in ``rename``)."""
    if len(mine) != len(theirs):
        return False
    for m, t in zip(mine, theirs, strict=True):
        if t.isidentifier() and t not in declared:
            if rename.setdefault(t, m) != m:
                return False
        elif _show((t,), rename)[0] != m:
            return False
    return True


def _show(shape: tuple[str, ...], rename: dict[str, str]) -> tuple[str, ...]:
    return tuple(
        re.sub(r"[A-Za-z_][A-Za-z_0-9]*", lambda m: rename.get(m.group(0), m.group(0)), size)
        for size in shape
    )
