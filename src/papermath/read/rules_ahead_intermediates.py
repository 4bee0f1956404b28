# ruff: noqa: E501  (the docstring's examples are exact inputs, one line each)
r"""Notation rule ``ahead-step-intermediates``: a recurrence written one step ahead
(``h_i^{(l+1)} = \sum_j \alpha_{ij} W h_j^{(l)}``) beside values with no step of their own
that read the state at the step ``l`` (``e_{ij} = \mathrm{LeakyReLU}(a^T [W h_i^{(l)} \| W
h_j^{(l)}])``): those values are computed from the state before the update, as the ahead
equation is.

What people write (DGL's GATConv docstring)::

    h_i^{(l+1)} = \sum_{j\in \mathcal{N}(i)} \alpha_{i,j} W^{(l)} h_j^{(l)}
    \alpha_{ij}^{l} = \mathrm{softmax_i} (e_{ij}^{l})
    e_{ij}^{l} = \mathrm{LeakyReLU}\left(\vec{a}^T [W h_{i} \| W h_{j}]\right)

How papermath reads it: an equation written at the step ``l+1`` is read as the same equation
one step earlier (every l moved back by one: ``h^{(l)} = f(h^{(l-1)})``). The system's
equations hold for every l, so the move must be made in every equation that writes the step
letter, not in the ahead one alone: an equation whose left side carries no step (``e_{ij}``,
computed inside the step) and whose right side writes ``h^{(l)}`` is moved back too, so its
``h^{(l)}`` is the state before the update, the one the ahead equation reads. Moving only the
ahead equation read ``e`` from the new state that is computed from ``e``: a loop ("h depends
on itself") the source never wrote. Only where every left side written ahead moves the same
letter by the same number; the reading says so.

Example (reads; h is d, W d x d, a 2d, alpha and e one number per edge)::

    h_i^{(l+1)} = \sum_{j\in \mathcal{N}(i)} \alpha_{ij} W h_j^{(l)}, \alpha_{ij} = \mathrm{softmax}(e_{ij}), e_{ij} = \mathrm{LeakyReLU}(a^T [W h_i^{(l)} \| W h_j^{(l)}])
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from ..parse import ast
from .syntax import is_symbolish

if TYPE_CHECKING:
    from .reader import Reader

RULE = "ahead-step-intermediates"


def _ahead(reader: Reader) -> tuple[str, int] | None:
    """(l, 1) where every left side written ahead is at the step l+1 (one letter, one
    offset); None where none is, or they differ."""
    found = set()
    for st in reader.statements:
        if isinstance(st, ast.Definition) and is_symbolish(st.lhs):
            parts = reader.symbol(st.lhs, quiet=True)
            if parts is not None and parts.step is not None and parts.offset > 0:
                found.add((parts.step, parts.offset))
    if len(found) != 1:
        return None
    (one,) = found
    return one


def shift(reader: Reader, s: ast.Definition) -> tuple[str, int] | None:
    """The move back (l, -1) for ``s``, an equation whose left side has no step and whose
    right side writes a value at the step of a recurrence written ahead; None elsewhere."""
    ahead = _ahead(reader)
    if ahead is None or not is_symbolish(s.lhs):
        return None
    lhs = reader.symbol(s.lhs, quiet=True)
    if lhs is None or lhs.step is not None:
        return None
    letter, offset = ahead
    written = None
    for node in ast.walk(s.rhs):
        if isinstance(node, (ast.Sub, ast.Sup)) and is_symbolish(node):
            parts = reader.symbol(node, quiet=True)
            if parts is not None and parts.step == letter:
                written = node
                break
    if written is None:
        return None
    shown = " ".join(reader.source.snippet(written.span).split())
    reader.note(
        s.lhs.span,
        f"computed from the state before step {letter}+{offset} ({RULE})",
        f"{reader.source.snippet(s.lhs.span)} has no step of its own and reads {shown}: the "
        f"recurrence is written one step ahead ({letter}+{offset}), and its equations hold "
        f"for every {letter}, so this one is moved back with it (every {letter} by "
        f"{offset}): a value written at {letter} is the one before the step, at "
        f"{letter}+{offset} the one the step computes, as in the ahead equation",
    )
    return letter, -offset


# ---- layer-labelled intermediates: \alpha_{ij}^{l} beside \alpha_{i,j}, h_i beside h^{(l)} ----
RULE_LABELS = "ahead-step-layer-labels"


def _letter(reader: Reader, node: ast.Node) -> str:
    """The symbol's letter as written, its scripts left out (``\\alpha_{ij}^{l}``: \\alpha)."""
    while isinstance(node, (ast.Sub, ast.Sup)):
        node = node.base
    return "".join(c for c in reader.source.snippet(node.span) if c not in "{} \n")


