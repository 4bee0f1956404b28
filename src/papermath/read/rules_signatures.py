r"""Notation rule ``function-signature``: ``f: \mathbb{R}^D \to \mathbb{R}^L`` beside the
definition ``f(x) = ...`` declares the sizes of f's argument and of its value
(parse/signatures.py finds the signature and blanks it before parsing).

What people write (the Theano MLP tutorial, lisa-lab's ``doc/mlp.txt``)::

    a one-hidden-layer MLP is a function :math:`f: R^D \rightarrow R^L`, ...
        f(x) = G( b^{(2)} + W^{(2)}( s( b^{(1)} + W^{(1)} x)))

How papermath reads it: as the two declarations the signature says, ``x \in R^D`` for the
argument written in the definition ``f(x) = ...`` and ``f(x) \in R^L`` for its value (a claim
on the value's shape, statements.expression-claim), the spaces as the signature writes them
(carets on a clash point at them); the readings say so. Refused at the signature: no equation
``f(x) = ...`` with one argument defines f (what the signature is about is not in the
source), or two do.

Example (reads): ``$f: \mathbb{R}^D \to \mathbb{R}^L$`` in prose beside ``$$f(x) = \tanh(W x +
b)$$``: x has D entries, W is L x D.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..parse import ast
from ..parse import parse as parse_text
from ..parse.signatures import Signature, find
from ..source import Span

if TYPE_CHECKING:
    from .reader import Reader

RULE = "function-signature"

__all__ = ["RULE", "rewrite"]

_PREFIX = "x \\in "


def _shifted(node: Any, delta: int) -> Any:
    if isinstance(node, tuple):
        return tuple(_shifted(x, delta) for x in node)
    if isinstance(node, Span):
        return Span(node.start + delta, node.end + delta)
    if not isinstance(node, ast.Node):
        return node
    changes = {f.name: _shifted(getattr(node, f.name), delta) for f in dataclasses.fields(node)}
    return dataclasses.replace(node, **changes)


def _placed_call(call: ast.Call, span: Span) -> ast.Call:
    """``f(x)`` placed at ``span`` (the call and its function's name; the argument stays where
    the definition writes it)."""
    func = dataclasses.replace(call.func, span=span)
    return dataclasses.replace(call, span=span, func=func)


def _space(reader: Reader, span: Span) -> ast.Node:
    """The space written at ``span`` (``R^D``) as parsed, its spans those of the source."""
    statements = parse_text(_PREFIX + reader.source.snippet(span))
    assert len(statements) == 1 and isinstance(statements[0], ast.Declaration)
    space: ast.Node = _shifted(statements[0].space, span.start - len(_PREFIX))
    return space


def _defines(reader: Reader, s: ast.Statement, name: str) -> bool:
    return (
        isinstance(s, ast.Definition)
        and isinstance(s.lhs, ast.Call)
        and len(s.lhs.args) == 1
        and reader.source.snippet(s.lhs.func.span).replace(" ", "") == name
    )


def _read(reader: Reader, sig: Signature, statements: list[ast.Statement]) -> list[ast.Statement]:
    defining = [s for s in statements if _defines(reader, s, sig.name)]
    if len(defining) != 1:
        raise reader.error(
            f"the signature of {sig.name} gives the sizes of its argument and value, but "
            + (
                f"no equation {sig.name}(x) = ... defines {sig.name} with one argument"
                if not defining
                else f"{len(defining)} equations define {sig.name}"
            )
            + ": what the signature is about is not clear",
            sig.span,
            hint=f"write the definition {sig.name}(x) = ... beside it, or declare the sizes "
            "(x \\in \\mathbb{R}^{D})",
        )
    definition = defining[0]
    assert isinstance(definition, ast.Definition) and isinstance(definition.lhs, ast.Call)
    argument = definition.lhs.args[0]
    value_space = _space(reader, sig.value)
    declared = [
        ast.Declaration(sig.arg, (argument,), _space(reader, sig.arg)),
        # f(x) placed at the signature: the claim on its value is the signature's (a size the
        # claim would solve is refused there: rules_expression_claims.check)
        ast.Declaration(sig.span, (_placed_call(definition.lhs, sig.span),), value_space),
    ]
    arg = reader.source.snippet(argument.span)
    reader.note(
        sig.span,
        "the signature of a function",
        f"{sig.name} takes {arg} in {reader.source.snippet(sig.arg)} to "
        f"{reader.source.snippet(sig.value)}: read as {arg} \\in "
        f"{reader.source.snippet(sig.arg)} and {reader.source.snippet(definition.lhs.span)} "
        f"\\in {reader.source.snippet(sig.value)}",
    )
    return [*statements, *declared]


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """The statements with the declarations each signature makes (see the module)."""
    for sig in find(reader.source.text):
        statements = _read(reader, sig, statements)
    return statements
