r"""Notation rule ``layer-superscript``: one layer of a stack of recurrent layers, the layer
written as a bare superscript beside the step.

What people write: Zaremba, Sutskever & Vinyals (2014), sec. 3.1: ``c^l_t = f \odot
c^l_{t-1} + i \odot g``, ``h^l_t = o \odot \tanh(c^l_t)``, with ``h^{l-1}_t`` "the output of
the layer below" fed to layer l (``h^0_t`` the input ``x_t``).

How papermath reads it: l is the LAYER, t the step. The equations describe one layer l: a
value at layer l is this layer's (``h^l_t`` is h at step t, the key h), and a value at layer
l-1 is the output of the layer below at the same step, given to this layer: an input per step,
key ``h_below`` (said in the readings). The letter is read so only where the source shows it:
a superscript ``l-1`` on a symbol that also carries a step subscript, beside the same symbol
written with ``^l``. Anything else written with a bare superscript letter keeps its reading
(a label, ``W^z``), and ``l-2`` or ``l+1`` stays refused.

The same with the step first and the layer in parentheses (d2l's deep RNN, sec. 10.3:
``\mathbf{H}_t^{(l)} = \phi_l(\mathbf{H}_t^{(l-1)} \mathbf{W}_{\textrm{xh}}^{(l)} +
\mathbf{H}_{t-1}^{(l)} \mathbf{W}_{\textrm{hh}}^{(l)} + \mathbf{b}_\textrm{h}^{(l)})``): a
letter in parentheses with an offset is a step by the conventions (``h^{(t-1)}``), so it is
read as the layer only where the source's words call it one ("the $l^\textrm{th}$ hidden
layer", "layer $l$"). Beside it, ``H_t^{(L)}`` (the capital of the layer letter) is the top
layer, read as this layer's value (one shape at every layer), and ``H_t^{(0)} = X_t`` says
the first layer's input is X: read as that (said in the readings), not as an equation of the
one layer nor as a first value over the steps, X's sizes not tied to ``H_below``'s.

Examples that read::

    h^l_t = \tanh(W h^{l-1}_t + U h^l_{t-1}), \quad h^l_t \in \mathbb{R}^n

    $$H_t^{(l)} = \tanh(H_t^{(l-1)} W^{(l)} + H_{t-1}^{(l)} U^{(l)}), O_t = H_t^{(L)} V$$
    $$H_t^{(l)} \in \mathbb{R}^{n \times h}$$

    for the $l^\textrm{th}$ layer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import is_symbolish, iter_nodes

if TYPE_CHECKING:
    from .reader import Reader

BELOW = "below"  # the label of a value at the layer below: h^{l-1}_t -> h_below


def _base_letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font | ast.Decorated):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def _layer_of(script: ast.Node) -> tuple[str, int] | None:
    """``l`` -> ("l", 0); ``l-1`` -> ("l", -1), also in parentheses (``^{(l-1)}``); None
    otherwise."""
    if isinstance(script, ast.Paren):
        script = script.body
    match script:
        case ast.Letter(name=name):
            return name, 0
        case ast.BinOp(op="-", left=ast.Letter(name=name), right=ast.Number(text="1")):
            return name, -1
    return None


def layer_letters(reader: Reader, statements: list[ast.Statement]) -> set[str]:
    """The letters that are a layer beside a step: ``h^{l-1}_t`` and ``h^l_{t-1}`` both
    written, the subscript a step."""
    steps = {k for k, info in reader.out.indices.items() if info.kind == "step"}
    if not steps:
        return set()
    seen: dict[str, dict[str, set[int]]] = {}  # letter -> base -> offsets
    spans: dict[str, ast.Node] = {}
    for node in iter_nodes(statements):
        found = _stepped_layer(node, steps)
        if found is None:
            continue
        base, layer, script = found
        info = reader.out.indices.get(layer[0])
        if info is not None and (
            info.kind != "step" or not _only_offset_in_layers(reader, statements, layer[0])
        ):
            continue
        if isinstance(script, ast.Paren) and not said_layer(reader.source.text, layer[0]):
            continue  # H_t^{(l-1)}: a step in parentheses, unless the source calls l a layer
        seen.setdefault(layer[0], {}).setdefault(base, set()).add(layer[1])
        if layer[1] == -1:
            spans.setdefault(layer[0], script)
    out = set()
    for letter, bases in seen.items():
        if any(offsets == {0, -1} for offsets in bases.values()):
            out.add(letter)
            reader.out.indices.pop(letter, None)  # H_t^{(l-1)}: a layer, not a second step
            reader.layer_below_bases |= {b for b, offs in bases.items() if -1 in offs}
            reader.note(
                spans[letter].span,
                f"layer {letter}",
                f"{letter} is the layer and the subscript the step: the equations describe "
                f"one layer {letter}; a value at layer {letter}-1 is the output of the layer "
                f"below at the same step, this layer's input (key with _{BELOW})",
            )
    return out


def said_layer(text: str, letter: str) -> bool:
    """Whether the source's words call ``letter`` a layer: "the $l^\\textrm{th}$ hidden
    layer" (d2l), "layer $l$", "the l-th layer", d2l-zh's "第$l$个隐藏层"."""
    x = re.escape(letter)
    ordinal = rf"\$?{x}\s*\^\s*\{{?\s*(?:\\(?:textrm|text|mathrm)\s*\{{)?\s*th\s*\}}?\s*\}}?\$?"
    patterns = (
        rf"(?:{ordinal}|(?<![\w\\]){x}-?th)\s+(?:hidden\s+)?layer\b",
        rf"\blayer\s+(?:index\s+)?\$?{x}\$?(?![\w])",
        # d2l-zh: "$l^\mathrm{th}$隐藏层", "第$l$个隐藏层" (the l-th (hidden) layer)
        rf"(?:{ordinal}|第\s*\$?{x}\$?\s*个?)\s*(?:隐藏)?层",
    )
    return any(re.search(p, text) for p in patterns)