def _step(node: ast.Node) -> tuple[str, int] | str | None:
    """The step an occurrence is written at: ``^{(l)}``, ``^{l}`` -> (l, 0); ``^{(l+1)}`` ->
    (l, 1); another superscript -> "other"; None where it carries no superscript."""
    while isinstance(node, ast.Sub):
        node = node.base
    if not isinstance(node, ast.Sup):
        return None
    script = node.script
    while isinstance(script, (ast.Paren, ast.Brace)):
        if isinstance(script, ast.Brace):
            if len(script.items) != 1:
                return "other"
            script = script.items[0]
        else:
            script = script.body
    if isinstance(script, ast.Letter):
        return script.name, 0
    if (
        isinstance(script, ast.BinOp)
        and script.op in ("+", "-")
        and isinstance(script.left, ast.Letter)
        and isinstance(script.right, ast.Number)
        and script.right.text.isdigit()
    ):
        k = int(script.right.text)
        return script.left.name, k if script.op == "+" else -k
    return "other"


def _symbolish(node: ast.Node) -> bool:
    inner = node
    while isinstance(inner, (ast.Sub, ast.Sup)):
        inner = inner.base
    return isinstance(inner, (ast.Letter, ast.Font, ast.Decorated)) and is_symbolish(inner)


def _occurrences(statements: list[ast.Statement]) -> list[ast.Node]:
    """Every symbol written (the outermost node of each: ``h_j^{(l)}``, not its base ``h``),
    scripts of subscripts left out."""
    out: list[ast.Node] = []

    def visit(node: object) -> None:
        if isinstance(node, tuple):
            for x in node:
                visit(x)
            return
        if not isinstance(node, ast.Node):
            return
        if isinstance(node, (ast.Sub, ast.Sup)) and _symbolish(node):
            out.append(node)
            return
        if isinstance(node, (ast.Letter, ast.Font, ast.Decorated)) and _symbolish(node):
            out.append(node)
            return
        for f in fields(node):
            visit(getattr(node, f.name))

    for s in statements:
        if isinstance(s, ast.Definition):
            visit(s.lhs)
            visit(s.rhs)
    return out


def _strip(node: ast.Node) -> ast.Node:
    """``\\alpha_{ij}^{l}`` -> ``\\alpha_{ij}`` (its step left out)."""
    if isinstance(node, ast.Sup):
        return node.base
    if isinstance(node, ast.Sub):
        return replace(node, base=_strip(node.base))
    return node


