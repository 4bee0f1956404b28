"""Notation rule ``layer-named-by-its-size``: ``\\text{Linear}_{d_h}(x_t)`` (minGRU, Feng et
al. 2024) is a linear layer whose subscript is its OUTPUT SIZE (a declared size), not a label.
Each such call is a layer of its own, with its own weights: ``z_t = \\sigma(\\text{Linear}_{d_h}
(x_t))`` and ``\\tilde h_t = \\text{Linear}_{d_h}(x_t)`` are two layers (reading them as one
shared function would make h~ equal the gate's logit). Read as a learnable function (an affine
map) whose output has the size written; the calls are named Linear_1, Linear_2, ... in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .syntax import is_symbolish, iter_nodes, size_text, symbols_in

if TYPE_CHECKING:
    from .reader import FnDef, Reader

LAYER_WORDS = ("Linear", "linear", "Dense", "dense", "FC", "fc")


def layer_word(func: ast.Node) -> str | None:
    match func:
        case ast.Text(content=word) | ast.Font(body=ast.Text(content=word)):
            return word.strip() if word.strip() in LAYER_WORDS else None
        case ast.FunctionName(name=word) if word in LAYER_WORDS:
            return word
    return None


def sized_layer(
    reader: Reader, node: ast.Call, func: ast.Node, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """The call as a layer of its own with the written output size, or None where the head
    is not ``Linear_{size}`` with a declared size."""
    if not isinstance(func, ast.Sub):
        return None
    word = layer_word(func.base)
    size = size_text(func.script)
    if word is None or size is None or size not in reader.size_names:
        return None
    written = " ".join(reader.source.snippet(func.span).split())
    calls = [
        n
        for n in iter_nodes(reader.statements)
        if isinstance(n, ast.Call)
        and " ".join(reader.source.snippet(n.func.span).split()) == written
    ]
    number = next((k for k, n in enumerate(calls, 1) if n.span == node.span), None)
    if number is None:  # inside a function the source defines: one layer per definition
        number = len(reader.out.learned_sizes) + 1
    key = word if len(calls) == 1 else f"{word}_{number}"
    while key in reader.out.first_span and key not in reader.out.learned_sizes:
        key += "_"
    reader.out.learned.setdefault(key, len(args))
    reader.out.learned_sizes[key] = size
    reader.out.first_span.setdefault(key, func.span)
    reader.called_keys.add(key)
    others = f"; the {len(calls)} calls of {written} are {len(calls)} layers" * (len(calls) > 1)
    reader.note(
        func.span,
        "layer of its own",
        f"{written}: a {word.lower()} layer whose subscript {size} is its output size (a "
        f"declared size), not a label: a learnable affine map to {size} entries, with its own "
        f"weights, named {key}{others}",
    )
    return t.Learned(node.span, key, tuple(reader.term(a) for a in args))


def value_with_its_weights(
    reader: Reader, node: ast.Call, key: str, args: tuple[ast.Node, ...]
) -> str | None:
    """Rule ``function-named-with-its-weights``: ResNet's ``y = \\mathcal{F}(x, \\{W_i\\}) + x``
    with ``\\mathcal{F} = W_2 \\sigma(W_1 x)`` defined (without arguments) on another line: the
    call names the value F with what it is computed from, its input x and its set of weights
    {W_i} (W_1, W_2), not a second function. Read as F's value where every argument is in F's
    definition: each symbol argument is used there, and a set ``\\{W_i\\}`` matches weights
    written there with labels (W_1, W_2). Returns the reason, or None where it does not apply.
    """
    if key not in reader.defined_keys or key in reader.functions:
        return None
    definition = next(
        (
            s
            for s in reader.statements
            if isinstance(s, ast.Definition)
            and is_symbolish(s.lhs)
            and (p := reader.symbol(s.lhs, quiet=True)) is not None
            and p.key == key
        ),
        None,
    )
    if definition is None:
        return None
    used = set()
    for n in iter_nodes([definition]):
        if n is definition.lhs or not is_symbolish(n):
            continue
        p = reader.symbol(n, quiet=True)
        if p is not None:
            used.add(p.key)
    named = []
    for arg in args:
        if isinstance(arg, ast.SetLiteral) and len(arg.items) == 1:
            member = reader.symbol(arg.items[0], quiet=True)
            item = arg.items[0]
            if member is None or not isinstance(item, ast.Sub):
                return None
            base = reader.symbol(item.base, quiet=True)
            weights = sorted(
                k
                for k in used
                if base is not None and k.startswith(base.key + "_") and k[len(base.key) + 1 :]
            )
            if not weights:
                return None
            named.append(f"its weights {{{', '.join(weights)}}}")
            continue
        p = reader.symbol(arg, quiet=True) if is_symbolish(arg) else None
        if p is None or p.key not in used:
            return None
        named.append(f"its input {p.key}")
    line = reader.source.line_col(definition.span.start)[0]
    return (
        f"{key} is defined on line {line} without arguments; {key}(...) names it with "
        f"{' and '.join(named)}, all in that definition: read as the value {key}, not as "
        "another function"
    )


def unused_arguments(reader: Reader, fd: FnDef, args: tuple[ast.Node, ...]) -> dict[int, t.Sym]:
    """Rule ``unused-argument``: Kipf & Welling's ``Z = f(X, A) = \\mathrm{softmax}(\\hat{A}
    \\dots)`` names the model with the graph A it is built for, but the body uses \\hat{A} (from
    \\tilde{A}), never A. An argument that the function's body does not use, written as a bare
    symbol, is shown in the call and is no symbol of the system: nothing computed depends on
    it (no input to supply, no shape to invent). Said in a reading. Returns, by position, the
    terms that stand for those arguments (shown, never computed)."""
    used = {p.key for n in symbols_in(fd.body) if (p := reader.symbol(n, quiet=True))}
    out: dict[int, t.Sym] = {}
    for i, (formal, arg) in enumerate(zip(fd.formals, args, strict=True)):
        if formal in used or not is_symbolish(arg):
            continue
        parts = reader.symbol(arg, quiet=True)
        if parts is None or parts.post or parts.step or parts.node:
            continue
        if parts.key in reader.defined_keys:
            continue
        elsewhere = [
            n
            for st in reader.statements
            for n in symbols_in(st)
            if not (arg.span.start <= n.span.start < arg.span.end)
            and (q := reader.symbol(n, quiet=True)) is not None
            and q.key == parts.key
            and not (fd.span.start <= n.span.start < fd.span.end)
        ]
        if elsewhere:
            continue
        reader.note(
            arg.span,
            "argument not used",
            f"{fd.key}'s body (line {fd.line}) does not use its argument {formal}: "
            f"{parts.key} is shown in the call, and nothing computed depends on it",
        )
        out[i] = t.Sym(arg.span, parts.key)
    return out