def _stepped_layer(node: ast.Node, steps: set[str]) -> tuple[str, tuple[str, int], ast.Node] | None:
    """``h^{l-1}_t`` or ``H_t^{(l-1)}`` (the step a subscript, the layer a superscript, in
    either order): (the base letter, the layer, the layer's script); None otherwise."""
    match node:
        case ast.Sub(base=ast.Sup(base=base, script=layer_script), script=step):
            pass
        case ast.Sup(base=ast.Sub(base=base, script=step), script=layer_script):
            pass
        case _:
            return None
    step = step.body if isinstance(step, ast.Paren) else step
    stepped = (isinstance(step, ast.Letter) and step.name in steps) or (
        isinstance(step, ast.BinOp)
        and isinstance(step.left, ast.Letter)
        and step.left.name in steps
    )
    layer = _layer_of(layer_script)
    letter = _base_letter(base)
    if not stepped or layer is None or letter is None or layer[0] == step_letter(step):
        return None
    return letter, layer, layer_script


def step_letter(step: ast.Node) -> str | None:
    if isinstance(step, ast.Letter):
        return step.name
    if isinstance(step, ast.BinOp) and isinstance(step.left, ast.Letter):
        return step.left.name
    return None


def _only_offset_in_layers(reader: Reader, statements: list[ast.Statement], letter: str) -> bool:
    """Whether ``letter``, an index because it carries an offset, carries it only in a layer
    superscript beside a step subscript (``H_t^{(l-1)}``, ``h^{l-1}_t``): then it is the
    layer, not a second step."""
    steps = {k for k, info in reader.out.indices.items() if info.kind == "step"} - {letter}
    beside = set()  # the layer scripts written beside a step
    for node in iter_nodes(statements):
        found = _stepped_layer(node, steps)
        if found is not None:
            beside.add(id(found[2]))
    for node in iter_nodes(statements):
        if not isinstance(node, ast.Sub | ast.Sup):
            continue
        script = node.script.body if isinstance(node.script, ast.Paren) else node.script
        if not (isinstance(script, ast.BinOp) and step_letter(script) == letter):
            continue
        if isinstance(node, ast.Sub) or id(node.script) not in beside:
            return False  # h_{l-1}, or h^{(l-1)} with no step beside it: l is a step
    return True


def _top_of(reader: Reader, script: ast.Node) -> str | None:
    """``L`` or ``(L)`` beside a layer letter l: the top layer (the count of layers, as T
    is the last step); the layer letter, else None."""
    inner = script.body if isinstance(script, ast.Paren) else script
    if not isinstance(inner, ast.Letter) or inner.name in reader.out.indices:
        return None
    for letter in reader.layer_letters:
        if inner.name == letter.upper() != letter:
            return letter
    return None


def _declared_at_layer(reader: Reader, letter: str) -> set[str]:
    """The base letters declared at layer ``letter`` (``H_t^{(l)} \\in \\mathbb{R}^{n \\times
    h}``): one shape at every layer."""
    out = set()
    for st in getattr(reader, "statements", []):
        if not isinstance(st, ast.Declaration):
            continue
        for target in st.targets:
            for node in iter_nodes([target]):  # type: ignore[list-item]
                if isinstance(node, ast.Sup) and _layer_of(node.script) == (letter, 0):
                    base = node.base.base if isinstance(node.base, ast.Sub) else node.base
                    if (name := _base_letter(base)) is not None:
                        out.add(name)
    return out


