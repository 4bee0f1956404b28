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

Examples that read::

    h^l_t = \tanh(W h^{l-1}_t + U h^l_{t-1}), \quad h^l_t \in \mathbb{R}^n
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from .syntax import iter_nodes

if TYPE_CHECKING:
    from .reader import Reader

BELOW = "below"  # the label of a value at the layer below: h^{l-1}_t -> h_below


def _base_letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font | ast.Decorated):
        node = node.body
    return node.name if isinstance(node, ast.Letter) else None


def _layer_of(script: ast.Node) -> tuple[str, int] | None:
    """``l`` -> ("l", 0); ``l-1`` -> ("l", -1); None otherwise."""
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
        if not (isinstance(node, ast.Sub) and isinstance(node.base, ast.Sup)):
            continue
        script = node.script.body if isinstance(node.script, ast.Paren) else node.script
        stepped = (isinstance(script, ast.Letter) and script.name in steps) or (
            isinstance(script, ast.BinOp)
            and isinstance(script.left, ast.Letter)
            and script.left.name in steps
        )
        layer = _layer_of(node.base.script)
        base = _base_letter(node.base.base)
        if not stepped or layer is None or base is None or layer[0] in reader.out.indices:
            continue
        seen.setdefault(layer[0], {}).setdefault(base, set()).add(layer[1])
        if layer[1] == -1:
            spans.setdefault(layer[0], node.base.script)
    out = set()
    for letter, bases in seen.items():
        if any(offsets == {0, -1} for offsets in bases.values()):
            out.add(letter)
            reader.layer_below_bases |= {b for b, offs in bases.items() if -1 in offs}
            reader.note(
                spans[letter].span,
                f"layer {letter}",
                f"{letter} is the layer and the subscript the step: the equations describe "
                f"one layer {letter}; a value at layer {letter}-1 is the output of the layer "
                f"below at the same step, this layer's input (key with _{BELOW})",
            )
    return out


def layer_superscript(reader: Reader, script: ast.Node) -> str | None:
    """The label a layer superscript adds to a key: "" for ``^l`` (this layer), "below" for
    ``^{l-1}``; None where ``script`` is no layer superscript."""
    layer = _layer_of(script)
    if layer is None or layer[0] not in reader.layer_letters:
        return None
    return BELOW if layer[1] == -1 else ""


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
    if _base_letter(node.base) not in reader.layer_below_bases:
        return None  # nothing is read at the layer below
    return f"{key}_{BELOW}"
