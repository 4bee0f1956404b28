"""The shape rule of the blocks of a tuple left side (read/rules_blocks.py): ``[q, k, v] = z
U`` cuts the right side's last axis into equal blocks. A width that is not a multiple of the
number of blocks (a declared ``D`` for three blocks) is an error, never a size solved to fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ShapeError
from ..read import terms as t
from .sizes import Size, shape_text

if TYPE_CHECKING:
    from .infer import Inference


def divided(size: Size, count: int) -> Size | None:
    """``size / count`` where every coefficient divides (``3*D_h / 3 = D_h``); else None."""
    if size.constant % count or any(k % count for _, k in size.terms):
        return None
    out = Size.const(size.constant // count)
    for name, k in size.terms:
        out = out + Size.var(name) * (k // count)
    return out if out != Size.const(0) else None


def rule_block(inf: Inference, b: t.Block) -> bool:
    """Block i of k of the body: the body's shape with its last axis divided by k."""
    from .engine import Stuck

    body, own = inf.shape(b.body), inf.shape(b)
    if body is None:
        if inf.mode != "default" or own is None:
            raise Stuck  # the letters' default shapes may shape the right side first
        if not own:
            raise ShapeError(
                f"cannot decide the shape of {inf.snip(b.body)}, which the left side cuts into "
                f"{b.count} blocks",
                inf.source,
                b.span,
                hint="declare the sizes of what it is computed from",
            )
        inf.bind(b.body, (*own[:-1], own[-1] * b.count), b, "", "")
        body = inf.shape(b.body)
        assert body is not None
    if not body:
        raise ShapeError(
            f"{inf.snip(b.body)} is a scalar: it cannot be cut into {b.count} blocks",
            inf.source,
            b.span,
        )
    last = body[-1]
    width = divided(last, b.count)
    if width is None and any(n.startswith("?") for n in last.names):
        # a width nothing fixes yet: k times a free size (or the blocks' own width)
        if own:
            inf.engine.unify_size(last, own[-1] * b.count, b.span)
        elif inf.mode != "default":
            raise Stuck
        else:
            inf.engine.unify_size(last, inf.engine.fresh_size() * b.count, b.span)
        body = inf.shape(b.body)
        assert body is not None
        last = body[-1]
        width = divided(last, b.count)
    if width is None:
        raise ShapeError(
            f"{inf.snip(b.body)} is {shape_text(body)}: its last axis ({last.text()}) cannot "
            f"be cut into {b.count} blocks of equal width",
            inf.source,
            b.span,
            hint=f"declare its sizes as {b.count} times a size (for example "
            f"\\mathbb{{R}}^{{D \\times {b.count} d}})",
        )
    inf.bind(b, (*body[:-1], width), b, "", "")
    return True


def rule_repeat(inf: Inference, r: t.Repeat) -> bool:
    """``count`` copies of the body side by side: (..., d) -> (..., count·d)."""
    from .engine import Stuck

    body = inf.shape(r.body)
    if body is None:
        if inf.mode != "default":
            raise Stuck
        raise ShapeError(
            f"cannot decide the shape of {inf.snip(r.body)}",
            inf.source,
            r.span,
            hint="declare the sizes of what it is computed from",
        )
    if not body:
        raise ShapeError("heads that are scalars are not read yet", inf.source, r.span)
    last = body[-1]
    if r.count.isdigit():
        wide = last * int(r.count)
    elif len(last.names) == 1 and last == Size.var(last.names[0]):
        wide = Size.product(r.count, last.names[0])
    else:
        raise ShapeError(
            f"the heads have {last.text()} columns: {r.count} times it is not read yet",
            inf.source,
            r.span,
        )
    inf.bind(r, (*body[:-1], wide), r, "", "")
    return True