def layer_superscript(reader: Reader, script: ast.Node, base: str | None = None) -> str | None:
    """The label a layer superscript adds to a key: "" for ``^l`` (this layer) and for
    ``^{(L)}`` (the top layer, where the value is declared at every layer l: one shape at
    every layer, and the one layer the equations describe stands for it), "below" for
    ``^{l-1}``; None where ``script`` is no layer superscript. ``base``: the symbol's letter."""
    if (letter := _top_of(reader, script)) is not None:
        if any(r.span == script.span for r in reader.out.readings):
            return ""  # read before (a symbol is read more than once)
        top = script_text(script)
        if base is None or base not in _declared_at_layer(reader, letter):
            raise reader.error(
                f"{top}: the top layer of the stack ({letter} = 1, ..., {letter.upper()}), whose "
                f"value nothing ties to this layer's: its shape could differ from layer "
                f"{letter}'s",
                script.span,
                hint=f"declare the value at every layer, as {base or 'h'}_t^{{({letter})}} \\in "
                "\\mathbb{R}^{n \\times h}, so that the top layer has that shape too",
            )
        reader.note(
            script.span,
            f"top layer {top}",
            f"{letter} is the layer, so {top} is the last layer of the stack "
            f"({letter} = 1, ..., {letter.upper()}): its value is read as this layer's (declared "
            f"at every layer {letter}, one shape at every layer)",
        )
        return ""
    layer = _layer_of(script)
    if layer is None or layer[0] not in reader.layer_letters:
        return None
    return BELOW if layer[1] == -1 else ""


def script_text(script: ast.Node) -> str:
    inner = script.body if isinstance(script, ast.Paren) else script
    name = inner.name if isinstance(inner, ast.Letter) else "?"
    return f"({name})" if isinstance(script, ast.Paren) else name


def is_layer_letter(reader: Reader, letter: str) -> bool:
    """``l`` of a layer stack, or ``L`` its top layer: not a step label."""
    return letter in reader.layer_letters or any(
        letter == x.upper() != x for x in reader.layer_letters
    )


def _layer_zero(reader: Reader, node: ast.Node) -> str | None:
    """``H_t^{(0)}`` (or ``h^0_t``), H a value read at the layer below: H's base letter."""
    match node:
        case (
            ast.Sub(base=ast.Sup(base=base, script=script))
            | ast.Sup(base=ast.Sub(base=base), script=script)
        ):
            pass
        case _:
            return None
    inner = script.body if isinstance(script, ast.Paren) else script
    if not (isinstance(inner, ast.Number) and inner.text == "0"):
        return None
    letter = _base_letter(base)
    return letter if letter in reader.layer_below_bases else None


def stack_input(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """``H_t^{(0)} = X_t`` beside a layer stack (d2l's deep RNN): the value at layer 0 is the
    stack's input, the layer below the first. The equations describe one layer l, whose input
    ``H_below`` is ``X_t`` at l = 1 (and the layer below's H at l > 1): the equation is read as
    that, not as an equation of the layer (nor as a first value of the state over t); the
    sizes of ``X_t`` are not tied to ``H_below``'s (the first layer's weights may differ in
    shape from the others')."""
    if not reader.layer_letters:
        return statements
    out: list[ast.Statement] = []
    for st in statements:
        letter = _layer_zero(reader, st.lhs) if isinstance(st, ast.Definition) else None
        if letter is None or not isinstance(st, ast.Definition):
            out.append(st)
            continue
        parts = reader.symbol(st.lhs, quiet=True)
        given = reader.symbol(st.rhs, quiet=True) if is_symbolish(st.rhs) else None
        if parts is None or given is None:
            out.append(st)
            continue
        below = f"{parts.key}_{BELOW}"
        reader.note(
            st.span,
            "the stack's input",
            f"layer 0 is below the first layer: {reader.source.snippet(st.span)} says the "
            f"first layer's input {below} is {given.key}; the equations describe one layer "
            f"{next(iter(sorted(reader.layer_letters)))}, whose input {below} is the layer "
            f"below's {parts.key} (at the first layer {given.key}, whose sizes may differ): read "
            "as that, not as an equation of the layer nor as a first value over the steps",
        )
    return out


def declared_below(reader: Reader, target: ast.Node, key: str) -> str | None:
    """``h^l_t \\in \\mathbb{R}^n``, l the layer: declared at every layer l, so the value at
    the layer below (h_below) too. Its key where ``target`` carries the layer letter (and the
    value below is used); None otherwise."""
    node = target.base if isinstance(target, ast.Sub) else target
    if not (isinstance(node, ast.Sup) and _layer_of(node.script) is not None):
        return None
    layer = _layer_of(node.script)
    assert layer is not None
    if layer != (layer[0], 0) or layer[0] not in reader.layer_letters:
        return None
    base = node.base.base if isinstance(node.base, ast.Sub) else node.base  # H_t^{(l)}
    if _base_letter(base) not in reader.layer_below_bases:
        return None  # nothing is read at the layer below
    return f"{key}_{BELOW}"
