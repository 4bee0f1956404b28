r"""Notation rule ``activation-around-an-affine-map``: a function the source does not define,
applied to an affine map written out with its own weights and bias, is the layer's activation.

What people write: Graves, Mohamed & Hinton (2013), eq. 8, ``\overrightarrow{h}_t =
\mathcal{H}(W_{x\overrightarrow{h}} x_t + W_{\overrightarrow{h}\overrightarrow{h}}
\overrightarrow{h}_{t-1} + b_{\overrightarrow{h}})``, where the text calls H "the hidden layer
function" (a sigmoid, or an LSTM cell).

How papermath reads it: the argument already is an affine map (a product by a weight plus a
bias ``b``), so the function around it is not another learnable affine map (two affine maps
in a row, with no nonlinearity between them, is not a layer anyone writes): it is an
elementwise nonlinearity the source does not name, of the argument's shape (the same reading
as ``\sigma_y``, ``\phi``). Shapes, explain and the diagram read it; code asks which one, and a
comment ``% \mathcal{H}: tanh`` says it (the function is then that one).

Only a one-letter head with one argument that is a sum holding a product and a bias symbol
(base letter b) is read so; ``f(x)``, ``H(x, W_H)``, ``g(W x)`` keep their readings (a
learnable function, or the refusals of their rules).

Examples that read::

    h_t = \mathcal{H}(W x_t + U h_{t-1} + b), \quad x_t \in \mathbb{R}^m, h_t \in \mathbb{R}^n
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..parse import ast
from . import terms as t
from .syntax import is_symbolish

if TYPE_CHECKING:
    from .reader import Reader, SymParts


def _summands(node: ast.Node) -> list[ast.Node]:
    if isinstance(node, ast.Paren):
        return _summands(node.body)
    if isinstance(node, ast.BinOp) and node.op in ("+", "-"):
        return [*_summands(node.left), *_summands(node.right)]
    return [node]


def is_affine_map(reader: Reader, node: ast.Node) -> bool:
    """``W x + U h + b``: a sum with a product and a bias symbol (base letter b)."""
    terms = _summands(node)
    if len(terms) < 2:
        return False
    products = [x for x in terms if isinstance(x, ast.Juxt) and is_symbolish(x.left)]
    biases = []
    for x in terms:
        parts = reader.symbol(x, quiet=True) if is_symbolish(x) else None
        if parts is not None and parts.base == "b" and not parts.step and not parts.node:
            biases.append(parts)
    return bool(products) and bool(biases)


def activation_around_affine(
    reader: Reader, node: ast.Call, parts: SymParts, args: tuple[ast.Node, ...]
) -> t.Term | None:
    """The unnamed activation for ``\\mathcal{H}(W x + b)``; None where the rule does not
    apply."""
    if len(args) != 1 or len(parts.base) != 1 or parts.labels or parts.decorations:
        return None
    if parts.step or parts.node or not is_affine_map(reader, args[0]):
        return None
    from .rules_roles import unnamed_activation

    written = " ".join(reader.source.snippet(node.func.span).split())
    reader.note(
        node.func.span,
        "activation around an affine map",
        f"{written} is not defined, and its argument is already an affine map with its own "
        "weights and bias: the layer's nonlinearity, not another learnable map",
    )
    said = "".join(written.split()).lstrip("\\").replace("{", "").replace("}", "")
    named = reader.out.activations.get(said) or reader.out.activations.get(parts.key)
    if named is not None:  # `% \mathcal{H}: tanh`: the source says which (reader.directive)
        reader.note(node.func.span, named, f"the source says {written} is this")
        return t.Apply(node.span, named, (reader.term(args[0]),))
    return unnamed_activation(reader, args, node.span, node.func.span)
