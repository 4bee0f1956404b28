# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``bare-step-of-a-defined-value``: a superscript ``l+1`` (a letter plus or
minus a number, no parentheses) on a right side, on a symbol that a left side defines at the
step ``^{(l+1)}``: the same value, at that step.

What people write (DGL's SAGEConv docstring)::

    h_{\mathcal{N}(i)}^{(l+1)} = \mathrm{aggregate}(\{h_{j}^{l}, \forall j \in \mathcal{N}(i)\})
    h_{i}^{(l+1)} = \sigma(W \cdot \mathrm{concat}(h_{i}^{l}, h_{\mathcal{N}(i)}^{l+1}))

How papermath reads it: ``h_{\mathcal{N}(i)}^{l+1}`` is the value the first line defines,
``h_{\mathcal{N}(i)}^{(l+1)}``: written with the same symbol and the same step, without the
parentheses (the source writes ``h_i^{l}`` for the step l beside ``^{(l+1)}`` already). A
value the source defines at a step is not raised to a power of that step. The reading says
so. Only where a left side writes the same symbol (its scripts alike) with ``^{(l+1)}``, or
the same letter (its subscripts aside) with the bare letter, ``\mathbf{h}^{k}_{v}
\leftarrow ...`` beside ``\mathbf{h}^{k-1}_{u}`` (GraphSAGE's Algorithm 1: then ``^{k-1}`` is
the step before), and no other letter carries a step in a subscript (``h^{l}_{t-1}``: layers
and time, two recurrences, refused as before); elsewhere a bare ``^{l+1}`` on a right side is
read as before (read/rules_bare_steps.py reads it on a left side).

Example (reads; h is d, W d x 2d)::

    h_{\mathcal{N}(i)}^{(l+1)} = \mathrm{mean}(\{h_{j}^{l}, j \in \mathcal{N}(i)\}), h_{i}^{(l+1)} = \sigma(W \mathrm{concat}(h_{i}^{l}, h_{\mathcal{N}(i)}^{l+1})), h_i^{l} \in \mathbb{R}^{d}
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import TYPE_CHECKING

from ..parse import ast
from .rules_bare_steps import offset_step
from .rules_brace_typos import rewrite_statements

if TYPE_CHECKING:
    from .reader import Reader

RULE = "bare-step-of-a-defined-value"


def _written(reader: Reader, node: ast.Node) -> str:
    return re.sub(r"[{}\s]", "", reader.source.snippet(node.span))


def _letter(reader: Reader, node: ast.Node) -> str:
    """The symbol's letter as written, its subscripts left out (``h_{\\mathcal{N}(v)}``: h)."""
    while isinstance(node, ast.Sub):
        node = node.base
    return _written(reader, node)


def _other_steps(statements: list[ast.Statement], letters: set[str]) -> bool:
    """Does a subscript (or a parenthesised superscript) carry a step with an offset in a
    letter other than ``letters`` (``h_{t-1}``)?"""
    stack: list[object] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        if not isinstance(node, ast.Node):
            continue
        script = None
        if isinstance(node, ast.Sub):
            script = node.script
        elif isinstance(node, ast.Sup) and isinstance(node.script, ast.Paren):
            script = node.script.body
        if script is not None and offset_step(script):
            assert isinstance(script, ast.BinOp) and isinstance(script.left, ast.Letter)
            if script.left.name not in letters:
                return True
        stack.extend(getattr(node, f.name) for f in fields(node))
    return False


def rewrite(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Every bare ``^{l+1}`` on a right side, on a symbol a left side defines at ``^{(l+1)}``,
    in parentheses (noted)."""
    defined: set[tuple[str, str]] = set()
    bare: set[tuple[str, str]] = set()  # h^{k} on a left side: (h, k)
    for s in statements:
        lhs = s.lhs if isinstance(s, ast.Definition) else None
        while isinstance(lhs, ast.Sub):  # \mathbf{h}^{k}_{v}: the step is on the base
            lhs = lhs.base
        if isinstance(lhs, ast.Sup):
            script = lhs.script
            if isinstance(script, ast.Paren) and offset_step(script.body):
                defined.add((_written(reader, lhs.base), _written(reader, script.body)))
            if isinstance(script, ast.Letter):
                bare.add((_letter(reader, lhs.base), script.name))
    if _other_steps(statements, {k for _, k in bare}):
        bare = set()  # h^l_t beside h^l_{t-1}: two indices with steps, not this rule's (REC)
    if not defined and not bare:
        return statements

    def fix(node: ast.Node) -> ast.Node:
        if not (isinstance(node, ast.Sup) and offset_step(node.script)):
            return node
        base, step = _written(reader, node.base), _written(reader, node.script)
        assert isinstance(node.script, ast.BinOp) and isinstance(node.script.left, ast.Letter)
        letter = node.script.left.name
        shown = " ".join(reader.source.snippet(node.span).split())
        if (base, step) in defined:
            why = (
                f"{shown}: the value a left side defines at the step ^{{({step})}} (the same "
                "symbol, written without the parentheses), not a power"
            )
        elif (_letter(reader, node.base), letter) in bare:
            why = (
                f"{shown}: a left side defines the same symbol at ^{{{letter}}}, so "
                f"^{{{step}}} is its value at the step {step} (the layer before), not a power"
            )
        else:
            return node
        reader.note(node.script.span, "step of a value defined at it", why)
        return replace(node, script=ast.Paren(node.script.span, node.script))

    return rewrite_statements(statements, fix)
