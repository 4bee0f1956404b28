# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``ffn-width-words``: the prose of a two-layer feed-forward network names its
widths by the parts of the network (labml's annotated FFN, the Transformer's position-wise
FFN)::

    Number of dimensions in the hidden layer $d_{ff}$, is generally set to around four times
    that of the token embedding $d_{model}$. So it is sometime also called the
    expand-and-contract network.
    $$FFN(x, W_1, W_2, b_1, b_2) = \max(0, x W_1 + b_1) W_2 + b_2$$

What people mean: the hidden layer (the inner one: the value of the activation, between the
two layers) is d_ff wide; the token embedding, what the network is applied to, is d_model
wide; and the network expands to the hidden width and contracts back to the embedding's (the
words "expand-and-contract", or "input and output" said of the one size). How papermath reads
it: declarations read from the words, quoted in the readings: the hidden layer's bias (the one
added inside the activation, ``b_1``) ``\in \mathbb{R}^{d_{ff}}``; the input (the letter x,
h or a, the first value of the inner affine map) ``\in \mathbb{R}^{d_{model}}``; and, where
the words say it contracts back (or name the size of input and output), the outer bias
``b_2 \in \mathbb{R}^{d_{model}}``. The weights follow from the shapes.

Read only where the equations hold one such network: an affine map with a bias inside an
elementwise activation (``\max(0, .)``, ``\mathrm{ReLU}``, ``\sigma``, ...), times a weight,
plus a bias, and nothing declares those symbols. Any other sentence naming a size in prose
stays refused (parse/doubts.py: "papermath does not read sizes from prose").

Example that reads (a whole source of three lines)::

    Number of dimensions in the hidden layer $d_{ff}$, is four times that of the token embedding $d_{model}$: an expand-and-contract network.

    $$FFN(x, W_1, W_2, b_1, b_2) = \max(0, x W_1 + b_1) W_2 + b_2$$
"""

from __future__ import annotations

import re

from ..letters import FFN_INPUT_LETTERS
from ..source import Span
from . import ast
from .prose_nodes import ProseDeclaration, WordSpans, declaration_on_words

__all__ = ["declarations"]

_SIZE = r"\$\s*(?P<size>[A-Za-z](?:_(?:\{[A-Za-z]+\}|[A-Za-z]+))?)\s*\$"
# "Number of dimensions in the hidden layer $d_{ff}$", "the inner-layer has dimensionality $d_{ff}$"
_HIDDEN = re.compile(rf"\b(?:hidden|inner)[\s-]+layer\b[^$.\n]{{0,40}}?{_SIZE}", re.IGNORECASE)
# "that of the token embedding $d_{model}$", "input and output is $d_{model}$"
_INPUT = re.compile(
    rf"\b(?P<what>token\s+embeddings?|input\s+and\s+output)\b[^$.\n]{{0,40}}?{_SIZE}",
    re.IGNORECASE,
)
_CONTRACT = re.compile(r"\bexpand[\s-]+and[\s-]+contract", re.IGNORECASE)


def _letter(node: ast.Node) -> str | None:
    while isinstance(node, ast.Font | ast.Decorated):
        node = node.body
    if isinstance(node, ast.Sub):
        return _letter(node.base)
    return node.name if isinstance(node, ast.Letter) else None


def _bias(node: ast.Node) -> bool:
    return _letter(node) == "b" and isinstance(node, ast.Sub | ast.Letter | ast.Font)


def _activation_arg(node: ast.Node) -> ast.Node | None:
    """The argument of an activation ``\\max(0, a)``, ``\\mathrm{ReLU}(a)``, ``\\sigma(a)``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.FunctionName | ast.Text):
        args = node.args
        if len(args) == 2 and isinstance(args[0], ast.Number) and args[0].text == "0":
            return args[1]
        return args[0] if len(args) == 1 else None
    if isinstance(node, ast.ApplyPrefix):
        return node.arg
    return None


def _network(rhs: ast.Node) -> tuple[ast.Node, ast.Node, ast.Node] | None:
    """(input, inner bias, outer bias) of ``act(x W_1 + b_1) W_2 + b_2`` (or ``W_2 act(W_1 x +
    b_1) + b_2``); None for anything else."""
    if not (isinstance(rhs, ast.BinOp) and rhs.op == "+" and _bias(rhs.right)):
        return None
    outer = rhs.left
    if not isinstance(outer, ast.Juxt):
        return None
    for inside in (outer.left, outer.right):
        while isinstance(inside, ast.Paren):
            inside = inside.body
        arg = _activation_arg(inside)
        while isinstance(arg, ast.Paren):
            arg = arg.body
        if not (isinstance(arg, ast.BinOp) and arg.op == "+" and _bias(arg.right)):
            continue
        product = arg.left
        if not isinstance(product, ast.Juxt):
            continue
        values = [v for v in (product.left, product.right) if _letter(v) in FFN_INPUT_LETTERS]
        if len(values) == 1:
            return values[0], arg.right, rhs.right
    return None


def _squeeze(text: str, span: Span) -> str:
    return re.sub(r"\s+", "", text[span.start : span.end])


def declarations(text: str, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The declarations the words make of the network's input and biases (see the module)."""
    hidden, given = _HIDDEN.search(text), _INPUT.search(text)
    if hidden is None or given is None or hidden.group("size") == given.group("size"):
        return []
    found = [
        net
        for s in statements
        if isinstance(s, ast.Definition) and (net := _network(s.rhs)) is not None
    ]
    if len(found) != 1:
        return []
    x, inner, outer = found[0]
    declared = {
        _squeeze(text, t.span)
        for s in statements
        if isinstance(s, ast.Declaration)
        for t in s.targets
    }
    back = _CONTRACT.search(text) is not None or "output" in given.group("what").lower()
    wanted = [(x, given, "the input: the token embedding"), (inner, hidden, "the hidden layer")]
    if back:
        wanted.append((outer, given, "the output (the network contracts back to the input's)"))
    if any(_squeeze(text, node.span) in declared for node, _, _ in wanted):
        return []
    out: list[ast.Statement] = []
    for node, words, what in wanted:
        symbol = _squeeze(text, node.span)
        where = (words.start("size"), words.end("size"))
        decl = declaration_on_words(
            symbol, words.group("size"), WordSpans((node.span.start, node.span.end), where)
        )
        if decl is None:
            return []
        quoted = " ".join(words.group(0).split())
        out.append(
            ProseDeclaration(
                Span(*where),
                decl.targets,
                decl.space,
                said=(
                    f"said in words: '{quoted}': {words.group('size')} is the width of {what} "
                    f"of the two-layer network, so {symbol} is a vector of "
                    f"{words.group('size')} numbers (ffn-width-words)"
                ),
            )
        )
    return out