def layer_labels(reader: Reader, statements: list[ast.Statement]) -> list[ast.Statement]:
    """Rule ``ahead-step-layer-labels`` (DGL's GATConv): in a recurrence written one step ahead
    (``h_i^{(l+1)} = \\sum_j \\alpha_{i,j} W h_j^{(l)}``), a value defined at the step l and
    written nowhere at another step (``\\alpha_{ij}^{l} = \\mathrm{softmax}(e_{ij}^{l})``), but
    also written with no step (``\\alpha_{i,j}`` in the ahead equation), is the value computed
    inside the step from l to l+1: its ``^{l}`` names the layer it belongs to, not a state
    carried between layers. Read with no step (then moved back with the ahead equation, by
    :func:`shift`), and the state written with no step in its equation (``W h_{i}``, h written
    at ``^{(l)}`` and ``^{(l+1)}`` elsewhere) is the state at l, the one the layer reads."""
    ahead: set[tuple[str, int]] = set()
    states: set[str] = set()
    for s in statements:
        if isinstance(s, ast.Definition) and _symbolish(s.lhs):
            step = _step(s.lhs)
            if isinstance(step, tuple) and step[1] > 0:
                ahead.add(step)
                states.add(_letter(reader, s.lhs))
    if len(ahead) != 1:
        return statements
    ((letter, k),) = ahead
    written: dict[str, set[object]] = {}
    for node in _occurrences(statements):
        written.setdefault(_letter(reader, node), set()).add(_step(node))
    for state in states:  # the state at l and l+k only (h^{(l-1)}: another reading)
        if not written.get(state, set()) <= {None, "other", (letter, 0), (letter, k)}:
            return statements
    labelled: dict[str, ast.Definition] = {}
    for s in statements:
        if not (isinstance(s, ast.Definition) and _symbolish(s.lhs)):
            continue
        name = _letter(reader, s.lhs)
        if name in states or _step(s.lhs) != (letter, 0):
            continue
        if written.get(name, set()) <= {None, (letter, 0)}:  # at l, or with no step
            labelled[name] = s
    # what the layer's equations read at l where they write it with no step: the state, and
    # what is written at l elsewhere and at no other step (W beside W^{(l)})
    at_l = states | {
        name
        for name, steps in written.items()
        if (letter, 0) in steps and steps <= {None, "other", (letter, 0)} and name not in labelled
    }
    mixed = any(None in written[name] for name in labelled) or any(
        _letter(reader, n) in at_l and _step(n) is None
        for s in labelled.values()
        for n in _occurrences([s])
        if n is not s.lhs
    )
    if not mixed:  # every value at the step l: read as written (no mixture to settle)
        return statements

    def bare_states(node: object) -> object:
        """The state written with no step, at ``^{(l)}``."""
        if isinstance(node, tuple):
            items = tuple(bare_states(x) for x in node)
            return node if all(a is b for a, b in zip(items, node, strict=True)) else items
        if not isinstance(node, ast.Node):
            return node
        if _symbolish(node) and isinstance(node, (ast.Sub, ast.Sup, ast.Letter, ast.Font)):
            if _letter(reader, node) in at_l and _step(node) is None:
                shown = " ".join(reader.source.snippet(node.span).split())
                what = (
                    f"the state is written at ^{{({letter})}} and ^{{({letter}+{k})}} elsewhere"
                    if _letter(reader, node) in states
                    else f"it is written at ^{{({letter})}} elsewhere and at no other step"
                )
                reader.note(
                    node.span,
                    f"{shown} at step {letter} ({RULE_LABELS})",
                    f"{shown} is written with no step, in the equation of a value of the layer "
                    f"{letter}; {what}: the layer {letter} reads it at {letter}",
                )
                step = ast.Paren(node.span, ast.Letter(node.span, letter))
                return ast.Sup(node.span, node, step)
            if isinstance(node, (ast.Sub, ast.Sup)):
                return node
        changed: dict[str, Any] = {}
        for f in fields(node):
            old = getattr(node, f.name)
            new = bare_states(old)
            if new is not old:
                changed[f.name] = new
        return replace(node, **changed) if changed else node

    def unlabel(node: object) -> object:
        if isinstance(node, tuple):
            items = tuple(unlabel(x) for x in node)
            return node if all(a is b for a, b in zip(items, node, strict=True)) else items
        if not isinstance(node, ast.Node):
            return node
        if isinstance(node, (ast.Sub, ast.Sup)) and _symbolish(node):
            if _letter(reader, node) in labelled and _step(node) == (letter, 0):
                return _strip(node)
            if isinstance(node, ast.Sub):
                base = unlabel(node.base)
                assert isinstance(base, ast.Node)
                return node if base is node.base else replace(node, base=base)
            return node
        changed: dict[str, Any] = {}
        for f in fields(node):
            old = getattr(node, f.name)
            new = unlabel(old)
            if new is not old:
                changed[f.name] = new
        return replace(node, **changed) if changed else node

    for s in labelled.values():
        shown = " ".join(reader.source.snippet(s.lhs.span).split())
        reader.note(
            s.lhs.span,
            f"a value of the layer {letter}, computed inside the step ({RULE_LABELS})",
            f"{shown} is defined at ^{{{letter}}} and written at no other step; the recurrence is written one step ahead ({letter}+{k}): the "
            f"value is computed inside the step from {letter} to {letter}+{k}, from the state "
            f"at {letter} (its ^{{{letter}}} names the layer, not a state carried between "
            "layers)",
        )
    out: list[ast.Statement] = []
    chosen = {id(s) for s in labelled.values()}
    for s in statements:
        if isinstance(s, ast.Definition):
            lhs, rhs = unlabel(s.lhs), unlabel(s.rhs)
            if id(s) in chosen:
                rhs = bare_states(rhs)
            if lhs is not s.lhs or rhs is not s.rhs:
                assert isinstance(lhs, ast.Node) and isinstance(rhs, ast.Node)
                s = ast.keep_attached(replace(s, lhs=lhs, rhs=rhs), s)
        out.append(s)
    return out
